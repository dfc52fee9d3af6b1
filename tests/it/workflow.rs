//! Realistic approval scenarios through GraphQL, as the people involved
//! would do them.

use serde_json::json;

use crate::{
    flow::{People, expense, leave, pending, timeline},
    harness::TestApp,
};

#[tokio::test]
async fn leave_request_goes_to_the_head_then_hr_countersigns() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let t = p.submit("alice", "leave", leave(5.0)).await;
    assert_eq!(t["status"], "IN_APPROVAL");
    assert!(t["number"].as_str().unwrap().starts_with("LEAVE-"), "{}", t["number"]);
    assert_eq!(t["steps"].as_array().unwrap().len(), 2, "5 days brings in HR");
    assert_eq!(pending(&t), ["bob"]);

    // Bob sees it in his inbox, with a count.
    let bob = p.token("bob").await;
    let inbox = app
        .gql_ok(
            Some(&bob),
            "{ inboxCounts { pending overdue } inbox { edges { node { ticket { number } stepName } } } }",
            json!({}),
        )
        .await;
    assert_eq!(inbox["inboxCounts"]["pending"], 1);
    assert_eq!(inbox["inbox"]["edges"][0]["node"]["ticket"]["number"], t["number"]);

    let t2 = p.approve("bob", &t["id"]).await;
    assert_eq!(pending(&t2), ["carol", "ma.xin", "sun.li"], "every HR member countersigns");
    let t3 = p.approve("carol", &t["id"]).await;
    assert_eq!(t3["status"], "IN_APPROVAL", "ALL waits for everyone");
    p.approve("sun.li", &t["id"]).await;
    let done = p.approve("ma.xin", &t["id"]).await;
    assert_eq!(done["status"], "DONE");
    assert_eq!(done["result"], "APPROVED");
    assert_eq!(timeline(&done), ["submitted", "approved", "approved", "approved", "approved"]);
    let phases: Vec<_> = done["steps"].as_array().unwrap().iter().map(|s| s["phase"].as_str().unwrap()).collect();
    assert_eq!(phases, ["DECIDED", "DECIDED"]);
    let inbox = app.gql_ok(Some(&bob), "{ inboxCounts { pending } }", json!({})).await;
    assert_eq!(inbox["inboxCounts"]["pending"], 0);
    app.stop().await;
}

#[tokio::test]
async fn short_leave_skips_hr_and_expenses_over_10000_add_finance() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let short = p.submit("alice", "leave", leave(1.0)).await;
    assert_eq!(short["steps"].as_array().unwrap().len(), 1);
    let done = p.approve("bob", &short["id"]).await;
    assert_eq!((done["status"].as_str(), done["result"].as_str()), (Some("DONE"), Some("APPROVED")));

    let small = p.submit("alice", "expense", expense("800.00")).await;
    assert_eq!(small["steps"].as_array().unwrap().len(), 1);
    let big = p.submit("alice", "expense", expense("12000.50")).await;
    let names: Vec<_> =
        big["steps"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_string()).collect();
    assert_eq!(names.len(), 2);
    assert!(names[1].contains("Finance"));
    // Numbers are unique and count up within the day.
    let seq = |t: &serde_json::Value| t["number"].as_str().unwrap().rsplit('-').next().unwrap().parse::<u32>().unwrap();
    assert!(seq(&big) > seq(&small), "{} then {}", small["number"], big["number"]);
    assert!(big["number"].as_str().unwrap().starts_with("EXPENSE-"));
    // Exactly 10000 is not "> 10000": money compares exactly.
    let edge = p.submit("alice", "expense", expense("10000.00")).await;
    assert_eq!(edge["steps"].as_array().unwrap().len(), 1);

    p.approve("bob", &big["id"]).await;
    assert_eq!(pending(&p.ticket("alice", &big["id"]).await), ["gao.yan", "lin.hui", "wang.fang"]);
    let done = p.approve("lin.hui", &big["id"]).await;
    assert_eq!(done["result"], "APPROVED");
    let cancelled = done["items"].as_array().unwrap().iter().filter(|i| i["status"] == "CANCELLED").count();
    assert_eq!(cancelled, 2, "ANY: the other finance items are cancelled");
    app.stop().await;
}

#[tokio::test]
async fn return_and_resubmit_back_to_the_returning_step() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let t = p.submit("alice", "leave", leave(4.0)).await;
    p.approve("bob", &t["id"]).await;
    let item = p.item("carol", &t["id"]).await;
    let returned = p.act("carol", "returnTicket", &item, ", reason: \"add the handover plan\"").await;
    let returned = &returned["data"]["returnTicket"]["ticket"];
    assert_eq!(returned["status"], "RETURNED");
    assert!(pending(returned).is_empty(), "the other HR items are cancelled");

    let alice = p.token("alice").await;
    let resubmit = "mutation($i: ResubmitTicketInput!) { resubmitTicket(input: $i) { ticket { status round items { status round assignee { username } } } } }";
    let mut form = leave(4.0);
    form["reason"] = json!("family trip; handover to zhang.min");
    let data = app.gql_ok(Some(&alice), resubmit, json!({ "i": { "ticketId": t["id"], "form": form } })).await;
    let again = &data["resubmitTicket"]["ticket"];
    assert_eq!(again["round"], 2);
    // The leave template goes straight back to HR: Bob is not asked again.
    let round2: Vec<_> = again["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["round"] == 2)
        .map(|i| i["assignee"]["username"].as_str().unwrap())
        .collect();
    assert!(!round2.contains(&"bob"), "{round2:?}");
    assert_eq!(round2.len(), 3);
    app.stop().await;
}

