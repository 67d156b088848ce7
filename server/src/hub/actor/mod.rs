//! One class session's task: it owns the session, applies commands one at a time,
//! keeps the store up to date before acknowledging, ends rounds on time, and tells
//! every connection in the session what changed.

mod records;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use workworlds_protocol::events::{Reply, ServerEvent};
use workworlds_protocol::ids::{JoinCode, PupilId, ResumeToken, TeamId};
use workworlds_protocol::refusal::Refusal;
use workworlds_protocol::requests::{PupilRequest, TeacherRequest};

use super::{EventSender, Hub, StoreFailure, new_token, store_refusal, team_label};
use crate::names;
use crate::progress;
use crate::session::{ClassSession, Round};
use crate::store::{StoredAnswer, StoredRecord, unix_ms_now};
use records::{bounded_text, holder_pupils};

/// What a connection asks of a session's task.
pub(super) enum Command {
    AttachTeacher {
        teacher: String,
        events: EventSender,
        reply: oneshot::Sender<Result<(), Refusal>>,
    },
    Teacher {
        request: TeacherRequest,
        reply: oneshot::Sender<Result<Reply, Refusal>>,
    },
    Join {
        typed_name: Option<String>,
        /// The pupil's record, when they joined with its pupil code.
        record: Option<StoredRecord>,
        events: EventSender,
        reply: oneshot::Sender<Result<Joined, Refusal>>,
    },
    Resume {
        pupil: PupilId,
        events: EventSender,
        reply: oneshot::Sender<Result<Joined, Refusal>>,
    },
    Pupil {
        pupil: PupilId,
        request: PupilRequest,
        reply: oneshot::Sender<Result<Reply, Refusal>>,
    },
    Left {
        connection: u64,
    },
}

/// A pupil in a session, as their connection needs to know them.
#[derive(Clone, Debug)]
pub struct Joined {
    pub session: JoinCode,
    pub pupil: PupilId,
    pub name: String,
    pub team: TeamId,
    pub token: ResumeToken,
    /// Identifies this connection to the session, so a stale connection leaving does
    /// not mark a resumed pupil as gone.
    pub connection: u64,
}

/// A connection that hears the session's events.
struct Listener {
    connection: u64,
    pupil: Option<PupilId>,
    events: EventSender,
}

pub(super) struct SessionTask {
    hub: Arc<Hub>,
    session: ClassSession,
    listeners: Vec<Listener>,
    next_connection: u64,
}

impl SessionTask {
    pub(super) fn new(hub: Arc<Hub>, session: ClassSession) -> SessionTask {
        SessionTask {
            hub,
            session,
            listeners: Vec::new(),
            next_connection: 1,
        }
    }

