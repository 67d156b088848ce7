//! Rows as SQLite gives them, and their checked conversion into the stored types.
//!
//! Reading a row can only fail with a SQLite error, inside rusqlite's row callbacks;
//! decoding it (join codes, postcard BLOBs, ids) fails with a store error, outside them.

use rusqlite::Row;
use serde::Deserialize;
use workworlds_content::ids::QuestId;
use workworlds_content::marking::Mark;
use workworlds_protocol::ids::{JoinCode, PupilCode, PupilId, ResumeToken, TeamId};

use super::{StoreError, StoredAnswer, StoredPupil, StoredSession};
use crate::session::{SessionSetup, SessionTimes};

pub(super) const SELECT_SESSION: &str = "
    SELECT code, teacher, activity, teams, round_seconds, typed_names,
           round, eyes_on_me, lobby_locked, ended,
           created_at_unix_ms, started_at_unix_ms, ended_at_unix_ms
    FROM session";

pub(super) const SELECT_PUPIL: &str =
    "SELECT id, session, name, team, token, removed, record FROM pupil";

pub(super) struct SessionRow {
    code: String,
    teacher: String,
    activity: Vec<u8>,
    teams: u8,
    round_seconds: u32,
    typed_names: bool,
    round: Vec<u8>,
    eyes_on_me: bool,
    lobby_locked: bool,
    ended: bool,
    created_at_unix_ms: Option<i64>,
    started_at_unix_ms: Option<i64>,
    ended_at_unix_ms: Option<i64>,
}

impl SessionRow {
    pub(super) fn read(row: &Row<'_>) -> rusqlite::Result<SessionRow> {
        Ok(SessionRow {
            code: row.get(0)?,
            teacher: row.get(1)?,
            activity: row.get(2)?,
            teams: row.get(3)?,
            round_seconds: row.get(4)?,
            typed_names: row.get(5)?,
            round: row.get(6)?,
            eyes_on_me: row.get(7)?,
            lobby_locked: row.get(8)?,
            ended: row.get(9)?,
            created_at_unix_ms: row.get(10)?,
            started_at_unix_ms: row.get(11)?,
            ended_at_unix_ms: row.get(12)?,
        })
    }

    pub(super) fn decode(self) -> Result<StoredSession, StoreError> {
        let setup = SessionSetup {
            code: join_code(&self.code)?,
            teacher: self.teacher,
            activity: decode("activity", &self.activity)?,
            teams: self.teams,
            round_seconds: self.round_seconds,
            typed_names: self.typed_names,
        };
        Ok(StoredSession {
            setup,
            round: decode("round", &self.round)?,
            eyes_on_me: self.eyes_on_me,
            lobby_locked: self.lobby_locked,
            times: SessionTimes {
                // Sessions stored before these times were kept have none; 0 reads as
                // "unknown" in reports.
                created_at_unix_ms: time(self.created_at_unix_ms)?.unwrap_or(0),
                started_at_unix_ms: time(self.started_at_unix_ms)?,
                // A session ended before end times were kept ended at an unknown time.
                ended_at_unix_ms: match time(self.ended_at_unix_ms)? {
                    None if self.ended => Some(0),
                    at => at,
                },
            },
        })
    }
}

pub(super) struct PupilRow {
    id: i64,
    session: String,
    name: String,
    team: u8,
    token: [u8; 16],
    removed: bool,
    record: Option<String>,
}

impl PupilRow {
    pub(super) fn read(row: &Row<'_>) -> rusqlite::Result<PupilRow> {
        Ok(PupilRow {
            id: row.get(0)?,
            session: row.get(1)?,
            name: row.get(2)?,
            team: row.get(3)?,
            token: row.get(4)?,
            removed: row.get(5)?,
            record: row.get(6)?,
        })
    }

    pub(super) fn decode(self) -> Result<StoredPupil, StoreError> {
        Ok(StoredPupil {
            pupil: PupilId(unsigned(self.id, "pupil id")?),
            session: join_code(&self.session)?,
            name: self.name,
            team: TeamId(self.team),
            token: ResumeToken(self.token),
            removed: self.removed,
            record: self
                .record
                .map(|code| {
                    PupilCode::parse(&code).ok_or(StoreError::Corrupt { what: "pupil code" })
                })
                .transpose()?,
        })
    }
}

pub(super) struct AnswerRow {
    pupil: i64,
    session: String,
    quest: String,
    task: u8,
    answer: Vec<u8>,
    points: u32,
    out_of: u32,
    at_unix_ms: i64,
}

impl AnswerRow {
    pub(super) fn read(row: &Row<'_>) -> rusqlite::Result<AnswerRow> {
        Ok(AnswerRow {
            pupil: row.get(0)?,
            session: row.get(1)?,
            quest: row.get(2)?,
            task: row.get(3)?,
            answer: row.get(4)?,
            points: row.get(5)?,
            out_of: row.get(6)?,
            at_unix_ms: row.get(7)?,
        })
    }

    pub(super) fn decode(self) -> Result<StoredAnswer, StoreError> {
        Ok(StoredAnswer {
            pupil: PupilId(unsigned(self.pupil, "pupil id")?),
            session: join_code(&self.session)?,
            quest: QuestId::new(self.quest),
            task: self.task,
            answer: decode("answer", &self.answer)?,
            mark: Mark {
                points: self.points,
                out_of: self.out_of,
            },
            at_unix_ms: unsigned(self.at_unix_ms, "answer time")?,
        })
    }
}

pub(super) fn decode<T: for<'de> Deserialize<'de>>(
    what: &'static str,
    bytes: &[u8],
) -> Result<T, StoreError> {
    postcard::from_bytes(bytes).map_err(|source| StoreError::Decode { what, source })
}

fn join_code(text: &str) -> Result<JoinCode, StoreError> {
    JoinCode::parse(text).ok_or(StoreError::Corrupt { what: "join code" })
}

fn time(at: Option<i64>) -> Result<Option<u64>, StoreError> {
    at.map(|at| unsigned(at, "time")).transpose()
}

pub(super) fn unsigned(id: i64, what: &'static str) -> Result<u64, StoreError> {
    u64::try_from(id).map_err(|_| StoreError::Corrupt { what })
}
