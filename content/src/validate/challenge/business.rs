//! Checks the numbers of a challenge's business model, its emission factors, its events
//! and its net-zero part: each is finite and within the range its doc comment gives,
//! and each effect names a resource the business uses.

use super::{MAX_AMOUNT, MAX_POUNDS, Numbers, Report, check_ids, number, used_resource};
use crate::challenge::{ChallengeDef, EventEffect, InvestmentEffect, NetZero, Period, Resource};
use crate::ids::is_valid_id;
use crate::locate::Step;

use Step::{Field, Index};

const MAX_EVENTS: usize = 16;
const MAX_INVESTMENTS: usize = 12;

pub(super) fn check_business(report: &mut Report<'_>, def: &ChallengeDef) {
    let business = &def.business;
    report.text(
        &[Field("business"), Field("customers")],
        &business.customers,
    );
    let mut numbers = Numbers::new(report, &[Field("business")]);
    numbers.within("starting_cash", business.starting_cash, -1e7, 1e7);
    numbers.positive(
        "customers_per_staff_hour",
        business.customers_per_staff_hour,
        1e4,
    );
    numbers.within("fixed_costs", business.fixed_costs, 0.0, MAX_POUNDS);
    numbers.within("cost_per_customer", business.cost_per_customer, 0.0, 1e5);

    let demand = &business.demand;
    let mut numbers = Numbers::new(report, &[Field("business"), Field("demand")]);
    numbers.within("base", demand.base, 0.0, MAX_AMOUNT);
    numbers.positive("reference_price", demand.reference_price, 1e6);
    numbers.within("elasticity", demand.elasticity, 0.0, 5.0);
    numbers.within("marketing_lift", demand.marketing_lift, 0.0, 3.0);
    numbers.positive("marketing_half", demand.marketing_half, MAX_POUNDS);
    numbers.within("reputation_weight", demand.reputation_weight, 0.0, 1.0);
    numbers.within("noise", demand.noise, 0.0, 0.5);
    let season = [Field("business"), Field("demand"), Field("season")];
    if demand.season.len() != def.rounds as usize {
        let (needed, given) = (def.rounds, demand.season.len());
        report.fail(
            &season,
            format!("needs one number per round ({needed}), not {given}"),
        );
    }
    for (index, &factor) in demand.season.iter().enumerate() {
        number(
            report,
            &[&season[..], &[Index(index)]].concat(),
            factor,
            0.0,
            5.0,
        );
    }

    let resources = [Field("business"), Field("resources")];
    for (index, resource) in business.resources.iter().enumerate() {
        let at = [&resources[..], &[Index(index)]].concat();
        if business.resources[..index]
            .iter()
            .any(|earlier| earlier.kind == resource.kind)
        {
            let kind = [&at[..], &[Field("kind")]].concat();
            report.fail(&kind, format!("{:?} is listed twice", resource.kind));
        }
        let mut numbers = Numbers::new(report, &at);
        numbers.within("price", resource.price, 0.0, 1_000.0);
        numbers.within("per_round", resource.per_round, 0.0, MAX_AMOUNT);
        numbers.within("per_open_hour", resource.per_open_hour, 0.0, MAX_AMOUNT);
        numbers.within("per_customer", resource.per_customer, 0.0, MAX_AMOUNT);
        check_factor_use(report, def, &at, resource.kind, &resource.factor);
    }

    let finance = &business.finance;
    let at = [Field("business"), Field("finance")];
    let mut numbers = Numbers::new(report, &at);
    numbers.within("loan_interest", finance.loan_interest, 0.0, 0.5);
    numbers.within("overdraft_interest", finance.overdraft_interest, 0.0, 0.5);
    let rounds = [&at[..], &[Field("loan_rounds")]].concat();
    report.range(&rounds, finance.loan_rounds, 1..=60, "rounds");

    let people = &business.people;
    let mut numbers = Numbers::new(report, &[Field("business"), Field("people")]);
    numbers.positive("reference_wage", people.reference_wage, 1_000.0);
    numbers.within("comfortable_hours", people.comfortable_hours, 1.0, 168.0);
    numbers.within("long_hours_penalty", people.long_hours_penalty, 0.0, 10.0);
    numbers.within("busy_penalty", people.busy_penalty, 0.0, 100.0);
    numbers.within("pay_weight", people.pay_weight, 0.0, 100.0);
    numbers.within("start_wellbeing", people.start_wellbeing, 0.0, 100.0);

    let satisfaction = &business.satisfaction;
    let mut numbers = Numbers::new(report, &[Field("business"), Field("satisfaction")]);
    numbers.within("start", satisfaction.start, 0.0, 100.0);
    numbers.within("queue_penalty", satisfaction.queue_penalty, 0.0, 100.0);
    numbers.within("value_weight", satisfaction.value_weight, 0.0, 100.0);
    numbers.within("staff_weight", satisfaction.staff_weight, 0.0, 50.0);
}

/// A resource names an emission factor of the file, for its own kind.
fn check_factor_use(
    report: &mut Report<'_>,
    def: &ChallengeDef,
    resource: &[Step],
    kind: Resource,
    id: &str,
) {
    let at = [resource, &[Field("factor")]].concat();
    match def.emission_factors.iter().find(|factor| factor.id == id) {
        None => report.fail(&at, format!("unknown emission factor {id:?}")),
        Some(factor) if factor.resource != kind => report.fail(
            &at,
            format!("factor {id:?} is for {:?}, not {kind:?}", factor.resource),
        ),
        Some(_) => {}
    }
}

