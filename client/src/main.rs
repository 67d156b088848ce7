//! `workworlds`: builds the game from its plugins and runs it, or takes a screenshot of
//! a named scene.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy_egui::EguiPlugin;
use clap::Parser;
use workworlds::GamePlugins;
use workworlds::library::{Library, content_dir};
use workworlds::scene::{SceneName, ScenePlugin};
use workworlds::settings::SettingsFile;
use workworlds_content::Lang;

/// Work Worlds · Bydoedd Gwaith
#[derive(Debug, Parser)]
#[command(name = "workworlds", version, about)]
struct Args {
    /// Save a picture of `--scene` to this PNG file and exit.
    #[arg(long, requires = "scene")]
    screenshot: Option<PathBuf>,
    /// The scene to picture.
    #[arg(long, value_enum, requires = "screenshot")]
    scene: Option<SceneName>,
    /// With `--screenshot`: time this many frames of the ready scene first, and print
    /// the timings as a line of JSON.
    #[arg(long, default_value_t = 0, requires = "screenshot")]
    measure_frames: usize,
    /// The language to start in; without it, the language last chosen (English for a
    /// screenshot).
    #[arg(long, value_enum)]
    lang: Option<Language>,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Language {
    En,
    Cy,
}

fn main() -> AppExit {
    let started = std::time::Instant::now();
    let args = Args::parse();
    let library = Library::load(&content_dir());
    let mut app = App::new();
    app.add_plugins(DefaultPlugins.set(WindowPlugin {
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
    .add_plugins(GamePlugins)
    .add_systems(Startup, spawn_camera);
    let lang = args.lang.map(|lang| match lang {
        Language::En => Lang::En,
        Language::Cy => Lang::Cy,
    });
    match (args.screenshot, args.scene) {
        (Some(out), Some(scene)) => {
            app.add_plugins(ScenePlugin {
                scene,
                out,
                lang: lang.unwrap_or_default(),
                measure_frames: args.measure_frames,
                started,
            });
        }
        _ => {
            let file = SettingsFile::default();
            let mut settings = file.load();
            if let Some(lang) = lang {
                settings.lang = lang;
            }
            app.insert_resource(settings).insert_resource(file);
        }
    }
    app.run()
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn(Camera2d);
}
