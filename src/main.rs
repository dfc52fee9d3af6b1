//! The `signoff` binary: parse the command line and hand over to [`signoff::cli`].

use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // One TLS provider for every client (reqwest, redis, SMTP); ring, not aws-lc.
    let _ = rustls::crypto::ring::default_provider().install_default();
    signoff::cli::run(signoff::cli::Cli::parse()).await
}
