//! The school's records: a finished class session as a row of the CWRE planning and
//! recording sheet, a class's activities over the year, and which objectives each of a
//! class's pupils has covered, all as CSV a spreadsheet opens as it is.
//!
//! The sheet has one row per activity: its name, the year or group, the staff's
//! initials, a tick for each type of experience (T1–T4) and objective (O1–O6), the
//! date(s) and the hours including preparation and feedback; schools may add columns,
//! and this adds the businesses involved, the number of pupils and the join code.

mod write;

use std::collections::BTreeSet;

use time::OffsetDateTime;
use workworlds_content::curriculum::{ExperienceType, Objective};
use workworlds_content::{Content, Lang};
use workworlds_protocol::ids::JoinCode;
use workworlds_protocol::requests::Activity;

use crate::progress::{Holder, portfolio};
use crate::store::{Store, StoreError, StoredSession};
pub use write::{activities_csv, coverage_csv};

/// Minutes of preparation counted before a session, and of debrief after it, when the
/// teacher does not say: a short lesson starter and plenary.
pub const DEFAULT_PREP_MINUTES: u32 = 15;
pub const DEFAULT_DEBRIEF_MINUTES: u32 = 15;

/// The longest delivery counted for one session, in minutes: a school day. A session
/// left open overnight is not a record of sixteen hours of careers work.
pub const MAX_DELIVERY_MINUTES: u64 = 6 * 60;

/// How a report is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportOptions {
    pub lang: Lang,
    pub prep_minutes: u32,
    pub debrief_minutes: u32,
}

impl Default for ReportOptions {
    fn default() -> ReportOptions {
        ReportOptions {
            lang: Lang::En,
            prep_minutes: DEFAULT_PREP_MINUTES,
            debrief_minutes: DEFAULT_DEBRIEF_MINUTES,
        }
    }
}

/// One row of the planning and recording sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityRow {
    pub activity: String,
    pub year_group: String,
    pub staff: String,
    pub types: BTreeSet<ExperienceType>,
    pub objectives: BTreeSet<Objective>,
    /// As the sheet writes them: `24.03.23`, or `24.03.23–25.03.23` over several days.
    pub dates: String,
    /// Preparation, delivery and debrief, in hours to the quarter.
    pub hours: f64,
    pub businesses: String,
    pub pupils: usize,
    pub session: JoinCode,
}

/// A pupil's minutes towards each objective, for the class coverage view.
#[derive(Clone, Debug, PartialEq)]
pub struct PupilCoverage {
    pub name: String,
    pub pupil_code: String,
    /// Minutes per objective, in the order of [`Objective::ALL`].
    pub minutes: [u32; 6],
}

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no class session {0} in the store")]
    UnknownSession(JoinCode),
    #[error("no class named {0:?}")]
    UnknownClass(String),
    #[error("cannot write the CSV")]
    Csv(#[from] csv::Error),
}

/// The sheet's row for the session `code`.
pub fn session_row(
    store: &Store,
    content: &Content,
    code: &JoinCode,
    options: ReportOptions,
) -> Result<ActivityRow, ReportError> {
    let stored = store
        .session(code)?
        .ok_or_else(|| ReportError::UnknownSession(code.clone()))?;
    let pupils = store.pupils(code)?;

    let mut year_groups = BTreeSet::new();
    for pupil in &pupils {
        let Some(record) = &pupil.record else {
            continue;
        };
        if let Some(class) = store
            .record(record)?
            .and_then(|record| store.class(&record.class).ok().flatten())
        {
            year_groups.insert(class.year_group);
        }
    }

    let (activity, businesses, mut types, mut objectives) =
        describe(content, &stored.setup.activity, options.lang);
    // A sector-world visit covers what its pupils' quests covered.
    if let Activity::World(_) = &stored.setup.activity {
        for pupil in &pupils {
            let holder = Holder::Pupil {
                pupil: pupil.pupil,
                session: code.clone(),
            };
            for done in portfolio(store, content, &holder)?.quests {
                if let Some(quest) = content.quests.get(&done.quest) {
                    types.insert(quest.experience);
                    objectives.extend(quest.objectives.iter().copied());
                }
            }
        }
    }

    Ok(ActivityRow {
        activity,
        year_group: year_groups.into_iter().collect::<Vec<_>>().join(" / "),
        staff: store.teacher_initials(&stored.setup.teacher)?,
        types,
        objectives,
        dates: dates(&stored),
        hours: hours(&stored, options),
        businesses,
        pupils: pupils.len(),
        session: code.clone(),
    })
}

