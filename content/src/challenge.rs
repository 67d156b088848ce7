//! `challenges/<id>.ron`: enterprise challenges and net-zero scenarios that classes play
//! in teams. A file sets the scene (an employer's brief), the decisions each team role
//! owns, the business model the server simulates, the emission factors it counts
//! carbon with, the random events that can happen, and how teams are scored.
//!
//! Money is in pounds (£), carbon in kilograms of CO2 equivalent (kgCO2e). Every
//! business quantity is *per round*, and a round stands for the challenge's `period`
//! (a week, a month or a year), except hours, which are per week as people say them.
//! The pieces nested in `ChallengeDef` keep their shape once the file is validated, so
//! the simulation reads them directly; only `ChallengeDef` itself becomes `Challenge`.

use serde::{Deserialize, Serialize};

use crate::curriculum::{AgePhase, ExperienceType, Objective};
use crate::ids::SectorId;
use crate::text::Text;

/// `challenges/<id>.ron`: an enterprise challenge, or a net-zero scenario when it has a
/// `net_zero` part.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChallengeDef {
    /// The challenge's name, such as "A seaside café for the summer".
    pub title: Text,
    /// The employer's brief that teams read to get ready: who is asking, what the
    /// business is and what good looks like.
    pub brief: Text,
    /// The sector world the business belongs to.
    pub sector: SectorId,
    /// The age phases it suits; at least one, no repeats.
    pub ages: Vec<AgePhase>,
    /// The CWRE objectives it serves; no repeats, and always O3 (life and work skills)
    /// and O4 (work-related challenges).
    pub objectives: Vec<Objective>,
    /// The type of work-related experience; a business game is usually `T3`.
    pub experience: ExperienceType,
    /// The simpler version for ages 7 to 11: at most four decisions, each in whole
    /// numbers, and no borrowing. Default `false`.
    #[serde(default)]
    pub primary: bool,
    /// What one round stands for.
    pub period: Period,
    /// How many rounds are played, 1 to 12.
    pub rounds: u32,
    /// The job roles in each team; at least one, no repeats, each owning a decision or
    /// an investment.
    pub roles: Vec<TeamRole>,
    /// What teams decide each round; 1 to 12.
    pub decisions: Vec<Decision>,
    /// How the business works.
    pub business: Business,
    /// The factors that turn energy, fuel and materials into carbon; each one used.
    pub emission_factors: Vec<EmissionFactor>,
    /// What may happen by chance in a round; at most 16. Default none.
    #[serde(default)]
    pub events: Vec<Event>,
    /// The net-zero part: a target and a menu of investments. Default `None`.
    #[serde(default)]
    pub net_zero: Option<NetZero>,
    /// How teams are judged.
    pub scoring: Scoring,
    /// Questions for the debrief at the end; 1 to 6.
    pub debrief: Vec<Text>,
}

/// What one round of a challenge stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Period {
    Week,
    Month,
    Year,
}

impl Period {
    /// Every period.
    pub const ALL: [Period; 3] = [Period::Week, Period::Month, Period::Year];

    /// How many weeks a round of this period holds, for turning weekly hours into a
    /// round's hours.
    pub fn weeks(self) -> f64 {
        match self {
            Period::Week => 1.0,
            Period::Month => 52.0 / 12.0,
            Period::Year => 52.0,
        }
    }

    /// The period's name, as in "round 3 (week 3)".
    pub fn name(self) -> Text {
        match self {
            Period::Week => Text::new("week", "wythnos"),
            Period::Month => Text::new("month", "mis"),
            Period::Year => Text::new("year", "blwyddyn"),
        }
    }
}

/// A job role that a team member takes in a challenge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum TeamRole {
    /// Prices, borrowing and the money.
    Finance,
    /// Telling people about the business.
    Marketing,
    /// How the business runs day to day: opening hours, stock, equipment.
    Operations,
    /// Staff: how many, their pay and their hours.
    People,
    /// Energy, waste and carbon.
    Sustainability,
}

