//! `workworlds`: builds the game from its plugins and runs it, or takes a screenshot of
//! a named scene.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy_egui::EguiPlugin;
use clap::Parser;
use workworlds::GamePlugins;
use workworlds::library::Library;
use workworlds::scene::{SceneName, ScenePlugin};
use workworlds::settings::{Settings, SettingsFile, TextSize};
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
    /// Text size to start with, over the one last chosen.
    #[arg(long, value_enum)]
    text_size: Option<TextSize>,
    /// Start with the high-contrast theme.
    #[arg(long)]
    high_contrast: bool,
    /// Start with more space between lines and buttons.
    #[arg(long)]
    roomy_spacing: bool,
    /// Start with no animations.
    #[arg(long)]
    reduced_motion: bool,
}

impl Args {
    /// `settings` with what was asked for on the command line put over them.
    fn over(&self, mut settings: Settings) -> Settings {
        if let Some(lang) = self.lang {
            settings.lang = match lang {
                Language::En => Lang::En,
                Language::Cy => Lang::Cy,
            };
        }
        if let Some(size) = self.text_size {
            settings.text_size = size;
        }
        settings.high_contrast |= self.high_contrast;
        settings.roomy_spacing |= self.roomy_spacing;
        settings.reduced_motion |= self.reduced_motion;
        settings
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Language {
    En,
    Cy,
}

fn main() -> AppExit {
    let started = std::time::Instant::now();
    let args = Args::parse();
    let library = Library::local();
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
    match (&args.screenshot, args.scene) {
        (Some(out), Some(scene)) => {
            // A picture starts from the settings everyone starts with.
            app.add_plugins(ScenePlugin {
                scene,
                out: out.clone(),
                settings: args.over(Settings::default()),
                measure_frames: args.measure_frames,
                started,
            });
        }
        _ => {
            let file = SettingsFile::default();
            let settings = args.over(file.load());
            app.insert_resource(settings).insert_resource(file);
        }
    }
    app.run()
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn(Camera2d);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_given_on_the_command_line_go_over_the_remembered_ones() {
        let remembered = Settings {
            lang: Lang::Cy,
            text_size: TextSize::Large,
            reduced_motion: true,
            ..Settings::default()
        };
        let none = Args::parse_from(["workworlds"]);
        assert_eq!(none.over(remembered.clone()), remembered);

        let some = Args::parse_from([
            "workworlds",
            "--lang",
            "en",
            "--text-size",
            "largest",
            "--high-contrast",
        ]);
        assert_eq!(
            some.over(remembered),
            Settings {
                lang: Lang::En,
                text_size: TextSize::Largest,
                high_contrast: true,
                roomy_spacing: false,
                reduced_motion: true,
            }
        );
    }
}
