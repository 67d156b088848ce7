//! Why each measure changed: for customers, cash, satisfaction, wellbeing and carbon,
//! the drivers of the change since last round, as causes with amounts that add up to
//! the change. The client turns them into plain words in either language with
//! [`explain`], showing the biggest first.
//!
//! Cash, satisfaction and wellbeing are sums, so their drivers are their terms.
//! Customers and carbon are products of factors (a season times a price effect
//! times ...), so a change is shared between the factors in proportion to the change
//! in each factor's logarithm: the one way to split a product's change that adds up
//! and does not depend on the order the factors are taken in.

use serde::{Deserialize, Serialize};
use workworlds_content::challenge::Resource;
use workworlds_content::{Challenge, Text};

use super::model::{Accounts, CostItem, Snapshot};
use super::resources::ResourceCarbon;
use super::score::pounds_text;

/// Factors at or below this count as this, so that a factor of zero (an electric van
/// using no diesel) can still take its share of a change.
const SMALLEST_FACTOR: f64 = 1e-12;

/// A measure of a round that teams see change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Measure {
    /// Customers served.
    Customers,
    /// Cash in the bank, in pence.
    Cash,
    /// Customer satisfaction, in points.
    Satisfaction,
    /// Staff wellbeing, in points.
    Wellbeing,
    /// Carbon given off in the round, in kgCO2e.
    Carbon,
}

/// What moved a measure.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Cause {
    /// The time of year (the challenge's season).
    Season,
    /// The team's price.
    Price,
    /// The team's marketing.
    Marketing,
    /// Last round's customer satisfaction.
    Reputation,
    /// Chance.
    Luck,
    /// How many the staff could serve.
    Capacity,
    /// Sales.
    Revenue,
    /// A line of costs.
    Cost(CostItem),
    /// Investments bought.
    Investments,
    /// Money borrowed.
    Loans,
    /// Loans paid back.
    Repayments,
    /// Customers turned away.
    Queues,
    /// Value for money.
    Value,
    /// How the staff feel.
    StaffMood,
    /// Drifting back towards the usual.
    Settling,
    /// Hours beyond the comfortable.
    LongHours,
    /// More customers than staff could serve.
    Busy,
    /// Pay against the usual.
    Pay,
    /// The score reaching 0 or 100.
    Limit,
    /// How much of a resource was used before investments and events changed it.
    Activity(Resource),
    /// A working investment, by id.
    Investment(String),
    /// An event, by id.
    Event(String),
}

/// One cause and how much of a change it made, in the measure's unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Driver {
    pub cause: Cause,
    pub amount: f64,
}

impl Driver {
    pub(crate) fn new(cause: Cause, amount: f64) -> Driver {
        Driver { cause, amount }
    }
}

/// A measure's change since last round (since the start, in the first round) and its
/// drivers, biggest first; the amounts add up to the change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub measure: Measure,
    pub change: f64,
    pub drivers: Vec<Driver>,
}

/// Customers served: demand's change shared among its factors, less the change in
/// customers turned away. The first round is measured from an ordinary round at the
/// usual price.
pub(crate) fn customers(
    previous: Option<&Snapshot>,
    base_demand: f64,
    factors: &[(Cause, f64)],
    demand: u64,
    turned_away: u64,
) -> Reason {
    let (before, before_demand, before_turned) = match previous {
        Some(snapshot) => (
            &snapshot.demand_factors[..],
            snapshot.demand,
            snapshot.turned_away,
        ),
        None => (&[][..], base_demand.round() as u64, 0),
    };
    let demand_change = demand as f64 - before_demand as f64;
    let mut drivers = attribute(demand_change, before, factors, Cause::Luck);
    drivers.push(Driver::new(
        Cause::Capacity,
        -(turned_away as f64 - before_turned as f64),
    ));
    let served = (demand - turned_away) as f64;
    let served_before = (before_demand - before_turned.min(before_demand)) as f64;
    reason(Measure::Customers, served - served_before, drivers)
}

