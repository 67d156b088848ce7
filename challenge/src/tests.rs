//! The engine as a whole, over every shipped challenge: the books balance to the penny,
//! nothing is ever NaN, infinite or negative where it cannot be, the same seed and
//! decisions replay exactly, and the net-zero scenarios can be won and lost.

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use workworlds_content::challenge::{Lever, Resource};
use workworlds_content::{Challenge, Content, load_dir};

use super::*;

/// The shipped content, loaded once for every test.
fn shipped() -> &'static Content {
    static CONTENT: OnceLock<Content> = OnceLock::new();
    CONTENT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/data");
        load_dir(&dir).unwrap_or_else(|errors| panic!("content/data has problems:\n{errors}"))
    })
}

/// A shipped challenge by id.
pub(crate) fn fixture(id: &str) -> Challenge {
    shipped()
        .challenges
        .get(id)
        .unwrap_or_else(|| panic!("no shipped challenge {id}"))
        .clone()
}

fn net_zero_scenarios() -> impl Iterator<Item = &'static Challenge> {
    shipped()
        .challenges
        .values()
        .filter(|challenge| challenge.net_zero.is_some())
}

/// Decisions made from a stream of random numbers: each decision set to a random step
/// of its slider or left out, each investment bought or not.
fn decisions_from(challenge: &Challenge, picks: &mut impl Iterator<Item = u64>) -> Decisions {
    let mut decisions = Decisions::none();
    for decision in &challenge.decisions {
        let pick = picks.next().unwrap_or(0);
        if pick.is_multiple_of(5) {
            continue;
        }
        let steps = ((decision.max - decision.min) / decision.step).round() as u64;
        let value = decision.min + (pick / 5 % (steps + 1)) as f64 * decision.step;
        decisions = decisions.with(&decision.id, value.min(decision.max));
    }
    for investment in challenge.net_zero.iter().flat_map(|n| &n.investments) {
        if picks.next().unwrap_or(1).is_multiple_of(4) {
            decisions = decisions.buying(&investment.id);
        }
    }
    decisions
}

/// Every property a round's result must have, whatever was decided.
fn check_round(result: &RoundResult) {
    let accounts = &result.accounts;
    assert_eq!(
        accounts.closing,
        accounts.opening + accounts.revenue - accounts.total_costs - accounts.investments
            + accounts.loans
            - accounts.repayments,
        "closing cash = opening + revenue - costs - investments + loans - repayments"
    );
    assert_eq!(
        accounts.total_costs,
        accounts.costs.iter().map(|(_, amount)| amount).sum::<i64>()
    );
    assert!(accounts.costs.iter().all(|&(_, amount)| amount >= 0));
    assert!(accounts.investments >= 0 && accounts.loans >= 0 && accounts.repayments >= 0);
    assert!(accounts.debt >= 0);

    assert!(result.customers <= result.demand && result.customers <= result.capacity);
    assert_eq!(result.turned_away, result.demand - result.customers);
    for score in [result.satisfaction, result.wellbeing] {
        assert!((0.0..=100.0).contains(&score), "score {score}");
    }
    for emission in &result.emissions {
        assert!(
            emission.kg.is_finite() && emission.kg >= 0.0,
            "{emission:?}"
        );
        assert!(
            emission.amount.is_finite() && emission.amount >= 0.0,
            "{emission:?}"
        );
    }
    assert!(result.emissions_kg.is_finite() && result.emissions_kg >= 0.0);
    assert!(result.emitted_kg.is_finite() && result.emitted_kg >= result.emissions_kg);

    assert_eq!(result.why.len(), 5, "one reason for each measure");
    for reason in &result.why {
        assert!(reason.change.is_finite(), "{reason:?}");
        let sum: f64 = reason.drivers.iter().map(|d| d.amount).sum();
        let scale: f64 = reason.drivers.iter().map(|d| d.amount.abs()).sum::<f64>() + 1.0;
        assert!(
            (sum - reason.change).abs() <= 1e-6 * scale.max(reason.change.abs()),
            "drivers of {:?} add up to {sum}, not {}",
            reason.measure,
            reason.change
        );
    }
    let cash = result
        .why
        .iter()
        .find(|r| r.measure == Measure::Cash)
        .unwrap();
    assert_eq!(cash.change, (accounts.closing - accounts.opening) as f64);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_decisions_and_seed_keep_the_books_balanced_and_every_number_sane(
        which in any::<usize>(),
        seed in any::<u64>(),
        picks in prop::collection::vec(any::<u64>(), 256),
    ) {
        let challenges = &shipped().challenges;
        let challenge = challenges.values().nth(which % challenges.len()).unwrap();
        let mut picks = picks.into_iter().cycle();
        let mut state = TeamState::start(challenge);
        let mut results = Vec::new();
        for _ in 0..challenge.rounds {
            let decisions = decisions_from(challenge, &mut picks);
            let result = state.play(challenge, seed, 3, &decisions).unwrap();
            check_round(&result);
            prop_assert_eq!(state.cash, result.accounts.closing);
            results.push(result);
        }
        let card = scorecard(challenge, &results, ReflectionMark::new(2));
        prop_assert!((0.0..=100.0).contains(&card.total));
        prop_assert!(card.scores.values().all(|s| (0.0..=100.0).contains(s)));
    }
}

