//! A team's decisions for a round, checked against the challenge before anything is
//! simulated: every id must be the challenge's, every value a finite number within
//! its decision's range. A value between two steps of a slider is moved to the
//! nearest step, since a decimal step such as 0.1 cannot be sent exactly as a binary
//! float; anything else wrong is refused with a reason and changes nothing.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use workworlds_content::Challenge;
use workworlds_content::challenge::{Decision, Lever};

use super::TeamState;

/// How far outside a range a value may be and still count as its end, in steps: a
/// client that computes `min + n * step` in floating point may land a hair outside.
const EDGE_STEPS: f64 = 1e-6;

/// What a team sends for a round.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Decisions {
    /// Values by decision id, in each decision's unit. A decision left out keeps the
    /// value it had last round (its default in the first), except borrowing, which
    /// goes back to its default.
    pub values: BTreeMap<String, f64>,
    /// Investments to buy this round, by id. One the team already owns is not bought
    /// or paid for again.
    pub invest: BTreeSet<String>,
}

impl Decisions {
    /// Decisions that change nothing: every value as last round, nothing bought.
    pub fn none() -> Decisions {
        Decisions::default()
    }

    /// Sets one value; for tests and bots.
    pub fn with(mut self, id: &str, value: f64) -> Decisions {
        self.values.insert(id.to_owned(), value);
        self
    }

    /// Adds an investment to buy; for tests and bots.
    pub fn buying(mut self, id: &str) -> Decisions {
        self.invest.insert(id.to_owned());
        self
    }
}

/// Why a team's decisions were refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DecisionError {
    #[error("there is no decision {0:?} in this challenge")]
    UnknownDecision(String),
    #[error("{id} must be a number, not {value}")]
    NotFinite { id: String, value: f64 },
    #[error("{id} must be from {min} to {max}, not {value}")]
    OutOfRange {
        id: String,
        value: f64,
        min: f64,
        max: f64,
    },
    #[error("there is no investment {0:?} in this challenge")]
    UnknownInvestment(String),
    #[error("the challenge is over: all {rounds} rounds have been played")]
    ChallengeOver { rounds: u32 },
}

/// Checked decisions, as the model reads them.
#[derive(Clone, Debug)]
pub(crate) struct Chosen {
    /// Every decision's value this round, by id, on its slider's steps.
    pub(crate) values: BTreeMap<String, f64>,
    pub(crate) levers: Levers,
    /// Indices into the net-zero investments of those bought this round (not owned
    /// before), in menu order.
    pub(crate) buy: Vec<usize>,
}

/// The numbers the business model runs on, whichever decision set them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Levers {
    /// £ per customer.
    pub(crate) price: f64,
    /// People.
    pub(crate) staff: f64,
    /// Hours open a week.
    pub(crate) hours: f64,
    /// £ an hour.
    pub(crate) wage: f64,
    /// £ this round.
    pub(crate) marketing: f64,
    /// £ borrowed this round.
    pub(crate) loan: f64,
}

/// Checks `decisions` for the team's next round.
pub(crate) fn check(
    challenge: &Challenge,
    state: &TeamState,
    decisions: &Decisions,
) -> Result<Chosen, DecisionError> {
    for (id, &value) in &decisions.values {
        let decision = challenge
            .decision(id)
            .ok_or_else(|| DecisionError::UnknownDecision(id.clone()))?;
        in_range(decision, value)?;
    }
    let menu = challenge
        .net_zero
        .as_ref()
        .map_or(&[][..], |net_zero| &net_zero.investments[..]);
    for id in &decisions.invest {
        if !menu.iter().any(|investment| &investment.id == id) {
            return Err(DecisionError::UnknownInvestment(id.clone()));
        }
    }

    let values: BTreeMap<String, f64> = challenge
        .decisions
        .iter()
        .map(|decision| {
            // Borrowing is an act of one round, not a setting: it is not repeated.
            let carried = (decision.sets != Lever::Loan)
                .then(|| state.values.get(&decision.id))
                .flatten();
            let value = decisions
                .values
                .get(&decision.id)
                .or(carried)
                .map_or(decision.default, |&value| snap(decision, value));
            (decision.id.clone(), value)
        })
        .collect();
    let lever = |lever: Lever, otherwise: f64| {
        challenge
            .decision_for(lever)
            .map_or(otherwise, |decision| values[&decision.id])
    };
    let levers = Levers {
        price: lever(Lever::Price, challenge.business.demand.reference_price),
        staff: lever(Lever::Staff, 1.0),
        hours: lever(
            Lever::OpeningHours,
            challenge.business.people.comfortable_hours,
        ),
        wage: lever(Lever::Wage, challenge.business.people.reference_wage),
        marketing: lever(Lever::Marketing, 0.0),
        loan: lever(Lever::Loan, 0.0),
    };
    let buy = menu
        .iter()
        .enumerate()
        .filter(|(_, investment)| {
            decisions.invest.contains(&investment.id) && !state.owned.contains_key(&investment.id)
        })
        .map(|(index, _)| index)
        .collect();
    Ok(Chosen {
        values,
        levers,
        buy,
    })
}

fn in_range(decision: &Decision, value: f64) -> Result<(), DecisionError> {
    if !value.is_finite() {
        return Err(DecisionError::NotFinite {
            id: decision.id.clone(),
            value,
        });
    }
    let edge = decision.step * EDGE_STEPS;
    if value < decision.min - edge || value > decision.max + edge {
        return Err(DecisionError::OutOfRange {
            id: decision.id.clone(),
            value,
            min: decision.min,
            max: decision.max,
        });
    }
    Ok(())
}

/// The slider step nearest `value`, within the decision's range.
fn snap(decision: &Decision, value: f64) -> f64 {
    let steps = ((value - decision.min) / decision.step).round();
    (decision.min + steps * decision.step).clamp(decision.min, decision.max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::fixture;

    #[test]
    fn a_value_between_steps_moves_to_the_nearest_step() {
        let challenge = fixture("seaside-cafe");
        let decision = challenge.decision_for(Lever::Price).unwrap().clone();
        let nearly = decision.min + decision.step * 2.0 + decision.step * 0.4;
        let snapped = snap(&decision, nearly);
        assert!((snapped - (decision.min + decision.step * 2.0)).abs() < 1e-9);
    }

    #[test]
    fn a_decision_left_out_keeps_last_rounds_value() {
        let challenge = fixture("seaside-cafe");
        let mut state = TeamState::start(&challenge);
        let price = challenge.decision_for(Lever::Price).unwrap();
        state.values.insert(price.id.clone(), price.max);
        let chosen = check(&challenge, &state, &Decisions::none()).unwrap();
        assert_eq!(chosen.levers.price, price.max);
    }

    #[test]
    fn an_investment_already_owned_is_not_bought_again() {
        let challenge = fixture("bakery-net-zero");
        let first = &challenge.net_zero.as_ref().unwrap().investments[0];
        let mut state = TeamState::start(&challenge);
        let wanted = Decisions::none().buying(&first.id);
        assert_eq!(check(&challenge, &state, &wanted).unwrap().buy, [0]);
        state.owned.insert(first.id.clone(), 0);
        assert!(check(&challenge, &state, &wanted).unwrap().buy.is_empty());
    }
}
