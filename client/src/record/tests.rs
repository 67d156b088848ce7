use workworlds_content::Lang;
use workworlds_protocol::hello::Identity;

use super::*;
use crate::class::TeacherLogin;
use crate::settings::SwitchLanguage;
use crate::testing::Headless;

const CSV: &str = "\u{feff}Activity,Year/group,O1\nCaffi'r Harbwr,\"Y5, Y6\",✓\n";

/// A teacher logged in with a session named, looking at its record.
fn at_the_record() -> Headless {
    let mut game = Headless::new();
    game.send(TeacherLogin {
        server: "127.0.0.1:4433".parse().unwrap(),
        name: "Ms Jones".into(),
        password: "correct horse".into(),
        session: JoinCode::parse("K7QM3X"),
    });
    game.sent();
    game.hear(NetEvent::Connected(Identity::Teacher {
        name: "Ms Jones".into(),
    }));
    assert_eq!(game.screen(), Screen::Desk);
    let sent = game.sent();
    assert!(
        matches!(
            sent.as_slice(),
            [NetCommand::Teacher(TeacherRequest::OpenSession { code })] if code.as_str() == "K7QM3X"
        ),
        "{sent:?}"
    );
    game.send(OpenRecord);
    game
}

#[test]
fn the_record_of_the_desks_session_is_asked_for_and_shown_as_a_table() {
    let mut game = at_the_record();
    assert_eq!(game.screen(), Screen::Record);
    assert!(matches!(
        game.sent().as_slice(),
        [NetCommand::Teacher(TeacherRequest::SessionRecord {
            lang: Lang::En
        })]
    ));

    game.hear(NetEvent::Replied(Ok(Reply::SessionRecord {
        csv: CSV.into(),
    })));
    let table = &game.resource::<RecordState>().table;
    assert_eq!(table[0], ["Activity", "Year/group", "O1"]);
    assert_eq!(table[1], ["Caffi'r Harbwr", "Y5, Y6", "✓"]);

    // A larger text changes nothing in the record; switching language asks for it in
    // the other language.
    let larger = crate::settings::Settings {
        text_size: crate::settings::TextSize::Largest,
        ..game.resource::<crate::settings::Settings>().clone()
    };
    game.send(crate::settings::ChangeSettings(larger));
    assert!(game.sent().is_empty());
    game.send(SwitchLanguage);
    assert!(matches!(
        game.sent().as_slice(),
        [NetCommand::Teacher(TeacherRequest::SessionRecord {
            lang: Lang::Cy
        })]
    ));

    game.send(CloseRecord);
    assert_eq!(game.screen(), Screen::Desk);
}

#[test]
fn saving_writes_the_record_as_the_server_made_it() {
    let folder = tempfile::tempdir().unwrap();
    let mut game = at_the_record();
    game.app.world_mut().resource_mut::<RecordState>().folder = Some(folder.path().into());
    game.hear(NetEvent::Replied(Ok(Reply::SessionRecord {
        csv: CSV.into(),
    })));

    game.send(SaveRecord);
    let path = folder.path().join("workworlds-K7QM3X.csv");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), CSV);
    assert_eq!(
        game.resource::<RecordState>().saved.as_deref(),
        Some(path.as_path())
    );
}

#[test]
fn ending_the_session_asks_for_its_final_record() {
    let mut game = at_the_record();
    game.sent();
    game.send(EndSession);
    assert!(matches!(
        game.sent().as_slice(),
        [
            NetCommand::Teacher(TeacherRequest::EndSession),
            NetCommand::Teacher(TeacherRequest::SessionRecord { .. })
        ]
    ));
}
