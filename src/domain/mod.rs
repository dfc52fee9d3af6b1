//! The domain: rules of the organisation, access and (later) the workflow,
//! free of I/O. Nothing here imports axum, sea-orm or redis, so every rule is
//! tested on its own; storage, GraphQL and the hub depend on this module,
//! never the other way round.
//!
//! - [`names`]: parse-don't-validate newtypes for user input (usernames,
//!   emails, phones, display names, passwords).
//! - [`text`]: what free text may contain (no NUL, bidi overrides or
//!   invisible-only titles).
//! - [`access`]: system roles, permissions and the role × permission matrix.
//! - [`org`]: department tree and manager chain cycles, proxy windows.
//! - [`events`]: who hears about a ticket event (and what they are told);
//!   the outbox message.
//! - [`sla`]: SLA firings and escalation targets.
//! - [`reports`]: managers' report figures from a cohort's facts.
//! - [`automation`]: a version's automation tasks and where their jobs stand.
//! - [`workflow`]: forms, conditions, approval chains, chain resolution and
//!   the ticket state machine.

pub mod access;
pub mod automation;
pub mod events;
pub mod names;
pub mod org;
pub mod reports;
pub mod sla;
pub mod text;
pub mod workflow;
