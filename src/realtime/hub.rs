//! The connections of this node and who gets what. Every node holds its own
//! clients (WebSocket connections and GraphQL subscriptions) indexed by
//! user, client id and tag; a bus message is matched against the indexes,
//! serialized once, and offered to each matching client's bounded queue. A
//! full queue means a slow client: it is disconnected, never waited for.
//!
//! Locks, and their one order: the registry (`RwLock`) owns every index,
//! the tags of each client included, so routing reads one lock and
//! subscribing writes one lock; nothing waits for a second lock while
//! holding it. The only nesting is registry → a client's close reason
//! (`close_all`), and the reason mutex is a leaf: nothing is taken while it
//! is held. The recently-seen event set and the epoch have locks of their
//! own, never held together with the registry or each other. Std locks, because nothing awaits under them.

use std::{
    collections::{HashMap, HashSet, VecDeque},
    sync::{
        Arc, Mutex, RwLock,
        atomic::{AtomicU64, Ordering},
    },
};

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::bus::{BusEntry, BusId, Envelope, Route};

pub type ConnId = u64;

/// Most tags one client may subscribe to.
pub const MAX_TAGS: usize = 64;

/// One frame ready to write, shared by every client it goes to.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub id: BusId,
    /// The stream's epoch, for the client's resume cursor.
    pub epoch: Arc<str>,
    pub frame: Arc<str>,
    pub data: Arc<Envelope>,
    pub committed_ms: u64,
}

/// How a client proved who it is; what ends its right to stay connected.
#[derive(Debug)]
pub enum ConnAuth {
    /// Signed with its project's secret: ends when the project changes.
    Signed,
    /// A Signoff user's access token: ends with the user's access, the
    /// session, or the token's expiry (unless a fresh token extends it).
    Token { user_id: i64, session: Option<String>, expires_at: std::sync::atomic::AtomicI64 },
    /// Signoff's own (a GraphQL subscription follows its connection).
    Internal,
}

/// A client of this node.
pub struct Conn {
    pub id: ConnId,
    /// The client id handed to the client (`cids` in pushes).
    pub cid: String,
    pub pid: String,
    /// None for subscriptions that follow tags only.
    pub uid: Option<String>,
    pub auth: ConnAuth,
    tx: mpsc::Sender<Delivery>,
    /// Cancelled to disconnect the client (slow, shutting down).
    pub closed: CancellationToken,
    reason: Mutex<Option<&'static str>>,
}

impl Conn {
    /// Disconnects the client, saying why.
    pub fn kill(&self, reason: &'static str) {
        self.reason.lock().expect("conn reason poisoned").get_or_insert(reason);
        self.closed.cancel();
    }

    pub fn close_reason(&self) -> Option<&'static str> {
        *self.reason.lock().expect("conn reason poisoned")
    }

    /// Whether a message is for this client, given the tags it follows.
    fn wants(&self, envelope: &Envelope, tags: &HashSet<String>) -> bool {
        if envelope.pid != self.pid {
            return false;
        }
        let uid_in = |uids: &[String]| self.uid.as_ref().is_some_and(|u| uids.contains(u));
        let tag_in = |wanted: &[String]| wanted.iter().any(|t| tags.contains(t));
        match &envelope.route {
            Route::Union { uids, tags: wanted } => uid_in(uids) || tag_in(wanted),
            Route::Intersect { uids, cids, tags: wanted } => {
                (uids.is_empty() || uid_in(uids))
                    && (cids.is_empty() || cids.contains(&self.cid))
                    && (wanted.is_empty() || tag_in(wanted))
                    && !(uids.is_empty() && cids.is_empty() && wanted.is_empty())
            }
        }
    }
}

#[derive(Default)]
struct Registry {
    conns: HashMap<ConnId, Arc<Conn>>,
    by_user: HashMap<(String, String), HashSet<ConnId>>,
    by_cid: HashMap<String, ConnId>,
    by_tag: HashMap<(String, String), HashSet<ConnId>>,
    /// The tags each client follows (absent: none).
    tags: HashMap<ConnId, HashSet<String>>,
}

static NO_TAGS: std::sync::LazyLock<HashSet<String>> = std::sync::LazyLock::new(HashSet::new);

