//! Ids of content definitions. A definition's id is its file name without `.ron`
//! (`roles/electrician.ron` defines the role `electrician`), and other files refer to it
//! by that id. Each kind has its own newtype so a quest id can never be looked up as a
//! role.

use std::borrow::Borrow;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest id accepted, in bytes: long enough for a readable name, short enough for
/// a log line.
pub const MAX_ID_BYTES: usize = 48;

/// Whether `id` is a well-formed id: 1 to 48 lowercase ASCII letters, digits and
/// single hyphens, starting with a letter.
pub fn is_valid_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_ID_BYTES
        && bytes[0].is_ascii_lowercase()
        && !id.ends_with('-')
        && !id.contains("--")
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

macro_rules! content_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// An id from its text; the loader has checked the syntax of every id it
            /// hands out, and this does not check again.
            pub fn new(id: impl Into<String>) -> $name {
                $name(id.into())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

content_id!(
    /// The id of a sector world, such as `energy`.
    SectorId
);
content_id!(
    /// The id of a job role, such as `electrician`.
    RoleId
);
content_id!(
    /// The id of a quest, such as `wire-a-torch`.
    QuestId
);
content_id!(
    /// The id of a badge, such as `employability`.
    BadgeId
);
content_id!(
    /// The id of an enterprise challenge or net-zero scenario.
    ChallengeId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_words_joined_by_single_hyphens() {
        for good in ["energy", "wind-turbine-technician", "o2-level", "a"] {
            assert!(is_valid_id(good), "{good} should be valid");
        }
        let too_long = "a".repeat(MAX_ID_BYTES + 1);
        for bad in [
            "",
            "Energy",
            "-energy",
            "energy-",
            "wind--farm",
            "1st",
            "ynni_gwynt",
            &too_long,
        ] {
            assert!(!is_valid_id(bad), "{bad} should be refused");
        }
    }
}
