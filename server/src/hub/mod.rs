//! The hub: every class session the server runs, each as one task that owns its
//! state, and the shared pieces connections need (content, store, clock, the join-code
//! guess limiter). Connections talk to a session only through its task's channel, so
//! one session's work never blocks another's.

mod actor;
mod store_thread;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use rand::{Rng, RngExt};
use tokio::sync::{Semaphore, mpsc, oneshot};
use workworlds_content::{Content, ContentBundle};
use workworlds_protocol::events::{Reply, ServerEvent};
use workworlds_protocol::ids::{JOIN_CODE_LEN, JoinCode, PupilCode, PupilId, ResumeToken, TeamId};
use workworlds_protocol::quic::bundle::pack;
use workworlds_protocol::refusal::Refusal;
use workworlds_protocol::requests::{Activity, PupilRequest, TeacherRequest};

use crate::guesses::GuessLimiter;
use crate::session::{ClassSession, SessionSetup, SessionTimes};
use crate::store::{Store, StoreError, StoredSession, unix_ms_now, verify_password};

pub use actor::Joined;
use actor::{Command, SessionTask};
use store_thread::StoreThread;

/// How often the server notes in the store that it is running. After a crash, a running
/// round loses at most this much of the time it had left.
const HEARTBEAT: Duration = Duration::from_secs(2);

/// How many teachers' passwords are checked at once. Each Argon2 check takes about
/// 19 MiB and tens of milliseconds on purpose; a flood of logins waits its turn rather
/// than taking the server's memory or every core.
const PASSWORD_CHECKS_AT_ONCE: usize = 2;

/// Why the hub could not use the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreFailure {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the store's worker stopped: {0}")]
    Worker(String),
    #[error("stored session {0} no longer fits the content: {1}")]
    Stale(JoinCode, Refusal),
}

/// Where events for one connection go.
pub type EventSender = mpsc::UnboundedSender<ServerEvent>;

/// The server's shared state.
pub struct Hub {
    content: Arc<Content>,
    /// The content as clients receive it, packed once, and its hash.
    packed_content: Arc<Vec<u8>>,
    content_hash: [u8; 32],
    store: StoreThread,
    sessions: Mutex<HashMap<JoinCode, mpsc::Sender<Command>>>,
    guesses: Mutex<GuessLimiter>,
    password_checks: Semaphore,
    started: Instant,
}

impl Hub {
    /// A hub over `content` and `store`, with every open session in the store running
    /// again; rounds that were running come back paused with the time they had left.
    pub fn restore(
        content: Arc<Content>,
        bundle: &ContentBundle,
        store: Store,
    ) -> Result<Arc<Hub>, StoreFailure> {
        // When the server last ran: rounds lose only the time they ran before it stopped,
        // not the time it was down.
        let now_unix = unix_ms_now();
        let stopped_at = store.last_alive()?.unwrap_or(now_unix).min(now_unix);
        let started = Instant::now();
        let mut revived = Vec::new();
        for stored in store.open_sessions()? {
            let code = stored.setup.code.clone();
            match revive(&content, &store, stored, stopped_at) {
                Ok(session) => revived.push(session),
                Err(error) => {
                    tracing::error!(session = %code, %error, "could not restore a class session");
                }
            }
        }
        let packed_content = pack(bundle);
        // What each game whose content differs is sent when it joins: worth knowing on
        // a classroom network.
        tracing::info!(
            text_bytes = bundle.size(),
            sent_bytes = packed_content.len(),
            "content bundle ready to send"
        );
        let hub = Arc::new(Hub {
            content,
            packed_content: Arc::new(packed_content),
            content_hash: bundle.hash(),
            store: StoreThread::start(store)?,
            sessions: Mutex::default(),
            guesses: Mutex::default(),
            password_checks: Semaphore::new(PASSWORD_CHECKS_AT_ONCE),
            started,
        });
        for session in revived {
            tracing::info!(session = %session.setup().code, "class session restored");
            hub.spawn(session);
        }
        tokio::spawn(heartbeat(Arc::downgrade(&hub)));
        Ok(hub)
    }

