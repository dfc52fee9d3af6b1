//! Signoff's integration tests: one binary, the real app on a random port,
//! a fresh database per test. Run the suite once per backend
//! (`SIGNOFF_TEST_BACKEND=sqlite|postgres`); `scripts/test` does both.

mod access;
mod auth;
mod authorization;
mod clients;
mod cluster;
mod fakes;
mod flow;
mod graphql_ws;
mod hardening;
mod harness;
mod history;
mod http;
mod input_safety;
mod jobs;
mod limits;
mod lists;
mod node;
mod notify;
mod notify_admin;
mod org;
mod paging;
mod rating;
mod realtime;
mod reports;
mod schema;
mod security;
mod sla;
mod statements;
mod subscriptions;
mod templates;
mod volume;
mod workflow;
mod workflow_rules;
mod workflow_safety;
mod ws;
