//! The round timer: a small state machine whose every move is checked, so a teacher
//! double-clicking "pause" gets a clear refusal rather than a confused timer.

use serde::{Deserialize, Serialize};
use workworlds_protocol::events::{RoundState, RoundView};
use workworlds_protocol::refusal::Refusal;

/// Where the current round is. Times are milliseconds on the caller's monotonic clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Round {
    NotStarted,
    Running { number: u32, ends_at_ms: u64 },
    Paused { number: u32, remaining_ms: u64 },
    Ended { number: u32 },
}

impl Round {
    /// Starts the first round, or the next after one ended.
    pub(super) fn start(self, now_ms: u64, length_ms: u64) -> Result<Round, Refusal> {
        let number = match self {
            Round::NotStarted => 1,
            Round::Ended { number } => number + 1,
            Round::Running { .. } | Round::Paused { .. } => {
                return Err(not_now("a round is already under way"));
            }
        };
        Ok(Round::Running {
            number,
            ends_at_ms: now_ms + length_ms,
        })
    }

    pub(super) fn pause(self, now_ms: u64) -> Result<Round, Refusal> {
        match self {
            Round::Running { .. } => Ok(self.paused_at(now_ms)),
            _ => Err(not_now("no round is running")),
        }
    }

    pub(super) fn resume(self, now_ms: u64) -> Result<Round, Refusal> {
        match self {
            Round::Paused {
                number,
                remaining_ms,
            } => Ok(Round::Running {
                number,
                ends_at_ms: now_ms + remaining_ms,
            }),
            _ => Err(not_now("no round is paused")),
        }
    }

    pub(super) fn extend(self, extra_ms: u64) -> Result<Round, Refusal> {
        match self {
            Round::Running { number, ends_at_ms } => Ok(Round::Running {
                number,
                ends_at_ms: ends_at_ms + extra_ms,
            }),
            Round::Paused {
                number,
                remaining_ms,
            } => Ok(Round::Paused {
                number,
                remaining_ms: remaining_ms + extra_ms,
            }),
            _ => Err(not_now("no round is under way")),
        }
    }

    pub(super) fn end(self) -> Result<Round, Refusal> {
        match self {
            Round::Running { number, .. } | Round::Paused { number, .. } => {
                Ok(Round::Ended { number })
            }
            _ => Err(not_now("no round is under way")),
        }
    }

    /// The round once `now_ms` has passed: a running round whose time is up has ended.
    pub(super) fn expire(self, now_ms: u64) -> Round {
        match self {
            Round::Running { number, ends_at_ms } if now_ms >= ends_at_ms => {
                Round::Ended { number }
            }
            other => other,
        }
    }

    /// A running round frozen with the time it has left; any other round unchanged.
    pub(super) fn paused_at(self, now_ms: u64) -> Round {
        match self {
            Round::Running { number, ends_at_ms } => Round::Paused {
                number,
                remaining_ms: ends_at_ms.saturating_sub(now_ms),
            },
            other => other,
        }
    }

    pub(super) fn view(self, now_ms: u64, length_ms: u64) -> RoundView {
        match self.expire(now_ms) {
            Round::NotStarted => RoundView {
                number: 0,
                state: RoundState::NotStarted,
                remaining_ms: length_ms,
            },
            Round::Running { number, ends_at_ms } => RoundView {
                number,
                state: RoundState::Running,
                remaining_ms: ends_at_ms - now_ms,
            },
            Round::Paused {
                number,
                remaining_ms,
            } => RoundView {
                number,
                state: RoundState::Paused,
                remaining_ms,
            },
            Round::Ended { number } => RoundView {
                number,
                state: RoundState::Ended,
                remaining_ms: 0,
            },
        }
    }
}

fn not_now(why: &str) -> Refusal {
    Refusal::NotNow { why: why.into() }
}
