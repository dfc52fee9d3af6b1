//! Layered configuration: compiled-in defaults, then `signoff.toml` (or the
//! file named by `--config` / `SIGNOFF_CONFIG`), then `SIGNOFF_*` environment
//! variables. The result is passed around as `Arc<Config>`, never a global.

use std::{fmt, net::SocketAddr, path::Path};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

mod notify;
pub use notify::NotifyConfig;

/// Every setting of a Signoff node. Each is documented in the README.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Address the HTTP server binds (`SIGNOFF_LISTEN`).
    pub listen: SocketAddr,
    /// `sqlite://…` (embedded default) or `postgres://…`.
    pub database_url: String,
    /// Connection pool size for requests.
    pub database_max_connections: u32,
    /// Connections of the background pool (outbox relay, leases, pruning).
    pub database_background_connections: u32,
    /// Milliseconds a request's SQL statement may run on PostgreSQL before
    /// it is cancelled (`unavailable`); 0 never cancels.
    pub database_statement_timeout_ms: u64,
    /// Seconds published outbox rows are kept before they are pruned.
    pub outbox_retention_secs: u64,
    /// Seconds mutation receipts (`clientMutationId` replays) are kept.
    pub receipt_retention_secs: u64,
    /// Run pending migrations when `serve` starts.
    pub migrate_on_start: bool,
    /// Seed the demo organisation when `serve` finds an empty database.
    pub seed_demo: bool,
    /// HS256 key for access tokens. When unset, a random key is generated
    /// once and kept in the database, so every node of a cluster shares it.
    pub jwt_secret: Option<String>,
    /// Lifetime of an access token, in seconds.
    pub access_token_ttl_secs: u64,
    /// Lifetime of a refresh token, in seconds.
    pub refresh_token_ttl_secs: u64,
    /// Largest accepted request body, in bytes.
    pub body_limit_bytes: usize,
    /// Deepest GraphQL selection accepted.
    pub graphql_depth_limit: usize,
    /// Highest GraphQL complexity accepted (a field costs 1, a list page its size).
    pub graphql_complexity_limit: usize,
    /// Largest page a connection returns.
    pub page_size_max: usize,
    /// `json` (default, for log shippers) or `pretty` (for a terminal).
    pub log_format: LogFormat,
    /// tracing filter, e.g. `info,signoff=debug` (`RUST_LOG` wins when set).
    pub log_level: String,
    /// Seconds in-flight requests get to finish after SIGTERM.
    pub shutdown_grace_secs: u64,
    /// Seconds a node keeps serving after SIGTERM while `/readyz` answers
    /// 503, so a load balancer stops sending it work before it closes.
    pub shutdown_drain_secs: u64,
    /// Proxies (addresses or CIDR blocks) whose `X-Forwarded-For` names the
    /// client, for logs and per-address limits; empty trusts none.
    #[serde(deserialize_with = "networks")]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Least time between two urges of one ticket, in seconds.
    pub urge_interval_secs: u64,
    /// `redis://…` to run as a cluster node (Redis bus and presence); unset
    /// means the embedded in-process bus (one node).
    pub redis_url: Option<String>,
    /// Prefix of every Redis key of this deployment.
    pub redis_prefix: String,
    /// This node's name in client ids and logs; random when unset.
    pub node_id: Option<String>,
    /// How long the bus keeps events for clients that resume, in seconds.
    pub bus_retention_secs: u64,
    /// At most this many events are kept, however young (memory bounded by
    /// configuration, not by traffic); resuming from before the oldest
    /// kept one gets `reset`, as from before the window.
    pub bus_retention_max_entries: u64,
    /// Whether this node may run the outbox relay (one node does at a time).
    pub relay_enabled: bool,
    /// Frames a WebSocket client may have waiting before it counts as slow.
    pub ws_queue: usize,
    /// Largest frame a client may send, in bytes.
    pub ws_max_frame_bytes: usize,
    /// Most unsent bytes per client before it counts as slow.
    pub ws_max_write_buffer_bytes: usize,
    /// Seconds between server pings.
    pub ws_ping_secs: u64,
    /// Seconds of silence after which a client is closed.
    pub ws_idle_secs: u64,
    /// Frames per second a client may send (then `rate_limited`).
    pub ws_frames_per_sec: u32,
    /// Burst allowance above that rate.
    pub ws_frames_burst: u32,
    /// Secret of the demo project `demo`; random (and printed) when unset.
    pub demo_project_secret: Option<String>,
    /// Seconds a request's headers may take to arrive (also how long a
    /// kept-alive connection may sit idle before its next request).
    pub http_header_timeout_secs: u64,
    /// Seconds a request's whole body may take to arrive.
    pub http_body_timeout_secs: u64,
    /// Login attempts one client address may make per minute (per node).
    pub login_attempts_per_minute: u32,
    /// Seconds the runtime may stop running before the process aborts so
    /// it is restarted; 0 turns the watchdog off.
    pub watchdog_secs: u64,
    /// Whether `GET /graphql` serves GraphiQL (its assets come from the binary).
    pub graphiql: bool,
    /// Whether the schema answers introspection (`__schema`, `__type`).
    /// GraphiQL needs it; clients built from `schema.graphql` do not.
    pub graphql_introspection: bool,
    /// Seconds a graphql-ws client has to send `connection_init` (then 4408).
    pub graphql_ws_init_timeout_secs: u64,
    /// Live GraphQL subscriptions one graphql-ws connection may hold.
    pub graphql_subscriptions_per_connection: usize,
    /// Live GraphQL subscriptions one user may hold across connections (per node).
    pub graphql_subscriptions_per_user: usize,
    /// Notifications (see [`NotifyConfig`]), flattened: `smtp_url`, `wecom_base`, …
    #[serde(flatten)]
    pub notify: NotifyConfig,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Json,
    Pretty,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "sqlite://signoff.db?mode=rwc".into(),
            database_max_connections: 16,
            database_background_connections: 2,
            database_statement_timeout_ms: 10_000,
            outbox_retention_secs: 24 * 3600,
            receipt_retention_secs: 24 * 3600,
            migrate_on_start: true,
            seed_demo: true,
            jwt_secret: None,
            access_token_ttl_secs: 15 * 60,
            refresh_token_ttl_secs: 30 * 24 * 3600,
            body_limit_bytes: 1024 * 1024,
            graphql_depth_limit: 12,
            graphql_complexity_limit: 2_000,
            page_size_max: 100,
            log_format: LogFormat::Json,
            log_level: "info".into(),
            shutdown_grace_secs: 20,
            shutdown_drain_secs: 5,
            trusted_proxies: Vec::new(),
            urge_interval_secs: 600,
            redis_url: None,
            redis_prefix: "signoff".into(),
            node_id: None,
            bus_retention_secs: 600,
            bus_retention_max_entries: 100_000,
            relay_enabled: true,
            ws_queue: 256,
            ws_max_frame_bytes: 16 * 1024,
            ws_max_write_buffer_bytes: 256 * 1024,
            ws_ping_secs: 25,
            ws_idle_secs: 75,
            ws_frames_per_sec: 20,
            ws_frames_burst: 40,
            demo_project_secret: None,
            watchdog_secs: 30,
            http_header_timeout_secs: 10,
            http_body_timeout_secs: 30,
            login_attempts_per_minute: 30,
            graphiql: true,
            graphql_introspection: true,
            graphql_ws_init_timeout_secs: 10,
            graphql_subscriptions_per_connection: 20,
            graphql_subscriptions_per_user: 50,
            notify: NotifyConfig::default(),
        }
    }
}

