//! The bots: teachers who set up classes and run their rounds, and pupils who join,
//! answer, put hands up, and drop and come back, all through the protocol's headless
//! client like the game itself.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use tokio::sync::mpsc;
use workworlds_content::ids::{QuestId, SectorId};
use workworlds_content::marking::Answer;
use workworlds_protocol::events::{Reply, RoundState, ServerEvent};
use workworlds_protocol::hello::{ClientHello, Identity, Intent};
use workworlds_protocol::ids::{JoinCode, PupilId};
use workworlds_protocol::quic::{ClassClient, ClientError, Trust};
use workworlds_protocol::refusal::Refusal;
use workworlds_protocol::requests::{Activity, PupilRequest, TeacherRequest};

use crate::stats::Samples;

/// How long a bot keeps trying to come back to a server that went away, and how long
/// one attempt may take: a server that is down answers nothing, so a connection attempt
/// would otherwise wait for the whole idle timeout.
const COME_BACK_LIMIT: Duration = Duration::from_secs(60);
const ATTEMPT_LIMIT: Duration = Duration::from_secs(2);

/// The server under test.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub(crate) address: SocketAddr,
    pub(crate) trust: Trust,
}

/// What a pupil needs to join a class.
#[derive(Clone, Debug)]
pub(crate) struct ClassPlan {
    pub(crate) code: JoinCode,
    pub(crate) world: SectorId,
    /// The content the bots hold, so the server does not send it to every pupil.
    pub(crate) content_hash: [u8; 32],
}

/// A class and its teacher's connection.
pub(crate) struct Class {
    pub(crate) plan: ClassPlan,
    teacher: ClassClient,
}

/// A quest and a right answer to each of its tasks.
#[derive(Clone, Debug)]
pub(crate) struct QuestPlay {
    quest: QuestId,
    answers: Vec<Answer>,
}

/// The classes set up for a run, and the quests of each world.
pub(crate) struct Classes {
    pub(crate) classes: Vec<Class>,
    pub(crate) quests: HashMap<SectorId, Vec<QuestPlay>>,
}

/// How a pupil bot behaves.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pace {
    pub(crate) think_ms: u64,
    pub(crate) drop_percent: f64,
    pub(crate) seed: u64,
}

/// What pupil bots saw.
#[derive(Debug, Default)]
pub(crate) struct PupilOutcome {
    pub(crate) joined: usize,
    pub(crate) errors: u64,
    pub(crate) refused: u64,
    pub(crate) rtt_ms: Samples,
    pub(crate) resume_ms: Samples,
    /// Times a pupil found the server gone (after it was killed) and came back.
    pub(crate) came_back: u64,
    /// Answers the server acknowledged, per pupil.
    pub(crate) acked: HashMap<PupilId, u32>,
}

impl PupilOutcome {
    pub(crate) fn merge(&mut self, other: PupilOutcome) {
        self.joined += other.joined;
        self.errors += other.errors;
        self.refused += other.refused;
        self.rtt_ms.extend(other.rtt_ms);
        self.resume_ms.extend(other.resume_ms);
        self.came_back += other.came_back;
        for (pupil, count) in other.acked {
            *self.acked.entry(pupil).or_default() += count;
        }
    }
}

/// Only the first few failures are printed; the count says the rest.
static PRINTED: AtomicUsize = AtomicUsize::new(0);

fn report(what: &str, error: &dyn std::fmt::Display) {
    if PRINTED.fetch_add(1, Ordering::Relaxed) < 10 {
        eprintln!("{what}: {error}");
    }
}

async fn connect(
    target: &Target,
    content_hash: [u8; 32],
    intent: Intent,
) -> Result<ClassClient, ClientError> {
    let hello = ClientHello::new(content_hash, intent);
    ClassClient::connect(target.address, target.trust, hello).await
}

