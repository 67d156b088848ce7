//! The teacher's debrief: for a challenge, every team's rounds, the leaderboard and the
//! cost of each tonne of carbon saved, then each team's reflections with a mark from 0
//! to 4 for the team; for any session, the pupils' reflections to read and comment on.

use std::collections::BTreeMap;

use bevy::prelude::*;
use bevy_egui::egui;
use workworlds_challenge::ReflectionMark;
use workworlds_content::{Challenge, Content, Lang};
use workworlds_protocol::events::{ChallengeView, ClassReflection, SessionView};
use workworlds_protocol::ids::TeamId;
use workworlds_protocol::portfolio::ReflectionAbout;
use workworlds_protocol::requests::{Activity, TeacherRequest};

use super::{Control, Desk, ShowDeskChart};
use crate::challenge::charts;
use crate::words::say;

/// The teacher's comments being written, by reflection.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct CommentDrafts(pub BTreeMap<u64, String>);

/// What the debrief sends.
pub(super) struct DebriefWriters<'a, 'w> {
    pub control: &'a mut MessageWriter<'w, Control>,
    pub chart: &'a mut MessageWriter<'w, ShowDeskChart>,
}

/// What each mark means, for the teacher choosing one.
pub fn mark_words(mark: u8, lang: Lang) -> String {
    match mark {
        0 => say(lang, "Not yet", "Dim eto"),
        1 => say(lang, "A start", "Dechrau"),
        2 => say(lang, "Some reasons", "Rhai rhesymau"),
        3 => say(lang, "Reasons with evidence", "Rhesymau a thystiolaeth"),
        _ => say(
            lang,
            "Thoughtful, with evidence and a next step",
            "Meddylgar, gyda thystiolaeth a cham nesaf",
        ),
    }
}

pub(super) fn draw(
    ui: &mut egui::Ui,
    content: &Content,
    (view, desk): (&SessionView, &Desk),
    drafts: &mut CommentDrafts,
    writers: DebriefWriters<'_, '_>,
    lang: Lang,
) {
    let challenge = match &view.activity {
        Activity::Challenge(id) => content.challenges.get(id),
        Activity::World(_) => None,
    };
    let played = challenge.zip(desk.challenge.as_ref());
    if let Some((challenge, played)) = played {
        // The results on the left for the class to look at together, the reflections
        // on the right for the teacher to read and mark.
        ui.columns(2, |columns| {
            egui::ScrollArea::vertical()
                .id_salt("debrief-results")
                .show(&mut columns[0], |ui| {
                    results(ui, challenge, played, desk, writers.chart, lang);
                });
            egui::ScrollArea::vertical()
                .id_salt("debrief-reflections")
                .show(&mut columns[1], |ui| {
                    reflections(
                        ui,
                        (content, Some(challenge)),
                        view,
                        desk,
                        drafts,
                        writers.control,
                        lang,
                    );
                });
        });
    } else {
        egui::ScrollArea::vertical().show(ui, |ui| {
            reflections(
                ui,
                (content, None),
                view,
                desk,
                drafts,
                writers.control,
                lang,
            );
        });
    }
}

