//! `workworlds-server`: parses arguments, sets up logging and runs the command.

use std::io;
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use workworlds_server::cli::{Cli, Outcome, run};

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(io::stderr)
        .init();
    let cli = Cli::parse();
    // Unlocked handles: the server's tasks log to standard error from other threads
    // while `serve` runs, and a lock held here would block them for good.
    let result = run(
        cli,
        &mut io::stdin().lock(),
        &mut io::stdout(),
        &mut io::stderr(),
    );
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Failure) => ExitCode::FAILURE,
        Err(error) => {
            // The whole chain, so "opening the store" comes with the path and the cause.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
