//! Access as it stands now, not as a token said when it was issued: every
//! request's user is checked for being active and for their current roles,
//! and its login session for not having ended. Answers come from a per-node
//! cache, so the hot path costs two map lookups; writes that change access
//! tell the cache at once ([`Store::on_access_change`]) and every other node
//! through the bus ([`Control`]). Entries also age out after [`MAX_AGE`], which
//! bounds how long a node that missed a bus message can be wrong.
//!
//! Locks: `users` and `sessions` are separate std `RwLock`s, never held
//! together and never across an await.

use std::{
    collections::HashMap,
    sync::RwLock,
    time::{Duration, Instant},
};

use crate::{
    domain::{access::Actor, events::Control},
    error::{Error, Result},
    store::Store,
};

/// Longest an answer is trusted without a bus message saying otherwise.
pub const MAX_AGE: Duration = Duration::from_secs(30);

/// Bounds memory: the maps are cleared when they grow past this.
const MAX_ENTRIES: usize = 100_000;

/// A user as access checks see them.
#[derive(Debug, Clone)]
struct Standing {
    /// Role codes; `None` when the user is missing or deactivated.
    roles: Option<Vec<String>>,
    at: Instant,
}

pub struct AccessCache {
    store: Store,
    users: RwLock<HashMap<i64, Standing>>,
    sessions: RwLock<HashMap<String, (bool, Instant)>>,
}

impl AccessCache {
    pub fn new(store: Store) -> Self {
        Self { store, users: RwLock::default(), sessions: RwLock::default() }
    }

    /// The caller as they stand now; `unauthenticated` when the account was
    /// deactivated or the session ended since the token was issued.
    pub async fn actor(&self, user_id: i64, session: Option<&str>) -> Result<Actor> {
        let roles = self.roles(user_id).await?.ok_or_else(|| {
            Error::unauthenticated("account_deactivated", "this account is deactivated or no longer exists")
        })?;
        if let Some(session) = session {
            if !self.session_alive(session).await? {
                return Err(Error::unauthenticated("session_ended", "this session has ended; log in again"));
            }
        }
        Ok(Actor::new(user_id, &roles).in_session(session.map(str::to_string)))
    }

    async fn roles(&self, user_id: i64) -> Result<Option<Vec<String>>> {
        if let Some(s) = self.users.read().expect("access cache poisoned").get(&user_id) {
            if s.at.elapsed() < MAX_AGE {
                return Ok(s.roles.clone());
            }
        }
        let active = self.store.user(user_id).await?.is_some_and(|u| u.active);
        let roles = if active {
            Some(self.store.role_codes_of(&[user_id]).await?.remove(&user_id).unwrap_or_default())
        } else {
            None
        };
        let mut users = self.users.write().expect("access cache poisoned");
        if users.len() >= MAX_ENTRIES {
            users.clear();
        }
        users.insert(user_id, Standing { roles: roles.clone(), at: Instant::now() });
        Ok(roles)
    }

    async fn session_alive(&self, session: &str) -> Result<bool> {
        if let Some((alive, at)) = self.sessions.read().expect("access cache poisoned").get(session) {
            if at.elapsed() < MAX_AGE || !alive {
                return Ok(*alive);
            }
        }
        let alive = self.store.session_alive(session).await?;
        let mut sessions = self.sessions.write().expect("access cache poisoned");
        if sessions.len() >= MAX_ENTRIES {
            sessions.clear();
        }
        sessions.insert(session.to_string(), (alive, Instant::now()));
        Ok(alive)
    }

    /// Drops what a change made stale. An ended session is remembered as
    /// ended: it never comes back.
    pub fn apply(&self, control: &Control) {
        match control {
            Control::UserChanged { user_id } => {
                self.users.write().expect("access cache poisoned").remove(user_id);
            }
            Control::SessionEnded { session } => {
                self.sessions.write().expect("access cache poisoned").insert(session.clone(), (false, Instant::now()));
            }
            Control::ProjectChanged { .. } => {}
        }
    }
}
