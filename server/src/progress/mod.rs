//! A pupil's progress, gathered from the store into the [`Portfolio`] the pupil sees
//! and badge rules are judged against.
//!
//! Progress is never kept twice: it is worked out from the answers, rewards,
//! reflections and challenge results the store already holds, across every session the
//! pupil joined with their pupil code. So a correction in one place (an erased pupil,
//! a removed answer) can never leave a stale total elsewhere.

pub mod badges;

use std::collections::{BTreeMap, BTreeSet};

use workworlds_challenge::scorecard;
use workworlds_content::Content;
use workworlds_content::curriculum::{Objective, Skill};
use workworlds_content::ids::QuestId;
use workworlds_protocol::events::Earned;
use workworlds_protocol::ids::{JoinCode, PupilCode, PupilId};
use workworlds_protocol::portfolio::{BadgeAwarded, ChallengeTaken, Kept, Portfolio, QuestDone};
use workworlds_protocol::requests::Activity;

use crate::store::{Store, StoreError, StoredReflection};

/// Skills every enterprise challenge practises: the outcomes the CWRE guidance gives
/// for taking part in work-related challenges (objective O4).
const CHALLENGE_SKILLS: [Skill; 2] = [Skill::Teamwork, Skill::ProblemSolving];

/// Whose progress to gather.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Holder {
    /// A pupil record, across every session joined with its code.
    Record(PupilCode),
    /// A pupil who joined one session without a code.
    Pupil { pupil: PupilId, session: JoinCode },
}

impl Holder {
    /// The holder of a session pupil's progress: their record if they have one.
    pub fn of(pupil: PupilId, session: &JoinCode, record: Option<&PupilCode>) -> Holder {
        match record {
            Some(code) => Holder::Record(code.clone()),
            None => Holder::Pupil {
                pupil,
                session: session.clone(),
            },
        }
    }
}

/// Gathers everything `holder` has done, collected and written.
pub fn portfolio(
    store: &Store,
    content: &Content,
    holder: &Holder,
) -> Result<Portfolio, StoreError> {
    let (rows, name, class, awards) = match holder {
        Holder::Record(code) => {
            let record = store
                .record(code)?
                .ok_or_else(|| StoreError::UnknownRecord(code.clone()))?;
            let awards = store.awards(code)?;
            (
                store.record_pupils(code)?,
                record.name,
                record.class,
                awards,
            )
        }
        Holder::Pupil { pupil, session } => {
            let name = store
                .pupils_including_removed(session)?
                .into_iter()
                .find(|stored| stored.pupil == *pupil)
                .map(|stored| stored.name)
                .ok_or(StoreError::UnknownPupil(*pupil))?;
            (
                vec![(*pupil, session.clone())],
                name,
                String::new(),
                Vec::new(),
            )
        }
    };

    let year_group = match store.class(&class)? {
        Some(found) if !class.is_empty() => found.year_group,
        _ => String::new(),
    };
    let mut portfolio = Portfolio {
        name,
        class,
        year_group,
        badges: awards
            .into_iter()
            .map(|award| BadgeAwarded {
                badge: award.badge,
                at_unix_ms: award.at_unix_ms,
                evidence: award.evidence,
            })
            .collect(),
        ..Portfolio::default()
    };
    let mut quests = QuestTally::default();
    let mut stamps = BTreeMap::new();
    let mut job_cards = BTreeMap::new();
    for (pupil, session) in &rows {
        for answer in store.answers(*pupil)? {
            quests.add(&answer.quest, answer.task, answer.mark, answer.at_unix_ms);
        }
        for (earned, quest) in store.rewards(*pupil)? {
            let at = quests.last_at(&quest);
            match earned {
                Earned::Stamp(sector) => stamps.entry(sector).or_insert((quest, at)),
                Earned::JobCard(role) => job_cards.entry(role).or_insert((quest, at)),
            };
        }
        if let Some(taken) = challenge_taken(store, content, *pupil, session)? {
            portfolio.challenges.push(taken);
        }
    }

    portfolio.quests = quests.finished(content);
    portfolio.stamps = kept(stamps);
    portfolio.job_cards = kept(job_cards);
    let ids: Vec<PupilId> = rows.iter().map(|(pupil, _)| *pupil).collect();
    portfolio.reflections = store
        .reflections(&ids)?
        .into_iter()
        .map(StoredReflection::shown)
        .collect();
    fill_skills_and_minutes(&mut portfolio, content, store)?;
    Ok(portfolio)
}

