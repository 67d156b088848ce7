//! Colours in content files, written as `"#rrggbb"` and checked while the file is read,
//! so a bad colour is reported at its exact position.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An opaque sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Colour {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl TryFrom<String> for Colour {
    type Error = String;

    fn try_from(text: String) -> Result<Colour, String> {
        let bad = || format!("colour {text:?} is not of the form \"#rrggbb\"");
        let hex = text
            .strip_prefix('#')
            .filter(|hex| hex.len() == 6 && hex.is_ascii())
            .ok_or_else(bad)?;
        let channel = |at: usize| u8::from_str_radix(&hex[at..at + 2], 16).map_err(|_| bad());
        Ok(Colour {
            r: channel(0)?,
            g: channel(2)?,
            b: channel(4)?,
        })
    }
}

impl From<Colour> for String {
    fn from(colour: Colour) -> String {
        colour.to_string()
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_read_from_hex_and_print_back() {
        let colour = Colour::try_from("#2E8b57".to_string()).unwrap();
        assert_eq!(
            colour,
            Colour {
                r: 0x2e,
                g: 0x8b,
                b: 0x57
            }
        );
        assert_eq!(colour.to_string(), "#2e8b57");
    }

    #[test]
    fn malformed_colours_are_refused() {
        for bad in ["2e8b57", "#2e8b5", "#2e8b577", "#gg0000", "#ébc", "#aéaaa"] {
            assert!(
                Colour::try_from(bad.to_string()).is_err(),
                "{bad} should be refused"
            );
        }
    }
}
