//! Badge rules judged against a pupil's portfolio. A badge is awarded the moment every
//! rule and every mission step holds, with the evidence that met them, and is never
//! taken back: a badge is a record of something done.

use workworlds_content::defs::{Rule, StepCheck};
use workworlds_content::ids::BadgeId;
use workworlds_content::{Badge, Content};
use workworlds_protocol::ids::PupilCode;
use workworlds_protocol::portfolio::{Evidence, Portfolio};

use super::{Holder, portfolio};
use crate::store::{Store, StoreError};

/// The evidence on which `portfolio` earns `badge`, or `None` while it does not.
/// `ticked` lists the mission steps a teacher has confirmed, as (badge, step from 0).
pub fn judge(
    content: &Content,
    badge: &Badge,
    portfolio: &Portfolio,
    ticked: &[(BadgeId, u8)],
) -> Option<Evidence> {
    let mut evidence = Evidence::default();
    for rule in &badge.rules {
        if !meets(content, rule, portfolio, &mut evidence) {
            return None;
        }
    }
    for (index, step) in badge.mission.iter().enumerate() {
        let index = u8::try_from(index).ok()?;
        match &step.done_by {
            StepCheck::Quest(quest) => {
                portfolio.quests.iter().find(|done| &done.quest == quest)?;
                push_new(&mut evidence.quests, quest.clone());
            }
            StepCheck::TeacherConfirms => {
                ticked
                    .iter()
                    .find(|(ticked_badge, step)| ticked_badge == &badge.id && *step == index)?;
                evidence.confirmed_steps.push(index);
            }
        }
    }
    Some(evidence)
}

/// Whether one rule holds, adding what shows it to `evidence`.
fn meets(content: &Content, rule: &Rule, portfolio: &Portfolio, evidence: &mut Evidence) -> bool {
    let at_least = |have: usize, need: u32| u32::try_from(have).unwrap_or(u32::MAX) >= need;
    match rule {
        Rule::QuestsDone(quests) => {
            let all = quests
                .iter()
                .all(|quest| portfolio.quests.iter().any(|done| &done.quest == quest));
            if all {
                for quest in quests {
                    push_new(&mut evidence.quests, quest.clone());
                }
            }
            all
        }
        Rule::QuestCount(need) => {
            for done in &portfolio.quests {
                push_new(&mut evidence.quests, done.quest.clone());
            }
            at_least(portfolio.quests.len(), *need)
        }
        Rule::AllStamps => {
            let all = content
                .sectors
                .keys()
                .all(|sector| portfolio.stamps.iter().any(|stamp| &stamp.item == sector));
            evidence.stamps = portfolio.stamps.iter().map(|s| s.item.clone()).collect();
            all
        }
        Rule::StampCount(need) => {
            evidence.stamps = portfolio.stamps.iter().map(|s| s.item.clone()).collect();
            at_least(portfolio.stamps.len(), *need)
        }
        Rule::JobCardCount(need) => {
            evidence.job_cards = portfolio.job_cards.iter().map(|c| c.item.clone()).collect();
            at_least(portfolio.job_cards.len(), *need)
        }
        Rule::ReflectionCount(need) => {
            evidence.reflections = portfolio.reflections.iter().map(|r| r.id).collect();
            at_least(portfolio.reflections.len(), *need)
        }
        Rule::SkillCount(need) => {
            evidence.skills = portfolio.skills.clone();
            at_least(portfolio.skills.len(), *need)
        }
        Rule::ChallengeCount(need) => {
            let finished: Vec<_> = portfolio
                .challenges
                .iter()
                .filter(|taken| taken.finished)
                .collect();
            for taken in &finished {
                push_new(&mut evidence.challenges, taken.challenge.clone());
            }
            at_least(finished.len(), *need)
        }
    }
}

fn push_new<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// Awards a record every badge it has newly earned, at `now_unix_ms`, and returns
/// them. Runs whenever the record's progress may have grown.
pub fn award_new(
    store: &mut Store,
    content: &Content,
    record: &PupilCode,
    now_unix_ms: u64,
) -> Result<Vec<BadgeId>, StoreError> {
    let progress = portfolio(store, content, &Holder::Record(record.clone()))?;
    let ticked = store.mission_ticks(record)?;
    let mut awarded = Vec::new();
    for badge in content.badges.values() {
        if progress.badges.iter().any(|held| held.badge == badge.id) {
            continue;
        }
        let Some(evidence) = judge(content, badge, &progress, &ticked) else {
            continue;
        };
        if store.award_badge(record, &badge.id, &evidence, now_unix_ms)? {
            awarded.push(badge.id.clone());
        }
    }
    Ok(awarded)
}

