//! Starts the real app on a free 127.0.0.1 port against a fresh database
//! and talks to it over HTTP, as a client would.
//!
//! The backend comes from `SIGNOFF_TEST_BACKEND`: `sqlite` (default; a file
//! in a fresh temporary directory) or `postgres` (a fresh database per test
//! on `SIGNOFF_TEST_PG_URL`, default `postgres://postgres@127.0.0.1:5432`,
//! dropped afterwards). Logs stay silent unless `TEST_LOG` is set.

use std::{net::SocketAddr, path::PathBuf, sync::Arc, time::Duration};

use serde_json::{Value, json};
use signoff::config::{Config, LogFormat};
use tokio::{sync::mpsc, task::JoinHandle};

pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret!";
pub const DEMO_SECRET: &str = "demo-secret";

pub fn redis_url() -> String {
    std::env::var("SIGNOFF_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

enum TestDb {
    Sqlite(PathBuf),
    Postgres { server: String, name: String },
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub config: Arc<Config>,
    /// Each message is a SIGTERM: the first starts the drain, the next ends it.
    shutdown: Option<mpsc::UnboundedSender<()>>,
    server: Option<JoinHandle<anyhow::Result<()>>>,
    /// Each node runs on a runtime of its own, so killing it ends every
    /// task it started, connections included, as a crash would.
    runtime: Option<tokio::runtime::Runtime>,
    db: Option<TestDb>,
}

pub fn backend() -> String {
    std::env::var("SIGNOFF_TEST_BACKEND").unwrap_or_else(|_| "sqlite".into())
}

fn init_once() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
        if std::env::var_os("TEST_LOG").is_some() {
            signoff::telemetry::init(&Config {
                log_format: LogFormat::Pretty,
                log_level: "debug".into(),
                ..Config::default()
            });
        }
    });
}

async fn fresh_database() -> (String, TestDb) {
    let id = uuid::Uuid::new_v4().simple().to_string();
    if backend() == "postgres" {
        let server =
            std::env::var("SIGNOFF_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        let name = format!("signoff_t_{}", &id[..16]);
        let admin =
            sea_orm::Database::connect(format!("{server}/postgres")).await.expect("PostgreSQL for tests is reachable");
        signoff::store::execute_raw(&admin, &format!("CREATE DATABASE {name}")).await.expect("create test database");
        let _ = admin.close().await;
        (format!("{server}/{name}"), TestDb::Postgres { server, name })
    } else {
        let dir = std::env::temp_dir().join(format!("signoff-test-{id}"));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.join("signoff.db").display());
        (url, TestDb::Sqlite(dir))
    }
}

impl TestApp {
    /// The app with the demo organisation, on a fresh database.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Like [`spawn`](Self::spawn), with configuration tweaks.
    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> Self {
        init_once();
        let (database_url, db) = fresh_database().await;
        let mut config = Self::config(database_url);
        tweak(&mut config);
        Self::start(config, Some(db)).await
    }

