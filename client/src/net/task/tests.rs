use workworlds_protocol::ids::ResumeToken;

use super::*;

#[test]
fn tries_come_quickly_then_every_five_seconds_until_two_minutes() {
    let now = Duration::ZERO;
    let waits: Vec<_> = (0..7).map(|tried| retry_wait(tried, now)).collect();
    let seconds = |s: f64| Some(Duration::from_secs_f64(s));
    assert_eq!(
        waits,
        [0.5, 1.0, 2.0, 4.0, 5.0, 5.0, 5.0].map(seconds).to_vec()
    );
    assert_eq!(
        retry_wait(u32::MAX, Duration::from_secs(60)),
        Some(LONGEST_WAIT),
        "no overflow however many tries"
    );
    assert_eq!(
        retry_wait(20, GIVE_UP_AFTER - Duration::from_millis(1)),
        Some(LONGEST_WAIT)
    );
    assert_eq!(retry_wait(20, GIVE_UP_AFTER), None);
    assert_eq!(retry_wait(0, Duration::from_secs(600)), None);
}

#[test]
fn tries_made_on_the_schedule_give_up_after_about_two_minutes() {
    let (mut waited, mut tried) = (Duration::ZERO, 0);
    while let Some(wait) = retry_wait(tried, waited) {
        waited += wait;
        tried += 1;
    }
    assert!(
        waited >= GIVE_UP_AFTER && waited <= GIVE_UP_AFTER + LONGEST_WAIT,
        "{waited:?}"
    );
    assert!((25..=30).contains(&tried), "{tried} tries");
}

#[test]
fn a_pupil_comes_back_with_their_token_and_a_teacher_with_their_login() {
    let token = ResumeToken([3; 16]);
    let pupil = Identity::Pupil {
        pupil: workworlds_protocol::ids::PupilId(4),
        name: "Ffion".into(),
        session: JoinCode::parse("K7QM3X").unwrap(),
        team: workworlds_protocol::ids::TeamId(0),
        token,
    };
    let join = Intent::Join {
        code: JoinCode::parse("K7QM3X").unwrap(),
        name: None,
        pupil_code: None,
    };
    assert_eq!(intent_again(&pupil, join), Intent::Resume { token });
    let login = Intent::Teacher {
        name: "Ms Jones".into(),
        password: "correct horse".into(),
    };
    let teacher = Identity::Teacher {
        name: "Ms Jones".into(),
    };
    assert_eq!(intent_again(&teacher, login.clone()), login);
}

#[tokio::test]
async fn a_request_the_server_never_answers_gives_up_rather_than_holding_the_queue() {
    let never = std::future::pending::<Result<Reply, ClientError>>();
    let said = answered_within(Duration::from_millis(20), never).await;
    assert_eq!(
        said,
        Err("no answer from the class server in 0.02 seconds".into())
    );
    let at_once = async { Ok(Reply::Done) };
    assert_eq!(
        answered_within(Duration::from_millis(20), at_once).await,
        Ok(Reply::Done)
    );
}

#[test]
fn pupils_spread_their_tries_by_their_token_and_a_teacher_does_not() {
    let redial = |intent| Redial {
        address: SocketAddr::from((Ipv4Addr::LOCALHOST, 9)),
        trust: Trust::FirstUse,
        intent,
        content: [0; 32],
        session: None,
    };
    let pupil = |first: u8| {
        redial(Intent::Resume {
            token: ResumeToken([first; 16]),
        })
    };
    let wait = Duration::from_secs(4);
    let teacher = redial(Intent::Teacher {
        name: "Ms Jones".into(),
        password: "correct horse".into(),
    });
    assert_eq!(teacher.spread(wait), wait);
    assert_eq!(pupil(0).spread(wait), wait);
    assert_eq!(pupil(128).spread(wait), Duration::from_millis(4500));
    let most = pupil(255).spread(wait);
    assert!(
        most > Duration::from_millis(4990) && most < Duration::from_secs(5),
        "{most:?}"
    );
}

#[tokio::test]
async fn a_request_while_reconnecting_is_answered_at_once_and_leaving_stops_the_tries() {
    let now = Instant::now();
    let mut state = State::Reconnecting(Retry {
        again: Redial {
            address: SocketAddr::from((Ipv4Addr::LOCALHOST, 9)),
            trust: Trust::Pinned([7; 32]),
            intent: Intent::Resume {
                token: ResumeToken([3; 16]),
            },
            content: [0; 32],
            session: None,
        },
        tried: 0,
        dropped_at: now,
        next_at: now + Duration::from_secs(60),
        trying: None,
    });
    let (events, _heard) = std_mpsc::channel();
    let mut local = None;
    let asked = NetCommand::Pupil(PupilRequest::HandUp { up: true });
    let answer = apply(asked, &mut state, &mut local, &events, &mut [0; 32]).await;
    assert_eq!(answer, vec![NetEvent::Replied(Err(RECONNECTING.into()))]);
    let asked = NetCommand::Teacher(TeacherRequest::StartRound);
    let answer = apply(asked, &mut state, &mut local, &events, &mut [0; 32]).await;
    assert_eq!(answer, vec![NetEvent::Replied(Err(RECONNECTING.into()))]);
    assert!(matches!(state, State::Reconnecting(_)));

    assert_eq!(
        apply(
            NetCommand::Disconnect,
            &mut state,
            &mut local,
            &events,
            &mut [0; 32]
        )
        .await,
        Vec::new()
    );
    assert!(matches!(state, State::Idle));
    let asked = NetCommand::Pupil(PupilRequest::HandUp { up: false });
    let answer = apply(asked, &mut state, &mut local, &events, &mut [0; 32]).await;
    assert_eq!(answer, vec![NetEvent::Replied(Err(NOT_CONNECTED.into()))]);
}
