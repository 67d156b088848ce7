//! One round of a team's business: from its decisions and what chance drew, the
//! customers it served, its accounts, how its customers and staff feel and the carbon
//! it gave off.
//!
//! The model, in order:
//! - Demand is the challenge's base demand times a factor for each influence: season,
//!   price (with elasticity), marketing (with diminishing returns), reputation (last
//!   round's satisfaction), events and luck.
//! - The staff working at a time each serve `customers_per_staff_hour` in every hour
//!   the business is open; tired staff serve up to a quarter fewer. Customers served
//!   are the smaller of demand and that capacity.
//! - Each resource is used per round, per open hour and per customer served, changed
//!   by working investments and events, and costs money and gives off carbon
//!   ([`resources`](super::resources)).
//! - Satisfaction and wellbeing move halfway to a target each round, then events add
//!   their points; both stay within 0 to 100 ([`mood`](super::mood)).
//!
//! Every sum of money is rounded to the penny once, where it enters the accounts, and
//! the accounts are added up in whole pence.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use workworlds_content::Challenge;
use workworlds_content::challenge::{Event, EventEffect, Investment, Resource};

use super::decisions::{Chosen, Levers};
use super::resources::{self, ResourceCarbon};
use super::rng::Draws;
use super::why::{self, Cause, Reason};
use super::{Loan, TeamState, mood};

/// The share of their usual customers that staff at wellbeing 0 can serve.
const TIRED_CAPACITY: f64 = 0.75;
/// The most customers counted in a round: however extreme a content file, money
/// stays far inside `i64` pence.
const MAX_CUSTOMERS: f64 = 1e12;
/// The most pence one line of the accounts holds (£10 trillion), for the same reason.
const MAX_PENCE: f64 = 1e15;

/// What happened in one team's round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundResult {
    /// The round, counted from 0.
    pub round: u32,
    /// The calendar year the round stands for, in a net-zero scenario.
    pub year: Option<u32>,
    /// The value of every decision used, by id, on its slider's steps.
    pub decisions: BTreeMap<String, f64>,
    /// The ids of the events that happened, in the challenge's order.
    pub events: Vec<String>,
    /// The ids of the investments bought this round.
    pub bought: Vec<String>,
    /// The ids of the investments working this round.
    pub working: Vec<String>,
    /// Customers who wanted to buy.
    pub demand: u64,
    /// Customers the staff could have served.
    pub capacity: u64,
    /// Customers served: the smaller of demand and capacity.
    pub customers: u64,
    /// Customers who wanted to buy but could not be served.
    pub turned_away: u64,
    pub accounts: Accounts,
    /// Customer satisfaction at the end of the round, 0 to 100.
    pub satisfaction: f64,
    /// Staff wellbeing at the end of the round, 0 to 100.
    pub wellbeing: f64,
    /// What each resource used and the carbon it gave off, in the challenge's order.
    pub emissions: Vec<Emission>,
    /// Carbon given off this round, in kgCO2e.
    pub emissions_kg: f64,
    /// Carbon given off since the start, in kgCO2e.
    pub emitted_kg: f64,
    /// For each measure, how much it changed since last round and why.
    pub why: Vec<Reason>,
}

/// A round's accounts, in pence. `closing = opening + revenue - total_costs -
/// investments + loans - repayments`, exactly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accounts {
    pub opening: i64,
    pub revenue: i64,
    /// Every cost that is not zero, in a fixed order.
    pub costs: Vec<(CostItem, i64)>,
    pub total_costs: i64,
    /// Spent on investments bought this round.
    pub investments: i64,
    /// Borrowed this round.
    pub loans: i64,
    /// Loans paid back this round (interest is a cost).
    pub repayments: i64,
    pub closing: i64,
    /// Still owed on loans at the end of the round.
    pub debt: i64,
}

impl Accounts {
    /// Revenue less costs: what the round's trading made.
    pub fn profit(&self) -> i64 {
        self.revenue - self.total_costs
    }
}

/// A line of costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CostItem {
    Wages,
    FixedCosts,
    Marketing,
    Resource(Resource),
    /// Costs per customer whose carbon is not counted.
    Supplies,
    /// On loans and on an overdraft.
    Interest,
    /// One-off costs of events.
    Events,
    /// Keeping investments working.
    Running,
}

/// What one resource used in a round and the carbon it gave off.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Emission {
    pub resource: Resource,
    /// In the resource's unit: kWh, litres or kg.
    pub amount: f64,
    pub kg: f64,
}

