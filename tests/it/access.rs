//! The authorisation matrix: every operation × every role, allowed or
//! refused with a stable code. Anonymous callers get `unauthenticated`.

use serde_json::{Value, json};

use crate::harness::{TestApp, error_code};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Role {
    Anonymous,
    Staff,
    Manager,
    Bot,
    Admin,
}
use Role::*;

const ALL: [Role; 5] = [Anonymous, Staff, Manager, Bot, Admin];

struct Op {
    name: &'static str,
    query: &'static str,
    vars: fn(&Ids, Role) -> Value,
    allowed: &'static [Role],
}

struct Ids {
    alice: String,
    platform: String,
}

fn none(_: &Ids, _: Role) -> Value {
    json!({})
}

fn ops() -> Vec<Op> {
    vec![
        Op { name: "me", query: "{ me { id } }", vars: none, allowed: &[Staff, Manager, Bot, Admin] },
        Op {
            name: "users",
            query: "{ users(first: 2) { edges { node { id } } } }",
            vars: none,
            allowed: &[Staff, Manager, Bot, Admin],
        },
        Op {
            name: "users(includeInactive)",
            query: "{ users(first: 2, includeInactive: true) { edges { node { id } } } }",
            vars: none,
            allowed: &[Admin],
        },
        Op {
            name: "user",
            query: "query($i: ID!) { user(id: $i) { id } }",
            vars: |ids, _| json!({ "i": ids.alice }),
            allowed: &[Staff, Manager, Bot, Admin],
        },
        Op {
            name: "departments",
            query: "{ departments { edges { node { id } } } }",
            vars: none,
            allowed: &[Staff, Manager, Bot, Admin],
        },
        Op {
            name: "department",
            query: "query($i: ID!) { department(id: $i) { id } }",
            vars: |ids, _| json!({ "i": ids.platform }),
            allowed: &[Staff, Manager, Bot, Admin],
        },
        Op { name: "roles", query: "{ roles { code } }", vars: none, allowed: &[Staff, Manager, Bot, Admin] },
        Op {
            name: "proxies",
            query: "{ proxies { edges { node { id } } } }",
            vars: none,
            allowed: &[Staff, Manager, Bot, Admin],
        },
        Op { name: "apiTokens", query: "{ apiTokens { id } }", vars: none, allowed: &[Admin] },
        Op {
            name: "createUser",
            query: "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
            vars: |_, r| json!({ "i": { "username": format!("new-{r:?}").to_lowercase(), "displayName": "New" } }),
            allowed: &[Admin],
        },
        Op {
            name: "updateUser",
            query: "mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }",
            vars: |ids, _| json!({ "i": { "id": ids.alice, "displayName": "Alice" } }),
            allowed: &[Admin],
        },
        Op {
            name: "reactivateUser",
            query: "mutation($i: ID!) { reactivateUser(id: $i) { id } }",
            vars: |ids, _| json!({ "i": ids.alice }),
            allowed: &[Admin],
        },
        Op {
            name: "createDepartment",
            query: "mutation($i: CreateDepartmentInput!) { createDepartment(input: $i) { id } }",
            vars: |_, r| json!({ "i": { "name": format!("Dept {r:?}") } }),
            allowed: &[Admin],
        },
        Op {
            name: "updateDepartment",
            query: "mutation($i: UpdateDepartmentInput!) { updateDepartment(input: $i) { id } }",
            vars: |ids, _| json!({ "i": { "id": ids.platform, "name": "平台组 Platform Team" } }),
            allowed: &[Admin],
        },
        Op {
            name: "createRole",
            query: "mutation($c: String!) { createRole(code: $c, name: \"R\") { id } }",
            vars: |_, r| json!({ "c": format!("role-{r:?}").to_lowercase() }),
            allowed: &[Admin],
        },
        Op {
            name: "createProxy (own)",
            query: "mutation($i: CreateProxyInput!) { createProxy(input: $i) { id } }",
            vars: |ids, _| {
                let now = chrono::Utc::now();
                json!({ "i": { "proxyId": ids.alice, "startsAt": now.to_rfc3339(), "endsAt": (now + chrono::Duration::days(1)).to_rfc3339() } })
            },
            // Alice cannot be her own proxy, so for her (staff) the outcome is
            // `proxy_to_self`, which still shows the permission let her through.
            allowed: &[Staff, Manager, Admin],
        },
        Op {
            name: "createApiToken",
            query: "mutation($u: ID!) { createApiToken(userId: $u, name: \"t\") { secret } }",
            vars: |ids, _| json!({ "u": ids.alice }),
            allowed: &[Admin],
        },
    ]
}

#[tokio::test]
async fn every_operation_for_every_role() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let bot_id = app.user_id(&admin, "ops-bot").await;
    let bot = app
        .gql_ok(
            Some(&admin),
            "mutation($u: ID!) { createApiToken(userId: $u, name: \"matrix\") { secret } }",
            json!({ "u": bot_id }),
        )
        .await["createApiToken"]["secret"]
        .as_str()
        .unwrap()
        .to_string();
    let platform = app.gql_ok(Some(&admin), "{ me { department { id } } }", json!({})).await;
    let ids = Ids {
        alice: app.user_id(&admin, "alice").await,
        platform: platform["me"]["department"]["id"].as_str().unwrap().to_string(),
    };
    let tokens = [
        (Anonymous, None),
        (Staff, Some(app.token("alice").await)),
        (Manager, Some(app.token("bob").await)),
        (Bot, Some(bot)),
        (Admin, Some(admin)),
    ];

    let mut failures = Vec::new();
    for op in ops() {
        for (role, token) in &tokens {
            let resp = app.gql(token.as_deref(), op.query, (op.vars)(&ids, *role)).await;
            let code = error_code(&resp);
            let expected_ok = op.allowed.contains(role);
            let outcome_ok = match code.as_deref() {
                None => expected_ok,
                Some("unauthenticated") => *role == Anonymous,
                Some("forbidden") => !expected_ok && *role != Anonymous,
                // Passed the permission check and failed on the input itself.
                Some("proxy_to_self") => expected_ok,
                Some(_) => false,
            };
            if !outcome_ok {
                failures.push(format!(
                    "{} as {role:?}: expected {}, got {resp}",
                    op.name,
                    if expected_ok { "allowed" } else { "refused" }
                ));
            }
        }
    }
    assert!(ALL.len() == tokens.len());
    assert!(failures.is_empty(), "authorisation matrix mismatches:\n{}", failures.join("\n"));
    app.stop().await;
}
