//! The connection's task on the networking runtime: one connection at a time, requests
//! answered in order, and every server event passed on.
//!
//! A connection that drops without the game or the server ending it (a classroom's
//! Wi-Fi coming and going, the class server restarting) is made again by itself: to the
//! same address, trusting only the certificate seen before, a pupil resuming with their
//! token and a teacher logging in again and reopening their session. It tries on the
//! schedule of [`retry_wait`] and gives up, saying the connection is lost, only after
//! [`GIVE_UP_AFTER`] or when the server refuses to take it back.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use bevy::log::{info, warn};
use tokio::sync::mpsc;
use tokio::time::Instant;
use workworlds_content::ContentErrors;
use workworlds_protocol::events::{Reply, ServerEvent};
use workworlds_protocol::hello::{ClientHello, ContentHash, Identity, Intent};
use workworlds_protocol::ids::JoinCode;
use workworlds_protocol::quic::{ClassClient, ClientError, Trust};
use workworlds_protocol::requests::{PupilRequest, TeacherRequest};

use super::local::LocalServer;
use super::{NetCommand, NetEvent, Server, ServerContent};

/// The wait before the first try: long enough for a blip to pass, short enough that
/// nobody notices it.
const FIRST_WAIT: Duration = Duration::from_millis(500);

/// The longest wait between tries, so the game is back within seconds of the network.
const LONGEST_WAIT: Duration = Duration::from_secs(5);

/// How long after the drop the game stops trying and tells the player the class is
/// gone: a Wi-Fi that has not come back in two minutes needs a person to look at it.
pub(super) const GIVE_UP_AFTER: Duration = Duration::from_secs(120);

/// The longest one try may take, hello and all. Without it a try sent while the server
/// is unreachable would wait out QUIC's whole idle timeout.
const TRY_LIMIT: Duration = Duration::from_secs(15);

/// The longest the game waits for the answer to one request.
const REQUEST_LIMIT: Duration = Duration::from_secs(10);

/// What a request is answered with while the connection is being made again, so a
/// screen waiting for its reply is not left waiting.
pub(super) const RECONNECTING: &str =
    "not connected: the connection dropped and the game is trying again";

/// What a request is answered with when there is no connection at all.
const NOT_CONNECTED: &str = "not connected to a class";

/// How long to wait before the next try, after `tried` tries since the connection
/// dropped `dropped_for` ago: doubling from [`FIRST_WAIT`] up to [`LONGEST_WAIT`], and
/// `None` once it has been down for [`GIVE_UP_AFTER`].
pub(super) fn retry_wait(tried: u32, dropped_for: Duration) -> Option<Duration> {
    if dropped_for >= GIVE_UP_AFTER {
        return None;
    }
    let doubled = FIRST_WAIT.saturating_mul(2u32.saturating_pow(tried));
    Some(doubled.min(LONGEST_WAIT))
}

/// Where the task stands with the class server.
enum State {
    /// No connection, and none wanted.
    Idle,
    /// Connected.
    Connected(Live),
    /// The connection dropped unexpectedly and is being made again.
    Reconnecting(Retry),
}

/// A connection, and what it takes to make it again.
struct Live {
    client: ClassClient,
    again: Redial,
    /// The server has taken this pupil out or ended their session, so the connection
    /// closing next is expected and not made again.
    ended: bool,
}

/// How to make a dropped connection again.
#[derive(Clone)]
struct Redial {
    address: SocketAddr,
    /// Pinned to the certificate seen when first connected, so the game comes back only
    /// to the same server.
    trust: Trust,
    /// A pupil resumes with their token; a teacher logs in as before.
    intent: Intent,
    /// The content already received, so the server does not send it again.
    content: ContentHash,
    /// The session a teacher had open (opened or made), to open again.
    session: Option<JoinCode>,
}

impl Redial {
    /// Stretches a wait by up to a quarter, by a share drawn from the pupil's resume
    /// token, so that a whole class dropped at once does not knock on the server at the
    /// same moments. A teacher, one per class, waits the plain time.
    fn spread(&self, wait: Duration) -> Duration {
        let share = match &self.intent {
            Intent::Resume { token } => f64::from(token.0[0]) / 256.0,
            _ => 0.0,
        };
        wait.mul_f64(1.0 + share / 4.0)
    }
}

/// Trying to make a dropped connection again.
struct Retry {
    again: Redial,
    /// Tries made so far.
    tried: u32,
    dropped_at: Instant,
    /// When the next try starts.
    next_at: Instant,
    /// The try under way: kept across commands so that a request answered meanwhile
    /// does not start it over.
    trying: Option<Try>,
}