#[test]
fn the_same_seed_and_decisions_give_identical_results() {
    for challenge in shipped().challenges.values() {
        let mut picks = (0u64..).map(|n| n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let rounds: Vec<Vec<Decisions>> = (0..challenge.rounds)
            .map(|_| {
                (0..3)
                    .map(|_| decisions_from(challenge, &mut picks))
                    .collect()
            })
            .collect();
        let first = play_all(challenge, 2024, &rounds).unwrap();
        let again = play_all(challenge, 2024, &rounds).unwrap();
        assert_eq!(first, again, "{}", challenge.id);
    }
}

#[test]
fn a_different_seed_draws_different_events() {
    let challenge = fixture("seaside-cafe");
    let events = |seed| {
        let mut state = TeamState::start(&challenge);
        (0..challenge.rounds)
            .map(|_| {
                state
                    .play(&challenge, seed, 0, &Decisions::none())
                    .unwrap()
                    .events
            })
            .collect::<Vec<_>>()
    };
    assert_ne!(events(1), events(2));
}

#[test]
fn one_teams_decisions_never_shift_another_teams_events() {
    let challenge = fixture("bike-repair");
    let quiet = vec![vec![Decisions::none(), Decisions::none()]; challenge.rounds as usize];
    let mut busy = quiet.clone();
    for round in &mut busy {
        round[0] = Decisions::none().with("price", 60.0).with("mechanics", 8.0);
    }
    let quiet = play_all(&challenge, 99, &quiet).unwrap();
    let busy = play_all(&challenge, 99, &busy).unwrap();
    let events =
        |results: &[RoundResult]| results.iter().map(|r| r.events.clone()).collect::<Vec<_>>();
    assert_eq!(
        events(&quiet[0]),
        events(&busy[0]),
        "a team's own events ignore its choices"
    );
    assert_eq!(quiet[1], busy[1], "the other team is untouched");
}

#[test]
fn a_decision_out_of_range_is_refused_and_changes_nothing() {
    let challenge = fixture("seaside-cafe");
    let mut state = TeamState::start(&challenge);
    let before = state.clone();
    let refused = state.play(&challenge, 1, 0, &Decisions::none().with("price", 11.0));
    assert_eq!(
        refused,
        Err(DecisionError::OutOfRange {
            id: "price".into(),
            value: 11.0,
            min: 4.0,
            max: 10.0
        })
    );
    assert_eq!(
        refused.unwrap_err().to_string(),
        "price must be from 4 to 10, not 11"
    );
    assert_eq!(state, before);
}

#[test]
fn a_value_that_is_not_a_number_is_refused() {
    let challenge = fixture("seaside-cafe");
    let mut state = TeamState::start(&challenge);
    for value in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let refused = state.play(&challenge, 1, 0, &Decisions::none().with("staff", value));
        assert!(
            matches!(refused, Err(DecisionError::NotFinite { ref id, .. }) if id == "staff"),
            "{refused:?}"
        );
    }
    assert_eq!(state.round, 0);
}

#[test]
fn an_unknown_decision_or_investment_is_refused() {
    let cafe = fixture("seaside-cafe");
    let mut state = TeamState::start(&cafe);
    assert_eq!(
        state.play(&cafe, 1, 0, &Decisions::none().with("free-ice-cream", 1.0)),
        Err(DecisionError::UnknownDecision("free-ice-cream".into()))
    );
    assert_eq!(
        state.play(&cafe, 1, 0, &Decisions::none().buying("solar-panels")),
        Err(DecisionError::UnknownInvestment("solar-panels".into())),
        "a challenge without a net-zero part offers no investments"
    );
}

#[test]
fn a_finished_challenge_refuses_more_rounds() {
    let challenge = fixture("welsh-cake-stall");
    let mut state = TeamState::start(&challenge);
    for _ in 0..challenge.rounds {
        state.play(&challenge, 5, 0, &Decisions::none()).unwrap();
    }
    assert!(state.is_over(&challenge));
    assert_eq!(
        state.play(&challenge, 5, 0, &Decisions::none()),
        Err(DecisionError::ChallengeOver { rounds: 5 })
    );
}