    /// Milliseconds since the server started, on a clock that never goes back.
    pub fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    pub fn content(&self) -> &Content {
        &self.content
    }

    /// The content, shared, for work on the store's thread.
    pub fn shared_content(&self) -> Arc<Content> {
        self.content.clone()
    }

    /// The hash clients compare their cached content with.
    pub fn content_hash(&self) -> [u8; 32] {
        self.content_hash
    }

    /// The content packed for sending.
    pub fn packed_content(&self) -> Arc<Vec<u8>> {
        self.packed_content.clone()
    }

    /// Runs `work` on the store's thread, away from the async threads, as SQLite's
    /// writes wait for the disk.
    pub async fn with_store<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreFailure> {
        self.store.run(work).await
    }

    /// Whether `password` is the teacher `name`'s. Only the hash is read on the store's
    /// thread; the slow check runs on a blocking thread of its own, so logins never hold
    /// up the answers every class is waiting to have stored.
    pub async fn check_teacher(&self, name: &str, password: &str) -> Result<bool, StoreFailure> {
        let who = name.to_owned();
        let stored = self
            .with_store(move |store| store.teacher_password_hash(&who))
            .await?;
        let _turn = self
            .password_checks
            .acquire()
            .await
            .map_err(|_| StoreFailure::Worker("password checks have stopped".into()))?;
        let password = password.to_owned();
        let checked =
            tokio::task::spawn_blocking(move || verify_password(stored.as_deref(), &password));
        match checked.await {
            Ok(result) => Ok(result?),
            Err(error) => Err(StoreFailure::Worker(format!(
                "a password check failed: {error}"
            ))),
        }
    }

    /// Creates a session for `teacher`, stores it and starts its task.
    pub async fn create_session(
        self: &Arc<Self>,
        teacher: &str,
        activity: Activity,
        teams: u8,
        round_seconds: u32,
        typed_names: bool,
    ) -> Result<JoinCode, Refusal> {
        let code = self.fresh_code();
        let setup = SessionSetup {
            code: code.clone(),
            teacher: teacher.to_owned(),
            activity,
            teams,
            round_seconds,
            typed_names,
        };
        let mut session = ClassSession::new(setup, &self.content)?;
        session.set_times(SessionTimes {
            created_at_unix_ms: unix_ms_now(),
            ..SessionTimes::default()
        });
        let stored = self.stored(&session);
        self.with_store(move |store| store.save_session(&stored))
            .await
            .map_err(store_refusal)?;
        self.spawn(session);
        tracing::info!(session = %code, teacher, "class session created");
        Ok(code)
    }

    /// Sends a command to a session's task, or refuses when there is no such session.
    async fn send(&self, code: &JoinCode, command: Command) -> Result<(), Refusal> {
        let sender = self
            .sessions
            .lock()
            .ok()
            .and_then(|sessions| sessions.get(code).cloned());
        let sender = sender.ok_or(Refusal::UnknownSession)?;
        sender
            .send(command)
            .await
            .map_err(|_| Refusal::UnknownSession)
    }

    /// Attaches a teacher's connection to one of their sessions. An ended session is
    /// not kept running, so it is brought back from the store, for its debrief and its
    /// record; everything that would change it is refused.
    pub async fn open_session(
        self: &Arc<Self>,
        code: &JoinCode,
        teacher: &str,
        events: EventSender,
    ) -> Result<(), Refusal> {
        let running = self
            .sessions
            .lock()
            .is_ok_and(|sessions| sessions.contains_key(code));
        if !running {
            self.reopen_ended(code, teacher).await?;
        }
        let (reply, answer) = oneshot::channel();
        self.send(
            code,
            Command::AttachTeacher {
                teacher: teacher.to_owned(),
                events,
                reply,
            },
        )
        .await?;
        answer.await.unwrap_or(Err(Refusal::UnknownSession))
    }

