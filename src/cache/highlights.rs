//! Highlighted code of the last build: `highlights.json`, read into the renderer's memo.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::snapshot::{Snapshot, write_atomically};

/// Another notion-bake version may highlight differently (syntaxes, class names): its memo is
/// not used.
const FORMAT: &str = concat!("notion-bake ", env!("CARGO_PKG_VERSION"));

#[derive(Serialize, Deserialize)]
struct Stored {
    format: String,
    /// sha256 of language and source → HTML.
    entries: HashMap<String, String>,
}

impl Snapshot {
    /// The highlighted code of the last build; empty when there is none, it is unreadable or
    /// another version of notion-bake wrote it.
    pub fn load_highlights(&self) -> HashMap<String, String> {
        let path = self.root().join("highlights.json");
        std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Stored>(&bytes).ok())
            .filter(|stored| stored.format == FORMAT)
            .map(|stored| stored.entries)
            .unwrap_or_default()
    }

    /// Keeps the highlighted code of this build for the next (`sha256` of language and
    /// source → HTML).
    pub(crate) fn save_highlights(&self, entries: HashMap<String, String>) -> anyhow::Result<()> {
        let stored = Stored {
            format: FORMAT.to_owned(),
            entries,
        };
        write_atomically(
            &self.root().join("highlights.json"),
            &serde_json::to_vec(&stored)?,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_round_trip_and_another_version_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let snapshot = Snapshot::new(dir.path());
        assert!(snapshot.load_highlights().is_empty());
        let entries = HashMap::from([("k".to_owned(), "<span>x</span>".to_owned())]);
        snapshot.save_highlights(entries.clone()).unwrap();
        assert_eq!(snapshot.load_highlights(), entries);
        std::fs::write(
            dir.path().join(".notion-bake/highlights.json"),
            r#"{"format":"notion-bake 0.0.0","entries":{"k":"old"}}"#,
        )
        .unwrap();
        assert!(snapshot.load_highlights().is_empty());
    }
}
