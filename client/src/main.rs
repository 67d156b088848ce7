//! `workworlds`: builds the game from its plugins and runs it.

use bevy::prelude::*;
use bevy_egui::EguiPlugin;
use workworlds::library::{Library, content_dir};
use workworlds::settings::SettingsPlugin;
use workworlds::title::TitlePlugin;

fn main() {
    let library = Library::load(&content_dir());
    App::new()
        .add_plugins(DefaultPlugins.set(WindowPlugin {
            primary_window: Some(Window {
                title: "Work Worlds · Bydoedd Gwaith".into(),
                resolution: (1280, 720).into(),
                ..default()
            }),
            ..default()
        }))
        .add_plugins(EguiPlugin::default())
        .insert_resource(library)
        .insert_resource(ClearColor(Color::srgb(0.93, 0.95, 0.97)))
        .add_plugins((SettingsPlugin, TitlePlugin))
        .add_systems(Startup, spawn_camera)
        .run();
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn(Camera2d);
}
