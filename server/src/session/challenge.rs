//! A class session's enterprise challenge: each team's business from round to round,
//! the plan its pupils build for the next round, and the results every round gives.
//!
//! Pupils take the challenge's job roles in turn within their team (with fewer pupils
//! than roles, a pupil holds several), and may set only the decisions their roles own.
//! Each choice is checked as it arrives; when the session's round ends, every team's
//! round is simulated by the engine with the team's plan.

use serde::{Deserialize, Serialize};
use workworlds_challenge::{
    Decisions, Leaderboard, ReflectionMark, RoundResult, TeamState, abatement_curve, leaderboard,
    scorecard,
};
use workworlds_content::Challenge;
use workworlds_content::challenge::TeamRole;
use workworlds_protocol::events::{ChallengeView, TeamPlan};
use workworlds_protocol::ids::{JoinCode, PupilId, TeamId};
use workworlds_protocol::refusal::Refusal;

use super::{ClassSession, invalid};

/// One team's side of a challenge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamPlay {
    pub state: TeamState,
    /// What the team has chosen for its next round so far.
    pub plan: Decisions,
    pub results: Vec<RoundResult>,
    /// The teacher's mark for the team's reflection, once given.
    pub reflection: Option<ReflectionMark>,
}

/// Every team's side of a session's challenge: plain data, so the store keeps it whole
/// and a restarted server carries on exactly where it was.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChallengePlay {
    /// Seeds the random events; the same seed and decisions replay the same session.
    pub seed: u64,
    pub teams: Vec<TeamPlay>,
}

impl ChallengePlay {
    /// A challenge before its first round, for `teams` teams, seeded from the session's
    /// join code so that a replay of the session meets the same events.
    pub fn new(challenge: &Challenge, teams: u8, code: &JoinCode) -> ChallengePlay {
        let team = TeamPlay {
            state: TeamState::start(challenge),
            plan: Decisions::none(),
            results: Vec::new(),
            reflection: None,
        };
        ChallengePlay {
            seed: seed_of(code),
            teams: vec![team; usize::from(teams)],
        }
    }

    /// Rounds every team has played.
    pub fn rounds_played(&self) -> u32 {
        self.teams.first().map_or(0, |team| team.state.round)
    }

    pub fn is_over(&self, challenge: &Challenge) -> bool {
        self.rounds_played() >= challenge.rounds
    }

    /// Sets decision `id` to `value` in team `team`'s plan, for a pupil holding `roles`.
    pub fn set_decision(
        &mut self,
        challenge: &Challenge,
        team: usize,
        roles: &[TeamRole],
        id: &str,
        value: f64,
    ) -> Result<(), Refusal> {
        let decision = challenge
            .decision(id)
            .ok_or_else(|| invalid(format!("there is no decision {id:?} in this challenge")))?;
        if !roles.contains(&decision.owner) {
            return Err(not_your_role(decision.owner));
        }
        let play = self.teams.get_mut(team).ok_or_else(no_team)?;
        let mut plan = play.plan.clone();
        plan.values.insert(id.to_owned(), value);
        play.state
            .check(challenge, &plan)
            .map_err(|error| invalid(error.to_string()))?;
        play.plan = plan;
        Ok(())
    }

    /// Adds investment `id` to team `team`'s plan, or takes it off.
    pub fn set_investment(
        &mut self,
        challenge: &Challenge,
        team: usize,
        roles: &[TeamRole],
        id: &str,
        buy: bool,
    ) -> Result<(), Refusal> {
        let investment = challenge
            .net_zero
            .as_ref()
            .and_then(|net_zero| net_zero.investments.iter().find(|item| item.id == id))
            .ok_or_else(|| invalid(format!("there is no investment {id:?} in this challenge")))?;
        if !roles.contains(&investment.owner) {
            return Err(not_your_role(investment.owner));
        }
        let play = self.teams.get_mut(team).ok_or_else(no_team)?;
        if play.state.is_over(challenge) {
            return Err(over());
        }
        if buy {
            play.plan.invest.insert(id.to_owned());
        } else {
            play.plan.invest.remove(id);
        }
        Ok(())
    }

    /// Gives team `team`'s reflection the teacher's mark, 0 to 4; a new mark replaces
    /// the old.
    pub fn mark_reflection(&mut self, team: usize, mark: u8) -> Result<(), Refusal> {
        let mark = ReflectionMark::new(mark).ok_or_else(|| {
            invalid(format!(
                "a reflection is marked 0 to {}",
                ReflectionMark::MAX
            ))
        })?;
        self.teams.get_mut(team).ok_or_else(no_team)?.reflection = Some(mark);
        Ok(())
    }

    /// Simulates every team's next round with its plan, and starts each team's next
    /// plan afresh (decisions left out keep their values). Does nothing once over.
    pub fn play_round(&mut self, challenge: &Challenge) {
        for (index, team) in self.teams.iter_mut().enumerate() {
            if team.state.is_over(challenge) {
                continue;
            }
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            let plan = std::mem::take(&mut team.plan);
            // Every choice in the plan was checked as it arrived, so a refusal here can
            // only mean the content changed under a restored session: the team plays
            // the round as it stands rather than losing it.
            let result = match team.state.play(challenge, self.seed, index, &plan) {
                Ok(result) => result,
                Err(error) => {
                    tracing::warn!(%error, team = index, "a team's plan no longer fits");
                    let Ok(result) =
                        team.state
                            .play(challenge, self.seed, index, &Decisions::none())
                    else {
                        continue;
                    };
                    result
                }
            };
            team.results.push(result);
        }
    }

