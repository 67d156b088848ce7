//! Badges: their export as signed Open Badges 3.0 credentials a pupil can take
//! anywhere. The rules that award them live with the progress they are judged on, in
//! [`crate::progress::badges`].

pub mod credential;

use serde_json::Value;
use workworlds_content::{Badge, Content, Lang};
use workworlds_protocol::ids::PupilCode;
use workworlds_protocol::portfolio::{Evidence, ReflectionAbout};

use crate::store::{Store, StoreError, StoredAward, StoredRecord};
use credential::{Alignment, BadgeClaim, CredentialError, EvidenceItem, IssuerKey};

/// The Welsh Government's page on careers and work-related experiences in the
/// Curriculum for Wales, which every CWRE objective is aligned to.
pub const CWRE_URL: &str =
    "https://hwb.gov.wales/curriculum-for-wales/careers-and-work-related-experiences/";

/// Why badges could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Credential(#[from] CredentialError),
}

/// One signed credential for each badge on the record `code`, as (badge id, file JSON).
pub fn export(
    store: &Store,
    content: &Content,
    key: &IssuerKey,
    code: &PupilCode,
    issuer_name: &str,
    lang: Lang,
) -> Result<Vec<(String, Value)>, ExportError> {
    let record = store
        .record(code)?
        .ok_or_else(|| StoreError::UnknownRecord(code.clone()))?;
    let pupils: Vec<_> = store
        .record_pupils(code)?
        .into_iter()
        .map(|(pupil, _)| pupil)
        .collect();
    let reflections = store.reflections(&pupils)?;
    let mut files = Vec::new();
    for award in store.awards(code)? {
        // A badge the content no longer has cannot be described, so it is not exported.
        let Some(claim) = claim(content, &record, &award, &reflections, issuer_name, lang) else {
            continue;
        };
        files.push((award.badge.to_string(), credential::issue(key, &claim)?));
    }
    Ok(files)
}

fn claim(
    content: &Content,
    record: &StoredRecord,
    award: &StoredAward,
    reflections: &[crate::store::StoredReflection],
    issuer_name: &str,
    lang: Lang,
) -> Option<BadgeClaim> {
    let badge = content.badges.get(&award.badge)?;
    let alignments = badge
        .objectives
        .iter()
        .map(|objective| {
            let described = content.curriculum.objective(*objective);
            Alignment {
                code: format!("{objective:?}"),
                name: described.name.get(lang).to_owned(),
                description: described.summary.get(lang).to_owned(),
                url: CWRE_URL.to_owned(),
            }
        })
        .collect();
    Some(BadgeClaim {
        // The same pupil and badge always give the same credential id, so exporting
        // again replaces a file rather than minting a second credential.
        credential_id: format!("urn:workworlds:credential:{}:{}", record.subject, badge.id),
        issuer_name: issuer_name.to_owned(),
        badge_id: badge.id.to_string(),
        name: badge.name.get(lang).to_owned(),
        description: badge.description.get(lang).to_owned(),
        criteria: badge.criteria.get(lang).to_owned(),
        image_emoji: badge.icon.clone(),
        alignments,
        subject_id: record.subject.clone(),
        awarded_unix_ms: award.at_unix_ms,
        evidence: evidence(content, badge, &award.evidence, reflections, lang),
        language: match lang {
            Lang::En => "en".into(),
            Lang::Cy => "cy".into(),
        },
    })
}

/// The award's evidence in words. Reflections are the pupil's own: only those the
/// pupil chose as their best go into a credential, and then in full.
fn evidence(
    content: &Content,
    badge: &Badge,
    evidence: &Evidence,
    reflections: &[crate::store::StoredReflection],
    lang: Lang,
) -> Vec<EvidenceItem> {
    let (finished, played, reflected, confirmed) = match lang {
        Lang::En => (
            "Finished the quest",
            "Played the enterprise challenge",
            "Reflection",
            "Mission step confirmed by a teacher",
        ),
        Lang::Cy => (
            "Wedi gorffen y cwest",
            "Wedi chwarae'r her fenter",
            "Myfyrdod",
            "Cam y genhadaeth wedi'i gadarnhau gan athro",
        ),
    };
    let mut items = Vec::new();
    for quest in &evidence.quests {
        let title = content
            .quests
            .get(quest)
            .map_or(quest.to_string(), |quest| quest.title.get(lang).to_owned());
        items.push(EvidenceItem {
            name: title.clone(),
            narrative: format!("{finished}: {title}"),
        });
    }
    for challenge in &evidence.challenges {
        let title = content
            .challenges
            .get(challenge)
            .map_or(challenge.to_string(), |c| c.title.get(lang).to_owned());
        items.push(EvidenceItem {
            name: title.clone(),
            narrative: format!("{played}: {title}"),
        });
    }
    for id in &evidence.reflections {
        let Some(reflection) = reflections.iter().find(|r| r.id == *id && r.best) else {
            continue;
        };
        let about = match &reflection.about {
            ReflectionAbout::Quest { quest, .. } => content
                .quests
                .get(quest)
                .map_or(quest.to_string(), |q| q.title.get(lang).to_owned()),
            ReflectionAbout::Challenge { challenge, .. } => content
                .challenges
                .get(challenge)
                .map_or(challenge.to_string(), |c| c.title.get(lang).to_owned()),
        };
        items.push(EvidenceItem {
            name: format!("{reflected}: {about}"),
            narrative: reflection.text.clone(),
        });
    }
    for step in &evidence.confirmed_steps {
        let Some(mission_step) = badge.mission.get(usize::from(*step)) else {
            continue;
        };
        items.push(EvidenceItem {
            name: format!("{confirmed} ({})", step + 1),
            narrative: mission_step.text.get(lang).to_owned(),
        });
    }
    items
}
