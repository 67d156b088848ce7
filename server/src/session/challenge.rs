//! A class session's enterprise challenge: each team's business from round to round,
//! the plan its pupils build for the next round, and the results every round gives.
//!
//! Pupils take the challenge's job roles in turn within their team (with fewer pupils
//! than roles, a pupil holds several), and may set only the decisions their roles own.
//! Each choice is checked as it arrives; when the session's round ends, every team's
//! round is simulated by the engine with the team's plan.

use serde::{Deserialize, Serialize};
use workworlds_challenge::{
    Decisions, Leaderboard, ReflectionMark, RoundResult, TeamState, leaderboard, scorecard,
};
use workworlds_content::Challenge;
use workworlds_content::challenge::TeamRole;
use workworlds_protocol::ids::JoinCode;
use workworlds_protocol::refusal::Refusal;

use super::invalid;

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
