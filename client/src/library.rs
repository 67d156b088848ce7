//! The content the client shows: at start-up this computer's own (a content folder, or
//! the content built into the game), and once in a class the class server's. A server
//! whose content differs from what the game shows sends its bundle when the game
//! connects, so a school's own worlds and quests reach every pupil's screen without
//! copying files to each computer.

use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;
use workworlds_content::{Content, ContentBundle, ContentErrors, shipped};

use crate::net::NetEvent;

/// Where the content on show came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A content folder on this computer.
    Folder(PathBuf),
    /// The content compiled into the game.
    BuiltIn,
    /// The class server the game is connected to.
    Server,
}

impl Source {
    /// Loads and checks `bundle`, which came from here: problems in a folder's files
    /// are named by their path in the folder.
    pub fn load(&self, bundle: &ContentBundle) -> Result<Content, ContentErrors> {
        match self {
            Source::Folder(dir) => bundle.load_at(dir),
            Source::BuiltIn | Source::Server => bundle.load(),
        }
    }
}

/// The content on show, or every problem that stopped it loading (the title screen
/// shows the problems instead of closing the game), with the hash of its bundle, which
/// the game sends in its hello so a server with the same content sends none.
#[derive(Resource)]
pub struct Library {
    pub content: Result<Arc<Content>, ContentErrors>,
    pub hash: [u8; 32],
    pub source: Source,
}

impl Library {
    /// This computer's own content: see [`local_bundle`].
    pub fn local() -> Library {
        match local_bundle() {
            Ok((bundle, source)) => Library::from_bundle(&bundle, source),
            Err((errors, source)) => Library {
                content: Err(errors),
                hash: [0; 32],
                source,
            },
        }
    }

    /// Loads and checks `bundle`, which came from `source`.
    pub fn from_bundle(bundle: &ContentBundle, source: Source) -> Library {
        Library {
            content: source.load(bundle).map(Arc::new),
            hash: bundle.hash(),
            source,
        }
    }

    /// The content built into the game: what tests and screenshots show, whatever
    /// folder they run in.
    pub fn built_in() -> Library {
        Library::from_bundle(&shipped::bundle(), Source::BuiltIn)
    }
}

/// This computer's own content as a bundle, with where it came from: the folder in
/// `WORKWORLDS_CONTENT` if set, else `content/data` when the game starts in a checkout,
/// else the content built into the game. A folder that cannot be read gives its
/// problems.
pub fn local_bundle() -> Result<(ContentBundle, Source), (ContentErrors, Source)> {
    let given = std::env::var_os("WORKWORLDS_CONTENT").map(PathBuf::from);
    match shipped::folder_or_built_in(given.as_deref()) {
        Ok((bundle, Some(dir))) => Ok((bundle, Source::Folder(dir))),
        Ok((bundle, None)) => Ok((bundle, Source::BuiltIn)),
        Err(errors) => {
            let dir = given.unwrap_or_else(|| PathBuf::from(shipped::CHECKOUT_DIR));
            Err((errors, Source::Folder(dir)))
        }
    }
}

/// Shows the class server's content once it arrives.
pub struct LibraryPlugin;

impl Plugin for LibraryPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(
            PreUpdate,
            take_server_content.after(crate::net::pump_net_events),
        );
    }
}

/// Puts the content a class server sent on show, before the screens hear they are
/// connected.
fn take_server_content(mut heard: MessageReader<NetEvent>, mut library: ResMut<Library>) {
    for event in heard.read() {
        if let NetEvent::Content(arrived) = event {
            info!("showing the class server's content");
            *library = Library {
                content: Ok(arrived.content.clone()),
                hash: arrived.hash,
                source: Source::Server,
            };
        }
    }
}
