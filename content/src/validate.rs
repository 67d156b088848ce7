//! Checks that parsed files make sense on their own and together: texts in both
//! languages, numbers in range, ids that exist, answers that fit their tasks. Every
//! problem names its file, the position of the offending value and the field.
//! Challenges, with the most numbers to check, have a module of their own.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::curriculum::{
    AgePhase, Curriculum, CurriculumDef, ExperienceType, Objective, ReadinessGroup, Skill,
};
use crate::defs::{
    BadgeDef, Choice, Place, QuestDef, RoleDef, Rule, SectorDef, StepCheck, Task, TaskKind,
};
use crate::error::{ContentErrors, Problem};
use crate::ids::{BadgeId, QuestId, RoleId, SectorId};
use crate::load::{Parsed, ParsedFolder};
use crate::locate::Step;
use crate::model::{Badge, Content, Quest, Role, Sector};

use Step::{Field, Index};

mod challenge;
mod report;

use report::Report;

/// Map sizes accepted, in tiles.
const MAP_WIDTH_TILES: std::ops::RangeInclusive<u32> = 8..=64;
const MAP_HEIGHT_TILES: std::ops::RangeInclusive<u32> = 6..=64;
/// Quest lengths accepted, in minutes.
const QUEST_MINUTES: std::ops::RangeInclusive<u32> = 1..=120;

/// Validates a folder whose every file parsed.
pub(crate) fn validate(folder: ParsedFolder) -> Result<Content, ContentErrors> {
    let mut problems = Vec::new();
    let curriculum = folder
        .curriculum
        .as_ref()
        .map(|file| check_curriculum(file, &mut problems));

    let sector_ids: BTreeMap<&str, &SectorDef> = folder
        .sectors
        .iter()
        .map(|file| (file.id.as_str(), &file.def))
        .collect();
    let role_ids: BTreeMap<&str, &RoleDef> = folder
        .roles
        .iter()
        .map(|file| (file.id.as_str(), &file.def))
        .collect();
    let quest_ids: BTreeSet<&str> = folder.quests.iter().map(|file| file.id.as_str()).collect();

    let mut roles = BTreeMap::new();
    for file in &folder.roles {
        if let Some(role) = check_role(file, &sector_ids, &mut problems) {
            roles.insert(role.id.clone(), role);
        }
    }
    let mut sectors = BTreeMap::new();
    for file in &folder.sectors {
        // Counted from the files as written, so one broken role file is one problem,
        // not also an empty world.
        let sector_roles: Vec<RoleId> = folder
            .roles
            .iter()
            .filter(|role| role.def.sector.as_str() == file.id)
            .map(|role| RoleId::new(&role.id))
            .collect();
        if let Some(sector) = check_sector(file, sector_roles, &mut problems) {
            sectors.insert(sector.id.clone(), sector);
        }
    }
    let mut quests = BTreeMap::new();
    for file in &folder.quests {
        if let Some(quest) = check_quest(file, &role_ids, &mut problems) {
            quests.insert(quest.id.clone(), quest);
        }
    }
    let mut badges = BTreeMap::new();
    for file in &folder.badges {
        if let Some(badge) = check_badge(file, &quest_ids, &mut problems) {
            badges.insert(badge.id.clone(), badge);
        }
    }
    let mut challenges = BTreeMap::new();
    for file in &folder.challenges {
        if let Some(found) = challenge::check_challenge(file, &sector_ids, &mut problems) {
            challenges.insert(found.id.clone(), found);
        }
    }

    match curriculum {
        Some(Some(curriculum)) if problems.is_empty() => Ok(Content {
            curriculum,
            sectors,
            roles,
            quests,
            badges,
            challenges,
        }),
        _ => {
            problems.sort_by(|a, b| (&a.path, a.position).cmp(&(&b.path, b.position)));
            Err(ContentErrors(problems))
        }
    }
}