/// Buys every investment in the first round, borrowing what it costs, and otherwise
/// keeps the defaults: the plan a careful team would make.
fn sensible(challenge: &Challenge) -> Vec<Vec<Decisions>> {
    let net_zero = challenge.net_zero.as_ref().expect("a net-zero scenario");
    let mut first = Decisions::none();
    for investment in &net_zero.investments {
        first = first.buying(&investment.id);
    }
    if let Some(loan) = challenge.decision_for(Lever::Loan) {
        let cost: f64 = net_zero.investments.iter().map(|i| i.cost).sum();
        let steps = (cost / loan.step).ceil();
        first = first.with(&loan.id, (steps * loan.step).min(loan.max));
    }
    let mut rounds = vec![vec![first]];
    rounds.extend((1..challenge.rounds).map(|_| vec![Decisions::none()]));
    rounds
}

fn final_year(challenge: &Challenge, rounds: &[Vec<Decisions>]) -> (RoundResult, Scorecard) {
    let results = play_all(challenge, 2030, rounds).unwrap().remove(0);
    let card = scorecard(challenge, &results, None);
    (results.last().unwrap().clone(), card)
}

#[test]
fn each_net_zero_scenario_reaches_its_target_with_sensible_decisions() {
    let mut pinned = Vec::new();
    for challenge in net_zero_scenarios() {
        let (last, card) = final_year(challenge, &sensible(challenge));
        let target = challenge.net_zero.as_ref().unwrap().target_kg;
        assert_eq!(card.target_met, Some(true), "{}: {last:#?}", challenge.id);
        assert!(last.emissions_kg <= target);
        pinned.push((
            challenge.id.to_string(),
            last.year,
            last.emissions_kg.round(),
        ));
    }
    assert_eq!(
        pinned,
        [
            ("bakery-net-zero".to_string(), Some(2030), 3054.0),
            ("eryri-hotel-net-zero".to_string(), Some(2035), 7834.0),
            ("leisure-centre-net-zero".to_string(), Some(2030), 21086.0),
        ]
    );
}

#[test]
fn each_net_zero_scenario_misses_its_target_with_no_decisions() {
    let mut pinned = Vec::new();
    for challenge in net_zero_scenarios() {
        let rounds = vec![vec![Decisions::none()]; challenge.rounds as usize];
        let (last, card) = final_year(challenge, &rounds);
        assert_eq!(card.target_met, Some(false), "{}", challenge.id);
        pinned.push((challenge.id.to_string(), last.emissions_kg.round()));
    }
    assert_eq!(
        pinned,
        [
            ("bakery-net-zero".to_string(), 48877.0),
            ("eryri-hotel-net-zero".to_string(), 113165.0),
            ("leisure-centre-net-zero".to_string(), 271933.0),
        ]
    );
}

#[test]
fn investments_start_working_after_their_lead_time() {
    let challenge = fixture("eryri-hotel-net-zero");
    let mut state = TeamState::start(&challenge);
    let first = state
        .play(&challenge, 1, 0, &Decisions::none().buying("heat-pumps"))
        .unwrap();
    assert_eq!(first.bought, ["heat-pumps"]);
    assert!(first.working.is_empty());
    assert_eq!(first.accounts.investments, 16_000_000);
    let second = state
        .play(&challenge, 1, 0, &Decisions::none().buying("heat-pumps"))
        .unwrap();
    assert!(second.bought.is_empty(), "an investment is bought once");
    assert!(second.working.is_empty());
    let third = state.play(&challenge, 1, 0, &Decisions::none()).unwrap();
    assert_eq!(third.working, ["heat-pumps"]);
    let gas = |r: &RoundResult| {
        r.emissions
            .iter()
            .find(|e| e.resource == Resource::Gas)
            .unwrap()
            .kg
    };
    assert!(gas(&third) < gas(&second) / 5.0);
}

#[test]
fn a_loan_adds_cash_now_and_is_repaid_in_equal_parts() {
    let challenge = fixture("bike-repair");
    let mut state = TeamState::start(&challenge);
    let borrowed = state
        .play(&challenge, 1, 0, &Decisions::none().with("loan", 6000.0))
        .unwrap();
    assert_eq!(borrowed.accounts.loans, 600_000);
    assert_eq!(borrowed.accounts.repayments, 0);
    assert_eq!(borrowed.accounts.debt, 600_000);
    let next = state.play(&challenge, 1, 0, &Decisions::none()).unwrap();
    assert_eq!(next.accounts.loans, 0, "borrowing is not repeated");
    assert_eq!(next.accounts.repayments, 50_000, "a twelfth of the loan");
    assert_eq!(next.accounts.debt, 550_000);
    assert!(next.accounts.costs.contains(&(CostItem::Interest, 3_600)));
}

