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
