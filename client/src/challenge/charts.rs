//! The challenge's charts and tables, drawn the same way for pupils and for the
//! teacher's debrief: every team's rounds on one measure, the leaderboard, and the
//! marginal abatement cost chart of a net-zero challenge.

use bevy_egui::egui;
use egui_plot::{Bar, BarChart, Legend, Line, Plot};
use workworlds_challenge::{AbatementBar, Leaderboard, RoundResult, ScoreMeasure};
use workworlds_content::{Challenge, Lang};
use workworlds_protocol::events::ChallengeView;

use super::Chart;
use crate::teams::{PALETTE, team_mark};
use crate::words::say;

/// Pence in a pound, for showing money.
const PENCE_PER_POUND: f64 = 100.0;

/// The height of a chart, in points.
const CHART_POINTS: f32 = 240.0;

/// A round's value of the chart's measure, in the unit shown.
pub(crate) fn measure(chart: Chart, result: &RoundResult) -> f64 {
    match chart {
        Chart::Money => result.accounts.closing as f64 / PENCE_PER_POUND,
        Chart::Customers => result.customers as f64,
        Chart::Wellbeing => result.wellbeing,
        Chart::Carbon => result.emissions_kg,
    }
}

pub(crate) fn chart_name(chart: Chart, lang: Lang) -> String {
    match chart {
        Chart::Money => say(lang, "💷 Money (£)", "💷 Arian (£)"),
        Chart::Customers => say(lang, "👥 Customers", "👥 Cwsmeriaid"),
        Chart::Wellbeing => say(lang, "😊 Wellbeing", "😊 Lles"),
        Chart::Carbon => say(lang, "🏭 Carbon (kg)", "🏭 Carbon (kg)"),
    }
}

/// A tab for each measure; gives the one clicked, if any.
pub(crate) fn measure_tabs(ui: &mut egui::Ui, shown: Chart, lang: Lang) -> Option<Chart> {
    let mut clicked = None;
    ui.horizontal(|ui| {
        for chart in Chart::ALL {
            let label = egui::RichText::new(chart_name(chart, lang)).size(20.0);
            if ui.selectable_label(shown == chart, label).clicked() {
                clicked = Some(chart);
            }
        }
    });
    clicked
}

/// Every team's rounds on one measure, each team in its colour and named with its
/// symbol; `highlight` (the pupil's own team) is drawn thicker.
pub(crate) fn rounds_plot(
    ui: &mut egui::Ui,
    id: &str,
    view: &ChallengeView,
    chart: Chart,
    highlight: Option<usize>,
    lang: Lang,
) {
    Plot::new(id)
        .height(CHART_POINTS)
        .legend(Legend::default())
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_axis_label(say(lang, "Round", "Rownd"))
        .show(ui, |plot| {
            for (team, rounds) in view.results.iter().enumerate() {
                let mark = team_mark(u8::try_from(team).unwrap_or(0));
                let points: Vec<[f64; 2]> = rounds
                    .iter()
                    // Rounds are counted from 0 in results and from 1 for people.
                    .map(|result| [f64::from(result.round + 1), measure(chart, result)])
                    .collect();
                let width = if highlight == Some(team) { 4.0 } else { 2.0 };
                let name = team_name(team, lang);
                plot.line(Line::new(name, points).color(mark.colour).width(width));
            }
        });
}

/// "▲ Team 2", or in Welsh "▲ Tîm 2": the symbol first, so a team is never told by its
/// colour alone.
pub(crate) fn team_name(team: usize, lang: Lang) -> String {
    let mark = team_mark(u8::try_from(team).unwrap_or(0));
    match lang {
        Lang::En => format!("{} Team {}", mark.symbol, team + 1),
        Lang::Cy => format!("{} Tîm {}", mark.symbol, team + 1),
    }
}

/// The final places, overall and on each measure.
pub(crate) fn leaderboard(ui: &mut egui::Ui, id: &str, leaderboard: &Leaderboard, lang: Lang) {
    ui.label(
        egui::RichText::new(say(lang, "🏆 Leaderboard", "🏆 Tabl y timau"))
            .size(24.0)
            .strong(),
    );
    egui::Grid::new(id)
        .striped(true)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            ui.label(
                egui::RichText::new(say(lang, "Overall", "Yn gyffredinol"))
                    .size(18.0)
                    .strong(),
            );
            for measure in ScoreMeasure::ALL {
                ui.label(
                    egui::RichText::new(measure.name().get(lang))
                        .size(18.0)
                        .strong(),
                );
            }
            ui.end_row();
            for place in 0..leaderboard.overall.len() {
                let cell = |ui: &mut egui::Ui, team: Option<&usize>| {
                    if let Some(team) = team {
                        let mark = team_mark(u8::try_from(*team).unwrap_or(0));
                        let text = format!("{}. {} {}", place + 1, mark.symbol, team + 1);
                        ui.label(egui::RichText::new(text).size(18.0).color(mark.text));
                    } else {
                        ui.label("");
                    }
                };
                cell(ui, leaderboard.overall.get(place));
                for measure in ScoreMeasure::ALL {
                    cell(
                        ui,
                        leaderboard
                            .by_measure
                            .get(&measure)
                            .and_then(|teams| teams.get(place)),
                    );
                }
                ui.end_row();
            }
        });
}

