//! What a build would change: Notion now, compared with the last build's snapshot, in as few
//! requests as the comparison allows. `serve`'s poll, `status` and `webhook` all ask here.
//!
//! - The blog: one query of its rows (the same filtered query the crawl makes, 100 rows per
//!   request, each row narrowed to its title with `filter_properties`). The whole list is
//!   asked for, not only the rows edited lately: a row that was trashed, moved out of the
//!   database or unpublished is simply no longer in it, and only the list shows that. A post
//!   gone from the list costs one `GET` to tell trashed from unpublished.
//! - Each database inside a page: its view's query, compared row by row and in order.
//! - Each standalone page and child page: one `GET`.
//!
//! Notion rounds `last_edited_time` down to the minute, so a page edited in the same minute
//! as the last fetch looks unchanged by its time alone; such a page counts as edited
//! (`PageTree::is_current_for`), and its change says so.

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;

use notion_bake::cache::Snapshot;
use notion_bake::notion::client::{NotionClient, NotionError, Resource};
use notion_bake::notion::crawl::{
    BlogManifest, BlogPlan, DatabaseManifest, Manifest, published_filter_from, query_rows,
};
use notion_bake::notion::ids::NotionId;
use notion_bake::notion::model::{Page, Parent};

/// Posts gone from the blog's list that are looked up one by one (trashed, moved or
/// unpublished); past this many, the rest are reported as removed without a request each.
const MAX_LOOKUPS: usize = 25;

/// What happened to a part of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// In Notion, not in the site yet.
    New,
    /// In both, edited in Notion since the last fetch.
    Edited,
    /// In the site, gone from Notion (trashed, deleted, unshared or moved away).
    Removed,
    /// A post whose published property is no longer set.
    Unpublished,
}

impl ChangeKind {
    fn name(self) -> &'static str {
        match self {
            ChangeKind::New => "new",
            ChangeKind::Edited => "edited",
            ChangeKind::Removed => "removed",
            ChangeKind::Unpublished => "unpublished",
        }
    }
}

/// One difference between Notion and the snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// `change` in `--json`.
    #[serde(rename = "change")]
    pub kind: ChangeKind,
    /// `post`, `page`, `row`, `database` or `site`.
    pub what: &'static str,
    /// The Notion id (empty for the whole site).
    pub id: String,
    /// The title, from Notion or else from the snapshot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Why, when the kind alone does not say (e.g. "trashed").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<11} {}", self.kind.name(), self.what)?;
        match (&self.title, self.id.is_empty()) {
            (Some(title), _) => write!(f, " {title:?} ({})", self.id)?,
            (None, false) => write!(f, " {}", self.id)?,
            (None, true) => {}
        }
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

/// How much to find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Stop at the first change (the poll only needs to know whether to rebuild).
    First,
    /// Every change (`status` lists them).
    All,
}

/// The differences between Notion and `snapshot`, for the site whose blog (as configured
/// now: its published property and drafts setting) is `blog` and whose `[[pages]]` are
/// `pages`.
pub async fn detect(
    client: &NotionClient,
    snapshot: &Snapshot,
    blog: Option<&BlogPlan>,
    pages: &[NotionId],
    scope: Scope,
) -> anyhow::Result<Vec<Change>> {
    let Some(manifest) = snapshot.load_manifest()? else {
        return Ok(vec![Change {
            kind: ChangeKind::New,
            what: "site",
            id: String::new(),
            title: None,
            detail: Some("there is no snapshot yet".to_owned()),
        }]);
    };
    let mut found = Detector {
        client,
        snapshot,
        scope,
        changes: Vec::new(),
    };
    found.config(&manifest, blog, pages);
    if let (Some(stored), Some(plan)) = (&manifest.blog, blog)
        && !found.done()
    {
        found.blog(stored, plan).await?;
    }
    for database in manifest.databases.iter().filter(|d| d.database.is_some()) {
        if found.done() {
            break;
        }
        found.database(database).await?;
    }
    // Rows of databases inside pages were compared above, from their database's query.
    for source in manifest.pages.iter().filter(|p| p.database.is_none()) {
        if found.done() {
            break;
        }
        found.page(&source.id).await?;
    }
    Ok(found.changes)
}

struct Detector<'a> {
    client: &'a NotionClient,
    snapshot: &'a Snapshot,
    scope: Scope,
    changes: Vec<Change>,
}