impl TeamRole {
    /// Every role, in the order the game lists them.
    pub const ALL: [TeamRole; 5] = [
        TeamRole::Finance,
        TeamRole::Marketing,
        TeamRole::Operations,
        TeamRole::People,
        TeamRole::Sustainability,
    ];

    /// The role's name on a pupil's badge.
    pub fn name(self) -> Text {
        match self {
            TeamRole::Finance => Text::new("Finance", "Cyllid"),
            TeamRole::Marketing => Text::new("Marketing", "Marchnata"),
            TeamRole::Operations => Text::new("Operations", "Gweithrediadau"),
            TeamRole::People => Text::new("People", "Pobl"),
            TeamRole::Sustainability => Text::new("Sustainability", "Cynaliadwyedd"),
        }
    }
}

/// A number a team chooses each round, such as its price.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Unique within the challenge, a valid id; teams send their choice under it.
    pub id: String,
    /// What the number sets in the business model; each lever is set by one decision
    /// at most, and `Price`, `Staff` and `OpeningHours` by exactly one.
    pub sets: Lever,
    /// The question or label beside the slider, such as "Price of a meal".
    pub label: Text,
    /// The unit shown beside the number, such as "£" or "people".
    pub unit: Text,
    /// The team role that decides it; one of the challenge's `roles`.
    pub owner: TeamRole,
    /// The smallest value, in the lever's unit; finite, and above 0 for a price.
    pub min: f64,
    /// The largest value; at least `min`.
    pub max: f64,
    /// The slider's step; above 0, and `max - min` is a whole number of steps (at most
    /// 10,000 of them).
    pub step: f64,
    /// The value a team starts with; between `min` and `max`, a whole number of steps
    /// above `min`. A team that sends nothing for a decision keeps last round's value.
    pub default: f64,
}

/// What a decision sets in the business model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Lever {
    /// The price one customer pays, in £.
    Price,
    /// How many people work at a time (all of a small business's staff, or those on
    /// each shift of a bigger one).
    Staff,
    /// Hours the business is open each week; the staff decided work all of them.
    OpeningHours,
    /// Pay per hour, in £. When no decision sets it, staff are paid the
    /// `people.reference_wage`.
    Wage,
    /// Spending on marketing this round, in £. Default 0.
    Marketing,
    /// Money borrowed this round, in £, repaid over `finance.loan_rounds`. Default 0.
    /// Unlike other decisions it is not carried over: a team that sends nothing for
    /// it borrows its default.
    Loan,
}

impl Lever {
    /// The levers every challenge must let teams decide.
    pub const REQUIRED: [Lever; 3] = [Lever::Price, Lever::Staff, Lever::OpeningHours];
}

/// How the business works. Everything is per round unless it says otherwise.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Business {
    /// What one customer is, plural, such as "meals" or "bike repairs".
    pub customers: Text,
    /// Cash in the bank at the start, in £; -10,000,000 to 10,000,000.
    pub starting_cash: f64,
    pub demand: Demand,
    /// Customers one member of staff serves in an hour; above 0, at most 10,000.
    pub customers_per_staff_hour: f64,
    /// Rent, insurance and other costs that do not change, in £ per round; 0 to
    /// 100,000,000.
    pub fixed_costs: f64,
    /// Costs for each customer served whose carbon the challenge does not count (card
    /// fees, laundry, or food where a scenario counts only energy), in £; 0 to
    /// 100,000. Default 0.
    #[serde(default)]
    pub cost_per_customer: f64,
    /// The energy, fuel and materials used; each kind at most once.
    pub resources: Vec<ResourceUse>,
    pub finance: Finance,
    pub people: People,
    #[serde(default)]
    pub satisfaction: Satisfaction,
}