    /// Brings an ended session of `teacher`'s back from the store, as it was when it
    /// ended. Anyone else's session, or one not in the store, is unknown.
    async fn reopen_ended(self: &Arc<Self>, code: &JoinCode, teacher: &str) -> Result<(), Refusal> {
        let wanted = code.clone();
        let content = self.content.clone();
        let revived = self
            .with_store(move |store| {
                let Some(stored) = store.session(&wanted)? else {
                    return Ok(None);
                };
                let ended_at = stored.times.ended_at_unix_ms.unwrap_or(0);
                Ok(Some((
                    stored.setup.teacher.clone(),
                    revive(&content, store, stored, ended_at),
                )))
            })
            .await
            .map_err(store_refusal)?;
        let Some((owner, revived)) = revived else {
            return Err(Refusal::UnknownSession);
        };
        if owner != teacher {
            return Err(Refusal::UnknownSession);
        }
        let session = revived.map_err(|error| {
            tracing::error!(session = %code, %error, "could not bring back an ended session");
            Refusal::NotNow {
                why: "this session's record cannot be read; see the server's log".into(),
            }
        })?;
        // Another teacher connection may have brought it back meanwhile.
        let running = self
            .sessions
            .lock()
            .is_ok_and(|sessions| sessions.contains_key(code));
        if !running {
            tracing::info!(session = %code, "ended class session opened for review");
            self.spawn(session);
        }
        Ok(())
    }

    /// Carries out a teacher's request on a session.
    pub async fn teacher_request(
        &self,
        code: &JoinCode,
        request: TeacherRequest,
    ) -> Result<Reply, Refusal> {
        let (reply, answer) = oneshot::channel();
        self.send(code, Command::Teacher { request, reply }).await?;
        answer.await.unwrap_or(Err(Refusal::UnknownSession))
    }

    /// Adds a pupil to a session, refusing addresses that guessed too many codes. A
    /// pupil code links the pupil to their record; a wrong one counts as a guess.
    pub async fn join(
        &self,
        address: IpAddr,
        code: &JoinCode,
        typed_name: Option<String>,
        pupil_code: Option<PupilCode>,
        events: EventSender,
    ) -> Result<Joined, Refusal> {
        let now = self.now_ms();
        if let Some(retry_after_seconds) = self
            .guesses
            .lock()
            .ok()
            .and_then(|mut guesses| guesses.refused(address, now))
        {
            return Err(Refusal::TooManyGuesses {
                retry_after_seconds,
            });
        }
        let record = match pupil_code {
            Some(pupil_code) => {
                let found = self
                    .with_store(move |store| store.record(&pupil_code))
                    .await
                    .map_err(store_refusal)?;
                if found.is_none() {
                    if let Ok(mut guesses) = self.guesses.lock() {
                        guesses.wrong(address, now);
                    }
                    tracing::debug!(%address, "wrong pupil code");
                    return Err(Refusal::UnknownPupilCode);
                }
                found
            }
            None => None,
        };
        let (reply, answer) = oneshot::channel();
        let sent = self
            .send(
                code,
                Command::Join {
                    typed_name,
                    record,
                    events,
                    reply,
                },
            )
            .await;
        if sent == Err(Refusal::UnknownSession) {
            if let Ok(mut guesses) = self.guesses.lock() {
                guesses.wrong(address, now);
            }
            tracing::debug!(%address, "wrong join code");
        }
        sent?;
        answer.await.unwrap_or(Err(Refusal::UnknownSession))
    }

    /// Reconnects a pupil who holds a resume token.
    pub async fn resume(&self, token: ResumeToken, events: EventSender) -> Result<Joined, Refusal> {
        let pupil = self
            .with_store(move |store| store.pupil_by_token(&token))
            .await
            .map_err(store_refusal)?
            .ok_or(Refusal::CannotResume)?;
        let (reply, answer) = oneshot::channel();
        self.send(
            &pupil.session,
            Command::Resume {
                pupil: pupil.pupil,
                events,
                reply,
            },
        )
        .await
        .map_err(|_| Refusal::CannotResume)?;
        answer.await.unwrap_or(Err(Refusal::CannotResume))
    }

