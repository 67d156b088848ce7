use workworlds_protocol::ids::{PupilId, ResumeToken, TeamId};

use super::*;
use crate::testing::Headless;

fn pupil() -> Identity {
    Identity::Pupil {
        pupil: PupilId(7),
        name: "Ffion".into(),
        session: JoinCode::parse("K7QM3X").unwrap(),
        team: TeamId(1),
        token: ResumeToken([1; 16]),
    }
}

#[test]
fn a_typed_address_gets_the_usual_port_when_it_has_none() {
    assert_eq!(
        parse_address("192.168.1.20"),
        Some(SocketAddr::from(([192, 168, 1, 20], DEFAULT_PORT)))
    );
    assert_eq!(
        parse_address(" 10.0.0.5:5000 "),
        Some(SocketAddr::from(([10, 0, 0, 5], 5000)))
    );
    assert_eq!(parse_address("not an address"), None);
}

#[test]
fn joining_with_a_pupil_code_asks_the_server_and_a_welcome_opens_the_class() {
    let mut game = Headless::new();
    let join = JoinClass {
        server: SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)),
        join_code: JoinCode::parse("K7QM3X").unwrap(),
        pupil_code: PupilCode::parse("KD7M-Q3XA"),
    };
    game.send(join);
    let sent = game.sent();
    assert!(
        matches!(
            sent.as_slice(),
            [NetCommand::Connect {
                intent: Intent::Join { pupil_code: Some(code), .. },
                ..
            }] if code.as_str() == "KD7MQ3XA"
        ),
        "{sent:?}"
    );
    assert_eq!(game.resource::<Connection>().link, Link::Connecting);

    game.hear(NetEvent::Connected(pupil()));
    assert_eq!(game.screen(), Screen::Class);
    assert_eq!(game.resource::<Connection>().identity, Some(pupil()));
}

#[test]
fn a_refusal_is_shown_in_the_servers_words_and_the_end_of_class_goes_back_to_the_title() {
    let mut game = Headless::new();
    game.hear(NetEvent::Failed("that pupil code is not known".into()));
    let problem = game.resource::<Connection>().problem.clone().unwrap();
    assert_eq!(
        problem.get(workworlds_content::Lang::En),
        "that pupil code is not known"
    );
    assert_eq!(game.screen(), Screen::Title);

    game.hear(NetEvent::Connected(pupil()));
    assert_eq!(game.screen(), Screen::Class);
    game.hear(NetEvent::Server(ServerEvent::SessionEnded));
    assert_eq!(game.screen(), Screen::Title);
    let connection = game.resource::<Connection>();
    assert_eq!(connection.link, Link::Offline);
    assert_eq!(
        connection
            .problem
            .as_ref()
            .unwrap()
            .get(workworlds_content::Lang::Cy),
        "Mae dy athro wedi gorffen y dosbarth."
    );
}

#[test]
fn the_server_of_a_welcomed_join_is_remembered_for_next_time() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("server");
    let mut game = Headless::new();
    game.app.world_mut().insert_resource(Remembered {
        file: Some(file.clone()),
    });
    let server = SocketAddr::from(([10, 1, 2, 3], DEFAULT_PORT));
    game.send(JoinClass {
        server,
        join_code: JoinCode::parse("K7QM3X").unwrap(),
        pupil_code: None,
    });
    assert!(
        !file.exists(),
        "nothing is remembered before the server answers"
    );
    game.hear(NetEvent::Connected(pupil()));
    assert_eq!(Remembered { file: Some(file) }.server(), Some(server));
}

fn in_class() -> Headless {
    let mut game = Headless::new();
    game.hear(NetEvent::Connected(pupil()));
    assert_eq!(game.screen(), Screen::Class);
    game
}

#[test]
fn a_dropped_connection_keeps_the_pupils_screen_and_says_the_game_is_trying_again() {
    let mut game = in_class();
    game.hear(NetEvent::Reconnecting {
        attempt: 3,
        why: "timed out".into(),
    });
    assert_eq!(game.screen(), Screen::Class);
    let connection = game.resource::<Connection>();
    assert_eq!(connection.link, Link::Reconnecting);
    assert_eq!(connection.identity, Some(pupil()), "still the same pupil");
    let problem = connection.problem.clone().unwrap();
    let english = problem.get(workworlds_content::Lang::En);
    let welsh = problem.get(workworlds_content::Lang::Cy);
    assert!(
        english.contains("dropped") && english.contains("attempt 3"),
        "{english}"
    );
    assert!(welsh.contains("ymgais 3"), "{welsh}");
    assert!(
        game.sent().is_empty(),
        "the game asks nothing: it tries by itself"
    );

    game.hear(NetEvent::Reconnected(pupil()));
    assert_eq!(game.screen(), Screen::Class);
    let connection = game.resource::<Connection>();
    assert_eq!(connection.link, Link::Connected);
    assert_eq!(connection.problem, None);
    assert_eq!(connection.identity, Some(pupil()));
}

