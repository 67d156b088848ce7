//! Marking a pupil's answer to a task. The server marks, never the client, so a pupil
//! cannot give themselves marks by changing the game.
//!
//! Each part of a task earns a point: a choice, an item in its right place, a pair, an
//! item in its right group. A task is right when every part is; the points let the game
//! say "3 out of 4" rather than just "wrong", which matters to a seven-year-old.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::defs::{Choice, Task, TaskKind};

/// A pupil's answer to one task. Ids are those of the task's options, items or groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    ChooseOne(String),
    ChooseSeveral(Vec<String>),
    /// Item ids in the order the pupil put them.
    Order(Vec<String>),
    /// `(left id, right id)` for each pair the pupil made.
    MatchPairs(Vec<(String, String)>),
    /// `(item id, group id)` for each item the pupil placed.
    Sort(Vec<(String, String)>),
    Number(f64),
    /// A reflection: kept in the portfolio, never marked.
    Reflect(String),
}

/// The mark for an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    /// Parts right.
    pub points: u32,
    /// Parts in the task; 0 for a reflection, which is not marked.
    pub out_of: u32,
}

impl Mark {
    /// Whether every part is right. A reflection always counts as done.
    pub fn is_right(self) -> bool {
        self.points == self.out_of
    }
}

/// Why an answer could not be marked: it does not fit the task.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("the answer is of another kind than the task")]
    WrongKind,
    #[error("the answer names {0:?}, which is not part of the task")]
    UnknownId(String),
    #[error("the answer gives {given} parts where the task has {expected}")]
    WrongLength { given: usize, expected: usize },
    #[error("the answer is not a finite number")]
    NotFinite,
}

impl Task {
    /// An answer that is marked right: what a teacher's answer sheet would say, and what
    /// the load test's pupils give when they get a task right.
    pub fn model_answer(&self) -> Answer {
        let ids = |choices: &[Choice]| choices.iter().map(|choice| choice.id.clone()).collect();
        match &self.kind {
            TaskKind::ChooseOne { answer, .. } => Answer::ChooseOne(answer.clone()),
            TaskKind::ChooseSeveral { answers, .. } => Answer::ChooseSeveral(answers.clone()),
            TaskKind::Order { items } => Answer::Order(ids(items)),
            TaskKind::MatchPairs { pairs } => Answer::MatchPairs(
                pairs
                    .iter()
                    .map(|pair| (pair.left.id.clone(), pair.right.id.clone()))
                    .collect(),
            ),
            TaskKind::Sort { groups } => Answer::Sort(
                groups
                    .iter()
                    .flat_map(|group| {
                        group
                            .items
                            .iter()
                            .map(|item| (item.id.clone(), group.id.clone()))
                    })
                    .collect(),
            ),
            TaskKind::Number { answer, .. } => Answer::Number(*answer),
            TaskKind::Reflect { .. } => Answer::Reflect(String::new()),
        }
    }

