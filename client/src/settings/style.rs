//! What the settings do to egui, as pure functions of [`Settings`] so tests can check
//! them without a window.
//!
//! - Text size is egui's zoom factor, not its text styles: the panels size most of
//!   their text with `RichText::size(..)`, which text styles would not reach, while the
//!   zoom scales every text, widget and margin alike.
//! - High contrast replaces the light theme's colours (see [`high_contrast_visuals`]).
//!   It changes egui's own colours only: a panel that paints in colours of its own
//!   (a world's tile, a team's colour) keeps them.
//! - Roomy spacing widens the gaps between widgets and inside buttons, indents more,
//!   puts a wider gap between a tick box and its words, and adds room between the lines
//!   of plain-text labels and of text boxes (egui's `extra_text_line_spacing`; text
//!   built with `RichText` keeps its own line height). egui has no global letter
//!   spacing, only one per piece of `RichText`, so letters are not spaced further apart.
//! - Reduced motion stops egui's animations (panels and windows opening, scrolling)
//!   and the text cursor's blinking.

use bevy_egui::egui::{self, Color32, Stroke};

use super::{Settings, TextSize};

/// egui's zoom factor for a text size: how much bigger everything is drawn.
pub fn zoom_factor(size: TextSize) -> f32 {
    match size {
        TextSize::Normal => 1.0,
        TextSize::Large => 1.2,
        TextSize::Largest => 1.4,
    }
}

/// egui's style for `settings`: the light theme, or its high-contrast version, with
/// the spacing and motion asked for.
pub fn style_for(settings: &Settings) -> egui::Style {
    let mut style = egui::Theme::Light.default_style();
    set_spacing(&mut style.spacing, settings.roomy_spacing);
    if settings.high_contrast {
        style.visuals = high_contrast_visuals();
    }
    if settings.reduced_motion {
        reduce_motion(&mut style);
    }
    style
}

/// The game's spacing. Even the normal one is roomier than egui's, to be readable on a
/// classroom projector and easy to hit on a touch screen.
fn set_spacing(spacing: &mut egui::style::Spacing, roomy: bool) {
    if roomy {
        spacing.item_spacing = egui::vec2(20.0, 16.0);
        spacing.button_padding = egui::vec2(18.0, 12.0);
        spacing.indent = 28.0;
        spacing.icon_spacing = 10.0;
        spacing.extra_text_line_spacing = 6.0;
    } else {
        spacing.item_spacing = egui::vec2(12.0, 10.0);
        spacing.button_padding = egui::vec2(12.0, 8.0);
    }
}

/// No animations: egui's take no time, scrolling jumps and the text cursor stays on.
fn reduce_motion(style: &mut egui::Style) {
    style.animation_time = 0.0;
    style.scroll_animation = egui::style::ScrollAnimation::none();
    style.visuals.text_cursor.blink = false;
}

/// The fill of a widget that has keyboard focus or is being pressed: strong yellow,
/// under black text.
pub const FOCUS_FILL: Color32 = Color32::from_rgb(255, 214, 0);

/// The fill of a selected button (a tab, a chosen answer) and of selected text: clear
/// sky blue, under black text, unlike both the white of other buttons and the yellow
/// of focus.
pub const SELECTED_FILL: Color32 = Color32::from_rgb(128, 212, 255);

/// Black text on white, every widget outlined in black, hovered widgets pale yellow
/// with a thicker outline, focused and pressed ones strong yellow with the thickest,
/// selected ones sky blue. No grey text: "weak" text is near-black.
pub fn high_contrast_visuals() -> egui::Visuals {
    let mut visuals = egui::Visuals::light();
    let outline = |width| Stroke::new(width, Color32::BLACK);
    let states = &mut visuals.widgets;
    states.noninteractive.bg_fill = Color32::WHITE;
    states.noninteractive.weak_bg_fill = Color32::WHITE;
    states.noninteractive.bg_stroke = outline(2.0);
    states.noninteractive.fg_stroke = outline(1.0);
    // A slider's rail and a tick box are drawn in `bg_fill`: grey, to show on white.
    // Buttons are filled with `weak_bg_fill`.
    states.inactive.bg_fill = Color32::from_gray(190);
    states.inactive.weak_bg_fill = Color32::WHITE;
    states.inactive.bg_stroke = outline(2.0);
    states.inactive.fg_stroke = outline(1.5);
    let hovered = Color32::from_rgb(255, 244, 170);
    states.hovered.bg_fill = hovered;
    states.hovered.weak_bg_fill = hovered;
    states.hovered.bg_stroke = outline(3.0);
    states.hovered.fg_stroke = outline(2.0);
    // A menu's open button, and the title bar of the window on top.
    states.open.bg_fill = Color32::from_gray(225);
    states.open.weak_bg_fill = Color32::from_gray(225);
    states.open.bg_stroke = outline(2.0);
    states.open.fg_stroke = outline(1.5);
    states.active.bg_fill = FOCUS_FILL;
    states.active.weak_bg_fill = FOCUS_FILL;
    states.active.bg_stroke = outline(4.0);
    states.active.fg_stroke = outline(2.0);

    visuals.selection.bg_fill = SELECTED_FILL;
    // A slider's rail filled up to its handle, so its value shows at a glance.
    visuals.slider_trailing_fill = true;
    // Also the outline of a text box being typed in.
    visuals.selection.stroke = outline(3.0);
    visuals.weak_text_color = Some(Color32::from_gray(40));
    visuals.hyperlink_color = Color32::from_rgb(0, 0, 200);
    visuals.warn_fg_color = Color32::from_rgb(150, 60, 0);
    visuals.error_fg_color = Color32::from_rgb(180, 0, 0);
    visuals.panel_fill = Color32::WHITE;
    visuals.window_fill = Color32::WHITE;
    visuals.window_stroke = outline(2.0);
    visuals.extreme_bg_color = Color32::WHITE;
    visuals.faint_bg_color = Color32::from_gray(235);
    visuals.code_bg_color = Color32::from_gray(235);
    visuals.text_cursor.stroke = outline(2.0);
    // Disabled text stays readable: black at this opacity is a dark grey.
    visuals.disabled_alpha = 0.65;
    visuals
}
