//! What a finished quest earned, shown as cards (a passport stamp, a job card) that fly
//! from the middle of the screen into the pupil's bag button, one after another, so a
//! young pupil sees where their stamps and cards are kept. With reduced motion the
//! cards stay still in the middle for a moment and then go.

use std::time::Duration;

use bevy::prelude::*;
use bevy_egui::egui::{self, Pos2, pos2};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use workworlds_content::{Content, Lang};
use workworlds_protocol::events::Earned;

use crate::library::Library;
use crate::screen::Screen;
use crate::settings::Settings;

/// How long one card takes to fly into the bag.
pub(crate) const FLIGHT: Duration = Duration::from_millis(1400);

/// How long after one card the next sets off.
pub(crate) const STAGGER: Duration = Duration::from_millis(500);

/// How long the cards stay still when motion is reduced.
pub(crate) const HOLD: Duration = Duration::from_millis(2500);

/// The egui id under which the pupil's bar keeps where its bag button is.
pub const BAG_BUTTON: &str = "pupil-bag-button";

/// How far apart the cards' middles start, in points.
const CARD_SPACING: f32 = 420.0;

/// The smallest a card gets as it reaches the bag.
const SMALLEST: f32 = 0.25;

pub(super) struct CelebratePlugin;

impl Plugin for CelebratePlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Celebration>().add_systems(
            EguiPrimaryContextPass,
            draw_celebration.run_if(in_state(Screen::Class)),
        );
    }
}

/// The cards on their way to the bag, and when they set off on the game's clock.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct Celebration {
    pub cards: Vec<Earned>,
    pub since: Duration,
}

impl Celebration {
    /// Sets `cards` off now, after any still flying.
    pub fn start(&mut self, cards: &[Earned], now: Duration) {
        if cards.is_empty() {
            return;
        }
        self.cards = cards.to_vec();
        self.since = now;
    }

    /// Whether anything is still to be drawn at `now`.
    pub fn showing(&self, now: Duration, reduced_motion: bool) -> bool {
        (0..self.cards.len()).any(|index| {
            card_progress(now.saturating_sub(self.since), index, reduced_motion).is_some()
        })
    }
}

/// How far card `index` is on its way, from 0 (in the middle) to 1 (in the bag),
/// `elapsed` after the cards set off; `None` before it sets off and once it has
/// arrived. With reduced motion every card stays at 0 for [`HOLD`].
pub(crate) fn card_progress(elapsed: Duration, index: usize, reduced_motion: bool) -> Option<f32> {
    if reduced_motion {
        return (elapsed < HOLD).then_some(0.0);
    }
    let delay = STAGGER * u32::try_from(index).unwrap_or(u32::MAX);
    let flown = elapsed.checked_sub(delay)?;
    (flown < FLIGHT).then(|| flown.as_secs_f32() / FLIGHT.as_secs_f32())
}

/// Where a card `progress` of the way from `from` to `to` is drawn, and how big (1 at
/// the start). It lingers in the middle a moment to be read, then speeds into the bag.
pub(crate) fn card_place(progress: f32, from: Pos2, to: Pos2) -> (Pos2, f32) {
    let linger = 0.35;
    let along = ((progress - linger) / (1.0 - linger)).clamp(0.0, 1.0);
    // Ease in: slow to leave, quick to land.
    let eased = along * along;
    let scale = 1.0 - (1.0 - SMALLEST) * eased;
    (from + (to - from) * eased, scale)
}

/// The icon and words on a card, in the pupil's language.
pub(crate) fn card_words(
    content: &Content,
    earned: &Earned,
    lang: Lang,
) -> Option<(String, String)> {
    match earned {
        Earned::Stamp(sector) => content.sectors.get(sector).map(|sector| {
            let title = match lang {
                Lang::En => "Passport stamp",
                Lang::Cy => "Stamp pasbort",
            };
            (
                sector.icon.clone(),
                format!("{title}: {}", sector.name.get(lang)),
            )
        }),
        Earned::JobCard(role) => content.roles.get(role).map(|role| {
            let title = match lang {
                Lang::En => "Job card",
                Lang::Cy => "Cerdyn swydd",
            };
            (
                role.icon.clone(),
                format!("{title}: {}", role.title.get(lang)),
            )
        }),
    }
}

