//! Length-prefixed frames: a little-endian `u32` byte count, then the payload.
//!
//! The decoder never trusts the length: a frame longer than the limit is refused as
//! soon as its header arrives, before any of it is buffered, so a peer cannot make the
//! server allocate what it claims.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The largest frame a client may send, in bytes of payload.
pub const MAX_CLIENT_FRAME_BYTES: usize = 64 * 1024;

/// The size of the length header, in bytes.
pub const HEADER_BYTES: usize = 4;

/// Why a frame could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("frame of {size} bytes is over the limit of {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("malformed message: {0}")]
    Malformed(#[from] postcard::Error),
    #[error("frame has {extra} bytes after its message")]
    TrailingBytes { extra: usize },
}

/// Encodes `message` as one frame.
pub fn encode<M: Serialize>(message: &M) -> Result<Vec<u8>, FrameError> {
    // The header's room is reserved first and filled in once the payload's size is known.
    let mut frame = postcard::to_extend(message, vec![0; HEADER_BYTES])?;
    let size = frame.len() - HEADER_BYTES;
    let header = u32::try_from(size).map_err(|_| FrameError::TooLarge {
        size,
        limit: u32::MAX as usize,
    })?;
    frame[..HEADER_BYTES].copy_from_slice(&header.to_le_bytes());
    Ok(frame)
}

/// Splits complete frames off the front of a byte stream.
#[derive(Debug)]
pub struct FrameDecoder {
    buffer: Vec<u8>,
    limit: usize,
}

impl FrameDecoder {
    /// A decoder that refuses payloads over `limit` bytes.
    pub fn new(limit: usize) -> FrameDecoder {
        FrameDecoder {
            buffer: Vec::new(),
            limit,
        }
    }

    /// Adds bytes received from the peer.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// Bytes received and not yet taken off as frames.
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// The next complete frame's message, `Ok(None)` when more bytes are needed.
    ///
    /// After an error the stream cannot be trusted to be in step, so the caller closes
    /// the connection.
    pub fn next_message<M: DeserializeOwned>(&mut self) -> Result<Option<M>, FrameError> {
        let Some(header) = self.buffer.first_chunk::<HEADER_BYTES>() else {
            return Ok(None);
        };
        let size = u32::from_le_bytes(*header) as usize;
        if size > self.limit {
            return Err(FrameError::TooLarge {
                size,
                limit: self.limit,
            });
        }
        if self.buffer.len() < HEADER_BYTES + size {
            return Ok(None);
        }
        // A frame is exactly one message: bytes after it mean the peer and this side
        // disagree about the message's shape, and nothing after it can be trusted.
        let message = match postcard::take_from_bytes(&self.buffer[HEADER_BYTES..][..size]) {
            Ok((message, [])) => Ok(message),
            Ok((_, rest)) => Err(FrameError::TrailingBytes { extra: rest.len() }),
            Err(error) => Err(FrameError::Malformed(error)),
        };
        self.buffer.drain(..HEADER_BYTES + size);
        message.map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hello::{ClientHello, Intent};
    use crate::ids::ResumeToken;

    fn hello() -> ClientHello {
        ClientHello::new(
            [7; 32],
            Intent::Resume {
                token: ResumeToken([1; 16]),
            },
        )
    }

    #[test]
    fn a_frame_survives_arriving_one_byte_at_a_time() {
        let frame = encode(&hello()).unwrap();
        let mut decoder = FrameDecoder::new(MAX_CLIENT_FRAME_BYTES);
        for byte in &frame[..frame.len() - 1] {
            decoder.push(&[*byte]);
            assert!(decoder.next_message::<ClientHello>().unwrap().is_none());
        }
        decoder.push(&frame[frame.len() - 1..]);
        assert_eq!(
            decoder.next_message::<ClientHello>().unwrap(),
            Some(hello())
        );
        assert!(decoder.next_message::<ClientHello>().unwrap().is_none());
    }

    #[test]
    fn two_frames_in_one_read_come_out_in_order() {
        let first = hello();
        let second = ClientHello::new(
            [9; 32],
            Intent::Resume {
                token: ResumeToken([2; 16]),
            },
        );
        let mut decoder = FrameDecoder::new(MAX_CLIENT_FRAME_BYTES);
        decoder.push(&[encode(&first).unwrap(), encode(&second).unwrap()].concat());
        assert_eq!(decoder.next_message::<ClientHello>().unwrap(), Some(first));
        assert_eq!(decoder.next_message::<ClientHello>().unwrap(), Some(second));
    }

    #[test]
    fn an_oversized_frame_is_refused_from_its_header_alone() {
        let mut decoder = FrameDecoder::new(MAX_CLIENT_FRAME_BYTES);
        decoder.push(&(MAX_CLIENT_FRAME_BYTES as u32 + 1).to_le_bytes());
        let error = decoder.next_message::<ClientHello>().unwrap_err();
        assert!(
            matches!(error, FrameError::TooLarge { size, .. } if size == MAX_CLIENT_FRAME_BYTES + 1)
        );
    }

    #[test]
    fn bytes_after_a_message_in_its_frame_are_refused() {
        let mut frame = encode(&hello()).unwrap();
        frame.extend_from_slice(&[0; 5]);
        let size = u32::try_from(frame.len() - HEADER_BYTES).unwrap();
        frame[..HEADER_BYTES].copy_from_slice(&size.to_le_bytes());
        let mut decoder = FrameDecoder::new(MAX_CLIENT_FRAME_BYTES);
        decoder.push(&frame);
        assert!(matches!(
            decoder.next_message::<ClientHello>(),
            Err(FrameError::TrailingBytes { extra: 5 })
        ));
        assert_eq!(decoder.buffered(), 0, "the bad frame is not kept");
    }

    #[test]
    fn garbage_is_refused_as_malformed() {
        let mut decoder = FrameDecoder::new(MAX_CLIENT_FRAME_BYTES);
        decoder.push(&[3, 0, 0, 0, 0xff, 0xff, 0xff]);
        assert!(matches!(
            decoder.next_message::<ClientHello>(),
            Err(FrameError::Malformed(_))
        ));
    }
}
