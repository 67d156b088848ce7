use std::path::PathBuf;

use bevy::prelude::*;
use bevy_egui::egui::{self, Color32};
use workworlds_content::Lang;

use super::*;

/// The settings plugin alone, remembering into `file` (or nowhere).
fn app(file: Option<PathBuf>) -> App {
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        .insert_resource(SettingsFile { file })
        .add_plugins(SettingsPlugin);
    app.update();
    app
}

fn settings(app: &App) -> &Settings {
    app.world().resource::<Settings>()
}

fn change(app: &mut App, wanted: Settings) {
    app.world_mut().write_message(ChangeSettings(wanted));
    app.update();
}

#[test]
fn switching_language_toggles_between_english_and_welsh() {
    let mut app = app(None);
    assert_eq!(settings(&app).lang, Lang::En);

    app.world_mut().write_message(SwitchLanguage);
    app.update();
    assert_eq!(settings(&app).lang, Lang::Cy);

    app.world_mut().write_message(SwitchLanguage);
    app.update();
    assert_eq!(settings(&app).lang, Lang::En);
}

#[test]
fn each_setting_changes_by_message_and_leaves_the_others() {
    let mut app = app(None);
    let mut wanted = Settings {
        text_size: TextSize::Largest,
        ..Settings::default()
    };
    change(&mut app, wanted.clone());
    assert_eq!(settings(&app).text_size, TextSize::Largest);
    assert!(!settings(&app).high_contrast);

    wanted.high_contrast = true;
    change(&mut app, wanted.clone());
    assert!(settings(&app).high_contrast);
    assert_eq!(settings(&app).text_size, TextSize::Largest);

    wanted.roomy_spacing = true;
    change(&mut app, wanted.clone());
    assert!(settings(&app).roomy_spacing);

    wanted.reduced_motion = true;
    change(&mut app, wanted.clone());
    assert!(settings(&app).reduced_motion);

    wanted.lang = Lang::Cy;
    change(&mut app, wanted.clone());
    assert_eq!(settings(&app), &wanted);

    wanted.high_contrast = false;
    change(&mut app, wanted.clone());
    assert!(!settings(&app).high_contrast);
    assert!(settings(&app).reduced_motion);
}

#[test]
fn the_settings_window_opens_and_closes_by_message() {
    let mut app = app(None);
    let open = |app: &App| app.world().resource::<SettingsWindow>().open;
    assert!(!open(&app));
    app.world_mut().write_message(ShowSettings(true));
    app.update();
    assert!(open(&app));
    app.world_mut().write_message(ShowSettings(false));
    app.update();
    assert!(!open(&app));
}

#[test]
fn settings_kept_in_a_file_are_read_back_equal() {
    let folder = tempfile::tempdir().unwrap();
    let file = SettingsFile {
        file: Some(folder.path().join("workworlds").join("settings.ron")),
    };
    let kept = Settings {
        lang: Lang::Cy,
        text_size: TextSize::Large,
        high_contrast: true,
        roomy_spacing: true,
        reduced_motion: false,
    };
    file.keep(&kept);
    assert_eq!(file.load(), kept);
}

#[test]
fn a_change_is_remembered_but_the_settings_first_put_in_place_are_not_rewritten() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("settings.ron");
    let mut app = app(Some(path.clone()));
    app.update();
    assert!(!path.exists(), "nothing changed, so nothing is written");

    let wanted = Settings {
        text_size: TextSize::Largest,
        reduced_motion: true,
        ..Settings::default()
    };
    change(&mut app, wanted.clone());
    let file = SettingsFile { file: Some(path) };
    assert_eq!(file.load(), wanted);

    // Switching language is a change too.
    app.world_mut().write_message(SwitchLanguage);
    app.update();
    assert_eq!(file.load().lang, Lang::Cy);
    assert_eq!(file.load().text_size, TextSize::Largest);
}