/// How many customers want to buy in a round. Demand is `base` times the season, times
/// `(price / reference_price)` to the power `-elasticity`, times the lift from
/// marketing and from reputation, times any event's effect.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    /// Customers who want to buy in an ordinary round at the reference price with no
    /// marketing; 0 to 1,000,000,000.
    pub base: f64,
    /// The price customers think usual, in £; above 0.
    pub reference_price: f64,
    /// How strongly demand falls as the price rises, 0 to 5: 1 means a price 10%
    /// higher loses about 10% of customers.
    pub elasticity: f64,
    /// The most that marketing can add, as a fraction of demand, 0 to 3 (0.5 is +50%).
    pub marketing_lift: f64,
    /// The marketing spend that gives half of `marketing_lift`, in £ per round; above 0.
    pub marketing_half: f64,
    /// How much reputation (last round's customer satisfaction) moves demand, 0 to 1:
    /// 0.4 means from -40% when nobody is satisfied to +40% when everybody is.
    pub reputation_weight: f64,
    /// Demand in each round relative to an ordinary one (1.0); exactly one number per
    /// round, each 0 to 5.
    pub season: Vec<f64>,
    /// Random variation in demand, 0 to 0.5: 0.05 means up to 5% either way. Default
    /// 0.05.
    #[serde(default = "default_noise")]
    pub noise: f64,
}

fn default_noise() -> f64 {
    0.05
}

/// One kind of energy, fuel or material the business uses, what it costs and which
/// emission factor counts its carbon. The amount used in a round is `per_round`, plus
/// `per_open_hour` for every hour open, plus `per_customer` for every customer served.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceUse {
    pub kind: Resource,
    /// Price per unit of the resource (£ per kWh, litre or kg); 0 to 1,000.
    pub price: f64,
    /// The id of the emission factor for it, which must be for the same kind.
    pub factor: String,
    /// Units used every round whatever happens; 0 or more. Default 0.
    #[serde(default)]
    pub per_round: f64,
    /// Units used for each hour open; 0 or more. Default 0.
    #[serde(default)]
    pub per_open_hour: f64,
    /// Units used for each customer served; 0 or more. Default 0.
    #[serde(default)]
    pub per_customer: f64,
}

/// A kind of thing a business uses that costs money and gives off carbon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Resource {
    /// Electricity from the grid, in kWh.
    Electricity,
    /// Natural gas, in kWh.
    Gas,
    /// Diesel or petrol for vans, tractors and travel, in litres.
    Fuel,
    /// Food, parts and other materials bought in, in kg.
    Materials,
}

impl Resource {
    /// Every kind, in the order results list them.
    pub const ALL: [Resource; 4] = [
        Resource::Electricity,
        Resource::Gas,
        Resource::Fuel,
        Resource::Materials,
    ];

    /// The kind's name.
    pub fn name(self) -> Text {
        match self {
            Resource::Electricity => Text::new("electricity", "trydan"),
            Resource::Gas => Text::new("gas", "nwy"),
            Resource::Fuel => Text::new("fuel", "tanwydd"),
            Resource::Materials => Text::new("materials", "deunyddiau"),
        }
    }

    /// The unit it is measured in.
    pub fn unit(self) -> Text {
        match self {
            Resource::Electricity | Resource::Gas => Text::new("kWh", "kWh"),
            Resource::Fuel => Text::new("litres", "litrau"),
            Resource::Materials => Text::new("kg", "kg"),
        }
    }
}

/// Borrowing.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finance {
    /// Interest on what is still owed on loans, as a fraction per round, 0 to 0.5
    /// (0.005 is 0.5% a round).
    pub loan_interest: f64,
    /// How many rounds a loan is repaid over, in equal parts from the next round on;
    /// 1 to 60.
    pub loan_rounds: u32,
    /// Interest on an overdraft (cash below zero at the start of a round), as a
    /// fraction per round, 0 to 0.5.
    pub overdraft_interest: f64,
}

