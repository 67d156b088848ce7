//! A real `workworlds-server` process started for one load-test run, on loopback with a
//! data folder of its own, so that its memory is its own and its store can be checked.

use std::fs::File;
use std::io::{BufRead, BufReader, Write as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{Context, bail};
use workworlds_server::net::parse_announcement;

/// The password of the teacher a local server is given.
pub(crate) const PASSWORD: &str = "load test password";

/// The content the local server serves: the repository's own.
const CONTENT_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../content/data");

pub(crate) struct LocalServer {
    child: Child,
    /// How to start it again on the same folder and port, for a class server.
    binary: Option<PathBuf>,
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
        let command = serve_command(&binary, "127.0.0.1:0", &data);
        let mut server = LocalServer::spawn(command, data)?;
        server.binary = Some(binary);
        Ok(server)
    }

    /// Kills the class server with SIGKILL, as a power cut or the kernel's OOM killer
    /// would, and starts it again on the same data folder and port. Its certificate is
    /// kept in that folder, so clients that trusted it go on trusting it.
    pub(crate) fn kill_and_restart(&mut self) -> anyhow::Result<()> {
        let binary = self
            .binary
            .clone()
            .context("only a class server started here can be restarted")?;
        // `Child::kill` is SIGKILL on Unix: the server gets no chance to tidy up.
        self.child.kill().context("killing the server")?;
        self.child.wait().context("waiting for the killed server")?;
        let command = serve_command(&binary, &self.address.to_string(), &self.data);
        let (child, address, fingerprint) = launch(command, &self.data)?;
        self.child = child;
        if (address, fingerprint) != (self.address, self.fingerprint) {
            bail!("the restarted server has another address or certificate");
        }
        Ok(())
    }

    /// Starts this program as the bare-QUIC echo baseline.
    pub(crate) fn start_echo() -> anyhow::Result<LocalServer> {
        let data = fresh_folder("echo")?;
        let mut command = Command::new(std::env::current_exe().context("finding this program")?);
        command.arg("--serve-echo").arg(&data);
        LocalServer::spawn(command, data)
    }

    /// Runs `command`, which prints `listening on ADDRESS (certificate SHA-256 ...)` first.
    fn spawn(command: Command, data: PathBuf) -> anyhow::Result<LocalServer> {
        let (child, address, fingerprint) = launch(command, &data)?;
        Ok(LocalServer {
            child,
            binary: None,
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

/// Runs `command`, which prints `listening on ADDRESS (certificate SHA-256 ...)` first,
/// with its log added to `server.log` in `data`.
fn launch(mut command: Command, data: &Path) -> anyhow::Result<(Child, SocketAddr, [u8; 32])> {
    let log_path = data.join("server.log");
    let log = File::options()
        .create(true)
        .append(true)
        .open(&log_path)
        .context("opening the server log")?;
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
    let Some((address, fingerprint)) = parse_announcement(&line) else {
        let _ = child.kill();
        let _ = child.wait();
        bail!(
            "the server did not start (see {}): {line:?}",
            log_path.display()
        );
    };
    eprintln!("started {address}; its log is {}", log_path.display());
    Ok((child, address, fingerprint))
}

/// `serve` on `bind` with the repository's content and `data` as its folder.
fn serve_command(binary: &Path, bind: &str, data: &Path) -> Command {
    let mut command = Command::new(binary);
    command
        .args(["serve", "--bind", bind, "--content", CONTENT_DIR, "--data"])
        .arg(data);
    command
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
