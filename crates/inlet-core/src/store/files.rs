//! Private folders and files: the store's folder and files, and the logs, are the user's alone.

use crate::error::EngineError;
use std::path::Path;

#[cfg(unix)]
const PRIVATE_DIR: u32 = 0o700;
pub(super) const PRIVATE_FILE: u32 = 0o600;

pub(super) fn store_error(path: &Path, e: std::io::Error) -> EngineError {
    EngineError::Store { message: format!("cannot make {} private: {e}", path.display()) }
}

/// Creates `dir` (and missing parents) readable by its owner only, and tightens it to that if it
/// already exists. For every folder the engine keeps data in (the store, logs).
#[cfg(unix)]
pub(crate) fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    // The mode is given at creation, so the folder is never open to others, not even briefly;
    // the umask can only take bits away from 0700.
    std::fs::DirBuilder::new().recursive(true).mode(PRIVATE_DIR).create(dir)?;
    tighten(dir, PRIVATE_DIR)
}

/// Creates `path` empty if it is missing, readable and writable by its owner only, and tightens
/// an existing file to that (its content is kept). For every file the engine writes (the store,
/// logs).
///
/// The mode is read and set on the opened file, not looked up by name again: SQLite deletes the
/// store's -wal file when another thread's last connection closes, and a second lookup then
/// failed with "No such file or directory" (the end-to-end run's status checks, side by side).
#[cfg(unix)]
pub(crate) fn private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = std::fs::OpenOptions::new().append(true).create(true).mode(PRIVATE_FILE).open(path)?;
    if file.metadata()?.permissions().mode() & 0o777 != PRIVATE_FILE {
        file.set_permissions(std::fs::Permissions::from_mode(PRIVATE_FILE))?;
    }
    Ok(())
}

/// Sets exactly `mode` when the permission bits differ.
#[cfg(unix)]
pub(super) fn tighten(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if std::fs::metadata(path)?.permissions().mode() & 0o777 != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

/// Elsewhere the app's data folder is inside the user's own profile, which is private already.
#[cfg(not(unix))]
pub(crate) fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(not(unix))]
pub(crate) fn private_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new().append(true).create(true).open(path).map(drop)
}

#[cfg(not(unix))]
pub(super) fn tighten(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn private_file_tightens_an_existing_file_and_keeps_its_content() {
        let tmp = tempfile::tempdir().unwrap();
        let log = tmp.path().join("inlet.log");
        std::fs::write(&log, b"earlier lines\n").unwrap();
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
        private_file(&log).unwrap();
        assert_eq!(mode(&log), 0o600);
        assert_eq!(std::fs::read(&log).unwrap(), b"earlier lines\n");
    }

    #[test]
    fn private_dir_creates_missing_folders_and_tightens_an_existing_one() {
        let tmp = tempfile::tempdir().unwrap();
        let nested = tmp.path().join("a").join("b");
        private_dir(&nested).unwrap();
        assert_eq!(mode(&nested), 0o700);
        std::fs::set_permissions(&nested, std::fs::Permissions::from_mode(0o755)).unwrap();
        private_dir(&nested).unwrap();
        assert_eq!(mode(&nested), 0o700);
    }
}
