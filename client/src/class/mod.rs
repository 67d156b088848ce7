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
use workworlds_protocol::refusal::Refusal;

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
                (
                    panel::draw_class.run_if(
                        in_state(Screen::Class)
                            .and_then(not(crate::world::is_in_a_world))
                            .and_then(not(crate::challenge::is_in_a_challenge)),
                    ),
                    // After the screens, so the banner is drawn over them.
                    panel::draw_reconnecting
                        .run_if(is_reconnecting)
                        .after(panel::draw_class),
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
    /// What went wrong last, in words to show, or that the connection is being made
    /// again. A server's refusal comes in its own words, which are English for now, but
    /// for another version, which the game explains in both languages.
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
    /// The connection dropped and the game is making it again by itself; the screen on
    /// show stays until it is back or lost.
    Reconnecting,
}

/// Whether the connection is being made again, for the banner that says so.
pub fn is_reconnecting(connection: Res<Connection>) -> bool {
    connection.link == Link::Reconnecting
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
            NetEvent::Refused(refusal) => {
                // Refused while making a dropped connection again (the server was
                // updated meanwhile, say): the class is over for this game.
                if in_class(&connection) {
                    screen.set(Screen::Title);
                }
                connection.link = Link::Offline;
                connection.identity = None;
                connection.problem = Some(refusal_words(refusal));
            }
            // Once the player has left, a late word from the tries is for nobody.
            NetEvent::Reconnecting { attempt, .. } if in_class(&connection) => {
                connection.link = Link::Reconnecting;
                connection.problem = Some(reconnecting_words(*attempt));
            }
            NetEvent::Reconnected(identity) if in_class(&connection) => {
                connection.link = Link::Connected;
                connection.problem = None;
                connection.identity = Some(identity.clone());
            }
            NetEvent::Reconnecting { .. } | NetEvent::Reconnected(_) => {}
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
            NetEvent::ContentUnreadable(why) => {
                connection.link = Link::Offline;
                connection.identity = None;
                connection.problem = Some(Text::new(
                    format!(
                        "This class uses worlds this copy of the game cannot read, so it \
                         left the class. Ask whoever looks after the computers to put the \
                         same version of Work Worlds on this computer as on the class \
                         server. ({why})"
                    ),
                    format!(
                        "Mae'r dosbarth hwn yn defnyddio bydoedd na all y copi hwn o'r gêm \
                         eu darllen, felly mae wedi gadael y dosbarth. Gofynna i bwy \
                         bynnag sy'n gofalu am y cyfrifiaduron roi'r un fersiwn o Bydoedd \
                         Gwaith ar y cyfrifiadur hwn ag sydd ar weinydd y dosbarth. ({why})"
                    ),
                ));
                screen.set(Screen::Title);
            }
            NetEvent::Content(_) | NetEvent::Server(_) | NetEvent::Replied(_) => {}
        }
    }
}

/// Whether the game is in a class, connected or making the connection again.
fn in_class(connection: &Connection) -> bool {
    matches!(connection.link, Link::Connected | Link::Reconnecting)
}

/// What the player sees while the connection is made again.
fn reconnecting_words(attempt: u32) -> Text {
    Text::new(
        format!(
            "The connection to the class dropped. The game is trying again (attempt {attempt})…"
        ),
        format!("Collwyd y cysylltiad â'r dosbarth. Mae'r gêm yn ceisio eto (ymgais {attempt})…"),
    )
}

/// A refusal of the hello in words. Another version says which versions met and what
/// to do about it, in both languages: neither a pupil nor a teacher can fix it from
/// the game. Other refusals are the server's own words.
pub fn refusal_words(refusal: &Refusal) -> Text {
    let Refusal::WrongVersion { server_version } = refusal else {
        let said = refusal.to_string();
        return Text::new(said.clone(), said);
    };
    let ours = workworlds_protocol::PROTOCOL_VERSION;
    let release = env!("CARGO_PKG_VERSION");
    let (newer_en, newer_cy) = if *server_version > ours {
        (
            "The server is newer: this computer needs the new release.",
            "Mae'r gweinydd yn fwy newydd: mae angen y fersiwn newydd ar y cyfrifiadur hwn.",
        )
    } else {
        (
            "The server is older: the server needs updating.",
            "Mae'r gweinydd yn hŷn: mae angen diweddaru'r gweinydd.",
        )
    };
    Text::new(
        format!(
            "This game (Work Worlds {release}) speaks version {ours} of the class protocol \
             and the class server speaks version {server_version}, so they cannot talk. \
             {newer_en} Ask whoever runs the class server to put the same release of Work \
             Worlds on the server and on this computer."
        ),
        format!(
            "Mae'r gêm hon (Work Worlds {release}) yn siarad fersiwn {ours} o brotocol y \
             dosbarth ac mae gweinydd y dosbarth yn siarad fersiwn {server_version}, felly \
             dydyn nhw ddim yn gallu siarad â'i gilydd. {newer_cy} Gofynna i bwy bynnag \
             sy'n rhedeg gweinydd y dosbarth roi'r un fersiwn o Work Worlds ar y gweinydd ac \
             ar y cyfrifiadur hwn."
        ),
    )
}

#[cfg(test)]
mod tests;
