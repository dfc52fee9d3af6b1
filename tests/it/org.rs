//! Administration of the organisation: every mutation's validation, and
//! proof that a rejected mutation changed nothing.

use serde_json::{Value, json};

use crate::harness::TestApp;

const CREATE_USER: &str = "mutation($i: CreateUserInput!) { createUser(input: $i) { id username displayName email roles department { id } manager { username } active } }";
const UPDATE_USER: &str =
    "mutation($i: UpdateUserInput!) { updateUser(input: $i) { id displayName email manager { username } roles } }";
const UPDATE_DEPT: &str =
    "mutation($i: UpdateDepartmentInput!) { updateDepartment(input: $i) { id name parent { id } head { username } } }";
const CREATE_PROXY: &str = "mutation($i: CreateProxyInput!) { createProxy(input: $i) { id principal { username } proxy { username } templateCode active } }";

pub async fn dept_id(app: &TestApp, token: &str, name_part: &str) -> String {
    let data = app.gql_ok(Some(token), "{ departments(first: 100) { edges { node { id name } } } }", json!({})).await;
    data["departments"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["name"].as_str().unwrap().contains(name_part))
        .map(|e| e["node"]["id"].as_str().unwrap().to_string())
        .unwrap()
}

async fn user_count(app: &TestApp, admin: &str) -> usize {
    let data =
        app.gql_ok(Some(admin), "{ users(first: 100, includeInactive: true) { edges { cursor } } }", json!({})).await;
    data["users"]["edges"].as_array().unwrap().len()
}

