//! The portfolio screen: tabs for the passport, job cards, badges and reflections, in
//! big type with icons. It reads state and sends messages; it changes nothing itself.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};
use workworlds_content::{Content, Lang};
use workworlds_protocol::portfolio::{Portfolio, Reflection, ReflectionAbout};

use super::{ChooseBest, ClosePortfolio, PortfolioState, ShowTab, Tab};
use crate::library::Library;
use crate::screen::{in_rows, whole_window};
use crate::settings::{Settings, SwitchLanguage, language_button};
use crate::words::{day, say};

/// The diameter of a passport stamp, in points.
const STAMP_POINTS: f32 = 120.0;

/// The width of a job card's inside, in points.
const JOB_CARD_POINTS: f32 = 240.0;

/// The colour of what is not collected yet.
const NOT_YET: egui::Color32 = egui::Color32::from_rgb(170, 170, 170);

pub(super) fn draw_portfolio(
    mut contexts: EguiContexts,
    library: Res<Library>,
    settings: Res<Settings>,
    state: Res<PortfolioState>,
    mut switch_language: MessageWriter<SwitchLanguage>,
    mut show_tab: MessageWriter<ShowTab>,
    mut choose_best: MessageWriter<ChooseBest>,
    mut close: MessageWriter<ClosePortfolio>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let lang = settings.lang;
    let mut screen = whole_window(ctx, "portfolio-screen");
    egui::Panel::top("portfolio-bar").show(&mut screen, |ui| {
        ui.horizontal(|ui| {
            if ui
                .button(egui::RichText::new(say(lang, "⬅ Back", "⬅ Yn ôl")).size(22.0))
                .clicked()
            {
                close.write(ClosePortfolio);
            }
            let title = match &state.portfolio {
                Some(portfolio) if !portfolio.class.is_empty() => {
                    format!("🎒 {} · {}", portfolio.name, portfolio.class)
                }
                Some(portfolio) => format!("🎒 {}", portfolio.name),
                None => say(lang, "🎒 My portfolio", "🎒 Fy mhortffolio"),
            };
            ui.heading(egui::RichText::new(title).size(30.0).strong());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                language_button(ui, lang, &mut switch_language);
            });
        });
        ui.horizontal(|ui| {
            for tab in Tab::ALL {
                let label = egui::RichText::new(tab_name(tab, lang)).size(24.0);
                if ui.selectable_label(state.tab == tab, label).clicked() {
                    show_tab.write(ShowTab(tab));
                }
            }
        });
    });

    egui::CentralPanel::default().show(&mut screen, |ui| {
        let (Some(portfolio), Ok(content)) = (&state.portfolio, &library.content) else {
            let waiting = match &state.problem {
                Some(problem) => problem.clone(),
                None => say(lang, "Fetching your portfolio…", "Yn nôl dy bortffolio…"),
            };
            ui.label(egui::RichText::new(waiting).size(24.0));
            return;
        };
        egui::ScrollArea::vertical().show(ui, |ui| match state.tab {
            Tab::Passport => passport(ui, content, portfolio, lang),
            Tab::JobCards => job_cards(ui, content, portfolio, lang),
            Tab::Badges => badges(ui, content, portfolio, lang),
            Tab::Reflections => reflections(ui, content, portfolio, lang, &mut choose_best),
        });
    });
    Ok(())
}

fn tab_name(tab: Tab, lang: Lang) -> String {
    match tab {
        Tab::Passport => say(lang, "🛂 Passport", "🛂 Pasbort"),
        Tab::JobCards => say(lang, "🃏 Job cards", "🃏 Cardiau swyddi"),
        Tab::Badges => say(lang, "🏅 Badges", "🏅 Bathodynnau"),
        Tab::Reflections => say(lang, "💭 Reflections", "💭 Myfyrdodau"),
    }
}

