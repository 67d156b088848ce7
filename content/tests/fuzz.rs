//! Bounded fuzz loops over content loading: the shipped RON files under `data/`, mutated
//! at random (bytes deleted, inserted or replaced, files truncated, lines duplicated,
//! huge numbers, deep nesting, invalid UTF-8), always load to a `Result`. Loading never
//! panics, nesting thousands deep never overflows the stack, and every problem reported
//! for a file carries a `path:line:column` position that lies inside that file.
//!
//! Each loop runs a fixed number of iterations from a fixed seed, so a failure replays.
//! `WORKWORLDS_FUZZ_ITERATIONS` sets the number of iterations of every loop and
//! `WORKWORLDS_FUZZ_SEED` the seed (decimal or `0x` hex). A failing loop prints its seed,
//! iteration and mutations, and writes the input that failed to a temporary file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use workworlds_content::{Content, ContentBundle, ContentErrors, Problem, load_dir};

/// Iterations of the in-memory mutation loop when `WORKWORLDS_FUZZ_ITERATIONS` is unset.
const MUTATION_ITERATIONS: u64 = 3000;
/// Iterations of the loop through a folder on disk, which is slower per iteration.
const INVALID_UTF8_ITERATIONS: u64 = 400;
/// The seed used when `WORKWORLDS_FUZZ_SEED` is unset.
const DEFAULT_SEED: u64 = 0x5745_4c53_4820_4a4f;
/// How many times an opening bracket is repeated to test deep nesting.
const DEEP: usize = 10_000;
/// One in this many mutation iterations loads the whole shipped bundle, so the mutated
/// file is validated against all the others; the rest load it with the curriculum only.
const WHOLE_BUNDLE_EVERY: u64 = 10;

/// SplitMix64: a tiny, seedable generator, so a failing run replays exactly.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`; `bound` must not be 0.
    fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }

    /// A number in `range`, inclusive.
    fn within(&mut self, range: std::ops::RangeInclusive<usize>) -> usize {
        range.start() + self.below(range.end() - range.start() + 1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn byte(&mut self) -> u8 {
        self.next_u64() as u8
    }
}

/// One fuzz loop's settings, and what it is doing now. If the test panics, dropping
/// this prints how to replay the failure and saves the input that caused it.
struct FuzzRun {
    name: &'static str,
    seed: u64,
    iterations: u64,
    iteration: u64,
    case: String,
    input: Vec<u8>,
}

impl FuzzRun {
    fn start(name: &'static str, default_iterations: u64) -> FuzzRun {
        FuzzRun {
            name,
            seed: env_number("WORKWORLDS_FUZZ_SEED").unwrap_or(DEFAULT_SEED),
            iterations: env_number("WORKWORLDS_FUZZ_ITERATIONS").unwrap_or(default_iterations),
            iteration: 0,
            case: String::new(),
            input: Vec::new(),
        }
    }

    /// A generator for this run's seed, distinct per loop so loops do not mirror each
    /// other.
    fn rng(&self) -> Rng {
        let mut salt = Rng(self.name.bytes().fold(0, |hash, b| {
            hash.wrapping_mul(31).wrapping_add(u64::from(b))
        }));
        Rng(self.seed ^ salt.next_u64())
    }

    /// Records the case about to be tried, for the report if it fails.
    fn trying(&mut self, iteration: u64, case: String, input: &[u8]) {
        self.iteration = iteration;
        self.case = case;
        self.input.clear();
        self.input.extend_from_slice(input);
    }
}

impl Drop for FuzzRun {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            return;
        }
        let saved = std::env::temp_dir().join(format!(
            "workworlds-fuzz-{}-{:x}-{}.ron",
            self.name, self.seed, self.iteration
        ));
        let saved = match std::fs::write(&saved, &self.input) {
            Ok(()) => saved.display().to_string(),
            Err(error) => format!("(not saved: {error})"),
        };
        eprintln!(
            "fuzz loop {} failed at iteration {} with seed {:#x} \
             (replay with WORKWORLDS_FUZZ_SEED={:#x}); case: {}; input: {}",
            self.name, self.iteration, self.seed, self.seed, self.case, saved
        );
    }
}

