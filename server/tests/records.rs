//! The school-records commands as a teacher or IT technician runs them, on a demo
//! class: the real binary, its output, its files and its exit status.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use workworlds_content::ids::{BadgeId, ChallengeId, QuestId, SectorId};
use workworlds_content::marking::{Answer, Mark};
use workworlds_protocol::ids::{JoinCode, PupilCode, ResumeToken, TeamId};
use workworlds_protocol::portfolio::{Evidence, ReflectionAbout};
use workworlds_protocol::requests::Activity;
use workworlds_server::session::{SessionSetup, SessionTimes};
use workworlds_server::store::{DB_FILE, Store, StoredAnswer, StoredRound, StoredSession};

fn server(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_workworlds-server"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn content() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../content/data")
        .display()
        .to_string()
}

fn stdout_of(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Makes the demo in `data` and returns its session codes and pupil codes.
fn demo(data: &str) -> (Vec<String>, Vec<String>) {
    let printed = stdout_of(&server(&["demo", "--data", data, "--content", &content()]));
    let sessions: Vec<String> = printed
        .lines()
        .filter_map(|line| line.strip_prefix("session: "))
        .map(String::from)
        .collect();
    let pupils: Vec<String> = printed
        .lines()
        .find_map(|line| line.strip_prefix("pupils: "))
        .expect("a pupils line")
        .split(' ')
        .map(String::from)
        .collect();
    (sessions, pupils)
}

fn read_csv(csv: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|row| row.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn the_demo_class_reports_round_trip_through_a_csv_reader() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let (sessions, pupils) = demo(data);
    assert_eq!(sessions.len(), 2);
    assert_eq!(pupils.len(), 30);
    assert!(pupils.iter().all(|code| PupilCode::parse(code).is_some()));

    let csv = stdout_of(&server(&[
        "report",
        &sessions[1],
        "--format",
        "csv",
        "--lang",
        "cy",
        "--data",
        data,
        "--content",
        &content(),
    ]));
    assert!(
        csv.starts_with('\u{feff}'),
        "spreadsheets need the UTF-8 mark"
    );
    let (header, rows) = read_csv(&csv);
    let expected = [
        "Gweithgaredd",
        "Blwyddyn/grŵp",
        "Llythrennau cyntaf staff",
        "T1",
        "T2",
        "T3",
        "T4",
        "O1",
        "O2",
        "O3",
        "O4",
        "O5",
        "O6",
        "Dyddiad(au)",
        "Oriau",
        "Busnesau a fu'n rhan",
        "Disgyblion",
        "Sesiwn",
    ];
    // The reader keeps the byte-order mark on the first name; a spreadsheet hides it.
    assert_eq!(header[0].trim_start_matches('\u{feff}'), expected[0]);
    assert_eq!(header[1..], expected[1..]);
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row[0], "Caffi'r Harbwr dros yr haf");
    assert_eq!((row[1].as_str(), row[2].as_str()), ("Y6", "NR"));
    assert_eq!(row[5], "✓", "an enterprise challenge is T3");
    assert_eq!((row[7].as_str(), row[10].as_str()), ("✓", "✓"), "O1 and O4");
    assert!(row[14].parse::<f64>().unwrap() >= 0.5, "hours: {}", row[14]);
    assert_eq!(
        (row[16].as_str(), row[17].as_str()),
        ("30", sessions[1].as_str())
    );

    let year = stdout_of(&server(&[
        "report",
        "class",
        "Demo 6",
        "--format",
        "csv",
        "--data",
        data,
        "--content",
        &content(),
    ]));
    let (_, activities) = read_csv(&year);
    let listed: Vec<&str> = activities.iter().map(|row| row[17].as_str()).collect();
    assert_eq!(listed, [sessions[0].as_str(), sessions[1].as_str()]);

    let coverage = stdout_of(&server(&[
        "report",
        "class",
        "Demo 6",
        "--view",
        "coverage",
        "--data",
        data,
        "--content",
        &content(),
    ]));
    let (header, pupils_rows) = read_csv(&coverage);
    assert_eq!(header.len(), 9, "{header:?}");
    assert_eq!(pupils_rows.len(), 30);
    for row in &pupils_rows {
        // Every demo pupil played the challenge, which covers O4.
        assert!(row[5].parse::<f64>().unwrap() > 0.0, "{row:?}");
        assert!(!row[8].contains("O4"), "{row:?}");
    }
}

