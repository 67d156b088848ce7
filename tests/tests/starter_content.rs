//! The content shipped in `content/data` loads cleanly and is enough to teach with:
//! the eight sector worlds, five people or more in each, quests that cover every CWRE
//! objective in every phase from 3 to 16, the badges schools know, and enterprise
//! challenges and net-zero scenarios for primary and secondary classes.

use std::collections::BTreeSet;
use std::path::Path;

use workworlds_content::challenge::Resource;
use workworlds_content::coverage::Coverage;
use workworlds_content::curriculum::{AgePhase, Objective};
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

#[test]
fn challenges_include_four_businesses_three_net_zero_scenarios_and_two_for_primary() {
    let content = shipped();
    let (net_zero, businesses): (Vec<_>, Vec<_>) = content
        .challenges
        .values()
        .partition(|challenge| challenge.net_zero.is_some());
    assert!(businesses.len() >= 4, "{} businesses", businesses.len());
    assert!(net_zero.len() >= 3, "{} net-zero scenarios", net_zero.len());
    let primary = content
        .challenges
        .values()
        .filter(|challenge| challenge.primary && challenge.ages.contains(&AgePhase::Ages7To11))
        .count();
    assert!(primary >= 2, "{primary} challenges for ages 7 to 11");
    for challenge in content.challenges.values() {
        let id = &challenge.id;
        assert!(challenge.objectives.contains(&Objective::O3), "{id}");
        assert!(challenge.objectives.contains(&Objective::O4), "{id}");
        assert!(!challenge.debrief.is_empty(), "{id}");
        assert!(content.sectors.contains_key(&challenge.sector), "{id}");
    }
}

#[test]
fn government_emission_factors_are_the_published_2024_values() {
    let content = shipped();
    let mut cited = 0;
    for challenge in content.challenges.values() {
        for factor in &challenge.emission_factors {
            assert!(factor.year >= 2024, "{}: {}", challenge.id, factor.id);
            if !factor.source.contains("(DESNZ)") {
                assert!(
                    factor.source.contains("estimate"),
                    "{}: {}",
                    challenge.id,
                    factor.id
                );
                continue;
            }
            // UK Government GHG Conversion Factors for Company Reporting 2024.
            let published = match factor.resource {
                Resource::Electricity => 0.20705,
                Resource::Gas => 0.18290,
                Resource::Fuel => 2.51279,
                Resource::Materials => panic!("{}: no DESNZ materials factor is used", factor.id),
            };
            assert_eq!(factor.kg_co2e, published, "{}: {}", challenge.id, factor.id);
            cited += 1;
        }
    }
    assert!(cited >= 7, "{cited} government factors cited");
}
