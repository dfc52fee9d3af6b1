//! The planner: reads committed ticket events from the outbox after its
//! cursor, asks the domain who is told what ([`notices`]), picks each
//! person's channel, renders the message and records the deliveries and
//! the new cursor in one transaction. One node plans at a time (a lease);
//! the deliveries' unique key makes a second planning of an event — a
//! lease handed over mid-batch, a restart — add nothing.
//!
//! [`notices`]: crate::domain::events::notices

use std::collections::HashMap;

use chrono::Utc;

use super::{
    links::LinkSigner,
    live::Channels,
    render::{self, Facts, Lang},
    sender::Outgoing,
    wecom,
};
use crate::{
    config::Config,
    domain::events::{Hearer, NoticeKind, Role, TicketEventMessage, notices},
    error::Result,
    store::{
        Store,
        deliveries::NewDelivery,
        notify_settings::{NotificationSetting, Robot},
        tickets::{Ticket, TicketItem},
        users::User,
    },
};

pub const CURSOR: &str = "notifier";
const BATCH: u64 = 256;

/// Events a group robot posts: new tickets, finished ones, SLA alarms.
fn robot_kind(message: &TicketEventMessage) -> Option<&'static str> {
    match message.kind.as_str() {
        "submitted" | "resubmitted" => Some("submitted"),
        "sla_alarm" => Some("sla_alarm"),
        "job_failed" => Some("job_failed"),
        _ if message.status == crate::domain::workflow::TicketStatus::Done => Some("outcome"),
        _ => None,
    }
}

/// What one batch needs to know, loaded in a few statements.
struct Batch {
    tickets: HashMap<i64, Ticket>,
    items: HashMap<(i64, i32), TicketItem>,
    users: HashMap<i64, User>,
    settings: HashMap<i64, NotificationSetting>,
    robots: Vec<Robot>,
    cards: HashMap<i64, Vec<crate::store::deliveries::Delivery>>,
}

pub struct Planner {
    pub store: Store,
    pub config: std::sync::Arc<Config>,
    pub channels: std::sync::Arc<Channels>,
    pub signer: LinkSigner,
}

impl Planner {
    /// Plans the next batch; returns how many events it covered.
    pub async fn plan_batch(&self) -> Result<usize> {
        let from = self.store.notify_cursor(CURSOR).await?;
        let rows = self.store.outbox_after(from, BATCH).await?;
        let Some(last) = rows.last() else { return Ok(0) };
        let to = last.id;
        let messages: Vec<(i64, TicketEventMessage)> =
            rows.iter().filter_map(|r| serde_json::from_str(&r.payload).ok().map(|m| (r.id, m))).collect();
        let batch = self.load(&messages).await?;
        let mut out = Vec::new();
        for (_, message) in &messages {
            self.plan_event(message, &batch, &mut out);
        }
        self.store.plan_deliveries(CURSOR, from, to, out).await?;
        Ok(rows.len())
    }

    async fn load(&self, messages: &[(i64, TicketEventMessage)]) -> Result<Batch> {
        let mut ticket_ids: Vec<i64> = messages.iter().map(|(_, m)| m.ticket_id).collect();
        ticket_ids.sort_unstable();
        ticket_ids.dedup();
        let tickets: HashMap<i64, Ticket> =
            self.store.tickets_by_ids(&ticket_ids).await?.into_iter().map(|t| (t.id, t)).collect();
        let items: HashMap<(i64, i32), TicketItem> =
            self.store.items_of_tickets(&ticket_ids).await?.into_iter().map(|i| ((i.ticket_id, i.seq), i)).collect();
        let mut user_ids: Vec<i64> = messages
            .iter()
            .flat_map(|(_, m)| m.hearers.iter().map(|h| h.user).chain(m.actor_id))
            .chain(tickets.values().map(|t| t.applicant_id))
            .collect();
        user_ids.sort_unstable();
        user_ids.dedup();
        let users = self.store.users_by_ids(&user_ids).await?.into_iter().map(|u| (u.id, u)).collect();
        let settings = self.store.notification_settings(&user_ids).await?.into_iter().map(|s| (s.user_id, s)).collect();
        let robots = self.store.robots().await?.into_iter().filter(|r| r.active).collect();
        // Cards to update: items that this batch decided or cancelled.
        let changed: Vec<i64> = messages
            .iter()
            .flat_map(|(_, m)| {
                m.hearers.iter().filter_map(|h| match h.role {
                    Role::Changed(i) => items.get(&(m.ticket_id, i as i32)).map(|it| it.id),
                    _ => None,
                })
            })
            .collect();
        let mut cards: HashMap<i64, Vec<_>> = HashMap::new();
        if self.channels.current().values.wecom_app() && !changed.is_empty() {
            for card in self.store.cards_of_items(&changed).await? {
                if has_buttons(&card.message) {
                    cards.entry(card.item_id.unwrap_or_default()).or_default().push(card);
                }
            }
        }
        Ok(Batch { tickets, items, users, settings, robots, cards })
    }