/// Connects again and again, as the game does after losing its server, until the server
/// answers or [`COME_BACK_LIMIT`] passes. A refusal is final: the server is back and
/// said no.
async fn come_back(
    target: &Target,
    content_hash: [u8; 32],
    intent: impl Fn() -> Intent,
    rng: &mut StdRng,
) -> Result<ClassClient, ClientError> {
    let deadline = Instant::now() + COME_BACK_LIMIT;
    loop {
        let attempt = tokio::time::timeout(ATTEMPT_LIMIT, connect(target, content_hash, intent()));
        let error = match attempt.await {
            Ok(Ok(client)) => return Ok(client),
            Ok(Err(ClientError::Refused(refusal))) => return Err(ClientError::Refused(refusal)),
            Ok(Err(error)) => error,
            Err(_) => ClientError::Connect("no answer".into()),
        };
        if Instant::now() >= deadline {
            return Err(error);
        }
        // Spread out, so a whole school does not knock in the same millisecond.
        tokio::time::sleep(Duration::from_millis(rng.random_range(200..800))).await;
    }
}

/// Whether an error means the connection itself is gone, rather than a refusal.
fn is_lost(error: &ClientError) -> bool {
    !matches!(error, ClientError::Refused(_))
}

/// Logs in a teacher per class and creates the sessions, spreading them over the
/// sector worlds that have quests.
pub(crate) async fn open_classes(
    target: &Target,
    teacher: &str,
    password: &str,
    count: usize,
    round_seconds: u32,
) -> anyhow::Result<Classes> {
    let login = || Intent::Teacher {
        name: teacher.to_owned(),
        password: password.to_owned(),
    };
    // The first login fetches the server's content, which the rest then present as held.
    let mut first = connect(target, [0; 32], login())
        .await
        .context("logging in the first teacher")?;
    let bundle = first
        .take_content()
        .context("the server sent no content to a client that had none")?;
    let content = bundle
        .load()
        .map_err(|errors| anyhow::anyhow!("the server's content does not load: {errors}"))?;
    let content_hash = bundle.hash();
    let mut quests: HashMap<SectorId, Vec<QuestPlay>> = HashMap::new();
    for sector in content.sectors.keys() {
        let plays: Vec<QuestPlay> = content
            .quests_in(sector)
            .map(|quest| QuestPlay {
                quest: quest.id.clone(),
                answers: quest.tasks.iter().map(|task| task.model_answer()).collect(),
            })
            .collect();
        if !plays.is_empty() {
            quests.insert(sector.clone(), plays);
        }
    }
    let mut worlds: Vec<SectorId> = quests.keys().cloned().collect();
    worlds.sort();
    if worlds.is_empty() {
        bail!("the server's content has no quests to play");
    }

    let mut classes = Vec::with_capacity(count);
    let mut spare = Some(first);
    for index in 0..count {
        let mut client = match spare.take() {
            Some(client) => client,
            None => connect(target, content_hash, login())
                .await
                .context("logging in a teacher")?,
        };
        let world = worlds[index % worlds.len()].clone();
        let created = client
            .teacher(TeacherRequest::CreateSession {
                activity: Activity::World(world.clone()),
                teams: 4,
                round_seconds,
                typed_names: false,
            })
            .await
            .context("creating a class session")?;
        let Reply::SessionCreated { code } = created else {
            bail!("unexpected reply to creating a session: {created:?}");
        };
        classes.push(Class {
            plan: ClassPlan {
                code,
                world,
                content_hash,
            },
            teacher: client,
        });
    }
    Ok(Classes { classes, quests })
}

/// How a teacher bot reaches the server again after it was killed.
pub(crate) struct TeacherLogin {
    pub(crate) target: Target,
    pub(crate) name: String,
    pub(crate) password: String,
    /// Set once the server has been killed on purpose: from then on a lost connection is
    /// expected, and the bot comes back instead of failing.
    pub(crate) outage: Arc<AtomicBool>,
}

impl TeacherLogin {
    fn intent(&self) -> Intent {
        Intent::Teacher {
            name: self.name.clone(),
            password: self.password.clone(),
        }
    }
}

