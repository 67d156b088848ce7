//! Each broken file gives one problem at the right file, line and column, with a message
//! that names what is wrong. Every case starts from a small valid folder (the fixture
//! under `tests/fixtures/minimal` plus the shipped curriculum) and changes one thing.

use std::fs;
use std::path::{Path, PathBuf};

use workworlds_content::{Position, Problem, load_dir};

/// One change to the valid fixture and the problem it must cause.
struct Case {
    name: &'static str,
    /// The file changed, relative to the content folder.
    file: &'static str,
    /// Text that occurs exactly once in the file, and what replaces it.
    find: &'static str,
    replace: &'static str,
    /// The problem is placed at the first occurrence of this text in the changed file.
    at: &'static str,
    /// The message contains this.
    message: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "syntax error",
        file: "quests/bake-bread.ron",
        find: "answer: \"flour\",",
        replace: "answer \"flour\",",
        at: "\"flour\",\n",
        message: "tasks[0].kind.ChooseOne: expected colon",
    },
    Case {
        name: "unknown field",
        file: "roles/baker.ron",
        find: "icon: \"🍞\"",
        replace: "icno: \"🍞\"",
        at: "icno",
        message: "icno: unexpected field named `icno` in `RoleDef`",
    },
    Case {
        name: "missing welsh",
        file: "sectors/town.ron",
        find: "name: (en: \"Town\", cy: \"Tref\")",
        replace: "name: (en: \"Town\")",
        at: "),\n    summary",
        message: "name: unexpected missing field named `cy`",
    },
    Case {
        name: "blank welsh",
        file: "sectors/town.ron",
        find: "cy: \"Tref\"",
        replace: "cy: \"  \"",
        at: "\"  \"",
        message: "name.cy: the Welsh text is blank",
    },
    Case {
        name: "blank english in a task option",
        file: "quests/bake-bread.ron",
        find: "(en: \"Sand\"",
        replace: "(en: \"\"",
        at: "\"\", cy: \"Tywod\"",
        message: "tasks[0].kind.options[1].text.en: the English text is blank",
    },
    Case {
        name: "unknown role",
        file: "quests/bake-bread.ron",
        find: "giver: \"baker\"",
        replace: "giver: \"bakr\"",
        at: "\"bakr\"",
        message: "giver: unknown role \"bakr\"",
    },
    Case {
        name: "answer not among the options",
        file: "quests/bake-bread.ron",
        find: "answer: \"flour\"",
        replace: "answer: \"rice\"",
        at: "\"rice\"",
        message: "tasks[0].kind.answer: answer \"rice\" is not one of the options",
    },
    Case {
        name: "repeated option id",
        file: "quests/bake-bread.ron",
        find: "(id: \"sand\"",
        replace: "(id: \"flour\"",
        at: "[\n                    (id: \"flour\"",
        message: "tasks[0].kind.options: choice id \"flour\" appears twice",
    },
    Case {
        name: "negative tolerance",
        file: "quests/bake-bread.ron",
        find: "tolerance: 0.0",
        replace: "tolerance: -1.0",
        at: "-1.0",
        message: "tasks[1].kind.tolerance: tolerance -1 is negative",
    },
    Case {
        name: "number answer outside its range",
        file: "quests/bake-bread.ron",
        find: "answer: 12.0",
        replace: "answer: 60.0",
        at: "60.0",
        message: "tasks[1].kind.answer: answer 60 lies outside 0 to 50",
    },
    Case {
        name: "number range upside down",
        file: "quests/bake-bread.ron",
        find: "max: 50.0",
        replace: "max: -5.0",
        at: "-5.0",
        message: "tasks[1].kind.max: max -5 is not above min 0",
    },
    Case {
        name: "item in two sort groups",
        file: "quests/bake-bread.ron",
        find: "(id: \"carrot\"",
        replace: "(id: \"bread\"",
        at: "[\n                    (\n                        id: \"baked\"",
        message: "tasks[2].kind.groups: choice id \"bread\" appears twice",
    },
    Case {
        name: "unknown objective",
        file: "quests/bake-bread.ron",
        find: "objectives: [O5]",
        replace: "objectives: [O7]",
        at: "O7]",
        message: "objectives[0]: unexpected variant named `O7`",
    },
    Case {
        name: "no objective",
        file: "quests/bake-bread.ron",
        find: "objectives: [O5]",
        replace: "objectives: []",
        at: "[],\n    experience",
        message: "objectives: needs at least one objective",
    },
    Case {
        name: "no age phase",
        file: "quests/bake-bread.ron",
        find: "ages: [Ages3To7]",
        replace: "ages: []",
        at: "[],\n    objectives",
        message: "ages: needs at least one age phase",
    },
    Case {
        name: "unknown experience type",
        file: "quests/bake-bread.ron",
        find: "experience: T3",
        replace: "experience: T5",
        at: "T5",
        message: "experience: unexpected variant named `T5`",
    },
    Case {
        name: "quest minutes out of range",
        file: "quests/bake-bread.ron",
        find: "minutes: 10",
        replace: "minutes: 0",
        at: "0),\n)",
        message: "rewards.minutes: 0 minutes is outside 1 to 120",
    },
    Case {
        name: "repeated skill",
        file: "roles/baker.ron",
        find: "skills: [Numeracy, SelfManagement]",
        replace: "skills: [Numeracy, Numeracy]",
        at: "Numeracy]",
        message: "skills[1]: skill Numeracy appears twice",
    },
    Case {
        name: "unknown sector",
        file: "roles/baker.ron",
        find: "sector: \"town\"",
        replace: "sector: \"city\"",
        at: "\"city\"",
        message: "sector: unknown sector \"city\"",
    },
    Case {
        name: "unknown place",
        file: "roles/baker.ron",
        find: "place: \"bakery\"",
        replace: "place: \"office\"",
        at: "\"office\"",
        message: "place: sector \"town\" has no place \"office\"",
    },
    Case {
        name: "short day in the life",
        file: "roles/baker.ron",
        find: "        (en: \"Mixes dough.\", cy: \"Yn cymysgu toes.\"),\n",
        replace: "",
        at: "[\n        (en: \"Starts",
        message: "day_in_the_life: needs 3 to 6 entries, not 2",
    },
    Case {
        name: "malformed colour",
        file: "sectors/town.ron",
        find: "colour: \"#336699\"",
        replace: "colour: \"#3369\"",
        at: "#3369",
        message: "colour: colour \"#3369\" is not of the form",
    },
    Case {
        name: "wrong type",
        file: "sectors/town.ron",
        find: "width: 12",
        replace: "width: \"twelve\"",
        at: "\"twelve\"",
        message: "map.width: expected",
    },
    Case {
        name: "place outside the map",
        file: "sectors/town.ron",
        find: "at: (x: 6, y: 1)",
        replace: "at: (x: 11, y: 1)",
        at: "(x: 11",
        message: "map.places[1].at: place \"garage\" reaches outside the map",
    },
    Case {
        name: "overlapping places",
        file: "sectors/town.ron",
        find: "at: (x: 6, y: 1)",
        replace: "at: (x: 2, y: 2)",
        at: "(x: 2, y: 2)",
        message: "map.places[1].at: place \"garage\" overlaps place \"bakery\"",
    },
    Case {
        name: "spawn outside the map",
        file: "sectors/town.ron",
        find: "spawn: (x: 1, y: 6)",
        replace: "spawn: (x: 20, y: 6)",
        at: "(x: 20",
        message: "map.spawn: spawn lies outside the map",
    },
    Case {
        name: "badge names an unknown quest",
        file: "badges/first-loaf.ron",
        find: "QuestsDone([\"bake-bread\"])",
        replace: "QuestsDone([\"make-cake\"])",
        at: "QuestsDone",
        message: "rules[0]: unknown quest \"make-cake\"",
    },
    Case {
        name: "badge rule that is always met",
        file: "badges/first-loaf.ron",
        find: "StampCount(1)",
        replace: "StampCount(0)",
        at: "StampCount",
        message: "rules[1]: a count of 0 is always met",
    },
    Case {
        name: "mission of the wrong length",
        file: "badges/first-loaf.ron",
        find: "mission: None",
        replace: "mission: Some([(text: (en: \"Help\", cy: \"Helpu\"), done_by: TeacherConfirms)])",
        at: "Some([",
        message: "mission: a mission has exactly 3 steps, not 1",
    },
    Case {
        name: "challenge default out of range",
        file: "challenges/bread-stall.ron",
        find: "default: 30.0",
        replace: "default: 90.0",
        at: "90.0",
        message: "decisions[2].default: default 90 lies outside 10 to 60",
    },
    Case {
        name: "challenge step that does not divide the range",
        file: "challenges/bread-stall.ron",
        find: "step: 5.0",
        replace: "step: 20.0",
        at: "20.0",
        message: "decisions[2].step: step 20 does not divide 10 to 60 into whole steps",
    },
    Case {
        name: "challenge decision owned by a role the team lacks",
        file: "challenges/bread-stall.ron",
        find: "owner: Operations,\n            min: 1.0",
        replace: "owner: People,\n            min: 1.0",
        at: "People,",
        message: "decisions[1].owner: People is not one of the challenge's roles",
    },
    Case {
        name: "challenge without welsh",
        file: "challenges/bread-stall.ron",
        find: "label: (en: \"Bakers\", cy: \"Pobyddion\")",
        replace: "label: (en: \"Bakers\")",
        at: "),\n            unit: (en: \"people\"",
        message: "decisions[1].label: unexpected missing field named `cy`",
    },
    Case {
        name: "challenge with an unknown field",
        file: "challenges/bread-stall.ron",
        find: "    rounds: 2,",
        replace: "    rounds: 2,\n    players: 4,",
        at: "players",
        message: "players: unexpected field named `players` in `ChallengeDef`",
    },
    Case {
        name: "challenge without O4",
        file: "challenges/bread-stall.ron",
        find: "objectives: [O3, O4]",
        replace: "objectives: [O3, O5]",
        at: "[O3, O5]",
        message: "objectives: O4 is missing: every challenge serves O3 and O4",
    },
    Case {
        name: "challenge without a price",
        file: "challenges/bread-stall.ron",
        find: "sets: Price",
        replace: "sets: Marketing",
        at: "[\n        (\n            id: \"price\"",
        message: "decisions: no decision sets Price",
    },
    Case {
        name: "challenge season of the wrong length",
        file: "challenges/bread-stall.ron",
        find: "season: [1.0, 1.1]",
        replace: "season: [1.0]",
        at: "[1.0]",
        message: "business.demand.season: needs one number per round (2), not 1",
    },
    Case {
        name: "challenge resource with a factor for another resource",
        file: "challenges/bread-stall.ron",
        find: "resource: Electricity",
        replace: "resource: Gas",
        at: "\"grid\", per_open_hour",
        message: "business.resources[0].factor: factor \"grid\" is for Gas, not Electricity",
    },
    Case {
        name: "challenge factor without a source",
        file: "challenges/bread-stall.ron",
        find: "\"UK Government GHG Conversion Factors for Company Reporting 2024 (DESNZ)\"",
        replace: "\" \"",
        at: "\" \"",
        message: "emission_factors[0].source: cite where the factor comes from",
    },
    Case {
        name: "challenge event that is certain beyond certainty",
        file: "challenges/bread-stall.ron",
        find: "chance: 0.2",
        replace: "chance: 1.5",
        at: "1.5",
        message: "events[0].chance: 1.5 is outside 0 to 1",
    },
    Case {
        name: "challenge investment that never arrives",
        file: "challenges/bread-stall.ron",
        find: "lead_rounds: 1",
        replace: "lead_rounds: 2",
        at: "2,\n                effects",
        message: "lead_rounds: 2 rounds of lead time in a 2-round challenge",
    },
    Case {
        name: "challenge investment on a resource the business does not use",
        file: "challenges/bread-stall.ron",
        find: "Use(Electricity, 0.5)",
        replace: "Use(Fuel, 0.5)",
        at: "Use(Fuel",
        message: "net_zero.investments[0].effects[0]: the business uses no Fuel",
    },
    Case {
        name: "challenge in an unknown sector",
        file: "challenges/bread-stall.ron",
        find: "sector: \"town\"",
        replace: "sector: \"city\"",
        at: "\"city\"",
        message: "sector: unknown sector \"city\"",
    },
    Case {
        name: "trailing characters",
        file: "badges/first-loaf.ron",
        find: "    mission: None,\n)\n",
        replace: "    mission: None,\n)\nextra\n",
        at: "extra",
        message: "trailing characters",
    },
];