/// Ticket event ids recently delivered, to drop a relay's second copy.
struct Seen {
    set: HashSet<i64>,
    order: VecDeque<i64>,
}

const SEEN_CAPACITY: usize = 65_536;

/// This node's clients.
pub struct Hub {
    pub node: String,
    registry: RwLock<Registry>,
    next: AtomicU64,
    seen: Mutex<Seen>,
    /// The bus epoch cursors are given under (set by the bus reader).
    epoch: RwLock<Arc<str>>,
}

impl Hub {
    pub fn new(node: String) -> Self {
        Self {
            node,
            registry: RwLock::default(),
            next: AtomicU64::new(1),
            seen: Mutex::new(Seen { set: HashSet::new(), order: VecDeque::new() }),
            epoch: RwLock::new(Arc::from("")),
        }
    }

    /// Adds a client of Signoff's own with a queue of `capacity` frames.
    pub fn register(&self, pid: &str, uid: Option<String>, capacity: usize) -> (Arc<Conn>, mpsc::Receiver<Delivery>) {
        self.register_as(pid, uid, capacity, ConnAuth::Internal)
    }

    /// Adds a client that authenticated as `auth`.
    pub fn register_as(
        &self,
        pid: &str,
        uid: Option<String>,
        capacity: usize,
        auth: ConnAuth,
    ) -> (Arc<Conn>, mpsc::Receiver<Delivery>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(capacity);
        let conn = Arc::new(Conn {
            id,
            cid: format!("{}-{id}", self.node),
            pid: pid.to_string(),
            uid,
            auth,
            tx,
            closed: CancellationToken::new(),
            reason: Mutex::default(),
        });
        let mut reg = self.registry.write().expect("hub registry poisoned");
        if let Some(uid) = &conn.uid {
            reg.by_user.entry((conn.pid.clone(), uid.clone())).or_default().insert(id);
        }
        reg.by_cid.insert(conn.cid.clone(), id);
        reg.conns.insert(id, conn.clone());
        metrics::gauge!("ws_connection").set(reg.conns.len() as f64);
        (conn, rx)
    }

    pub fn unregister(&self, conn: &Conn) {
        let mut reg = self.registry.write().expect("hub registry poisoned");
        if reg.conns.remove(&conn.id).is_none() {
            return;
        }
        reg.by_cid.remove(&conn.cid);
        if let Some(uid) = &conn.uid {
            let key = (conn.pid.clone(), uid.clone());
            if let Some(set) = reg.by_user.get_mut(&key) {
                set.remove(&conn.id);
                if set.is_empty() {
                    reg.by_user.remove(&key);
                }
            }
        }
        for tag in reg.tags.remove(&conn.id).unwrap_or_default() {
            let key = (conn.pid.clone(), tag);
            if let Some(set) = reg.by_tag.get_mut(&key) {
                set.remove(&conn.id);
                if set.is_empty() {
                    reg.by_tag.remove(&key);
                }
            }
        }
        metrics::gauge!("ws_connection").set(reg.conns.len() as f64);
    }

    /// Adds tags; `Err` with the limit when the client would pass it.
    pub fn subscribe(&self, conn: &Conn, tags: &[String]) -> Result<(), usize> {
        let mut reg = self.registry.write().expect("hub registry poisoned");
        let Registry { tags: tags_of, by_tag, conns, .. } = &mut *reg;
        if !conns.contains_key(&conn.id) {
            return Ok(());
        }
        let own = tags_of.entry(conn.id).or_default();
        let new: HashSet<&String> = tags.iter().filter(|t| !own.contains(*t)).collect();
        if own.len() + new.len() > MAX_TAGS {
            return Err(MAX_TAGS);
        }
        for tag in new {
            own.insert(tag.clone());
            by_tag.entry((conn.pid.clone(), tag.clone())).or_default().insert(conn.id);
        }
        Ok(())
    }

