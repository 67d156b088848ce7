//! What a session's task does for pupils' lasting records: debrief reflections, the
//! holder of a pupil's progress, badges awarded as progress grows, and the session's
//! row of the school's CWRE sheet.

use workworlds_content::Lang;
use workworlds_protocol::events::{ClassReflection, REFLECTIONS_BYTES, Reply, ServerEvent};
use workworlds_protocol::ids::{PupilCode, PupilId};
use workworlds_protocol::portfolio::{MAX_REFLECTION_CHARS, ReflectionAbout};
use workworlds_protocol::refusal::Refusal;
use workworlds_protocol::requests::Activity;

use super::SessionTask;
use crate::hub::store_refusal;
use crate::progress::{Holder, badges};
use crate::reports::{self, ReportOptions};
use crate::store::{Store, StoreError, unix_ms_now};

impl SessionTask {
    /// Keeps a pupil's answer to one of the challenge's debrief prompts.
    pub(super) async fn reflect(
        &mut self,
        pupil: PupilId,
        prompt: u8,
        text: &str,
    ) -> Result<Reply, Refusal> {
        let Activity::Challenge(challenge) = &self.session.setup().activity else {
            return Err(Refusal::Invalid {
                why: "this class is not playing a challenge".into(),
            });
        };
        let prompts = self
            .hub
            .content()
            .challenges
            .get(challenge)
            .map_or(0, |challenge| challenge.debrief.len());
        if usize::from(prompt) >= prompts {
            return Err(Refusal::Invalid {
                why: format!("the challenge has {prompts} debrief prompts"),
            });
        }
        let Some(text) = bounded_text(text)? else {
            return Err(Refusal::Invalid {
                why: "a reflection needs some words".into(),
            });
        };
        if !self.session.members().contains_key(&pupil) {
            return Err(Refusal::CannotResume);
        }
        let about = ReflectionAbout::Challenge {
            challenge: challenge.clone(),
            prompt,
        };
        let code = self.session.setup().code.clone();
        let reflection = self
            .hub
            .with_store(move |store| {
                store.add_reflection(pupil, &code, &about, &text, unix_ms_now())
            })
            .await
            .map_err(store_refusal)?;
        self.award_badges(&[pupil]).await;
        Ok(Reply::Reflected { reflection })
    }

    /// Whose progress a pupil's requests are about: their record, if they have one.
    pub(super) fn holder(&self, pupil: PupilId) -> Holder {
        let record = self
            .session
            .members()
            .get(&pupil)
            .and_then(|member| member.record.as_ref());
        Holder::of(pupil, &self.session.setup().code, record)
    }

    /// Awards the records of `pupils` any badge they have newly earned, and tells each
    /// pupil of theirs. A failure is logged and tried again at the next change: the
    /// progress it is judged on is already safe in the store.
    pub(super) async fn award_badges(&mut self, pupils: &[PupilId]) {
        let records: Vec<(PupilId, PupilCode)> = pupils
            .iter()
            .filter_map(|pupil| {
                let record = self.session.members().get(pupil)?.record.clone()?;
                Some((*pupil, record))
            })
            .collect();
        if records.is_empty() {
            return;
        }
        let content = self.hub.shared_content();
        let awarded = self
            .hub
            .with_store(move |store| {
                let mut awarded = Vec::new();
                for (pupil, record) in records {
                    for badge in badges::award_new(store, &content, &record, unix_ms_now())? {
                        awarded.push((pupil, badge));
                    }
                }
                Ok(awarded)
            })
            .await;
        let awarded = match awarded {
            Ok(awarded) => awarded,
            Err(error) => {
                tracing::error!(%error, "could not award badges");
                return;
            }
        };
        for (pupil, badge) in awarded {
            tracing::info!(pupil = pupil.0, badge = %badge, "badge awarded");
            for listener in self.listeners.iter().filter(|l| l.pupil == Some(pupil)) {
                let _ = listener
                    .events
                    .send(ServerEvent::BadgeEarned(badge.clone()));
            }
        }
    }

    /// Awards badges to everyone in the session, as when a challenge's last round ends.
    pub(super) async fn award_everyone(&mut self) {
        let pupils: Vec<PupilId> = self.session.members().keys().copied().collect();
        self.award_badges(&pupils).await;
    }

    /// Every reflection written in this session, with its writer's name and team, for
    /// the teacher's debrief.
    pub(super) async fn class_reflections(&self) -> Result<Reply, Refusal> {
        let code = self.session.setup().code.clone();
        let pupils: Vec<PupilId> = self.session.members().keys().copied().collect();
        let stored = self
            .hub
            .with_store(move |store| store.reflections(&pupils))
            .await
            .map_err(store_refusal)?;
        let members = self.session.members();
        let written: Vec<ClassReflection> = stored
            .into_iter()
            .filter(|stored| stored.session == code)
            .filter_map(|stored| {
                let member = members.get(&stored.pupil)?;
                Some(ClassReflection {
                    pupil: stored.pupil,
                    name: member.name.clone(),
                    team: member.team,
                    reflection: stored.shown(),
                })
            })
            .collect();
        let (reflections, left_out) = newest_that_fit(written, REFLECTIONS_BYTES);
        if left_out > 0 {
            tracing::info!(
                left_out,
                "older reflections left out of the debrief's reply"
            );
        }
        Ok(Reply::Reflections {
            reflections,
            left_out,
        })
    }

