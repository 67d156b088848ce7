//! The Work Worlds game client: what pupils and teachers see.
//!
//! Each feature is a folder with its own plugin: `settings` (language, text size, high
//! contrast, spacing and reduced motion, remembered between runs), `title` (the
//! first screen: worlds to explore, joining a class, teachers' login), `class` (joining
//! and the pupil's class screen), `world` (a sector world's map, its people and their
//! quests), `challenge` (a pupil's decisions and the results of an enterprise
//! challenge), `portfolio` (passport, job cards, badges and
//! reflections), `desk` (the teacher's new session, board and dashboard), `record` (a
//! teacher's record of a session for the school's CWRE sheet), `net` (the connection, on its own runtime, and the server the game can run
//! inside itself) and `scene` (screenshots of named scenes). Panels drawn with egui read
//! resources and send messages; systems apply the messages, so every change of state
//! can be driven and tested without a window.

pub mod challenge;
pub mod class;
pub mod desk;
pub mod library;
pub mod net;
pub mod portfolio;
pub mod record;
pub mod scene;
pub mod screen;
pub mod settings;
pub mod teams;
pub mod title;
pub mod words;
pub mod world;

#[cfg(test)]
mod testing;

use bevy::prelude::*;

/// Every feature plugin of the game, without the window or egui: what headless tests
/// and the game share.
pub struct GamePlugins;

impl Plugin for GamePlugins {
    fn build(&self, app: &mut App) {
        app.add_plugins((
            screen::ScreenPlugin,
            settings::SettingsPlugin,
            net::NetPlugin,
            library::LibraryPlugin,
            title::TitlePlugin,
            class::ClassPlugin,
            portfolio::PortfolioPlugin,
            record::RecordPlugin,
            desk::DeskPlugin,
            world::WorldPlugin,
            challenge::ChallengePlugin,
        ));
    }
}
