//! The settings button, drawn over every screen, and the settings window it opens. Like
//! every panel it reads state and sends messages; it changes nothing itself.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};
use workworlds_content::Lang;

use super::{ChangeSettings, Settings, SettingsWindow, ShowSettings, TextSize};
use crate::screen::Screen;
use crate::words::say;

/// The side of the settings button, in points: a comfortable target for a finger.
const BUTTON_POINTS: f32 = 48.0;

/// The gap between the settings button and the window's edges, in points.
const MARGIN: f32 = 8.0;

/// The height of every choice in the window, in points: easy to hit.
const CHOICE_POINTS: f32 = 44.0;

/// The least width of the window, in points: its longest line fits in English.
const WINDOW_POINTS: f32 = 460.0;

/// The window's title bar, margins and Close button, in points: what its choices cannot
/// use of the screen's height.
const WINDOW_FRAME_POINTS: f32 = 180.0;

/// The size of the window's words.
const TEXT_POINTS: f32 = 22.0;

pub(super) fn draw_settings(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    window: Res<SettingsWindow>,
    screen: Res<State<Screen>>,
    mut change: MessageWriter<ChangeSettings>,
    mut show: MessageWriter<ShowSettings>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let lang = settings.lang;
    let lift = bottom_bar_height(ctx, *screen.get());
    egui::Area::new(egui::Id::new("settings-button"))
        .anchor(egui::Align2::RIGHT_BOTTOM, [-MARGIN, -MARGIN - lift])
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            if settings_button(ui, lang).clicked() {
                show.write(ShowSettings(!window.open));
            }
        });
    if !window.open {
        return Ok(());
    }
    let mut open = true;
    let mut wanted = settings.clone();
    let mut close = false;
    egui::Window::new(egui::RichText::new(say(lang, "Settings", "Gosodiadau")).size(26.0))
        .id(egui::Id::new("settings-window"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .min_width(WINDOW_POINTS)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            // The choices scroll rather than run off a small screen; Close stays in view.
            egui::ScrollArea::vertical()
                .max_height(ctx.viewport_rect().height() - WINDOW_FRAME_POINTS)
                .show(ui, |ui| draw_choices(ui, &mut wanted));
            ui.separator();
            close = choice_button(ui, false, say(lang, "Close", "Cau"));
        });
    if wanted != *settings {
        change.write(ChangeSettings(wanted));
    }
    let escape = ctx.input(|input| input.key_pressed(egui::Key::Escape));
    if !open || close || escape {
        show.write(ShowSettings(false));
    }
    Ok(())
}

/// How far the button stands above the window's bottom edge: the height of the title
/// screen's bottom bar there, nothing elsewhere.
fn bottom_bar_height(ctx: &egui::Context, screen: Screen) -> f32 {
    if screen != Screen::Title {
        return 0.0;
    }
    egui::containers::panel::PanelState::load(ctx, egui::Id::new(crate::title::JOIN_BAR))
        .map_or(0.0, |bar| bar.outer_rect.height())
}

/// The cog that opens the settings, named for screen readers and on hover since it
/// shows no words.
fn settings_button(ui: &mut egui::Ui, lang: Lang) -> egui::Response {
    let name = say(lang, "Settings", "Gosodiadau");
    let button = egui::Button::new(egui::RichText::new("⚙").size(30.0))
        .min_size(egui::Vec2::splat(BUTTON_POINTS));
    let response = ui.add(button);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Button, true, &name));
    response.on_hover_text(name)
}

/// The choices, changing `wanted`.
pub(super) fn draw_choices(ui: &mut egui::Ui, wanted: &mut Settings) {
    let lang = wanted.lang;
    // Tick boxes as big as the buttons, so every choice is as easy to hit.
    ui.spacing_mut().interact_size.y = CHOICE_POINTS;
    ui.spacing_mut().icon_width = 28.0;
    ui.spacing_mut().icon_width_inner = 16.0;

    // Each choice's name beside its buttons, to keep the window short enough for the
    // largest text on a small screen.
    egui::Grid::new("settings-choices")
        .num_columns(2)
        .show(ui, |ui| {
            heading(ui, say(lang, "Language", "Iaith"));
            ui.horizontal(|ui| {
                for (choice, name) in [(Lang::En, "English"), (Lang::Cy, "Cymraeg")] {
                    if choice_button(ui, wanted.lang == choice, name.to_owned()) {
                        wanted.lang = choice;
                    }
                }
            });
            ui.end_row();
            heading(ui, say(lang, "Text size", "Maint y testun"));
            ui.horizontal(|ui| {
                for size in TextSize::ALL {
                    if choice_button(ui, wanted.text_size == size, size_name(size, lang)) {
                        wanted.text_size = size;
                    }
                }
            });
            ui.end_row();
        });
    ui.separator();
    tick_box(
        ui,
        &mut wanted.high_contrast,
        say(lang, "High contrast", "Cyferbyniad uchel"),
    );
    tick_box(
        ui,
        &mut wanted.roomy_spacing,
        say(
            lang,
            "More space between lines and buttons",
            "Mwy o le rhwng llinellau a botymau",
        ),
    );
    tick_box(
        ui,
        &mut wanted.reduced_motion,
        say(lang, "Less movement", "Llai o symud"),
    );
}

fn heading(ui: &mut egui::Ui, text: String) {
    ui.label(egui::RichText::new(text).size(TEXT_POINTS).strong());
}

/// A big button, shown selected when it is the current choice; whether it was pressed.
fn choice_button(ui: &mut egui::Ui, selected: bool, text: String) -> bool {
    // Framed even when not chosen, so every choice looks like something to press.
    let button = egui::Button::new(egui::RichText::new(text).size(TEXT_POINTS))
        .selected(selected)
        .min_size(egui::vec2(CHOICE_POINTS * 2.0, CHOICE_POINTS));
    ui.add(button).clicked()
}

fn tick_box(ui: &mut egui::Ui, on: &mut bool, text: String) {
    ui.checkbox(on, egui::RichText::new(text).size(TEXT_POINTS));
}

/// A text size's name, in the pupil's language.
fn size_name(size: TextSize, lang: Lang) -> String {
    match size {
        TextSize::Normal => say(lang, "Normal", "Arferol"),
        TextSize::Large => say(lang, "Large", "Mawr"),
        TextSize::Largest => say(lang, "Largest", "Mwyaf"),
    }
}
