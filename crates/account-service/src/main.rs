//! `account-service`: runs the reference account service (see the library's docs).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use account_service::Config;
use anyhow::Context;
use clap::Parser;

/// The reference account service for Latchkey: accounts, two-factor sign-in (TOTP and
/// recovery codes), teams, and linking the desktop app.
#[derive(Parser)]
#[command(
    version,
    after_help = "Example:\n  account-service --listen 127.0.0.1:9000 --data /tmp/accounts.sqlite3"
)]
struct Args {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8088")]
    listen: SocketAddr,
    /// The SQLite data file (created if missing); the server key goes beside it with the
    /// extension .key. Default: account-service.sqlite3 in the user's data folder, under
    /// latchkey.
    #[arg(long, env = "ACCOUNT_SERVICE_DATA")]
    data: Option<PathBuf>,
    /// The public origin clients reach the service at.
    #[arg(long, default_value = Config::DEFAULT_ORIGIN)]
    origin: String,
    /// The WebAuthn relying-party ID.
    #[arg(long, default_value = Config::DEFAULT_RP_ID)]
    rp_id: String,
}

fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_target(false)
        .init();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("account-service: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[tokio::main]
async fn run(args: Args) -> anyhow::Result<()> {
    let data = match args.data {
        Some(path) => path,
        None => Config::default_data_path()
            .context("no user data folder is known here; pass --data FILE")?,
    };
    let mut config = Config::new(data);
    config.origin = args.origin;
    config.rp_id = args.rp_id;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {} (try --listen)", args.listen))?;
    account_service::serve_with_shutdown(config, listener, async {
        tokio::signal::ctrl_c().await.ok();
    })
    .await?;
    Ok(())
}
