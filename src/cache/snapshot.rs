//! Page trees and the site manifest, stored as JSON under `.notion-bake/`.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::notion::crawl::{Manifest, PageTree, TreeStore};
use crate::notion::model::{Block, Page};

/// Bumped when the stored shape changes; older snapshots are then refetched, not misread.
const FORMAT: u32 = 1;

/// The cache folder of one site.
#[derive(Debug, Clone)]
pub struct Snapshot {
    root: PathBuf,
}

/// The manifest as stored: with the format it was written in.
#[derive(Serialize, Deserialize)]
struct StoredManifest<M> {
    format: u32,
    #[serde(flatten)]
    manifest: M,
}

/// A stored tree read loosely: blocks of a shape the model's direct read refuses are salvaged
/// one by one (`Block::from_value`) instead of losing the page.
#[derive(Deserialize)]
struct LooseTree {
    fetched_at: DateTime<Utc>,
    page: Page,
    blocks: Vec<Value>,
}

impl Snapshot {
    /// The snapshot of the site in `site_dir` (nothing is read or created yet).
    pub fn new(site_dir: &Path) -> Snapshot {
        Snapshot {
            root: site_dir.join(".notion-bake"),
        }
    }

    /// The cache folder, `SITE_DIR/.notion-bake`.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn manifest_path(&self) -> PathBuf {
        self.root.join("snapshot.json")
    }

    fn tree_path(&self, page_id: &str) -> anyhow::Result<PathBuf> {
        // Ids come from Notion's responses; refuse anything that could leave the folder.
        if page_id.is_empty() || !page_id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            bail!("refusing to cache a page under the unexpected id {page_id:?}");
        }
        Ok(self.root.join("pages").join(format!("{page_id}.json")))
    }

    /// The manifest, or `None` when the site was never fetched (or with an older format).
    pub fn load_manifest(&self) -> anyhow::Result<Option<Manifest>> {
        let stored: Option<StoredManifest<Manifest>> = read_json(&self.manifest_path())?;
        Ok(stored.filter(|s| s.format == FORMAT).map(|s| s.manifest))
    }

    /// The stored tree of a page, if any. This is every read of a stored page, the site's
    /// included: the blocks are parsed straight into the model, without a `Value` tree in
    /// between, unless one of them needs salvaging.
    pub fn load_tree(&self, page_id: &str) -> anyhow::Result<Option<PageTree>> {
        let path = self.tree_path(page_id)?;
        let Some(bytes) = read_bytes(&path)? else {
            return Ok(None);
        };
        if let Ok(tree) = crate::deep::from_slice::<PageTree>(&bytes) {
            return Ok(Some(tree));
        }
        Ok(parse_json::<LooseTree>(&path, &bytes).map(|tree| PageTree {
            fetched_at: tree.fetched_at,
            page: tree.page,
            blocks: tree.blocks.iter().map(Block::from_value).collect(),
        }))
    }

    /// Removes the stored trees of every page not in `keep` (`cache gc`); returns how many
    /// trees and bytes went.
    pub(crate) fn retain_trees(&self, keep: &HashSet<&str>) -> anyhow::Result<(usize, u64)> {
        let (mut trees, mut bytes) = (0, 0);
        let dir = self.root.join("pages");
        for entry in std::fs::read_dir(&dir).into_iter().flatten() {
            let entry = entry?;
            let name = entry.file_name();
            let id = name.to_string_lossy();
            if !keep.contains(id.trim_end_matches(".json")) {
                bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
                std::fs::remove_file(entry.path())
                    .with_context(|| format!("cannot remove {}", entry.path().display()))?;
                trees += 1;
            }
        }
        Ok((trees, bytes))
    }
}

impl TreeStore for Snapshot {
    fn last_manifest(&self) -> anyhow::Result<Option<Manifest>> {
        self.load_manifest()
    }

    fn stored_tree(&self, page_id: &str) -> anyhow::Result<Option<PageTree>> {
        self.load_tree(page_id)
    }

    /// Stores a page's tree under its page id.
    fn store_tree(&self, tree: &PageTree) -> anyhow::Result<()> {
        write_json(&self.tree_path(&tree.page.id)?, tree)
    }

