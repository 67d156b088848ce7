//! Bilingual text. Every word a pupil or teacher reads exists in English and Welsh, and
//! the loader refuses a file where either is missing or blank, so the language switch in
//! the game can never land on an empty label.

use serde::{Deserialize, Serialize};

/// A language the game speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Welsh (Cymraeg).
    Cy,
}

impl Lang {
    /// The other language: what the language button switches to.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Cy,
            Lang::Cy => Lang::En,
        }
    }
}

/// A text in both languages. In RON: `(en: "Nurse", cy: "Nyrs")`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// English. Required and not blank.
    pub en: String,
    /// Welsh. Required and not blank.
    pub cy: String,
}

impl Text {
    /// A text from its English and Welsh forms.
    pub fn new(en: impl Into<String>, cy: impl Into<String>) -> Text {
        Text {
            en: en.into(),
            cy: cy.into(),
        }
    }

    /// The text in the given language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Cy => &self.cy,
        }
    }

    /// Which field, if any, is blank: the loader reports it by name.
    pub(crate) fn blank_field(&self) -> Option<&'static str> {
        if self.en.trim().is_empty() {
            Some("en")
        } else if self.cy.trim().is_empty() {
            Some("cy")
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_answers_in_the_language_asked_for() {
        let text = Text::new("Nurse", "Nyrs");
        assert_eq!(text.get(Lang::En), "Nurse");
        assert_eq!(text.get(Lang::Cy), "Nyrs");
        assert_eq!(Lang::En.other(), Lang::Cy);
    }

    #[test]
    fn blank_welsh_is_named() {
        assert_eq!(Text::new("Nurse", "  ").blank_field(), Some("cy"));
        assert_eq!(Text::new("", "Nyrs").blank_field(), Some("en"));
        assert_eq!(Text::new("Nurse", "Nyrs").blank_field(), None);
    }
}
