//! Notifications: who hears about a ticket event away from the web UI, on
//! which channel, exactly once per recipient, channel and kind.
//!
//! - [`plan`]: the planner reads committed events from the outbox (same
//!   order, at least once) and records deliveries with a unique key.
//! - [`sender`]: per-channel loops that claim due deliveries, send, retry
//!   with backoff and dead-letter; [`channels`]: mail, WeCom cards, robots.
//! - [`render`]: message text (minijinja, zh-CN and en).
//! - [`mail`]: SMTP with lettre; [`wecom`]: WeCom's API.
//! - [`crypto`]: WeCom's callback signature and AES scheme.
//! - [`links`]: signed, expiring, single-use mobile approval links.
//! - [`live`]: channel settings, changed at run time by administrators.
//! - [`admin`]: own settings, robots, test messages.
//!
//! Every node runs senders; one node at a time (a lease) plans and sends
//! to group robots, so WeCom's per-robot limit holds across the cluster.

pub mod admin;
pub mod channels;
pub mod crypto;
pub mod links;
pub mod live;
pub mod mail;
pub mod plan;
pub mod render;
pub mod sender;
pub mod wecom;

use std::{sync::Arc, time::Duration};

use tokio::{sync::Notify, task::JoinSet};
use tokio_util::sync::CancellationToken;

use crate::{config::Config, store::Store};

const PLANNER_LEASE: &str = "notify-planner";
const ROBOT_LEASE: &str = "notify-robots";
const LEASE_TTL: chrono::Duration = chrono::Duration::seconds(10);
const PLAN_IDLE: Duration = Duration::from_millis(50);
const ROBOT_ROUND: Duration = Duration::from_secs(3);

/// The signer of mobile links, from the cluster-wide secret.
pub async fn link_signer(store: &Store) -> crate::error::Result<links::LinkSigner> {
    let secret = store.secret_or_create("mobile_links", || crate::service::auth::random_token(48)).await?;
    Ok(links::LinkSigner::new(secret.as_bytes()))
}

/// Starts the planner and the senders of every channel on `tasks`; they
/// end when `stop` is cancelled. Senders of channels not configured find
/// nothing to send: the planner only plans for configured channels.
pub fn spawn(
    tasks: &mut JoinSet<()>,
    store: Store,
    config: Arc<Config>,
    channels: Arc<live::Channels>,
    signer: links::LinkSigner,
    node: String,
    stop: CancellationToken,
) -> anyhow::Result<()> {
    if !config.notify.notify_enabled {
        return Ok(());
    }
    let wake = Arc::new(Notify::new());
    let notify = Arc::new(config.notify.clone());
    let planner =
        Arc::new(plan::Planner { store: store.clone(), config: config.clone(), channels: channels.clone(), signer });
    tasks.spawn(upkeep(store.clone(), channels.clone(), stop.clone()));
    tasks.spawn(under_lease(store.clone(), PLANNER_LEASE, node.clone(), stop.clone(), {
        let wake = wake.clone();
        move |stop| {
            let (planner, wake) = (planner.clone(), wake.clone());
            async move {
                loop {
                    match planner.plan_batch().await {
                        Ok(0) => break,
                        Ok(_) => wake.notify_waiters(),
                        Err(e) => {
                            tracing::warn!(error = %crate::error::Chain(&e), "notification planning paused");
                            break;
                        }
                    }
                    if stop.is_cancelled() {
                        break;
                    }
                }
            }
        }
    }));
    let people: [Arc<dyn sender::Channel>; 2] = [
        Arc::new(channels::Email(channels.clone())),
        Arc::new(channels::App { channels: channels.clone(), store: store.clone() }),
    ];
    for channel in people {
        tasks.spawn(sender::run(store.clone(), channel, notify.clone(), wake.clone(), stop.clone()));
    }
    // Robots need no application credentials, only WeCom's address.
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?;
    let wecom = Arc::new(wecom::WeCom::new(http, &notify.wecom_base, String::new(), String::new(), 0));
    let robots: Arc<dyn sender::Channel> = Arc::new(channels::Robots::new(
        wecom,
        store.clone(),
        notify.wecom_robot_limit,
        Duration::from_secs(notify.wecom_robot_window_secs),
    ));
    // Robots are sent from one node at a time, so each robot's limit holds
    // across the cluster: the lease holder sends in rounds of a few
    // seconds, renewing the lease between rounds.
    tasks.spawn(under_lease(store.clone(), ROBOT_LEASE, node, stop.clone(), move |stop| {
        let (store, robots, notify, wake) = (store.clone(), robots.clone(), notify.clone(), wake.clone());
        async move {
            let round = stop.child_token();
            let sending = sender::run(store, robots, notify, wake, round.clone());
            tokio::pin!(sending);
            tokio::select! {
                _ = &mut sending => {}
                _ = tokio::time::sleep(ROBOT_ROUND) => { round.cancel(); sending.await; }
            }
        }
    }));
    Ok(())
}

/// Runs `work` repeatedly while this node holds lease `name`, renewing it.
async fn under_lease<F, Fut>(store: Store, name: &'static str, node: String, stop: CancellationToken, work: F)
where
    F: Fn(CancellationToken) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let mut leading = false;
    let mut renewed = tokio::time::Instant::now() - Duration::from_secs(60);
    while !stop.is_cancelled() {
        if renewed.elapsed() > Duration::from_secs(3) || !leading {
            leading = match store.try_lease(name, &node, LEASE_TTL).await {
                Ok(held) => held,
                Err(e) => {
                    tracing::warn!(lease = name, error = %crate::error::Chain(&e), "cannot reach the database");
                    false
                }
            };
            renewed = tokio::time::Instant::now();
        }
        let wait = if leading {
            work(stop.clone()).await;
            PLAN_IDLE
        } else {
            Duration::from_secs(1)
        };
        tokio::select! { _ = stop.cancelled() => break, _ = tokio::time::sleep(wait) => {} }
    }
    if leading {
        let _ = store.release_lease(name, &node).await;
    }
}

/// Every few seconds: channel settings saved on another node are loaded,
/// lapsed claims are released (their sender died) and
/// `notification_queue_depth{channel}` is published.
pub async fn upkeep(store: Store, channels: Arc<live::Channels>, stop: CancellationToken) {
    let mut every = tokio::time::interval(Duration::from_secs(5));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = stop.cancelled() => break,
            _ = every.tick() => {
                if let Err(e) = channels.refresh().await {
                    tracing::warn!(error = %crate::error::Chain(&e), "cannot load the notification settings");
                }
                match store.release_lapsed_claims().await {
                    Ok(0) => {}
                    Ok(n) => tracing::warn!(deliveries = n, "released the claims of a sender that stopped"),
                    Err(e) => tracing::warn!(error = %crate::error::Chain(&e), "cannot release lapsed claims"),
                }
                if let Ok(depths) = store.delivery_queue_depths().await {
                    for channel in admin::CHANNELS {
                        let n = depths.iter().find(|(c, _)| c == channel).map_or(0, |(_, n)| *n);
                        metrics::gauge!("notification_queue_depth", "channel" => channel).set(n as f64);
                    }
                }
            }
        }
    }
}