/// Cash: every line of the accounts.
pub(crate) fn cash(accounts: &Accounts) -> Reason {
    let mut drivers = vec![Driver::new(Cause::Revenue, accounts.revenue as f64)];
    for &(item, amount) in &accounts.costs {
        drivers.push(Driver::new(Cause::Cost(item), -(amount as f64)));
    }
    drivers.push(Driver::new(
        Cause::Investments,
        -(accounts.investments as f64),
    ));
    drivers.push(Driver::new(Cause::Loans, accounts.loans as f64));
    drivers.push(Driver::new(
        Cause::Repayments,
        -(accounts.repayments as f64),
    ));
    reason(
        Measure::Cash,
        (accounts.closing - accounts.opening) as f64,
        drivers,
    )
}

/// A score moved by a sum of parts.
pub(crate) fn settled(measure: Measure, parts: Vec<Driver>) -> Reason {
    let change = parts.iter().map(|part| part.amount).sum();
    reason(measure, change, parts)
}

/// Carbon: each resource's change shared among its factors. The first round is
/// measured from nothing, so all of it is the resources used.
pub(crate) fn carbon(previous: Option<&Snapshot>, now: &[ResourceCarbon]) -> Reason {
    let total: f64 = now.iter().map(|resource| resource.kg).sum();
    let Some(previous) = previous else {
        let drivers = now
            .iter()
            .map(|resource| Driver::new(Cause::Activity(resource.resource), resource.kg))
            .collect();
        return reason(Measure::Carbon, total, drivers);
    };
    let before_total: f64 = previous.carbon.iter().map(|resource| resource.kg).sum();
    let mut drivers = Vec::new();
    for resource in now {
        let before = previous
            .carbon
            .iter()
            .find(|earlier| earlier.resource == resource.resource);
        let (before_kg, before_factors) =
            before.map_or((0.0, &[][..]), |earlier| (earlier.kg, &earlier.factors[..]));
        drivers.extend(attribute(
            resource.kg - before_kg,
            before_factors,
            &resource.factors,
            Cause::Activity(resource.resource),
        ));
    }
    reason(Measure::Carbon, total - before_total, drivers)
}

/// Shares `change` among factors by the change in their logarithms. A factor missing
/// on one side counts as 1 there; when the factors did not move at all, the whole
/// change goes to `fallback`.
fn attribute(
    change: f64,
    before: &[(Cause, f64)],
    after: &[(Cause, f64)],
    fallback: Cause,
) -> Vec<Driver> {
    if change == 0.0 {
        return Vec::new();
    }
    let value = |factors: &[(Cause, f64)], cause: &Cause| {
        factors
            .iter()
            .find(|(c, _)| c == cause)
            .map_or(1.0, |&(_, factor)| factor)
            .max(SMALLEST_FACTOR)
            .ln()
    };
    let mut causes: Vec<&Cause> = Vec::with_capacity(after.len() + before.len());
    for (cause, _) in after.iter().chain(before) {
        if !causes.contains(&cause) {
            causes.push(cause);
        }
    }
    let weights: Vec<f64> = causes
        .iter()
        .map(|cause| value(after, cause) - value(before, cause))
        .collect();
    let total: f64 = weights.iter().sum();
    if !total.is_finite() || total.abs() < 1e-12 {
        return vec![Driver::new(fallback, change)];
    }
    causes
        .into_iter()
        .zip(weights)
        .map(|(cause, weight)| Driver::new(cause.clone(), change * weight / total))
        .collect()
}

