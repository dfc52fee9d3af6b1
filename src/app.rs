//! Assembling and running a node: [`start`] opens the store, migrates,
//! seeds the demo organisation on an empty database and loads the signing
//! keys; [`run`] serves a listener until the shutdown future resolves. Tests
//! call `run` with a listener on 127.0.0.1:0, exactly as `main` does.

use std::{sync::Arc, time::Duration};

use futures::{Stream, StreamExt as _};

use anyhow::Context as _;
use tokio::net::TcpListener;

use crate::{
    config::Config,
    graphql::{self, AppSchema},
    realtime::{Realtime, SIGNOFF_PID},
    service::{
        access::AccessCache,
        auth::TokenKeys,
        catalog::Catalog,
        notify::{links::LinkSigner, live::Channels},
        passwords,
        tickets::Workflow,
    },
    store::{Store, seed::DEMO_PASSWORD},
};

/// Shared by every request handler; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub keys: Arc<TokenKeys>,
    pub catalog: Arc<Catalog>,
    pub workflow: Arc<Workflow>,
    pub realtime: Arc<Realtime>,
    pub access: Arc<AccessCache>,
    pub schema: AppSchema,
    /// The schema's copy for introspection-only operations (deeper limit).
    pub introspection: AppSchema,
    /// GraphQL requests in flight, each on a task of its own so a client
    /// that hangs up cannot cut a mutation short; awaited at shutdown.
    pub requests: tokio_util::task::TaskTracker,
    /// Cancelled once the node has been told to stop: `/readyz` then
    /// answers 503 while the node drains.
    pub stopping: tokio_util::sync::CancellationToken,
    /// Signs and checks mobile approval links.
    pub links: Arc<LinkSigner>,
    /// Mail and WeCom settings in force (the callback's keys among them).
    pub channels: Arc<Channels>,
}

/// Opens the database and prepares everything a node needs.
pub async fn start(config: Arc<Config>) -> anyhow::Result<AppState> {
    let store = Store::connect(&config).await?;
    // Nodes started together take turns: the first migrates, seeds and
    // creates the signing key and projects; the others find them done.
    let (keys, links) = store
        .with_setup_lock(|| async {
            if config.migrate_on_start {
                store.migrate().await?;
            }
            if config.seed_demo && store.is_empty().await? {
                seed_demo(&store).await?;
            }
            let keys =
                TokenKeys::load(&store, &config).await.map_err(anyhow::Error::new).context("loading signing keys")?;
            ensure_projects(&store, &config).await?;
            let links = crate::service::notify::link_signer(&store).await.context("loading the link key")?;
            Ok((keys, links))
        })
        .await?;
    let (keys, links) = (Arc::new(keys), Arc::new(links));
    let channels = Channels::load(store.background(), &config.notify).await?;
    let catalog = Arc::new(Catalog::new(store.clone()));
    let workflow = Arc::new(Workflow::new(store.clone(), catalog.clone(), config.clone()));
    let access = Arc::new(AccessCache::new(store.clone()));
    // The relay, leases and presence work on the background pool: slow
    // requests holding every request connection cannot stop events.
    let realtime = Realtime::start(&config, store.background(), access.clone()).await?;
    // Every write that changes someone's access reaches every node.
    let rt = Arc::downgrade(&realtime);
    store.on_access_change(Arc::new(move |control| {
        if let Some(rt) = rt.upgrade() {
            rt.control(control);
        }
    }));
    let schemas = graphql::build(
        config.clone(),
        store.clone(),
        keys.clone(),
        catalog.clone(),
        workflow.clone(),
        realtime.clone(),
        channels.clone(),
    );
    crate::http::metrics::handle();
    let (schema, introspection) = (schemas.main, schemas.introspection);
    let requests = tokio_util::task::TaskTracker::new();
    let stopping = tokio_util::sync::CancellationToken::new();
    Ok(AppState {
        config,
        store,
        keys,
        catalog,
        workflow,
        realtime,
        access,
        schema,
        introspection,
        requests,
        stopping,
        links,
        channels,
    })
}

/// Seeds the demo organisation and says so.
pub async fn seed_demo(store: &Store) -> anyhow::Result<()> {
    let hash = passwords::hash(DEMO_PASSWORD).await?;
    let summary = store.seed_demo(&hash).await?;
    let admin = store.user_by_username("admin").await?.ok_or_else(|| anyhow::anyhow!("the demo has no admin"))?;
    let templates = store.seed_demo_templates(admin.id).await?;
    tracing::info!(users = summary.users, departments = summary.departments, templates, "seeded the demo organisation");
    println!(
        "Seeded the demo organisation ({} users, {} departments, {templates} templates).",
        summary.users, summary.departments
    );
    Ok(())
}

