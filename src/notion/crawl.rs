//! The crawl: blog database → its rows → each row's block tree; standalone pages → their block
//! trees → their child pages, recursively. Trees whose page is unchanged come from the snapshot.
//!
//! Every request goes through the client's pacer, and page jobs run concurrently, so while
//! there is work the pacer is never idle.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use anyhow::{Context, bail};
use chrono::Utc;
use futures_util::future::{BoxFuture, try_join_all};
use futures_util::stream::{FuturesUnordered, StreamExt};
use serde_json::{Value, json};

use super::client::{NotionClient, NotionError, Resource};
use super::ids::NotionId;
use super::model::{Block, DataSource, Database, Page, PropertySchema};
use super::pacer::with_priority;
use crate::cache::{BlogManifest, Manifest, PageTree, Snapshot, SourceManifest};

/// What to fetch.
#[derive(Debug, Clone, Default)]
pub struct CrawlPlan {
    pub blog: Option<BlogPlan>,
    /// `[[pages]]` entries: page id and site path.
    pub pages: Vec<(NotionId, String)>,
    /// Ignore stored trees (`--full`).
    pub full: bool,
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

/// What the crawl tells later stages as the data arrives, so that file downloads and code
/// highlighting start with the first answer instead of waiting for a page's whole tree.
/// Every part of a page reaches the observer once: a fetched page in pieces
/// ([`page_fetched`](Self::page_fetched), then [`blocks_arrived`](Self::blocks_arrived) for
/// each list of blocks), a page whose stored tree is current at once
/// ([`tree_reused`](Self::tree_reused)).
pub trait CrawlObserver: Sync {
    /// `page` is about to be fetched: its cover, icon and properties are known.
    fn page_fetched(&self, _page: &Page) {}
    /// One list of `page`'s blocks as Notion sent it; the blocks' children come in calls of
    /// their own.
    fn blocks_arrived(&self, _page: &Page, _blocks: &[Block]) {}
    /// A page whose stored tree was still current, so nothing of it was fetched.
    fn tree_reused(&self, _page: &Page, _blocks: &[Block]) {}
    /// A page's tree is complete and stored (fetched or reused).
    fn tree_done(&self, _tree: &PageTree) {}
}

/// An observer that wants to know nothing.
impl CrawlObserver for () {}

/// Fetches what `plan` names, storing every page tree and finally the manifest in `snapshot`.
pub async fn crawl(
    client: &NotionClient,
    snapshot: &Snapshot,
    plan: &CrawlPlan,
) -> anyhow::Result<(Manifest, CrawlReport)> {
    crawl_observed(client, snapshot, plan, &()).await
}

/// [`crawl`], telling `observer` about each part of a page as it arrives.
pub async fn crawl_observed(
    client: &NotionClient,
    snapshot: &Snapshot,
    plan: &CrawlPlan,
    observer: &dyn CrawlObserver,
) -> anyhow::Result<(Manifest, CrawlReport)> {
    let previous = snapshot.load_manifest()?;
    let mut manifest = Manifest::new(client.version());
    let crawler = Crawler {
        client,
        snapshot,
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
        let (mut blog_manifest, rows) = query_blog(client, blog, previous_blog).await?;
        let known_titles = previous
            .as_ref()
            .and_then(|m| m.blog.as_ref())
            .filter(|_| !plan.full)
            .map(|b| &b.related_titles);
        // The titles of pages outside the site that posts relate to, fetched beside the trees.
        let wanted = related_ids(&rows);
        let known_titles = known_titles.cloned().unwrap_or_default();
        blog_manifest.related_titles.clear();
        jobs.push(Box::pin(async move {
            Ok(Done::RelatedTitles(
                related_titles(client, wanted, known_titles).await,
            ))
        }));
        for row in rows {
            started += 1;
            jobs.push(page_job(crawler, Known::Page(row), started));
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
    let blog_rows: HashSet<String> = manifest
        .blog
        .iter()
        .flat_map(|b| b.posts.iter().cloned())
        .collect();
    while let Some(done) = jobs.next().await {
        let crawled = match done? {
            Done::Page(crawled) => crawled,
            Done::RelatedTitles(titles) => {
                if let Some(blog) = &mut manifest.blog {
                    blog.related_titles = titles;
                }
                continue;
            }
        };
        if crawled.trashed {
            trashed.insert(crawled.id);
            continue;
        }
        if crawled.fetched {
            report.fetched += 1;
        } else {
            report.reused += 1;
        }
        if let Some(tree) = &crawled.tree {
            observer.tree_done(tree);
        }
        // Child pages of blog posts are not part of the site; those of standalone pages are.
        if !blog_rows.contains(&crawled.id) {
            for child in &crawled.child_pages {
                if seen.insert(child.clone()) {
                    started += 1;
                    jobs.push(page_job(crawler, Known::Child(child.clone()), started));
                }
            }
            child_pages.insert(crawled.id.clone(), crawled.child_pages);
        }
    }

    for (id, path) in &plan.pages {
        let id = &id.to_string();
        manifest.pages.push(SourceManifest {
            id: id.clone(),
            path: Some(path.clone()),
            parent: None,
        });
        let skip: HashSet<&String> = configured.iter().chain(&trashed).collect();
        push_children(&mut manifest.pages, id, &child_pages, &skip);
    }
    manifest.fetched_at = Utc::now();
    snapshot.save_manifest(&manifest)?;
    Ok((manifest, report))
}

/// Appends the child pages of `parent`, depth first, in the order they appear on the page,
/// leaving out those in `skip` (configured pages, listed on their own, and trashed pages).
fn push_children(
    out: &mut Vec<SourceManifest>,
    parent: &str,
    children: &HashMap<String, Vec<String>>,
    skip: &HashSet<&String>,
) {
    for child in children.get(parent).into_iter().flatten() {
        if skip.contains(child) || out.iter().any(|s| &s.id == child) {
            continue;
        }
        out.push(SourceManifest {
            id: child.clone(),
            path: None,
            parent: Some(parent.to_owned()),
        });
        push_children(out, child, children, skip);
    }
}

/// What a crawl job finished.
enum Done {
    Page(Crawled),
    RelatedTitles(BTreeMap<String, String>),
}

/// The crawl of one page, whose requests go at `priority` (the order the page was started
/// in: see [`super::pacer`]).
fn page_job<'a>(
    crawler: Crawler<'a>,
    known: Known,
    priority: u64,
) -> BoxFuture<'a, anyhow::Result<Done>> {
    Box::pin(with_priority(priority, async move {
        crawl_page(crawler, known).await.map(Done::Page)
    }))
}

/// The ids of the pages the rows' relation properties point at, other than the rows.
fn related_ids(rows: &[Value]) -> BTreeSet<String> {
    let rows_ids: HashSet<&str> = rows
        .iter()
        .filter_map(|r| r.get("id").and_then(Value::as_str))
        .collect();
    let mut ids = BTreeSet::new();
    for row in rows {
        let Some(properties) = row.get("properties").and_then(Value::as_object) else {
            continue;
        };
        for property in properties.values() {
            let relations = property.get("relation").and_then(Value::as_array);
            for id in relations.into_iter().flatten().filter_map(|r| r.get("id")) {
                if let Some(id) = id.as_str().filter(|id| !rows_ids.contains(id))
                    && let Ok(id) = NotionId::parse(id)
                {
                    ids.insert(id.to_string());
                }
            }
        }
    }
    ids
}

/// The titles of `ids`: from the last crawl where it knew them, from Notion otherwise. A page
/// the integration cannot read gets an empty title (a relation then shows nothing for it).
async fn related_titles(
    client: &NotionClient,
    ids: BTreeSet<String>,
    known: BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let lookups = ids.into_iter().map(|id| {
        let known = known.get(&id).cloned();
        async move {
            let title = match known {
                Some(title) => title,
                None => match client.page(&id).await {
                    Ok(page) if !is_trashed(&page) => title_of(&page),
                    Ok(_) => String::new(),
                    Err(error) => {
                        tracing::debug!("the related page {id} has no title here: {error}");
                        String::new()
                    }
                },
            };
            (id, title)
        }
    });
    futures_util::future::join_all(lookups)
        .await
        .into_iter()
        .collect()
}

/// A page to crawl: a query row (the page object is already known), a `[[pages]]` entry or a
/// child page of one.
enum Known {
    Page(Value),
    Configured(String),
    Child(String),
}

struct Crawled {
    id: String,
    fetched: bool,
    /// A child page found in the trash: neither fetched nor part of the site.
    trashed: bool,
    child_pages: Vec<String>,
    /// The page's tree (none for a trashed page).
    tree: Option<PageTree>,
}

/// What every page job shares.
#[derive(Clone, Copy)]
struct Crawler<'a> {
    client: &'a NotionClient,
    snapshot: &'a Snapshot,
    /// Ignore stored trees.
    full: bool,
    observer: &'a dyn CrawlObserver,
}

