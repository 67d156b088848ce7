//! The settings, remembered between runs so a pupil who needs large text or high
//! contrast sets it once. They are kept in RON in the user's configuration folder
//! (`$XDG_CONFIG_HOME/workworlds/settings.ron`, or `~/.config/workworlds/settings.ron`),
//! beside the server address `class::Remembered` keeps.

use std::fs;
use std::io::ErrorKind;
use std::path::PathBuf;

use bevy::prelude::*;

use super::Settings;

/// Where the settings are remembered; `None` remembers nothing, as in tests and
/// screenshots.
#[derive(Resource, Debug, Clone, PartialEq, Eq)]
pub struct SettingsFile {
    pub file: Option<PathBuf>,
}

impl Default for SettingsFile {
    fn default() -> SettingsFile {
        SettingsFile {
            file: config_file("settings.ron"),
        }
    }
}

/// A file in the game's folder of the user's configuration:
/// `$XDG_CONFIG_HOME/workworlds/NAME`, or `~/.config/workworlds/NAME`.
pub fn config_file(name: &str) -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
    Some(base.join("workworlds").join(name))
}

impl SettingsFile {
    /// The settings last remembered. A file that is missing (as on the first run),
    /// unreadable or not settings gives the defaults: a pupil is never stopped from
    /// playing by it.
    pub fn load(&self) -> Settings {
        let Some(file) = &self.file else {
            return Settings::default();
        };
        let text = match fs::read_to_string(file) {
            Ok(text) => text,
            Err(error) if error.kind() == ErrorKind::NotFound => {
                info!(path = %file.display(), "no settings remembered yet");
                return Settings::default();
            }
            Err(error) => {
                warn!(%error, path = %file.display(), "cannot read the settings; using the defaults");
                return Settings::default();
            }
        };
        ron::from_str(&text).unwrap_or_else(|error| {
            warn!(%error, path = %file.display(), "the settings file is not settings; using the defaults");
            Settings::default()
        })
    }

    /// Remembers `settings`; a folder that cannot be written only costs the pupil
    /// choosing them again next time.
    pub fn keep(&self, settings: &Settings) {
        let Some(file) = &self.file else { return };
        let kept = ron::ser::to_string_pretty(settings, ron::ser::PrettyConfig::default())
            .map_err(|error| std::io::Error::other(error.to_string()))
            .and_then(|text| {
                file.parent()
                    .map_or(Ok(()), fs::create_dir_all)
                    .and_then(|()| fs::write(file, text + "\n"))
            });
        if let Err(error) = kept {
            warn!(%error, path = %file.display(), "could not remember the settings");
        }
    }
}
