//! Joining a class and being in one: the forms on the title screen for a pupil (join
//! code, and the pupil code from their card) and a teacher (login and a session to
//! open), what the connection says back, and the pupil's screen while in class.

mod panel;
mod remember;

use std::net::SocketAddr;

use bevy::prelude::*;
use bevy_egui::EguiPrimaryContextPass;
use workworlds_content::Text;
use workworlds_protocol::events::ServerEvent;
use workworlds_protocol::hello::{Identity, Intent};
use workworlds_protocol::ids::{JoinCode, PupilCode};

use crate::net::{DemoRole, Net, NetCommand, NetEvent, Server, play_data_dir};
use crate::screen::Screen;

pub use panel::{BarAction, BarWriters, JoinAction, JoinForm, draw_join_bar, pupil_bar};
pub use remember::Remembered;

/// The port a class server listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 4433;

/// Adds the connection's state, the join and login messages and the class screen.
pub struct ClassPlugin;

impl Plugin for ClassPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Connection>()
            .init_resource::<Remembered>()
            .init_resource::<JoinForm>()
            .add_systems(Startup, fill_remembered_server)
            .add_message::<JoinClass>()
            .add_message::<TeacherLogin>()
            .add_message::<TryDemo>()
            .add_message::<PlayHere>()
            .add_message::<LeaveClass>()
            .add_systems(Update, (send_connect, leave_class, apply_connection))
            .add_systems(
                EguiPrimaryContextPass,
                panel::draw_class.run_if(
                    in_state(Screen::Class)
                        .and_then(not(crate::world::is_in_a_world))
                        .and_then(not(crate::challenge::is_in_a_challenge)),
                ),
            );
    }
}

/// Where the game stands with a class server.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct Connection {
    pub link: Link,
    /// Who the server says we are, once connected.
    pub identity: Option<Identity>,
    /// What went wrong last, in words to show. A server's refusal comes in its own
    /// words, which are English for now.
    pub problem: Option<Text>,
    /// The session a teacher asked to open once logged in.
    pub teacher_session: Option<JoinCode>,
    /// The demo class, when the game runs it.
    pub demo: Option<(Vec<JoinCode>, Vec<PupilCode>)>,
    /// Where pupils join, when the game runs the class server itself.
    pub join_at: Option<SocketAddr>,
    /// The server being connected to by address, to remember once it answers.
    pub trying: Option<SocketAddr>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    #[default]
    Offline,
    Connecting,
    Connected,
}

/// A pupil asks to join a class.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct JoinClass {
    pub server: SocketAddr,
    pub join_code: JoinCode,
    pub pupil_code: Option<PupilCode>,
}

/// A teacher logs in, to make a session or to open one of theirs.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct TeacherLogin {
    pub server: SocketAddr,
    pub name: String,
    pub password: String,
    pub session: Option<JoinCode>,
}

/// Start the demo class inside the game and join it as `role`.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct TryDemo(pub DemoRole);

/// Run the class server inside the game and log its teacher in.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlayHere;

/// Leave the class and go back to the title screen.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaveClass;

/// Puts the server address last joined into the join form.
fn fill_remembered_server(remembered: Res<Remembered>, mut form: ResMut<JoinForm>) {
    if let Some(server) = remembered.server() {
        form.server = server.to_string();
    }
}

/// Reads a server address as typed: `host:port`, or an address without a port for the
/// usual one.
pub fn parse_address(typed: &str) -> Option<SocketAddr> {
    let typed = typed.trim();
    typed
        .parse()
        .ok()
        .or_else(|| format!("{typed}:{DEFAULT_PORT}").parse().ok())
}