fn fields(resp: &Value) -> Vec<String> {
    resp["errors"][0]["extensions"]["fields"]
        .as_array()
        .map(|f| f.iter().map(|x| x["field"].as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn creating_users_validates_every_field() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let platform = dept_id(&app, &admin, "Platform").await;
    let bob = app.user_id(&admin, "bob").await;
    let before = user_count(&app, &admin).await;

    let ok = app
        .gql_ok(
            Some(&admin),
            CREATE_USER,
            json!({ "i": { "username": "Frank", "displayName": "Frank 方", "email": "frank@xinghe.example",
                           "departmentId": platform, "managerId": bob, "roles": ["staff", "finance"], "password": "frank-password" } }),
        )
        .await;
    assert_eq!(ok["createUser"]["username"], "frank");
    assert_eq!(ok["createUser"]["manager"]["username"], "bob");
    assert_eq!(ok["createUser"]["roles"], json!(["staff", "finance"]));
    app.login_pair("frank", "frank-password").await;

    // Several bad fields: one error listing all of them.
    let resp = app
        .gql(
            Some(&admin),
            CREATE_USER,
            json!({ "i": { "username": "x", "displayName": " ", "email": "nope", "phone": "12ab", "password": "short" } }),
        )
        .await;
    assert_eq!(resp["errors"][0]["extensions"]["code"], "invalid_input");
    let mut f = fields(&resp);
    f.sort();
    assert_eq!(f, ["displayName", "email", "password", "phone", "username"]);

    let cases = [
        (json!({ "username": "frank", "displayName": "F2" }), "already_exists"),
        (json!({ "username": "g1", "displayName": "G", "departmentId": "999999" }), "invalid_reference"),
        (json!({ "username": "g2", "displayName": "G", "managerId": "999999" }), "invalid_reference"),
        (json!({ "username": "g3", "displayName": "G", "departmentId": "abc" }), "invalid_id"),
        (json!({ "username": "g4", "displayName": "G", "roles": ["emperor"] }), "invalid_reference"),
        (json!({ "username": "g5", "displayName": "G", "email": "alice@xinghe.example" }), "already_exists"),
    ];
    for (input, code) in cases {
        assert_eq!(app.gql_err(Some(&admin), CREATE_USER, json!({ "i": input })).await, code, "{input}");
    }
    assert_eq!(user_count(&app, &admin).await, before + 1, "rejected creations changed nothing");
    app.stop().await;
}

#[tokio::test]
async fn updating_users_refuses_manager_cycles_and_unknown_ids() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let alice = app.user_id(&admin, "alice").await;
    let bob = app.user_id(&admin, "bob").await;
    let chen = app.user_id(&admin, "chen.jie").await;

    // alice → bob → chen.jie; making chen report to alice closes the loop.
    let code = app.gql_err(Some(&admin), UPDATE_USER, json!({ "i": { "id": chen, "managerId": alice } })).await;
    assert_eq!(code, "manager_cycle");
    assert_eq!(
        app.gql_err(Some(&admin), UPDATE_USER, json!({ "i": { "id": bob, "managerId": bob } })).await,
        "manager_cycle"
    );
    assert_eq!(
        app.gql_err(Some(&admin), UPDATE_USER, json!({ "i": { "id": "999999", "displayName": "X" } })).await,
        "not_found"
    );
    let chen_now = app
        .gql_ok(Some(&admin), "query($i: ID!) { user(id: $i) { manager { username } } }", json!({ "i": chen }))
        .await;
    assert_eq!(chen_now["user"]["manager"]["username"], "zhao.wei", "the refused change did not land");

    // Clearing with null, changing roles.
    let data = app
        .gql_ok(
            Some(&admin),
            UPDATE_USER,
            json!({ "i": { "id": alice, "email": null, "displayName": "Alice Li", "roles": ["staff", "hr"] } }),
        )
        .await;
    assert!(data["updateUser"]["email"].is_null());
    assert_eq!(data["updateUser"]["displayName"], "Alice Li");
    assert_eq!(data["updateUser"]["roles"], json!(["staff", "hr"]));
    app.stop().await;
}

#[tokio::test]
async fn deactivation_blocks_login_and_protects_the_admin() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let alice = app.user_id(&admin, "alice").await;
    let me = app.user_id(&admin, "admin").await;
    let pair = app.login_pair("alice", "signoff").await;

    let data = app
        .gql_ok(Some(&admin), "mutation($i: ID!) { deactivateUser(id: $i) { active } }", json!({ "i": alice }))
        .await;
    assert_eq!(data["deactivateUser"]["active"], false);
    let login = "mutation { login(username: \"alice\", password: \"signoff\") { accessToken } }";
    assert_eq!(app.gql_err(None, login, json!({})).await, "invalid_credentials");
    let refresh = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }";
    assert_eq!(app.gql_err(None, refresh, json!({ "t": pair["refreshToken"] })).await, "invalid_refresh_token");
    // Hidden from the directory unless asked for.
    let listed =
        app.gql_ok(Some(&admin), "{ users(search: \"alice\") { edges { node { username } } } }", json!({})).await;
    assert_eq!(listed["users"]["edges"].as_array().unwrap().len(), 0);

    let code =
        app.gql_err(Some(&admin), "mutation($i: ID!) { deactivateUser(id: $i) { active } }", json!({ "i": me })).await;
    assert_eq!(code, "cannot_deactivate_self");

    app.gql_ok(Some(&admin), "mutation($i: ID!) { reactivateUser(id: $i) { active } }", json!({ "i": alice })).await;
    app.login_pair("alice", "signoff").await;
    app.stop().await;
}

