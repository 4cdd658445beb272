//! What a crawl found the site to be made of.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::notion::model::{Database, View};

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
    /// Standalone pages and, after each, its child pages and the rows of the databases on it
    /// (recursively).
    pub pages: Vec<SourceManifest>,
    /// The databases inside those pages and inside blog posts (`child_database` blocks and
    /// links to databases), each with its kept views and the ids of the rows its view shows.
    /// In `manifest.json` each is `{id, parent, data_source_id, database, views, view, rows}`
    /// (see [`DatabaseManifest`]); what changes a database's rendering is its query's answer
    /// (rows and their `last_edited_time`), the shown view's settings (`GET /v1/views/{view}`)
    /// and the view list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub databases: Vec<DatabaseManifest>,
}

/// A database inside a page, at the last fetch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatabaseManifest {
    /// The database's id (a `child_database` block's id is its database's).
    pub id: String,
    /// The page it was found on (the first one, when several show it).
    pub parent: String,
    /// The data source queried (2025-09-03 and later).
    pub data_source_id: Option<String>,
    /// The database (title, icon, cover) with its data source's schema; `None` when the
    /// integration cannot read it.
    pub database: Option<Database>,
    /// Its views, in the order Notion listed them (none before 2025-09-03).
    #[serde(default)]
    pub views: Vec<View>,
    /// The id of the view the rows were queried through, if any.
    pub view: Option<String>,
    /// The rows the view shows, in its order.
    pub rows: Vec<String>,
}

impl DatabaseManifest {
    /// The view the rows were queried through.
    pub fn chosen_view(&self) -> Option<&View> {
        let id = self.view.as_deref()?;
        self.views.iter().find(|v| v.id == id)
    }
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
    /// The page this one is a child page of, or the page whose database it is a row of.
    pub parent: Option<String>,
    /// For a row of a database inside a page: the database's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
}

impl Manifest {
    /// The rows of the databases inside blog posts, each with its database's id: their trees
    /// are in the snapshot, and they are shown in their database, not as pages of the site.
    pub fn rows_on_posts(&self) -> Vec<(&str, &str)> {
        let key = |id: &str| crate::notion::ids::NotionId::parse(id).ok();
        let posts: std::collections::HashSet<_> = self
            .blog
            .iter()
            .flat_map(|b| &b.posts)
            .filter_map(|id| key(id))
            .collect();
        self.databases
            .iter()
            .filter(|d| key(&d.parent).is_some_and(|parent| posts.contains(&parent)))
            .flat_map(|d| d.rows.iter().map(move |row| (d.id.as_str(), row.as_str())))
            .collect()
    }

    /// An empty manifest, fetched now with `api_version`.
    pub fn new(api_version: &str) -> Manifest {
        Manifest {
            fetched_at: Utc::now(),
            api_version: api_version.to_owned(),
            blog: None,
            pages: Vec::new(),
            databases: Vec::new(),
        }
    }
}
