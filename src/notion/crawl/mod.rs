//! The crawl: blog database → its rows → each row's block tree; standalone pages → their block
//! trees → their child pages, recursively. Trees whose page is unchanged are taken from the
//! last crawl's, which a [`TreeStore`] keeps (the cache's snapshot, in a build).
//!
//! Every request goes through the client's pacer, and page jobs run concurrently, so while
//! there is work the pacer is never idle.

mod blog;
mod database;
mod manifest;
mod tree;

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::{Context, bail};
use chrono::Utc;
use futures_util::future::BoxFuture;
use futures_util::stream::{FuturesUnordered, StreamExt};

pub use blog::published_filter_from;
pub use database::query_rows;
pub use manifest::{BlogManifest, DatabaseManifest, Manifest, SourceManifest};
pub use tree::PageTree;

use super::client::NotionClient;
use super::ids::NotionId;
use super::model::{Block, Page};
use super::pacer::with_priority;

/// What to fetch.
#[derive(Debug, Clone, Default)]
pub struct CrawlPlan {
    /// The blog database, when the site has one.
    pub blog: Option<BlogPlan>,
    /// `[[pages]]` entries: page id and site path.
    pub pages: Vec<(NotionId, String)>,
    /// Ignore stored trees (`--full`).
    pub full: bool,
    /// How the databases inside pages are crawled.
    pub databases: DatabasesPlan,
}

/// The databases inside pages: which pages leave theirs out, which view each one shows.
#[derive(Debug, Clone, Default)]
pub struct DatabasesPlan {
    /// `[[pages]]` entries (by id) whose databases, and those of their child pages, are
    /// neither fetched nor shown.
    pub skipped_on: HashSet<NotionId>,
    /// The view to show (its id or name), by database id.
    pub views: HashMap<NotionId, String>,
}

/// The blog database and how to tell published rows.
#[derive(Debug, Clone)]
pub struct BlogPlan {
    /// A database id, or a data source id (2025-09-03 and later).
    pub database: NotionId,
    /// Name of the checkbox (or status/select equal to "Published") property.
    pub published_property: String,
    /// Fetch unpublished rows too.
    pub include_drafts: bool,
}

/// What the crawl did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrawlReport {
    /// Pages whose block tree was fetched from Notion.
    pub fetched: usize,
    /// Pages whose stored tree was still current.
    pub reused: usize,
}

/// What a crawl found: the site's sources. Their trees went to the [`TreeStore`] (and to the
/// observer) one by one as each was complete; the crawl keeps none of them, so a `pull` of a
/// large site never holds it all in memory (holding 1,000 trees of 200 blocks cost an unpaced
/// fetch a quarter more CPU, `benches/site.rs`).
#[derive(Debug)]
#[non_exhaustive]
pub struct Crawl {
    /// The blog's rows and the standalone pages, in site order.
    pub manifest: Manifest,
    /// How many trees were fetched and how many reused.
    pub report: CrawlReport,
}

/// Where the crawl finds what the last crawl left, and keeps each tree the moment it is
/// complete, so a crawl killed half-way keeps its finished pages.
pub trait TreeStore: Sync {
    /// The manifest of the last crawl, if any.
    fn last_manifest(&self) -> anyhow::Result<Option<Manifest>>;
    /// The last crawl's tree of a page, if any.
    fn stored_tree(&self, page_id: &str) -> anyhow::Result<Option<PageTree>>;
    /// Keeps a tree this crawl has completed.
    fn store_tree(&self, tree: &PageTree) -> anyhow::Result<()>;
    /// Keeps the manifest of this crawl, once every tree is complete.
    fn store_manifest(&self, manifest: &Manifest) -> anyhow::Result<()>;
}

/// What the crawl tells later stages as the data arrives, so that file downloads and code
/// highlighting start with the first answer instead of waiting for a page's whole tree.
/// Every part of a page reaches the observer once: a fetched page in pieces
/// ([`page_fetched`](Self::page_fetched), then [`blocks_arrived`](Self::blocks_arrived) for
/// each list of blocks), a page whose stored tree is current at once
/// ([`tree_reused`](Self::tree_reused)).
pub(crate) trait CrawlObserver: Sync {
    /// `page` is about to be fetched: its cover, icon and properties are known.
    fn page_fetched(&self, _page: &Page) {}
    /// One list of `page`'s blocks as Notion sent it; the blocks' children come in calls of
    /// their own.
    fn blocks_arrived(&self, _page: &Page, _blocks: &[Block]) {}
    /// A page whose stored tree was still current, so nothing of it was fetched.
    fn tree_reused(&self, _tree: &PageTree) {}
    /// A page's tree is complete and stored (fetched or reused); the observer may keep it.
    fn tree_done(&self, _tree: PageTree) {}
}

