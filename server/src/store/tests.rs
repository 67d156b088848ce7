use std::os::unix::fs::PermissionsExt;

use tempfile::tempdir;
use workworlds_content::ids::{QuestId, RoleId, SectorId};
use workworlds_content::marking::{Answer, Mark};
use workworlds_protocol::events::Earned;
use workworlds_protocol::requests::Activity;

use crate::session::ChallengePlay;

use super::*;

fn code(text: &str) -> JoinCode {
    JoinCode::parse(text).expect("test join codes use the join code alphabet")
}

fn session(text: &str) -> StoredSession {
    StoredSession {
        setup: SessionSetup {
            code: code(text),
            teacher: "Ms Jones".into(),
            activity: Activity::World(SectorId::new("energy")),
            teams: 4,
            round_seconds: 300,
            typed_names: true,
        },
        round: StoredRound::Running {
            number: 2,
            ends_at_unix_ms: 1_750_000_000_000,
        },
        eyes_on_me: true,
        lobby_locked: false,
        times: SessionTimes::default(),
    }
}

/// Adds a pupil without a record to session `session`, in team `team`, with a resume
/// token of sixteen `token` bytes.
fn add_pupil(
    store: &mut Store,
    session: &str,
    name: &str,
    team: u8,
    token: u8,
) -> Result<PupilId, StoreError> {
    store.add_pupil(
        &code(session),
        name,
        TeamId(team),
        ResumeToken([token; 16]),
        None,
    )
}

fn answer(pupil: PupilId, session: &str, task: u8, answer: Answer) -> StoredAnswer {
    StoredAnswer {
        pupil,
        session: code(session),
        quest: QuestId::new("wire-a-torch"),
        task,
        answer,
        mark: Mark {
            points: 2,
            out_of: 3,
        },
        at_unix_ms: 1_750_000_000_123 + u64::from(task),
    }
}

fn pragma<T: rusqlite::types::FromSql>(store: &Store, name: &str) -> T {
    store
        .conn
        .pragma_query_value(None, name, |row| row.get(0))
        .expect("a pragma that exists")
}

#[test]
fn data_survives_closing_and_reopening_the_store() {
    let dir = tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.add_teacher("Ms Jones", "correct horse").unwrap();
    store.save_session(&session("ABCDEF")).unwrap();
    let ada = add_pupil(&mut store, "ABCDEF", "Ada", 1, 7).unwrap();
    let bryn = add_pupil(&mut store, "ABCDEF", "Bryn", 0, 8).unwrap();
    store.set_pupil_team(bryn, TeamId(3)).unwrap();
    let answers = [
        answer(ada, "ABCDEF", 0, Answer::ChooseOne("kettle".into())),
        answer(
            ada,
            "ABCDEF",
            2,
            Answer::Reflect("I liked the wires".into()),
        ),
        answer(ada, "ABCDEF", 1, Answer::Number(2.5)),
    ];
    for recorded in &answers {
        store.record_answer(recorded, &[]).unwrap();
    }
    drop(store);

    let store = Store::open(dir.path()).unwrap();
    assert!(store.check_teacher("Ms Jones", "correct horse").unwrap());
    assert_eq!(
        store.session(&code("ABCDEF")).unwrap(),
        Some(session("ABCDEF"))
    );
    let pupils = store.pupils(&code("ABCDEF")).unwrap();
    let names: Vec<_> = pupils
        .iter()
        .map(|p| (p.pupil, p.name.as_str(), p.team))
        .collect();
    assert_eq!(names, [(ada, "Ada", TeamId(1)), (bryn, "Bryn", TeamId(3))]);
    assert_eq!(store.answers(ada).unwrap(), answers);
    assert_eq!(store.answers(bryn).unwrap(), []);
}

#[test]
fn the_database_is_in_wal_mode_with_synchronous_full() {
    let dir = tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(pragma::<String>(&store, "journal_mode"), "wal");
    // 2 is FULL.
    assert_eq!(pragma::<i64>(&store, "synchronous"), 2);
    assert!(pragma::<bool>(&store, "foreign_keys"));
}

#[test]
fn a_wrong_or_unknown_teacher_password_is_refused_and_only_a_hash_is_kept() {
    let dir = tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.add_teacher("Ms Jones", "correct horse").unwrap();

    assert!(store.check_teacher("Ms Jones", "correct horse").unwrap());
    assert!(store.check_teacher("ms jones", "correct horse").unwrap());
    assert!(!store.check_teacher("Ms Jones", "Correct horse").unwrap());
    assert!(!store.check_teacher("Mr Evans", "correct horse").unwrap());

    let stored: String = store
        .conn
        .query_row("SELECT password_hash FROM teacher", [], |row| row.get(0))
        .unwrap();
    assert!(!stored.contains("correct horse"));
    assert!(stored.starts_with("$argon2id$"), "{stored}");
}