async fn crawl_page(crawler: Crawler<'_>, known: Known) -> anyhow::Result<Crawled> {
    let Crawler {
        client,
        snapshot,
        full,
        observer,
    } = crawler;
    let configured = matches!(known, Known::Configured(_));
    let page = match known {
        Known::Page(page) => page,
        Known::Configured(id) | Known::Child(id) => without_request_id(client.page(&id).await?),
    };
    let id = page
        .get("id")
        .and_then(Value::as_str)
        .context("Notion sent a page without an id")?
        .to_owned();
    // Trashing a child page changes that page, not its parent, so a stored parent tree may
    // still name it; Notion still serves the page, marked as trashed.
    let typed = Page::from_value(&page);
    if typed.in_trash {
        if configured {
            bail!(
                "the page {:?} ({id}) of [[pages]] is in Notion's trash: restore it in Notion, \
                 or remove its entry from notion-bake.toml",
                typed.title()
            );
        }
        return Ok(Crawled {
            id,
            fetched: false,
            trashed: true,
            child_pages: Vec::new(),
            tree: None,
        });
    }
    let stored = if full { None } else { snapshot.load_tree(&id)? };
    let (tree, fetched) = match stored {
        Some(tree) if tree.is_current_for(&page) => {
            let blocks: Vec<Block> = tree.blocks.iter().map(Block::from_value).collect();
            observer.tree_reused(&typed, &blocks);
            (tree, false)
        }
        _ => {
            let fetched_at = Utc::now();
            observer.page_fetched(&typed);
            let arrived = |blocks: &[Value]| {
                let blocks: Vec<Block> = blocks.iter().map(Block::from_value).collect();
                observer.blocks_arrived(&typed, &blocks);
            };
            let blocks = fetch_tree(client, &id, &arrived).await.with_context(|| {
                format!(
                    "while fetching the content of page {:?} ({id})",
                    typed.title()
                )
            })?;
            let tree = PageTree {
                fetched_at,
                page,
                blocks,
            };
            snapshot.save_tree(&id, &tree)?;
            (tree, true)
        }
    };
    let mut child_pages = Vec::new();
    collect_child_pages(&tree.blocks, &mut child_pages);
    Ok(Crawled {
        id,
        fetched,
        trashed: false,
        child_pages,
        tree: Some(tree),
    })
}