#[test]
fn exported_badges_verify_and_any_change_to_them_fails() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let (_, pupils) = demo(data);
    let out = dir.path().join("badges");
    let printed = stdout_of(&server(&[
        "badge",
        "export",
        &pupils[0],
        "--out",
        out.to_str().unwrap(),
        "--data",
        data,
        "--content",
        &content(),
    ]));
    let files: Vec<String> = printed
        .lines()
        .filter(|line| line.ends_with(".json"))
        .map(String::from)
        .collect();
    assert!(!files.is_empty(), "every demo pupil has a badge: {printed}");
    for file in &files {
        stdout_of(&server(&["badge", "verify", file, "--data", data]));
    }

    let original = fs::read_to_string(&files[0]).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&original).unwrap();
    let name = json["credential"]["credentialSubject"]["achievement"]["name"].clone();
    json["credential"]["credentialSubject"]["achievement"]["name"] =
        format!("{} (gold)", name.as_str().unwrap()).into();
    let renamed = dir.path().join("renamed.json");
    fs::write(&renamed, json.to_string()).unwrap();
    let verdict = server(&["badge", "verify", renamed.to_str().unwrap(), "--data", data]);
    assert!(!verdict.status.success(), "an edited name must fail");

    let mut json: serde_json::Value = serde_json::from_str(&original).unwrap();
    let jwt = json["jwt"].as_str().unwrap().to_owned();
    let middle = jwt.find('.').unwrap() + 10;
    let flipped = if &jwt[middle..=middle] == "A" {
        "B"
    } else {
        "A"
    };
    json["jwt"] = format!("{}{flipped}{}", &jwt[..middle], &jwt[middle + 1..]).into();
    let forged = dir.path().join("forged.json");
    fs::write(&forged, json.to_string()).unwrap();
    let verdict = server(&["badge", "verify", forged.to_str().unwrap(), "--data", data]);
    assert!(!verdict.status.success(), "a changed payload must fail");
    assert!(String::from_utf8_lossy(&verdict.stderr).contains("not valid"));

    // Another school's server did not issue it, unless any issuer is accepted.
    let other = dir.path().join("other");
    let (_, others) = demo(other.to_str().unwrap());
    // Its first export makes that server's signing key.
    stdout_of(&server(&[
        "badge",
        "export",
        &others[0],
        "--out",
        dir.path().join("other-badges").to_str().unwrap(),
        "--data",
        other.to_str().unwrap(),
        "--content",
        &content(),
    ]));
    let elsewhere = server(&[
        "badge",
        "verify",
        &files[0],
        "--data",
        other.to_str().unwrap(),
    ]);
    assert!(!elsewhere.status.success());
    stdout_of(&server(&[
        "badge",
        "verify",
        &files[0],
        "--any-issuer",
        "--data",
        other.to_str().unwrap(),
    ]));
}

/// A pupil with a name and words found nowhere else, in a finished session.
fn add_marked_pupil(data: &Path) -> PupilCode {
    let mut store = Store::open(data).unwrap();
    let record = store
        .add_record("Demo 6", "Zebedee Quartzfield", 1)
        .unwrap();
    let code = JoinCode::parse("QQQQQQ").unwrap();
    let session = StoredSession {
        setup: SessionSetup {
            code: code.clone(),
            teacher: "Nia Rhys".into(),
            activity: Activity::World(SectorId::new("energy")),
            teams: 2,
            round_seconds: 300,
            typed_names: false,
        },
        round: StoredRound::Ended { number: 1 },
        eyes_on_me: false,
        lobby_locked: false,
        times: SessionTimes {
            created_at_unix_ms: 1,
            started_at_unix_ms: Some(2),
            ended_at_unix_ms: Some(3),
        },
    };
    store.save_session(&session).unwrap();
    let pupil = store
        .add_pupil(
            &code,
            "Zebedee Quartzfield",
            TeamId(0),
            ResumeToken([9; 16]),
            Some(&record.code),
        )
        .unwrap();
    let answer = StoredAnswer {
        pupil,
        session: code.clone(),
        quest: QuestId::new("energy-meter-reading"),
        task: 0,
        answer: Answer::Reflect("marmalade lighthouse thoughts".into()),
        mark: Mark {
            points: 0,
            out_of: 0,
        },
        at_unix_ms: 4,
    };
    store.record_answer(&answer, &[]).unwrap();
    let about = ReflectionAbout::Challenge {
        challenge: ChallengeId::new("seaside-cafe"),
        prompt: 0,
    };
    store
        .add_reflection(pupil, &code, &about, "periwinkle harbour notes", 5)
        .unwrap();
    store
        .award_badge(
            &record.code,
            &BadgeId::new("first-stamp"),
            &Evidence::default(),
            6,
        )
        .unwrap();
    store
        .tick_mission_step(
            &record.code,
            &BadgeId::new("careers-ambassador"),
            0,
            "Nia Rhys",
            7,
        )
        .unwrap();
    record.code
}

