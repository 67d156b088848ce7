//! The server's store: one SQLite file in the data folder holding teachers, class
//! sessions, pupils and every answer, so a restarted server picks its classes up again.
//!
//! Whatever the server acknowledged is durable: the file is in WAL mode with
//! `synchronous = FULL`, so a write that returned has reached the disk before the pupil
//! is told it counted. The schema and its migrations live in [`schema`].
//!
//! Answers may hold a pupil's reflection, which is their own free text: nothing here logs
//! an answer, and the errors never carry one.

mod answers;
mod challenge;
mod erase;
mod records;
mod rows;
mod schema;
mod teachers;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, ErrorCode, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use tracing::{info, warn};
use workworlds_protocol::ids::{JoinCode, PupilCode, PupilId, ResumeToken, TeamId};

use crate::session::{ClassSession, Round, SessionSetup, SessionTimes};
pub use answers::StoredAnswer;
pub use erase::{Erased, RecordExport};
pub use records::{StoredAward, StoredClass, StoredRecord, StoredReflection};
use rows::{PupilRow, SELECT_PUPIL, SELECT_SESSION, SessionRow};
pub use teachers::verify_password;

/// The store's file name inside the data folder.
pub const DB_FILE: &str = "workworlds.sqlite3";

/// How long a write waits, in milliseconds, for another connection (such as a technician
/// with the `sqlite3` shell open) to let go of the file before failing.
const BUSY_TIMEOUT_MS: u64 = 5_000;

/// The length of a password salt, in bytes: the 16 the PHC format recommends.
const SALT_BYTES: usize = 16;

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the data folder {}", path.display())]
    DataFolder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write in the data folder {}", path.display())]
    NotWritable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open the store {}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{} is not a Work Worlds store", path.display())]
    NotAStore { path: PathBuf },
    #[error(
        "{} was written by a newer Work Worlds (schema {found}, this server knows up to {known})",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    #[error("store database error")]
    Database(#[from] rusqlite::Error),
    #[error("a teacher named {0:?} already exists")]
    TeacherExists(String),
    #[error("cannot hash the password: {0}")]
    Hash(argon2::password_hash::Error),
    #[error("no class session {0} in the store")]
    UnknownSession(JoinCode),
    #[error("no pupil {} in the store", .0.0)]
    UnknownPupil(PupilId),
    #[error("another pupil already has this resume token")]
    TokenInUse,
    #[error("the {what} is too large to store")]
    TooLarge { what: &'static str },
    #[error("cannot encode the {what}")]
    Encode {
        what: &'static str,
        #[source]
        source: postcard::Error,
    },
    #[error("a class named {0:?} already exists")]
    ClassExists(String),
    #[error("no class named {0:?}")]
    UnknownClass(String),
    #[error("no pupil has the code {0}")]
    UnknownRecord(workworlds_protocol::ids::PupilCode),
    #[error("the pupil is in class session {0}, which is still open: end it first")]
    RecordInOpenSession(JoinCode),
    #[error("a stored {what} is corrupt")]
    Corrupt { what: &'static str },
    #[error("a stored {what} cannot be decoded")]
    Decode {
        what: &'static str,
        #[source]
        source: postcard::Error,
    },
}

/// A round as stored: a running round keeps its end as wall-clock time (Unix ms), because
/// the monotonic clock of the process that saved it means nothing after a restart.
///
/// Stored with postcard, which numbers variants by position: new variants go at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StoredRound {
    NotStarted,
    Running { number: u32, ends_at_unix_ms: u64 },
    Paused { number: u32, remaining_ms: u64 },
    Ended { number: u32 },
}

impl StoredRound {
    /// The round to store, given the time now on the session's monotonic clock and on the
    /// wall clock.
    pub fn from_round(round: Round, now_ms: u64, now_unix_ms: u64) -> StoredRound {
        match round {
            Round::NotStarted => StoredRound::NotStarted,
            Round::Running { number, ends_at_ms } => StoredRound::Running {
                number,
                ends_at_unix_ms: now_unix_ms.saturating_add(ends_at_ms.saturating_sub(now_ms)),
            },
            Round::Paused {
                number,
                remaining_ms,
            } => StoredRound::Paused {
                number,
                remaining_ms,
            },
            Round::Ended { number } => StoredRound::Ended { number },
        }
    }

    /// The stored round on this process's monotonic clock, as it stood at wall-clock time
    /// `now_unix_ms` (after a restart: when the server stopped, so the time it was down
    /// is not taken from the round). A running round whose end has passed comes back
    /// ending now, so the session sees it as over at its next tick.
    pub fn to_round(self, now_ms: u64, now_unix_ms: u64) -> Round {
        match self {
            StoredRound::NotStarted => Round::NotStarted,
            StoredRound::Running {
                number,
                ends_at_unix_ms,
            } => Round::Running {
                number,
                ends_at_ms: now_ms.saturating_add(ends_at_unix_ms.saturating_sub(now_unix_ms)),
            },
            StoredRound::Paused {
                number,
                remaining_ms,
            } => Round::Paused {
                number,
                remaining_ms,
            },
            StoredRound::Ended { number } => Round::Ended { number },
        }
    }
}

/// A class session as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSession {
    pub setup: SessionSetup,
    pub round: StoredRound,
    pub eyes_on_me: bool,
    pub lobby_locked: bool,
    /// When it was made, first started and ended. An ended session is kept for its
    /// answers and records but not reopened after a restart.
    pub times: SessionTimes,
}

