//! Energy, fuel and materials: how much of each resource a round uses, what it costs
//! and the carbon it gives off, after working investments and events have changed it.
//!
//! A resource's use is `per_round + per_open_hour * hours + per_customer *
//! customers`, times every `Use` factor of investments and events, less what
//! investments make on site (never below nothing). Its carbon is that times the
//! emission factor and every `Carbon` factor. For "why", the carbon is also kept as a
//! product of factors, one per cause, so a change can be shared among them.

use serde::{Deserialize, Serialize};
use workworlds_content::Challenge;
use workworlds_content::challenge::{Event, EventEffect, Investment, InvestmentEffect, Resource};

use super::model::{CostItem, Emission, event_effects, pence};
use super::why::Cause;

/// What a round's resources came to.
pub(crate) struct Used {
    /// A cost line for each resource, in the challenge's order.
    pub(crate) costs: Vec<(CostItem, i64)>,
    pub(crate) emissions: Vec<Emission>,
    pub(crate) carbon: Vec<ResourceCarbon>,
}

/// One resource's carbon and the factors it is the product of, with its emission
/// factor left out (it does not change between rounds).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct ResourceCarbon {
    pub(crate) resource: Resource,
    pub(crate) kg: f64,
    pub(crate) factors: Vec<(Cause, f64)>,
}

/// Works out every resource the business uses in a round.
pub(crate) fn used(
    challenge: &Challenge,
    working: &[&Investment],
    events: &[&Event],
    open_hours: f64,
    customers: u64,
) -> Used {
    let business = &challenge.business;
    let mut carbon = Vec::with_capacity(business.resources.len());
    let mut emissions = Vec::with_capacity(business.resources.len());
    let mut costs = Vec::with_capacity(business.resources.len());
    for resource in &business.resources {
        let kind = resource.kind;
        let activity = resource.per_round
            + resource.per_open_hour * open_hours
            + resource.per_customer * customers as f64;
        let changes = InvestmentChanges::of(working, kind);
        let event_use: f64 = event_effects(events, |effect| match effect {
            EventEffect::Use(affected, factor) if *affected == kind => Some(*factor),
            _ => None,
        })
        .product();
        let event_price: f64 = event_effects(events, |effect| match effect {
            EventEffect::Price(affected, factor) if *affected == kind => Some(*factor),
            _ => None,
        })
        .product();
        let wanted = activity * changes.use_factor * event_use;
        let amount = (wanted - changes.made).max(0.0);
        let factor = challenge
            .factor(&resource.factor)
            .map_or(0.0, |factor| factor.kg_co2e);
        let kg = amount * factor * changes.carbon_factor;

        costs.push((
            CostItem::Resource(kind),
            pence(amount * resource.price * event_price),
        ));
        let mut factors = vec![(Cause::Activity(kind), activity)];
        factors.extend(changes.factors(wanted));
        factors.extend(event_use_factors(events, kind));
        carbon.push(ResourceCarbon {
            resource: kind,
            kg,
            factors,
        });
        emissions.push(Emission {
            resource: kind,
            amount,
            kg,
        });
    }
    Used {
        costs,
        emissions,
        carbon,
    }
}

/// What the working investments do to one resource.
struct InvestmentChanges<'a> {
    /// Each investment that changes the resource, with the product of its `Use` and
    /// `Carbon` factors and the units it makes.
    each: Vec<(&'a Investment, f64, f64)>,
    use_factor: f64,
    carbon_factor: f64,
    /// Units made on site in all.
    made: f64,
}

impl<'a> InvestmentChanges<'a> {
    fn of(working: &[&'a Investment], kind: Resource) -> InvestmentChanges<'a> {
        let mut changes = InvestmentChanges {
            each: Vec::new(),
            use_factor: 1.0,
            carbon_factor: 1.0,
            made: 0.0,
        };
        for &investment in working {
            let (mut factor, mut made, mut touches) = (1.0, 0.0, false);
            for effect in &investment.effects {
                match *effect {
                    InvestmentEffect::Use(affected, by) if affected == kind => {
                        changes.use_factor *= by;
                        factor *= by;
                    }
                    InvestmentEffect::Carbon(affected, by) if affected == kind => {
                        changes.carbon_factor *= by;
                        factor *= by;
                    }
                    InvestmentEffect::Makes(affected, units) if affected == kind => made += units,
                    _ => continue,
                }
                touches = true;
            }
            if touches {
                changes.made += made;
                changes.each.push((investment, factor, made));
            }
        }
        changes
    }

    /// Each investment as a factor of the resource's carbon. What is made on site
    /// takes a share of the amount `wanted` off; that share is a factor too, split
    /// between the investments that make it by how much each makes, so the factors'
    /// product is still the carbon.
    fn factors(&self, wanted: f64) -> Vec<(Cause, f64)> {
        let kept = if self.made > 0.0 && wanted > 0.0 {
            (wanted - self.made).max(0.0) / wanted
        } else {
            1.0
        };
        self.each
            .iter()
            .map(|&(investment, factor, made)| {
                let share = if self.made > 0.0 {
                    made / self.made
                } else {
                    0.0
                };
                let making = if share > 0.0 { kept.powf(share) } else { 1.0 };
                (Cause::Investment(investment.id.clone()), factor * making)
            })
            .collect()
    }
}

/// How each event changes the use of `kind`, for those that do.
fn event_use_factors(events: &[&Event], kind: Resource) -> Vec<(Cause, f64)> {
    events
        .iter()
        .filter_map(|event| {
            let factor = event
                .effects
                .iter()
                .filter_map(|effect| match *effect {
                    EventEffect::Use(affected, factor) if affected == kind => Some(factor),
                    _ => None,
                })
                .reduce(|a, b| a * b);
            factor.map(|factor| (Cause::Event(event.id.clone()), factor))
        })
        .collect()
}
