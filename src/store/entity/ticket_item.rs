use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ticket_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub ticket_id: i64,
    pub seq: i32,
    pub round: i32,
    pub step: i32,
    pub chain_step: i32,
    pub step_name: String,
    pub kind: String,
    pub assignee_id: i64,
    pub on_behalf_of: Option<i64>,
    pub status: String,
    pub decided_by: Option<i64>,
    pub reason: Option<String>,
    pub due_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
