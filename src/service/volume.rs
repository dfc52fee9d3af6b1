//! `signoff seed --volume N`: months of realistic history, fast. A few
//! hundred model tickets go through the real workflow (every template,
//! every way a ticket ends, filed by staff of every department), so their
//! state, items and timelines are exactly what the engine writes; then N
//! copies of them are bulk-inserted, each retimed into the past with
//! human waits between its actions and filed by one of many generated
//! colleagues of the model's applicant (same department, same manager, so
//! the same approvers). Only for a database no node is writing to.

use std::{collections::HashMap, sync::Arc, time::Instant};

use chrono::{DateTime, Duration, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::json;

use super::{
    catalog::Catalog,
    tickets::{Workflow, act::ItemAction, submit::SubmitTicketInput},
};
use crate::{
    config::Config,
    domain::access::Actor,
    store::{
        Store,
        tickets::TicketEvent,
        users::NewUser,
        volume::{NextIds, StoredTicket},
    },
};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct VolumeOptions {
    pub tickets: u64,
    /// Colleagues generated beside the demo staff (they file most tickets).
    pub users: u32,
    /// How far back the history reaches.
    pub days: u32,
    pub seed: u64,
}

/// How a model ticket ends up, and how often the copies do (per mille).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Ending {
    Approved,
    Rejected,
    Withdrawn,
    Returned,
    Pending,
    HalfApproved,
    /// Approved, and its automation failed for good (执行异常); a ticket
    /// without automations just ends approved.
    AutomationFailed,
}

/// How closed tickets end (per mille).
const CLOSED: [(Ending, u32); 4] =
    [(Ending::Approved, 870), (Ending::AutomationFailed, 10), (Ending::Rejected, 75), (Ending::Withdrawn, 45)];

/// How the tickets still open are left (per mille).
const OPEN: [(Ending, u32); 3] = [(Ending::Returned, 250), (Ending::Pending, 500), (Ending::HalfApproved, 250)];

/// Whether a ticket filed `age_days` ago is still open. People decide
/// within hours or days, so the open backlog is about a day and a half of
/// intake plus a thin tail of forgotten tickets: it follows how many
/// tickets arrive a day, not how long the history is.
fn still_open(age_days: f64, rng: &mut StdRng) -> bool {
    rng.random_bool(0.3 * (-age_days / 1.5).exp() + 0.002)
}

const TEMPLATES: [&str; 3] = ["leave", "expense", "it-access"];

fn form(template: &str, n: usize) -> serde_json::Value {
    let i = n % 3;
    match template {
        "leave" => {
            let (kind, days) = (["annual", "sick", "personal"][i], [1, 2, 5][i]);
            json!({ "leave_type": kind, "start_date": "2026-06-01", "days": days, "reason": "家事 family matters" })
        }
        "expense" => {
            let amount = ["320.50", "4200.00", "12800.00"][i];
            json!({ "amount": amount, "category": "travel", "spent_on": "2026-06-01", "description": "客户拜访 client visit" })
        }
        _ => {
            let system = ["gitlab", "vpn", "grafana"][i];
            json!({ "system": system, "level": "read", "justification": "新项目 new project" })
        }
    }
}

