//! Tickets: filing, acting on approval items, and the ticket-level actions
//! (withdraw, resubmit, comment, urge, finish automations). Each action
//! loads the ticket's state, asks the domain's state machine, and saves the
//! resulting changes, event and outbox row in one transaction guarded by the
//! ticket's version: two people acting at once never both win.
//!
//! - [`submit`]: filing and resubmitting (form checks, chain resolution).
//! - [`act`]: item actions and ticket-level actions.
//! - [`persist`]: turning a transition into rows; receipts; visibility.
//! - [`sla`]: SLA firings (reminders, overdue notices, escalation, alarms).
//! - [`jobs`]: automation jobs: claims, completions, failures, retries.
//! - [`rate`]: the applicant's rating of a finished ticket (满意度).

pub mod act;
pub mod jobs;
pub mod persist;
pub mod rate;
pub mod sla;
pub mod submit;

use std::{collections::HashMap, sync::Arc};

use super::catalog::Catalog;
use crate::{config::Config, store::Store, store::tickets::Ticket};

/// The workflow engine of a node.
pub struct Workflow {
    pub store: Store,
    pub catalog: Arc<Catalog>,
    pub config: Arc<Config>,
    numbers: tokio::sync::Mutex<HashMap<(String, String), (i64, i64)>>,
}

/// Ticket numbers a node reserves at once. A restart or another node leaves
/// gaps in the sequence; numbers stay unique and grow within a node.
const NUMBER_BLOCK: i32 = 32;

/// What an action returns: the ticket as it now is, and whether this was a
/// replay of an earlier request with the same client mutation id.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub ticket: Ticket,
    pub replayed: bool,
}

impl Workflow {
    pub fn new(store: Store, catalog: Arc<Catalog>, config: Arc<Config>) -> Self {
        Self { store, catalog, config, numbers: Default::default() }
    }

    /// The next ticket number of `prefix` on `day`, from this node's block.
    pub async fn next_number(&self, prefix: &str, day: &str) -> crate::error::Result<i64> {
        let mut blocks = self.numbers.lock().await;
        let key = (prefix.to_string(), day.to_string());
        if let Some((next, last)) = blocks.get_mut(&key) {
            if *next <= *last {
                *next += 1;
                return Ok(*next - 1);
            }
        }
        // One day's blocks are all this node needs to remember.
        blocks.retain(|(_, d), _| d == day);
        let last = self.store.reserve_ticket_seqs(prefix, day, NUMBER_BLOCK).await?;
        let first = last - NUMBER_BLOCK as i64 + 1;
        blocks.insert(key, (first + 1, last));
        Ok(first)
    }
}
