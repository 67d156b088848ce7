//! A class session's state and rules, without any networking or storage: who is in it,
//! which team each pupil is on, the round timer, "eyes on me" and hands up, and the
//! marks of every answer. The network layer feeds it requests and the time; it answers
//! with replies or refusals and the views clients are shown.
//!
//! Time is given as milliseconds on a monotonic clock chosen by the caller, so tests
//! drive rounds to their end without waiting and every client is shown the same
//! remaining time.

mod challenge;
mod round;

use std::collections::{BTreeMap, BTreeSet};

use workworlds_content::ids::QuestId;
use workworlds_content::marking::{Answer, Mark};
use workworlds_content::{Challenge, Content, Quest};
use workworlds_protocol::events::{
    Dashboard, Earned, MemberView, PupilStatus, SessionView, TeamView,
};
use workworlds_protocol::ids::{JoinCode, PupilCode, PupilId, ResumeToken, TeamId};
use workworlds_protocol::refusal::Refusal;
use workworlds_protocol::requests::{Activity, ROUND_SECONDS, TEAMS};

pub use challenge::{ChallengePlay, TeamPlay, roles_for};
pub use round::Round;

/// The most pupils one class session takes: more than any class, few enough that a
/// mistaken script cannot fill the server through one session.
pub const MAX_PUPILS: usize = 60;

/// How a session was set up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionSetup {
    pub code: JoinCode,
    pub teacher: String,
    pub activity: Activity,
    pub teams: u8,
    pub round_seconds: u32,
    /// Whether pupils may type their own display name.
    pub typed_names: bool,
}

/// When a session was made, first started and ended, on the wall clock (milliseconds
/// since the Unix epoch), for the school's records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SessionTimes {
    /// 0 for a session stored before these times were kept.
    pub created_at_unix_ms: u64,
    /// When the teacher started the first round.
    pub started_at_unix_ms: Option<u64>,
    /// When the teacher ended the session.
    pub ended_at_unix_ms: Option<u64>,
}

/// One pupil in a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub team: TeamId,
    pub token: ResumeToken,
    pub connected: bool,
    pub hand_up: bool,
    pub answered: u32,
    pub right: u32,
    pub current_quest: Option<QuestId>,
    /// The pupil's lasting record, when they joined with a pupil code.
    pub record: Option<PupilCode>,
    /// The tasks answered in each quest, to know when a quest is finished.
    pub tasks_done: BTreeMap<QuestId, BTreeSet<u8>>,
    /// Stamps and job cards this pupil holds.
    pub earned: BTreeSet<Earned>,
}

impl Member {
    /// Counts an answer; when it finishes the quest, gives the quest's rewards the
    /// pupil does not hold yet and returns them.
    fn record(&mut self, quest: &Quest, task: u8, mark: Mark) -> Vec<Earned> {
        self.answered += 1;
        self.right += u32::from(mark.is_right());
        self.current_quest = Some(quest.id.clone());
        let done = self.tasks_done.entry(quest.id.clone()).or_default();
        done.insert(task);
        if done.len() < quest.tasks.len() {
            return Vec::new();
        }
        let rewards = [
            quest
                .rewards
                .stamp
                .then(|| Earned::Stamp(quest.sector.clone())),
            quest
                .rewards
                .job_card
                .then(|| Earned::JobCard(quest.giver.clone())),
        ];
        rewards
            .into_iter()
            .flatten()
            .filter(|earned| self.earned.insert(earned.clone()))
            .collect()
    }
}

/// A class session.
#[derive(Clone, Debug)]
pub struct ClassSession {
    setup: SessionSetup,
    round: Round,
    eyes_on_me: bool,
    lobby_locked: bool,
    members: BTreeMap<PupilId, Member>,
    /// The challenge this session plays, if its activity is one.
    challenge: Option<ChallengeRun>,
    times: SessionTimes,
}

/// A challenge as the content describes it, and how far the teams have played it.
#[derive(Clone, Debug)]
struct ChallengeRun {
    challenge: Challenge,
    play: ChallengePlay,
}

