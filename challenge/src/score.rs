//! The balanced scorecard: no team wins on money alone. Each measure is scored from 0
//! to 100 on a scale set by the challenge, the scores are weighted by the challenge's
//! weights, and the leaderboard ranks teams on every measure as well as overall.
//!
//! - Money: profit over the challenge (cash gained, less what is still owed); break
//!   even earns 50, `profit_for_full_marks` earns 100, a loss as large earns 0.
//! - Customers: average satisfaction over the rounds played.
//! - Wellbeing: average staff wellbeing over the rounds played.
//! - Carbon: none earns 100, the challenge's carbon budget earns 50, double earns 0.
//! - Reflection: the teacher's mark of the team's reflection, 0 to 4, times 25. Until
//!   the teacher marks it, it is left out and the other weights share its place.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use workworlds_content::{Challenge, Text};

use super::model::{RoundResult, pence};

/// A teacher's mark for a team's reflection: 0 (none) to 4 (thoughtful, with
/// evidence and a next step).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ReflectionMark(u8);

impl ReflectionMark {
    /// The highest mark.
    pub const MAX: u8 = 4;

    /// A mark, if it is 0 to 4.
    pub fn new(mark: u8) -> Option<ReflectionMark> {
        (mark <= ReflectionMark::MAX).then_some(ReflectionMark(mark))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// A measure on the scorecard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ScoreMeasure {
    Money,
    Customers,
    Wellbeing,
    Carbon,
    Reflection,
}

impl ScoreMeasure {
    /// Every measure, in the order the leaderboard shows them.
    pub const ALL: [ScoreMeasure; 5] = [
        ScoreMeasure::Money,
        ScoreMeasure::Customers,
        ScoreMeasure::Wellbeing,
        ScoreMeasure::Carbon,
        ScoreMeasure::Reflection,
    ];

    /// The measure's name as a column heading.
    pub fn name(self) -> Text {
        match self {
            ScoreMeasure::Money => Text::new("Money", "Arian"),
            ScoreMeasure::Customers => Text::new("Customers", "Cwsmeriaid"),
            ScoreMeasure::Wellbeing => Text::new("Staff wellbeing", "Llesiant staff"),
            ScoreMeasure::Carbon => Text::new("Carbon", "Carbon"),
            ScoreMeasure::Reflection => Text::new("Reflection", "Myfyrio"),
        }
    }

    fn weight(self, challenge: &Challenge) -> f64 {
        let weights = &challenge.scoring.weights;
        match self {
            ScoreMeasure::Money => weights.money,
            ScoreMeasure::Customers => weights.customers,
            ScoreMeasure::Wellbeing => weights.wellbeing,
            ScoreMeasure::Carbon => weights.carbon,
            ScoreMeasure::Reflection => weights.reflection,
        }
    }
}

/// One team's scorecard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// Cash gained over the challenge, less what is still owed, in pence.
    pub profit: i64,
    /// Customers served over the challenge.
    pub customers: u64,
    /// Average customer satisfaction, 0 to 100.
    pub satisfaction: f64,
    /// Average staff wellbeing, 0 to 100.
    pub wellbeing: f64,
    /// Carbon given off over the challenge, in kgCO2e.
    pub emitted_kg: f64,
    /// In a net-zero scenario played to its target year, whether the last round's
    /// carbon was within the target.
    pub target_met: Option<bool>,
    /// Each measure's score, 0 to 100; the reflection is missing until it is marked.
    pub scores: BTreeMap<ScoreMeasure, f64>,
    /// The weighted average of the scores, 0 to 100.
    pub total: f64,
}

/// Teams ranked, by their index in the list of scorecards.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leaderboard {
    /// By total score, best first.
    pub overall: Vec<usize>,
    /// By each measure's score, best first; teams without a score for a measure come
    /// last.
    pub by_measure: BTreeMap<ScoreMeasure, Vec<usize>>,
}

