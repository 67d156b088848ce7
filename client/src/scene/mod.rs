//! Screenshots of named scenes, for the README and for checking every screen renders:
//! `workworlds --screenshot FILE.png --scene NAME [--lang en|cy]` starts the scene (with
//! the in-process server on the demo class where it needs one), waits until it is
//! ready and has drawn a few frames, saves the window as a PNG and exits; it exits
//! with an error if the scene is not ready in time. With `--measure-frames N` it first
//! times N frames of the ready scene and prints one line of JSON: how long the scene
//! took to be ready from the program's start, and the median and 95th percentile frame
//! time (`scripts/frametimes` runs it for the README's figures).

use std::path::PathBuf;
use std::time::Duration;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use workworlds_content::defs::TaskKind;
use workworlds_content::{Content, Quest};
use workworlds_protocol::hello::Identity;
use workworlds_protocol::requests::Activity;

use crate::challenge::Playing;
use crate::class::TryDemo;
use crate::desk::{Desk, DeskTab, ShowDeskTab};
use crate::library::Library;
use crate::net::{DemoRole, NetEvent};
use crate::portfolio::{OpenPortfolio, PortfolioState, ShowTab, Tab};
use crate::record::{OpenRecord, RecordState};
use crate::screen::Screen;
use crate::settings::{
    ChangeSettings, Settings, SettingsFile, SettingsWindow, ShowSettings, TextSize,
};
use crate::world::{Celebration, Exploring, NextTask, StartQuest, SubmitAnswer, TalkTo};

/// Pupils the live demo class shows before its picture is taken: all that join it.
const LIVE_PUPILS_SHOWN: usize = 12;

/// How long a scene may take to be ready, counting the demo server starting.
const READY_WITHIN: Duration = Duration::from_secs(90);

/// How long the stamp scene waits after the cards appear: they linger in the middle,
/// readable, for the first third of their flight.
const CARDS_SETTLED: Duration = Duration::from_millis(300);

/// Frames drawn after a scene is ready and before the picture is taken, so egui's
/// layout (which settles over a frame or two) and fonts are in place.
const SETTLE_FRAMES: u32 = 10;

/// The scenes there are pictures of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SceneName {
    /// The title screen.
    Title,
    /// A demo pupil in a class session, in the energy world.
    World,
    /// The same pupil doing the first task of a quest there.
    Task,
    /// The same pupil finishing a quest: its passport stamp and job card on their way
    /// into the bag.
    Stamp,
    /// A demo pupil in the Harbour Café challenge, two rounds in, with the results.
    Challenge,
    /// A demo pupil at the end of a net-zero challenge: the leaderboard, the cost of
    /// each tonne of carbon saved, and the debrief's questions.
    Results,
    /// A demo pupil's portfolio, on the tab a pupil of their age sees first.
    Portfolio,
    /// The same portfolio's badges.
    Badges,
    /// The same portfolio's reflections.
    Reflections,
    /// The demo teacher's record of the demo challenge.
    Record,
    /// The board for the projector, in a live demo class.
    Board,
    /// The teacher's dashboard of the same class.
    Dashboard,
    /// The demo teacher's debrief of the demo challenge: results, reflections and
    /// marks.
    Debrief,
    /// The title screen with the settings window open, high contrast and large text
    /// switched on.
    Settings,
}

/// Takes one picture of a scene, then exits.
pub struct ScenePlugin {
    pub scene: SceneName,
    pub out: PathBuf,
    /// The settings to picture the scene with.
    pub settings: Settings,
    /// Frames to time before the picture; 0 times none.
    pub measure_frames: usize,
    /// When the program started, for the time to a ready scene.
    pub started: std::time::Instant,
}

#[derive(Resource, Clone)]
struct Shot {
    scene: SceneName,
    out: PathBuf,
    settled: u32,
    taken: bool,
    measure_frames: usize,
    started: std::time::Instant,
    ready_after: Option<Duration>,
    frames: Vec<Duration>,
}

impl Plugin for ScenePlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(Shot {
            scene: self.scene,
            out: self.out.clone(),
            settled: 0,
            taken: false,
            measure_frames: self.measure_frames,
            started: self.started,
            ready_after: None,
            frames: Vec::new(),
        })
        .insert_resource(self.settings.clone())
        // Screenshots neither read nor change the user's remembered settings or server.
        .insert_resource(SettingsFile { file: None })
        .insert_resource(crate::class::Remembered { file: None })
        .add_systems(Startup, start_scene)
        .add_systems(
            Update,
            (follow_scene, take_when_ready, give_up_after_a_while),
        );
    }
}

