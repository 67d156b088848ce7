//! The network misbehaving: a pupil whose Wi-Fi vanishes for twenty seconds, and
//! connections that complete the QUIC handshake and then say nothing or try to open
//! stream after stream. Each time the class carries on for everyone else, and the pupil
//! who dropped out carries on where they were.

use std::time::{Duration, Instant};

use workworlds_content::ids::{QuestId, SectorId};
use workworlds_content::marking::Answer;
use workworlds_protocol::events::{Earned, Reply, RoundState, ServerEvent};
use workworlds_protocol::hello::{ClientHello, Identity, Intent};
use workworlds_protocol::ids::JoinCode;
use workworlds_protocol::quic::{ClassClient, Trust, connect_bare};
use workworlds_protocol::requests::{Activity, PupilRequest, TeacherRequest};
use workworlds_tests::{Relay, TestServer, next_picked, within, within_limit};

/// How long the pupil's network is gone.
const OUTAGE: Duration = Duration::from_secs(20);

async fn create_session(teacher: &mut ClassClient) -> JoinCode {
    let request = TeacherRequest::CreateSession {
        activity: Activity::World(SectorId::new("energy")),
        teams: 2,
        round_seconds: 300,
        typed_names: false,
    };
    match within(teacher.teacher(request)).await.unwrap() {
        Reply::SessionCreated { code } => code,
        other => panic!("unexpected reply {other:?}"),
    }
}

/// The three tasks of the turbine quest, each answered right.
fn turbine_task(task: u8) -> PupilRequest {
    let answer = match task {
        0 => Answer::ChooseSeveral(vec!["helmet".into()]),
        1 => Answer::Order(vec![
            "weather".into(),
            "kit".into(),
            "climb".into(),
            "fix".into(),
        ]),
        _ => Answer::Reflect("Checking the weather first keeps everyone safe".into()),
    };
    PupilRequest::SubmitAnswer {
        quest: QuestId::new("turbine-safety-check"),
        task,
        answer,
    }
}

