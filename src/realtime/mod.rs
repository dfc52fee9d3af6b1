//! The realtime cluster: every committed ticket event and every business
//! push reaches the clients concerned, on whichever node they are connected.
//!
//! - [`bus`]: the contract; [`bus_memory`] (embedded default) and
//!   [`bus_redis`] (a Redis Stream) implement it; [`Realtime::start`] is the
//!   one factory that picks them.
//! - [`relay`]: outbox → bus, one node at a time under a lease.
//! - [`hub`]: this node's clients and the routing of bus messages to them.
//! - [`cluster`]: presence and the push replay guard, local or in Redis.
//! - [`ws`]: `GET /ws/connect`, the ws-cluster client protocol.
//! - [`push`]: `POST /ws/push` for business systems; [`sign`]: signatures.
//! - [`subscriptions`]: GraphQL subscriptions served from the same hub;
//!   [`sub_limits`]: how many one connection and one user may hold.

pub mod bus;
pub mod bus_memory;
pub mod bus_redis;
pub mod cluster;
pub mod hub;
pub mod push;
pub mod relay;
pub mod sign;
pub mod sub_limits;
pub mod subscriptions;
pub mod ws;

use std::{
    collections::HashMap,
    num::NonZeroU32,
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use futures::StreamExt;
use tokio_util::sync::CancellationToken;

use self::{
    bus::{Bus, Control, Envelope, now_ms},
    cluster::{ClusterState, LocalState, RedisState},
    hub::{ConnAuth, Hub},
};
use crate::{config::Config, service::access::AccessCache, store::Store};

pub use crate::domain::events::SIGNOFF_PID;

/// Limits of client connections.
#[derive(Debug, Clone)]
pub struct WsLimits {
    /// Frames a client may have waiting before it counts as slow.
    pub ws_queue: usize,
    /// Largest frame or message a client may send, in bytes.
    pub ws_max_frame: usize,
    /// Most unsent bytes per client before it counts as slow.
    pub ws_max_write_buffer: usize,
    pub ws_ping_secs: u64,
    pub ws_idle_secs: u64,
    pub ws_frames_per_sec: NonZeroU32,
    pub ws_frames_burst: NonZeroU32,
}

impl WsLimits {
    /// From settings already checked by [`Config::validate`]; a zero rate
    /// (only possible from a config built in code) means one per second.
    fn from(config: &Config) -> Self {
        let nz = |v: u32| NonZeroU32::new(v).unwrap_or(NonZeroU32::MIN);
        Self {
            ws_queue: config.ws_queue,
            ws_max_frame: config.ws_max_frame_bytes,
            ws_max_write_buffer: config.ws_max_write_buffer_bytes,
            ws_ping_secs: config.ws_ping_secs,
            ws_idle_secs: config.ws_idle_secs,
            ws_frames_per_sec: nz(config.ws_frames_per_sec),
            ws_frames_burst: nz(config.ws_frames_burst),
        }
    }
}

/// The realtime side of a node.
pub struct Realtime {
    pub hub: Arc<Hub>,
    pub bus: Arc<dyn Bus>,
    pub cluster: Arc<dyn ClusterState>,
    pub config: WsLimits,
    store: Store,
    projects: RwLock<HashMap<String, (Instant, Option<String>)>>,
    stop: CancellationToken,
    /// The background tasks, awaited by [`Realtime::stop`].
    tasks: std::sync::Mutex<tokio::task::JoinSet<()>>,
    relay: bool,
    /// Whether this node holds the relay lease now.
    pub relay_leading: Arc<std::sync::atomic::AtomicBool>,
    /// This node's view of everyone's access, kept current by controls.
    pub access: Arc<AccessCache>,
    /// Controls to publish to the other nodes.
    controls: tokio::sync::mpsc::UnboundedSender<Control>,
}

impl Realtime {
    /// Picks the bus and cluster state from the configuration: Redis when
    /// `redis_url` is set, in-process otherwise.
    pub async fn start(config: &Config, store: Store, access: Arc<AccessCache>) -> anyhow::Result<Arc<Self>> {
        let node = config.node_id.clone().unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string()[..8].to_string());
        let hub = Arc::new(Hub::new(node.clone()));
        let retention = bus::Retention {
            age: Duration::from_secs(config.bus_retention_secs),
            entries: config.bus_retention_max_entries as usize,
        };
        let (bus, cluster): (Arc<dyn Bus>, Arc<dyn ClusterState>) = match &config.redis_url {
            Some(url) => {
                let redis = bus_redis::RedisBus::connect(url, &config.redis_prefix, retention).await?;
                let state = RedisState::new(redis.connection(), &config.redis_prefix, &node);
                (Arc::new(redis), Arc::new(state))
            }
            None => (Arc::new(bus_memory::MemoryBus::new(retention)), Arc::new(LocalState::new(hub.clone()))),
        };
        let (controls, outgoing) = tokio::sync::mpsc::unbounded_channel();
        let rt = Arc::new(Self {
            hub,
            bus,
            cluster,
            config: WsLimits::from(config),
            store,
            projects: RwLock::default(),
            stop: CancellationToken::new(),
            tasks: std::sync::Mutex::default(),
            relay: config.relay_enabled,
            relay_leading: Arc::default(),
            access,
            controls,
        });
        rt.spawn_tasks(outgoing).await;
        Ok(rt)
    }

    /// The node's background work: read the bus, relay the outbox, keep
    /// presence alive.
    async fn spawn_tasks(self: &Arc<Self>, mut outgoing: tokio::sync::mpsc::UnboundedReceiver<Control>) {
        // Deliver only what is published from now on; clients resume older
        // events themselves with `last_event_id`.
        let from = self.bus.last_id().await.ok().flatten();
        let epoch = self.bus.epoch().await.unwrap_or_default();
        self.hub.set_epoch(&epoch);
        let mut tasks = self.tasks.lock().expect("task set poisoned");
        let (bus, hub, stop) = (self.bus.clone(), self.hub.clone(), self.stop.clone());
        let me = Arc::downgrade(self);
        tasks.spawn(async move {
            let mut stream = bus.subscribe(from);
            // After the bus was unreachable its stream may be a new one.
            let mut recheck_epoch = false;
            loop {
                tokio::select! {
                    _ = stop.cancelled() => break,
                    next = stream.next() => match next {
                        Some(Ok(entry)) => {
                            if recheck_epoch {
                                if let Ok(epoch) = bus.epoch().await {
                                    hub.set_epoch(&epoch);
                                    recheck_epoch = false;
                                }
                            }
                            metrics::gauge!("bus_read_lag_seconds").set(now_ms().saturating_sub(entry.envelope.committed_ms) as f64 / 1000.0);
                            match (&entry.envelope.control, me.upgrade()) {
                                (Some(control), Some(rt)) => rt.apply(control),
                                (Some(_), None) => {}
                                (None, _) => { hub.deliver(&entry); }
                            }
                        }
                        Some(Err(e)) => {
                            recheck_epoch = true;
                            tracing::warn!(error = %e, "bus read failed; retrying");
                        }
                        None => break,
                    },
                }
            }
        });
        if self.relay {
            let wake = self.store.outbox_signal();
            tasks.spawn(relay::run(
                self.store.clone(),
                self.bus.clone(),
                self.hub.node.clone(),
                wake,
                self.relay_leading.clone(),
                self.stop.clone(),
            ));
        }
        // Controls go out in order; one the bus refused was applied here
        // already, and other nodes' caches age out within `MAX_AGE`.
        let (bus, stop) = (self.bus.clone(), self.stop.clone());
        tasks.spawn(async move {
            loop {
                let control = tokio::select! {
                    _ = stop.cancelled() => break,
                    c = outgoing.recv() => match c { Some(c) => c, None => break },
                };
                if let Err(e) = bus.publish(&Envelope::control(control)).await {
                    tracing::warn!(error = %e, "an access change did not reach the other nodes");
                }
            }
        });
        let (cluster, stop) = (self.cluster.clone(), self.stop.clone());
        tasks.spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(5));
            loop {
                tokio::select! {
                    _ = stop.cancelled() => break,
                    _ = every.tick() => {
                        if let Err(e) = cluster.tick().await {
                            tracing::warn!(error = %e, "cluster upkeep failed");
                        }
                    }
                }
            }
        });
    }

    /// The epoch to resume `from` under: the stream's current one, or why
    /// the client must refetch instead (`stream_lost`: the cursor belongs to
    /// a stream that no longer exists; `unavailable`: the bus is down).
    pub async fn resume_epoch(&self, from: &bus::Cursor) -> Result<String, &'static str> {
        let current = self.bus.epoch().await.map_err(|_| "unavailable")?;
        match &from.epoch {
            Some(epoch) if *epoch != current => Err("stream_lost"),
            _ => Ok(current),
        }
    }

    /// An access change made on this node: applied here at once, then
    /// told to every node.
    pub fn control(&self, control: Control) {
        self.apply(&control);
        let _ = self.controls.send(control);
    }

    /// A project changed its secret or was deactivated.
    pub fn project_changed(&self, pid: &str) {
        self.control(Control::ProjectChanged { pid: pid.to_string() });
    }

    /// Applies an access change to this node's caches and clients (each
    /// node also hears its own, harmlessly).
    pub fn apply(&self, control: &Control) {
        self.access.apply(control);
        let closed = match control {
            Control::ProjectChanged { pid } => {
                self.projects_changed();
                self.hub.close_where(|c| c.pid == *pid && matches!(c.auth, ConnAuth::Signed), "project_changed")
            }
            Control::UserChanged { user_id } => self.hub.close_where(
                |c| matches!(&c.auth, ConnAuth::Token { user_id: u, .. } if u == user_id),
                "access_changed",
            ),
            Control::SessionEnded { session } => self.hub.close_where(
                |c| matches!(&c.auth, ConnAuth::Token { session: Some(s), .. } if s == session),
                "session_ended",
            ),
        };
        if closed > 0 {
            tracing::info!(?control, closed, "closed connections after an access change");
        }
    }

    /// A project's signing secret (cached briefly); None for an unknown or
    /// inactive project.
    pub async fn project_secret(&self, pid: &str) -> Option<String> {
        if let Some((at, secret)) = self.projects.read().expect("project cache poisoned").get(pid) {
            if at.elapsed() < Duration::from_secs(5) {
                return secret.clone();
            }
        }
        let secret = match self.store.project_by_pid(pid).await {
            Ok(p) => p.filter(|p| p.active).map(|p| p.secret),
            Err(e) => {
                tracing::warn!(error = %crate::error::Chain(&e), "cannot read projects");
                return None;
            }
        };
        self.projects
            .write()
            .expect("project cache poisoned")
            .insert(pid.to_string(), (Instant::now(), secret.clone()));
        secret
    }

    /// Forgets cached secrets (after an admin changed a project).
    pub fn projects_changed(&self) {
        self.projects.write().expect("project cache poisoned").clear();
    }

    /// `leading`, `standby` or `off`: this node's part in relaying the outbox.
    pub fn relay_state(&self) -> &'static str {
        match (self.relay, self.relay_leading.load(std::sync::atomic::Ordering::Relaxed)) {
            (false, _) => "off",
            (true, true) => "leading",
            (true, false) => "standby",
        }
    }

    /// Disconnects every client and tells the background tasks to stop.
    pub fn shutdown(&self) {
        self.stop.cancel();
        self.hub.close_all("shutdown");
    }

    /// Stops the background tasks and waits for them: the relay releases
    /// its lease on the way out, so another node takes over at once rather
    /// than when the lease expires. Call before closing the database.
    pub async fn stop(&self) {
        self.shutdown();
        let mut tasks = std::mem::take(&mut *self.tasks.lock().expect("task set poisoned"));
        let finished = tokio::time::timeout(Duration::from_secs(5), async {
            while let Some(done) = tasks.join_next().await {
                if let Err(e) = done {
                    tracing::warn!(error = %e, "a realtime task ended badly");
                }
            }
        })
        .await;
        if finished.is_err() {
            tracing::warn!("realtime tasks did not stop in time; aborting them");
            tasks.shutdown().await;
        }
    }
}