    /// Carries out a pupil's request.
    pub async fn pupil_request(
        &self,
        code: &JoinCode,
        pupil: PupilId,
        request: PupilRequest,
    ) -> Result<Reply, Refusal> {
        let (reply, answer) = oneshot::channel();
        self.send(
            code,
            Command::Pupil {
                pupil,
                request,
                reply,
            },
        )
        .await?;
        answer.await.unwrap_or(Err(Refusal::UnknownSession))
    }

    /// Tells a session a connection has gone.
    pub async fn left(&self, code: &JoinCode, connection: u64) {
        let _ = self.send(code, Command::Left { connection }).await;
    }

    fn fresh_code(&self) -> JoinCode {
        let mut rng = rand::rng();
        loop {
            let code =
                JoinCode::from_indices(std::array::from_fn::<usize, JOIN_CODE_LEN, _>(|_| {
                    rng.random_range(0..usize::MAX)
                }));
            let taken = self
                .sessions
                .lock()
                .map(|sessions| sessions.contains_key(&code))
                .unwrap_or(true);
            if !taken {
                return code;
            }
        }
    }

    fn spawn(self: &Arc<Self>, session: ClassSession) {
        let code = session.setup().code.clone();
        let (sender, commands) = mpsc::channel(256);
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.insert(code.clone(), sender);
        }
        let task = SessionTask::new(self.clone(), session);
        let span = tracing::info_span!("session", code = %code);
        tokio::spawn(tracing::Instrument::instrument(task.run(commands), span));
    }

    /// The session as the store keeps it.
    fn stored(&self, session: &ClassSession) -> StoredSession {
        StoredSession::of(session, self.now_ms(), unix_ms_now())
    }
}

/// A stored session as it was: its pupils, what their answers counted and earned, and
/// its round paused with the time it had at `stopped_at_unix_ms`. Runs before the hub
/// exists, so its clock (the hub's `now_ms`) reads 0.
fn revive(
    content: &Content,
    store: &Store,
    stored: StoredSession,
    stopped_at_unix_ms: u64,
) -> Result<ClassSession, StoreFailure> {
    let code = stored.setup.code.clone();
    let mut session = ClassSession::new(stored.setup, content)
        .map_err(|refusal| StoreFailure::Stale(code.clone(), refusal))?;
    for pupil in store.pupils(&code)? {
        session.restore_member(
            pupil.pupil,
            pupil.name,
            pupil.team,
            pupil.token,
            pupil.record,
        );
        for answer in store.answers(pupil.pupil)? {
            session.replay(
                content,
                pupil.pupil,
                &answer.quest,
                answer.task,
                answer.mark,
            );
        }
    }
    if let Some(play) = store.challenge_play(&code)? {
        session.restore_challenge(play);
    }
    session.pause_after_restart(stored.round.to_round(0, stopped_at_unix_ms), 0);
    session.set_eyes_on_me(stored.eyes_on_me);
    session.lock_lobby(stored.lobby_locked);
    session.set_times(stored.times);
    Ok(session)
}

/// Notes the server is alive every [`HEARTBEAT`] until the hub is dropped, so that after
/// a crash a running round comes back with the time it had when the server stopped.
async fn heartbeat(hub: Weak<Hub>) {
    let mut ticks = tokio::time::interval(HEARTBEAT);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let Some(hub) = hub.upgrade() else { return };
        let noted = hub
            .with_store(|store| store.mark_alive(unix_ms_now()))
            .await;
        if let Err(error) = noted {
            tracing::warn!(%error, "could not note that the server is running");
        }
    }
}

/// A store failure as the client sees it: the request is not done, and the details are
/// in the server's log.
fn store_refusal(error: StoreFailure) -> Refusal {
    tracing::error!(%error, "store failed");
    Refusal::NotNow {
        why: "the server could not save this; try again".into(),
    }
}

/// A fresh resume token.
fn new_token(rng: &mut impl Rng) -> ResumeToken {
    let mut bytes = [0; 16];
    rng.fill_bytes(&mut bytes);
    ResumeToken(bytes)
}

/// The team a pupil lands in is decided by the session; this names it for logs.
fn team_label(team: TeamId) -> u8 {
    team.0 + 1
}
