//! What a teacher does to a class over the wire: choosing whether pupils may type their
//! names, locking the lobby, moving and removing pupils, seeing hands go up; and what
//! the server does with a connection that sends rubbish.

use std::time::Duration;

use workworlds_content::ids::SectorId;
use workworlds_protocol::events::{Dashboard, Reply, ServerEvent};
use workworlds_protocol::hello::{Identity, Intent};
use workworlds_protocol::ids::{JoinCode, PupilId, TeamId};
use workworlds_protocol::quic::{ClassClient, ClientError};
use workworlds_protocol::refusal::Refusal;
use workworlds_protocol::requests::{Activity, PupilRequest, TeacherRequest};
use workworlds_tests::{TestServer, next_picked, within};

async fn session(server: &TestServer, typed_names: bool) -> (ClassClient, JoinCode) {
    let mut teacher = server.teacher().await.unwrap();
    let request = TeacherRequest::CreateSession {
        activity: Activity::World(SectorId::new("health")),
        teams: 2,
        round_seconds: 300,
        typed_names,
    };
    let Reply::SessionCreated { code } = within(teacher.teacher(request)).await.unwrap() else {
        panic!("no session")
    };
    (teacher, code)
}

fn pupil_id(client: &ClassClient) -> PupilId {
    match client.identity() {
        Identity::Pupil { pupil, .. } => *pupil,
        other => panic!("not a pupil: {other:?}"),
    }
}

/// The teacher's next dashboard that satisfies `wanted`.
async fn dashboard_where(
    teacher: &mut ClassClient,
    wanted: impl Fn(&Dashboard) -> bool,
) -> Dashboard {
    next_picked(teacher, |event| match event {
        ServerEvent::Dashboard(dashboard) if wanted(&dashboard) => Some(dashboard),
        _ => None,
    })
    .await
}

async fn join_named(
    server: &TestServer,
    code: &JoinCode,
    name: &str,
) -> Result<ClassClient, ClientError> {
    server
        .connect(Intent::Join {
            code: code.clone(),
            name: Some(name.into()),
            pupil_code: None,
        })
        .await
}

#[tokio::test]
async fn typed_names_are_used_only_when_the_teacher_allows_and_never_when_rude() {
    let server = TestServer::start().await.unwrap();
    let (_teacher, open) = session(&server, true).await;
    let named = join_named(&server, &open, "  Siân  Wyn ").await.unwrap();
    let Identity::Pupil { name, .. } = named.identity() else {
        panic!()
    };
    assert_eq!(name, "Siân Wyn");
    let rude = join_named(&server, &open, "shit head").await;
    assert!(
        matches!(rude, Err(ClientError::Refused(Refusal::NameRefused))),
        "{rude:?}"
    );

    let (_teacher, closed) = session(&server, false).await;
    let generated = join_named(&server, &closed, "Siân Wyn").await.unwrap();
    let Identity::Pupil { name, .. } = generated.identity() else {
        panic!()
    };
    assert_ne!(
        name, "Siân Wyn",
        "a typed name is ignored unless the teacher allows it"
    );
    assert_eq!(
        name.split(' ').count(),
        2,
        "a generated name such as Brave Otter: {name}"
    );
}

#[tokio::test]
async fn a_locked_lobby_turns_new_pupils_away_until_it_opens() {
    let server = TestServer::start().await.unwrap();
    let (mut teacher, code) = session(&server, false).await;
    within(teacher.teacher(TeacherRequest::LockLobby { locked: true }))
        .await
        .unwrap();
    let refused = server.pupil(&code).await.unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("closed this class to new pupils"),
        "{refused}"
    );
    within(teacher.teacher(TeacherRequest::LockLobby { locked: false }))
        .await
        .unwrap();
    assert!(server.pupil(&code).await.is_ok());
}

