//! A quest's task as the pupil answers it: a draft of the answer for each kind of
//! task, and the panel that shows the task, takes the answer and shows the server's
//! mark with the reason.

use bevy_egui::egui;
use workworlds_content::defs::Task;
use workworlds_content::defs::{Choice, TaskKind};
use workworlds_content::marking::Answer;
use workworlds_content::{Content, Lang, Quest};
use workworlds_protocol::events::Earned;

use super::QuestProgress;
use crate::words::say;

/// Faces a young pupil can pick instead of writing, for a reflection that asks for no
/// words.
const FACES: [&str; 4] = ["😀", "😊", "😐", "😞"];

/// The answer being put together, by kind of task. The panel edits it as a form; it
/// becomes an [`Answer`] only when sent.
#[derive(bevy::prelude::Resource, Debug, Clone, PartialEq, Default)]
pub enum TaskDraft {
    #[default]
    None,
    ChooseOne(Option<String>),
    ChooseSeveral(Vec<String>),
    /// Item ids in the order the pupil has put them.
    Order(Vec<String>),
    /// For each left item (in the task's order), the right item picked.
    MatchPairs(Vec<Option<String>>),
    /// For each item (in the task's order), the group picked.
    Sort(Vec<Option<String>>),
    Number(f64),
    Reflect(String),
}

impl TaskDraft {
    /// An empty draft for `task`. Items to order start in a shuffled order, not the
    /// right one: the content writes them in the right order.
    pub fn for_task(task: &Task) -> TaskDraft {
        match &task.kind {
            TaskKind::ChooseOne { .. } => TaskDraft::ChooseOne(None),
            TaskKind::ChooseSeveral { .. } => TaskDraft::ChooseSeveral(Vec::new()),
            TaskKind::Order { items } => {
                let mut ids: Vec<String> = items.iter().map(|item| item.id.clone()).collect();
                // A rotation and a swap: never the written order for two or more items.
                ids.rotate_left(1);
                if ids.len() > 2 {
                    ids.swap(0, 1);
                }
                TaskDraft::Order(ids)
            }
            TaskKind::MatchPairs { pairs } => TaskDraft::MatchPairs(vec![None; pairs.len()]),
            TaskKind::Sort { groups } => {
                let items = groups.iter().map(|group| group.items.len()).sum();
                TaskDraft::Sort(vec![None; items])
            }
            TaskKind::Number { min, max, .. } => TaskDraft::Number((min + max) / 2.0),
            TaskKind::Reflect { .. } => TaskDraft::Reflect(String::new()),
        }
    }

    /// The answer to send, once the draft is complete enough to send.
    pub fn answer(&self, task: &Task) -> Option<Answer> {
        match (self, &task.kind) {
            (TaskDraft::ChooseOne(Some(id)), _) => Some(Answer::ChooseOne(id.clone())),
            (TaskDraft::ChooseSeveral(ids), _) if !ids.is_empty() => {
                Some(Answer::ChooseSeveral(ids.clone()))
            }
            (TaskDraft::Order(ids), _) => Some(Answer::Order(ids.clone())),
            (TaskDraft::MatchPairs(picked), TaskKind::MatchPairs { pairs }) => {
                let made: Option<Vec<(String, String)>> = pairs
                    .iter()
                    .zip(picked)
                    .map(|(pair, right)| Some((pair.left.id.clone(), right.clone()?)))
                    .collect();
                made.map(Answer::MatchPairs)
            }
            (TaskDraft::Sort(picked), TaskKind::Sort { groups }) => {
                let items = groups.iter().flat_map(|group| &group.items);
                let placed: Option<Vec<(String, String)>> = items
                    .zip(picked)
                    .map(|(item, group)| Some((item.id.clone(), group.clone()?)))
                    .collect();
                placed.map(Answer::Sort)
            }
            (TaskDraft::Number(value), _) => Some(Answer::Number(*value)),
            (TaskDraft::Reflect(text), TaskKind::Reflect { min_words }) => {
                let words = u32::try_from(text.split_whitespace().count()).unwrap_or(u32::MAX);
                let enough = words >= *min_words && !text.trim().is_empty();
                enough.then(|| Answer::Reflect(text.trim().to_owned()))
            }
            _ => None,
        }
    }
}

