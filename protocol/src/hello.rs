//! The first message of every connection, and the server's answer to it.

use serde::{Deserialize, Serialize};

use crate::PROTOCOL_VERSION;

/// A hash of a content bundle, with which a client says what content it has cached.
pub type ContentHash = [u8; 32];

/// What a client says first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientHello {
    /// The protocol version the client speaks.
    pub version: u32,
    /// The hash of the content bundle the client has cached, all zeros for none.
    pub content_hash: ContentHash,
}

impl ClientHello {
    /// A hello from a client of this protocol version.
    pub fn new(content_hash: ContentHash) -> ClientHello {
        ClientHello {
            version: PROTOCOL_VERSION,
            content_hash,
        }
    }
}

/// The server's answer to a hello.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HelloAnswer {
    /// The client may go on; the server sends content only if `content_changed`.
    Welcome { content_changed: bool },
    /// The client's version is not the server's; the connection closes after this.
    WrongVersion { server_version: u32 },
}

/// How a server answers `hello` when its content bundle hashes to `content_hash`.
pub fn answer(hello: &ClientHello, content_hash: &ContentHash) -> HelloAnswer {
    if hello.version != PROTOCOL_VERSION {
        return HelloAnswer::WrongVersion {
            server_version: PROTOCOL_VERSION,
        };
    }
    HelloAnswer::Welcome {
        content_changed: &hello.content_hash != content_hash,
    }
}

impl HelloAnswer {
    /// The refusal in words a pupil or teacher can act on, if this is one.
    pub fn refusal(&self) -> Option<String> {
        match self {
            HelloAnswer::Welcome { .. } => None,
            HelloAnswer::WrongVersion { server_version } => Some(format!(
                "this server runs version {server_version} of Work Worlds and this game speaks \
                 version {PROTOCOL_VERSION}: install the version the server runs"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_sent_only_when_the_cached_hash_differs() {
        let cached = [1; 32];
        assert_eq!(
            answer(&ClientHello::new(cached), &cached),
            HelloAnswer::Welcome {
                content_changed: false
            }
        );
        assert_eq!(
            answer(&ClientHello::new([0; 32]), &cached),
            HelloAnswer::Welcome {
                content_changed: true
            }
        );
    }

    #[test]
    fn another_version_is_refused_with_the_servers_version() {
        let hello = ClientHello {
            version: PROTOCOL_VERSION + 1,
            content_hash: [0; 32],
        };
        let refusal = answer(&hello, &[0; 32]);
        assert_eq!(
            refusal,
            HelloAnswer::WrongVersion {
                server_version: PROTOCOL_VERSION
            }
        );
        let words = refusal.refusal().unwrap();
        assert!(
            words.contains(&format!("this server runs version {PROTOCOL_VERSION}")),
            "{words}"
        );
    }
}
