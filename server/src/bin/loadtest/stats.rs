//! Latency samples, the server's memory over the run, and the figures printed at the end.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::Serialize;

/// Durations in milliseconds.
#[derive(Clone, Debug, Default)]
pub(crate) struct Samples(Vec<f64>);

impl Samples {
    pub(crate) fn push(&mut self, ms: f64) {
        self.0.push(ms);
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn extend(&mut self, other: Samples) {
        self.0.extend(other.0);
    }

    /// The value at or below which `percent` of the samples lie (nearest rank); 0 for none.
    pub(crate) fn percentile(&self, percent: f64) -> f64 {
        if self.0.is_empty() {
            return 0.0;
        }
        let mut sorted = self.0.clone();
        sorted.sort_by(f64::total_cmp);
        let rank = (percent / 100.0 * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1]
    }
}

/// Reads a process's resident memory from `/proc` now and then, keeping the peak.
pub(crate) struct MemorySampler {
    pid: u32,
    peak_kib: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl MemorySampler {
    pub(crate) fn start(pid: u32) -> MemorySampler {
        let peak_kib = Arc::new(AtomicU64::new(0));
        let peak = peak_kib.clone();
        let task = tokio::spawn(async move {
            loop {
                if let Some(kib) = rss_kib(pid) {
                    peak.fetch_max(kib, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        });
        MemorySampler {
            pid,
            peak_kib,
            task,
        }
    }

    /// The resident memory now, in KiB (0 if it cannot be read).
    pub(crate) fn now_kib(&self) -> u64 {
        let now = rss_kib(self.pid).unwrap_or(0);
        self.peak_kib.fetch_max(now, Ordering::Relaxed);
        now
    }

    /// Stops sampling and gives the peak.
    pub(crate) fn stop(self) -> u64 {
        self.now_kib();
        self.task.abort();
        self.peak_kib.load(Ordering::Relaxed)
    }
}

/// `VmRSS` of a process, in KiB.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// What a run measured.
pub(crate) struct Figures {
    pub(crate) pupils: usize,
    pub(crate) joined: usize,
    pub(crate) requests: usize,
    pub(crate) errors: u64,
    /// Requests the server turned down for a reason the game expects, such as answering
    /// while the teacher has everyone's eyes.
    pub(crate) refused: u64,
    pub(crate) resumes: usize,
    /// Times the server was killed and started again during the run.
    pub(crate) server_restarts: u32,
    /// Times a pupil found the server gone after a kill and came back.
    pub(crate) came_back: u64,
    pub(crate) join_all_ms: f64,
    pub(crate) join_ms: Samples,
    pub(crate) rtt_ms: Samples,
    pub(crate) resume_ms: Samples,
    pub(crate) base_rss_kib: u64,
    pub(crate) joined_rss_kib: u64,
    pub(crate) peak_rss_kib: u64,
    pub(crate) acked: u64,
    /// Whether the store could be checked (the data folder was known).
    pub(crate) acked_checked: bool,
    pub(crate) acked_lost: u64,
    pub(crate) seconds: f64,
    /// Bare QUIC under the same load, when the baseline was run.
    pub(crate) baseline: Option<BaselineFigures>,
}

/// What the bare-QUIC echo measured under the same load.
pub(crate) struct BaselineFigures {
    pub(crate) rtt_ms: Samples,
    pub(crate) kib_per_pupil: f64,
}

impl Figures {
    /// Whether the run met its floor: everyone joined, nothing failed, nothing was lost.
    pub(crate) fn passed(&self) -> bool {
        self.joined == self.pupils && self.errors == 0 && self.acked_lost == 0
    }

    /// The server's memory growth per joined pupil, at its peak.
    pub(crate) fn kib_per_pupil(&self) -> f64 {
        if self.joined == 0 || self.peak_rss_kib == 0 {
            return 0.0;
        }
        self.peak_rss_kib.saturating_sub(self.base_rss_kib) as f64 / self.joined as f64
    }

    /// A few lines for a person.
    pub(crate) fn summary(&self) -> String {
        let mut text = String::new();
        let _ = writeln!(
            text,
            "joined {}/{} in {:.0} ms (each: p50 {:.1} ms, p99 {:.1} ms)",
            self.joined,
            self.pupils,
            self.join_all_ms,
            self.join_ms.percentile(50.0),
            self.join_ms.percentile(99.0)
        );
        let _ = writeln!(
            text,
            "{} requests in {:.0} s: round trip p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; \
             {} errors, {} refused as expected, {} resumes",
            self.requests,
            self.seconds,
            self.rtt_ms.percentile(50.0),
            self.rtt_ms.percentile(99.0),
            self.rtt_ms.percentile(100.0),
            self.errors,
            self.refused,
            self.resumes
        );
        if self.server_restarts > 0 {
            let _ = writeln!(
                text,
                "the server was killed and restarted {} time(s); pupils came back {} times",
                self.server_restarts, self.came_back
            );
        }
        if self.peak_rss_kib > 0 {
            let _ = writeln!(
                text,
                "server memory: {} KiB before, {} KiB joined, {} KiB peak: {:.1} KiB per pupil",
                self.base_rss_kib,
                self.joined_rss_kib,
                self.peak_rss_kib,
                self.kib_per_pupil()
            );
        }
        if self.acked_checked {
            let _ = write!(
                text,
                "{} acknowledged answers, {} missing from the store",
                self.acked, self.acked_lost
            );
        } else {
            let _ = write!(
                text,
                "{} acknowledged answers (not checked: no --data)",
                self.acked
            );
        }
        if let Some(echo) = &self.baseline {
            let _ = write!(
                text,
                "\nbare QUIC under the same load: {} round trips, p50 {:.2} ms, p99 {:.2} ms, \
                 {:.1} KiB per pupil",
                echo.rtt_ms.len(),
                echo.rtt_ms.percentile(50.0),
                echo.rtt_ms.percentile(99.0),
                echo.kib_per_pupil
            );
        }
        text
    }

    /// One JSON object, for scripts.
    pub(crate) fn to_json(&self) -> String {
        let echo = self.baseline.as_ref();
        let ratio = |percent: f64| {
            let bare = echo?.rtt_ms.percentile(percent);
            (bare > 0.0).then(|| self.rtt_ms.percentile(percent) / bare)
        };
        let report = Report {
            pupils: self.pupils,
            joined: self.joined,
            requests: self.requests,
            errors: self.errors,
            refused: self.refused,
            resumes: self.resumes,
            server_restarts: self.server_restarts,
            came_back: self.came_back,
            join_all_ms: self.join_all_ms,
            join_ms_p50: self.join_ms.percentile(50.0),
            join_ms_p99: self.join_ms.percentile(99.0),
            rtt_ms_p50: self.rtt_ms.percentile(50.0),
            rtt_ms_p99: self.rtt_ms.percentile(99.0),
            rtt_ms_max: self.rtt_ms.percentile(100.0),
            resume_ms_p99: self.resume_ms.percentile(99.0),
            server_rss_base_kib: self.base_rss_kib,
            server_rss_kib: self.peak_rss_kib,
            server_kib_per_pupil: self.kib_per_pupil(),
            acked: self.acked,
            acked_checked: self.acked_checked,
            acked_lost: self.acked_lost,
            seconds: self.seconds,
            echo_requests: echo.map(|echo| echo.rtt_ms.len()),
            echo_rtt_ms_p50: echo.map(|echo| echo.rtt_ms.percentile(50.0)),
            echo_rtt_ms_p99: echo.map(|echo| echo.rtt_ms.percentile(99.0)),
            echo_kib_per_pupil: echo.map(|echo| echo.kib_per_pupil),
            rtt_p50_vs_echo: ratio(50.0),
            rtt_p99_vs_echo: ratio(99.0),
        };
        serde_json::to_string(&report).expect("a report of numbers always serialises")
    }
}

/// The figures as the last line of the run prints them. Times are in milliseconds,
/// memory in KiB; the `echo_` members are there only with `--baseline`.
#[derive(Serialize)]
struct Report {
    pupils: usize,
    joined: usize,
    requests: usize,
    errors: u64,
    refused: u64,
    resumes: usize,
    server_restarts: u32,
    came_back: u64,
    join_all_ms: f64,
    join_ms_p50: f64,
    join_ms_p99: f64,
    rtt_ms_p50: f64,
    rtt_ms_p99: f64,
    rtt_ms_max: f64,
    resume_ms_p99: f64,
    server_rss_base_kib: u64,
    /// The peak over the run.
    server_rss_kib: u64,
    server_kib_per_pupil: f64,
    acked: u64,
    acked_checked: bool,
    acked_lost: u64,
    seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    echo_requests: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    echo_rtt_ms_p50: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    echo_rtt_ms_p99: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    echo_kib_per_pupil: Option<f64>,
    /// The class server's round trip over bare QUIC's, at the same percentile.
    #[serde(skip_serializing_if = "Option::is_none")]
    rtt_p50_vs_echo: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rtt_p99_vs_echo: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let mut samples = Samples::default();
        for ms in (1..=100).rev() {
            samples.push(f64::from(ms));
        }
        assert_eq!(samples.percentile(50.0), 50.0);
        assert_eq!(samples.percentile(99.0), 99.0);
        assert_eq!(samples.percentile(100.0), 100.0);
        assert_eq!(Samples::default().percentile(99.0), 0.0);
    }
}

#[cfg(test)]
mod report_tests {
    use super::*;

    fn figures(baseline: Option<BaselineFigures>) -> Figures {
        let mut rtt_ms = Samples::default();
        rtt_ms.push(4.0);
        Figures {
            pupils: 30,
            joined: 30,
            requests: 1,
            errors: 0,
            refused: 0,
            resumes: 0,
            server_restarts: 0,
            came_back: 0,
            join_all_ms: 120.0,
            join_ms: Samples::default(),
            rtt_ms,
            resume_ms: Samples::default(),
            base_rss_kib: 1000,
            joined_rss_kib: 1600,
            peak_rss_kib: 1900,
            acked: 1,
            acked_checked: true,
            acked_lost: 0,
            seconds: 1.0,
            baseline,
        }
    }

    #[test]
    fn the_report_is_one_json_object_with_the_figures_scripts_read() {
        let line = figures(None).to_json();
        let report: serde_json::Value = serde_json::from_str(&line).unwrap();
        for key in [
            "pupils",
            "joined",
            "requests",
            "errors",
            "join_ms_p99",
            "rtt_ms_p50",
            "rtt_ms_p99",
            "server_rss_kib",
            "acked_lost",
        ] {
            assert!(report.get(key).is_some(), "{key} missing from {line}");
        }
        assert_eq!(report["server_kib_per_pupil"], 30.0);
        assert!(report.get("rtt_p99_vs_echo").is_none(), "{line}");
    }

    #[test]
    fn with_a_baseline_the_report_gives_the_ratio_to_bare_quic() {
        let mut echo = Samples::default();
        echo.push(0.5);
        let baseline = BaselineFigures {
            rtt_ms: echo,
            kib_per_pupil: 20.0,
        };
        let report: serde_json::Value =
            serde_json::from_str(&figures(Some(baseline)).to_json()).unwrap();
        assert_eq!(report["rtt_p99_vs_echo"], 8.0);
        assert_eq!(report["echo_rtt_ms_p50"], 0.5);
    }
}
