use workworlds_content::ids::SectorId;

use super::*;
use crate::session::SessionSetup;
use crate::store::StoredRound;

/// 24 March 2023, 09:00 UTC, in milliseconds since the Unix epoch.
const MORNING: u64 = 1_679_648_400_000;
const MINUTE: u64 = 60_000;

fn session(times: crate::session::SessionTimes) -> StoredSession {
    StoredSession {
        setup: SessionSetup {
            code: JoinCode::parse("ABCDEF").unwrap(),
            teacher: "Ms Lewis".into(),
            activity: Activity::World(SectorId::new("energy")),
            teams: 2,
            round_seconds: 300,
            typed_names: false,
        },
        round: StoredRound::NotStarted,
        eyes_on_me: false,
        lobby_locked: false,
        times,
    }
}

fn ran(minutes: u64) -> StoredSession {
    session(crate::session::SessionTimes {
        created_at_unix_ms: MORNING - 5 * MINUTE,
        started_at_unix_ms: Some(MORNING),
        ended_at_unix_ms: Some(MORNING + minutes * MINUTE),
    })
}

#[test]
fn dates_are_written_as_the_sheet_writes_them() {
    assert_eq!(dates(&ran(50)), "24.03.23");
    assert_eq!(dates(&ran(24 * 60)), "24.03.23–25.03.23");
}

#[test]
fn hours_add_preparation_and_debrief_to_the_quarter() {
    let options = ReportOptions::default();
    // 50 minutes + 15 + 15 = 80 minutes: 1.25 hours to the nearest quarter.
    assert!((hours(&ran(50), options) - 1.25).abs() < f64::EPSILON);
    let none = ReportOptions {
        prep_minutes: 0,
        debrief_minutes: 0,
        ..options
    };
    assert!((hours(&ran(60), none) - 1.0).abs() < f64::EPSILON);
    // A session left open overnight counts a school day, not the night.
    let overnight = hours(&ran(18 * 60), none);
    assert!((overnight - 6.0).abs() < f64::EPSILON, "{overnight}");
}

#[test]
fn a_session_never_started_counts_from_when_it_was_made() {
    let made = session(crate::session::SessionTimes {
        created_at_unix_ms: MORNING,
        started_at_unix_ms: None,
        ended_at_unix_ms: Some(MORNING + 30 * MINUTE),
    });
    assert_eq!(dates(&made), "24.03.23");
    let none = ReportOptions {
        prep_minutes: 0,
        debrief_minutes: 0,
        ..ReportOptions::default()
    };
    assert!((hours(&made, none) - 0.5).abs() < f64::EPSILON);
}