/// Answers counted per quest and task across sessions: the latest answer to a task
/// is the one that counts.
#[derive(Default)]
struct QuestTally {
    tasks: BTreeMap<QuestId, BTreeMap<u8, (u32, u32, u64)>>,
}

impl QuestTally {
    fn add(&mut self, quest: &QuestId, task: u8, mark: workworlds_content::marking::Mark, at: u64) {
        self.tasks
            .entry(quest.clone())
            .or_default()
            .insert(task, (mark.points, mark.out_of, at));
    }

    fn last_at(&self, quest: &QuestId) -> u64 {
        self.tasks
            .get(quest)
            .and_then(|tasks| tasks.values().map(|(_, _, at)| *at).max())
            .unwrap_or(0)
    }

    /// The quests with every task the content gives them answered.
    fn finished(&self, content: &Content) -> Vec<QuestDone> {
        self.tasks
            .iter()
            .filter_map(|(id, tasks)| {
                let quest = content.quests.get(id)?;
                let all = (0..quest.tasks.len())
                    .all(|task| u8::try_from(task).is_ok_and(|task| tasks.contains_key(&task)));
                all.then(|| QuestDone {
                    quest: id.clone(),
                    points: tasks.values().map(|(points, _, _)| points).sum(),
                    out_of: tasks.values().map(|(_, out_of, _)| out_of).sum(),
                    at_unix_ms: self.last_at(id),
                })
            })
            .collect()
    }
}

fn kept<T>(items: BTreeMap<T, (QuestId, u64)>) -> Vec<Kept<T>> {
    items
        .into_iter()
        .map(|(item, (quest, at_unix_ms))| Kept {
            item,
            quest,
            at_unix_ms,
        })
        .collect()
}

/// The challenge a session pupil's team played, if their session played one.
fn challenge_taken(
    store: &Store,
    content: &Content,
    pupil: PupilId,
    session: &JoinCode,
) -> Result<Option<ChallengeTaken>, StoreError> {
    let Some(stored) = store.session(session)? else {
        return Ok(None);
    };
    let Activity::Challenge(id) = &stored.setup.activity else {
        return Ok(None);
    };
    let (Some(challenge), Some(play)) =
        (content.challenges.get(id), store.challenge_play(session)?)
    else {
        return Ok(None);
    };
    let team = store
        .pupils_including_removed(session)?
        .into_iter()
        .find(|stored| stored.pupil == pupil)
        .map_or(0, |stored| stored.team.0);
    let Some(team_play) = play.teams.get(usize::from(team)) else {
        return Ok(None);
    };
    let rounds_played = play.rounds_played();
    let finished = play.is_over(challenge);
    let score = finished.then(|| {
        let card = scorecard(challenge, &team_play.results, team_play.reflection);
        // The total is 0 to 100 by construction; rounding keeps it whole for people.
        card.total.round().clamp(0.0, 100.0) as u32
    });
    Ok(Some(ChallengeTaken {
        challenge: id.clone(),
        session: session.clone(),
        team,
        rounds_played,
        finished,
        score,
    }))
}

/// Skills practised and minutes per objective: a finished quest counts its minutes
/// towards each of its objectives; a challenge counts the rounds its team played, at
/// the session's round length, towards each of the challenge's objectives.
fn fill_skills_and_minutes(
    portfolio: &mut Portfolio,
    content: &Content,
    store: &Store,
) -> Result<(), StoreError> {
    let mut skills = BTreeSet::new();
    let mut minutes: BTreeMap<Objective, u32> = BTreeMap::new();
    for done in &portfolio.quests {
        let Some(quest) = content.quests.get(&done.quest) else {
            continue;
        };
        skills.extend(quest.skills.iter().copied());
        for objective in &quest.objectives {
            *minutes.entry(*objective).or_default() += quest.rewards.minutes;
        }
    }
    for taken in &portfolio.challenges {
        let Some(challenge) = content.challenges.get(&taken.challenge) else {
            continue;
        };
        if taken.rounds_played > 0 {
            skills.extend(CHALLENGE_SKILLS);
        }
        let round_seconds = store
            .session(&taken.session)?
            .map_or(0, |stored| stored.setup.round_seconds);
        let played = taken.rounds_played.saturating_mul(round_seconds) / 60;
        for objective in &challenge.objectives {
            *minutes.entry(*objective).or_default() += played;
        }
    }
    portfolio.skills = skills.into_iter().collect();
    portfolio.objective_minutes = minutes
        .into_iter()
        .filter(|(_, minutes)| *minutes > 0)
        .collect();
    Ok(())
}
