//! A teacher's game and a pupil's game, each a headless Bevy app with the real
//! networking, against a real class server whose network goes away and comes back, as a
//! classroom's does: every connection is cut, the server's port refuses anyone for a
//! while, and then it answers again on the same address with the same certificate. Both
//! games make their connections again by themselves: the pupil as the same pupil in the
//! same team, still in the middle of their quest; the teacher with the session they made
//! open again. Then the teacher starts a round and the pupil sees it.
//!
//! The server closes its endpoint rather than going silent: a connection that hears
//! nothing at all is only given up after QUIC's idle timeout (30 s), which is the same
//! drop, just slower to notice.

mod common;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bevy::prelude::*;
use workworlds::class::{Connection, JoinClass, Link, TeacherLogin};
use workworlds::desk::{Control, CreateSession, Desk};
use workworlds::screen::Screen;
use workworlds::world::{Exploring, RaiseHand};
use workworlds_content::ContentBundle;
use workworlds_content::ids::SectorId;
use workworlds_protocol::events::RoundState;
use workworlds_protocol::hello::Identity;
use workworlds_protocol::requests::{Activity, TeacherRequest};
use workworlds_server::hub::Hub;
use workworlds_server::net::{ListenOptions, Listening, tls};
use workworlds_server::store::Store;

use common::{STEP, answer_first_energy_task, content_dir, game, run_until, screen};

const TEACHER: &str = "Ms Jones";
const PASSWORD: &str = "correct horse battery";

/// How long the server's port refuses every connection.
const OUTAGE: Duration = Duration::from_secs(2);

/// The class server's sessions, kept in memory while its network comes and goes.
fn hub(runtime: &tokio::runtime::Runtime, data: &Path) -> Arc<Hub> {
    let mut store = Store::open(data).unwrap();
    store.add_teacher(TEACHER, PASSWORD).unwrap();
    let bundle = ContentBundle::read_dir(&content_dir()).unwrap();
    let content = bundle.load().unwrap();
    let _entered = runtime.enter();
    Hub::restore(Arc::new(content), &bundle, store).unwrap()
}

