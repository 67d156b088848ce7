//! The connection's task on the networking runtime: one connection at a time, requests
//! answered in order, and every server event passed on.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::mpsc as std_mpsc;

use tokio::sync::mpsc;
use workworlds_protocol::hello::{ClientHello, Intent};
use workworlds_protocol::quic::{ClassClient, ClientError, Trust};

use super::local::LocalServer;
use super::{NetCommand, NetEvent, Server};

pub(super) async fn run(
    mut commands: mpsc::UnboundedReceiver<NetCommand>,
    events: std_mpsc::Sender<NetEvent>,
) {
    let mut client: Option<ClassClient> = None;
    // Kept alive for as long as the game might talk to it.
    let mut local: Option<LocalServer> = None;
    loop {
        let event = async {
            match client.as_mut() {
                Some(client) => client.next_event().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            command = commands.recv() => {
                let Some(command) = command else { return };
                let outcome = apply(command, &mut client, &mut local, &events).await;
                if let Some(event) = outcome && events.send(event).is_err() {
                    return;
                }
            }
            heard = event => {
                let event = match heard {
                    Some(event) => NetEvent::Server(event),
                    None => {
                        client = None;
                        NetEvent::Lost("the connection to the class closed".into())
                    }
                };
                if events.send(event).is_err() {
                    return;
                }
            }
        }
    }
}

async fn apply(
    command: NetCommand,
    client: &mut Option<ClassClient>,
    local: &mut Option<LocalServer>,
    events: &std_mpsc::Sender<NetEvent>,
) -> Option<NetEvent> {
    match command {
        NetCommand::Connect { server, intent } => {
            let Server::Address(address) = server;
            Some(connect(client, address, Trust::FirstUse, intent).await)
        }
        NetCommand::PlayHere { data } => {
            if local.is_none() {
                match LocalServer::play(&data).await {
                    Ok(started) => *local = Some(started),
                    Err(error) => return Some(NetEvent::Failed(format!("{error:#}"))),
                }
            }
            let server = local.as_ref()?;
            let (Some(intent), Some(join_at)) = (server.teacher.clone(), server.join_at) else {
                return Some(NetEvent::Failed(
                    "the game is running its demo class".into(),
                ));
            };
            let _ = events.send(NetEvent::PlayingHere { join_at });
            let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, server.address.port()));
            Some(connect(client, loopback, Trust::Pinned(server.fingerprint), intent).await)
        }
        NetCommand::Demo { role } => {
            let mut started = match LocalServer::demo().await {
                Ok(started) => started,
                Err(error) => return Some(NetEvent::Failed(format!("{error:#}"))),
            };
            let (address, fingerprint) = (started.address, started.fingerprint);
            let intent = match started.prepare(role).await {
                Ok(intent) => intent,
                Err(error) => return Some(NetEvent::Failed(format!("{error:#}"))),
            };
            if let Some((sessions, pupils)) = started.demo_codes() {
                let live = started.live.clone();
                let _ = events.send(NetEvent::DemoReady {
                    sessions,
                    pupils,
                    live,
                });
            }
            *local = Some(started);
            Some(connect(client, address, Trust::Pinned(fingerprint), intent).await)
        }
        NetCommand::Pupil(request) => {
            let connected = client.as_mut()?;
            Some(NetEvent::Replied(words(connected.pupil(request).await)))
        }
        NetCommand::Teacher(request) => {
            let connected = client.as_mut()?;
            Some(NetEvent::Replied(words(connected.teacher(request).await)))
        }
        NetCommand::Disconnect => {
            if let Some(connected) = client.take() {
                connected.close();
            }
            None
        }
    }
}

async fn connect(
    client: &mut Option<ClassClient>,
    address: std::net::SocketAddr,
    trust: Trust,
    intent: Intent,
) -> NetEvent {
    let hello = ClientHello::new([0; 32], intent);
    match ClassClient::connect(address, trust, hello).await {
        Ok(connected) => {
            let identity = connected.identity().clone();
            *client = Some(connected);
            NetEvent::Connected(identity)
        }
        Err(error) => NetEvent::Failed(said(&error)),
    }
}

fn words<T>(result: Result<T, ClientError>) -> Result<T, String> {
    result.map_err(|error| said(&error))
}

/// An error in words for the screen: a refusal as the server put it.
fn said(error: &ClientError) -> String {
    match error {
        ClientError::Refused(refusal) => refusal.to_string(),
        other => other.to_string(),
    }
}