type Try = Pin<Box<dyn Future<Output = Result<Back, ClientError>> + Send>>;

/// A connection made again.
struct Back {
    client: ClassClient,
    /// Why a teacher's session could not be opened again, if it could not.
    unopened: Option<String>,
}

/// What the connection (or the lack of one) brought.
enum Heard {
    Event(ServerEvent),
    Closed,
    Tried(Result<Back, ClientError>),
}

pub(super) async fn run(
    mut commands: mpsc::UnboundedReceiver<NetCommand>,
    events: std_mpsc::Sender<NetEvent>,
    shown: ContentHash,
) {
    let mut shown = shown;
    let mut state = State::Idle;
    // Kept alive for as long as the game might talk to it.
    let mut local: Option<LocalServer> = None;
    loop {
        let said: Vec<NetEvent> = tokio::select! {
            command = commands.recv() => {
                let Some(command) = command else { return };
                apply(command, &mut state, &mut local, &events, &mut shown).await
            }
            heard = hear(&mut state) => follow(heard, &mut state, &mut shown),
        };
        for event in said {
            if events.send(event).is_err() {
                return;
            }
        }
    }
}

/// Waits for whatever comes next in `state`: an event, the connection closing, or the
/// outcome of a try to make it again.
async fn hear(state: &mut State) -> Heard {
    match state {
        State::Idle => std::future::pending().await,
        State::Connected(live) => live
            .client
            .next_event()
            .await
            .map_or(Heard::Closed, Heard::Event),
        State::Reconnecting(retry) => Heard::Tried(retry.next_try().await),
    }
}

impl Retry {
    /// Waits for the next try's time and makes it, or goes on with the one under way.
    async fn next_try(&mut self) -> Result<Back, ClientError> {
        if self.trying.is_none() {
            tokio::time::sleep_until(self.next_at).await;
        }
        let again = &self.again;
        let attempt = self
            .trying
            .get_or_insert_with(|| -> Try { Box::pin(reconnect(again.clone())) });
        let outcome = attempt.await;
        self.trying = None;
        outcome
    }
}

/// Passes on what was heard, and makes the connection again when it dropped.
fn follow(heard: Heard, state: &mut State, shown: &mut ContentHash) -> Vec<NetEvent> {
    match heard {
        Heard::Event(event) => {
            if let State::Connected(live) = state
                && matches!(event, ServerEvent::Removed | ServerEvent::SessionEnded)
            {
                live.ended = true;
            }
            vec![NetEvent::Server(event)]
        }
        Heard::Closed => dropped(state, *shown),
        Heard::Tried(outcome) => tried(outcome, state, shown),
    }
}

/// The connection closed: the end, when the server ended it, or else the first try to
/// make it again.
fn dropped(state: &mut State, shown: ContentHash) -> Vec<NetEvent> {
    let State::Connected(mut live) = std::mem::replace(state, State::Idle) else {
        return Vec::new();
    };
    let why = live.client.close_reason();
    live.client.close();
    if live.ended {
        return Vec::new();
    }
    warn!(%why, "the connection to the class dropped: connecting again");
    live.again.content = shown;
    let now = Instant::now();
    let first = live.again.spread(FIRST_WAIT);
    *state = State::Reconnecting(Retry {
        again: live.again,
        tried: 0,
        dropped_at: now,
        next_at: now + first,
        trying: None,
    });
    vec![NetEvent::Reconnecting { attempt: 1, why }]
}

/// A try to connect again ended: back, refused for good, or another try later.
fn tried(
    outcome: Result<Back, ClientError>,
    state: &mut State,
    shown: &mut ContentHash,
) -> Vec<NetEvent> {
    let State::Reconnecting(mut retry) = std::mem::replace(state, State::Idle) else {
        return Vec::new();
    };
    match outcome {
        Ok(back) => reconnected(back, retry.again, state, shown),
        Err(ClientError::Refused(refusal)) => {
            warn!(%refusal, "the class server would not take the connection back");
            vec![NetEvent::Refused(refusal)]
        }
        Err(error) => {
            retry.tried = retry.tried.saturating_add(1);
            let why = said(&error);
            let Some(wait) = retry_wait(retry.tried, retry.dropped_at.elapsed()) else {
                warn!(%why, tries = retry.tried, "giving up connecting again");
                let minutes = GIVE_UP_AFTER.as_secs() / 60;
                return vec![NetEvent::Lost(format!(
                    "it could not be made again in {minutes} minutes ({why})"
                ))];
            };
            info!(%why, tries = retry.tried, ?wait, "connecting again failed");
            retry.next_at = Instant::now() + retry.again.spread(wait);
            let attempt = retry.tried.saturating_add(1);
            *state = State::Reconnecting(retry);
            vec![NetEvent::Reconnecting { attempt, why }]
        }
    }
}

