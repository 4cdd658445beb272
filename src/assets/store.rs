//! The content-addressed store of original files: `.notion-bake/files/<sha256>`, and an index
//! from each file's stable key (`<file-uuid>/<filename>`) to what was stored for it.
//!
//! The index is `index.json`, written when a bake finishes, plus `index.journal`, a line per
//! file stored since: a build killed half-way keeps every file it finished downloading.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::cache::write_atomically;

/// What the store knows of one downloaded file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredFile {
    /// Lowercase hex sha256 of the bytes.
    pub(crate) sha256: String,
    pub(crate) bytes: u64,
    /// MIME type sniffed from the bytes.
    pub(crate) mime: String,
    /// File extension chosen from the sniffed type (or the original name for unknown types).
    pub(crate) extension: String,
    /// The original file name, decoded for display.
    pub(crate) name: String,
    /// Whether the bytes and extension were made safe to serve (SVG rewritten to static
    /// content, HTML-like files renamed): stores written before that was done hold such files
    /// as downloaded, and [`FileStore::lookup`] makes them safe from the stored bytes.
    #[serde(default)]
    pub(crate) made_safe: bool,
}

/// A partial download older than this was left by a killed run: a download in progress in a
/// concurrent build (say, `serve` beside `build`) is younger.
const STALE_DOWNLOAD: Duration = Duration::from_secs(60 * 60);

/// The files stored since `index.json` was last written, one JSON `[key, file]` per line.
const JOURNAL: &str = "index.journal";

/// Adds the journal's entries to `index`, skipping lines that cannot be read (the last line of
/// a killed build may be cut short).
fn replay_journal(path: &Path, index: &mut HashMap<String, StoredFile>) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    for line in text.lines() {
        if let Ok((key, file)) = serde_json::from_str::<(String, StoredFile)>(line) {
            index.insert(key, file);
        }
    }
}

#[derive(Debug)]
pub(crate) struct FileStore {
    dir: PathBuf,
    index: Mutex<HashMap<String, StoredFile>>,
}

impl FileStore {
    /// Opens the store under `cache_root` (`SITE_DIR/.notion-bake`), reading its index.
    pub(crate) fn open(cache_root: &Path) -> anyhow::Result<FileStore> {
        let dir = cache_root.join("files");
        let index_path = dir.join("index.json");
        let index = match std::fs::read(&index_path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|error| {
                tracing::warn!(
                    "ignoring the unreadable file index {}: {error}",
                    index_path.display()
                );
                HashMap::new()
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => HashMap::new(),
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", index_path.display()));
            }
        };
        let mut index = index;
        replay_journal(&dir.join(JOURNAL), &mut index);
        remove_stale_downloads(&dir.join("tmp"));
        Ok(FileStore {
            dir,
            index: Mutex::new(index),
        })
    }

    /// Where the bytes with this hash live.
    pub(crate) fn object_path(&self, sha256: &str) -> PathBuf {
        self.dir.join("objects").join(&sha256[..2]).join(sha256)
    }

    /// A folder for downloads in progress, on the same file system as the objects.
    pub(crate) fn temp_dir(&self) -> anyhow::Result<PathBuf> {
        let dir = self.dir.join("tmp");
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(dir)
    }

    /// The stored file for a stable key, if its bytes are still present. A file stored before
    /// files were made safe is made safe now (offline too), and recorded so.
    pub(crate) fn lookup(&self, stable_key: &str) -> Option<StoredFile> {
        let stored = self.index.lock().unwrap().get(stable_key).cloned()?;
        if !self.object_path(&stored.sha256).is_file() {
            return None;
        }
        if stored.made_safe {
            return Some(stored);
        }
        match self.make_safe(stable_key, stored) {
            Ok(safe) => Some(safe),
            Err(error) => {
                // Fetched again, and made safe then.
                tracing::debug!("cannot make the stored {stable_key} safe: {error:#}");
                None
            }
        }
    }

