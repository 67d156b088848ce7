//! "Play on this computer": the game starts the real class server inside itself, with
//! its data folder on this computer and open to the classroom network, logs its own
//! teacher in without a password to type, and the desk knows where pupils join; a
//! pupil's game then joins a session made there.

mod common;

use workworlds::class::{Connection, JoinClass};
use workworlds::desk::{CreateSession, Desk};
use workworlds::net::{Net, NetCommand};
use workworlds::screen::Screen;
use workworlds_content::ids::SectorId;
use workworlds_protocol::requests::Activity;

use common::{game, run_until, screen};

#[test]
fn the_game_runs_a_class_itself_and_a_pupil_joins_it() {
    let data = tempfile::tempdir().unwrap();
    let mut teacher = game();
    teacher.update();
    teacher
        .world()
        .resource::<Net>()
        .send(NetCommand::PlayHere {
            data: data.path().to_owned(),
        });
    run_until(&mut teacher, "the teacher's desk", |world| {
        screen(world) == Screen::Desk
    });
    let join_at = teacher
        .world()
        .resource::<Connection>()
        .join_at
        .expect("the desk knows where pupils join");
    assert!(
        data.path().join("workworlds.sqlite3").exists(),
        "the class is kept on disk"
    );

    teacher.world_mut().write_message(CreateSession {
        activity: Activity::World(SectorId::new("energy")),
        teams: 2,
        round_seconds: 300,
    });
    run_until(&mut teacher, "the new session", |world| {
        world.resource::<Desk>().view.is_some()
    });
    let code = teacher.world().resource::<Desk>().session.clone().unwrap();

    // A pupil on this computer joins at the server's port, as one on the network would.
    let mut pupil = game();
    let server = std::net::SocketAddr::from(([127, 0, 0, 1], join_at.port()));
    pupil.world_mut().write_message(JoinClass {
        server,
        join_code: code,
        pupil_code: None,
    });
    run_until(&mut pupil, "the pupil in class", |world| {
        screen(world) == Screen::Class
    });
    run_until(&mut teacher, "the pupil on the dashboard", |world| {
        world
            .resource::<Desk>()
            .dashboard
            .as_ref()
            .is_some_and(|dashboard| dashboard.pupils.len() == 1)
    });
}
