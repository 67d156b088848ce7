//! A class of thirty over real QUIC on loopback: joining, balanced teams, a timed round
//! that every pupil sees alike, answers marked on the server and shown on the teacher's
//! dashboard, and the refusals that keep a session safe.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::task::JoinSet;
use workworlds_content::ids::{QuestId, RoleId, SectorId};
use workworlds_content::marking::Answer;
use workworlds_protocol::PROTOCOL_VERSION;
use workworlds_protocol::events::{Earned, Reply, RoundState, ServerEvent};
use workworlds_protocol::hello::{ClientHello, Identity, Intent};
use workworlds_protocol::ids::{JoinCode, TeamId};
use workworlds_protocol::quic::{ClassClient, ClientError, Trust};
use workworlds_protocol::refusal::Refusal;
use workworlds_protocol::requests::{Activity, PupilRequest, TeacherRequest};
use workworlds_tests::{PASSWORD, TEACHER, TestServer, within, within_limit};

const CLASS: usize = 30;
const TEAMS: u8 = 4;

async fn create_session(teacher: &mut ClassClient, round_seconds: u32) -> JoinCode {
    let request = TeacherRequest::CreateSession {
        activity: Activity::World(SectorId::new("energy")),
        teams: TEAMS,
        round_seconds,
        typed_names: false,
    };
    match within(teacher.teacher(request))
        .await
        .expect("the session is created")
    {
        Reply::SessionCreated { code } => code,
        other => panic!("unexpected reply {other:?}"),
    }
}

fn team_of(client: &ClassClient) -> TeamId {
    match client.identity() {
        Identity::Pupil { team, .. } => *team,
        other => panic!("not a pupil: {other:?}"),
    }
}