    pub fn unsubscribe(&self, conn: &Conn, tags: &[String]) {
        let mut reg = self.registry.write().expect("hub registry poisoned");
        let Registry { tags: tags_of, by_tag, .. } = &mut *reg;
        let Some(own) = tags_of.get_mut(&conn.id) else { return };
        for tag in tags {
            if own.remove(tag) {
                let key = (conn.pid.clone(), tag.clone());
                if let Some(set) = by_tag.get_mut(&key) {
                    set.remove(&conn.id);
                    if set.is_empty() {
                        by_tag.remove(&key);
                    }
                }
            }
        }
        if own.is_empty() {
            tags_of.remove(&conn.id);
        }
    }

    /// The tags a client follows, sorted.
    pub fn tags(&self, conn: &Conn) -> Vec<String> {
        let reg = self.registry.read().expect("hub registry poisoned");
        let mut tags: Vec<String> = reg.tags.get(&conn.id).map(|t| t.iter().cloned().collect()).unwrap_or_default();
        tags.sort();
        tags
    }

    /// Whether a message is for a client (replays check each message with it).
    pub fn wants(&self, conn: &Conn, envelope: &Envelope) -> bool {
        let reg = self.registry.read().expect("hub registry poisoned");
        conn.wants(envelope, reg.tags.get(&conn.id).unwrap_or(&NO_TAGS))
    }

    fn first_delivery(&self, envelope: &Envelope) -> bool {
        let Some(event) = envelope.event_id else { return true };
        let mut seen = self.seen.lock().expect("seen set poisoned");
        if !seen.set.insert(event) {
            return false;
        }
        seen.order.push_back(event);
        if seen.order.len() > SEEN_CAPACITY {
            if let Some(old) = seen.order.pop_front() {
                seen.set.remove(&old);
            }
        }
        true
    }

    /// The clients of this node a message is for.
    pub fn matching(&self, envelope: &Envelope) -> Vec<Arc<Conn>> {
        let reg = self.registry.read().expect("hub registry poisoned");
        let pid = &envelope.pid;
        let mut ids: HashSet<ConnId> = HashSet::new();
        let by_users = |ids: &mut HashSet<ConnId>, uids: &[String]| {
            for uid in uids {
                if let Some(set) = reg.by_user.get(&(pid.clone(), uid.clone())) {
                    ids.extend(set);
                }
            }
        };
        let by_tags = |ids: &mut HashSet<ConnId>, tags: &[String]| {
            for tag in tags {
                if let Some(set) = reg.by_tag.get(&(pid.clone(), tag.clone())) {
                    ids.extend(set);
                }
            }
        };
        match &envelope.route {
            Route::Union { uids, tags } => {
                by_users(&mut ids, uids);
                by_tags(&mut ids, tags);
            }
            // Start from the narrowest condition given; `wants` checks the rest.
            Route::Intersect { uids, cids, tags } => {
                if !cids.is_empty() {
                    ids.extend(cids.iter().filter_map(|c| reg.by_cid.get(c)));
                } else if !uids.is_empty() {
                    by_users(&mut ids, uids);
                } else {
                    by_tags(&mut ids, tags);
                }
            }
        }
        ids.iter()
            .filter_map(|id| reg.conns.get(id))
            .filter(|c| c.wants(envelope, reg.tags.get(&c.id).unwrap_or(&NO_TAGS)))
            .cloned()
            .collect()
    }

    /// The epoch of the stream the hub delivers from.
    pub fn epoch(&self) -> Arc<str> {
        self.epoch.read().expect("hub epoch poisoned").clone()
    }

    pub fn set_epoch(&self, epoch: &str) {
        *self.epoch.write().expect("hub epoch poisoned") = Arc::from(epoch);
    }

    /// Offers a bus message to every matching client; returns how many took it.
    pub fn deliver(&self, entry: &BusEntry) -> usize {
        if !self.first_delivery(&entry.envelope) {
            return 0;
        }
        let targets = self.matching(&entry.envelope);
        if targets.is_empty() {
            return 0;
        }
        let epoch = self.epoch();
        let delivery = Delivery {
            id: entry.id,
            frame: push_frame(entry.id, &epoch, &entry.envelope.data).into(),
            epoch,
            data: entry.envelope.clone(),
            committed_ms: entry.envelope.committed_ms,
        };
        let mut delivered = 0;
        for conn in targets {
            match conn.tx.try_send(delivery.clone()) {
                Ok(()) => delivered += 1,
                Err(mpsc::error::TrySendError::Full(_)) => {
                    metrics::counter!("ws_slow_disconnects_total").increment(1);
                    conn.kill("slow_consumer");
                }
                Err(mpsc::error::TrySendError::Closed(_)) => {}
            }
        }
        metrics::counter!("ws_pushes_delivered_total").increment(delivered as u64);
        delivered
    }

