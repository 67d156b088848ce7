//! The challenge screen: the brief and the pupil's decisions on the left; the results,
//! why they changed, the events and the leaderboard on the right; the debrief prompts
//! once the last round is played. It reads state and sends messages.

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};
use workworlds_challenge::explain;
use workworlds_content::{Challenge, Lang};
use workworlds_protocol::events::ChallengeView;
use workworlds_protocol::hello::Identity;
use workworlds_protocol::requests::Activity;

use super::{ChooseInvestment, ChooseValue, Playing, Reflect, ShowMeasure, charts};
use crate::class::{BarWriters, Connection, pupil_bar};
use crate::library::Library;
use crate::screen::whole_window;
use crate::settings::Settings;
use crate::teams::team_mark;
use crate::words::say;
use crate::world::Exploring;

/// The width of the decisions column, in points.
const DECISIONS_POINTS: f32 = 460.0;

#[derive(SystemParam)]
pub(super) struct ChallengeParts<'w> {
    bar: BarWriters<'w>,
    settings: Res<'w, Settings>,
    connection: Res<'w, Connection>,
    world: Res<'w, Exploring>,
    playing: Res<'w, Playing>,
    time: Res<'w, Time<Real>>,
    choose: MessageWriter<'w, ChooseValue>,
    invest: MessageWriter<'w, ChooseInvestment>,
    chart: MessageWriter<'w, ShowMeasure>,
    reflect: MessageWriter<'w, Reflect>,
}

/// Drafts of the debrief answers, kept between frames.
#[derive(Default)]
pub(super) struct DebriefDrafts(Vec<String>);

pub(super) fn draw_challenge(
    mut contexts: EguiContexts,
    library: Res<Library>,
    mut parts: ChallengeParts<'_>,
    mut drafts: Local<DebriefDrafts>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let lang = parts.settings.lang;
    let Ok(content) = &library.content else {
        return Ok(());
    };
    let Some(Activity::Challenge(id)) = parts.world.view.as_ref().map(|view| &view.activity) else {
        return Ok(());
    };
    let Some(challenge) = content.challenges.get(id) else {
        return Ok(());
    };
    let mut screen = whole_window(ctx, "challenge-screen");

    egui::Panel::top("challenge-bar").show(&mut screen, |ui| {
        let heading = format!("💼 {}", challenge.title.get(lang));
        let action = pupil_bar(ui, heading, &parts.world, parts.time.elapsed(), lang);
        parts.bar.send(action);
    });

    let Some(view) = parts.playing.view.clone() else {
        egui::CentralPanel::default().show(&mut screen, |ui| {
            ui.label(egui::RichText::new(challenge.brief.get(lang)).size(22.0));
        });
        return Ok(());
    };
    let my_team = match &parts.connection.identity {
        Some(Identity::Pupil { team, .. }) => usize::from(team.0),
        _ => 0,
    };

    // Once the last round is played there is nothing left to decide: the column
    // asks the debrief's questions instead.
    let over = view.rounds_played >= challenge.rounds;
    egui::Panel::left("challenge-decisions")
        .exact_size(DECISIONS_POINTS)
        .show(&mut screen, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                if over {
                    debrief(ui, challenge, &mut parts, &mut drafts, lang);
                } else {
                    decisions(ui, challenge, &view, my_team, &mut parts, lang);
                }
            });
        });
    egui::CentralPanel::default().show(&mut screen, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            if let Some(problem) = &parts.playing.problem {
                ui.colored_label(
                    egui::Color32::DARK_RED,
                    egui::RichText::new(problem).size(18.0),
                );
            }
            results(ui, challenge, &view, my_team, &mut parts, lang);
        });
    });
    Ok(())
}

/// The brief, the pupil's roles, and every decision: a slider for those the pupil's
/// roles own, the value for the rest.
fn decisions(
    ui: &mut egui::Ui,
    challenge: &Challenge,
    view: &ChallengeView,
    my_team: usize,
    parts: &mut ChallengeParts<'_>,
    lang: Lang,
) {
    ui.collapsing(
        egui::RichText::new(say(lang, "📜 The brief", "📜 Y briff")).size(20.0),
        |ui| {
            ui.label(egui::RichText::new(challenge.brief.get(lang)).size(17.0));
        },
    );
    let roles = view
        .plan
        .as_ref()
        .map(|plan| plan.roles.clone())
        .unwrap_or_default();
    let mark = team_mark(u8::try_from(my_team).unwrap_or(0));
    let names: Vec<String> = roles
        .iter()
        .map(|role| role.name().get(lang).to_owned())
        .collect();
    ui.label(
        egui::RichText::new(format!("{} {}", mark.symbol, names.join(" · ")))
            .size(22.0)
            .strong()
            .color(mark.text),
    );
    let over = view.rounds_played >= challenge.rounds;
    let last = view
        .results
        .get(my_team)
        .and_then(|rounds| rounds.last())
        .map(|result| &result.decisions);
    for decision in &challenge.decisions {
        let planned = view
            .plan
            .as_ref()
            .and_then(|plan| plan.decisions.values.get(&decision.id).copied());
        let mut value = parts
            .playing
            .drafts
            .get(&decision.id)
            .copied()
            .or(planned)
            .or_else(|| last.and_then(|values| values.get(&decision.id).copied()))
            .unwrap_or(decision.default);
        ui.add_space(6.0);
        ui.label(
            egui::RichText::new(format!(
                "{} ({}) · {}",
                decision.label.get(lang),
                decision.unit.get(lang),
                decision.owner.name().get(lang)
            ))
            .size(18.0),
        );
        if roles.contains(&decision.owner) && !over {
            ui.spacing_mut().slider_width = DECISIONS_POINTS - 160.0;
            let slider = egui::Slider::new(&mut value, decision.min..=decision.max)
                .step_by(decision.step)
                .text(decision.unit.get(lang));
            let response = ui.add(slider);
            if response.drag_stopped() || (response.changed() && !response.dragged()) {
                parts.choose.write(ChooseValue {
                    decision: decision.id.clone(),
                    value,
                });
            }
        } else {
            ui.label(
                egui::RichText::new(amount(value, decision.unit.get(lang)))
                    .size(20.0)
                    .strong(),
            );
        }
    }
    let Some(net_zero) = &challenge.net_zero else {
        return;
    };
    ui.add_space(10.0);
    ui.label(
        egui::RichText::new(say(
            lang,
            "🌍 Net-zero investments",
            "🌍 Buddsoddiadau sero net",
        ))
        .size(20.0)
        .strong(),
    );
    let owned: Vec<&String> = view
        .results
        .get(my_team)
        .map(|rounds| rounds.iter().flat_map(|result| &result.bought).collect())
        .unwrap_or_default();
    for investment in &net_zero.investments {
        let bought = owned.contains(&&investment.id);
        let planned = view
            .plan
            .as_ref()
            .is_some_and(|plan| plan.decisions.invest.contains(&investment.id));
        let label = egui::RichText::new(investment.name.get(lang)).size(18.0);
        if bought {
            ui.label(egui::RichText::new(format!("✔ {}", investment.name.get(lang))).size(18.0));
        } else if roles.contains(&investment.owner) && !over {
            let mut buy = planned;
            if ui.checkbox(&mut buy, label).changed() {
                parts.invest.write(ChooseInvestment {
                    investment: investment.id.clone(),
                    buy,
                });
            }
        } else {
            ui.label(label);
        }
        ui.label(egui::RichText::new(investment.text.get(lang)).size(15.0));
    }
}

