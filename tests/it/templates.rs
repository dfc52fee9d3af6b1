//! Templates: validation when saving (with positions in conditions),
//! versioning (a ticket keeps its version), empty chains, permissions.

use serde_json::{Value, json};

use crate::{
    flow::{People, pending},
    harness::TestApp,
};

const CREATE: &str = "mutation($i: TemplateInput!) { createTemplate(input: $i) { code currentVersion current { fields { key type } } } }";
const UPDATE: &str = "mutation($i: TemplateInput!) { updateTemplate(input: $i) { code currentVersion } }";

fn template(code: &str, chain: Value) -> Value {
    json!({ "i": {
        "code": code, "name": "Purchase", "category": "Finance",
        "form": { "fields": [
            { "key": "amount", "label": "Amount", "type": "money", "required": true },
            { "key": "buyer", "label": "Buyer", "type": "user" },
            { "key": "item", "label": "Item", "type": "text", "required": true }
        ] },
        "chain": chain
    } })
}

fn issues(resp: &Value) -> Vec<(String, String)> {
    resp["errors"][0]["extensions"]["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|x| (x["field"].as_str().unwrap().to_string(), x["code"].as_str().unwrap().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn saving_a_template_checks_forms_chains_and_conditions() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let step = |extra: Value| {
        let mut s =
            json!({ "name": "Head", "kind": "approve", "approvers": [{ "type": "department_head", "levels_up": 0 }] });
        s.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        s
    };

    let bad = app
        .gql(Some(&admin), CREATE, template("p1", json!({ "steps": [step(json!({ "condition": "amount >> 5" }))] })))
        .await;
    assert_eq!(bad["errors"][0]["extensions"]["code"], "bad_condition", "{bad}");
    assert!(bad["errors"][0]["message"].as_str().unwrap().contains("at character"), "{bad}");

    let unknown = app
        .gql(Some(&admin), CREATE, template("p2", json!({ "steps": [step(json!({ "condition": "amout > 5" }))] })))
        .await;
    assert_eq!(unknown["errors"][0]["extensions"]["code"], "bad_condition");
    assert!(unknown["errors"][0]["message"].as_str().unwrap().contains("amout"), "{unknown}");

    let mismatch = app
        .gql(
            Some(&admin),
            CREATE,
            template("p3", json!({ "steps": [step(json!({ "condition": "amount > \"lots\"" }))] })),
        )
        .await;
    assert_eq!(mismatch["errors"][0]["extensions"]["code"], "bad_condition");

    let several = template(
        "p4",
        json!({ "steps": [
        { "name": "Buyer", "kind": "approve", "approvers": [{ "type": "form_field", "key": "item" }] },
        { "name": "Nobody", "kind": "approve", "approvers": [] },
        { "name": "Ghost", "kind": "approve", "approvers": [{ "type": "users", "ids": [424242] }, { "type": "role", "code": "wizards" }] }
    ] }),
    );
    let resp = app.gql(Some(&admin), CREATE, several).await;
    assert_eq!(resp["errors"][0]["extensions"]["code"], "invalid_input");
    let mut got = issues(&resp);
    got.sort();
    let expected = [
        ("chain.steps[0]", "not_a_user_field"),
        ("chain.steps[1]", "no_approvers"),
        ("chain.steps[2]", "invalid_reference"),
        ("chain.steps[2]", "invalid_reference"),
    ];
    assert_eq!(got, expected.map(|(a, b)| (a.to_string(), b.to_string())));

    let bad_form = json!({ "i": { "code": "p5", "name": "X", "category": "Y", "form": { "fields": [
        { "key": "Amount", "label": "", "type": "select" }] }, "chain": { "steps": [] } } });
    let resp = app.gql(Some(&admin), CREATE, bad_form).await;
    let codes: Vec<String> = issues(&resp).into_iter().map(|(_, c)| c).collect();
    assert!(codes.contains(&"bad_key".to_string()) && codes.contains(&"missing_options".to_string()), "{resp}");
    let not_json_shape =
        json!({ "i": { "code": "p6", "name": "X", "category": "Y", "form": [1, 2], "chain": { "steps": [] } } });
    assert_eq!(app.gql_err(Some(&admin), CREATE, not_json_shape).await, "invalid_form");

    let templates = app.gql_ok(Some(&admin), "{ templates { edges { node { code } } } }", json!({})).await;
    assert_eq!(
        templates["templates"]["edges"].as_array().unwrap().len(),
        3,
        "only the demo templates: nothing above was saved"
    );

    let alice = app.token("alice").await;
    assert_eq!(app.gql_err(Some(&alice), CREATE, template("p7", json!({ "steps": [] }))).await, "forbidden");
    app.stop().await;
}

#[tokio::test]
async fn an_empty_chain_approves_at_once_and_versions_stick_to_tickets() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let created = app.gql_ok(Some(&admin), CREATE, template("purchase", json!({ "steps": [] }))).await;
    assert_eq!(created["createTemplate"]["currentVersion"], 1);
    assert_eq!(app.gql_err(Some(&admin), CREATE, template("purchase", json!({ "steps": [] }))).await, "already_exists");

    let mut p = People::new(&app);
    let form = json!({ "amount": "12.00", "item": "stapler" });
    let auto = p.submit("alice", "purchase", form.clone()).await;
    assert_eq!((auto["status"].as_str(), auto["result"].as_str()), (Some("DONE"), Some("APPROVED")));
    assert_eq!(auto["templateVersion"], 1);

    // Version 2 asks the buyer picked in the form.
    let buyer_chain = json!({ "steps": [{ "name": "Buyer", "kind": "approve", "approvers": [{ "type": "form_field", "key": "buyer" }] }] });
    let v2 = app.gql_ok(Some(&admin), UPDATE, template("purchase", buyer_chain)).await;
    assert_eq!(v2["updateTemplate"]["currentVersion"], 2);
    let carol = p.id_of("carol").await;
    let t = p
        .submit(
            "alice",
            "purchase",
            json!({ "amount": "99999.99", "item": "laptop", "buyer": carol.parse::<i64>().unwrap() }),
        )
        .await;
    assert_eq!(t["templateVersion"], 2);
    assert_eq!(pending(&t), ["carol"]);
    let old = p.ticket("alice", &auto["id"]).await;
    assert_eq!(old["templateVersion"], 1, "the first ticket keeps its version");

    let ghost = p.submit_err("alice", "purchase", json!({ "amount": "1", "item": "pen", "buyer": 424242 })).await;
    assert_eq!(ghost, "invalid_reference");

    let deactivate = "mutation { deactivateTemplate(code: \"purchase\") { active } }";
    app.gql_ok(Some(&admin), deactivate, json!({})).await;
    assert_eq!(p.submit_err("alice", "purchase", form).await, "template_inactive");
    app.stop().await;
}

#[tokio::test]
async fn the_demo_templates_pass_validation() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let list = app
        .gql_ok(
            Some(&admin),
            "{ templates { edges { node { code name category current { formSchema chain automations } } } } }",
            json!({}),
        )
        .await;
    for edge in list["templates"]["edges"].as_array().unwrap() {
        let n = &edge["node"];
        let input = json!({ "i": { "code": n["code"], "name": n["name"], "category": n["category"],
            "form": n["current"]["formSchema"], "chain": n["current"]["chain"], "automations": n["current"]["automations"] } });
        let saved = app.gql(Some(&admin), UPDATE, input).await;
        assert!(saved.get("errors").is_none(), "{} does not pass its own checks: {saved}", n["code"]);
    }
    app.stop().await;
}