impl StoredSession {
    /// A session as the store keeps it, at `now_ms` on the session's monotonic clock
    /// and `now_unix_ms` on the wall clock.
    pub fn of(session: &ClassSession, now_ms: u64, now_unix_ms: u64) -> StoredSession {
        StoredSession {
            setup: session.setup().clone(),
            round: StoredRound::from_round(*session.round(), now_ms, now_unix_ms),
            eyes_on_me: session.eyes_on_me(),
            lobby_locked: session.lobby_locked(),
            times: session.times(),
        }
    }

    pub fn ended(&self) -> bool {
        self.times.ended_at_unix_ms.is_some()
    }
}

/// A pupil as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPupil {
    pub pupil: PupilId,
    pub session: JoinCode,
    pub name: String,
    pub team: TeamId,
    pub token: ResumeToken,
    pub removed: bool,
    /// The pupil's lasting record, when they joined with a pupil code.
    pub record: Option<PupilCode>,
}

/// The open store. One per server: SQLite serialises writers, and one connection keeps
/// every acknowledged write in the order it was made.
pub struct Store {
    conn: Connection,
}

/// The wall-clock time now, in milliseconds since the Unix epoch; 0 if the clock is set
/// before 1970, which only a broken clock is.
pub fn unix_ms_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
        })
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir` (creating the folder too). A
    /// folder that cannot be created or written, or a file that is not a Work Worlds
    /// store, is a clear error naming the path; nothing half-made is left behind.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        let first_made = first_missing_ancestor(data_dir);
        fs::create_dir_all(data_dir).map_err(|source| StoreError::DataFolder {
            path: data_dir.to_owned(),
            source,
        })?;
        let path = data_dir.join(DB_FILE);
        let file_existed = path.exists();

        let opened = check_writable(data_dir).and_then(|()| Store::open_file(&path));
        if opened.is_err() {
            // Only what this call made is removed: a file that was there before may be
            // someone's data, however unlike a store it looks.
            if !file_existed {
                remove_database_files(&path);
            }
            if let Some(first_made) = first_made {
                remove_made_folders(data_dir, &first_made);
            }
        }
        opened
    }

    fn open_file(path: &Path) -> Result<Store, StoreError> {
        let failed = |source| open_error(path, source);
        let mut conn = Connection::open(path).map_err(failed)?;

        let version = match schema::identify(&conn).map_err(failed)? {
            schema::Identity::Fresh => 0,
            schema::Identity::Store { version } => version,
            schema::Identity::Foreign => {
                return Err(StoreError::NotAStore {
                    path: path.to_owned(),
                });
            }
        };
        let known = schema::latest_version();
        if version > known {
            return Err(StoreError::TooNew {
                path: path.to_owned(),
                found: version,
                known,
            });
        }

        configure(&conn).map_err(failed)?;
        schema::migrate(&mut conn).map_err(failed)?;
        info!(path = %path.display(), schema = known, "store opened");
        Ok(Store { conn })
    }

    /// Saves a class session, replacing any saved before under the same code.
    pub fn save_session(&mut self, session: &StoredSession) -> Result<(), StoreError> {
        let setup = &session.setup;
        // An upsert rather than INSERT OR REPLACE: replacing deletes the row first, which
        // the pupils' foreign keys would refuse.
        self.conn.execute(
            "INSERT INTO session (code, teacher, activity, teams, round_seconds, typed_names,
                                  round, eyes_on_me, lobby_locked, ended,
                                  created_at_unix_ms, started_at_unix_ms, ended_at_unix_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT (code) DO UPDATE SET
                 teacher = excluded.teacher, activity = excluded.activity,
                 teams = excluded.teams, round_seconds = excluded.round_seconds,
                 typed_names = excluded.typed_names, round = excluded.round,
                 eyes_on_me = excluded.eyes_on_me, lobby_locked = excluded.lobby_locked,
                 ended = excluded.ended, created_at_unix_ms = excluded.created_at_unix_ms,
                 started_at_unix_ms = excluded.started_at_unix_ms,
                 ended_at_unix_ms = excluded.ended_at_unix_ms",
            params![
                setup.code.as_str(),
                setup.teacher,
                encode("activity", &setup.activity)?,
                setup.teams,
                setup.round_seconds,
                setup.typed_names,
                encode("round", &session.round)?,
                session.eyes_on_me,
                session.lobby_locked,
                session.ended(),
                time_key(session.times.created_at_unix_ms)?,
                session.times.started_at_unix_ms.map(time_key).transpose()?,
                session.times.ended_at_unix_ms.map(time_key).transpose()?,
            ],
        )?;
        Ok(())
    }

    /// The session saved under `code`, if any.
    pub fn session(&self, code: &JoinCode) -> Result<Option<StoredSession>, StoreError> {
        let sql = format!("{SELECT_SESSION} WHERE code = ?1");
        let row = self
            .conn
            .query_row(&sql, params![code.as_str()], SessionRow::read)
            .optional()?;
        row.map(SessionRow::decode).transpose()
    }

    /// Every session not ended, by code: the ones to bring back after a restart.
    pub fn open_sessions(&self) -> Result<Vec<StoredSession>, StoreError> {
        let sql = format!("{SELECT_SESSION} WHERE ended = 0 ORDER BY code");
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map([], SessionRow::read)?;
        rows.map(|row| SessionRow::decode(row?)).collect()
    }

    /// Adds a pupil to a saved session and returns the pupil's new id.
    pub fn add_pupil(
        &mut self,
        session: &JoinCode,
        name: &str,
        team: TeamId,
        token: ResumeToken,
        record: Option<&PupilCode>,
    ) -> Result<PupilId, StoreError> {
        let tx = self.conn.transaction()?;
        let known: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM session WHERE code = ?1)",
            params![session.as_str()],
            |row| row.get(0),
        )?;
        if !known {
            return Err(StoreError::UnknownSession(session.clone()));
        }
        let added = tx.execute(
            "INSERT INTO pupil (session, name, team, token, record) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (token) DO NOTHING",
            params![
                session.as_str(),
                name,
                team.0,
                token.0,
                record.map(PupilCode::as_str)
            ],
        )?;
        if added == 0 {
            return Err(StoreError::TokenInUse);
        }
        let id = tx.last_insert_rowid();
        tx.commit()?;

        let id = u64::try_from(id).map_err(|_| StoreError::Corrupt { what: "pupil id" })?;
        Ok(PupilId(id))
    }

    /// Moves a pupil (not removed) to another team.
    pub fn set_pupil_team(&mut self, pupil: PupilId, team: TeamId) -> Result<(), StoreError> {
        let changed = self.conn.execute(
            "UPDATE pupil SET team = ?2 WHERE id = ?1 AND removed = 0",
            params![pupil_key(pupil)?, team.0],
        )?;
        if changed == 0 {
            return Err(StoreError::UnknownPupil(pupil));
        }
        Ok(())
    }

    /// Marks a pupil removed: no longer listed, and the token no longer resumes. The row
    /// stays so the pupil's answers keep their pupil. Removing twice is not an error.
    pub fn remove_pupil(&mut self, pupil: PupilId) -> Result<(), StoreError> {
        let changed = self.conn.execute(
            "UPDATE pupil SET removed = 1 WHERE id = ?1",
            params![pupil_key(pupil)?],
        )?;
        if changed == 0 {
            return Err(StoreError::UnknownPupil(pupil));
        }
        Ok(())
    }

    /// The session's pupils that were not removed, by id.
    pub fn pupils(&self, session: &JoinCode) -> Result<Vec<StoredPupil>, StoreError> {
        let sql = format!("{SELECT_PUPIL} WHERE session = ?1 AND removed = 0 ORDER BY id");
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map(params![session.as_str()], PupilRow::read)?;
        rows.map(|row| PupilRow::decode(row?)).collect()
    }

    /// Every pupil the session ever had, removed or not, by id.
    pub fn pupils_including_removed(
        &self,
        session: &JoinCode,
    ) -> Result<Vec<StoredPupil>, StoreError> {
        let sql = format!("{SELECT_PUPIL} WHERE session = ?1 ORDER BY id");
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map(params![session.as_str()], PupilRow::read)?;
        rows.map(|row| PupilRow::decode(row?)).collect()
    }

    /// The pupil (not removed) this token belongs to.
    pub fn pupil_by_token(&self, token: &ResumeToken) -> Result<Option<StoredPupil>, StoreError> {
        let sql = format!("{SELECT_PUPIL} WHERE token = ?1 AND removed = 0");
        let row = self
            .conn
            .query_row(&sql, params![token.0], PupilRow::read)
            .optional()?;
        row.map(PupilRow::decode).transpose()
    }

    /// Notes that the server was running at `unix_ms`.
    pub fn mark_alive(&mut self, unix_ms: u64) -> Result<(), StoreError> {
        let at = i64::try_from(unix_ms).map_err(|_| StoreError::TooLarge {
            what: "heartbeat time",
        })?;
        self.conn.execute(
            "INSERT INTO heartbeat (id, alive_at_unix_ms) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET alive_at_unix_ms = excluded.alive_at_unix_ms",
            params![at],
        )?;
        Ok(())
    }

    /// When the server last noted it was running, if ever.
    pub fn last_alive(&self) -> Result<Option<u64>, StoreError> {
        let at: Option<i64> = self
            .conn
            .query_row(
                "SELECT alive_at_unix_ms FROM heartbeat WHERE id = 1",
                [],
                |row| row.get(0),
            )
            .optional()?;
        Ok(at.and_then(|at| u64::try_from(at).ok()))
    }
}

/// Sets what SQLite does not remember between connections.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "foreign_keys", true)?;
    // Deleted rows are overwritten, not left in free pages: erasing a pupil must leave
    // nothing of them in the file.
    conn.pragma_update(None, "secure_delete", true)?;
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        // Some network shares cannot hold the WAL index. Writes are still durable in the
        // rollback journal with synchronous FULL, only slower, so the class can go on.
        warn!(journal_mode = %mode, "the store cannot use WAL mode here");
    }
    // FULL syncs the WAL at every commit; NORMAL would lose the last acknowledged writes
    // when the power fails.
    conn.pragma_update(None, "synchronous", "FULL")
}

/// Fails with the reason when nothing can be written in `data_dir`. SQLite alone would
/// open a store on a read-only disk and fail only at its first write, or say no more
/// than "unable to open database file"; a server must not start on a folder it cannot
/// keep answers in.
fn check_writable(data_dir: &Path) -> Result<(), StoreError> {
    let probe = data_dir.join(".write-check");
    let written = fs::File::create(&probe).and_then(|file| file.sync_all());
    let _ = fs::remove_file(&probe);
    written.map_err(|source| StoreError::NotWritable {
        path: data_dir.to_owned(),
        source,
    })
}

fn open_error(path: &Path, source: rusqlite::Error) -> StoreError {
    if source.sqlite_error_code() == Some(ErrorCode::NotADatabase) {
        return StoreError::NotAStore {
            path: path.to_owned(),
        };
    }
    StoreError::Open {
        path: path.to_owned(),
        source,
    }
}

fn is_foreign_key_failure(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(failure, _)
            if failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY
    )
}

/// The outermost folder of `dir` that does not exist yet, which `create_dir_all` is
/// about to make.
fn first_missing_ancestor(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .take_while(|ancestor| !ancestor.as_os_str().is_empty() && !ancestor.exists())
        .last()
        .map(Path::to_owned)
}

/// Removes the folders from `dir` up to `first_made`, innermost first; a folder that
/// something else has meanwhile put files in stays.
fn remove_made_folders(dir: &Path, first_made: &Path) {
    for folder in dir.ancestors() {
        if fs::remove_dir(folder).is_err() || folder == first_made {
            break;
        }
    }
}

fn remove_database_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        // Most of these never existed; there is nothing to do about one that will not go.
        fs::remove_file(file).ok();
    }
}

/// The key of a pupil's row. An id beyond SQLite's integers names no row, and is
/// reported as an unknown pupil.
fn pupil_key(pupil: PupilId) -> Result<i64, StoreError> {
    i64::try_from(pupil.0).map_err(|_| StoreError::UnknownPupil(pupil))
}

/// A wall-clock time as SQLite keeps it.
fn time_key(unix_ms: u64) -> Result<i64, StoreError> {
    i64::try_from(unix_ms).map_err(|_| StoreError::TooLarge { what: "time" })
}

fn encode<T: Serialize>(what: &'static str, value: &T) -> Result<Vec<u8>, StoreError> {
    postcard::to_stdvec(value).map_err(|source| StoreError::Encode { what, source })
}

#[cfg(test)]
mod tests;
