//! The baseline: bare QUIC with the class server's TLS, ALPN and transport settings, where
//! the server only echoes each frame back. Driven with the same number of pupils, the
//! same pace and frames the size of the real requests, it shows what the transport alone
//! costs on this machine, so the class server's figures can be read as a ratio of it.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use workworlds_content::ids::QuestId;
use workworlds_content::marking::Answer;
use workworlds_protocol::frame::{self, MAX_CLIENT_FRAME_BYTES};
use workworlds_protocol::quic::{Trust, connect_bare};
use workworlds_protocol::requests::{ClientRequest, Numbered, PupilRequest};
use workworlds_server::net::{ListenOptions, Listening, tls};

use crate::bots::{Pace, PupilOutcome, Target, ms_since};
use crate::local::LocalServer;
use crate::stats::MemorySampler;

/// The size of a typical request of the class run, as a frame: a pupil's answer to an
/// ordering task.
pub(crate) fn answer_frame_bytes() -> anyhow::Result<usize> {
    let request = Numbered {
        id: 1000,
        request: ClientRequest::Pupil(PupilRequest::SubmitAnswer {
            quest: QuestId::new("turbine-safety-check"),
            task: 1,
            answer: Answer::Order(vec![
                "weather".into(),
                "kit".into(),
                "climb".into(),
                "fix".into(),
            ]),
        }),
    };
    Ok(frame::encode(&request)?.len())
}

/// What the baseline measured.
pub(crate) struct Baseline {
    pub(crate) outcome: PupilOutcome,
    /// The echo server's memory growth per connected pupil at its peak, in KiB.
    pub(crate) kib_per_pupil: f64,
}

/// Starts the echo server, connects a pupil for each of `paces` at once, and has them
/// send frames of `frame_bytes` for `play`.
pub(crate) async fn drive(
    paces: Vec<Pace>,
    play: Duration,
    frame_bytes: usize,
) -> anyhow::Result<Baseline> {
    let server = LocalServer::start_echo()?;
    let memory = MemorySampler::start(server.pid());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let base_kib = memory.now_kib();
    let target = Target {
        address: server.address,
        trust: Trust::Pinned(server.fingerprint),
    };
    let stop = Arc::new(AtomicBool::new(false));
    let (joined_tx, mut joined_rx) = mpsc::unbounded_channel();
    let mut pupils = JoinSet::new();
    let count = paces.len();
    for pace in paces {
        pupils.spawn(pupil(
            target.clone(),
            frame_bytes,
            pace,
            stop.clone(),
            joined_tx.clone(),
        ));
    }
    drop(joined_tx);
    for _ in 0..count {
        if joined_rx.recv().await.is_none() {
            break;
        }
    }
    tokio::time::sleep(play).await;
    stop.store(true, Ordering::Relaxed);

    let mut outcome = PupilOutcome::default();
    while let Some(finished) = pupils.join_next().await {
        match finished {
            Ok(pupil) => outcome.merge(pupil),
            Err(error) => {
                outcome.errors += 1;
                eprintln!("an echo pupil stopped: {error}");
            }
        }
    }
    let peak_kib = memory.stop();
    drop(server);
    let kib_per_pupil = if outcome.joined == 0 {
        0.0
    } else {
        peak_kib.saturating_sub(base_kib) as f64 / outcome.joined as f64
    };
    Ok(Baseline {
        outcome,
        kib_per_pupil,
    })
}

/// Serves the echo on `127.0.0.1:0` until killed, printing the same first line as
/// `workworlds-server serve`.
pub(crate) async fn serve(data: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(data).context("making the echo's folder")?;
    let identity = tls::load_or_create(data)?;
    let listening = Listening::bind(ListenOptions {
        bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        identity,
    })?;
    println!("{}", listening.announcement());
    while let Some(incoming) = listening.endpoint().accept().await {
        tokio::spawn(async move {
            let Ok(connection) = incoming.await else {
                return;
            };
            while let Ok((send, recv)) = connection.accept_bi().await {
                tokio::spawn(echo_frames(send, recv));
            }
        });
    }
    Ok(())
}

/// Sends back every length-prefixed frame as it came.
async fn echo_frames(mut send: quinn::SendStream, mut recv: quinn::RecvStream) {
    let mut frame = Vec::new();
    loop {
        let mut prefix = [0u8; 4];
        if recv.read_exact(&mut prefix).await.is_err() {
            return;
        }
        let length = u32::from_le_bytes(prefix) as usize;
        if length > MAX_CLIENT_FRAME_BYTES {
            return;
        }
        frame.clear();
        frame.extend_from_slice(&prefix);
        frame.resize(4 + length, 0);
        if recv.read_exact(&mut frame[4..]).await.is_err() || send.write_all(&frame).await.is_err()
        {
            return;
        }
    }
}

/// A pupil of the baseline: connects, then sends a frame of `frame_bytes` at the pupils'
/// pace and waits for it to come back, until `stop`.
pub(crate) async fn pupil(
    target: Target,
    frame_bytes: usize,
    pace: Pace,
    stop: Arc<AtomicBool>,
    joined: mpsc::UnboundedSender<Option<f64>>,
) -> PupilOutcome {
    let mut outcome = PupilOutcome::default();
    let mut rng = StdRng::seed_from_u64(pace.seed);
    let started = Instant::now();
    let opened = async {
        let connection = connect_bare(target.address, target.trust).await?;
        let streams = connection.open_bi().await.map_err(anyhow::Error::from)?;
        anyhow::Ok((connection, streams))
    };
    let (connection, (mut send, mut recv)) = match opened.await {
        Ok(opened) => opened,
        Err(error) => {
            eprintln!("an echo pupil could not connect: {error:#}");
            outcome.errors += 1;
            let _ = joined.send(None);
            return outcome;
        }
    };
    let _ = joined.send(Some(ms_since(started)));
    outcome.joined = 1;
    let body = frame_bytes.saturating_sub(4);
    let mut frame = u32::try_from(body).unwrap_or(0).to_le_bytes().to_vec();
    frame.resize(4 + body, 7);
    let mut back = vec![0u8; frame.len()];
    while !stop.load(Ordering::Relaxed) {
        let think = rng.random_range(pace.think_ms / 2..=pace.think_ms * 3 / 2);
        tokio::time::sleep(Duration::from_millis(think)).await;
        let sent = Instant::now();
        let echoed = async {
            send.write_all(&frame).await?;
            recv.read_exact(&mut back).await?;
            anyhow::Ok(())
        };
        match echoed.await {
            Ok(()) => outcome.rtt_ms.push(ms_since(sent)),
            Err(error) => {
                eprintln!("an echo pupil's frame failed: {error:#}");
                outcome.errors += 1;
                break;
            }
        }
    }
    connection.close(quinn::VarInt::from_u32(0), b"done");
    outcome
}
