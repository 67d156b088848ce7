//! One connection, from hello to goodbye.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use workworlds_protocol::events::{Reply, ServerEvent};
use workworlds_protocol::frame::MAX_CLIENT_FRAME_BYTES;
use workworlds_protocol::hello::{
    ClientHello, ContentHash, HelloAnswer, Identity, Intent, check_version,
};
use workworlds_protocol::ids::JoinCode;
use workworlds_protocol::quic::{MessageReader, StreamError, write_message};
use workworlds_protocol::refusal::Refusal;
use workworlds_protocol::requests::{ClientRequest, Numbered, TeacherRequest};

use crate::hub::{EventSender, Hub, Joined};

/// How long a new connection has to open its stream and say hello.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// How much of a refused teacher name the log shows, in characters.
const MAX_LOGGED_NAME_CHARS: usize = 64;

/// Application close codes, with the reason in words beside them.
const CLOSE_DONE: u32 = 0;
const CLOSE_REFUSED: u32 = 1;
const CLOSE_BAD_INPUT: u32 = 2;

pub(super) async fn handle(hub: Arc<Hub>, incoming: quinn::Incoming) {
    let connection = match incoming.await {
        Ok(connection) => connection,
        Err(error) => {
            tracing::debug!(%error, "handshake failed");
            return;
        }
    };
    let address = connection.remote_address().ip();

    let opened = tokio::time::timeout(HELLO_TIMEOUT, async {
        let (send, recv) = connection.accept_bi().await.ok()?;
        let mut reader = MessageReader::new(recv, MAX_CLIENT_FRAME_BYTES);
        let hello = reader.next::<ClientHello>().await;
        Some((send, reader, hello))
    })
    .await;
    let Ok(Some((mut send, reader, hello))) = opened else {
        close(&connection, CLOSE_BAD_INPUT, "no hello in time");
        return;
    };
    let hello = match hello {
        Ok(Some(hello)) => hello,
        Ok(None) => return close(&connection, CLOSE_DONE, "closed before hello"),
        Err(error) => return bad_input(&connection, &error),
    };
    // Never the intent itself: a teacher's hello carries their password.
    let intent = match &hello.intent {
        Intent::Teacher { .. } => "teacher",
        Intent::Join { .. } => "join",
        Intent::Resume { .. } => "resume",
    };
    tracing::debug!(intent, "hello");
    if let Some(refusal) = check_version(&hello) {
        return refuse(&connection, &mut send, refusal).await;
    }

    let (events, outbox) = mpsc::unbounded_channel();
    match hello.intent {
        Intent::Teacher { name, password } => {
            let known = hub.check_teacher(&name, &password).await;
            if !matches!(known, Ok(true)) {
                // The name is anyone's typing: shown escaped and cut short, so a refused
                // login cannot write lines of its own into the log.
                let typed: String = name.chars().take(MAX_LOGGED_NAME_CHARS).collect();
                tracing::warn!(teacher = ?typed, "teacher login refused");
                return refuse(&connection, &mut send, Refusal::BadLogin).await;
            }
            let identity = Identity::Teacher { name: name.clone() };
            if !welcome(&hub, &connection, &mut send, hello.content_hash, identity).await {
                return;
            }
            tracing::info!(teacher = %name, "teacher connected");
            let writer = tokio::spawn(write_events(send, outbox));
            teacher_loop(&hub, &connection, reader, &name, events).await;
            writer.abort();
        }
        Intent::Join {
            code,
            name,
            pupil_code,
        } => {
            let joined = hub
                .join(address, &code, name, pupil_code, events.clone())
                .await;
            let cached = hello.content_hash;
            pupil_session(
                &hub,
                &connection,
                send,
                reader,
                joined,
                cached,
                events,
                outbox,
            )
            .await;
        }
        Intent::Resume { token } => {
            let joined = hub.resume(token, events.clone()).await;
            let cached = hello.content_hash;
            pupil_session(
                &hub,
                &connection,
                send,
                reader,
                joined,
                cached,
                events,
                outbox,
            )
            .await;
        }
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "the parts of one connection, handed over once"
)]
async fn pupil_session(
    hub: &Arc<Hub>,
    connection: &quinn::Connection,
    mut send: quinn::SendStream,
    mut reader: MessageReader,
    joined: Result<Joined, Refusal>,
    cached_content: ContentHash,
    events: EventSender,
    outbox: mpsc::UnboundedReceiver<ServerEvent>,
) {
    let joined = match joined {
        Ok(joined) => joined,
        Err(refusal) => return refuse(connection, &mut send, refusal).await,
    };
    let code = joined.session.clone();
    let identity = Identity::Pupil {
        pupil: joined.pupil,
        name: joined.name.clone(),
        session: code.clone(),
        team: joined.team,
        token: joined.token,
    };
    if !welcome(hub, connection, &mut send, cached_content, identity).await {
        hub.left(&code, joined.connection).await;
        return;
    }
    let writer = tokio::spawn(write_events(send, outbox));
    loop {
        let message = match reader.next::<Numbered<ClientRequest>>().await {
            Ok(Some(message)) => message,
            Ok(None) => break,
            Err(error) => {
                bad_input(connection, &error);
                break;
            }
        };
        let outcome = match message.request {
            ClientRequest::Pupil(request) => hub.pupil_request(&code, joined.pupil, request).await,
            ClientRequest::Teacher(request) => {
                tracing::warn!(
                    pupil = joined.pupil.0,
                    ?request,
                    "a pupil sent a teacher's request"
                );
                Err(Refusal::TeachersOnly)
            }
        };
        if let Err(refusal) = &outcome {
            tracing::debug!(%refusal, "pupil request refused");
        }
        // Replies share the channel of the session's events, so they keep their order.
        if events
            .send(ServerEvent::Reply {
                id: message.id,
                outcome,
            })
            .is_err()
        {
            break;
        }
    }
    hub.left(&code, joined.connection).await;
    writer.abort();
}

