//! The desk's panels: the top bar, the new-session form, and the dashboard with every
//! pupil and the controls. They read state and send messages.

use std::time::Duration;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy_egui::egui;
use workworlds_content::{Content, Lang};
use workworlds_protocol::events::{Dashboard, RoundState, SessionView};
use workworlds_protocol::ids::TeamId;
use workworlds_protocol::requests::{Activity, TEAMS, TeacherRequest};

use super::debrief::{self, CommentDrafts, DebriefWriters};
use super::{
    Control, CreateSession, Desk, DeskTab, NewSessionForm, ShowDeskChart, ShowDeskTab, board,
};
use crate::class::LeaveClass;
use crate::library::Library;
use crate::record::OpenRecord;
use crate::screen::whole_window;
use crate::settings::{Settings, SwitchLanguage, language_button};
use crate::teams::team_mark;
use crate::words::{clock, round_words, say};

/// The longest round the form offers, in minutes; the server takes up to an hour.
const MAX_ROUND_MINUTES: u32 = 60;

/// The room the language button takes at the end of the desk's bar.
const LANGUAGE_BUTTON_POINTS: f32 = 160.0;

/// Minutes added by the "more time" button.
const EXTEND_SECONDS: u32 = 60;

/// What the desk's panels read and send.
#[derive(SystemParam)]
pub(super) struct DeskParts<'w> {
    library: Res<'w, Library>,
    settings: Res<'w, Settings>,
    desk: Res<'w, Desk>,
    connection: Res<'w, crate::class::Connection>,
    form: ResMut<'w, NewSessionForm>,
    drafts: ResMut<'w, CommentDrafts>,
    time: Res<'w, Time<Real>>,
    switch_language: MessageWriter<'w, SwitchLanguage>,
    create: MessageWriter<'w, CreateSession>,
    control: MessageWriter<'w, Control>,
    tab: MessageWriter<'w, ShowDeskTab>,
    chart: MessageWriter<'w, ShowDeskChart>,
    record: MessageWriter<'w, OpenRecord>,
    leave: MessageWriter<'w, LeaveClass>,
}

pub(super) fn draw(ctx: &egui::Context, mut parts: DeskParts<'_>) {
    let lang = parts.settings.lang;
    let mut screen = whole_window(ctx, "desk-screen");
    egui::Panel::top("desk-bar").show(&mut screen, |ui| {
        top_bar(ui, &mut parts, lang);
    });
    let Ok(content) = &parts.library.content else {
        return;
    };
    egui::CentralPanel::default().show(&mut screen, |ui| {
        if let Some(problem) = &parts.desk.problem {
            ui.colored_label(
                egui::Color32::DARK_RED,
                egui::RichText::new(problem).size(20.0),
            );
        }
        let Some(view) = &parts.desk.view else {
            new_session(ui, content, &mut parts.form, &mut parts.create, lang);
            return;
        };
        let now = parts.time.elapsed();
        match parts.desk.tab {
            DeskTab::Board => {
                let join_at = parts.connection.join_at;
                board::draw(ui, content, view, parts.desk.remaining(now), join_at, lang);
            }
            DeskTab::Dashboard => {
                controls(
                    ui,
                    view,
                    parts.desk.remaining(now),
                    &mut parts.control,
                    lang,
                );
                ui.separator();
                if let Some(dashboard) = &parts.desk.dashboard {
                    pupils(ui, content, view, dashboard, &mut parts.control, lang);
                }
            }
            DeskTab::Debrief => {
                let writers = DebriefWriters {
                    control: &mut parts.control,
                    chart: &mut parts.chart,
                };
                let desk = &parts.desk;
                debrief::draw(ui, content, (view, desk), &mut parts.drafts, writers, lang);
            }
        }
    });
}

fn top_bar(ui: &mut egui::Ui, parts: &mut DeskParts<'_>, lang: Lang) {
    // Wrapped, so that large text puts the tabs on another row, not off the screen.
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(egui::RichText::new(say(lang, "⬅ Log out", "⬅ Allgofnodi")).size(20.0))
            .clicked()
        {
            parts.leave.write(LeaveClass);
        }
        let code = parts
            .desk
            .session
            .as_ref()
            .map(|code| format!(" · {code}"))
            .unwrap_or_default();
        let title = say(lang, "Teacher's desk", "Desg yr athro");
        ui.heading(egui::RichText::new(format!("{title}{code}")).size(26.0));
        if parts.desk.view.is_some() {
            for (tab, en, cy) in [
                (DeskTab::Board, "📺 Board", "📺 Bwrdd"),
                (DeskTab::Dashboard, "📊 Dashboard", "📊 Dangosfwrdd"),
                (DeskTab::Debrief, "🎓 Debrief", "🎓 Ôl-drafod"),
            ] {
                let label = egui::RichText::new(say(lang, en, cy)).size(22.0);
                if ui.selectable_label(parts.desk.tab == tab, label).clicked() {
                    parts.tab.write(ShowDeskTab(tab));
                }
            }
            let record = egui::RichText::new(say(lang, "📋 Record", "📋 Cofnod")).size(22.0);
            if ui.selectable_label(false, record).clicked() {
                parts.record.write(OpenRecord);
            }
        }
        if ui.available_rect_before_wrap().width() >= LANGUAGE_BUTTON_POINTS {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                language_button(ui, lang, &mut parts.switch_language);
            });
        } else {
            language_button(ui, lang, &mut parts.switch_language);
        }
    });
}