#[test]
fn a_missing_or_malformed_file_gives_the_defaults() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("settings.ron");
    let file = SettingsFile {
        file: Some(path.clone()),
    };
    assert_eq!(file.load(), Settings::default());

    std::fs::write(&path, "(text_size: Enormous, high_contrast: tru").unwrap();
    assert_eq!(file.load(), Settings::default());

    // A folder where the file should be cannot be read as one.
    std::fs::create_dir_all(folder.path().join("folder.ron")).unwrap();
    let folder_file = SettingsFile {
        file: Some(folder.path().join("folder.ron")),
    };
    assert_eq!(folder_file.load(), Settings::default());

    assert_eq!(SettingsFile { file: None }.load(), Settings::default());
}

#[test]
fn a_file_missing_some_settings_keeps_the_others() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("settings.ron");
    std::fs::write(&path, "(lang: Cy, high_contrast: true)").unwrap();
    let loaded = SettingsFile { file: Some(path) }.load();
    assert_eq!(
        loaded,
        Settings {
            lang: Lang::Cy,
            high_contrast: true,
            ..Settings::default()
        }
    );
}

#[test]
fn every_step_of_text_size_is_bigger() {
    assert_eq!(zoom_factor(TextSize::Normal), 1.0);
    for pair in TextSize::ALL.windows(2) {
        assert!(
            zoom_factor(pair[1]) >= zoom_factor(pair[0]) + 0.15,
            "{:?} is not clearly bigger than {:?}",
            pair[1],
            pair[0]
        );
    }
    assert!(zoom_factor(TextSize::Largest) >= 1.35);
}

/// WCAG's relative luminance of a colour.
fn luminance(colour: Color32) -> f32 {
    let linear = egui::Rgba::from(colour);
    0.2126 * linear.r() + 0.7152 * linear.g() + 0.0722 * linear.b()
}

/// WCAG's contrast ratio of two colours: 1 for none, 21 for black on white.
fn contrast(a: Color32, b: Color32) -> f32 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

fn high_contrast() -> egui::Style {
    style_for(&Settings {
        high_contrast: true,
        ..Settings::default()
    })
}

#[test]
fn high_contrast_is_black_text_on_white() {
    let visuals = high_contrast().visuals;
    assert!(!visuals.dark_mode);
    assert_eq!(visuals.panel_fill, Color32::WHITE);
    assert_eq!(visuals.window_fill, Color32::WHITE);
    assert!(luminance(visuals.text_color()) < 0.01, "text is not black");
    assert!(contrast(visuals.text_color(), visuals.panel_fill) > 20.0);
    // "Weak" text, such as hints, is no light grey.
    assert!(contrast(visuals.weak_text_color(), visuals.panel_fill) >= 10.0);
    // Text on every state of a widget stays black-on-light.
    let states = &visuals.widgets;
    for (name, state) in [
        ("inactive", states.inactive),
        ("hovered", states.hovered),
        ("active", states.active),
        ("open", states.open),
    ] {
        assert!(
            contrast(state.text_color(), state.weak_bg_fill) >= 10.0,
            "{name} button text is hard to read"
        );
    }
}

#[test]
fn high_contrast_outlines_widgets_and_marks_selection_and_focus_strongly() {
    let visuals = high_contrast().visuals;
    let states = &visuals.widgets;
    for (name, state) in [
        ("inactive", states.inactive),
        ("hovered", states.hovered),
        ("active", states.active),
        ("noninteractive", states.noninteractive),
    ] {
        assert!(state.bg_stroke.width >= 2.0, "{name} outline is thin");
        assert!(
            luminance(state.bg_stroke.color) < 0.01,
            "{name} outline is not black"
        );
    }
    // Focus (drawn as `active`) has the thickest outline and a strong fill.
    assert!(states.active.bg_stroke.width > states.inactive.bg_stroke.width);
    assert!(contrast(states.active.weak_bg_fill, states.inactive.weak_bg_fill) >= 1.3);
    // A selected button is filled, with readable text, and unlike focus.
    let selection = visuals.selection;
    assert!(contrast(selection.bg_fill, visuals.panel_fill) >= 1.4);
    assert!(contrast(selection.stroke.color, selection.bg_fill) >= 10.0);
    assert_ne!(selection.bg_fill, states.active.weak_bg_fill);
    // A text box being typed in is outlined thickly in black.
    assert!(selection.stroke.width >= 3.0);

    // The normal theme is not this: its buttons have no outline.
    let normal = style_for(&Settings::default()).visuals;
    assert_eq!(normal.widgets.inactive.bg_stroke.width, 0.0);
    assert_ne!(normal.panel_fill, Color32::WHITE);
}

