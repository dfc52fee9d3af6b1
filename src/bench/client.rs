//! A minimal GraphQL-over-HTTP client for the benches.

use anyhow::{Context as _, bail};
use serde_json::{Value, json};

/// One HTTP connection pool shared by the virtual users.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoint: String,
}

impl Client {
    pub fn new(base: &str, connections: usize) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(connections)
            .tcp_nodelay(true)
            .timeout(std::time::Duration::from_secs(30))
            .build()?;
        Ok(Self { http, endpoint: format!("{}/graphql", base.trim_end_matches('/')) })
    }

    /// Runs an operation; `Err` on transport failure, HTTP error or GraphQL errors.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> anyhow::Result<Value> {
        let mut request = self.http.post(&self.endpoint).json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.context("sending")?;
        let status = response.status();
        let body: Value = response.json().await.context("reading the body")?;
        if !status.is_success() {
            bail!("HTTP {status}: {body}");
        }
        if let Some(errors) = body.get("errors") {
            bail!("{errors}");
        }
        Ok(body["data"].clone())
    }

    /// An access token for a user (demo password unless given).
    pub async fn login(&self, username: &str, password: &str) -> anyhow::Result<String> {
        let data = self
            .gql(
                None,
                "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }",
                json!({ "u": username, "p": password }),
            )
            .await
            .with_context(|| format!("logging in as {username}"))?;
        Ok(data["login"]["accessToken"].as_str().context("no token")?.to_string())
    }
}
