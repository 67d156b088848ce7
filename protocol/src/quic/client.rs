//! The headless async client: connects, says hello, sends numbered requests and
//! matches the server's replies to them, and hands every other event to its owner. The
//! game, the end-to-end tests and the load test all talk to the server through it.

use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, oneshot};

use workworlds_content::ContentBundle;

use super::bundle::{MAX_COMPRESSED_BUNDLE_BYTES, unpack};
use super::trust::{FingerprintVerifier, Trust};
use super::{MessageReader, StreamError, transport_config, write_message};
use crate::events::{Reply, ServerEvent};
use crate::hello::{ClientHello, HelloAnswer, Identity};
use crate::refusal::Refusal;
use crate::requests::{ClientRequest, Numbered, PupilRequest, TeacherRequest};
use crate::{ALPN, frame};

/// The name the client asks for in the handshake; certificates are checked by
/// fingerprint, so it only has to be well-formed.
const SERVER_NAME: &str = "workworlds";

/// Why the client could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("cannot reach the server: {0}")]
    Connect(String),
    #[error("the server refused: {0}")]
    Refused(Refusal),
    #[error("the connection was lost: {0}")]
    Lost(String),
    #[error(transparent)]
    Stream(#[from] StreamError),
}

type Pending = Arc<Mutex<HashMap<u32, oneshot::Sender<Result<Reply, Refusal>>>>>;

/// A connection to a class server as a teacher or a pupil.
pub struct ClassClient {
    connection: quinn::Connection,
    send: quinn::SendStream,
    identity: Identity,
    fingerprint: [u8; 32],
    content: Option<ContentBundle>,
    next_id: u32,
    pending: Pending,
    events: mpsc::UnboundedReceiver<ServerEvent>,
}

impl std::fmt::Debug for ClassClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClassClient")
            .field("identity", &self.identity)
            .finish_non_exhaustive()
    }
}

impl ClassClient {
    /// Connects to `server`, says `hello` and waits for the answer. A refusal (a wrong
    /// password, an unknown join code, another version) comes back as
    /// [`ClientError::Refused`] with the server's reason.
    pub async fn connect(
        server: SocketAddr,
        trust: Trust,
        hello: ClientHello,
    ) -> Result<ClassClient, ClientError> {
        let seen = Arc::new(Mutex::new(None));
        let endpoint = client_endpoint(server, trust, seen.clone())?;
        let connecting = endpoint
            .connect(server, SERVER_NAME)
            .map_err(|error| ClientError::Connect(error.to_string()))?;
        let connection = connecting
            .await
            .map_err(|error| ClientError::Connect(error.to_string()))?;
        let fingerprint = seen.lock().ok().and_then(|slot| *slot).unwrap_or_default();

        let (mut send, recv) = connection
            .open_bi()
            .await
            .map_err(|error| ClientError::Lost(error.to_string()))?;
        write_message(&mut send, &hello).await?;
        let mut reader = MessageReader::new(recv, MAX_SERVER_FRAME_BYTES);
        let answer: HelloAnswer = reader.next().await?.ok_or_else(|| {
            ClientError::Lost("the server closed the connection during the hello".into())
        })?;
        let (identity, content_changed) = match answer {
            HelloAnswer::Welcome {
                identity,
                content_changed,
            } => (identity, content_changed),
            HelloAnswer::Refused(refusal) => return Err(ClientError::Refused(refusal)),
        };
        let content = if content_changed {
            Some(receive_bundle(&connection).await?)
        } else {
            None
        };

        let pending: Pending = Arc::default();
        let (events_tx, events) = mpsc::unbounded_channel();
        tokio::spawn(read_events(reader, pending.clone(), events_tx));
        Ok(ClassClient {
            connection,
            send,
            identity,
            fingerprint,
            content,
            next_id: 1,
            pending,
            events,
        })
    }

    /// Who the server says this client is.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// The content the server sent because the client's cached copy differed, if it
    /// did; the caller caches it and sends its hash next time.
    pub fn take_content(&mut self) -> Option<ContentBundle> {
        self.content.take()
    }

    /// The server certificate's fingerprint, to pin for next time.
    pub fn fingerprint(&self) -> [u8; 32] {
        self.fingerprint
    }

    /// Sends a teacher's request and waits for its reply.
    pub async fn teacher(&mut self, request: TeacherRequest) -> Result<Reply, ClientError> {
        self.request(ClientRequest::Teacher(request)).await
    }

    /// Sends a pupil's request and waits for its reply.
    pub async fn pupil(&mut self, request: PupilRequest) -> Result<Reply, ClientError> {
        self.request(ClientRequest::Pupil(request)).await
    }

    /// The next event that is not a reply, or `None` once the connection has closed.
    pub async fn next_event(&mut self) -> Option<ServerEvent> {
        self.events.recv().await
    }