#[test]
fn a_connection_back_keeps_what_the_pupil_was_doing() {
    use workworlds_protocol::events::{RoundState, RoundView, SessionView};
    use workworlds_protocol::requests::Activity;

    let mut game = in_class();
    let view = SessionView {
        code: JoinCode::parse("K7QM3X").unwrap(),
        activity: Activity::World(workworlds_content::ids::SectorId::new("energy")),
        teams: vec![],
        round: RoundView {
            number: 1,
            state: RoundState::Running,
            remaining_ms: 60_000,
        },
        eyes_on_me: false,
        lobby_locked: false,
        ended: false,
    };
    game.hear(NetEvent::Server(ServerEvent::Session(view.clone())));
    let seen = |game: &Headless| game.resource::<crate::world::Exploring>().view.clone();
    assert_eq!(seen(&game), Some(view.clone()));

    game.hear(NetEvent::Reconnecting {
        attempt: 1,
        why: "timed out".into(),
    });
    game.hear(NetEvent::Reconnected(pupil()));
    assert_eq!(seen(&game), Some(view), "the world was not started afresh");
    assert_eq!(game.screen(), Screen::Class);
}

#[test]
fn a_connection_that_cannot_be_made_again_goes_back_to_the_title_with_the_reason() {
    let mut game = in_class();
    game.hear(NetEvent::Reconnecting {
        attempt: 1,
        why: "timed out".into(),
    });
    game.hear(NetEvent::Lost(
        "it could not be made again in 2 minutes (timed out)".into(),
    ));
    assert_eq!(game.screen(), Screen::Title);
    let connection = game.resource::<Connection>();
    assert_eq!(connection.link, Link::Offline);
    assert_eq!(connection.identity, None);
    let problem = connection.problem.clone().unwrap();
    assert!(
        problem
            .get(workworlds_content::Lang::En)
            .contains("could not be made again in 2 minutes"),
        "{problem:?}"
    );
}

#[test]
fn a_server_updated_during_the_class_refuses_the_game_in_both_languages() {
    let mut game = in_class();
    game.hear(NetEvent::Reconnecting {
        attempt: 3,
        why: "connection refused".into(),
    });
    let ours = workworlds_protocol::PROTOCOL_VERSION;
    game.hear(NetEvent::Refused(Refusal::WrongVersion {
        server_version: ours + 1,
    }));
    assert_eq!(game.screen(), Screen::Title);
    let connection = game.resource::<Connection>();
    assert_eq!(
        (connection.link, connection.identity.clone()),
        (Link::Offline, None)
    );
    let problem = connection.problem.clone().unwrap();
    assert!(
        problem.en.contains("this computer needs the new release"),
        "{problem:?}"
    );
    assert!(
        problem.cy.contains("mae angen y fersiwn newydd"),
        "{problem:?}"
    );
}

#[test]
fn leaving_while_reconnecting_hangs_up_and_a_late_reconnection_is_ignored() {
    let mut game = in_class();
    game.hear(NetEvent::Reconnecting {
        attempt: 2,
        why: "timed out".into(),
    });
    game.send(LeaveClass);
    assert!(matches!(game.sent().as_slice(), [NetCommand::Disconnect]));
    assert_eq!(game.screen(), Screen::Title);

    game.hear(NetEvent::Reconnected(pupil()));
    let connection = game.resource::<Connection>();
    assert_eq!(
        (connection.link, connection.identity.clone()),
        (Link::Offline, None)
    );
    assert_eq!(game.screen(), Screen::Title);
}

#[test]
fn another_version_says_which_versions_met_and_what_to_do_in_both_languages() {
    let mut game = Headless::new();
    let ours = workworlds_protocol::PROTOCOL_VERSION;
    game.hear(NetEvent::Refused(Refusal::WrongVersion {
        server_version: ours + 1,
    }));
    let connection = game.resource::<Connection>();
    assert_eq!(connection.link, Link::Offline);
    let problem = connection.problem.clone().unwrap();
    let english = problem.get(workworlds_content::Lang::En);
    assert!(
        english.contains(&format!("speaks version {ours} of the class protocol"))
            && english.contains(&format!("the class server speaks version {}", ours + 1))
            && english.contains("Ask whoever runs the class server")
            && english.contains("this computer needs the new release"),
        "{english}"
    );
    let welsh = problem.get(workworlds_content::Lang::Cy);
    assert!(
        welsh.contains(&format!("fersiwn {}", ours + 1)) && welsh.contains("Gofynna"),
        "{welsh}"
    );

    let older = refusal_words(&Refusal::WrongVersion {
        server_version: ours - 1,
    });
    assert!(older.en.contains("the server needs updating"), "{older:?}");

    let other = refusal_words(&Refusal::BadLogin);
    assert_eq!(other.en, Refusal::BadLogin.to_string());
}
