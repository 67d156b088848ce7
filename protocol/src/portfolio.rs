//! A pupil's portfolio as the server sends it: everything they keep from one session to
//! the next. The server builds it from its store; the client only shows it, and badge
//! rules are judged against it on the server.

use serde::{Deserialize, Serialize};
use workworlds_content::curriculum::{Objective, Skill};
use workworlds_content::ids::{BadgeId, ChallengeId, QuestId, RoleId, SectorId};

use crate::ids::JoinCode;

/// The most characters a reflection or a teacher's comment may have: a long paragraph.
pub const MAX_REFLECTION_CHARS: usize = 2_000;

/// What a pupil has collected, done and written, across every session they joined.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Portfolio {
    /// The name on the pupil's record (or in the session, for a pupil without a code).
    pub name: String,
    /// The class on the record; empty for a pupil without a pupil code.
    pub class: String,
    /// The class's year or group as the school writes it, such as "Y5"; empty when
    /// unknown. The game shows younger pupils their passport first.
    pub year_group: String,
    /// Passport stamps, one per sector world, in world order.
    pub stamps: Vec<Kept<SectorId>>,
    pub job_cards: Vec<Kept<RoleId>>,
    /// Quests with every task answered, in quest order.
    pub quests: Vec<QuestDone>,
    /// Enterprise challenges the pupil took part in, oldest first.
    pub challenges: Vec<ChallengeTaken>,
    /// Skills practised in finished quests and challenges, in framework order.
    pub skills: Vec<Skill>,
    /// Minutes of activity towards each CWRE objective, in objective order; an
    /// objective with no activity is left out.
    pub objective_minutes: Vec<(Objective, u32)>,
    /// Badges awarded, oldest first.
    pub badges: Vec<BadgeAwarded>,
    /// Everything the pupil wrote when asked to reflect, oldest first.
    pub reflections: Vec<Reflection>,
}

/// A stamp or job card, with the quest that earned it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kept<T> {
    pub item: T,
    pub quest: QuestId,
    /// Milliseconds since the Unix epoch.
    pub at_unix_ms: u64,
}

/// A finished quest and the marks of its tasks, added up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestDone {
    pub quest: QuestId,
    pub points: u32,
    pub out_of: u32,
    /// When its last task was answered, in milliseconds since the Unix epoch.
    pub at_unix_ms: u64,
}

/// A challenge a pupil's team played.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeTaken {
    pub challenge: ChallengeId,
    pub session: JoinCode,
    /// The pupil's team, numbered from 0.
    pub team: u8,
    pub rounds_played: u32,
    /// Whether every round was played.
    pub finished: bool,
    /// The team's overall score from 0 to 100 once finished.
    pub score: Option<u32>,
}

/// A badge on a pupil's record, with the evidence it was awarded on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadgeAwarded {
    pub badge: BadgeId,
    /// Milliseconds since the Unix epoch.
    pub at_unix_ms: u64,
    pub evidence: Evidence,
}

/// Why a badge was awarded: the quests, challenges, reflections and teacher-confirmed
/// mission steps its rules were met with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub quests: Vec<QuestId>,
    pub challenges: Vec<ChallengeId>,
    /// Ids of the reflections counted.
    pub reflections: Vec<u64>,
    /// Mission steps (from 0) a teacher confirmed.
    pub confirmed_steps: Vec<u8>,
    pub stamps: Vec<SectorId>,
    pub job_cards: Vec<RoleId>,
    pub skills: Vec<Skill>,
}

/// One reflection a pupil wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reflection {
    /// The reflection's id in the store, by which a pupil picks it as their best.
    pub id: u64,
    pub about: ReflectionAbout,
    pub text: String,
    /// Whether the pupil chose it as one of their best.
    pub best: bool,
    /// The teacher's comment, if they added one.
    pub comment: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub at_unix_ms: u64,
}

/// What a reflection answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReflectionAbout {
    /// A quest's reflection task, by its index in the quest.
    Quest { quest: QuestId, task: u8 },
    /// One of a challenge's debrief prompts, by its index.
    Challenge { challenge: ChallengeId, prompt: u8 },
}