/// A number from the environment, decimal or `0x` hex; a malformed one fails the test
/// rather than being silently ignored.
fn env_number(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    let text = text.trim();
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    Some(parsed.unwrap_or_else(|error| panic!("{name}={text:?} is not a number: {error}")))
}

fn shipped_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// The shipped content as path → text.
fn shipped_files() -> BTreeMap<String, String> {
    let bundle = ContentBundle::read_dir(&shipped_dir()).expect("the shipped content reads");
    bundle
        .files()
        .map(|(name, text)| (name.to_owned(), text.to_owned()))
        .collect()
}

/// A bundle of the curriculum and `name` holding `text`.
fn small_bundle(shipped: &BTreeMap<String, String>, name: &str, text: &str) -> ContentBundle {
    let mut bundle = ContentBundle::default();
    bundle.insert("curriculum.ron", shipped["curriculum.ron"].clone());
    bundle.insert(name, text);
    bundle
}

/// Every shipped file with `name` holding `text` instead.
fn whole_bundle(shipped: &BTreeMap<String, String>, name: &str, text: &str) -> ContentBundle {
    let mut bundle = ContentBundle::default();
    for (path, shipped_text) in shipped {
        bundle.insert(path.as_str(), shipped_text.as_str());
    }
    bundle.insert(name, text);
    bundle
}

/// Checks what loading gave: content, or problems each naming a file of the bundle at
/// a line and column inside it, displayed as `path:line:column: message`.
fn check_outcome(outcome: Result<Content, ContentErrors>, files: &BTreeMap<&str, &str>) {
    let Err(ContentErrors(problems)) = outcome else {
        return;
    };
    assert!(!problems.is_empty(), "an error with no problem in it");
    for problem in &problems {
        let name = problem.path.to_str().expect("bundle paths are UTF-8");
        let text = files
            .get(name)
            .unwrap_or_else(|| panic!("problem names a file not in the bundle: {problem}"));
        check_position(problem, text);
    }
}

/// Checks that `problem` has a position inside `text` and displays it after the path.
fn check_position(problem: &Problem, text: &str) {
    let position = problem
        .position
        .unwrap_or_else(|| panic!("problem has no line and column: {problem}"));
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        (1..=lines.len()).contains(&position.line),
        "line {} is outside the file's {} lines: {problem}",
        position.line,
        lines.len()
    );
    let line_chars = lines[position.line - 1].chars().count();
    assert!(
        (1..=line_chars + 1).contains(&position.column),
        "column {} is outside line {} of {line_chars} characters: {problem}",
        position.column,
        position.line
    );
    let prefix = format!(
        "{}:{}:{}: ",
        problem.path.display(),
        position.line,
        position.column
    );
    let shown = problem.to_string();
    assert!(
        shown.starts_with(&prefix) && shown.len() > prefix.len(),
        "{shown:?} does not start with {prefix:?} followed by a message"
    );
}

/// Loads `bundle` and checks the outcome.
fn load_and_check(bundle: &ContentBundle) {
    let files: BTreeMap<&str, &str> = bundle.files().collect();
    check_outcome(bundle.load(), &files);
}

/// Literals at or past the edge of every numeric type the schema uses.
const EXTREME_NUMBERS: &[&str] = &[
    "99999999999999999999999999999999999999999999",
    "-99999999999999999999999999999999999999999999",
    "4294967296",
    "18446744073709551616",
    "-1",
    "-0",
    "1e400",
    "-1e400",
    "1e-400",
    "NaN",
    "inf",
    "-inf",
    "0x7fffffffffffffffffff",
    "0b",
    "1.7976931348623157e308",
    "340282366920938463463374607431768211456",
    "1_000_000_000_000_000_000_000",
    ".",
    "1e",
    "--1",
];

/// What deep nesting is built from: brackets of every kind RON has, `Some(`, a
/// struct name, and block comments, which nest in RON.
const OPENERS: &[&str] = &["(", "[", "{", "Some(", "A(", "/*", "(x:"];

/// Tokens of RON, for insertions that get past the lexer.
const RON_TOKENS: &[&str] = &[
    "(", ")", "[", "]", "{", "}", ",", ":", "\"", "'", "r#\"", "\"#", "//", "/*", "*/", "\n",
    "Some(", "None", "true", "false", "()", "[]", "\"\"", "en:", "cy:", "id:", "\\", "\\u{",
    "\u{feff}", "\r", "\0", "é", "🍞", "\u{301}",
];