/// Scores one team from the results of the rounds it played.
pub fn scorecard(
    challenge: &Challenge,
    results: &[RoundResult],
    reflection: Option<ReflectionMark>,
) -> Scorecard {
    let starting_cash = pence(challenge.business.starting_cash);
    let profit = results.last().map_or(0, |last| {
        last.accounts.closing - last.accounts.debt - starting_cash
    });
    let average = |value: fn(&RoundResult) -> f64, otherwise: f64| {
        if results.is_empty() {
            otherwise
        } else {
            results.iter().map(value).sum::<f64>() / results.len() as f64
        }
    };
    let satisfaction = average(|r| r.satisfaction, challenge.business.satisfaction.start);
    let wellbeing = average(|r| r.wellbeing, challenge.business.people.start_wellbeing);
    let emitted_kg = results.last().map_or(0.0, |last| last.emitted_kg);
    let finished = results.len() == challenge.rounds as usize;
    let target_met = challenge
        .net_zero
        .as_ref()
        .filter(|_| finished)
        .and_then(|net_zero| {
            let last = results.last()?;
            Some(last.emissions_kg <= net_zero.target_kg)
        });

    let scoring = &challenge.scoring;
    let full_marks = pence(scoring.profit_for_full_marks).max(1) as f64;
    let mut scores = BTreeMap::new();
    scores.insert(
        ScoreMeasure::Money,
        clamp_score(50.0 + 50.0 * profit as f64 / full_marks),
    );
    scores.insert(ScoreMeasure::Customers, clamp_score(satisfaction));
    scores.insert(ScoreMeasure::Wellbeing, clamp_score(wellbeing));
    scores.insert(
        ScoreMeasure::Carbon,
        clamp_score(100.0 - 50.0 * emitted_kg / scoring.carbon_budget_kg),
    );
    if let Some(mark) = reflection {
        scores.insert(ScoreMeasure::Reflection, f64::from(mark.get()) * 25.0);
    }
    let weighted: f64 = scores
        .iter()
        .map(|(measure, score)| measure.weight(challenge) * score)
        .sum();
    let weights: f64 = scores.keys().map(|measure| measure.weight(challenge)).sum();
    let total = if weights > 0.0 {
        weighted / weights
    } else {
        0.0
    };

    Scorecard {
        profit,
        customers: results.iter().map(|r| r.customers).sum(),
        satisfaction,
        wellbeing,
        emitted_kg,
        target_met,
        scores,
        total,
    }
}

/// Ranks teams overall and on each measure; ties keep the teams' order.
pub fn leaderboard(cards: &[Scorecard]) -> Leaderboard {
    let ranked = |score: &dyn Fn(&Scorecard) -> Option<f64>| {
        let mut teams: Vec<usize> = (0..cards.len()).collect();
        teams.sort_by(|&a, &b| {
            let key = |team: usize| score(&cards[team]).unwrap_or(f64::NEG_INFINITY);
            key(b).total_cmp(&key(a))
        });
        teams
    };
    Leaderboard {
        overall: ranked(&|card| Some(card.total)),
        by_measure: ScoreMeasure::ALL
            .into_iter()
            .map(|measure| (measure, ranked(&|card| card.scores.get(&measure).copied())))
            .collect(),
    }
}

/// An amount in pence as a pupil reads it: "£1,234.50", or "£1,235" in a primary
/// challenge, whose numbers are kept friendly.
pub(crate) fn pounds_text(pence: i64, whole_pounds: bool) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let pence = pence.unsigned_abs();
    let (pounds, rest) = if whole_pounds {
        ((pence + 50) / 100, None)
    } else {
        (pence / 100, Some(pence % 100))
    };
    let digits = pounds.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match rest {
        Some(rest) => format!("{sign}£{grouped}.{rest:02}"),
        None => format!("{sign}£{grouped}"),
    }
}

fn clamp_score(score: f64) -> f64 {
    if score.is_nan() {
        return 0.0;
    }
    score.clamp(0.0, 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pounds_read_as_pupils_write_them() {
        assert_eq!(pounds_text(123_456, false), "£1,234.56");
        assert_eq!(pounds_text(-5, false), "-£0.05");
        assert_eq!(pounds_text(123_456, true), "£1,235");
        assert_eq!(pounds_text(100_000_000, true), "£1,000,000");
    }

    #[test]
    fn reflection_marks_go_up_to_four() {
        assert_eq!(ReflectionMark::new(4).map(ReflectionMark::get), Some(4));
        assert_eq!(ReflectionMark::new(5), None);
    }
}
