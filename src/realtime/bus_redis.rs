//! The Redis bus: one Stream. Publishing is `XADD` with `MINID ~` trimming
//! to the retention window, and every few publishes `XTRIM MAXLEN ~` to the
//! retained entries' bound; each reader runs a blocking `XREAD` on a
//! connection of its own (a blocked command would stall a shared one) from
//! the last id it handled, and reconnects with backoff when Redis goes away.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

use futures::{StreamExt, stream::BoxStream};
use redis::{
    AsyncConnectionConfig, Client,
    aio::{ConnectionManager, ConnectionManagerConfig},
    streams::{StreamId, StreamRangeReply, StreamReadReply},
};

use super::bus::{Bus, BusEntry, BusError, BusId, Envelope, Retention, expired, now_ms};

/// Publishes between two trims by count (trimming is cheap, not free).
const TRIM_EVERY: u64 = 128;

/// How long one XREAD blocks before it is re-issued.
const BLOCK_MS: u64 = 5_000;

/// A bus on a Redis Stream.
pub struct RedisBus {
    client: Client,
    conn: ConnectionManager,
    key: String,
    epoch_key: String,
    retention: Retention,
    healthy: Arc<AtomicBool>,
    published: AtomicU64,
}

fn down(err: redis::RedisError) -> BusError {
    BusError::Unavailable(err.to_string())
}

fn entry(raw: &StreamId) -> Option<BusEntry> {
    let id = raw.id.parse().ok()?;
    let payload: String = raw.get("d")?;
    match serde_json::from_str::<Envelope>(&payload) {
        Ok(envelope) => Some(BusEntry { id, envelope: Arc::new(envelope) }),
        Err(err) => {
            tracing::warn!(id = %raw.id, error = %err, "skipping a bus message that is not an envelope");
            None
        }
    }
}

impl RedisBus {
    /// Connects; `prefix` namespaces the keys (one stream per deployment or test).
    pub async fn connect(url: &str, prefix: &str, retention: Retention) -> anyhow::Result<Self> {
        let client = Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_secs(1));
        let conn = client.get_connection_manager_with_config(config).await?;
        Ok(Self {
            client,
            conn,
            key: format!("{prefix}:events"),
            epoch_key: format!("{prefix}:epoch"),
            retention,
            healthy: Arc::new(AtomicBool::new(true)),
            published: AtomicU64::new(0),
        })
    }

    fn mark<T>(&self, result: redis::RedisResult<T>) -> Result<T, BusError> {
        self.healthy.store(result.is_ok(), Ordering::Relaxed);
        result.map_err(down)
    }

    /// A connection manager for other cluster state (presence, replay guard).
    pub fn connection(&self) -> ConnectionManager {
        self.conn.clone()
    }
}

#[async_trait::async_trait]
impl Bus for RedisBus {
    async fn publish(&self, envelope: &Envelope) -> Result<BusId, BusError> {
        let payload = serde_json::to_string(envelope).map_err(|e| BusError::Unavailable(e.to_string()))?;
        let horizon = now_ms().saturating_sub(self.retention.age.as_millis() as u64);
        let mut conn = self.conn.clone();
        if self.published.fetch_add(1, Ordering::Relaxed) % TRIM_EVERY == TRIM_EVERY - 1 {
            let trim = redis::cmd("XTRIM").arg(&self.key).arg("MAXLEN").arg("~").arg(self.retention.entries).clone();
            let _: redis::RedisResult<u64> = trim.query_async(&mut conn).await;
        }
        let id: String = self.mark(
            redis::cmd("XADD")
                .arg(&self.key)
                .arg("MINID")
                .arg("~")
                .arg(horizon)
                .arg("*")
                .arg("d")
                .arg(payload)
                .query_async(&mut conn)
                .await,
        )?;
        id.parse().map_err(|_| BusError::Unavailable(format!("Redis answered a strange id {id:?}")))
    }

