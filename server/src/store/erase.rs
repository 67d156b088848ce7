//! A pupil's data on request: everything the store holds about a pupil record, as one
//! document, and its erasure.
//!
//! Erasing deletes every row of the record: its session rows, their answers, rewards and
//! reflections, its badges and ticked mission steps, and the record itself. SQLite's
//! `secure_delete` (set when the store opens) overwrites what is deleted, and the
//! write-ahead log is checkpointed and truncated afterwards, so the pupil's words are
//! not left readable in free pages or in the log either.

use rusqlite::params;
use serde::Serialize;
use workworlds_content::marking::Answer;
use workworlds_protocol::ids::PupilCode;
use workworlds_protocol::portfolio::{Evidence, ReflectionAbout};

use super::{Store, StoreError, StoredClass, pupil_key};

/// Everything the store holds about one pupil record.
#[derive(Clone, Debug, Serialize)]
pub struct RecordExport {
    pub pupil_code: String,
    pub name: String,
    pub class: Option<StoredClass>,
    /// The identifier that stands for the pupil in exported badges.
    pub credential_subject: String,
    pub created_at_unix_ms: u64,
    pub sessions: Vec<SessionPart>,
    pub reflections: Vec<ReflectionPart>,
    pub badges: Vec<BadgePart>,
    pub mission_steps: Vec<MissionStepPart>,
}

/// The pupil in one class session.
#[derive(Clone, Debug, Serialize)]
pub struct SessionPart {
    pub session: String,
    pub pupil_id: u64,
    pub name: String,
    /// From 1, as teachers number teams.
    pub team: u16,
    pub removed: bool,
    pub answers: Vec<AnswerPart>,
    pub rewards: Vec<RewardPart>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AnswerPart {
    pub quest: String,
    pub task: u8,
    pub answer: Answer,
    pub points: u32,
    pub out_of: u32,
    pub at_unix_ms: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct RewardPart {
    /// "stamp" or "job card".
    pub kind: &'static str,
    pub item: String,
    pub quest: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReflectionPart {
    pub id: u64,
    pub session: String,
    pub about: ReflectionAbout,
    pub text: String,
    pub best: bool,
    pub teacher_comment: Option<String>,
    pub at_unix_ms: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct BadgePart {
    pub badge: String,
    pub evidence: Evidence,
    pub at_unix_ms: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct MissionStepPart {
    pub badge: String,
    /// From 1, as the badge lists its steps.
    pub step: u16,
}

/// What an erasure removed, counted by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Erased {
    pub session_rows: usize,
    pub answers: usize,
    pub rewards: usize,
    pub reflections: usize,
    pub badges: usize,
    pub mission_steps: usize,
}

impl std::fmt::Display for Erased {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the pupil record, {} session place(s), {} answer(s), {} stamp(s) and job card(s), \
             {} reflection(s), {} badge(s) and {} mission step(s)",
            self.session_rows,
            self.answers,
            self.rewards,
            self.reflections,
            self.badges,
            self.mission_steps
        )
    }
}

impl Store {
    /// Everything held about the record `code`.
    pub fn export_record(&self, code: &PupilCode) -> Result<RecordExport, StoreError> {
        let record = self
            .record(code)?
            .ok_or_else(|| StoreError::UnknownRecord(code.clone()))?;
        let rows = self.record_pupils(code)?;
        let ids: Vec<_> = rows.iter().map(|(pupil, _)| *pupil).collect();

        let mut sessions = Vec::new();
        for (pupil, session) in &rows {
            let Some(stored) = self
                .pupils_including_removed(session)?
                .into_iter()
                .find(|stored| stored.pupil == *pupil)
            else {
                continue;
            };
            let answers = self
                .answers(*pupil)?
                .into_iter()
                .map(|answer| AnswerPart {
                    quest: answer.quest.to_string(),
                    task: answer.task,
                    answer: answer.answer,
                    points: answer.mark.points,
                    out_of: answer.mark.out_of,
                    at_unix_ms: answer.at_unix_ms,
                })
                .collect();
            let rewards = self
                .rewards(*pupil)?
                .into_iter()
                .map(|(earned, quest)| {
                    let (kind, item) = match earned {
                        workworlds_protocol::events::Earned::Stamp(sector) => {
                            ("stamp", sector.to_string())
                        }
                        workworlds_protocol::events::Earned::JobCard(role) => {
                            ("job card", role.to_string())
                        }
                    };
                    RewardPart {
                        kind,
                        item,
                        quest: quest.to_string(),
                    }
                })
                .collect();
            sessions.push(SessionPart {
                session: session.to_string(),
                pupil_id: pupil.0,
                name: stored.name,
                team: u16::from(stored.team.0) + 1,
                removed: stored.removed,
                answers,
                rewards,
            });
        }

        let reflections = self
            .reflections(&ids)?
            .into_iter()
            .map(|reflection| ReflectionPart {
                id: reflection.id,
                session: reflection.session.to_string(),
                about: reflection.about,
                text: reflection.text,
                best: reflection.best,
                teacher_comment: reflection.comment,
                at_unix_ms: reflection.at_unix_ms,
            })
            .collect();
        let badges = self
            .awards(code)?
            .into_iter()
            .map(|award| BadgePart {
                badge: award.badge.to_string(),
                evidence: award.evidence,
                at_unix_ms: award.at_unix_ms,
            })
            .collect();
        let mission_steps = self
            .mission_ticks(code)?
            .into_iter()
            .map(|(badge, step)| MissionStepPart {
                badge: badge.to_string(),
                step: u16::from(step) + 1,
            })
            .collect();

        Ok(RecordExport {
            pupil_code: code.to_string(),
            name: record.name,
            class: self.class(&record.class)?,
            credential_subject: record.subject,
            created_at_unix_ms: record.created_at_unix_ms,
            sessions,
            reflections,
            badges,
            mission_steps,
        })
    }

    /// Removes everything held about the record `code`. Refused while the pupil is in a
    /// session that has not ended, whose server holds the pupil in memory.
    pub fn erase_record(&mut self, code: &PupilCode) -> Result<Erased, StoreError> {
        if self.record(code)?.is_none() {
            return Err(StoreError::UnknownRecord(code.clone()));
        }
        let rows = self.record_pupils(code)?;
        for (_, session) in &rows {
            let open = self.session(session)?.is_some_and(|stored| !stored.ended());
            if open {
                return Err(StoreError::RecordInOpenSession(session.clone()));
            }
        }

        let tx = self.conn.transaction()?;
        let mut erased = Erased::default();
        for (pupil, _) in &rows {
            let key = pupil_key(*pupil)?;
            erased.reflections +=
                tx.execute("DELETE FROM reflection WHERE pupil = ?1", params![key])?;
            erased.answers += tx.execute("DELETE FROM answer WHERE pupil = ?1", params![key])?;
            erased.rewards += tx.execute("DELETE FROM reward WHERE pupil = ?1", params![key])?;
            erased.session_rows += tx.execute("DELETE FROM pupil WHERE id = ?1", params![key])?;
        }
        erased.badges = tx.execute(
            "DELETE FROM badge_award WHERE record = ?1",
            params![code.as_str()],
        )?;
        erased.mission_steps = tx.execute(
            "DELETE FROM mission_tick WHERE record = ?1",
            params![code.as_str()],
        )?;
        tx.execute(
            "DELETE FROM pupil_record WHERE code = ?1",
            params![code.as_str()],
        )?;
        tx.commit()?;

        // Copies the erased pages' new contents into the file and empties the log, which
        // still held the pages as they were before.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(erased)
    }
}