/// A teacher running `rounds` timed rounds, with everyone's eyes on them for a moment
/// halfway through each. If the server is killed, the teacher logs in again, opens the
/// session and resumes the round the restart paused.
pub(crate) async fn teacher(
    class: Class,
    rounds: u32,
    round_seconds: u32,
    login: Arc<TeacherLogin>,
) -> anyhow::Result<()> {
    let Class { plan, mut teacher } = class;
    let half = Duration::from_secs(u64::from(round_seconds) / 2);
    let seed = plan.code.as_str().bytes().fold(0_u64, |seed, byte| {
        seed.wrapping_mul(31).wrapping_add(u64::from(byte))
    });
    let mut rng = StdRng::seed_from_u64(seed);
    for round in 1..=rounds {
        teacher
            .teacher(TeacherRequest::StartRound)
            .await
            .with_context(|| format!("{}: starting round {round}", plan.code))?;
        drain_for(&mut teacher, half).await;
        for on in [true, false] {
            if let Err(error) = teacher.teacher(TeacherRequest::EyesOnMe { on }).await {
                if !(login.outage.load(Ordering::SeqCst) && is_lost(&error)) {
                    return Err(error.into());
                }
                teacher = reopen(&login, &plan, &mut rng).await?;
                break;
            }
            drain_for(&mut teacher, Duration::from_secs(2)).await;
        }
        // The server ends the round when its time is up; after a restart, the round
        // has its time again on top of the outage.
        let limit = Duration::from_secs(u64::from(round_seconds) + 30) + COME_BACK_LIMIT;
        let ended = async {
            loop {
                if round_ended(&mut teacher, round).await {
                    return anyhow::Ok(());
                }
                if !login.outage.load(Ordering::SeqCst) {
                    bail!("the teacher's connection closed");
                }
                teacher = reopen(&login, &plan, &mut rng).await?;
            }
        };
        tokio::time::timeout(limit, ended)
            .await
            .with_context(|| format!("{}: round {round} did not end on time", plan.code))??;
    }
    teacher.close();
    Ok(())
}

/// Logs a teacher in again after the server came back, opens their session, and resumes
/// the round that the restart paused (a round that had ended stays ended).
async fn reopen(
    login: &TeacherLogin,
    plan: &ClassPlan,
    rng: &mut StdRng,
) -> anyhow::Result<ClassClient> {
    let mut teacher = come_back(&login.target, plan.content_hash, || login.intent(), rng)
        .await
        .with_context(|| format!("{}: the teacher could not log in again", plan.code))?;
    teacher
        .teacher(TeacherRequest::OpenSession {
            code: plan.code.clone(),
        })
        .await
        .with_context(|| format!("{}: opening the session again", plan.code))?;
    match teacher.teacher(TeacherRequest::ResumeRound).await {
        Ok(_) | Err(ClientError::Refused(Refusal::NotNow { .. })) => Ok(teacher),
        Err(error) => Err(error).context("resuming the round after the restart"),
    }
}

/// Reads (and drops) a teacher's events for `time`, as their dashboard would.
async fn drain_for(client: &mut ClassClient, time: Duration) {
    let _ =
        tokio::time::timeout(time, async { while client.next_event().await.is_some() {} }).await;
}

/// Waits until round `round` has ended (true) or the connection closes (false).
async fn round_ended(client: &mut ClassClient, round: u32) -> bool {
    while let Some(event) = client.next_event().await {
        if let ServerEvent::Session(view) = event
            && view.round.number == round
            && view.round.state == RoundState::Ended
        {
            return true;
        }
    }
    false
}