/// Staff and how they feel. Wellbeing is a score from 0 to 100; each round it moves
/// halfway towards a target of 80, less `long_hours_penalty` for every weekly hour
/// open beyond `comfortable_hours`, less up to `busy_penalty` when customers outnumber
/// what staff can serve, plus `pay_weight` times how far pay is above the reference.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct People {
    /// The usual pay for the job, in £ per hour; above 0, at most 1,000.
    pub reference_wage: f64,
    /// The weekly opening hours staff can work and stay well (for a business with
    /// shifts, the hours its rota covers comfortably); 1 to 168. Default 40.
    #[serde(default = "default_comfortable_hours")]
    pub comfortable_hours: f64,
    /// Wellbeing points lost for each weekly hour beyond `comfortable_hours`, 0 to 10.
    /// Default 1.5.
    #[serde(default = "default_long_hours_penalty")]
    pub long_hours_penalty: f64,
    /// Wellbeing points lost when demand is double what staff can serve (less when
    /// they are less stretched), 0 to 100. Default 30.
    #[serde(default = "default_busy_penalty")]
    pub busy_penalty: f64,
    /// Wellbeing points gained when pay is double the reference (and lost when it is
    /// nothing), in proportion between; 0 to 100. Default 40.
    #[serde(default = "default_pay_weight")]
    pub pay_weight: f64,
    /// Wellbeing at the start, 0 to 100. Default 70.
    #[serde(default = "default_start_score")]
    pub start_wellbeing: f64,
}

fn default_comfortable_hours() -> f64 {
    40.0
}

fn default_long_hours_penalty() -> f64 {
    1.5
}

fn default_busy_penalty() -> f64 {
    30.0
}

fn default_pay_weight() -> f64 {
    40.0
}

fn default_start_score() -> f64 {
    70.0
}

/// How customers feel. Satisfaction is a score from 0 to 100; each round it moves
/// halfway towards a target of 75, less `queue_penalty` times the share of customers
/// turned away, less `value_weight` times how far the price is above the reference,
/// plus `staff_weight` when staff are well (less when they are not).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Satisfaction {
    /// Satisfaction at the start, 0 to 100. Default 70.
    #[serde(default = "default_start_score")]
    pub start: f64,
    /// Points lost if every customer were turned away, 0 to 100. Default 40.
    #[serde(default = "default_queue_penalty")]
    pub queue_penalty: f64,
    /// Points lost when the price is double the reference (gained when it is half as
    /// much, in proportion), 0 to 100. Default 20.
    #[serde(default = "default_value_weight")]
    pub value_weight: f64,
    /// Points gained when staff wellbeing is 100 (lost when it is 0), 0 to 50.
    /// Default 10.
    #[serde(default = "default_staff_weight")]
    pub staff_weight: f64,
}

fn default_queue_penalty() -> f64 {
    40.0
}

fn default_value_weight() -> f64 {
    20.0
}

fn default_staff_weight() -> f64 {
    10.0
}

impl Default for Satisfaction {
    fn default() -> Satisfaction {
        Satisfaction {
            start: default_start_score(),
            queue_penalty: default_queue_penalty(),
            value_weight: default_value_weight(),
            staff_weight: default_staff_weight(),
        }
    }
}

/// A published factor that turns a unit of a resource into carbon.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmissionFactor {
    /// Unique within the challenge, a valid id; resources name it.
    pub id: String,
    /// What it is the factor for, such as "UK grid electricity".
    pub name: Text,
    /// The kind of resource it applies to; its unit is that kind's unit.
    pub resource: Resource,
    /// kgCO2e per unit of the resource; 0 to 100.
    pub kg_co2e: f64,
    /// Where the number comes from, as a citation; not blank.
    pub source: String,
    /// The year of the source's edition, 1990 to 2100.
    pub year: u32,
}

