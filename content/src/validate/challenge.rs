//! Checks a challenge file on its own and against the sectors: every number the
//! simulation reads is finite and in a range where its model means something, every
//! decision's default sits on its slider, every name refers to something in the file,
//! and the file serves the CWRE objectives a business game is for (O3 and O4). The
//! business model's own numbers are checked in [`business`].

use std::collections::{BTreeMap, HashSet};

use super::Report;
use crate::challenge::{ChallengeDef, Decision, Lever, Resource, TeamRole};
use crate::curriculum::{AgePhase, Objective};
use crate::defs::SectorDef;
use crate::error::Problem;
use crate::ids::{ChallengeId, is_valid_id};
use crate::load::Parsed;
use crate::locate::Step;
use crate::model::Challenge;

use Step::{Field, Index};

mod business;

/// Rounds a challenge may have: enough for a term's lessons, few enough to finish.
const ROUNDS: std::ops::RangeInclusive<u32> = 1..=12;
/// Decisions a challenge may have, and a primary one.
const MAX_DECISIONS: usize = 12;
const MAX_PRIMARY_DECISIONS: usize = 4;
/// The most slider positions a decision may have.
const MAX_STEPS: f64 = 10_000.0;
/// How far from a whole number of steps a value may be, in steps: decimal steps such
/// as 0.1 are not exact in binary, so an exact test would refuse honest files.
const STEP_TOLERANCE: f64 = 1e-6;
/// The largest sum of money accepted anywhere, in £: far beyond a school's game, small
/// enough that the simulation's sums in pence cannot overflow.
const MAX_POUNDS: f64 = 1e8;
/// The largest amount of a resource, demand or carbon accepted, in its unit.
const MAX_AMOUNT: f64 = 1e9;

/// Validates one challenge file; `sectors` are every sector file by id.
pub(super) fn check_challenge(
    file: &Parsed<ChallengeDef>,
    sectors: &BTreeMap<&str, &SectorDef>,
    problems: &mut Vec<Problem>,
) -> Option<Challenge> {
    let mut report = Report::new(file, problems);
    let def = &file.def;

    report.text(&[Field("title")], &def.title);
    report.text(&[Field("brief")], &def.brief);
    if !sectors.contains_key(def.sector.as_str()) {
        report.fail(
            &[Field("sector")],
            format!("unknown sector {:?}", def.sector.as_str()),
        );
    }
    check_curriculum_fit(&mut report, def);
    report.range(&[Field("rounds")], def.rounds, ROUNDS, "rounds");
    check_roles(&mut report, def);
    check_decisions(&mut report, def);
    business::check_business(&mut report, def);
    business::check_factors(&mut report, def);
    business::check_events(&mut report, def);
    if let Some(net_zero) = &def.net_zero {
        business::check_net_zero(&mut report, def, net_zero);
    }
    check_scoring(&mut report, def);
    report.texts(&[Field("debrief")], &def.debrief, 1..=6);

    report.ok().then(|| Challenge {
        id: ChallengeId::new(&file.id),
        title: def.title.clone(),
        brief: def.brief.clone(),
        sector: def.sector.clone(),
        ages: def.ages.clone(),
        objectives: def.objectives.clone(),
        experience: def.experience,
        primary: def.primary,
        period: def.period,
        rounds: def.rounds,
        roles: def.roles.clone(),
        decisions: def.decisions.clone(),
        business: def.business.clone(),
        emission_factors: def.emission_factors.clone(),
        events: def.events.clone(),
        net_zero: def.net_zero.clone(),
        scoring: def.scoring.clone(),
        debrief: def.debrief.clone(),
    })
}

fn check_curriculum_fit(report: &mut Report<'_>, def: &ChallengeDef) {
    report.unique(&[Field("ages")], &def.ages, "age phase");
    report.unique(&[Field("objectives")], &def.objectives, "objective");
    for needed in [Objective::O3, Objective::O4] {
        if !def.objectives.contains(&needed) {
            report.fail(
                &[Field("objectives")],
                format!("{needed:?} is missing: every challenge serves O3 and O4"),
            );
        }
    }
    let young = [AgePhase::Ages3To7, AgePhase::Ages7To11];
    if def.primary && !def.ages.iter().any(|age| young.contains(age)) {
        report.fail(
            &[Field("ages")],
            "a primary challenge suits Ages7To11 or Ages3To7",
        );
    }
}