/// Longer pieces of RON that change how the rest of a file is read.
const RON_SNIPPETS: &[&str] = &[
    "#![enable(implicit_some)]",
    "#![enable(unwrap_newtypes)]",
    "#![enable(unwrap_variant_newtypes)]",
    "b\"\\xff\"",
    "'\\u{110000}'",
    "\"\\u{d800}\"",
    "r##\"unclosed",
];

/// A random token or snippet of RON.
fn ron_fragment(rng: &mut Rng) -> &'static [u8] {
    if rng.below(4) == 0 {
        rng.pick(RON_SNIPPETS).as_bytes()
    } else {
        rng.pick(RON_TOKENS).as_bytes()
    }
}

/// One random change to `text`, named for the failure report.
fn mutate(rng: &mut Rng, text: &mut Vec<u8>, donor: &[u8]) -> &'static str {
    let at = rng.below(text.len() + 1);
    let span = rng.within(1..=16).min(text.len() - at);
    match rng.below(12) {
        0 => {
            text.drain(at..at + span);
            "delete bytes"
        }
        1 => {
            let bytes: Vec<u8> = (0..rng.within(1..=8)).map(|_| rng.byte()).collect();
            text.splice(at..at, bytes);
            "insert random bytes"
        }
        2 => {
            for byte in &mut text[at..at + span] {
                *byte = rng.byte();
            }
            "replace bytes"
        }
        3 => {
            let fragment = ron_fragment(rng);
            text.splice(at..at, fragment.iter().copied());
            "insert a RON fragment"
        }
        4 => {
            text.truncate(at);
            "truncate"
        }
        5 => {
            let (start, end) = line_around(text, at);
            let line = text[start..end].to_vec();
            text.splice(end..end, line);
            "duplicate a line"
        }
        6 => {
            let (start, end) = line_around(text, at);
            text.drain(start..end);
            "delete a line"
        }
        7 => {
            let opener = rng.pick(OPENERS).as_bytes();
            let depth = *rng.pick(&[2, 127, 128, 129, 1000, DEEP]);
            text.splice(at..at, opener.repeat(depth));
            "insert deep nesting"
        }
        8 => {
            let number = rng.pick(EXTREME_NUMBERS).as_bytes();
            replace_next_number(text, at, number);
            "replace a number with an extreme one"
        }
        9 => {
            // A piece of another file: valid RON in the wrong place.
            let from = rng.below(donor.len() + 1);
            let piece = &donor[from..(from + rng.within(1..=200)).min(donor.len())];
            text.splice(at..at, piece.iter().copied());
            "splice in part of another file"
        }
        10 => {
            let (start, end) = line_around(text, at);
            let other = rng.below(text.len() + 1);
            let (other_start, other_end) = line_around(text, other);
            if end <= other_start || other_end <= start {
                let (first, second) = if start < other_start {
                    ((start, end), (other_start, other_end))
                } else {
                    ((other_start, other_end), (start, end))
                };
                let first_line = text[first.0..first.1].to_vec();
                let second_line = text[second.0..second.1].to_vec();
                text.splice(second.0..second.1, first_line);
                text.splice(first.0..first.1, second_line);
            }
            "swap two lines"
        }
        _ => {
            let fragment = ron_fragment(rng);
            text.splice(at..at + span, fragment.iter().copied());
            "replace bytes with a RON fragment"
        }
    }
}

/// The line (with its newline) containing byte `at`.
fn line_around(text: &[u8], at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let start = text[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |newline| newline + 1);
    let end = text[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |newline| at + newline + 1);
    (start, end)
}

/// Replaces the first run of digits at or after `at` with `number`, or inserts
/// `number` at `at` when there is none.
fn replace_next_number(text: &mut Vec<u8>, at: usize, number: &[u8]) {
    let start = text[at..]
        .iter()
        .position(u8::is_ascii_digit)
        .map_or(at, |offset| at + offset);
    let end = text[start..]
        .iter()
        .position(|b| !(b.is_ascii_digit() || *b == b'.'))
        .map_or(text.len(), |offset| start + offset);
    text.splice(start..end, number.iter().copied());
}

