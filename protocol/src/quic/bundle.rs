//! The content bundle on the wire: postcard, then deflate, on a stream of its own that
//! the server opens after the welcome. The shipped content shrinks to a fraction of its
//! size, and a client refuses a bundle that would grow past the limit when inflated.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use workworlds_content::ContentBundle;
use workworlds_content::bundle::MAX_BUNDLE_BYTES;

/// The most compressed bytes a client reads for a bundle.
pub const MAX_COMPRESSED_BUNDLE_BYTES: usize = MAX_BUNDLE_BYTES / 2;

/// Why a bundle could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("the content is larger than {MAX_BUNDLE_BYTES} bytes")]
    TooLarge,
    #[error("the content is damaged: {0}")]
    Damaged(String),
}

/// A bundle packed for sending.
pub fn pack(bundle: &ContentBundle) -> Vec<u8> {
    let encoded = postcard::to_allocvec(bundle).expect("a bundle of strings always encodes");
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::default());
    encoder
        .write_all(&encoded)
        .expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail")
}

/// A bundle unpacked, refusing one that inflates past the limit.
pub fn unpack(packed: &[u8]) -> Result<ContentBundle, BundleError> {
    let mut inflated = Vec::new();
    let limit = u64::try_from(MAX_BUNDLE_BYTES).unwrap_or(u64::MAX) + 1024;
    DeflateDecoder::new(packed)
        .take(limit + 1)
        .read_to_end(&mut inflated)
        .map_err(|error| BundleError::Damaged(error.to_string()))?;
    if inflated.len() as u64 > limit {
        return Err(BundleError::TooLarge);
    }
    postcard::from_bytes(&inflated).map_err(|error| BundleError::Damaged(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_survives_packing_and_shrinks() {
        let mut bundle = ContentBundle::default();
        bundle.insert("curriculum.ron", "( objectives: [] )".repeat(200));
        let packed = pack(&bundle);
        assert!(packed.len() < bundle.size() / 10);
        assert_eq!(unpack(&packed).unwrap(), bundle);
    }

    #[test]
    fn a_bomb_is_refused_before_it_fills_memory() {
        let zeros = vec![0u8; MAX_BUNDLE_BYTES + 4096];
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(&zeros).unwrap();
        let bomb = encoder.finish().unwrap();
        assert!(matches!(unpack(&bomb), Err(BundleError::TooLarge)));
        assert!(matches!(
            unpack(b"not deflate at all"),
            Err(BundleError::Damaged(_))
        ));
    }
}
