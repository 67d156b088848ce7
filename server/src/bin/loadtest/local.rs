//! A real `workworlds-server` process started for one load-test run, on loopback with a
//! data folder of its own, so that its memory is its own and its store can be checked.

use std::fs::File;
use std::io::{BufRead, BufReader, Write as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{Context, bail};
use workworlds_protocol::quic::parse_fingerprint_hex;

/// The password of the teacher a local server is given.
pub(crate) const PASSWORD: &str = "load test password";

/// The content the local server serves: the repository's own.
const CONTENT_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../content/data");

pub(crate) struct LocalServer {
    child: Child,
    pub(crate) address: SocketAddr,
    pub(crate) fingerprint: [u8; 32],
    pub(crate) data: PathBuf,
}

impl LocalServer {
    /// Starts the server binary that sits beside this one, with `teacher` able to log in.
    pub(crate) fn start(teacher: &str) -> anyhow::Result<LocalServer> {
        let binary = std::env::current_exe()
            .context("finding this program")?
            .with_file_name("workworlds-server");
        if !binary.exists() {
            bail!(
                "{} is missing: build it first (cargo build --release -p workworlds-server)",
                binary.display()
            );
        }
        let data = fresh_folder("server")?;
        add_teacher(&binary, &data, teacher)?;
        let mut command = Command::new(&binary);
        command
            .args([
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--content",
                CONTENT_DIR,
                "--data",
            ])
            .arg(&data);
        LocalServer::spawn(command, data)
    }

    /// Starts this program as the bare-QUIC echo baseline.
    pub(crate) fn start_echo() -> anyhow::Result<LocalServer> {
        let data = fresh_folder("echo")?;
        let mut command = Command::new(std::env::current_exe().context("finding this program")?);
        command.arg("--serve-echo").arg(&data);
        LocalServer::spawn(command, data)
    }

    /// Runs `command`, which prints `listening on ADDRESS (certificate SHA-256 ...)` first.
    fn spawn(mut command: Command, data: PathBuf) -> anyhow::Result<LocalServer> {
        let log_path = data.join("server.log");
        let log = File::create(&log_path).context("creating the server log")?;
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .with_context(|| format!("starting {command:?}"))?;
        let mut line = String::new();
        let stdout = child.stdout.take().context("the server's output")?;
        BufReader::new(stdout)
            .read_line(&mut line)
            .context("reading the server's first line")?;
        let Some((address, fingerprint)) = parse_listening(&line) else {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "the server did not start (see {}): {line:?}",
                log_path.display()
            );
        };
        eprintln!("started {address}; its log is {}", log_path.display());
        Ok(LocalServer {
            child,
            address,
            fingerprint,
            data,
        })
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// An empty folder for one run's server.
fn fresh_folder(what: &str) -> anyhow::Result<PathBuf> {
    let data =
        std::env::temp_dir().join(format!("workworlds-loadtest-{}-{what}", std::process::id()));
    if data.exists() {
        std::fs::remove_dir_all(&data).context("clearing an old load-test folder")?;
    }
    std::fs::create_dir_all(&data).context("making a load-test folder")?;
    Ok(data)
}

fn add_teacher(binary: &Path, data: &Path, teacher: &str) -> anyhow::Result<()> {
    let mut child = Command::new(binary)
        .args(["teacher", "add", teacher, "--data"])
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .context("adding the load test's teacher")?;
    if let Some(mut stdin) = child.stdin.take() {
        writeln!(stdin, "{PASSWORD}").context("giving the teacher's password")?;
    }
    if !child.wait()?.success() {
        bail!("adding the load test's teacher failed");
    }
    Ok(())
}

/// Reads `listening on ADDRESS (certificate SHA-256 FINGERPRINT)`.
fn parse_listening(line: &str) -> Option<(SocketAddr, [u8; 32])> {
    let rest = line.trim().strip_prefix("listening on ")?;
    let (address, rest) = rest.split_once(' ')?;
    let hex = rest
        .strip_prefix("(certificate SHA-256 ")?
        .strip_suffix(')')?;
    Some((address.parse().ok()?, parse_fingerprint_hex(hex)?))
}
