//! The world screen: the map drawn with shapes, colours and emoji, the people at their
//! places, the pupil's character in their team's colour and symbol, the story of the
//! person the pupil is talking to or the quest they are doing, and "eyes on me".

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};
use workworlds_content::{Content, Lang, Sector};
use workworlds_protocol::hello::Identity;
use workworlds_protocol::requests::Activity;

use super::quest::{TaskAction, draw_task};
use super::{
    CloseStory, Exploring, NextTask, StartQuest, SubmitAnswer, TALK_TILES, TalkTo, TaskDraft,
    WalkTo, standing_spot,
};
use crate::class::{BarWriters, Connection, pupil_bar};
use crate::library::Library;
use crate::screen::whole_window;
use crate::settings::Settings;
use crate::teams::team_mark;
use crate::words::say;

/// The widest the story or quest panel is, in points.
const SIDE_PANEL_POINTS: f32 = 520.0;

/// What the world screen reads and sends.
#[derive(SystemParam)]
pub(super) struct WorldParts<'w> {
    bar: BarWriters<'w>,
    settings: Res<'w, Settings>,
    connection: Res<'w, Connection>,
    world: Res<'w, Exploring>,
    draft: ResMut<'w, TaskDraft>,
    time: Res<'w, Time<Real>>,
    walk: MessageWriter<'w, WalkTo>,
    talk: MessageWriter<'w, TalkTo>,
    start: MessageWriter<'w, StartQuest>,
    submit: MessageWriter<'w, SubmitAnswer>,
    next: MessageWriter<'w, NextTask>,
    close: MessageWriter<'w, CloseStory>,
}

pub(super) fn draw_world(
    mut contexts: EguiContexts,
    library: Res<Library>,
    mut parts: WorldParts<'_>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let lang = parts.settings.lang;
    let Ok(content) = &library.content else {
        return Ok(());
    };
    let Some(view) = &parts.world.view else {
        return Ok(());
    };
    let frozen = view.eyes_on_me;
    let Activity::World(sector) = &view.activity else {
        return Ok(());
    };
    let Some(sector) = content.sectors.get(sector) else {
        return Ok(());
    };
    let mut screen = whole_window(ctx, "world-screen");

    egui::Panel::top("world-bar").show(&mut screen, |ui| {
        let heading = format!("{} {}", sector.icon, sector.name.get(lang));
        let action = pupil_bar(ui, heading, &parts.world, parts.time.elapsed(), lang);
        parts.bar.send(action);
    });

    if parts.world.talking_to.is_some() {
        egui::Panel::right("world-side")
            .exact_size(SIDE_PANEL_POINTS)
            .show(&mut screen, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    ui.set_max_width(SIDE_PANEL_POINTS - 24.0);
                    side_panel(ui, content, &mut parts, lang);
                });
            });
    }

    egui::CentralPanel::default().show(&mut screen, |ui| {
        draw_map(ui, content, sector, &mut parts, lang);
    });

    if frozen {
        eyes_on_me(ctx, lang);
    }
    Ok(())
}

