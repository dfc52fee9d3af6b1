//! How many GraphQL subscriptions a graphql-ws connection and a user may
//! hold at once. Each subscription is a hub client with its own queue, so an
//! unbounded count lets one socket turn a single comment into thousands of
//! messages. A [`Slot`] is taken when a subscription starts and given back
//! when its stream is dropped.
//!
//! One lock (the per-user map), never held across an await; the
//! per-connection count is an atomic owned by that connection.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use crate::error::{Error, Result};

/// The node's per-user counts and both limits.
pub struct SubscriptionLimits {
    per_connection: usize,
    per_user: usize,
    users: Mutex<HashMap<i64, usize>>,
}

/// One graphql-ws connection's count, in its connection data.
#[derive(Default)]
pub struct ConnectionSlots(AtomicUsize);

/// A held subscription; dropping it frees both counts.
pub struct Slot {
    limits: Arc<SubscriptionLimits>,
    connection: Arc<ConnectionSlots>,
    user: i64,
}

impl SubscriptionLimits {
    pub fn new(per_connection: usize, per_user: usize) -> Arc<Self> {
        Arc::new(Self { per_connection, per_user, users: Mutex::new(HashMap::new()) })
    }

    /// Takes a slot for `user` on `connection`, or says which limit is full.
    pub fn acquire(self: &Arc<Self>, connection: &Arc<ConnectionSlots>, user: i64) -> Result<Slot> {
        let taken = connection.0.fetch_add(1, Ordering::AcqRel);
        if taken >= self.per_connection {
            connection.0.fetch_sub(1, Ordering::AcqRel);
            let message = format!("a connection holds at most {} subscriptions", self.per_connection);
            return Err(Error::rate_limited("too_many_subscriptions", message));
        }
        {
            let mut users = self.users.lock().unwrap_or_else(|p| p.into_inner());
            let count = users.entry(user).or_insert(0);
            if *count >= self.per_user {
                drop(users);
                connection.0.fetch_sub(1, Ordering::AcqRel);
                let message = format!("a user holds at most {} subscriptions", self.per_user);
                return Err(Error::rate_limited("too_many_subscriptions", message));
            }
            *count += 1;
        }
        Ok(Slot { limits: self.clone(), connection: connection.clone(), user })
    }

    /// Subscriptions `user` holds on this node.
    pub fn held_by(&self, user: i64) -> usize {
        self.users.lock().unwrap_or_else(|p| p.into_inner()).get(&user).copied().unwrap_or(0)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.connection.0.fetch_sub(1, Ordering::AcqRel);
        let mut users = self.limits.users.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = users.get_mut(&self.user) {
            *count -= 1;
            if *count == 0 {
                users.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_connection_and_user_and_release_on_drop() {
        let limits = SubscriptionLimits::new(2, 3);
        let (a, b) = (Arc::new(ConnectionSlots::default()), Arc::new(ConnectionSlots::default()));
        let s1 = limits.acquire(&a, 7).unwrap();
        let _s2 = limits.acquire(&a, 7).unwrap();
        assert_eq!(limits.acquire(&a, 7).err().unwrap().code(), "too_many_subscriptions");
        let _s3 = limits.acquire(&b, 7).unwrap();
        assert_eq!(limits.acquire(&b, 7).err().unwrap().code(), "too_many_subscriptions", "user limit");
        assert!(limits.acquire(&b, 8).is_ok(), "another user is not affected");
        drop(s1);
        assert_eq!(limits.held_by(7), 2);
        assert!(limits.acquire(&b, 7).is_ok());
    }

    #[test]
    fn concurrent_acquire_and_release_balance() {
        let limits = SubscriptionLimits::new(1000, 1000);
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let limits = limits.clone();
                std::thread::spawn(move || {
                    let conn = Arc::new(ConnectionSlots::default());
                    for _ in 0..10_000 {
                        let slot = limits.acquire(&conn, 1);
                        drop(slot);
                    }
                })
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        assert_eq!(limits.held_by(1), 0);
    }
}