/// Signoff's own project always exists. In demo mode so does `demo`, and
/// every start prints the demo logins and its secret, so people and a
/// business system can try Signoff at once.
async fn ensure_projects(store: &Store, config: &Config) -> anyhow::Result<()> {
    use crate::service::auth::random_token;
    if store.project_by_pid(SIGNOFF_PID).await?.is_none() {
        let _ = store.insert_project(SIGNOFF_PID.into(), "Signoff".into(), random_token(32)).await;
    }
    if config.seed_demo {
        let demo = match store.project_by_pid("demo").await? {
            Some(p) => match &config.demo_project_secret {
                Some(secret) if secret != &p.secret => {
                    store.update_project(p, None, Some(secret.clone()), None).await?
                }
                _ => p,
            },
            None => {
                let secret = config.demo_project_secret.clone().unwrap_or_else(|| random_token(24));
                store.insert_project("demo".into(), "Demo business system".into(), secret).await?
            }
        };
        if store.user_by_username("admin").await?.is_some_and(|u| u.active) {
            println!(
                "Demo logins, password \"{DEMO_PASSWORD}\": admin (admin), alice (staff), bob (head of alice's department)."
            );
        }
        println!("Demo ws-cluster project: pid \"demo\", secret \"{}\" (see the README for signing).", demo.secret);
    }
    Ok(())
}

/// Serves `listener` until `signals` yields, drains (not ready, still
/// serving) for `shutdown_drain_secs` or until it yields again, then lets
/// in-flight requests finish within the grace period.
pub async fn run(
    config: Arc<Config>,
    listener: TcpListener,
    signals: impl Stream<Item = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let state = start(config.clone()).await?;
    let address = listener.local_addr()?;
    tracing::info!(%address, database = %crate::config::redact_url(&config.database_url), "signoff listening");
    println!("Signoff listening on http://{address} (GraphQL: http://{address}/graphql)");
    let store = state.store.clone();
    let realtime = state.realtime.clone();
    let (requests, stopping_token) = (state.requests.clone(), state.stopping.clone());
    let (mut timers, timers_stop) = (tokio::task::JoinSet::new(), tokio_util::sync::CancellationToken::new());
    let background = state.store.background();
    // Sweeps and the webhook executor work on the background pool, so they
    // never take a connection a request is waiting for.
    let background_workflow =
        Arc::new(crate::service::tickets::Workflow::new(background.clone(), state.catalog.clone(), config.clone()));
    crate::service::timers::spawn(
        &mut timers,
        background_workflow.clone(),
        background,
        config.clone(),
        timers_stop.clone(),
    );
    crate::service::webhooks::WebhookExecutor::spawn(&mut timers, background_workflow, timers_stop.clone())?;
    crate::watchdog::start(&mut timers, Duration::from_secs(config.watchdog_secs), timers_stop.clone());
    crate::service::notify::spawn(
        &mut timers,
        state.store.background(),
        config.clone(),
        state.channels.clone(),
        (*state.links).clone(),
        state.realtime.hub.node.clone(),
        timers_stop.clone(),
    )?;
    let router = crate::http::router(state);
    let closing = realtime.clone();
    let options = crate::http::server::Options {
        header_timeout: Duration::from_secs(config.http_header_timeout_secs),
        body_timeout: Duration::from_secs(config.http_body_timeout_secs),
        trusted_proxies: config.trusted_proxies.clone().into(),
    };
    let drain = Duration::from_secs(config.shutdown_drain_secs);
    let stopping = async move {
        let mut signals = std::pin::pin!(signals);
        signals.next().await;
        // Not ready first, still serving, so the load balancer moves new
        // work elsewhere before anything here closes; a second signal
        // cuts the wait short.
        stopping_token.cancel();
        if !drain.is_zero() {
            tracing::info!(seconds = drain.as_secs(), "draining: not ready, still serving");
            tokio::select! { _ = tokio::time::sleep(drain) => {}, _ = signals.next() => {} }
        }
        // WebSocket clients would hold the node open: tell them to go (they
        // reconnect elsewhere and resume).
        closing.shutdown();
    };
    crate::http::server::serve(listener, router, options, stopping, Duration::from_secs(config.shutdown_grace_secs))
        .await;
    // In order: clients are gone, requests whose clients hung up finish,
    // the timers and the realtime tasks stop (the relay lease is
    // released), then the pool closes.
    requests.close();
    if tokio::time::timeout(Duration::from_secs(config.shutdown_grace_secs), requests.wait()).await.is_err() {
        tracing::warn!(left = requests.len(), "requests still running at shutdown");
    }
    timers_stop.cancel();
    // Not join_all: a task cancelled by a runtime shutting down is no panic.
    while timers.join_next().await.is_some() {}
    realtime.stop().await;
    store.close().await;
    tracing::info!("signoff stopped");
    Ok(())
}

/// Yields on every SIGTERM or Ctrl-C.
pub fn shutdown_signals() -> impl Stream<Item = ()> + Send + 'static {
    futures::stream::unfold((), |()| async { Some((shutdown_signal().await, ())) })
}

/// Resolves on SIGTERM or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutdown requested");
}
