//! The first message of every connection, and the server's answer to it. The hello
//! says who the client is; the answer admits it in a role or refuses it, and a refused
//! connection is closed.

use serde::{Deserialize, Serialize};

use crate::PROTOCOL_VERSION;
use crate::ids::{JoinCode, PupilCode, PupilId, ResumeToken, TeamId};
use crate::refusal::Refusal;

/// A hash of a content bundle, with which a client says what content it has cached.
pub type ContentHash = [u8; 32];

/// What a client says first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientHello {
    /// The protocol version the client speaks.
    pub version: u32,
    /// The hash of the content bundle the client has cached, all zeros for none.
    pub content_hash: ContentHash,
    pub intent: Intent,
}

/// Who the client wants to be.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Intent {
    /// A teacher logging in.
    Teacher { name: String, password: String },
    /// A pupil joining a class session. Without a name the server gives a friendly
    /// generated one; a typed name is used only where the teacher allows it. With the
    /// pupil code from their card, the pupil is linked to their own record and keeps
    /// the name on it; joining again with the same code is coming back as the same
    /// pupil, even from another computer.
    Join {
        code: JoinCode,
        name: Option<String>,
        pupil_code: Option<PupilCode>,
    },
    /// A pupil coming back after a dropped connection.
    Resume { token: ResumeToken },
}

impl std::fmt::Debug for Intent {
    /// Passwords and tokens stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Intent::Teacher { name, .. } => write!(f, "Teacher {{ name: {name:?} }}"),
            Intent::Join {
                code,
                name,
                pupil_code,
            } => write!(
                f,
                "Join {{ code: {code}, typed_name: {}, pupil_code: {} }}",
                name.is_some(),
                pupil_code.is_some()
            ),
            Intent::Resume { .. } => f.write_str("Resume"),
        }
    }
}

impl ClientHello {
    /// A hello from a client of this protocol version.
    pub fn new(content_hash: ContentHash, intent: Intent) -> ClientHello {
        ClientHello {
            version: PROTOCOL_VERSION,
            content_hash,
            intent,
        }
    }
}

/// The server's answer to a hello.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HelloAnswer {
    /// The client is in. The content bundle follows on its own stream when
    /// `content_changed`.
    Welcome {
        content_changed: bool,
        identity: Identity,
    },
    /// The connection closes after this.
    Refused(Refusal),
}

/// The role a welcomed client has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Identity {
    Teacher {
        name: String,
    },
    Pupil {
        pupil: PupilId,
        name: String,
        session: JoinCode,
        team: TeamId,
        token: ResumeToken,
    },
}

/// The version check every hello passes first: `None` when the client may go on.
pub fn check_version(hello: &ClientHello) -> Option<Refusal> {
    (hello.version != PROTOCOL_VERSION).then_some(Refusal::WrongVersion {
        server_version: PROTOCOL_VERSION,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn teacher() -> Intent {
        Intent::Teacher {
            name: "Ms Jones".into(),
            password: "correct horse".into(),
        }
    }

    #[test]
    fn another_version_is_refused_with_the_servers_version_in_words() {
        let hello = ClientHello {
            version: PROTOCOL_VERSION + 1,
            ..ClientHello::new([0; 32], teacher())
        };
        let refusal = check_version(&hello).unwrap();
        assert_eq!(
            refusal,
            Refusal::WrongVersion {
                server_version: PROTOCOL_VERSION
            }
        );
        assert!(
            refusal
                .to_string()
                .contains(&format!("this server runs version {PROTOCOL_VERSION}"))
        );
        assert_eq!(check_version(&ClientHello::new([0; 32], teacher())), None);
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let shown = format!("{:?}", ClientHello::new([0; 32], teacher()));
        assert!(
            shown.contains("Ms Jones") && !shown.contains("horse"),
            "{shown}"
        );
        let token = format!(
            "{:?}",
            Intent::Resume {
                token: ResumeToken([0xab; 16])
            }
        );
        assert!(!token.contains("abab"), "{token}");
    }
}
