//! What a crawl found the site to be made of.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::notion::model::Database;

/// What the site was made of at the last fetch: the blog's rows and the standalone pages with
/// their child pages. Their trees are stored one by one, keyed by page id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// When the crawl finished.
    pub fetched_at: DateTime<Utc>,
    /// The `Notion-Version` the crawl used.
    pub api_version: String,
    /// The blog database, when the site has one.
    pub blog: Option<BlogManifest>,
    /// Standalone pages and, after each, its child pages (recursively).
    pub pages: Vec<SourceManifest>,
}

/// The blog database at the last fetch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlogManifest {
    /// The database's id.
    pub database_id: String,
    /// The data source queried (2025-09-03 and later).
    pub data_source_id: Option<String>,
    /// The database (title, icon, cover) with its data source's schema.
    pub database: Database,
    /// The rows, in query order.
    pub posts: Vec<String>,
    /// Whether unpublished rows were fetched too (`--drafts`).
    pub includes_drafts: bool,
    /// Titles of the pages outside the site that posts' relation properties point at, by id
    /// (empty when the integration cannot read the page).
    #[serde(default)]
    pub related_titles: BTreeMap<String, String>,
}

/// One standalone page or child page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceManifest {
    /// The page's id.
    pub id: String,
    /// The configured path of a `[[pages]]` entry; `None` for a child page.
    pub path: Option<String>,
    /// The page this one is a child page of.
    pub parent: Option<String>,
}

impl Manifest {
    /// An empty manifest, fetched now with `api_version`.
    pub fn new(api_version: &str) -> Manifest {
        Manifest {
            fetched_at: Utc::now(),
            api_version: api_version.to_owned(),
            blog: None,
            pages: Vec::new(),
        }
    }
}