    fn subscribe(&self, after: Option<BusId>) -> BoxStream<'static, Result<BusEntry, BusError>> {
        let (client, key, healthy) = (self.client.clone(), self.key.clone(), self.healthy.clone());
        let start = after.map(|a| a.to_string()).unwrap_or_else(|| "0-0".into());
        struct Reader {
            conn: Option<redis::aio::MultiplexedConnection>,
            cursor: String,
            pending: std::vec::IntoIter<BusEntry>,
            backoff: Duration,
        }
        let reader =
            Reader { conn: None, cursor: start, pending: Vec::new().into_iter(), backoff: Duration::from_millis(100) };
        futures::stream::unfold(reader, move |mut r| {
            let (client, key, healthy) = (client.clone(), key.clone(), healthy.clone());
            async move {
                loop {
                    if let Some(entry) = r.pending.next() {
                        r.cursor = entry.id.to_string();
                        return Some((Ok(entry), r));
                    }
                    if r.conn.is_none() {
                        let config = AsyncConnectionConfig::new()
                            .set_connection_timeout(Some(Duration::from_secs(2)))
                            .set_response_timeout(Some(Duration::from_millis(BLOCK_MS + 2_000)));
                        match client.get_multiplexed_async_connection_with_config(&config).await {
                            Ok(c) => r.conn = Some(c),
                            Err(err) => {
                                healthy.store(false, Ordering::Relaxed);
                                tokio::time::sleep(r.backoff).await;
                                r.backoff = (r.backoff * 2).min(Duration::from_secs(2));
                                return Some((Err(down(err)), r));
                            }
                        }
                    }
                    let conn = r.conn.as_mut().expect("connected above");
                    let reply: redis::RedisResult<Option<StreamReadReply>> = redis::cmd("XREAD")
                        .arg("COUNT")
                        .arg(1024)
                        .arg("BLOCK")
                        .arg(BLOCK_MS)
                        .arg("STREAMS")
                        .arg(&key)
                        .arg(&r.cursor)
                        .query_async(conn)
                        .await;
                    match reply {
                        Ok(reply) => {
                            healthy.store(true, Ordering::Relaxed);
                            r.backoff = Duration::from_millis(100);
                            let entries: Vec<BusEntry> = reply
                                .into_iter()
                                .flat_map(|r| r.keys)
                                .flat_map(|k| k.ids)
                                .filter_map(|i| entry(&i))
                                .collect();
                            r.pending = entries.into_iter();
                        }
                        Err(err) => {
                            healthy.store(false, Ordering::Relaxed);
                            r.conn = None;
                            tokio::time::sleep(r.backoff).await;
                            r.backoff = (r.backoff * 2).min(Duration::from_secs(2));
                            return Some((Err(down(err)), r));
                        }
                    }
                }
            }
        })
        .boxed()
    }

    async fn range(&self, after: BusId, limit: usize) -> Result<Vec<BusEntry>, BusError> {
        if expired(after, self.retention.age) {
            return Err(BusError::Expired);
        }
        let mut conn = self.conn.clone();
        // A stream at its bound has dropped entries older than its first:
        // a reader from before that first missed some (or, at worst, is
        // exactly at the boundary and reloads for nothing).
        let (len, first): (usize, StreamRangeReply) = self.mark(
            redis::pipe()
                .cmd("XLEN")
                .arg(&self.key)
                .cmd("XRANGE")
                .arg(&self.key)
                .arg("-")
                .arg("+")
                .arg("COUNT")
                .arg(1)
                .query_async(&mut conn)
                .await,
        )?;
        let oldest = first.ids.first().and_then(|e| e.id.parse::<BusId>().ok());
        if len >= self.retention.entries && oldest.is_some_and(|oldest| after < oldest) {
            return Err(BusError::Expired);
        }
        let reply: StreamRangeReply = self.mark(
            redis::cmd("XRANGE")
                .arg(&self.key)
                .arg(format!("({after}"))
                .arg("+")
                .arg("COUNT")
                .arg(limit)
                .query_async(&mut conn)
                .await,
        )?;
        Ok(reply.ids.iter().filter_map(entry).collect())
    }

    async fn epoch(&self) -> Result<String, BusError> {
        // The epoch key goes with the stream when Redis loses its data; the
        // first to ask afterwards names a new one.
        let script = redis::Script::new("redis.call('SET', KEYS[1], ARGV[1], 'NX') return redis.call('GET', KEYS[1])");
        let mut conn = self.conn.clone();
        self.mark(script.key(&self.epoch_key).arg(super::bus::new_epoch()).invoke_async(&mut conn).await)
    }

    async fn last_id(&self) -> Result<Option<BusId>, BusError> {
        let mut conn = self.conn.clone();
        let reply: StreamRangeReply = self.mark(
            redis::cmd("XREVRANGE").arg(&self.key).arg("+").arg("-").arg("COUNT").arg(1).query_async(&mut conn).await,
        )?;
        Ok(reply.ids.first().and_then(|i| i.id.parse().ok()))
    }

    fn healthy(&self) -> bool {
        self.healthy.load(Ordering::Relaxed)
    }

    fn retention(&self) -> Duration {
        self.retention.age
    }

    fn kind(&self) -> &'static str {
        "redis"
    }
}