/// Something that may happen by chance in a round.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Unique within the challenge, a valid id.
    pub id: String,
    /// A short headline, such as "Heatwave!".
    pub name: Text,
    /// A sentence or two on what happened, shown with the round's results.
    pub text: Text,
    /// The chance it happens in any one round, 0 to 1.
    pub chance: f64,
    /// What it does; at least one.
    pub effects: Vec<EventEffect>,
}

/// What an event does to the round it happens in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum EventEffect {
    /// Multiplies demand, 0 to 5 (1.4 is 40% more customers).
    Demand(f64),
    /// Multiplies how many customers staff can serve, 0 to 2.
    Capacity(f64),
    /// Adds satisfaction points, -50 to 50.
    Satisfaction(f64),
    /// Adds wellbeing points, -50 to 50.
    Wellbeing(f64),
    /// A one-off cost in £, 0 to 10,000,000.
    Cost(f64),
    /// Multiplies the price of a resource the business uses, 0 to 10.
    Price(Resource, f64),
    /// Multiplies how much of a resource the business uses, 0 to 10.
    Use(Resource, f64),
}

/// The net-zero part of a scenario. Rounds are years, and the last round is the
/// target year.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetZero {
    /// The year of the last round, 2000 to 2100.
    pub target_year: u32,
    /// The most carbon the business may give off in the target year, in kgCO2e; 0 or
    /// more.
    pub target_kg: f64,
    /// What a team can invest in; 1 to 12.
    pub investments: Vec<Investment>,
}

/// Something a team can buy once to cut its carbon: solar panels, a heat pump.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Investment {
    /// Unique within the challenge, a valid id; teams name it to buy it.
    pub id: String,
    pub name: Text,
    /// What it is and what it does, in a sentence or two.
    pub text: Text,
    /// The team role that decides it; one of the challenge's `roles`.
    pub owner: TeamRole,
    /// What it costs to buy, in £, paid in the round it is bought; 0 to 100,000,000.
    pub cost: f64,
    /// Rounds before it starts working; 0 works from the round it is bought. Less
    /// than `rounds`.
    pub lead_rounds: u32,
    /// What it costs to keep each round once working, in £; 0 or more. Default 0.
    #[serde(default)]
    pub running_cost: f64,
    /// What it changes once working; at least one. Its running saving and the carbon
    /// it saves follow from these and are worked out by the server.
    pub effects: Vec<InvestmentEffect>,
}

/// What an investment changes once it is working.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum InvestmentEffect {
    /// Multiplies how much of a resource is used, 0 to 10: 0.6 cuts it by 40%, 1.2
    /// adds 20% (a heat pump uses more electricity).
    Use(Resource, f64),
    /// Multiplies the carbon of each unit of a resource, 0 to 10: a contract for
    /// renewable electricity cuts the carbon of each kWh.
    Carbon(Resource, f64),
    /// Units of a resource made on site each round, such as kWh from solar panels,
    /// 0 to 1,000,000,000: the business buys that much less, never below nothing.
    Makes(Resource, f64),
}

/// How teams are judged: a balanced scorecard of measures, each scored 0 to 100 and
/// weighted.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    pub weights: Weights,
    /// Profit over the whole challenge that earns full marks for money, in £; above
    /// 0. Breaking even earns half marks, and a loss as big earns none.
    pub profit_for_full_marks: f64,
    /// Carbon over the whole challenge that earns half marks for carbon, in kgCO2e;
    /// above 0. None earns full marks, and double earns none.
    pub carbon_budget_kg: f64,
}

/// How much each measure counts; each 0 to 10, and not all 0.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Money: profit over the challenge.
    pub money: f64,
    /// Customers: their average satisfaction.
    pub customers: f64,
    /// Staff: their average wellbeing.
    pub wellbeing: f64,
    /// Carbon against the budget.
    pub carbon: f64,
    /// The team's reflection, as the teacher marks it.
    pub reflection: f64,
}
