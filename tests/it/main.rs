//! Signoff's integration tests: one binary, the real app on a random port,
//! a fresh database per test. Run the suite once per backend
//! (`SIGNOFF_TEST_BACKEND=sqlite|postgres`); `scripts/test` does both.

mod access;
mod auth;
mod harness;
mod http;
mod org;
mod paging;
mod schema;