#[test]
fn two_teachers_with_one_password_get_different_salts() {
    let dir = tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.add_teacher("Ms Jones", "same").unwrap();
    store.add_teacher("Mr Evans", "same").unwrap();
    let hashes: Vec<String> = store
        .conn
        .prepare("SELECT password_hash FROM teacher")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_ne!(hashes[0], hashes[1]);
}

#[test]
fn adding_the_same_teacher_twice_is_an_error() {
    let dir = tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.add_teacher("Ms Jones", "first").unwrap();
    let again = store.add_teacher("MS JONES", "second");
    assert!(
        matches!(again, Err(StoreError::TeacherExists(_))),
        "{again:?}"
    );
    assert!(store.check_teacher("Ms Jones", "first").unwrap());
}

#[test]
fn a_removed_pupil_is_neither_found_by_token_nor_listed() {
    let dir = tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.save_session(&session("ABCDEF")).unwrap();
    let ada = add_pupil(&mut store, "ABCDEF", "Ada", 0, 1).unwrap();
    let bryn = add_pupil(&mut store, "ABCDEF", "Bryn", 0, 2).unwrap();
    let found = store
        .pupil_by_token(&ResumeToken([1; 16]))
        .unwrap()
        .unwrap();
    assert_eq!((found.pupil, found.removed), (ada, false));

    store.remove_pupil(ada).unwrap();
    assert_eq!(store.pupil_by_token(&ResumeToken([1; 16])).unwrap(), None);
    let listed: Vec<_> = store
        .pupils(&code("ABCDEF"))
        .unwrap()
        .iter()
        .map(|p| p.pupil)
        .collect();
    assert_eq!(listed, [bryn]);
    assert!(matches!(
        store.set_pupil_team(ada, TeamId(1)),
        Err(StoreError::UnknownPupil(_))
    ));
}

#[test]
fn pupils_need_a_saved_session_and_a_token_of_their_own() {
    let dir = tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let orphan = add_pupil(&mut store, "ABCDEF", "Ada", 0, 1);
    assert!(
        matches!(orphan, Err(StoreError::UnknownSession(_))),
        "{orphan:?}"
    );

    store.save_session(&session("ABCDEF")).unwrap();
    add_pupil(&mut store, "ABCDEF", "Ada", 0, 1).unwrap();
    let twin = add_pupil(&mut store, "ABCDEF", "Bryn", 0, 1);
    assert!(matches!(twin, Err(StoreError::TokenInUse)), "{twin:?}");
}

#[test]
fn an_answer_must_name_a_pupil_of_its_session() {
    let dir = tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.save_session(&session("ABCDEF")).unwrap();
    store.save_session(&session("GHJKMN")).unwrap();
    let ada = add_pupil(&mut store, "ABCDEF", "Ada", 0, 1).unwrap();

    let elsewhere = store.record_answer(&answer(ada, "GHJKMN", 0, Answer::Number(1.0)), &[]);
    assert!(
        matches!(elsewhere, Err(StoreError::UnknownPupil(_))),
        "{elsewhere:?}"
    );
    let nobody = store.record_answer(&answer(PupilId(99), "ABCDEF", 0, Answer::Number(1.0)), &[]);
    assert!(
        matches!(nobody, Err(StoreError::UnknownPupil(_))),
        "{nobody:?}"
    );
}

#[test]
fn rewards_are_kept_once_with_their_answer_and_not_without_it() {
    let dir = tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.save_session(&session("ABCDEF")).unwrap();
    let ada = add_pupil(&mut store, "ABCDEF", "Ada", 0, 1).unwrap();
    let stamp = Earned::Stamp(SectorId::new("energy"));
    let card = Earned::JobCard(RoleId::new("electrician"));

    let both = [stamp.clone(), card.clone()];
    store
        .record_answer(&answer(ada, "ABCDEF", 0, Answer::Number(1.0)), &both)
        .unwrap();
    // Earning a stamp again changes nothing.
    store
        .record_answer(
            &answer(ada, "ABCDEF", 1, Answer::Number(2.0)),
            std::slice::from_ref(&stamp),
        )
        .unwrap();
    // An answer that cannot be kept keeps none of its rewards either.
    let other = Earned::Stamp(SectorId::new("health"));
    let refused = store.record_answer(&answer(ada, "GHJKMN", 0, Answer::Number(1.0)), &[other]);
    assert!(refused.is_err());

    drop(store);
    let store = Store::open(dir.path()).unwrap();
    let held: Vec<Earned> = store
        .rewards(ada)
        .unwrap()
        .into_iter()
        .map(|(e, _)| e)
        .collect();
    assert_eq!(held, vec![card, stamp]);
    assert_eq!(store.answers(ada).unwrap().len(), 2);
}