fn draw_celebration(
    mut contexts: EguiContexts,
    library: Res<Library>,
    settings: Res<Settings>,
    celebration: Res<Celebration>,
    time: Res<Time<Real>>,
) -> Result {
    let Ok(content) = &library.content else {
        return Ok(());
    };
    let now = time.elapsed();
    if !celebration.showing(now, settings.reduced_motion) {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let screen = ctx.viewport_rect();
    let bag = ctx
        .data(|data| data.get_temp::<egui::Rect>(egui::Id::new(BAG_BUTTON)))
        .map_or(pos2(screen.center().x, screen.top()), |rect| rect.center());
    let elapsed = now.saturating_sub(celebration.since);
    for (index, earned) in celebration.cards.iter().enumerate() {
        let Some(progress) = card_progress(elapsed, index, settings.reduced_motion) else {
            continue;
        };
        let Some((icon, words)) = card_words(content, earned, settings.lang) else {
            continue;
        };
        // Side by side in the middle, so each can be read before it goes.
        let column = index as f32 - (celebration.cards.len() as f32 - 1.0) / 2.0;
        let from = screen.center() + egui::vec2(column * CARD_SPACING, -60.0);
        let (at, scale) = card_place(progress, from, bag);
        card(ctx, index, at, scale, (&icon, &words));
    }
    // Keep drawing frames while the cards fly, even if nothing else moves.
    ctx.request_repaint();
    Ok(())
}

/// One card, centred on `at`, drawn `scale` times its full size.
fn card(ctx: &egui::Context, index: usize, at: Pos2, scale: f32, (icon, words): (&str, &str)) {
    egui::Area::new(egui::Id::new(("celebration-card", index)))
        .order(egui::Order::Tooltip)
        .pivot(egui::Align2::CENTER_CENTER)
        .fixed_pos(at)
        .interactable(false)
        // Already moving, it needs no fading in as well.
        .fade_in(false)
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(egui::Color32::from_rgb(255, 248, 220))
                .stroke(egui::Stroke::new(
                    3.0 * scale,
                    egui::Color32::from_rgb(180, 120, 0),
                ))
                .corner_radius(12.0 * scale)
                .inner_margin(16.0 * scale)
                .show(ui, |ui| {
                    ui.set_max_width(CARD_SPACING - 40.0);
                    ui.vertical_centered(|ui| {
                        ui.label(egui::RichText::new(icon).size(72.0 * scale));
                        ui.label(
                            egui::RichText::new(words)
                                .size(26.0 * scale)
                                .strong()
                                .color(egui::Color32::BLACK),
                        );
                    });
                });
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_set_off_one_after_another_and_each_lands_after_its_flight() {
        assert_eq!(card_progress(Duration::ZERO, 0, false), Some(0.0));
        assert_eq!(card_progress(Duration::ZERO, 1, false), None, "not yet off");
        let half = card_progress(STAGGER + FLIGHT / 2, 1, false).unwrap();
        assert!((half - 0.5).abs() < 1e-3, "{half}");
        assert_eq!(card_progress(FLIGHT, 0, false), None, "landed");
        assert!(
            card_progress(FLIGHT, 1, false).is_some(),
            "the second still flies"
        );
    }

    #[test]
    fn a_card_moves_from_the_middle_into_the_bag_getting_smaller() {
        let (from, to) = (pos2(640.0, 300.0), pos2(900.0, 20.0));
        assert_eq!(card_place(0.0, from, to), (from, 1.0));
        let (end, small) = card_place(1.0, from, to);
        assert!((end - to).length() < 1e-3 && (small - SMALLEST).abs() < 1e-6);
        let mut last = card_place(0.0, from, to);
        for step in 1..=20 {
            let next = card_place(step as f32 / 20.0, from, to);
            assert!((next.0 - to).length() <= (last.0 - to).length() + 1e-4);
            assert!(next.1 <= last.1);
            last = next;
        }
    }

    #[test]
    fn with_reduced_motion_cards_stay_still_for_a_while_then_go() {
        for elapsed in [Duration::ZERO, HOLD / 2, HOLD - Duration::from_millis(1)] {
            for index in 0..3 {
                assert_eq!(card_progress(elapsed, index, true), Some(0.0));
            }
        }
        assert_eq!(card_progress(HOLD, 0, true), None);
        let celebration = Celebration {
            cards: vec![Earned::Stamp(workworlds_content::ids::SectorId::new(
                "energy",
            ))],
            since: Duration::from_secs(10),
        };
        assert!(celebration.showing(Duration::from_secs(11), true));
        assert!(!celebration.showing(Duration::from_secs(13), true));
    }
}