    /// Stores the manifest of a crawl, with the snapshot's format.
    fn store_manifest(&self, manifest: &Manifest) -> anyhow::Result<()> {
        let stored = StoredManifest {
            format: FORMAT,
            manifest,
        };
        write_json(&self.manifest_path(), &stored)
    }
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> anyhow::Result<Option<T>> {
    Ok(read_bytes(path)?.and_then(|bytes| parse_json(path, &bytes)))
}

fn read_bytes(path: &Path) -> anyhow::Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

fn parse_json<T: for<'de> Deserialize<'de>>(path: &Path, bytes: &[u8]) -> Option<T> {
    match crate::deep::from_slice(bytes) {
        Ok(value) => Some(value),
        Err(error) => {
            // A damaged entry costs a refetch, not the build.
            tracing::warn!(
                "ignoring the unreadable cache file {}: {error}",
                path.display()
            );
            None
        }
    }
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> anyhow::Result<()> {
    // Pages nest blocks to any depth: neither serde_json's recursion limit nor the stack may
    // stop a tree from being stored.
    let bytes = crate::deep::to_vec(value)?;
    write_atomically(path, &bytes)
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .with_context(|| format!("{} has no parent folder", path.display()))?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::notion::model::parse_time;

    fn tree(id: &str) -> PageTree {
        PageTree {
            fetched_at: parse_time("2026-07-05T00:00:00Z").unwrap(),
            page: Page::from_value(&json!({"object": "page", "id": id,
                "last_edited_time": "2026-07-04T09:08:00.000Z"})),
            blocks: vec![Block::from_value(&json!({"object": "block", "id": "b",
                "type": "paragraph", "paragraph": {"rich_text": [], "color": "default"}}))],
        }
    }

    #[test]
    fn trees_round_trip_and_bad_ids_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let snapshot = Snapshot::new(dir.path());
        let id = "0f3c2c9e-0000-4000-8000-000000000001";
        assert_eq!(snapshot.load_tree(id).unwrap(), None);
        let stored = tree(id);
        snapshot.store_tree(&stored).unwrap();
        assert_eq!(snapshot.load_tree(id).unwrap(), Some(stored));
        assert!(snapshot.store_tree(&tree("../../etc/passwd")).is_err());
    }

    #[test]
    fn a_damaged_tree_reads_as_missing() {
        let dir = tempfile::tempdir().unwrap();
        let snapshot = Snapshot::new(dir.path());
        let id = "0f3c2c9e-0000-4000-8000-000000000002";
        write_atomically(&snapshot.tree_path(id).unwrap(), b"{\"fetched_at\": tru").unwrap();
        assert_eq!(snapshot.load_tree(id).unwrap(), None);
    }

    #[test]
    fn a_block_of_an_odd_shape_is_salvaged_not_lost_with_its_page() {
        let dir = tempfile::tempdir().unwrap();
        let snapshot = Snapshot::new(dir.path());
        let id = "0f3c2c9e-0000-4000-8000-000000000003";
        let stored = json!({
            "fetched_at": "2026-07-05T00:00:00Z",
            "page": {"object": "page", "id": id},
            "blocks": [{"object": "block", "id": "b", "type": "paragraph", "has_children": "no",
                "paragraph": {"rich_text": [{"type": "text", "text": {"content": "kept"},
                "plain_text": "kept"}]}}]
        });
        write_atomically(
            &snapshot.tree_path(id).unwrap(),
            stored.to_string().as_bytes(),
        )
        .unwrap();
        let tree = snapshot.load_tree(id).unwrap().unwrap();
        assert_eq!(tree.blocks.len(), 1);
        assert_eq!(
            crate::notion::model::plain_text(tree.blocks[0].rich_text()),
            "kept"
        );
    }

    #[test]
    fn the_manifest_is_stored_with_its_format() {
        let dir = tempfile::tempdir().unwrap();
        let snapshot = Snapshot::new(dir.path());
        let manifest = Manifest::new("2025-09-03");
        snapshot.store_manifest(&manifest).unwrap();
        assert_eq!(snapshot.load_manifest().unwrap(), Some(manifest));
        let written: Value =
            serde_json::from_slice(&std::fs::read(snapshot.manifest_path()).unwrap()).unwrap();
        assert_eq!(written["format"], FORMAT);
        std::fs::write(snapshot.manifest_path(), r#"{"format": 0}"#).unwrap();
        assert_eq!(snapshot.load_manifest().unwrap(), None);
    }
}
