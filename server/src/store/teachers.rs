//! Teachers: their names and an Argon2id hash of each password, never the password.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rusqlite::{OptionalExtension, params};
use tracing::info;

use super::{SALT_BYTES, Store, StoreError};

impl Store {
    /// Adds a teacher, keeping only an argon2id hash of the password with a random salt.
    pub fn add_teacher(&mut self, name: &str, password: &str) -> Result<(), StoreError> {
        let hash = hash_password(password)?;
        let added = self.conn.execute(
            "INSERT INTO teacher (name, password_hash) VALUES (?1, ?2)
             ON CONFLICT (name) DO NOTHING",
            params![name, hash],
        )?;
        if added == 0 {
            return Err(StoreError::TeacherExists(name.to_owned()));
        }
        info!(teacher = name, "teacher added");
        Ok(())
    }

    /// Gives a teacher a new password, adding the teacher if there is none by that name.
    pub fn set_teacher_password(&mut self, name: &str, password: &str) -> Result<(), StoreError> {
        let hash = hash_password(password)?;
        self.conn.execute(
            "INSERT INTO teacher (name, password_hash) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash",
            params![name, hash],
        )?;
        Ok(())
    }

    /// Whether `password` is this teacher's; false for a name nobody has.
    pub fn check_teacher(&self, name: &str, password: &str) -> Result<bool, StoreError> {
        verify_password(self.teacher_password_hash(name)?.as_deref(), password)
    }

    /// The password hash kept for a teacher, or `None` if no teacher has that name. The
    /// server checks a password against it with [`verify_password`] away from the store,
    /// as checking takes long on purpose.
    pub fn teacher_password_hash(&self, name: &str) -> Result<Option<String>, StoreError> {
        let stored = self
            .conn
            .query_row(
                "SELECT password_hash FROM teacher WHERE name = ?1",
                params![name],
                |row| row.get(0),
            )
            .optional()?;
        Ok(stored)
    }
}

impl Store {
    /// Sets the initials a teacher signs the school's records with.
    pub fn set_teacher_initials(&mut self, name: &str, initials: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE teacher SET initials = ?2 WHERE name = ?1",
            params![name, initials],
        )?;
        Ok(())
    }

    /// The teacher's initials for the school's records: those set with the teacher, or
    /// else the first letter of each word of their name after a title ("Ms Jones" is
    /// "J").
    pub fn teacher_initials(&self, name: &str) -> Result<String, StoreError> {
        let set: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT initials FROM teacher WHERE name = ?1",
                params![name],
                |row| row.get(0),
            )
            .optional()?;
        Ok(set.flatten().unwrap_or_else(|| initials_of(name)))
    }
}

/// Titles left out of initials made from a name.
const TITLES: [&str; 8] = ["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir"];

fn initials_of(name: &str) -> String {
    name.split_whitespace()
        .filter(|word| !TITLES.contains(&word.trim_end_matches('.').to_lowercase().as_str()))
        .filter_map(|word| word.chars().next())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Whether `password` matches `stored`, a teacher's password hash; `None` (no such
/// teacher) never matches. Argon2 is slow and memory-hungry by design, so this is work
/// for a blocking thread, not for the store's or the async runtime's.
pub fn verify_password(stored: Option<&str>, password: &str) -> Result<bool, StoreError> {
    let Some(stored) = stored else {
        // Hashing anyway makes an unknown name take as long as a wrong password, so the
        // time of a refusal does not tell which teacher names exist.
        hash_password(password)?;
        return Ok(false);
    };
    let hash = PasswordHash::new(stored).map_err(|_| StoreError::Corrupt {
        what: "password hash",
    })?;
    Ok(Argon2::default()
        .verify_password(password.as_bytes(), &hash)
        .is_ok())
}

fn hash_password(password: &str) -> Result<String, StoreError> {
    let mut salt = [0u8; SALT_BYTES];
    rand::fill(&mut salt[..]);
    let salt = SaltString::encode_b64(&salt).map_err(StoreError::Hash)?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(StoreError::Hash)?;
    Ok(hash.to_string())
}

#[cfg(test)]
mod tests {
    use super::initials_of;

    #[test]
    fn initials_leave_out_titles() {
        assert_eq!(initials_of("Ms Jones"), "J");
        assert_eq!(initials_of("Dr. Siân Lloyd-Evans"), "SL");
        assert_eq!(initials_of("john lewis"), "JL");
    }
}