fn check_curriculum(
    file: &Parsed<CurriculumDef>,
    problems: &mut Vec<Problem>,
) -> Option<Curriculum> {
    let mut report = Report::new(file, problems);
    let def = &file.def;
    report.described(Field("objectives"), &def.objectives, &Objective::ALL, |d| {
        (d.id, &d.name, &d.summary)
    });
    report.described(
        Field("experience_types"),
        &def.experience_types,
        &ExperienceType::ALL,
        |d| (d.id, &d.name, &d.summary),
    );
    report.described(Field("age_phases"), &def.age_phases, &AgePhase::ALL, |d| {
        (d.id, &d.name, &d.summary)
    });
    report.described(Field("skills"), &def.skills, &Skill::ALL, |d| {
        (d.id, &d.name, &d.summary)
    });
    for (index, indicator) in def.readiness_indicators.iter().enumerate() {
        report.text(
            &[Field("readiness_indicators"), Index(index), Field("name")],
            &indicator.name,
        );
    }
    for group in [
        ReadinessGroup::ExploringTheFuture,
        ReadinessGroup::ExperiencingTheFuture,
        ReadinessGroup::ThinkingAboutTheFuture,
    ] {
        if !def
            .readiness_indicators
            .iter()
            .any(|indicator| indicator.group == group)
        {
            report.fail(
                &[Field("readiness_indicators")],
                format!("no indicator in the group {group:?}"),
            );
        }
    }
    report.ok().then(|| Curriculum::from_checked(def.clone()))
}

fn check_sector(
    file: &Parsed<SectorDef>,
    roles: Vec<RoleId>,
    problems: &mut Vec<Problem>,
) -> Option<Sector> {
    let mut report = Report::new(file, problems);
    let def = &file.def;
    report.text(&[Field("name")], &def.name);
    report.text(&[Field("summary")], &def.summary);
    report.icon(&[Field("icon")], &def.icon);

    let map = &def.map;
    report.range(
        &[Field("map"), Field("width")],
        map.width,
        MAP_WIDTH_TILES,
        "tiles",
    );
    report.range(
        &[Field("map"), Field("height")],
        map.height,
        MAP_HEIGHT_TILES,
        "tiles",
    );
    if map.spawn.x >= map.width || map.spawn.y >= map.height {
        report.fail(
            &[Field("map"), Field("spawn")],
            "spawn lies outside the map",
        );
    }
    if map.places.is_empty() {
        report.fail(
            &[Field("map"), Field("places")],
            "a map needs at least one place",
        );
    }
    let mut place_ids = HashSet::new();
    for (index, place) in map.places.iter().enumerate() {
        let at = [Field("map"), Field("places"), Index(index)];
        if !crate::ids::is_valid_id(&place.id) {
            report.fail(
                &[&at[..], &[Field("id")]].concat(),
                format!("{:?} is not a valid id", place.id),
            );
        } else if !place_ids.insert(place.id.as_str()) {
            report.fail(
                &[&at[..], &[Field("id")]].concat(),
                format!("place {:?} appears twice", place.id),
            );
        }
        report.text(&[&at[..], &[Field("name")]].concat(), &place.name);
        report.icon(&[&at[..], &[Field("icon")]].concat(), &place.icon);
        if place.width < 2 || place.height < 2 {
            report.fail(
                &[&at[..], &[Field("width")]].concat(),
                "a place is at least 2 by 2 tiles",
            );
        }
        if place.at.x.saturating_add(place.width) > map.width
            || place.at.y.saturating_add(place.height) > map.height
        {
            report.fail(
                &[&at[..], &[Field("at")]].concat(),
                format!("place {:?} reaches outside the map", place.id),
            );
        }
        if covers(place, map.spawn.x, map.spawn.y) {
            report.fail(
                &[Field("map"), Field("spawn")],
                format!("spawn lies inside place {:?}", place.id),
            );
        }
        if let Some(other) = map.places[..index]
            .iter()
            .find(|other| overlap(place, other))
        {
            report.fail(
                &[&at[..], &[Field("at")]].concat(),
                format!("place {:?} overlaps place {:?}", place.id, other.id),
            );
        }
    }
    if roles.is_empty() {
        report.fail(
            &[],
            "no job role names this sector: a world needs people to meet",
        );
    }

    report.ok().then(|| Sector {
        id: SectorId::new(&file.id),
        name: def.name.clone(),
        summary: def.summary.clone(),
        icon: def.icon.clone(),
        colour: def.colour,
        map: def.map.clone(),
        roles,
    })
}