    fn lang(&self, batch: &Batch, user: i64) -> Lang {
        batch.settings.get(&user).and_then(|s| Lang::parse(&s.language)).unwrap_or(Lang::Zh)
    }

    /// The channel a person hears `kind` on: their WeCom application when
    /// they have a WeCom id and it is configured, else mail when they have
    /// an address and SMTP is configured; whatever they muted is skipped.
    fn channel(&self, batch: &Batch, user: &User, kind: &str) -> Option<&'static str> {
        let muted: Vec<String> =
            batch.settings.get(&user.id).and_then(|s| serde_json::from_str(&s.muted).ok()).unwrap_or_default();
        let off = |channel: &str| {
            muted
                .iter()
                .any(|m| m == &format!("{channel}:{kind}") || m == &format!("{channel}:*") || m == &format!("*:{kind}"))
        };
        let live = self.channels.current();
        if live.values.wecom_app() && user.wecom_user_id.is_some() && !off("wecom_app") {
            Some("wecom_app")
        } else if live.mailer.is_some() && user.email.is_some() && !off("email") {
            Some("email")
        } else {
            None
        }
    }

    fn facts(&self, m: &TicketEventMessage, ticket: &Ticket, item: Option<&TicketItem>, batch: &Batch) -> Facts {
        let name = |id: i64| batch.users.get(&id).map(|u| u.display_name.clone()).unwrap_or_else(|| format!("#{id}"));
        let comment = m.payload.get("body").or_else(|| m.payload.get("comment")).or_else(|| m.payload.get("reason"));
        let base = self.config.notify.public_url.trim_end_matches('/');
        Facts {
            number: ticket.number.clone(),
            title: ticket.title.clone(),
            applicant: name(ticket.applicant_id),
            step: item.map(|i| i.step_name.clone()),
            due: item.and_then(|i| i.due_at).map(render::china_time),
            actor: m.actor_id.map(name),
            event: m.kind.clone(),
            done: m.status == crate::domain::workflow::TicketStatus::Done,
            comment: comment.and_then(|c| c.as_str()).filter(|c| !c.is_empty()).map(str::to_string),
            ticket_url: format!("{base}/tickets/{}", ticket.id),
            mobile_url: None,
        }
    }

    fn plan_event(&self, m: &TicketEventMessage, batch: &Batch, out: &mut Vec<NewDelivery>) {
        let Some(ticket) = batch.tickets.get(&m.ticket_id) else { return };
        let now = Utc::now();
        let delivery =
            |recipient: i64, channel: &'static str, kind: &str, item: Option<i64>, message: Outgoing| NewDelivery {
                event_id: m.event_id,
                ticket_id: m.ticket_id,
                item_id: item,
                recipient_id: recipient,
                channel,
                kind: kind.into(),
                message: serde_json::to_string(&message).expect("messages serialise"),
                event_at: m.at,
                not_before: now,
            };
        for notice in notices(&m.kind, m.actor_id, &m.hearers) {
            let Some(user) = batch.users.get(&notice.user).filter(|u| u.active) else { continue };
            let kind = notice.kind.as_str();
            let Some(channel) = self.channel(batch, user, kind) else { continue };
            let item = notice.item.and_then(|i| batch.items.get(&(m.ticket_id, i as i32)));
            // Whoever is asked to act gets a link that lets them; asked to
            // act on an item decided since (before this was planned), they
            // are told nothing: the decision's own notices follow.
            let actionable = !matches!(
                notice.kind,
                NoticeKind::Outcome | NoticeKind::Commented | NoticeKind::SlaAlarm | NoticeKind::JobFailed
            );
            if actionable && item.is_some_and(|i| i.status != "pending") {
                continue;
            }
            let mut facts = self.facts(m, ticket, item, batch);
            let pending = item.filter(|i| i.status == "pending" && actionable);
            if let Some(i) = pending {
                let expires = now + chrono::Duration::seconds(self.config.notify.mobile_link_ttl_secs as i64);
                let token = self.signer.sign(i.id, user.id, expires);
                let base = self.config.notify.public_url.trim_end_matches('/');
                facts.mobile_url = Some(format!("{base}/approve/{token}"));
            }
            let text = render::message(kind, self.lang(batch, user.id), &facts);
            let message = match channel {
                "wecom_app" => {
                    let touser = user.wecom_user_id.clone().unwrap_or_default();
                    let url = facts.mobile_url.clone().unwrap_or_else(|| facts.ticket_url.clone());
                    let card = match pending {
                        Some(i) => wecom::button_card(
                            &format!("so-{}-{}-{}", m.event_id, i.id, user.id),
                            &text.headline,
                            &[(text.detail.clone(), format!("{} {}", ticket.number, ticket.title))],
                            &url,
                            [(&text.approve, format!("approve:{}", i.id)), (&text.reject, format!("reject:{}", i.id))],
                        ),
                        None => wecom::notice_card(&text.headline, &facts.title, &url),
                    };
                    Outgoing::Card { touser, card }
                }
                _ => Outgoing::Email {
                    to: user.email.clone().unwrap_or_default(),
                    subject: text.headline,
                    text: text.text,
                    html: text.html,
                },
            };
            out.push(delivery(user.id, channel, kind, item.map(|i| i.id), message));
        }
        if let Some(kind) = robot_kind(m) {
            let facts = self.facts(m, ticket, None, batch);
            for robot in batch.robots.iter().filter(|r| robot_covers(r, ticket)) {
                let text = render::message(kind, Lang::Zh, &facts);
                out.push(delivery(robot.id, "wecom_robot", kind, None, Outgoing::Robot { markdown: text.markdown }));
            }
        }
        self.plan_card_updates(m, batch, &delivery, out);
    }

    /// Cards of items this event decided or cancelled show the result: one
    /// update per item and recipient with a card about it, recorded before
    /// or planned in this batch (its response code is looked up when the
    /// update is sent, as the card may still be on its way).
    fn plan_card_updates(
        &self,
        m: &TicketEventMessage,
        batch: &Batch,
        delivery: &dyn Fn(i64, &'static str, &str, Option<i64>, Outgoing) -> NewDelivery,
        out: &mut Vec<NewDelivery>,
    ) {
        let changed: Vec<&TicketItem> = m
            .hearers
            .iter()
            .filter_map(|h: &Hearer| match h.role {
                Role::Changed(i) => batch.items.get(&(m.ticket_id, i as i32)),
                _ => None,
            })
            .collect();
        let mut updates = std::collections::BTreeSet::new();
        for item in changed {
            let recorded = batch.cards.get(&item.id).into_iter().flatten().map(|c| c.recipient_id);
            let planned = out
                .iter()
                .filter(|d| d.item_id == Some(item.id) && d.channel == "wecom_app" && d.kind != "card_update")
                .filter(|d| has_buttons(&d.message))
                .map(|d| d.recipient_id);
            for recipient in recorded.chain(planned).collect::<Vec<_>>() {
                updates.insert((item.id, recipient, item.status.clone()));
            }
        }
        for (item, recipient, status) in updates {
            let Some(user) = batch.users.get(&recipient) else { continue };
            let Some(wecom_id) = user.wecom_user_id.clone() else { continue };
            let message = Outgoing::CardUpdate {
                userids: vec![wecom_id],
                response_code: None,
                replace_name: result_label(self.lang(batch, user.id), &status).into(),
            };
            out.push(delivery(user.id, "wecom_app", "card_update", Some(item), message));
        }
    }
}