fn check_roles(report: &mut Report<'_>, def: &ChallengeDef) {
    report.unique(&[Field("roles")], &def.roles, "role");
    let investments = def
        .net_zero
        .iter()
        .flat_map(|net_zero| &net_zero.investments);
    let owners: HashSet<TeamRole> = def
        .decisions
        .iter()
        .map(|decision| decision.owner)
        .chain(investments.map(|investment| investment.owner))
        .collect();
    for (index, role) in def.roles.iter().enumerate() {
        if !owners.contains(role) {
            report.fail(
                &[Field("roles"), Index(index)],
                format!("role {role:?} owns no decision or investment"),
            );
        }
    }
}

fn check_decisions(report: &mut Report<'_>, def: &ChallengeDef) {
    let count = def.decisions.len();
    if !(1..=MAX_DECISIONS).contains(&count) {
        report.fail(
            &[Field("decisions")],
            format!("a challenge has 1 to {MAX_DECISIONS} decisions, not {count}"),
        );
    }
    if def.primary && count > MAX_PRIMARY_DECISIONS {
        report.fail(
            &[Field("decisions")],
            format!(
                "a primary challenge has at most {MAX_PRIMARY_DECISIONS} decisions, not {count}"
            ),
        );
    }
    let ids: Vec<&str> = def.decisions.iter().map(|d| d.id.as_str()).collect();
    check_ids(report, Field("decisions"), &ids, "decision");
    for (index, decision) in def.decisions.iter().enumerate() {
        let at = |field: &'static str| [Field("decisions"), Index(index), Field(field)];
        report.text(&at("label"), &decision.label);
        report.text(&at("unit"), &decision.unit);
        if !def.roles.contains(&decision.owner) {
            report.fail(
                &at("owner"),
                format!("{:?} is not one of the challenge's roles", decision.owner),
            );
        }
        if let Some(earlier) = def.decisions[..index]
            .iter()
            .find(|earlier| earlier.sets == decision.sets)
        {
            report.fail(
                &at("sets"),
                format!(
                    "{:?} is already set by decision {:?}",
                    decision.sets, earlier.id
                ),
            );
        }
        check_slider(report, index, decision);
        if def.primary {
            let numbers = [decision.min, decision.max, decision.step, decision.default];
            if numbers.iter().any(|n| n.fract() != 0.0) {
                report.fail(
                    &[Field("decisions"), Index(index)],
                    "a primary challenge's decisions use whole numbers",
                );
            }
            if decision.sets == Lever::Loan {
                report.fail(&at("sets"), "a primary challenge has no borrowing");
            }
        }
    }
    for lever in Lever::REQUIRED {
        if !def.decisions.iter().any(|decision| decision.sets == lever) {
            report.fail(&[Field("decisions")], format!("no decision sets {lever:?}"));
        }
    }
}

/// A decision's numbers: a range that holds its default on a whole number of steps,
/// within what its lever can mean.
fn check_slider(report: &mut Report<'_>, index: usize, decision: &Decision) {
    let at = |field: &'static str| [Field("decisions"), Index(index), Field(field)];
    let Decision {
        min,
        max,
        step,
        default,
        ..
    } = *decision;
    if ![min, max, step, default].iter().all(|n| n.is_finite()) {
        report.fail(
            &at("min"),
            "min, max, step and default must be finite numbers",
        );
        return;
    }
    let (lowest, highest) = lever_bounds(decision.sets);
    if min < lowest || (decision.sets == Lever::Price && min <= 0.0) {
        let floor = if decision.sets == Lever::Price {
            "above 0".to_string()
        } else {
            format!("at least {lowest}")
        };
        report.fail(
            &at("min"),
            format!("min {min} must be {floor} for {:?}", decision.sets),
        );
    }
    if max > highest {
        report.fail(
            &at("max"),
            format!(
                "max {max} is above {highest}, the most for {:?}",
                decision.sets
            ),
        );
    }
    if max < min {
        report.fail(&at("max"), format!("max {max} is below min {min}"));
        return;
    }
    if step <= 0.0 {
        report.fail(&at("step"), format!("step {step} must be above 0"));
        return;
    }
    let steps = (max - min) / step;
    if steps > MAX_STEPS {
        report.fail(
            &at("step"),
            format!("{steps:.0} steps from min to max; at most {MAX_STEPS} make sense on a slider"),
        );
    } else if !whole(steps) {
        report.fail(
            &at("step"),
            format!("step {step} does not divide {min} to {max} into whole steps"),
        );
    }
    if default < min || default > max {
        report.fail(
            &at("default"),
            format!("default {default} lies outside {min} to {max}"),
        );
    } else if !whole((default - min) / step) {
        report.fail(
            &at("default"),
            format!("default {default} is not a whole number of steps of {step} above {min}"),
        );
    }
}