/// A reason with its drivers merged by cause, the negligible left out, biggest first.
fn reason(measure: Measure, change: f64, drivers: Vec<Driver>) -> Reason {
    let mut merged: Vec<Driver> = Vec::with_capacity(drivers.len());
    for driver in drivers {
        match merged.iter_mut().find(|m| m.cause == driver.cause) {
            Some(existing) => existing.amount += driver.amount,
            None => merged.push(driver),
        }
    }
    merged.retain(|driver| driver.amount.abs() > 1e-9);
    merged.sort_by(|a, b| b.amount.abs().total_cmp(&a.amount.abs()));
    Reason {
        measure,
        change,
        drivers: merged,
    }
}

/// A driver in plain words, in both languages: "Meals: 40 more, because of your
/// price." Amounts are rounded as a pupil reads them.
pub fn explain(challenge: &Challenge, measure: Measure, driver: &Driver) -> Text {
    let head = change_words(challenge, measure, driver.amount);
    let cause = cause_words(challenge, &driver.cause);
    Text::new(
        format!("{}, because of {}.", head.en, cause.en),
        format!("{}, oherwydd {}.", head.cy, cause.cy),
    )
}

/// "Meals: 40 more" or "Cash: £12.50 less".
fn change_words(challenge: &Challenge, measure: Measure, amount: f64) -> Text {
    let up = amount >= 0.0;
    let size = amount.abs();
    let (more, less) = (("more", "yn fwy"), ("less", "yn llai"));
    match measure {
        Measure::Customers => {
            let customers = &challenge.business.customers;
            let (en, cy) = if up { more } else { ("fewer", "yn llai") };
            Text::new(
                format!("{}: {size:.0} {en}", capitalised(&customers.en)),
                format!("{}: {size:.0} {cy}", capitalised(&customers.cy)),
            )
        }
        Measure::Cash => {
            let money = pounds_text(size.round() as i64, challenge.primary);
            let (en, cy) = if up { more } else { less };
            Text::new(
                format!("Cash: {money} {en}"),
                format!("Arian: {money} {cy}"),
            )
        }
        Measure::Satisfaction | Measure::Wellbeing => {
            let (name_en, name_cy) = if measure == Measure::Satisfaction {
                ("Customer satisfaction", "Bodlonrwydd cwsmeriaid")
            } else {
                ("Staff wellbeing", "Llesiant staff")
            };
            let (en, cy) = if up {
                ("up", "i fyny")
            } else {
                ("down", "i lawr")
            };
            Text::new(
                format!("{name_en}: {size:.1} points {en}"),
                format!("{name_cy}: {size:.1} pwynt {cy}"),
            )
        }
        Measure::Carbon => {
            let (en, cy) = if up { more } else { less };
            Text::new(
                format!("Carbon: {size:.0} kg {en}"),
                format!("Carbon: {size:.0} kg {cy}"),
            )
        }
    }
}

/// What follows "because of" and "oherwydd". Welsh mutations after a preposition are
/// written out in full, so no word from a content file follows one.
fn cause_words(challenge: &Challenge, cause: &Cause) -> Text {
    let words = |en: &str, cy: &str| Text::new(en, cy);
    match cause {
        Cause::Season => words("the time of year", "adeg y flwyddyn"),
        Cause::Price => words("your price", "eich pris"),
        Cause::Marketing => words("your marketing", "eich marchnata"),
        Cause::Reputation => words("your reputation", "eich enw da"),
        Cause::Luck => words("luck", "lwc"),
        Cause::Capacity => words(
            "how many your staff could serve",
            "faint y gallai eich staff eu gwasanaethu",
        ),
        Cause::Revenue => words("sales", "gwerthiant"),
        Cause::Cost(item) => cost_words(*item),
        Cause::Investments => words("buying investments", "prynu buddsoddiadau"),
        Cause::Loans => words("borrowing", "benthyca"),
        Cause::Repayments => words("paying back loans", "ad-dalu benthyciadau"),
        Cause::Queues => words("customers being turned away", "troi cwsmeriaid i ffwrdd"),
        Cause::Value => words("value for money", "gwerth am arian"),
        Cause::StaffMood => words("how your staff feel", "sut mae eich staff yn teimlo"),
        Cause::Settling => words(
            "things settling back to normal",
            "pethau'n setlo'n ôl i'r arfer",
        ),
        Cause::LongHours => words("long hours", "oriau hir"),
        Cause::Busy => words("being too busy", "bod yn rhy brysur"),
        Cause::Pay => words("their pay", "eu cyflog"),
        Cause::Limit => words(
            "the score reaching its limit",
            "y sgôr yn cyrraedd ei derfyn",
        ),
        Cause::Activity(resource) => match resource {
            Resource::Electricity => words("the electricity used", "y trydan a ddefnyddiwyd"),
            Resource::Gas => words("the gas burnt", "y nwy a losgwyd"),
            Resource::Fuel => words("the fuel burnt", "y tanwydd a losgwyd"),
            Resource::Materials => words("the materials bought", "y deunyddiau a brynwyd"),
        },
        Cause::Investment(id) => challenge
            .net_zero
            .iter()
            .flat_map(|net_zero| &net_zero.investments)
            .find(|investment| &investment.id == id)
            .map_or_else(|| words(id, id), |investment| investment.name.clone()),
        Cause::Event(id) => challenge
            .events
            .iter()
            .find(|event| &event.id == id)
            .map_or_else(|| words(id, id), |event| event.name.clone()),
    }
}

