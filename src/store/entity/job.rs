use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub ticket_id: i64,
    pub seq: i32,
    pub name: String,
    pub executor: String,
    pub kind: String,
    pub params: String,
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub backoff_secs: i32,
    pub timeout_secs: i32,
    pub holder: Option<String>,
    pub lease_expires_at: Option<DateTimeUtc>,
    pub available_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub output: Option<String>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