async fn teacher_loop(
    hub: &Arc<Hub>,
    connection: &quinn::Connection,
    mut reader: MessageReader,
    teacher: &str,
    events: EventSender,
) {
    let mut session: Option<JoinCode> = None;
    loop {
        let message = match reader.next::<Numbered<ClientRequest>>().await {
            Ok(Some(message)) => message,
            Ok(None) => break,
            Err(error) => {
                bad_input(connection, &error);
                break;
            }
        };
        let request = match message.request {
            ClientRequest::Teacher(request) => request,
            ClientRequest::Pupil(_) => {
                let refusal = Refusal::NotNow {
                    why: "only pupils answer quests".into(),
                };
                if events
                    .send(ServerEvent::Reply {
                        id: message.id,
                        outcome: Err(refusal),
                    })
                    .is_err()
                {
                    break;
                }
                continue;
            }
        };
        let outcome = match (request, &session) {
            (
                TeacherRequest::CreateSession {
                    activity,
                    teams,
                    round_seconds,
                    typed_names,
                },
                None,
            ) => {
                match hub
                    .create_session(teacher, activity, teams, round_seconds, typed_names)
                    .await
                {
                    Ok(code) => {
                        let attached = hub.open_session(&code, teacher, events.clone()).await;
                        session = attached.is_ok().then(|| code.clone());
                        attached.map(|()| Reply::SessionCreated { code })
                    }
                    Err(refusal) => Err(refusal),
                }
            }
            (TeacherRequest::OpenSession { code }, None) => {
                let attached = hub.open_session(&code, teacher, events.clone()).await;
                session = attached.is_ok().then(|| code.clone());
                attached.map(|()| Reply::Done)
            }
            (request, Some(code)) => hub.teacher_request(code, request).await,
            (_, None) => Err(Refusal::NotNow {
                why: "create or open a session first".into(),
            }),
        };
        if let Err(refusal) = &outcome {
            tracing::debug!(%refusal, "teacher request refused");
        }
        if events
            .send(ServerEvent::Reply {
                id: message.id,
                outcome,
            })
            .is_err()
        {
            break;
        }
    }
    tracing::info!(teacher, "teacher disconnected");
}

/// Writes events to the stream in the order they come.
async fn write_events(
    mut send: quinn::SendStream,
    mut outbox: mpsc::UnboundedReceiver<ServerEvent>,
) {
    while let Some(event) = outbox.recv().await {
        let last = matches!(event, ServerEvent::Removed | ServerEvent::SessionEnded);
        if write_message(&mut send, &event).await.is_err() {
            return;
        }
        if last {
            let _ = send.finish();
            return;
        }
    }
}

/// Welcomes a client and, when its cached content differs, sends the server's on a
/// stream of its own. Says whether the connection is still usable.
async fn welcome(
    hub: &Hub,
    connection: &quinn::Connection,
    send: &mut quinn::SendStream,
    cached_content: ContentHash,
    identity: Identity,
) -> bool {
    let content_changed = cached_content != hub.content_hash();
    if write_message(
        send,
        &HelloAnswer::Welcome {
            content_changed,
            identity,
        },
    )
    .await
    .is_err()
    {
        return false;
    }
    if content_changed {
        let packed = hub.packed_content();
        let connection = connection.clone();
        tokio::spawn(async move {
            let Ok(mut stream) = connection.open_uni().await else {
                return;
            };
            if stream.write_all(&packed).await.is_ok() {
                let _ = stream.finish();
                tracing::debug!(bytes = packed.len(), "content sent");
            }
        });
    }
    true
}

async fn refuse(connection: &quinn::Connection, send: &mut quinn::SendStream, refusal: Refusal) {
    tracing::debug!(%refusal, "hello refused");
    let _ = write_message(send, &HelloAnswer::Refused(refusal.clone())).await;
    let _ = send.finish();
    // Give the answer a moment to leave before the close overtakes it.
    let _ = tokio::time::timeout(Duration::from_secs(2), send.stopped()).await;
    close(connection, CLOSE_REFUSED, &refusal.to_string());
}

fn bad_input(connection: &quinn::Connection, error: &StreamError) {
    tracing::warn!(%error, "closing a connection that sent bad input");
    close(connection, CLOSE_BAD_INPUT, &error.to_string());
}

fn close(connection: &quinn::Connection, code: u32, reason: &str) {
    connection.close(quinn::VarInt::from_u32(code), reason.as_bytes());
}