/// Every team's reflections, with a refresh button.
fn reflections(
    ui: &mut egui::Ui,
    (content, challenge): (&Content, Option<&Challenge>),
    view: &SessionView,
    desk: &Desk,
    drafts: &mut CommentDrafts,
    control: &mut MessageWriter<Control>,
    lang: Lang,
) {
    ui.horizontal(|ui| {
        ui.label(
            egui::RichText::new(say(lang, "💭 Reflections", "💭 Myfyrdodau"))
                .size(24.0)
                .strong(),
        );
        let refresh = egui::RichText::new(say(lang, "🔄 Refresh", "🔄 Adnewyddu")).size(18.0);
        if ui.button(refresh).clicked() {
            control.write(Control(TeacherRequest::Reflections));
        }
    });
    let Some(written) = &desk.reflections else {
        ui.label(egui::RichText::new(say(lang, "Fetching…", "Yn nôl…")).size(18.0));
        return;
    };
    if desk.reflections_left_out > 0 {
        let left_out = desk.reflections_left_out;
        ui.label(
            egui::RichText::new(match lang {
                Lang::En => format!(
                    "The newest are shown; {left_out} older ones are in each pupil's portfolio."
                ),
                Lang::Cy => format!(
                    "Dangosir y rhai diweddaraf; mae {left_out} o rai hŷn ym mhortffolio pob disgybl."
                ),
            })
            .size(16.0),
        );
    }
    for (index, team) in view.teams.iter().enumerate() {
        let marks = desk.challenge.as_ref().map(|played| &played.reflections);
        let theirs: Vec<&ClassReflection> = written
            .iter()
            .filter(|reflection| reflection.team == team.id)
            .collect();
        team_reflections(
            ui,
            (content, challenge),
            (index, team.id, marks),
            &theirs,
            drafts,
            control,
            lang,
        );
    }
}

/// The challenge's charts: the rounds by measure, the leaderboard and, for a net-zero
/// challenge, the abatement chart.
fn results(
    ui: &mut egui::Ui,
    challenge: &Challenge,
    played: &ChallengeView,
    desk: &Desk,
    chart: &mut MessageWriter<ShowDeskChart>,
    lang: Lang,
) {
    ui.label(
        egui::RichText::new(format!("🎓 {}", challenge.title.get(lang)))
            .size(24.0)
            .strong(),
    );
    if let Some(picked) = charts::measure_tabs(ui, desk.chart, lang) {
        chart.write(ShowDeskChart(picked));
    }
    charts::rounds_plot(ui, "debrief-rounds", played, desk.chart, None, lang);
    if let Some(leaderboard) = &played.leaderboard {
        charts::leaderboard(ui, "debrief-leaderboard", leaderboard, lang);
    }
    charts::abatement_chart(ui, "debrief-abatement", challenge, &played.abatement, lang);
}

/// A team's reflections, with the team's mark for a challenge, and a box to comment on
/// each.
fn team_reflections(
    ui: &mut egui::Ui,
    (content, challenge): (&Content, Option<&Challenge>),
    (index, team, marks): (usize, TeamId, Option<&Vec<Option<ReflectionMark>>>),
    written: &[&ClassReflection],
    drafts: &mut CommentDrafts,
    control: &mut MessageWriter<Control>,
    lang: Lang,
) {
    ui.add_space(8.0);
    let mark = crate::teams::team_mark(team.0);
    ui.label(
        egui::RichText::new(charts::team_name(index, lang))
            .size(22.0)
            .strong()
            .color(mark.text),
    );
    if let Some(marks) = marks {
        let given = marks.get(index).copied().flatten().map(ReflectionMark::get);
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(say(lang, "Team's mark:", "Marc y tîm:")).size(18.0));
            for value in 0..=ReflectionMark::MAX {
                let label = egui::RichText::new(value.to_string()).size(20.0).strong();
                let button = ui
                    .selectable_label(given == Some(value), label)
                    .on_hover_text(mark_words(value, lang));
                if button.clicked() {
                    control.write(Control(TeacherRequest::MarkReflection {
                        team,
                        mark: value,
                    }));
                }
            }
            if let Some(given) = given {
                ui.label(egui::RichText::new(mark_words(given, lang)).size(18.0));
            }
        });
    }
    if written.is_empty() {
        ui.label(
            egui::RichText::new(say(
                lang,
                "Nothing written yet.",
                "Dim byd wedi'i ysgrifennu eto.",
            ))
            .size(17.0),
        );
        return;
    }
    for reflection in written {
        ui.label(
            egui::RichText::new(prompt(
                content,
                challenge,
                &reflection.reflection.about,
                lang,
            ))
            .size(16.0)
            .italics(),
        );
        ui.label(
            egui::RichText::new(format!(
                "{}: {}",
                reflection.name, reflection.reflection.text
            ))
            .size(18.0),
        );
        comment_box(ui, reflection, drafts, control, lang);
    }
}