/// The map, scaled to fit, with the places, the people and the pupil.
fn draw_map(
    ui: &mut egui::Ui,
    content: &Content,
    sector: &Sector,
    parts: &mut WorldParts<'_>,
    lang: Lang,
) {
    let (width, height) = (sector.map.width as f32, sector.map.height as f32);
    let available = ui.available_size();
    let tile = (available.x / width).min(available.y / height);
    let (rect, response) = ui.allocate_exact_size(
        egui::vec2(width * tile, height * tile),
        egui::Sense::click(),
    );
    let to_screen = |tiles: egui::Pos2| rect.min + tiles.to_vec2() * tile;
    let painter = ui.painter_at(rect);
    let ground = egui::Color32::from_rgb(sector.colour.r, sector.colour.g, sector.colour.b);
    painter.rect_filled(rect, 8.0, ground.gamma_multiply(0.18));

    for place in &sector.map.places {
        let min = to_screen(egui::pos2(place.at.x as f32, place.at.y as f32));
        let size = egui::vec2(place.width as f32, place.height as f32) * tile;
        let area = egui::Rect::from_min_size(min, size).shrink(tile * 0.1);
        let colour = egui::Color32::from_rgb(place.colour.r, place.colour.g, place.colour.b);
        painter.rect_filled(area, 10.0, colour.gamma_multiply(0.55));
        // High contrast outlines every place in black, so its edge does not rest on
        // telling two soft colours apart.
        let outline = if parts.settings.high_contrast {
            egui::Stroke::new(3.0, egui::Color32::BLACK)
        } else {
            egui::Stroke::new(2.0, colour)
        };
        painter.rect_stroke(area, 10.0, outline, egui::StrokeKind::Inside);
        painter.text(
            area.left_top() + egui::vec2(tile * 0.3, tile * 0.2),
            egui::Align2::LEFT_TOP,
            format!("{} {}", place.icon, place.name.get(lang)),
            egui::FontId::proportional((tile * 0.55).clamp(12.0, 22.0)),
            egui::Color32::BLACK,
        );
    }

    for role in sector.roles.iter().filter_map(|id| content.roles.get(id)) {
        let Some(spot) = standing_spot(content, role) else {
            continue;
        };
        let centre = to_screen(spot);
        let looks = &role.character.looks;
        let rgb = |colour: &workworlds_content::colour::Colour| {
            egui::Color32::from_rgb(colour.r, colour.g, colour.b)
        };
        painter.circle_filled(
            centre + egui::vec2(0.0, tile * 0.35),
            tile * 0.38,
            rgb(&looks.clothes),
        );
        painter.circle_filled(
            centre - egui::vec2(0.0, tile * 0.1),
            tile * 0.3,
            rgb(&looks.skin),
        );
        painter.circle_stroke(
            centre - egui::vec2(0.0, tile * 0.22),
            tile * 0.28,
            egui::Stroke::new(tile * 0.1, rgb(&looks.hair)),
        );
        painter.text(
            centre - egui::vec2(0.0, tile * 0.75),
            egui::Align2::CENTER_BOTTOM,
            &role.icon,
            egui::FontId::proportional((tile * 0.7).clamp(14.0, 30.0)),
            egui::Color32::BLACK,
        );
        painter.text(
            centre + egui::vec2(0.0, tile * 0.8),
            egui::Align2::CENTER_TOP,
            role.title.get(lang),
            egui::FontId::proportional((tile * 0.45).clamp(11.0, 18.0)),
            egui::Color32::BLACK,
        );
    }

    // The pupil, in their team's colour and symbol.
    let team = match &parts.connection.identity {
        Some(Identity::Pupil { team, .. }) => team.0,
        _ => 0,
    };
    let mark = team_mark(team);
    let me = to_screen(parts.world.position);
    painter.circle_filled(me, tile * 0.42, mark.colour);
    painter.circle_stroke(
        me,
        tile * 0.42,
        egui::Stroke::new(3.0, egui::Color32::BLACK),
    );
    painter.text(
        me,
        egui::Align2::CENTER_CENTER,
        mark.symbol,
        egui::FontId::proportional((tile * 0.5).clamp(12.0, 26.0)),
        egui::Color32::WHITE,
    );

    // Who the pupil could talk to from here, and how, for the keyboard.
    if parts.world.talking_to.is_none()
        && let Some(role) = super::nearest_person(content, &parts.world)
    {
        let hint = match lang {
            Lang::En => format!("Enter: talk to {}", role.character.name),
            Lang::Cy => format!("Enter: {}", talk_to_in_welsh(&role.character.name)),
        };
        let at = me + egui::vec2(0.0, tile * 0.55);
        let font = egui::FontId::proportional((tile * 0.45).clamp(14.0, 20.0));
        let galley = painter.layout_no_wrap(hint, font, egui::Color32::WHITE);
        let back = egui::Align2::CENTER_TOP
            .anchor_size(at, galley.size())
            .expand(6.0);
        painter.rect_filled(back, 6.0, egui::Color32::from_black_alpha(200));
        painter.galley(
            back.min + egui::vec2(6.0, 6.0),
            galley,
            egui::Color32::WHITE,
        );
    }

    if let Some(clicked) = response.interact_pointer_pos()
        && response.clicked()
    {
        let tiles = ((clicked - rect.min) / tile).to_pos2();
        let person = sector
            .roles
            .iter()
            .filter_map(|id| content.roles.get(id))
            .find(|role| {
                standing_spot(content, role).is_some_and(|spot| spot.distance(tiles) < 0.8)
            });
        match person {
            Some(role) => {
                parts.talk.write(TalkTo(role.id.clone()));
            }
            None => {
                parts.walk.write(WalkTo(tiles));
            }
        }
    }
}

/// "siarad â Siôn", "siarad ag Elin": Welsh says "ag" before a vowel.
fn talk_to_in_welsh(name: &str) -> String {
    let vowel = name
        .chars()
        .next()
        .is_some_and(|first| "AEIOUWYÂÊÎÔÛŴŶaeiouwy".contains(first));
    if vowel {
        format!("siarad ag {name}")
    } else {
        format!("siarad â {name}")
    }
}