/// A pupil: joins, then works through quests task by task and now and then puts a hand
/// up or down, until `stop`. Sends `Some(join time)` or `None` on `joined` once joining
/// is over.
pub(crate) async fn pupil(
    target: Target,
    plan: ClassPlan,
    quests: Arc<HashMap<SectorId, Vec<QuestPlay>>>,
    pace: Pace,
    stop: Arc<AtomicBool>,
    outage: Arc<AtomicBool>,
    joined: mpsc::UnboundedSender<Option<f64>>,
) -> PupilOutcome {
    let mut outcome = PupilOutcome::default();
    let mut rng = StdRng::seed_from_u64(pace.seed);
    let started = Instant::now();
    let join = Intent::Join {
        code: plan.code.clone(),
        name: None,
        pupil_code: None,
    };
    let mut client = match connect(&target, plan.content_hash, join).await {
        Ok(client) => client,
        Err(error) => {
            report("a pupil could not join", &error);
            outcome.errors += 1;
            let _ = joined.send(None);
            return outcome;
        }
    };
    let _ = joined.send(Some(ms_since(started)));
    outcome.joined = 1;
    let Identity::Pupil { pupil, token, .. } = client.identity().clone() else {
        outcome.errors += 1;
        return outcome;
    };
    let plays = quests.get(&plan.world).map_or(&[][..], Vec::as_slice);
    let mut quest = rng.random_range(0..plays.len().max(1));
    let mut task = 0;
    let mut hand_up = false;

    while !stop.load(Ordering::Relaxed) {
        let think = rng.random_range(pace.think_ms / 2..=pace.think_ms * 3 / 2);
        tokio::time::sleep(Duration::from_millis(think)).await;
        // What the game would show: read and let go.
        while let Some(event) = client.try_event() {
            if matches!(event, ServerEvent::Removed) {
                return outcome;
            }
        }
        let answering = rng.random_bool(0.85) && !plays.is_empty();
        let request = if answering {
            let play = &plays[quest];
            let request = PupilRequest::SubmitAnswer {
                quest: play.quest.clone(),
                task: u8::try_from(task).unwrap_or(u8::MAX),
                answer: play.answers[task].clone(),
            };
            task += 1;
            if task == play.answers.len() {
                task = 0;
                quest = rng.random_range(0..plays.len());
            }
            request
        } else {
            hand_up = !hand_up;
            PupilRequest::HandUp { up: hand_up }
        };
        let sent = Instant::now();
        match client.pupil(request).await {
            Ok(reply) => {
                outcome.rtt_ms.push(ms_since(sent));
                if matches!(reply, Reply::Marked { .. }) {
                    *outcome.acked.entry(pupil).or_default() += 1;
                }
            }
            Err(ClientError::Refused(Refusal::NotNow { .. })) => {
                outcome.rtt_ms.push(ms_since(sent));
                outcome.refused += 1;
            }
            Err(error) if outage.load(Ordering::SeqCst) && is_lost(&error) => {
                // The server was killed: come back as the game would, as the same pupil.
                let resume = || Intent::Resume { token };
                match come_back(&target, plan.content_hash, resume, &mut rng).await {
                    Ok(again) => {
                        client = again;
                        outcome.came_back += 1;
                        continue;
                    }
                    Err(error) => {
                        report("a pupil could not come back after the outage", &error);
                        outcome.errors += 1;
                        return outcome;
                    }
                }
            }
            Err(error) => {
                report("a pupil's request failed", &error);
                outcome.errors += 1;
            }
        }
        if rng.random_bool(pace.drop_percent.clamp(0.0, 100.0) / 100.0) {
            client.close();
            let back = Instant::now();
            let resumed = if outage.load(Ordering::SeqCst) {
                let resume = || Intent::Resume { token };
                come_back(&target, plan.content_hash, resume, &mut rng).await
            } else {
                connect(&target, plan.content_hash, Intent::Resume { token }).await
            };
            match resumed {
                Ok(again) => {
                    client = again;
                    outcome.resume_ms.push(ms_since(back));
                }
                Err(error) => {
                    report("a pupil could not resume", &error);
                    outcome.errors += 1;
                    return outcome;
                }
            }
        }
    }
    client.close();
    outcome
}

/// Milliseconds since `start`.
pub(crate) fn ms_since(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}
