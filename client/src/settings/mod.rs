//! Player settings: the language (English or Welsh), and how the game is drawn for
//! those who need it: larger text, high contrast, roomier spacing, less movement.
//! Panels read them each frame, so a change shows at once on every screen; they are
//! remembered between runs (see [`SettingsFile`]). A small button in the window's
//! corner, drawn over every screen, opens a window to change them.

mod file;
mod panel;
mod style;
#[cfg(test)]
mod tests;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use serde::{Deserialize, Serialize};
use workworlds_content::Lang;

pub use file::{SettingsFile, config_file};
pub use style::{FOCUS_FILL, SELECTED_FILL, high_contrast_visuals, style_for, zoom_factor};

/// Adds the settings, the file they are remembered in, the button and window that
/// change them, and the systems that apply them.
pub struct SettingsPlugin;

impl Plugin for SettingsPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Settings>()
            .init_resource::<SettingsFile>()
            .init_resource::<SettingsWindow>()
            .add_message::<SwitchLanguage>()
            .add_message::<ChangeSettings>()
            .add_message::<ShowSettings>()
            .add_systems(
                Update,
                (
                    change_settings,
                    switch_language,
                    show_settings,
                    keep_settings,
                )
                    .chain(),
            )
            .add_systems(
                EguiPrimaryContextPass,
                (apply_settings, panel::draw_settings).chain(),
            );
    }
}

/// The current settings.
#[derive(Resource, Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
// A file from an older game, missing a setting, still gives the others.
#[serde(default)]
pub struct Settings {
    pub lang: Lang,
    /// How big text (and everything with it) is drawn.
    pub text_size: TextSize,
    /// Black on white with strong outlines, for pupils who see low contrast poorly.
    pub high_contrast: bool,
    /// More room between widgets and lines, which many dyslexic readers find easier.
    pub roomy_spacing: bool,
    /// No animations, for pupils whom movement distracts or makes unwell. The game's
    /// own animations read it too.
    pub reduced_motion: bool,
}

/// How big text is drawn.
#[derive(
    Debug, Default, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
pub enum TextSize {
    #[default]
    Normal,
    Large,
    Largest,
}

impl TextSize {
    /// Every size, smallest first, as the settings window offers them.
    pub const ALL: [TextSize; 3] = [TextSize::Normal, TextSize::Large, TextSize::Largest];
}

/// A request to switch to the other language.
#[derive(Message, Debug, Clone, Copy)]
pub struct SwitchLanguage;

/// A request to change the settings to these.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct ChangeSettings(pub Settings);

/// A request to open (`true`) or close (`false`) the settings window.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShowSettings(pub bool);

/// Whether the settings window is open.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SettingsWindow {
    pub open: bool,
}

fn change_settings(mut requests: MessageReader<ChangeSettings>, mut settings: ResMut<Settings>) {
    // The last request of a frame wins: each is the whole of the settings wanted.
    if let Some(ChangeSettings(wanted)) = requests.read().last() {
        settings.set_if_neq(wanted.clone());
    }
}

fn switch_language(mut requests: MessageReader<SwitchLanguage>, mut settings: ResMut<Settings>) {
    // Two presses in one frame cancel out, as they would one frame apart.
    for SwitchLanguage in requests.read() {
        settings.lang = settings.lang.other();
    }
}

fn show_settings(mut requests: MessageReader<ShowSettings>, mut window: ResMut<SettingsWindow>) {
    if let Some(ShowSettings(open)) = requests.read().last() {
        window.set_if_neq(SettingsWindow { open: *open });
    }
}

/// Remembers the settings whenever they change, but not when they are first put in
/// place: that is either what was read from the file or what a scene asked for.
fn keep_settings(settings: Res<Settings>, file: Res<SettingsFile>) {
    if settings.is_changed() && !settings.is_added() {
        file.keep(&settings);
    }
}

/// Gives egui the style and zoom of the settings whenever they change (and on the
/// first frame).
fn apply_settings(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    mut applied: Local<Option<Settings>>,
) -> Result {
    if applied.as_ref() == Some(&*settings) {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    ctx.set_theme(egui::Theme::Light);
    ctx.set_style_of(egui::Theme::Light, style_for(&settings));
    ctx.set_zoom_factor(zoom_factor(settings.text_size));
    *applied = Some(settings.clone());
    Ok(())
}

/// The button that switches to the other language, named in that language so a pupil
/// who reads only it can find it.
pub fn language_button(ui: &mut egui::Ui, lang: Lang, switch: &mut MessageWriter<SwitchLanguage>) {
    if ui
        .button(egui::RichText::new(other_language(lang)).size(22.0))
        .clicked()
    {
        switch.write(SwitchLanguage);
    }
}

/// The label of the language switch: the other language, in its own words.
pub fn other_language(lang: Lang) -> &'static str {
    match lang.other() {
        Lang::En => "🌐 English",
        Lang::Cy => "🌐 Cymraeg",
    }
}