/// Generates the history and says how long it took.
pub async fn generate(store: &Store, config: Arc<Config>, options: VolumeOptions) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(options.seed);
    let catalog = Arc::new(Catalog::new(store.clone()));
    let workflow = Workflow::new(store.clone(), catalog.clone(), config);
    let staff = demo_staff(store).await?;
    anyhow::ensure!(!staff.is_empty(), "seed the demo organisation first (signoff seed --demo)");
    let models = model_tickets(store, &workflow, &staff).await?;
    println!("{} model tickets through the workflow in {:.1?}", models.len(), started.elapsed());
    let colleagues = colleagues(store, &staff, options.users).await?;

    let mut ids = store.next_ids().await?;
    let today = Utc::now().date_naive().and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let mut numbers: HashMap<(String, String), i64> = HashMap::new();
    // Ids follow time, as they do in a database that grew by itself: the
    // moments are drawn first and filed in order.
    let mut plan: Vec<(DateTime<Utc>, Ending)> = (0..options.tickets)
        .map(|_| {
            let age = rng.random_range(60..options.days.max(2) as i64 * 86_400);
            let open = still_open(age as f64 / 86_400.0, &mut rng);
            let ending = pick_ending(if open { &OPEN } else { &CLOSED }, &mut rng);
            (today - Duration::seconds(age), ending)
        })
        .collect();
    plan.sort_by_key(|(start, _)| *start);
    let (mut batch, mut written) = (Vec::with_capacity(BATCH), 0u64);
    for (start, ending) in plan {
        let model = loop {
            let template = TEMPLATES[rng.random_range(0..TEMPLATES.len())];
            let pair = &colleagues[rng.random_range(0..colleagues.len())];
            if let Some(model) = models.get(&(pair.0, template, ending)) {
                break (model, &pair.1);
            }
        };
        let (model, applicant) = model;
        let copy = retime(model, start, &mut rng, &mut ids);
        let copy = refile(copy, model.ticket.applicant_id, applicant, &mut numbers);
        batch.push(copy);
        written += 1;
        if batch.len() == BATCH {
            store.insert_stored_tickets(std::mem::take(&mut batch)).await?;
            if written % 50_000 == 0 {
                println!("{written} tickets in {:.0?}", started.elapsed());
            }
        }
    }
    if !batch.is_empty() {
        store.insert_stored_tickets(batch).await?;
    }
    let counters: Vec<(String, String, i64)> = numbers.into_iter().map(|((p, d), s)| (p, d, s)).collect();
    store.finish_bulk_load(&counters).await?;
    println!("{written} historical tickets in {:.1?}", started.elapsed());
    Ok(())
}

const BATCH: usize = 500;

fn pick_ending(endings: &[(Ending, u32)], rng: &mut StdRng) -> Ending {
    let total: u32 = endings.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for &(ending, weight) in endings {
        if roll < weight {
            return ending;
        }
        roll -= weight;
    }
    endings[0].0
}

/// A demo user who files tickets: staff with a department and a manager.
#[derive(Debug, Clone)]
struct Filer {
    id: i64,
    display_name: String,
    department_id: Option<i64>,
    manager_id: Option<i64>,
    password_hash: Option<String>,
}

async fn demo_staff(store: &Store) -> anyhow::Result<Vec<Filer>> {
    let ids = store.users_with_role("staff").await?;
    let mut filers = Vec::new();
    for user in store.users_by_ids(&ids).await? {
        if user.active
            && user.department_id.is_some()
            && user.manager_id.is_some()
            && !user.username.starts_with("vol.")
        {
            filers.push(Filer {
                id: user.id,
                display_name: user.display_name,
                department_id: user.department_id,
                manager_id: user.manager_id,
                password_hash: user.password_hash,
            });
        }
    }
    filers.sort_by_key(|f| f.id);
    Ok(filers)
}

async fn actor(store: &Store, user: i64) -> anyhow::Result<Actor> {
    let roles = store.role_codes_of(&[user]).await?.remove(&user).unwrap_or_default();
    Ok(Actor::new(user, &roles))
}

/// Every (filer, template, ending) once, through the real workflow.
async fn model_tickets(
    store: &Store,
    workflow: &Workflow,
    staff: &[Filer],
) -> anyhow::Result<HashMap<(i64, &'static str, Ending), StoredTicket>> {
    let bot = match store.users_with_role("bot").await?.first() {
        Some(id) => Some(actor(store, *id).await?),
        None => None,
    };
    let mut models = HashMap::new();
    for (n, filer) in staff.iter().enumerate() {
        let applicant = actor(store, filer.id).await?;
        for template in TEMPLATES {
            for &(ending, _) in CLOSED.iter().chain(&OPEN) {
                let input = SubmitTicketInput {
                    template_code: template.into(),
                    title: None,
                    form: form(template, n),
                    client_mutation_id: None,
                };
                let Ok(filed) = workflow.submit(&applicant, input).await else { continue };
                let id = filed.ticket.id;
                drive(store, workflow, &applicant, bot.as_ref(), id, ending).await?;
                if let Some(stored) = store.stored_ticket(id).await? {
                    models.insert((filer.id, template, ending), stored);
                }
            }
        }
    }
    Ok(models)
}