/// The connection is back: connected again, and the screens told, with the server's
/// content first if it changed while the server was away.
fn reconnected(
    mut back: Back,
    mut again: Redial,
    state: &mut State,
    shown: &mut ContentHash,
) -> Vec<NetEvent> {
    info!("the connection to the class is back");
    let identity = back.client.identity().clone();
    let mut said = match take_content(&mut back.client, shown) {
        Ok(said) => said,
        Err(words) => return vec![NetEvent::ContentUnreadable(words)],
    };
    said.push(NetEvent::Reconnected(identity));
    if let Some(why) = back.unopened {
        // Not tried again: the server said no, and would again.
        again.session = None;
        said.push(NetEvent::Replied(Err(why)));
    }
    *state = State::Connected(Live {
        client: back.client,
        again,
        ended: false,
    });
    said
}

/// One try at making the connection again, within [`TRY_LIMIT`].
async fn reconnect(again: Redial) -> Result<Back, ClientError> {
    let attempt = async {
        let hello = ClientHello::new(again.content, again.intent.clone());
        let mut client = ClassClient::connect(again.address, again.trust, hello).await?;
        let unopened = match &again.session {
            Some(code) => reopen(&mut client, code).await?,
            None => None,
        };
        Ok(Back { client, unopened })
    };
    tokio::time::timeout(TRY_LIMIT, attempt)
        .await
        .unwrap_or_else(|_| Err(ClientError::Connect("no answer in time".into())))
}

/// Opens a teacher's session again on a new connection, before the screens hear it is
/// back, so the teacher's next control reaches the session. A refusal (the session
/// ended meanwhile) is kept to tell; a lost connection fails the try.
async fn reopen(client: &mut ClassClient, code: &JoinCode) -> Result<Option<String>, ClientError> {
    let request = TeacherRequest::OpenSession { code: code.clone() };
    match client.teacher(request).await {
        Ok(_) => Ok(None),
        Err(ClientError::Refused(refusal)) => Ok(Some(format!(
            "class {code} could not be opened again: {refusal}"
        ))),
        Err(error) => Err(error),
    }
}

async fn apply(
    command: NetCommand,
    state: &mut State,
    local: &mut Option<LocalServer>,
    events: &std_mpsc::Sender<NetEvent>,
    shown: &mut ContentHash,
) -> Vec<NetEvent> {
    match command {
        NetCommand::Connect { server, intent } => {
            let Server::Address(address) = server;
            connect(state, address, Trust::FirstUse, intent, shown).await
        }
        NetCommand::PlayHere { data } => {
            if local.is_none() {
                match LocalServer::play(&data).await {
                    Ok(started) => *local = Some(started),
                    Err(error) => return vec![NetEvent::Failed(format!("{error:#}"))],
                }
            }
            let Some(server) = local.as_ref() else {
                return Vec::new();
            };
            let (Some(intent), Some(join_at)) = (server.teacher.clone(), server.join_at) else {
                return vec![NetEvent::Failed(
                    "the game is running its demo class".into(),
                )];
            };
            let _ = events.send(NetEvent::PlayingHere { join_at });
            let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, server.address.port()));
            connect(
                state,
                loopback,
                Trust::Pinned(server.fingerprint),
                intent,
                shown,
            )
            .await
        }
        NetCommand::Demo { role } => {
            let mut started = match LocalServer::demo().await {
                Ok(started) => started,
                Err(error) => return vec![NetEvent::Failed(format!("{error:#}"))],
            };
            let (address, fingerprint) = (started.address, started.fingerprint);
            let intent = match started.prepare(role).await {
                Ok(intent) => intent,
                Err(error) => return vec![NetEvent::Failed(format!("{error:#}"))],
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
            connect(state, address, Trust::Pinned(fingerprint), intent, shown).await
        }
        NetCommand::Pupil(request) => vec![NetEvent::Replied(pupil(state, request).await)],
        NetCommand::Teacher(request) => vec![NetEvent::Replied(teacher(state, request).await)],
        NetCommand::Disconnect => {
            hang_up(state);
            Vec::new()
        }
    }
}

/// Ends the connection, or the tries to make it again, for good.
fn hang_up(state: &mut State) {
    if let State::Connected(live) = std::mem::replace(state, State::Idle) {
        live.client.close();
    }
}