impl Config {
    /// Defaults, then the file (if it exists), then the environment.
    /// Refuses values out of range, naming each setting, rather than
    /// quietly running with something else.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let path = file.map(Path::to_path_buf).unwrap_or_else(|| "signoff.toml".into());
        let config: Self = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(path))
            .merge(Env::prefixed("SIGNOFF_").ignore(&["config"]))
            .extract()?;
        config.validate().map_err(|problems| anyhow::anyhow!("invalid settings: {}", problems.join("; ")))?;
        Ok(config)
    }

    /// Every setting out of its range, as `setting: why`.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        let mut at_least = |name: &str, value: u64, min: u64| {
            if value < min {
                problems.push(format!("{name} is {value}; it must be at least {min}"));
            }
        };
        at_least("database_max_connections", self.database_max_connections.into(), 1);
        at_least("database_background_connections", self.database_background_connections.into(), 1);
        at_least("outbox_retention_secs", self.outbox_retention_secs, 60);
        at_least("receipt_retention_secs", self.receipt_retention_secs, 60);
        at_least("access_token_ttl_secs", self.access_token_ttl_secs, 30);
        at_least("refresh_token_ttl_secs", self.refresh_token_ttl_secs, self.access_token_ttl_secs);
        at_least("body_limit_bytes", self.body_limit_bytes as u64, 1024);
        at_least("graphql_depth_limit", self.graphql_depth_limit as u64, 4);
        at_least("graphql_complexity_limit", self.graphql_complexity_limit as u64, 10);
        at_least("page_size_max", self.page_size_max as u64, 1);
        at_least("bus_retention_secs", self.bus_retention_secs, 1);
        at_least("bus_retention_max_entries", self.bus_retention_max_entries, 100);
        at_least("ws_queue", self.ws_queue as u64, 1);
        at_least("http_header_timeout_secs", self.http_header_timeout_secs, 1);
        at_least("http_body_timeout_secs", self.http_body_timeout_secs, 1);
        at_least("login_attempts_per_minute", self.login_attempts_per_minute.into(), 1);
        at_least("ws_max_frame_bytes", self.ws_max_frame_bytes as u64, 256);
        at_least("ws_max_write_buffer_bytes", self.ws_max_write_buffer_bytes as u64, 4096);
        at_least("ws_ping_secs", self.ws_ping_secs, 1);
        at_least("ws_idle_secs", self.ws_idle_secs, self.ws_ping_secs + 1);
        at_least("ws_frames_per_sec", self.ws_frames_per_sec.into(), 1);
        at_least("ws_frames_burst", self.ws_frames_burst.into(), 1);
        at_least("graphql_ws_init_timeout_secs", self.graphql_ws_init_timeout_secs, 1);
        at_least("graphql_subscriptions_per_connection", self.graphql_subscriptions_per_connection as u64, 1);
        at_least(
            "graphql_subscriptions_per_user",
            self.graphql_subscriptions_per_user as u64,
            self.graphql_subscriptions_per_connection as u64,
        );
        if self.watchdog_secs != 0 && self.watchdog_secs < 5 {
            problems.push(format!("watchdog_secs is {}; it must be 0 (off) or at least 5", self.watchdog_secs));
        }
        if self.redis_prefix.is_empty() {
            problems.push("redis_prefix is empty".into());
        }
        self.notify.validate(&mut problems);
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }

    /// True when the database is PostgreSQL rather than the embedded SQLite.
    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
    }
}