/// An observer that wants to know nothing.
impl CrawlObserver for () {}

/// Fetches what `plan` names, keeping every page tree and finally the manifest in `store`.
pub async fn crawl(
    client: &NotionClient,
    store: &dyn TreeStore,
    plan: &CrawlPlan,
) -> anyhow::Result<Crawl> {
    crawl_observed(client, store, plan, &()).await
}

/// [`crawl`], telling `observer` about each part of a page as it arrives.
pub(crate) async fn crawl_observed(
    client: &NotionClient,
    store: &dyn TreeStore,
    plan: &CrawlPlan,
    observer: &dyn CrawlObserver,
) -> anyhow::Result<Crawl> {
    let previous = store.last_manifest()?;
    let mut manifest = Manifest::new(client.version());
    let crawler = Crawler {
        client,
        store,
        full: plan.full,
        observer,
    };
    let mut jobs = FuturesUnordered::<BoxFuture<'_, anyhow::Result<Done>>>::new();
    // Pages started so far: each page's requests go at the priority of its start.
    let mut started: u64 = 0;

    if let Some(blog) = &plan.blog {
        // `--full` also discovers the database again: a warm crawl reuses the stored database
        // object (title, icon, schema) and only notices a change when the query fails.
        let previous_blog = previous
            .as_ref()
            .and_then(|m| m.blog.as_ref())
            .filter(|_| !plan.full);
        let (mut blog_manifest, rows) = blog::query_blog(client, blog, previous_blog).await?;
        // The titles of pages outside the site that posts relate to, fetched beside the trees.
        let wanted = blog::related_ids(&rows);
        let known_titles = previous_blog
            .map(|b| b.related_titles.clone())
            .unwrap_or_default();
        blog_manifest.related_titles.clear();
        jobs.push(Box::pin(async move {
            Ok(Done::RelatedTitles(
                blog::related_titles(client, wanted, known_titles).await,
            ))
        }));
        for row in rows {
            started += 1;
            jobs.push(page_job(crawler, Known::Row(Box::new(row)), started));
        }
        manifest.blog = Some(blog_manifest);
    }
    for (id, _) in &plan.pages {
        started += 1;
        jobs.push(page_job(
            crawler,
            Known::Configured(id.to_string()),
            started,
        ));
    }

    let mut report = CrawlReport::default();
    let mut child_pages: HashMap<String, Vec<String>> = HashMap::new();
    // A configured page that is also a child page of another is crawled (and listed) once,
    // as the configured page.
    let configured: HashSet<String> = plan.pages.iter().map(|(id, _)| id.to_string()).collect();
    let mut seen = configured.clone();
    // Child pages in the trash: a stored parent tree may still list them.
    let mut trashed: HashSet<String> = HashSet::new();
    // Databases inside pages: the ones started, and the rows of each, by the page they are on.
    let mut databases_seen: HashSet<NotionId> = HashSet::new();
    let mut rows_on: HashMap<String, Vec<(String, Vec<String>)>> = HashMap::new();
    // Pages whose databases are left out: the configured ones that say so, and beneath them.
    let mut without_databases: HashSet<String> = plan
        .pages
        .iter()
        .filter(|(id, _)| plan.databases.skipped_on.contains(id))
        .map(|(id, _)| id.to_string())
        .collect();
    let previous_databases: HashMap<NotionId, &DatabaseManifest> = previous
        .iter()
        .filter(|_| !plan.full)
        .flat_map(|m| &m.databases)
        .filter_map(|d| Some((NotionId::parse(&d.id).ok()?, d)))
        .collect();
    let blog_databases: HashSet<NotionId> = plan
        .blog
        .iter()
        .map(|b| b.database.clone())
        .chain(manifest.blog.iter().flat_map(|b| {
            [Some(&b.database_id), b.data_source_id.as_ref()]
                .into_iter()
                .flatten()
                .filter_map(|id| NotionId::parse(id).ok())
        }))
        .collect();
    let blog_rows: HashSet<String> = manifest
        .blog
        .iter()
        .flat_map(|b| b.posts.iter().map(|id| key(id)))
        .collect();
    // Rows of the databases inside posts: shown in their database, not pages of the site.
    let mut post_rows: HashSet<String> = HashSet::new();
    while let Some(done) = jobs.next().await {
        let (tree, fetched) = match done? {
            Done::Tree { tree, fetched } => (tree, fetched),
            Done::Trashed(id) => {
                trashed.insert(id);
                continue;
            }
            Done::RelatedTitles(titles) => {
                if let Some(blog) = &mut manifest.blog {
                    blog.related_titles = titles;
                }
                continue;
            }
            Done::Database(found) => {
                let database::Found {
                    manifest: found,
                    rows,
                } = *found;
                let mut ids = Vec::new();
                let on_post = blog_rows.contains(&key(&found.parent));
                for row in rows {
                    if on_post {
                        post_rows.insert(key(&row.id));
                    }
                    if seen.insert(key(&row.id)) {
                        ids.push(row.id.clone());
                        started += 1;
                        jobs.push(page_job(crawler, Known::Row(Box::new(row)), started));
                    }
                }
                rows_on
                    .entry(key(&found.parent))
                    .or_default()
                    .push((found.id.clone(), ids));
                manifest.databases.push(found);
                continue;
            }
        };
        if fetched {
            report.fetched += 1;
        } else {
            report.reused += 1;
        }
        let id = &tree.page.id;
        // Child pages of blog posts are not part of the site; those of standalone pages are.
        // The databases inside either are; the rows of a post's databases are shown there,
        // and nothing beneath them is part of the site.
        let post = blog_rows.contains(&key(id));
        if !post_rows.contains(&key(id)) {
            let skip_databases = without_databases.contains(&key(id));
            if !post {
                let children = tree.child_pages();
                for child in &children {
                    if skip_databases {
                        without_databases.insert(key(child));
                    }
                    if seen.insert(key(child)) {
                        started += 1;
                        jobs.push(page_job(crawler, Known::Child(child.clone()), started));
                    }
                }
                child_pages.insert(key(id), children);
            }
            for database in tree.databases().into_iter().filter(|_| !skip_databases) {
                let Ok(database_id) = NotionId::parse(&database) else {
                    continue;
                };
                // The blog is shown by the blog index, not inside a page.
                if blog_databases.contains(&database_id)
                    || !databases_seen.insert(database_id.clone())
                {
                    continue;
                }
                started += 1;
                let previous = previous_databases.get(&database_id).map(|d| (*d).clone());
                let view = plan.databases.views.get(&database_id).cloned();
                let parent = id.clone();
                jobs.push(Box::pin(with_priority(started, async move {
                    let found = database::crawl_database(
                        client,
                        &database,
                        &parent,
                        previous.as_ref(),
                        view.as_deref(),
                    )
                    .await?;
                    Ok(Done::Database(Box::new(found)))
                })));
            }
        }
        observer.tree_done(*tree);
    }

    for (id, path) in &plan.pages {
        let id = &id.to_string();
        manifest.pages.push(SourceManifest {
            id: id.clone(),
            path: Some(path.clone()),
            parent: None,
            database: None,
        });
        let skip: HashSet<String> = configured
            .iter()
            .chain(&trashed)
            .map(|id| key(id))
            .collect();
        let found = Found {
            child_pages: &child_pages,
            rows_on: &rows_on,
            skip: &skip,
        };
        push_children(&mut manifest.pages, id, &found);
    }
    manifest.fetched_at = Utc::now();
    store.store_manifest(&manifest)?;
    Ok(Crawl { manifest, report })
}

