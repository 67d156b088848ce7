//! The Work Worlds server: the class server over QUIC and its command line.
//!
//! A connection ([`net`]) says hello, is admitted as a teacher or a pupil, and from then
//! on talks to one class session through the [`hub`], where each session runs as one
//! task owning its [`session::ClassSession`]: the rules, pure and clock-free. The task
//! writes what it acknowledges to the SQLite [`store`] first. Enterprise challenges are
//! simulated by the pure engine in the `workworlds-challenge` crate. The command line ([`cli`]) runs the
//! server and the tools for content authors and IT technicians; the binary in `main.rs`
//! only parses arguments and sets up logging.

pub mod badges;
pub mod cli;
pub mod demo;
mod files;
pub mod guesses;
pub mod hub;
pub mod local;
pub mod names;
pub mod net;
pub mod progress;
pub mod reports;
pub mod session;
pub mod store;
#[cfg(test)]
mod testing;
