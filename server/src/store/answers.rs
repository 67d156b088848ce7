//! Marked answers and what they earned: a pupil's answers in order, the quest
//! reflections they hold, and the passport stamps and job cards, each kept once.

use rusqlite::params;
use workworlds_content::ids::{QuestId, RoleId, SectorId};
use workworlds_content::marking::{Answer, Mark};
use workworlds_protocol::events::Earned;
use workworlds_protocol::ids::{JoinCode, PupilId};
use workworlds_protocol::portfolio::ReflectionAbout;

use super::rows::AnswerRow;
use super::{Store, StoreError, encode, is_foreign_key_failure, pupil_key};

/// One marked answer as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredAnswer {
    pub pupil: PupilId,
    pub session: JoinCode,
    pub quest: QuestId,
    /// The task's index within the quest, from 0.
    pub task: u8,
    pub answer: Answer,
    pub mark: Mark,
    /// When the answer was marked, in milliseconds since the Unix epoch.
    pub at_unix_ms: u64,
}

impl Store {
    /// Records a marked answer of a pupil in that pupil's session.
    pub fn record_answer(
        &mut self,
        answer: &StoredAnswer,
        earned: &[Earned],
    ) -> Result<(), StoreError> {
        let at = i64::try_from(answer.at_unix_ms).map_err(|_| StoreError::TooLarge {
            what: "answer time",
        })?;
        let pupil = pupil_key(answer.pupil)?;
        // The answer and what it earned are acknowledged together or not at all.
        let tx = self.conn.transaction()?;
        let recorded = tx.execute(
            "INSERT INTO answer (pupil, session, quest, task, answer, points, out_of, at_unix_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                pupil,
                answer.session.as_str(),
                answer.quest.as_str(),
                answer.task,
                encode("answer", &answer.answer)?,
                answer.mark.points,
                answer.mark.out_of,
                at,
            ],
        );
        match recorded {
            Ok(_) => {}
            // The pair (pupil, session) must name a pupil of that session.
            Err(error) if is_foreign_key_failure(&error) => {
                return Err(StoreError::UnknownPupil(answer.pupil));
            }
            Err(error) => return Err(error.into()),
        }
        // A quest's reflection is kept in the pupil's portfolio too, where the pupil may
        // choose it as one of their best and the teacher may comment on it.
        if let Answer::Reflect(text) = &answer.answer
            && !text.trim().is_empty()
        {
            let about = ReflectionAbout::Quest {
                quest: answer.quest.clone(),
                task: answer.task,
            };
            tx.execute(
                "INSERT INTO reflection (pupil, session, about, text, at_unix_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    pupil,
                    answer.session.as_str(),
                    encode("reflection subject", &about)?,
                    text.trim(),
                    at
                ],
            )?;
        }
        for reward in earned {
            let (kind, item) = match reward {
                Earned::Stamp(sector) => ("stamp", sector.as_str()),
                Earned::JobCard(role) => ("job_card", role.as_str()),
            };
            tx.execute(
                "INSERT OR IGNORE INTO reward (pupil, kind, item, quest, at_unix_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![pupil, kind, item, answer.quest.as_str(), at],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The stamps and job cards a pupil holds, with the quest that earned each.
    pub fn rewards(&self, pupil: PupilId) -> Result<Vec<(Earned, QuestId)>, StoreError> {
        let mut statement = self
            .conn
            .prepare("SELECT kind, item, quest FROM reward WHERE pupil = ?1 ORDER BY kind, item")?;
        let rows = statement.query_map(params![pupil_key(pupil)?], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        let mut rewards = Vec::new();
        for row in rows {
            let (kind, item, quest) = row?;
            // The table's CHECK allows only these two kinds.
            let earned = if kind == "stamp" {
                Earned::Stamp(SectorId::new(item))
            } else {
                Earned::JobCard(RoleId::new(item))
            };
            rewards.push((earned, QuestId::new(quest)));
        }
        Ok(rewards)
    }

    /// A pupil's answers in the order they were recorded.
    pub fn answers(&self, pupil: PupilId) -> Result<Vec<StoredAnswer>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT pupil, session, quest, task, answer, points, out_of, at_unix_ms
             FROM answer WHERE pupil = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map(params![pupil_key(pupil)?], AnswerRow::read)?;
        rows.map(|row| AnswerRow::decode(row?)).collect()
    }
}
