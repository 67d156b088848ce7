//! The shapes of the content files as written. Each kind of file has a type ending in
//! `Def`; serde reads it with `deny_unknown_fields`, so a misspelt field is an error
//! rather than silently ignored, and `validate` turns it into the checked type the rest
//! of the game uses (`QuestDef` into `Quest`). The pieces nested inside (tasks, choices,
//! rules) keep their shape once their file is validated, so both sides share them and
//! they carry no `Def` suffix.
//!
//! Sizes on maps are in tiles; the client draws a tile 64 pixels wide.

use serde::{Deserialize, Serialize};

use crate::colour::Colour;
use crate::curriculum::{AgePhase, ExperienceType, Objective, Skill};
use crate::ids::{QuestId, RoleId, SectorId};
use crate::text::Text;

/// `sectors/<id>.ron`: a sector world to explore.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectorDef {
    /// The world's name, such as "Energy and environment".
    pub name: Text,
    /// One or two sentences on what work in this sector is about.
    pub summary: Text,
    /// An emoji from egui's default fonts shown on the world's button and stamp.
    pub icon: String,
    /// The world's main colour.
    pub colour: Colour,
    /// The map the pupil walks around.
    pub map: Map,
}

/// The map of a sector world.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Map {
    /// Width in tiles, 8 to 64.
    pub width: u32,
    /// Height in tiles, 6 to 64.
    pub height: u32,
    /// Where the pupil starts, in tiles from the top-left corner; inside the map.
    pub spawn: TilePos,
    /// The places on the map. At least one; they lie inside the map and do not overlap.
    pub places: Vec<Place>,
}

/// A position on a map, in tiles from the top-left corner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TilePos {
    pub x: u32,
    pub y: u32,
}

/// A place on a sector map where people work, such as a wind farm or a ward.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// Unique within the sector; roles name it to stand there.
    pub id: String,
    pub name: Text,
    /// An emoji drawn on the place.
    pub icon: String,
    /// Top-left corner, in tiles.
    pub at: TilePos,
    /// Width in tiles, at least 2.
    pub width: u32,
    /// Height in tiles, at least 2.
    pub height: u32,
    /// The place's colour.
    pub colour: Colour,
}

/// `roles/<id>.ron`: a job role and the person the pupil meets doing it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleDef {
    /// The sector world the role belongs to.
    pub sector: SectorId,
    /// The place in that sector where the character stands.
    pub place: String,
    /// The job title, such as "Electrician".
    pub title: Text,
    /// An emoji for the job card.
    pub icon: String,
    /// What the work is, in two or three short sentences.
    pub what_they_do: Text,
    /// A day of the job, one short step each, 3 to 6 steps.
    pub day_in_the_life: Vec<Text>,
    /// The employability skills the job uses most; at least one, no repeats.
    pub skills: Vec<Skill>,
    /// The ways into the job; at least one, no repeats.
    pub routes: Vec<Route>,
    /// The person who does the job.
    pub character: Character,
}

/// A way into a job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Route {
    Apprenticeship,
    College,
    University,
    OnTheJob,
}

/// The character who does a job role. Characters are chosen to challenge stereotypes:
/// a woman who is an electrician, a man who is a nurse.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Character {
    /// First name and family name.
    pub name: String,
    pub pronouns: Pronouns,
    /// How they got into the job, in their own words.
    pub story: Text,
    /// Colours the client draws the character with.
    pub looks: Looks,
}

/// The pronouns a character goes by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Pronouns {
    She,
    He,
    They,
}

/// Colours for drawing a character.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Looks {
    pub skin: Colour,
    pub hair: Colour,
    pub clothes: Colour,
}

/// `quests/<id>.ron`: something a character asks the pupil to do.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestDef {
    /// The job role whose character gives the quest.
    pub giver: RoleId,
    pub title: Text,
    /// The age phases it suits; at least one, no repeats.
    pub ages: Vec<AgePhase>,
    /// The CWRE objectives it serves; at least one, no repeats.
    pub objectives: Vec<Objective>,
    /// The type of work-related experience it is.
    pub experience: ExperienceType,
    /// Skills practised; at least one, no repeats.
    pub skills: Vec<Skill>,
    /// Read before the tasks: what the pupil is about to do and why.
    pub get_ready: Text,
    /// The tasks, in order; 1 to 8.
    pub tasks: Vec<Task>,
    /// Questions for the debrief afterwards; at least one.
    pub debrief: Vec<Text>,
    pub rewards: Rewards,
}

