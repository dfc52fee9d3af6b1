//! Signoff: a ticket and approval workflow service (工单系统) with realtime push.
//!
//! Map of the crate, from the inside out:
//! - [`domain`]: the rules (organisation shape, access), free of I/O.
//! - [`error`]: the one error type, with stable codes and HTTP statuses.
//! - [`config`]: layered configuration (defaults, file, `SIGNOFF_*`).
//! - [`store`]: the database (SQLite or PostgreSQL) behind one factory.
//! - [`service`]: use cases tying the domain to storage.
//! - [`graphql`]: the GraphQL schema over the services.
//! - [`http`]: routes, probes, metrics and the layers around them.
//! - [`realtime`]: the bus, the outbox relay, the WebSocket hub and the
//!   ws-cluster protocol, GraphQL subscriptions.
//! - [`app`]: assembling and running a node; [`cli`]: the commands;
//!   [`telemetry`]: logging; [`watchdog`]: aborts a wedged node;
//!   [`bench`]: load tools for a running node.
//!
//! The rule between the API and the rest: every write goes through a use
//! case in [`service`] (permissions, validation, events); reads that only
//! filter what the viewer may see go from GraphQL resolvers to the
//! [`store`] directly, through the visibility checks of [`service`]. No
//! API type (async-graphql's `ID`, input objects) reaches [`service`]:
//! `graphql::inputs` converts at the edge.

pub mod app;
pub mod bench;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod graphql;
pub mod http;
pub mod realtime;
pub mod service;
pub mod store;
pub mod telemetry;
pub mod watchdog;

pub use error::{Error, Result};
