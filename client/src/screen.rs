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

/// Lays `items` out in rows of as many cells `cell_width` wide as fit across the space,
/// so that they go onto another row with large text rather than off the screen. egui's
/// wrapping layout wraps single widgets but not a group like a card or a stamp.
pub fn in_rows<T>(
    ui: &mut bevy_egui::egui::Ui,
    items: &[T],
    cell_width: f32,
    mut cell: impl FnMut(&mut bevy_egui::egui::Ui, &T),
) {
    let across = cells_across(
        ui.available_width(),
        cell_width,
        ui.spacing().item_spacing.x,
    );
    for row in items.chunks(across) {
        ui.horizontal_top(|ui| {
            for item in row {
                cell(ui, item);
            }
        });
    }
}

/// How many cells `cell` wide, `gap` apart, fit in `width`: at least one.
pub fn cells_across(width: f32, cell: f32, gap: f32) -> usize {
    let across = ((width + gap) / (cell + gap)).floor();
    if across >= 1.0 { across as usize } else { 1 }
}

#[cfg(test)]
mod tests {
    use super::cells_across;

    #[test]
    fn as_many_cells_fit_as_there_is_room_for_and_never_none() {
        assert_eq!(cells_across(1000.0, 144.0, 12.0), 6);
        assert_eq!(cells_across(610.0, 144.0, 12.0), 3);
        assert_eq!(cells_across(612.0, 144.0, 12.0), 4);
        assert_eq!(cells_across(50.0, 144.0, 12.0), 1);
    }
}
