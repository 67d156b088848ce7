//! A believable demo class, for teachers trying Work Worlds and for the client's
//! screenshots and the tests: a teacher, a class of 30 with pupil codes, and two
//! finished sessions (a sector-world visit and an enterprise challenge) with answers,
//! reflections, challenge results and the badges they earned.
//!
//! Everything goes through the same rules as a live class: answers are marked by the
//! session, challenge rounds are simulated by the engine, and badges are judged by
//! their content rules, so the demo shows what the product really does.

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand::rngs::StdRng;
use workworlds_content::Content;
use workworlds_content::ids::{ChallengeId, SectorId};
use workworlds_content::marking::Answer;
use workworlds_protocol::ids::{JOIN_CODE_LEN, JoinCode, PupilCode, PupilId, ResumeToken};
use workworlds_protocol::portfolio::ReflectionAbout;
use workworlds_protocol::requests::Activity;

use crate::names;
use crate::progress::badges;
use crate::session::{ClassSession, SessionSetup, SessionTimes};
use crate::store::{Store, StoreError, StoredAnswer, StoredClass, StoredSession};

/// The demo teacher's login.
pub const TEACHER: &str = "Nia Rhys";
pub const TEACHER_PASSWORD: &str = "demo-password";
/// The demo class and its year group.
pub const CLASS: &str = "Demo 6";
pub const YEAR_GROUP: &str = "Y6";
/// Pupils in the demo class.
pub const PUPILS: usize = 30;
/// The world and challenge the demo visits, when the content has them.
const WORLD: &str = "energy";
const CHALLENGE: &str = "seaside-cafe";
/// Days before today that the two sessions took place.
const WORLD_DAYS_AGO: u64 = 14;
const CHALLENGE_DAYS_AGO: u64 = 7;
const DAY_MS: u64 = 24 * 60 * 60 * 1000;
/// Round length of the demo challenge, in seconds.
const ROUND_SECONDS: u32 = 300;

/// What sentences demo pupils reflect with, chosen in turn.
const REFLECTIONS: [&str; 6] = [
    "I liked finding out how the work helps people in our town.",
    "I did not know you could learn this job through an apprenticeship.",
    "Our team listened to each other and changed our plan after round two.",
    "I would like to try this job because I enjoy solving problems.",
    "Next time I will check the numbers before we decide.",
    "Mae'n swydd ddiddorol ac roeddwn i'n hoffi gweithio fel tîm.",
];

/// What the demo teacher writes under some reflections.
const TEACHER_COMMENTS: [&str; 3] = [
    "Da iawn! A clear reason, backed by your results.",
    "Good thinking. What would you try first next time?",
    "Gwaith gwych, you explained it well.",
];

/// What the demo made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Demo {
    /// The sessions' join codes: the world visit, then the challenge.
    pub sessions: Vec<JoinCode>,
    pub pupils: Vec<PupilCode>,
    /// Badges awarded across the class.
    pub badges: usize,
}

/// Why the demo could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the data folder already has a demo class; use an empty folder")]
    AlreadyThere,
    #[error("the content has no sector worlds or no enterprise challenges to demonstrate")]
    NoContent,
    #[error("the demo could not play its sessions: {0}")]
    Rules(String),
}