#[test]
fn long_hours_wear_staff_down() {
    let challenge = fixture("coding-club");
    let wellbeing = |hours: f64| {
        let mut state = TeamState::start(&challenge);
        let result = state
            .play(&challenge, 1, 0, &Decisions::none().with("hours", hours))
            .unwrap();
        let why = result
            .why
            .iter()
            .find(|r| r.measure == Measure::Wellbeing)
            .unwrap();
        let long = why
            .drivers
            .iter()
            .find(|d| d.cause == Cause::LongHours)
            .map(|d| d.amount);
        (result.wellbeing, long)
    };
    let (rested, none) = wellbeing(20.0);
    let (tired, long) = wellbeing(30.0);
    assert!(tired < rested);
    assert_eq!(none, None);
    assert_eq!(long, Some(-10.0));
}

#[test]
fn every_driver_reads_as_a_sentence_in_both_languages() {
    let challenge = fixture("seaside-cafe");
    let mut state = TeamState::start(&challenge);
    for _ in 0..challenge.rounds {
        let result = state
            .play(&challenge, 11, 0, &Decisions::none().with("posters", 100.0))
            .unwrap();
        for reason in &result.why {
            for driver in &reason.drivers {
                let text = explain(&challenge, reason.measure, driver);
                assert!(
                    text.en.contains(", because of ") && text.en.ends_with('.'),
                    "{text:?}"
                );
                assert!(
                    text.cy.contains(", oherwydd ") && text.cy.ends_with('.'),
                    "{text:?}"
                );
            }
        }
    }
    let heatwave = Driver::new(Cause::Event("heatwave".into()), 120.0);
    let text = explain(&challenge, Measure::Customers, &heatwave);
    assert_eq!(text.en, "Meals: 120 more, because of Heatwave.");
    assert_eq!(text.cy, "Prydau: 120 yn fwy, oherwydd Tywydd poeth iawn.");
    let price = Driver::new(Cause::Cost(CostItem::Wages), -96_000.0);
    assert_eq!(
        explain(&challenge, Measure::Cash, &price).en,
        "Cash: £960 less, because of wages."
    );
}

#[test]
fn the_cheapest_tonne_comes_first_on_the_abatement_chart() {
    for challenge in net_zero_scenarios() {
        let bars = abatement_curve(challenge);
        let menu = &challenge.net_zero.as_ref().unwrap().investments;
        assert_eq!(bars.len(), menu.len(), "{}", challenge.id);
        let costs: Vec<f64> = bars.iter().map(|b| b.cost_per_tonne.unwrap()).collect();
        assert!(costs.windows(2).all(|pair| pair[0] <= pair[1]), "{costs:?}");
        assert!(costs[0] < 0.0, "{}: some cut pays for itself", challenge.id);
        assert!(bars.iter().all(|bar| bar.tonnes_saved > 0.0));
    }
    assert!(abatement_curve(&fixture("seaside-cafe")).is_empty());
}

#[test]
fn the_leaderboard_ranks_every_measure_not_only_money() {
    let challenge = fixture("bakery-net-zero");
    let greedy = vec![vec![Decisions::none().with("hours", 55.0)]; challenge.rounds as usize];
    let green = sensible(&challenge);
    let cards: Vec<Scorecard> = [greedy, green]
        .iter()
        .map(|rounds| {
            let results = play_all(&challenge, 8, rounds).unwrap().remove(0);
            scorecard(&challenge, &results, None)
        })
        .collect();
    let board = leaderboard(&cards);
    assert_eq!(board.by_measure[&ScoreMeasure::Money], [0, 1]);
    assert_eq!(board.by_measure[&ScoreMeasure::Carbon], [1, 0]);
    assert_eq!(board.by_measure[&ScoreMeasure::Wellbeing], [1, 0]);
    assert_eq!(board.overall.len(), 2);
}

#[test]
fn an_unmarked_reflection_leaves_its_weight_to_the_other_measures() {
    let challenge = fixture("welsh-cake-stall");
    let results = play_all(&challenge, 3, &vec![vec![Decisions::none()]; 5])
        .unwrap()
        .remove(0);
    let unmarked = scorecard(&challenge, &results, None);
    assert!(!unmarked.scores.contains_key(&ScoreMeasure::Reflection));
    let others: f64 = unmarked.scores.values().sum::<f64>() / 4.0;
    assert!((unmarked.total - others).abs() < 1e-9);
    let best = scorecard(&challenge, &results, ReflectionMark::new(4));
    let worst = scorecard(&challenge, &results, ReflectionMark::new(0));
    assert!(best.total > unmarked.total && unmarked.total > worst.total);
}
