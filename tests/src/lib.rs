//! A harness for end-to-end tests: a real class server on a loopback port with its own
//! data folder, and headless clients that talk to it over QUIC. The tests are in this
//! crate's `tests/` folder.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use workworlds_content::ContentBundle;
use workworlds_protocol::events::ServerEvent;
use workworlds_protocol::hello::{ClientHello, Intent};
use workworlds_protocol::ids::JoinCode;
use workworlds_protocol::quic::{ClassClient, ClientError, Trust};
use workworlds_server::net::serve_on_loopback;
use workworlds_server::store::Store;

/// The teacher every test server knows.
pub const TEACHER: &str = "Ms Jones";
pub const PASSWORD: &str = "correct horse battery";

/// The longest any one step of a test may take before it fails rather than hangs.
pub const STEP: Duration = Duration::from_secs(20);

/// The shipped content folder.
pub fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/data")
}

/// A running server.
pub struct TestServer {
    pub address: SocketAddr,
    pub fingerprint: [u8; 32],
    pub data: tempfile::TempDir,
}

impl TestServer {
    /// Starts a server with a fresh data folder and one teacher.
    pub async fn start() -> anyhow::Result<TestServer> {
        let data = tempfile::tempdir()?;
        Store::open(data.path())?.add_teacher(TEACHER, PASSWORD)?;
        let (address, fingerprint) = serve(data.path()).await?;
        Ok(TestServer {
            address,
            fingerprint,
            data,
        })
    }

    /// A teacher's client, logged in.
    pub async fn teacher(&self) -> anyhow::Result<ClassClient> {
        let intent = Intent::Teacher {
            name: TEACHER.into(),
            password: PASSWORD.into(),
        };
        Ok(self.connect(intent).await?)
    }

    /// A pupil's client, joined to the session `code` with a generated name.
    pub async fn pupil(&self, code: &JoinCode) -> anyhow::Result<ClassClient> {
        Ok(self
            .connect(Intent::Join {
                code: code.clone(),
                name: None,
                pupil_code: None,
            })
            .await?)
    }

    /// Connects with any intent, trusting only this server's certificate.
    pub async fn connect(&self, intent: Intent) -> Result<ClassClient, ClientError> {
        let hello = ClientHello::new([0; 32], intent);
        within(ClassClient::connect(
            self.address,
            Trust::Pinned(self.fingerprint),
            hello,
        ))
        .await
    }
}

/// Serves the data folder at `data` on a free loopback port, in this runtime.
pub async fn serve(data: &Path) -> anyhow::Result<(SocketAddr, [u8; 32])> {
    let bundle =
        ContentBundle::read_dir(&content_dir()).map_err(|errors| anyhow::anyhow!("{errors}"))?;
    let content = bundle
        .load()
        .map_err(|errors| anyhow::anyhow!("{errors}"))?;
    serve_on_loopback(content, &bundle, data).await
}

/// Awaits `step`, failing the test if it takes longer than [`STEP`].
pub async fn within<T>(step: impl Future<Output = T>) -> T {
    within_limit(STEP, step).await
}

/// Awaits `step`, failing the test if it takes longer than `limit`.
pub async fn within_limit<T>(limit: Duration, step: impl Future<Output = T>) -> T {
    tokio::time::timeout(limit, step)
        .await
        .expect("a test step took longer than its limit")
}

/// A UDP relay between one client and the server that can be cut, as a pupil's Wi-Fi
/// drops out: while cut, every datagram either way is lost, as on a real network, and
/// neither end is told.
pub struct Relay {
    /// Where the client connects instead of the server.
    pub address: SocketAddr,
    cut: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Relay {
    /// Relays datagrams between the first client that writes to it and `server`.
    pub async fn start(server: SocketAddr) -> anyhow::Result<Relay> {
        let outside = tokio::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let inside = tokio::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        inside.connect(server).await?;
        let address = outside.local_addr()?;
        let cut = Arc::new(AtomicBool::new(false));
        let task = tokio::spawn(relay(outside, inside, cut.clone()));
        Ok(Relay { address, cut, task })
    }

    /// Loses every datagram from now on, or lets them through again.
    pub fn set_cut(&self, cut: bool) {
        self.cut.store(cut, Ordering::SeqCst);
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn relay(
    outside: tokio::net::UdpSocket,
    inside: tokio::net::UdpSocket,
    cut: Arc<AtomicBool>,
) {
    let mut client = None;
    let mut from_client = vec![0; 65_536];
    let mut from_server = vec![0; 65_536];
    loop {
        tokio::select! {
            received = outside.recv_from(&mut from_client) => {
                let Ok((length, sender)) = received else { return };
                client = Some(sender);
                if !cut.load(Ordering::SeqCst) {
                    let _ = inside.send(&from_client[..length]).await;
                }
            }
            received = inside.recv(&mut from_server) => {
                let Ok(length) = received else { return };
                if let Some(client) = client
                    && !cut.load(Ordering::SeqCst)
                {
                    let _ = outside.send_to(&from_server[..length], client).await;
                }
            }
        }
    }
}

/// Reads `client`'s events until `pick` takes one, failing the test if the connection
/// closes or an event is longer than [`STEP`] in coming.
pub async fn next_picked<T>(
    client: &mut ClassClient,
    mut pick: impl FnMut(ServerEvent) -> Option<T>,
) -> T {
    loop {
        match within(client.next_event()).await {
            Some(event) => {
                if let Some(picked) = pick(event) {
                    return picked;
                }
            }
            None => panic!("the connection closed while waiting for an event"),
        }
    }
}