/// Fills `store` with the demo class, with `now_unix_ms` as today.
pub fn fill(store: &mut Store, content: &Content, now_unix_ms: u64) -> Result<Demo, DemoError> {
    if store.class(CLASS)?.is_some() {
        return Err(DemoError::AlreadyThere);
    }
    let sector = pick(&content.sectors, &SectorId::new(WORLD))?;
    let challenge = pick(&content.challenges, &ChallengeId::new(CHALLENGE))?;
    store.add_teacher(TEACHER, TEACHER_PASSWORD)?;
    store.add_class(&StoredClass {
        name: CLASS.into(),
        teacher: TEACHER.into(),
        year_group: YEAR_GROUP.into(),
    })?;
    // Seeded, so every demo has the same class and results.
    let mut rng = StdRng::seed_from_u64(0x5752_4c44);
    let created = now_unix_ms.saturating_sub(WORLD_DAYS_AGO * DAY_MS);
    let mut pupils = Vec::new();
    for _ in 0..PUPILS {
        let name = names::generated(&mut rng);
        pupils.push(store.add_record(CLASS, &name, created)?);
    }

    // Badges are judged after each session, as a live server would at its end.
    let mut awarded = 0;
    let world_start = now_unix_ms.saturating_sub(WORLD_DAYS_AGO * DAY_MS);
    let world = visit_world(store, content, sector, &pupils, world_start)?;
    for record in &pupils {
        awarded += badges::award_new(store, content, &record.code, world_start)?.len();
    }
    let challenge_start = now_unix_ms.saturating_sub(CHALLENGE_DAYS_AGO * DAY_MS);
    let play = play_challenge(store, content, challenge, &pupils, challenge_start)?;
    for record in &pupils {
        awarded += badges::award_new(store, content, &record.code, challenge_start)?.len();
    }
    Ok(Demo {
        sessions: vec![world, play],
        pupils: pupils.into_iter().map(|record| record.code).collect(),
        badges: awarded,
    })
}

fn pick<'a, K: Ord, V>(items: &'a BTreeMap<K, V>, wanted: &K) -> Result<&'a K, DemoError> {
    items
        .get_key_value(wanted)
        .or_else(|| items.first_key_value())
        .map(|(key, _)| key)
        .ok_or(DemoError::NoContent)
}

/// A session code made from a number, so the demo's codes are the same every time.
fn demo_code(seed: usize) -> JoinCode {
    JoinCode::from_indices(std::array::from_fn::<usize, JOIN_CODE_LEN, _>(|i| {
        seed.wrapping_mul(7).wrapping_add(i * 11)
    }))
}

/// Starts a session in the store and puts the class in it.
fn start(
    store: &mut Store,
    content: &Content,
    activity: Activity,
    teams: u8,
    pupils: &[crate::store::StoredRecord],
    code: JoinCode,
    start_unix_ms: u64,
) -> Result<(ClassSession, Vec<PupilId>), DemoError> {
    let setup = SessionSetup {
        code: code.clone(),
        teacher: TEACHER.into(),
        activity,
        teams,
        round_seconds: ROUND_SECONDS,
        typed_names: false,
    };
    let mut session = ClassSession::new(setup, content)
        .map_err(|refusal| DemoError::Rules(refusal.to_string()))?;
    session.set_times(SessionTimes {
        created_at_unix_ms: start_unix_ms.saturating_sub(10 * 60 * 1000),
        started_at_unix_ms: Some(start_unix_ms),
        ended_at_unix_ms: None,
    });
    store.save_session(&StoredSession::of(&session, 0, 0))?;
    let mut ids = Vec::new();
    for record in pupils {
        let team = session
            .admit()
            .map_err(|refusal| DemoError::Rules(refusal.to_string()))?;
        // Tokens are secrets even in a demo: a teacher may run a class on this folder.
        let token = ResumeToken(rand::random());
        let pupil = store.add_pupil(&code, &record.name, team, token, Some(&record.code))?;
        session.restore_member(
            pupil,
            record.name.clone(),
            team,
            token,
            Some(record.code.clone()),
        );
        ids.push(pupil);
    }
    Ok((session, ids))
}

fn rule(refusal: workworlds_protocol::refusal::Refusal) -> DemoError {
    DemoError::Rules(refusal.to_string())
}