/// The round's time left as the teacher's screen shows it now. The server sends the
/// session as it changes, so the teacher changes nothing (opens an open lobby) to have it
/// sent afresh.
async fn remaining_ms(teacher: &mut ClassClient) -> u64 {
    while teacher.try_event().is_some() {}
    let refresh = TeacherRequest::LockLobby { locked: false };
    within(teacher.teacher(refresh)).await.unwrap();
    next_picked(teacher, |event| match event {
        ServerEvent::Session(view) if view.round.state == RoundState::Running => {
            Some(view.round.remaining_ms)
        }
        _ => None,
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pupil_whose_network_vanishes_for_twenty_seconds_carries_on_where_they_were() {
    let server = TestServer::start().await.unwrap();
    let mut teacher = server.teacher().await.unwrap();
    let code = create_session(&mut teacher).await;
    let relay = Relay::start(server.address).await.unwrap();
    let join = ClientHello::new(
        [0; 32],
        Intent::Join {
            code: code.clone(),
            name: None,
            pupil_code: None,
        },
    );
    let mut wifi = within(ClassClient::connect(
        relay.address,
        Trust::Pinned(server.fingerprint),
        join,
    ))
    .await
    .unwrap();
    let mut neighbour = server.pupil(&code).await.unwrap();
    let Identity::Pupil {
        pupil, team, token, ..
    } = wifi.identity().clone()
    else {
        panic!("joined as something else than a pupil")
    };
    within(teacher.teacher(TeacherRequest::StartRound))
        .await
        .unwrap();
    let reply = within(wifi.pupil(turbine_task(0))).await.unwrap();
    assert!(matches!(reply, Reply::Marked { .. }), "{reply:?}");

    // The network goes with a request on its way: it is answered when the network comes
    // back, or, if the connection gave up meanwhile, asked again after resuming.
    relay.set_cut(true);
    let cut_at = Instant::now();
    let in_flight = tokio::spawn(async move {
        let reply = wifi.pupil(turbine_task(1)).await;
        (wifi, reply)
    });

    // Meanwhile the class goes on: the neighbour is answered at once and the round's
    // clock keeps running on the teacher's screen.
    let before = remaining_ms(&mut teacher).await;
    let mut hand_up = false;
    while cut_at.elapsed() < OUTAGE {
        hand_up = !hand_up;
        let reply = within_limit(
            Duration::from_secs(5),
            neighbour.pupil(PupilRequest::HandUp { up: hand_up }),
        )
        .await;
        assert!(
            reply.is_ok(),
            "the neighbour is answered during the outage: {reply:?}"
        );
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    let after = remaining_ms(&mut teacher).await;
    assert!(
        before - after >= 15_000,
        "the round ran on through the outage: {before} ms, then {after} ms"
    );

    relay.set_cut(false);
    let (wifi, reply) = within_limit(Duration::from_secs(60), in_flight)
        .await
        .unwrap();
    let mut wifi = match reply {
        Ok(reply) => {
            assert!(matches!(reply, Reply::Marked { .. }), "{reply:?}");
            wifi
        }
        Err(_) => {
            let mut back = server.connect(Intent::Resume { token }).await.unwrap();
            within(back.pupil(turbine_task(1))).await.unwrap();
            back
        }
    };
    let Identity::Pupil {
        pupil: pupil_after,
        team: team_after,
        ..
    } = wifi.identity().clone()
    else {
        panic!("no longer a pupil")
    };
    assert_eq!(
        (pupil_after, team_after),
        (pupil, team),
        "the same pupil in the same team"
    );

    // The answer given before the outage still counts: the last task finishes the quest.
    match within(wifi.pupil(turbine_task(2))).await.unwrap() {
        Reply::Marked { earned, .. } => {
            assert!(
                earned.contains(&Earned::Stamp(SectorId::new("energy"))),
                "{earned:?}"
            );
        }
        other => panic!("unexpected reply {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_and_stream_hungry_connections_are_closed_and_the_class_carries_on() {
    let server = TestServer::start().await.unwrap();
    let mut teacher = server.teacher().await.unwrap();
    let code = create_session(&mut teacher).await;
    let mut pupil = server.pupil(&code).await.unwrap();
    let trust = Trust::Pinned(server.fingerprint);

    // One connection says nothing at all; another asks for many streams and writes a
    // little on each, never a hello.
    let silent = within(connect_bare(server.address, trust)).await.unwrap();
    let hungry = within(connect_bare(server.address, trust)).await.unwrap();
    // The streams are kept open: a stream finished by its sender is a goodbye.
    let mut opened = Vec::new();
    for _ in 0..50 {
        let Ok(Ok((mut send, recv))) =
            tokio::time::timeout(Duration::from_millis(100), hungry.open_bi()).await
        else {
            break;
        };
        let _ = send.write_all(&[0]).await;
        opened.push((send, recv));
    }
    assert_eq!(
        opened.len(),
        1,
        "the server grants one stream per connection"
    );

    // Until the server gives up on them, the class is served as usual.
    for up in [true, false, true] {
        let reply = within(pupil.pupil(PupilRequest::HandUp { up })).await;
        assert!(reply.is_ok(), "{reply:?}");
    }
    within(teacher.teacher(TeacherRequest::StartRound))
        .await
        .unwrap();

    for connection in [silent, hungry] {
        let reason = within(connection.closed()).await;
        match reason {
            quinn::ConnectionError::ApplicationClosed(close) => {
                assert_eq!(&close.reason[..], b"no hello in time", "{close:?}");
            }
            other => panic!("closed without a reason: {other:?}"),
        }
    }
    let reply = within(pupil.pupil(PupilRequest::HandUp { up: false })).await;
    assert!(reply.is_ok(), "{reply:?}");
}