/// Applies one to four mutations to `original`, returning the result and their names.
fn mutated(rng: &mut Rng, original: &str, donor: &str) -> (Vec<u8>, Vec<&'static str>) {
    let mut text = original.as_bytes().to_vec();
    let mutations = (0..rng.within(1..=4))
        .map(|_| mutate(rng, &mut text, donor.as_bytes()))
        .collect();
    (text, mutations)
}

/// Checks the premise of every loop: unmutated, the shipped content loads.
#[test]
fn the_shipped_content_loads_unmutated() {
    let shipped = shipped_files();
    let bundle = whole_bundle(&shipped, "curriculum.ron", &shipped["curriculum.ron"]);
    if let Err(errors) = bundle.load() {
        panic!("the shipped content does not load:\n{errors}");
    }
}

/// Random mutations of each shipped file, loaded from memory: never a panic, every
/// problem placed inside its file.
#[test]
fn mutated_files_give_positioned_problems_not_panics() {
    let shipped = shipped_files();
    let names: Vec<&String> = shipped.keys().collect();
    let mut run = FuzzRun::start("mutated-files", MUTATION_ITERATIONS);
    let mut rng = run.rng();
    for iteration in 0..run.iterations {
        let name = *rng.pick(&names);
        let donor = &shipped[*rng.pick(&names)];
        let (text, mutations) = mutated(&mut rng, &shipped[name], donor);
        // The loader takes text; bytes that are not UTF-8 go through a folder below.
        let text = match String::from_utf8(text) {
            Ok(text) => text,
            Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
        };
        let whole = iteration % WHOLE_BUNDLE_EVERY == 0;
        run.trying(
            iteration,
            format!(
                "{name} ({} bundle): {mutations:?}",
                if whole { "whole" } else { "small" }
            ),
            text.as_bytes(),
        );
        let bundle = if whole {
            whole_bundle(&shipped, name, &text)
        } else {
            small_bundle(&shipped, name, &text)
        };
        load_and_check(&bundle);
    }
}

/// Files of bytes that are not UTF-8, read from a folder on disk: the problem is placed
/// at the first bad byte, and nothing panics.
#[test]
fn invalid_utf8_is_placed_at_the_first_bad_byte() {
    // Each is invalid wherever it lands: a sequence cut short is followed by a space and
    // a lone continuation byte follows one, so the bytes around them (which earlier
    // mutations may have made anything) can never complete them into a character.
    const BAD_BYTES: &[&[u8]] = &[
        b"\xff",
        b"\xc3 ",
        b"\xe2\x82 ",
        b"\xf0\x9f\x8d ",
        b"\xed\xa0\x80",
        b"\xc0\x80",
        b" \x80",
        b"\xf8\x88\x80\x80\x80",
    ];
    let shipped = shipped_files();
    let names: Vec<&String> = shipped.keys().collect();
    let folder = tempfile::tempdir().expect("a temporary folder");
    let mut run = FuzzRun::start("invalid-utf8", INVALID_UTF8_ITERATIONS);
    let mut rng = run.rng();
    for iteration in 0..run.iterations {
        let name = *rng.pick(&names);
        let (mut text, mutations) = mutated(&mut rng, &shipped[name], &shipped[name]);
        let at = rng.below(text.len() + 1);
        let bad = *rng.pick(BAD_BYTES);
        text.splice(at..at, bad.iter().copied());
        run.trying(
            iteration,
            format!("{name}: {mutations:?}, then {bad:02x?} at byte {at}"),
            &text,
        );

        let dir = folder.path().join(iteration.to_string());
        write_file(
            &dir.join("curriculum.ron"),
            shipped["curriculum.ron"].as_bytes(),
        );
        let path = dir.join(name);
        write_file(&path, &text);
        let problems = load_dir(&dir)
            .map(|_| ())
            .expect_err("a file that is not UTF-8 loads")
            .0;

        let valid_up_to = std::str::from_utf8(&text).unwrap_err().valid_up_to();
        let before = std::str::from_utf8(&text[..valid_up_to]).expect("valid up to there");
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        let expected = format!(
            "{}:{line}:{column}: file is not valid UTF-8",
            path.display()
        );
        let shown: Vec<String> = problems.iter().map(Problem::to_string).collect();
        assert!(
            shown.contains(&expected),
            "expected {expected:?} among {shown:#?}"
        );
        std::fs::remove_dir_all(&dir).expect("the folder is removed");
    }
}