#[test]
fn each_broken_file_is_reported_at_its_line_and_column() {
    assert!(
        CASES.len() >= 20,
        "the loader's error paths need at least 20 cases"
    );
    let failures: Vec<String> = CASES.iter().filter_map(check_case).collect();
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Runs one case; says what went wrong, if anything.
fn check_case(case: &Case) -> Option<String> {
    let folder = valid_folder();
    let path = folder.path().join(case.file);
    let original = fs::read_to_string(&path).unwrap();
    assert_eq!(
        original.matches(case.find).count(),
        1,
        "{}: `find` must occur once",
        case.name
    );
    let changed = original.replacen(case.find, case.replace, 1);
    fs::write(&path, &changed).unwrap();
    let offset = changed
        .find(case.at)
        .unwrap_or_else(|| panic!("{}: `at` not found", case.name));
    let expected = position_of(&changed, offset);

    let problems = match load_dir(folder.path()) {
        Ok(_) => return Some(format!("{}: loaded without a problem", case.name)),
        Err(errors) => errors.0,
    };

    // A mistake may have knock-on effects elsewhere (a role naming an unknown sector
    // leaves its real sector empty), but the changed file has exactly one problem.
    let in_file: Vec<&Problem> = problems
        .iter()
        .filter(|problem| problem.path == path)
        .collect();
    let [problem] = in_file.as_slice() else {
        return Some(format!(
            "{}: expected one problem in the file, got {problems:#?}",
            case.name
        ));
    };
    let right = problem.position == Some(expected) && problem.message.contains(case.message);
    (!right).then(|| {
        format!(
            "{}: expected {expected:?} and {:?}, got {problem}",
            case.name, case.message
        )
    })
}

#[test]
fn the_unchanged_fixture_is_valid() {
    let folder = valid_folder();
    let content = load_dir(folder.path()).unwrap();
    assert_eq!(content.quests.len(), 1);
    assert_eq!(content.sectors["town"].roles.len(), 1);
    assert_eq!(content.challenges.len(), 1);
}

#[test]
fn every_broken_file_of_a_run_is_reported() {
    let folder = valid_folder();
    fs::write(folder.path().join("roles/baker.ron"), "(sector: ").unwrap();
    fs::write(
        folder.path().join("badges/first-loaf.ron"),
        "not ron at all",
    )
    .unwrap();

    let problems = load_dir(folder.path()).unwrap_err().0;

    let files: Vec<&Path> = problems
        .iter()
        .map(|problem| problem.path.as_path())
        .collect();
    assert_eq!(
        files,
        [
            folder.path().join("badges/first-loaf.ron"),
            folder.path().join("roles/baker.ron")
        ]
    );
    let text = problems
        .iter()
        .map(Problem::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("badges/first-loaf.ron:1:1: "), "{text}");
    assert!(
        text.contains("roles/baker.ron:1:10: sector: expected string"),
        "{text}"
    );
}

#[test]
fn file_names_must_be_valid_ids() {
    let folder = valid_folder();
    fs::copy(
        folder.path().join("badges/first-loaf.ron"),
        folder.path().join("badges/First_Loaf.ron"),
    )
    .unwrap();

    let problems = load_dir(folder.path()).unwrap_err().0;

    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0]
            .to_string()
            .contains("First_Loaf.ron: file name \"First_Loaf\" is not a valid id")
    );
}

