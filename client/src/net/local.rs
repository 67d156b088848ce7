//! The class server inside the game, for "Play on this computer": one laptop and a
//! projector run a whole class. It is the real server (QUIC on loopback, SQLite in its
//! data folder), not a stand-in, so what a class does here is kept as it would be on a
//! school's server.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use anyhow::Context;
use workworlds_content::ContentBundle;
use workworlds_content::ids::{ChallengeId, SectorId};
use workworlds_protocol::events::Reply;
use workworlds_protocol::hello::{ClientHello, Intent};
use workworlds_protocol::ids::{JoinCode, PupilCode};
use workworlds_protocol::quic::{ClassClient, Trust};
use workworlds_protocol::requests::{Activity, PupilRequest, TeacherRequest};
use workworlds_server::demo::{self, Demo};
use workworlds_server::local::local_teacher;
use workworlds_server::net::{serve_in_process, serve_on_loopback};
use workworlds_server::store::{Store, unix_ms_now};

use crate::class::DEFAULT_PORT;
use crate::library::local_bundle;

/// The content the game's own server runs with: this computer's own, as the game
/// shows it before joining any class.
fn read_content() -> anyhow::Result<(ContentBundle, workworlds_content::Content)> {
    let (bundle, source) = local_bundle().map_err(|(errors, _)| anyhow::anyhow!("{errors}"))?;
    let content = source
        .load(&bundle)
        .map_err(|errors| anyhow::anyhow!("{errors}"))?;
    Ok((bundle, content))
}

/// This computer's address on the classroom network: the one its traffic to another
/// network would leave from. Connecting a UDP socket sends nothing; with no network
/// at all, it is loopback.
fn lan_address() -> IpAddr {
    std::net::UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))
        .and_then(|socket| {
            // An address reserved for documentation: nothing is ever sent to it.
            socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9))?;
            socket.local_addr()
        })
        .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |local| local.ip())
}

/// Where a class played on this computer keeps its data: the user's data folder.
pub fn play_data_dir() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".local/share")));
    base.map_or_else(
        || PathBuf::from("workworlds-data"),
        |base| base.join("workworlds"),
    )
}

/// Who the game connects as when it starts on the demo class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoRole {
    /// The first pupil of the demo class, in a new session of the energy world.
    Pupil,
    /// The demo teacher, looking back at the demo's finished sessions.
    Teacher,
    /// The demo teacher at the desk of a live class: a new session of the energy world
    /// that some of the demo's pupils have joined, one with a hand up.
    Class,
    /// The first pupil of the demo class in a new session of the Harbour Café
    /// challenge, two rounds in, with classmates in every team.
    Challenge,
    /// The same pupil in a net-zero challenge whose every round has been played: the
    /// leaderboard, the abatement chart and the debrief.
    Results,
}

/// The challenge the demo's live challenge plays, and how many rounds it has played
/// when the pupil joins.
const LIVE_CHALLENGE: &str = "seaside-cafe";
const LIVE_ROUNDS: u32 = 2;

/// The net-zero challenge the demo plays to its end, for its results.
const FINISHED_CHALLENGE: &str = "bakery-net-zero";

/// How many demo pupils join the live class.
const LIVE_PUPILS: usize = 12;

/// A running in-process server.
pub struct LocalServer {
    pub address: SocketAddr,
    pub fingerprint: [u8; 32],
    /// The demo class the server was filled with, if it was.
    pub demo: Option<Demo>,
    /// The demo's live class, once made.
    pub live: Option<JoinCode>,
    /// The demo pupils in the live class, kept connected.
    live_pupils: Vec<ClassClient>,
    /// The teacher the game logs in as when it plays a class on this computer.
    pub teacher: Option<Intent>,
    /// Where pupils' computers on the classroom network join, when playing a class.
    pub join_at: Option<SocketAddr>,
    /// A demo's data folder, removed when the game closes.
    _scratch: Option<tempfile::TempDir>,
}