/// The person's story and quests, or the quest being done.
fn side_panel(ui: &mut egui::Ui, content: &Content, parts: &mut WorldParts<'_>, lang: Lang) {
    let Some(role) = parts
        .world
        .talking_to
        .as_ref()
        .and_then(|id| content.roles.get(id))
    else {
        return;
    };
    if ui
        .button(egui::RichText::new(say(lang, "✖ Close", "✖ Cau")).size(20.0))
        .clicked()
    {
        parts.close.write(CloseStory);
    }
    if let Some(progress) = &parts.world.quest
        && let Some(quest) = content.quests.get(&progress.quest)
    {
        if let Some(problem) = &parts.world.problem {
            ui.colored_label(
                egui::Color32::DARK_RED,
                egui::RichText::new(problem).size(18.0),
            );
        }
        match draw_task(ui, content, quest, progress, &mut parts.draft, lang) {
            Some(TaskAction::Submit(answer)) => {
                parts.submit.write(SubmitAnswer(answer));
            }
            Some(TaskAction::Next) => {
                parts.next.write(NextTask);
            }
            None => {}
        }
        return;
    }

    ui.heading(
        egui::RichText::new(format!("{} {}", role.icon, role.title.get(lang)))
            .size(28.0)
            .strong(),
    );
    ui.label(egui::RichText::new(&role.character.name).size(22.0));
    let near = standing_spot(content, role)
        .is_some_and(|spot| spot.distance(parts.world.position) <= TALK_TILES + 0.5);
    if !near {
        ui.label(egui::RichText::new(say(lang, "🚶 On your way…", "🚶 Ar dy ffordd…")).size(20.0));
        return;
    }
    ui.label(egui::RichText::new(role.what_they_do.get(lang)).size(20.0));
    ui.add_space(6.0);
    ui.label(
        egui::RichText::new(say(lang, "☀ A day at work", "☀ Diwrnod yn y gwaith"))
            .size(20.0)
            .strong(),
    );
    for (step, text) in role.day_in_the_life.iter().enumerate() {
        ui.label(egui::RichText::new(format!("{}. {}", step + 1, text.get(lang))).size(18.0));
    }
    ui.add_space(6.0);
    ui.label(
        egui::RichText::new(say(lang, "🎓 How I got here", "🎓 Sut des i yma"))
            .size(20.0)
            .strong(),
    );
    ui.label(
        egui::RichText::new(role.character.story.get(lang))
            .size(18.0)
            .italics(),
    );
    ui.add_space(10.0);
    for quest in content
        .quests
        .values()
        .filter(|quest| quest.giver == role.id)
    {
        let label = format!("⭐ {}", quest.title.get(lang));
        if ui
            .add_sized(
                [SIDE_PANEL_POINTS - 40.0, 56.0],
                egui::Button::new(egui::RichText::new(label).size(22.0)),
            )
            .clicked()
        {
            parts.start.write(StartQuest(quest.id.clone()));
        }
        ui.label(egui::RichText::new(quest.get_ready.get(lang)).size(16.0));
    }
}

/// Dims the screen and asks every pupil to look at the teacher.
fn eyes_on_me(ctx: &egui::Context, lang: Lang) {
    let screen = ctx.viewport_rect();
    egui::Area::new("eyes-on-me".into())
        .order(egui::Order::Foreground)
        .fixed_pos(screen.min)
        .show(ctx, |ui| {
            let (rect, _) = ui.allocate_exact_size(screen.size(), egui::Sense::click());
            ui.painter()
                .rect_filled(rect, 0.0, egui::Color32::from_black_alpha(215));
            ui.painter().text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                say(lang, "👀 Eyes on your teacher", "👀 Llygaid ar dy athro"),
                egui::FontId::proportional(64.0),
                egui::Color32::WHITE,
            );
        });
}

#[cfg(test)]
mod tests {
    use super::talk_to_in_welsh;

    #[test]
    fn welsh_talks_with_ag_before_a_vowel_and_a_before_a_consonant() {
        assert_eq!(talk_to_in_welsh("Elin Hughes"), "siarad ag Elin Hughes");
        assert_eq!(talk_to_in_welsh("Owain Jones"), "siarad ag Owain Jones");
        assert_eq!(talk_to_in_welsh("Siôn Davies"), "siarad â Siôn Davies");
    }
}
