//! `workworlds-loadtest`: many classes playing at once against one class server, to
//! measure what a school's server can carry.
//!
//! A teacher bot per class logs in, creates a session and runs timed rounds (with a
//! moment of "eyes on me" in each); the pupils of every class join in one burst, then
//! answer quest tasks and put hands up at a classroom pace, dropping their connection
//! and resuming now and then. Afterwards every answer the server acknowledged is looked
//! for in its store. The last line printed is one JSON object with the figures.
//!
//! Without `--server` it starts `workworlds-server` (the binary beside this one) on a
//! fresh data folder on loopback, and reads that process's memory from `/proc`.

mod bots;
mod echo;
mod local;
mod stats;

use std::collections::HashMap;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use tokio::task::JoinSet;
use workworlds_protocol::ids::PupilId;
use workworlds_protocol::quic::{Trust, parse_fingerprint_hex};
use workworlds_server::store::Store;

use bots::{Pace, PupilOutcome, Target};
use stats::{Figures, Samples};

/// Drives classes of bot pupils against a Work Worlds server and reports latency,
/// memory and lost acknowledgements.
#[derive(Debug, Parser)]
#[command(name = "workworlds-loadtest", version)]
struct Args {
    /// The server to test. Without it, a server is started on loopback for the run.
    #[arg(long)]
    server: Option<SocketAddr>,
    /// The server certificate's SHA-256 fingerprint, as the server prints it; without
    /// it the first certificate seen is trusted.
    #[arg(long)]
    fingerprint: Option<String>,
    /// The teacher the bots log in as (a server started here creates it). The password
    /// is read from the environment variable WORKWORLDS_PASSWORD.
    #[arg(long, default_value = "Load Test Teacher")]
    teacher: String,
    /// The server's data folder, to check afterwards that every acknowledged answer is
    /// stored (with --server; a server started here uses a folder of its own).
    #[arg(long)]
    data: Option<PathBuf>,
    /// The server's process id, to read its memory (with --server).
    #[arg(long)]
    server_pid: Option<u32>,
    /// Class sessions to run at once.
    #[arg(long, default_value_t = 2)]
    classes: usize,
    /// Pupils in each class.
    #[arg(long, default_value_t = 30)]
    pupils: usize,
    /// Rounds each class plays.
    #[arg(long, default_value_t = 1)]
    rounds: u32,
    /// The length of a round in seconds (30 at least).
    #[arg(long, default_value_t = 30)]
    round_seconds: u32,
    /// The average pause between one pupil's requests, in milliseconds.
    #[arg(long, default_value_t = 3000)]
    think_ms: u64,
    /// The chance, in percent, that a pupil drops their connection and resumes after a
    /// request.
    #[arg(long, default_value_t = 2.0)]
    drop_percent: f64,
    /// Seeds the bots' choices, so two runs ask the same things in the same order.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Kills the server with SIGKILL this many seconds after the pupils have joined and
    /// starts it again on the same data folder and port; the bots come back by themselves
    /// and the run checks that no acknowledged answer was lost. Only for a server started
    /// here; its memory is read from the first process only.
    #[arg(long, value_name = "SECONDS")]
    kill_server_after: Option<u64>,
    /// Afterwards, drives bare QUIC (a server that echoes frames the size of a quest
    /// answer) with as many pupils at the same pace for as long, and reports the class
    /// server's round trips beside it.
    #[arg(long)]
    baseline: bool,
    /// Serves the bare-QUIC echo with its certificate in DIR; `--baseline` starts this
    /// program so, and it is not meant to be run by hand.
    #[arg(long, hide = true, value_name = "DIR")]
    serve_echo: Option<PathBuf>,
}

