//! How long the server takes to simulate one team's round of a challenge: at the end
//! of every round it does this for every team of every class session it runs.
//!
//! Run with `cargo bench -p workworlds-challenge --bench simulate`.

use std::path::Path;

use workworlds_challenge::{Decisions, TeamState};
use workworlds_content::{Challenge, load_dir};

fn main() {
    divan::main();
}

fn challenge(id: &str) -> Challenge {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/data");
    let content = load_dir(&dir).expect("the shipped content is valid");
    content.challenges[id].clone()
}

/// One team-round, from a team's state halfway through with fresh decisions.
#[divan::bench(args = ["seaside-cafe", "bakery-net-zero"])]
fn one_team_round(bencher: divan::Bencher, id: &str) {
    let challenge = challenge(id);
    let mut state = TeamState::start(&challenge);
    for _ in 0..challenge.rounds / 2 {
        state
            .play(&challenge, 7, 0, &Decisions::none())
            .expect("defaults are accepted");
    }
    let price = challenge.decisions[0].id.clone();
    let decisions = Decisions::none().with(&price, challenge.decisions[0].max);
    bencher.bench_local(|| {
        let mut state = state.clone();
        state.play(
            &challenge,
            divan::black_box(7),
            1,
            divan::black_box(&decisions),
        )
    });
}