/// The widest range each lever's value may take, in its unit.
fn lever_bounds(lever: Lever) -> (f64, f64) {
    match lever {
        Lever::Price => (0.0, 1e6),
        Lever::Staff => (0.0, 1_000.0),
        Lever::OpeningHours => (0.0, 168.0),
        Lever::Wage => (0.0, 1_000.0),
        Lever::Marketing | Lever::Loan => (0.0, MAX_POUNDS),
    }
}

fn whole(steps: f64) -> bool {
    (steps - steps.round()).abs() <= STEP_TOLERANCE
}

fn check_scoring(report: &mut Report<'_>, def: &ChallengeDef) {
    let scoring = &def.scoring;
    let weights = &scoring.weights;
    let listed = [
        ("money", weights.money),
        ("customers", weights.customers),
        ("wellbeing", weights.wellbeing),
        ("carbon", weights.carbon),
        ("reflection", weights.reflection),
    ];
    let mut numbers = Numbers::new(report, &[Field("scoring"), Field("weights")]);
    for (field, weight) in listed {
        numbers.within(field, weight, 0.0, 10.0);
    }
    if listed.iter().all(|(_, weight)| *weight == 0.0) {
        report.fail(
            &[Field("scoring"), Field("weights")],
            "every weight is 0: nothing would count",
        );
    }
    let mut numbers = Numbers::new(report, &[Field("scoring")]);
    numbers.positive(
        "profit_for_full_marks",
        scoring.profit_for_full_marks,
        MAX_POUNDS,
    );
    numbers.positive("carbon_budget_kg", scoring.carbon_budget_kg, MAX_AMOUNT);
}

/// Ids of one kind within the file: well-formed and each used once.
fn check_ids(report: &mut Report<'_>, list: Step, ids: &[&str], what: &str) {
    for (index, id) in ids.iter().enumerate() {
        let at = [list.clone(), Index(index), Field("id")];
        if !is_valid_id(id) {
            report.fail(&at, format!("{id:?} is not a valid id"));
        } else if ids[..index].contains(id) {
            report.fail(&at, format!("{what} {id:?} appears twice"));
        }
    }
}

/// An effect on a resource needs the business to use that resource.
fn used_resource(
    report: &mut Report<'_>,
    def: &ChallengeDef,
    at: &[Step],
    resource: Option<Resource>,
) {
    if let Some(kind) = resource
        && !def.business.resources.iter().any(|r| r.kind == kind)
    {
        report.fail(at, format!("the business uses no {kind:?}"));
    }
}

/// Checks the numbers of one part of a file, each placed at its own field.
struct Numbers<'r, 'a> {
    report: &'r mut Report<'a>,
    at: Vec<Step>,
}

impl<'r, 'a> Numbers<'r, 'a> {
    fn new(report: &'r mut Report<'a>, at: &[Step]) -> Numbers<'r, 'a> {
        Numbers {
            report,
            at: at.to_vec(),
        }
    }

    fn path(&self, field: &'static str) -> Vec<Step> {
        [&self.at[..], &[Field(field)]].concat()
    }

    /// A finite number from `least` to `most`.
    fn within(&mut self, field: &'static str, value: f64, least: f64, most: f64) {
        let at = self.path(field);
        number(self.report, &at, value, least, most);
    }

    /// A finite number above 0 and at most `most`.
    fn positive(&mut self, field: &'static str, value: f64, most: f64) {
        if !(value.is_finite() && value > 0.0 && value <= most) {
            let at = self.path(field);
            self.report
                .fail(&at, format!("{value} must be above 0 and at most {most}"));
        }
    }
}

/// A finite number from `least` to `most`, at `at`.
fn number(report: &mut Report<'_>, at: &[Step], value: f64, least: f64, most: f64) {
    if !value.is_finite() {
        report.fail(at, format!("{value} is not a finite number"));
    } else if !(least..=most).contains(&value) {
        report.fail(at, format!("{value} is outside {least} to {most}"));
    }
}
