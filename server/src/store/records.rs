//! What a pupil keeps across sessions: classes, pupil records found by the code on a
//! pupil's card, reflections with the pupil's and teacher's notes, badge awards and the
//! mission steps teachers tick off.

use rand::RngExt;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use workworlds_content::ids::BadgeId;
use workworlds_protocol::ids::{JoinCode, PUPIL_CODE_LEN, PupilCode, PupilId};
use workworlds_protocol::portfolio::{Evidence, Reflection, ReflectionAbout};

use super::rows::{decode, unsigned};
use super::{Store, StoreError, encode, pupil_key, time_key};

/// A class a teacher keeps pupil records in, such as "5B".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredClass {
    pub name: String,
    pub teacher: String,
    /// The year or group as the school's sheet writes it, such as "Y5".
    pub year_group: String,
}

/// A pupil's lasting record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRecord {
    pub code: PupilCode,
    pub class: String,
    pub name: String,
    /// A random `urn:uuid:` that stands for the pupil in exported credentials.
    pub subject: String,
    pub created_at_unix_ms: u64,
}

/// One reflection as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredReflection {
    pub id: u64,
    pub pupil: PupilId,
    pub session: JoinCode,
    pub about: ReflectionAbout,
    pub text: String,
    pub best: bool,
    pub comment: Option<String>,
    pub at_unix_ms: u64,
}

impl StoredReflection {
    /// The reflection as pupils and teachers see it.
    pub fn shown(self) -> Reflection {
        Reflection {
            id: self.id,
            about: self.about,
            text: self.text,
            best: self.best,
            comment: self.comment,
            at_unix_ms: self.at_unix_ms,
        }
    }
}

/// A badge on a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAward {
    pub badge: BadgeId,
    pub evidence: Evidence,
    pub at_unix_ms: u64,
}

impl Store {
    /// Adds a class for `teacher`; a class name is used once on a server.
    pub fn add_class(&mut self, class: &StoredClass) -> Result<(), StoreError> {
        let added = self.conn.execute(
            "INSERT INTO class (name, teacher, year_group) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO NOTHING",
            params![class.name, class.teacher, class.year_group],
        )?;
        if added == 0 {
            return Err(StoreError::ClassExists(class.name.clone()));
        }
        Ok(())
    }

    pub fn class(&self, name: &str) -> Result<Option<StoredClass>, StoreError> {
        let class = self
            .conn
            .query_row(
                "SELECT name, teacher, year_group FROM class WHERE name = ?1",
                params![name],
                |row| {
                    Ok(StoredClass {
                        name: row.get(0)?,
                        teacher: row.get(1)?,
                        year_group: row.get(2)?,
                    })
                },
            )
            .optional()?;
        Ok(class)
    }