impl ClassSession {
    /// A new session, checked against the limits and the content.
    pub fn new(setup: SessionSetup, content: &Content) -> Result<ClassSession, Refusal> {
        if !TEAMS.contains(&setup.teams) {
            return Err(invalid(format!(
                "a session has {} to {} teams",
                TEAMS.start(),
                TEAMS.end()
            )));
        }
        if !ROUND_SECONDS.contains(&setup.round_seconds) {
            let (least, most) = (ROUND_SECONDS.start(), ROUND_SECONDS.end());
            return Err(invalid(format!("a round lasts {least} to {most} seconds")));
        }
        let challenge = match &setup.activity {
            Activity::World(sector) if !content.sectors.contains_key(sector) => {
                return Err(invalid(format!("no sector world {sector}")));
            }
            Activity::World(_) => None,
            Activity::Challenge(id) => {
                let challenge = content
                    .challenges
                    .get(id)
                    .ok_or_else(|| invalid(format!("no enterprise challenge {id}")))?;
                Some(ChallengeRun {
                    play: ChallengePlay::new(challenge, setup.teams, &setup.code),
                    challenge: challenge.clone(),
                })
            }
        };
        Ok(ClassSession {
            setup,
            round: Round::NotStarted,
            eyes_on_me: false,
            lobby_locked: false,
            members: BTreeMap::new(),
            challenge,
            times: SessionTimes::default(),
        })
    }

    pub fn times(&self) -> SessionTimes {
        self.times
    }

    /// Puts back the times the store remembers, or sets a new session's.
    pub fn set_times(&mut self, times: SessionTimes) {
        self.times = times;
    }

    pub fn is_ended(&self) -> bool {
        self.times.ended_at_unix_ms.is_some()
    }

    /// Ends the session for good at wall-clock time `now_unix_ms`. A running or paused
    /// round ends with it, so a challenge plays that round for every team.
    pub fn end_session(&mut self, now_unix_ms: u64) -> Result<(), Refusal> {
        if self.is_ended() {
            return Err(Refusal::SessionEnded);
        }
        if matches!(self.round, Round::Running { .. } | Round::Paused { .. }) {
            self.end_round()?;
        }
        self.times.ended_at_unix_ms = Some(now_unix_ms);
        Ok(())
    }

    /// The member linked to this pupil record, if they joined this session before.
    pub fn member_by_record(&self, record: &PupilCode) -> Option<PupilId> {
        self.members
            .iter()
            .find(|(_, member)| member.record.as_ref() == Some(record))
            .map(|(id, _)| *id)
    }

    pub fn setup(&self) -> &SessionSetup {
        &self.setup
    }

    pub fn members(&self) -> &BTreeMap<PupilId, Member> {
        &self.members
    }

    /// The member a resume token belongs to.
    pub fn member_by_token(&self, token: &ResumeToken) -> Option<PupilId> {
        self.members
            .iter()
            .find(|(_, member)| &member.token == token)
            .map(|(id, _)| *id)
    }

    /// Adds a pupil to the team with fewest members (the lowest-numbered of those), so
    /// teams stay balanced however late pupils arrive.
    pub fn join(
        &mut self,
        pupil: PupilId,
        name: String,
        token: ResumeToken,
    ) -> Result<TeamId, Refusal> {
        let team = self.admit()?;
        self.restore_member(pupil, name, team, token, None);
        self.set_connected(pupil, true);
        Ok(team)
    }

    /// The team a new pupil would join, or why no one new may join now.
    pub fn admit(&self) -> Result<TeamId, Refusal> {
        if self.is_ended() {
            return Err(Refusal::SessionEnded);
        }
        if self.lobby_locked {
            return Err(Refusal::LobbyLocked);
        }
        if self.members.len() >= MAX_PUPILS {
            return Err(Refusal::NotNow {
                why: format!("this class is full ({MAX_PUPILS} pupils)"),
            });
        }
        Ok(self.smallest_team())
    }