/// Waits for a session view whose round is in `state`.
async fn round_in(client: &mut ClassClient, state: RoundState) -> (u32, u64) {
    loop {
        match client.next_event().await {
            Some(ServerEvent::Session(view)) if view.round.state == state => {
                return (view.round.number, view.round.remaining_ms);
            }
            Some(_) => {}
            None => panic!("the connection closed while waiting for a {state:?} round"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_of_thirty_plays_a_round_to_its_end() {
    let server = TestServer::start().await.unwrap();
    let mut teacher = server.teacher().await.unwrap();
    let code = create_session(&mut teacher, 30).await;

    let mut joining = JoinSet::new();
    for _ in 0..CLASS {
        let (address, fingerprint, code) = (server.address, server.fingerprint, code.clone());
        joining.spawn(async move {
            let hello = ClientHello::new(
                [0; 32],
                Intent::Join {
                    code,
                    name: None,
                    pupil_code: None,
                },
            );
            ClassClient::connect(address, Trust::Pinned(fingerprint), hello).await
        });
    }
    let mut pupils = Vec::new();
    while let Some(joined) = within(joining.join_next()).await {
        pupils.push(joined.unwrap().expect("every pupil joins"));
    }

    let mut sizes: BTreeMap<TeamId, usize> = BTreeMap::new();
    for pupil in &pupils {
        *sizes.entry(team_of(pupil)).or_default() += 1;
    }
    let mut counts: Vec<usize> = sizes.values().copied().collect();
    counts.sort_unstable();
    assert_eq!(counts, [7, 7, 8, 8], "teams are balanced");

    within(teacher.teacher(TeacherRequest::StartRound))
        .await
        .unwrap();
    let mut seen = Vec::new();
    for pupil in &mut pupils {
        seen.push(within(round_in(pupil, RoundState::Running)).await);
    }
    assert!(
        seen.iter().all(|view| *view == seen[0]),
        "every pupil sees the same timer: {seen:?}"
    );
    assert_eq!(seen[0].0, 1);
    assert!(seen[0].1 <= 30_000 && seen[0].1 > 20_000, "{seen:?}");

    let quest = QuestId::new("turbine-safety-check");
    let right = Answer::ChooseSeveral(vec!["helmet".into(), "harness".into()]);
    for (index, pupil) in pupils.iter_mut().enumerate() {
        let answer = if index % 3 == 0 {
            Answer::ChooseSeveral(vec!["helmet".into()])
        } else {
            right.clone()
        };
        let request = PupilRequest::SubmitAnswer {
            quest: quest.clone(),
            task: 0,
            answer,
        };
        let reply = within(pupil.pupil(request)).await.unwrap();
        let Reply::Marked { mark, .. } = reply else {
            panic!("unexpected reply {reply:?}")
        };
        assert_eq!(mark.is_right(), index % 3 != 0);
    }

    let dashboard = loop {
        match within(teacher.next_event()).await {
            Some(ServerEvent::Dashboard(dashboard))
                if dashboard.pupils.len() == CLASS
                    && dashboard.pupils.iter().all(|p| p.answered == 1) =>
            {
                break dashboard;
            }
            Some(_) => {}
            None => panic!("the teacher's connection closed"),
        }
    };
    assert_eq!(dashboard.pupils.len(), CLASS);
    assert_eq!(
        dashboard.pupils.iter().filter(|p| p.right == 1).count(),
        CLASS - CLASS.div_ceil(3)
    );
    assert!(
        dashboard
            .pupils
            .iter()
            .all(|p| p.connected && p.current_quest.as_ref() == Some(&quest))
    );

    // The round ends on the server's timer, about 30 seconds after it started.
    for pupil in &mut pupils {
        let (number, remaining) =
            within_limit(Duration::from_secs(45), round_in(pupil, RoundState::Ended)).await;
        assert_eq!((number, remaining), (1, 0));
    }
}

#[tokio::test]
async fn teachers_pause_resume_extend_and_freeze_screens() {
    let server = TestServer::start().await.unwrap();
    let mut teacher = server.teacher().await.unwrap();
    let code = create_session(&mut teacher, 60).await;
    let mut pupil = server.pupil(&code).await.unwrap();

    within(teacher.teacher(TeacherRequest::StartRound))
        .await
        .unwrap();
    within(teacher.teacher(TeacherRequest::PauseRound))
        .await
        .unwrap();
    let (_, paused_at) = within(round_in(&mut pupil, RoundState::Paused)).await;
    within(teacher.teacher(TeacherRequest::ExtendRound { seconds: 30 }))
        .await
        .unwrap();
    let (_, extended) = within(round_in(&mut pupil, RoundState::Paused)).await;
    assert_eq!(extended, paused_at + 30_000);

    let refused = within(teacher.teacher(TeacherRequest::PauseRound)).await;
    assert!(
        matches!(refused, Err(ClientError::Refused(Refusal::NotNow { .. }))),
        "{refused:?}"
    );

    within(teacher.teacher(TeacherRequest::EyesOnMe { on: true }))
        .await
        .unwrap();
    let answer = PupilRequest::SubmitAnswer {
        quest: QuestId::new("turbine-safety-check"),
        task: 2,
        answer: Answer::Reflect("I liked climbing".into()),
    };
    let frozen = within(pupil.pupil(answer.clone())).await;
    assert!(
        matches!(frozen, Err(ClientError::Refused(Refusal::NotNow { .. }))),
        "{frozen:?}"
    );
    within(teacher.teacher(TeacherRequest::EyesOnMe { on: false }))
        .await
        .unwrap();
    assert!(within(pupil.pupil(answer)).await.is_ok());

    within(teacher.teacher(TeacherRequest::ResumeRound))
        .await
        .unwrap();
    within(round_in(&mut pupil, RoundState::Running)).await;
}

#[tokio::test]
async fn a_pupil_can_do_nothing_a_teacher_can() {
    let server = TestServer::start().await.unwrap();
    let mut teacher = server.teacher().await.unwrap();
    let code = create_session(&mut teacher, 60).await;
    let mut pupil = server.pupil(&code).await.unwrap();
    let Identity::Pupil { pupil: me, .. } = pupil.identity().clone() else {
        panic!("not a pupil")
    };

    let every_teacher_request = [
        TeacherRequest::CreateSession {
            activity: Activity::World(SectorId::new("energy")),
            teams: 2,
            round_seconds: 60,
            typed_names: true,
        },
        TeacherRequest::OpenSession { code: code.clone() },
        TeacherRequest::StartRound,
        TeacherRequest::PauseRound,
        TeacherRequest::ResumeRound,
        TeacherRequest::ExtendRound { seconds: 60 },
        TeacherRequest::EndRound,
        TeacherRequest::EyesOnMe { on: true },
        TeacherRequest::MovePupil {
            pupil: me,
            team: TeamId(1),
        },
        TeacherRequest::RemovePupil { pupil: me },
        TeacherRequest::LockLobby { locked: true },
    ];
    for request in every_teacher_request {
        let refused = within(pupil.teacher(request.clone())).await;
        assert!(
            matches!(refused, Err(ClientError::Refused(Refusal::TeachersOnly))),
            "{request:?}: {refused:?}"
        );
    }

    // The session is untouched: the round never started and the pupil is still in it.
    let still_there = within(pupil.pupil(PupilRequest::HandUp { up: true })).await;
    assert!(still_there.is_ok(), "{still_there:?}");
    within(teacher.teacher(TeacherRequest::StartRound))
        .await
        .expect("the round was not started by the pupil");
}

#[tokio::test]
async fn wrong_logins_versions_and_codes_are_refused_with_reasons() {
    let server = TestServer::start().await.unwrap();

    let wrong_password = server
        .connect(Intent::Teacher {
            name: TEACHER.into(),
            password: "guess".into(),
        })
        .await;
    assert!(matches!(
        wrong_password,
        Err(ClientError::Refused(Refusal::BadLogin))
    ));

    let mut hello = ClientHello::new(
        [0; 32],
        Intent::Teacher {
            name: TEACHER.into(),
            password: PASSWORD.into(),
        },
    );
    hello.version = PROTOCOL_VERSION + 1;
    let old = within(ClassClient::connect(
        server.address,
        Trust::Pinned(server.fingerprint),
        hello,
    ))
    .await;
    let Err(ClientError::Refused(refusal)) = old else {
        panic!("another version was let in")
    };
    assert!(
        refusal
            .to_string()
            .contains(&format!("this server runs version {PROTOCOL_VERSION}"))
    );

    let nobody = JoinCode::parse("ZZZZZZ").unwrap();
    let unknown = server.pupil(&nobody).await;
    assert!(
        unknown
            .unwrap_err()
            .to_string()
            .contains("no class is using that join code")
    );

    let impostor = within(ClassClient::connect(
        server.address,
        Trust::Pinned([7; 32]),
        ClientHello::new(
            [0; 32],
            Intent::Join {
                code: nobody,
                name: None,
                pupil_code: None,
            },
        ),
    ))
    .await;
    assert!(
        matches!(impostor, Err(ClientError::Connect(_))),
        "a changed certificate is not trusted"
    );
}

#[tokio::test]
async fn guessing_join_codes_is_refused_after_ten_tries() {
    let server = TestServer::start().await.unwrap();
    let mut teacher = server.teacher().await.unwrap();
    let real = create_session(&mut teacher, 60).await;

    for guess in 0..10 {
        let code = JoinCode::from_indices([guess, 1, 2, 3, 4, 5]);
        assert_ne!(code, real);
        let refused = server.pupil(&code).await.unwrap_err();
        assert!(
            refused.to_string().contains("no class"),
            "guess {guess}: {refused}"
        );
    }
    let locked_out = server.pupil(&real).await.unwrap_err();
    assert!(
        locked_out.to_string().contains("too many wrong join codes"),
        "{locked_out}"
    );
}

#[tokio::test]
async fn a_dropped_pupil_resumes_with_the_same_identity_and_team() {
    let server = TestServer::start().await.unwrap();
    let mut teacher = server.teacher().await.unwrap();
    let code = create_session(&mut teacher, 60).await;
    let pupil = server.pupil(&code).await.unwrap();
    let Identity::Pupil {
        pupil: id,
        name,
        team,
        token,
        ..
    } = pupil.identity().clone()
    else {
        panic!()
    };
    pupil.close();
    drop(pupil);

    let back = server.connect(Intent::Resume { token }).await.unwrap();
    let Identity::Pupil {
        pupil: id_again,
        name: name_again,
        team: team_again,
        ..
    } = back.identity().clone()
    else {
        panic!()
    };
    assert_eq!((id_again, name_again, team_again), (id, name, team));

    let dashboard = loop {
        match within(teacher.next_event()).await {
            Some(ServerEvent::Dashboard(dashboard))
                if dashboard.pupils.len() == 1 && dashboard.pupils[0].connected =>
            {
                break dashboard;
            }
            Some(_) => {}
            None => panic!("the teacher's connection closed"),
        }
    };
    assert_eq!(dashboard.pupils[0].pupil, id);
}

#[tokio::test]
async fn finishing_a_quest_earns_its_stamp_and_job_card_once() {
    let server = TestServer::start().await.unwrap();
    let mut teacher = server.teacher().await.unwrap();
    let code = create_session(&mut teacher, 60).await;
    let mut pupil = server.pupil(&code).await.unwrap();
    let quest = QuestId::new("turbine-safety-check");
    let answers = [
        Answer::ChooseSeveral(vec!["helmet".into()]),
        Answer::Order(vec![
            "weather".into(),
            "kit".into(),
            "climb".into(),
            "fix".into(),
        ]),
        Answer::Reflect("I felt proud to help her climb safely".into()),
    ];
    let mut earned_each_time = Vec::new();
    // The whole quest, then its first task once more.
    for (task, answer) in answers.iter().enumerate().chain([(0, &answers[0])]) {
        let request = PupilRequest::SubmitAnswer {
            quest: quest.clone(),
            task: u8::try_from(task).unwrap(),
            answer: answer.clone(),
        };
        match within(pupil.pupil(request)).await.unwrap() {
            Reply::Marked { earned, .. } => earned_each_time.push(earned),
            other => panic!("unexpected reply {other:?}"),
        }
    }
    assert_eq!(
        earned_each_time,
        [
            vec![],
            vec![],
            vec![
                Earned::Stamp(SectorId::new("energy")),
                Earned::JobCard(RoleId::new("wind-turbine-technician")),
            ],
            vec![],
        ],
        "a quest pays out when its last task is answered, right or wrong, and only once"
    );
}

#[tokio::test]
async fn content_is_sent_only_to_clients_whose_cached_copy_differs() {
    let server = TestServer::start().await.unwrap();
    let mut fresh = server.teacher().await.unwrap();
    let bundle = fresh
        .take_content()
        .expect("a client with nothing cached receives the content");
    let content = bundle.load().expect("the content received loads");
    assert!(content.quests.contains_key("turbine-safety-check"));

    let intent = Intent::Teacher {
        name: TEACHER.into(),
        password: PASSWORD.into(),
    };
    let hello = ClientHello::new(bundle.hash(), intent);
    let mut cached = within(ClassClient::connect(
        server.address,
        Trust::Pinned(server.fingerprint),
        hello,
    ))
    .await
    .unwrap();
    assert!(
        cached.take_content().is_none(),
        "content already cached is not sent again"
    );
}
