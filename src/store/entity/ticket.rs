use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tickets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub number: String,
    pub template_id: i64,
    pub template_version_id: i64,
    pub template_code: String,
    pub title: String,
    pub applicant_id: i64,
    pub department_id: Option<i64>,
    pub status: String,
    pub result: Option<String>,
    pub round: i32,
    pub form: String,
    pub state: String,
    pub version: i32,
    pub last_urged_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub done_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