/// Takes a filed ticket to its ending as its approvers would. A step the
/// engine refuses (say, a chain that ends earlier than the ending needs)
/// leaves the ticket where the engine left it: still a real ticket.
async fn drive(
    store: &Store,
    workflow: &Workflow,
    applicant: &Actor,
    bot: Option<&Actor>,
    ticket: i64,
    ending: Ending,
) -> anyhow::Result<()> {
    let reason = || "不符合规定 not within policy".to_string();
    if ending == Ending::Withdrawn {
        let _ = workflow.withdraw(applicant, &ticket.to_string(), Some("计划有变 plans changed".into()), None).await;
        return Ok(());
    }
    for round in 0..10 {
        let pending: Vec<_> = store.ticket_items(ticket).await?.into_iter().filter(|i| i.status == "pending").collect();
        if pending.is_empty() || ending == Ending::Pending || (ending == Ending::HalfApproved && round == 1) {
            break;
        }
        for item in pending {
            let approver = actor(store, item.assignee_id).await?;
            let action = match (ending, item.kind.as_str()) {
                (Ending::Rejected, _) => ItemAction::Reject { reason: reason() },
                (Ending::Returned, _) => ItemAction::Return { reason: reason() },
                (_, "confirm") => ItemAction::Confirm,
                _ => ItemAction::Approve,
            };
            // An ANY step closes its other items: they are no longer pending.
            let _ = workflow.act_on_item(&approver, &item.id.to_string(), action, None, None).await;
            if matches!(ending, Ending::Rejected | Ending::Returned) {
                return Ok(());
            }
        }
    }
    // The ops bot runs the automations: it grants the access, or the
    // system it grants on is down for good.
    if let (Some(bot), Some(t)) = (bot, store.ticket(ticket).await?) {
        if t.status == "processing" && matches!(ending, Ending::Approved | Ending::AutomationFailed) {
            let kinds: Vec<String> = store.jobs_of(ticket).await?.into_iter().map(|j| j.kind).collect();
            for job in workflow.claim_jobs(bot, &kinds, 10, 60).await? {
                let id = job.job.id.to_string();
                if ending == Ending::AutomationFailed {
                    workflow.fail_job(bot, &id, None, "目标系统无响应 the system did not answer", false).await?;
                } else {
                    workflow.complete_job(bot, &id, None, Some(json!({ "granted": true }))).await?;
                }
            }
        }
    }
    Ok(())
}

/// Colleagues of each demo filer: (model filer, applicant) pairs, the demo
/// filers themselves included.
async fn colleagues(store: &Store, staff: &[Filer], extra: u32) -> anyhow::Result<Vec<(i64, Filer)>> {
    let mut pairs: Vec<(i64, Filer)> = staff.iter().map(|f| (f.id, f.clone())).collect();
    let staff_role = store.roles_by_codes(&["staff".to_string()]).await?;
    for n in 0..extra {
        let model = &staff[n as usize % staff.len()];
        let username = format!("vol.{n:05}");
        let user = match store.user_by_username(&username).await? {
            Some(user) => user,
            None => {
                let new = NewUser {
                    username,
                    display_name: colleague_name(n),
                    email: None,
                    phone: None,
                    wecom_user_id: None,
                    department_id: model.department_id,
                    manager_id: model.manager_id,
                    password_hash: model.password_hash.clone(),
                };
                let user = store.insert_user(new).await?;
                store.set_user_roles(user.id, &staff_role.iter().map(|r| r.id).collect::<Vec<_>>()).await?;
                user
            }
        };
        let filer = Filer { id: user.id, display_name: user.display_name, ..model.clone() };
        pairs.push((model.id, filer));
    }
    Ok(pairs)
}

