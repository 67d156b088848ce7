//! A teacher's game and a pupil's game, each a headless Bevy app with the real
//! networking, against a real class server on loopback holding the demo class: the
//! pupil joins with the code on their card and sees their portfolio, picks a best
//! reflection and answers a quest's task in the world; the teacher opens the session at
//! their desk, starts a round, reads the session's record and ends it, which sends the
//! pupil back to the title screen.

mod common;

use std::net::SocketAddr;
use std::path::Path;

use workworlds::class::{Connection, JoinClass, TeacherLogin};
use workworlds::desk::{Control, Desk};
use workworlds::portfolio::{ChooseBest, OpenPortfolio, PortfolioState};
use workworlds::record::{EndSession, OpenRecord, RecordState};
use workworlds::screen::Screen;
use workworlds_content::ContentBundle;
use workworlds_content::ids::SectorId;
use workworlds_protocol::events::{Reply, RoundState};
use workworlds_protocol::hello::{ClientHello, Intent};
use workworlds_protocol::ids::{JoinCode, PupilCode};
use workworlds_protocol::quic::{ClassClient, Trust};
use workworlds_protocol::requests::{Activity, TeacherRequest};
use workworlds_server::demo;
use workworlds_server::net::serve_on_loopback;
use workworlds_server::store::{Store, unix_ms_now};

use common::{answer_first_energy_task, content_dir, game, run_until, screen};

/// A server on the demo class, and a new session of the energy world opened in it.
fn demo_server(
    runtime: &tokio::runtime::Runtime,
    data: &Path,
) -> (SocketAddr, JoinCode, PupilCode) {
    let bundle = ContentBundle::read_dir(&content_dir()).unwrap();
    let content = bundle.load().unwrap();
    let made = {
        let mut store = Store::open(data).unwrap();
        demo::fill(&mut store, &content, unix_ms_now()).unwrap()
    };
    runtime.block_on(async {
        let (address, fingerprint) = serve_on_loopback(content, &bundle, data).await.unwrap();

        let hello = ClientHello::new(
            [0; 32],
            Intent::Teacher {
                name: demo::TEACHER.into(),
                password: demo::TEACHER_PASSWORD.into(),
            },
        );
        let mut teacher = ClassClient::connect(address, Trust::Pinned(fingerprint), hello)
            .await
            .unwrap();
        let created = TeacherRequest::CreateSession {
            activity: Activity::World(SectorId::new("energy")),
            teams: 2,
            round_seconds: 600,
            typed_names: false,
        };
        let Reply::SessionCreated { code } = teacher.teacher(created).await.unwrap() else {
            panic!("no session");
        };
        (address, code, made.pupils[0].clone())
    })
}

#[test]
fn a_pupil_and_a_teacher_play_their_parts_against_a_real_server() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let data = tempfile::tempdir().unwrap();
    let (server, join_code, pupil_code) = demo_server(&runtime, data.path());

    let mut pupil = game();
    pupil.world_mut().write_message(JoinClass {
        server,
        join_code: join_code.clone(),
        pupil_code: Some(pupil_code),
    });
    run_until(&mut pupil, "the pupil's welcome", |world| {
        screen(world) == Screen::Class
    });

    pupil.world_mut().write_message(OpenPortfolio);
    run_until(&mut pupil, "the portfolio", |world| {
        world.resource::<PortfolioState>().portfolio.is_some()
    });
    let portfolio = pupil
        .world()
        .resource::<PortfolioState>()
        .portfolio
        .clone()
        .unwrap();
    assert_eq!(portfolio.class, demo::CLASS);
    assert!(
        !portfolio.stamps.is_empty(),
        "the demo visit stamped the passport"
    );
    assert!(!portfolio.badges.is_empty(), "the demo pupil earned badges");
    let reflection = portfolio
        .reflections
        .iter()
        .find(|reflection| !reflection.best)
        .expect("a reflection not yet chosen")
        .id;

    pupil.world_mut().write_message(ChooseBest {
        reflection,
        best: true,
    });
    run_until(&mut pupil, "the chosen reflection", |world| {
        world
            .resource::<PortfolioState>()
            .portfolio
            .as_ref()
            .is_some_and(|shown| {
                shown
                    .reflections
                    .iter()
                    .any(|kept| kept.id == reflection && kept.best)
            })
    });

    // A task of a quest in the session's world, marked by the server.
    assert!(answer_first_energy_task(&mut pupil).is_right());

    let mut teacher = game();
    teacher.world_mut().write_message(TeacherLogin {
        server,
        name: demo::TEACHER.into(),
        password: demo::TEACHER_PASSWORD.into(),
        session: Some(join_code),
    });
    run_until(&mut teacher, "the desk with the session open", |world| {
        world.resource::<Desk>().view.is_some()
    });
    teacher
        .world_mut()
        .write_message(Control(TeacherRequest::StartRound));
    run_until(&mut teacher, "the round running", |world| {
        world
            .resource::<Desk>()
            .view
            .as_ref()
            .is_some_and(|view| view.round.state == RoundState::Running)
    });

    teacher.world_mut().write_message(OpenRecord);
    run_until(&mut teacher, "the session's record", |world| {
        world.resource::<RecordState>().table.len() == 2
    });
    let table = teacher.world().resource::<RecordState>().table.clone();
    let pupils = table[0].iter().position(|name| name == "Pupils").unwrap();
    assert_eq!(table[1][pupils], "1", "{table:?}");

    teacher.world_mut().write_message(EndSession);
    run_until(&mut teacher, "the ended session", |world| {
        world.resource::<RecordState>().ended
    });
    run_until(&mut pupil, "the pupil sent back to the title", |world| {
        screen(world) == Screen::Title && world.resource::<Connection>().problem.is_some()
    });
}