/// The children of `id`, each with its own children under `children`, to any depth. Each list
/// goes to `arrived` as Notion answers it, before its children are asked for.
fn fetch_tree<'a>(
    client: &'a NotionClient,
    id: &'a str,
    arrived: &'a (dyn Fn(&[Value]) + Sync),
) -> BoxFuture<'a, Result<Vec<Value>, NotionError>> {
    Box::pin(async move {
        let mut blocks = client.block_children(id).await?;
        arrived(&blocks);
        let nested = blocks
            .iter()
            .enumerate()
            .filter(|(_, block)| has_own_children(block))
            .filter_map(|(index, block)| Some((index, block.get("id")?.as_str()?.to_owned())))
            .map(|(index, child_id)| async move {
                let children = fetch_tree(client, &child_id, arrived).await?;
                Ok::<_, NotionError>((index, children))
            });
        for (index, children) in try_join_all(nested).await? {
            blocks[index]["children"] = Value::Array(children);
        }
        Ok(blocks)
    })
}

/// Whether a block's children belong to this page's tree. A child page's or child database's
/// content is a page (or database) of its own; a synced copy's children endpoint returns the
/// original's content, which is exactly what the copy shows.
fn has_own_children(block: &Value) -> bool {
    let has_children = block
        .get("has_children")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let kind = block
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    has_children && !matches!(kind, "child_page" | "child_database")
}

