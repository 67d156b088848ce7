//! The validated content the game runs on. Every id a value refers to exists, every
//! text has both languages and every task's answer fits its options, so code that
//! reads a `Content` can index its maps without handling missing entries.

use std::collections::BTreeMap;

use crate::challenge::{
    Business, Decision, EmissionFactor, Event, Lever, NetZero, Period, Resource, ResourceUse,
    Scoring, TeamRole,
};
use crate::colour::Colour;
use crate::curriculum::{AgePhase, Curriculum, ExperienceType, Objective, Skill};
use crate::defs::{Character, Map, MissionStep, Rewards, Route, Rule, Task};
use crate::ids::{BadgeId, ChallengeId, QuestId, RoleId, SectorId};
use crate::text::Text;

/// A whole validated content folder.
#[derive(Clone, Debug)]
pub struct Content {
    pub curriculum: Curriculum,
    pub sectors: BTreeMap<SectorId, Sector>,
    pub roles: BTreeMap<RoleId, Role>,
    pub quests: BTreeMap<QuestId, Quest>,
    pub badges: BTreeMap<BadgeId, Badge>,
    pub challenges: BTreeMap<ChallengeId, Challenge>,
}

impl Content {
    /// The quests whose giver works in `sector`, in id order.
    pub fn quests_in(&self, sector: &SectorId) -> impl Iterator<Item = &Quest> {
        self.quests
            .values()
            .filter(move |quest| &quest.sector == sector)
    }
}

/// A sector world.
#[derive(Clone, Debug)]
pub struct Sector {
    pub id: SectorId,
    pub name: Text,
    pub summary: Text,
    pub icon: String,
    pub colour: Colour,
    pub map: Map,
    /// The job roles found in this world, in id order; at least one.
    pub roles: Vec<RoleId>,
}

/// A job role and the character who does it.
#[derive(Clone, Debug)]
pub struct Role {
    pub id: RoleId,
    pub sector: SectorId,
    /// The id of the place in the sector where the character stands.
    pub place: String,
    pub title: Text,
    pub icon: String,
    pub what_they_do: Text,
    pub day_in_the_life: Vec<Text>,
    pub skills: Vec<Skill>,
    pub routes: Vec<Route>,
    pub character: Character,
}

/// A quest a character gives.
#[derive(Clone, Debug)]
pub struct Quest {
    pub id: QuestId,
    pub giver: RoleId,
    /// The giver's sector world, whose stamp the quest may give.
    pub sector: SectorId,
    pub title: Text,
    pub ages: Vec<AgePhase>,
    pub objectives: Vec<Objective>,
    pub experience: ExperienceType,
    pub skills: Vec<Skill>,
    pub get_ready: Text,
    pub tasks: Vec<Task>,
    pub debrief: Vec<Text>,
    pub rewards: Rewards,
}

/// A badge and what earns it.
#[derive(Clone, Debug)]
pub struct Badge {
    pub id: BadgeId,
    pub name: Text,
    pub description: Text,
    pub criteria: Text,
    pub icon: String,
    pub objectives: Vec<Objective>,
    /// Every rule must hold.
    pub rules: Vec<Rule>,
    /// Empty, or exactly three steps that must all be done.
    pub mission: Vec<MissionStep>,
}

/// An enterprise challenge or net-zero scenario. Every decision's range holds its
/// default, every lever the simulation needs is set by one decision, every resource
/// names an emission factor for its kind, and the season has one number per round, so
/// the simulation can rely on them.
#[derive(Clone, Debug)]
pub struct Challenge {
    pub id: ChallengeId,
    pub title: Text,
    pub brief: Text,
    pub sector: SectorId,
    pub ages: Vec<AgePhase>,
    /// Always includes O3 and O4.
    pub objectives: Vec<Objective>,
    pub experience: ExperienceType,
    pub primary: bool,
    pub period: Period,
    /// 1 to 12.
    pub rounds: u32,
    pub roles: Vec<TeamRole>,
    pub decisions: Vec<Decision>,
    pub business: Business,
    pub emission_factors: Vec<EmissionFactor>,
    pub events: Vec<Event>,
    pub net_zero: Option<NetZero>,
    pub scoring: Scoring,
    pub debrief: Vec<Text>,
}

impl Challenge {
    /// The decision with this id.
    pub fn decision(&self, id: &str) -> Option<&Decision> {
        self.decisions.iter().find(|decision| decision.id == id)
    }

    /// The decision that sets `lever`, if any does.
    pub fn decision_for(&self, lever: Lever) -> Option<&Decision> {
        self.decisions
            .iter()
            .find(|decision| decision.sets == lever)
    }

    /// How the business uses `kind`, if it does.
    pub fn resource(&self, kind: Resource) -> Option<&ResourceUse> {
        self.business
            .resources
            .iter()
            .find(|resource| resource.kind == kind)
    }

    /// The emission factor with this id.
    pub fn factor(&self, id: &str) -> Option<&EmissionFactor> {
        self.emission_factors.iter().find(|factor| factor.id == id)
    }

    /// The calendar year a round stands for in a net-zero scenario, whose last round
    /// is the target year.
    pub fn year_of_round(&self, round: u32) -> Option<u32> {
        let net_zero = self.net_zero.as_ref()?;
        let first = net_zero.target_year.checked_sub(self.rounds - 1)?;
        Some(first + round)
    }
}