    /// `stored` with an SVG rewritten to static content (as a new object when anything was
    /// removed) or an HTML-like file renamed to `.bin`, recorded under `stable_key`.
    fn make_safe(&self, stable_key: &str, mut stored: StoredFile) -> anyhow::Result<StoredFile> {
        use super::active;
        stored.made_safe = true;
        let inert = |stored: &mut StoredFile| {
            stored.extension = active::INERT_EXTENSION.to_owned();
            stored.mime = super::FileKind::Other.mime().to_owned();
        };
        let mut replacement = None;
        if stored.extension == "svg" {
            let path = self.object_path(&stored.sha256);
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            match active::sanitize_svg(&bytes) {
                Ok(std::borrow::Cow::Borrowed(_)) => {}
                Ok(std::borrow::Cow::Owned(clean)) => replacement = Some(clean),
                Err(_) => inert(&mut stored),
            }
        } else if active::is_active_extension(&stored.extension) {
            inert(&mut stored);
        }
        let temp = tempfile::NamedTempFile::new_in(self.temp_dir()?)?;
        match replacement {
            Some(clean) => {
                use sha2::Digest;
                std::fs::write(temp.path(), &clean)?;
                stored.sha256 = hex::encode(sha2::Sha256::digest(&clean));
                stored.bytes = clean.len() as u64;
            }
            // The object is already in place: `insert` then only records the entry.
            None => std::fs::copy(self.object_path(&stored.sha256), temp.path()).map(drop)?,
        }
        let (_, path) = temp.keep()?;
        self.insert(stable_key, &path, stored.clone())?;
        Ok(stored)
    }

    /// Moves a finished download into the store (identical bytes are stored once) and records it.
    pub(crate) fn insert(
        &self,
        stable_key: &str,
        download: &Path,
        file: StoredFile,
    ) -> anyhow::Result<()> {
        let target = self.object_path(&file.sha256);
        if target.is_file() {
            std::fs::remove_file(download).ok();
        } else {
            let parent = target.parent().expect("objects live in a folder");
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
            std::fs::rename(download, &target)
                .with_context(|| format!("cannot move a download to {}", target.display()))?;
        }
        let mut index = self.index.lock().unwrap();
        let mut line = serde_json::to_string(&(stable_key, &file))?;
        line.push('\n');
        // Under the index's lock, so lines never interleave; a line cut short by a kill is
        // skipped when the journal is read back.
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join(JOURNAL))
            .and_then(|mut journal| std::io::Write::write_all(&mut journal, line.as_bytes()))
            .with_context(|| {
                format!(
                    "cannot record a download in {}",
                    self.dir.join(JOURNAL).display()
                )
            })?;
        index.insert(stable_key.to_owned(), file);
        Ok(())
    }

    /// The hashes of every indexed file.
    pub(crate) fn hashes(&self) -> std::collections::HashSet<String> {
        self.index
            .lock()
            .unwrap()
            .values()
            .map(|f| f.sha256.clone())
            .collect()
    }

    /// Writes the index (temp file + rename).
    pub(crate) fn save_index(&self) -> anyhow::Result<()> {
        let bytes = {
            let index = self.index.lock().unwrap();
            // Sorted, so a committed snapshot diffs cleanly.
            let sorted: std::collections::BTreeMap<_, _> = index.iter().collect();
            serde_json::to_vec_pretty(&sorted)?
        };
        write_atomically(&self.dir.join("index.json"), &bytes)?;
        match std::fs::remove_file(self.dir.join(JOURNAL)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e)
                .with_context(|| format!("cannot remove {}", self.dir.join(JOURNAL).display())),
            _ => Ok(()),
        }
    }

    /// Drops index entries and objects whose stable key is not in `keep`; returns (files, bytes) freed.
    pub(crate) fn retain(
        &self,
        keep: &std::collections::HashSet<String>,
    ) -> anyhow::Result<(usize, u64)> {
        let mut index = self.index.lock().unwrap();
        index.retain(|key, _| keep.contains(key));
        let live: std::collections::HashSet<&str> =
            index.values().map(|f| f.sha256.as_str()).collect();
        let mut freed = (0, 0);
        let objects = self.dir.join("objects");
        for entry in walkdir::WalkDir::new(&objects).min_depth(2).max_depth(2) {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_file() && !live.contains(name.as_ref()) {
                freed.0 += 1;
                freed.1 += entry.metadata().map(|m| m.len()).unwrap_or(0);
                std::fs::remove_file(entry.path())?;
            }
        }
        Ok(freed)
    }
}

