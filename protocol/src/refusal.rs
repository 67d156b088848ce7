//! Refusals: every request the server will not carry out gets one, with a reason the
//! client shows as it is and the server logs.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why the server refused something.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// The client speaks another protocol version.
    WrongVersion { server_version: u32 },
    /// The teacher's name or password is wrong.
    BadLogin,
    /// No class session has this join code.
    UnknownSession,
    /// This address typed too many wrong join codes; it may try again after a while.
    TooManyGuesses { retry_after_seconds: u32 },
    /// The teacher has locked the lobby: no one new may join.
    LobbyLocked,
    /// The typed display name is not allowed.
    NameRefused,
    /// Only a teacher may do this.
    TeachersOnly,
    /// The request does not fit the session's state, such as pausing a paused round.
    NotNow { why: String },
    /// The request names something that does not exist, or is out of range.
    Invalid { why: String },
    /// The resume token is unknown or the pupil was removed.
    CannotResume,
    /// No pupil record has this pupil code. Counts as a wrong guess, like a join code.
    UnknownPupilCode,
    /// The teacher has ended the class session.
    SessionEnded,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::WrongVersion { server_version } => write!(
                f,
                "this server runs version {server_version} of Work Worlds and this game speaks \
                 version {}: install the version the server runs",
                crate::PROTOCOL_VERSION
            ),
            Refusal::BadLogin => f.write_str("that teacher name and password do not match"),
            Refusal::UnknownSession => {
                f.write_str("no class is using that join code: check it on the board")
            }
            Refusal::TooManyGuesses {
                retry_after_seconds,
            } => {
                write!(
                    f,
                    "too many wrong join codes: try again in {retry_after_seconds} seconds"
                )
            }
            Refusal::LobbyLocked => f.write_str("the teacher has closed this class to new pupils"),
            Refusal::NameRefused => f.write_str("that name cannot be used: pick another"),
            Refusal::TeachersOnly => f.write_str("only a teacher can do that"),
            Refusal::NotNow { why } => write!(f, "not now: {why}"),
            Refusal::Invalid { why } => write!(f, "invalid request: {why}"),
            Refusal::CannotResume => {
                f.write_str("this place in the class has gone: join again with the code")
            }
            Refusal::UnknownPupilCode => {
                f.write_str("that pupil code is not known: check the code on your card")
            }
            Refusal::SessionEnded => f.write_str("your teacher has ended this class session"),
        }
    }
}