#[test]
fn saving_a_session_again_replaces_it_and_keeps_its_pupils() {
    let dir = tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.save_session(&session("ABCDEF")).unwrap();
    add_pupil(&mut store, "ABCDEF", "Ada", 0, 1).unwrap();

    let mut later = session("ABCDEF");
    later.round = StoredRound::Paused {
        number: 2,
        remaining_ms: 4_000,
    };
    later.lobby_locked = true;
    store.save_session(&later).unwrap();
    assert_eq!(store.session(&code("ABCDEF")).unwrap(), Some(later));
    assert_eq!(store.pupils(&code("ABCDEF")).unwrap().len(), 1);
}

#[test]
fn open_sessions_leaves_out_ended_ones() {
    let dir = tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let mut ended = session("ABCDEF");
    ended.times.ended_at_unix_ms = Some(1_700_000_000_000);
    for saved in [session("ZYXWVU"), ended, session("GHJKMN")] {
        store.save_session(&saved).unwrap();
    }
    let codes: Vec<_> = store
        .open_sessions()
        .unwrap()
        .into_iter()
        .map(|s| s.setup.code.to_string())
        .collect();
    assert_eq!(codes, ["GHJKMN", "ZYXWVU"]);
}

#[test]
fn reopening_runs_no_migration_twice() {
    let dir = tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    assert_eq!(
        pragma::<u32>(&store, "user_version"),
        schema::latest_version()
    );
    assert_eq!(schema::migrate(&mut store.conn).unwrap(), 0);
    store.add_teacher("Ms Jones", "pw").unwrap();
    drop(store);

    let store = Store::open(dir.path()).unwrap();
    assert_eq!(
        pragma::<u32>(&store, "user_version"),
        schema::latest_version()
    );
    assert!(store.check_teacher("Ms Jones", "pw").unwrap());
}

