use workworlds_content::ids::SectorId;
use workworlds_protocol::events::{MemberView, RoundState, RoundView, TeamView};
use workworlds_protocol::ids::{PupilId, TeamId};

use super::*;
use crate::class::TeacherLogin;
use crate::testing::Headless;

fn at_the_desk() -> Headless {
    let mut game = Headless::new();
    game.send(TeacherLogin {
        server: "127.0.0.1:4433".parse().unwrap(),
        name: "Ms Jones".into(),
        password: "correct horse".into(),
        session: None,
    });
    game.hear(NetEvent::Connected(Identity::Teacher {
        name: "Ms Jones".into(),
    }));
    game.sent();
    game
}

fn view(state: RoundState, remaining_ms: u64) -> SessionView {
    SessionView {
        code: JoinCode::parse("K7QM3X").unwrap(),
        activity: Activity::World(SectorId::new("energy")),
        round: RoundView {
            number: 1,
            state,
            remaining_ms,
        },
        eyes_on_me: false,
        lobby_locked: false,
        ended: false,
        teams: vec![TeamView {
            id: TeamId(0),
            members: vec![MemberView {
                pupil: PupilId(1),
                name: "Ffion".into(),
            }],
        }],
    }
}

#[test]
fn a_teacher_without_a_session_makes_one_and_sees_its_board() {
    let mut game = at_the_desk();
    assert_eq!(game.screen(), Screen::Desk);
    assert_eq!(game.resource::<Desk>().session, None);

    game.send(CreateSession {
        activity: Activity::World(SectorId::new("energy")),
        teams: 3,
        round_seconds: 300,
    });
    let sent = game.sent();
    assert!(
        matches!(
            sent.as_slice(),
            [NetCommand::Teacher(TeacherRequest::CreateSession {
                teams: 3,
                round_seconds: 300,
                typed_names: false,
                ..
            })]
        ),
        "{sent:?}"
    );

    let code = JoinCode::parse("K7QM3X").unwrap();
    game.hear(NetEvent::Replied(Ok(Reply::SessionCreated {
        code: code.clone(),
    })));
    game.hear(NetEvent::Server(ServerEvent::Session(view(
        RoundState::NotStarted,
        300_000,
    ))));
    let desk = game.resource::<Desk>();
    assert_eq!(desk.session, Some(code));
    assert_eq!(desk.tab, DeskTab::Board);
    assert_eq!(
        desk.view.as_ref().unwrap().teams[0].members[0].name,
        "Ffion"
    );
}

#[test]
fn controls_go_to_the_server_as_they_are_and_refusals_are_shown() {
    let mut game = at_the_desk();
    game.send(Control(TeacherRequest::StartRound));
    game.send(Control(TeacherRequest::EyesOnMe { on: true }));
    assert!(matches!(
        game.sent().as_slice(),
        [
            NetCommand::Teacher(TeacherRequest::StartRound),
            NetCommand::Teacher(TeacherRequest::EyesOnMe { on: true })
        ]
    ));
    game.hear(NetEvent::Replied(Err(
        "not now: the round is already running".into(),
    )));
    assert_eq!(
        game.resource::<Desk>().problem.as_deref(),
        Some("not now: the round is already running")
    );
}

#[test]
fn a_running_round_counts_down_between_views_and_a_paused_one_does_not() {
    let mut desk = Desk {
        view: Some(view(RoundState::Running, 90_000)),
        view_at: Duration::from_secs(10),
        ..Desk::default()
    };
    assert_eq!(
        desk.remaining(Duration::from_secs(40)),
        Duration::from_secs(60)
    );
    assert_eq!(desk.remaining(Duration::from_secs(500)), Duration::ZERO);

    desk.view = Some(view(RoundState::Paused, 90_000));
    assert_eq!(
        desk.remaining(Duration::from_secs(40)),
        Duration::from_secs(90)
    );
}

#[test]
fn the_debrief_fetches_the_reflections_and_a_comment_fetches_them_again() {
    use workworlds_protocol::events::ClassReflection;
    use workworlds_protocol::portfolio::{Reflection, ReflectionAbout};

    let mut game = at_the_desk();
    game.send(ShowDeskTab(DeskTab::Debrief));
    assert_eq!(game.resource::<Desk>().tab, DeskTab::Debrief);
    assert!(matches!(
        game.sent().as_slice(),
        [NetCommand::Teacher(TeacherRequest::Reflections)]
    ));

    let written = vec![ClassReflection {
        pupil: PupilId(1),
        name: "Ffion".into(),
        team: TeamId(0),
        reflection: Reflection {
            id: 7,
            about: ReflectionAbout::Challenge {
                challenge: workworlds_content::ids::ChallengeId::new("seaside-cafe"),
                prompt: 0,
            },
            text: "We changed our prices after round two.".into(),
            best: false,
            comment: None,
            at_unix_ms: 0,
        },
    }];
    game.hear(NetEvent::Replied(Ok(Reply::Reflections {
        reflections: written.clone(),
        left_out: 3,
    })));
    assert_eq!(game.resource::<Desk>().reflections, Some(written));
    assert_eq!(game.resource::<Desk>().reflections_left_out, 3);

    game.send(Control(TeacherRequest::CommentReflection {
        reflection: 7,
        comment: "Da iawn".into(),
    }));
    game.send(Control(TeacherRequest::MarkReflection {
        team: TeamId(0),
        mark: 3,
    }));
    assert!(matches!(
        game.sent().as_slice(),
        [
            NetCommand::Teacher(TeacherRequest::CommentReflection { reflection: 7, .. }),
            NetCommand::Teacher(TeacherRequest::Reflections),
            NetCommand::Teacher(TeacherRequest::MarkReflection { mark: 3, .. }),
        ]
    ));

    game.send(ShowDeskChart(crate::challenge::Chart::Carbon));
    assert_eq!(
        game.resource::<Desk>().chart,
        crate::challenge::Chart::Carbon
    );
}

#[test]
fn every_mark_has_its_own_words_in_both_languages() {
    use workworlds_content::Lang;
    let mut seen = std::collections::BTreeSet::new();
    for mark in 0..=workworlds_challenge::ReflectionMark::MAX {
        for lang in [Lang::En, Lang::Cy] {
            assert!(
                seen.insert(mark_words(mark, lang)),
                "mark {mark} in {lang:?}"
            );
        }
    }
}
