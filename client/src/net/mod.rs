//! The game's connection to a class server. The networking runs on a small tokio
//! runtime of its own, away from Bevy's frame; systems send it [`NetCommand`]s and read
//! what it heard as [`NetEvent`] messages, so every screen can be driven in tests
//! without a network.
//!
//! The connection itself is the protocol crate's headless `ClassClient`, the same one
//! the server's tests and load test use. A connection that drops (a classroom's Wi-Fi
//! coming and going) is made again by itself, as the same pupil or teacher.

mod local;
mod task;

use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex};

use bevy::prelude::*;
use tokio::sync::mpsc;
use workworlds_content::Content;
use workworlds_protocol::events::{Reply, ServerEvent};
use workworlds_protocol::hello::{ContentHash, Identity, Intent};
use workworlds_protocol::ids::{JoinCode, PupilCode};
use workworlds_protocol::refusal::Refusal;
use workworlds_protocol::requests::{PupilRequest, TeacherRequest};

pub use local::{DemoRole, LocalServer, play_data_dir};

/// Adds the connection and the system that turns what it heard into messages.
pub struct NetPlugin;

impl Plugin for NetPlugin {
    fn build(&self, app: &mut App) {
        app.add_message::<NetEvent>()
            .add_systems(PreUpdate, pump_net_events);
        if !app.world().contains_resource::<Net>() {
            // The hash of the content on show goes in every hello, so a server with the
            // same content does not send it again.
            let shown = app
                .world()
                .get_resource::<crate::library::Library>()
                .map_or([0; 32], |library| library.hash);
            match Net::start(shown) {
                Ok(net) => {
                    app.insert_resource(net);
                }
                Err(error) => error!(%error, "cannot start the networking"),
            }
        }
    }
}

/// Where to connect.
#[derive(Clone, Debug)]
pub enum Server {
    /// A server elsewhere on the network, trusted the first time it is met.
    Address(std::net::SocketAddr),
}

/// What the game asks of its connection.
#[derive(Debug)]
pub enum NetCommand {
    Connect {
        server: Server,
        intent: Intent,
    },
    /// Starts the in-process server on a fresh demo class and connects as `role`.
    Demo {
        role: DemoRole,
    },
    /// Starts the class server inside the game, with its data folder on this computer
    /// and open to the classroom network, and logs its teacher in.
    PlayHere {
        data: std::path::PathBuf,
    },
    Pupil(PupilRequest),
    Teacher(TeacherRequest),
    Disconnect,
}

/// What the connection heard.
#[derive(Message, Clone, Debug, PartialEq)]
pub enum NetEvent {
    /// The class server's content, which differs from what the game showed: sent just
    /// before [`NetEvent::Connected`] or [`NetEvent::Reconnected`], for the game to show
    /// instead.
    Content(ServerContent),
    /// The class server sent content this game cannot read (most likely the server is
    /// a newer version), so the game hung up rather than show a class it cannot
    /// follow: the problems, in words for the log and the screen.
    ContentUnreadable(String),
    /// Connected, as the server says this client is.
    Connected(Identity),
    /// The server or the network said no, in words to show.
    Failed(String),
    /// The server refused the hello, when first connecting or when making a dropped
    /// connection again: a refusal for the screen to put in words, such as another
    /// protocol version.
    Refused(Refusal),
    /// The connection dropped without the game or the server ending it, and is being made
    /// again by itself: `attempt` is the number of the try coming next (1 for the
    /// first), `why` what went wrong last. Requests meanwhile are answered with an error.
    Reconnecting { attempt: u32, why: String },
    /// The connection is back after [`NetEvent::Reconnecting`], as the same pupil or
    /// teacher, with a teacher's session open again. Unlike [`NetEvent::Connected`] the
    /// screens carry on where they were rather than starting afresh.
    Reconnected(Identity),
    /// The connection is gone: ended by the network after every try to make it again.
    Lost(String),
    /// An event the server sent.
    Server(ServerEvent),
    /// The reply to the last request, or the refusal in words.
    Replied(Result<Reply, String>),
    /// The game is running the class server itself; pupils join at this address.
    PlayingHere { join_at: std::net::SocketAddr },
    /// The in-process demo is ready: its finished sessions and its pupils' codes.
    DemoReady {
        sessions: Vec<JoinCode>,
        pupils: Vec<PupilCode>,
        /// The demo's live class, when the demo was started for a teacher's desk.
        live: Option<JoinCode>,
    },
}

/// Content a class server sent, loaded and checked.
#[derive(Clone, Debug)]
pub struct ServerContent {
    pub content: Arc<Content>,
    /// The hash of the bundle it came in.
    pub hash: ContentHash,
}

/// Two contents are the same when their bundles are.
impl PartialEq for ServerContent {
    fn eq(&self, other: &ServerContent) -> bool {
        self.hash == other.hash
    }
}

/// The handle on the connection's runtime.
#[derive(Resource)]
pub struct Net {
    commands: mpsc::UnboundedSender<NetCommand>,
    events: Mutex<std_mpsc::Receiver<NetEvent>>,
}

impl Net {
    /// Starts the runtime on a thread of its own, for a game showing the content whose
    /// bundle hashes to `shown`.
    pub fn start(shown: ContentHash) -> std::io::Result<Net> {
        let (commands, queue) = mpsc::unbounded_channel();
        let (events_tx, events) = std_mpsc::channel();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("net")
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name("net".into())
            .spawn(move || runtime.block_on(task::run(queue, events_tx, shown)))?;
        Ok(Net {
            commands,
            events: Mutex::new(events),
        })
    }

    /// A handle for tests: commands go to `commands`, and events sent into the
    /// returned sender come out as messages.
    pub fn detached() -> (
        Net,
        mpsc::UnboundedReceiver<NetCommand>,
        std_mpsc::Sender<NetEvent>,
    ) {
        let (commands, queue) = mpsc::unbounded_channel();
        let (events_tx, events) = std_mpsc::channel();
        let net = Net {
            commands,
            events: Mutex::new(events),
        };
        (net, queue, events_tx)
    }

    pub fn send(&self, command: NetCommand) {
        if self.commands.send(command).is_err() {
            error!("the networking has stopped");
        }
    }
}

pub(crate) fn pump_net_events(net: Option<Res<Net>>, mut events: MessageWriter<NetEvent>) {
    let Some(net) = net else { return };
    let Ok(receiver) = net.events.lock() else {
        return;
    };
    while let Ok(event) = receiver.try_recv() {
        events.write(event);
    }
}