/// Whether a page or block is in the trash (`in_trash`, or `archived` before 2025-09-03).
fn is_trashed(object: &Value) -> bool {
    let flag = |key| object.get(key).and_then(Value::as_bool).unwrap_or(false);
    flag("in_trash") || flag("archived")
}

fn collect_child_pages(blocks: &[Value], out: &mut Vec<String>) {
    for block in blocks {
        let kind = block.get("type").and_then(Value::as_str);
        if kind == Some("child_page")
            && !is_trashed(block)
            && let Some(id) = block.get("id").and_then(Value::as_str)
        {
            out.push(id.to_owned());
        }
        if let Some(children) = block.get("children").and_then(Value::as_array) {
            collect_child_pages(children, out);
        }
    }
}

/// An object as stored: without the `request_id` Notion adds to every response, so a snapshot
/// (which a site may commit) only changes when the content does.
fn without_request_id(mut object: Value) -> Value {
    if let Some(map) = object.as_object_mut() {
        map.remove("request_id");
    }
    object
}

fn title_of(page: &Value) -> String {
    super::model::Page::from_value(page).title()
}

/// Queries the blog's rows, discovering its data source and schema when the previous
/// snapshot's discovery cannot be reused.
async fn query_blog(
    client: &NotionClient,
    blog: &BlogPlan,
    previous: Option<&BlogManifest>,
) -> anyhow::Result<(BlogManifest, Vec<Value>)> {
    if let Some(previous) = previous.filter(|p| reusable(p, blog, client)) {
        let target = query_target(previous);
        let filter = published_filter_from(&previous.database, blog);
        match client.query(&target, filter.as_ref(), None).await {
            Ok(rows) => return Ok((with_rows(previous.clone(), &rows, blog), rows)),
            // The schema or sharing may have changed since: discover again.
            Err(NotionError::NotFound(_) | NotionError::Rejected { .. }) => {}
            Err(other) => return Err(other.into()),
        }
    }
    let discovered = discover(client, blog.database.as_str()).await?;
    let target = query_target(&discovered);
    let filter = published_filter_from(&discovered.database, blog);
    let rows = client
        .query(&target, filter.as_ref(), None)
        .await
        .with_context(|| format!("while querying the blog database {}", blog.database))?;
    Ok((with_rows(discovered, &rows, blog), rows))
}

fn reusable(previous: &BlogManifest, blog: &BlogPlan, client: &NotionClient) -> bool {
    let same_database = previous.database_id == blog.database.as_str()
        || previous.data_source_id.as_deref() == Some(blog.database.as_str());
    same_database && previous.data_source_id.is_some() == client.uses_data_sources()
}

fn query_target(blog: &BlogManifest) -> Resource {
    match &blog.data_source_id {
        Some(id) => Resource::DataSource(id.clone()),
        None => Resource::Database(blog.database_id.clone()),
    }
}

fn with_rows(mut blog_manifest: BlogManifest, rows: &[Value], blog: &BlogPlan) -> BlogManifest {
    blog_manifest.posts = rows
        .iter()
        .filter(|row| row.get("object").and_then(Value::as_str) == Some("page"))
        .filter_map(|row| row.get("id").and_then(Value::as_str).map(str::to_owned))
        .collect();
    blog_manifest.includes_drafts = blog.include_drafts;
    blog_manifest
}