    /// Puts back a pupil the store remembers, after a restart: on their own team, shown
    /// as not connected until their client resumes.
    pub fn restore_member(
        &mut self,
        pupil: PupilId,
        name: String,
        team: TeamId,
        token: ResumeToken,
        record: Option<PupilCode>,
    ) {
        let team = TeamId(team.0.min(self.setup.teams.saturating_sub(1)));
        let member = Member {
            name,
            team,
            token,
            connected: false,
            hand_up: false,
            answered: 0,
            right: 0,
            current_quest: None,
            record,
            tasks_done: BTreeMap::new(),
            earned: BTreeSet::new(),
        };
        self.members.insert(pupil, member);
    }

    pub fn eyes_on_me(&self) -> bool {
        self.eyes_on_me
    }

    pub fn lobby_locked(&self) -> bool {
        self.lobby_locked
    }

    fn smallest_team(&self) -> TeamId {
        let size = |team: u8| {
            self.members
                .values()
                .filter(|member| member.team == TeamId(team))
                .count()
        };
        let team = (0..self.setup.teams)
            .min_by_key(|&team| (size(team), team))
            .unwrap_or(0);
        TeamId(team)
    }

    pub fn set_connected(&mut self, pupil: PupilId, connected: bool) {
        if let Some(member) = self.members.get_mut(&pupil) {
            member.connected = connected;
        }
    }

    pub fn round(&self) -> &Round {
        &self.round
    }

    pub fn start_round(&mut self, now_ms: u64) -> Result<(), Refusal> {
        if let Some(run) = &self.challenge
            && run.play.is_over(&run.challenge)
        {
            return Err(challenge::over());
        }
        self.round = self.round.start(now_ms, self.round_ms())?;
        Ok(())
    }

    pub fn pause_round(&mut self, now_ms: u64) -> Result<(), Refusal> {
        self.round = self.round.pause(now_ms)?;
        Ok(())
    }

    pub fn resume_round(&mut self, now_ms: u64) -> Result<(), Refusal> {
        self.round = self.round.resume(now_ms)?;
        Ok(())
    }

    pub fn extend_round(&mut self, seconds: u32) -> Result<(), Refusal> {
        if !(1..=*ROUND_SECONDS.end()).contains(&seconds) {
            return Err(invalid(format!(
                "extend by 1 to {} seconds",
                ROUND_SECONDS.end()
            )));
        }
        self.round = self.round.extend(u64::from(seconds) * 1000)?;
        Ok(())
    }

    pub fn end_round(&mut self) -> Result<(), Refusal> {
        let next = self.round.end()?;
        self.enter(next);
        Ok(())
    }

    /// Ends the round if its time is up; says whether anything changed.
    pub fn tick(&mut self, now_ms: u64) -> bool {
        let next = self.round.expire(now_ms);
        let changed = next != self.round;
        self.enter(next);
        changed
    }

    /// Moves to `next`; a round that ends plays the challenge's round for every team.
    fn enter(&mut self, next: Round) {
        let ending =
            matches!(next, Round::Ended { .. }) && !matches!(self.round, Round::Ended { .. });
        self.round = next;
        if ending && let Some(run) = &mut self.challenge {
            run.play.play_round(&run.challenge);
        }
    }

    /// Refuses what a pupil does while the teacher has everyone's eyes.
    fn check_eyes_free(&self) -> Result<(), Refusal> {
        if self.eyes_on_me {
            return Err(Refusal::NotNow {
                why: "eyes on your teacher".into(),
            });
        }
        Ok(())
    }

    /// After the server restarts, a round that was running comes back paused, so the
    /// teacher decides when to carry on. Its time left is counted by the wall clock, so
    /// the minutes the server was down are gone; the teacher can extend the round.
    pub fn pause_after_restart(&mut self, round: Round, now_ms: u64) {
        self.round = round.paused_at(now_ms);
    }

    pub fn set_eyes_on_me(&mut self, on: bool) {
        self.eyes_on_me = on;
    }

    pub fn lock_lobby(&mut self, locked: bool) {
        self.lobby_locked = locked;
    }

    pub fn move_pupil(&mut self, pupil: PupilId, team: TeamId) -> Result<(), Refusal> {
        if team.0 >= self.setup.teams {
            return Err(invalid(format!("there is no team {}", team.0 + 1)));
        }
        let member = self
            .members
            .get_mut(&pupil)
            .ok_or_else(|| invalid("no such pupil in this class".into()))?;
        member.team = team;
        Ok(())
    }