    /// Marks `answer` against this task.
    pub fn mark(&self, answer: &Answer) -> Result<Mark, AnswerError> {
        match (&self.kind, answer) {
            (
                TaskKind::ChooseOne {
                    options,
                    answer: right,
                },
                Answer::ChooseOne(picked),
            ) => {
                known(options.iter().map(|option| &option.id), [picked])?;
                Ok(Mark {
                    points: u32::from(picked == right),
                    out_of: 1,
                })
            }
            (TaskKind::ChooseSeveral { options, answers }, Answer::ChooseSeveral(picked)) => {
                known(options.iter().map(|option| &option.id), picked)?;
                let picked: BTreeSet<&String> = picked.iter().collect();
                // Every option is a part: right when picked exactly if it is an answer.
                let points = options
                    .iter()
                    .filter(|option| picked.contains(&option.id) == answers.contains(&option.id))
                    .count();
                Ok(Mark {
                    points: count(points),
                    out_of: count(options.len()),
                })
            }
            (TaskKind::Order { items }, Answer::Order(order)) => {
                known(items.iter().map(|item| &item.id), order)?;
                same_length(order.len(), items.len())?;
                let points = items
                    .iter()
                    .zip(order)
                    .filter(|(item, given)| &item.id == *given)
                    .count();
                Ok(Mark {
                    points: count(points),
                    out_of: count(items.len()),
                })
            }
            (TaskKind::MatchPairs { pairs }, Answer::MatchPairs(made)) => {
                known(
                    pairs.iter().map(|pair| &pair.left.id),
                    made.iter().map(|(left, _)| left),
                )?;
                known(
                    pairs.iter().map(|pair| &pair.right.id),
                    made.iter().map(|(_, right)| right),
                )?;
                let made: BTreeMap<&String, &String> =
                    made.iter().map(|(left, right)| (left, right)).collect();
                let points = pairs
                    .iter()
                    .filter(|pair| made.get(&pair.left.id) == Some(&&pair.right.id))
                    .count();
                Ok(Mark {
                    points: count(points),
                    out_of: count(pairs.len()),
                })
            }
            (TaskKind::Sort { groups }, Answer::Sort(placed)) => {
                let items = groups
                    .iter()
                    .flat_map(|group| group.items.iter().map(|item| &item.id));
                known(items, placed.iter().map(|(item, _)| item))?;
                known(
                    groups.iter().map(|group| &group.id),
                    placed.iter().map(|(_, group)| group),
                )?;
                let placed: BTreeMap<&String, &String> =
                    placed.iter().map(|(item, group)| (item, group)).collect();
                let right_group = |group: &crate::defs::Group| {
                    group
                        .items
                        .iter()
                        .filter(|item| placed.get(&item.id) == Some(&&group.id))
                        .count()
                };
                let points: usize = groups.iter().map(right_group).sum();
                let out_of: usize = groups.iter().map(|group| group.items.len()).sum();
                Ok(Mark {
                    points: count(points),
                    out_of: count(out_of),
                })
            }
            (
                TaskKind::Number {
                    answer, tolerance, ..
                },
                Answer::Number(given),
            ) => {
                if !given.is_finite() {
                    return Err(AnswerError::NotFinite);
                }
                Ok(Mark {
                    points: u32::from((given - answer).abs() <= *tolerance),
                    out_of: 1,
                })
            }
            (TaskKind::Reflect { .. }, Answer::Reflect(_)) => Ok(Mark {
                points: 0,
                out_of: 0,
            }),
            _ => Err(AnswerError::WrongKind),
        }
    }
}

/// Checks every given id is one of the task's.
fn known<'a>(
    ids: impl Iterator<Item = &'a String>,
    given: impl IntoIterator<Item = &'a String>,
) -> Result<(), AnswerError> {
    let ids: BTreeSet<&String> = ids.collect();
    match given.into_iter().find(|id| !ids.contains(id)) {
        Some(unknown) => Err(AnswerError::UnknownId(unknown.clone())),
        None => Ok(()),
    }
}

fn same_length(given: usize, expected: usize) -> Result<(), AnswerError> {
    if given == expected {
        Ok(())
    } else {
        Err(AnswerError::WrongLength { given, expected })
    }
}

