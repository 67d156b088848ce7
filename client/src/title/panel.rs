//! The egui panel of the title screen. It reads state and sends messages; it changes
//! nothing itself.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};
use workworlds_content::{Content, Lang};

use super::{SelectWorld, TitleState};
use crate::class::{
    Connection, JoinAction, JoinClass, JoinForm, PlayHere, TeacherLogin, TryDemo, draw_join_bar,
};
use crate::library::Library;
use crate::screen::whole_window;
use crate::settings::{Settings, SwitchLanguage, language_button};
use crate::teams::text_on;
use crate::words::say;

/// The side of a world button, in points: big enough for small fingers on a touch
/// screen.
const WORLD_BUTTON_POINTS: f32 = 170.0;

/// The longest word a world button's name fits in full at its usual size.
const LONG_WORD_CHARS: usize = 13;

pub(super) fn draw_title(
    mut contexts: EguiContexts,
    library: Res<Library>,
    settings: Res<Settings>,
    state: Res<TitleState>,
    mut switch_language: MessageWriter<SwitchLanguage>,
    mut select_world: MessageWriter<SelectWorld>,
    (mut form, connection): (ResMut<JoinForm>, Res<Connection>),
    mut join: MessageWriter<JoinClass>,
    mut login: MessageWriter<TeacherLogin>,
    (mut demo, mut here): (MessageWriter<TryDemo>, MessageWriter<PlayHere>),
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let lang = settings.lang;
    let mut screen = whole_window(ctx, "title-screen");

    egui::Panel::top("title-bar").show(&mut screen, |ui| {
        ui.horizontal(|ui| {
            ui.heading(
                egui::RichText::new("Work Worlds · Bydoedd Gwaith")
                    .size(32.0)
                    .strong(),
            );
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                language_button(ui, lang, &mut switch_language);
            });
        });
    });

    egui::Panel::bottom(super::JOIN_BAR).show(&mut screen, |ui| {
        ui.add_space(6.0);
        match draw_join_bar(ui, &mut form, &connection, lang) {
            Some(JoinAction::Join(request)) => {
                join.write(request);
            }
            Some(JoinAction::Login(request)) => {
                login.write(request);
            }
            Some(JoinAction::Demo(request)) => {
                demo.write(request);
            }
            Some(JoinAction::PlayHere(request)) => {
                here.write(request);
            }
            None => {}
        }
        ui.add_space(6.0);
    });

    let content = match &library.content {
        Ok(content) => content,
        Err(errors) => {
            egui::CentralPanel::default().show(&mut screen, |ui| {
                ui.heading(say(
                    lang,
                    "The game's content has problems:",
                    "Mae problemau yng nghynnwys y gêm:",
                ));
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for problem in &errors.0 {
                        ui.monospace(problem.to_string());
                    }
                });
            });
            return Ok(());
        }
    };

    if let Some(sector) = state
        .selected
        .as_ref()
        .and_then(|id| content.sectors.get(id))
    {
        egui::Panel::right("world-people")
            .min_size(420.0)
            .show(&mut screen, |ui| {
                draw_people(ui, content, sector, lang, &mut select_world);
            });
    }

    egui::CentralPanel::default().show(&mut screen, |ui| {
        ui.label(
            egui::RichText::new(say(
                lang,
                "Pick a world to explore",
                "Dewis byd i'w archwilio",
            ))
            .size(24.0),
        );
        ui.add_space(12.0);
        // Scrolls when large text leaves no room for every world above the join bar.
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                for sector in content.sectors.values() {
                    let fill =
                        egui::Color32::from_rgb(sector.colour.r, sector.colour.g, sector.colour.b);
                    let label = world_label(&sector.icon, sector.name.get(lang), text_on(fill));
                    let button = egui::Button::new(label).fill(fill).wrap();
                    let size = [WORLD_BUTTON_POINTS, WORLD_BUTTON_POINTS * 0.8];
                    if ui.add_sized(size, button).clicked() {
                        select_world.write(SelectWorld(Some(sector.id.clone())));
                    }
                }
            });
        });
    });
    Ok(())
}

fn draw_people(
    ui: &mut egui::Ui,
    content: &Content,
    sector: &workworlds_content::Sector,
    lang: Lang,
    select_world: &mut MessageWriter<SelectWorld>,
) {
    ui.horizontal(|ui| {
        ui.heading(
            egui::RichText::new(format!("{} {}", sector.icon, sector.name.get(lang))).size(26.0),
        );
        if ui.button(egui::RichText::new("✖").size(20.0)).clicked() {
            select_world.write(SelectWorld(None));
        }
    });
    ui.label(egui::RichText::new(sector.summary.get(lang)).size(18.0));
    ui.separator();
    ui.label(
        egui::RichText::new(say(lang, "People who work here", "Pobl sy'n gweithio yma"))
            .size(20.0)
            .strong(),
    );
    egui::ScrollArea::vertical().show(ui, |ui| {
        for role in sector.roles.iter().filter_map(|id| content.roles.get(id)) {
            ui.add_space(6.0);
            ui.label(
                egui::RichText::new(format!(
                    "{} {} · {}",
                    role.icon,
                    role.title.get(lang),
                    role.character.name
                ))
                .size(18.0)
                .strong(),
            );
            ui.label(egui::RichText::new(role.what_they_do.get(lang)).size(16.0));
        }
    });
}

/// A world button's label: a big icon above the world's name.
fn world_label(icon: &str, name: &str, colour: egui::Color32) -> egui::text::LayoutJob {
    // Wrapped inside the button's padding; the button centres the block.
    let wrap = egui::text::TextWrapping {
        max_width: WORLD_BUTTON_POINTS - 24.0,
        ..Default::default()
    };
    let mut job = egui::text::LayoutJob {
        wrap,
        ..Default::default()
    };
    let format = |size| egui::TextFormat {
        font_id: egui::FontId::proportional(size),
        color: colour,
        ..Default::default()
    };
    job.append(&format!("{icon}\n"), 0.0, format(44.0));
    // A long word (Welsh has some) gets smaller letters rather than broken in two.
    let longest = name.split(' ').map(|word| word.chars().count()).max();
    let size = if longest.unwrap_or(0) > LONG_WORD_CHARS {
        15.0
    } else {
        18.0
    };
    job.append(name, 0.0, format(size));
    job
}
