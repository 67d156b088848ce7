//! How teams are shown: each has a colour from a palette that colour-blind pupils can
//! tell apart (Okabe and Ito's) and a symbol, so a team is never known by colour alone.

use bevy_egui::egui::Color32;

/// A team's look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TeamMark {
    /// For borders, fills and the symbol.
    pub colour: Color32,
    /// For the team's name on a light background: the colour, darkened where it is too
    /// light to read (the yellow).
    pub text: Color32,
    pub symbol: &'static str,
}

/// Okabe and Ito's colours, which colour-blind people tell apart: for teams and for
/// anything else told apart by colour. After eight, a team's colour repeats with
/// another symbol.
pub const PALETTE: [Color32; 8] = [
    Color32::from_rgb(0xE6, 0x9F, 0x00),
    Color32::from_rgb(0x56, 0xB4, 0xE9),
    Color32::from_rgb(0x00, 0x9E, 0x73),
    Color32::from_rgb(0xF0, 0xE4, 0x42),
    Color32::from_rgb(0x00, 0x72, 0xB2),
    Color32::from_rgb(0xD5, 0x5E, 0x00),
    Color32::from_rgb(0xCC, 0x79, 0xA7),
    Color32::from_rgb(0x33, 0x33, 0x33),
];
const SYMBOLS: [&str; 12] = ["■", "★", "♥", "♦", "♣", "♠", "✚", "✖", "⬟", "☀", "❄", "⚓"];

/// The mark of team `team` (from 0).
pub fn team_mark(team: u8) -> TeamMark {
    let index = usize::from(team);
    let colour = PALETTE[index % PALETTE.len()];
    TeamMark {
        colour,
        text: readable(colour),
        symbol: SYMBOLS[index % SYMBOLS.len()],
    }
}

/// The brightest a text colour may be on the game's light background, as relative
/// luminance from 0 (black) to 1 (white).
const MAX_TEXT_LUMINANCE: f32 = 0.4;

/// `colour` darkened until it is dark enough to read on a light background.
fn readable(colour: Color32) -> Color32 {
    let mut shade = colour;
    while luminance(shade) > MAX_TEXT_LUMINANCE {
        shade = Color32::from_rgb(
            (f32::from(shade.r()) * 0.85) as u8,
            (f32::from(shade.g()) * 0.85) as u8,
            (f32::from(shade.b()) * 0.85) as u8,
        );
    }
    shade
}

/// Black or white, whichever stands out more on `fill`: light tiles get black words.
pub fn text_on(fill: Color32) -> Color32 {
    let behind = luminance(fill) + 0.05;
    let white = 1.05 / behind;
    let black = behind / 0.05;
    if white >= black {
        Color32::WHITE
    } else {
        Color32::BLACK
    }
}

/// Relative luminance as WCAG defines it.
fn luminance(colour: Color32) -> f32 {
    let channel = |value: u8| {
        let value = f32::from(value) / 255.0;
        if value <= 0.039_28 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(colour.r()) + 0.7152 * channel(colour.g()) + 0.0722 * channel(colour.b())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_team_a_session_can_have_looks_different() {
        let marks: Vec<TeamMark> = (0..12).map(team_mark).collect();
        for (a, first) in marks.iter().enumerate() {
            for second in &marks[a + 1..] {
                assert_ne!(
                    first.symbol, second.symbol,
                    "the symbol alone tells teams apart"
                );
            }
        }
    }

    #[test]
    fn light_tiles_get_black_words_and_dark_ones_white() {
        // The farming world's light green and the digital world's dark blue.
        assert_eq!(text_on(Color32::from_rgb(124, 179, 66)), Color32::BLACK);
        assert_eq!(text_on(Color32::from_rgb(57, 73, 171)), Color32::WHITE);
        assert_eq!(text_on(Color32::WHITE), Color32::BLACK);
        assert_eq!(text_on(Color32::BLACK), Color32::WHITE);
    }

    #[test]
    fn team_names_are_dark_enough_to_read() {
        for team in 0..12 {
            let text = team_mark(team).text;
            // At most 0.4 keeps a contrast of at least 2.2:1 against white for the
            // large type the teams are named in; most teams are far darker.
            assert!(
                luminance(text) <= MAX_TEXT_LUMINANCE,
                "team {team}: {text:?}"
            );
        }
        assert_ne!(
            team_mark(3).text,
            team_mark(3).colour,
            "the yellow is darkened"
        );
    }
}
