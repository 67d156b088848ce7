//! The chance in a round: which events happen and how lucky demand is.
//!
//! Each team's round has a generator of its own, keyed by the session's seed, the
//! team's index and the round, and it is asked the same questions in the same order
//! whatever the team decided. So one team's choices never shift another's luck, and a
//! team that replays a round with other decisions meets the same events.
//!
//! The generator is ChaCha with 8 rounds: a fixed, published algorithm whose output
//! does not change between versions of the crate, and the numbers drawn from it are
//! turned into fractions here rather than by a library's distributions, which may
//! change how they sample. A seed replayed next year gives the same session.

use rand::rngs::ChaCha8Rng;
use rand::{Rng, SeedableRng};
use workworlds_content::Challenge;

/// What chance decided for one team's round.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Draws {
    /// Indices of the events that happen, in the challenge's order.
    pub(crate) events: Vec<usize>,
    /// How lucky demand is, from -1 to 1; scaled by the challenge's noise.
    pub(crate) luck: f64,
}

impl Draws {
    /// No events and ordinary luck: the reference a chart compares against.
    pub(crate) fn calm() -> Draws {
        Draws::default()
    }
}

/// Draws team `team`'s round `round` of a session seeded with `seed`.
pub(crate) fn draw(challenge: &Challenge, seed: u64, team: u32, round: u32) -> Draws {
    let mut rng = generator(seed, team, round);
    let events = challenge
        .events
        .iter()
        .enumerate()
        .filter(|(_, event)| fraction(rng.next_u64()) < event.chance)
        .map(|(index, _)| index)
        .collect();
    let luck = 2.0 * fraction(rng.next_u64()) - 1.0;
    Draws { events, luck }
}

/// The generator for one team's round: its 32-byte key is spread from the three
/// numbers by SplitMix64, so neighbouring seeds, teams and rounds get unrelated keys.
fn generator(seed: u64, team: u32, round: u32) -> ChaCha8Rng {
    let mut state = seed;
    state = split_mix(state) ^ u64::from(team);
    state = split_mix(state) ^ u64::from(round);
    let mut key = [0u8; 32];
    for chunk in key.chunks_exact_mut(8) {
        state = split_mix(state);
        chunk.copy_from_slice(&state.to_le_bytes());
    }
    ChaCha8Rng::from_seed(key)
}

/// One step of SplitMix64 (Steele, Lea and Flood, 2014), a fixed mixing function.
fn split_mix(state: u64) -> u64 {
    let mut z = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A fraction in [0, 1) from the top 53 bits of a draw, every value equally likely.
fn fraction(bits: u64) -> f64 {
    const SCALE: f64 = 1.0 / (1u64 << 53) as f64;
    (bits >> 11) as f64 * SCALE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_gives_the_same_numbers_for_the_same_keys() {
        let first: Vec<u64> = (0..4).map(|_| generator(7, 1, 2).next_u64()).collect();
        assert!(first.windows(2).all(|pair| pair[0] == pair[1]));
        assert_ne!(generator(7, 1, 2).next_u64(), generator(7, 2, 1).next_u64());
        assert_ne!(generator(7, 1, 2).next_u64(), generator(8, 1, 2).next_u64());
    }

    #[test]
    fn the_generator_is_pinned_so_old_sessions_replay() {
        // Pinned once: a change here means every stored session would replay
        // differently, which must never happen silently.
        let mut rng = generator(2024, 0, 0);
        let drawn = [rng.next_u64(), rng.next_u64()];
        assert_eq!(drawn, PINNED);
    }

    const PINNED: [u64; 2] = [4_471_623_954_676_978_803, 12_105_355_979_541_410_280];

    #[test]
    fn fractions_stay_below_one() {
        assert_eq!(fraction(0), 0.0);
        assert!(fraction(u64::MAX) < 1.0);
    }
}
