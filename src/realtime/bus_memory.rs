//! The in-process bus of the embedded default: one node, a ring of retained
//! messages and a broadcast channel to wake readers. Same contract as Redis.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::Duration,
};

use futures::{StreamExt, stream::BoxStream};
use tokio::sync::Notify;

use super::bus::{Bus, BusEntry, BusError, BusId, Envelope, Retention, expired, now_ms};

#[derive(Default)]
struct Log {
    entries: VecDeque<BusEntry>,
    last: BusId,
    /// The newest message dropped: a reader from before it missed some.
    dropped: BusId,
}

/// An in-process bus.
pub struct MemoryBus {
    log: Arc<Mutex<Log>>,
    wake: Arc<Notify>,
    retention: Retention,
    epoch: String,
}

impl MemoryBus {
    pub fn new(retention: Retention) -> Self {
        Self { log: Arc::default(), wake: Arc::new(Notify::new()), retention, epoch: super::bus::new_epoch() }
    }
}

fn after_in(log: &Log, after: Option<BusId>, limit: usize) -> Vec<BusEntry> {
    let start = match after {
        Some(after) => log.entries.partition_point(|e| e.id <= after),
        None => 0,
    };
    log.entries.iter().skip(start).take(limit).cloned().collect()
}

#[async_trait::async_trait]
impl Bus for MemoryBus {
    async fn publish(&self, envelope: &Envelope) -> Result<BusId, BusError> {
        let id = {
            // A std mutex: nothing awaits while it is held.
            let mut log = self.log.lock().expect("bus log poisoned");
            let ms = now_ms().max(log.last.ms);
            let id = if ms == log.last.ms { BusId { ms, seq: log.last.seq + 1 } } else { BusId { ms, seq: 0 } };
            log.last = id;
            log.entries.push_back(BusEntry { id, envelope: Arc::new(envelope.clone()) });
            let horizon = now_ms().saturating_sub(self.retention.age.as_millis() as u64);
            while log.entries.front().is_some_and(|e| e.id.ms < horizon) || log.entries.len() > self.retention.entries {
                if let Some(old) = log.entries.pop_front() {
                    log.dropped = old.id;
                }
            }
            id
        };
        self.wake.notify_waiters();
        Ok(id)
    }

    fn subscribe(&self, after: Option<BusId>) -> BoxStream<'static, Result<BusEntry, BusError>> {
        let (log, wake) = (self.log.clone(), self.wake.clone());
        futures::stream::unfold((after, Vec::<BusEntry>::new().into_iter()), move |(mut cursor, mut pending)| {
            let (log, wake) = (log.clone(), wake.clone());
            async move {
                loop {
                    if let Some(entry) = pending.next() {
                        cursor = Some(entry.id);
                        return Some((Ok(entry), (cursor, pending)));
                    }
                    // Register for the wake-up before looking, so a publish
                    // between the look and the wait is not missed.
                    let notified = wake.notified();
                    let batch = after_in(&log.lock().expect("bus log poisoned"), cursor, 1024);
                    if batch.is_empty() {
                        notified.await;
                    } else {
                        pending = batch.into_iter();
                    }
                }
            }
        })
        .boxed()
    }

    async fn range(&self, after: BusId, limit: usize) -> Result<Vec<BusEntry>, BusError> {
        let log = self.log.lock().expect("bus log poisoned");
        if expired(after, self.retention.age) || after < log.dropped {
            return Err(BusError::Expired);
        }
        Ok(after_in(&log, Some(after), limit))
    }

    async fn epoch(&self) -> Result<String, BusError> {
        // The log lives and dies with the process, and so does its epoch.
        Ok(self.epoch.clone())
    }

    async fn last_id(&self) -> Result<Option<BusId>, BusError> {
        let log = self.log.lock().expect("bus log poisoned");
        Ok((log.last != BusId::default()).then_some(log.last))
    }

    fn healthy(&self) -> bool {
        true
    }

    fn retention(&self) -> Duration {
        self.retention.age
    }

    fn kind(&self) -> &'static str {
        "memory"
    }
}