    /// The session's row of the school's planning and recording sheet.
    pub(super) async fn session_record(&self, lang: Lang) -> Result<Reply, Refusal> {
        let code = self.session.setup().code.clone();
        let content = self.hub.shared_content();
        let csv = self
            .hub
            .with_store(move |store| {
                let options = ReportOptions {
                    lang,
                    ..ReportOptions::default()
                };
                let row = reports::session_row(store, &content, &code, options)
                    .and_then(|row| reports::activities_csv(&[row], options.lang));
                Ok(row)
            })
            .await
            .map_err(store_refusal)?;
        match csv {
            Ok(csv) => Ok(Reply::SessionRecord { csv }),
            Err(error) => {
                tracing::error!(%error, "could not make the session record");
                Err(Refusal::NotNow {
                    why: "the session record could not be made; see the server's log".into(),
                })
            }
        }
    }
}

/// The newest of `written` (oldest first) whose encoded size adds up to at most
/// `budget` bytes, still oldest first, and how many older ones did not fit.
fn newest_that_fit(written: Vec<ClassReflection>, budget: usize) -> (Vec<ClassReflection>, u32) {
    let mut used = 0;
    let mut kept = written.len();
    for reflection in written.iter().rev() {
        let size = postcard::experimental::serialized_size(reflection).unwrap_or(usize::MAX);
        if used + size > budget {
            break;
        }
        used += size;
        kept -= 1;
    }
    let left_out = u32::try_from(kept).unwrap_or(u32::MAX);
    let mut written = written;
    let shown = written.split_off(kept);
    (shown, left_out)
}

/// A pupil's or teacher's text, trimmed: `None` when empty, refused when too long.
pub(super) fn bounded_text(text: &str) -> Result<Option<String>, Refusal> {
    let text = text.trim();
    if text.chars().count() > MAX_REFLECTION_CHARS {
        return Err(Refusal::Invalid {
            why: format!("write at most {MAX_REFLECTION_CHARS} characters"),
        });
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// The session pupils whose reflections are the holder's.
pub(super) fn holder_pupils(store: &Store, holder: &Holder) -> Result<Vec<PupilId>, StoreError> {
    match holder {
        Holder::Record(code) => Ok(store
            .record_pupils(code)?
            .into_iter()
            .map(|(pupil, _)| pupil)
            .collect()),
        Holder::Pupil { pupil, .. } => Ok(vec![*pupil]),
    }
}

#[cfg(test)]
mod tests {
    use workworlds_content::ids::ChallengeId;
    use workworlds_protocol::ids::TeamId;
    use workworlds_protocol::portfolio::Reflection;
    use workworlds_protocol::quic::MAX_SERVER_FRAME_BYTES;

    use super::*;

    fn written(count: u64, chars: usize) -> Vec<ClassReflection> {
        (0..count)
            .map(|id| ClassReflection {
                pupil: PupilId(id),
                name: "Ffion".into(),
                team: TeamId(0),
                reflection: Reflection {
                    id,
                    about: ReflectionAbout::Challenge {
                        challenge: ChallengeId::new("seaside-cafe"),
                        prompt: 0,
                    },
                    text: "ŵ".repeat(chars),
                    best: false,
                    comment: Some("a".repeat(chars)),
                    at_unix_ms: id,
                },
            })
            .collect()
    }

    #[test]
    fn a_class_that_wrote_a_great_deal_gets_its_newest_reflections_in_one_frame() {
        // Thirty pupils, ten reflections each, every one and its comment at the most.
        let all = written(300, MAX_REFLECTION_CHARS);
        let (shown, left_out) = newest_that_fit(all, REFLECTIONS_BYTES);
        assert!(left_out > 0 && !shown.is_empty());
        assert_eq!(shown.len() + left_out as usize, 300);
        assert_eq!(shown.last().map(|kept| kept.reflection.id), Some(299));
        assert!(
            shown
                .windows(2)
                .all(|pair| pair[0].reflection.id < pair[1].reflection.id)
        );
        let reply = ServerEvent::Reply {
            id: 1,
            outcome: Ok(Reply::Reflections {
                reflections: shown,
                left_out,
            }),
        };
        let frame = workworlds_protocol::frame::encode(&reply).unwrap();
        assert!(
            frame.len() <= MAX_SERVER_FRAME_BYTES,
            "{} bytes",
            frame.len()
        );
    }

    #[test]
    fn a_class_that_wrote_a_little_gets_every_reflection() {
        let (shown, left_out) = newest_that_fit(written(40, 200), REFLECTIONS_BYTES);
        assert_eq!((shown.len(), left_out), (40, 0));
    }
}
