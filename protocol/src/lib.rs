//! The Work Worlds wire protocol: what the server and its clients say to each other,
//! and how it is framed.
//!
//! Messages are serde types encoded with postcard. Each travels in a frame: a
//! little-endian `u32` length, then that many bytes. The codec in [`frame`] is
//! sans-IO, working on byte buffers, so the QUIC layer, tests and fuzzers share it.
//! The first message on every connection is a [`hello::ClientHello`] carrying the
//! protocol version, which the server checks before anything else, and saying whether
//! the client is a teacher or a pupil. After the answer, a teacher sends
//! [`requests::TeacherRequest`]s and a pupil [`requests::PupilRequest`]s, each numbered;
//! the server sends [`events::ServerEvent`]s: replies, and the session as it changes.

pub mod events;
pub mod frame;
pub mod hello;
pub mod ids;
pub mod portfolio;
#[cfg(feature = "quic")]
pub mod quic;
pub mod refusal;
pub mod requests;

/// The version of this protocol. A server refuses a client of any other version with a
/// message saying which version it runs.
pub const PROTOCOL_VERSION: u32 = 4;

/// The ALPN name both ends offer during the QUIC handshake.
pub const ALPN: &[u8] = b"workworlds/1";