pub(super) fn check_factors(report: &mut Report<'_>, def: &ChallengeDef) {
    let ids: Vec<&str> = def.emission_factors.iter().map(|f| f.id.as_str()).collect();
    check_ids(report, Field("emission_factors"), &ids, "emission factor");
    for (index, factor) in def.emission_factors.iter().enumerate() {
        let at = |field: &'static str| [Field("emission_factors"), Index(index), Field(field)];
        report.text(&at("name"), &factor.name);
        number(report, &at("kg_co2e"), factor.kg_co2e, 0.0, 100.0);
        if factor.source.trim().is_empty() {
            report.fail(&at("source"), "cite where the factor comes from");
        }
        number(report, &at("year"), f64::from(factor.year), 1990.0, 2100.0);
        if !def.business.resources.iter().any(|r| r.factor == factor.id) {
            let message = format!("factor {:?} is used by no resource", factor.id);
            report.fail(&at("id"), message);
        }
    }
}

pub(super) fn check_events(report: &mut Report<'_>, def: &ChallengeDef) {
    if def.events.len() > MAX_EVENTS {
        let count = def.events.len();
        let message = format!("a challenge has at most {MAX_EVENTS} events, not {count}");
        report.fail(&[Field("events")], message);
    }
    let ids: Vec<&str> = def.events.iter().map(|e| e.id.as_str()).collect();
    check_ids(report, Field("events"), &ids, "event");
    for (index, event) in def.events.iter().enumerate() {
        let at = |field: &'static str| [Field("events"), Index(index), Field(field)];
        report.text(&at("name"), &event.name);
        report.text(&at("text"), &event.text);
        number(report, &at("chance"), event.chance, 0.0, 1.0);
        if event.effects.is_empty() {
            report.fail(&at("effects"), "an event needs at least one effect");
        }
        for (effect_index, effect) in event.effects.iter().enumerate() {
            let here = [&at("effects")[..], &[Index(effect_index)]].concat();
            let (value, least, most, resource) = match *effect {
                EventEffect::Demand(value) => (value, 0.0, 5.0, None),
                EventEffect::Capacity(value) => (value, 0.0, 2.0, None),
                EventEffect::Satisfaction(value) | EventEffect::Wellbeing(value) => {
                    (value, -50.0, 50.0, None)
                }
                EventEffect::Cost(value) => (value, 0.0, MAX_POUNDS, None),
                EventEffect::Price(kind, value) | EventEffect::Use(kind, value) => {
                    (value, 0.0, 10.0, Some(kind))
                }
            };
            number(report, &here, value, least, most);
            used_resource(report, def, &here, resource);
        }
    }
}

pub(super) fn check_net_zero(report: &mut Report<'_>, def: &ChallengeDef, net_zero: &NetZero) {
    if def.period != Period::Year {
        report.fail(
            &[Field("period")],
            "a net-zero scenario counts years to its target: use Year",
        );
    }
    let at = |field: &'static str| [Field("net_zero"), Field(field)];
    let target_year = f64::from(net_zero.target_year);
    number(report, &at("target_year"), target_year, 2000.0, 2100.0);
    number(
        report,
        &at("target_kg"),
        net_zero.target_kg,
        0.0,
        MAX_AMOUNT,
    );
    let count = net_zero.investments.len();
    if !(1..=MAX_INVESTMENTS).contains(&count) {
        let message =
            format!("a net-zero scenario offers 1 to {MAX_INVESTMENTS} investments, not {count}");
        report.fail(&at("investments"), message);
    }

    let investments = [Field("net_zero"), Field("investments")];
    for (index, investment) in net_zero.investments.iter().enumerate() {
        let at = |field: &'static str| [&investments[..], &[Index(index), Field(field)]].concat();
        let id = investment.id.as_str();
        if !is_valid_id(id) {
            report.fail(&at("id"), format!("{id:?} is not a valid id"));
        } else if net_zero.investments[..index].iter().any(|i| i.id == id) {
            report.fail(&at("id"), format!("investment {id:?} appears twice"));
        }
        report.text(&at("name"), &investment.name);
        report.text(&at("text"), &investment.text);
        if !def.roles.contains(&investment.owner) {
            let message = format!("{:?} is not one of the challenge's roles", investment.owner);
            report.fail(&at("owner"), message);
        }
        let mut numbers = Numbers::new(report, &[&investments[..], &[Index(index)]].concat());
        numbers.within("cost", investment.cost, 0.0, MAX_POUNDS);
        numbers.within("running_cost", investment.running_cost, 0.0, MAX_POUNDS);
        if investment.lead_rounds >= def.rounds {
            let (lead, rounds) = (investment.lead_rounds, def.rounds);
            let message =
                format!("{lead} rounds of lead time in a {rounds}-round challenge: it never works");
            report.fail(&at("lead_rounds"), message);
        }
        if investment.effects.is_empty() {
            report.fail(&at("effects"), "an investment needs at least one effect");
        }
        for (effect_index, effect) in investment.effects.iter().enumerate() {
            let here = [&at("effects")[..], &[Index(effect_index)]].concat();
            let (kind, value, most) = match *effect {
                InvestmentEffect::Use(kind, value) | InvestmentEffect::Carbon(kind, value) => {
                    (kind, value, 10.0)
                }
                InvestmentEffect::Makes(kind, value) => (kind, value, MAX_AMOUNT),
            };
            number(report, &here, value, 0.0, most);
            used_resource(report, def, &here, Some(kind));
        }
    }
}