    pub fn remove_pupil(&mut self, pupil: PupilId) -> Result<Member, Refusal> {
        self.members
            .remove(&pupil)
            .ok_or_else(|| invalid("no such pupil in this class".into()))
    }

    pub fn set_hand(&mut self, pupil: PupilId, up: bool) -> Result<(), Refusal> {
        let member = self.members.get_mut(&pupil).ok_or(Refusal::CannotResume)?;
        member.hand_up = up;
        Ok(())
    }

    /// Marks a pupil's answer against the content. Refused while the teacher has
    /// everyone's eyes, for quests outside this session's world, and for tasks that do
    /// not exist.
    pub fn answer(
        &mut self,
        content: &Content,
        pupil: PupilId,
        quest_id: &QuestId,
        task: u8,
        answer: &Answer,
    ) -> Result<(Mark, Vec<Earned>), Refusal> {
        self.check_eyes_free()?;
        let quest = content
            .quests
            .get(quest_id)
            .ok_or_else(|| invalid(format!("no quest {quest_id}")))?;
        if let Activity::World(sector) = &self.setup.activity
            && &quest.sector != sector
        {
            return Err(invalid(format!(
                "quest {quest_id} is not in this class's world"
            )));
        }
        let task_def = quest
            .tasks
            .get(usize::from(task))
            .ok_or_else(|| invalid(format!("quest {quest_id} has no task {task}")))?;
        let mark = task_def
            .mark(answer)
            .map_err(|error| invalid(error.to_string()))?;
        let member = self.members.get_mut(&pupil).ok_or(Refusal::CannotResume)?;
        let earned = member.record(quest, task, mark);
        Ok((mark, earned))
    }

    /// Returns a pupil to an earlier state, as when a change could not be saved.
    pub fn put_back(&mut self, pupil: PupilId, member: Member) {
        self.members.insert(pupil, member);
    }

    /// Puts back an answer the store remembers, after a restart, with what it earned,
    /// so counts and finished quests are as they were. Answers to quests the content no
    /// longer has are left out.
    pub fn replay(
        &mut self,
        content: &Content,
        pupil: PupilId,
        quest_id: &QuestId,
        task: u8,
        mark: Mark,
    ) {
        let (Some(quest), Some(member)) =
            (content.quests.get(quest_id), self.members.get_mut(&pupil))
        else {
            return;
        };
        member.record(quest, task, mark);
    }

    /// The state every client in the session is shown.
    pub fn view(&self, now_ms: u64) -> SessionView {
        let teams = (0..self.setup.teams)
            .map(|team| TeamView {
                id: TeamId(team),
                members: self
                    .members
                    .iter()
                    .filter(|(_, member)| member.team == TeamId(team))
                    .map(|(pupil, member)| MemberView {
                        pupil: *pupil,
                        name: member.name.clone(),
                    })
                    .collect(),
            })
            .collect();
        SessionView {
            code: self.setup.code.clone(),
            activity: self.setup.activity.clone(),
            round: self.round.view(now_ms, self.round_ms()),
            eyes_on_me: self.eyes_on_me,
            lobby_locked: self.lobby_locked,
            ended: self.is_ended(),
            teams,
        }
    }

    /// What the teacher's dashboard shows.
    pub fn dashboard(&self) -> Dashboard {
        let pupils = self
            .members
            .iter()
            .map(|(pupil, member)| PupilStatus {
                pupil: *pupil,
                name: member.name.clone(),
                team: member.team,
                connected: member.connected,
                hand_up: member.hand_up,
                answered: member.answered,
                right: member.right,
                current_quest: member.current_quest.clone(),
            })
            .collect();
        Dashboard {
            code: self.setup.code.clone(),
            pupils,
        }
    }

    fn round_ms(&self) -> u64 {
        u64::from(self.setup.round_seconds) * 1000
    }
}

fn invalid(why: String) -> Refusal {
    Refusal::Invalid { why }
}

#[cfg(test)]
mod tests;
