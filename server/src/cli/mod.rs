//! The `workworlds-server` command line.

mod records;

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use workworlds_content::coverage::Coverage;
use workworlds_content::{Content, ContentBundle, ContentErrors, load_dir, shipped};

use crate::hub::Hub;
use crate::net::tls;
use crate::net::{ListenOptions, Listening};
use crate::store::Store;

/// The content folder used when none is named, relative to the working directory.
pub const DEFAULT_CONTENT_DIR: &str = "content/data";

/// The data folder used when none is named, relative to the working directory.
pub const DEFAULT_DATA_DIR: &str = "workworlds-data";

/// The address the server listens on when none is named: every interface, so pupils'
/// computers on the classroom network can reach it.
pub const DEFAULT_BIND: &str = "0.0.0.0:4433";

/// Work Worlds server: runs class sessions over QUIC and checks content.
#[derive(Debug, Parser)]
#[command(name = "workworlds-server", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check or summarise a content folder.
    #[command(subcommand)]
    Content(ContentCommand),
    /// Run the class server.
    Serve(ServeArgs),
    /// Manage teachers' logins.
    #[command(subcommand)]
    Teacher(TeacherCommand),
    /// Manage classes and print their pupil-code cards.
    #[command(subcommand)]
    Class(records::ClassCommand),
    /// Give pupils codes, or export or erase everything held about one.
    #[command(subcommand)]
    Pupil(records::PupilCommand),
    /// Write the school's CWRE records: a session's row, or a class's year.
    Report(records::ReportArgs),
    /// Export a pupil's badges as Open Badges 3.0 credentials, verify one, or tick off
    /// a mission step done outside the game.
    #[command(subcommand)]
    Badge(records::BadgeCommand),
    /// Fill a data folder with a demo class to try Work Worlds with.
    Demo(records::DemoArgs),
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The address and UDP port to listen on; port 0 picks a free one.
    #[arg(long, default_value = DEFAULT_BIND)]
    pub bind: std::net::SocketAddr,
    #[command(flatten)]
    pub data: DataArg,
    /// The content folder; without it, `content/data` when there is one here, else
    /// the content built into this program.
    #[arg(long)]
    pub content: Option<PathBuf>,
    /// A certificate chain (PEM) to use instead of the self-signed one.
    #[arg(long, requires = "key")]
    pub cert: Option<PathBuf>,
    /// The private key (PEM) of `--cert`.
    #[arg(long, requires = "cert")]
    pub key: Option<PathBuf>,
}

/// The data folder option every command that uses the store shares.
#[derive(Debug, clap::Args)]
pub struct DataArg {
    /// The folder holding the store and the server's certificate.
    #[arg(long = "data", default_value = DEFAULT_DATA_DIR)]
    pub dir: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum TeacherCommand {
    /// Add a teacher; the password is read from standard input.
    Add {
        name: String,
        /// The initials the school's records show for this teacher; by default the
        /// first letters of the name's words after any title.
        #[arg(long)]
        initials: Option<String>,
        #[command(flatten)]
        data: DataArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContentCommand {
    /// Load and validate every file; print each problem, or a summary when all is well.
    Check {
        /// The content folder.
        #[arg(default_value = DEFAULT_CONTENT_DIR)]
        dir: PathBuf,
    },
    /// Print which CWRE objectives the quests cover, by age phase and experience type.
    Coverage {
        /// The content folder.
        #[arg(default_value = DEFAULT_CONTENT_DIR)]
        dir: PathBuf,
    },
}

/// Whether a command succeeded; the binary turns it into the exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The input was wrong (content problems); the details are already printed.
    Failure,
}

/// Runs a parsed command, writing results to `out` and problems to `err`; a teacher's
/// password is read from `input`.
pub fn run(
    cli: Cli,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Content(ContentCommand::Check { dir }) => Ok(content_check(&dir, out, err)?),
        Command::Content(ContentCommand::Coverage { dir }) => Ok(content_coverage(&dir, out, err)?),
        Command::Serve(args) => serve(args, out, err),
        Command::Teacher(TeacherCommand::Add {
            name,
            initials,
            data,
        }) => teacher_add(&name, initials.as_deref(), &data.dir, input, out),
        Command::Class(command) => records::class(command, out),
        Command::Pupil(command) => records::pupil(command, out),
        Command::Report(args) => records::report(args, out, err),
        Command::Badge(command) => records::badge(command, out, err),
        Command::Demo(args) => records::demo(args, out, err),
    }
}

/// `serve`: loads the content, opens the store and serves until interrupted.
pub fn serve(args: ServeArgs, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<Outcome> {
    // One read of the content serves both the server's own use and what it sends.
    let Some((bundle, content)) = read_or_report(args.content.as_deref(), err)? else {
        return Ok(Outcome::Failure);
    };
    let store = Store::open(&args.data.dir).context("opening the store")?;
    let identity = match (&args.cert, &args.key) {
        (Some(cert), Some(key)) => tls::load_pem(cert, key)?,
        _ => tls::load_or_create(&args.data.dir)?,
    };
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let hub = Hub::restore(Arc::new(content), &bundle, store).context("restoring class sessions")?;
        let listening = Listening::bind(ListenOptions { bind: args.bind, identity })?;
        writeln!(out, "{}", listening.announcement())?;
        out.flush()?;
        tracing::info!(address = %listening.address, fingerprint = %listening.fingerprint_hex(), "listening");
        tokio::select! {
            () = listening.serve(hub) => {}
            _ = tokio::signal::ctrl_c() => tracing::info!("stopping"),
        }
        anyhow::Ok(Outcome::Success)
    })
}

