//! The content a pupil sees is the class server's: a server whose worlds differ from the
//! game's own sends them when the pupil joins and the game shows them; a server with
//! the same content sends nothing; content the game cannot read sends the pupil back to
//! the title screen with words that say what to do, and nothing else changes.

mod common;

use std::net::SocketAddr;
use std::path::Path;

use workworlds::class::{Connection, JoinClass, Link};
use workworlds::library::{Library, Source};
use workworlds::screen::Screen;
use workworlds_content::ids::SectorId;
use workworlds_content::{Content, ContentBundle, shipped};
use workworlds_protocol::events::Reply;
use workworlds_protocol::hello::{ClientHello, Intent};
use workworlds_protocol::ids::JoinCode;
use workworlds_protocol::quic::{ClassClient, Trust};
use workworlds_protocol::requests::{Activity, TeacherRequest};
use workworlds_server::net::serve_on_loopback;
use workworlds_server::store::Store;

use common::{game, run_until, screen};

const TEACHER: &str = "Mr Evans";
const PASSWORD: &str = "a long enough password";

/// A class server on loopback running `content` and sending `bundle` to the games
/// that join, with a session of the energy world open.
fn class_server(
    runtime: &tokio::runtime::Runtime,
    data: &Path,
    content: Content,
    bundle: &ContentBundle,
) -> (SocketAddr, JoinCode) {
    Store::open(data)
        .unwrap()
        .add_teacher(TEACHER, PASSWORD)
        .unwrap();
    runtime.block_on(async {
        let (address, fingerprint) = serve_on_loopback(content, bundle, data).await.unwrap();
        let hello = ClientHello::new(
            bundle.hash(),
            Intent::Teacher {
                name: TEACHER.into(),
                password: PASSWORD.into(),
            },
        );
        let mut teacher = ClassClient::connect(address, Trust::Pinned(fingerprint), hello)
            .await
            .unwrap();
        let created = TeacherRequest::CreateSession {
            activity: Activity::World(SectorId::new("energy")),
            teams: 1,
            round_seconds: 600,
            typed_names: false,
        };
        let Reply::SessionCreated { code } = teacher.teacher(created).await.unwrap() else {
            panic!("no session");
        };
        // The session lives on in the server after its teacher's connection closes.
        (address, code)
    })
}

/// The built-in content with the energy world renamed, as a school might.
fn renamed_energy_world() -> ContentBundle {
    let mut bundle = shipped::bundle();
    let (_, energy) = bundle
        .files()
        .find(|(name, _)| *name == "sectors/energy.ron")
        .expect("the energy world is shipped");
    let renamed = energy.replace(
        "name: (en: \"Energy and environment\"",
        "name: (en: \"Ysgol Gwynt's energy world\"",
    );
    assert_ne!(renamed, energy, "the test's edit found its place");
    bundle.insert("sectors/energy.ron", renamed);
    bundle
}

fn energy_name(library: &Library) -> String {
    let content = library.content.as_ref().expect("the content on show loads");
    content.sectors[&SectorId::new("energy")].name.en.clone()
}

fn join(server: SocketAddr, join_code: JoinCode) -> bevy::app::App {
    let mut pupil = game();
    pupil.world_mut().write_message(JoinClass {
        server,
        join_code,
        pupil_code: None,
    });
    pupil
}

#[test]
fn a_pupil_sees_the_worlds_of_the_class_server_they_join() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let data = tempfile::tempdir().unwrap();
    let bundle = renamed_energy_world();
    let content = bundle.load().unwrap();
    let (server, code) = class_server(&runtime, data.path(), content, &bundle);

    let mut pupil = join(server, code);
    assert_eq!(
        energy_name(pupil.world().resource::<Library>()),
        "Energy and environment"
    );
    run_until(&mut pupil, "the pupil in class", |world| {
        screen(world) == Screen::Class
    });
    let library = pupil.world().resource::<Library>();
    assert_eq!(library.source, Source::Server);
    assert_eq!(library.hash, bundle.hash());
    assert_eq!(energy_name(library), "Ysgol Gwynt's energy world");
}

#[test]
fn a_server_with_the_games_own_content_sends_none() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let data = tempfile::tempdir().unwrap();
    let bundle = shipped::bundle();
    let content = bundle.load().unwrap();
    let (server, code) = class_server(&runtime, data.path(), content, &bundle);

    let mut pupil = join(server, code);
    run_until(&mut pupil, "the pupil in class", |world| {
        screen(world) == Screen::Class
    });
    // Still the game's own: the hello said it had this content, so none was sent.
    assert_eq!(pupil.world().resource::<Library>().source, Source::BuiltIn);
}

#[test]
fn content_the_game_cannot_read_sends_the_pupil_back_saying_what_to_do() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let data = tempfile::tempdir().unwrap();
    // The server runs on good content but sends a bundle with a file no version of the
    // game could read, as a newer server's content may be to an older game.
    let content = shipped::bundle().load().unwrap();
    let mut unreadable = shipped::bundle();
    unreadable.insert("sectors/energy.ron", "( name: (en: \"Energy\", cy: ");
    let (server, code) = class_server(&runtime, data.path(), content, &unreadable);

    let mut pupil = join(server, code);
    run_until(&mut pupil, "the game to give up on the class", |world| {
        world.resource::<Connection>().problem.is_some()
    });
    let connection = pupil.world().resource::<Connection>();
    assert_eq!(connection.link, Link::Offline);
    assert_eq!(connection.identity, None);
    let problem = connection.problem.as_ref().unwrap();
    assert!(
        problem.en.contains("same version of Work Worlds"),
        "{}",
        problem.en
    );
    assert!(
        problem.en.contains("sectors/energy.ron"),
        "names the file: {}",
        problem.en
    );
    assert!(problem.cy.contains("un fersiwn"), "{}", problem.cy);
    pupil.update();
    assert_eq!(screen(pupil.world()), Screen::Title);
    // What the game showed before is still on show, untouched.
    let library = pupil.world().resource::<Library>();
    assert_eq!(library.source, Source::BuiltIn);
    assert_eq!(energy_name(library), "Energy and environment");
}
