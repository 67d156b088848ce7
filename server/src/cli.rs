//! The `workworlds-server` command line.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use workworlds_content::coverage::Coverage;
use workworlds_content::{Content, load_dir};

/// The content folder used when none is named, relative to the working directory.
pub const DEFAULT_CONTENT_DIR: &str = "content/data";

/// Work Worlds server: runs class sessions and checks content.
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

/// Runs a parsed command, writing results to `out` and problems to `err`.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Outcome> {
    match cli.command {
        Command::Content(ContentCommand::Check { dir }) => content_check(&dir, out, err),
        Command::Content(ContentCommand::Coverage { dir }) => content_coverage(&dir, out, err),
    }
}

/// `content check`: the last line on success is the summary counts.
pub fn content_check(dir: &Path, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Outcome> {
    let Some(content) = load_or_report(dir, err)? else {
        return Ok(Outcome::Failure);
    };
    // TODO: enterprise challenges have no schema yet, so none are loaded and the count
    // is always 0 until the challenge engine brings their file format.
    let challenges = 0;
    writeln!(
        out,
        "content ok: {} sectors, {} roles, {} quests, {challenges} challenges, {} badges",
        content.sectors.len(),
        content.roles.len(),
        content.quests.len(),
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
    let Some(content) = load_or_report(dir, err)? else {
        return Ok(Outcome::Failure);
    };
    writeln!(out, "{}", Coverage::of(&content))?;
    Ok(Outcome::Success)
}

fn load_or_report(dir: &Path, err: &mut dyn Write) -> io::Result<Option<Content>> {
    match load_dir(dir) {
        Ok(content) => Ok(Some(content)),
        Err(errors) => {
            for problem in &errors.0 {
                writeln!(err, "{problem}")?;
            }
            writeln!(err, "content has {} problem(s)", errors.0.len())?;
            Ok(None)
        }
    }
}
