//! State shared by the nodes besides the bus: presence (which clients are
//! where, with what user and tags, so a push can say how many clients it
//! matched cluster-wide and GraphQL can list who is online) and the replay
//! guard of signed pushes. In-process for the embedded default, Redis for a
//! cluster; one trait, picked in the same factory as the bus.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use redis::{AsyncCommands, aio::ConnectionManager};

use super::{
    bus::Route,
    hub::{Conn, Hub},
};

pub type ClusterResult<T> = Result<T, String>;

/// Presence and replay protection across the cluster.
#[async_trait::async_trait]
pub trait ClusterState: Send + Sync + 'static {
    async fn joined(&self, conn: &Conn) -> ClusterResult<()>;
    /// A client went; `tags` are the tags it followed.
    async fn left(&self, conn: &Conn, tags: &[String]) -> ClusterResult<()>;
    async fn tagged(&self, conn: &Conn, tags: &[String], subscribed: bool) -> ClusterResult<()>;
    /// Clients anywhere in the cluster a route matches.
    async fn count(&self, pid: &str, route: &Route) -> ClusterResult<usize>;
    /// Users with at least one client anywhere, sorted.
    async fn online_users(&self, pid: &str) -> ClusterResult<Vec<String>>;
    /// True the first time `key` is seen within `ttl`; false for a replay.
    async fn first_use(&self, key: &str, ttl: Duration) -> ClusterResult<bool>;
    /// Periodic upkeep: liveness of this node, clean-up after dead ones.
    async fn tick(&self) -> ClusterResult<()>;
}

/// One node: the hub already knows everything.
pub struct LocalState {
    hub: Arc<Hub>,
    used: Mutex<UsedSignatures>,
}

impl LocalState {
    pub fn new(hub: Arc<Hub>) -> Self {
        Self { hub, used: Mutex::default() }
    }
}

#[async_trait::async_trait]
impl ClusterState for LocalState {
    async fn joined(&self, _: &Conn) -> ClusterResult<()> {
        Ok(())
    }
    async fn left(&self, _: &Conn, _: &[String]) -> ClusterResult<()> {
        Ok(())
    }
    async fn tagged(&self, _: &Conn, _: &[String], _: bool) -> ClusterResult<()> {
        Ok(())
    }
    async fn count(&self, pid: &str, route: &Route) -> ClusterResult<usize> {
        let probe = super::bus::Envelope {
            pid: pid.into(),
            route: route.clone(),
            data: super::bus::JsonText::null(),
            event_id: None,
            committed_ms: 0,
            control: None,
        };
        Ok(self.hub.matching(&probe).len())
    }
    async fn online_users(&self, pid: &str) -> ClusterResult<Vec<String>> {
        Ok(self.hub.online_users(pid))
    }
    async fn first_use(&self, key: &str, ttl: Duration) -> ClusterResult<bool> {
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        Ok(used.first_use(key, Instant::now(), ttl))
    }
    async fn tick(&self) -> ClusterResult<()> {
        Ok(())
    }
}

/// Signatures seen, until they expire. Expiries sit in insertion order, so
/// forgetting the old ones costs only what expired (a connect storm of
/// 10,000 clients stays linear); an entry with a shorter ttl behind a
/// longer one is forgotten late, which only keeps it refused a little
/// longer than needed.
#[derive(Default)]
struct UsedSignatures {
    until: HashMap<String, Instant>,
    order: std::collections::VecDeque<(Instant, String)>,
}

impl UsedSignatures {
    fn first_use(&mut self, key: &str, now: Instant, ttl: Duration) -> bool {
        while let Some((expiry, _)) = self.order.front() {
            if *expiry > now {
                break;
            }
            if let Some((expiry, old)) = self.order.pop_front() {
                if self.until.get(&old).is_some_and(|e| *e <= expiry) {
                    self.until.remove(&old);
                }
            }
        }
        if self.until.get(key).is_some_and(|e| *e > now) {
            return false;
        }
        let expiry = now + ttl;
        self.until.insert(key.to_string(), expiry);
        self.order.push_back((expiry, key.to_string()));
        true
    }
}