/// Common surnames and given names, with their pinyin.
const SURNAMES: [(&str, &str); 24] = [
    ("王", "Wang"),
    ("李", "Li"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("黄", "Huang"),
    ("赵", "Zhao"),
    ("吴", "Wu"),
    ("周", "Zhou"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("马", "Ma"),
    ("朱", "Zhu"),
    ("胡", "Hu"),
    ("郭", "Guo"),
    ("何", "He"),
    ("林", "Lin"),
    ("高", "Gao"),
    ("罗", "Luo"),
    ("郑", "Zheng"),
    ("梁", "Liang"),
    ("谢", "Xie"),
    ("宋", "Song"),
];
const GIVEN: [(&str, &str); 32] = [
    ("伟", "Wei"),
    ("芳", "Fang"),
    ("娜", "Na"),
    ("敏", "Min"),
    ("静", "Jing"),
    ("丽", "Li"),
    ("强", "Qiang"),
    ("磊", "Lei"),
    ("洋", "Yang"),
    ("艳", "Yan"),
    ("勇", "Yong"),
    ("军", "Jun"),
    ("杰", "Jie"),
    ("娟", "Juan"),
    ("涛", "Tao"),
    ("明", "Ming"),
    ("超", "Chao"),
    ("秀英", "Xiuying"),
    ("霞", "Xia"),
    ("平", "Ping"),
    ("刚", "Gang"),
    ("桂英", "Guiying"),
    ("子涵", "Zihan"),
    ("浩然", "Haoran"),
    ("雨桐", "Yutong"),
    ("欣怡", "Xinyi"),
    ("梓轩", "Zixuan"),
    ("思远", "Siyuan"),
    ("佳琪", "Jiaqi"),
    ("宇航", "Yuhang"),
    ("晓东", "Xiaodong"),
    ("文博", "Wenbo"),
];

/// The `n`th generated colleague's name, "林平 Lin Ping": names as varied
/// as a company's (several people share the common ones), so that what
/// ticket titles have in common is what real ones have, not a shared
/// numbering pattern.
fn colleague_name(n: u32) -> String {
    let n = n as usize;
    let (family, family_pinyin) = SURNAMES[n % SURNAMES.len()];
    let (given, given_pinyin) = GIVEN[(n / SURNAMES.len() + n * 5) % GIVEN.len()];
    format!("{family}{given} {family_pinyin} {given_pinyin}")
}

/// A copy of `model` under fresh ids, its actions spread out from `start`
/// with waits people take (exponential, about four hours on average, at
/// most four days), keeping their order and what happened within one action.
fn retime(model: &StoredTicket, start: DateTime<Utc>, rng: &mut StdRng, ids: &mut NextIds) -> StoredTicket {
    let mut events = model.events.clone();
    events.sort_by_key(|e| e.id);
    let actions: Vec<DateTime<Utc>> = events.iter().map(|e| e.created_at).collect();
    let mut offsets = vec![Duration::zero()];
    for _ in 1..actions.len().max(1) {
        // One wait in twenty is someone away for a day or three: SLAs breach.
        let hours = if rng.random_bool(0.05) {
            rng.random_range(20.0..80.0)
        } else {
            (-rng.random_range(f64::EPSILON..1.0f64).ln() * 4.0).min(96.0)
        };
        let last = *offsets.last().expect("one offset");
        offsets.push(last + Duration::seconds((hours * 3600.0) as i64 + 30));
    }
    // Nothing may end up in the future: a late start's waits shrink.
    let room = (Utc::now() - Duration::minutes(1) - start).num_seconds().max(1);
    let total = offsets.last().expect("one offset").num_seconds().max(1);
    if total > room {
        for offset in &mut offsets {
            *offset = Duration::seconds(offset.num_seconds() * room / total);
        }
    }
    let origin = actions.first().copied().unwrap_or(model.ticket.created_at);
    let map = |at: DateTime<Utc>| -> DateTime<Utc> {
        // The action a moment belongs to: the first event written at or
        // after it (an action stamps its rows, then writes its event).
        let k = actions.iter().position(|a| at <= *a).unwrap_or(actions.len().saturating_sub(1));
        let base = actions.get(k).copied().unwrap_or(origin);
        start + offsets[k.min(offsets.len() - 1)] + (at - base)
    };
    let mut copy = model.clone();
    let ticket_id = ids.ticket;
    ids.ticket += 1;
    copy.ticket.id = ticket_id;
    copy.ticket.created_at = map(model.ticket.created_at);
    copy.ticket.updated_at = map(model.ticket.updated_at);
    copy.ticket.done_at = model.ticket.done_at.map(map);
    copy.ticket.last_urged_at = model.ticket.last_urged_at.map(map);
    for item in &mut copy.items {
        item.id = ids.item;
        ids.item += 1;
        item.ticket_id = ticket_id;
        let created = map(item.created_at);
        item.due_at = item.due_at.map(|due| created + (due - item.created_at));
        item.decided_at = item.decided_at.map(map);
        item.created_at = created;
    }
    copy.events = events
        .into_iter()
        .map(|e| {
            let id = ids.event;
            ids.event += 1;
            TicketEvent { id, ticket_id, created_at: map(e.created_at), ..e }
        })
        .collect();
    for job in &mut copy.jobs {
        job.id = ids.job;
        ids.job += 1;
        job.ticket_id = ticket_id;
        job.created_at = map(job.created_at);
        job.updated_at = map(job.updated_at);
        job.available_at = map(job.available_at);
        job.started_at = job.started_at.map(map);
        job.finished_at = job.finished_at.map(map);
    }
    rate(&mut copy, rng, ids);
    copy
}

/// Four in ten applicants of an approved ticket rate it, soon after, mostly well.
fn rate(copy: &mut StoredTicket, rng: &mut StdRng, ids: &mut NextIds) {
    let t = &copy.ticket;
    let (Some(done), Some("approved")) = (t.done_at, t.result.as_deref()) else { return };
    if !rng.random_bool(0.4) {
        return;
    }
    let at = (done + Duration::minutes(rng.random_range(5..48 * 60))).min(Utc::now() - Duration::seconds(1));
    let roll = rng.random_range(0..100);
    let score = [(45, 5), (75, 4), (90, 3), (96, 2), (100, 1)].iter().find(|(p, _)| roll < *p).map_or(5, |(_, s)| *s);
    copy.events.push(TicketEvent {
        id: ids.event,
        ticket_id: t.id,
        kind: "rated".into(),
        actor_id: Some(t.applicant_id),
        on_behalf_of: None,
        status_before: Some("done".into()),
        status_after: "done".into(),
        payload: json!({ "score": score, "comment": null }).to_string(),
        created_at: at.max(done),
    });
    ids.event += 1;
}

/// The copy as filed by `applicant` (a colleague of the model's filer) on
/// the day it now starts, with that day's next number.
fn refile(
    mut copy: StoredTicket,
    model_user: i64,
    applicant: &Filer,
    numbers: &mut HashMap<(String, String), i64>,
) -> StoredTicket {
    let t = &mut copy.ticket;
    let prefix = t.template_code.to_uppercase();
    let day = t.created_at.format("%Y%m%d").to_string();
    let seq = numbers.entry((prefix.clone(), day.clone())).or_insert(0);
    *seq += 1;
    t.number = format!("{prefix}-{day}-{:04}", *seq);
    if applicant.id != model_user {
        if let Some((name, _)) = t.title.rsplit_once(" - ") {
            t.title = format!("{name} - {}", applicant.display_name);
        }
        t.applicant_id = applicant.id;
        if let Ok(mut state) = serde_json::from_str::<serde_json::Value>(&t.state) {
            if state["applicant"] == json!(model_user) {
                state["applicant"] = json!(applicant.id);
                t.state = state.to_string();
            }
        }
        for event in &mut copy.events {
            if event.actor_id == Some(model_user) {
                event.actor_id = Some(applicant.id);
            }
        }
    }
    copy
}