    /// Distinct users with a client on this node, per project.
    pub fn online_users(&self, pid: &str) -> Vec<String> {
        let reg = self.registry.read().expect("hub registry poisoned");
        let mut users: Vec<String> = reg.by_user.keys().filter(|(p, _)| p == pid).map(|(_, u)| u.clone()).collect();
        users.sort();
        users
    }

    pub fn connections(&self) -> usize {
        self.registry.read().expect("hub registry poisoned").conns.len()
    }

    /// Disconnects the clients `which` picks, saying why; returns how many.
    pub fn close_where(&self, which: impl Fn(&Conn) -> bool, reason: &'static str) -> usize {
        let reg = self.registry.read().expect("hub registry poisoned");
        let mut closed = 0;
        for conn in reg.conns.values().filter(|c| which(c)) {
            conn.kill(reason);
            closed += 1;
        }
        closed
    }

    /// Disconnects everyone (shutdown).
    pub fn close_all(&self, reason: &'static str) {
        let reg = self.registry.read().expect("hub registry poisoned");
        for conn in reg.conns.values() {
            conn.kill(reason);
        }
    }
}

/// Whether a replayed message repeats a ticket event already in `seen` (a
/// relay that crashed between publishing and marking publishes twice).
pub fn repeated(seen: &mut HashSet<i64>, envelope: &Envelope) -> bool {
    envelope.event_id.is_some_and(|e| !seen.insert(e))
}