fn start_scene(
    shot: Res<Shot>,
    mut demo: MessageWriter<TryDemo>,
    settings: Res<Settings>,
    (mut change, mut show): (MessageWriter<ChangeSettings>, MessageWriter<ShowSettings>),
) {
    match shot.scene {
        SceneName::Title => {}
        SceneName::Settings => {
            change.write(ChangeSettings(Settings {
                text_size: TextSize::Large,
                high_contrast: true,
                ..settings.clone()
            }));
            show.write(ShowSettings(true));
        }
        SceneName::World
        | SceneName::Task
        | SceneName::Stamp
        | SceneName::Portfolio
        | SceneName::Badges
        | SceneName::Reflections => {
            demo.write(TryDemo(DemoRole::Pupil));
        }
        SceneName::Record | SceneName::Debrief => {
            demo.write(TryDemo(DemoRole::Teacher));
        }
        SceneName::Results => {
            demo.write(TryDemo(DemoRole::Results));
        }
        SceneName::Board | SceneName::Dashboard => {
            demo.write(TryDemo(DemoRole::Class));
        }
        SceneName::Challenge => {
            demo.write(TryDemo(DemoRole::Challenge));
        }
    }
}

/// Moves the scene along as the demo connects.
fn follow_scene(
    shot: Res<Shot>,
    mut heard: MessageReader<NetEvent>,
    (mut open, mut tab): (MessageWriter<OpenPortfolio>, MessageWriter<ShowTab>),
    (mut record, mut desk_tab): (MessageWriter<OpenRecord>, MessageWriter<ShowDeskTab>),
    portfolio: Res<PortfolioState>,
    desk: Res<Desk>,
    (world, library): (Res<Exploring>, Res<Library>),
    (mut talk, mut start): (MessageWriter<TalkTo>, MessageWriter<StartQuest>),
    (mut answer, mut next): (MessageWriter<SubmitAnswer>, MessageWriter<NextTask>),
    mut shown: Local<bool>,
    (mut at_desk, mut stepped): (Local<bool>, Local<Option<(usize, bool)>>),
) {
    if desk.view.is_some() && !*at_desk {
        *at_desk = true;
        match shot.scene {
            SceneName::Record => {
                record.write(OpenRecord);
            }
            SceneName::Board => {
                desk_tab.write(ShowDeskTab(DeskTab::Board));
            }
            SceneName::Dashboard => {
                desk_tab.write(ShowDeskTab(DeskTab::Dashboard));
            }
            SceneName::Debrief => {
                desk_tab.write(ShowDeskTab(DeskTab::Debrief));
            }
            _ => {}
        }
    }
    for event in heard.read() {
        if let NetEvent::Connected(Identity::Pupil { .. }) = event
            && !matches!(
                shot.scene,
                SceneName::World
                    | SceneName::Task
                    | SceneName::Stamp
                    | SceneName::Challenge
                    | SceneName::Results
            )
        {
            open.write(OpenPortfolio);
        }
    }
    let Ok(content) = &library.content else {
        return;
    };
    if matches!(shot.scene, SceneName::Task | SceneName::Stamp)
        && world.placed
        && !*shown
        && let Some(quest) = first_quest(content, &world, shot.scene == SceneName::Stamp)
    {
        *shown = true;
        talk.write(TalkTo(quest.giver.clone()));
        start.write(StartQuest(quest.id.clone()));
    }
    if shot.scene == SceneName::Stamp {
        answer_every_task(content, &world, (&mut answer, &mut next), &mut stepped);
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
    (portfolio, record): (&PortfolioState, &RecordState),
    desk: &Desk,
    (world, playing): (&Exploring, &Playing),
    (window, settings): (&SettingsWindow, &Settings),
    (celebration, now): (&Celebration, Duration),
) -> bool {
    let class_in = desk
        .dashboard
        .as_ref()
        .is_some_and(|dashboard| dashboard.pupils.len() >= LIVE_PUPILS_SHOWN);
    match scene {
        SceneName::Title => true,
        SceneName::Settings => {
            window.open && settings.high_contrast && settings.text_size == TextSize::Large
        }
        SceneName::World => screen == Screen::Class && world.placed,
        SceneName::Task => screen == Screen::Class && world.quest.is_some(),
        // The cards have lingered a moment in the middle, to be read.
        SceneName::Stamp => {
            screen == Screen::Class
                && celebration.cards.len() > 1
                && now.saturating_sub(celebration.since) > CARDS_SETTLED
        }
        SceneName::Challenge => {
            screen == Screen::Class
                && playing
                    .view
                    .as_ref()
                    .is_some_and(|view| view.rounds_played > 0 && view.plan.is_some())
        }
        SceneName::Results => {
            screen == Screen::Class
                && playing
                    .view
                    .as_ref()
                    .is_some_and(|view| view.leaderboard.is_some())
        }
        SceneName::Debrief => {
            desk.tab == DeskTab::Debrief
                && desk.challenge.is_some()
                && desk
                    .reflections
                    .as_ref()
                    .is_some_and(|written| !written.is_empty())
        }
        SceneName::Portfolio => portfolio.portfolio.is_some(),
        SceneName::Badges => portfolio.portfolio.is_some() && portfolio.tab == Tab::Badges,
        SceneName::Reflections => {
            portfolio.portfolio.is_some() && portfolio.tab == Tab::Reflections
        }
        SceneName::Record => record.table.len() > 1,
        SceneName::Board => class_in && desk.tab == DeskTab::Board,
        SceneName::Dashboard => class_in && desk.tab == DeskTab::Dashboard,
    }
}

fn take_when_ready(
    mut commands: Commands,
    mut shot: ResMut<Shot>,
    portfolio: Res<PortfolioState>,
    record: Res<RecordState>,
    screen: Res<State<Screen>>,
    desk: Res<Desk>,
    (world, playing): (Res<Exploring>, Res<Playing>),
    (window, settings): (Res<SettingsWindow>, Res<Settings>),
    celebration: Res<Celebration>,
    time: Res<Time<Real>>,
) {
    let ready = is_ready(
        shot.scene,
        *screen.get(),
        (&portfolio, &record),
        &desk,
        (&world, &playing),
        (&window, &settings),
        (&celebration, time.elapsed()),
    );
    if shot.taken || !ready {
        return;
    }
    if shot.ready_after.is_none() {
        shot.ready_after = Some(shot.started.elapsed());
    }
    shot.settled += 1;
    if shot.settled < SETTLE_FRAMES {
        return;
    }
    if shot.frames.len() < shot.measure_frames {
        let frame = time.delta();
        shot.frames.push(frame);
        if shot.frames.len() == shot.measure_frames {
            println!("{}", figures(&shot));
        }
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

/// The timings as one line of JSON.
fn figures(shot: &Shot) -> String {
    let mut frames: Vec<f64> = shot
        .frames
        .iter()
        .map(|frame| frame.as_secs_f64() * 1000.0)
        .collect();
    frames.sort_by(f64::total_cmp);
    let at = |share: f64| {
        let index = ((frames.len() as f64 - 1.0) * share).round() as usize;
        frames.get(index).copied().unwrap_or(0.0)
    };
    format!(
        "{{\"scene\":\"{:?}\",\"ready_ms\":{},\"frames\":{},\"frame_ms_p50\":{:.2},\"frame_ms_p95\":{:.2}}}",
        shot.scene,
        shot.ready_after.unwrap_or_default().as_millis(),
        frames.len(),
        at(0.5),
        at(0.95)
    )
}

/// Answers the quest's task shown with its model answer, and goes on once it is
/// marked, to the end of the quest. Each step is taken once, `stepped` remembering the
/// last (task, marked): the world takes a message a frame later or in the same frame
/// depending on the order its systems happen to run in, and a second "next" would
/// skip a task and leave the quest unfinished.
fn answer_every_task(
    content: &Content,
    world: &Exploring,
    (answer, next): (
        &mut MessageWriter<SubmitAnswer>,
        &mut MessageWriter<NextTask>,
    ),
    stepped: &mut Option<(usize, bool)>,
) {
    let Some(progress) = &world.quest else { return };
    let step = (progress.task, progress.mark.is_some());
    if progress.waiting || *stepped == Some(step) {
        return;
    }
    *stepped = Some(step);
    let Some(task) = content
        .quests
        .get(&progress.quest)
        .and_then(|quest| quest.tasks.get(progress.task))
    else {
        return;
    };
    if progress.mark.is_some() {
        next.write(NextTask);
    } else {
        answer.write(SubmitAnswer(task.model_answer()));
    }
}

/// The first quest of the pupil's world whose first task is a choice, the most telling
/// picture of a task; with `stamped`, one that also earns a passport stamp.
fn first_quest<'a>(content: &'a Content, world: &Exploring, stamped: bool) -> Option<&'a Quest> {
    let Some(Activity::World(sector)) = world.view.as_ref().map(|view| &view.activity) else {
        return None;
    };
    content.quests.values().find(|quest| {
        &quest.sector == sector
            && (quest.rewards.stamp || !stamped)
            && quest
                .tasks
                .first()
                .is_some_and(|task| matches!(task.kind, TaskKind::ChooseOne { .. }))
    })
}

fn give_up_after_a_while(time: Res<Time<Real>>, shot: Res<Shot>, mut exit: MessageWriter<AppExit>) {
    if !shot.taken && time.elapsed() > READY_WITHIN {
        error!(scene = ?shot.scene, "the scene was not ready in time");
        exit.write(AppExit::error());
    }
}
