//! A pupil's progress follows them: they join with the code on their card, finish a
//! quest, earn a stamp and a badge, reflect, and find it all again in a new session on
//! a restarted server, even from another computer. The teacher ends the session and
//! gets the school's record of it.

use workworlds_content::marking::Answer;
use workworlds_content::{ContentBundle, Lang, Quest};
use workworlds_protocol::events::{Reply, ServerEvent};
use workworlds_protocol::hello::{ClientHello, Identity, Intent};
use workworlds_protocol::ids::{JoinCode, PupilCode};
use workworlds_protocol::portfolio::Portfolio;
use workworlds_protocol::quic::{ClassClient, ClientError, Trust};
use workworlds_protocol::refusal::Refusal;
use workworlds_protocol::requests::{Activity, PupilRequest, TeacherRequest};
use workworlds_server::store::{Store, StoredClass, unix_ms_now};
use workworlds_tests::{PASSWORD, TEACHER, TestServer, content_dir, next_picked, serve, within};

/// Gives the test server's teacher a class with one pupil, and returns the pupil's code.
fn class_with_one_pupil(server: &TestServer, name: &str) -> PupilCode {
    let mut store = Store::open(server.data.path()).unwrap();
    store
        .add_class(&StoredClass {
            name: "5B".into(),
            teacher: TEACHER.into(),
            year_group: "Y5".into(),
        })
        .unwrap();
    store.add_record("5B", name, unix_ms_now()).unwrap().code
}

async fn join(
    address: std::net::SocketAddr,
    fingerprint: [u8; 32],
    code: &JoinCode,
    pupil_code: &PupilCode,
) -> Result<ClassClient, ClientError> {
    let intent = Intent::Join {
        code: code.clone(),
        name: None,
        pupil_code: Some(pupil_code.clone()),
    };
    let hello = ClientHello::new([0; 32], intent);
    within(ClassClient::connect(
        address,
        Trust::Pinned(fingerprint),
        hello,
    ))
    .await
}

async fn create(teacher: &mut ClassClient, activity: Activity) -> JoinCode {
    let created = TeacherRequest::CreateSession {
        activity,
        teams: 2,
        round_seconds: 600,
        typed_names: false,
    };
    match within(teacher.teacher(created)).await.unwrap() {
        Reply::SessionCreated { code } => code,
        other => panic!("expected a join code, got {other:?}"),
    }
}

async fn portfolio(pupil: &mut ClassClient) -> Portfolio {
    match within(pupil.pupil(PupilRequest::Portfolio)).await.unwrap() {
        Reply::Portfolio(portfolio) => *portfolio,
        other => panic!("expected a portfolio, got {other:?}"),
    }
}

/// Answers every task of `quest` right, writing `reflection` for reflection tasks.
async fn finish(pupil: &mut ClassClient, quest: &Quest, reflection: &str) {
    for (index, task) in quest.tasks.iter().enumerate() {
        let answer = match task.model_answer() {
            Answer::Reflect(_) => Answer::Reflect(reflection.into()),
            answer => answer,
        };
        let submit = PupilRequest::SubmitAnswer {
            quest: quest.id.clone(),
            task: u8::try_from(index).unwrap(),
            answer,
        };
        within(pupil.pupil(submit)).await.unwrap();
    }
}

