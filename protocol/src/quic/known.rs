//! The servers a client has met, with their certificate fingerprints: trust on first
//! use. The first connection to a server accepts its certificate and remembers it; from
//! then on only that certificate is accepted, and a changed one is refused with words
//! saying so, which is how a pupil's laptop notices a stranger pretending to be the
//! class server.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::trust::{Trust, fingerprint_hex, parse_fingerprint_hex};

/// Fingerprints by server address, kept in a small text file, one `address hex` a line.
#[derive(Debug)]
pub struct KnownServers {
    path: PathBuf,
    servers: BTreeMap<String, [u8; 32]>,
}

impl KnownServers {
    /// Reads the file at `path`; a missing file is an empty list, and lines that do not
    /// parse are skipped rather than trusted.
    pub fn load(path: &Path) -> io::Result<KnownServers> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == io::ErrorKind::NotFound => String::new(),
            Err(error) => return Err(error),
        };
        let servers = text.lines().filter_map(parse_line).collect();
        Ok(KnownServers {
            path: path.to_owned(),
            servers,
        })
    }

    /// How to trust `address`: its remembered certificate, or any the first time.
    pub fn trust(&self, address: &str) -> Trust {
        self.servers
            .get(address)
            .map_or(Trust::FirstUse, |fingerprint| Trust::Pinned(*fingerprint))
    }

    /// Remembers the certificate `address` showed, writing the file at once.
    pub fn remember(&mut self, address: &str, fingerprint: [u8; 32]) -> io::Result<()> {
        if self.servers.get(address) == Some(&fingerprint) {
            return Ok(());
        }
        self.servers.insert(address.to_owned(), fingerprint);
        self.save()
    }

    /// Forgets `address`, as a teacher does after replacing the server's certificate.
    pub fn forget(&mut self, address: &str) -> io::Result<()> {
        if self.servers.remove(address).is_some() {
            self.save()?;
        }
        Ok(())
    }

    fn save(&self) -> io::Result<()> {
        if let Some(folder) = self.path.parent() {
            fs::create_dir_all(folder)?;
        }
        let lines: String = self
            .servers
            .iter()
            .map(|(address, fingerprint)| format!("{address} {}\n", fingerprint_hex(fingerprint)))
            .collect();
        fs::write(&self.path, lines)
    }
}

fn parse_line(line: &str) -> Option<(String, [u8; 32])> {
    let (address, hex) = line.trim().split_once(' ')?;
    Some((address.to_owned(), parse_fingerprint_hex(hex)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_is_trusted_on_first_use_and_pinned_after() {
        let folder = std::env::temp_dir().join(format!("workworlds-known-{}", std::process::id()));
        let path = folder.join("known_servers.txt");
        let mut known = KnownServers::load(&path).unwrap();
        assert_eq!(known.trust("10.0.0.5:4433"), Trust::FirstUse);

        known.remember("10.0.0.5:4433", [0xab; 32]).unwrap();
        let reloaded = KnownServers::load(&path).unwrap();
        assert_eq!(reloaded.trust("10.0.0.5:4433"), Trust::Pinned([0xab; 32]));
        assert_eq!(reloaded.trust("10.0.0.6:4433"), Trust::FirstUse);

        let mut reloaded = reloaded;
        reloaded.forget("10.0.0.5:4433").unwrap();
        assert_eq!(
            KnownServers::load(&path).unwrap().trust("10.0.0.5:4433"),
            Trust::FirstUse
        );
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn damaged_lines_are_skipped_not_trusted() {
        assert_eq!(parse_line("10.0.0.5:4433 AB:CD"), None);
        assert_eq!(parse_line("10.0.0.5:4433 ZZ"), None);
        assert_eq!(parse_line(""), None);
    }
}
