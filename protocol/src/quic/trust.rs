//! Which server certificates a client accepts. Class servers use self-signed
//! certificates, so the client checks the certificate's SHA-256 fingerprint instead of
//! a certificate authority: pinned to one the client saw before (trust on first use),
//! or, the first time, any, reporting the fingerprint so the game can remember it.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use rustls::DigitallySignedStruct;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use sha2::{Digest, Sha256};

/// How a client decides whether to trust a server's certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trust {
    /// Accept only a certificate with this SHA-256 fingerprint.
    Pinned([u8; 32]),
    /// Accept any certificate, the first time a server is met; the fingerprint seen is
    /// reported so it can be pinned from then on.
    FirstUse,
}

/// The SHA-256 fingerprint of a certificate in DER form.
pub fn fingerprint(certificate_der: &[u8]) -> [u8; 32] {
    Sha256::digest(certificate_der).into()
}

/// A fingerprint as people compare it: hex pairs joined by colons.
pub fn fingerprint_hex(fingerprint: &[u8; 32]) -> String {
    let mut text = String::with_capacity(95);
    for (index, byte) in fingerprint.iter().enumerate() {
        if index > 0 {
            text.push(':');
        }
        let _ = write!(text, "{byte:02X}");
    }
    text
}

/// A fingerprint read back from [`fingerprint_hex`]'s form.
pub fn parse_fingerprint_hex(text: &str) -> Option<[u8; 32]> {
    let bytes: Vec<u8> = text
        .split(':')
        .map(|pair| u8::from_str_radix(pair, 16).ok())
        .collect::<Option<_>>()?;
    bytes.try_into().ok()
}

/// The verifier rustls calls during the handshake.
#[derive(Debug)]
pub(super) struct FingerprintVerifier {
    trust: Trust,
    seen: Arc<Mutex<Option<[u8; 32]>>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl FingerprintVerifier {
    pub(super) fn new(
        trust: Trust,
        seen: Arc<Mutex<Option<[u8; 32]>>>,
        provider: &CryptoProvider,
    ) -> Self {
        FingerprintVerifier {
            trust,
            seen,
            algorithms: provider.signature_verification_algorithms,
        }
    }
}

impl ServerCertVerifier for FingerprintVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let seen = fingerprint(end_entity);
        if let Ok(mut slot) = self.seen.lock() {
            *slot = Some(seen);
        }
        match self.trust {
            Trust::Pinned(expected) if expected != seen => Err(rustls::Error::General(format!(
                "the server's certificate has changed: expected {}, got {}",
                fingerprint_hex(&expected),
                fingerprint_hex(&seen)
            ))),
            _ => Ok(ServerCertVerified::assertion()),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_print_as_colon_separated_hex() {
        let text = fingerprint_hex(&[0xab; 32]);
        assert_eq!(text.len(), 95);
        assert!(text.starts_with("AB:AB:") && text.ends_with(":AB"));
        assert_eq!(parse_fingerprint_hex(&text), Some([0xab; 32]));
        assert_eq!(parse_fingerprint_hex("AB:CD"), None);
    }
}