/// A 50-minute visit to a sector world: each pupil finishes some of its quests.
fn visit_world(
    store: &mut Store,
    content: &Content,
    sector: &SectorId,
    pupils: &[crate::store::StoredRecord],
    start_unix_ms: u64,
) -> Result<JoinCode, DemoError> {
    let code = demo_code(1);
    let activity = Activity::World(sector.clone());
    let (mut session, ids) = start(
        store,
        content,
        activity,
        5,
        pupils,
        code.clone(),
        start_unix_ms,
    )?;
    let quests: Vec<_> = content
        .quests
        .values()
        .filter(|quest| &quest.sector == sector)
        .collect();
    for (index, pupil) in ids.iter().enumerate() {
        // Some pupils get further than others: between two quests and all of them.
        let reached = (2 + index % 4).min(quests.len());
        for (number, quest) in quests.iter().take(reached).enumerate() {
            for (task_index, task) in quest.tasks.iter().enumerate() {
                let task_number = u8::try_from(task_index).unwrap_or(u8::MAX);
                let answer = match task.model_answer() {
                    Answer::Reflect(_) => {
                        Answer::Reflect(REFLECTIONS[(index + number) % REFLECTIONS.len()].into())
                    }
                    // Every third pupil misjudges the numbers.
                    Answer::Number(right) if index % 3 == 0 => Answer::Number(right * 3.0 + 7.0),
                    answer => answer,
                };
                let (mark, earned) = session
                    .answer(content, *pupil, &quest.id, task_number, &answer)
                    .map_err(rule)?;
                let at = start_unix_ms + (number as u64 * 8 + task_index as u64 + 1) * 60_000;
                let stored_answer = StoredAnswer {
                    pupil: *pupil,
                    session: code.clone(),
                    quest: quest.id.clone(),
                    task: task_number,
                    answer,
                    mark,
                    at_unix_ms: at,
                };
                store.record_answer(&stored_answer, &earned)?;
            }
        }
    }
    session
        .end_session(start_unix_ms + 50 * 60_000)
        .map_err(rule)?;
    store.save_session(&StoredSession::of(&session, 0, 0))?;
    Ok(code)
}

/// A challenge played to its end by five teams, with teams choosing differently, a
/// reflection from every pupil and the teacher's mark for each team's reflection.
fn play_challenge(
    store: &mut Store,
    content: &Content,
    id: &ChallengeId,
    pupils: &[crate::store::StoredRecord],
    start_unix_ms: u64,
) -> Result<JoinCode, DemoError> {
    let Some(challenge) = content.challenges.get(id) else {
        return Err(DemoError::NoContent);
    };
    let code = demo_code(2);
    let activity = Activity::Challenge(id.clone());
    let (mut session, ids) = start(
        store,
        content,
        activity,
        5,
        pupils,
        code.clone(),
        start_unix_ms,
    )?;
    let mut now_ms = 0;
    for round in 0..challenge.rounds {
        for pupil in &ids {
            let Some((team, roles)) = session.challenge_roles(*pupil) else {
                continue;
            };
            for decision in challenge
                .decisions
                .iter()
                .filter(|d| roles.contains(&d.owner))
            {
                // Each team leans its own way, and moves a little each round.
                let lean = f64::from(team.0) - 2.0 + f64::from(round % 2);
                let value =
                    (decision.default + lean * decision.step).clamp(decision.min, decision.max);
                session
                    .set_decision(*pupil, &decision.id, value)
                    .map_err(rule)?;
            }
        }
        session.start_round(now_ms).map_err(rule)?;
        now_ms += u64::from(ROUND_SECONDS) * 1000;
        session.end_round().map_err(rule)?;
    }
    for team in 0..5u8 {
        let mark = 1 + team % 4;
        session
            .mark_reflection(workworlds_protocol::ids::TeamId(team), mark)
            .map_err(rule)?;
    }
    let end = start_unix_ms + u64::from(challenge.rounds * ROUND_SECONDS) * 1000 + 15 * 60_000;
    for (index, pupil) in ids.iter().enumerate() {
        if challenge.debrief.is_empty() {
            break;
        }
        let prompt = u8::try_from(index % challenge.debrief.len()).unwrap_or(0);
        let about = ReflectionAbout::Challenge {
            challenge: id.clone(),
            prompt,
        };
        let text = REFLECTIONS[(index + 2) % REFLECTIONS.len()];
        let reflection = store.add_reflection(*pupil, &code, &about, text, end)?;
        if index % 4 == 0 {
            store.choose_best(&[*pupil], reflection, true)?;
        }
        if index % 3 == 0 {
            let comment = TEACHER_COMMENTS[index % TEACHER_COMMENTS.len()];
            store.comment_reflection(&code, reflection, Some(comment))?;
        }
    }
    session.end_session(end).map_err(rule)?;
    store
        .save_session_and_challenge(&StoredSession::of(&session, 0, 0), session.challenge_play())?;
    Ok(code)
}