#[tokio::test]
async fn moved_pupils_change_team_and_removed_ones_cannot_come_back() {
    let server = TestServer::start().await.unwrap();
    let (mut teacher, code) = session(&server, false).await;
    let mut staying = server.pupil(&code).await.unwrap();
    let mut leaving = server.pupil(&code).await.unwrap();
    let Identity::Pupil { token, .. } = leaving.identity().clone() else {
        panic!()
    };

    let staying_id = pupil_id(&staying);
    within(teacher.teacher(TeacherRequest::MovePupil {
        pupil: staying_id,
        team: TeamId(1),
    }))
    .await
    .unwrap();
    let moved = dashboard_where(&mut teacher, |d| {
        d.pupils
            .iter()
            .any(|p| p.pupil == staying_id && p.team == TeamId(1))
    })
    .await;
    assert_eq!(moved.pupils.len(), 2);
    let no_team = within(teacher.teacher(TeacherRequest::MovePupil {
        pupil: staying_id,
        team: TeamId(9),
    }))
    .await;
    assert!(
        matches!(no_team, Err(ClientError::Refused(Refusal::Invalid { .. }))),
        "{no_team:?}"
    );

    within(teacher.teacher(TeacherRequest::RemovePupil {
        pupil: pupil_id(&leaving),
    }))
    .await
    .unwrap();
    let removed = loop {
        match within(leaving.next_event()).await {
            Some(ServerEvent::Removed) => break true,
            Some(_) => {}
            None => break false,
        }
    };
    assert!(removed, "the removed pupil is told");
    let back = server.connect(Intent::Resume { token }).await;
    assert!(
        matches!(back, Err(ClientError::Refused(Refusal::CannotResume))),
        "{back:?}"
    );
    assert!(
        within(staying.pupil(PupilRequest::HandUp { up: true }))
            .await
            .is_ok(),
        "the others carry on"
    );
}

#[tokio::test]
async fn hands_up_show_on_the_teachers_dashboard() {
    let server = TestServer::start().await.unwrap();
    let (mut teacher, code) = session(&server, false).await;
    let mut pupil = server.pupil(&code).await.unwrap();
    let id = pupil_id(&pupil);

    within(pupil.pupil(PupilRequest::HandUp { up: true }))
        .await
        .unwrap();
    dashboard_where(&mut teacher, |d| {
        d.pupils.iter().any(|p| p.pupil == id && p.hand_up)
    })
    .await;
    within(pupil.pupil(PupilRequest::HandUp { up: false }))
        .await
        .unwrap();
    dashboard_where(&mut teacher, |d| {
        d.pupils.iter().any(|p| p.pupil == id && !p.hand_up)
    })
    .await;
}

#[tokio::test]
async fn a_connection_sending_rubbish_is_closed_and_nobody_else_notices() {
    let server = TestServer::start().await.unwrap();
    let (mut teacher, code) = session(&server, false).await;
    let mut good = server.pupil(&code).await.unwrap();
    let mut oversized = server.pupil(&code).await.unwrap();
    let mut garbage = server.pupil(&code).await.unwrap();

    // A frame header claiming a megabyte, and a frame that decodes as nothing.
    within(oversized.send_raw(&(1u32 << 20).to_le_bytes()))
        .await
        .unwrap();
    within(garbage.send_raw(&[4, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]))
        .await
        .unwrap();
    for client in [&mut oversized, &mut garbage] {
        let closed = tokio::time::timeout(Duration::from_secs(10), async {
            while client.next_event().await.is_some() {}
        })
        .await;
        assert!(closed.is_ok(), "the misbehaving connection is closed");
        let after = within(client.pupil(PupilRequest::HandUp { up: true })).await;
        assert!(after.is_err(), "nothing more is accepted on it");
    }

    assert!(
        within(good.pupil(PupilRequest::HandUp { up: true }))
            .await
            .is_ok()
    );
    assert!(
        within(teacher.teacher(TeacherRequest::StartRound))
            .await
            .is_ok()
    );
}
