//! Helpers shared by the crate's unit tests.

use std::path::Path;
use std::sync::OnceLock;

use workworlds_content::{Content, load_dir};

/// The shipped content, loaded once for every test that needs it.
pub(crate) fn shipped_content() -> &'static Content {
    static CONTENT: OnceLock<Content> = OnceLock::new();
    CONTENT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/data");
        load_dir(&dir).unwrap_or_else(|errors| panic!("{errors}"))
    })
}
