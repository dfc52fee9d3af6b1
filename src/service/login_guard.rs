//! Limits on password guessing, per node. Each client address gets a rate
//! of login attempts (`login_attempts_per_minute`, governor's GCRA); each
//! account gets [`FREE_FAILURES`] wrong passwords, then waits 1 s, 2 s, 4 s …
//! up to [`MAX_LOCK`] after every further failure, and a success clears it.
//! Both answer `too_many_attempts` (429) saying how long to wait, before any
//! password is hashed, so guessing costs the guesser, not the server. Every
//! node keeps its own counts: behind a balancer of N nodes an attacker gets
//! at most N times the allowance.
//!
//! Locks: `failures` is a std mutex held for a map operation, never across
//! an await; governor's limiter is lock-free.

use std::{
    collections::HashMap,
    net::IpAddr,
    num::NonZeroU32,
    sync::Mutex,
    time::{Duration, Instant},
};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock as _};

use crate::error::{Error, Result};

/// Wrong passwords an account may have before it must wait.
pub const FREE_FAILURES: u32 = 5;
/// Longest wait after repeated failures.
pub const MAX_LOCK: Duration = Duration::from_secs(15 * 60);
/// Accounts (and addresses) tracked before stale ones are dropped (bounds memory).
const MAX_ACCOUNTS: usize = 100_000;

struct Failures {
    count: u32,
    locked_until: Option<Instant>,
}

pub struct LoginGuard {
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    failures: Mutex<HashMap<String, Failures>>,
}

fn too_many(wait: Duration) -> Error {
    let secs = wait.as_secs().max(1);
    Error::rate_limited("too_many_attempts", format!("too many login attempts; try again in {secs} s"))
}

impl LoginGuard {
    pub fn new(attempts_per_minute: u32) -> Self {
        let per_minute = NonZeroU32::new(attempts_per_minute).unwrap_or(NonZeroU32::MIN);
        Self { per_address: RateLimiter::keyed(Quota::per_minute(per_minute)), failures: Mutex::default() }
    }

    /// Whether an attempt may go ahead; counts it against the address.
    pub fn admit(&self, username: &str, address: Option<IpAddr>) -> Result<()> {
        if let Some(locked) = self
            .failures
            .lock()
            .expect("login failures poisoned")
            .get(username)
            .and_then(|f| f.locked_until)
            .filter(|until| *until > Instant::now())
        {
            return Err(too_many(locked - Instant::now()));
        }
        if let Some(address) = address {
            // Forget addresses whose allowance is whole again (bounds memory).
            if self.per_address.len() >= MAX_ACCOUNTS {
                self.per_address.retain_recent();
            }
            if let Err(not_until) = self.per_address.check_key(&address) {
                return Err(too_many(not_until.wait_time_from(governor::clock::DefaultClock::default().now())));
            }
        }
        Ok(())
    }

    /// A wrong password for `username`.
    pub fn failed(&self, username: &str) {
        let mut failures = self.failures.lock().expect("login failures poisoned");
        if failures.len() >= MAX_ACCOUNTS && !failures.contains_key(username) {
            failures.retain(|_, f| f.locked_until.is_some_and(|u| u > Instant::now()));
        }
        let entry = failures.entry(username.to_string()).or_insert(Failures { count: 0, locked_until: None });
        entry.count += 1;
        if entry.count >= FREE_FAILURES {
            let exponent = (entry.count - FREE_FAILURES).min(20);
            let wait = Duration::from_secs(1u64 << exponent).min(MAX_LOCK);
            entry.locked_until = Some(Instant::now() + wait);
        }
    }

    /// A successful login clears the account's failures.
    pub fn succeeded(&self, username: &str) {
        self.failures.lock().expect("login failures poisoned").remove(username);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_back_off_and_success_clears() {
        let guard = LoginGuard::new(1000);
        for _ in 0..FREE_FAILURES - 1 {
            guard.failed("alice");
            assert!(guard.admit("alice", None).is_ok());
        }
        guard.failed("alice");
        let err = guard.admit("alice", None).unwrap_err();
        assert_eq!(err.code(), "too_many_attempts");
        assert!(guard.admit("bob", None).is_ok(), "other accounts are not affected");
        guard.succeeded("alice");
        assert!(guard.admit("alice", None).is_ok());
    }

    #[test]
    fn addresses_get_a_rate() {
        let guard = LoginGuard::new(3);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..3 {
            assert!(guard.admit("x", Some(ip)).is_ok());
        }
        assert_eq!(guard.admit("x", Some(ip)).unwrap_err().code(), "too_many_attempts");
        assert!(guard.admit("x", Some("10.0.0.2".parse().unwrap())).is_ok());
    }
}
