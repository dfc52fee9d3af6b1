//! The bus every node publishes to and reads from.
//!
//! Contract (both implementations, checked by one contract test):
//! - **Ids**: `publish` returns the id the bus gave the message,
//!   `"<unix ms>-<seq>"`, strictly increasing in publish order across the
//!   whole bus; ids compare as (ms, seq).
//! - **Ordering**: every reader sees messages in id order.
//! - **Delivery**: at least once. A reader resumes from the last id it
//!   handled and gets every retained message after it; a message may come
//!   twice across a reconnect, never out of order.
//! - **Retention**: messages are kept for the configured window (default
//!   ten minutes); [`Bus::range`] answers [`BusError::Expired`] for a cursor
//!   older than the window, so a client knows to refetch.
//! - **Epoch**: [`Bus::epoch`] names the stream itself. A stream that was
//!   lost (Redis restarted without persistence, the key recreated) gets a
//!   new epoch, so a client resuming from a [`Cursor`] of the old one is told
//!   to refetch instead of silently missing what the lost stream held.
//! - **Health**: [`Bus::healthy`] says whether the last operation reached the
//!   backend; publishes fail while it is down and the caller keeps the
//!   message (the outbox) to try again.

use std::{fmt, str::FromStr, time::Duration};

use futures::stream::BoxStream;
use serde::{Deserialize, Serialize};

/// A bus position, `"<unix ms>-<seq>"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct BusId {
    pub ms: u64,
    pub seq: u64,
}

impl fmt::Display for BusId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.ms, self.seq)
    }
}

impl FromStr for BusId {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        let (ms, seq) = s.split_once('-').ok_or(())?;
        Ok(Self { ms: ms.parse().map_err(|_| ())?, seq: seq.parse().map_err(|_| ())? })
    }
}

/// What clients hold to resume: a bus position and the epoch of the stream
/// it belongs to, `"<ms>-<seq>@<epoch>"`. A bare `"<ms>-<seq>"` (older
/// clients) resumes without the epoch check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub id: BusId,
    pub epoch: Option<String>,
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.epoch {
            Some(epoch) => write!(f, "{}@{epoch}", self.id),
            None => write!(f, "{}", self.id),
        }
    }
}

impl FromStr for Cursor {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s.split_once('@') {
            Some((id, epoch))
                if !epoch.is_empty() && epoch.len() <= 32 && epoch.bytes().all(|b| b.is_ascii_alphanumeric()) =>
            {
                Ok(Self { id: id.parse()?, epoch: Some(epoch.to_string()) })
            }
            Some(_) => Err(()),
            None => Ok(Self { id: s.parse()?, epoch: None }),
        }
    }
}

/// `"<ms>-<seq>@<epoch>"` for a client.
pub fn cursor(id: BusId, epoch: &str) -> String {
    format!("{id}@{epoch}")
}

/// A new random epoch.
pub fn new_epoch() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_string()
}

/// Who a message is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Route {
    /// ws-cluster push: clients matching every condition given (uids ∩ cids ∩ tags).
    Intersect {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        uids: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        cids: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tags: Vec<String>,
    },
    /// Ticket events: clients of any of the users, or subscribed to any tag.
    Union {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        uids: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tags: Vec<String>,
    },
}

/// What travels on the bus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// The project whose clients may receive it; nothing crosses projects.
    pub pid: String,
    pub route: Route,
    /// The payload clients receive, kept as its JSON text.
    pub data: JsonText,
    /// The ticket event id, for ticket events: nodes drop a second copy
    /// (a relay retry) by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<i64>,
    /// Unix ms when the source committed it, for latency metrics.
    pub committed_ms: u64,
    /// A message to the nodes themselves rather than to clients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<Control>,
}

pub use crate::domain::events::Control;

/// A JSON value kept as its text: retained messages cost their encoded
/// size rather than a parsed tree's allocations (several times more), and
/// frames copy the text as it is instead of encoding it per delivery.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JsonText(Box<serde_json::value::RawValue>);

impl JsonText {
    pub fn of(value: &serde_json::Value) -> Self {
        Self(serde_json::value::to_raw_value(value).expect("a JSON value encodes"))
    }

    pub fn null() -> Self {
        Self::of(&serde_json::Value::Null)
    }

    pub fn as_str(&self) -> &str {
        self.0.get()
    }

    /// The value parsed again (GraphQL subscriptions hand out values).
    pub fn value(&self) -> serde_json::Value {
        serde_json::from_str(self.0.get()).unwrap_or(serde_json::Value::Null)
    }

    /// Bytes it holds, for the bus's size bound.
    pub fn len(&self) -> usize {
        self.0.get().len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.get().is_empty()
    }
}

impl PartialEq for JsonText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Envelope {
    /// A control message, for every node.
    pub fn control(control: Control) -> Self {
        Self {
            pid: String::new(),
            route: Route::Union { uids: Vec::new(), tags: Vec::new() },
            data: JsonText::null(),
            event_id: None,
            committed_ms: now_ms(),
            control: Some(control),
        }
    }
}

/// A message as read back, with its id.
#[derive(Debug, Clone)]
pub struct BusEntry {
    pub id: BusId,
    pub envelope: std::sync::Arc<Envelope>,
}

#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("the bus is unavailable: {0}")]
    Unavailable(String),
    #[error("that position is older than the retention window")]
    Expired,
}

/// The bus contract; see the module docs.
#[async_trait::async_trait]
pub trait Bus: Send + Sync + 'static {
    /// Appends a message; returns its id.
    async fn publish(&self, envelope: &Envelope) -> Result<BusId, BusError>;

    /// Every message after `after` (all retained ones when `None`), then
    /// live ones, in order, forever; reconnects inside and resumes from the
    /// last id it yielded. Items are `Err` only to report the backend down;
    /// the stream goes on after them.
    fn subscribe(&self, after: Option<BusId>) -> BoxStream<'static, Result<BusEntry, BusError>>;

    /// Retained messages after `after`, at most `limit`, in order.
    async fn range(&self, after: BusId, limit: usize) -> Result<Vec<BusEntry>, BusError>;

    /// The id of the newest message, if any.
    async fn last_id(&self) -> Result<Option<BusId>, BusError>;

    /// The epoch of the stream as it is now (see the module docs).
    async fn epoch(&self) -> Result<String, BusError>;

    /// Whether the backend answered the last time it was asked.
    fn healthy(&self) -> bool;

    /// The retention window.
    fn retention(&self) -> Duration;

    /// `"memory"` or `"redis"`.
    fn kind(&self) -> &'static str;
}

/// Now, in unix milliseconds.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// How much of the past a bus keeps for clients that resume: messages
/// younger than `age`, at most `entries` of them.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    pub age: Duration,
    pub entries: usize,
}

impl Retention {
    /// Only an age bound (tests).
    pub fn age(age: Duration) -> Self {
        Self { age, entries: usize::MAX }
    }
}

/// Whether a cursor fell out of the retention window.
pub fn expired(after: BusId, retention: Duration) -> bool {
    after.ms + (retention.as_millis() as u64) < now_ms()
}
