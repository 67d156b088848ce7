//! Screenshots of named scenes, for the README and for checking every screen renders:
//! `workworlds --screenshot FILE.png --scene NAME [--lang en|cy]` starts the scene (with
//! the in-process server on the demo class where it needs one), waits until it is
//! ready and has drawn a few frames, saves the window as a PNG and exits; it exits
//! with an error if the scene is not ready in time.

use std::path::PathBuf;
use std::time::Duration;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use workworlds_content::Lang;
use workworlds_protocol::hello::Identity;

use crate::class::TryDemo;
use crate::net::{DemoRole, NetEvent};
use crate::portfolio::{OpenPortfolio, PortfolioState, ShowTab, Tab};
use crate::record::RecordState;
use crate::screen::Screen;
use crate::settings::Settings;

/// How long a scene may take to be ready, counting the demo server starting.
const READY_WITHIN: Duration = Duration::from_secs(90);

/// Frames drawn after a scene is ready and before the picture is taken, so egui's
/// layout (which settles over a frame or two) and fonts are in place.
const SETTLE_FRAMES: u32 = 10;

/// The scenes there are pictures of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SceneName {
    /// The title screen.
    Title,
    /// A demo pupil in a class session.
    Class,
    /// A demo pupil's portfolio, on the tab a pupil of their age sees first.
    Portfolio,
    /// The same portfolio's badges.
    Badges,
    /// The same portfolio's reflections.
    Reflections,
    /// The demo teacher's record of the demo challenge.
    Record,
}

/// Takes one picture of a scene, then exits.
pub struct ScenePlugin {
    pub scene: SceneName,
    pub out: PathBuf,
    pub lang: Lang,
}

#[derive(Resource, Clone)]
struct Shot {
    scene: SceneName,
    out: PathBuf,
    settled: u32,
    taken: bool,
}

impl Plugin for ScenePlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(Shot {
            scene: self.scene,
            out: self.out.clone(),
            settled: 0,
            taken: false,
        })
        .insert_resource(Settings { lang: self.lang })
        .add_systems(Startup, start_scene)
        .add_systems(
            Update,
            (follow_scene, take_when_ready, give_up_after_a_while),
        );
    }
}

fn start_scene(shot: Res<Shot>, mut demo: MessageWriter<TryDemo>) {
    match shot.scene {
        SceneName::Title => {}
        SceneName::Class | SceneName::Portfolio | SceneName::Badges | SceneName::Reflections => {
            demo.write(TryDemo(DemoRole::Pupil));
        }
        SceneName::Record => {
            demo.write(TryDemo(DemoRole::Teacher));
        }
    }
}

/// Moves the scene along as the demo connects.
fn follow_scene(
    shot: Res<Shot>,
    mut heard: MessageReader<NetEvent>,
    mut open: MessageWriter<OpenPortfolio>,
    mut tab: MessageWriter<ShowTab>,
    portfolio: Res<PortfolioState>,
    mut shown: Local<bool>,
) {
    for event in heard.read() {
        if let NetEvent::Connected(Identity::Pupil { .. }) = event
            && shot.scene != SceneName::Class
        {
            open.write(OpenPortfolio);
        }
    }
    if portfolio.portfolio.is_some() && !*shown {
        *shown = true;
        match shot.scene {
            SceneName::Badges => {
                tab.write(ShowTab(Tab::Badges));
            }
            SceneName::Reflections => {
                tab.write(ShowTab(Tab::Reflections));
            }
            _ => {}
        }
    }
}

fn is_ready(
    scene: SceneName,
    screen: Screen,
    portfolio: &PortfolioState,
    record: &RecordState,
) -> bool {
    match scene {
        SceneName::Title => true,
        SceneName::Class => screen == Screen::Class,
        SceneName::Portfolio => portfolio.portfolio.is_some(),
        SceneName::Badges => portfolio.portfolio.is_some() && portfolio.tab == Tab::Badges,
        SceneName::Reflections => {
            portfolio.portfolio.is_some() && portfolio.tab == Tab::Reflections
        }
        SceneName::Record => record.table.len() > 1,
    }
}

fn take_when_ready(
    mut commands: Commands,
    mut shot: ResMut<Shot>,
    portfolio: Res<PortfolioState>,
    record: Res<RecordState>,
    screen: Res<State<Screen>>,
) {
    if shot.taken || !is_ready(shot.scene, *screen.get(), &portfolio, &record) {
        return;
    }
    shot.settled += 1;
    if shot.settled < SETTLE_FRAMES {
        return;
    }
    shot.taken = true;
    let out = shot.out.clone();
    commands.spawn(Screenshot::primary_window()).observe(
        move |captured: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| {
            let saved = captured
                .image
                .clone()
                .try_into_dynamic()
                .map_err(|error| error.to_string())
                .and_then(|image| {
                    image
                        .to_rgb8()
                        .save(&out)
                        .map_err(|error| error.to_string())
                });
            match saved {
                Ok(()) => {
                    info!(path = %out.display(), "screenshot saved");
                    exit.write(AppExit::Success);
                }
                Err(error) => {
                    error!(%error, path = %out.display(), "cannot save the screenshot");
                    exit.write(AppExit::error());
                }
            }
        },
    );
}

fn give_up_after_a_while(time: Res<Time<Real>>, shot: Res<Shot>, mut exit: MessageWriter<AppExit>) {
    if !shot.taken && time.elapsed() > READY_WITHIN {
        error!(scene = ?shot.scene, "the scene was not ready in time");
        exit.write(AppExit::error());
    }
}