#[cfg(test)]
mod tests {
    use workworlds_content::ids::{QuestId, SectorId};
    use workworlds_protocol::portfolio::{Kept, QuestDone, Reflection, ReflectionAbout};

    use super::*;
    use crate::testing::shipped_content;

    fn badge(id: &str) -> &'static Badge {
        &shipped_content().badges[id]
    }

    fn done(quest: &str) -> QuestDone {
        QuestDone {
            quest: QuestId::new(quest),
            points: 1,
            out_of: 1,
            at_unix_ms: 0,
        }
    }

    fn reflection(id: u64) -> Reflection {
        Reflection {
            id,
            about: ReflectionAbout::Quest {
                quest: QuestId::new("explorer-reflect"),
                task: 0,
            },
            text: "I would like to be a nurse".into(),
            best: false,
            comment: None,
            at_unix_ms: 0,
        }
    }

    #[test]
    fn a_count_rule_awards_at_its_count_and_not_one_before() {
        let content = shipped_content();
        let mut portfolio = Portfolio::default();
        assert_eq!(judge(content, badge("first-stamp"), &portfolio, &[]), None);

        portfolio.stamps.push(Kept {
            item: SectorId::new("energy"),
            quest: QuestId::new("any"),
            at_unix_ms: 0,
        });
        let evidence = judge(content, badge("first-stamp"), &portfolio, &[]).unwrap();
        assert_eq!(evidence.stamps, [SectorId::new("energy")]);

        // Reflective thinker wants five reflections.
        portfolio.reflections = (1..5).map(reflection).collect();
        assert_eq!(
            judge(content, badge("reflective-thinker"), &portfolio, &[]),
            None
        );
        portfolio.reflections.push(reflection(5));
        let evidence = judge(content, badge("reflective-thinker"), &portfolio, &[]).unwrap();
        assert_eq!(evidence.reflections, [1, 2, 3, 4, 5]);
    }

    #[test]
    fn a_quest_mission_needs_all_three_quests() {
        let content = shipped_content();
        let explorer = badge("careers-explorer");
        let mut portfolio = Portfolio {
            quests: vec![done("explorer-shortlist"), done("explorer-research")],
            ..Portfolio::default()
        };
        assert_eq!(judge(content, explorer, &portfolio, &[]), None);

        portfolio.quests.push(done("explorer-reflect"));
        let evidence = judge(content, explorer, &portfolio, &[]).unwrap();
        let quests: Vec<&str> = evidence.quests.iter().map(QuestId::as_str).collect();
        assert_eq!(
            quests,
            [
                "explorer-shortlist",
                "explorer-research",
                "explorer-reflect"
            ]
        );
    }

    #[test]
    fn a_teacher_confirmed_mission_needs_every_step_ticked_for_that_badge() {
        let content = shipped_content();
        let ambassador = badge("careers-ambassador");
        let portfolio = Portfolio::default();
        let id = ambassador.id.clone();
        let two = [(id.clone(), 0), (id.clone(), 2)];
        assert_eq!(judge(content, ambassador, &portfolio, &two), None);
        // Ticks for another badge's steps do not count.
        let elsewhere = [
            (id.clone(), 0),
            (id.clone(), 2),
            (BadgeId::new("careers-librarian"), 1),
        ];
        assert_eq!(judge(content, ambassador, &portfolio, &elsewhere), None);

        let all = [(id.clone(), 0), (id.clone(), 1), (id, 2)];
        let evidence = judge(content, ambassador, &portfolio, &all).unwrap();
        assert_eq!(evidence.confirmed_steps, [0, 1, 2]);
    }

    #[test]
    fn every_stamp_means_one_from_each_sector_world() {
        let content = shipped_content();
        let complete = badge("passport-complete");
        let stamp = |sector: &SectorId| Kept {
            item: sector.clone(),
            quest: QuestId::new("any"),
            at_unix_ms: 0,
        };
        let mut portfolio = Portfolio {
            stamps: content.sectors.keys().skip(1).map(stamp).collect(),
            ..Portfolio::default()
        };
        assert_eq!(judge(content, complete, &portfolio, &[]), None);
        let first = content.sectors.keys().next().unwrap();
        portfolio.stamps.push(stamp(first));
        assert!(judge(content, complete, &portfolio, &[]).is_some());
    }
}
