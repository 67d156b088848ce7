//! The server address the game last joined, remembered between runs so a class's
//! computers need it typed once. It is kept in the user's configuration folder
//! (`$XDG_CONFIG_HOME/workworlds/server`, or `~/.config/workworlds/server`).

use std::fs;
use std::net::SocketAddr;
use std::path::PathBuf;

use bevy::prelude::*;

/// Where the address is remembered; `None` remembers nothing, as in tests.
#[derive(Resource, Debug, Clone, PartialEq, Eq)]
pub struct Remembered {
    pub file: Option<PathBuf>,
}

impl Default for Remembered {
    fn default() -> Remembered {
        Remembered {
            file: crate::settings::config_file("server"),
        }
    }
}

impl Remembered {
    /// The address last remembered, if there is one and it still reads as an address.
    pub fn server(&self) -> Option<SocketAddr> {
        let text = fs::read_to_string(self.file.as_ref()?).ok()?;
        text.trim().parse().ok()
    }

    /// Remembers `server`; a folder that cannot be written only costs the pupil typing
    /// the address again next time.
    pub fn keep(&self, server: SocketAddr) {
        let Some(file) = &self.file else { return };
        let kept = file
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(file, format!("{server}\n")));
        if let Err(error) = kept {
            warn!(%error, path = %file.display(), "could not remember the server's address");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_kept_is_read_back_and_a_missing_file_is_nothing() {
        let folder = tempfile::tempdir().unwrap();
        let remembered = Remembered {
            file: Some(folder.path().join("workworlds").join("server")),
        };
        assert_eq!(remembered.server(), None);
        let server: SocketAddr = "192.168.1.20:4433".parse().unwrap();
        remembered.keep(server);
        assert_eq!(remembered.server(), Some(server));
        assert_eq!(Remembered { file: None }.server(), None);
    }
}