/// Every session in which a pupil of `class` took part, oldest first.
pub fn class_rows(
    store: &Store,
    content: &Content,
    class: &str,
    options: ReportOptions,
) -> Result<Vec<ActivityRow>, ReportError> {
    if store.class(class)?.is_none() {
        return Err(ReportError::UnknownClass(class.to_owned()));
    }
    let mut sessions = BTreeSet::new();
    for record in store.class_records(class)? {
        for (_, session) in store.record_pupils(&record.code)? {
            sessions.insert(session);
        }
    }
    let mut rows = Vec::new();
    for session in sessions {
        let created = store
            .session(&session)?
            .map_or(0, |stored| stored.times.created_at_unix_ms);
        rows.push((created, session_row(store, content, &session, options)?));
    }
    rows.sort_by(|(a, row_a), (b, row_b)| (a, &row_a.session).cmp(&(b, &row_b.session)));
    Ok(rows.into_iter().map(|(_, row)| row).collect())
}

/// Each pupil of `class` with their minutes towards every objective.
pub fn class_coverage(
    store: &Store,
    content: &Content,
    class: &str,
) -> Result<Vec<PupilCoverage>, ReportError> {
    if store.class(class)?.is_none() {
        return Err(ReportError::UnknownClass(class.to_owned()));
    }
    let mut coverage = Vec::new();
    for record in store.class_records(class)? {
        let progress = portfolio(store, content, &Holder::Record(record.code.clone()))?;
        let mut minutes = [0; 6];
        for (objective, spent) in progress.objective_minutes {
            if let Some(index) = Objective::ALL.iter().position(|o| *o == objective) {
                minutes[index] = spent;
            }
        }
        coverage.push(PupilCoverage {
            name: record.name,
            pupil_code: record.code.to_string(),
            minutes,
        });
    }
    Ok(coverage)
}

/// The activity's name, the businesses involved, and the types and objectives the
/// content gives it.
fn describe(
    content: &Content,
    activity: &Activity,
    lang: Lang,
) -> (
    String,
    String,
    BTreeSet<ExperienceType>,
    BTreeSet<Objective>,
) {
    match activity {
        Activity::Challenge(id) => match content.challenges.get(id) {
            Some(challenge) => {
                let title = challenge.title.get(lang).to_owned();
                (
                    title.clone(),
                    simulated(&title, lang),
                    BTreeSet::from([challenge.experience]),
                    challenge.objectives.iter().copied().collect(),
                )
            }
            None => (
                id.to_string(),
                String::new(),
                BTreeSet::new(),
                BTreeSet::new(),
            ),
        },
        Activity::World(id) => match content.sectors.get(id) {
            Some(sector) => {
                let name = sector.name.get(lang).to_owned();
                let activity = match lang {
                    Lang::En => format!("Work Worlds visit: {name}"),
                    Lang::Cy => format!("Ymweliad Bydoedd Gwaith: {name}"),
                };
                (
                    activity,
                    simulated(&name, lang),
                    BTreeSet::new(),
                    BTreeSet::new(),
                )
            }
            None => (
                id.to_string(),
                String::new(),
                BTreeSet::new(),
                BTreeSet::new(),
            ),
        },
    }
}

fn simulated(name: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{name} (simulated)"),
        Lang::Cy => format!("{name} (efelychiad)"),
    }
}

/// The session's day, or first and last day, as `dd.mm.yy`.
fn dates(stored: &StoredSession) -> String {
    let (start, end) = span_unix_ms(stored);
    let first = day(start);
    let last = day(end);
    if first == last {
        first
    } else {
        format!("{first}–{last}")
    }
}

fn day(unix_ms: u64) -> String {
    let seconds = i64::try_from(unix_ms / 1000).unwrap_or(i64::MAX);
    match OffsetDateTime::from_unix_timestamp(seconds) {
        Ok(at) => format!(
            "{:02}.{:02}.{:02}",
            at.day(),
            u8::from(at.month()),
            at.year().rem_euclid(100)
        ),
        Err(_) => String::new(),
    }
}

/// From the first round's start (or the session's making) to its end (or its last
/// stored change, for a session not yet ended: its making).
fn span_unix_ms(stored: &StoredSession) -> (u64, u64) {
    let times = stored.times;
    let start = times.started_at_unix_ms.unwrap_or(times.created_at_unix_ms);
    let end = times.ended_at_unix_ms.unwrap_or(start).max(start);
    (start, end)
}

/// Preparation, delivery (capped at a school day) and debrief, in hours to the quarter.
fn hours(stored: &StoredSession, options: ReportOptions) -> f64 {
    let (start, end) = span_unix_ms(stored);
    let delivery = ((end - start) / 60_000).min(MAX_DELIVERY_MINUTES);
    let minutes = delivery + u64::from(options.prep_minutes) + u64::from(options.debrief_minutes);
    // Whole quarters, rounded to the nearest: the sheet's precision.
    let quarters = (minutes + 7) / 15;
    quarters as f64 / 4.0
}

#[cfg(test)]
mod tests;