/// The teacher's comment on one reflection: the one given, or a box to write it in.
fn comment_box(
    ui: &mut egui::Ui,
    reflection: &ClassReflection,
    drafts: &mut CommentDrafts,
    control: &mut MessageWriter<Control>,
    lang: Lang,
) {
    let id = reflection.reflection.id;
    if let Some(comment) = &reflection.reflection.comment
        && !drafts.0.contains_key(&id)
    {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                egui::RichText::new(format!("💬 {comment}"))
                    .size(17.0)
                    .strong(),
            );
            if ui
                .small_button(egui::RichText::new(say(lang, "✏ Change", "✏ Newid")).size(16.0))
                .clicked()
            {
                drafts.0.insert(id, comment.clone());
            }
        });
        return;
    }
    ui.horizontal(|ui| {
        let draft = drafts.0.entry(id).or_default();
        ui.add(
            egui::TextEdit::singleline(draft)
                .hint_text(say(lang, "A comment for the pupil", "Sylw i'r disgybl"))
                .font(egui::FontId::proportional(17.0))
                .desired_width(420.0),
        );
        let send =
            egui::Button::new(egui::RichText::new(say(lang, "💬 Comment", "💬 Sylw")).size(17.0));
        if ui.add_enabled(!draft.trim().is_empty(), send).clicked() {
            control.write(Control(TeacherRequest::CommentReflection {
                reflection: id,
                comment: draft.trim().to_owned(),
            }));
            drafts.0.remove(&id);
        }
    });
}

/// The question a reflection answers, in the teacher's language.
fn prompt(
    content: &Content,
    challenge: Option<&Challenge>,
    about: &ReflectionAbout,
    lang: Lang,
) -> String {
    match about {
        ReflectionAbout::Challenge { prompt, .. } => challenge
            .and_then(|challenge| challenge.debrief.get(usize::from(*prompt)))
            .map(|text| text.get(lang).to_owned())
            .unwrap_or_default(),
        // The quest's title, then the reflection task's own question.
        ReflectionAbout::Quest { quest, task } => content
            .quests
            .get(quest)
            .map(|quest| {
                let asked = quest
                    .tasks
                    .get(usize::from(*task))
                    .map(|task| task.prompt.get(lang))
                    .unwrap_or_default();
                format!("{}: {asked}", quest.title.get(lang))
            })
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use workworlds_content::ids::ChallengeId;

    use super::*;
    use crate::testing::shipped_content;

    #[test]
    fn a_reflection_is_shown_under_the_question_it_answers() {
        let content = shipped_content();
        let (quest, index, task) = content
            .quests
            .values()
            .find_map(|quest| {
                quest.tasks.iter().enumerate().find_map(|(index, task)| {
                    matches!(
                        task.kind,
                        workworlds_content::defs::TaskKind::Reflect { .. }
                    )
                    .then_some((quest, index, task))
                })
            })
            .expect("the starter content has a reflection task");
        let about = ReflectionAbout::Quest {
            quest: quest.id.clone(),
            task: u8::try_from(index).unwrap(),
        };
        let shown = prompt(content, None, &about, Lang::Cy);
        assert_eq!(
            shown,
            format!(
                "{}: {}",
                quest.title.get(Lang::Cy),
                task.prompt.get(Lang::Cy)
            )
        );

        let challenge = content.challenges.values().next().unwrap();
        let about = ReflectionAbout::Challenge {
            challenge: ChallengeId::new(challenge.id.as_str()),
            prompt: 1,
        };
        assert_eq!(
            prompt(content, Some(challenge), &about, Lang::En),
            challenge.debrief[1].get(Lang::En)
        );
    }
}