/// Presence in Redis sets: per user and per tag the client ids, per node
/// its client ids, and a liveness key per node that expires when the node
/// dies, after which any node cleans up its clients.
pub struct RedisState {
    conn: ConnectionManager,
    prefix: String,
    node: String,
}

const ALIVE_SECS: u64 = 15;

fn err(e: redis::RedisError) -> String {
    e.to_string()
}

impl RedisState {
    pub fn new(conn: ConnectionManager, prefix: &str, node: &str) -> Self {
        Self { conn, prefix: prefix.to_string(), node: node.to_string() }
    }
    fn user_key(&self, pid: &str, uid: &str) -> String {
        format!("{}:u:{pid}:{uid}", self.prefix)
    }
    fn tag_key(&self, pid: &str, tag: &str) -> String {
        format!("{}:t:{pid}:{tag}", self.prefix)
    }
    fn client_key(&self, cid: &str) -> String {
        format!("{}:c:{cid}", self.prefix)
    }
    fn client_tags_key(&self, cid: &str) -> String {
        format!("{}:ct:{cid}", self.prefix)
    }
    fn node_key(&self, node: &str) -> String {
        format!("{}:n:{node}", self.prefix)
    }
    fn online_key(&self, pid: &str) -> String {
        format!("{}:online:{pid}", self.prefix)
    }

    /// Removes a client from every index, given what it was.
    async fn forget(&self, node: &str, cid: &str, pid: &str, uid: Option<&str>, tags: &[String]) -> ClusterResult<()> {
        let mut pipe = redis::pipe();
        pipe.srem(self.node_key(node), cid)
            .ignore()
            .del(self.client_key(cid))
            .ignore()
            .del(self.client_tags_key(cid))
            .ignore();
        if let Some(uid) = uid {
            pipe.srem(self.user_key(pid, uid), cid).ignore().hincr(self.online_key(pid), uid, -1).ignore();
        }
        for tag in tags {
            pipe.srem(self.tag_key(pid, tag), cid).ignore();
        }
        pipe.query_async::<()>(&mut self.conn.clone()).await.map_err(err)
    }
}

#[async_trait::async_trait]
impl ClusterState for RedisState {
    async fn joined(&self, conn: &Conn) -> ClusterResult<()> {
        let mut pipe = redis::pipe();
        let uid = conn.uid.clone().unwrap_or_default();
        pipe.sadd(self.node_key(&self.node), &conn.cid).ignore();
        pipe.hset_multiple(
            self.client_key(&conn.cid),
            &[("pid", conn.pid.as_str()), ("uid", uid.as_str()), ("node", self.node.as_str())],
        )
        .ignore();
        if let Some(uid) = &conn.uid {
            pipe.sadd(self.user_key(&conn.pid, uid), &conn.cid)
                .ignore()
                .hincr(self.online_key(&conn.pid), uid, 1)
                .ignore();
        }
        pipe.query_async::<()>(&mut self.conn.clone()).await.map_err(err)
    }

    async fn left(&self, conn: &Conn, tags: &[String]) -> ClusterResult<()> {
        self.forget(&self.node, &conn.cid, &conn.pid, conn.uid.as_deref(), tags).await
    }

    async fn tagged(&self, conn: &Conn, tags: &[String], subscribed: bool) -> ClusterResult<()> {
        let mut pipe = redis::pipe();
        for tag in tags {
            if subscribed {
                pipe.sadd(self.tag_key(&conn.pid, tag), &conn.cid)
                    .ignore()
                    .sadd(self.client_tags_key(&conn.cid), tag)
                    .ignore();
            } else {
                pipe.srem(self.tag_key(&conn.pid, tag), &conn.cid)
                    .ignore()
                    .srem(self.client_tags_key(&conn.cid), tag)
                    .ignore();
            }
        }
        pipe.query_async::<()>(&mut self.conn.clone()).await.map_err(err)
    }