fn covers(place: &Place, x: u32, y: u32) -> bool {
    (place.at.x..place.at.x + place.width).contains(&x)
        && (place.at.y..place.at.y + place.height).contains(&y)
}

fn overlap(a: &Place, b: &Place) -> bool {
    a.at.x < b.at.x + b.width
        && b.at.x < a.at.x + a.width
        && a.at.y < b.at.y + b.height
        && b.at.y < a.at.y + a.height
}

fn check_role(
    file: &Parsed<RoleDef>,
    sectors: &BTreeMap<&str, &SectorDef>,
    problems: &mut Vec<Problem>,
) -> Option<Role> {
    let mut report = Report::new(file, problems);
    let def = &file.def;
    match sectors.get(def.sector.as_str()) {
        None => report.fail(
            &[Field("sector")],
            format!("unknown sector {:?}", def.sector.as_str()),
        ),
        Some(sector) if !sector.map.places.iter().any(|place| place.id == def.place) => report
            .fail(
                &[Field("place")],
                format!(
                    "sector {:?} has no place {:?}",
                    def.sector.as_str(),
                    def.place
                ),
            ),
        Some(_) => {}
    }
    report.text(&[Field("title")], &def.title);
    report.icon(&[Field("icon")], &def.icon);
    report.text(&[Field("what_they_do")], &def.what_they_do);
    report.texts(&[Field("day_in_the_life")], &def.day_in_the_life, 3..=6);
    report.unique(&[Field("skills")], &def.skills, "skill");
    report.unique(&[Field("routes")], &def.routes, "route");
    if def.character.name.trim().is_empty() {
        report.fail(
            &[Field("character"), Field("name")],
            "the character needs a name",
        );
    }
    report.text(&[Field("character"), Field("story")], &def.character.story);

    report.ok().then(|| Role {
        id: RoleId::new(&file.id),
        sector: def.sector.clone(),
        place: def.place.clone(),
        title: def.title.clone(),
        icon: def.icon.clone(),
        what_they_do: def.what_they_do.clone(),
        day_in_the_life: def.day_in_the_life.clone(),
        skills: def.skills.clone(),
        routes: def.routes.clone(),
        character: def.character.clone(),
    })
}

fn check_quest(
    file: &Parsed<QuestDef>,
    roles: &BTreeMap<&str, &RoleDef>,
    problems: &mut Vec<Problem>,
) -> Option<Quest> {
    let mut report = Report::new(file, problems);
    let def = &file.def;
    let giver = roles.get(def.giver.as_str());
    if giver.is_none() {
        report.fail(
            &[Field("giver")],
            format!("unknown role {:?}", def.giver.as_str()),
        );
    }
    report.text(&[Field("title")], &def.title);
    report.unique(&[Field("ages")], &def.ages, "age phase");
    report.unique(&[Field("objectives")], &def.objectives, "objective");
    report.unique(&[Field("skills")], &def.skills, "skill");
    report.text(&[Field("get_ready")], &def.get_ready);
    if !(1..=8).contains(&def.tasks.len()) {
        report.fail(
            &[Field("tasks")],
            format!("a quest has 1 to 8 tasks, not {}", def.tasks.len()),
        );
    }
    for (index, task) in def.tasks.iter().enumerate() {
        check_task(&mut report, &[Field("tasks"), Index(index)], task);
    }
    report.texts(&[Field("debrief")], &def.debrief, 1..=6);
    report.range(
        &[Field("rewards"), Field("minutes")],
        def.rewards.minutes,
        QUEST_MINUTES,
        "minutes",
    );

    let giver = giver?;
    report.ok().then(|| Quest {
        id: QuestId::new(&file.id),
        giver: def.giver.clone(),
        sector: giver.sector.clone(),
        title: def.title.clone(),
        ages: def.ages.clone(),
        objectives: def.objectives.clone(),
        experience: def.experience,
        skills: def.skills.clone(),
        get_ready: def.get_ready.clone(),
        tasks: def.tasks.clone(),
        debrief: def.debrief.clone(),
        rewards: def.rewards.clone(),
    })
}

