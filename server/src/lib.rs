//! The Work Worlds server: the command line for content authors (`content check`,
//! `content coverage`) and, as it grows, the class server over QUIC.
//!
//! The binary in `main.rs` only parses arguments and sets up logging; each command is a
//! function here that writes to the streams it is given, so tests drive the same code a
//! teacher or an IT technician runs.

pub mod cli;
pub mod guesses;
pub mod names;
pub mod session;