fn cost_words(item: CostItem) -> Text {
    let words = |en: &str, cy: &str| Text::new(en, cy);
    match item {
        CostItem::Wages => words("wages", "cyflogau"),
        CostItem::FixedCosts => words(
            "rent and other fixed costs",
            "rhent a chostau sefydlog eraill",
        ),
        CostItem::Marketing => words("spending on marketing", "gwario ar farchnata"),
        CostItem::Resource(Resource::Electricity) => {
            words("paying for electricity", "talu am drydan")
        }
        CostItem::Resource(Resource::Gas) => words("paying for gas", "talu am nwy"),
        CostItem::Resource(Resource::Fuel) => words("paying for fuel", "talu am danwydd"),
        CostItem::Resource(Resource::Materials) => {
            words("paying for materials", "talu am ddeunyddiau")
        }
        CostItem::Supplies => words("supplies for each customer", "cyflenwadau i bob cwsmer"),
        CostItem::Interest => words("interest", "llog"),
        CostItem::Events => words("the cost of what happened", "cost yr hyn a ddigwyddodd"),
        CostItem::Running => words("running your investments", "cynnal eich buddsoddiadau"),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_products_change_is_shared_by_its_factors_and_adds_up() {
        let before = [(Cause::Season, 1.0), (Cause::Price, 1.0)];
        let after = [(Cause::Season, 2.0), (Cause::Price, 0.5)];
        // 100 * 2 * 0.5 = 100: the season doubled it, the price halved it.
        let drivers = attribute(0.0, &before, &after, Cause::Luck);
        assert!(drivers.is_empty());

        let after = [(Cause::Season, 2.0), (Cause::Price, 1.0)];
        let drivers = attribute(100.0, &before, &after, Cause::Luck);
        assert_eq!(drivers[0], Driver::new(Cause::Season, 100.0));
        assert_eq!(drivers[1].amount, 0.0);
    }

    #[test]
    fn a_factor_that_falls_to_zero_takes_the_fall() {
        let before = [(Cause::Activity(Resource::Fuel), 100.0)];
        let after = [
            (Cause::Activity(Resource::Fuel), 100.0),
            (Cause::Investment("electric-van".into()), 0.0),
        ];
        let drivers = attribute(-250.0, &before, &after, Cause::Luck);
        let total: f64 = drivers.iter().map(|d| d.amount).sum();
        assert!((total + 250.0).abs() < 1e-9);
        let van = drivers
            .iter()
            .find(|d| d.cause == Cause::Investment("electric-van".into()))
            .unwrap();
        assert!((van.amount + 250.0).abs() < 1e-9);
    }
}
