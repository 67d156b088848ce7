//! The join and login forms on the title screen, and the pupil's screen in class.
//! Panels read state and send messages; the form's drafts are the panel's own.

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};
use workworlds_content::Lang;
use workworlds_protocol::hello::Identity;
use workworlds_protocol::ids::{JoinCode, PupilCode};

use super::{
    Connection, DEFAULT_PORT, JoinClass, LeaveClass, Link, PlayHere, TeacherLogin, TryDemo,
    parse_address,
};
use crate::net::DemoRole;
use crate::portfolio::OpenPortfolio;
use crate::screen::whole_window;
use crate::settings::{Settings, SwitchLanguage, other_language};
use crate::words::{clock, round_words, say, time_left};
use crate::world::RaiseHand;

/// What is typed in the forms, kept between frames.
#[derive(Resource, Debug, Clone, PartialEq, Eq)]
pub struct JoinForm {
    pub server: String,
    pub join_code: String,
    pub pupil_code: String,
    pub teacher: String,
    pub password: String,
    pub session: String,
    /// What is wrong with what was typed, in the current language.
    pub mistake: Option<(&'static str, &'static str)>,
}

impl Default for JoinForm {
    fn default() -> JoinForm {
        JoinForm {
            server: format!("127.0.0.1:{DEFAULT_PORT}"),
            join_code: String::new(),
            pupil_code: String::new(),
            teacher: String::new(),
            password: String::new(),
            session: String::new(),
            mistake: None,
        }
    }
}

/// What the join bar asks for, for its caller to send.
#[derive(Debug, Clone, PartialEq)]
pub enum JoinAction {
    Join(JoinClass),
    Login(TeacherLogin),
    Demo(TryDemo),
    PlayHere(PlayHere),
}

