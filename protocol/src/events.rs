//! What the server tells clients: replies to their requests and the state of their
//! class session as it changes.

use serde::{Deserialize, Serialize};
use workworlds_challenge::{AbatementBar, Decisions, Leaderboard, ReflectionMark, RoundResult};
use workworlds_content::challenge::TeamRole;
use workworlds_content::ids::{BadgeId, ChallengeId, QuestId, RoleId, SectorId};
use workworlds_content::marking::Mark;

use crate::ids::{JoinCode, PupilId, TeamId};
use crate::portfolio::{Portfolio, Reflection};
use crate::refusal::Refusal;
use crate::requests::Activity;

/// A message from the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ServerEvent {
    /// The answer to the client's request `id`.
    Reply {
        id: u32,
        outcome: Result<Reply, Refusal>,
    },
    /// The session as everyone in it sees it, sent whenever it changes.
    Session(SessionView),
    /// The teacher's live view, sent to teachers whenever it changes.
    Dashboard(Dashboard),
    /// The teacher removed this pupil; the connection closes after this.
    Removed,
    /// Where the session's challenge stands, sent to everyone whenever it changes.
    Challenge(ChallengeView),
    /// This pupil has just been awarded a badge.
    BadgeEarned(BadgeId),
    /// The teacher ended the session; the connection closes after this.
    SessionEnded,
}

/// What a successful request gives back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    Done,
    SessionCreated {
        code: JoinCode,
    },
    /// The mark for an answer, and what finishing the quest with it earned.
    Marked {
        mark: Mark,
        earned: Vec<Earned>,
    },
    /// The pupil's portfolio.
    Portfolio(Box<Portfolio>),
    /// The session's row of the CWRE planning and recording sheet, as CSV.
    SessionRecord {
        csv: String,
    },
    /// The id of the reflection just kept.
    Reflected {
        reflection: u64,
    },
    /// The reflections written in the session, oldest first, for the teacher's
    /// debrief: the newest that fit in [`REFLECTIONS_BYTES`], and how many older ones
    /// were left out to stay within it.
    Reflections {
        reflections: Vec<ClassReflection>,
        left_out: u32,
    },
}

/// About the most bytes of reflections one reply carries: half the largest frame a
/// client takes from the server, so a class that wrote a great deal cannot make a
/// reply the teacher's game would refuse.
pub const REFLECTIONS_BYTES: usize = 128 * 1024;

/// A reflection written in the teacher's session, with who wrote it and in which team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassReflection {
    pub pupil: PupilId,
    pub name: String,
    pub team: TeamId,
    pub reflection: Reflection,
}

/// Something a pupil keeps from a quest.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Earned {
    /// A passport stamp for a sector world.
    Stamp(SectorId),
    /// The job card of a role.
    JobCard(RoleId),
}

/// A class session's shared state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub code: JoinCode,
    pub activity: Activity,
    pub round: RoundView,
    /// Every pupil's screen is frozen while the teacher has everyone's attention.
    pub eyes_on_me: bool,
    pub lobby_locked: bool,
    /// Whether the teacher has ended the session for good.
    pub ended: bool,
    pub teams: Vec<TeamView>,
}

/// The round as every client shows it. Remaining time is counted on the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundView {
    /// Rounds started so far; 0 before the first.
    pub number: u32,
    pub state: RoundState,
    /// Milliseconds left when this view was made.
    pub remaining_ms: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoundState {
    NotStarted,
    Running,
    Paused,
    Ended,
}

/// A team and its members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamView {
    pub id: TeamId,
    pub members: Vec<MemberView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub pupil: PupilId,
    pub name: String,
}

/// What only the teacher sees.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub code: JoinCode,
    pub pupils: Vec<PupilStatus>,
}

/// One pupil on the teacher's dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PupilStatus {
    pub pupil: PupilId,
    pub name: String,
    pub team: TeamId,
    pub connected: bool,
    pub hand_up: bool,
    /// Tasks answered, and of those, answered right.
    pub answered: u32,
    pub right: u32,
    /// The quest the pupil last answered a task of.
    pub current_quest: Option<QuestId>,
}

/// A session's enterprise challenge as one client sees it. Results are public, so every
/// team sees every team's rounds; a team's plan for the next round is its own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChallengeView {
    pub challenge: ChallengeId,
    /// Rounds simulated so far; the challenge is over when this reaches its rounds.
    pub rounds_played: u32,
    /// Each team's results, round by round, in team order.
    pub results: Vec<Vec<RoundResult>>,
    /// The receiving pupil's team's plan; `None` for a teacher.
    pub plan: Option<TeamPlan>,
    /// The teacher's mark for each team's reflection, in team order, once given.
    pub reflections: Vec<Option<ReflectionMark>>,
    /// What each net-zero investment costs per tonne of carbon it saves, cheapest
    /// first, for the marginal abatement cost chart; empty for a business challenge.
    pub abatement: Vec<AbatementBar>,
    /// The final scores on each measure, once the last round has been played.
    pub leaderboard: Option<Leaderboard>,
}

/// A team's plan for its next round, as one of its pupils sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamPlan {
    pub team: TeamId,
    /// The job roles this pupil holds: they set the decisions these roles own.
    pub roles: Vec<TeamRole>,
    /// What the team has chosen so far; a decision not in it keeps last round's value.
    pub decisions: Decisions,
}
