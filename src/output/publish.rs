//! Files written for publishing: readable by everyone (files 0644, folders 0755) whatever the
//! umask or the modes of the cache files they come from, because the web server that reads
//! them often runs as another user (nginx as `www-data`, a container, a host reached with
//! `rsync -a`). And never a hard link into the cache: a deploy step that edits a published
//! file in place must not be able to change the cache.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

/// Mode of a published file.
#[cfg(unix)]
const FILE_MODE: u32 = 0o644;
/// Mode of a published folder.
#[cfg(unix)]
const DIR_MODE: u32 = 0o755;

/// Gives `path` the published file mode. Its modification time is left as it is.
pub(crate) fn set_file_mode(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(FILE_MODE))
            .with_context(|| format!("cannot set the mode of {}", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Gives the folder `path` the published folder mode.
pub(crate) fn set_dir_mode(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(DIR_MODE))
            .with_context(|| format!("cannot set the mode of {}", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Creates `dir` and its missing parents, each with the published folder mode. Folders that
/// exist already are left as they are (they may belong to someone else).
pub(crate) fn create_dirs(dir: &Path) -> anyhow::Result<()> {
    let missing: Vec<&Path> = dir.ancestors().take_while(|d| !d.exists()).collect();
    for dir in missing.into_iter().rev() {
        match std::fs::create_dir(dir) {
            Ok(()) => set_dir_mode(dir)?,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => {}
            Err(e) => return Err(e).with_context(|| format!("cannot create {}", dir.display())),
        }
    }
    Ok(())
}

/// Writes a new file at `path` (in a folder that exists) with the published mode.
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    set_file_mode(path)
}

/// Copies the cache file `source` to the new file `target` with the published mode and the
/// source's modification time (cache files are content-addressed and never rewritten, so a
/// published copy with the same size and mtime holds the same bytes; see [`same_copy`]).
///
/// `std::fs::copy` clones the data where the filesystem can (copy-on-write: a reflink on
/// Btrfs/XFS through `copy_file_range`, `clonefile` on APFS), and copies it otherwise. Either
/// way the target is a file of its own: editing it never changes the cache.
pub(crate) fn copy_from_cache(source: &Path, target: &Path) -> anyhow::Result<()> {
    std::fs::copy(source, target)
        .with_context(|| format!("cannot copy {} to {}", source.display(), target.display()))?;
    set_file_mode(target)?;
    let modified = std::fs::metadata(source)
        .and_then(|m| m.modified())
        .with_context(|| format!("cannot read the mtime of {}", source.display()))?;
    std::fs::File::options()
        .write(true)
        .open(target)
        .and_then(|f| f.set_modified(modified))
        .with_context(|| format!("cannot set the mtime of {}", target.display()))
}

/// Whether `copy` looks like an untouched [`copy_from_cache`] of `source`: same size and same
/// modification time (the quick check rsync makes). An edit in place changes the mtime.
pub(crate) fn same_copy(source: &Path, copy: &Path) -> bool {
    let (Ok(s), Ok(c)) = (std::fs::metadata(source), std::fs::metadata(copy)) else {
        return false;
    };
    s.len() == c.len()
        && s.modified()
            .ok()
            .is_some_and(|m| c.modified().ok() == Some(m))
}

/// Writes `bytes` to `path` atomically (a temporary file renamed over it), creating missing
/// folders below `root` with the published mode. The file gets the published mode, or, with
/// `keep_mode`, the mode of the file it replaces (a file of the user's that notion-bake only
/// edits a region of).
pub(crate) fn write_atomically(path: &Path, bytes: &[u8], keep_mode: bool) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .with_context(|| format!("{} has no parent folder", path.display()))?;
    create_dirs(dir)?;
    let previous = std::fs::metadata(path).ok().filter(|_| keep_mode);
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    match previous {
        Some(meta) => std::fs::set_permissions(file.path(), meta.permissions())
            .with_context(|| format!("cannot keep the mode of {}", path.display()))?,
        None => set_file_mode(file.path())?,
    }
    file.persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// Whether `path` is a file that no other path shares (its link count is 1).
pub(crate) fn single_link(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).is_ok_and(|m| m.nlink() == 1)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_copy_from_a_private_cache_file_is_readable_and_its_own_file() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("cached");
        std::fs::write(&source, "bytes").unwrap();
        std::fs::set_permissions(&source, std::fs::Permissions::from_mode(0o600)).unwrap();
        create_dirs(&dir.path().join("out/a/b")).unwrap();
        let target = dir.path().join("out/a/b/file");
        copy_from_cache(&source, &target).unwrap();
        assert_eq!(mode(&target), 0o644);
        assert_eq!(mode(&dir.path().join("out/a")), 0o755);
        assert!(single_link(&source) && single_link(&target));
        assert!(same_copy(&source, &target));
        std::fs::write(&target, "edits").unwrap();
        assert!(!same_copy(&source, &target), "an edit changes the mtime");
        assert_eq!(std::fs::read_to_string(&source).unwrap(), "bytes");
    }

    #[test]
    fn an_atomic_write_keeps_a_users_mode_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/SUMMARY.md");
        write_atomically(&path, b"a", true).unwrap();
        assert_eq!(mode(&path), 0o644);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, b"b", true).unwrap();
        assert_eq!(mode(&path), 0o640);
        write_atomically(&path, b"c", false).unwrap();
        assert_eq!(mode(&path), 0o644);
    }
}