/// What finishing a quest gives the pupil.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rewards {
    /// Whether it stamps the passport for the giver's sector world.
    pub stamp: bool,
    /// Whether it gives the giver's job card.
    pub job_card: bool,
    /// How long the quest takes, in minutes, 1 to 120; counted towards the hours a
    /// pupil spends on each CWRE objective.
    pub minutes: u32,
}

/// One task of a quest.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// The question or instruction.
    pub prompt: Text,
    pub kind: TaskKind,
    /// Said after the pupil answers, right or wrong: why the answer is what it is.
    #[serde(default)]
    pub explain: Option<Text>,
}

/// The kinds of task the server can mark.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum TaskKind {
    /// Pick the one right option. 2 to 6 options.
    ChooseOne {
        options: Vec<Choice>,
        answer: String,
    },
    /// Pick every right option and no wrong one. 2 to 8 options; 1 or more answers.
    ChooseSeveral {
        options: Vec<Choice>,
        answers: Vec<String>,
    },
    /// Put the items in order. Written in the right order; the client shuffles them.
    /// 2 to 8 items.
    Order { items: Vec<Choice> },
    /// Match each left item with its right item. Written as matching pairs; the client
    /// shuffles the right column. 2 to 6 pairs.
    MatchPairs { pairs: Vec<Pair> },
    /// Sort items into groups. 2 to 4 groups, 4 to 12 items in all.
    Sort { groups: Vec<Group> },
    /// Give a number; right when within `tolerance` of `answer`.
    Number {
        /// The unit shown beside the box, such as "kWh" or "£".
        unit: Text,
        answer: f64,
        /// How far from the answer still counts as right, in the task's unit; 0 or more.
        tolerance: f64,
        /// The smallest number the box accepts.
        min: f64,
        /// The largest number the box accepts; above `min`, and the answer lies between.
        max: f64,
    },
    /// Write or say a reflection. Never marked, always kept in the pupil's portfolio.
    Reflect {
        /// The fewest words the box asks for, 0 to 200; 0 lets a young pupil pick an
        /// emoji face instead of writing.
        min_words: u32,
    },
}

/// An option, item or match in a task.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Unique within the task; answers refer to it.
    pub id: String,
    pub text: Text,
    /// An emoji shown beside the text, which lets the youngest answer without reading.
    #[serde(default)]
    pub icon: Option<String>,
}

/// A pair in a match task.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub left: Choice,
    pub right: Choice,
}

/// A group in a sort task, with the items that belong in it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Unique within the task.
    pub id: String,
    pub label: Text,
    /// At least one.
    pub items: Vec<Choice>,
}

/// `badges/<id>.ron`: a badge a pupil can earn.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BadgeDef {
    pub name: Text,
    /// What the badge says about the pupil who holds it.
    pub description: Text,
    /// How to earn it, in words a pupil understands; shown with the badge and written
    /// into its Open Badges export.
    pub criteria: Text,
    /// An emoji drawn on the badge.
    pub icon: String,
    /// The CWRE objectives the badge is aligned to; at least one.
    pub objectives: Vec<Objective>,
    /// Rules over a pupil's progress that must all hold. May be empty only when the
    /// badge has a mission.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// A mission of exactly three steps, all of which must be done, for badges that
    /// have one.
    #[serde(default)]
    pub mission: Option<Vec<MissionStep>>,
}

/// A rule over a pupil's progress.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Rule {
    /// Every one of these quests finished.
    QuestsDone(Vec<QuestId>),
    /// At least this many quests finished, 1 or more.
    QuestCount(u32),
    /// A passport stamp from every sector world.
    AllStamps,
    /// At least this many passport stamps, 1 or more.
    StampCount(u32),
    /// At least this many job cards, 1 or more.
    JobCardCount(u32),
    /// At least this many reflections written, 1 or more.
    ReflectionCount(u32),
    /// At least this many different skills practised, 1 to 12.
    SkillCount(u32),
    /// At least this many enterprise challenges played to the end, 1 or more.
    ChallengeCount(u32),
}

/// One step of a badge's mission.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissionStep {
    /// What to do, in a sentence.
    pub text: Text,
    pub done_by: StepCheck,
}

/// How a mission step is known to be done.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum StepCheck {
    /// Finishing this quest in the game.
    Quest(QuestId),
    /// A teacher ticks it off: for work done outside the game, such as helping at a
    /// careers fair.
    TeacherConfirms,
}