/// Finds the database (and, from 2025-09-03, its data source) with its schema. The configured
/// id may also be a data source id.
async fn discover(client: &NotionClient, id: &str) -> anyhow::Result<BlogManifest> {
    let database = match client.database(id).await {
        Ok(database) => without_request_id(database),
        Err(NotionError::NotFound(_)) if client.uses_data_sources() => {
            let source = client
                .data_source(id)
                .await
                .map(without_request_id)
                .map_err(|_| NotionError::NotFound(Resource::Database(id.to_owned())))?;
            let database_id = match DataSource::from_value(&source).parent {
                Some(super::model::Parent::DatabaseId { database_id }) => database_id,
                _ => id.to_owned(),
            };
            return Ok(BlogManifest {
                database_id,
                data_source_id: Some(id.to_owned()),
                database: source,
                posts: Vec::new(),
                includes_drafts: false,
                related_titles: Default::default(),
            });
        }
        Err(other) => return Err(other.into()),
    };
    if !client.uses_data_sources() {
        return Ok(BlogManifest {
            database_id: id.to_owned(),
            data_source_id: None,
            database,
            posts: Vec::new(),
            includes_drafts: false,
            related_titles: Default::default(),
        });
    }
    let parsed = Database::from_value(&database);
    let source_ref = parsed.data_sources.first().with_context(|| {
        format!("the database {id} has no data source the integration can read")
    })?;
    if parsed.data_sources.len() > 1 {
        tracing::warn!(
            "the blog database {id} has {} data sources; using the first, {:?}",
            parsed.data_sources.len(),
            source_ref.name
        );
    }
    let source = client.data_source(&source_ref.id).await?;
    // Keep the database's title and icon, with the data source's schema.
    let mut combined = database.clone();
    combined["properties"] = source
        .get("properties")
        .cloned()
        .unwrap_or_else(|| json!({}));
    Ok(BlogManifest {
        database_id: id.to_owned(),
        data_source_id: Some(source_ref.id.clone()),
        database: combined,
        posts: Vec::new(),
        includes_drafts: false,
        related_titles: Default::default(),
    })
}

/// A server-side filter for published rows, when the schema's property allows one.
pub fn published_filter_from(database: &Value, blog: &BlogPlan) -> Option<Value> {
    if blog.include_drafts {
        return None;
    }
    let schema = Database::from_value(database).properties;
    let property: &PropertySchema = schema.get(&blog.published_property)?;
    let name = &property.name;
    match property.type_name.as_str() {
        "checkbox" => Some(json!({"property": name, "checkbox": {"equals": true}})),
        "status" => Some(json!({"property": name, "status": {"equals": "Published"}})),
        "select" => Some(json!({"property": name, "select": {"equals": "Published"}})),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(include_drafts: bool) -> BlogPlan {
        BlogPlan {
            database: NotionId::parse("0f3c6a1e8a1b4d2e9f001234567890ab").unwrap(),
            published_property: "Published".into(),
            include_drafts,
        }
    }

    #[test]
    fn published_rows_are_filtered_on_the_server_by_property_type() {
        let checkbox =
            json!({"properties": {"Published": {"id": "a", "type": "checkbox", "checkbox": {}}}});
        assert_eq!(
            published_filter_from(&checkbox, &plan(false)),
            Some(json!({"property": "Published", "checkbox": {"equals": true}}))
        );
        let status =
            json!({"properties": {"Published": {"id": "a", "type": "status", "status": {}}}});
        assert_eq!(
            published_filter_from(&status, &plan(false)).unwrap()["status"]["equals"],
            "Published"
        );
        assert_eq!(published_filter_from(&checkbox, &plan(true)), None);
        let text =
            json!({"properties": {"Published": {"id": "a", "type": "rich_text", "rich_text": {}}}});
        assert_eq!(published_filter_from(&text, &plan(false)), None);
    }

    #[test]
    fn child_page_and_database_content_is_not_part_of_the_tree() {
        let child_page = json!({"type": "child_page", "has_children": true});
        let toggle = json!({"type": "toggle", "has_children": true});
        let leaf = json!({"type": "paragraph", "has_children": false});
        assert!(!has_own_children(&child_page));
        assert!(has_own_children(&toggle));
        assert!(!has_own_children(&leaf));
    }

    #[test]
    fn child_pages_are_found_at_any_depth_in_page_order() {
        let blocks = vec![
            json!({"type": "child_page", "id": "a"}),
            json!({"type": "toggle", "id": "t", "children": [
                {"type": "child_page", "id": "b"},
                {"type": "child_page", "id": "gone", "in_trash": true}
            ]}),
        ];
        let mut found = Vec::new();
        collect_child_pages(&blocks, &mut found);
        assert_eq!(found, ["a", "b"]);
    }
}