/// One bar of the abatement chart as drawn: where it starts along the tonnes axis, how
/// wide it is and how high.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Drawn {
    pub name: String,
    /// The middle of the bar, in tonnes saved so far.
    pub centre: f64,
    pub tonnes: f64,
    pub pounds_per_tonne: f64,
}

/// Lays the bars side by side, cheapest tonne first, each as wide as the tonnes it
/// saves; investments that save no carbon have no bar.
pub(crate) fn abatement_layout(
    challenge: &Challenge,
    bars: &[AbatementBar],
    lang: Lang,
) -> Vec<Drawn> {
    let mut along = 0.0;
    bars.iter()
        .filter_map(|bar| {
            let pounds_per_tonne = bar.cost_per_tonne?;
            let name = challenge
                .net_zero
                .as_ref()
                .and_then(|net_zero| {
                    net_zero
                        .investments
                        .iter()
                        .find(|investment| investment.id == bar.investment)
                })
                .map_or_else(
                    || bar.investment.clone(),
                    |found| found.name.get(lang).to_owned(),
                );
            let centre = along + bar.tonnes_saved / 2.0;
            along += bar.tonnes_saved;
            Some(Drawn {
                name,
                centre,
                tonnes: bar.tonnes_saved,
                pounds_per_tonne,
            })
        })
        .collect()
}

/// The marginal abatement cost chart: each investment's cost per tonne of carbon it
/// saves (below the line when it saves money), as wide as the tonnes it saves.
pub(crate) fn abatement_chart(
    ui: &mut egui::Ui,
    id: &str,
    challenge: &Challenge,
    bars: &[AbatementBar],
    lang: Lang,
) {
    let drawn = abatement_layout(challenge, bars, lang);
    if drawn.is_empty() {
        return;
    }
    ui.label(
        egui::RichText::new(say(
            lang,
            "🌍 What each tonne of carbon saved costs",
            "🌍 Cost pob tunnell o garbon a arbedir",
        ))
        .size(22.0)
        .strong(),
    );
    ui.label(
        egui::RichText::new(say(
            lang,
            "Bars below the line save money as well as carbon. Wider bars save more carbon.",
            "Mae barrau o dan y llinell yn arbed arian yn ogystal â charbon. Mae barrau lletach yn arbed mwy o garbon.",
        ))
        .size(17.0),
    );
    Plot::new(id)
        .height(CHART_POINTS)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_axis_label(say(lang, "Tonnes of CO2e saved", "Tunelli CO2e a arbedwyd"))
        .y_axis_label(say(lang, "£ per tonne", "£ y dunnell"))
        .show(ui, |plot| {
            for (index, bar) in drawn.iter().enumerate() {
                let colour = PALETTE[index % PALETTE.len()];
                let one = Bar::new(bar.centre, bar.pounds_per_tonne)
                    .width(bar.tonnes)
                    .name(&bar.name)
                    .fill(colour);
                plot.bar_chart(BarChart::new(bar.name.clone(), vec![one]).color(colour));
            }
        });
    // The names under the chart rather than over the bars, each with its price.
    ui.horizontal_wrapped(|ui| {
        for (index, bar) in drawn.iter().enumerate() {
            let colour = PALETTE[index % PALETTE.len()];
            ui.label(egui::RichText::new("■").size(20.0).color(colour));
            let pounds = whole_pounds(bar.pounds_per_tonne);
            let price = match lang {
                Lang::En => format!("{}: {pounds} a tonne", bar.name),
                Lang::Cy => format!("{}: {pounds} y dunnell", bar.name),
            };
            ui.label(egui::RichText::new(price).size(16.0));
        }
    });
}

/// Pounds to the pound, the sign before the £: "-£411".
fn whole_pounds(pounds: f64) -> String {
    let sign = if pounds.round() < 0.0 { "-" } else { "" };
    format!("{sign}£{:.0}", pounds.abs())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use workworlds_challenge::abatement_curve;

    use super::*;

    #[test]
    fn pounds_are_written_with_the_sign_before_the_pound_sign() {
        assert_eq!(whole_pounds(-410.6), "-£411");
        assert_eq!(whole_pounds(3284.2), "£3284");
        assert_eq!(whole_pounds(-0.2), "£0");
    }

    #[test]
    fn abatement_bars_sit_side_by_side_cheapest_first_as_wide_as_their_tonnes() {
        let content = workworlds_content::load_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/data"),
        )
        .expect("the starter content loads");
        let challenge = content
            .challenges
            .values()
            .find(|challenge| challenge.net_zero.is_some())
            .expect("the starter content has a net-zero challenge");
        let bars = abatement_curve(challenge);
        let drawn = abatement_layout(challenge, &bars, Lang::Cy);
        assert!(drawn.len() >= 2, "{drawn:?}");
        let mut edge = 0.0;
        for (bar, next) in drawn.iter().zip(drawn.iter().skip(1)) {
            assert!(bar.pounds_per_tonne <= next.pounds_per_tonne, "{drawn:?}");
        }
        for bar in &drawn {
            assert!((bar.centre - (edge + bar.tonnes / 2.0)).abs() < 1e-9);
            edge += bar.tonnes;
            let investment = challenge
                .net_zero
                .as_ref()
                .unwrap()
                .investments
                .iter()
                .find(|investment| investment.name.get(Lang::Cy) == bar.name);
            assert!(investment.is_some(), "named in Welsh: {}", bar.name);
        }
    }
}