    /// An event already received, if any, without waiting.
    pub fn try_event(&mut self) -> Option<ServerEvent> {
        self.events.try_recv().ok()
    }

    /// Sends raw bytes on the request stream: for tests of how the server treats
    /// malformed input.
    pub async fn send_raw(&mut self, bytes: &[u8]) -> Result<(), ClientError> {
        self.send
            .write_all(bytes)
            .await
            .map_err(|error| ClientError::Lost(error.to_string()))
    }

    /// Closes the connection at once, as a pupil closing the lid would.
    pub fn close(&self) {
        self.connection.close(quinn::VarInt::from_u32(0), b"bye");
    }

    fn number(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        id
    }

    async fn request(&mut self, request: ClientRequest) -> Result<Reply, ClientError> {
        let id = self.number();
        let message = Numbered { id, request };
        let (tx, rx) = oneshot::channel();
        if let Ok(mut pending) = self.pending.lock() {
            pending.insert(id, tx);
        }
        write_message(&mut self.send, &message).await?;
        match rx.await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(refusal)) => Err(ClientError::Refused(refusal)),
            Err(_) => Err(ClientError::Lost(self.close_reason())),
        }
    }

    /// Why the connection closed, in words: the server's reason, a timeout, or a plain
    /// "the connection closed" while QUIC has not said yet. For the game to say why it is
    /// connecting again.
    pub fn close_reason(&self) -> String {
        self.connection.close_reason().map_or_else(
            || "the connection closed".into(),
            |reason| reason.to_string(),
        )
    }
}

/// Reads the content bundle the server sends on its own stream after the welcome.
async fn receive_bundle(connection: &quinn::Connection) -> Result<ContentBundle, ClientError> {
    let lost = |error: &dyn std::fmt::Display| {
        ClientError::Lost(format!("while receiving content: {error}"))
    };
    let mut stream = connection
        .accept_uni()
        .await
        .map_err(|error| lost(&error))?;
    let packed = stream
        .read_to_end(MAX_COMPRESSED_BUNDLE_BYTES)
        .await
        .map_err(|error| lost(&error))?;
    unpack(&packed).map_err(|error| lost(&error))
}

/// Routes replies to the requests waiting for them and every other event to the owner.
async fn read_events(
    mut reader: MessageReader,
    pending: Pending,
    events: mpsc::UnboundedSender<ServerEvent>,
) {
    loop {
        let event = match reader.next::<ServerEvent>().await {
            Ok(Some(event)) => event,
            Ok(None) => break,
            Err(error) => {
                tracing::debug!(%error, "stopped reading server events");
                break;
            }
        };
        match event {
            ServerEvent::Reply { id, outcome } => {
                let waiting = pending
                    .lock()
                    .ok()
                    .and_then(|mut pending| pending.remove(&id));
                if let Some(waiting) = waiting {
                    let _ = waiting.send(outcome);
                }
            }
            other => {
                if events.send(other).is_err() {
                    break;
                }
            }
        }
    }
    // Dropping the senders wakes every request still waiting with a lost connection.
    if let Ok(mut pending) = pending.lock() {
        pending.clear();
    }
}

/// Opens a bare QUIC connection with this protocol's TLS, ALPN and transport settings
/// and nothing on top: no hello, no session. The load test uses it to measure the
/// transport alone, as the baseline the class server is compared with.
pub async fn connect_bare(
    server: SocketAddr,
    trust: Trust,
) -> Result<quinn::Connection, ClientError> {
    let endpoint = client_endpoint(server, trust, Arc::default())?;
    endpoint
        .connect(server, SERVER_NAME)
        .map_err(|error| ClientError::Connect(error.to_string()))?
        .await
        .map_err(|error| ClientError::Connect(error.to_string()))
}

fn client_endpoint(
    server: SocketAddr,
    trust: Trust,
    seen: Arc<Mutex<Option<[u8; 32]>>>,
) -> Result<quinn::Endpoint, ClientError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = FingerprintVerifier::new(trust, seen, &provider);
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|error| ClientError::Connect(error.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    tls.alpn_protocols = vec![ALPN.to_vec()];
    let crypto = quinn::crypto::rustls::QuicClientConfig::try_from(tls)
        .map_err(|error| ClientError::Connect(error.to_string()))?;
    let mut config = quinn::ClientConfig::new(Arc::new(crypto));
    config.transport_config(Arc::new(transport_config()));

    let local: SocketAddr = match server {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let mut endpoint =
        quinn::Endpoint::client(local).map_err(|error| ClientError::Connect(error.to_string()))?;
    endpoint.set_default_client_config(config);
    Ok(endpoint)
}

/// The largest frame the client accepts from the server, in bytes.
pub const MAX_SERVER_FRAME_BYTES: usize = 4 * frame::MAX_CLIENT_FRAME_BYTES;
