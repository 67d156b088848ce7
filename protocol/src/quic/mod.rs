//! The protocol over QUIC: reading and writing framed messages on a stream, the
//! certificate check clients make, and the headless [`ClassClient`].
//!
//! Each connection carries one bidirectional stream, opened by the client. The client
//! writes its hello and then its requests; the server writes its answer and then events.

pub mod bundle;
mod client;
mod known;
mod trust;

pub use client::{ClassClient, ClientError, MAX_SERVER_FRAME_BYTES, connect_bare};
pub use known::KnownServers;
pub use trust::{Trust, fingerprint, fingerprint_hex, parse_fingerprint_hex};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::frame::{FrameDecoder, FrameError, encode};

/// The longest a connection may be silent before it is dropped, in milliseconds.
pub const IDLE_TIMEOUT_MS: u32 = 30_000;

/// How often each end proves it is alive, in milliseconds: well below the idle
/// timeout, so a quiet but healthy connection is never dropped.
pub const KEEP_ALIVE_MS: u64 = 5_000;

/// Why a stream could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error(transparent)]
    Frame(#[from] FrameError),
    #[error("reading: {0}")]
    Read(#[from] quinn::ReadError),
    #[error("writing: {0}")]
    Write(#[from] quinn::WriteError),
}

/// Reads messages from one stream.
pub struct MessageReader {
    recv: quinn::RecvStream,
    decoder: FrameDecoder,
}

impl MessageReader {
    /// A reader that refuses frames over `limit` bytes.
    pub fn new(recv: quinn::RecvStream, limit: usize) -> MessageReader {
        MessageReader {
            recv,
            decoder: FrameDecoder::new(limit),
        }
    }

    /// The next message, or `None` when the peer finished the stream.
    pub async fn next<M: DeserializeOwned>(&mut self) -> Result<Option<M>, StreamError> {
        loop {
            if let Some(message) = self.decoder.next_message()? {
                return Ok(Some(message));
            }
            match self.recv.read_chunk(64 * 1024, true).await? {
                Some(chunk) => self.decoder.push(&chunk.bytes),
                None => return Ok(None),
            }
        }
    }
}

/// Writes one message as a frame.
pub async fn write_message<M: Serialize>(
    send: &mut quinn::SendStream,
    message: &M,
) -> Result<(), StreamError> {
    let frame = encode(message)?;
    send.write_all(&frame).await?;
    Ok(())
}

/// A client configuration for QUIC with this protocol's ALPN and timeouts.
pub fn transport_config() -> quinn::TransportConfig {
    let mut transport = quinn::TransportConfig::default();
    transport.max_idle_timeout(Some(quinn::VarInt::from_u32(IDLE_TIMEOUT_MS).into()));
    transport.keep_alive_interval(Some(std::time::Duration::from_millis(KEEP_ALIVE_MS)));
    transport
}