#[test]
fn roomy_spacing_widens_gaps_padding_and_lines() {
    let normal = style_for(&Settings::default()).spacing;
    let roomy = style_for(&Settings {
        roomy_spacing: true,
        ..Settings::default()
    })
    .spacing;
    assert!(roomy.item_spacing.x >= normal.item_spacing.x + 6.0);
    assert!(roomy.item_spacing.y >= normal.item_spacing.y + 4.0);
    assert!(roomy.button_padding.x > normal.button_padding.x);
    assert!(roomy.button_padding.y > normal.button_padding.y);
    assert_eq!(normal.extra_text_line_spacing, 0.0);
    assert!(roomy.extra_text_line_spacing >= 4.0);
    assert!(roomy.icon_spacing > normal.icon_spacing);
}

#[test]
fn reduced_motion_stops_egui_animating() {
    let normal = style_for(&Settings::default());
    assert!(normal.animation_time > 0.0);
    assert!(normal.visuals.text_cursor.blink);
    let still = style_for(&Settings {
        reduced_motion: true,
        ..Settings::default()
    });
    assert_eq!(still.animation_time, 0.0);
    assert!(!still.visuals.text_cursor.blink);
    assert_eq!(still.scroll_animation, egui::style::ScrollAnimation::none());
}

#[test]
fn the_settings_combine() {
    let all = style_for(&Settings {
        high_contrast: true,
        roomy_spacing: true,
        reduced_motion: true,
        ..Settings::default()
    });
    assert_eq!(all.visuals.panel_fill, Color32::WHITE);
    assert!(all.spacing.extra_text_line_spacing > 0.0);
    assert_eq!(all.animation_time, 0.0);
    assert!(!all.visuals.text_cursor.blink);
}

#[test]
fn headless_games_remember_no_settings() {
    let game = crate::testing::Headless::new();
    assert_eq!(game.resource::<SettingsFile>().file, None);
}

/// Draws the settings window's choices for one frame of `keys` being pressed.
fn press(ctx: &egui::Context, wanted: &mut Settings, keys: &[egui::Key]) {
    let events = keys
        .iter()
        .map(|&key| egui::Event::Key {
            key,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: egui::Modifiers::NONE,
        })
        .collect();
    let input = egui::RawInput {
        events,
        ..Default::default()
    };
    ctx.run_ui(input, |ui| super::panel::draw_choices(ui, wanted))
        .drop_without_applying_deltas();
}

#[test]
fn every_choice_can_be_reached_and_made_with_the_keyboard() {
    use egui::Key::{Enter, Space, Tab};
    let ctx = egui::Context::default();
    let mut wanted = Settings::default();
    press(&ctx, &mut wanted, &[]);
    // English, then Cymraeg.
    for keys in [&[Tab][..], &[Tab], &[Enter], &[]] {
        press(&ctx, &mut wanted, keys);
    }
    assert_eq!(wanted.lang, Lang::Cy);
    // Normal, Large, Largest.
    for keys in [&[Tab][..], &[Tab], &[Tab], &[Enter], &[]] {
        press(&ctx, &mut wanted, keys);
    }
    assert_eq!(wanted.text_size, TextSize::Largest);
    // The three tick boxes.
    for keys in [
        &[Tab][..],
        &[Space],
        &[Tab],
        &[Space],
        &[Tab],
        &[Space],
        &[],
    ] {
        press(&ctx, &mut wanted, keys);
    }
    assert!(wanted.high_contrast && wanted.roomy_spacing && wanted.reduced_motion);
}
