//! The content shipped in `content/data` loads cleanly and is enough to teach with:
//! the eight sector worlds, five people or more in each, quests that cover every CWRE
//! objective in every phase from 3 to 16, and the badges schools know.

use std::collections::BTreeSet;
use std::path::Path;

use workworlds_content::coverage::Coverage;
use workworlds_content::defs::{Pronouns, StepCheck, TaskKind};
use workworlds_content::{Content, load_dir};

fn shipped() -> Content {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/data");
    // The error lists every bad file as path:line:column: message.
    load_dir(&dir).unwrap_or_else(|errors| panic!("content/data has problems:\n{errors}"))
}

#[test]
fn the_eight_sector_worlds_each_have_five_people_or_more() {
    let content = shipped();
    for id in [
        "energy",
        "health",
        "digital",
        "construction",
        "creative",
        "hospitality",
        "manufacturing",
        "farming",
    ] {
        let sector = content
            .sectors
            .get(id)
            .unwrap_or_else(|| panic!("no sector world {id}"));
        assert!(
            sector.roles.len() >= 5,
            "{id} has {} roles",
            sector.roles.len()
        );
    }
    assert!(content.roles.len() >= 40, "{} roles", content.roles.len());
}

#[test]
fn characters_are_balanced_between_women_and_men() {
    let content = shipped();
    let count = |pronouns| {
        content
            .roles
            .values()
            .filter(|role| role.character.pronouns == pronouns)
            .count()
    };
    let (she, he) = (count(Pronouns::She), count(Pronouns::He));
    assert!(
        she.abs_diff(he) <= content.roles.len() / 10,
        "{she} women and {he} men"
    );
}

#[test]
fn quests_cover_every_objective_in_every_phase_and_use_every_task_kind() {
    let content = shipped();
    assert!(
        content.quests.len() >= 30,
        "{} quests",
        content.quests.len()
    );
    assert_eq!(Coverage::of(&content).curriculum_gaps(), []);

    let kinds: BTreeSet<&str> = content
        .quests
        .values()
        .flat_map(|quest| &quest.tasks)
        .map(|task| match task.kind {
            TaskKind::ChooseOne { .. } => "choose one",
            TaskKind::ChooseSeveral { .. } => "choose several",
            TaskKind::Order { .. } => "order",
            TaskKind::MatchPairs { .. } => "match pairs",
            TaskKind::Sort { .. } => "sort",
            TaskKind::Number { .. } => "number",
            TaskKind::Reflect { .. } => "reflect",
        })
        .collect();
    assert_eq!(kinds.len(), 7, "task kinds used: {kinds:?}");
}

#[test]
fn the_cwre_example_badges_have_three_step_missions() {
    let content = shipped();
    for id in [
        "employability",
        "careers-explorer",
        "careers-librarian",
        "careers-ambassador",
    ] {
        let badge = content
            .badges
            .get(id)
            .unwrap_or_else(|| panic!("no badge {id}"));
        assert_eq!(badge.mission.len(), 3, "{id}");
    }
    let in_game_missions = ["employability", "careers-explorer"];
    for id in in_game_missions {
        let steps = &content.badges[id].mission;
        assert!(
            steps
                .iter()
                .all(|step| matches!(step.done_by, StepCheck::Quest(_))),
            "{id}"
        );
    }
    assert!(content.badges.len() >= 8, "{} badges", content.badges.len());
}

#[test]
fn every_task_has_a_model_answer_the_server_marks_right() {
    let content = shipped();
    for quest in content.quests.values() {
        for (index, task) in quest.tasks.iter().enumerate() {
            let mark = task
                .mark(&task.model_answer())
                .unwrap_or_else(|error| panic!("{} task {index}: {error}", quest.id));
            assert!(mark.is_right(), "{} task {index}: {mark:?}", quest.id);
        }
    }
}