impl LocalServer {
    /// Starts the class server for a class on this computer, with its data in `data`:
    /// on the usual port of every network interface (or a free port, if another
    /// program has it), so pupils' computers on the classroom network can join.
    pub async fn play(data: &Path) -> anyhow::Result<LocalServer> {
        let (name, password) = local_teacher(data)?;
        let (bundle, content) = read_content()?;
        let usual = SocketAddr::from((Ipv4Addr::UNSPECIFIED, DEFAULT_PORT));
        // A copy for the second try, so both tries serve the content just read.
        let tried = serve_in_process(content.clone(), &bundle, data, usual).await;
        let (address, fingerprint) = match tried {
            Ok(bound) => bound,
            Err(error) => {
                bevy::log::warn!(%error, "the usual port is taken; using a free one");
                let any = SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0));
                serve_in_process(content, &bundle, data, any).await?
            }
        };
        Ok(LocalServer {
            teacher: Some(Intent::Teacher { name, password }),
            join_at: Some(SocketAddr::from((lan_address(), address.port()))),
            ..LocalServer::serving(address, fingerprint)
        })
    }

    /// A server listening at `address` with nothing more known of it yet.
    fn serving(address: SocketAddr, fingerprint: [u8; 32]) -> LocalServer {
        LocalServer {
            address,
            fingerprint,
            demo: None,
            live: None,
            live_pupils: Vec::new(),
            teacher: None,
            join_at: None,
            _scratch: None,
        }
    }

    /// Starts the server on a fresh demo class in a scratch folder.
    pub async fn demo() -> anyhow::Result<LocalServer> {
        let scratch = tempfile::tempdir().context("making a folder for the demo")?;
        let (bundle, content) = read_content()?;
        let made = {
            let mut store = Store::open(scratch.path())?;
            demo::fill(&mut store, &content, unix_ms_now())?
        };
        let (address, fingerprint) = serve_on_loopback(content, &bundle, scratch.path()).await?;
        let mut server = LocalServer::serving(address, fingerprint);
        server.demo = Some(made);
        server._scratch = Some(scratch);
        Ok(server)
    }

    /// Sets the demo up for `role` and says who to connect as: a pupil joins a new
    /// session the demo teacher opens for them.
    pub async fn prepare(&mut self, role: DemoRole) -> anyhow::Result<Intent> {
        let teacher = Intent::Teacher {
            name: demo::TEACHER.into(),
            password: demo::TEACHER_PASSWORD.into(),
        };
        match role {
            DemoRole::Teacher => return Ok(teacher),
            DemoRole::Class => {
                self.fill_live_class(teacher.clone()).await?;
                return Ok(teacher);
            }
            DemoRole::Challenge => {
                return self
                    .live_challenge(teacher, LIVE_CHALLENGE, LIVE_ROUNDS)
                    .await;
            }
            DemoRole::Results => {
                return self
                    .live_challenge(teacher, FINISHED_CHALLENGE, u32::MAX)
                    .await;
            }
            DemoRole::Pupil => {}
        }
        let pupil_code = self
            .demo
            .as_ref()
            .and_then(|made| made.pupils.first().cloned())
            .context("the demo has no pupils")?;
        let code = self.open_session(teacher).await?;
        Ok(Intent::Join {
            code,
            name: None,
            pupil_code: Some(pupil_code),
        })
    }

    async fn open_session(&self, teacher: Intent) -> anyhow::Result<JoinCode> {
        let hello = ClientHello::new([0; 32], teacher);
        let mut client =
            ClassClient::connect(self.address, Trust::Pinned(self.fingerprint), hello).await?;
        let created = TeacherRequest::CreateSession {
            activity: Activity::World(SectorId::new("energy")),
            teams: 4,
            round_seconds: 600,
            typed_names: false,
        };
        match client.teacher(created).await? {
            Reply::SessionCreated { code } => Ok(code),
            other => anyhow::bail!("the server answered {other:?} to a new session"),
        }
    }

    /// Opens a live session and has some of the demo's pupils join it with their codes;
    /// one puts a hand up.
    async fn fill_live_class(&mut self, teacher: Intent) -> anyhow::Result<()> {
        let code = self.open_session(teacher).await?;
        let pupils: Vec<PupilCode> = self
            .demo
            .as_ref()
            .map(|made| made.pupils.iter().take(LIVE_PUPILS).cloned().collect())
            .unwrap_or_default();
        for (index, pupil_code) in pupils.into_iter().enumerate() {
            let hello = ClientHello::new(
                [0; 32],
                Intent::Join {
                    code: code.clone(),
                    name: None,
                    pupil_code: Some(pupil_code),
                },
            );
            let mut pupil =
                ClassClient::connect(self.address, Trust::Pinned(self.fingerprint), hello).await?;
            if index == 2 {
                pupil.pupil(PupilRequest::HandUp { up: true }).await?;
            }
            self.live_pupils.push(pupil);
        }
        self.live = Some(code);
        Ok(())
    }

    /// Opens a session of `challenge`, fills its teams with demo pupils, plays up to
    /// `rounds` rounds (as many as it has, if fewer), and says how the first demo pupil
    /// joins it.
    async fn live_challenge(
        &mut self,
        teacher: Intent,
        challenge: &str,
        rounds: u32,
    ) -> anyhow::Result<Intent> {
        let hello = ClientHello::new([0; 32], teacher);
        let mut desk =
            ClassClient::connect(self.address, Trust::Pinned(self.fingerprint), hello).await?;
        let created = TeacherRequest::CreateSession {
            activity: Activity::Challenge(ChallengeId::new(challenge)),
            teams: 3,
            round_seconds: 600,
            typed_names: false,
        };
        let Reply::SessionCreated { code } = desk.teacher(created).await? else {
            anyhow::bail!("the server did not make the challenge session");
        };
        let pupils: Vec<PupilCode> = self
            .demo
            .as_ref()
            .map(|made| made.pupils.iter().take(LIVE_PUPILS).cloned().collect())
            .unwrap_or_default();
        let (first, others) = pupils.split_first().context("the demo has no pupils")?;
        for pupil_code in others {
            let hello = ClientHello::new(
                [0; 32],
                Intent::Join {
                    code: code.clone(),
                    name: None,
                    pupil_code: Some(pupil_code.clone()),
                },
            );
            let pupil =
                ClassClient::connect(self.address, Trust::Pinned(self.fingerprint), hello).await?;
            self.live_pupils.push(pupil);
        }
        for _ in 0..rounds {
            // The server refuses a round past the challenge's last.
            if desk.teacher(TeacherRequest::StartRound).await.is_err() {
                break;
            }
            desk.teacher(TeacherRequest::EndRound).await?;
        }
        self.live = Some(code.clone());
        Ok(Intent::Join {
            code,
            name: None,
            pupil_code: Some(first.clone()),
        })
    }

    /// The demo's pupil codes and sessions, if this is the demo.
    pub fn demo_codes(&self) -> Option<(Vec<JoinCode>, Vec<PupilCode>)> {
        let made = self.demo.as_ref()?;
        Some((made.sessions.clone(), made.pupils.clone()))
    }
}