    pub(super) async fn run(mut self, mut commands: mpsc::Receiver<Command>) {
        loop {
            let until_round_ends = match self.session.round() {
                Round::Running { ends_at_ms, .. } => {
                    Some(ends_at_ms.saturating_sub(self.hub.now_ms()))
                }
                _ => None,
            };
            let timer = async {
                match until_round_ends {
                    Some(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                command = commands.recv() => match command {
                    Some(command) => self.apply(command).await,
                    None => break,
                },
                () = timer => {
                    let finished_before = self.session.challenge_finished();
                    if self.session.tick(self.hub.now_ms()) {
                        tracing::info!("round ended");
                        self.save().await;
                        self.broadcast();
                        if self.session.challenge_finished() != finished_before {
                            self.award_everyone().await;
                        }
                    }
                }
            }
        }
    }

    async fn apply(&mut self, command: Command) {
        match command {
            Command::AttachTeacher {
                teacher,
                events,
                reply,
            } => {
                let allowed = teacher == self.session.setup().teacher;
                if allowed {
                    let connection = self.listen(None, events);
                    tracing::debug!(connection, "teacher attached");
                    self.broadcast();
                }
                let _ = reply.send(if allowed {
                    Ok(())
                } else {
                    Err(Refusal::UnknownSession)
                });
            }
            Command::Teacher { request, reply } => {
                let finished_before = self.session.challenge_finished();
                let ending = request == TeacherRequest::EndSession;
                let outcome = self.teacher(request).await;
                if outcome.is_ok() {
                    self.save().await;
                    self.broadcast();
                    // Badges for a challenge played to the end are judged once its
                    // results are stored.
                    if ending || self.session.challenge_finished() != finished_before {
                        self.award_everyone().await;
                    }
                }
                let _ = reply.send(outcome);
            }
            Command::Join {
                typed_name,
                record,
                events,
                reply,
            } => {
                let outcome = match record {
                    Some(record) => self.join_with_record(record, events).await,
                    None => self.join(typed_name, events).await,
                };
                let _ = reply.send(outcome);
            }
            Command::Resume {
                pupil,
                events,
                reply,
            } => {
                let outcome = self.resume(pupil, events);
                let _ = reply.send(outcome);
            }
            Command::Pupil {
                pupil,
                request,
                reply,
            } => {
                let outcome = self.pupil(pupil, request).await;
                let _ = reply.send(outcome);
            }
            Command::Left { connection } => self.left(connection),
        }
    }

    async fn teacher(&mut self, request: TeacherRequest) -> Result<Reply, Refusal> {
        let now = self.hub.now_ms();
        let reviewing = matches!(
            request,
            TeacherRequest::SessionRecord { .. } | TeacherRequest::Reflections
        );
        if self.session.is_ended() && !reviewing {
            return Err(Refusal::SessionEnded);
        }
        match request {
            TeacherRequest::StartRound => {
                self.session.start_round(now)?;
                let mut times = self.session.times();
                times.started_at_unix_ms.get_or_insert_with(unix_ms_now);
                self.session.set_times(times);
            }
            TeacherRequest::PauseRound => self.session.pause_round(now)?,
            TeacherRequest::ResumeRound => self.session.resume_round(now)?,
            TeacherRequest::ExtendRound { seconds } => self.session.extend_round(seconds)?,
            TeacherRequest::EndRound => self.session.end_round()?,
            TeacherRequest::EyesOnMe { on } => self.session.set_eyes_on_me(on),
            TeacherRequest::LockLobby { locked } => self.session.lock_lobby(locked),
            TeacherRequest::MarkReflection { team, mark } => {
                self.session.mark_reflection(team, mark)?;
            }
            TeacherRequest::MovePupil { pupil, team } => {
                self.session.move_pupil(pupil, team)?;
                self.hub
                    .with_store(move |store| store.set_pupil_team(pupil, team))
                    .await
                    .map_err(store_refusal)?;
            }
            TeacherRequest::RemovePupil { pupil } => {
                self.hub
                    .with_store(move |store| store.remove_pupil(pupil))
                    .await
                    .map_err(store_refusal)?;
                self.session.remove_pupil(pupil)?;
                for listener in self
                    .listeners
                    .iter()
                    .filter(|listener| listener.pupil == Some(pupil))
                {
                    let _ = listener.events.send(ServerEvent::Removed);
                }
                self.listeners
                    .retain(|listener| listener.pupil != Some(pupil));
            }
            TeacherRequest::EndSession => {
                self.session.end_session(unix_ms_now())?;
                tracing::info!("class session ended");
                for listener in self.listeners.iter().filter(|l| l.pupil.is_some()) {
                    let _ = listener.events.send(ServerEvent::SessionEnded);
                }
                self.listeners.retain(|listener| listener.pupil.is_none());
            }
            TeacherRequest::CommentReflection {
                reflection,
                comment,
            } => {
                let comment = bounded_text(&comment)?;
                let code = self.session.setup().code.clone();
                let found = self
                    .hub
                    .with_store(move |store| {
                        store.comment_reflection(&code, reflection, comment.as_deref())
                    })
                    .await
                    .map_err(store_refusal)?;
                if !found {
                    return Err(Refusal::Invalid {
                        why: "no such reflection in this class".into(),
                    });
                }
            }
            TeacherRequest::SessionRecord { lang } => return self.session_record(lang).await,
            TeacherRequest::Reflections => return self.class_reflections().await,
            TeacherRequest::CreateSession { .. } | TeacherRequest::OpenSession { .. } => {
                return Err(Refusal::NotNow {
                    why: "this connection already runs a session".into(),
                });
            }
        }
        tracing::info!(
            round = round_state(&self.session),
            "teacher request carried out"
        );
        Ok(Reply::Done)
    }

    async fn join(
        &mut self,
        typed_name: Option<String>,
        events: EventSender,
    ) -> Result<Joined, Refusal> {
        let name = match typed_name {
            Some(typed) if self.session.setup().typed_names => {
                names::typed(&typed).ok_or(Refusal::NameRefused)?
            }
            _ => names::generated(&mut rand::rng()),
        };
        let token = new_token(&mut rand::rng());
        // The team is chosen before the store gives the pupil an id, and the pupil joins
        // the session only once the store has them: a failed write leaves no trace.
        let team = self.session.admit()?;
        let code = self.session.setup().code.clone();
        let stored_name = name.clone();
        let pupil = self
            .hub
            .with_store(move |store| store.add_pupil(&code, &stored_name, team, token, None))
            .await
            .map_err(store_refusal)?;
        self.session
            .restore_member(pupil, name.clone(), team, token, None);
        self.session.set_connected(pupil, true);
        let connection = self.listen(Some(pupil), events);
        tracing::info!(pupil = pupil.0, team = team_label(team), "pupil joined");
        self.broadcast();
        Ok(Joined {
            session: self.session.setup().code.clone(),
            pupil,
            name,
            team,
            token,
            connection,
        })
    }

    /// Adds a pupil who gave their pupil code, under the name on their record; one who
    /// is in this session already comes back as themselves, from whichever computer.
    async fn join_with_record(
        &mut self,
        record: StoredRecord,
        events: EventSender,
    ) -> Result<Joined, Refusal> {
        if self.session.is_ended() {
            return Err(Refusal::SessionEnded);
        }
        if let Some(pupil) = self.session.member_by_record(&record.code) {
            return self.resume(pupil, events);
        }
        let token = new_token(&mut rand::rng());
        let team = self.session.admit()?;
        let code = self.session.setup().code.clone();
        let (name, pupil_code) = (record.name.clone(), record.code.clone());
        let pupil = self
            .hub
            .with_store(move |store| store.add_pupil(&code, &name, team, token, Some(&pupil_code)))
            .await
            .map_err(store_refusal)?;
        self.session
            .restore_member(pupil, record.name.clone(), team, token, Some(record.code));
        self.session.set_connected(pupil, true);
        let connection = self.listen(Some(pupil), events);
        tracing::info!(
            pupil = pupil.0,
            team = team_label(team),
            "pupil joined with a code"
        );
        self.broadcast();
        Ok(Joined {
            session: self.session.setup().code.clone(),
            pupil,
            name: record.name,
            team,
            token,
            connection,
        })
    }

    fn resume(&mut self, pupil: PupilId, events: EventSender) -> Result<Joined, Refusal> {
        if self.session.is_ended() {
            return Err(Refusal::SessionEnded);
        }
        let member = self
            .session
            .members()
            .get(&pupil)
            .cloned()
            .ok_or(Refusal::CannotResume)?;
        self.listeners
            .retain(|listener| listener.pupil != Some(pupil));
        self.session.set_connected(pupil, true);
        let connection = self.listen(Some(pupil), events);
        tracing::info!(pupil = pupil.0, "pupil resumed");
        self.broadcast();
        let session = self.session.setup().code.clone();
        Ok(Joined {
            session,
            pupil,
            name: member.name,
            team: member.team,
            token: member.token,
            connection,
        })
    }

    async fn pupil(&mut self, pupil: PupilId, request: PupilRequest) -> Result<Reply, Refusal> {
        match request {
            PupilRequest::HandUp { up } => {
                self.session.set_hand(pupil, up)?;
                self.dashboard();
                Ok(Reply::Done)
            }
            PupilRequest::SubmitAnswer {
                quest,
                task,
                answer,
            } => {
                // The pupil as they were, in case the store fails and nothing may change.
                let before = self.session.members().get(&pupil).cloned();
                let (mark, earned) =
                    self.session
                        .answer(&self.hub.content, pupil, &quest, task, &answer)?;
                let stored = StoredAnswer {
                    pupil,
                    session: self.session.setup().code.clone(),
                    quest,
                    task,
                    answer,
                    mark,
                    at_unix_ms: unix_ms_now(),
                };
                // Acknowledged only once it is on disk.
                let rewards = earned.clone();
                let saved = self
                    .hub
                    .with_store(move |store| store.record_answer(&stored, &rewards))
                    .await;
                if let Err(error) = saved {
                    if let Some(before) = before {
                        self.session.put_back(pupil, before);
                    }
                    return Err(store_refusal(error));
                }
                if !earned.is_empty() {
                    tracing::info!(pupil = pupil.0, rewards = earned.len(), "quest finished");
                }
                self.dashboard();
                self.award_badges(&[pupil]).await;
                Ok(Reply::Marked { mark, earned })
            }
            PupilRequest::Reflect { prompt, text } => self.reflect(pupil, prompt, &text).await,
            PupilRequest::ChooseBest { reflection, best } => {
                let holder = self.holder(pupil);
                let chosen = self
                    .hub
                    .with_store(move |store| {
                        let pupils = holder_pupils(store, &holder)?;
                        store.choose_best(&pupils, reflection, best)
                    })
                    .await
                    .map_err(store_refusal)?;
                if !chosen {
                    return Err(Refusal::Invalid {
                        why: "that is not one of your reflections".into(),
                    });
                }
                Ok(Reply::Done)
            }
            PupilRequest::Portfolio => {
                let holder = self.holder(pupil);
                let content = self.hub.shared_content();
                let portfolio = self
                    .hub
                    .with_store(move |store| progress::portfolio(store, &content, &holder))
                    .await
                    .map_err(store_refusal)?;
                Ok(Reply::Portfolio(Box::new(portfolio)))
            }
            PupilRequest::SetDecision { decision, value } => {
                self.change_plan(pupil, |session| {
                    session.set_decision(pupil, &decision, value)
                })
                .await
            }
            PupilRequest::SetInvestment { investment, buy } => {
                self.change_plan(pupil, |session| {
                    session.set_investment(pupil, &investment, buy)
                })
                .await
            }
        }
    }

    /// Changes `pupil`'s team's challenge plan with `change`, keeps it in the store, and
    /// only then acknowledges it and shows the team; if the store fails, nothing
    /// changed. Only that team's plan changed, so only its pupils are sent the view.
    async fn change_plan(
        &mut self,
        pupil: PupilId,
        change: impl FnOnce(&mut ClassSession) -> Result<(), Refusal>,
    ) -> Result<Reply, Refusal> {
        let before = self.session.challenge_play().cloned();
        change(&mut self.session)?;
        if let Err(error) = self.save_challenge().await {
            if let Some(before) = before {
                self.session.restore_challenge(before);
            }
            return Err(store_refusal(error));
        }
        let team = self.session.members().get(&pupil).map(|member| member.team);
        let teammates: BTreeSet<PupilId> = self
            .session
            .members()
            .iter()
            .filter(|(_, member)| Some(member.team) == team)
            .map(|(id, _)| *id)
            .collect();
        self.send_challenge(|listener| listener.is_some_and(|id| teammates.contains(&id)));
        Ok(Reply::Done)
    }

    /// Writes where the session's challenge stands, if it plays one.
    async fn save_challenge(&self) -> Result<(), StoreFailure> {
        let Some(play) = self.session.challenge_play().cloned() else {
            return Ok(());
        };
        let code = self.session.setup().code.clone();
        self.hub
            .with_store(move |store| store.save_challenge(&code, &play))
            .await
    }

    /// Sends the listeners `to` picks (by their pupil, `None` for a teacher) the
    /// challenge as they see it: their own team's plan, and everyone's results.
    fn send_challenge(&mut self, to: impl Fn(Option<PupilId>) -> bool) {
        let session = &self.session;
        self.listeners.retain(|listener| {
            if !to(listener.pupil) {
                return true;
            }
            let Some(view) = session.challenge_view(listener.pupil) else {
                return true;
            };
            listener.events.send(ServerEvent::Challenge(view)).is_ok()
        });
    }

    fn left(&mut self, connection: u64) {
        let Some(index) = self
            .listeners
            .iter()
            .position(|listener| listener.connection == connection)
        else {
            return;
        };
        let listener = self.listeners.remove(index);
        if let Some(pupil) = listener.pupil {
            self.session.set_connected(pupil, false);
            tracing::info!(pupil = pupil.0, "pupil left");
        }
        self.dashboard();
    }

    fn listen(&mut self, pupil: Option<PupilId>, events: EventSender) -> u64 {
        let connection = self.next_connection;
        self.next_connection += 1;
        self.listeners.push(Listener {
            connection,
            pupil,
            events,
        });
        connection
    }

    /// Sends the session view to everyone, the challenge to everyone as they see it,
    /// and the dashboard to teachers.
    fn broadcast(&mut self) {
        let view = ServerEvent::Session(self.session.view(self.hub.now_ms()));
        self.listeners
            .retain(|listener| listener.events.send(view.clone()).is_ok());
        self.send_challenge(|_| true);
        self.dashboard();
    }

    fn dashboard(&mut self) {
        let dashboard = ServerEvent::Dashboard(self.session.dashboard());
        self.listeners.retain(|listener| {
            listener.pupil.is_some() || listener.events.send(dashboard.clone()).is_ok()
        });
    }

    /// Saves the session, and its challenge in the same transaction.
    async fn save(&self) {
        let stored = self.hub.stored(&self.session);
        let challenge = self.session.challenge_play().cloned();
        let saved = self
            .hub
            .with_store(move |store| store.save_session_and_challenge(&stored, challenge.as_ref()))
            .await;
        if let Err(error) = saved {
            tracing::error!(%error, "could not save the session");
        }
    }
}

fn round_state(session: &ClassSession) -> &'static str {
    match session.round() {
        Round::NotStarted => "before the first round",
        Round::Running { .. } => "round running",
        Round::Paused { .. } => "round paused",
        Round::Ended { .. } => "round ended",
    }
}