#[tokio::test]
async fn departments_stay_a_tree() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let hq = dept_id(&app, &admin, "Xinghe").await;
    let rd = dept_id(&app, &admin, "R&D").await;
    let platform = dept_id(&app, &admin, "Platform").await;
    let alice = app.user_id(&admin, "alice").await;

    assert_eq!(
        app.gql_err(Some(&admin), UPDATE_DEPT, json!({ "i": { "id": hq, "parentId": platform } })).await,
        "department_cycle"
    );
    assert_eq!(
        app.gql_err(Some(&admin), UPDATE_DEPT, json!({ "i": { "id": rd, "parentId": rd } })).await,
        "department_cycle"
    );
    assert_eq!(
        app.gql_err(Some(&admin), UPDATE_DEPT, json!({ "i": { "id": rd, "headId": "424242" } })).await,
        "invalid_reference"
    );
    assert_eq!(
        app.gql_err(Some(&admin), UPDATE_DEPT, json!({ "i": { "id": "424242", "name": "X" } })).await,
        "not_found"
    );
    let hq_now =
        app.gql_ok(Some(&admin), "query($i: ID!) { department(id: $i) { parent { id } } }", json!({ "i": hq })).await;
    assert!(hq_now["department"]["parent"].is_null(), "the refused move did not land");

    let create = "mutation($i: CreateDepartmentInput!) { createDepartment(input: $i) { id name parent { id } head { username } } }";
    let qa = app
        .gql_ok(Some(&admin), create, json!({ "i": { "name": "质量组 QA", "parentId": rd, "headId": alice } }))
        .await;
    assert_eq!(qa["createDepartment"]["head"]["username"], "alice");
    assert_eq!(
        app.gql_err(Some(&admin), create, json!({ "i": { "name": "X", "parentId": "777777" } })).await,
        "invalid_reference"
    );
    assert_eq!(app.gql_err(Some(&admin), create, json!({ "i": { "name": "" } })).await, "invalid_name");
    // Same name under the same parent is refused by a constraint, as a clear error.
    let dup = app.gql(Some(&admin), create, json!({ "i": { "name": "质量组 QA", "parentId": rd } })).await;
    assert_eq!(dup["errors"][0]["extensions"]["code"], "already_exists", "{dup}");

    // Moving QA under Platform is fine; deactivating a department with members is not.
    let qa_id = qa["createDepartment"]["id"].clone();
    app.gql_ok(Some(&admin), UPDATE_DEPT, json!({ "i": { "id": qa_id, "parentId": platform, "headId": null } })).await;
    let deactivate = "mutation($i: ID!) { deactivateDepartment(id: $i) { active } }";
    assert_eq!(app.gql_err(Some(&admin), deactivate, json!({ "i": platform })).await, "department_in_use");
    let done = app.gql_ok(Some(&admin), deactivate, json!({ "i": qa_id })).await;
    assert_eq!(done["deactivateDepartment"]["active"], false);
    app.stop().await;
}

#[tokio::test]
async fn roles_can_be_added_and_renamed() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let data = app
        .gql_ok(
            Some(&admin),
            "mutation { createRole(code: \"legal\", name: \"法务 Legal\") { id code system } }",
            json!({}),
        )
        .await;
    assert_eq!(data["createRole"]["system"], false);
    let id = data["createRole"]["id"].clone();
    assert_eq!(
        app.gql_err(Some(&admin), "mutation { createRole(code: \"legal\", name: \"again\") { id } }", json!({})).await,
        "already_exists"
    );
    assert_eq!(
        app.gql_err(Some(&admin), "mutation { createRole(code: \"Bad Code\", name: \"x\") { id } }", json!({})).await,
        "invalid_code"
    );
    let renamed = app
        .gql_ok(Some(&admin), "mutation($i: ID!) { renameRole(id: $i, name: \"Legal\") { name } }", json!({ "i": id }))
        .await;
    assert_eq!(renamed["renameRole"]["name"], "Legal");
    let roles = app.gql_ok(Some(&admin), "{ roles { code } }", json!({})).await;
    assert_eq!(roles["roles"].as_array().unwrap().len(), 7);
    app.stop().await;
}

