//! Use cases: each function loads what it needs through the [`Store`],
//! applies the domain's rules and writes the result. GraphQL resolvers are
//! thin wrappers over these.
//!
//! - [`access`]: the caller's current status, roles and session, cached per node.
//! - [`auth`]: passwords, access tokens (JWT), refresh-token rotation with
//!   reuse detection, API tokens for bots, and turning a bearer into an actor.
//! - [`login_guard`]: limits on password guessing (per account, per address).
//! - [`passwords`]: argon2id hashing off the async runtime.
//! - [`users`]: creating, updating, deactivating users; own password.
//! - [`departments`]: the department tree and roles.
//! - [`proxies`]: naming and revoking proxies (代理人).
//! - [`projects`]: ws-cluster projects and their secrets.
//! - [`catalog`]: per-node caches of the organisation and templates.
//! - [`templates`]: saving templates (new versions on every edit).
//! - [`tickets`]: the workflow engine: filing and acting on tickets.
//! - [`notify`]: notifications (mail, WeCom cards and robots), mobile links.
//! - [`reports`]: managers' reports: access, periods, CSV exports.
//! - [`timers`]: what happens as time passes (ended proxy windows, pruning).
//! - [`webhooks`]: the webhook executor of automation jobs (signed calls).
//! - [`volume`]: months of generated history (`seed --volume`).
//! - [`input`]: shared parsing of ids and collection of field issues.
//!
//! [`Store`]: crate::store::Store

pub mod access;
pub mod auth;
pub mod catalog;
pub mod departments;
pub mod input;
pub mod login_guard;
pub mod notify;
pub mod passwords;
pub mod projects;
pub mod proxies;
pub mod reports;
pub mod templates;
pub mod tickets;
pub mod timers;
pub mod users;
pub mod volume;
pub mod webhooks;
