//! The Work Worlds game client: what pupils and teachers see.
//!
//! Each feature is a folder with its own plugin: `settings` (language and, later,
//! accessibility), `title` (the first screen, with the sector worlds to explore).
//! Panels drawn with egui read resources and send messages; systems apply the messages,
//! so every change of state can be driven and tested without a window.

pub mod library;
pub mod settings;
pub mod title;
