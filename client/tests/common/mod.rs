//! What the client's end-to-end tests share: a headless game with the real networking,
//! and running it until something holds.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bevy::prelude::*;
use workworlds::GamePlugins;
use workworlds::class::Remembered;
use workworlds::library::Library;
use workworlds::screen::Screen;

/// The longest any step may take before the test fails rather than hangs.
pub(crate) const STEP: Duration = Duration::from_secs(30);

pub(crate) fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/data")
}

/// The game without a window, with its real networking.
pub(crate) fn game() -> App {
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        // Tests remember nothing in the user's configuration folder.
        .insert_resource(Remembered { file: None })
        .insert_resource(workworlds::settings::SettingsFile { file: None })
        .insert_resource(Library::built_in())
        .add_plugins(GamePlugins);
    app
}

/// Runs `app` until `done` holds, failing after [`STEP`].
pub(crate) fn run_until(app: &mut App, what: &str, done: impl Fn(&World) -> bool) {
    let started = Instant::now();
    while !done(app.world()) {
        assert!(started.elapsed() < STEP, "timed out waiting for {what}");
        app.update();
        std::thread::sleep(Duration::from_millis(5));
    }
}

pub(crate) fn screen(world: &World) -> Screen {
    *world.resource::<State<Screen>>().get()
}

/// Starts the first quest of the energy world and answers its first task with the
/// model answer; returns once the server has marked it, with the mark.
#[allow(
    dead_code,
    reason = "every test binary compiles this module; not every test answers a task"
)]
pub(crate) fn answer_first_energy_task(pupil: &mut App) -> workworlds_content::marking::Mark {
    use workworlds::world::{Exploring, StartQuest, SubmitAnswer};

    let content = workworlds_content::load_dir(&content_dir()).expect("the content loads");
    let quest = content
        .quests
        .values()
        .find(|quest| quest.sector.as_str() == "energy")
        .expect("the energy world has a quest");
    pupil
        .world_mut()
        .write_message(StartQuest(quest.id.clone()));
    pupil
        .world_mut()
        .write_message(SubmitAnswer(quest.tasks[0].model_answer()));
    let marked = |world: &World| {
        world
            .resource::<Exploring>()
            .quest
            .as_ref()
            .and_then(|progress| progress.mark)
    };
    run_until(pupil, "the first task marked", |world| {
        marked(world).is_some()
    });
    marked(pupil.world()).expect("marked, as waited for")
}