/// `teacher add`: the password is the first line of `input`.
pub fn teacher_add(
    name: &str,
    initials: Option<&str>,
    data: &Path,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let mut password = String::new();
    input
        .read_line(&mut password)
        .context("reading the password")?;
    let password = password.trim_end_matches(['\r', '\n']);
    if password.chars().count() < MIN_PASSWORD_CHARS {
        bail!("a teacher's password needs at least {MIN_PASSWORD_CHARS} characters");
    }
    let mut store = Store::open(data).context("opening the store")?;
    store.add_teacher(name, password)?;
    if let Some(initials) = initials {
        store.set_teacher_initials(name, initials)?;
    }
    writeln!(out, "teacher {name} added")?;
    Ok(Outcome::Success)
}

/// The shortest password accepted for a teacher, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// `content check`: the last line on success is the summary counts.
pub fn content_check(dir: &Path, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Outcome> {
    // Every problem at once: those with the folder itself and those in its files.
    let Some(content) = or_report(load_dir(dir), err)? else {
        return Ok(Outcome::Failure);
    };
    writeln!(
        out,
        "content ok: {} sectors, {} roles, {} quests, {} challenges, {} badges",
        content.sectors.len(),
        content.roles.len(),
        content.quests.len(),
        content.challenges.len(),
        content.badges.len(),
    )?;
    Ok(Outcome::Success)
}

/// `content coverage`: the tables of quests by objective, phase and type.
pub fn content_coverage(
    dir: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Outcome> {
    // Every problem at once: those with the folder itself and those in its files.
    let Some(content) = or_report(load_dir(dir), err)? else {
        return Ok(Outcome::Failure);
    };
    writeln!(out, "{}", Coverage::of(&content))?;
    Ok(Outcome::Success)
}

pub(crate) fn load_or_report(
    given: Option<&Path>,
    err: &mut dyn Write,
) -> io::Result<Option<Content>> {
    Ok(read_or_report(given, err)?.map(|(_, content)| content))
}

/// Reads and checks the content a command runs on (the folder `given`, else
/// `content/data` here when there is one, else the content built into this program),
/// or prints its problems.
fn read_or_report(
    given: Option<&Path>,
    err: &mut dyn Write,
) -> io::Result<Option<(ContentBundle, Content)>> {
    let Some((bundle, dir)) = or_report(shipped::folder_or_built_in(given), err)? else {
        return Ok(None);
    };
    match &dir {
        Some(dir) => tracing::info!(folder = %dir.display(), "content from a folder"),
        None => tracing::info!("content built into this program"),
    }
    let loaded = bundle
        .load_at(dir.as_deref().unwrap_or(Path::new("")))
        .map(|content| (bundle, content));
    or_report(loaded, err)
}

/// What was loaded, or `None` once every problem is printed.
fn or_report<T>(loaded: Result<T, ContentErrors>, err: &mut dyn Write) -> io::Result<Option<T>> {
    match loaded {
        Ok(value) => Ok(Some(value)),
        Err(errors) => {
            report(&errors, err)?;
            Ok(None)
        }
    }
}

/// Prints every content problem and a count.
fn report(errors: &ContentErrors, err: &mut dyn Write) -> io::Result<Outcome> {
    for problem in &errors.0 {
        writeln!(err, "{problem}")?;
    }
    writeln!(err, "content has {} problem(s)", errors.0.len())?;
    Ok(Outcome::Failure)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    #[test]
    fn every_command_and_option_is_well_formed() {
        // Clap checks names, ids and conflicts only when a command is parsed; this
        // parses none, so it checks them all at once.
        Cli::command().debug_assert();
    }
}
