//! Reading a content folder: every file is read and parsed, and every problem of the
//! run is gathered, before validation checks how the files fit together.
//!
//! The folder holds `curriculum.ron` and one folder per kind (`sectors/`, `roles/`,
//! `quests/`, `badges/`), each with one definition per `<id>.ron` file.

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::Content;
use crate::curriculum::CurriculumDef;
use crate::defs::{BadgeDef, QuestDef, RoleDef, SectorDef};
use crate::error::{ContentErrors, Position, Problem};
use crate::ids::is_valid_id;
use crate::validate::validate;

/// The largest content file read, in bytes. The longest starter file is a few
/// kilobytes; anything near this is a mistake, not content.
pub const MAX_FILE_BYTES: u64 = 256 * 1024;

/// The folders of a content folder, one per kind of definition.
pub const KIND_FOLDERS: [&str; 4] = ["sectors", "roles", "quests", "badges"];

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
}

/// Loads and validates the content folder at `dir`.
///
/// On failure the error lists every problem found: each file that would not read or
/// parse, and, when every file parsed, every inconsistency between them.
pub fn load_dir(dir: &Path) -> Result<Content, ContentErrors> {
    let mut problems = Vec::new();
    let folder = parse_folder(dir, &mut problems);
    if !problems.is_empty() {
        return Err(ContentErrors(problems));
    }
    validate(folder)
}

fn parse_folder(dir: &Path, problems: &mut Vec<Problem>) -> ParsedFolder {
    let mut folder = ParsedFolder::default();
    let entries = match list(dir) {
        Ok(entries) => entries,
        Err(problem) => {
            problems.push(problem);
            return folder;
        }
    };
    for path in entries {
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default();
        match name {
            "curriculum.ron" => {
                folder.curriculum = parse_file(&path, "curriculum".into(), problems);
            }
            "sectors" => parse_kind(&path, &mut folder.sectors, problems),
            "roles" => parse_kind(&path, &mut folder.roles, problems),
            "quests" => parse_kind(&path, &mut folder.quests, problems),
            "badges" => parse_kind(&path, &mut folder.badges, problems),
            // TODO: enterprise challenges have no schema yet, so a `challenges/` folder
            // is refused like any other unknown entry and none are counted.
            _ => problems.push(whole_file(
                &path,
                format!(
                    "unexpected entry: a content folder holds curriculum.ron and the folders {}",
                    KIND_FOLDERS.join(", ")
                ),
            )),
        }
    }
    if folder.curriculum.is_none() && !problems.iter().any(|p| p.path.ends_with("curriculum.ron")) {
        problems.push(whole_file(
            &dir.join("curriculum.ron"),
            "missing: every content folder needs one".into(),
        ));
    }
    folder
}

/// Parses every `<id>.ron` file of one kind's folder.
fn parse_kind<Def: DeserializeOwned>(
    dir: &Path,
    parsed: &mut Vec<Parsed<Def>>,
    problems: &mut Vec<Problem>,
) {
    let entries = match list(dir) {
        Ok(entries) => entries,
        Err(problem) => {
            problems.push(problem);
            return;
        }
    };
    for path in entries {
        let id = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or_default()
            .to_owned();
        if path.extension().and_then(|ext| ext.to_str()) != Some("ron") || !path.is_file() {
            problems.push(whole_file(
                &path,
                "unexpected entry: this folder holds only .ron files".into(),
            ));
        } else if !is_valid_id(&id) {
            problems.push(whole_file(
                &path,
                format!(
                    "file name {id:?} is not a valid id: use 1 to 48 lowercase letters, digits \
                     and single hyphens, starting with a letter"
                ),
            ));
        } else if let Some(file) = parse_file(&path, id, problems) {
            parsed.push(file);
        }
    }
}

/// Reads and parses one file, recording any problem.
fn parse_file<Def: DeserializeOwned>(
    path: &Path,
    id: String,
    problems: &mut Vec<Problem>,
) -> Option<Parsed<Def>> {
    let source = match read(path) {
        Ok(source) => source,
        Err(problem) => {
            problems.push(problem);
            return None;
        }
    };
    match parse_str(&source) {
        Ok(def) => Some(Parsed {
            id,
            path: path.to_owned(),
            source,
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

/// The entries of a folder, sorted by name so problems come in a stable order.
fn list(dir: &Path) -> Result<Vec<PathBuf>, Problem> {
    let entries = fs::read_dir(dir)
        .map_err(|error| whole_file(dir, format!("cannot read folder: {error}")))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|error| whole_file(dir, format!("cannot read folder: {error}")))?;
        if !entry.file_name().to_string_lossy().starts_with('.') {
            paths.push(entry.path());
        }
    }
    paths.sort();
    Ok(paths)
}

fn read(path: &Path) -> Result<String, Problem> {
    let size = fs::metadata(path)
        .map_err(|error| whole_file(path, format!("cannot read: {error}")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(whole_file(
            path,
            format!("file is {size} bytes; content files are at most {MAX_FILE_BYTES}"),
        ));
    }
    let bytes =
        fs::read(path).map_err(|error| whole_file(path, format!("cannot read: {error}")))?;
    String::from_utf8(bytes).map_err(|error| {
        let position = crate::locate::position_of(
            &String::from_utf8_lossy(&error.as_bytes()[..error.utf8_error().valid_up_to()]),
            usize::MAX,
        );
        Problem {
            path: path.to_owned(),
            position: Some(position),
            message: "file is not valid UTF-8".into(),
        }
    })
}

fn whole_file(path: &Path, message: String) -> Problem {
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