/// A stamp for every sector world: in the world's colour once collected, grey before.
fn passport(ui: &mut egui::Ui, content: &Content, portfolio: &Portfolio, lang: Lang) {
    let held = portfolio.stamps.len();
    ui.label(
        egui::RichText::new(match lang {
            Lang::En => format!("{held} of {} worlds stamped", content.sectors.len()),
            Lang::Cy => format!("Stamp o {held} allan o {} byd", content.sectors.len()),
        })
        .size(24.0),
    );
    ui.add_space(8.0);
    let sectors: Vec<_> = content.sectors.values().collect();
    in_rows(ui, &sectors, STAMP_POINTS + 24.0, |ui, sector| {
        let stamp = portfolio.stamps.iter().find(|kept| kept.item == sector.id);
        let colour = egui::Color32::from_rgb(sector.colour.r, sector.colour.g, sector.colour.b);
        ui.vertical(|ui| {
            ui.set_width(STAMP_POINTS + 24.0);
            let (rect, _) = ui
                .allocate_exact_size(egui::vec2(STAMP_POINTS, STAMP_POINTS), egui::Sense::hover());
            let centre = rect.center();
            let radius = STAMP_POINTS / 2.0 - 4.0;
            let painter = ui.painter();
            match stamp {
                Some(_) => {
                    painter.circle_filled(centre, radius, colour);
                    painter.circle_stroke(
                        centre,
                        radius - 6.0,
                        egui::Stroke::new(3.0, egui::Color32::WHITE),
                    );
                }
                None => {
                    painter.circle_stroke(centre, radius, egui::Stroke::new(3.0, NOT_YET));
                }
            }
            let icon_colour = if stamp.is_some() {
                egui::Color32::WHITE
            } else {
                NOT_YET
            };
            painter.text(
                centre,
                egui::Align2::CENTER_CENTER,
                &sector.icon,
                egui::FontId::proportional(48.0),
                icon_colour,
            );
            ui.label(
                egui::RichText::new(sector.name.get(lang))
                    .size(18.0)
                    .strong(),
            );
            if let Some(stamp) = stamp {
                ui.label(egui::RichText::new(format!("✔ {}", day(stamp.at_unix_ms))).size(16.0));
            }
        });
    });
}

fn job_cards(ui: &mut egui::Ui, content: &Content, portfolio: &Portfolio, lang: Lang) {
    if portfolio.job_cards.is_empty() {
        ui.label(
            egui::RichText::new(say(
                lang,
                "Finish a quest to get the job card of the person who set it.",
                "Gorffen gwest i gael cerdyn swydd y person a'i gosododd.",
            ))
            .size(22.0),
        );
    }
    let roles: Vec<_> = portfolio
        .job_cards
        .iter()
        .filter_map(|card| content.roles.get(&card.item))
        .collect();
    // The card's width and its frame's margins and stroke.
    in_rows(ui, &roles, JOB_CARD_POINTS + 28.0, |ui, role| {
        egui::Frame::group(ui.style())
            .fill(egui::Color32::from_rgb(255, 250, 235))
            .inner_margin(12.0)
            .show(ui, |ui| {
                ui.set_width(JOB_CARD_POINTS);
                ui.label(egui::RichText::new(&role.icon).size(44.0));
                ui.label(
                    egui::RichText::new(role.title.get(lang))
                        .size(22.0)
                        .strong(),
                );
                ui.label(egui::RichText::new(&role.character.name).size(18.0));
                if let Some(sector) = content.sectors.get(&role.sector) {
                    ui.label(
                        egui::RichText::new(format!("{} {}", sector.icon, sector.name.get(lang)))
                            .size(16.0),
                    );
                }
            });
    });
}

/// Badges earned, each with what it means, how it is earned and the evidence it was
/// awarded on; then the badges still to earn, with how.
fn badges(ui: &mut egui::Ui, content: &Content, portfolio: &Portfolio, lang: Lang) {
    for held in &portfolio.badges {
        let Some(badge) = content.badges.get(&held.badge) else {
            continue;
        };
        egui::Frame::group(ui.style())
            .fill(egui::Color32::from_rgb(235, 245, 255))
            .inner_margin(12.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.label(egui::RichText::new(&badge.icon).size(48.0));
                    ui.vertical(|ui| {
                        ui.label(
                            egui::RichText::new(badge.name.get(lang))
                                .size(26.0)
                                .strong(),
                        );
                        ui.label(egui::RichText::new(badge.description.get(lang)).size(18.0));
                        let earned = match lang {
                            Lang::En => format!("Earned on {}", day(held.at_unix_ms)),
                            Lang::Cy => format!("Wedi'i ennill ar {}", day(held.at_unix_ms)),
                        };
                        ui.label(egui::RichText::new(earned).size(16.0).strong());
                        let how = say(lang, "How:", "Sut:");
                        ui.label(
                            egui::RichText::new(format!("{how} {}", badge.criteria.get(lang)))
                                .size(16.0),
                        );
                        for quest in &held.evidence.quests {
                            if let Some(quest) = content.quests.get(quest) {
                                ui.label(
                                    egui::RichText::new(format!("✔ {}", quest.title.get(lang)))
                                        .size(16.0),
                                );
                            }
                        }
                        for stamp in &held.evidence.stamps {
                            if let Some(sector) = content.sectors.get(stamp) {
                                ui.label(
                                    egui::RichText::new(format!(
                                        "✔ {} {}",
                                        sector.icon,
                                        sector.name.get(lang)
                                    ))
                                    .size(16.0),
                                );
                            }
                        }
                        for card in &held.evidence.job_cards {
                            if let Some(role) = content.roles.get(card) {
                                ui.label(
                                    egui::RichText::new(format!(
                                        "✔ {} {}",
                                        role.icon,
                                        role.title.get(lang)
                                    ))
                                    .size(16.0),
                                );
                            }
                        }
                        if !held.evidence.reflections.is_empty() {
                            let count = held.evidence.reflections.len();
                            ui.label(
                                egui::RichText::new(match lang {
                                    Lang::En => format!("✔ {count} reflection(s)"),
                                    Lang::Cy => format!("✔ {count} myfyrdod"),
                                })
                                .size(16.0),
                            );
                        }
                        for step in &held.evidence.confirmed_steps {
                            if let Some(step) = badge.mission.get(usize::from(*step)) {
                                ui.label(
                                    egui::RichText::new(format!("✔ {}", step.text.get(lang)))
                                        .size(16.0),
                                );
                            }
                        }
                        for challenge in &held.evidence.challenges {
                            if let Some(challenge) = content.challenges.get(challenge) {
                                ui.label(
                                    egui::RichText::new(format!("✔ {}", challenge.title.get(lang)))
                                        .size(16.0),
                                );
                            }
                        }
                    });
                });
            });
        ui.add_space(6.0);
    }
    let to_earn: Vec<_> = content
        .badges
        .values()
        .filter(|badge| !portfolio.badges.iter().any(|held| held.badge == badge.id))
        .collect();
    if to_earn.is_empty() {
        return;
    }
    ui.add_space(10.0);
    ui.label(egui::RichText::new(say(lang, "Still to earn", "I'w hennill eto")).size(22.0));
    for badge in to_earn {
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(&badge.icon).size(32.0).color(NOT_YET));
            ui.label(
                egui::RichText::new(format!(
                    "{}: {}",
                    badge.name.get(lang),
                    badge.criteria.get(lang)
                ))
                .size(18.0)
                .color(egui::Color32::DARK_GRAY),
            );
        });
    }
}

