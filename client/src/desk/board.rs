//! The board for the projector: the join code huge, a QR code of it, the teams with
//! their colours and symbols, and the round's time.

use std::time::Duration;

use bevy_egui::egui;
use qrcode::{Color, QrCode};
use workworlds_content::{Content, Lang};
use workworlds_protocol::events::SessionView;
use workworlds_protocol::requests::Activity;

use crate::teams::team_mark;
use crate::words::{clock, round_words, say};

/// The side of the QR code on the board, in points.
const QR_POINTS: f32 = 260.0;

/// What the QR code holds: the join code in a form a phone's camera shows as text, and
/// a future tablet client could open.
pub(super) fn qr_text(code: &str) -> String {
    format!("workworlds:join?code={code}")
}

pub(super) fn draw(
    ui: &mut egui::Ui,
    content: &Content,
    view: &SessionView,
    remaining: Duration,
    join_at: Option<std::net::SocketAddr>,
    lang: Lang,
) {
    ui.horizontal(|ui| {
        ui.vertical(|ui| {
            if let Some(address) = join_at {
                let server = say(lang, "Server", "Gweinydd");
                ui.label(egui::RichText::new(format!("{server}: {address}")).size(30.0));
            }
            ui.label(egui::RichText::new(say(lang, "Join code", "Cod ymuno")).size(36.0));
            ui.label(
                egui::RichText::new(spaced(view.code.as_str()))
                    .size(150.0)
                    .strong()
                    .monospace(),
            );
            let activity = match &view.activity {
                Activity::World(id) => content
                    .sectors
                    .get(id)
                    .map(|sector| format!("{} {}", sector.icon, sector.name.get(lang))),
                Activity::Challenge(id) => content
                    .challenges
                    .get(id)
                    .map(|challenge| format!("💼 {}", challenge.title.get(lang))),
            };
            ui.label(egui::RichText::new(activity.unwrap_or_default()).size(32.0));
            ui.label(
                egui::RichText::new(format!(
                    "{} · {}",
                    round_words(view, lang),
                    clock(remaining)
                ))
                .size(40.0)
                .strong(),
            );
            if view.eyes_on_me {
                ui.label(
                    egui::RichText::new(say(lang, "👀 Eyes on me", "👀 Llygaid arna i"))
                        .size(40.0)
                        .color(egui::Color32::DARK_RED),
                );
            }
        });
        ui.add_space(24.0);
        qr(ui, &qr_text(view.code.as_str()));
    });
    ui.separator();
    ui.horizontal_wrapped(|ui| {
        for team in &view.teams {
            let mark = team_mark(team.id.0);
            egui::Frame::group(ui.style())
                .stroke(egui::Stroke::new(3.0, mark.colour))
                .inner_margin(10.0)
                .show(ui, |ui| {
                    ui.set_width(220.0);
                    ui.vertical(|ui| {
                        let name = match lang {
                            Lang::En => format!("{} Team {}", mark.symbol, team.id.0 + 1),
                            Lang::Cy => format!("{} Tîm {}", mark.symbol, team.id.0 + 1),
                        };
                        ui.label(
                            egui::RichText::new(name)
                                .size(26.0)
                                .strong()
                                .color(mark.text),
                        );
                        for member in &team.members {
                            ui.label(egui::RichText::new(&member.name).size(20.0));
                        }
                    });
                });
        }
    });
}

/// A code with thin gaps, easier to read from the back of the room.
fn spaced(code: &str) -> String {
    code.chars().map(String::from).collect::<Vec<_>>().join(" ")
}

/// Draws a QR code of `text`, dark modules on white with the quiet zone around.
fn qr(ui: &mut egui::Ui, text: &str) {
    let Ok(code) = QrCode::new(text.as_bytes()) else {
        return;
    };
    let width = code.width();
    let colours = code.to_colors();
    // Four modules of quiet zone on each side, as readers expect.
    let modules = width + 8;
    let module = QR_POINTS / modules as f32;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(QR_POINTS, QR_POINTS), egui::Sense::hover());
    let painter = ui.painter();
    painter.rect_filled(rect, 0.0, egui::Color32::WHITE);
    for (index, colour) in colours.iter().enumerate() {
        if *colour != Color::Dark {
            continue;
        }
        let (x, y) = (index % width + 4, index / width + 4);
        let min = rect.min + egui::vec2(x as f32 * module, y as f32 * module);
        painter.rect_filled(
            egui::Rect::from_min_size(min, egui::vec2(module, module)),
            0.0,
            egui::Color32::BLACK,
        );
    }
}