/// What next round's "why" compares against.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub(crate) demand: u64,
    pub(crate) turned_away: u64,
    /// Demand's factors, whose product times the base demand is the demand.
    pub(crate) demand_factors: Vec<(Cause, f64)>,
    pub(crate) carbon: Vec<ResourceCarbon>,
}

/// Pounds to whole pence, kept within what the accounts can hold.
pub(crate) fn pence(pounds: f64) -> i64 {
    let pence = (pounds * 100.0).round();
    if pence.is_nan() {
        return 0;
    }
    pence.clamp(-MAX_PENCE, MAX_PENCE) as i64
}

/// A share of a sum in pence, such as a round's interest.
fn share(amount: i64, rate: f64) -> i64 {
    pence(amount as f64 / 100.0 * rate)
}

/// Simulates the team's next round; returns its result and the team's state after it.
pub(crate) fn simulate(
    challenge: &Challenge,
    state: &TeamState,
    chosen: &Chosen,
    draws: &Draws,
) -> (RoundResult, TeamState) {
    let round = state.round;
    let business = &challenge.business;
    let levers = &chosen.levers;
    let open_hours = levers.hours * challenge.period.weeks();
    let staff_hours = levers.staff * open_hours;

    let events: Vec<&Event> = draws.events.iter().map(|&i| &challenge.events[i]).collect();
    let menu = challenge
        .net_zero
        .as_ref()
        .map_or(&[][..], |net_zero| &net_zero.investments[..]);
    let mut owned = state.owned.clone();
    for &index in &chosen.buy {
        owned.insert(menu[index].id.clone(), round);
    }
    let working: Vec<&Investment> = menu
        .iter()
        .filter(|investment| {
            owned
                .get(&investment.id)
                .is_some_and(|&bought| bought + investment.lead_rounds <= round)
        })
        .collect();

    let demand_factors = demand_factors(challenge, state, levers, &events, draws.luck);
    let demand_real = (business.demand.base * product(&demand_factors)).clamp(0.0, MAX_CUSTOMERS);
    let demand = demand_real.round() as u64;
    let event_capacity: f64 = event_effects(&events, |effect| match effect {
        EventEffect::Capacity(factor) => Some(*factor),
        _ => None,
    })
    .product();
    let tired = TIRED_CAPACITY + (1.0 - TIRED_CAPACITY) * state.wellbeing / 100.0;
    let capacity_real = (staff_hours * business.customers_per_staff_hour * event_capacity * tired)
        .clamp(0.0, MAX_CUSTOMERS);
    let capacity = capacity_real.floor() as u64;
    let customers = demand.min(capacity);
    let turned_away = demand - customers;

    let used = resources::used(challenge, &working, &events, open_hours, customers);
    let mut costs = vec![
        (CostItem::Wages, pence(staff_hours * levers.wage)),
        (CostItem::FixedCosts, pence(business.fixed_costs)),
        (CostItem::Marketing, pence(levers.marketing)),
    ];
    costs.extend(used.costs);
    costs.push((
        CostItem::Supplies,
        pence(customers as f64 * business.cost_per_customer),
    ));

    let finance = &business.finance;
    let owed: i64 = state.loans.iter().map(|loan| loan.owed).sum();
    let overdraft = (-state.cash).max(0);
    let interest =
        share(owed, finance.loan_interest) + share(overdraft, finance.overdraft_interest);
    costs.push((CostItem::Interest, interest));
    let event_costs: f64 = event_effects(&events, |effect| match effect {
        EventEffect::Cost(pounds) => Some(*pounds),
        _ => None,
    })
    .sum();
    costs.push((CostItem::Events, pence(event_costs)));
    let running: f64 = working.iter().map(|i| i.running_cost).sum();
    costs.push((CostItem::Running, pence(running)));
    costs.retain(|&(_, amount)| amount != 0);

    let investments: i64 = chosen.buy.iter().map(|&i| pence(menu[i].cost)).sum();
    let (loans, repayments, loans_after) = borrow_and_repay(challenge, state, levers);
    let revenue = pence(customers as f64 * levers.price);
    let total_costs: i64 = costs.iter().map(|&(_, amount)| amount).sum();
    let opening = state.cash;
    let closing = opening + revenue - total_costs - investments + loans - repayments;
    let accounts = Accounts {
        opening,
        revenue,
        costs,
        total_costs,
        investments,
        loans,
        repayments,
        closing,
        debt: loans_after.iter().map(|loan| loan.owed).sum(),
    };

    let turned_share = if demand > 0 {
        turned_away as f64 / demand as f64
    } else {
        0.0
    };
    let (satisfaction, satisfaction_parts) =
        mood::satisfaction(challenge, state, levers, &events, turned_share);
    let busy = if capacity_real > 0.0 {
        (demand_real / capacity_real - 1.0).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (wellbeing, wellbeing_parts) = mood::wellbeing(challenge, state, levers, &events, busy);

    let emissions_kg: f64 = used.emissions.iter().map(|e| e.kg).sum();
    let previous = state.previous.as_ref();
    let base = business.demand.base;
    let why = vec![
        why::customers(previous, base, &demand_factors, demand, turned_away),
        why::cash(&accounts),
        why::settled(why::Measure::Satisfaction, satisfaction_parts),
        why::settled(why::Measure::Wellbeing, wellbeing_parts),
        why::carbon(previous, &used.carbon),
    ];

    let result = RoundResult {
        round,
        year: challenge.year_of_round(round),
        decisions: chosen.values.clone(),
        events: events.iter().map(|event| event.id.clone()).collect(),
        bought: chosen.buy.iter().map(|&i| menu[i].id.clone()).collect(),
        working: working.iter().map(|i| i.id.clone()).collect(),
        demand,
        capacity,
        customers,
        turned_away,
        accounts,
        satisfaction,
        wellbeing,
        emissions: used.emissions,
        emissions_kg,
        emitted_kg: state.emitted_kg + emissions_kg,
        why,
    };
    let next = TeamState {
        round: round + 1,
        cash: closing,
        satisfaction: result.satisfaction,
        wellbeing: result.wellbeing,
        values: chosen.values.clone(),
        owned,
        loans: loans_after,
        emitted_kg: result.emitted_kg,
        previous: Some(Snapshot {
            demand,
            turned_away,
            demand_factors,
            carbon: used.carbon,
        }),
    };
    (result, next)
}

/// The factors demand is the product of, besides the base.
fn demand_factors(
    challenge: &Challenge,
    state: &TeamState,
    levers: &Levers,
    events: &[&Event],
    luck: f64,
) -> Vec<(Cause, f64)> {
    let demand = &challenge.business.demand;
    let season = demand
        .season
        .get(state.round as usize)
        .copied()
        .unwrap_or(1.0);
    let price = (levers.price / demand.reference_price).powf(-demand.elasticity);
    let marketing =
        1.0 + demand.marketing_lift * levers.marketing / (levers.marketing + demand.marketing_half);
    let reputation = 1.0 + demand.reputation_weight * (state.satisfaction - 50.0) / 50.0;
    let mut factors = vec![
        (Cause::Season, season),
        (Cause::Price, price),
        (Cause::Marketing, marketing),
        (Cause::Reputation, reputation),
    ];
    for event in events {
        let mut effects = event.effects.iter().filter_map(|effect| match effect {
            EventEffect::Demand(factor) => Some(*factor),
            _ => None,
        });
        if let Some(first) = effects.next() {
            factors.push((
                Cause::Event(event.id.clone()),
                first * effects.product::<f64>(),
            ));
        }
    }
    factors.push((Cause::Luck, 1.0 + demand.noise * luck));
    factors
}

/// Borrows this round's loan and repays a part of each earlier one that is due.
/// Returns what was borrowed, what was repaid and the loans still owed afterwards.
fn borrow_and_repay(
    challenge: &Challenge,
    state: &TeamState,
    levers: &Levers,
) -> (i64, i64, Vec<Loan>) {
    let parts = i64::from(challenge.business.finance.loan_rounds.max(1));
    let mut repaid = 0;
    let mut loans: Vec<Loan> = Vec::with_capacity(state.loans.len() + 1);
    for loan in &state.loans {
        let mut loan = loan.clone();
        if loan.first_repayment <= state.round {
            // Equal parts, rounded up to the penny, so the last part is never larger.
            let part = ((loan.borrowed + parts - 1) / parts).min(loan.owed);
            loan.owed -= part;
            repaid += part;
        }
        if loan.owed > 0 {
            loans.push(loan);
        }
    }
    let borrowed = pence(levers.loan).max(0);
    if borrowed > 0 {
        loans.push(Loan {
            borrowed,
            owed: borrowed,
            first_repayment: state.round + 1,
        });
    }
    (borrowed, repaid, loans)
}

/// Every value an effect of the events gives.
pub(crate) fn event_effects<'a>(
    events: &'a [&'a Event],
    value: impl Fn(&EventEffect) -> Option<f64> + 'a,
) -> impl Iterator<Item = f64> + 'a {
    events
        .iter()
        .flat_map(|event| &event.effects)
        .filter_map(value)
}

pub(crate) fn product(factors: &[(Cause, f64)]) -> f64 {
    factors.iter().map(|(_, factor)| factor).product()
}