#[test]
fn stray_files_and_folders_are_refused() {
    let folder = valid_folder();
    fs::write(folder.path().join("quests/notes.txt"), "remember the milk").unwrap();
    fs::create_dir(folder.path().join("worlds")).unwrap();

    let problems = load_dir(folder.path()).unwrap_err().0;

    let text: Vec<String> = problems.iter().map(Problem::to_string).collect();
    assert_eq!(text.len(), 2, "{text:#?}");
    assert!(text[0].ends_with("notes.txt: unexpected entry: this folder holds only .ron files"));
    assert!(text[1].contains("worlds: unexpected entry"));
}

#[test]
fn a_folder_without_a_curriculum_is_refused() {
    let folder = valid_folder();
    fs::remove_file(folder.path().join("curriculum.ron")).unwrap();

    let problems = load_dir(folder.path()).unwrap_err().0;

    assert_eq!(problems.len(), 1);
    assert!(
        problems[0]
            .to_string()
            .ends_with("curriculum.ron: missing: every content folder needs one")
    );
}

#[test]
fn a_world_with_nobody_in_it_is_refused() {
    let folder = valid_folder();
    fs::copy(
        folder.path().join("sectors/town.ron"),
        folder.path().join("sectors/empty-town.ron"),
    )
    .unwrap();

    let problems = load_dir(folder.path()).unwrap_err().0;

    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].position, Some(Position { line: 1, column: 1 }));
    assert!(
        problems[0]
            .message
            .contains("no job role names this sector")
    );
}