impl Args {
    /// How the `index`th pupil of the run behaves: the same in the class run and in the
    /// baseline, and the same from one run to the next.
    fn pace(&self, index: usize) -> Pace {
        Pace {
            think_ms: self.think_ms,
            drop_percent: self.drop_percent,
            seed: self.seed ^ (u64::try_from(index).unwrap_or(0) << 20),
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("workworlds-loadtest: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(dir) = &args.serve_echo {
        return match runtime.block_on(echo::serve(dir)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("workworlds-loadtest: {error:#}");
                ExitCode::FAILURE
            }
        };
    }
    match runtime.block_on(run(args)) {
        Ok(figures) => {
            let passed = figures.passed();
            println!("{}", figures.to_json());
            if passed {
                ExitCode::SUCCESS
            } else {
                eprintln!("workworlds-loadtest: errors, missing pupils or lost answers");
                ExitCode::FAILURE
            }
        }
        Err(error) => {
            eprintln!("workworlds-loadtest: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> anyhow::Result<Figures> {
    if args.classes == 0 || args.pupils == 0 {
        bail!("--classes and --pupils must be at least 1");
    }
    if args.kill_server_after.is_some() && args.server.is_some() {
        bail!("--kill-server-after restarts a server started here; it cannot with --server");
    }
    let password = match std::env::var("WORKWORLDS_PASSWORD") {
        Ok(password) => password,
        Err(_) if args.server.is_none() => local::PASSWORD.to_owned(),
        Err(_) => bail!("set WORKWORLDS_PASSWORD to the password of --teacher"),
    };
    // A server started here lives until the end of the run.
    let (mut local_server, target, data, pid) = match args.server {
        Some(address) => {
            let trust = match &args.fingerprint {
                Some(hex) => Trust::Pinned(
                    parse_fingerprint_hex(hex).context("--fingerprint is not a fingerprint")?,
                ),
                None => Trust::FirstUse,
            };
            (
                None,
                Target { address, trust },
                args.data.clone(),
                args.server_pid,
            )
        }
        None => {
            let server = local::LocalServer::start(&args.teacher)?;
            let target = Target {
                address: server.address,
                trust: Trust::Pinned(server.fingerprint),
            };
            let data = Some(server.data.clone());
            let pid = Some(server.pid());
            (Some(server), target, data, pid)
        }
    };
    let pupils = args.classes * args.pupils;
    eprintln!(
        "{} classes of {} pupils against {}",
        args.classes, args.pupils, target.address
    );

    // Memory is sampled all through the run; the peak is what a school must provision.
    let memory = pid.map(stats::MemorySampler::start);
    let teachers = bots::open_classes(
        &target,
        &args.teacher,
        &password,
        args.classes,
        args.round_seconds,
    )
    .await
    .context("setting up the classes")?;
    let quests = Arc::new(teachers.quests.clone());
    // The growth from here is the pupils': teachers' logins and their sessions are not
    // counted against them.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let base_rss_kib = memory.as_ref().map_or(0, |sampler| sampler.now_kib());

    // Every pupil of every class joins at once, as at the start of a lesson.
    let started = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let outage = Arc::new(AtomicBool::new(false));
    let (joined_tx, mut joined_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut pupil_tasks = JoinSet::new();
    for (class, open) in teachers.classes.iter().enumerate() {
        for seat in 0..args.pupils {
            pupil_tasks.spawn(bots::pupil(
                target.clone(),
                open.plan.clone(),
                quests.clone(),
                args.pace(class * args.pupils + seat),
                stop.clone(),
                outage.clone(),
                joined_tx.clone(),
            ));
        }
    }
    drop(joined_tx);
    let mut join_ms = Samples::default();
    let mut arrived = 0;
    while arrived < pupils {
        let Some(joined) = joined_rx.recv().await else {
            break;
        };
        arrived += 1;
        if let Some(took) = joined {
            join_ms.push(took);
        }
    }
    let join_all_ms = started.elapsed().as_secs_f64() * 1000.0;
    let playing = Instant::now();
    eprintln!(
        "{} of {pupils} joined in {join_all_ms:.0} ms",
        join_ms.len()
    );
    let joined_rss_kib = memory.as_ref().map_or(0, |sampler| sampler.now_kib());

    // The teachers run their rounds; pupils play until the last round ends.
    let login = Arc::new(bots::TeacherLogin {
        target: target.clone(),
        name: args.teacher.clone(),
        password: password.clone(),
        outage: outage.clone(),
    });
    let mut teacher_tasks = JoinSet::new();
    for class in teachers.classes {
        teacher_tasks.spawn(bots::teacher(
            class,
            args.rounds,
            args.round_seconds,
            login.clone(),
        ));
    }
    let mut server_restarts = 0_u32;
    if let (Some(seconds), Some(server)) = (args.kill_server_after, local_server.as_mut()) {
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        // Said before the kill, so no bot takes the lost connection for a failure.
        outage.store(true, Ordering::SeqCst);
        eprintln!("killing the server with SIGKILL and starting it again");
        tokio::task::block_in_place(|| server.kill_and_restart())
            .context("restarting the killed server")?;
        server_restarts += 1;
    }
    let mut teacher_errors = 0_u64;
    while let Some(finished) = teacher_tasks.join_next().await {
        match finished {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                teacher_errors += 1;
                eprintln!("a teacher bot failed: {error:#}");
            }
            Err(error) => {
                teacher_errors += 1;
                eprintln!("a teacher bot stopped: {error}");
            }
        }
    }
    stop.store(true, Ordering::Relaxed);

    let mut outcome = PupilOutcome::default();
    while let Some(finished) = pupil_tasks.join_next().await {
        match finished {
            Ok(pupil) => outcome.merge(pupil),
            Err(error) => {
                outcome.errors += 1;
                eprintln!("a pupil bot stopped: {error}");
            }
        }
    }
    let peak_rss_kib = memory.map_or(0, |sampler| sampler.stop());
    let seconds = started.elapsed().as_secs_f64();
    let played = playing.elapsed();

    let (checked, acked_lost) = match &data {
        Some(data) => (true, count_lost(data, &outcome.acked)?),
        None => (false, 0),
    };
    // The class server is stopped before the baseline so the two never share the CPU.
    drop(local_server);

    let baseline = if args.baseline {
        eprintln!(
            "baseline: bare QUIC echo, {pupils} pupils for {:.0} s",
            played.as_secs_f64()
        );
        let paces = (0..pupils).map(|index| args.pace(index)).collect();
        let echoed = echo::drive(paces, played, echo::answer_frame_bytes()?).await?;
        if echoed.outcome.errors > 0 || echoed.outcome.joined < pupils {
            bail!(
                "the bare-QUIC baseline failed: {} of {pupils} connected, {} errors",
                echoed.outcome.joined,
                echoed.outcome.errors
            );
        }
        Some(stats::BaselineFigures {
            rtt_ms: echoed.outcome.rtt_ms,
            kib_per_pupil: echoed.kib_per_pupil,
        })
    } else {
        None
    };

    let figures = Figures {
        pupils,
        joined: outcome.joined,
        requests: outcome.rtt_ms.len(),
        errors: outcome.errors + teacher_errors,
        refused: outcome.refused,
        resumes: outcome.resume_ms.len(),
        server_restarts,
        came_back: outcome.came_back,
        join_all_ms,
        join_ms,
        rtt_ms: outcome.rtt_ms,
        resume_ms: outcome.resume_ms,
        base_rss_kib,
        joined_rss_kib,
        peak_rss_kib,
        acked: outcome.acked.values().map(|&count| u64::from(count)).sum(),
        acked_checked: checked,
        acked_lost,
        seconds,
        baseline,
    };
    let mut err = std::io::stderr();
    let _ = writeln!(err, "{}", figures.summary());
    Ok(figures)
}

/// How many acknowledged answers the store does not hold.
fn count_lost(data: &std::path::Path, acked: &HashMap<PupilId, u32>) -> anyhow::Result<u64> {
    let store = Store::open(data).context("opening the server's store to check answers")?;
    let mut lost = 0_u64;
    for (&pupil, &count) in acked {
        let stored = store.answers(pupil)?.len();
        let stored = u32::try_from(stored).unwrap_or(u32::MAX);
        lost += u64::from(count.saturating_sub(stored));
    }
    Ok(lost)
}
