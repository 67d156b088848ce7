//! Identifiers that travel on the wire: join codes, pupils, teams and resume tokens.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The letters a join code is made of: no 0/O, 1/I/L or other look-alikes, so a code
/// read off a projector is typed right first time.
pub const JOIN_CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// The length of a join code, in characters.
pub const JOIN_CODE_LEN: usize = 6;

/// The code pupils type to join a class session, such as `K7QM3X`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct JoinCode(String);

impl JoinCode {
    /// Reads a code as a pupil typed it: case and spaces are forgiven, look-alike
    /// letters are not guessed at.
    pub fn parse(typed: &str) -> Option<JoinCode> {
        let code: String = typed
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let valid =
            code.len() == JOIN_CODE_LEN && code.bytes().all(|b| JOIN_CODE_ALPHABET.contains(&b));
        valid.then_some(JoinCode(code))
    }

    /// A code from `JOIN_CODE_LEN` indices into the alphabet, as the server draws them.
    pub fn from_indices(indices: [usize; JOIN_CODE_LEN]) -> JoinCode {
        let letter = |i: usize| JOIN_CODE_ALPHABET[i % JOIN_CODE_ALPHABET.len()] as char;
        JoinCode(indices.into_iter().map(letter).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JoinCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The length of a pupil code, in characters, leaving out the hyphen in its middle.
pub const PUPIL_CODE_LEN: usize = 8;

/// The code on a pupil's card that links them to their own record (passport, job
/// cards, badges, reflections) whichever session they join, such as `KD7M-Q3XA`.
/// It uses the join code's letters, so nothing on the card can be misread, and is long
/// enough (31^8, about 8.5 × 10^11 codes) that guessing one is hopeless within the
/// server's limit on wrong codes.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PupilCode(String);

impl PupilCode {
    /// Reads a code as a pupil typed it: case, spaces and the hyphen are forgiven.
    pub fn parse(typed: &str) -> Option<PupilCode> {
        let code: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_ascii_uppercase();
        let valid =
            code.len() == PUPIL_CODE_LEN && code.bytes().all(|b| JOIN_CODE_ALPHABET.contains(&b));
        valid.then_some(PupilCode(code))
    }

    /// A code from `PUPIL_CODE_LEN` indices into the alphabet, as the server draws them.
    pub fn from_indices(indices: [usize; PUPIL_CODE_LEN]) -> PupilCode {
        let letter = |i: usize| JOIN_CODE_ALPHABET[i % JOIN_CODE_ALPHABET.len()] as char;
        PupilCode(indices.into_iter().map(letter).collect())
    }

    /// The code without its hyphen, as it is stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PupilCode {
    /// Printed in two halves, as on the card: `KD7M-Q3XA`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (first, second) = self.0.split_at(self.0.len() / 2);
        write!(f, "{first}-{second}")
    }
}

impl fmt::Debug for PupilCode {
    /// Kept out of logs in full: the code is the key to a child's record.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self.0.chars().take(2).collect();
        write!(f, "PupilCode({shown}…)")
    }
}

/// A pupil within the server's store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PupilId(pub u64);

/// A team within a class session, numbered from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TeamId(pub u8);

/// A secret a pupil's client keeps to rejoin as the same pupil after a dropped
/// connection, without the teacher doing anything.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ResumeToken(pub [u8; 16]);

impl fmt::Debug for ResumeToken {
    /// Never printed in full: a token in a log would let anyone become the pupil.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResumeToken({:02x}{:02x}…)", self.0[0], self.0[1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_codes_forgive_case_and_spaces_but_not_look_alikes() {
        assert_eq!(JoinCode::parse(" k7q m3x ").unwrap().as_str(), "K7QM3X");
        for bad in [
            "K7QM3", "K7QM3XX", "K7QM0X", "K7QMOX", "K7QM1X", "K7QMIX", "K7QMLX", "K7QM3É",
        ] {
            assert_eq!(JoinCode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn pupil_codes_forgive_case_spaces_and_the_hyphen() {
        let code = PupilCode::parse(" kd7m-q3xa").unwrap();
        assert_eq!(code.as_str(), "KD7MQ3XA");
        assert_eq!(code.to_string(), "KD7M-Q3XA");
        assert_eq!(PupilCode::parse(&code.to_string()), Some(code.clone()));
        assert!(!format!("{code:?}").contains("Q3XA"));
        for bad in [
            "KD7M-Q3X",
            "KD7M-Q3XAB",
            "KD7M-Q0XA",
            "KD7M-QIXA",
            "KD7M_Q3XA",
        ] {
            assert_eq!(PupilCode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn drawn_codes_use_only_the_alphabet() {
        let code = JoinCode::from_indices([0, 5, 30, 31, 100, 7]);
        assert_eq!(JoinCode::parse(code.as_str()), Some(code));
    }
}
