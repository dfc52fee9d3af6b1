//! The command line: `serve`, `migrate`, `seed --demo | --volume N`, `schema`, `health`, `bench`.

use std::{path::PathBuf, sync::Arc};

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::{app, config::Config, store::Store, telemetry};

#[derive(Parser)]
#[command(name = "signoff", version, about = "Ticket and approval workflow service with realtime push")]
pub struct Cli {
    /// Configuration file (default: ./signoff.toml when it exists).
    #[arg(long, global = true, env = "SIGNOFF_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve HTTP/GraphQL (migrates, and seeds the demo on an empty database).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Seed data: the demo organisation into an empty database, and/or
    /// months of generated history for load tests and reports.
    Seed {
        /// The demo organisation (into an empty database).
        #[arg(long)]
        demo: bool,
        /// This many historical tickets on top of the demo organisation
        /// (seeded first when the database is empty). Stop the nodes first.
        #[arg(long)]
        volume: Option<u64>,
        /// Colleagues generated to file them, beside the demo staff.
        #[arg(long, default_value_t = 2_000)]
        users: u32,
        /// How many days back the history reaches.
        #[arg(long, default_value_t = 180)]
        days: u32,
        /// Random seed, for the same history twice.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Print the GraphQL schema (SDL); `schema.graphql` must equal it.
    Schema,
    /// Exit 0 when a node answers `/healthz` (a container's HEALTHCHECK).
    Health {
        /// The node's base URL (default: this configuration's listen address).
        #[arg(long)]
        url: Option<String>,
    },
    /// Load tools against a running node (loopback).
    #[command(subcommand)]
    Bench(crate::bench::BenchKind),
}

/// Runs the parsed command to completion.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = match cli.command {
        Command::Schema => {
            print!("{}", crate::graphql::sdl());
            return Ok(());
        }
        Command::Bench(kind) => return crate::bench::run(kind).await,
        other => other,
    };
    let config = Arc::new(Config::load(cli.config.as_deref()).context("reading configuration")?);
    if let Command::Health { url } = command {
        return health(url.unwrap_or_else(|| local_url(&config))).await;
    }
    telemetry::init(&config);
    match command {
        Command::Serve => {
            let listener = tokio::net::TcpListener::bind(config.listen)
                .await
                .with_context(|| format!("binding {}", config.listen))?;
            app::run(config, listener, app::shutdown_signals()).await
        }
        Command::Migrate => {
            let store = Store::connect(&config).await?;
            store.migrate().await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Seed { demo, volume, users, days, seed } => {
            anyhow::ensure!(demo || volume.is_some(), "say what to seed: --demo and/or --volume N");
            let store = Store::connect(&config).await?;
            store.migrate().await?;
            let empty = store.is_empty().await?;
            if demo {
                anyhow::ensure!(empty, "the database already has users; the demo seed only goes into an empty one");
            }
            if empty {
                app::seed_demo(&store).await?;
            }
            if let Some(tickets) = volume {
                let options = crate::service::volume::VolumeOptions { tickets, users, days, seed };
                crate::service::volume::generate(&store, config.clone(), options).await?;
            }
            Ok(())
        }
        Command::Schema | Command::Bench(_) | Command::Health { .. } => unreachable!("handled above"),
    }
}

/// The node's own address as a client on the same host reaches it.
fn local_url(config: &Config) -> String {
    let mut address = config.listen;
    if address.ip().is_unspecified() {
        address.set_ip(if address.is_ipv4() { [127, 0, 0, 1].into() } else { std::net::Ipv6Addr::LOCALHOST.into() });
    }
    format!("http://{address}")
}

async fn health(base: String) -> anyhow::Result<()> {
    let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(3)).build()?;
    let url = format!("{}/healthz", base.trim_end_matches('/'));
    let response = client.get(&url).send().await.with_context(|| format!("{url} did not answer"))?;
    anyhow::ensure!(response.status().is_success(), "{url} answered {}", response.status());
    println!("{url}: ok");
    Ok(())
}
