//! Tickets: filing, acting on approval items, and the ticket-level actions
//! (withdraw, resubmit, comment, urge, finish automations). Each action
//! loads the ticket's state, asks the domain's state machine, and saves the
//! resulting changes, event and outbox row in one transaction guarded by the
//! ticket's version: two people acting at once never both win.
//!
//! - [`submit`]: filing and resubmitting (form checks, chain resolution).
//! - [`act`]: item actions and ticket-level actions.
//! - [`persist`]: turning a transition into rows; receipts; visibility.

pub mod act;
pub mod persist;
pub mod submit;

use std::sync::Arc;

use super::catalog::Catalog;
use crate::{config::Config, store::Store, store::tickets::Ticket};

/// The workflow engine of a node.
pub struct Workflow {
    pub store: Store,
    pub catalog: Arc<Catalog>,
    pub config: Arc<Config>,
}

/// What an action returns: the ticket as it now is, and whether this was a
/// replay of an earlier request with the same client mutation id.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub ticket: Ticket,
    pub replayed: bool,
}

impl Workflow {
    pub fn new(store: Store, catalog: Arc<Catalog>, config: Arc<Config>) -> Self {
        Self { store, catalog, config }
    }
}