#[tokio::test]
async fn proxies_refuse_self_overlap_and_other_peoples_absences() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let bob_token = app.token("bob").await;
    let alice_token = app.token("alice").await;
    let alice = app.user_id(&admin, "alice").await;
    let bob = app.user_id(&admin, "bob").await;
    let carol = app.user_id(&admin, "carol").await;
    let now = chrono::Utc::now();
    let day = chrono::Duration::days(1);
    let at = |d: i64| (now + day * d as i32).to_rfc3339();

    // Bob names Carol for next week; the principal defaults to the caller.
    let p = app
        .gql_ok(
            Some(&bob_token),
            CREATE_PROXY,
            json!({ "i": { "proxyId": carol, "startsAt": at(1), "endsAt": at(8) } }),
        )
        .await;
    assert_eq!(p["createProxy"]["principal"]["username"], "bob");
    assert_eq!(p["createProxy"]["active"], false, "not yet in its window");

    let cases = [
        (json!({ "proxyId": bob, "startsAt": at(1), "endsAt": at(2) }), "proxy_to_self"),
        (json!({ "proxyId": alice, "startsAt": at(5), "endsAt": at(9) }), "proxy_overlap"),
        (json!({ "proxyId": alice, "startsAt": at(9), "endsAt": at(8) }), "invalid_window"),
        (json!({ "proxyId": alice, "startsAt": at(-3), "endsAt": at(-1) }), "invalid_window"),
        (json!({ "proxyId": "31337", "startsAt": at(10), "endsAt": at(12) }), "invalid_reference"),
        (
            json!({ "proxyId": alice, "startsAt": at(10), "endsAt": at(12), "templateCode": "Not A Code" }),
            "invalid_code",
        ),
    ];
    for (input, code) in cases {
        assert_eq!(app.gql_err(Some(&bob_token), CREATE_PROXY, json!({ "i": input })).await, code, "{input}");
    }
    // A scoped window after the first one is fine, and a scoped one inside it is not.
    app.gql_ok(
        Some(&bob_token),
        CREATE_PROXY,
        json!({ "i": { "proxyId": alice, "startsAt": at(9), "endsAt": at(12), "templateCode": "leave" } }),
    )
    .await;
    let scoped_overlap =
        json!({ "i": { "proxyId": alice, "startsAt": at(2), "endsAt": at(3), "templateCode": "leave" } });
    assert_eq!(app.gql_err(Some(&bob_token), CREATE_PROXY, scoped_overlap).await, "proxy_overlap");

    // Staff cannot name a proxy for someone else; admins can.
    let for_bob = json!({ "i": { "principalId": bob, "proxyId": alice, "startsAt": at(20), "endsAt": at(21) } });
    assert_eq!(app.gql_err(Some(&alice_token), CREATE_PROXY, for_bob.clone()).await, "forbidden");
    app.gql_ok(Some(&admin), CREATE_PROXY, for_bob).await;

    // Alice sees only proxies involving her; the admin sees all three.
    let mine = app.gql_ok(Some(&alice_token), "{ proxies { edges { node { id } } } }", json!({})).await;
    assert_eq!(mine["proxies"]["edges"].as_array().unwrap().len(), 2);
    let all = app.gql_ok(Some(&admin), "{ proxies { edges { node { id } } } }", json!({})).await;
    assert_eq!(all["proxies"]["edges"].as_array().unwrap().len(), 3);

    // Revoking: the principal may, the proxy may not, a stranger does not even see it.
    let id = p["createProxy"]["id"].clone();
    let revoke = "mutation($i: ID!) { revokeProxy(id: $i) { revokedAt active } }";
    let carol_token = app.token("carol").await;
    assert_eq!(app.gql_err(Some(&carol_token), revoke, json!({ "i": id })).await, "forbidden");
    assert_eq!(app.gql_err(Some(&alice_token), revoke, json!({ "i": id })).await, "not_found");
    let revoked = app.gql_ok(Some(&bob_token), revoke, json!({ "i": id })).await;
    assert!(!revoked["revokeProxy"]["revokedAt"].is_null());
    assert_eq!(app.gql_err(Some(&bob_token), revoke, json!({ "i": id })).await, "already_revoked");
    // With the first window revoked, the same dates are free again.
    app.gql_ok(
        Some(&bob_token),
        CREATE_PROXY,
        json!({ "i": { "proxyId": carol, "startsAt": at(1), "endsAt": at(8) } }),
    )
    .await;
    app.stop().await;
}
