//! A data folder the server cannot write to stops it at start with an error that names
//! the cause, and harms nothing: once the disk is put right, the server starts with the
//! same certificate and the same teachers, as if the failed start had never happened.
//!
//! The full and the read-only disk are real: a small tmpfs mounted inside a private mount
//! namespace (`unshare -rm`), which Linux allows without privileges where user namespaces
//! are enabled, and which vanishes with the test. The steps run as one shell script in
//! that namespace; each prints `== STEP exit=CODE` and then what the server said.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// The scenario. Arguments: the server binary, the content folder, a folder for logs
/// outside the small disk, and the mount point.
const SCENARIO: &str = r#"
set -u
BIN=$1 CONTENT=$2 LOGS=$3 MNT=$4
DATA=$MNT/data
PASSWORD='a long enough password'

step() {
    local name=$1 out code
    shift
    out=$("$@" 2>&1)
    code=$?
    echo "== $name exit=$code"
    echo "$out"
}

add_teacher() {
    printf '%s\n' "$PASSWORD" | "$BIN" teacher add "$1" --data "$DATA"
}

# Starts the server and stops it as soon as it listens; the exit code is 0 if it got
# that far, and the server's own code if it stopped before.
serve_briefly() {
    local log=$LOGS/serve.log
    "$BIN" serve --bind 127.0.0.1:0 --data "$DATA" --content "$CONTENT" >"$log" 2>&1 &
    local pid=$!
    for _ in $(seq 300); do
        grep -q '^listening on' "$log" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if grep -q '^listening on' "$log"; then
        kill "$pid"
        wait "$pid" 2>/dev/null
        cat "$log"
        return 0
    fi
    kill "$pid" 2>/dev/null
    wait "$pid"
    local code=$?
    cat "$log"
    return "$code"
}

mount -t tmpfs -o size=2m tmpfs "$MNT" || exit 90
dd if=/dev/zero of="$MNT/filler" bs=64k 2>/dev/null
step full-serve serve_briefly
step full-files find "$MNT" -mindepth 1 ! -name filler
rm "$MNT/filler"
step freed-serve serve_briefly
step freed-add add_teacher 'Ms Rees'

mount -o remount,ro "$MNT" || exit 91
step readonly-serve serve_briefly
step readonly-add add_teacher 'Mr Lloyd'
mount -o remount,rw "$MNT" || exit 92
step writable-serve serve_briefly
step writable-add-again add_teacher 'Ms Rees'
"#;

/// One step's exit code and output.
struct Step {
    exit: i32,
    output: String,
}

fn steps(stdout: &str) -> HashMap<String, Step> {
    let mut steps = HashMap::new();
    let mut current: Option<(String, Step)> = None;
    for line in stdout.lines() {
        if let Some(header) = line.strip_prefix("== ") {
            let (name, exit) = header.split_once(" exit=").expect("a step header");
            let step = Step {
                exit: exit.parse().expect("an exit code"),
                output: String::new(),
            };
            if let Some((name, step)) = current.replace((name.to_owned(), step)) {
                steps.insert(name, step);
            }
        } else if let Some((_, step)) = &mut current {
            step.output.push_str(line);
            step.output.push('\n');
        }
    }
    if let Some((name, step)) = current {
        steps.insert(name, step);
    }
    steps
}

/// Whether this machine lets an unprivileged process mount in a namespace of its own.
fn namespaces_work() -> bool {
    Command::new("unshare")
        .args(["-rm", "true"])
        .status()
        .is_ok_and(|status| status.success())
}

fn fingerprint(output: &str) -> &str {
    let line = output
        .lines()
        .find(|line| line.starts_with("listening on"))
        .unwrap_or_else(|| panic!("the server never listened:\n{output}"));
    line.split("SHA-256 ").nth(1).expect("a fingerprint")
}

#[test]
fn a_full_or_read_only_disk_stops_the_server_at_start_and_harms_nothing() {
    if !namespaces_work() {
        // CI runs as root, where this always works; a developer's machine that forbids
        // user namespaces cannot make the disks, and is told so rather than failing.
        assert!(
            std::env::var_os("CI").is_none(),
            "`unshare -rm` failed: CI must be able to mount a tmpfs in a namespace"
        );
        eprintln!("skipped: this machine does not allow `unshare -rm` (user namespaces)");
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let logs = work.path().join("logs");
    let mount_point = work.path().join("disk");
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::create_dir_all(&mount_point).unwrap();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/data");

    let output = Command::new("unshare")
        .args(["-rm", "bash", "-c", SCENARIO, "scenario"])
        .arg(env!("CARGO_BIN_EXE_workworlds-server"))
        .arg(content)
        .arg(&logs)
        .arg(&mount_point)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the scenario failed:\n{stdout}\n{stderr}"
    );
    let steps = steps(&stdout);
    let step = |name: &str| {
        steps
            .get(name)
            .unwrap_or_else(|| panic!("no step {name} in:\n{stdout}\n{stderr}"))
    };

    // A full disk: the server stops with the reason, and leaves nothing behind: not a
    // half-written store or certificate, not even the data folder it made.
    let full = step("full-serve");
    assert_eq!(full.exit, 1, "{}", full.output);
    assert!(
        full.output.contains("No space left on device") || full.output.contains("disk is full"),
        "the error names the full disk:\n{}",
        full.output
    );
    assert!(!full.output.contains("panicked"), "{}", full.output);
    assert_eq!(step("full-files").output.trim(), "", "nothing is left");

    // With room again it starts, and a teacher can be added.
    let freed = step("freed-serve");
    assert_eq!(freed.exit, 0, "{}", freed.output);
    let first_fingerprint = fingerprint(&freed.output);
    assert_eq!(step("freed-add").exit, 0, "{}", step("freed-add").output);

    // A read-only disk: neither serving nor adding a teacher goes ahead.
    for name in ["readonly-serve", "readonly-add"] {
        let refused = step(name);
        assert_eq!(refused.exit, 1, "{name}: {}", refused.output);
        assert!(
            refused.output.to_lowercase().contains("read-only"),
            "{name}: the error names the read-only folder:\n{}",
            refused.output
        );
        assert!(!refused.output.contains("panicked"), "{}", refused.output);
    }

    // Writable again: the same certificate, and the teacher added before is still there.
    let writable = step("writable-serve");
    assert_eq!(writable.exit, 0, "{}", writable.output);
    assert_eq!(fingerprint(&writable.output), first_fingerprint);
    let again = step("writable-add-again");
    assert_eq!(again.exit, 1, "{}", again.output);
    assert!(again.output.contains("already exists"), "{}", again.output);
}
