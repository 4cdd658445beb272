//! Page trees and the site manifest, stored as JSON under `.notion-bake/`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::notion::model::{Block, Page, parse_time};

/// Bumped when the stored shape changes; older snapshots are then refetched, not misread.
const FORMAT: u32 = 1;

/// Notion rounds `last_edited_time` down to the minute, so an edit made in the same minute as
/// a fetch is invisible to a comparison. A tree fetched less than this long after the page's
/// `last_edited_time` is not trusted and is fetched again next time.
const EDIT_GRANULARITY: i64 = 2;

/// The cache folder of one site.
#[derive(Debug, Clone)]
pub struct Snapshot {
    root: PathBuf,
}

/// What the site was made of at the last fetch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub fetched_at: DateTime<Utc>,
    /// The `Notion-Version` the snapshot was fetched with.
    pub api_version: String,
    pub blog: Option<BlogManifest>,
    /// Standalone pages and, after each, its child pages (recursively).
    pub pages: Vec<SourceManifest>,
}

/// The blog database at the last fetch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlogManifest {
    pub database_id: String,
    /// The data source queried (2025-09-03 and later).
    pub data_source_id: Option<String>,
    /// The database object (title, icon, cover), raw.
    pub database: Value,
    /// The rows, in query order.
    pub posts: Vec<String>,
    /// Whether unpublished rows were fetched too (`--drafts`).
    pub includes_drafts: bool,
    /// Titles of the pages outside the site that posts' relation properties point at, by id
    /// (empty when the integration cannot read the page).
    #[serde(default)]
    pub related_titles: std::collections::BTreeMap<String, String>,
}

/// One standalone page or child page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceManifest {
    pub id: String,
    /// The configured path of a `[[pages]]` entry; `None` for a child page.
    pub path: Option<String>,
    /// The page this one is a child page of.
    pub parent: Option<String>,
}

/// A page object and its whole block tree (each block's children under a `children` key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageTree {
    pub fetched_at: DateTime<Utc>,
    pub page: Value,
    pub blocks: Vec<Value>,
}

impl PageTree {
    /// The page's `last_edited_time` as Notion sent it.
    pub fn last_edited_time(&self) -> Option<DateTime<Utc>> {
        last_edited(&self.page)
    }

    /// Whether this tree is still the page's content, given the page object Notion sends now.
    pub fn is_current_for(&self, page: &Value) -> bool {
        match (self.last_edited_time(), last_edited(page)) {
            (Some(stored), Some(now)) => {
                stored == now && self.fetched_at >= stored + Duration::minutes(EDIT_GRANULARITY)
            }
            _ => false,
        }
    }
}

fn last_edited(page: &Value) -> Option<DateTime<Utc>> {
    page.get("last_edited_time")
        .and_then(Value::as_str)
        .and_then(parse_time)
}

impl Manifest {
    pub fn new(api_version: &str) -> Manifest {
        Manifest {
            format: FORMAT,
            fetched_at: Utc::now(),
            api_version: api_version.to_owned(),
            blog: None,
            pages: Vec::new(),
        }
    }
}

impl Snapshot {
    /// The snapshot of the site in `site_dir` (nothing is read or created yet).
    pub fn new(site_dir: &Path) -> Snapshot {
        Snapshot {
            root: site_dir.join(".notion-bake"),
        }
    }

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
        let manifest: Option<Manifest> = read_json(&self.manifest_path())?;
        Ok(manifest.filter(|m| m.format == FORMAT))
    }

    pub fn save_manifest(&self, manifest: &Manifest) -> anyhow::Result<()> {
        write_json(&self.manifest_path(), manifest)
    }

    /// The stored tree of a page, if any.
    pub fn load_tree(&self, page_id: &str) -> anyhow::Result<Option<PageTree>> {
        read_json(&self.tree_path(page_id)?)
    }

    /// The stored tree of a page read straight into the model, if any. This is the site's read
    /// of every page: the blocks are parsed without a `Value` tree in between.
    pub fn load_page(&self, page_id: &str) -> anyhow::Result<Option<(Page, Vec<Block>)>> {
        #[derive(Deserialize)]
        struct Parsed {
            page: Value,
            blocks: Vec<Block>,
        }
        let path = self.tree_path(page_id)?;
        let Some(bytes) = read_bytes(&path)? else {
            return Ok(None);
        };
        if let Ok(parsed) = serde_json::from_slice::<Parsed>(&bytes) {
            return Ok(Some((Page::from_value(&parsed.page), parsed.blocks)));
        }
        // A block of an unexpected shape fails the direct read; `Block::from_value` salvages it.
        Ok(parse_json::<PageTree>(&path, &bytes).map(|tree| {
            let blocks = tree.blocks.iter().map(Block::from_value).collect();
            (Page::from_value(&tree.page), blocks)
        }))
    }

    pub fn save_tree(&self, page_id: &str, tree: &PageTree) -> anyhow::Result<()> {
        write_json(&self.tree_path(page_id)?, tree)
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
    match serde_json::from_slice(bytes) {
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
    let bytes = serde_json::to_vec(value)?;
    write_atomically(path, &bytes)
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
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

    fn tree(last_edited: &str, fetched_at: &str) -> PageTree {
        PageTree {
            fetched_at: parse_time(fetched_at).unwrap(),
            page: json!({"object": "page", "id": "p", "last_edited_time": last_edited}),
            blocks: Vec::new(),
        }
    }

    #[test]
    fn a_tree_is_reused_only_while_last_edited_time_is_unchanged() {
        let stored = tree("2026-07-04T09:08:00.000Z", "2026-07-05T00:00:00Z");
        let same = json!({"last_edited_time": "2026-07-04T09:08:00.000+00:00"});
        let edited = json!({"last_edited_time": "2026-07-04T09:09:00.000Z"});
        assert!(stored.is_current_for(&same));
        assert!(!stored.is_current_for(&edited));
        assert!(!stored.is_current_for(&json!({})));
    }

    #[test]
    fn a_tree_fetched_in_the_minute_of_its_last_edit_is_fetched_again() {
        let stored = tree("2026-07-04T09:08:00.000Z", "2026-07-04T09:08:40Z");
        let same = json!({"last_edited_time": "2026-07-04T09:08:00.000Z"});
        assert!(!stored.is_current_for(&same));
    }

    #[test]
    fn trees_round_trip_and_bad_ids_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let snapshot = Snapshot::new(dir.path());
        let id = "0f3c2c9e-0000-4000-8000-000000000001";
        assert_eq!(snapshot.load_tree(id).unwrap(), None);
        let stored = tree("2026-07-04T09:08:00.000Z", "2026-07-05T00:00:00Z");
        snapshot.save_tree(id, &stored).unwrap();
        assert_eq!(snapshot.load_tree(id).unwrap(), Some(stored.clone()));
        assert!(snapshot.save_tree("../../etc/passwd", &stored).is_err());
    }

    #[test]
    fn a_damaged_tree_reads_as_missing() {
        let dir = tempfile::tempdir().unwrap();
        let snapshot = Snapshot::new(dir.path());
        let id = "0f3c2c9e-0000-4000-8000-000000000002";
        let path = snapshot.tree_path(id).unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"{\"fetched_at\": tru").unwrap();
        assert_eq!(snapshot.load_tree(id).unwrap(), None);
    }
}
