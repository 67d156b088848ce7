//! The Curriculum for Wales facts that content maps to: the six objectives for
//! careers and work-related experiences (O1–O6), the four types of experience (T1–T4),
//! the age phases, the twelve employability skills and the OECD career-readiness
//! indicators.
//!
//! The ids are Rust enums because code relies on them (the school's recording sheet has
//! one column per objective and type); their names and descriptions in both languages
//! live in `curriculum.ron`, which must describe every id exactly once.

use serde::{Deserialize, Serialize};

use crate::text::Text;

/// One of the six CWRE objectives that every learner should meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Objective {
    /// Relate what they learn in the curriculum to careers and work.
    O1,
    /// Keep developing their understanding of careers and work.
    O2,
    /// Gain and develop life and work skills.
    O3,
    /// Take part in work-related activities, projects and challenges.
    O4,
    /// Experience work-related roles and their tasks.
    O5,
    /// Develop the personal resources they need for their future careers.
    O6,
}

impl Objective {
    /// Every objective, in the order of the school's recording sheet.
    pub const ALL: [Objective; 6] = [
        Objective::O1,
        Objective::O2,
        Objective::O3,
        Objective::O4,
        Objective::O5,
        Objective::O6,
    ];
}

/// One of the four types of work-related experience, from classroom material (T1) to
/// learning in a real workplace (T4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ExperienceType {
    /// Curriculum resources and materials.
    T1,
    /// Working with business partners.
    T2,
    /// Role plays, business games and simulations.
    T3,
    /// Workplace learning.
    T4,
}

impl ExperienceType {
    /// Every type, in the order of the school's recording sheet.
    pub const ALL: [ExperienceType; 4] = [
        ExperienceType::T1,
        ExperienceType::T2,
        ExperienceType::T3,
        ExperienceType::T4,
    ];
}

/// An age phase of the curriculum (3–16) or post-16.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AgePhase {
    /// Ages 3 to 7.
    Ages3To7,
    /// Ages 7 to 11.
    Ages7To11,
    /// Ages 11 to 16.
    Ages11To16,
    /// Post-16 learners, ages 16 to 18.
    Ages16To18,
}

impl AgePhase {
    /// Every phase, youngest first.
    pub const ALL: [AgePhase; 4] = [
        AgePhase::Ages3To7,
        AgePhase::Ages7To11,
        AgePhase::Ages11To16,
        AgePhase::Ages16To18,
    ];

    /// The phases of the 3–16 curriculum, which every objective must be covered in.
    pub const CURRICULUM: [AgePhase; 3] = [
        AgePhase::Ages3To7,
        AgePhase::Ages7To11,
        AgePhase::Ages11To16,
    ];

    /// A short label such as `3-7`, for tables and logs.
    pub fn label(self) -> &'static str {
        match self {
            AgePhase::Ages3To7 => "3-7",
            AgePhase::Ages7To11 => "7-11",
            AgePhase::Ages11To16 => "11-16",
            AgePhase::Ages16To18 => "16-18",
        }
    }
}

/// One of the twelve employability skills of the Edge Foundation framework.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Skill {
    ProblemSolving,
    Communication,
    SelfManagement,
    Teamwork,
    Creativity,
    Numeracy,
    DigitalSkills,
    InformedAboutWork,
    Confidence,
    Drive,
    Resilience,
    Reflection,
}

impl Skill {
    /// Every skill, in the framework's order.
    pub const ALL: [Skill; 12] = [
        Skill::ProblemSolving,
        Skill::Communication,
        Skill::SelfManagement,
        Skill::Teamwork,
        Skill::Creativity,
        Skill::Numeracy,
        Skill::DigitalSkills,
        Skill::InformedAboutWork,
        Skill::Confidence,
        Skill::Drive,
        Skill::Resilience,
        Skill::Reflection,
    ];
}

/// The three groups of the OECD teenage career-readiness indicators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ReadinessGroup {
    ExploringTheFuture,
    ExperiencingTheFuture,
    ThinkingAboutTheFuture,
}

/// The shape of `curriculum.ron`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurriculumDef {
    /// Each of O1–O6 once.
    pub objectives: Vec<Described<Objective>>,
    /// Each of T1–T4 once.
    pub experience_types: Vec<Described<ExperienceType>>,
    /// Each age phase once.
    pub age_phases: Vec<Described<AgePhase>>,
    /// Each of the twelve skills once.
    pub skills: Vec<Described<Skill>>,
    /// The OECD indicators; at least one in each group.
    pub readiness_indicators: Vec<ReadinessIndicator>,
}

/// A curriculum id with its name and a one-sentence description in both languages.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Described<Id> {
    pub id: Id,
    /// A short name for tables and buttons.
    pub name: Text,
    /// One sentence on what it means.
    pub summary: Text,
}

/// One OECD career-readiness indicator.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadinessIndicator {
    pub group: ReadinessGroup,
    pub name: Text,
}

/// The validated curriculum: every id described once, so lookups cannot fail.
#[derive(Clone, Debug)]
pub struct Curriculum {
    def: CurriculumDef,
}

impl Curriculum {
    /// Wraps a definition that validation has checked is complete.
    pub(crate) fn from_checked(def: CurriculumDef) -> Curriculum {
        Curriculum { def }
    }

    /// The name and summary of an objective.
    pub fn objective(&self, id: Objective) -> &Described<Objective> {
        find(&self.def.objectives, id)
    }

    /// The name and summary of an experience type.
    pub fn experience_type(&self, id: ExperienceType) -> &Described<ExperienceType> {
        find(&self.def.experience_types, id)
    }

    /// The name and summary of an age phase.
    pub fn age_phase(&self, id: AgePhase) -> &Described<AgePhase> {
        find(&self.def.age_phases, id)
    }

    /// The name and summary of a skill.
    pub fn skill(&self, id: Skill) -> &Described<Skill> {
        find(&self.def.skills, id)
    }

    /// The OECD indicators.
    pub fn readiness_indicators(&self) -> &[ReadinessIndicator] {
        &self.def.readiness_indicators
    }
}

fn find<Id: PartialEq + std::fmt::Debug + Copy>(list: &[Described<Id>], id: Id) -> &Described<Id> {
    list.iter()
        .find(|entry| entry.id == id)
        .unwrap_or_else(|| panic!("validation guarantees {id:?} is described"))
}