/// Sends the connection the join, login or demo asked for; the connection's answer
/// comes back as a [`NetEvent`].
fn send_connect(
    mut joins: MessageReader<JoinClass>,
    mut logins: MessageReader<TeacherLogin>,
    mut demos: MessageReader<TryDemo>,
    mut here: MessageReader<PlayHere>,
    net: Option<Res<Net>>,
    mut connection: ResMut<Connection>,
) {
    let mut commands = Vec::new();
    for join in joins.read() {
        connection.trying = Some(join.server);
        commands.push(NetCommand::Connect {
            server: Server::Address(join.server),
            intent: Intent::Join {
                code: join.join_code.clone(),
                name: None,
                pupil_code: join.pupil_code.clone(),
            },
        });
    }
    for login in logins.read() {
        connection.trying = Some(login.server);
        commands.push(NetCommand::Connect {
            server: Server::Address(login.server),
            intent: Intent::Teacher {
                name: login.name.clone(),
                password: login.password.clone(),
            },
        });
        connection.teacher_session.clone_from(&login.session);
    }
    for TryDemo(role) in demos.read() {
        connection.trying = None;
        commands.push(NetCommand::Demo { role: *role });
    }
    for PlayHere in here.read() {
        connection.trying = None;
        commands.push(NetCommand::PlayHere {
            data: play_data_dir(),
        });
        connection.teacher_session = None;
    }
    let Some(net) = net else { return };
    for command in commands {
        net.send(command);
        connection.link = Link::Connecting;
        connection.problem = None;
    }
}

fn leave_class(
    mut requests: MessageReader<LeaveClass>,
    net: Option<Res<Net>>,
    mut connection: ResMut<Connection>,
    mut screen: ResMut<NextState<Screen>>,
) {
    for LeaveClass in requests.read() {
        if let Some(net) = &net {
            net.send(NetCommand::Disconnect);
        }
        // A class played on this computer goes on running for whoever logs in next.
        *connection = Connection {
            join_at: connection.join_at,
            ..Connection::default()
        };
        screen.set(Screen::Title);
    }
}

/// Follows the connection: in a class once the server welcomes us, back to the title
/// with the reason when it refuses, drops us, or the class ends.
pub(crate) fn apply_connection(
    mut heard: MessageReader<NetEvent>,
    remembered: Res<Remembered>,
    mut connection: ResMut<Connection>,
    mut screen: ResMut<NextState<Screen>>,
) {
    for event in heard.read() {
        match event {
            NetEvent::Connected(identity) => {
                if let Some(server) = connection.trying.take() {
                    remembered.keep(server);
                }
                connection.link = Link::Connected;
                connection.problem = None;
                connection.identity = Some(identity.clone());
                screen.set(match identity {
                    Identity::Pupil { .. } => Screen::Class,
                    Identity::Teacher { .. } => Screen::Desk,
                });
            }
            NetEvent::PlayingHere { join_at } => connection.join_at = Some(*join_at),
            NetEvent::DemoReady {
                sessions,
                pupils,
                live,
            } => {
                connection.demo = Some((sessions.clone(), pupils.clone()));
                // A teacher trying the demo opens its live class, or else looks back
                // at its finished challenge.
                connection.teacher_session = live.clone().or_else(|| sessions.last().cloned());
            }
            NetEvent::Failed(why) => {
                connection.link = Link::Offline;
                connection.problem = Some(Text::new(why.clone(), why.clone()));
            }
            NetEvent::Lost(why) => {
                connection.link = Link::Offline;
                connection.identity = None;
                connection.problem = Some(Text::new(
                    format!("The connection to the class was lost: {why}"),
                    format!("Collwyd y cysylltiad â'r dosbarth: {why}"),
                ));
                screen.set(Screen::Title);
            }
            NetEvent::Server(ServerEvent::Removed | ServerEvent::SessionEnded) => {
                connection.link = Link::Offline;
                connection.identity = None;
                connection.problem = Some(match event {
                    NetEvent::Server(ServerEvent::Removed) => Text::new(
                        "Your teacher took you out of the class.",
                        "Mae dy athro wedi dy dynnu di o'r dosbarth.",
                    ),
                    _ => Text::new(
                        "Your teacher has ended the class.",
                        "Mae dy athro wedi gorffen y dosbarth.",
                    ),
                });
                screen.set(Screen::Title);
            }
            NetEvent::Server(_) | NetEvent::Replied(_) => {}
        }
    }
}

#[cfg(test)]
mod tests;