/// The bar at the foot of the title screen: join a class, log in as a teacher, or try
/// the demo class.
pub fn draw_join_bar(
    ui: &mut egui::Ui,
    form: &mut JoinForm,
    connection: &Connection,
    lang: Lang,
) -> Option<JoinAction> {
    let mut action = None;
    let big = |text: String| egui::RichText::new(text).size(20.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(big(say(lang, "Server", "Gweinydd")));
        ui.add(field(&mut form.server).desired_width(160.0));
        ui.separator();
        ui.label(big(say(lang, "🔑 Join code", "🔑 Cod ymuno")));
        ui.add(field(&mut form.join_code).desired_width(90.0));
        ui.label(big(say(lang, "🎫 My code", "🎫 Fy nghod")));
        ui.add(field(&mut form.pupil_code).desired_width(110.0));
        if ui.button(big(say(lang, "👥 Join", "👥 Ymuno"))).clicked() {
            form.mistake = None;
            match read_join(form) {
                Ok(join) => action = Some(JoinAction::Join(join)),
                Err(mistake) => form.mistake = Some(mistake),
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(big(say(lang, "Teacher", "Athro")));
        ui.add(field(&mut form.teacher).desired_width(140.0));
        ui.label(big(say(lang, "Password", "Cyfrinair")));
        ui.add(
            field(&mut form.password)
                .password(true)
                .desired_width(120.0),
        );
        ui.label(big(say(lang, "Session (if any)", "Sesiwn (os oes)")));
        ui.add(field(&mut form.session).desired_width(90.0));
        if ui
            .button(big(say(lang, "👤 Teacher", "👤 Athro")))
            .clicked()
        {
            form.mistake = None;
            match read_login(form) {
                Ok(login) => action = Some(JoinAction::Login(login)),
                Err(mistake) => form.mistake = Some(mistake),
            }
        }
        ui.separator();
        let here = say(
            lang,
            "💻 Play on this computer",
            "💻 Chwarae ar y cyfrifiadur hwn",
        );
        if ui.button(big(here)).clicked() {
            action = Some(JoinAction::PlayHere(PlayHere));
        }
        if ui
            .button(big(say(lang, "▶ Demo class", "▶ Dosbarth enghreifftiol")))
            .clicked()
        {
            action = Some(JoinAction::Demo(TryDemo(DemoRole::Pupil)));
        }
    });
    if let Some((en, cy)) = form.mistake {
        ui.colored_label(egui::Color32::DARK_RED, big(say(lang, en, cy)));
    } else if let Some(problem) = &connection.problem {
        ui.colored_label(egui::Color32::DARK_RED, big(problem.get(lang).to_owned()));
    } else if connection.link == Link::Connecting {
        ui.label(big(say(lang, "Connecting…", "Yn cysylltu…")));
    }
    action
}

fn read_join(form: &JoinForm) -> Result<JoinClass, (&'static str, &'static str)> {
    let server = parse_address(&form.server)
        .ok_or(("Check the server's address", "Gwiria gyfeiriad y gweinydd"))?;
    let join_code = JoinCode::parse(&form.join_code).ok_or((
        "The join code is the six letters on the board",
        "Y cod ymuno yw'r chwe llythyren ar y bwrdd",
    ))?;
    let pupil_code = if form.pupil_code.trim().is_empty() {
        None
    } else {
        Some(PupilCode::parse(&form.pupil_code).ok_or((
            "Your code is the eight letters on your card",
            "Dy god di yw'r wyth llythyren ar dy gerdyn",
        ))?)
    };
    Ok(JoinClass {
        server,
        join_code,
        pupil_code,
    })
}

fn read_login(form: &JoinForm) -> Result<TeacherLogin, (&'static str, &'static str)> {
    let server = parse_address(&form.server)
        .ok_or(("Check the server's address", "Gwiria gyfeiriad y gweinydd"))?;
    let session = if form.session.trim().is_empty() {
        None
    } else {
        Some(JoinCode::parse(&form.session).ok_or((
            "A session's code is the six letters it was given",
            "Cod sesiwn yw'r chwe llythyren a gafodd",
        ))?)
    };
    Ok(TeacherLogin {
        server,
        name: form.teacher.trim().to_owned(),
        password: form.password.clone(),
        session,
    })
}

/// The pupil's screen in class: who they are, and the way to their portfolio.
pub(super) fn draw_class(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    connection: Res<Connection>,
    mut open_portfolio: MessageWriter<OpenPortfolio>,
    mut leave: MessageWriter<LeaveClass>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let lang = settings.lang;
    let mut screen = whole_window(ctx, "class-screen");
    egui::CentralPanel::default().show(&mut screen, |ui| {
        if let Some(Identity::Pupil {
            name,
            session,
            team,
            ..
        }) = &connection.identity
        {
            ui.heading(egui::RichText::new(format!("👋 {name}")).size(36.0));
            ui.label(
                egui::RichText::new(match lang {
                    Lang::En => format!("Class {session} · team {}", team.0 + 1),
                    Lang::Cy => format!("Dosbarth {session} · tîm {}", team.0 + 1),
                })
                .size(24.0),
            );
        }
        ui.add_space(24.0);
        let portfolio = egui::Button::new(
            egui::RichText::new(say(lang, "🎒 My portfolio", "🎒 Fy mhortffolio")).size(30.0),
        );
        if ui.add_sized([320.0, 90.0], portfolio).clicked() {
            open_portfolio.write(OpenPortfolio);
        }
        ui.add_space(12.0);
        if ui
            .button(egui::RichText::new(say(lang, "🚪 Leave", "🚪 Gadael")).size(20.0))
            .clicked()
        {
            leave.write(LeaveClass);
        }
    });
    Ok(())
}

/// A banner over whatever screen is on show while the connection is made again: that
/// it dropped and the game is trying again, and the way out for whoever would rather not
/// wait. The screen underneath stays as it was.
pub(super) fn draw_reconnecting(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    connection: Res<Connection>,
    mut leave: MessageWriter<LeaveClass>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let lang = settings.lang;
    let words = connection
        .problem
        .as_ref()
        .map(|problem| problem.get(lang).to_owned())
        .unwrap_or_else(|| say(lang, "Connecting…", "Yn cysylltu…"));
    egui::Area::new(egui::Id::new("reconnecting-banner"))
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 8.0))
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    let warning = ui.visuals().warn_fg_color;
                    ui.label(
                        egui::RichText::new(format!("⚠ {words}"))
                            .size(20.0)
                            .color(warning),
                    );
                    let leave_words = say(lang, "🚪 Leave", "🚪 Gadael");
                    if ui
                        .button(egui::RichText::new(leave_words).size(20.0))
                        .clicked()
                    {
                        leave.write(LeaveClass);
                    }
                });
            });
        });
    Ok(())
}

