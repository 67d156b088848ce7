//! Player settings. For now the language: English or Welsh, switched from any screen,
//! changing every visible text at once because panels read it each frame.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use workworlds_content::Lang;

/// Adds the settings resource and the systems that change it.
pub struct SettingsPlugin;

impl Plugin for SettingsPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Settings>()
            .add_message::<SwitchLanguage>()
            .add_systems(Update, switch_language)
            .add_systems(EguiPrimaryContextPass, apply_theme);
    }
}

/// The current settings.
#[derive(Resource, Debug, Default, Clone, PartialEq, Eq)]
pub struct Settings {
    pub lang: Lang,
}

/// A request to switch to the other language.
#[derive(Message, Debug, Clone, Copy)]
pub struct SwitchLanguage;

fn switch_language(mut requests: MessageReader<SwitchLanguage>, mut settings: ResMut<Settings>) {
    // Two presses in one frame cancel out, as they would one frame apart.
    for SwitchLanguage in requests.read() {
        settings.lang = settings.lang.other();
    }
}

/// Sets egui's look once: a light theme with roomy spacing, readable on a classroom
/// projector.
fn apply_theme(mut contexts: EguiContexts, mut applied: Local<bool>) -> Result {
    if *applied {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    ctx.set_theme(egui::Theme::Light);
    ctx.style_mut_of(egui::Theme::Light, |style| {
        style.spacing.button_padding = egui::vec2(12.0, 8.0);
        style.spacing.item_spacing = egui::vec2(12.0, 10.0);
    });
    *applied = true;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switching_language_toggles_between_english_and_welsh() {
        let mut app = App::new();
        app.add_plugins((MinimalPlugins, SettingsPlugin));
        assert_eq!(app.world().resource::<Settings>().lang, Lang::En);

        app.world_mut().write_message(SwitchLanguage);
        app.update();
        assert_eq!(app.world().resource::<Settings>().lang, Lang::Cy);

        app.world_mut().write_message(SwitchLanguage);
        app.update();
        assert_eq!(app.world().resource::<Settings>().lang, Lang::En);
    }
}