/// Whether a card delivery's message is a card with buttons to replace.
fn has_buttons(message: &str) -> bool {
    match serde_json::from_str::<Outgoing>(message) {
        Ok(Outgoing::Card { card, .. }) => card.get("card_type").and_then(|t| t.as_str()) == Some("button_interaction"),
        _ => false,
    }
}

/// A robot hears about tickets of its template and department (unset: all).
fn robot_covers(robot: &Robot, ticket: &Ticket) -> bool {
    robot.template_code.as_ref().is_none_or(|t| t == &ticket.template_code)
        && robot.department_id.is_none_or(|d| Some(d) == ticket.department_id)
}

/// What a decided card's buttons are replaced with.
fn result_label(lang: Lang, status: &str) -> &'static str {
    match (lang, status) {
        (Lang::Zh, "approved") => "已同意",
        (Lang::Zh, "confirmed") => "已确认",
        (Lang::Zh, "returned") => "已退回",
        (Lang::Zh, "rejected") => "已拒绝",
        (Lang::Zh, _) => "已处理",
        (Lang::En, "approved") => "Approved",
        (Lang::En, "confirmed") => "Confirmed",
        (Lang::En, "returned") => "Returned",
        (Lang::En, "rejected") => "Rejected",
        (Lang::En, _) => "Closed",
    }
}