async fn connect(
    state: &mut State,
    address: SocketAddr,
    trust: Trust,
    intent: Intent,
    shown: &mut ContentHash,
) -> Vec<NetEvent> {
    hang_up(state);
    let hello = ClientHello::new(*shown, intent.clone());
    match ClassClient::connect(address, trust, hello).await {
        Ok(mut client) => {
            let identity = client.identity().clone();
            let mut said = match take_content(&mut client, shown) {
                Ok(said) => said,
                Err(words) => return vec![NetEvent::ContentUnreadable(words)],
            };
            let again = Redial {
                address,
                trust: Trust::Pinned(client.fingerprint()),
                intent: intent_again(&identity, intent),
                content: *shown,
                session: None,
            };
            *state = State::Connected(Live {
                client,
                again,
                ended: false,
            });
            said.push(NetEvent::Connected(identity));
            said
        }
        Err(ClientError::Refused(refusal)) => vec![NetEvent::Refused(refusal)],
        Err(error) => vec![NetEvent::Failed(said(&error))],
    }
}

/// What the screens hear of the content the server sent with its welcome, before
/// they hear they are connected: nothing when it sent none (as when the game already
/// shows the same), else the content, loaded and checked exactly as a folder on disk
/// is and taken as what the game shows. Content that cannot be read closes the
/// connection and is an error for the screen, since a class whose quests the game
/// cannot show cannot be played.
fn take_content(
    client: &mut ClassClient,
    shown: &mut ContentHash,
) -> Result<Vec<NetEvent>, String> {
    let Some(bundle) = client.take_content() else {
        return Ok(Vec::new());
    };
    let hash = bundle.hash();
    match bundle.load() {
        Ok(content) => {
            info!(
                files = bundle.files().count(),
                "the class server sent its content"
            );
            *shown = hash;
            Ok(vec![NetEvent::Content(ServerContent {
                content: Arc::new(content),
                hash,
            })])
        }
        Err(errors) => {
            warn!(%errors, "the class server's content cannot be read");
            client.close();
            Err(unreadable_words(&errors))
        }
    }
}

/// A short account of what is wrong with content: how many problems, and the first.
pub(super) fn unreadable_words(errors: &ContentErrors) -> String {
    match errors.0.as_slice() {
        [] => "it could not be read".into(),
        [only] => only.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
    }
}

/// Who to say the client is when connecting again: a pupil resumes their place with
/// their token, where joining again would make a new pupil; a teacher logs in as
/// before.
fn intent_again(identity: &Identity, intent: Intent) -> Intent {
    match identity {
        Identity::Pupil { token, .. } => Intent::Resume { token: *token },
        Identity::Teacher { .. } => intent,
    }
}

async fn pupil(state: &mut State, request: PupilRequest) -> Result<Reply, String> {
    match state {
        State::Connected(live) => answered(live.client.pupil(request)).await,
        other => Err(not_connected(other)),
    }
}

/// Carries out a teacher's request, keeping the session it opens or makes to open
/// again should the connection drop.
async fn teacher(state: &mut State, request: TeacherRequest) -> Result<Reply, String> {
    let State::Connected(live) = state else {
        return Err(not_connected(state));
    };
    let opening = match &request {
        TeacherRequest::OpenSession { code } => Some(code.clone()),
        _ => None,
    };
    let replied = answered(live.client.teacher(request)).await;
    match &replied {
        Ok(Reply::SessionCreated { code }) => live.again.session = Some(code.clone()),
        Ok(_) if opening.is_some() => live.again.session = opening,
        _ => {}
    }
    replied
}

/// Why a request cannot be sent now, in words.
fn not_connected(state: &State) -> String {
    match state {
        State::Reconnecting(_) => RECONNECTING.into(),
        _ => NOT_CONNECTED.into(),
    }
}

/// A request's answer in words, or a plain "no answer" once [`REQUEST_LIMIT`] has
/// passed: a connection that went quiet (the Wi-Fi gone, not yet timed out) must not
/// hold up the commands behind the request, Leave among them. A late answer is let go.
async fn answered(
    request: impl Future<Output = Result<Reply, ClientError>>,
) -> Result<Reply, String> {
    answered_within(REQUEST_LIMIT, request).await
}

async fn answered_within(
    limit: Duration,
    request: impl Future<Output = Result<Reply, ClientError>>,
) -> Result<Reply, String> {
    match tokio::time::timeout(limit, request).await {
        Ok(result) => words(result),
        Err(_) => Err(format!(
            "no answer from the class server in {} seconds",
            limit.as_secs_f32()
        )),
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

#[cfg(test)]
mod tests;
