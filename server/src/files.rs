//! Writing the files a server keeps beside its store (its certificate, its keys) so
//! that a crash or a full disk never leaves one half-written.

use std::fs;
use std::io::{self, Write as _};
use std::path::Path;

/// Writes `bytes` to `path` whole or not at all: into a side file with permissions
/// `mode` (on Unix), synced, renamed into place, and the folder synced so the rename
/// survives a power cut too. A failure leaves no side file behind.
pub(crate) fn write_whole(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let mut side_name = path.file_name().unwrap_or_default().to_owned();
    side_name.push(".partial");
    let side = path.with_file_name(side_name);
    // One left by a crash may carry other permissions, which opening it would keep.
    match fs::remove_file(&side) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
        _ => {}
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let written = (|| {
        let mut file = options.open(&side)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&side, path)?;
        #[cfg(unix)]
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = fs::remove_file(&side);
    }
    written
}

/// Asserts that only the file's owner may read or write it, as keys and passwords
/// must be; other systems have no such bits to check.
#[cfg(test)]
pub(crate) fn assert_owner_only(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path)
            .expect("the file is there")
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o077,
            0,
            "{} is private to its owner",
            path.display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_written_whole_with_its_mode_and_no_side_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.p8");
        fs::write(dir.path().join("key.p8.partial"), b"left by a crash").unwrap();
        write_whole(&path, b"secret", 0o600).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"secret");
        assert!(!dir.path().join("key.p8.partial").exists());
        assert_owner_only(&path);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "and readable and writable by the owner");
        }
    }
}