/// The height of an answer button, in points: big enough for small fingers.
const CHOICE_HEIGHT_POINTS: f32 = 56.0;

fn choice_label(choice: &Choice, lang: Lang) -> egui::RichText {
    let text = match &choice.icon {
        Some(icon) => format!("{icon} {}", choice.text.get(lang)),
        None => choice.text.get(lang).to_owned(),
    };
    egui::RichText::new(text).size(22.0)
}

/// Adds `button` as wide as the panel, its text wrapped; says whether it was pressed.
fn full_width(ui: &mut egui::Ui, button: egui::Button<'_>) -> bool {
    let size = egui::vec2(ui.available_width(), CHOICE_HEIGHT_POINTS);
    ui.add(button.wrap().min_size(size)).clicked()
}

/// An answer button: framed always, so a pupil sees it can be pressed, and filled when
/// chosen.
fn choice_button(on: bool, label: egui::RichText) -> egui::Button<'static> {
    egui::Button::new(label).selected(on).frame(true)
}

/// Draws the quest's task and, once marked, the mark; returns what the pupil asked for.
pub(super) fn draw_task(
    ui: &mut egui::Ui,
    content: &Content,
    quest: &Quest,
    progress: &QuestProgress,
    draft: &mut TaskDraft,
    lang: Lang,
) -> Option<TaskAction> {
    let task = quest.tasks.get(progress.task)?;
    ui.label(
        egui::RichText::new(format!(
            "{} · {}/{}",
            quest.title.get(lang),
            progress.task + 1,
            quest.tasks.len()
        ))
        .size(18.0),
    );
    ui.label(
        egui::RichText::new(task.prompt.get(lang))
            .size(26.0)
            .strong(),
    );
    ui.add_space(8.0);
    let answered = progress.mark.is_some();
    ui.add_enabled_ui(!answered && !progress.waiting, |ui| {
        edit_draft(ui, task, draft, lang);
    });
    ui.add_space(10.0);

    let Some(mark) = progress.mark else {
        let ready = draft.answer(task);
        let send = egui::Button::new(
            egui::RichText::new(say(lang, "✔ Done", "✔ Wedi gorffen")).size(26.0),
        );
        let clicked = ui
            .add_enabled(ready.is_some() && !progress.waiting, send)
            .clicked();
        return clicked.then_some(()).and(ready).map(TaskAction::Submit);
    };
    let verdict = if mark.out_of == 0 {
        say(
            lang,
            "💭 Kept in your portfolio",
            "💭 Wedi'i gadw yn dy bortffolio",
        )
    } else if mark.is_right() {
        say(lang, "🎉 Right!", "🎉 Cywir!")
    } else if mark.points > 0 {
        match lang {
            Lang::En => format!("👍 {} of {} right", mark.points, mark.out_of),
            Lang::Cy => format!("👍 {} o {} yn gywir", mark.points, mark.out_of),
        }
    } else {
        say(lang, "😕 Not this time", "😕 Dim y tro hwn")
    };
    ui.label(egui::RichText::new(verdict).size(30.0).strong());
    if let Some(explain) = &task.explain {
        ui.label(egui::RichText::new(explain.get(lang)).size(20.0));
    }
    let last = progress.task + 1 == quest.tasks.len();
    if last {
        for earned in &progress.earned {
            let line = match earned {
                Earned::Stamp(sector) => content.sectors.get(sector).map(|sector| match lang {
                    Lang::En => format!(
                        "{} New passport stamp: {}",
                        sector.icon,
                        sector.name.get(lang)
                    ),
                    Lang::Cy => format!(
                        "{} Stamp pasbort newydd: {}",
                        sector.icon,
                        sector.name.get(lang)
                    ),
                }),
                Earned::JobCard(role) => content.roles.get(role).map(|role| match lang {
                    Lang::En => format!("{} New job card: {}", role.icon, role.title.get(lang)),
                    Lang::Cy => format!(
                        "{} Cerdyn swydd newydd: {}",
                        role.icon,
                        role.title.get(lang)
                    ),
                }),
            };
            if let Some(line) = line {
                ui.label(egui::RichText::new(line).size(26.0).strong());
            }
        }
    }
    let next = if last {
        say(lang, "🏁 Finish", "🏁 Gorffen")
    } else {
        say(lang, "➡ Next", "➡ Nesaf")
    };
    ui.button(egui::RichText::new(next).size(26.0))
        .clicked()
        .then_some(TaskAction::Next)
}