#[test]
fn erasing_a_pupil_leaves_nothing_of_them_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    demo(data);
    let code = add_marked_pupil(dir.path());
    let code_text = code.to_string();

    let export = stdout_of(&server(&["pupil", "export", &code_text, "--data", data]));
    for secret in [
        "Zebedee Quartzfield",
        "marmalade lighthouse",
        "periwinkle harbour",
    ] {
        assert!(
            export.contains(secret),
            "the export holds everything: {secret}"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&export).unwrap();
    assert_eq!(json["badges"].as_array().unwrap().len(), 1);
    assert_eq!(json["mission_steps"].as_array().unwrap().len(), 1);

    let erased = stdout_of(&server(&["pupil", "erase", &code_text, "--data", data]));
    assert!(erased.contains("1 answer(s)"), "{erased}");
    assert!(erased.contains("2 reflection(s)"), "{erased}");
    assert!(erased.contains("1 badge(s)"), "{erased}");

    // Not in any row, and not in the bytes of the file or its log either.
    let mut files = Vec::new();
    for suffix in ["", "-wal"] {
        let path = dir.path().join(format!("{DB_FILE}{suffix}"));
        if let Ok(bytes) = fs::read(&path) {
            files.push(bytes);
        }
    }
    for bytes in &files {
        for secret in [
            "Zebedee",
            "marmalade lighthouse",
            "periwinkle harbour",
            code.as_str(),
        ] {
            let found = bytes
                .windows(secret.len())
                .any(|window| window == secret.as_bytes());
            assert!(!found, "{secret:?} is still in the store's files");
        }
    }
    let again = server(&["pupil", "export", &code_text, "--data", data]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("no pupil has the code"));
}

#[test]
fn a_pupil_in_a_session_still_running_is_not_erased() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    demo(data);
    let code = add_marked_pupil(dir.path());
    {
        let mut store = Store::open(dir.path()).unwrap();
        let mut open = store
            .session(&JoinCode::parse("QQQQQQ").unwrap())
            .unwrap()
            .unwrap();
        open.times.ended_at_unix_ms = None;
        store.save_session(&open).unwrap();
    }
    let refused = server(&["pupil", "erase", &code.to_string(), "--data", data]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("QQQQQQ"));
    stdout_of(&server(&[
        "pupil",
        "export",
        &code.to_string(),
        "--data",
        data,
    ]));
}

#[test]
fn a_teacher_confirmed_mission_awards_its_badge_on_the_last_step() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let (_, pupils) = demo(data);
    let confirm = |step: &str| {
        stdout_of(&server(&[
            "badge",
            "confirm",
            &pupils[3],
            "careers-ambassador",
            step,
            "--teacher",
            "Nia Rhys",
            "--data",
            data,
            "--content",
            &content(),
        ]))
    };
    assert!(!confirm("1").contains("badge awarded"));
    assert!(!confirm("3").contains("badge awarded"));
    assert!(confirm("2").contains("badge awarded: careers-ambassador"));
    let wrong = server(&[
        "badge",
        "confirm",
        &pupils[3],
        "careers-ambassador",
        "4",
        "--teacher",
        "Nia Rhys",
        "--data",
        data,
        "--content",
        &content(),
    ]);
    assert!(!wrong.status.success());
}
