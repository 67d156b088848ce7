//! Where each session's enterprise challenge stands, kept whole so a restarted server
//! carries every team on from the round it had reached.

use rusqlite::{OptionalExtension, params};
use workworlds_protocol::ids::JoinCode;

use super::rows::decode;
use super::{Store, StoreError, StoredSession, encode};
use crate::session::ChallengePlay;

impl Store {
    /// Saves a session and, in the same transaction, where its challenge stands, so a
    /// round that ended is never on disk without the results it gave.
    pub fn save_session_and_challenge(
        &mut self,
        session: &StoredSession,
        play: Option<&ChallengePlay>,
    ) -> Result<(), StoreError> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let saved = self.save_session(session).and_then(|()| match play {
            Some(play) => self.save_challenge(&session.setup.code, play),
            None => Ok(()),
        });
        let committed = saved.and_then(|()| Ok(self.conn.execute_batch("COMMIT")?));
        if committed.is_err() {
            // Whatever failed, nothing of this save may stay half-done.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        committed
    }

    /// Saves where a session's challenge stands, replacing what was saved before.
    pub fn save_challenge(
        &mut self,
        session: &JoinCode,
        play: &ChallengePlay,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO challenge_play (session, play) VALUES (?1, ?2)
             ON CONFLICT (session) DO UPDATE SET play = excluded.play",
            params![session.as_str(), encode("challenge", play)?],
        )?;
        Ok(())
    }

    /// Where a session's challenge stood when last saved, if it plays one.
    pub fn challenge_play(&self, session: &JoinCode) -> Result<Option<ChallengePlay>, StoreError> {
        let bytes: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT play FROM challenge_play WHERE session = ?1",
                params![session.as_str()],
                |row| row.get(0),
            )
            .optional()?;
        bytes.map(|bytes| decode("challenge", &bytes)).transpose()
    }
}
