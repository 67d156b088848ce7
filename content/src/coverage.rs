//! How well the quests cover the CWRE objectives: for each objective, how many quests
//! serve it in each age phase and through each type of experience. A school reads the
//! table to see gaps in its programme at a glance.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use crate::curriculum::{AgePhase, ExperienceType, Objective};
use crate::model::Content;

/// What marks an empty cell in the printed tables.
pub const GAP: &str = "-";

/// Quest counts by objective and age phase, and by objective and experience type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    by_phase: BTreeMap<(Objective, AgePhase), usize>,
    by_type: BTreeMap<(Objective, ExperienceType), usize>,
}

impl Coverage {
    /// Counts the quests of `content`.
    pub fn of(content: &Content) -> Coverage {
        let mut coverage = Coverage::default();
        for quest in content.quests.values() {
            for &objective in &quest.objectives {
                for &phase in &quest.ages {
                    *coverage.by_phase.entry((objective, phase)).or_default() += 1;
                }
                *coverage
                    .by_type
                    .entry((objective, quest.experience))
                    .or_default() += 1;
            }
        }
        coverage
    }

    /// How many quests serve `objective` for `phase`.
    pub fn quests_for_phase(&self, objective: Objective, phase: AgePhase) -> usize {
        self.by_phase.get(&(objective, phase)).copied().unwrap_or(0)
    }

    /// How many quests serve `objective` through `kind` of experience.
    pub fn quests_for_type(&self, objective: Objective, kind: ExperienceType) -> usize {
        self.by_type.get(&(objective, kind)).copied().unwrap_or(0)
    }

    /// The objective and phase pairs of the 3–16 curriculum that no quest serves.
    pub fn curriculum_gaps(&self) -> Vec<(Objective, AgePhase)> {
        let cells = Objective::ALL
            .into_iter()
            .flat_map(|o| AgePhase::CURRICULUM.map(|p| (o, p)));
        cells
            .filter(|&(o, p)| self.quests_for_phase(o, p) == 0)
            .collect()
    }
}

impl fmt::Display for Coverage {
    /// Two tables, one row per objective, then a line naming the curriculum's gaps.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cell = |count: usize| {
            if count == 0 {
                GAP.to_string()
            } else {
                count.to_string()
            }
        };

        writeln!(f, "Quests per objective and age phase")?;
        let phases = AgePhase::ALL.map(AgePhase::label);
        writeln!(f, "{}", row("objective", &phases))?;
        for objective in Objective::ALL {
            let counts = AgePhase::ALL.map(|phase| cell(self.quests_for_phase(objective, phase)));
            writeln!(f, "{}", row(&format!("{objective:?}"), &counts))?;
        }

        writeln!(f)?;
        writeln!(f, "Quests per objective and experience type")?;
        let kinds = ExperienceType::ALL.map(|kind| format!("{kind:?}"));
        writeln!(f, "{}", row("objective", &kinds))?;
        for objective in Objective::ALL {
            let counts =
                ExperienceType::ALL.map(|kind| cell(self.quests_for_type(objective, kind)));
            writeln!(f, "{}", row(&format!("{objective:?}"), &counts))?;
        }

        writeln!(f)?;
        let gaps = self.curriculum_gaps();
        if gaps.is_empty() {
            write!(
                f,
                "{GAP} marks an empty cell; every objective has quests in every phase from 3 to 16"
            )
        } else {
            let mut list = String::new();
            for (objective, phase) in gaps {
                let _ = write!(list, " {objective:?}/{}", phase.label());
            }
            write!(
                f,
                "{GAP} marks an empty cell; gaps in the 3-16 curriculum:{list}"
            )
        }
    }
}

fn row(label: &str, cells: &[impl AsRef<str>]) -> String {
    let mut line = format!("{label:<10}");
    for cell in cells {
        let _ = write!(line, "{:>7}", cell.as_ref());
    }
    line
}
