//! A server binary copied to a computer without the project's source runs on the content
//! built into it: `serve` started in a folder with no `content/data` sends the built-in
//! content to a game that joins, and `demo` makes its class from it. A folder named with
//! `--content` that is not there is an error, never quietly the built-in content.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use workworlds_content::shipped;
use workworlds_protocol::hello::{ClientHello, Intent};
use workworlds_protocol::quic::{ClassClient, Trust};
use workworlds_server::net::parse_announcement;

const TEACHER: &str = "Ms Lloyd";
const PASSWORD: &str = "a long enough password";

/// The server binary, started in `dir`.
fn binary_in(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_workworlds-server"));
    command.current_dir(dir);
    command
}

/// Stops the server however the test ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_with_no_content_folder_sends_the_built_in_content() {
    let elsewhere = tempfile::tempdir().unwrap();
    assert!(!elsewhere.path().join("content").exists());
    let mut add = binary_in(elsewhere.path())
        .args(["teacher", "add", TEACHER, "--data", "data"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    writeln!(add.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    assert!(add.wait().unwrap().success());

    let mut server = Running(
        binary_in(elsewhere.path())
            .args(["serve", "--bind", "127.0.0.1:0", "--data", "data"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(server.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let (address, fingerprint) =
        parse_announcement(&line).unwrap_or_else(|| panic!("the server did not start: {line:?}"));

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sent = runtime.block_on(async {
        let hello = ClientHello::new(
            [0; 32],
            Intent::Teacher {
                name: TEACHER.into(),
                password: PASSWORD.into(),
            },
        );
        let connecting = ClassClient::connect(address, Trust::Pinned(fingerprint), hello);
        let mut client = tokio::time::timeout(Duration::from_secs(20), connecting)
            .await
            .expect("the server answers in time")
            .unwrap();
        client
            .take_content()
            .expect("a game with no content is sent it")
    });
    assert_eq!(sent, shipped::bundle());
}

#[test]
fn demo_with_no_content_folder_makes_its_class_from_the_built_in_content() {
    let elsewhere = tempfile::tempdir().unwrap();
    let output = binary_in(elsewhere.path())
        .args(["demo", "--data", "data"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let printed = String::from_utf8(output.stdout).unwrap();
    assert!(printed.contains("session: "), "{printed}");
}

#[test]
fn a_content_folder_that_is_not_there_is_an_error() {
    let elsewhere = tempfile::tempdir().unwrap();
    let output = binary_in(elsewhere.path())
        .args(["demo", "--data", "data", "--content", "no-such-folder"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no-such-folder"), "{stderr}");
    assert!(
        !elsewhere.path().join("data").exists(),
        "nothing was made from other content"
    );
}