/// `{"type":"push","id":"<ms>-<seq>@<epoch>","data":…}`.
pub fn push_frame(id: BusId, epoch: &str, data: &super::bus::JsonText) -> String {
    format!(r#"{{"type":"push","id":"{id}@{epoch}","data":{}}}"#, data.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(pid: &str, route: Route, event_id: Option<i64>) -> Envelope {
        Envelope {
            pid: pid.into(),
            route,
            data: crate::realtime::bus::JsonText::of(&serde_json::json!(1)),
            event_id,
            committed_ms: 0,
            control: None,
        }
    }

    fn intersect(uids: &[&str], cids: &[&str], tags: &[&str]) -> Route {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect();
        Route::Intersect { uids: v(uids), cids: v(cids), tags: v(tags) }
    }

    #[test]
    fn intersections_unions_and_projects() {
        let hub = Hub::new("n".into());
        let (a1, _q1) = hub.register("demo", Some("a".into()), 4);
        let (a2, _q2) = hub.register("demo", Some("a".into()), 4);
        let (b, _q3) = hub.register("demo", Some("b".into()), 4);
        let (other, _q4) = hub.register("signoff", Some("a".into()), 4);
        hub.subscribe(&a1, &["room".into()]).unwrap();
        hub.subscribe(&b, &["room".into()]).unwrap();
        hub.subscribe(&other, &["room".into()]).unwrap();
        let ids = |e: &Envelope| {
            let mut v: Vec<ConnId> = hub.matching(e).iter().map(|c| c.id).collect();
            v.sort();
            v
        };
        assert_eq!(ids(&envelope("demo", intersect(&["a"], &[], &["room"]), None)), [a1.id]);
        assert_eq!(ids(&envelope("demo", intersect(&["a", "b"], &[], &[]), None)), [a1.id, a2.id, b.id]);
        assert_eq!(ids(&envelope("demo", intersect(&[], &[&b.cid], &["room"]), None)), [b.id]);
        assert_eq!(
            ids(&envelope("demo", intersect(&[], &[], &[]), None)),
            Vec::<ConnId>::new(),
            "no condition, nobody"
        );
        let union = Route::Union { uids: vec!["b".into()], tags: vec!["room".into()] };
        assert_eq!(ids(&envelope("demo", union, None)), [a1.id, b.id]);
        assert_eq!(ids(&envelope("signoff", intersect(&["a"], &[], &[]), None)), [other.id], "projects never mix");
        hub.unregister(&a1);
        assert_eq!(ids(&envelope("demo", intersect(&["a"], &[], &[]), None)), [a2.id]);
    }

    #[test]
    fn a_second_copy_of_a_ticket_event_is_dropped_and_full_queues_disconnect() {
        let hub = Hub::new("n".into());
        let (c, mut queue) = hub.register("signoff", Some("7".into()), 1);
        let entry = |ms, event| BusEntry {
            id: BusId { ms, seq: 0 },
            envelope: Arc::new(envelope("signoff", Route::Union { uids: vec!["7".into()], tags: vec![] }, event)),
        };
        assert_eq!(hub.deliver(&entry(1, Some(10))), 1);
        assert_eq!(hub.deliver(&entry(2, Some(10))), 0, "same event id, dropped");
        assert!(queue.try_recv().is_ok());
        assert_eq!(hub.deliver(&entry(3, None)), 1);
        assert_eq!(hub.deliver(&entry(4, None)), 0, "queue of one is full");
        assert_eq!(c.close_reason(), Some("slow_consumer"));
        let mut seen = HashSet::new();
        assert!(!repeated(&mut seen, &entry(5, Some(3)).envelope));
        assert!(repeated(&mut seen, &entry(6, Some(3)).envelope));
        assert!(!repeated(&mut seen, &entry(7, None).envelope));
    }

    #[test]
    fn tag_limits() {
        let hub = Hub::new("n".into());
        let (c, _q) = hub.register("demo", None, 1);
        let tags: Vec<String> = (0..MAX_TAGS).map(|i| format!("t{i}")).collect();
        assert!(hub.subscribe(&c, &tags).is_ok());
        assert_eq!(hub.subscribe(&c, &["one-more".into()]), Err(MAX_TAGS));
        assert!(hub.subscribe(&c, &["t1".into()]).is_ok(), "already followed tags are free");
    }

    /// Subscribing, unsubscribing and routing at once, from many threads,
    /// must never wedge (a lock taken in two orders once did). Each thread
    /// stops after a fixed number of rounds; a deadlock shows as threads
    /// that do not finish.
    #[test]
    fn concurrent_subscribe_unsubscribe_and_delivery_never_wedge() {
        let hub = Arc::new(Hub::new("n".into()));
        let (conns, _queues): (Vec<_>, Vec<_>) =
            (0..32).map(|i| hub.register("demo", Some(format!("u{i}")), 1 << 16)).unzip();
        let conns = Arc::new(conns);
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        let mut threads = Vec::new();
        for t in 0..6 {
            let (hub, conns, done) = (hub.clone(), conns.clone(), done_tx.clone());
            threads.push(std::thread::spawn(move || {
                for round in 0..20_000usize {
                    let conn = &conns[(round * 7 + t) % conns.len()];
                    let tags = vec![format!("room{}", round % 5), format!("t{t}")];
                    if round % 2 == 0 {
                        let _ = hub.subscribe(conn, &tags);
                    } else {
                        hub.unsubscribe(conn, &tags);
                    }
                    let _ = hub.tags(conn);
                }
                done.send(()).unwrap();
            }));
        }
        for t in 0..4 {
            let (hub, done) = (hub.clone(), done_tx.clone());
            threads.push(std::thread::spawn(move || {
                for round in 0..20_000u64 {
                    let route =
                        Route::Intersect { uids: vec![], cids: vec![], tags: vec![format!("room{}", round % 5)] };
                    let entry =
                        BusEntry { id: BusId { ms: round, seq: t }, envelope: Arc::new(envelope("demo", route, None)) };
                    hub.deliver(&entry);
                }
                done.send(()).unwrap();
            }));
        }
        drop(done_tx);
        for _ in 0..threads.len() {
            done_rx
                .recv_timeout(std::time::Duration::from_secs(120))
                .expect("a hub thread did not finish: locks taken in conflicting orders");
        }
        for t in threads {
            t.join().unwrap();
        }
        hub.close_all("shutdown");
    }
}
