//! The demo's ticket templates: a leave request (head of department, then
//! HR countersign from three days up), an expense claim (manager, then
//! finance above 10,000), and an IT access request (head, IT confirms,
//! then automations grant the access).

use serde_json::{Value, json};

use super::{
    Store,
    templates::{TemplateHeader, VersionContent},
};
use crate::error::{Error, Result};

fn content(form: Value, chain: Value, automations: Value) -> VersionContent {
    VersionContent { form_schema: form.to_string(), chain: chain.to_string(), automations: automations.to_string() }
}

fn header(name: &str, category: &str, description: &str) -> TemplateHeader {
    TemplateHeader { name: name.into(), category: category.into(), description: description.into() }
}

impl Store {
    /// Seeds the demo templates; `admin` is recorded as their author.
    pub async fn seed_demo_templates(&self, admin: i64) -> Result<usize> {
        let it_head = self
            .user_by_username("song.jia")
            .await?
            .ok_or_else(|| Error::internal(anyhow::anyhow!("the demo organisation has no song.jia")))?;
        let leave = content(
            json!({ "fields": [
                { "key": "leave_type", "label": "假期类型 Leave type", "type": "select", "required": true,
                  "options": ["annual", "sick", "personal", "marriage"] },
                { "key": "start_date", "label": "开始日期 Start", "type": "date", "required": true },
                { "key": "days", "label": "天数 Days", "type": "number", "required": true, "min": 0.5, "max": 60 },
                { "key": "reason", "label": "事由 Reason", "type": "textarea", "required": true, "max": 500 }
            ]}),
            json!({ "on_return": "back_to_returning_step", "self_approval": "skip", "steps": [
                { "name": "部门负责人 Head of department", "kind": "approve", "mode": "any",
                  "approvers": [{ "type": "department_head", "levels_up": 0 }], "sla_minutes": 1440, "on_sla": "remind" },
                { "name": "人事会签 HR countersign", "kind": "approve", "mode": "all",
                  "approvers": [{ "type": "role", "code": "hr" }], "condition": "days >= 3", "sla_minutes": 2880, "on_sla": "escalate" }
            ]}),
            json!([]),
        );
        let expense = content(
            json!({ "fields": [
                { "key": "amount", "label": "金额 Amount (CNY)", "type": "money", "required": true, "min": 0.01 },
                { "key": "category", "label": "类别 Category", "type": "select", "required": true,
                  "options": ["travel", "meals", "equipment", "training", "other"] },
                { "key": "spent_on", "label": "日期 Date", "type": "date", "required": true },
                { "key": "description", "label": "说明 Description", "type": "textarea", "required": true, "max": 1000 }
            ]}),
            json!({ "on_return": "restart_chain", "self_approval": "pass_up", "steps": [
                { "name": "直属经理 Manager", "kind": "approve", "mode": "any", "approvers": [{ "type": "manager" }], "sla_minutes": 1440 },
                { "name": "财务审批 Finance", "kind": "approve", "mode": "any", "approvers": [{ "type": "role", "code": "finance" }],
                  "condition": "amount > 10000", "sla_minutes": 2880, "on_sla": "alarm_admins" }
            ]}),
            json!([]),
        );
        let access = content(
            json!({ "fields": [
                { "key": "system", "label": "系统 System", "type": "select", "required": true, "options": ["gitlab", "jenkins", "grafana", "vpn"] },
                { "key": "level", "label": "权限 Level", "type": "select", "required": true, "options": ["read", "write", "admin"] },
                { "key": "justification", "label": "理由 Justification", "type": "textarea", "required": true }
            ]}),
            json!({ "steps": [
                { "name": "部门负责人 Head of department", "kind": "approve", "mode": "any", "approvers": [{ "type": "department_head", "levels_up": 0 }] },
                { "name": "IT 确认 IT confirms", "kind": "confirm", "mode": "any", "approvers": [{ "type": "users", "ids": [it_head.id] }] }
            ]}),
            json!([{ "name": "开通权限 Grant access", "executor": "bot", "kind": "it-access",
                     "params": { "system": "{{form.system}}", "level": "{{form.level}}", "ticket": "{{ticket.number}}" },
                     "timeout_secs": 120, "retry": { "max_attempts": 3, "backoff_secs": 5 } }]),
        );
        let templates = [
            (
                "leave",
                header("请假 Leave request", "人事 HR", "Time off; three days or more also need HR's countersign."),
                leave,
            ),
            (
                "expense",
                header("报销 Expense claim", "财务 Finance", "Reimbursement; above 10,000 CNY finance approves too."),
                expense,
            ),
            (
                "it-access",
                header(
                    "权限申请 IT access",
                    "IT",
                    "Access to an internal system; granted by the ops bot once approved.",
                ),
                access,
            ),
        ];
        let count = templates.len();
        for (code, header, content) in templates {
            self.insert_template(code.into(), header, content, admin).await?;
        }
        Ok(count)
    }
}