fn check_task(report: &mut Report<'_>, at: &[Step], task: &Task) {
    let field = |name: &'static str| [at, &[Field("kind"), Field(name)]].concat();
    report.text(&[at, &[Field("prompt")]].concat(), &task.prompt);
    if let Some(explain) = &task.explain {
        report.text(&[at, &[Field("explain")]].concat(), explain);
    }
    match &task.kind {
        TaskKind::ChooseOne { options, answer } => {
            report.choices(&field("options"), options, 2..=6);
            if !options.iter().any(|option| &option.id == answer) {
                report.fail(
                    &field("answer"),
                    format!("answer {answer:?} is not one of the options"),
                );
            }
        }
        TaskKind::ChooseSeveral { options, answers } => {
            report.choices(&field("options"), options, 2..=8);
            report.unique(&field("answers"), answers, "answer");
            for (index, answer) in answers.iter().enumerate() {
                if !options.iter().any(|option| &option.id == answer) {
                    let at = [&field("answers")[..], &[Index(index)]].concat();
                    report.fail(&at, format!("answer {answer:?} is not one of the options"));
                }
            }
        }
        TaskKind::Order { items } => report.choices(&field("items"), items, 2..=8),
        TaskKind::MatchPairs { pairs } => {
            let sides: Vec<Choice> = pairs
                .iter()
                .flat_map(|pair| [pair.left.clone(), pair.right.clone()])
                .collect();
            if !(2..=6).contains(&pairs.len()) {
                report.fail(
                    &field("pairs"),
                    format!("a match task has 2 to 6 pairs, not {}", pairs.len()),
                );
            }
            for (index, pair) in pairs.iter().enumerate() {
                for (side, choice) in [("left", &pair.left), ("right", &pair.right)] {
                    let at = [&field("pairs")[..], &[Index(index), Field(side)]].concat();
                    report.text(&[&at[..], &[Field("text")]].concat(), &choice.text);
                }
            }
            report.unique_ids(&field("pairs"), &sides);
        }
        TaskKind::Sort { groups } => {
            if !(2..=4).contains(&groups.len()) {
                report.fail(
                    &field("groups"),
                    format!("a sort task has 2 to 4 groups, not {}", groups.len()),
                );
            }
            let items: Vec<Choice> = groups
                .iter()
                .flat_map(|group| group.items.iter().cloned())
                .collect();
            if !(4..=12).contains(&items.len()) {
                report.fail(
                    &field("groups"),
                    format!("a sort task has 4 to 12 items in all, not {}", items.len()),
                );
            }
            let group_ids: Vec<&str> = groups.iter().map(|group| group.id.as_str()).collect();
            report.unique(&field("groups"), &group_ids, "group id");
            for (index, group) in groups.iter().enumerate() {
                let at = [&field("groups")[..], &[Index(index)]].concat();
                report.text(&[&at[..], &[Field("label")]].concat(), &group.label);
                if group.items.is_empty() {
                    report.fail(
                        &[&at[..], &[Field("items")]].concat(),
                        "a group needs at least one item",
                    );
                }
                for (item, choice) in group.items.iter().enumerate() {
                    report.text(
                        &[&at[..], &[Field("items"), Index(item), Field("text")]].concat(),
                        &choice.text,
                    );
                }
            }
            report.unique_ids(&field("groups"), &items);
        }
        TaskKind::Number {
            unit,
            answer,
            tolerance,
            min,
            max,
        } => {
            report.text(&field("unit"), unit);
            if ![answer, tolerance, min, max].iter().all(|n| n.is_finite()) {
                report.fail(
                    &field("answer"),
                    "answer, tolerance, min and max must be finite numbers",
                );
            } else if *tolerance < 0.0 {
                report.fail(
                    &field("tolerance"),
                    format!("tolerance {tolerance} is negative"),
                );
            } else if min >= max {
                report.fail(&field("max"), format!("max {max} is not above min {min}"));
            } else if answer < min || answer > max {
                report.fail(
                    &field("answer"),
                    format!("answer {answer} lies outside {min} to {max}"),
                );
            }
        }
        TaskKind::Reflect { min_words } => {
            report.range(&field("min_words"), *min_words, 0..=200, "words");
        }
    }
}