fn write_file(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("a file has a folder")).expect("a folder");
    std::fs::write(path, bytes).expect("the file is written");
}

/// Where deep nesting is inserted in a file: its start, its end, and up to this many
/// places spread over it just after a `:`, `(` or `[`, where a value begins.
const NESTING_PLACES: usize = 24;

/// The bytes just after a `:`, `(` or `[` at which a value begins, thinned out evenly
/// to at most `NESTING_PLACES`, with the start and end of the text.
fn value_starts(text: &str) -> Vec<usize> {
    let all: Vec<usize> = text
        .match_indices([':', '(', '['])
        .map(|(at, found)| at + found.len())
        .collect();
    let step = all.len().div_ceil(NESTING_PLACES).max(1);
    let mut places: Vec<usize> = all.into_iter().step_by(step).collect();
    places.extend([0, text.len()]);
    places
}

/// The closing counterpart of an opener from `OPENERS`, such as `))` for `Some((`.
fn closer_of(opener: &str) -> String {
    opener
        .chars()
        .rev()
        .filter_map(|c| match c {
            '(' => Some(')'),
            '[' => Some(']'),
            '{' => Some('}'),
            '*' => Some('/'),
            '/' => Some('*'),
            _ => None,
        })
        .collect()
}

/// One file of each kind with brackets, `Some(`s and block comments nested thousands
/// deep at its start, its end and where values begin: refused with a position (or, for
/// balanced comments, loaded), without overflowing the test thread's stack. Unclosed
/// and balanced nesting are both tried.
#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let shipped = shipped_files();
    let mut samples: Vec<&String> = Vec::new();
    for kind in ["curriculum", "sectors/", "roles/", "quests/", "badges/"] {
        samples.extend(shipped.keys().find(|name| name.starts_with(kind)));
    }
    let mut run = FuzzRun::start("deep-nesting", 1);
    let mut case = 0;
    for name in samples {
        let original = &shipped[name];
        for at in value_starts(original) {
            for opener in OPENERS {
                let unclosed = opener.repeat(DEEP);
                let balanced = format!("{unclosed}0{}", closer_of(opener).repeat(DEEP));
                for nesting in [unclosed, balanced] {
                    let text = format!("{}{nesting}{}", &original[..at], &original[at..]);
                    run.trying(
                        case,
                        format!("{name}: {DEEP} × {opener:?} at byte {at}"),
                        text.as_bytes(),
                    );
                    case += 1;
                    load_and_check(&small_bundle(&shipped, name, &text));
                }
            }
        }
    }
    // Whole files of nothing but openers.
    for opener in OPENERS {
        let text = opener.repeat(DEEP);
        run.trying(case, format!("{DEEP} × {opener:?} alone"), text.as_bytes());
        case += 1;
        load_and_check(&small_bundle(&shipped, "quests/deep.ron", &text));
    }
}

/// Every number in one file of each kind (and a few quests with number tasks),
/// replaced in turn by each extreme literal.
#[test]
fn extreme_numbers_are_refused_not_panicked_on() {
    let shipped = shipped_files();
    let mut samples: Vec<&String> = Vec::new();
    for kind in ["curriculum", "sectors/", "roles/", "badges/"] {
        samples.extend(shipped.keys().find(|name| name.starts_with(kind)));
    }
    samples.extend(
        shipped
            .iter()
            .filter(|(name, text)| name.starts_with("quests/") && text.contains("Number("))
            .map(|(name, _)| name)
            .take(3),
    );
    let mut run = FuzzRun::start("extreme-numbers", 1);
    let mut case = 0;
    for name in samples {
        let original = shipped[name].as_bytes();
        let number_starts = (0..original.len()).filter(|&i| {
            original[i].is_ascii_digit() && (i == 0 || !original[i - 1].is_ascii_alphanumeric())
        });
        for start in number_starts {
            for number in EXTREME_NUMBERS {
                let mut text = original.to_vec();
                replace_next_number(&mut text, start, number.as_bytes());
                let text = String::from_utf8(text).expect("only ASCII was changed");
                run.trying(
                    case,
                    format!("{name}: number at byte {start} → {number}"),
                    text.as_bytes(),
                );
                case += 1;
                load_and_check(&small_bundle(&shipped, name, &text));
            }
        }
    }
}