/// The pages found beneath others, by the (normalised) id of the page they are on.
struct Found<'a> {
    child_pages: &'a HashMap<String, Vec<String>>,
    /// The rows of each database on a page: (database id, row ids).
    rows_on: &'a HashMap<String, Vec<(String, Vec<String>)>>,
    /// Configured pages (listed on their own) and trashed pages.
    skip: &'a HashSet<String>,
}

/// Appends the child pages of `parent`, depth first, in the order they appear on the page,
/// then the rows of the databases on it, each followed by what is beneath it.
fn push_children(out: &mut Vec<SourceManifest>, parent: &str, found: &Found<'_>) {
    let listed = |out: &Vec<SourceManifest>, id: &str| out.iter().any(|s| key(&s.id) == key(id));
    for child in found.child_pages.get(&key(parent)).into_iter().flatten() {
        if found.skip.contains(&key(child)) || listed(out, child) {
            continue;
        }
        out.push(SourceManifest {
            id: child.clone(),
            path: None,
            parent: Some(parent.to_owned()),
            database: None,
        });
        push_children(out, child, found);
    }
    for (database, rows) in found.rows_on.get(&key(parent)).into_iter().flatten() {
        for row in rows {
            if found.skip.contains(&key(row)) || listed(out, row) {
                continue;
            }
            out.push(SourceManifest {
                id: row.clone(),
                path: None,
                parent: Some(parent.to_owned()),
                database: Some(database.clone()),
            });
            push_children(out, row, found);
        }
    }
}

