//! How long loading and validating the shipped content folder takes: the server does it
//! at every start and on every `content check`.
//!
//! Run with `cargo bench -p workworlds-content --bench load`.

use std::path::Path;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 50)]
fn load_and_validate_shipped_content() -> workworlds_content::Content {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    workworlds_content::load_dir(divan::black_box(&dir)).expect("the shipped content is valid")
}
