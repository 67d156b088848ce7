//! The store's tables and the migrations that build them, kept in code so a server
//! upgrades its own file on start and nobody has to run SQL by hand in a school.
//!
//! `PRAGMA user_version` counts the migrations that have run; each runs in its own
//! transaction together with the bump of that count, so a crash part-way leaves the file
//! at the last whole version. `PRAGMA application_id` marks the file as a Work Worlds
//! store, so the server never migrates (or puts into WAL mode) someone else's database
//! that happens to sit in the data folder.

use rusqlite::{Connection, TransactionBehavior};
use tracing::info;

/// Written into the SQLite header of every store: "WWLD" in ASCII.
pub(super) const APPLICATION_ID: i32 = 0x5757_4C44;

/// The migrations in the order they run; the store's schema version is how many have run.
/// A migration, once released, is never edited: a change is a new migration at the end.
const MIGRATIONS: &[&str] = &[FIRST_SCHEMA, REWARDS, HEARTBEAT, CHALLENGE_PLAY, RECORDS];

/// Teachers, class sessions, pupils and their answers.
///
/// Tables are STRICT so a value of the wrong type is refused rather than stored. Columns
/// a person would query are plain; values with no natural column are postcard BLOBs,
/// whose encoding follows the order of enum variants, so those enums only ever grow at
/// their end.
const FIRST_SCHEMA: &str = "
    PRAGMA application_id = 1465338948;

    -- Names compare without case, so 'Ms Jones' cannot sign up again as 'ms jones'.
    -- password_hash is an argon2id PHC string; the password itself is never stored.
    CREATE TABLE teacher (
        name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
        password_hash TEXT NOT NULL
    ) STRICT;

    -- activity: postcard of Activity; round: postcard of StoredRound.
    CREATE TABLE session (
        code TEXT NOT NULL PRIMARY KEY,
        teacher TEXT NOT NULL,
        activity BLOB NOT NULL,
        teams INTEGER NOT NULL CHECK (teams BETWEEN 0 AND 255),
        round_seconds INTEGER NOT NULL CHECK (round_seconds >= 0),
        typed_names INTEGER NOT NULL CHECK (typed_names IN (0, 1)),
        round BLOB NOT NULL,
        eyes_on_me INTEGER NOT NULL CHECK (eyes_on_me IN (0, 1)),
        lobby_locked INTEGER NOT NULL CHECK (lobby_locked IN (0, 1)),
        ended INTEGER NOT NULL CHECK (ended IN (0, 1))
    ) STRICT;
    CREATE INDEX session_teacher ON session (teacher);

    -- AUTOINCREMENT so a pupil id is never handed out twice, even after rows go.
    -- A removed pupil keeps its row, so its answers still have their pupil.
    -- UNIQUE (id, session) is there for answer's foreign key to point at.
    CREATE TABLE pupil (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session TEXT NOT NULL REFERENCES session (code),
        name TEXT NOT NULL,
        team INTEGER NOT NULL CHECK (team BETWEEN 0 AND 255),
        token BLOB NOT NULL UNIQUE CHECK (length(token) = 16),
        removed INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
        UNIQUE (id, session)
    ) STRICT;
    CREATE INDEX pupil_session ON pupil (session, id);

    -- The order answers were recorded in is the order of id.
    -- answer: postcard of Answer, which may hold a pupil's reflection.
    -- points and out_of are the whole Mark, so it needs no BLOB of its own.
    CREATE TABLE answer (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        pupil INTEGER NOT NULL,
        session TEXT NOT NULL,
        quest TEXT NOT NULL,
        task INTEGER NOT NULL CHECK (task BETWEEN 0 AND 255),
        answer BLOB NOT NULL,
        points INTEGER NOT NULL CHECK (points >= 0),
        out_of INTEGER NOT NULL CHECK (out_of >= 0),
        at_unix_ms INTEGER NOT NULL CHECK (at_unix_ms >= 0),
        FOREIGN KEY (pupil, session) REFERENCES pupil (id, session)
    ) STRICT;
    CREATE INDEX answer_pupil ON answer (pupil, id);
";

/// Passport stamps and job cards. A pupil holds each at most once; `quest` is the quest
/// that earned it, as evidence for the portfolio.
const REWARDS: &str = "
    CREATE TABLE reward (
        pupil INTEGER NOT NULL REFERENCES pupil (id),
        kind TEXT NOT NULL CHECK (kind IN ('stamp', 'job_card')),
        item TEXT NOT NULL,
        quest TEXT NOT NULL,
        at_unix_ms INTEGER NOT NULL CHECK (at_unix_ms >= 0),
        PRIMARY KEY (pupil, kind, item)
    ) STRICT;
";

/// When the server last said it was alive, written every few seconds. After a crash it
/// tells how much of a running round had gone when the server stopped.
const HEARTBEAT: &str = "
    CREATE TABLE heartbeat (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        alive_at_unix_ms INTEGER NOT NULL CHECK (alive_at_unix_ms >= 0)
    ) STRICT;
";

