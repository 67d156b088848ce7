//! The marginal abatement cost of each net-zero investment: what it costs, net of what
//! it saves, for each tonne of carbon it cuts over the scenario. Drawn as a chart with
//! one bar per investment, cheapest tonne first and each bar as wide as the tonnes it
//! saves, it shows teams which cuts pay for themselves and which are dear.
//!
//! Each investment is priced alone against the same reference: the business run with
//! every decision at its default, no events and ordinary luck, with the investment
//! bought in the first round. Its running saving is the difference in costs (less
//! interest, which depends on the bank balance rather than the investment), so the
//! chart does not depend on any team's play.

use serde::{Deserialize, Serialize};
use workworlds_content::Challenge;

use super::TeamState;
use super::decisions::{self, Decisions};
use super::model::{self, CostItem, RoundResult};
use super::rng::Draws;

/// One investment's bar on the chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AbatementBar {
    /// The investment's id.
    pub investment: String,
    /// What it costs to buy, in pence.
    pub cost: i64,
    /// The rounds it works for when bought in the first.
    pub rounds_working: u32,
    /// Costs saved in an average working round, in pence; below zero when it costs
    /// more to run than it saves.
    pub saving_per_round: i64,
    /// Carbon saved in an average working round, in kgCO2e.
    pub carbon_saved_per_round_kg: f64,
    /// Carbon saved over the scenario, in tonnes CO2e.
    pub tonnes_saved: f64,
    /// Net cost per tonne saved, in pounds; below zero when it saves more money than
    /// it costs. `None` when it saves no carbon.
    pub cost_per_tonne: Option<f64>,
}

/// Every investment's bar, cheapest tonne first; those that save no carbon come last.
/// Empty for a challenge without a net-zero part.
pub fn abatement_curve(challenge: &Challenge) -> Vec<AbatementBar> {
    let Some(net_zero) = &challenge.net_zero else {
        return Vec::new();
    };
    let reference = run(challenge, None);
    let mut bars: Vec<AbatementBar> = net_zero
        .investments
        .iter()
        .map(|investment| {
            let with = run(challenge, Some(&investment.id));
            let saved_pence: i64 = reference
                .iter()
                .zip(&with)
                .map(|(without, with)| running_costs(without) - running_costs(with))
                .sum();
            let saved_kg: f64 = reference
                .iter()
                .zip(&with)
                .map(|(without, with)| without.emissions_kg - with.emissions_kg)
                .sum();
            let rounds_working = challenge.rounds.saturating_sub(investment.lead_rounds);
            let per_round = f64::from(rounds_working.max(1));
            let cost = model::pence(investment.cost);
            let tonnes = saved_kg / 1000.0;
            let net_pounds = (cost - saved_pence) as f64 / 100.0;
            AbatementBar {
                investment: investment.id.clone(),
                cost,
                rounds_working,
                saving_per_round: (saved_pence as f64 / per_round).round() as i64,
                carbon_saved_per_round_kg: saved_kg / per_round,
                tonnes_saved: tonnes,
                cost_per_tonne: (tonnes > 1e-9).then(|| net_pounds / tonnes),
            }
        })
        .collect();
    bars.sort_by(|a, b| match (a.cost_per_tonne, b.cost_per_tonne) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    bars
}

/// The reference run, with `investment` bought in the first round if given.
fn run(challenge: &Challenge, investment: Option<&str>) -> Vec<RoundResult> {
    let mut state = TeamState::start(challenge);
    let mut results = Vec::with_capacity(challenge.rounds as usize);
    for round in 0..challenge.rounds {
        let mut wanted = Decisions::none();
        if let Some(id) = investment.filter(|_| round == 0) {
            wanted = wanted.buying(id);
        }
        let chosen = decisions::check(challenge, &state, &wanted)
            .expect("defaults and the challenge's own investments are always accepted");
        let (result, next) = model::simulate(challenge, &state, &chosen, &Draws::calm());
        results.push(result);
        state = next;
    }
    results
}

/// A round's costs without interest, in pence.
fn running_costs(result: &RoundResult) -> i64 {
    result
        .accounts
        .costs
        .iter()
        .filter(|(item, _)| *item != CostItem::Interest)
        .map(|&(_, amount)| amount)
        .sum()
}
