//! The teacher's desk: making a class session, the board for the projector (a huge join
//! code, a QR code, the teams and the round's time) and the live dashboard with the
//! controls (rounds, "eyes on me", the lobby, moving and removing pupils, ending the
//! session). Everything shown is what the server last said; every control is a request
//! the server carries out or refuses.

mod board;
mod dashboard;
mod debrief;

pub use debrief::{CommentDrafts, mark_words};

use std::time::Duration;

use bevy::prelude::*;
use bevy_egui::EguiPrimaryContextPass;
use workworlds_protocol::events::{
    ChallengeView, ClassReflection, Dashboard, Reply, ServerEvent, SessionView,
};
use workworlds_protocol::hello::Identity;
use workworlds_protocol::ids::JoinCode;
use workworlds_protocol::requests::{Activity, TeacherRequest};

use crate::challenge::Chart;
use crate::class::Connection;
use crate::net::{Net, NetCommand, NetEvent};
use crate::screen::Screen;
use crate::words::time_left;

/// Adds the desk's state, its messages and its screen.
pub struct DeskPlugin;

impl Plugin for DeskPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Desk>()
            .init_resource::<NewSessionForm>()
            .init_resource::<CommentDrafts>()
            .add_message::<ShowDeskChart>()
            .add_message::<CreateSession>()
            .add_message::<Control>()
            .add_message::<ShowDeskTab>()
            .add_systems(
                Update,
                (
                    open_on_login.after(crate::class::apply_connection),
                    create_session,
                    send_control,
                    show_tab,
                    follow_session,
                ),
            )
            .add_systems(
                EguiPrimaryContextPass,
                draw_desk.run_if(in_state(Screen::Desk)),
            );
    }
}

/// The desk's two views of a running session.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DeskTab {
    /// For the projector: the join code, the QR code, the teams and the time.
    #[default]
    Board,
    /// For the teacher: every pupil and the controls.
    Dashboard,
    /// For looking back together: the challenge's results and every reflection, to
    /// mark and comment on.
    Debrief,
}

/// What the desk knows of the teacher's session.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct Desk {
    pub session: Option<JoinCode>,
    pub view: Option<SessionView>,
    pub dashboard: Option<Dashboard>,
    pub challenge: Option<ChallengeView>,
    pub tab: DeskTab,
    /// When the last session view came, on the game's clock, to count the round down
    /// between views.
    pub view_at: Duration,
    /// The server's last refusal, in its words.
    pub problem: Option<String>,
    /// The reflections written in the session, once asked for: the newest, if the
    /// class wrote more than one reply carries.
    pub reflections: Option<Vec<ClassReflection>>,
    /// How many older reflections the server left out of its reply.
    pub reflections_left_out: u32,
    /// The measure the debrief's chart shows.
    pub chart: Chart,
}

impl Desk {
    /// The round's time left now, counted down from the last view while it runs.
    pub fn remaining(&self, now: Duration) -> Duration {
        self.view
            .as_ref()
            .map_or(Duration::ZERO, |view| time_left(view, self.view_at, now))
    }
}

/// The draft of a new session.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct NewSessionForm {
    pub activity: Option<Activity>,
    pub teams: u8,
    pub round_minutes: u32,
}

impl Default for NewSessionForm {
    fn default() -> NewSessionForm {
        NewSessionForm {
            activity: None,
            teams: 4,
            round_minutes: 10,
        }
    }
}

/// Make a session with these settings.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct CreateSession {
    pub activity: Activity,
    pub teams: u8,
    pub round_seconds: u32,
}

/// One of the teacher's controls, sent to the server as it is.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct Control(pub TeacherRequest);

#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShowDeskTab(pub DeskTab);

/// Show this measure on the debrief's chart.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShowDeskChart(pub Chart);