/// A page id in one spelling, whichever Notion used.
fn key(id: &str) -> String {
    NotionId::parse(id).map_or_else(|_| id.to_owned(), |id| id.to_string())
}

/// What a crawl job finished.
enum Done {
    /// A page's tree, fetched or reused.
    Tree {
        tree: Box<PageTree>,
        fetched: bool,
    },
    /// A child page found in the trash: neither fetched nor part of the site.
    Trashed(String),
    RelatedTitles(BTreeMap<String, String>),
    /// A database inside a page, with the rows its view shows.
    Database(Box<database::Found>),
}

/// The crawl of one page, whose requests go at `priority` (the order the page was started
/// in: see [`super::pacer`]).
fn page_job<'a>(
    crawler: Crawler<'a>,
    known: Known,
    priority: u64,
) -> BoxFuture<'a, anyhow::Result<Done>> {
    Box::pin(with_priority(priority, crawl_page(crawler, known)))
}

/// A page to crawl: a query row (the page object is already known), a `[[pages]]` entry or a
/// child page of one.
enum Known {
    Row(Box<Page>),
    Configured(String),
    Child(String),
}

/// What every page job shares.
#[derive(Clone, Copy)]
struct Crawler<'a> {
    client: &'a NotionClient,
    store: &'a dyn TreeStore,
    /// Ignore stored trees.
    full: bool,
    observer: &'a dyn CrawlObserver,
}

async fn crawl_page(crawler: Crawler<'_>, known: Known) -> anyhow::Result<Done> {
    let Crawler {
        client,
        store,
        full,
        observer,
    } = crawler;
    let configured = matches!(known, Known::Configured(_));
    let page = match known {
        Known::Row(page) => *page,
        Known::Configured(id) | Known::Child(id) => client.page(&id).await?,
    };
    if page.id.is_empty() {
        bail!("Notion sent a page without an id");
    }
    let id = page.id.clone();
    // Trashing a child page changes that page, not its parent, so a stored parent tree may
    // still name it; Notion still serves the page, marked as trashed.
    if page.in_trash {
        if configured {
            bail!(
                "the page {:?} ({id}) of [[pages]] is in Notion's trash: restore it in Notion, \
                 or remove its entry from notion-bake.toml",
                page.title()
            );
        }
        return Ok(Done::Trashed(id));
    }
    let stored = if full { None } else { store.stored_tree(&id)? };
    if let Some(tree) = stored.filter(|tree| tree.is_current_for(&page)) {
        observer.tree_reused(&tree);
        return Ok(Done::Tree {
            tree: Box::new(tree),
            fetched: false,
        });
    }
    let fetched_at = Utc::now();
    observer.page_fetched(&page);
    let arrived = |blocks: &[Block]| observer.blocks_arrived(&page, blocks);
    let blocks = tree::fetch_tree(client, &id, &arrived)
        .await
        .with_context(|| {
            format!(
                "while fetching the content of page {:?} ({id})",
                page.title()
            )
        })?;
    let tree = PageTree {
        fetched_at,
        page,
        blocks,
    };
    store.store_tree(&tree)?;
    Ok(Done::Tree {
        tree: Box::new(tree),
        fetched: true,
    })
}
