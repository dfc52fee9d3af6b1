//! GraphQL subscriptions (graphql-transport-ws at `/graphql/ws`), served
//! from the hub like WebSocket clients: `ticketEvents(ticketId)` follows one
//! ticket, `myEvents` the viewer's tickets and inbox. Both resume from
//! `lastEventId` like `/ws/connect`: missed events first, then live ones,
//! no duplicates; `reset` when the point is past the retention window.
//! Each holds a slot of [`SubscriptionLimits`] (`too_many_subscriptions`).

use std::sync::Arc;

use async_graphql::{Context, ID, Json, SimpleObject, Subscription};
use futures::{Stream, StreamExt, stream};
use serde_json::{Value, json};

use super::{
    Realtime, SIGNOFF_PID,
    bus::{BusError, BusId, Cursor, cursor},
    hub::{Conn, Delivery},
    sub_limits::{ConnectionSlots, Slot, SubscriptionLimits},
};
use crate::{
    error::{Error, Result},
    graphql::context::actor,
    service::{input::parse_id, tickets::Workflow},
};

/// One realtime event: `id` is the resume point, `data` what happened
/// (`{"type":"ticket_event", "ticket_id", "kind", "status", …}`), or
/// `{"type":"reset","reason":…}` when missed events can no longer be
/// replayed (`expired`, `stream_lost`, `unavailable`).
#[derive(SimpleObject, Clone)]
pub struct RealtimeEvent {
    pub id: String,
    pub data: Json<Value>,
}

/// Unregisters the subscription's client and frees its slot when the
/// stream is dropped.
struct Registration {
    rt: Arc<Realtime>,
    conn: Arc<Conn>,
    _slot: Slot,
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.rt.hub.unregister(&self.conn);
    }
}

fn reset(at: BusId, epoch: &str, reason: &str) -> RealtimeEvent {
    RealtimeEvent { id: cursor(at, epoch), data: Json(json!({ "type": "reset", "reason": reason })) }
}

async fn backlog(rt: &Realtime, conn: &Conn, from: Cursor) -> (Vec<RealtimeEvent>, BusId) {
    let epoch = match rt.resume_epoch(&from).await {
        Ok(epoch) => epoch,
        Err(reason) => return (vec![reset(from.id, &rt.hub.epoch(), reason)], from.id),
    };
    let (mut out, mut cursor_at) = (Vec::new(), from.id);
    let mut seen = std::collections::HashSet::new();
    loop {
        match rt.bus.range(cursor_at, 1000).await {
            Ok(batch) if batch.is_empty() => return (out, cursor_at),
            Ok(batch) => {
                for entry in batch {
                    cursor_at = entry.id;
                    if rt.hub.wants(conn, &entry.envelope) && !super::hub::repeated(&mut seen, &entry.envelope) {
                        let id = cursor(entry.id, &epoch);
                        out.push(RealtimeEvent { id, data: Json(entry.envelope.data.value()) });
                    }
                }
            }
            Err(e) => {
                let reason = if matches!(e, BusError::Expired) { "expired" } else { "unavailable" };
                out.push(reset(cursor_at, &epoch, reason));
                return (out, cursor_at);
            }
        }
    }
}

/// The events of one hub client as a stream, after the backlog.
async fn follow(
    slot: Slot,
    rt: Arc<Realtime>,
    uid: Option<String>,
    tags: Vec<String>,
    last_event_id: Option<String>,
) -> Result<impl Stream<Item = RealtimeEvent>> {
    let from = last_event_id
        .map(|raw| {
            raw.parse::<Cursor>().map_err(|_| Error::invalid_field("invalid_cursor", "lastEventId", "not an event id"))
        })
        .transpose()?;
    let (conn, queue) = rt.hub.register(SIGNOFF_PID, uid, rt.config.ws_queue);
    if !tags.is_empty() {
        let _ = rt.hub.subscribe(&conn, &tags);
    }
    let (missed, last) = match from {
        Some(from) => backlog(&rt, &conn, from).await,
        None => (Vec::new(), BusId::default()),
    };
    let guard = Registration { rt, conn, _slot: slot };
    let live = stream::unfold((queue, last, guard), |(mut queue, mut last, guard)| async move {
        loop {
            let delivery: Delivery = tokio::select! {
                d = queue.recv() => d?,
                _ = guard.conn.closed.cancelled() => return None,
            };
            if delivery.id <= last {
                continue;
            }
            last = delivery.id;
            let event =
                RealtimeEvent { id: cursor(delivery.id, &delivery.epoch), data: Json(delivery.data.data.value()) };
            return Some((event, (queue, last, guard)));
        }
    });
    Ok(stream::iter(missed).chain(live))
}

fn realtime<'a>(ctx: &'a Context<'_>) -> &'a Arc<Realtime> {
    ctx.data_unchecked::<Arc<Realtime>>()
}

/// A slot for a new subscription of `user` on this connection. Outside a
/// graphql-ws connection (a test executing the schema) each call counts as
/// a connection of its own.
fn slot(ctx: &Context<'_>, user: i64) -> Result<Slot> {
    let limits = ctx.data_unchecked::<Arc<SubscriptionLimits>>();
    let connection = ctx.data_opt::<Arc<ConnectionSlots>>().cloned().unwrap_or_default();
    limits.acquire(&connection, user)
}

#[derive(Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// Every event of one ticket the viewer may see.
    async fn ticket_events(
        &self,
        ctx: &Context<'_>,
        ticket_id: ID,
        last_event_id: Option<String>,
    ) -> Result<impl Stream<Item = RealtimeEvent>> {
        let actor = actor(ctx)?;
        let ticket =
            ctx.data_unchecked::<Arc<Workflow>>().visible_ticket(actor, parse_id("ticketId", &ticket_id)?).await?;
        let slot = slot(ctx, actor.user_id)?;
        follow(slot, realtime(ctx).clone(), None, vec![format!("ticket:{}", ticket.id)], last_event_id).await
    }

    /// Events of the viewer's tickets and of tickets waiting for them.
    async fn my_events(
        &self,
        ctx: &Context<'_>,
        last_event_id: Option<String>,
    ) -> Result<impl Stream<Item = RealtimeEvent>> {
        let actor = actor(ctx)?;
        let slot = slot(ctx, actor.user_id)?;
        follow(slot, realtime(ctx).clone(), Some(actor.user_id.to_string()), Vec::new(), last_event_id).await
    }
}
