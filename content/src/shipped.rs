//! The content this crate was built with, compiled in: the `data/` folder beside it,
//! file for file. The game and the server fall back on it when no content folder is
//! found, so a copy of either on a computer without the source tree still works.

use std::path::{Path, PathBuf};

use crate::{ContentBundle, ContentErrors};

/// The content folder of a checkout of the project, from its top folder.
pub const CHECKOUT_DIR: &str = "content/data";

/// Every shipped file, by its path in the content folder, and its text.
const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/shipped.rs"));

/// The shipped content as a bundle, to load or send like one read from a folder.
pub fn bundle() -> ContentBundle {
    let mut bundle = ContentBundle::default();
    for (name, text) in FILES {
        bundle.insert(*name, *text);
    }
    bundle
}

/// The content a program runs on: the folder `given`, which must be there; else
/// [`CHECKOUT_DIR`] under the working directory when there is one, as in a checkout,
/// where someone writing content sees their changes without building again; else the
/// content built in. Returns the bundle and the folder it was read from, if any.
pub fn folder_or_built_in(
    given: Option<&Path>,
) -> Result<(ContentBundle, Option<PathBuf>), ContentErrors> {
    let checkout = Path::new(CHECKOUT_DIR);
    let dir = match given {
        Some(dir) => dir,
        None if checkout.is_dir() => checkout,
        None => return Ok((bundle(), None)),
    };
    let read = ContentBundle::read_dir(dir)?;
    Ok((read, Some(dir.to_path_buf())))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn the_compiled_in_content_is_the_data_folder_file_for_file() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let on_disk = ContentBundle::read_dir(&dir).unwrap();
        let shipped = bundle();
        assert!(
            shipped.files().count() > 100,
            "every world, role, quest and more"
        );
        assert_eq!(shipped, on_disk);
        assert_eq!(shipped.hash(), on_disk.hash());
    }

    #[test]
    fn a_folder_given_is_read_and_one_missing_is_an_error_not_the_built_in_content() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-folder");
        let errors = folder_or_built_in(Some(&missing)).unwrap_err();
        assert!(errors.to_string().contains("no-such-folder"), "{errors}");

        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let (read, from) = folder_or_built_in(Some(&data)).unwrap();
        assert_eq!(from.as_deref(), Some(data.as_path()));
        assert_eq!(read, bundle());
    }

    #[test]
    fn the_compiled_in_content_loads_and_validates() {
        let content = bundle().load().unwrap();
        assert!(content.sectors.len() >= 8);
        assert!(!content.challenges.is_empty());
    }
}
