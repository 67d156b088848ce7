//! The title screen: the game's name, the language switch and the sector worlds to
//! explore. Choosing a world shows what it is about and the people who work there.

mod panel;

use bevy::prelude::*;
use bevy_egui::EguiPrimaryContextPass;
use workworlds_content::ids::SectorId;

use crate::library::Library;
use crate::screen::Screen;

/// The egui id of the title screen's bar along the bottom, for what is drawn over the
/// title to stand clear of it.
pub const JOIN_BAR: &str = "join-bar";

/// Adds the title screen's state, its messages and its panel.
pub struct TitlePlugin;

impl Plugin for TitlePlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<TitleState>()
            .add_message::<SelectWorld>()
            .add_systems(Update, select_world)
            .add_systems(
                EguiPrimaryContextPass,
                panel::draw_title.run_if(in_state(Screen::Title)),
            );
    }
}

/// What the title screen shows.
#[derive(Resource, Debug, Default, Clone, PartialEq, Eq)]
pub struct TitleState {
    /// The world whose people are shown, if one is chosen.
    pub selected: Option<SectorId>,
}

/// A request to show a world's people, or none.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct SelectWorld(pub Option<SectorId>);

fn select_world(
    mut requests: MessageReader<SelectWorld>,
    library: Res<Library>,
    mut state: ResMut<TitleState>,
) {
    for SelectWorld(world) in requests.read() {
        let known = match (world, &library.content) {
            (None, _) => true,
            (Some(id), Ok(content)) => content.sectors.contains_key(id),
            (Some(_), Err(_)) => false,
        };
        if known {
            state.selected.clone_from(world);
        } else {
            warn!(world = ?world, "ignored a request to show a world that is not loaded");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> App {
        let mut app = App::new();
        app.add_plugins((MinimalPlugins, TitlePlugin))
            .insert_resource(Library::built_in());
        app
    }

    #[test]
    fn choosing_a_loaded_world_shows_it_and_an_unknown_one_is_ignored() {
        let mut app = app();
        let energy = SectorId::new("energy");

        app.world_mut()
            .write_message(SelectWorld(Some(energy.clone())));
        app.update();
        assert_eq!(
            app.world().resource::<TitleState>().selected,
            Some(energy.clone())
        );

        app.world_mut()
            .write_message(SelectWorld(Some(SectorId::new("atlantis"))));
        app.update();
        assert_eq!(app.world().resource::<TitleState>().selected, Some(energy));

        app.world_mut().write_message(SelectWorld(None));
        app.update();
        assert_eq!(app.world().resource::<TitleState>().selected, None);
    }
}
