//! Words on screen: a line in the current language, and dates as people in Wales
//! write them.

use workworlds_content::{Lang, Text};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_written_day_first() {
        assert_eq!(day(1_679_648_400_000), "24.03.2023");
        assert_eq!(say(Lang::Cy, "Yes", "Ie"), "Ie");
    }
}
