//! Pupils' display names. By default the server gives each pupil a friendly generated
//! name ("Brave Otter"), so no real name need be stored; a typed name is used only where
//! the teacher allows it, and never when it contains a word on the blocked list.

use rand::{Rng, RngExt};

const ADJECTIVES: &[&str] = &[
    "Brave",
    "Bright",
    "Busy",
    "Calm",
    "Clever",
    "Cosy",
    "Curious",
    "Daring",
    "Eager",
    "Friendly",
    "Gentle",
    "Happy",
    "Helpful",
    "Jolly",
    "Kind",
    "Lively",
    "Lucky",
    "Merry",
    "Mighty",
    "Nimble",
    "Patient",
    "Quick",
    "Quiet",
    "Sunny",
    "Swift",
    "Thoughtful",
    "Tidy",
    "Wise",
];

/// Animals of Wales and its coasts.
const ANIMALS: &[&str] = &[
    "Badger", "Buzzard", "Dolphin", "Dragon", "Eagle", "Fox", "Hare", "Hedgehog", "Heron", "Kite",
    "Mole", "Otter", "Owl", "Pony", "Puffin", "Rabbit", "Robin", "Salmon", "Seal", "Squirrel",
    "Stoat", "Swan", "Wren",
];

/// The longest typed name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 24;

/// Words no display name may contain, compared after folding case and removing
/// everything but letters, so spacing and punctuation do not slip one through. The
/// list is short on purpose: it catches the common cases, and the teacher can remove a
/// pupil whose name gets past it.
const BLOCKED: &[&str] = &[
    "arse", "bastard", "bitch", "bollock", "cock", "crap", "cunt", "dick", "fuck", "nigger",
    "nigga", "piss", "prick", "pussy", "shit", "slag", "slut", "twat", "wank", "whore", "cachu",
    "cont", "ffwc", "nob",
];

/// A friendly generated name.
pub fn generated(rng: &mut impl Rng) -> String {
    let adjective = ADJECTIVES[rng.random_range(0..ADJECTIVES.len())];
    let animal = ANIMALS[rng.random_range(0..ANIMALS.len())];
    format!("{adjective} {animal}")
}

/// A typed name made tidy, or `None` when it is empty, too long, or blocked.
pub fn typed(name: &str) -> Option<String> {
    let tidy = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let length = tidy.chars().count();
    if length == 0 || length > MAX_NAME_CHARS || tidy.chars().any(char::is_control) {
        return None;
    }
    let letters: String = tidy
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    let blocked = BLOCKED.iter().any(|word| letters.contains(word));
    (!blocked).then_some(tidy)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    #[test]
    fn generated_names_are_an_adjective_and_an_animal() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..50 {
            let name = generated(&mut rng);
            let (adjective, animal) = name.split_once(' ').unwrap();
            assert!(
                ADJECTIVES.contains(&adjective) && ANIMALS.contains(&animal),
                "{name}"
            );
            assert_eq!(
                typed(&name),
                Some(name.clone()),
                "every generated name passes the filter"
            );
        }
    }

    #[test]
    fn typed_names_are_tidied_and_checked() {
        assert_eq!(typed("  Siân   Wyn "), Some("Siân Wyn".into()));
        assert_eq!(typed(""), None);
        assert_eq!(typed("   "), None);
        assert_eq!(typed(&"a".repeat(MAX_NAME_CHARS + 1)), None);
        assert_eq!(typed("bad\u{7}bell"), None);
        assert_eq!(
            typed("S.H.I.T head"),
            None,
            "punctuation does not hide a blocked word"
        );
        assert_eq!(
            typed("Shitake"),
            None,
            "the filter errs on the side of caution"
        );
    }
}