/// Validation caps every list of parts at a dozen, so a count always fits.
fn count(parts: usize) -> u32 {
    u32::try_from(parts).expect("validated tasks have at most a dozen parts")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse_str;

    fn task(kind: &str) -> Task {
        let source = format!("(prompt: (en: \"p\", cy: \"p\"), kind: {kind})");
        parse_str(&source).unwrap_or_else(|(at, message)| panic!("{at:?}: {message}"))
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|id| id.to_string()).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    const CHOICES: &str = "[(id: \"a\", text: (en: \"A\", cy: \"A\")), (id: \"b\", text: (en: \"B\", cy: \"B\")), \
                           (id: \"c\", text: (en: \"C\", cy: \"C\"))]";

    #[test]
    fn choose_one_is_right_only_for_the_answer() {
        let task = task(&format!("ChooseOne(options: {CHOICES}, answer: \"b\")"));
        assert!(
            task.mark(&Answer::ChooseOne("b".into()))
                .unwrap()
                .is_right()
        );
        assert_eq!(
            task.mark(&Answer::ChooseOne("a".into())).unwrap(),
            Mark {
                points: 0,
                out_of: 1
            }
        );
        assert_eq!(
            task.mark(&Answer::ChooseOne("z".into())),
            Err(AnswerError::UnknownId("z".into()))
        );
    }

    #[test]
    fn choose_several_gives_a_point_per_option_decided_right() {
        let task = task(&format!(
            "ChooseSeveral(options: {CHOICES}, answers: [\"a\", \"b\"])"
        ));
        assert!(
            task.mark(&Answer::ChooseSeveral(ids(&["b", "a"])))
                .unwrap()
                .is_right()
        );
        // Picking everything gets a and b right but c wrong.
        assert_eq!(
            task.mark(&Answer::ChooseSeveral(ids(&["a", "b", "c"])))
                .unwrap(),
            Mark {
                points: 2,
                out_of: 3
            }
        );
        assert_eq!(
            task.mark(&Answer::ChooseSeveral(vec![])).unwrap(),
            Mark {
                points: 1,
                out_of: 3
            }
        );
    }

    #[test]
    fn order_gives_a_point_per_item_in_its_place() {
        let task = task(&format!("Order(items: {CHOICES})"));
        assert!(
            task.mark(&Answer::Order(ids(&["a", "b", "c"])))
                .unwrap()
                .is_right()
        );
        assert_eq!(
            task.mark(&Answer::Order(ids(&["a", "c", "b"]))).unwrap(),
            Mark {
                points: 1,
                out_of: 3
            }
        );
        assert_eq!(
            task.mark(&Answer::Order(ids(&["a", "b"]))),
            Err(AnswerError::WrongLength {
                given: 2,
                expected: 3
            })
        );
    }

    #[test]
    fn pairs_and_groups_give_a_point_per_right_match() {
        let matching = task(
            "MatchPairs(pairs: [(left: (id: \"l1\", text: (en: \"1\", cy: \"1\")), right: (id: \"r1\", text: (en: \"x\", cy: \"x\"))), \
             (left: (id: \"l2\", text: (en: \"2\", cy: \"2\")), right: (id: \"r2\", text: (en: \"y\", cy: \"y\")))])",
        );
        assert!(
            matching
                .mark(&Answer::MatchPairs(pairs(&[("l1", "r1"), ("l2", "r2")])))
                .unwrap()
                .is_right()
        );
        let crossed = matching
            .mark(&Answer::MatchPairs(pairs(&[("l1", "r2"), ("l2", "r1")])))
            .unwrap();
        assert_eq!(
            crossed,
            Mark {
                points: 0,
                out_of: 2
            }
        );

        let sorting = task(
            "Sort(groups: [(id: \"hot\", label: (en: \"H\", cy: \"P\"), items: [(id: \"sun\", text: (en: \"s\", cy: \"h\"))]), \
             (id: \"cold\", label: (en: \"C\", cy: \"O\"), items: [(id: \"ice\", text: (en: \"i\", cy: \"i\"))])])",
        );
        let placed = sorting
            .mark(&Answer::Sort(pairs(&[("sun", "hot"), ("ice", "hot")])))
            .unwrap();
        assert_eq!(
            placed,
            Mark {
                points: 1,
                out_of: 2
            }
        );
        assert_eq!(
            sorting.mark(&Answer::Sort(pairs(&[("sun", "warm")]))),
            Err(AnswerError::UnknownId("warm".into()))
        );
    }

    #[test]
    fn numbers_within_the_tolerance_are_right() {
        let task = task(
            "Number(unit: (en: \"kWh\", cy: \"kWh\"), answer: 6.0, tolerance: 0.5, min: 0.0, max: 10.0)",
        );
        assert!(task.mark(&Answer::Number(6.4)).unwrap().is_right());
        assert!(!task.mark(&Answer::Number(6.6)).unwrap().is_right());
        assert_eq!(
            task.mark(&Answer::Number(f64::NAN)),
            Err(AnswerError::NotFinite)
        );
    }

    #[test]
    fn reflections_are_never_marked_and_kinds_must_match() {
        let task = task("Reflect(min_words: 0)");
        assert_eq!(
            task.mark(&Answer::Reflect("I liked it".into())).unwrap(),
            Mark {
                points: 0,
                out_of: 0
            }
        );
        assert_eq!(task.mark(&Answer::Number(1.0)), Err(AnswerError::WrongKind));
    }
}
