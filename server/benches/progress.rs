//! What a pupil's progress costs the server: gathering a demo pupil's portfolio from the
//! store (done for every portfolio request), judging every badge against it (done after
//! each answer or reflection of a pupil with a pupil code), and making the whole demo
//! class.
//!
//! Run with `cargo bench -p workworlds-server --bench progress`.

use std::sync::OnceLock;

use workworlds_content::{Content, load_dir};
use workworlds_protocol::ids::PupilCode;
use workworlds_server::demo;
use workworlds_server::progress::badges::award_new;
use workworlds_server::progress::{Holder, portfolio};
use workworlds_server::store::{Store, unix_ms_now};

fn main() {
    divan::main();
}

fn content() -> &'static Content {
    static CONTENT: OnceLock<Content> = OnceLock::new();
    CONTENT.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/data");
        load_dir(&dir).expect("the shipped content is valid")
    })
}

/// A store holding the demo class, and the first demo pupil's code.
fn demo_store() -> (tempfile::TempDir, Store, PupilCode) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut store = Store::open(dir.path()).expect("a store");
    let made = demo::fill(&mut store, content(), unix_ms_now()).expect("the demo");
    (dir, store, made.pupils[0].clone())
}

#[divan::bench(sample_count = 50)]
fn gather_a_pupils_portfolio(bencher: divan::Bencher) {
    let (_dir, store, code) = demo_store();
    let holder = Holder::Record(code);
    bencher.bench_local(|| portfolio(&store, content(), divan::black_box(&holder)));
}

#[divan::bench(sample_count = 50)]
fn judge_every_badge_for_a_pupil(bencher: divan::Bencher) {
    let (_dir, mut store, code) = demo_store();
    bencher.bench_local(|| award_new(&mut store, content(), divan::black_box(&code), 0));
}

#[divan::bench(sample_count = 10)]
fn make_the_demo_class(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| tempfile::tempdir().expect("a temporary folder"))
        .bench_local_values(|dir| {
            let mut store = Store::open(dir.path()).expect("a store");
            demo::fill(&mut store, content(), unix_ms_now()).expect("the demo");
        });
}