/// The form for a new session: the activity (a sector world or a challenge), the
/// number of teams and the length of a round.
fn new_session(
    ui: &mut egui::Ui,
    content: &Content,
    form: &mut NewSessionForm,
    create: &mut MessageWriter<CreateSession>,
    lang: Lang,
) {
    let big = |text: String| egui::RichText::new(text).size(22.0);
    ui.label(big(say(lang, "A new class session", "Sesiwn dosbarth newydd")).strong());
    ui.label(big(say(lang, "Explore a world:", "Archwilio byd:")));
    ui.horizontal_wrapped(|ui| {
        for sector in content.sectors.values() {
            let activity = Activity::World(sector.id.clone());
            let chosen = form.activity.as_ref() == Some(&activity);
            let label = big(format!("{} {}", sector.icon, sector.name.get(lang)));
            if ui.selectable_label(chosen, label).clicked() {
                form.activity = Some(activity);
            }
        }
    });
    ui.label(big(say(lang, "Or run a challenge:", "Neu redeg her:")));
    ui.horizontal_wrapped(|ui| {
        for challenge in content.challenges.values() {
            let activity = Activity::Challenge(challenge.id.clone());
            let chosen = form.activity.as_ref() == Some(&activity);
            let icon = if challenge.net_zero.is_some() {
                "🌍"
            } else {
                "💼"
            };
            let label = big(format!("{icon} {}", challenge.title.get(lang)));
            if ui.selectable_label(chosen, label).clicked() {
                form.activity = Some(activity);
            }
        }
    });
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        ui.label(big(say(lang, "Teams", "Timau")));
        ui.add(egui::Slider::new(
            &mut form.teams,
            *TEAMS.start()..=*TEAMS.end(),
        ));
        ui.label(big(say(lang, "Minutes a round", "Munudau'r rownd")));
        ui.add(egui::Slider::new(
            &mut form.round_minutes,
            1..=MAX_ROUND_MINUTES,
        ));
    });
    ui.add_space(8.0);
    let ready = form.activity.is_some();
    let start = egui::Button::new(big(say(lang, "✔ Make the session", "✔ Creu'r sesiwn")));
    if ui.add_enabled(ready, start).clicked()
        && let Some(activity) = form.activity.clone()
    {
        create.write(CreateSession {
            activity,
            teams: form.teams,
            round_seconds: form.round_minutes * 60,
        });
    }
}