#[test]
fn a_read_only_folder_is_a_clear_error_naming_the_path() {
    let dir = tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o500)).unwrap();
    let probe = dir.path().join("probe");
    let writable = fs::write(&probe, b"").is_ok();

    let opened = Store::open(dir.path());
    let nested = Store::open(&dir.path().join("class"));
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
    if writable {
        // Root writes through the permission bits, so there is nothing to refuse.
        return;
    }

    let error = opened
        .err()
        .expect("a read-only folder cannot hold a new store");
    assert!(matches!(error, StoreError::Open { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .contains(&dir.path().display().to_string()),
        "{error}"
    );
    assert!(!dir.path().join(DB_FILE).exists());

    let error = nested
        .err()
        .expect("no folder can be made in a read-only one");
    assert!(matches!(error, StoreError::DataFolder { .. }), "{error:?}");
    assert!(error.to_string().contains("class"), "{error}");
}

#[test]
fn a_data_folder_that_is_a_regular_file_is_a_clear_error_naming_the_path() {
    let dir = tempdir().unwrap();
    let file = dir.path().join("data");
    fs::write(&file, b"not a folder").unwrap();

    let error = Store::open(&file).err().expect("a file is not a folder");
    assert!(matches!(error, StoreError::DataFolder { .. }), "{error:?}");
    assert!(
        error.to_string().contains(&file.display().to_string()),
        "{error}"
    );
    assert_eq!(fs::read(&file).unwrap(), b"not a folder");
}

#[test]
fn a_file_that_is_not_a_store_is_refused_and_left_as_it_was() {
    let dir = tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    let text = b"These are not the tables you are looking for.".repeat(20);
    fs::write(&path, &text).unwrap();
    let error = Store::open(dir.path()).err().expect("text is not a store");
    assert!(matches!(error, StoreError::NotAStore { .. }), "{error:?}");
    assert!(
        error.to_string().contains(&path.display().to_string()),
        "{error}"
    );
    assert_eq!(fs::read(&path).unwrap(), text);

    let other = tempdir().unwrap();
    let path = other.path().join(DB_FILE);
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE recipe (name TEXT)")
        .unwrap();
    drop(conn);
    let error = Store::open(other.path())
        .err()
        .expect("another program's database");
    assert!(matches!(error, StoreError::NotAStore { .. }), "{error:?}");
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
}

#[test]
fn a_store_from_a_newer_server_is_refused() {
    let dir = tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let newer = schema::latest_version() + 1;
    store
        .conn
        .pragma_update(None, "user_version", newer)
        .unwrap();
    drop(store);

    let error = Store::open(dir.path()).err().expect("a newer schema");
    assert!(
        matches!(error, StoreError::TooNew { found, .. } if found == newer),
        "{error:?}"
    );
}

#[test]
fn folders_made_for_a_store_that_failed_are_removed_up_to_the_first_one_made() {
    let dir = tempdir().unwrap();
    let data = dir.path().join("new").join("deeper");
    let first_made = first_missing_ancestor(&data);
    assert_eq!(first_made, Some(dir.path().join("new")));

    fs::create_dir_all(&data).unwrap();
    remove_made_folders(&data, &dir.path().join("new"));
    assert!(!dir.path().join("new").exists());
    assert!(dir.path().exists());
    assert_eq!(first_missing_ancestor(dir.path()), None);
}

#[test]
fn a_failed_open_leaves_what_was_there_before() {
    let dir = tempdir().unwrap();
    // A folder where the database file should be makes SQLite fail to open it.
    fs::create_dir(dir.path().join(DB_FILE)).unwrap();
    let error = Store::open(dir.path())
        .err()
        .expect("a folder is not a database");
    assert!(matches!(error, StoreError::Open { .. }), "{error:?}");
    assert!(dir.path().join(DB_FILE).is_dir());
}

#[test]
fn a_running_round_keeps_its_time_left_across_clocks() {
    let round = Round::Running {
        number: 3,
        ends_at_ms: 10_000,
    };
    let stored = StoredRound::from_round(round, 4_000, 1_000_000);
    assert_eq!(
        stored,
        StoredRound::Running {
            number: 3,
            ends_at_unix_ms: 1_006_000
        }
    );
    // Another process, another monotonic clock, one second of wall time later.
    let restored = stored.to_round(50, 1_001_000);
    assert_eq!(
        restored,
        Round::Running {
            number: 3,
            ends_at_ms: 5_050
        }
    );
    // Long after its end, the round is due to end at once.
    assert_eq!(
        stored.to_round(50, 9_000_000),
        Round::Running {
            number: 3,
            ends_at_ms: 50
        }
    );
}

#[test]
fn a_challenge_comes_back_from_the_store_as_it_was_saved() {
    let dir = tempfile::tempdir().unwrap();
    let content_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/data");
    let content = workworlds_content::load_dir(&content_dir).unwrap();
    let challenge = &content.challenges["bakery-net-zero"];
    let mut play = ChallengePlay::new(challenge, 3, &code("CHAPTR"));
    play.teams[1].plan.values.insert("price".into(), 3.0);
    play.play_round(challenge);
    play.teams[2].plan.invest.insert(
        challenge.net_zero.as_ref().unwrap().investments[0]
            .id
            .clone(),
    );

    {
        let mut store = Store::open(dir.path()).unwrap();
        store.save_session(&session("CHAPTR")).unwrap();
        assert_eq!(store.challenge_play(&code("CHAPTR")).unwrap(), None);
        store.save_challenge(&code("CHAPTR"), &play).unwrap();
    }
    let mut store = Store::open(dir.path()).unwrap();
    assert_eq!(
        store.challenge_play(&code("CHAPTR")).unwrap(),
        Some(play.clone())
    );

    // Saved with its session in one transaction: when the challenge cannot be written,
    // the session's change is not kept either.
    play.play_round(challenge);
    store
        .conn
        .execute_batch(
            "CREATE TEMP TRIGGER refuse BEFORE UPDATE ON challenge_play
             BEGIN SELECT RAISE(ABORT, 'the disk said no'); END;",
        )
        .unwrap();
    let mut frozen = session("CHAPTR");
    frozen.eyes_on_me = !frozen.eyes_on_me;
    assert!(
        store
            .save_session_and_challenge(&frozen, Some(&play))
            .is_err()
    );
    let kept = store.open_sessions().unwrap();
    assert_eq!(kept[0].eyes_on_me, session("CHAPTR").eyes_on_me);
    assert_ne!(
        store.challenge_play(&code("CHAPTR")).unwrap(),
        Some(play.clone())
    );
    store.conn.execute_batch("DROP TRIGGER refuse").unwrap();

    store
        .save_session_and_challenge(&session("CHAPTR"), Some(&play))
        .unwrap();
    assert_eq!(store.challenge_play(&code("CHAPTR")).unwrap(), Some(play));
}