#[tokio::test]
async fn return_and_resubmit_restarting_the_chain() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let t = p.submit("alice", "expense", expense("20000")).await;
    p.approve("bob", &t["id"]).await;
    let item = p.item("wang.fang", &t["id"]).await;
    let resp = p.act("wang.fang", "returnTicket", &item, ", reason: \"attach the invoice\"").await;
    assert_eq!(resp["data"]["returnTicket"]["ticket"]["status"], "RETURNED");

    let alice = p.token("alice").await;
    let resubmit = "mutation($i: ResubmitTicketInput!) { resubmitTicket(input: $i) { ticket { round status } } }";
    app.gql_ok(Some(&alice), resubmit, json!({ "i": { "ticketId": t["id"], "form": expense("20000") } })).await;
    let again = p.ticket("alice", &t["id"]).await;
    assert_eq!(pending(&again), ["bob"], "the expense chain restarts at the manager");
    assert_eq!(timeline(&again), ["submitted", "approved", "returned", "resubmitted"]);
    // Only a returned ticket can be resubmitted, and only by its applicant.
    let bob = p.token("bob").await;
    let code = app.gql_err(Some(&bob), resubmit, json!({ "i": { "ticketId": t["id"], "form": expense("1") } })).await;
    assert_eq!(code, "not_applicant");
    assert_eq!(
        app.gql_err(Some(&alice), resubmit, json!({ "i": { "ticketId": t["id"], "form": expense("1") } })).await,
        "not_returned"
    );
    app.stop().await;
}

#[tokio::test]
async fn reject_and_withdraw_end_the_ticket() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let t = p.submit("alice", "leave", leave(2.0)).await;
    let item = p.item("bob", &t["id"]).await;
    let no_reason = p.act("bob", "reject", &item, ", reason: \"  \"").await;
    assert_eq!(no_reason["errors"][0]["extensions"]["code"], "reason_required");
    let resp = p.act("bob", "reject", &item, ", reason: \"team is short that week\"").await;
    let rejected = &resp["data"]["reject"]["ticket"];
    assert_eq!((rejected["status"].as_str(), rejected["result"].as_str()), (Some("DONE"), Some("REJECTED")));

    let w = p.submit("alice", "leave", leave(2.0)).await;
    let bob_item = p.item("bob", &w["id"]).await;
    let zhang = p.token("zhang.min").await;
    let withdraw = "mutation($t: ID!) { withdrawTicket(ticketId: $t, reason: \"plans changed\") { ticket { status result items { status } } } }";
    assert_eq!(
        app.gql_err(Some(&zhang), withdraw, json!({ "t": w["id"] })).await,
        "not_found",
        "strangers do not see it"
    );
    let bob = p.token("bob").await;
    assert_eq!(app.gql_err(Some(&bob), withdraw, json!({ "t": w["id"] })).await, "not_applicant");
    let alice = p.token("alice").await;
    let data = app.gql_ok(Some(&alice), withdraw, json!({ "t": w["id"] })).await;
    assert_eq!(data["withdrawTicket"]["ticket"]["result"], "WITHDRAWN");
    assert_eq!(data["withdrawTicket"]["ticket"]["items"][0]["status"], "CANCELLED");
    // Bob's item went with it.
    let late = p.act("bob", "approve", &bob_item, "").await;
    assert_eq!(late["errors"][0]["extensions"]["code"], "conflict");
    app.stop().await;
}

#[tokio::test]
async fn transfer_and_add_approver() {
    let app = TestApp::spawn().await;
    let mut p = People::new(&app);
    let chen = p.id_of("chen.jie").await;
    let zhang = p.id_of("zhang.min").await;
    let alice_id = p.id_of("alice").await;

    let t = p.submit("alice", "leave", leave(1.0)).await;
    let item = p.item("bob", &t["id"]).await;
    let to_applicant = p.act("bob", "transfer", &item, &format!(", toUserId: \"{alice_id}\"")).await;
    assert_eq!(to_applicant["errors"][0]["extensions"]["code"], "invalid_transfer");
    let resp =
        p.act("bob", "transfer", &item, &format!(", toUserId: \"{chen}\", comment: \"I am on leave myself\"")).await;
    let moved = &resp["data"]["transfer"]["ticket"];
    assert_eq!(pending(moved), ["chen.jie"]);
    assert_eq!(moved["timeline"][1]["payload"]["comment"], "I am on leave myself");
    assert!(p.ticket("bob", &t["id"]).await.is_object(), "bob still sees the ticket he handed over");
    let done = p.approve("chen.jie", &t["id"]).await;
    assert_eq!(done["result"], "APPROVED");

    let t2 = p.submit("alice", "leave", leave(1.0)).await;
    let item = p.item("bob", &t2["id"]).await;
    let resp = p.act("bob", "addApprover", &item, &format!(", userId: \"{zhang}\"")).await;
    assert_eq!(pending(&resp["data"]["addApprover"]["ticket"]), ["bob", "zhang.min"]);
    let again = p.act("bob", "addApprover", &item, &format!(", userId: \"{zhang}\"")).await;
    assert_eq!(again["errors"][0]["extensions"]["code"], "already_assigned");
    let done = p.approve("zhang.min", &t2["id"]).await;
    assert_eq!(done["result"], "APPROVED", "ANY: the added approver decided the step");
    app.stop().await;
}