/// What the task panel asks for.
pub(super) enum TaskAction {
    Submit(Answer),
    Next,
}

fn edit_draft(ui: &mut egui::Ui, task: &Task, draft: &mut TaskDraft, lang: Lang) {
    match (&task.kind, draft) {
        (TaskKind::ChooseOne { options, .. }, TaskDraft::ChooseOne(chosen)) => {
            for option in options {
                let on = chosen.as_deref() == Some(option.id.as_str());
                if full_width(ui, choice_button(on, choice_label(option, lang))) {
                    *chosen = Some(option.id.clone());
                }
            }
        }
        (TaskKind::ChooseSeveral { options, .. }, TaskDraft::ChooseSeveral(chosen)) => {
            let hint = say(lang, "Pick all that fit", "Dewis pob un sy'n addas");
            ui.label(egui::RichText::new(hint).size(18.0));
            for option in options {
                let on = chosen.contains(&option.id);
                if full_width(ui, choice_button(on, choice_label(option, lang))) {
                    if on {
                        chosen.retain(|id| id != &option.id);
                    } else {
                        chosen.push(option.id.clone());
                    }
                }
            }
        }
        (TaskKind::Order { items }, TaskDraft::Order(order)) => {
            let mut swap = None;
            for (index, id) in order.iter().enumerate() {
                let Some(item) = items.iter().find(|item| &item.id == id) else {
                    continue;
                };
                ui.horizontal(|ui| {
                    ui.label(egui::RichText::new(format!("{}.", index + 1)).size(22.0));
                    if ui
                        .add_enabled(
                            index > 0,
                            egui::Button::new(egui::RichText::new("⬆").size(22.0)),
                        )
                        .clicked()
                    {
                        swap = Some((index - 1, index));
                    }
                    if ui
                        .add_enabled(
                            index + 1 < order.len(),
                            egui::Button::new(egui::RichText::new("⬇").size(22.0)),
                        )
                        .clicked()
                    {
                        swap = Some((index, index + 1));
                    }
                    ui.label(choice_label(item, lang));
                });
            }
            if let Some((a, b)) = swap {
                order.swap(a, b);
            }
        }
        (TaskKind::MatchPairs { pairs }, TaskDraft::MatchPairs(picked)) => {
            // The right column in an order of its own, so the pairs are not given away.
            let mut rights: Vec<&Choice> = pairs.iter().map(|pair| &pair.right).collect();
            rights.rotate_left(1);
            for (pair, pick) in pairs.iter().zip(picked.iter_mut()) {
                ui.horizontal_wrapped(|ui| {
                    ui.label(choice_label(&pair.left, lang).strong());
                    ui.label(egui::RichText::new("↔").size(22.0));
                    for right in &rights {
                        let on = pick.as_deref() == Some(right.id.as_str());
                        if ui
                            .add(choice_button(on, choice_label(right, lang)))
                            .clicked()
                        {
                            *pick = Some(right.id.clone());
                        }
                    }
                });
            }
        }
        (TaskKind::Sort { groups }, TaskDraft::Sort(picked)) => {
            let items = groups.iter().flat_map(|group| &group.items);
            for (item, pick) in items.zip(picked.iter_mut()) {
                ui.horizontal_wrapped(|ui| {
                    ui.label(choice_label(item, lang).strong());
                    ui.label(egui::RichText::new("➡").size(22.0));
                    for group in groups {
                        let on = pick.as_deref() == Some(group.id.as_str());
                        let label = egui::RichText::new(group.label.get(lang)).size(20.0);
                        if ui.add(choice_button(on, label)).clicked() {
                            *pick = Some(group.id.clone());
                        }
                    }
                });
            }
        }
        (TaskKind::Number { unit, min, max, .. }, TaskDraft::Number(value)) => {
            ui.horizontal(|ui| {
                let speed = ((max - min) / 200.0).max(0.01);
                ui.add(egui::DragValue::new(value).range(*min..=*max).speed(speed));
                ui.label(egui::RichText::new(unit.get(lang)).size(22.0));
            });
            ui.add(egui::Slider::new(value, *min..=*max).show_value(false));
        }
        (TaskKind::Reflect { min_words }, TaskDraft::Reflect(text)) => {
            if *min_words == 0 {
                ui.horizontal(|ui| {
                    for face in FACES {
                        let on = text.as_str() == face;
                        let button = choice_button(on, egui::RichText::new(face).size(44.0));
                        if ui.add(button).clicked() {
                            *text = face.to_owned();
                        }
                    }
                });
            } else {
                ui.label(
                    egui::RichText::new(match lang {
                        Lang::En => format!("At least {min_words} words"),
                        Lang::Cy => format!("O leiaf {min_words} gair"),
                    })
                    .size(18.0),
                );
            }
            ui.add(
                egui::TextEdit::multiline(text)
                    .font(egui::FontId::proportional(22.0))
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            );
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::shipped_content;

    #[test]
    fn every_shipped_task_gets_a_draft_that_can_become_its_right_answer() {
        let content = shipped_content();
        for quest in content.quests.values() {
            for task in &quest.tasks {
                let draft = TaskDraft::for_task(task);
                assert_ne!(draft, TaskDraft::None, "{}", quest.id);
                if let TaskKind::Order { items } = &task.kind {
                    let written: Vec<&str> = items.iter().map(|item| item.id.as_str()).collect();
                    let TaskDraft::Order(shown) = &draft else {
                        unreachable!()
                    };
                    assert_ne!(shown, &written, "{}: the order is not given away", quest.id);
                }
                // Filled in as the model answer, every draft sends that answer.
                let model = task.model_answer();
                let filled = match (&task.kind, &model) {
                    (_, Answer::ChooseOne(id)) => TaskDraft::ChooseOne(Some(id.clone())),
                    (_, Answer::ChooseSeveral(ids)) => TaskDraft::ChooseSeveral(ids.clone()),
                    (_, Answer::Order(ids)) => TaskDraft::Order(ids.clone()),
                    (_, Answer::MatchPairs(pairs)) => TaskDraft::MatchPairs(
                        pairs.iter().map(|(_, right)| Some(right.clone())).collect(),
                    ),
                    (_, Answer::Sort(placed)) => TaskDraft::Sort(
                        placed
                            .iter()
                            .map(|(_, group)| Some(group.clone()))
                            .collect(),
                    ),
                    (_, Answer::Number(value)) => TaskDraft::Number(*value),
                    (TaskKind::Reflect { min_words }, Answer::Reflect(_)) => {
                        TaskDraft::Reflect("I liked it ".repeat(*min_words as usize + 1))
                    }
                    (_, Answer::Reflect(_)) => unreachable!("a reflection answers a reflect task"),
                };
                let sent = filled
                    .answer(task)
                    .unwrap_or_else(|| panic!("{}: {filled:?} cannot be sent", quest.id));
                let mark = task.mark(&sent).unwrap();
                assert!(mark.is_right(), "{}: {sent:?}", quest.id);
            }
        }
    }

    #[test]
    fn an_unfinished_draft_cannot_be_sent() {
        let content = shipped_content();
        for task in content.quests.values().flat_map(|quest| &quest.tasks) {
            let empty = TaskDraft::for_task(task);
            let sendable = empty.answer(task).is_some();
            let starts_sendable =
                matches!(task.kind, TaskKind::Order { .. } | TaskKind::Number { .. });
            assert_eq!(sendable, starts_sendable, "{:?}", task.prompt);
        }
    }
}