    async fn count(&self, pid: &str, route: &Route) -> ClusterResult<usize> {
        let mut conn = self.conn.clone();
        let union = |keys: Vec<String>| {
            let mut conn = conn.clone();
            async move {
                if keys.is_empty() {
                    return Ok::<Option<HashSet<String>>, String>(None);
                }
                let members: HashSet<String> = conn.sunion(keys).await.map_err(err)?;
                Ok(Some(members))
            }
        };
        let (uids, cids, tags, intersect) = match route {
            Route::Intersect { uids, cids, tags } => (uids, cids, tags, true),
            Route::Union { uids, tags } => (uids, &Vec::new(), tags, false),
        };
        let by_user = union(uids.iter().map(|u| self.user_key(pid, u)).collect()).await?;
        let by_tag = union(tags.iter().map(|t| self.tag_key(pid, t)).collect()).await?;
        let by_cid = if cids.is_empty() {
            None
        } else {
            let mut found = HashSet::new();
            for cid in cids {
                let owner: Option<String> = conn.hget(self.client_key(cid), "pid").await.map_err(err)?;
                if owner.as_deref() == Some(pid) {
                    found.insert(cid.clone());
                }
            }
            Some(found)
        };
        let sets: Vec<HashSet<String>> = [by_user, by_cid, by_tag].into_iter().flatten().collect();
        if sets.is_empty() {
            return Ok(0);
        }
        let combined = if intersect {
            sets.iter().skip(1).fold(sets[0].clone(), |acc, s| acc.intersection(s).cloned().collect())
        } else {
            sets.into_iter().flatten().collect()
        };
        Ok(combined.len())
    }

    async fn online_users(&self, pid: &str) -> ClusterResult<Vec<String>> {
        let counts: HashMap<String, i64> = self.conn.clone().hgetall(self.online_key(pid)).await.map_err(err)?;
        let mut users: Vec<String> = counts.into_iter().filter(|(_, n)| *n > 0).map(|(u, _)| u).collect();
        users.sort();
        Ok(users)
    }

    async fn first_use(&self, key: &str, ttl: Duration) -> ClusterResult<bool> {
        let set: Option<String> = redis::cmd("SET")
            .arg(format!("{}:replay:{key}", self.prefix))
            .arg(1)
            .arg("NX")
            .arg("EX")
            .arg(ttl.as_secs().max(1))
            .query_async(&mut self.conn.clone())
            .await
            .map_err(err)?;
        Ok(set.is_some())
    }

    async fn tick(&self) -> ClusterResult<()> {
        let mut conn = self.conn.clone();
        let nodes_key = format!("{}:nodes", self.prefix);
        let _: () = conn.set_ex(format!("{}:alive:{}", self.prefix, self.node), 1, ALIVE_SECS).await.map_err(err)?;
        let _: () = conn.sadd(&nodes_key, &self.node).await.map_err(err)?;
        let nodes: Vec<String> = conn.smembers(&nodes_key).await.map_err(err)?;
        for node in nodes.into_iter().filter(|n| n != &self.node) {
            let alive: bool = conn.exists(format!("{}:alive:{node}", self.prefix)).await.map_err(err)?;
            if alive {
                continue;
            }
            let cids: Vec<String> = conn.smembers(self.node_key(&node)).await.map_err(err)?;
            for cid in cids {
                let info: HashMap<String, String> = conn.hgetall(self.client_key(&cid)).await.map_err(err)?;
                let tags: Vec<String> = conn.smembers(self.client_tags_key(&cid)).await.map_err(err)?;
                let pid = info.get("pid").cloned().unwrap_or_default();
                let uid = info.get("uid").filter(|u| !u.is_empty()).cloned();
                self.forget(&node, &cid, &pid, uid.as_deref(), &tags).await?;
            }
            let _: () = conn.srem(&nodes_key, &node).await.map_err(err)?;
            tracing::info!(node = %node, "cleaned up the clients of a node that stopped");
        }
        Ok(())
    }
}