impl Detector<'_> {
    fn done(&self) -> bool {
        self.scope == Scope::First && !self.changes.is_empty()
    }

    fn push(&mut self, kind: ChangeKind, what: &'static str, id: &str, title: Option<String>) {
        self.push_with(kind, what, id, title, None);
    }

    fn push_with(
        &mut self,
        kind: ChangeKind,
        what: &'static str,
        id: &str,
        title: Option<String>,
        detail: Option<String>,
    ) {
        self.changes.push(Change {
            kind,
            what,
            id: id.to_owned(),
            title: title.filter(|t| !t.is_empty()),
            detail,
        });
    }

    /// The stored title of a page, if its tree is in the snapshot.
    fn stored_title(&self, id: &str) -> Option<String> {
        self.snapshot
            .load_tree(id)
            .ok()
            .flatten()
            .map(|tree| tree.page.title())
    }

    /// Differences the config alone shows, without a request: a `[[pages]]` entry or a blog
    /// added or taken away since the snapshot, or a drafts setting it was not fetched with.
    fn config(&mut self, manifest: &Manifest, blog: Option<&BlogPlan>, pages: &[NotionId]) {
        let stored: HashSet<&str> = manifest
            .pages
            .iter()
            .filter(|p| p.path.is_some())
            .map(|p| p.id.as_str())
            .collect();
        for page in pages.iter().filter(|p| !stored.contains(p.as_str())) {
            self.push_with(
                ChangeKind::New,
                "page",
                page.as_str(),
                None,
                Some("added to the config".to_owned()),
            );
        }
        let configured: HashSet<&str> = pages.iter().map(NotionId::as_str).collect();
        for source in manifest.pages.iter().filter(|p| p.path.is_some()) {
            if !configured.contains(source.id.as_str()) {
                let title = self.stored_title(&source.id);
                self.push_with(
                    ChangeKind::Removed,
                    "page",
                    &source.id,
                    title,
                    Some("no longer in the config".to_owned()),
                );
            }
        }
        match (&manifest.blog, blog) {
            (None, Some(plan)) => self.push_with(
                ChangeKind::New,
                "database",
                plan.database.as_str(),
                None,
                Some("the blog was added to the config".to_owned()),
            ),
            (Some(stored), None) => self.push_with(
                ChangeKind::Removed,
                "database",
                &stored.database_id,
                None,
                Some("the blog is no longer in the config".to_owned()),
            ),
            (Some(stored), Some(plan)) if !same_blog(stored, plan) => self.push_with(
                ChangeKind::New,
                "database",
                plan.database.as_str(),
                None,
                Some("the config names another blog database".to_owned()),
            ),
            (Some(stored), Some(plan)) if stored.includes_drafts != plan.include_drafts => self
                .push_with(
                    ChangeKind::Edited,
                    "site",
                    "",
                    None,
                    Some(if plan.include_drafts {
                        "the snapshot has no unpublished posts yet".to_owned()
                    } else {
                        "the snapshot has unpublished posts".to_owned()
                    }),
                ),
            _ => {}
        }
    }

    /// The blog's rows now against the snapshot's posts: added, gone or edited.
    async fn blog(&mut self, stored: &BlogManifest, plan: &BlogPlan) -> anyhow::Result<()> {
        if stored.includes_drafts != plan.include_drafts || !same_blog(stored, plan) {
            return Ok(()); // `config` said so; the whole blog is fetched again anyway.
        }
        let target = match &stored.data_source_id {
            Some(id) => Resource::DataSource(id.clone()),
            None => Resource::Database(stored.database_id.clone()),
        };
        let filter = published_filter_from(&stored.database, plan);
        // Only the title is read from each row (besides its id and times).
        let title: Vec<String> = stored
            .database
            .properties
            .values()
            .filter(|p| p.type_name == "title" && !p.id.is_empty())
            .map(|p| p.id.clone())
            .take(1)
            .collect();
        let rows = self
            .client
            .query_properties(&target, filter.as_ref(), None, &title)
            .await?;
        let listed: HashSet<&str> = rows.iter().map(|row| row.id.as_str()).collect();
        let gone: Vec<&String> = stored
            .posts
            .iter()
            .filter(|id| !listed.contains(id.as_str()))
            .collect();
        for (n, id) in gone.into_iter().enumerate() {
            if self.done() {
                return Ok(());
            }
            let title = self.stored_title(id);
            if n >= MAX_LOOKUPS {
                self.push_with(
                    ChangeKind::Removed,
                    "post",
                    id,
                    title,
                    Some("trashed, moved or unpublished (not looked up)".to_owned()),
                );
                continue;
            }
            let (kind, detail) = self.why_gone(id, stored).await?;
            self.push_with(kind, "post", id, title, detail);
        }
        let posts: HashSet<&str> = stored.posts.iter().map(String::as_str).collect();
        for row in &rows {
            if self.done() {
                return Ok(());
            }
            if !posts.contains(row.id.as_str()) {
                self.push(ChangeKind::New, "post", &row.id, Some(row.title()));
                continue;
            }
            self.compare_tree(row, "post")?;
        }
        Ok(())
    }

    /// Why a post left the blog's list: one `GET` of the page.
    async fn why_gone(
        &self,
        id: &str,
        stored: &BlogManifest,
    ) -> anyhow::Result<(ChangeKind, Option<String>)> {
        let page = match self.client.page(id).await {
            Ok(page) => page,
            Err(NotionError::NotFound(_)) => {
                return Ok((
                    ChangeKind::Removed,
                    Some("deleted, or no longer shared with the integration".to_owned()),
                ));
            }
            Err(other) => return Err(other.into()),
        };
        if page.in_trash {
            return Ok((ChangeKind::Removed, Some("trashed".to_owned())));
        }
        let in_blog = match &page.parent {
            Some(Parent::DatabaseId { database_id }) => same_id(database_id, &stored.database_id),
            Some(Parent::DataSourceId { data_source_id, .. }) => stored
                .data_source_id
                .as_deref()
                .is_some_and(|ours| same_id(data_source_id, ours)),
            _ => false,
        };
        Ok(if in_blog {
            (ChangeKind::Unpublished, None)
        } else {
            (
                ChangeKind::Removed,
                Some("moved out of the blog database".to_owned()),
            )
        })
    }

    /// A database inside a page: rows added, gone, reordered or edited.
    async fn database(&mut self, stored: &DatabaseManifest) -> anyhow::Result<()> {
        let rows = query_rows(self.client, stored).await?;
        let now: HashSet<&str> = rows.iter().map(|row| row.id.as_str()).collect();
        let before: HashSet<&str> = stored.rows.iter().map(String::as_str).collect();
        for id in stored.rows.iter().filter(|id| !now.contains(id.as_str())) {
            let title = self.stored_title(id);
            self.push(ChangeKind::Removed, "row", id, title);
        }
        for row in &rows {
            if self.done() {
                return Ok(());
            }
            if !before.contains(row.id.as_str()) {
                self.push(ChangeKind::New, "row", &row.id, Some(row.title()));
            } else {
                self.compare_tree(row, "row")?;
            }
        }
        let order_now: Vec<&str> = rows
            .iter()
            .map(|row| row.id.as_str())
            .filter(|id| before.contains(id))
            .collect();
        let order_before: Vec<&str> = stored
            .rows
            .iter()
            .map(String::as_str)
            .filter(|id| now.contains(id))
            .collect();
        if order_now != order_before && !self.done() {
            let title = stored
                .database
                .as_ref()
                .map(|d| notion_bake::notion::model::plain_text(&d.title));
            self.push_with(
                ChangeKind::Edited,
                "database",
                &stored.id,
                title,
                Some("its rows are in another order".to_owned()),
            );
        }
        Ok(())
    }

    /// A standalone page or child page: one `GET`.
    async fn page(&mut self, id: &str) -> anyhow::Result<()> {
        match self.client.page(id).await {
            Ok(page) if page.in_trash => {
                let title = self.stored_title(id).or(Some(page.title()));
                self.push_with(
                    ChangeKind::Removed,
                    "page",
                    id,
                    title,
                    Some("trashed".to_owned()),
                );
            }
            Ok(page) => self.compare_tree(&page, "page")?,
            Err(NotionError::NotFound(_)) => {
                let title = self.stored_title(id);
                self.push_with(
                    ChangeKind::Removed,
                    "page",
                    id,
                    title,
                    Some("deleted, or no longer shared with the integration".to_owned()),
                );
            }
            Err(other) => return Err(other.into()),
        }
        Ok(())
    }

    /// A page whose stored tree is not current for `page` as Notion sends it now is edited.
    fn compare_tree(&mut self, page: &Page, what: &'static str) -> anyhow::Result<()> {
        let Some(tree) = self.snapshot.load_tree(&page.id)? else {
            let detail = Some("not in the snapshot".to_owned());
            self.push_with(
                ChangeKind::Edited,
                what,
                &page.id,
                Some(page.title()),
                detail,
            );
            return Ok(());
        };
        if tree.is_current_for(page) {
            return Ok(());
        }
        let detail = (tree.page.last_edited_time == page.last_edited_time).then(|| {
            "last edited in the minute of the last fetch, so it may have changed since".to_owned()
        });
        let title = Some(page.title())
            .filter(|t| !t.is_empty())
            .or_else(|| Some(tree.page.title()));
        self.push_with(ChangeKind::Edited, what, &page.id, title, detail);
        Ok(())
    }
}

/// Whether the config's blog is the snapshot's (its id may be the database's or its data
/// source's).
fn same_blog(stored: &BlogManifest, plan: &BlogPlan) -> bool {
    let configured = plan.database.as_str();
    same_id(&stored.database_id, configured)
        || stored
            .data_source_id
            .as_deref()
            .is_some_and(|id| same_id(id, configured))
}

fn same_id(a: &str, b: &str) -> bool {
    match (NotionId::parse(a), NotionId::parse(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