/// `trusted_proxies` from a list or from one comma-separated string (as
/// an environment variable gives it); a bare address is a one-host block.
fn networks<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Vec<ipnet::IpNet>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Given {
        One(String),
        Many(Vec<String>),
    }
    let items = match Given::deserialize(de)? {
        Given::One(s) => s.split(',').map(str::to_owned).collect(),
        Given::Many(v) => v,
    };
    items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>().or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from)).map_err(|_| {
                serde::de::Error::custom(format!("trusted_proxies: {s:?} is not an address or CIDR block"))
            })
        })
        .collect()
}

/// Secrets and passwords inside URLs stay out of logs.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("database_url", &redact_url(&self.database_url))
            .field("database_max_connections", &self.database_max_connections)
            .field("seed_demo", &self.seed_demo)
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "<set>"))
            .field("access_token_ttl_secs", &self.access_token_ttl_secs)
            .field("log_format", &self.log_format)
            .field("redis_url", &self.redis_url.as_deref().map(redact_url))
            .field("node_id", &self.node_id)
            .finish_non_exhaustive()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme + 3], &creds[..colon], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn out_of_range_settings_are_refused_by_name() {
        assert!(super::Config::default().validate().is_ok());
        let bad = super::Config { ws_queue: 0, ws_idle_secs: 5, ws_ping_secs: 25, ..Default::default() };
        let problems = bad.validate().unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("ws_queue is 0"), "{problems:?}");
        assert!(problems[1].starts_with("ws_idle_secs is 5"), "{problems:?}");
    }

    use super::*;

    #[test]
    fn trusted_proxies_come_from_a_list_or_a_comma_separated_string() {
        let from = |value: serde_json::Value| -> Result<Vec<String>, String> {
            let mut json = serde_json::to_value(Config::default()).unwrap();
            json["trusted_proxies"] = value;
            serde_json::from_value::<Config>(json)
                .map(|c| c.trusted_proxies.iter().map(ToString::to_string).collect())
                .map_err(|e| e.to_string())
        };
        assert_eq!(from("127.0.0.1, 10.0.0.0/8".into()).unwrap(), ["127.0.0.1/32", "10.0.0.0/8"]);
        assert_eq!(from(serde_json::json!(["::1"])).unwrap(), ["::1/128"]);
        assert_eq!(from("".into()).unwrap(), Vec::<String>::new());
        assert!(from("10.0.0.0/33".into()).unwrap_err().contains("not an address"));
    }

    #[test]
    fn passwords_in_urls_are_redacted() {
        assert_eq!(redact_url("postgres://u:p@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact_url("sqlite://x.db"), "sqlite://x.db");
    }
}
