//! Playing on one computer: the game runs the class server inside itself, with its data
//! folder on that computer, and logs its teacher in without a password to type. The
//! password exists all the same, random, kept in the data folder readable only by the
//! computer's user, so pupils joining over the classroom network cannot become the
//! teacher.

use std::fs;
use std::path::Path;

use anyhow::Context;
use rand::RngExt;

use crate::files::write_whole;
use crate::store::Store;

/// The teacher the game logs in as on its own computer.
pub const LOCAL_TEACHER: &str = "Teacher on this computer";

/// The file in the data folder holding that teacher's password.
const PASSWORD_FILE: &str = "local-teacher.secret";

/// Characters in the password, from a 62-letter alphabet: about 190 bits.
const PASSWORD_CHARS: usize = 32;

/// The local teacher's name and password, made (or made again, if the file was lost)
/// the first time.
pub fn local_teacher(data: &Path) -> anyhow::Result<(String, String)> {
    let path = data.join(PASSWORD_FILE);
    let mut store = Store::open(data).context("opening the store")?;
    if let Ok(password) = fs::read_to_string(&path)
        && store.teacher_password_hash(LOCAL_TEACHER)?.is_some()
    {
        return Ok((LOCAL_TEACHER.to_owned(), password.trim().to_owned()));
    }
    const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let password: String = (0..PASSWORD_CHARS)
        .map(|_| char::from(LETTERS[rng.random_range(0..LETTERS.len())]))
        .collect();
    write_whole(&path, password.as_bytes(), 0o600)
        .with_context(|| format!("writing {}", path.display()))?;
    store.set_teacher_password(LOCAL_TEACHER, &password)?;
    Ok((LOCAL_TEACHER.to_owned(), password))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_local_teacher_is_made_once_and_logs_in_with_the_kept_password() {
        let dir = tempfile::tempdir().unwrap();
        let (name, password) = local_teacher(dir.path()).unwrap();
        assert_eq!(
            local_teacher(dir.path()).unwrap(),
            (name.clone(), password.clone())
        );
        let store = Store::open(dir.path()).unwrap();
        assert!(store.check_teacher(&name, &password).unwrap());

        // A lost password file gives the teacher a new password, not a locked door.
        fs::remove_file(dir.path().join(PASSWORD_FILE)).unwrap();
        let (_, again) = local_teacher(dir.path()).unwrap();
        assert_ne!(again, password);
        assert!(store.check_teacher(&name, &again).unwrap());
    }
}