fn reflections(
    ui: &mut egui::Ui,
    content: &Content,
    portfolio: &Portfolio,
    lang: Lang,
    choose_best: &mut MessageWriter<ChooseBest>,
) {
    if portfolio.reflections.is_empty() {
        ui.label(
            egui::RichText::new(say(
                lang,
                "What you write when you think back on a quest or a challenge is kept here.",
                "Mae'r hyn rwyt ti'n ei ysgrifennu wrth feddwl yn ôl am gwest neu her yn cael ei gadw yma.",
            ))
            .size(22.0),
        );
    }
    // The best first, as a portfolio is shown to others.
    let mut ordered: Vec<&Reflection> = portfolio.reflections.iter().collect();
    ordered.sort_by_key(|reflection| !reflection.best);
    for reflection in ordered {
        egui::Frame::group(ui.style())
            .fill(if reflection.best {
                egui::Color32::from_rgb(255, 246, 200)
            } else {
                egui::Color32::from_rgb(248, 248, 248)
            })
            .inner_margin(12.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(
                    egui::RichText::new(about(content, &reflection.about, lang))
                        .size(16.0)
                        .italics(),
                );
                ui.label(egui::RichText::new(&reflection.text).size(22.0));
                if let Some(comment) = &reflection.comment {
                    let teacher = say(lang, "💬 Teacher:", "💬 Athro:");
                    ui.label(egui::RichText::new(format!("{teacher} {comment}")).size(18.0));
                }
                let (label, best) = if reflection.best {
                    (say(lang, "★ One of my best", "★ Un o'm goreuon"), false)
                } else {
                    (
                        say(
                            lang,
                            "☆ Choose as one of my best",
                            "☆ Dewis fel un o'm goreuon",
                        ),
                        true,
                    )
                };
                if ui.button(egui::RichText::new(label).size(20.0)).clicked() {
                    choose_best.write(ChooseBest {
                        reflection: reflection.id,
                        best,
                    });
                }
            });
        ui.add_space(6.0);
    }
}

/// What a reflection answered: the quest's task or the challenge's debrief prompt.
fn about(content: &Content, about: &ReflectionAbout, lang: Lang) -> String {
    match about {
        ReflectionAbout::Quest { quest, .. } => content.quests.get(quest).map_or_else(
            || quest.to_string(),
            |quest| quest.title.get(lang).to_owned(),
        ),
        ReflectionAbout::Challenge { challenge, prompt } => {
            content.challenges.get(challenge).map_or_else(
                || challenge.to_string(),
                |found| {
                    let prompt = found
                        .debrief
                        .get(usize::from(*prompt))
                        .map(|text| text.get(lang).to_owned())
                        .unwrap_or_default();
                    format!("{} · {prompt}", found.title.get(lang))
                },
            )
        }
    }
}
