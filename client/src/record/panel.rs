//! The record screen: the session's row of the CWRE sheet as a table, with buttons to
//! save it and to end the session.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};

use super::{CloseRecord, EndSession, RecordState, SaveRecord};
use crate::screen::whole_window;
use crate::settings::{Settings, SwitchLanguage, language_button};
use crate::words::say;

pub(super) fn draw_record(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    state: Res<RecordState>,
    mut switch_language: MessageWriter<SwitchLanguage>,
    mut save: MessageWriter<SaveRecord>,
    mut end: MessageWriter<EndSession>,
    mut close: MessageWriter<CloseRecord>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let lang = settings.lang;
    let mut screen = whole_window(ctx, "record-screen");
    egui::Panel::top("record-bar").show(&mut screen, |ui| {
        ui.horizontal(|ui| {
            if ui
                .button(egui::RichText::new(say(lang, "⬅ Desk", "⬅ Desg")).size(20.0))
                .clicked()
            {
                close.write(CloseRecord);
            }
            let code = state
                .session
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            let title = say(lang, "📋 Session record", "📋 Cofnod y sesiwn");
            ui.heading(egui::RichText::new(format!("{title} · {code}")).size(28.0));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                language_button(ui, lang, &mut switch_language);
            });
        });
    });
    egui::CentralPanel::default().show(&mut screen, |ui| {
        ui.label(
            egui::RichText::new(say(
                lang,
                "The row for the school's CWRE planning and recording sheet:",
                "Y rhes ar gyfer taflen cynllunio a chofnodi CWRE yr ysgol:",
            ))
            .size(20.0),
        );
        ui.add_space(8.0);
        // One activity is one row of many columns: shown down the screen, a column a
        // line, so it fits a classroom projector.
        let header = state.table.first();
        egui::Grid::new("record-table")
            .striped(true)
            .spacing([24.0, 8.0])
            .show(ui, |ui| {
                for row in state.table.iter().skip(1) {
                    for (index, cell) in row.iter().enumerate() {
                        let name = header.and_then(|names| names.get(index));
                        ui.label(
                            egui::RichText::new(name.map_or("", String::as_str))
                                .size(18.0)
                                .strong(),
                        );
                        ui.label(egui::RichText::new(shown(cell)).size(18.0));
                        ui.end_row();
                    }
                }
            });
        ui.add_space(16.0);
        ui.horizontal(|ui| {
            let save_label = say(lang, "💾 Save as CSV", "💾 Cadw fel CSV");
            if ui
                .add_enabled(
                    state.csv.is_some(),
                    egui::Button::new(egui::RichText::new(save_label).size(22.0)),
                )
                .clicked()
            {
                save.write(SaveRecord);
            }
            if state.ended {
                let ended = say(
                    lang,
                    "🏁 The session has ended",
                    "🏁 Mae'r sesiwn wedi gorffen",
                );
                ui.label(egui::RichText::new(ended).size(22.0));
            } else {
                let end_label = say(lang, "🏁 End the session", "🏁 Gorffen y sesiwn");
                if ui
                    .button(egui::RichText::new(end_label).size(22.0))
                    .clicked()
                {
                    end.write(EndSession);
                }
            }
        });
        if let Some(path) = &state.saved {
            let saved = say(lang, "Saved to", "Wedi'i gadw yn");
            ui.label(egui::RichText::new(format!("✔ {saved} {}", path.display())).size(18.0));
        }
        if let Some(problem) = &state.problem {
            ui.colored_label(
                egui::Color32::DARK_RED,
                egui::RichText::new(problem).size(18.0),
            );
        }
    });
    Ok(())
}

/// A cell as the screen shows it: egui's fonts have the heavy tick the sheet's tick
/// stands for, not the sheet's own.
fn shown(cell: &str) -> String {
    cell.replace('✓', "✔")
}