/// Where a session's enterprise challenge stands: every team's business, its plan for
/// the next round and its results, as postcard of the session's `ChallengePlay`,
/// written before a pupil's decision or a round's end is acknowledged.
const CHALLENGE_PLAY: &str = "
    CREATE TABLE challenge_play (
        session TEXT PRIMARY KEY REFERENCES session (code),
        play BLOB NOT NULL
    ) STRICT;
";

/// What a pupil keeps from one session to the next, and what a school records.
///
/// A class (such as "5B") belongs to a teacher; each of its pupils has a record, found
/// by the pupil code on their card, and every session row of a pupil who joined with
/// that code points at it. `subject` is a random `urn:uuid:` standing for the pupil in
/// exported badges, so a credential names no child. Sessions gain the wall-clock times
/// the school's records need. Reflections are kept in a table of their own (a quest's
/// reflection task is also an answer, kept for its mark); `best` is the pupil's choice
/// and `comment` the teacher's. Badge awards keep their evidence as JSON, and a
/// mission step done outside the game is ticked by a teacher.
const RECORDS: &str = "
    CREATE TABLE class (
        name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
        teacher TEXT NOT NULL,
        year_group TEXT NOT NULL
    ) STRICT;

    CREATE TABLE pupil_record (
        code TEXT NOT NULL PRIMARY KEY,
        class TEXT NOT NULL REFERENCES class (name),
        name TEXT NOT NULL,
        subject TEXT NOT NULL UNIQUE,
        created_at_unix_ms INTEGER NOT NULL CHECK (created_at_unix_ms >= 0)
    ) STRICT;
    CREATE INDEX pupil_record_class ON pupil_record (class, code);

    ALTER TABLE pupil ADD COLUMN record TEXT REFERENCES pupil_record (code);
    CREATE INDEX pupil_record_rows ON pupil (record);

    ALTER TABLE teacher ADD COLUMN initials TEXT;

    ALTER TABLE session ADD COLUMN created_at_unix_ms INTEGER;
    ALTER TABLE session ADD COLUMN started_at_unix_ms INTEGER;
    ALTER TABLE session ADD COLUMN ended_at_unix_ms INTEGER;

    -- about: postcard of ReflectionAbout.
    CREATE TABLE reflection (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        pupil INTEGER NOT NULL,
        session TEXT NOT NULL,
        about BLOB NOT NULL,
        text TEXT NOT NULL,
        best INTEGER NOT NULL DEFAULT 0 CHECK (best IN (0, 1)),
        comment TEXT,
        at_unix_ms INTEGER NOT NULL CHECK (at_unix_ms >= 0),
        FOREIGN KEY (pupil, session) REFERENCES pupil (id, session)
    ) STRICT;
    CREATE INDEX reflection_pupil ON reflection (pupil, id);

    CREATE TABLE badge_award (
        record TEXT NOT NULL REFERENCES pupil_record (code),
        badge TEXT NOT NULL,
        evidence TEXT NOT NULL,
        at_unix_ms INTEGER NOT NULL CHECK (at_unix_ms >= 0),
        PRIMARY KEY (record, badge)
    ) STRICT;

    CREATE TABLE mission_tick (
        record TEXT NOT NULL REFERENCES pupil_record (code),
        badge TEXT NOT NULL,
        step INTEGER NOT NULL CHECK (step BETWEEN 0 AND 2),
        teacher TEXT NOT NULL,
        at_unix_ms INTEGER NOT NULL CHECK (at_unix_ms >= 0),
        PRIMARY KEY (record, badge, step)
    ) STRICT;
";

/// The schema version this build writes and understands.
pub(super) fn latest_version() -> u32 {
    u32::try_from(MIGRATIONS.len()).expect("there are fewer than 2^32 migrations")
}

/// What a freshly opened SQLite file turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Identity {
    /// An empty database, as SQLite makes for a file that did not exist.
    Fresh,
    /// A Work Worlds store at this schema version.
    Store { version: u32 },
    /// A database of something else.
    Foreign,
}

/// Reads the header and catalogue only, so a foreign file is left exactly as it was.
pub(super) fn identify(conn: &Connection) -> rusqlite::Result<Identity> {
    let application_id: i32 = conn.pragma_query_value(None, "application_id", |row| row.get(0))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let objects: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))?;

    Ok(match (application_id, u32::try_from(version)) {
        (0, Ok(0)) if objects == 0 => Identity::Fresh,
        (APPLICATION_ID, Ok(version)) => Identity::Store { version },
        _ => Identity::Foreign,
    })
}

/// Runs every migration the file has not had yet; returns how many ran.
pub(super) fn migrate(conn: &mut Connection) -> rusqlite::Result<u32> {
    let mut ran = 0;
    for (sql, version) in MIGRATIONS.iter().zip(1u32..) {
        // IMMEDIATE takes the write lock before reading the version, so two servers
        // started on the same folder cannot both run a migration.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let done: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if done >= i64::from(version) {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        info!(version, "store migrated");
        ran += 1;
    }
    Ok(ran)
}