fn check_badge(
    file: &Parsed<BadgeDef>,
    quests: &BTreeSet<&str>,
    problems: &mut Vec<Problem>,
) -> Option<Badge> {
    let mut report = Report::new(file, problems);
    let def = &file.def;
    report.text(&[Field("name")], &def.name);
    report.text(&[Field("description")], &def.description);
    report.text(&[Field("criteria")], &def.criteria);
    report.icon(&[Field("icon")], &def.icon);
    report.unique(&[Field("objectives")], &def.objectives, "objective");
    for (index, rule) in def.rules.iter().enumerate() {
        let at = [Field("rules"), Index(index)];
        let least = match rule {
            Rule::QuestsDone(ids) => {
                if ids.is_empty() {
                    report.fail(&at, "QuestsDone needs at least one quest");
                }
                for id in ids.iter().filter(|id| !quests.contains(id.as_str())) {
                    report.fail(&at, format!("unknown quest {:?}", id.as_str()));
                }
                1
            }
            Rule::AllStamps => 1,
            Rule::QuestCount(n)
            | Rule::StampCount(n)
            | Rule::JobCardCount(n)
            | Rule::ReflectionCount(n)
            | Rule::ChallengeCount(n) => *n,
            Rule::SkillCount(n) => {
                if *n > 12 {
                    report.fail(
                        &at,
                        format!("there are 12 skills, so {n} can never be reached"),
                    );
                }
                *n
            }
        };
        if least == 0 {
            report.fail(&at, "a count of 0 is always met; use 1 or more");
        }
    }
    let mission = def.mission.clone().unwrap_or_default();
    if def.mission.is_some() && mission.len() != 3 {
        report.fail(
            &[Field("mission")],
            format!("a mission has exactly 3 steps, not {}", mission.len()),
        );
    }
    if def.rules.is_empty() && mission.is_empty() {
        report.fail(
            &[Field("rules")],
            "a badge needs at least one rule or a mission",
        );
    }
    for (index, step) in mission.iter().enumerate() {
        let at = [Field("mission"), Index(index)];
        report.text(&[&at[..], &[Field("text")]].concat(), &step.text);
        if let StepCheck::Quest(id) = &step.done_by
            && !quests.contains(id.as_str())
        {
            report.fail(
                &[&at[..], &[Field("done_by")]].concat(),
                format!("unknown quest {:?}", id.as_str()),
            );
        }
    }

    report.ok().then(|| Badge {
        id: BadgeId::new(&file.id),
        name: def.name.clone(),
        description: def.description.clone(),
        criteria: def.criteria.clone(),
        icon: def.icon.clone(),
        objectives: def.objectives.clone(),
        rules: def.rules.clone(),
        mission,
    })
}
