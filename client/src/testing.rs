//! Helpers for the client's headless tests: the game's plugins without a window, egui
//! or a network, with a handle on what they send to the connection.

use std::sync::mpsc as std_mpsc;

use bevy::prelude::*;
use tokio::sync::mpsc;

use crate::GamePlugins;
use crate::library::Library;
use crate::net::{Net, NetCommand, NetEvent};

/// A headless game, and the two ends of its connection.
pub(crate) struct Headless {
    pub app: App,
    pub sent: mpsc::UnboundedReceiver<NetCommand>,
    pub hear: std_mpsc::Sender<NetEvent>,
}

impl Headless {
    pub(crate) fn new() -> Headless {
        let (net, sent, hear) = Net::detached();
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .insert_resource(net)
            // Tests remember nothing in the user's configuration folder.
            .insert_resource(crate::class::Remembered { file: None })
            .insert_resource(crate::settings::SettingsFile { file: None })
            .insert_resource(Library::built_in())
            .add_plugins(GamePlugins);
        app.update();
        Headless { app, sent, hear }
    }

    /// The server says `event`; the game takes it in over the next frames.
    pub(crate) fn hear(&mut self, event: NetEvent) {
        self.hear.send(event).expect("the game holds its end");
        // One frame to read it, one for any state change it asks for.
        self.app.update();
        self.app.update();
    }

    pub(crate) fn send<M: Message>(&mut self, message: M) {
        self.app.world_mut().write_message(message);
        self.app.update();
        self.app.update();
    }

    /// Everything the game has asked of the connection since last asked.
    pub(crate) fn sent(&mut self) -> Vec<NetCommand> {
        std::iter::from_fn(|| self.sent.try_recv().ok()).collect()
    }

    pub(crate) fn screen(&self) -> crate::screen::Screen {
        *self
            .app
            .world()
            .resource::<State<crate::screen::Screen>>()
            .get()
    }

    pub(crate) fn resource<R: Resource>(&self) -> &R {
        self.app.world().resource::<R>()
    }
}

/// The shipped content, loaded once for every test that needs it.
pub(crate) fn shipped_content() -> &'static workworlds_content::Content {
    static CONTENT: std::sync::OnceLock<workworlds_content::Content> = std::sync::OnceLock::new();
    CONTENT.get_or_init(|| {
        workworlds_content::shipped::bundle()
            .load()
            .unwrap_or_else(|errors| panic!("{errors}"))
    })
}