    /// Gives a pupil of `class` a record and a fresh pupil code, and returns the record.
    pub fn add_record(
        &mut self,
        class: &str,
        name: &str,
        now_unix_ms: u64,
    ) -> Result<StoredRecord, StoreError> {
        let class = self
            .class(class)?
            .ok_or_else(|| StoreError::UnknownClass(class.to_owned()))?;
        let mut rng = rand::rng();
        // A clash among 31^8 codes is all but impossible; the loop only makes sure.
        loop {
            let code =
                PupilCode::from_indices(std::array::from_fn::<usize, PUPIL_CODE_LEN, _>(|_| {
                    rng.random_range(0..usize::MAX)
                }));
            let subject = format!("urn:uuid:{}", uuid_v4(rng.random()));
            let added = self.conn.execute(
                "INSERT INTO pupil_record (code, class, name, subject, created_at_unix_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                params![
                    code.as_str(),
                    class.name,
                    name,
                    subject,
                    time_key(now_unix_ms)?
                ],
            )?;
            if added == 1 {
                return Ok(StoredRecord {
                    code,
                    class: class.name,
                    name: name.to_owned(),
                    subject,
                    created_at_unix_ms: now_unix_ms,
                });
            }
        }
    }

    pub fn record(&self, code: &PupilCode) -> Result<Option<StoredRecord>, StoreError> {
        let sql = format!("{SELECT_RECORD} WHERE code = ?1");
        let row = self
            .conn
            .query_row(&sql, params![code.as_str()], read_record)
            .optional()?;
        row.map(decode_record).transpose()
    }

    /// The records of a class, by name.
    pub fn class_records(&self, class: &str) -> Result<Vec<StoredRecord>, StoreError> {
        let sql = format!("{SELECT_RECORD} WHERE class = ?1 ORDER BY name, code");
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map(params![class], read_record)?;
        rows.map(|row| decode_record(row?)).collect()
    }

    /// Links a session's pupil to a record.
    pub fn link_pupil(&mut self, pupil: PupilId, record: &PupilCode) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE pupil SET record = ?2 WHERE id = ?1",
            params![pupil_key(pupil)?, record.as_str()],
        )?;
        Ok(())
    }

    /// The record a session's pupil is linked to, if any.
    pub fn pupil_record(&self, pupil: PupilId) -> Result<Option<PupilCode>, StoreError> {
        let code: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT record FROM pupil WHERE id = ?1",
                params![pupil_key(pupil)?],
                |row| row.get(0),
            )
            .optional()?;
        code.flatten().map(|code| pupil_code(&code)).transpose()
    }

    /// Every session row (pupil id, session) linked to a record, oldest first.
    pub fn record_pupils(&self, code: &PupilCode) -> Result<Vec<(PupilId, JoinCode)>, StoreError> {
        let mut statement = self
            .conn
            .prepare("SELECT id, session FROM pupil WHERE record = ?1 ORDER BY id")?;
        let rows = statement.query_map(params![code.as_str()], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut pupils = Vec::new();
        for row in rows {
            let (id, session) = row?;
            let session =
                JoinCode::parse(&session).ok_or(StoreError::Corrupt { what: "join code" })?;
            pupils.push((PupilId(unsigned(id, "pupil id")?), session));
        }
        Ok(pupils)
    }

    /// Keeps a reflection and returns its id.
    pub fn add_reflection(
        &mut self,
        pupil: PupilId,
        session: &JoinCode,
        about: &ReflectionAbout,
        text: &str,
        at_unix_ms: u64,
    ) -> Result<u64, StoreError> {
        self.conn.execute(
            "INSERT INTO reflection (pupil, session, about, text, at_unix_ms)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                pupil_key(pupil)?,
                session.as_str(),
                encode("reflection subject", about)?,
                text,
                time_key(at_unix_ms)?
            ],
        )?;
        unsigned(self.conn.last_insert_rowid(), "reflection id")
    }

    /// The reflections written by these session pupils, oldest first.
    pub fn reflections(&self, pupils: &[PupilId]) -> Result<Vec<StoredReflection>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT id, pupil, session, about, text, best, comment, at_unix_ms
             FROM reflection WHERE pupil = ?1 ORDER BY id",
        )?;
        let mut reflections = Vec::new();
        for pupil in pupils {
            let rows = statement.query_map(params![pupil_key(*pupil)?], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Vec<u8>>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, bool>(5)?,
                    row.get::<_, Option<String>>(6)?,
                    row.get::<_, i64>(7)?,
                ))
            })?;
            for row in rows {
                let (id, pupil, session, about, text, best, comment, at) = row?;
                reflections.push(StoredReflection {
                    id: unsigned(id, "reflection id")?,
                    pupil: PupilId(unsigned(pupil, "pupil id")?),
                    session: JoinCode::parse(&session)
                        .ok_or(StoreError::Corrupt { what: "join code" })?,
                    about: decode("reflection subject", &about)?,
                    text,
                    best,
                    comment,
                    at_unix_ms: unsigned(at, "reflection time")?,
                });
            }
        }
        reflections.sort_by_key(|reflection| reflection.id);
        Ok(reflections)
    }

    /// Marks a reflection best or not, if one of `pupils` wrote it; says whether it did.
    pub fn choose_best(
        &mut self,
        pupils: &[PupilId],
        reflection: u64,
        best: bool,
    ) -> Result<bool, StoreError> {
        let Ok(id) = i64::try_from(reflection) else {
            return Ok(false);
        };
        for pupil in pupils {
            let changed = self.conn.execute(
                "UPDATE reflection SET best = ?3 WHERE id = ?1 AND pupil = ?2",
                params![id, pupil_key(*pupil)?, best],
            )?;
            if changed == 1 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Sets (or with `None` clears) the teacher's comment on a reflection written in
    /// `session`; says whether there was one.
    pub fn comment_reflection(
        &mut self,
        session: &JoinCode,
        reflection: u64,
        comment: Option<&str>,
    ) -> Result<bool, StoreError> {
        let Ok(id) = i64::try_from(reflection) else {
            return Ok(false);
        };
        let changed = self.conn.execute(
            "UPDATE reflection SET comment = ?3 WHERE id = ?1 AND session = ?2",
            params![id, session.as_str(), comment],
        )?;
        Ok(changed == 1)
    }

    /// Records a badge on a record unless it is already there; says whether it is new.
    pub fn award_badge(
        &mut self,
        record: &PupilCode,
        badge: &BadgeId,
        evidence: &Evidence,
        at_unix_ms: u64,
    ) -> Result<bool, StoreError> {
        let evidence = serde_json::to_string(evidence).map_err(|_| StoreError::TooLarge {
            what: "badge evidence",
        })?;
        let added = self.conn.execute(
            "INSERT INTO badge_award (record, badge, evidence, at_unix_ms)
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            params![
                record.as_str(),
                badge.as_str(),
                evidence,
                time_key(at_unix_ms)?
            ],
        )?;
        Ok(added == 1)
    }

    /// The badges on a record, oldest first.
    pub fn awards(&self, record: &PupilCode) -> Result<Vec<StoredAward>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT badge, evidence, at_unix_ms FROM badge_award WHERE record = ?1
             ORDER BY at_unix_ms, badge",
        )?;
        let rows = statement.query_map(params![record.as_str()], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })?;
        let mut awards = Vec::new();
        for row in rows {
            let (badge, evidence, at) = row?;
            awards.push(StoredAward {
                badge: BadgeId::new(badge),
                evidence: serde_json::from_str(&evidence).map_err(|_| StoreError::Corrupt {
                    what: "badge evidence",
                })?,
                at_unix_ms: unsigned(at, "award time")?,
            });
        }
        Ok(awards)
    }

    /// Ticks off step `step` (from 0) of a badge's mission for a record, done outside
    /// the game as `teacher` confirms. Ticking twice is not an error.
    pub fn tick_mission_step(
        &mut self,
        record: &PupilCode,
        badge: &BadgeId,
        step: u8,
        teacher: &str,
        at_unix_ms: u64,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO mission_tick (record, badge, step, teacher, at_unix_ms)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            params![
                record.as_str(),
                badge.as_str(),
                step,
                teacher,
                time_key(at_unix_ms)?
            ],
        )?;
        Ok(())
    }

    /// The mission steps ticked off for a record, as (badge, step).
    pub fn mission_ticks(&self, record: &PupilCode) -> Result<Vec<(BadgeId, u8)>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT badge, step FROM mission_tick WHERE record = ?1 ORDER BY badge, step",
        )?;
        let rows = statement.query_map(params![record.as_str()], |row| {
            Ok((BadgeId::new(row.get::<_, String>(0)?), row.get::<_, u8>(1)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

const SELECT_RECORD: &str =
    "SELECT code, class, name, subject, created_at_unix_ms FROM pupil_record";

fn read_record(row: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String, String, String, i64)> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
    ))
}

fn decode_record(
    (code, class, name, subject, created): (String, String, String, String, i64),
) -> Result<StoredRecord, StoreError> {
    Ok(StoredRecord {
        code: pupil_code(&code)?,
        class,
        name,
        subject,
        created_at_unix_ms: unsigned(created, "record time")?,
    })
}

fn pupil_code(text: &str) -> Result<PupilCode, StoreError> {
    PupilCode::parse(text).ok_or(StoreError::Corrupt { what: "pupil code" })
}

/// A random (version 4) UUID in its usual text form.
fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