/// The round and class controls, and the round's state and time.
fn controls(
    ui: &mut egui::Ui,
    view: &SessionView,
    remaining: Duration,
    control: &mut MessageWriter<Control>,
    lang: Lang,
) {
    let big = |text: String| egui::RichText::new(text).size(22.0);
    let mut send = |request: TeacherRequest| {
        control.write(Control(request));
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(
            big(format!(
                "{} · {}",
                round_words(view, lang),
                clock(remaining)
            ))
            .strong(),
        );
        if view.ended {
            return;
        }
        match view.round.state {
            RoundState::NotStarted | RoundState::Ended => {
                if ui
                    .button(big(say(lang, "▶ Start round", "▶ Dechrau rownd")))
                    .clicked()
                {
                    send(TeacherRequest::StartRound);
                }
            }
            RoundState::Running => {
                if ui.button(big(say(lang, "⏸ Pause", "⏸ Oedi"))).clicked() {
                    send(TeacherRequest::PauseRound);
                }
            }
            RoundState::Paused => {
                if ui
                    .button(big(say(lang, "▶ Carry on", "▶ Parhau")))
                    .clicked()
                {
                    send(TeacherRequest::ResumeRound);
                }
            }
        }
        if matches!(view.round.state, RoundState::Running | RoundState::Paused) {
            if ui
                .button(big(say(lang, "➕ 1 minute", "➕ 1 munud")))
                .clicked()
            {
                send(TeacherRequest::ExtendRound {
                    seconds: EXTEND_SECONDS,
                });
            }
            if ui
                .button(big(say(lang, "⏹ End round", "⏹ Gorffen rownd")))
                .clicked()
            {
                send(TeacherRequest::EndRound);
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        if view.ended {
            ui.label(big(say(
                lang,
                "🏁 The session has ended",
                "🏁 Mae'r sesiwn wedi gorffen",
            )));
            return;
        }
        let eyes = if view.eyes_on_me {
            say(lang, "👀 Release screens", "👀 Rhyddhau sgriniau")
        } else {
            say(lang, "👀 Eyes on me", "👀 Llygaid arna i")
        };
        if ui.button(big(eyes)).clicked() {
            send(TeacherRequest::EyesOnMe {
                on: !view.eyes_on_me,
            });
        }
        let lobby = if view.lobby_locked {
            say(lang, "🔓 Let pupils join", "🔓 Gadael i ddisgyblion ymuno")
        } else {
            say(lang, "🔒 Lock the lobby", "🔒 Cloi'r cyntedd")
        };
        if ui.button(big(lobby)).clicked() {
            send(TeacherRequest::LockLobby {
                locked: !view.lobby_locked,
            });
        }
        if ui
            .button(big(say(lang, "🏁 End the session", "🏁 Gorffen y sesiwn")))
            .clicked()
        {
            send(TeacherRequest::EndSession);
        }
    });
}

/// Every pupil: team, connection, hand, answers and quest, with the team to move them
/// to and a button to take them out of the class.
fn pupils(
    ui: &mut egui::Ui,
    content: &Content,
    view: &SessionView,
    dashboard: &Dashboard,
    control: &mut MessageWriter<Control>,
    lang: Lang,
) {
    let hands = dashboard
        .pupils
        .iter()
        .filter(|pupil| pupil.hand_up)
        .count();
    let connected = dashboard
        .pupils
        .iter()
        .filter(|pupil| pupil.connected)
        .count();
    ui.label(
        egui::RichText::new(match lang {
            Lang::En => format!(
                "{} pupils · {connected} connected · {hands} hands up",
                dashboard.pupils.len()
            ),
            Lang::Cy => format!(
                "{} disgybl · {connected} wedi cysylltu · {hands} llaw i fyny",
                dashboard.pupils.len()
            ),
        })
        .size(20.0),
    );
    let teams = u8::try_from(view.teams.len()).unwrap_or(u8::MAX);
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("desk-pupils")
            .striped(true)
            .spacing([18.0, 6.0])
            .show(ui, |ui| {
                for (en, cy) in [
                    ("Pupil", "Disgybl"),
                    ("Team", "Tîm"),
                    ("Online", "Ar-lein"),
                    ("Hand", "Llaw"),
                    ("Right", "Cywir"),
                    ("Quest", "Cwest"),
                    ("Move to", "Symud i"),
                    ("", ""),
                ] {
                    ui.label(egui::RichText::new(say(lang, en, cy)).size(18.0).strong());
                }
                ui.end_row();
                for pupil in &dashboard.pupils {
                    let mark = team_mark(pupil.team.0);
                    ui.label(egui::RichText::new(&pupil.name).size(18.0));
                    ui.label(
                        egui::RichText::new(format!("{} {}", mark.symbol, pupil.team.0 + 1))
                            .color(mark.text)
                            .size(18.0)
                            .strong(),
                    );
                    ui.label(
                        egui::RichText::new(if pupil.connected { "✔" } else { "—" }).size(18.0),
                    );
                    ui.label(egui::RichText::new(if pupil.hand_up { "✋" } else { "" }).size(18.0));
                    ui.label(
                        egui::RichText::new(format!("{} / {}", pupil.right, pupil.answered))
                            .size(18.0),
                    );
                    let quest = pupil
                        .current_quest
                        .as_ref()
                        .and_then(|quest| content.quests.get(quest))
                        .map(|quest| quest.title.get(lang).to_owned())
                        .unwrap_or_default();
                    ui.label(egui::RichText::new(quest).size(16.0));
                    ui.horizontal(|ui| {
                        for team in (0..teams).filter(|team| *team != pupil.team.0) {
                            let mark = team_mark(team);
                            let button = egui::Button::new(
                                egui::RichText::new(mark.symbol)
                                    .color(mark.colour)
                                    .size(18.0),
                            );
                            if ui.add(button).clicked() {
                                control.write(Control(TeacherRequest::MovePupil {
                                    pupil: pupil.pupil,
                                    team: TeamId(team),
                                }));
                            }
                        }
                    });
                    if ui
                        .button(egui::RichText::new(say(lang, "✖ Remove", "✖ Tynnu")).size(16.0))
                        .clicked()
                    {
                        control.write(Control(TeacherRequest::RemovePupil { pupil: pupil.pupil }));
                    }
                    ui.end_row();
                }
            });
    });
}
