//! A content folder as one value: every file's text by its path in the folder. The
//! server reads its folder into a bundle, checks it, and sends it to clients whose
//! cached copy has another hash, so content written on the server reaches every screen
//! without copying files. A bundle that arrives over the network is loaded with exactly
//! the checks a folder on disk gets.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Content;
use crate::error::{ContentErrors, Position, Problem};
use crate::load::{KIND_FOLDERS, MAX_FILE_BYTES, load_bundle, unexpected_top_level, whole_file};

/// The most bytes of text a bundle may hold in all: many times the shipped content, and
/// a bound on what a client accepts from a server.
pub const MAX_BUNDLE_BYTES: usize = 16 * 1024 * 1024;

/// Every file of a content folder, by path with `/` between folder and file name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentBundle {
    files: BTreeMap<String, String>,
}

impl ContentBundle {
    /// Reads the folder at `dir`. Problems with the folder itself (unreadable entries,
    /// stray folders, files too large or not UTF-8) are returned with the bundle of
    /// everything that could be read.
    pub fn read_dir(dir: &Path) -> Result<ContentBundle, ContentErrors> {
        let mut problems = Vec::new();
        let bundle = ContentBundle::read_dir_into(dir, &mut problems);
        if problems.is_empty() {
            Ok(bundle)
        } else {
            Err(ContentErrors(problems))
        }
    }

    pub(crate) fn read_dir_into(dir: &Path, problems: &mut Vec<Problem>) -> ContentBundle {
        let mut bundle = ContentBundle::default();
        let Some(entries) = list(dir, problems) else {
            return bundle;
        };
        for (name, path) in entries {
            if name == "curriculum.ron" {
                bundle.insert_file(name, &path, problems);
            } else if KIND_FOLDERS.contains(&name.as_str()) && path.is_dir() {
                for (file, file_path) in list(&path, problems).unwrap_or_default() {
                    if file_path.is_file() {
                        bundle.insert_file(format!("{name}/{file}"), &file_path, problems);
                    } else {
                        problems.push(whole_file(
                            &file_path,
                            "unexpected entry: this folder holds only .ron files".into(),
                        ));
                    }
                }
            } else {
                problems.push(whole_file(&path, unexpected_top_level()));
            }
        }
        bundle
    }

    /// Loads and validates the bundle; problems name files by their path in the bundle.
    pub fn load(&self) -> Result<Content, ContentErrors> {
        self.load_at(Path::new(""))
    }

    /// Loads and validates the bundle read from `dir`, naming files by their path there.
    pub fn load_at(&self, dir: &Path) -> Result<Content, ContentErrors> {
        if self.size() > MAX_BUNDLE_BYTES {
            let message = format!("the content holds more than {MAX_BUNDLE_BYTES} bytes");
            return Err(ContentErrors(vec![whole_file(dir, message)]));
        }
        load_bundle(self, dir, Vec::new())
    }

    /// The SHA-256 of the bundle's paths and texts, which a client sends to say which
    /// content it has cached.
    pub fn hash(&self) -> [u8; 32] {
        let mut hasher = Sha256::new();
        for (name, text) in &self.files {
            // Lengths first, so no two different bundles feed the hash the same bytes.
            hasher.update((name.len() as u64).to_le_bytes());
            hasher.update(name.as_bytes());
            hasher.update((text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        hasher.finalize().into()
    }

    /// The files, in path order.
    pub fn files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str()))
    }

    /// Bytes of text in all files.
    pub fn size(&self) -> usize {
        self.files
            .iter()
            .map(|(name, text)| name.len() + text.len())
            .sum()
    }

    /// Adds or replaces a file: for tests and tools that build bundles in memory.
    pub fn insert(&mut self, name: impl Into<String>, text: impl Into<String>) {
        self.files.insert(name.into(), text.into());
    }

    fn insert_file(&mut self, name: String, path: &Path, problems: &mut Vec<Problem>) {
        match read(path) {
            Ok(text) => {
                self.files.insert(name, text);
            }
            Err(problem) => problems.push(problem),
        }
    }
}

/// The entries of a folder, sorted by name, leaving out hidden ones.
fn list(dir: &Path, problems: &mut Vec<Problem>) -> Option<Vec<(String, std::path::PathBuf)>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            problems.push(whole_file(dir, format!("cannot read folder: {error}")));
            return None;
        }
    };
    let mut listed = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.starts_with('.') {
                    listed.push((name, entry.path()));
                }
            }
            Err(error) => problems.push(whole_file(dir, format!("cannot read folder: {error}"))),
        }
    }
    listed.sort();
    Some(listed)
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
        let valid = String::from_utf8_lossy(&error.as_bytes()[..error.utf8_error().valid_up_to()])
            .into_owned();
        let position: Position = crate::locate::position_of(&valid, valid.len());
        Problem {
            path: path.to_owned(),
            position: Some(position),
            message: "file is not valid UTF-8".into(),
        }
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn shipped() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
    }

    #[test]
    fn a_bundle_loads_the_same_content_as_its_folder() {
        let bundle = ContentBundle::read_dir(&shipped()).unwrap();
        let from_bundle = bundle.load().unwrap();
        let from_folder = crate::load_dir(&shipped()).unwrap();
        assert_eq!(from_bundle.quests.len(), from_folder.quests.len());
        assert_eq!(
            from_bundle.roles.keys().collect::<Vec<_>>(),
            from_folder.roles.keys().collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_hash_changes_with_any_file() {
        let bundle = ContentBundle::read_dir(&shipped()).unwrap();
        let mut changed = bundle.clone();
        changed.insert("badges/new.ron", "()");
        assert_ne!(bundle.hash(), changed.hash());
        assert_eq!(
            bundle.hash(),
            ContentBundle::read_dir(&shipped()).unwrap().hash()
        );
    }

    #[test]
    fn a_bundle_from_elsewhere_gets_every_check() {
        let mut bundle = ContentBundle::read_dir(&shipped()).unwrap();
        bundle.insert("quests/../../etc/passwd", "()");
        bundle.insert("secrets.txt", "hello");
        let problems = bundle.load().unwrap_err().0;
        let text: Vec<String> = problems.iter().map(Problem::to_string).collect();
        assert_eq!(text.len(), 2, "{text:#?}");
        assert!(
            text[0].starts_with("quests/../../etc/passwd: unexpected entry"),
            "{text:#?}"
        );
        assert!(
            text[1].starts_with("secrets.txt: unexpected entry"),
            "{text:#?}"
        );
    }
}