/// The server's endpoint at `bind`, with the certificate kept in `data`, not yet
/// serving. A port just let go may take a moment to be free again.
fn listen(runtime: &tokio::runtime::Runtime, bind: SocketAddr, data: &Path) -> Listening {
    let _entered = runtime.enter();
    let started = Instant::now();
    loop {
        let options = ListenOptions {
            bind,
            identity: tls::load_or_create(data).unwrap(),
        };
        match Listening::bind(options) {
            Ok(listening) => return listening,
            Err(error) => {
                assert!(started.elapsed() < STEP, "cannot listen again: {error:#}");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

fn link(world: &World) -> Link {
    world.resource::<Connection>().link
}

/// The number of the try the game says it is on, from the words it shows.
fn attempt(world: &World) -> Option<u32> {
    let problem = world.resource::<Connection>().problem.as_ref()?;
    let (_, after) = problem.en.split_once("(attempt ")?;
    after.split(')').next()?.parse().ok()
}

fn pupil_and_team(world: &World) -> (u64, u8) {
    match &world.resource::<Connection>().identity {
        Some(Identity::Pupil { pupil, team, .. }) => (pupil.0, team.0),
        other => panic!("not a pupil: {other:?}"),
    }
}

#[test]
fn both_games_come_back_by_themselves_after_the_network_drops() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let hub = hub(&runtime, data.path());
    let listening = listen(&runtime, (Ipv4Addr::LOCALHOST, 0).into(), data.path());
    let server = listening.address;
    let endpoint = listening.endpoint().clone();
    runtime.spawn(listening.serve(hub.clone()));

    // The teacher makes a session; a pupil joins it and starts a quest.
    let mut teacher = game();
    teacher.world_mut().write_message(TeacherLogin {
        server,
        name: TEACHER.into(),
        password: PASSWORD.into(),
        session: None,
    });
    run_until(&mut teacher, "the teacher's desk", |world| {
        screen(world) == Screen::Desk
    });
    teacher.world_mut().write_message(CreateSession {
        activity: Activity::World(SectorId::new("energy")),
        teams: 2,
        round_seconds: 600,
    });
    run_until(&mut teacher, "the new session", |world| {
        world.resource::<Desk>().view.is_some()
    });
    let code = teacher.world().resource::<Desk>().session.clone().unwrap();

    let mut pupil = game();
    pupil.world_mut().write_message(JoinClass {
        server,
        join_code: code.clone(),
        pupil_code: None,
    });
    run_until(&mut pupil, "the pupil in the session's world", |world| {
        screen(world) == Screen::Class && world.resource::<Exploring>().view.is_some()
    });
    let who = pupil_and_team(pupil.world());
    answer_first_energy_task(&mut pupil);
    let progress = pupil.world().resource::<Exploring>().quest.clone();

    // The network goes: every connection is cut and the port refuses newcomers.
    let dropped_at = Instant::now();
    endpoint.close(0u32.into(), b"the network went away");
    run_until(&mut pupil, "the pupil's game trying again", |world| {
        link(world) == Link::Reconnecting
    });
    run_until(&mut teacher, "the teacher's game trying again", |world| {
        link(world) == Link::Reconnecting
    });
    let mut tries = 0;
    while dropped_at.elapsed() < OUTAGE {
        for app in [&mut pupil, &mut teacher] {
            app.update();
            assert_eq!(link(app.world()), Link::Reconnecting, "still trying");
        }
        tries = tries.max(attempt(pupil.world()).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        tries >= 2,
        "a refused try is followed by another: up to try {tries}"
    );
    assert_eq!(screen(pupil.world()), Screen::Class, "the pupil stays put");
    assert_eq!(
        screen(teacher.world()),
        Screen::Desk,
        "the teacher stays put"
    );

    // The network comes back: the same server, at the same address.
    drop(endpoint);
    let listening = listen(&runtime, server, data.path());
    runtime.spawn(listening.serve(hub.clone()));
    run_until(&mut pupil, "the pupil's game back", |world| {
        link(world) == Link::Connected
    });
    run_until(&mut teacher, "the teacher's game back", |world| {
        link(world) == Link::Connected
    });
    let back_after = dropped_at.elapsed();

    let world = pupil.world();
    assert_eq!(
        pupil_and_team(world),
        who,
        "the same pupil in the same team"
    );
    assert_eq!(screen(world), Screen::Class);
    assert_eq!(world.resource::<Connection>().problem, None);
    assert_eq!(
        world.resource::<Exploring>().quest,
        progress,
        "the quest carries on where it was"
    );
    // The game opened the session the teacher made again before saying it was back.
    let desk = teacher.world().resource::<Desk>();
    assert_eq!(desk.session, Some(code), "the same session on the desk");
    assert_eq!(desk.problem, None, "the session opened again");
    assert_eq!(screen(teacher.world()), Screen::Desk);

    // The class carries on: the pupil's hand reaches the teacher's dashboard, and the
    // round the teacher starts reaches the pupil.
    pupil.world_mut().write_message(RaiseHand(true));
    pupil.update();
    run_until(&mut teacher, "the pupil's hand on the dashboard", |world| {
        world
            .resource::<Desk>()
            .dashboard
            .as_ref()
            .is_some_and(|dashboard| {
                dashboard
                    .pupils
                    .iter()
                    .any(|status| status.connected && status.hand_up)
            })
    });
    teacher
        .world_mut()
        .write_message(Control(TeacherRequest::StartRound));
    teacher.update();
    run_until(
        &mut pupil,
        "the round running on the pupil's screen",
        |world| {
            world
                .resource::<Exploring>()
                .view
                .as_ref()
                .is_some_and(|view| view.round.state == RoundState::Running)
        },
    );
    eprintln!("both games back {back_after:?} after the drop; the pupil's game was on try {tries}");
}
