//! Enterprise challenges and net-zero scenarios, simulated: the authoritative business
//! model behind every team's results. It is pure and deterministic, with no clock, no
//! IO and no async, so a class session calls it when a round ends, a test pins an
//! outcome and a teacher can replay a whole session from its seed and decisions.
//!
//! Each team carries a [`TeamState`] from round to round. [`TeamState::play`] checks
//! the team's [`Decisions`] against the challenge (refusing a decision out of range,
//! not a number or unknown, with a [`DecisionError`]), draws the round's events from a
//! generator seeded by the session's seed, the team's index and the round, and
//! simulates the round: customers, money, satisfaction, wellbeing and carbon, each
//! with the [`Driver`]s of its change so the client can say *why* in plain words
//! ([`explain`]). At the end, [`scorecard`] scores each team on several measures and
//! [`leaderboard`] ranks them on each. [`abatement_curve`] prices each net-zero
//! investment per tonne of carbon saved, for a marginal abatement cost chart.
//!
//! The class server runs it, as the authority; clients only ever see its results. Like
//! the content crate, it knows nothing of networking, storage or rendering.
//!
//! Money is counted in whole pence (`i64`), so the accounts add up exactly: closing
//! cash = opening cash + revenue − costs − investments + loans − repayments.

mod abatement;
mod decisions;
mod model;
mod mood;
mod resources;
mod rng;
mod score;
mod why;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use workworlds_content::Challenge;

pub use abatement::{AbatementBar, abatement_curve};
pub use decisions::{DecisionError, Decisions};
pub use model::{Accounts, CostItem, Emission, RoundResult};
pub use score::{Leaderboard, ReflectionMark, ScoreMeasure, Scorecard, leaderboard, scorecard};
pub use why::{Cause, Driver, Measure, Reason, explain};

/// Pence in a pound.
pub const PENCE_PER_POUND: i64 = 100;

/// Where one team's business stands between rounds. Plain data, so the store can keep
/// it and a session restored after a crash carries on exactly where it was.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamState {
    /// The next round to play, counted from 0; equal to the challenge's rounds once
    /// the challenge is over.
    pub round: u32,
    /// Cash in the bank, in pence; below zero is an overdraft.
    pub cash: i64,
    /// Customer satisfaction, 0 to 100.
    pub satisfaction: f64,
    /// Staff wellbeing, 0 to 100.
    pub wellbeing: f64,
    /// The value of every decision used last round, by decision id: what a team keeps
    /// when it sends nothing new.
    pub values: BTreeMap<String, f64>,
    /// Investments bought, by id, with the round each was bought in.
    pub owned: BTreeMap<String, u32>,
    /// Loans still being repaid.
    pub loans: Vec<Loan>,
    /// Carbon given off so far, in kgCO2e.
    pub emitted_kg: f64,
    /// What last round's "why" is measured from; `None` before the first round.
    pub(crate) previous: Option<model::Snapshot>,
}

/// A loan being repaid in equal parts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Loan {
    /// What was borrowed, in pence.
    pub borrowed: i64,
    /// What is still owed, in pence.
    pub owed: i64,
    /// The first round a part is repaid in.
    pub first_repayment: u32,
}

impl TeamState {
    /// A team's business before its first round.
    pub fn start(challenge: &Challenge) -> TeamState {
        TeamState {
            round: 0,
            cash: model::pence(challenge.business.starting_cash),
            satisfaction: challenge.business.satisfaction.start,
            wellbeing: challenge.business.people.start_wellbeing,
            values: challenge
                .decisions
                .iter()
                .map(|decision| (decision.id.clone(), decision.default))
                .collect(),
            owned: BTreeMap::new(),
            loans: Vec::new(),
            emitted_kg: 0.0,
            previous: None,
        }
    }

    /// Whether every round has been played.
    pub fn is_over(&self, challenge: &Challenge) -> bool {
        self.round >= challenge.rounds
    }

    /// What is still owed on loans, in pence.
    pub fn debt(&self) -> i64 {
        self.loans.iter().map(|loan| loan.owed).sum()
    }

    /// Whether `decisions` would be accepted for the next round, as [`TeamState::play`]
    /// checks them, without playing it: a class session checks each pupil's choice as
    /// it arrives, long before the round ends.
    pub fn check(&self, challenge: &Challenge, decisions: &Decisions) -> Result<(), DecisionError> {
        if self.is_over(challenge) {
            return Err(DecisionError::ChallengeOver {
                rounds: challenge.rounds,
            });
        }
        decisions::check(challenge, self, decisions).map(|_| ())
    }

    /// Plays the next round with `decisions`, for team number `team` of a session
    /// seeded with `seed`. On a refusal the state is unchanged.
    pub fn play(
        &mut self,
        challenge: &Challenge,
        seed: u64,
        team: u32,
        decisions: &Decisions,
    ) -> Result<RoundResult, DecisionError> {
        if self.is_over(challenge) {
            return Err(DecisionError::ChallengeOver {
                rounds: challenge.rounds,
            });
        }
        let chosen = decisions::check(challenge, self, decisions)?;
        let draws = rng::draw(challenge, seed, team, self.round);
        let (result, next) = model::simulate(challenge, self, &chosen, &draws);
        *self = next;
        Ok(result)
    }
}

/// Plays a whole challenge for several teams: `rounds[r][t]` are team `t`'s decisions
/// in round `r`. For tests, replays and benchmarks; a class session plays round by
/// round with [`TeamState::play`].
pub fn play_all(
    challenge: &Challenge,
    seed: u64,
    rounds: &[Vec<Decisions>],
) -> Result<Vec<Vec<RoundResult>>, DecisionError> {
    let teams = rounds.first().map_or(0, Vec::len);
    let mut states = vec![TeamState::start(challenge); teams];
    let mut results = vec![Vec::with_capacity(rounds.len()); teams];
    for round in rounds {
        for (team, (state, decisions)) in states.iter_mut().zip(round).enumerate() {
            let index = u32::try_from(team).expect("a session has a handful of teams");
            results[team].push(state.play(challenge, seed, index, decisions)?);
        }
    }
    Ok(results)
}
