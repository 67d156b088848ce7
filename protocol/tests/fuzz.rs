//! Bounded fuzz loops over everything a peer can send: the frame decoder fed random
//! streams, valid frames in random chunks and corrupted length headers, and every message
//! that crosses the wire decoded from random bytes and from damaged encodings of valid
//! messages. Nothing panics; an oversized frame is refused from its header alone; the
//! decoder never holds more than one frame's limit; a length claiming gigabytes is refused
//! without allocating them; and whatever decodes re-encodes to a message that decodes to
//! the same value.
//!
//! Each loop runs a fixed number of iterations from a fixed seed, so a failure replays.
//! `WORKWORLDS_FUZZ_ITERATIONS` sets the number of iterations of every loop and
//! `WORKWORLDS_FUZZ_SEED` the seed (decimal or `0x` hex). A failing loop prints its seed,
//! iteration and case, and the input that failed. `scripts/fuzz` runs the loops for a
//! fixed time with fresh seeds.

use std::any::type_name;
use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use workworlds_content::ids::{BadgeId, ChallengeId, QuestId, RoleId, SectorId};
use workworlds_content::marking::{Answer, Mark};
use workworlds_content::{ContentBundle, Lang};
use workworlds_protocol::events::{
    ChallengeView, ClassReflection, Dashboard, Earned, MemberView, PupilStatus, Reply, RoundState,
    RoundView, ServerEvent, SessionView, TeamView,
};
use workworlds_protocol::frame::{
    self, FrameDecoder, FrameError, HEADER_BYTES, MAX_CLIENT_FRAME_BYTES,
};
use workworlds_protocol::hello::{ClientHello, HelloAnswer, Identity, Intent};
use workworlds_protocol::ids::{JoinCode, PupilCode, PupilId, ResumeToken, TeamId};
use workworlds_protocol::portfolio::{
    BadgeAwarded, Evidence, Kept, Portfolio, QuestDone, Reflection, ReflectionAbout,
};
use workworlds_protocol::refusal::Refusal;
use workworlds_protocol::requests::{
    Activity, ClientRequest, Numbered, PupilRequest, TeacherRequest,
};

/// The seed used when `WORKWORLDS_FUZZ_SEED` is unset.
const DEFAULT_SEED: u64 = 0x4259_4444_4f45_4444;
// The defaults below make each loop take a second or two in a debug build.
/// Default iterations of the loops over single messages.
const MESSAGE_ITERATIONS: u64 = 100_000;
/// Default iterations of the loops over streams of frames, several messages each.
const STREAM_ITERATIONS: u64 = 50_000;
/// Default number of valid messages of each type whose every varint is inflated.
const INFLATION_SAMPLES: u64 = 100;
/// Default number of random 64 KiB buffers decoded as every message type.
const BIG_BUFFERS: u64 = 200;
/// Default iterations of the loop over packed bundles, which deflates each one.
#[cfg(feature = "quic")]
const BUNDLE_ITERATIONS: u64 = 10_000;
/// The most bytes a QUIC stream hands over in one read, as the server's reader asks.
const READ_CHUNK_BYTES: usize = 64 * 1024;
/// Lengths a peer might claim to make a decoder allocate: 4 GiB and beyond.
const HUGE_CLAIMS: [u64; 4] = [1 << 32, u32::MAX as u64, 1 << 62, u64::MAX];
/// Frame limits the decoder is driven with: degenerate ones, the server's for client
/// frames, and the clients' for server frames (`quic::MAX_SERVER_FRAME_BYTES`, which is
/// behind the `quic` feature).
const LIMITS: [usize; 6] = [
    0,
    1,
    16,
    300,
    MAX_CLIENT_FRAME_BYTES,
    4 * MAX_CLIENT_FRAME_BYTES,
];

/// SplitMix64: a small generator with a seed, so that a failing run replays exactly.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let z = (self.0 ^ (self.0 >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`; `bound` must not be 0.
    fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }

    fn one_in(&mut self, odds: usize) -> bool {
        self.below(odds) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn byte(&mut self) -> u8 {
        self.next_u64() as u8
    }
}

/// One fuzz loop's settings and the case in hand. If the test panics, dropping this
/// prints how to replay the failure and the input that caused it.
struct FuzzRun {
    name: &'static str,
    seed: u64,
    iterations: u64,
    iteration: u64,
    case: String,
    input: Vec<u8>,
    /// Inputs that decoded to a message: a fuzz loop that never gets past the first
    /// byte shows here.
    decoded: u64,
}

