//! What a welcomed client asks of the server. Teachers and pupils have separate enums;
//! the server checks each request against the connection's role and the session's state
//! before acting.

use serde::{Deserialize, Serialize};
use workworlds_content::Lang;
use workworlds_content::ids::{ChallengeId, QuestId, SectorId};
use workworlds_content::marking::Answer;

use crate::ids::{JoinCode, PupilId, TeamId};

/// Anything a welcomed client asks. Both roles' requests share one type on the wire so
/// the server can tell a pupil's connection sending a teacher's request (refused, and
/// logged) from a malformed frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ClientRequest {
    Teacher(TeacherRequest),
    Pupil(PupilRequest),
}

/// A request numbered by the client, so the server's reply can name it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Numbered<Request> {
    pub id: u32,
    pub request: Request,
}

/// The fewest and most teams a class session may have.
pub const TEAMS: std::ops::RangeInclusive<u8> = 1..=12;

/// The shortest and longest round, in seconds.
pub const ROUND_SECONDS: std::ops::RangeInclusive<u32> = 30..=3600;

/// What a class session is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Activity {
    /// Exploring a sector world and doing its quests.
    World(SectorId),
    /// Playing an enterprise challenge in teams.
    Challenge(ChallengeId),
}

/// A teacher's request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TeacherRequest {
    /// Starts a class session; the reply carries its join code.
    CreateSession {
        activity: Activity,
        teams: u8,
        round_seconds: u32,
        typed_names: bool,
    },
    /// Takes charge of an existing session of this teacher's, as after a reconnect.
    OpenSession {
        code: JoinCode,
    },
    StartRound,
    PauseRound,
    ResumeRound,
    /// Adds time to the running or paused round.
    ExtendRound {
        seconds: u32,
    },
    EndRound,
    /// Freezes (or releases) every pupil's screen.
    EyesOnMe {
        on: bool,
    },
    MovePupil {
        pupil: PupilId,
        team: TeamId,
    },
    RemovePupil {
        pupil: PupilId,
    },
    LockLobby {
        locked: bool,
    },
    /// Marks a team's reflection on a challenge from 0 (none) to 4 (thoughtful, with
    /// evidence and a next step); the mark counts on the team's scorecard.
    MarkReflection {
        team: TeamId,
        mark: u8,
    },
    /// Ends the class session for good: pupils are told, its record is kept, and it is
    /// not reopened after a restart.
    EndSession,
    /// Adds the teacher's comment to a reflection written in this session, or clears it
    /// with an empty comment.
    CommentReflection {
        reflection: u64,
        comment: String,
    },
    /// Asks for the session's row of the school's CWRE planning and recording sheet,
    /// as CSV with its header row, in `lang`.
    SessionRecord {
        lang: Lang,
    },
    /// Asks for every reflection pupils wrote in the session, to read, mark and comment
    /// on in the debrief.
    Reflections,
}

/// A pupil's request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PupilRequest {
    /// Answers task `task` (from 0) of a quest; the reply carries the mark.
    SubmitAnswer {
        quest: QuestId,
        task: u8,
        answer: Answer,
    },
    /// Puts a hand up or down.
    HandUp { up: bool },
    /// Sets one of the team's decisions for the next round of a challenge, in the
    /// decision's unit. Only a pupil whose job role owns the decision may.
    SetDecision { decision: String, value: f64 },
    /// Adds a net-zero investment to the team's plan for the next round, or takes it
    /// off. Only a pupil whose job role owns the investment may.
    SetInvestment { investment: String, buy: bool },
    /// Answers one of the challenge's debrief prompts (by its index) in the pupil's
    /// own words, for their portfolio.
    Reflect { prompt: u8, text: String },
    /// Marks one of the pupil's own reflections as one of their best, or not.
    ChooseBest { reflection: u64, best: bool },
    /// Asks for the pupil's portfolio.
    Portfolio,
}
