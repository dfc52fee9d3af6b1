//! The command line: `serve`, `migrate`, `seed --demo`, `schema`, `bench`.

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
    /// Seed data into an empty database.
    Seed {
        /// The demo organisation (the only seed there is).
        #[arg(long)]
        demo: bool,
    },
    /// Print the GraphQL schema (SDL); `schema.graphql` must equal it.
    Schema,
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
    telemetry::init(&config);
    match command {
        Command::Serve => {
            let listener = tokio::net::TcpListener::bind(config.listen)
                .await
                .with_context(|| format!("binding {}", config.listen))?;
            app::run(config, listener, app::shutdown_signal()).await
        }
        Command::Migrate => {
            let store = Store::connect(&config).await?;
            store.migrate().await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Seed { demo } => {
            anyhow::ensure!(demo, "only the demo seed exists: pass --demo");
            let store = Store::connect(&config).await?;
            store.migrate().await?;
            anyhow::ensure!(
                store.is_empty().await?,
                "the database already has users; the demo seed only goes into an empty one"
            );
            app::seed_demo(&store).await
        }
        Command::Schema | Command::Bench(_) => unreachable!("handled above"),
    }
}
