//! Every emoji the content uses has a glyph in egui's default fonts, so no pupil sees an
//! empty box where a picture should be. (Newer emoji, such as a stethoscope or a
//! crane, are missing from those fonts.)

use std::path::Path;

use skrifa::MetadataProvider;
use workworlds_content::defs::{Choice, TaskKind};
use workworlds_content::load_dir;

/// Unicode presentation selectors ask for emoji or text style; fonts need no glyph.
const PRESENTATION_SELECTORS: [char; 2] = ['\u{fe0e}', '\u{fe0f}'];

#[test]
fn every_icon_in_the_content_has_a_glyph() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/data");
    let content = load_dir(&dir).unwrap_or_else(|errors| panic!("{errors}"));
    let fonts = egui_fonts();
    let drawable = |c: char| drawable(&fonts, c);

    let mut icons: Vec<(String, &str)> = Vec::new();
    for sector in content.sectors.values() {
        icons.push((format!("sector {}", sector.id), &sector.icon));
        for place in &sector.map.places {
            icons.push((
                format!("sector {} place {}", sector.id, place.id),
                &place.icon,
            ));
        }
    }
    for role in content.roles.values() {
        icons.push((format!("role {}", role.id), &role.icon));
    }
    for badge in content.badges.values() {
        icons.push((format!("badge {}", badge.id), &badge.icon));
    }
    for quest in content.quests.values() {
        for (index, task) in quest.tasks.iter().enumerate() {
            for choice in choices(&task.kind) {
                if let Some(icon) = &choice.icon {
                    icons.push((
                        format!("quest {} task {index} choice {}", quest.id, choice.id),
                        icon,
                    ));
                }
            }
        }
    }

    let missing: Vec<String> = icons
        .iter()
        .filter(|(_, icon)| !icon.chars().all(drawable))
        .map(|(owner, icon)| {
            format!(
                "{owner}: {icon} ({:?})",
                icon.chars().map(|c| c as u32).collect::<Vec<_>>()
            )
        })
        .collect();
    assert!(icons.len() > 100, "only {} icons found", icons.len());
    assert!(
        missing.is_empty(),
        "icons egui cannot draw:\n{}",
        missing.join("\n")
    );
}

/// The fonts egui draws with by default.
fn egui_fonts() -> Vec<skrifa::FontRef<'static>> {
    [
        epaint_default_fonts::UBUNTU_LIGHT,
        epaint_default_fonts::NOTO_EMOJI_REGULAR,
        epaint_default_fonts::EMOJI_ICON,
    ]
    .into_iter()
    .map(|bytes| skrifa::FontRef::new(bytes).expect("egui's fonts parse"))
    .collect()
}

/// Whether one of `fonts` has a glyph for `c`.
fn drawable(fonts: &[skrifa::FontRef<'_>], c: char) -> bool {
    PRESENTATION_SELECTORS.contains(&c) || fonts.iter().any(|font| font.charmap().map(c).is_some())
}

fn choices(kind: &TaskKind) -> Vec<&Choice> {
    match kind {
        TaskKind::ChooseOne { options, .. } | TaskKind::ChooseSeveral { options, .. } => {
            options.iter().collect()
        }
        TaskKind::Order { items } => items.iter().collect(),
        TaskKind::MatchPairs { pairs } => pairs
            .iter()
            .flat_map(|pair| [&pair.left, &pair.right])
            .collect(),
        TaskKind::Sort { groups } => groups.iter().flat_map(|group| &group.items).collect(),
        TaskKind::Number { .. } | TaskKind::Reflect { .. } => Vec::new(),
    }
}

/// Every character the game's own screens write (its icons, symbols and Welsh
/// letters) has a glyph too: each non-ASCII character in a string of the client's
/// source, outside comments.
#[test]
fn every_character_in_the_games_own_strings_has_a_glyph() {
    let fonts = egui_fonts();
    let drawable = |c: char| drawable(&fonts, c);

    let mut missing = Vec::new();
    let mut checked = 0;
    let mut folders = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            // Tests hold sample data, such as a CSV with the sheet's own tick.
            if path.file_name().is_some_and(|name| name == "tests.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for (number, line) in source.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                let in_strings = code.split('"').skip(1).step_by(2);
                for c in in_strings.flat_map(str::chars).filter(|c| !c.is_ascii()) {
                    checked += 1;
                    if !drawable(c) {
                        missing.push(format!(
                            "{}:{}: {c} (U+{:04X})",
                            path.display(),
                            number + 1,
                            c as u32
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} characters found");
    assert!(
        missing.is_empty(),
        "characters egui cannot draw:\n{}",
        missing.join("\n")
    );
}