/// A logged-in teacher comes to the desk, with the session they named opened.
fn open_on_login(
    mut heard: MessageReader<NetEvent>,
    connection: Res<Connection>,
    net: Option<Res<Net>>,
    mut desk: ResMut<Desk>,
) {
    for event in heard.read() {
        let NetEvent::Connected(Identity::Teacher { .. }) = event else {
            continue;
        };
        *desk = Desk::default();
        let (Some(net), Some(code)) = (&net, &connection.teacher_session) else {
            continue;
        };
        net.send(NetCommand::Teacher(TeacherRequest::OpenSession {
            code: code.clone(),
        }));
        desk.session = Some(code.clone());
        desk.tab = DeskTab::Dashboard;
    }
}

fn create_session(
    mut requests: MessageReader<CreateSession>,
    net: Option<Res<Net>>,
    mut desk: ResMut<Desk>,
) {
    for request in requests.read() {
        let Some(net) = &net else { continue };
        net.send(NetCommand::Teacher(TeacherRequest::CreateSession {
            activity: request.activity.clone(),
            teams: request.teams,
            round_seconds: request.round_seconds,
            typed_names: false,
        }));
        desk.problem = None;
    }
}

fn send_control(mut controls: MessageReader<Control>, net: Option<Res<Net>>) {
    let Some(net) = &net else { return };
    for Control(request) in controls.read() {
        net.send(NetCommand::Teacher(request.clone()));
        // Requests are answered in order, so the list asked for next has the comment.
        if matches!(request, TeacherRequest::CommentReflection { .. }) {
            net.send(NetCommand::Teacher(TeacherRequest::Reflections));
        }
    }
}

/// Changes the desk's tab, asking for the reflections when the debrief opens, and the
/// debrief chart's measure.
fn show_tab(
    mut requests: MessageReader<ShowDeskTab>,
    mut charts: MessageReader<ShowDeskChart>,
    net: Option<Res<Net>>,
    mut desk: ResMut<Desk>,
) {
    for ShowDeskTab(tab) in requests.read() {
        desk.tab = *tab;
        if *tab == DeskTab::Debrief
            && let Some(net) = &net
        {
            net.send(NetCommand::Teacher(TeacherRequest::Reflections));
        }
    }
    for ShowDeskChart(chart) in charts.read() {
        desk.chart = *chart;
    }
}

/// Keeps the desk up to date with what the server says.
fn follow_session(
    mut heard: MessageReader<NetEvent>,
    time: Res<Time<Real>>,
    mut desk: ResMut<Desk>,
) {
    for event in heard.read() {
        match event {
            NetEvent::Replied(Ok(Reply::SessionCreated { code })) => {
                desk.session = Some(code.clone());
                desk.tab = DeskTab::Board;
            }
            // Whatever was refused while the connection was down is past.
            NetEvent::Replied(Ok(Reply::Done)) | NetEvent::Reconnected(_) => desk.problem = None,
            NetEvent::Replied(Ok(Reply::Reflections {
                reflections,
                left_out,
            })) => {
                desk.reflections = Some(reflections.clone());
                desk.reflections_left_out = *left_out;
            }
            NetEvent::Replied(Err(why)) => desk.problem = Some(why.clone()),
            NetEvent::Server(ServerEvent::Session(view)) => {
                desk.session = Some(view.code.clone());
                desk.view = Some(view.clone());
                desk.view_at = time.elapsed();
            }
            NetEvent::Server(ServerEvent::Dashboard(dashboard)) => {
                desk.dashboard = Some(dashboard.clone());
            }
            NetEvent::Server(ServerEvent::Challenge(view)) => {
                desk.challenge = Some(view.clone());
            }
            _ => {}
        }
    }
}

/// Draws the board or the dashboard, or the new-session form before there is a
/// session.
fn draw_desk(mut contexts: bevy_egui::EguiContexts, parts: dashboard::DeskParts) -> Result {
    let ctx = contexts.ctx_mut()?;
    dashboard::draw(ctx, parts);
    Ok(())
}

#[cfg(test)]
mod tests;