/// A value with its unit as people write it: `£7`, `40 hours`.
fn amount(value: f64, unit: &str) -> String {
    if unit == "£" {
        format!("£{value}")
    } else {
        format!("{value} {unit}")
    }
}

/// Every team's results on a chart, why this team's last round went as it did, what
/// happened, and the leaderboard once the challenge is over.
fn results(
    ui: &mut egui::Ui,
    challenge: &Challenge,
    view: &ChallengeView,
    my_team: usize,
    parts: &mut ChallengeParts<'_>,
    lang: Lang,
) {
    // Once the challenge is over, how it ended comes first.
    if let Some(leaderboard) = &view.leaderboard {
        charts::leaderboard(ui, "leaderboard", leaderboard, lang);
        ui.add_space(8.0);
        charts::abatement_chart(ui, "abatement", challenge, &view.abatement, lang);
        ui.add_space(8.0);
    }
    if let Some(chart) = charts::measure_tabs(ui, parts.playing.chart, lang) {
        parts.chart.write(ShowMeasure(chart));
    }
    let chart = parts.playing.chart;
    charts::rounds_plot(ui, "challenge-results", view, chart, Some(my_team), lang);

    let Some(last) = view.results.get(my_team).and_then(|rounds| rounds.last()) else {
        ui.label(
            egui::RichText::new(say(
                lang,
                "Results come when the first round ends.",
                "Daw'r canlyniadau pan ddaw'r rownd gyntaf i ben.",
            ))
            .size(20.0),
        );
        return;
    };
    ui.label(
        egui::RichText::new(say(lang, "Why it changed", "Pam y newidiodd"))
            .size(22.0)
            .strong(),
    );
    for reason in &last.why {
        for driver in &reason.drivers {
            ui.label(
                egui::RichText::new(format!(
                    "• {}",
                    explain(challenge, reason.measure, driver).get(lang)
                ))
                .size(17.0),
            );
        }
    }
    for event in &last.events {
        if let Some(found) = challenge.events.iter().find(|known| &known.id == event) {
            ui.label(
                egui::RichText::new(format!(
                    "⚡ {}: {}",
                    found.name.get(lang),
                    found.text.get(lang)
                ))
                .size(18.0)
                .strong(),
            );
        }
    }
}

/// The debrief prompts, each with a box to answer in.
fn debrief(
    ui: &mut egui::Ui,
    challenge: &Challenge,
    parts: &mut ChallengeParts<'_>,
    drafts: &mut DebriefDrafts,
    lang: Lang,
) {
    ui.add_space(10.0);
    ui.label(
        egui::RichText::new(say(lang, "💭 Think back", "💭 Meddwl yn ôl"))
            .size(24.0)
            .strong(),
    );
    drafts.0.resize(challenge.debrief.len(), String::new());
    for (index, (prompt, draft)) in challenge
        .debrief
        .iter()
        .zip(drafts.0.iter_mut())
        .enumerate()
    {
        let Ok(number) = u8::try_from(index) else {
            continue;
        };
        ui.label(egui::RichText::new(prompt.get(lang)).size(19.0));
        if parts.playing.reflected.contains(&number) {
            ui.label(
                egui::RichText::new(say(
                    lang,
                    "✔ Kept in your portfolio",
                    "✔ Wedi'i gadw yn dy bortffolio",
                ))
                .size(17.0),
            );
            continue;
        }
        ui.add(
            egui::TextEdit::multiline(draft)
                .font(egui::FontId::proportional(19.0))
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        );
        let send =
            egui::Button::new(egui::RichText::new(say(lang, "✔ Keep it", "✔ Cadw")).size(20.0));
        if ui.add_enabled(!draft.trim().is_empty(), send).clicked() {
            parts.reflect.write(Reflect {
                prompt: number,
                text: draft.trim().to_owned(),
            });
        }
    }
}
