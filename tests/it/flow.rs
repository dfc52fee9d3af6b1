//! Helpers for workflow tests: filing, finding one's pending item, acting,
//! reading a ticket back.

use serde_json::{Value, json};

use crate::harness::TestApp;

pub const TICKET: &str = "id number title status result round templateCode templateVersion
    applicant { username } form
    steps { position name kind mode phase items { id status assignee { username } onBehalfOf { username } } }
    items { id round status stepName assignee { username } onBehalfOf { username } decidedBy { username } reason dueAt }
    timeline { kind actor { username } onBehalfOf { username } statusBefore statusAfter payload }";

/// A bag of tokens for demo users, fetched once per test.
pub struct People<'a> {
    pub app: &'a TestApp,
    tokens: std::collections::HashMap<String, String>,
}

impl<'a> People<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self { app, tokens: Default::default() }
    }

    pub async fn token(&mut self, user: &str) -> String {
        if !self.tokens.contains_key(user) {
            let t = self.app.token(user).await;
            self.tokens.insert(user.to_string(), t);
        }
        self.tokens[user].clone()
    }

    /// Files a ticket and returns it.
    pub async fn submit(&mut self, user: &str, template: &str, form: Value) -> Value {
        let token = self.token(user).await;
        let q = format!(
            "mutation($i: SubmitTicketInput!) {{ submitTicket(input: $i) {{ replayed ticket {{ {TICKET} }} }} }}"
        );
        let data = self.app.gql_ok(Some(&token), &q, json!({ "i": { "templateCode": template, "form": form } })).await;
        data["submitTicket"]["ticket"].clone()
    }

    /// Files a ticket that must be refused; returns the error code.
    pub async fn submit_err(&mut self, user: &str, template: &str, form: Value) -> String {
        let token = self.token(user).await;
        let q = "mutation($i: SubmitTicketInput!) { submitTicket(input: $i) { ticket { id } } }";
        self.app.gql_err(Some(&token), q, json!({ "i": { "templateCode": template, "form": form } })).await
    }

    /// The ticket as `user` sees it (null when they may not).
    pub async fn ticket(&mut self, user: &str, id: &Value) -> Value {
        let token = self.token(user).await;
        let q = format!("query($i: ID!) {{ ticket(id: $i) {{ {TICKET} }} }}");
        self.app.gql_ok(Some(&token), &q, json!({ "i": id })).await["ticket"].clone()
    }

    /// The id of `user`'s pending item on the ticket.
    pub async fn item(&mut self, user: &str, ticket: &Value) -> String {
        let token = self.token(user).await;
        let data = self
            .app
            .gql_ok(Some(&token), "query($i: ID!) { ticket(id: $i) { myPendingItems { id } } }", json!({ "i": ticket }))
            .await;
        data["ticket"]["myPendingItems"][0]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{user} has no pending item: {data}"))
            .to_string()
    }

    /// Runs a mutation on `user`'s pending item; returns the whole response.
    pub async fn act(&mut self, user: &str, mutation: &str, item: &str, extra: &str) -> Value {
        let token = self.token(user).await;
        let q = format!("mutation($i: ID!) {{ {mutation}(itemId: $i{extra}) {{ ticket {{ {TICKET} }} }} }}");
        self.app.gql(Some(&token), &q, json!({ "i": item })).await
    }

    /// Approves `user`'s pending item and returns the ticket.
    pub async fn approve(&mut self, user: &str, ticket: &Value) -> Value {
        let item = self.item(user, ticket).await;
        let resp = self.act(user, "approve", &item, "").await;
        assert!(resp.get("errors").is_none(), "{user} could not approve: {resp}");
        resp["data"]["approve"]["ticket"].clone()
    }

    pub async fn id_of(&mut self, username: &str) -> String {
        let admin = self.token("admin").await;
        self.app.user_id(&admin, username).await
    }
}

/// Usernames of the pending items of the open step.
pub fn pending(ticket: &Value) -> Vec<String> {
    let mut names: Vec<String> = ticket["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "PENDING")
        .map(|i| i["assignee"]["username"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

/// Kinds of the timeline's events, in order.
pub fn timeline(ticket: &Value) -> Vec<String> {
    ticket["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_string()).collect()
}

pub fn leave(days: f64) -> Value {
    json!({ "leave_type": "annual", "start_date": "2026-12-01", "days": days, "reason": "family trip" })
}

pub fn expense(amount: &str) -> Value {
    json!({ "amount": amount, "category": "travel", "spent_on": "2026-11-20", "description": "client visit" })
}
