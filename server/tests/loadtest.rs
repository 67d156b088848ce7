//! The load test at the size of a small school's lunchtime club: three classes of ten
//! pupils against a real server process, one timed round each, pupils dropping and
//! resuming on the way; once as it is, and once with the server killed by SIGKILL in the
//! middle of the round and started again. Each run must end with everyone joined, no
//! errors and every acknowledged answer in the store, and report the figures a school
//! would ask for. The full-size runs (thousands of pupils) are in the README; they take
//! minutes.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longer than a run takes (one 30-second round, and the bare-QUIC baseline or the
/// server's restart), so that a hang fails the test instead of blocking CI.
const LIMIT: Duration = Duration::from_secs(240);

/// Three classes of ten playing one 30-second round, with `extra` options; the report.
fn run_small_school(extra: &[&str]) -> serde_json::Value {
    let mut child = Command::new(env!("CARGO_BIN_EXE_workworlds-loadtest"))
        .args([
            "--classes",
            "3",
            "--pupils",
            "10",
            "--rounds",
            "1",
            "--round-seconds",
            "30",
            "--think-ms",
            "500",
            "--drop-percent",
            "5",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the load test binary starts");
    let started = Instant::now();
    while child
        .try_wait()
        .expect("the load test can be waited on")
        .is_none()
    {
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            panic!("the load test did not finish within {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let output = child.wait_with_output().expect("the load test's output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");

    let last = stdout.lines().last().unwrap_or_default();
    let report: serde_json::Value = serde_json::from_str(last)
        .unwrap_or_else(|error| panic!("the last line is not JSON ({error}): {last:?}"));
    assert_eq!(report["pupils"], 30, "{last}");
    assert_eq!(report["joined"], 30, "{last}");
    assert_eq!(report["errors"], 0, "{last}");
    assert_eq!(report["acked_lost"], 0, "{last}");
    assert_eq!(report["acked_checked"], true, "{last}");
    assert!(report["acked"].as_u64().unwrap_or(0) > 0, "{last}");
    report
}

#[test]
fn a_few_classes_play_a_round_with_nothing_lost() {
    let report = run_small_school(&["--baseline"]);

    // Thirty pupils thinking for half a second over a 30-second round ask hundreds of
    // things; far fewer means the bots stopped playing.
    let requests = report["requests"].as_u64().unwrap_or(0);
    assert!(requests >= 300, "only {requests} requests: {report}");
    // Memory is read from the server process, and the baseline ran beside it.
    assert!(
        report["server_rss_kib"].as_u64().unwrap_or(0) > 0,
        "{report}"
    );
    assert!(
        report["echo_requests"].as_u64().unwrap_or(0) > 0,
        "{report}"
    );
}

#[test]
fn a_server_killed_mid_round_comes_back_with_every_acknowledged_answer() {
    let report = run_small_school(&["--kill-server-after", "8"]);

    assert_eq!(report["server_restarts"], 1, "{report}");
    // Pupils who were playing found the server gone and came back by themselves; the
    // teachers' rounds, paused by the restart, were resumed and ran to their end (the
    // run would have failed otherwise).
    assert!(report["came_back"].as_u64().unwrap_or(0) > 0, "{report}");
}