impl FuzzRun {
    /// The run and its generator, seeded apart per loop so loops do not mirror each other.
    fn start(name: &'static str, default_iterations: u64) -> (FuzzRun, Rng) {
        let seed = env_number("WORKWORLDS_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
        let salt = name
            .bytes()
            .fold(0, |hash: u64, b| hash.wrapping_mul(31) ^ u64::from(b));
        let run = FuzzRun {
            name,
            seed,
            iterations: env_number("WORKWORLDS_FUZZ_ITERATIONS").unwrap_or(default_iterations),
            iteration: 0,
            case: String::new(),
            input: Vec::new(),
            decoded: 0,
        };
        (run, Rng(seed ^ Rng(salt).next_u64()))
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
            // Shown with `--nocapture`, as `scripts/fuzz` runs the loops.
            eprintln!(
                "fuzz loop {}: {} iterations from seed {:#x}, {} inputs decoded",
                self.name, self.iterations, self.seed, self.decoded
            );
            return;
        }
        let shown = &self.input[..self.input.len().min(256)];
        let saved = std::env::temp_dir().join(format!(
            "workworlds-fuzz-{}-{:x}-{}.bin",
            self.name, self.seed, self.iteration
        ));
        let saved = match std::fs::write(&saved, &self.input) {
            Ok(()) => saved.display().to_string(),
            Err(error) => format!("(not saved: {error})"),
        };
        eprintln!(
            "fuzz loop {} failed at iteration {} with seed {:#x} (replay with \
             WORKWORLDS_FUZZ_SEED={:#x}); case: {}; input of {} bytes, saved to {saved}, \
             starting {shown:02x?}",
            self.name,
            self.iteration,
            self.seed,
            self.seed,
            self.case,
            self.input.len()
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

/// A message type that crosses the wire, and how to make a varied valid one.
trait Wire: Serialize + DeserializeOwned + PartialEq + Debug {
    fn generate(rng: &mut Rng) -> Self;
}

/// One message type under test, with its functions made concrete.
struct Target {
    name: &'static str,
    /// A valid message, encoded, after checking that it decodes to itself.
    sample: fn(&mut Rng) -> Vec<u8>,
    /// Decodes bytes; when they decode, checks the round trip. Says whether they did.
    decode: fn(&[u8]) -> bool,
}

const fn target<M: Wire>(name: &'static str) -> Target {
    Target {
        name,
        sample: sample::<M>,
        decode: decode::<M>,
    }
}

/// Every message that crosses the wire, whole and by its parts: the hello and its
/// answer, requests in their envelope and alone, events, replies, refusals, and the
/// content bundle (postcard inside deflate on a stream of its own).
const TARGETS: &[Target] = &[
    target::<ClientHello>("ClientHello"),
    target::<HelloAnswer>("HelloAnswer"),
    target::<Numbered<ClientRequest>>("Numbered<ClientRequest>"),
    target::<ClientRequest>("ClientRequest"),
    target::<TeacherRequest>("TeacherRequest"),
    target::<PupilRequest>("PupilRequest"),
    target::<ServerEvent>("ServerEvent"),
    target::<Reply>("Reply"),
    target::<Refusal>("Refusal"),
    target::<ContentBundle>("ContentBundle"),
];

fn sample<M: Wire>(rng: &mut Rng) -> Vec<u8> {
    let message = M::generate(rng);
    let bytes = postcard::to_stdvec(&message).expect("a generated message encodes");
    let back = postcard::from_bytes::<M>(&bytes)
        .unwrap_or_else(|error| panic!("{message:?} does not decode from its encoding: {error}"));
    assert_same(&message, &back);
    bytes
}

fn decode<M: Wire>(bytes: &[u8]) -> bool {
    let Ok(message) = postcard::from_bytes::<M>(bytes) else {
        return false;
    };
    round_trip(&message);
    true
}

/// Checks that `message` re-encodes to bytes that decode to the same value.
fn round_trip<M: Wire>(message: &M) {
    let bytes = postcard::to_stdvec(message).expect("a decoded message encodes");
    let again = postcard::from_bytes::<M>(&bytes).unwrap_or_else(|error| {
        panic!("{message:?} re-encodes to {bytes:02x?}, which does not decode: {error}")
    });
    assert_same(message, &again);
}

/// Checks two messages are equal. A NaN in an answer is not equal to itself, so
/// messages that compare unequal pass if their encodings, bit for bit, are the same.
fn assert_same<M: Wire>(a: &M, b: &M) {
    if a != b {
        let encoded = |m: &M| postcard::to_stdvec(m).expect("a message encodes");
        assert_eq!(encoded(a), encoded(b), "{a:?} differs from {b:?}");
    }
}

/// Pieces of text: Welsh letters, emoji, a combining mark, a NUL, a byte-order mark.
const TEXTS: &[&str] = &[
    "",
    "a",
    "Ms Jones",
    "Bydoedd Gwaith",
    "ŵ ŷ",
    "🍞",
    "\0",
    "\u{feff}",
    "e\u{301}",
    "\"}]",
    "wire-a-torch",
];

fn text(rng: &mut Rng) -> String {
    let mut text = String::new();
    for _ in 0..rng.below(4) {
        let piece = *rng.pick(TEXTS);
        text.push_str(piece);
    }
    if rng.one_in(32) {
        text = text.repeat(rng.below(300));
    }
    text
}

/// A number, often at the edge of a varint or of its type.
fn number(rng: &mut Rng) -> u64 {
    const EDGES: &[u64] = &[
        0,
        1,
        127,
        128,
        255,
        256,
        16_383,
        16_384,
        u32::MAX as u64,
        u64::MAX,
    ];
    if rng.one_in(2) {
        *rng.pick(EDGES)
    } else {
        rng.next_u64() >> rng.below(64)
    }
}

/// A list of a few items, now and then of a few dozen.
fn list<T>(rng: &mut Rng, mut item: impl FnMut(&mut Rng) -> T) -> Vec<T> {
    let count = if rng.one_in(16) {
        rng.below(40)
    } else {
        rng.below(4)
    };
    (0..count).map(|_| item(rng)).collect()
}

fn join_code(rng: &mut Rng) -> JoinCode {
    JoinCode::from_indices(std::array::from_fn(|_| rng.below(64)))
}

fn pupil(rng: &mut Rng) -> PupilId {
    PupilId(number(rng))
}

fn answer(rng: &mut Rng) -> Answer {
    const NUMBERS: &[f64] = &[
        0.0,
        -0.0,
        1.5,
        -273.15,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MIN_POSITIVE,
        5e-324,
        f64::MAX,
    ];
    let pair = |rng: &mut Rng| (text(rng), text(rng));
    match rng.below(8) {
        0 => Answer::ChooseOne(text(rng)),
        1 => Answer::ChooseSeveral(list(rng, text)),
        2 => Answer::Order(list(rng, text)),
        3 => Answer::MatchPairs(list(rng, pair)),
        4 => Answer::Sort(list(rng, pair)),
        5 => Answer::Number(*rng.pick(NUMBERS)),
        6 => Answer::Number(f64::from_bits(rng.next_u64())),
        _ => Answer::Reflect(text(rng)),
    }
}

fn activity(rng: &mut Rng) -> Activity {
    if rng.one_in(2) {
        Activity::World(SectorId::new(text(rng)))
    } else {
        Activity::Challenge(ChallengeId::new(text(rng)))
    }
}

impl Wire for ClientHello {
    fn generate(rng: &mut Rng) -> Self {
        let intent = match rng.below(3) {
            0 => Intent::Teacher {
                name: text(rng),
                password: text(rng),
            },
            1 => Intent::Join {
                code: join_code(rng),
                name: rng.one_in(2).then(|| text(rng)),
                pupil_code: rng
                    .one_in(2)
                    .then(|| PupilCode::from_indices(std::array::from_fn(|_| rng.below(64)))),
            },
            _ => Intent::Resume {
                token: ResumeToken(std::array::from_fn(|_| rng.byte())),
            },
        };
        let mut hello = ClientHello::new(std::array::from_fn(|_| rng.byte()), intent);
        if rng.one_in(8) {
            hello.version = number(rng) as u32;
        }
        hello
    }
}

impl Wire for HelloAnswer {
    fn generate(rng: &mut Rng) -> Self {
        let identity = match rng.below(3) {
            0 => Identity::Teacher { name: text(rng) },
            1 => Identity::Pupil {
                pupil: pupil(rng),
                name: text(rng),
                session: join_code(rng),
                team: TeamId(rng.byte()),
                token: ResumeToken(std::array::from_fn(|_| rng.byte())),
            },
            _ => return HelloAnswer::Refused(Refusal::generate(rng)),
        };
        HelloAnswer::Welcome {
            content_changed: rng.one_in(2),
            identity,
        }
    }
}

impl Wire for Refusal {
    fn generate(rng: &mut Rng) -> Self {
        match rng.below(12) {
            0 => Refusal::WrongVersion {
                server_version: number(rng) as u32,
            },
            1 => Refusal::BadLogin,
            2 => Refusal::UnknownSession,
            3 => Refusal::TooManyGuesses {
                retry_after_seconds: number(rng) as u32,
            },
            4 => Refusal::LobbyLocked,
            5 => Refusal::NameRefused,
            6 => Refusal::TeachersOnly,
            7 => Refusal::NotNow { why: text(rng) },
            8 => Refusal::Invalid { why: text(rng) },
            9 => Refusal::UnknownPupilCode,
            10 => Refusal::SessionEnded,
            _ => Refusal::CannotResume,
        }
    }
}

impl Wire for TeacherRequest {
    fn generate(rng: &mut Rng) -> Self {
        match rng.below(16) {
            0 => TeacherRequest::CreateSession {
                activity: activity(rng),
                teams: rng.byte(),
                round_seconds: number(rng) as u32,
                typed_names: rng.one_in(2),
            },
            1 => TeacherRequest::OpenSession {
                code: join_code(rng),
            },
            2 => TeacherRequest::StartRound,
            3 => TeacherRequest::PauseRound,
            4 => TeacherRequest::ResumeRound,
            5 => TeacherRequest::ExtendRound {
                seconds: number(rng) as u32,
            },
            6 => TeacherRequest::EndRound,
            7 => TeacherRequest::EyesOnMe { on: rng.one_in(2) },
            8 => TeacherRequest::MovePupil {
                pupil: pupil(rng),
                team: TeamId(rng.byte()),
            },
            9 => TeacherRequest::RemovePupil { pupil: pupil(rng) },
            10 => TeacherRequest::MarkReflection {
                team: TeamId(rng.byte()),
                mark: rng.byte(),
            },
            11 => TeacherRequest::EndSession,
            12 => TeacherRequest::CommentReflection {
                reflection: number(rng),
                comment: text(rng),
            },
            13 => TeacherRequest::SessionRecord {
                lang: if rng.one_in(2) { Lang::En } else { Lang::Cy },
            },
            14 => TeacherRequest::Reflections,
            _ => TeacherRequest::LockLobby {
                locked: rng.one_in(2),
            },
        }
    }
}

impl Wire for PupilRequest {
    fn generate(rng: &mut Rng) -> Self {
        match rng.below(9) {
            0 => PupilRequest::HandUp { up: rng.one_in(2) },
            3 => PupilRequest::Reflect {
                prompt: rng.byte(),
                text: text(rng),
            },
            4 => PupilRequest::ChooseBest {
                reflection: number(rng),
                best: rng.one_in(2),
            },
            5 => PupilRequest::Portfolio,
            1 => PupilRequest::SetDecision {
                decision: text(rng),
                value: number(rng) as f64 / 8.0,
            },
            2 => PupilRequest::SetInvestment {
                investment: text(rng),
                buy: rng.one_in(2),
            },
            _ => PupilRequest::SubmitAnswer {
                quest: QuestId::new(text(rng)),
                task: rng.byte(),
                answer: answer(rng),
            },
        }
    }
}

impl Wire for ClientRequest {
    fn generate(rng: &mut Rng) -> Self {
        if rng.one_in(2) {
            ClientRequest::Teacher(TeacherRequest::generate(rng))
        } else {
            ClientRequest::Pupil(PupilRequest::generate(rng))
        }
    }
}

impl Wire for Numbered<ClientRequest> {
    fn generate(rng: &mut Rng) -> Self {
        Numbered {
            id: number(rng) as u32,
            request: ClientRequest::generate(rng),
        }
    }
}

impl Wire for Reply {
    fn generate(rng: &mut Rng) -> Self {
        let earned = |rng: &mut Rng| {
            if rng.one_in(2) {
                Earned::Stamp(SectorId::new(text(rng)))
            } else {
                Earned::JobCard(RoleId::new(text(rng)))
            }
        };
        match rng.below(7) {
            0 => Reply::Done,
            1 => Reply::SessionCreated {
                code: join_code(rng),
            },
            2 => Reply::Portfolio(Box::new(portfolio(rng))),
            3 => Reply::SessionRecord { csv: text(rng) },
            4 => Reply::Reflected {
                reflection: number(rng),
            },
            5 => Reply::Reflections {
                reflections: list(rng, |rng| ClassReflection {
                    pupil: pupil(rng),
                    name: text(rng),
                    team: TeamId(rng.byte()),
                    reflection: reflection(rng),
                }),
                left_out: number(rng) as u32,
            },
            _ => Reply::Marked {
                mark: Mark {
                    points: number(rng) as u32,
                    out_of: number(rng) as u32,
                },
                earned: list(rng, earned),
            },
        }
    }
}

impl Wire for ServerEvent {
    fn generate(rng: &mut Rng) -> Self {
        match rng.below(8) {
            0 => ServerEvent::Reply {
                id: number(rng) as u32,
                outcome: Ok(Reply::generate(rng)),
            },
            1 => ServerEvent::Reply {
                id: number(rng) as u32,
                outcome: Err(Refusal::generate(rng)),
            },
            2 => ServerEvent::Session(session_view(rng)),
            3 => ServerEvent::Dashboard(dashboard(rng)),
            // Results and leaderboards are the engine's to make; the view around them
            // is what is generated here, and random bytes reach the rest.
            4 => ServerEvent::Challenge(ChallengeView {
                challenge: ChallengeId::new(text(rng)),
                rounds_played: number(rng) as u32,
                results: Vec::new(),
                plan: None,
                reflections: Vec::new(),
                abatement: Vec::new(),
                leaderboard: None,
            }),
            5 => ServerEvent::BadgeEarned(BadgeId::new(text(rng))),
            6 => ServerEvent::SessionEnded,
            _ => ServerEvent::Removed,
        }
    }
}

fn reflection(rng: &mut Rng) -> Reflection {
    Reflection {
        id: number(rng),
        about: if rng.one_in(2) {
            ReflectionAbout::Quest {
                quest: QuestId::new(text(rng)),
                task: rng.byte(),
            }
        } else {
            ReflectionAbout::Challenge {
                challenge: ChallengeId::new(text(rng)),
                prompt: rng.byte(),
            }
        },
        text: text(rng),
        best: rng.one_in(2),
        comment: rng.one_in(2).then(|| text(rng)),
        at_unix_ms: number(rng),
    }
}

fn portfolio(rng: &mut Rng) -> Portfolio {
    let kept_stamp = |rng: &mut Rng| Kept {
        item: SectorId::new(text(rng)),
        quest: QuestId::new(text(rng)),
        at_unix_ms: number(rng),
    };
    Portfolio {
        name: text(rng),
        class: text(rng),
        stamps: list(rng, kept_stamp),
        quests: list(rng, |rng| QuestDone {
            quest: QuestId::new(text(rng)),
            points: number(rng) as u32,
            out_of: number(rng) as u32,
            at_unix_ms: number(rng),
        }),
        badges: list(rng, |rng| BadgeAwarded {
            badge: BadgeId::new(text(rng)),
            at_unix_ms: number(rng),
            evidence: Evidence {
                quests: list(rng, |rng| QuestId::new(text(rng))),
                reflections: list(rng, number),
                ..Evidence::default()
            },
        }),
        reflections: list(rng, reflection),
        ..Portfolio::default()
    }
}

fn session_view(rng: &mut Rng) -> SessionView {
    let member = |rng: &mut Rng| MemberView {
        pupil: pupil(rng),
        name: text(rng),
    };
    SessionView {
        code: join_code(rng),
        activity: activity(rng),
        round: RoundView {
            number: number(rng) as u32,
            state: *rng.pick(&[
                RoundState::NotStarted,
                RoundState::Running,
                RoundState::Paused,
                RoundState::Ended,
            ]),
            remaining_ms: number(rng),
        },
        eyes_on_me: rng.one_in(2),
        lobby_locked: rng.one_in(2),
        ended: rng.one_in(2),
        teams: list(rng, |rng| TeamView {
            id: TeamId(rng.byte()),
            members: list(rng, member),
        }),
    }
}

fn dashboard(rng: &mut Rng) -> Dashboard {
    Dashboard {
        code: join_code(rng),
        pupils: list(rng, |rng| PupilStatus {
            pupil: pupil(rng),
            name: text(rng),
            team: TeamId(rng.byte()),
            connected: rng.one_in(2),
            hand_up: rng.one_in(2),
            answered: number(rng) as u32,
            right: number(rng) as u32,
            current_quest: rng.one_in(2).then(|| QuestId::new(text(rng))),
        }),
    }
}

impl Wire for ContentBundle {
    fn generate(rng: &mut Rng) -> Self {
        let mut bundle = ContentBundle::default();
        for (path, body) in list(rng, |rng| (text(rng), text(rng))) {
            bundle.insert(path, body);
        }
        bundle
    }
}

/// Random bytes, most of them small, because small values are what enum tags, lengths
/// and booleans accept; the rest anything, or the edge of a varint byte.
fn garbage(rng: &mut Rng, len: usize) -> Vec<u8> {
    (0..len)
        .map(|_| match rng.below(4) {
            0 | 1 => rng.below(5) as u8,
            2 => *rng.pick(&[0x7f, 0x80, 0xff]),
            _ => rng.byte(),
        })
        .collect()
}

/// The postcard varint of `value`.
fn varint(mut value: u64) -> Vec<u8> {
    let mut bytes = Vec::new();
    while value >= 0x80 {
        bytes.push(value as u8 | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
    bytes
}

/// `bytes` with the varint starting at `at` (up to ten bytes) replaced by `claim`.
fn inflated(bytes: &[u8], at: usize, claim: u64) -> Vec<u8> {
    let len = bytes[at..]
        .iter()
        .take(10)
        .position(|b| b & 0x80 == 0)
        .map_or(bytes.len() - at, |last| last + 1);
    let mut out = bytes.to_vec();
    out.splice(at..at + len.min(10), varint(claim));
    out
}

/// One random change to `bytes`, named for the failure report.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>, donor: &[u8]) -> &'static str {
    let at = rng.below(bytes.len() + 1);
    let span = (1 + rng.below(8)).min(bytes.len() - at);
    match rng.below(8) {
        0 if !bytes.is_empty() => {
            let at = rng.below(bytes.len());
            bytes[at] ^= 1 << rng.below(8);
            "flip a bit"
        }
        1 => {
            bytes.truncate(at);
            "truncate"
        }
        2 => {
            let len = 1 + rng.below(8);
            let insert = garbage(rng, len);
            bytes.splice(at..at, insert);
            "insert bytes"
        }
        3 => {
            bytes.drain(at..at + span);
            "delete bytes"
        }
        4 if at < bytes.len() => {
            let claim = *rng.pick(&HUGE_CLAIMS);
            *bytes = inflated(bytes, at, claim);
            "inflate a varint"
        }
        5 => {
            let copy = bytes[at..at + span].to_vec();
            bytes.splice(at..at, copy);
            "duplicate bytes"
        }
        6 => {
            let from = rng.below(donor.len() + 1);
            let piece = &donor[from..(from + 1 + rng.below(32)).min(donor.len())];
            bytes.splice(at..at, piece.iter().copied());
            "splice in part of another message"
        }
        _ => {
            let insert = garbage(rng, span);
            bytes.splice(at..at + span, insert);
            "replace bytes"
        }
    }
}

/// What a decoder gave for a stream: messages up to the first error, the error, how
/// many bytes of the stream had been pushed when it stopped, and the decoder.
struct Fed<M> {
    messages: Vec<M>,
    error: Option<FrameError>,
    pushed: usize,
    decoder: FrameDecoder,
}

/// Pushes `stream` into a decoder with `limit` in random chunks, up to a whole read, and
/// takes out every complete message after each push, as the QUIC reader does. After each
/// round checks that the decoder holds less than one frame at its limit. Stops at the
/// first error, as the server does.
fn feed<M: Wire>(rng: &mut Rng, limit: usize, stream: &[u8]) -> Fed<M> {
    let mut fed = Fed {
        messages: Vec::new(),
        error: None,
        pushed: 0,
        decoder: FrameDecoder::new(limit),
    };
    loop {
        loop {
            match fed.decoder.next_message::<M>() {
                Ok(Some(message)) => fed.messages.push(message),
                Ok(None) => break,
                Err(error) => {
                    // Asking again after an error must not panic either.
                    let _ = fed.decoder.next_message::<M>();
                    fed.error = Some(error);
                    return fed;
                }
            }
        }
        let held = fed.decoder.buffered();
        assert!(
            held < HEADER_BYTES + limit,
            "the decoder holds {held} bytes, a whole frame at its limit of {limit} or more"
        );
        if fed.pushed == stream.len() {
            return fed;
        }
        let chunk = match rng.below(4) {
            0 => 1,
            1 => 1 + rng.below(8),
            2 => 1 + rng.below(512),
            _ => 1 + rng.below(READ_CHUNK_BYTES),
        };
        let end = (fed.pushed + chunk).min(stream.len());
        fed.decoder.push(&stream[fed.pushed..end]);
        fed.pushed = end;
    }
}

/// The size of an encoded frame's payload.
fn payload(frame: &[u8]) -> usize {
    frame.len() - HEADER_BYTES
}

/// One to six valid messages of `M`, and their frames.
fn valid_frames<M: Wire>(rng: &mut Rng) -> (Vec<M>, Vec<Vec<u8>>) {
    let messages: Vec<M> = (0..1 + rng.below(6)).map(|_| M::generate(rng)).collect();
    let frames = messages
        .iter()
        .map(|message| frame::encode(message).expect("a generated message encodes"))
        .collect();
    (messages, frames)
}

/// One case of a loop over streams, for one of the four message types a `FrameDecoder`
/// reads: a hello and requests on the server, an answer and events on a client.
type StreamCase = fn(&mut Rng, &mut FuzzRun, u64);

fn for_each_framed_type(name: &'static str, cases: [StreamCase; 4]) {
    let (mut run, mut rng) = FuzzRun::start(name, STREAM_ITERATIONS);
    for iteration in 0..run.iterations {
        let case = *rng.pick(&cases);
        case(&mut rng, &mut run, iteration);
    }
}

fn valid_stream<M: Wire>(rng: &mut Rng, run: &mut FuzzRun, iteration: u64) {
    let (messages, frames) = valid_frames::<M>(rng);
    // Limits at and just under a frame's size find off-by-ones at the edge.
    let fitted = rng.pick(&frames).len() - HEADER_BYTES;
    let limit = *rng.pick(&[fitted, fitted.saturating_sub(1), MAX_CLIENT_FRAME_BYTES]);
    let stream = frames.concat();
    run.trying(
        iteration,
        format!(
            "{} frames of {} with limit {limit}",
            frames.len(),
            type_name::<M>()
        ),
        &stream,
    );

    let fed = feed::<M>(rng, limit, &stream);

    // Every frame comes out whole and in order up to the first over the limit.
    let fit = frames
        .iter()
        .take_while(|frame| payload(frame) <= limit)
        .count();
    assert_eq!(fed.messages.len(), fit);
    run.decoded += fit as u64;
    for (sent, received) in messages.iter().zip(&fed.messages) {
        assert_same(sent, received);
    }
    match fed.error {
        None => {
            assert_eq!(fit, frames.len(), "a frame over the limit was not refused");
            assert_eq!(
                fed.decoder.buffered(),
                0,
                "bytes left over after whole frames"
            );
        }
        Some(FrameError::TooLarge { size, .. }) => assert_eq!(size, payload(&frames[fit])),
        Some(error) => panic!("a valid stream was refused: {error}"),
    }
}

fn corrupted_header<M: Wire>(rng: &mut Rng, run: &mut FuzzRun, iteration: u64) {
    let (messages, frames) = valid_frames::<M>(rng);
    let victim = frames.len() - 1;
    let before = frames[..victim].iter().map(|f| payload(f)).max();
    let limit = before.map_or(*rng.pick(&LIMITS), |before| {
        rng.pick(&LIMITS).max(&before).to_owned()
    });
    let real = payload(&frames[victim]) as u32;
    let over = limit as u32 + 1;
    let claim = match rng.below(4) {
        0 => real ^ (1 << rng.below(32)),
        1 => rng.next_u64() as u32,
        2 => rng.below(limit + 1) as u32,
        _ => {
            let further = over + rng.below(1 << 20) as u32;
            *rng.pick(&[over, further, 1 << 31, u32::MAX])
        }
    };
    let header_end = frames[..victim].iter().map(Vec::len).sum::<usize>() + HEADER_BYTES;
    let mut stream = frames.concat();
    stream[header_end - HEADER_BYTES..header_end].copy_from_slice(&claim.to_le_bytes());
    let tail = rng.below(64);
    stream.extend(garbage(rng, tail));
    run.trying(
        iteration,
        format!(
            "{} frames of {}, the last claiming {claim} bytes for {real}, limit {limit}",
            frames.len(),
            type_name::<M>()
        ),
        &stream,
    );

    if claim as usize > limit {
        // Only the header is sent: the refusal may not wait for the payload.
        let fed = feed::<M>(rng, limit, &stream[..header_end]);
        assert_eq!(
            fed.pushed, header_end,
            "refused before the header was whole"
        );
        assert!(
            matches!(fed.error, Some(FrameError::TooLarge { size, .. }) if size == claim as usize),
            "a header claiming {claim} bytes over a limit of {limit} gave {:?}",
            fed.error
        );
        assert_eq!(fed.messages.len(), victim);
    } else {
        // The frames before the damaged one fit the limit and come out as they were sent.
        let fed = feed::<M>(rng, limit, &stream);
        assert!(
            fed.messages.len() >= victim,
            "a valid frame was lost: {:?}",
            fed.error
        );
        for (sent, received) in messages.iter().zip(&fed.messages[..victim]) {
            assert_same(sent, received);
        }
        fed.messages.iter().for_each(round_trip);
        run.decoded += fed.messages.len() as u64;
    }
}

fn random_stream<M: Wire>(rng: &mut Rng, run: &mut FuzzRun, iteration: u64) {
    let limit = *rng.pick(&LIMITS);
    let (kind, stream) = match rng.below(3) {
        0 => {
            let len = rng.below(2048);
            ("random bytes", garbage(rng, len))
        }
        1 => {
            // Headers within the limit, so the payloads reach the message decoder.
            let mut stream = Vec::new();
            for _ in 0..1 + rng.below(8) {
                let size = rng.below(limit.min(300) + 1);
                stream.extend((size as u32).to_le_bytes());
                stream.extend(garbage(rng, size));
            }
            ("honest headers over random payloads", stream)
        }
        _ => {
            let mut stream = valid_frames::<M>(rng).1.concat();
            let donor = stream.clone();
            for _ in 0..1 + rng.below(4) {
                mutate(rng, &mut stream, &donor);
            }
            ("mutated valid frames", stream)
        }
    };
    let case = format!("{kind} read as {} with limit {limit}", type_name::<M>());
    run.trying(iteration, case, &stream);
    let fed = feed::<M>(rng, limit, &stream);
    fed.messages.iter().for_each(round_trip);
    run.decoded += fed.messages.len() as u64;
}

/// Frames of every type the decoder reads, arriving in random chunks from one byte to a
/// whole read: each comes out whole, in order, and nothing is left over; a frame over
/// the limit, even by one byte, is refused.
#[test]
fn valid_frames_in_random_chunks_come_out_whole_and_in_order() {
    for_each_framed_type(
        "valid-frames",
        [
            valid_stream::<ClientHello>,
            valid_stream::<Numbered<ClientRequest>>,
            valid_stream::<HelloAnswer>,
            valid_stream::<ServerEvent>,
        ],
    );
}

/// Valid frames followed by one whose length header is corrupted: a header over the
/// limit is refused as soon as its four bytes are in, with none of its payload, and one
/// within the limit gives an error or messages, never a panic.
#[test]
fn oversized_and_corrupted_headers_are_refused_from_the_header_alone() {
    for_each_framed_type(
        "corrupted-headers",
        [
            corrupted_header::<ClientHello>,
            corrupted_header::<Numbered<ClientRequest>>,
            corrupted_header::<HelloAnswer>,
            corrupted_header::<ServerEvent>,
        ],
    );
}

/// Random streams, streams of random payloads under honest headers, and mutated valid
/// streams: no panic, the decoder never holds a whole frame at its limit, and every
/// message that comes out survives a round trip.
#[test]
fn random_streams_never_panic_or_buffer_past_the_limit() {
    for_each_framed_type(
        "random-streams",
        [
            random_stream::<ClientHello>,
            random_stream::<Numbered<ClientRequest>>,
            random_stream::<HelloAnswer>,
            random_stream::<ServerEvent>,
        ],
    );
}

/// Random bytes decoded as every message type: an error, or a message that survives a
/// round trip.
#[test]
fn random_bytes_decode_to_errors_or_consistent_messages() {
    let (mut run, mut rng) = FuzzRun::start("random-bytes", MESSAGE_ITERATIONS);
    for iteration in 0..run.iterations {
        let len = if rng.one_in(16) {
            rng.below(1024)
        } else {
            rng.below(48)
        };
        let bytes = garbage(&mut rng, len);
        run.trying(
            iteration,
            "random bytes decoded as every type".into(),
            &bytes,
        );
        for target in TARGETS {
            run.decoded += u64::from((target.decode)(&bytes));
        }
    }
}

/// Valid messages of every type with bits flipped, bytes cut, inserted, deleted or
/// duplicated, lengths inflated, and parts of other messages spliced in: decoded as their
/// own type and now and then as every other.
#[test]
fn mutated_messages_decode_to_errors_or_consistent_messages() {
    let (mut run, mut rng) = FuzzRun::start("mutated-messages", MESSAGE_ITERATIONS);
    for iteration in 0..run.iterations {
        let target = rng.pick(TARGETS);
        run.trying(iteration, format!("generating a {}", target.name), &[]);
        let original = (target.sample)(&mut rng);
        let donor = (rng.pick(TARGETS).sample)(&mut rng);

        let mut bytes = original.clone();
        let mutations: Vec<&str> = (0..1 + rng.below(3))
            .map(|_| mutate(&mut rng, &mut bytes, &donor))
            .collect();
        let case = format!("{} {mutations:?}, from {original:02x?}", target.name);
        run.trying(iteration, case, &bytes);
        run.decoded += u64::from((target.decode)(&bytes));
        if rng.one_in(4) {
            for other in TARGETS {
                run.decoded += u64::from((other.decode)(&bytes));
            }
        }
    }
}

/// Encodes `short` and `long`, which differ only in one length, 0 against 1, and gives
/// `short`'s encoding with that length replaced by `claim`.
fn claiming<M: Wire>(short: &M, long: &M, claim: u64) -> Vec<u8> {
    let short = postcard::to_stdvec(short).expect("the message encodes");
    let long = postcard::to_stdvec(long).expect("the message encodes");
    let at = short
        .iter()
        .zip(&long)
        .position(|(a, b)| a != b)
        .expect("the two messages differ in a length");
    assert_eq!(
        (short[at], long[at]),
        (0, 1),
        "the first difference is a length"
    );
    inflated(&short, at, claim)
}

/// Checks that `short`'s length, claiming gigabytes, is refused, with nothing after it
/// and with 64 KiB of filler for the decoder to start on: zeros, which are empty strings
/// and lists, and letters.
fn refuses_huge_lengths<M: Wire>(run: &mut FuzzRun, short: M, long: M) {
    for claim in HUGE_CLAIMS {
        for filler in [None, Some(0), Some(b'a')] {
            let mut bytes = claiming(&short, &long, claim);
            if let Some(filler) = filler {
                bytes.extend(std::iter::repeat_n(filler, 64 * 1024));
            }
            let case = format!("{} with a length of {claim}", type_name::<M>());
            run.trying(0, case, &bytes);
            assert!(
                postcard::from_bytes::<M>(&bytes).is_err(),
                "a length of {claim} was accepted"
            );
        }
    }
}

/// Lengths of a string, a list, a list in a list and a map, inflated to 4 GiB and more:
/// refused at once, without allocating what they claim (were it tried, the test would
/// abort or take minutes). Then every varint of many valid messages of every type,
/// inflated in turn: an error or a consistent message.
#[test]
fn lengths_claiming_gigabytes_are_refused_without_allocating() {
    let (mut run, mut rng) = FuzzRun::start("huge-lengths", INFLATION_SAMPLES);
    let code = JoinCode::from_indices([0; 6]);

    let teacher = |name: &str| Intent::Teacher {
        name: name.into(),
        password: String::new(),
    };
    let hello = |name| ClientHello::new([0; 32], teacher(name));
    refuses_huge_lengths(&mut run, hello(""), hello("a"));
    let submit = |answer| PupilRequest::SubmitAnswer {
        quest: QuestId::new("q"),
        task: 0,
        answer,
    };
    let several = |ids: &[&str]| {
        submit(Answer::ChooseSeveral(
            ids.iter().map(|&id| id.into()).collect(),
        ))
    };
    refuses_huge_lengths(&mut run, several(&[]), several(&[""]));
    let reflect = |text: &str| submit(Answer::Reflect(text.into()));
    refuses_huge_lengths(&mut run, reflect(""), reflect("a"));

    let team = |members| TeamView {
        id: TeamId(0),
        members,
    };
    let session = |teams| {
        ServerEvent::Session(SessionView {
            code: code.clone(),
            activity: Activity::World(SectorId::new("energy")),
            round: RoundView {
                number: 0,
                state: RoundState::Running,
                remaining_ms: 0,
            },
            eyes_on_me: false,
            lobby_locked: false,
            ended: false,
            teams,
        })
    };
    let member = MemberView {
        pupil: PupilId(0),
        name: String::new(),
    };
    refuses_huge_lengths(&mut run, session(vec![]), session(vec![team(vec![])]));
    refuses_huge_lengths(
        &mut run,
        session(vec![team(vec![])]),
        session(vec![team(vec![member])]),
    );

    let mut bundle = ContentBundle::default();
    bundle.insert("", "");
    refuses_huge_lengths(&mut run, ContentBundle::default(), bundle);

    for iteration in 0..run.iterations {
        for target in TARGETS {
            let sample = (target.sample)(&mut rng);
            for at in 0..sample.len() {
                for claim in HUGE_CLAIMS {
                    let bytes = inflated(&sample, at, claim);
                    let case = format!("{} with byte {at} inflated to {claim}", target.name);
                    run.trying(iteration, case, &bytes);
                    run.decoded += u64::from((target.decode)(&bytes));
                }
            }
        }
    }
}

/// 64 KiB buffers of random bytes and of bytes that make varints as long as they can be,
/// decoded as every message type and as one frame: the process stays small.
#[test]
fn a_64_kib_garbage_buffer_decodes_without_a_huge_allocation() {
    const BUFFER_BYTES: usize = 64 * 1024;
    let (mut run, mut rng) = FuzzRun::start("big-garbage", BIG_BUFFERS);
    let mut fixed: Vec<(String, Vec<u8>)> = [0x00, 0x01, 0x7f, 0x80, 0xff]
        .into_iter()
        .map(|byte| (format!("{byte:#04x} repeated"), vec![byte; BUFFER_BYTES]))
        .collect();
    let four_gib = [1, 0x80, 0x80, 0x80, 0x80, 0x10].repeat(BUFFER_BYTES / 6);
    fixed.push(("1 and a length of 4 GiB, repeated".into(), four_gib));
    let random =
        (0..run.iterations).map(|_| ("random bytes".to_owned(), garbage(&mut rng, BUFFER_BYTES)));

    for (iteration, (kind, bytes)) in (0..).zip(fixed.into_iter().chain(random)) {
        run.trying(iteration, kind, &bytes);
        for target in TARGETS {
            run.decoded += u64::from((target.decode)(&bytes));
        }
        let mut framed = (payload(&bytes) as u32).to_le_bytes().to_vec();
        framed.extend(&bytes[HEADER_BYTES..]);
        let mut decoder = FrameDecoder::new(MAX_CLIENT_FRAME_BYTES);
        decoder.push(&framed);
        if let Ok(Some(request)) = decoder.next_message::<Numbered<ClientRequest>>() {
            round_trip(&request);
        }
    }
    check_memory();
}

/// On Linux, checks the test process's peak memory. Overcommit lets a huge allocation
/// that is never written go unnoticed in resident memory, so the peak of address space
/// is checked too: one allocation of the 4 GiB claimed above would pass its bound, which
/// this binary's threads and their allocator arenas stay well under.
fn check_memory() {
    const PEAK_RESIDENT_KIB: u64 = 256 * 1024;
    const PEAK_ADDRESS_SPACE_KIB: u64 = 3 * 1024 * 1024;
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return;
    };
    let kib = |field: &str| {
        let line = status.lines().find_map(|line| line.strip_prefix(field))?;
        line.trim()
            .trim_end_matches("kB")
            .trim()
            .parse::<u64>()
            .ok()
    };
    eprintln!(
        "peak resident memory {:?} KiB, peak address space {:?} KiB",
        kib("VmHWM:"),
        kib("VmPeak:")
    );
    if let Some(resident) = kib("VmHWM:") {
        assert!(
            resident < PEAK_RESIDENT_KIB,
            "peak resident memory of {resident} KiB"
        );
    }
    if let Some(address_space) = kib("VmPeak:") {
        assert!(
            address_space < PEAK_ADDRESS_SPACE_KIB,
            "peak address space of {address_space} KiB"
        );
    }
}

/// Packed bundles (postcard inside deflate) with damage: refused, or unpacked to a
/// bundle that survives a round trip. Behind the `quic` feature, as unpacking is.
#[cfg(feature = "quic")]
#[test]
fn damaged_packed_bundles_are_refused_or_consistent() {
    use workworlds_protocol::quic::bundle::{pack, unpack};

    let (mut run, mut rng) = FuzzRun::start("packed-bundles", BUNDLE_ITERATIONS);
    for iteration in 0..run.iterations {
        let bundle = ContentBundle::generate(&mut rng);
        let packed = pack(&bundle);
        let mut bytes = packed.clone();
        let mutations: Vec<&str> = (0..rng.below(4))
            .map(|_| mutate(&mut rng, &mut bytes, &packed))
            .collect();
        run.trying(iteration, format!("{mutations:?}"), &bytes);
        match unpack(&bytes) {
            Ok(unpacked) if mutations.is_empty() => assert_eq!(unpacked, bundle),
            Ok(unpacked) => {
                round_trip(&unpacked);
                run.decoded += 1;
            }
            Err(error) => assert!(
                !mutations.is_empty(),
                "a packed bundle was refused: {error}"
            ),
        }
    }
}
