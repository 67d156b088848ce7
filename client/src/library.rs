//! The content the client shows, loaded once at start-up.
//!
//! TODO: the client reads content from a folder on this computer; once the class
//! server exists it should take the content bundle the server sends, so a school's own
//! quests reach every pupil's screen without copying files.

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use workworlds_content::{Content, ContentErrors, load_dir};

/// Where the shipped content lives, relative to the folder the game starts in.
pub const CONTENT_DIR: &str = "content/data";

/// The loaded content, or every problem that stopped it loading; the title screen shows
/// the problems instead of closing the game.
#[derive(Resource)]
pub struct Library(pub Result<Content, ContentErrors>);

impl Library {
    /// Loads the content folder at `dir`.
    pub fn load(dir: &Path) -> Library {
        Library(load_dir(dir))
    }
}

/// The content folder to use: `WORKWORLDS_CONTENT` if set, else `content/data` in the
/// working directory, else the one in the source tree the game was built from (so
/// `cargo run` works from any folder of the checkout).
pub fn content_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("WORKWORLDS_CONTENT") {
        return PathBuf::from(dir);
    }
    let local = PathBuf::from(CONTENT_DIR);
    if local.is_dir() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(CONTENT_DIR)
}
