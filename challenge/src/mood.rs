//! How customers and staff feel: satisfaction and wellbeing, each a score from 0 to
//! 100 that moves halfway towards a target every round, so a good or bad round shows
//! at once but one round does not undo a season. Events then add their points.

use workworlds_content::Challenge;
use workworlds_content::challenge::{Event, EventEffect};

use super::TeamState;
use super::decisions::Levers;
use super::why::{Cause, Driver};

/// The share of the way satisfaction and wellbeing move towards their targets in a
/// round: slow enough that one bad round does not undo a good season.
const SETTLE: f64 = 0.5;
/// The satisfaction that customers settle to when nothing is wrong or special.
const SATISFACTION_TARGET: f64 = 75.0;
/// The wellbeing that staff settle to on comfortable hours at the usual pay.
const WELLBEING_TARGET: f64 = 80.0;

/// Customer satisfaction after the round, with what moved it.
pub(crate) fn satisfaction(
    challenge: &Challenge,
    state: &TeamState,
    levers: &Levers,
    events: &[&Event],
    turned_share: f64,
) -> (f64, Vec<Driver>) {
    let settings = &challenge.business.satisfaction;
    let value_gap =
        (levers.price / challenge.business.demand.reference_price - 1.0).clamp(-1.0, 1.0);
    let staff_mood = (state.wellbeing - 50.0) / 50.0;
    let mut parts = vec![
        Driver::new(
            Cause::Queues,
            -SETTLE * settings.queue_penalty * turned_share,
        ),
        Driver::new(Cause::Value, -SETTLE * settings.value_weight * value_gap),
        Driver::new(
            Cause::StaffMood,
            SETTLE * settings.staff_weight * staff_mood,
        ),
        Driver::new(
            Cause::Settling,
            SETTLE * (SATISFACTION_TARGET - state.satisfaction),
        ),
    ];
    parts.extend(event_points(events, |effect| match effect {
        EventEffect::Satisfaction(points) => Some(*points),
        _ => None,
    }));
    settle(state.satisfaction, parts)
}

/// Staff wellbeing after the round, with what moved it.
pub(crate) fn wellbeing(
    challenge: &Challenge,
    state: &TeamState,
    levers: &Levers,
    events: &[&Event],
    busy: f64,
) -> (f64, Vec<Driver>) {
    let people = &challenge.business.people;
    let extra_hours = (levers.hours - people.comfortable_hours).max(0.0);
    let pay_gap = (levers.wage / people.reference_wage - 1.0).clamp(-1.0, 1.0);
    let mut parts = vec![
        Driver::new(
            Cause::LongHours,
            -SETTLE * people.long_hours_penalty * extra_hours,
        ),
        Driver::new(Cause::Busy, -SETTLE * people.busy_penalty * busy),
        Driver::new(Cause::Pay, SETTLE * people.pay_weight * pay_gap),
        Driver::new(
            Cause::Settling,
            SETTLE * (WELLBEING_TARGET - state.wellbeing),
        ),
    ];
    parts.extend(event_points(events, |effect| match effect {
        EventEffect::Wellbeing(points) => Some(*points),
        _ => None,
    }));
    settle(state.wellbeing, parts)
}

/// A score moved by `parts` and kept within 0 to 100; the keeping is a driver too, so
/// the drivers always add up to the change.
fn settle(old: f64, mut parts: Vec<Driver>) -> (f64, Vec<Driver>) {
    let moved = old + parts.iter().map(|part| part.amount).sum::<f64>();
    let new = moved.clamp(0.0, 100.0);
    if new != moved {
        parts.push(Driver::new(Cause::Limit, new - moved));
    }
    (new, parts)
}

/// Points each event adds, for those that add any.
fn event_points(events: &[&Event], points: impl Fn(&EventEffect) -> Option<f64>) -> Vec<Driver> {
    events
        .iter()
        .filter_map(|event| {
            let total: Option<f64> = event
                .effects
                .iter()
                .filter_map(&points)
                .reduce(|a, b| a + b);
            total.map(|total| Driver::new(Cause::Event(event.id.clone()), total))
        })
        .collect()
}