/// Removes partial downloads left by runs that were killed mid-download.
fn remove_stale_downloads(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > STALE_DOWNLOAD);
        if stale {
            std::fs::remove_file(entry.path()).ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;

    #[test]
    fn opening_the_store_removes_only_stale_partial_downloads() {
        let root = tempfile::tempdir().unwrap();
        let tmp = root.path().join("files/tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        let stale = tmp.join(".tmpSTALE");
        let fresh = tmp.join(".tmpFRESH");
        std::fs::write(&stale, b"half a photo").unwrap();
        std::fs::write(&fresh, b"a download in progress").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(SystemTime::now() - STALE_DOWNLOAD - Duration::from_secs(60))
            .unwrap();

        FileStore::open(root.path()).unwrap();
        assert!(!stale.exists());
        assert!(fresh.exists());
    }

    #[test]
    fn files_stored_before_they_were_made_safe_are_made_safe_from_the_store() {
        let root = tempfile::tempdir().unwrap();
        let store = FileStore::open(root.path()).unwrap();
        let old = |name: &str, bytes: &[u8], extension: &str| {
            use sha2::Digest;
            let download = store.temp_dir().unwrap().join(name);
            std::fs::write(&download, bytes).unwrap();
            let file = StoredFile {
                sha256: hex::encode(sha2::Sha256::digest(bytes)),
                bytes: bytes.len() as u64,
                mime: "image/svg+xml".into(),
                extension: extension.into(),
                name: name.into(),
                made_safe: false,
            };
            store.insert(name, &download, file.clone()).unwrap();
            file
        };
        let script = old(
            "evil.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            "svg",
        );
        let clean = old(
            "clean.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            "svg",
        );
        old("page.html", b"<script>alert(1)</script>", "html");

        let evil = store.lookup("evil.svg").unwrap();
        assert!(evil.made_safe);
        assert_ne!(evil.sha256, script.sha256);
        let bytes = std::fs::read(store.object_path(&evil.sha256)).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("script"));
        // A clean SVG keeps its bytes, so its asset keeps its name.
        assert_eq!(store.lookup("clean.svg").unwrap().sha256, clean.sha256);
        let page = store.lookup("page.html").unwrap();
        assert_eq!(page.extension, "bin");
        // Recorded: a store opened again has them safe.
        let reopened = FileStore::open(root.path()).unwrap();
        assert_eq!(reopened.lookup("evil.svg"), Some(evil));
    }

    #[test]
    fn a_stored_file_survives_a_kill_before_the_index_is_written() {
        let root = tempfile::tempdir().unwrap();
        let store = FileStore::open(root.path()).unwrap();
        let download = store.temp_dir().unwrap().join("download");
        std::fs::write(&download, b"photo bytes").unwrap();
        let file = StoredFile {
            sha256: "ab".repeat(32),
            bytes: 11,
            mime: "image/jpeg".into(),
            extension: "jpg".into(),
            name: "photo.jpg".into(),
            made_safe: true,
        };
        store
            .insert("uuid/photo.jpg", &download, file.clone())
            .unwrap();
        // Killed here: no save_index. A torn line from a second download follows.
        let journal = root.path().join("files").join(JOURNAL);
        let mut text = std::fs::read_to_string(&journal).unwrap();
        text.push_str("[\"uuid2/half.jpg\", {\"sha");
        std::fs::write(&journal, text).unwrap();
        drop(store);

        let reopened = FileStore::open(root.path()).unwrap();
        assert_eq!(reopened.lookup("uuid/photo.jpg"), Some(file));
        assert_eq!(reopened.lookup("uuid2/half.jpg"), None);
        reopened.save_index().unwrap();
        assert!(!journal.exists(), "the journal is folded into index.json");
        assert!(
            FileStore::open(root.path())
                .unwrap()
                .lookup("uuid/photo.jpg")
                .is_some()
        );
    }
}