#[test]
fn an_oversized_file_is_refused_without_reading_it() {
    let folder = valid_folder();
    let huge = " ".repeat(workworlds_content::MAX_FILE_BYTES as usize + 1);
    fs::write(folder.path().join("badges/first-loaf.ron"), huge).unwrap();

    let problems = load_dir(folder.path()).unwrap_err().0;

    assert!(
        problems[0].message.contains("content files are at most"),
        "{problems:#?}"
    );
}

/// A fresh copy of the valid fixture, with the shipped curriculum.
fn valid_folder() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    for kind in workworlds_content::KIND_FOLDERS {
        fs::create_dir(folder.path().join(kind)).unwrap();
        for entry in fs::read_dir(fixture.join(kind)).unwrap() {
            let entry = entry.unwrap();
            fs::copy(
                entry.path(),
                folder.path().join(kind).join(entry.file_name()),
            )
            .unwrap();
        }
    }
    fs::copy(
        data_dir().join("curriculum.ron"),
        folder.path().join("curriculum.ron"),
    )
    .unwrap();
    folder
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// Line and column (from 1, in characters) of a byte offset, computed independently of
/// the loader so the test checks it rather than repeats it.
fn position_of(text: &str, offset: usize) -> Position {
    let before = &text[..offset];
    let line = before.lines().count().max(1) + usize::from(before.ends_with('\n'));
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line,
        column: text[line_start..offset].chars().count() + 1,
    }
}