/// The language switch, then the way out; drawn the other way round for a layout that
/// runs right to left, so they read the same.
fn language_and_leave(ui: &mut egui::Ui, lang: Lang, right_to_left: bool) -> Option<BarAction> {
    let mut action = None;
    let mut language = |ui: &mut egui::Ui| {
        if ui
            .button(egui::RichText::new(other_language(lang)).size(22.0))
            .clicked()
        {
            action = Some(BarAction::SwitchLanguage);
        }
    };
    let leave = |ui: &mut egui::Ui| {
        let words = say(lang, "🚪 Leave", "🚪 Gadael");
        ui.button(egui::RichText::new(words).size(20.0)).clicked()
    };
    let left = if right_to_left {
        let left = leave(ui);
        language(ui);
        left
    } else {
        language(ui);
        leave(ui)
    };
    if left {
        action = Some(BarAction::Leave);
    }
    action
}

/// The room the language and leave buttons take at the end of the pupil's bar.
const LAST_BUTTONS_POINTS: f32 = 320.0;

/// The share of the pupil's bar its heading may take, the rest kept for the buttons.
const HEADING_SHARE: f32 = 0.24;

/// A text field in the bar's type size.
fn field(text: &mut String) -> egui::TextEdit<'_> {
    egui::TextEdit::singleline(text).font(egui::FontId::proportional(20.0))
}

/// The messages a pupil's bar sends, for the screens that show it.
#[derive(SystemParam)]
pub struct BarWriters<'w> {
    hand: MessageWriter<'w, RaiseHand>,
    portfolio: MessageWriter<'w, OpenPortfolio>,
    switch_language: MessageWriter<'w, SwitchLanguage>,
    leave: MessageWriter<'w, LeaveClass>,
}

impl BarWriters<'_> {
    /// Sends what the bar asked for, if anything.
    pub fn send(&mut self, action: Option<BarAction>) {
        match action {
            Some(BarAction::Hand(up)) => {
                self.hand.write(RaiseHand(up));
            }
            Some(BarAction::Portfolio) => {
                self.portfolio.write(OpenPortfolio);
            }
            Some(BarAction::SwitchLanguage) => {
                self.switch_language.write(SwitchLanguage);
            }
            Some(BarAction::Leave) => {
                self.leave.write(LeaveClass);
            }
            None => {}
        }
    }
}

/// What the bar above a pupil's world or challenge asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarAction {
    Hand(bool),
    Portfolio,
    SwitchLanguage,
    Leave,
}

/// The bar above a pupil's world or challenge: its name, the round and its time, a
/// hand to put up, the portfolio, the language and the way out.
/// The round's time left is counted down from the class's last view at `now`.
pub fn pupil_bar(
    ui: &mut egui::Ui,
    heading: String,
    world: &crate::world::Exploring,
    now: std::time::Duration,
    lang: Lang,
) -> Option<BarAction> {
    let view = world.view.as_ref()?;
    let left = time_left(view, world.view_at, now);
    let hand_up = world.hand_up;
    let mut action = None;
    // Wrapped, so that with large text the buttons go onto a second row rather than
    // over each other.
    ui.horizontal_wrapped(|ui| {
        // A long challenge title gives way to the buttons, whole on hovering.
        let room = ui.available_width() * HEADING_SHARE;
        ui.scope(|ui| {
            ui.set_max_width(room);
            ui.add(egui::Label::new(egui::RichText::new(&heading).size(26.0).strong()).truncate())
                .on_hover_text(&heading);
        });
        let round = format!("⏱ {} · {}", round_words(view, lang), clock(left));
        ui.label(egui::RichText::new(round).size(22.0));
        let hand = if hand_up {
            say(lang, "✋ Hand down", "✋ Llaw i lawr")
        } else {
            say(lang, "✋ Hand up", "✋ Llaw i fyny")
        };
        if ui.button(egui::RichText::new(hand).size(22.0)).clicked() {
            action = Some(BarAction::Hand(!hand_up));
        }
        let bag = say(lang, "🎒 My portfolio", "🎒 Fy mhortffolio");
        let bag = ui.button(egui::RichText::new(bag).size(22.0));
        // Stamps and job cards a quest earns fly to this button.
        ui.ctx().data_mut(|data| {
            data.insert_temp(egui::Id::new(crate::world::BAG_BUTTON), bag.rect);
        });
        if bag.clicked() {
            action = Some(BarAction::Portfolio);
        }
        // At the right-hand end when they fit there, else where the row wraps them.
        let fits = ui.available_rect_before_wrap().width() >= LAST_BUTTONS_POINTS;
        let pressed = if fits {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                language_and_leave(ui, lang, true)
            })
            .inner
        } else {
            language_and_leave(ui, lang, false)
        };
        action = action.or(pressed);
    });
    action
}
