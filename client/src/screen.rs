//! Which screen the game shows. Each feature's panel draws only on its own screen, and
//! moving between screens is a state change Bevy applies between frames.

use bevy::prelude::*;

/// The screen on show.
#[derive(States, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Screen {
    /// The first screen: worlds to explore, joining a class, teachers' login.
    #[default]
    Title,
    /// A pupil in a class session.
    Class,
    /// A pupil's portfolio: passport, job cards, badges and reflections.
    Portfolio,
    /// The teacher's desk: a new session, the board and the dashboard.
    Desk,
    /// A teacher's record of a session, for the school's CWRE sheet.
    Record,
}

/// Adds the screen state.
pub struct ScreenPlugin;

impl Plugin for ScreenPlugin {
    fn build(&self, app: &mut App) {
        if !app.is_plugin_added::<bevy::state::app::StatesPlugin>() {
            app.add_plugins(bevy::state::app::StatesPlugin);
        }
        app.init_state::<Screen>();
    }
}

/// A Ui covering the whole window, on the background layer, for a screen's panels to
/// be laid out in.
pub fn whole_window(ctx: &bevy_egui::egui::Context, id: &'static str) -> bevy_egui::egui::Ui {
    use bevy_egui::egui;
    egui::Ui::new(
        ctx.clone(),
        id.into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    )
}
