//! Words on screen: a line in the current language, dates as people in Wales write
//! them, and the round's time.

use std::time::Duration;

use workworlds_content::{Lang, Text};
use workworlds_protocol::events::{RoundState, SessionView};

/// A line of the interface in the current language.
pub fn say(lang: Lang, en: &str, cy: &str) -> String {
    Text::new(en, cy).get(lang).to_owned()
}

/// A day as `24.03.2026`, from milliseconds since the Unix epoch (UTC).
pub fn day(unix_ms: u64) -> String {
    let seconds = i64::try_from(unix_ms / 1000).unwrap_or(i64::MAX);
    match time::OffsetDateTime::from_unix_timestamp(seconds) {
        Ok(at) => format!("{:02}.{:02}.{}", at.day(), u8::from(at.month()), at.year()),
        Err(_) => String::new(),
    }
}

/// The round's time left at `now`, counted down from the `view` the server sent at
/// `view_at` (both on the game's clock) while the round runs.
pub fn time_left(view: &SessionView, view_at: Duration, now: Duration) -> Duration {
    let at_view = Duration::from_millis(view.round.remaining_ms);
    match view.round.state {
        RoundState::Running => at_view.saturating_sub(now.saturating_sub(view_at)),
        _ => at_view,
    }
}

/// Minutes and seconds, as `7:05`.
pub fn clock(remaining: Duration) -> String {
    let seconds = remaining.as_secs();
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The round as words: "Round 2 running".
pub fn round_words(view: &SessionView, lang: Lang) -> String {
    let number = view.round.number;
    match (view.round.state, lang) {
        (RoundState::NotStarted, Lang::En) => "Not started".into(),
        (RoundState::NotStarted, Lang::Cy) => "Heb ddechrau".into(),
        (RoundState::Running, Lang::En) => format!("Round {number} running"),
        (RoundState::Running, Lang::Cy) => format!("Rownd {number} ar waith"),
        (RoundState::Paused, Lang::En) => format!("Round {number} paused"),
        (RoundState::Paused, Lang::Cy) => format!("Rownd {number} wedi oedi"),
        (RoundState::Ended, Lang::En) => format!("Round {number} over"),
        (RoundState::Ended, Lang::Cy) => format!("Rownd {number} ar ben"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_written_day_first() {
        assert_eq!(day(1_679_648_400_000), "24.03.2023");
        assert_eq!(say(Lang::Cy, "Yes", "Ie"), "Ie");
    }
}
