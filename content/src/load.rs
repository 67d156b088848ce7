//! Reading a content folder: every file is read and parsed, and every problem of the
//! run is gathered, before validation checks how the files fit together.
//!
//! The folder holds `curriculum.ron` and one folder per kind (`sectors/`, `roles/`,
//! `quests/`, `badges/`, `challenges/`), each with one definition per `<id>.ron` file.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::Content;
use crate::bundle::ContentBundle;
use crate::challenge::ChallengeDef;
use crate::curriculum::CurriculumDef;
use crate::defs::{BadgeDef, QuestDef, RoleDef, SectorDef};
use crate::error::{ContentErrors, Position, Problem};
use crate::ids::is_valid_id;
use crate::validate::validate;

/// The largest content file read, in bytes. The longest starter file is a few
/// kilobytes; anything near this is a mistake, not content.
pub const MAX_FILE_BYTES: u64 = 256 * 1024;

/// The folders of a content folder, one per kind of definition.
pub const KIND_FOLDERS: [&str; 5] = ["sectors", "roles", "quests", "badges", "challenges"];

/// A file that parsed, with what validation needs to point back into it.
#[derive(Debug)]
pub(crate) struct Parsed<Def> {
    /// The id, from the file name.
    pub(crate) id: String,
    pub(crate) path: PathBuf,
    pub(crate) source: String,
    pub(crate) def: Def,
}

/// Every file of a folder that parsed, by kind.
#[derive(Debug, Default)]
pub(crate) struct ParsedFolder {
    pub(crate) curriculum: Option<Parsed<CurriculumDef>>,
    pub(crate) sectors: Vec<Parsed<SectorDef>>,
    pub(crate) roles: Vec<Parsed<RoleDef>>,
    pub(crate) quests: Vec<Parsed<QuestDef>>,
    pub(crate) badges: Vec<Parsed<BadgeDef>>,
    pub(crate) challenges: Vec<Parsed<ChallengeDef>>,
}

/// Loads and validates the content folder at `dir`.
///
/// On failure the error lists every problem found: each file that would not read or
/// parse, and, when every file parsed, every inconsistency between them.
pub fn load_dir(dir: &Path) -> Result<Content, ContentErrors> {
    let mut problems = Vec::new();
    let bundle = ContentBundle::read_dir_into(dir, &mut problems);
    load_bundle(&bundle, dir, problems)
}

/// Loads and validates a bundle, naming files by their path under `base`.
pub(crate) fn load_bundle(
    bundle: &ContentBundle,
    base: &Path,
    mut problems: Vec<Problem>,
) -> Result<Content, ContentErrors> {
    let folder = parse_bundle(bundle, base, &mut problems);
    if !problems.is_empty() {
        problems.sort_by(|a, b| (&a.path, a.position).cmp(&(&b.path, b.position)));
        return Err(ContentErrors(problems));
    }
    validate(folder)
}

/// Parses every file of a bundle, checking each name fits the layout.
fn parse_bundle(bundle: &ContentBundle, base: &Path, problems: &mut Vec<Problem>) -> ParsedFolder {
    let mut folder = ParsedFolder::default();
    for (name, source) in bundle.files() {
        let path = base.join(name);
        if name == "curriculum.ron" {
            folder.curriculum = parse_file(&path, "curriculum".into(), source, problems);
            continue;
        }
        let Some((kind, file)) = name
            .split_once('/')
            .filter(|(kind, _)| KIND_FOLDERS.contains(kind))
        else {
            problems.push(whole_file(&path, unexpected_top_level()));
            continue;
        };
        let Some(id) = file.strip_suffix(".ron").filter(|id| !id.contains('/')) else {
            problems.push(whole_file(
                &path,
                "unexpected entry: this folder holds only .ron files".into(),
            ));
            continue;
        };
        if !is_valid_id(id) {
            problems.push(whole_file(
                &path,
                format!(
                    "file name {id:?} is not a valid id: use 1 to 48 lowercase letters, digits \
                     and single hyphens, starting with a letter"
                ),
            ));
            continue;
        }
        let id = id.to_owned();
        match kind {
            "sectors" => folder
                .sectors
                .extend(parse_file(&path, id, source, problems)),
            "roles" => folder.roles.extend(parse_file(&path, id, source, problems)),
            "quests" => folder
                .quests
                .extend(parse_file(&path, id, source, problems)),
            "badges" => folder
                .badges
                .extend(parse_file(&path, id, source, problems)),
            _ => folder
                .challenges
                .extend(parse_file(&path, id, source, problems)),
        }
    }
    if folder.curriculum.is_none() && !problems.iter().any(|p| p.path.ends_with("curriculum.ron")) {
        problems.push(whole_file(
            &base.join("curriculum.ron"),
            "missing: every content folder needs one".into(),
        ));
    }
    folder
}

/// What is said of an entry that has no place in a content folder.
pub(crate) fn unexpected_top_level() -> String {
    format!(
        "unexpected entry: a content folder holds curriculum.ron and the folders {}",
        KIND_FOLDERS.join(", ")
    )
}

/// Parses one file's source, recording any problem.
fn parse_file<Def: DeserializeOwned>(
    path: &Path,
    id: String,
    source: &str,
    problems: &mut Vec<Problem>,
) -> Option<Parsed<Def>> {
    match parse_str(source) {
        Ok(def) => Some(Parsed {
            id,
            path: path.to_owned(),
            source: source.to_owned(),
            def,
        }),
        Err((position, message)) => {
            problems.push(Problem {
                path: path.to_owned(),
                position: Some(position),
                message,
            });
            None
        }
    }
}

/// Parses RON source, naming the field path and position of the first error.
pub(crate) fn parse_str<Def: DeserializeOwned>(source: &str) -> Result<Def, (Position, String)> {
    let spanned = |error: ron::error::SpannedError, field: Option<String>| {
        let start = error.span.start;
        // RON places some errors on the blank before the value; point at the value.
        let position = crate::locate::skip_blank_from(
            source,
            Position {
                line: start.line,
                column: start.col,
            },
        );
        let message = lowercase_first(&error.code.to_string());
        match field {
            Some(field) => (position, format!("{field}: {message}")),
            None => (position, message),
        }
    };
    let mut deserializer =
        ron::Deserializer::from_str(source).map_err(|error| spanned(error, None))?;
    let mut track = serde_path_to_error::Track::new();
    let tracked = serde_path_to_error::Deserializer::new(&mut deserializer, &mut track);
    let def = match Def::deserialize(tracked) {
        Ok(def) => def,
        Err(error) => {
            let path = track.path().to_string();
            let field = (path != ".").then_some(path);
            return Err(spanned(deserializer.span_error(error), field));
        }
    };
    deserializer
        .end()
        .map_err(|error| spanned(deserializer.span_error(error), None))?;
    Ok(def)
}

pub(crate) fn whole_file(path: &Path, message: String) -> Problem {
    Problem {
        path: path.to_owned(),
        position: None,
        message,
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