fn pupil_id(client: &ClassClient) -> (u64, String) {
    match client.identity() {
        Identity::Pupil { pupil, name, .. } => (pupil.0, name.clone()),
        Identity::Teacher { .. } => panic!("joined as a teacher"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_follows_the_pupil_code_into_a_new_session_after_a_restart() {
    let content = ContentBundle::read_dir(&content_dir())
        .unwrap()
        .load()
        .unwrap();
    // A quest that stamps the passport and asks the pupil to reflect.
    let quest = content
        .quests
        .values()
        .find(|quest| {
            quest.rewards.stamp
                && quest
                    .tasks
                    .iter()
                    .any(|task| matches!(task.model_answer(), Answer::Reflect(_)))
        })
        .expect("the starter content has a stamped quest with a reflection");
    let server = TestServer::start().await.unwrap();
    let pupil_code = class_with_one_pupil(&server, "Ffion");

    // First session: the pupil joins with their code and finishes the quest.
    let mut teacher = server.teacher().await.unwrap();
    let first = create(&mut teacher, Activity::World(quest.sector.clone())).await;
    let mut pupil = join(server.address, server.fingerprint, &first, &pupil_code)
        .await
        .unwrap();
    let (first_id, name) = pupil_id(&pupil);
    assert_eq!(
        name, "Ffion",
        "a pupil with a code is shown by the name on it"
    );
    finish(&mut pupil, quest, "I liked fixing things with my hands.").await;
    let badge = next_picked(&mut pupil, |event| match event {
        ServerEvent::BadgeEarned(badge) => Some(badge),
        _ => None,
    })
    .await;
    assert_eq!(badge.as_str(), "first-stamp");

    // The same code on another computer is the same pupil, not a second one.
    let again = join(server.address, server.fingerprint, &first, &pupil_code)
        .await
        .unwrap();
    assert_eq!(pupil_id(&again).0, first_id);

    // The pupil picks their reflection as one of their best; the teacher comments.
    let before = portfolio(&mut pupil).await;
    let reflection = before
        .reflections
        .first()
        .expect("the reflection is kept")
        .id;
    let choose = PupilRequest::ChooseBest {
        reflection,
        best: true,
    };
    within(pupil.pupil(choose)).await.unwrap();
    let comment = TeacherRequest::CommentReflection {
        reflection,
        comment: "Da iawn, Ffion!".into(),
    };
    within(teacher.teacher(comment)).await.unwrap();
    // Nobody may pick someone else's reflection.
    let mut stranger = server.pupil(&first).await.unwrap();
    let stolen = PupilRequest::ChooseBest {
        reflection,
        best: false,
    };
    assert!(matches!(
        within(stranger.pupil(stolen)).await,
        Err(ClientError::Refused(Refusal::Invalid { .. }))
    ));

    // The teacher ends the session. Its reflections are still there to read for the
    // debrief, with who wrote them and the comment; the stranger wrote none.
    within(teacher.teacher(TeacherRequest::EndSession))
        .await
        .unwrap();
    let written = match within(teacher.teacher(TeacherRequest::Reflections))
        .await
        .unwrap()
    {
        Reply::Reflections {
            reflections,
            left_out: 0,
        } => reflections,
        other => panic!("expected the session's reflections, got {other:?}"),
    };
    assert_eq!(written.len(), 1, "{written:?}");
    assert_eq!(written[0].name, "Ffion");
    assert_eq!(written[0].pupil.0, first_id);
    assert_eq!(written[0].reflection.id, reflection);
    assert_eq!(
        written[0].reflection.text,
        "I liked fixing things with my hands."
    );
    assert_eq!(
        written[0].reflection.comment.as_deref(),
        Some("Da iawn, Ffion!")
    );

    // Its record is the sheet's row for it.
    let csv = match within(teacher.teacher(TeacherRequest::SessionRecord { lang: Lang::En }))
        .await
        .unwrap()
    {
        Reply::SessionRecord { csv } => csv,
        other => panic!("expected the session record, got {other:?}"),
    };
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "Y5", "the class's year group: {csv}");
    assert_eq!(row.get(16), Some("2"), "two pupils took part: {csv}");
    assert!(matches!(
        join(server.address, server.fingerprint, &first, &pupil_code).await,
        Err(ClientError::Refused(Refusal::SessionEnded))
    ));

    // A restarted server (a second one on the same folder), a new session.
    let (address, fingerprint) = serve(server.data.path()).await.unwrap();
    let hello = ClientHello::new(
        [0; 32],
        Intent::Teacher {
            name: TEACHER.into(),
            password: PASSWORD.into(),
        },
    );
    let mut teacher = within(ClassClient::connect(
        address,
        Trust::Pinned(fingerprint),
        hello,
    ))
    .await
    .unwrap();
    let second = create(&mut teacher, Activity::World(quest.sector.clone())).await;
    let mut pupil = join(address, fingerprint, &second, &pupil_code)
        .await
        .unwrap();
    assert_ne!(
        pupil_id(&pupil).0,
        first_id,
        "a new session gives a new place"
    );

    let after = portfolio(&mut pupil).await;
    assert_eq!(after.name, "Ffion");
    assert_eq!(after.class, "5B");
    assert!(after.quests.iter().any(|done| done.quest == quest.id));
    assert!(after.stamps.iter().any(|stamp| stamp.item == quest.sector));
    assert!(
        after
            .badges
            .iter()
            .any(|held| held.badge.as_str() == "first-stamp")
    );
    let kept = &after.reflections[0];
    assert!(kept.best);
    assert_eq!(kept.comment.as_deref(), Some("Da iawn, Ffion!"));
    assert!(!after.objective_minutes.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_pupil_code_is_refused_and_counts_as_a_guess() {
    let server = TestServer::start().await.unwrap();
    class_with_one_pupil(&server, "Osian");
    let mut teacher = server.teacher().await.unwrap();
    let code = create(
        &mut teacher,
        Activity::World(workworlds_content::ids::SectorId::new("energy")),
    )
    .await;
    let wrong = PupilCode::parse("ABCD-EFGH").unwrap();
    let mut refusals = Vec::new();
    for _ in 0..12 {
        match join(server.address, server.fingerprint, &code, &wrong).await {
            Err(ClientError::Refused(refusal)) => refusals.push(refusal),
            other => panic!("a wrong code must be refused, got {:?}", other.map(|_| ())),
        }
    }
    assert_eq!(refusals[0], Refusal::UnknownPupilCode);
    assert!(
        matches!(refusals.last(), Some(Refusal::TooManyGuesses { .. })),
        "{refusals:?}"
    );
}