    /// The final scores on each measure, once every round has been played.
    pub fn leaderboard(&self, challenge: &Challenge) -> Option<Leaderboard> {
        if !self.is_over(challenge) {
            return None;
        }
        let cards: Vec<_> = self
            .teams
            .iter()
            .map(|team| scorecard(challenge, &team.results, team.reflection))
            .collect();
        Some(leaderboard(&cards))
    }
}

/// The roles the pupil at `index` among `members` pupils of a team holds: the roles
/// are dealt round the team in order, so every role is always someone's.
pub fn roles_for(challenge: &Challenge, index: usize, members: usize) -> Vec<TeamRole> {
    let roles = &challenge.roles;
    if members == 0 || roles.is_empty() {
        return Vec::new();
    }
    if members >= roles.len() {
        return vec![roles[index % roles.len()]];
    }
    roles
        .iter()
        .enumerate()
        .filter(|(at, _)| at % members == index)
        .map(|(_, role)| *role)
        .collect()
}

/// FNV-1a of the join code: a stable seed that needs nothing stored beside the code.
fn seed_of(code: &JoinCode) -> u64 {
    code.as_str()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
}

fn not_your_role(owner: TeamRole) -> Refusal {
    Refusal::NotNow {
        why: format!("that is for your team's {owner:?} role to decide"),
    }
}

fn no_team() -> Refusal {
    invalid("there is no such team".into())
}

/// Why nothing more can be played or planned once the last round is over.
pub(super) fn over() -> Refusal {
    Refusal::NotNow {
        why: "the challenge is over: every round has been played".into(),
    }
}

/// What a session does with its challenge: pupils' choices checked against the job
/// roles they hold, the teacher's marks, and the view each client is shown.
impl ClassSession {
    /// Sets one of a pupil's team's decisions for the challenge's next round.
    pub fn set_decision(&mut self, pupil: PupilId, id: &str, value: f64) -> Result<(), Refusal> {
        let (team, roles) = self.challenge_seat(pupil)?;
        let run = self.challenge.as_mut().ok_or_else(no_challenge)?;
        run.play
            .set_decision(&run.challenge, team, &roles, id, value)
    }

    /// Adds a net-zero investment to a pupil's team's plan, or takes it off.
    pub fn set_investment(&mut self, pupil: PupilId, id: &str, buy: bool) -> Result<(), Refusal> {
        let (team, roles) = self.challenge_seat(pupil)?;
        let run = self.challenge.as_mut().ok_or_else(no_challenge)?;
        run.play
            .set_investment(&run.challenge, team, &roles, id, buy)
    }

    /// Gives a team's reflection on the challenge the teacher's mark.
    pub fn mark_reflection(&mut self, team: TeamId, mark: u8) -> Result<(), Refusal> {
        let run = self.challenge.as_mut().ok_or_else(no_challenge)?;
        run.play.mark_reflection(usize::from(team.0), mark)
    }

    /// A pupil's team and the job roles they hold in it. Roles go round the team in
    /// the order pupils joined, so moving or removing a pupil deals them again.
    pub fn challenge_roles(&self, pupil: PupilId) -> Option<(TeamId, Vec<TeamRole>)> {
        let run = self.challenge.as_ref()?;
        let team = self.members.get(&pupil)?.team;
        let team_members: Vec<PupilId> = self
            .members
            .iter()
            .filter(|(_, member)| member.team == team)
            .map(|(id, _)| *id)
            .collect();
        let index = team_members.iter().position(|id| *id == pupil)?;
        Some((team, roles_for(&run.challenge, index, team_members.len())))
    }

    fn challenge_seat(&self, pupil: PupilId) -> Result<(usize, Vec<TeamRole>), Refusal> {
        if self.challenge.is_none() {
            return Err(no_challenge());
        }
        self.check_eyes_free()?;
        let (team, roles) = self.challenge_roles(pupil).ok_or(Refusal::CannotResume)?;
        Ok((usize::from(team.0), roles))
    }

    /// Whether the session's challenge has played its last round.
    pub fn challenge_finished(&self) -> bool {
        self.challenge
            .as_ref()
            .is_some_and(|run| run.play.is_over(&run.challenge))
    }

    /// The challenge's state, to store; `None` for a sector-world session.
    pub fn challenge_play(&self) -> Option<&ChallengePlay> {
        self.challenge.as_ref().map(|run| &run.play)
    }

    /// Puts back the challenge's state the store remembers, after a restart. A state
    /// for another number of teams (content or setup changed) is not used.
    pub fn restore_challenge(&mut self, play: ChallengePlay) {
        if let Some(run) = &mut self.challenge
            && play.teams.len() == run.play.teams.len()
        {
            run.play = play;
        }
    }

    /// The challenge as `pupil` sees it (or a teacher, for `None`).
    pub fn challenge_view(&self, pupil: Option<PupilId>) -> Option<ChallengeView> {
        let run = self.challenge.as_ref()?;
        let plan = pupil
            .and_then(|pupil| self.challenge_roles(pupil))
            .and_then(|(team, roles)| {
                let play = run.play.teams.get(usize::from(team.0))?;
                Some(TeamPlan {
                    team,
                    roles,
                    decisions: play.plan.clone(),
                })
            });
        Some(ChallengeView {
            challenge: run.challenge.id.clone(),
            rounds_played: run.play.rounds_played(),
            results: run
                .play
                .teams
                .iter()
                .map(|team| team.results.clone())
                .collect(),
            plan,
            reflections: run.play.teams.iter().map(|team| team.reflection).collect(),
            abatement: abatement_curve(&run.challenge),
            leaderboard: run.play.leaderboard(&run.challenge),
        })
    }
}

/// Why a challenge request fails in a session exploring a sector world.
fn no_challenge() -> Refusal {
    invalid("this class is not playing a challenge".into())
}
