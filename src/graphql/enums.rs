//! GraphQL enums mirroring the domain's, so the schema speaks the same
//! words as the state machine (`IN_APPROVAL`, `PENDING`, …).

use async_graphql::Enum;

use crate::domain::workflow;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "workflow::TicketStatus")]
/// Where a ticket stands: 审批中, 被退回, 处理中 (automations), 完成.
pub enum TicketStatus {
    InApproval,
    Returned,
    Processing,
    Done,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "workflow::TicketResult")]
/// How a finished ticket ended.
pub enum TicketResult {
    Approved,
    Rejected,
    Withdrawn,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "workflow::ItemStatus")]
/// Where one approver's item stands: 待处理, 通过, 退回, 否决, 确认, or cancelled.
pub enum ItemStatus {
    Pending,
    Approved,
    Returned,
    Rejected,
    Confirmed,
    Cancelled,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "workflow::StepKind")]
pub enum StepKind {
    Approve,
    Confirm,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "workflow::StepMode")]
/// ANY: one approver decides; ALL: countersign.
pub enum StepMode {
    Any,
    All,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "workflow::FieldType")]
pub enum FieldType {
    Text,
    Textarea,
    Number,
    Money,
    Date,
    Datetime,
    Select,
    Multiselect,
    User,
    Department,
    Boolean,
}

/// Parses a snake_case status stored in the database into a domain enum.
pub fn parse_stored<T: serde::de::DeserializeOwned>(raw: &str) -> crate::error::Result<T> {
    serde_json::from_value(serde_json::Value::String(raw.to_string()))
        .map_err(|_| crate::error::Error::internal(anyhow::anyhow!("unknown stored value {raw:?}")))
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
/// The order of a list that grows over time.
pub enum ListOrder {
    /// The most recent first (the default of every list people read).
    #[default]
    NewestFirst,
    OldestFirst,
}

impl ListOrder {
    pub fn newest_first(order: Option<Self>) -> bool {
        order.unwrap_or_default() == Self::NewestFirst
    }
}
