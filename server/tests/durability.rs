//! What the server acknowledged survives the server: the real binary is killed with
//! SIGKILL in the middle of a round, every acknowledged answer is found in the store,
//! and a restarted server brings the session back with its round paused, the time it had
//! left when the server stopped, and its pupils able to resume.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use workworlds_content::ids::{QuestId, SectorId};
use workworlds_content::marking::Answer;
use workworlds_protocol::events::{Reply, RoundState, ServerEvent};
use workworlds_protocol::hello::{ClientHello, Identity, Intent};
use workworlds_protocol::quic::{ClassClient, Trust};
use workworlds_protocol::requests::{Activity, PupilRequest, TeacherRequest};
use workworlds_server::net::parse_announcement;
use workworlds_server::store::Store;

const TEACHER: &str = "Mr Price";
const PASSWORD: &str = "a long enough password";
const STEP: Duration = Duration::from_secs(20);
/// How long the server stays down between the kill and the restart: longer than the
/// server's heartbeat, so a round that lost its downtime would show it.
const OUTAGE: Duration = Duration::from_secs(6);

async fn within<T>(step: impl Future<Output = T>) -> T {
    tokio::time::timeout(STEP, step)
        .await
        .expect("a test step took longer than its limit")
}

/// A server process and where it listens.
struct Server {
    child: Child,
    address: SocketAddr,
    fingerprint: [u8; 32],
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_workworlds-server"))
}

fn add_teacher(data: &Path) {
    let mut child = binary()
        .args(["teacher", "add", TEACHER, "--data"])
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    assert!(child.wait().unwrap().success());
}

/// Starts `serve` on a free loopback port and reads the address and fingerprint it prints.
fn start(data: &Path) -> Server {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/data");
    let mut child = binary()
        .args(["serve", "--bind", "127.0.0.1:0", "--data"])
        .arg(data)
        .arg("--content")
        .arg(content)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let (address, fingerprint) =
        parse_announcement(&line).unwrap_or_else(|| panic!("the server did not start: {line:?}"));
    Server {
        child,
        address,
        fingerprint,
    }
}

async fn connect(server: &Server, intent: Intent) -> ClassClient {
    let hello = ClientHello::new([0; 32], intent);
    within(ClassClient::connect(
        server.address,
        Trust::Pinned(server.fingerprint),
        hello,
    ))
    .await
    .unwrap()
}

fn teacher() -> Intent {
    Intent::Teacher {
        name: TEACHER.into(),
        password: PASSWORD.into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_answers_survive_sigkill_and_the_session_comes_back_paused() {
    let data = tempfile::tempdir().unwrap();
    add_teacher(data.path());
    let server = start(data.path());

    let mut teacher_client = connect(&server, teacher()).await;
    let create = TeacherRequest::CreateSession {
        activity: Activity::World(SectorId::new("energy")),
        teams: 2,
        round_seconds: 600,
        typed_names: false,
    };
    let Reply::SessionCreated { code } = within(teacher_client.teacher(create)).await.unwrap()
    else {
        panic!("no session")
    };
    within(teacher_client.teacher(TeacherRequest::StartRound))
        .await
        .unwrap();
    let round_started = Instant::now();

    let quest = QuestId::new("turbine-safety-check");
    let mut identities = Vec::new();
    for index in 0..5 {
        let mut pupil = connect(
            &server,
            Intent::Join {
                code: code.clone(),
                name: None,
                pupil_code: None,
            },
        )
        .await;
        let reflection = Answer::Reflect(format!("reflection {index}"));
        let request = PupilRequest::SubmitAnswer {
            quest: quest.clone(),
            task: 2,
            answer: reflection,
        };
        assert!(matches!(
            within(pupil.pupil(request)).await.unwrap(),
            Reply::Marked { .. }
        ));
        identities.push(pupil.identity().clone());
    }

    // SIGKILL: no chance to flush anything that was not already on disk.
    let ran_ms = u64::try_from(round_started.elapsed().as_millis()).unwrap();
    drop(server);

    let store = Store::open(data.path()).unwrap();
    for identity in &identities {
        let Identity::Pupil { pupil, .. } = identity else {
            panic!("not a pupil")
        };
        let answers = store.answers(*pupil).unwrap();
        assert_eq!(
            answers.len(),
            1,
            "pupil {pupil:?}'s acknowledged answer is on disk"
        );
        assert_eq!(answers[0].quest, quest);
    }
    drop(store);

    // The server stays down a while; that time is not taken from the round.
    tokio::time::sleep(OUTAGE).await;
    let server = start(data.path());
    let mut teacher_client = connect(&server, teacher()).await;
    within(teacher_client.teacher(TeacherRequest::OpenSession { code: code.clone() }))
        .await
        .unwrap();
    let round = loop {
        match within(teacher_client.next_event()).await {
            Some(ServerEvent::Session(view)) => break view.round,
            Some(_) => {}
            None => panic!("the teacher's connection closed"),
        }
    };
    assert_eq!((round.number, round.state), (1, RoundState::Paused));
    // The round loses at most the time since the server last noted it was alive.
    let left_at_kill = 600_000 - ran_ms;
    assert!(
        round.remaining_ms <= left_at_kill + 500 && round.remaining_ms + 3_500 >= left_at_kill,
        "{round:?} after running {ran_ms} ms and an outage of {OUTAGE:?}"
    );

    for identity in identities {
        let Identity::Pupil {
            token, pupil, team, ..
        } = identity
        else {
            panic!("not a pupil")
        };
        let back = connect(&server, Intent::Resume { token }).await;
        let Identity::Pupil {
            pupil: again,
            team: same_team,
            ..
        } = back.identity().clone()
        else {
            panic!()
        };
        assert_eq!((again, same_team), (pupil, team));
    }
}