    fn config(database_url: String) -> Config {
        Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            database_url,
            database_max_connections: 5,
            jwt_secret: Some(JWT_SECRET.into()),
            shutdown_grace_secs: 2,
            // Nothing balances load in front of a test node.
            shutdown_drain_secs: 0,
            // Many nodes share this process; one that stalls must not abort it.
            watchdog_secs: 0,
            // Tests log many people in from one address; one test checks the limit.
            login_attempts_per_minute: 10_000,
            demo_project_secret: Some(DEMO_SECRET.into()),
            redis_url: (backend() == "postgres").then(redis_url),
            redis_prefix: format!("signoff-test-{}", uuid::Uuid::new_v4().simple()),
            ..Config::default()
        }
    }

    /// `n` nodes of one cluster started at the same moment on a fresh
    /// database, each migrating and seeding as a node started by hand does.
    pub async fn spawn_together(n: usize) -> Vec<Self> {
        init_once();
        let (database_url, db) = fresh_database().await;
        let first = Self::config(database_url);
        let configs: Vec<Config> = (0..n)
            .map(|_| Config { node_id: None, redis_prefix: first.redis_prefix.clone(), ..first.clone() })
            .collect();
        let mut db = Some(db);
        let starts = configs.into_iter().map(|c| Self::start(c, db.take()));
        futures::future::join_all(starts).await
    }

    /// Another node of the same cluster: same database, same Redis prefix.
    pub async fn spawn_peer(&self, tweak: impl FnOnce(&mut Config)) -> Self {
        let mut config = (*self.config).clone();
        config.node_id = None;
        config.migrate_on_start = false;
        tweak(&mut config);
        Self::start(config, None).await
    }

    async fn start(config: Config, db: Option<TestDb>) -> Self {
        let config = Arc::new(config);
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let addr = std_listener.local_addr().unwrap();
        let (tx, rx) = mpsc::unbounded_channel::<()>();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let server = runtime.spawn({
            let config = config.clone();
            async move {
                let listener = tokio::net::TcpListener::from_std(std_listener)?;
                signoff::app::run(config, listener, tokio_stream::wrappers::UnboundedReceiverStream::new(rx)).await
            }
        });
        let app = TestApp {
            addr,
            client: reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap(),
            config,
            shutdown: Some(tx),
            server: Some(server),
            runtime: Some(runtime),
            db,
        };
        app.wait_ready().await;
        app
    }

    async fn wait_ready(&self) {
        for _ in 0..300 {
            if let Ok(r) = self.client.get(self.url("/readyz")).send().await {
                if r.status().is_success() {
                    return;
                }
            }
            if self.server.as_ref().is_some_and(|s| s.is_finished()) {
                panic!("the app stopped while starting");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the app did not become ready");
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Posts a GraphQL operation and returns the whole JSON response.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut req = self.client.post(self.url("/graphql")).json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let resp = req.send().await.expect("request sent");
        resp.json().await.expect("a JSON response")
    }

    /// The `data` of a response that must have no errors.
    pub async fn gql_ok(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let resp = self.gql(token, query, variables).await;
        assert!(resp.get("errors").is_none(), "unexpected errors: {resp:#}");
        resp["data"].clone()
    }

    /// The `extensions.code` of the first error of a response that must fail.
    pub async fn gql_err(&self, token: Option<&str>, query: &str, variables: Value) -> String {
        let resp = self.gql(token, query, variables).await;
        error_code(&resp).unwrap_or_else(|| panic!("expected an error: {resp:#}"))
    }

    pub async fn login_pair(&self, username: &str, password: &str) -> Value {
        let data = self
            .gql_ok(
                None,
                "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken refreshToken user { id username } } }",
                json!({ "u": username, "p": password }),
            )
            .await;
        data["login"].clone()
    }

    /// An access token for a demo user.
    pub async fn token(&self, username: &str) -> String {
        self.login_pair(username, "signoff").await["accessToken"].as_str().unwrap().to_string()
    }

    /// The id of a user by username, read as admin.
    pub async fn user_id(&self, admin: &str, username: &str) -> String {
        let data = self
            .gql_ok(
                Some(admin),
                "query($s: String) { users(search: $s, first: 50) { edges { node { id username } } } }",
                json!({ "s": username }),
            )
            .await;
        data["users"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["node"]["username"] == username)
            .map(|e| e["node"]["id"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no user {username}"))
    }

    /// Stops the server and drops the database and the Redis keys.
    pub async fn stop(mut self) {
        self.shutdown_server().await;
        if let Some(db) = self.db.take() {
            drop_database(db).await;
            if let Some(url) = &self.config.redis_url {
                // The node's runtime stops without waiting for its tasks; let
                // a client's last presence update land before clearing.
                tokio::time::sleep(Duration::from_millis(300)).await;
                clear_redis(url, &self.config.redis_prefix).await;
            }
        }
    }

    /// Sends the node what SIGTERM sends a process, without waiting for it.
    pub fn terminate(&self) {
        if let Some(tx) = &self.shutdown {
            let _ = tx.send(());
        }
    }

    /// Waits for the server to end by itself (after [`Self::terminate`]).
    pub async fn stopped(&mut self, within: Duration) -> bool {
        let Some(server) = self.server.as_mut() else { return true };
        let done = tokio::time::timeout(within, server).await.is_ok();
        if done {
            self.server = None;
        }
        done
    }

    /// Stops this node as a crash would: every task it ran ends at once,
    /// nothing is released or said goodbye to.
    pub fn kill(mut self) {
        assert!(self.db.is_none(), "kill peers, not the node that owns the test database");
        self.shutdown.take();
        self.server.take();
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }

    async fn shutdown_server(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

async fn drop_database(db: TestDb) {
    match db {
        TestDb::Sqlite(dir) => {
            let _ = std::fs::remove_dir_all(dir);
        }
        TestDb::Postgres { server, name } => {
            if let Ok(admin) = sea_orm::Database::connect(format!("{server}/postgres")).await {
                let _ =
                    signoff::store::execute_raw(&admin, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                let _ = admin.close().await;
            }
        }
    }
}

async fn clear_redis(url: &str, prefix: &str) {
    let Ok(client) = redis::Client::open(url) else { return };
    let Ok(mut conn) = client.get_multiplexed_async_connection().await else { return };
    let keys: Vec<String> =
        redis::cmd("KEYS").arg(format!("{prefix}:*")).query_async(&mut conn).await.unwrap_or_default();
    if !keys.is_empty() {
        let _: redis::RedisResult<()> = redis::cmd("DEL").arg(keys).query_async(&mut conn).await;
    }
}

/// A test that panicked still cleans up: the database is dropped from a
/// thread of its own, since the test's runtime may be gone.
impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
        if let Some(db) = self.db.take() {
            let _ = std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(drop_database(db))
            })
            .join();
        }
    }
}

/// `errors[0].extensions.code`, if any.
pub fn error_code(resp: &Value) -> Option<String> {
    resp["errors"][0]["extensions"]["code"].as_str().map(str::to_string)
}
