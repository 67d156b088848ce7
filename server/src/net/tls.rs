//! The server's certificate. On first start the server makes a self-signed one and
//! keeps it in the data folder, so its fingerprint stays the same from one start to the
//! next and clients that trusted it once keep trusting it. A school with a real
//! certificate passes it with `--cert` and `--key`.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::files::write_whole;

/// The file names of the generated certificate and key in the data folder.
pub const CERT_FILE: &str = "server-cert.der";
pub const KEY_FILE: &str = "server-key.der";

/// A certificate chain and its private key.
pub struct Identity {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

impl Identity {
    /// The SHA-256 fingerprint of the server's own certificate.
    pub fn fingerprint(&self) -> [u8; 32] {
        workworlds_protocol::quic::fingerprint(
            self.chain.first().map_or(&[][..], |cert| cert.as_ref()),
        )
    }
}

/// The certificate kept in `data_dir`, made on first use.
pub fn load_or_create(data_dir: &Path) -> anyhow::Result<Identity> {
    let cert_path = data_dir.join(CERT_FILE);
    let key_path = data_dir.join(KEY_FILE);
    if cert_path.exists() && key_path.exists() {
        let cert =
            fs::read(&cert_path).with_context(|| format!("reading {}", cert_path.display()))?;
        let key = fs::read(&key_path).with_context(|| format!("reading {}", key_path.display()))?;
        return Ok(Identity {
            chain: vec![CertificateDer::from(cert)],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key)),
        });
    }

    // Only a pair that was written whole is ever read back, so a key left without its
    // certificate (a disk that filled between the two) is simply made again.
    let names = vec!["workworlds".to_string(), "localhost".to_string()];
    let generated = rcgen::generate_simple_self_signed(names).context("making a certificate")?;
    let cert = generated.cert.der().to_vec();
    let key = generated.signing_key.serialize_der();
    write_whole(&key_path, &key, 0o600)
        .with_context(|| format!("writing {}", key_path.display()))?;
    write_whole(&cert_path, &cert, 0o644)
        .with_context(|| format!("writing {}", cert_path.display()))?;
    Ok(Identity {
        chain: vec![CertificateDer::from(cert)],
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key)),
    })
}

/// A certificate chain and key given as PEM files.
pub fn load_pem(cert_path: &PathBuf, key_path: &PathBuf) -> anyhow::Result<Identity> {
    let chain = CertificateDer::pem_file_iter(cert_path)
        .with_context(|| format!("reading {}", cert_path.display()))?
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("reading {}", cert_path.display()))?;
    if chain.is_empty() {
        bail!("{} holds no certificate", cert_path.display());
    }
    let key = PrivateKeyDer::from_pem_file(key_path)
        .with_context(|| format!("reading {}", key_path.display()))?;
    Ok(Identity { chain, key })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_certificate_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create(dir.path()).unwrap().fingerprint();
        let second = load_or_create(dir.path()).unwrap().fingerprint();
        assert_eq!(first, second);
        assert!(!dir.path().join("server-key.partial").exists());
        crate::files::assert_owner_only(&dir.path().join(KEY_FILE));
    }

    #[test]
    fn a_key_left_without_its_certificate_is_made_again() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(KEY_FILE), b"half of a pair").unwrap();

        let identity = load_or_create(dir.path()).unwrap();

        let cert = fs::read(dir.path().join(CERT_FILE)).unwrap();
        assert_eq!(identity.chain[0].as_ref(), &cert[..]);
        let key = fs::read(dir.path().join(KEY_FILE)).unwrap();
        assert_ne!(key, b"half of a pair", "the stray key was replaced");
        assert_eq!(
            load_or_create(dir.path()).unwrap().fingerprint(),
            identity.fingerprint()
        );
    }
}
