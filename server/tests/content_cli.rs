//! The content commands as an author runs them: the real binary, its output and its
//! exit status.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn server(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_workworlds-server"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn shipped_content() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../content/data")
        .display()
        .to_string()
}

#[test]
fn check_ends_with_the_summary_line_and_succeeds() {
    let output = server(&["content", "check", &shipped_content()]);

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let last = stdout.lines().last().unwrap();
    let words: Vec<&str> = last.split_whitespace().collect();
    assert_eq!(words[..2], ["content", "ok:"], "{last}");
    let kinds: Vec<&str> = words[2..]
        .chunks(2)
        .map(|pair| pair[1].trim_end_matches(','))
        .collect();
    assert_eq!(
        kinds,
        ["sectors", "roles", "quests", "challenges", "badges"],
        "{last}"
    );
    assert!(
        words[2..]
            .chunks(2)
            .all(|pair| pair[0].parse::<u32>().is_ok()),
        "{last}"
    );
}

#[test]
fn check_prints_every_problem_and_fails() {
    let folder = tempfile::tempdir().unwrap();
    fs::copy(
        format!("{}/curriculum.ron", shipped_content()),
        folder.path().join("curriculum.ron"),
    )
    .unwrap();
    fs::create_dir(folder.path().join("quests")).unwrap();
    fs::write(folder.path().join("quests/broken.ron"), "(giver: 12)").unwrap();
    fs::write(folder.path().join("quests/Bad Name.ron"), "()").unwrap();

    let output = server(&["content", "check", &folder.path().display().to_string()]);

    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("quests/Bad Name.ron: file name \"Bad Name\" is not a valid id"),
        "{stderr}"
    );
    assert!(
        stderr.contains("quests/broken.ron:1:9: giver: expected string"),
        "{stderr}"
    );
    assert!(stderr.contains("content has 2 problem(s)"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn coverage_prints_a_row_per_objective_for_each_table() {
    let output = server(&["content", "coverage", &shipped_content()]);

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    for objective in ["O1", "O2", "O3", "O4", "O5", "O6"] {
        let rows = stdout
            .lines()
            .filter(|line| line.starts_with(objective))
            .count();
        assert_eq!(rows, 2, "{objective} in:\n{stdout}");
    }
    assert!(stdout.contains("3-7") && stdout.contains("T4"), "{stdout}");
}

#[test]
fn a_missing_folder_is_a_clear_error() {
    let output = server(&["content", "check", "/nonexistent/content"]);

    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("/nonexistent/content: cannot read folder:"),
        "{stderr}"
    );
}
