//! The in-memory site: posts, pages, slugs, URLs, tags and links, read from the snapshot.
//!
//! Everything after the crawl works on this model, so it is built from the cache alone and an
//! offline build sees exactly what an online one does.

mod databases;
mod links;
mod markdown;
mod post;
pub(crate) mod routes;
pub(crate) mod slug;

use std::collections::{BTreeMap, HashMap};

use anyhow::Context;
use chrono::{DateTime, Utc};
use rayon::prelude::*;

pub use databases::{SiteDatabase, SiteRow};
pub use links::{DatabaseLink, LinkMap, PageLink, Resolved};
pub use markdown::{Document, load_documents};
pub use post::{Post, short_id};
pub use slug::slugify;

use crate::assets::AssetMap;
use crate::cache::Snapshot;
use crate::config::SiteConfig;
use crate::notion::crawl::{DatabaseManifest, Manifest, PageTree};
use crate::notion::ids::NotionId;
use crate::notion::model::{self, Block, Database, Page, plain_text};

/// A standalone page (a `[[pages]]` entry) or one of its child pages.
#[derive(Debug, Clone)]
pub struct SitePage {
    /// The page object.
    pub page: Page,
    /// Its content.
    pub blocks: Vec<Block>,
    /// Its title, as shown.
    pub title: String,
    /// Site-relative path with a trailing slash, e.g. `about/team/`.
    pub path: String,
    /// The pages above it, outermost first.
    pub ancestors: Vec<PageLink>,
    /// For a row of a database inside a page: the database's id.
    pub database: Option<String>,
}

/// A tag and its posts (indices into `Site::posts`, newest first).
#[derive(Debug, Clone)]
pub struct Tag {
    /// The tag as written in Notion.
    pub name: String,
    /// Its URL segment.
    pub slug: String,
    /// Site-relative path of its list: `tags/<slug>/`.
    pub path: String,
    /// Its posts, as indices into `Site::posts`.
    pub posts: Vec<usize>,
}

/// The blog database as the site shows it.
#[derive(Debug, Clone)]
pub struct Blog {
    /// The database object (title, icon, cover, schema).
    pub database: Database,
    /// The blog's title: the database's, or the site's when the database has none.
    pub title: String,
    /// Site-relative folder of the posts, e.g. `posts`.
    pub path: String,
}

/// The whole site, resolved: what every renderer (the HTML site, each export target) reads.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// The blog, when the site has one.
    pub blog: Option<Blog>,
    /// Newest first.
    pub posts: Vec<Post>,
    /// Standalone pages, each followed by its child pages.
    pub pages: Vec<SitePage>,
    /// Every tag, by slug.
    pub tags: Vec<Tag>,
    /// Local Markdown pages from `content/`.
    pub documents: Vec<Document>,
    /// The databases inside pages, with their rows.
    pub databases: Vec<SiteDatabase>,
    /// Where every Notion page of the site lives, for resolving links.
    pub links: LinkMap,
    /// The baked files, by key; joined in by [`Site::join_assets`].
    pub assets: AssetMap,
    /// Things the author should know (slug clashes, …).
    pub warnings: Vec<String>,
}

/// What the site is made of, as fetched: the blog's rows and the standalone pages with their
/// child pages, each with its block tree. Read from the snapshot, or handed over by the crawl.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The blog, when the site has one.
    pub blog: Option<BlogSource>,
    /// Standalone pages, each followed by its child pages (recursively) and the rows of the
    /// databases on it.
    pub pages: Vec<PageSource>,
    /// The databases inside those pages and inside posts.
    pub databases: Vec<DatabaseManifest>,
    /// The rows of the databases inside posts (`parent` is the post, `database` set): shown in
    /// their database, not pages of the site.
    pub rows_on_posts: Vec<PageSource>,
}

/// The blog database and its rows.
#[derive(Debug, Clone)]
pub struct BlogSource {
    /// The database object with its data source's schema.
    pub database: Database,
    /// The data source queried (2025-09-03 and later).
    pub data_source_id: Option<String>,
    /// Whether unpublished rows were fetched too.
    pub includes_drafts: bool,
    /// The rows in query order, with their blocks.
    pub rows: Vec<(Page, Vec<Block>)>,
    /// Titles of the pages outside the site that the rows' relations point at, by id.
    pub related_titles: std::collections::BTreeMap<String, String>,
}

/// A standalone page (`path` set) or a child page of one (`parent` set).
#[derive(Debug, Clone)]
pub struct PageSource {
    /// The page object.
    pub page: Page,
    /// Its content.
    pub blocks: Vec<Block>,
    /// The configured path of a `[[pages]]` entry.
    pub path: Option<String>,
    /// The id of the page it is a child page of (or a row of a database on).
    pub parent: Option<String>,
    /// For a row of a database inside a page: the database's id.
    pub database: Option<String>,
}

impl Sources {
    /// Reads every page the manifest lists from the snapshot (an offline build's sources).
    pub(crate) fn load(snapshot: &Snapshot, manifest: &Manifest) -> anyhow::Result<Sources> {
        // Reading and parsing the stored trees is most of an offline build's model work: one
        // page per core.
        let trees = listed_pages(manifest)
            .collect::<Vec<_>>()
            .par_iter()
            .map(|id| {
                let tree = snapshot.load_tree(id)?.with_context(|| {
                    format!(
                        "the snapshot has no content for page {id}; fetch again (set NOTION_TOKEN and build)"
                    )
                })?;
                Ok(((*id).to_owned(), tree))
            })
            .collect::<anyhow::Result<HashMap<_, _>>>()?;
        Sources::from_trees(manifest, trees)
    }

    /// The sources of the pages the manifest lists, taken from `trees` (a crawl's, handed
    /// over in memory, or the snapshot's).
    pub(crate) fn from_trees(
        manifest: &Manifest,
        mut trees: HashMap<String, PageTree>,
    ) -> anyhow::Result<Sources> {
        // A page listed twice (a row that is also a `[[pages]]` entry) is used twice.
        let mut uses: HashMap<&str, usize> = HashMap::new();
        for id in listed_pages(manifest) {
            *uses.entry(id).or_default() += 1;
        }
        let mut take = |id: &str| -> anyhow::Result<(Page, Vec<Block>)> {
            let left = uses.get_mut(id).map(|n| {
                *n -= 1;
                *n
            });
            let tree = match left {
                Some(0) => trees.remove(id),
                _ => trees.get(id).cloned(),
            };
            let tree = tree.with_context(|| {
                format!(
                    "the crawl found no content for page {id}, which the site lists; build again, \
                     and report it if it persists"
                )
            })?;
            Ok((tree.page, tree.blocks))
        };
        let blog = match &manifest.blog {
            Some(blog) => Some(BlogSource {
                database: blog.database.clone(),
                data_source_id: blog.data_source_id.clone(),
                includes_drafts: blog.includes_drafts,
                rows: blog
                    .posts
                    .iter()
                    .map(|id| take(id))
                    .collect::<anyhow::Result<_>>()?,
                related_titles: blog.related_titles.clone(),
            }),
            None => None,
        };
        let pages = manifest
            .pages
            .iter()
            .map(|source| {
                let (page, blocks) = take(&source.id)?;
                Ok(PageSource {
                    page,
                    blocks,
                    path: source.path.clone(),
                    parent: source.parent.clone(),
                    database: source.database.clone(),
                })
            })
            .collect::<anyhow::Result<_>>()?;
        let rows_on_posts = manifest
            .rows_on_posts()
            .into_iter()
            .map(|(database, id)| {
                let (page, blocks) = take(id)?;
                Ok(PageSource {
                    page,
                    blocks,
                    path: None,
                    parent: None,
                    database: Some(database.to_owned()),
                })
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Sources {
            blog,
            pages,
            databases: manifest.databases.clone(),
            rows_on_posts,
        })
    }
}

/// The ids of every page a manifest lists: the blog's rows, then the standalone pages.
fn listed_pages(manifest: &Manifest) -> impl Iterator<Item = &str> {
    let rows = manifest.blog.iter().flat_map(|b| b.posts.iter());
    let rows_on_posts = manifest.rows_on_posts().into_iter().map(|(_, row)| row);
    rows.chain(manifest.pages.iter().map(|p| &p.id))
        .map(String::as_str)
        .chain(rows_on_posts)
}

impl Site {
    /// Reads the site from the snapshot; unpublished posts are left out unless `drafts`.
    pub fn load(
        config: &SiteConfig,
        snapshot: &Snapshot,
        manifest: &Manifest,
        drafts: bool,
    ) -> anyhow::Result<Site> {
        Site::assemble(config, Sources::load(snapshot, manifest)?, drafts)
    }

    /// The site of `sources`: posts sorted and given their slugs and routes, tags, pages at
    /// their paths, the Markdown pages of `content/`, and where every page lives.
    pub fn assemble(config: &SiteConfig, sources: Sources, drafts: bool) -> anyhow::Result<Site> {
        let mut site = Site::default();
        let mut data_source_id = None;
        let mut related_titles = Default::default();
        if let (Some(blog_config), Some(blog)) = (&config.blog, sources.blog) {
            if drafts && !blog.includes_drafts {
                site.warnings.push(
                    "--drafts: the snapshot was fetched without unpublished posts; fetch again with --drafts to include them"
                        .to_owned(),
                );
            }
            site.posts.extend(
                blog.rows
                    .into_iter()
                    .enumerate()
                    .map(|(position, (page, blocks))| Post {
                        position,
                        ..Post::from_page(page, blocks, &blog_config.properties)
                    })
                    .filter(|post| post.published || drafts),
            );
            let title = Some(plain_text(&blog.database.title))
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| config.title.clone());
            site.blog = Some(Blog {
                database: blog.database,
                title,
                path: blog_config.path.clone(),
            });
            data_source_id = blog.data_source_id;
            related_titles = blog.related_titles;
        }
        // Newest first; ties broken by title then id so builds are deterministic.
        site.posts.sort_by(|a, b| {
            b.date
                .cmp(&a.date)
                .then_with(|| a.title.cmp(&b.title))
                .then_with(|| a.page.id.cmp(&b.page.id))
        });
        site.warnings.extend(disambiguate_slugs(&mut site.posts));
        let blog_path = site
            .blog
            .as_ref()
            .map(|b| b.path.clone())
            .unwrap_or_default();
        for post in &mut site.posts {
            post.path = routes::post(&blog_path, &post.slug);
        }
        site.tags = collect_tags(&site.posts);
        let database_slugs = database_slugs(&sources.databases);
        site.pages = place_pages(sources.pages, &database_slugs)?;
        site.databases = place_databases(
            config,
            &mut site.pages,
            &sources.rows_on_posts,
            sources.databases,
        );
        site.documents = load_documents(&config.site_dir.join("content"))?;

        for post in &site.posts {
            site.links
                .insert_page(&post.page.id, &post.path, &post.title);
            site.links.insert_blocks(&post.page.id, &post.blocks);
        }
        for page in &site.pages {
            site.links
                .insert_page(&page.page.id, &page.path, &page.title);
            site.links.insert_blocks(&page.page.id, &page.blocks);
        }
        for database in &site.databases {
            let pages = database
                .rows
                .iter()
                .filter_map(|row| {
                    Some(PageLink {
                        path: row.path.clone()?,
                        title: row.title.clone(),
                    })
                })
                .collect();
            let link = DatabaseLink {
                title: database.title.clone(),
                path: None,
                pages,
            };
            site.links.insert_database(&database.id, link);
        }
        for (id, title) in &related_titles {
            if !title.is_empty() {
                site.links.insert_outside_title(id, title);
            }
        }
        if let Some(blog) = &site.blog {
            let pages = site
                .posts
                .iter()
                .map(|p| PageLink {
                    path: p.path.clone(),
                    title: p.title.clone(),
                })
                .collect();
            let link = DatabaseLink {
                title: blog.title.clone(),
                path: Some(routes::INDEX.to_owned()),
                pages,
            };
            site.links.insert_database(&blog.database.id, link.clone());
            if let Some(source) = &data_source_id {
                site.links.insert_database(source, link);
            }
        }
        Ok(site)
    }

    /// Joins the baked files into the model: from here on, a Notion-hosted file is known by
    /// its key alone, and no signed URL is left anywhere in the site.
    pub fn join_assets(&mut self, assets: AssetMap) {
        let mut drop =
            |_: model::FilePlace<'_>, file: &mut model::FileSource| file.drop_signed_url();
        if let Some(blog) = &mut self.blog {
            model::database_files_mut(&mut blog.database, &mut drop);
        }
        for post in &mut self.posts {
            model::page_files_mut(&mut post.page, &mut post.blocks, &mut drop);
        }
        for page in &mut self.pages {
            model::page_files_mut(&mut page.page, &mut page.blocks, &mut drop);
        }
        for database in &mut self.databases {
            database.drop_signed_urls();
        }
        self.assets = assets;
    }

    /// The database inside a page with this id, in any form.
    pub fn database(&self, id: &str) -> Option<&SiteDatabase> {
        let id = NotionId::parse(id).ok()?;
        self.databases
            .iter()
            .find(|d| NotionId::parse(&d.id).ok().as_ref() == Some(&id))
    }
}

/// The URL segment of each database inside a page, by id: its title's slug, or its short id.
fn database_slugs(databases: &[DatabaseManifest]) -> HashMap<String, String> {
    databases
        .iter()
        .map(|d| {
            let title = d
                .database
                .as_ref()
                .map(|d| plain_text(&d.title))
                .unwrap_or_default();
            let slug = Some(slugify(&title))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| short_id(&d.id));
            (d.id.clone(), slug)
        })
        .collect()
}

/// The databases inside pages with their rows; rows without content leave the list of pages
/// (they have no page of their own: their database shows them).
fn place_databases(
    config: &SiteConfig,
    pages: &mut Vec<SitePage>,
    rows_on_posts: &[PageSource],
    databases: Vec<DatabaseManifest>,
) -> Vec<SiteDatabase> {
    fn row_of(page: &SitePage) -> (&Page, &[Block], Option<String>) {
        let path = (!page.blocks.is_empty()).then(|| page.path.clone());
        (&page.page, page.blocks.as_slice(), path)
    }
    // The rows of a post's databases have no page of their own.
    let on_posts = rows_on_posts
        .iter()
        .map(|row| (&row.page, row.blocks.as_slice(), None));
    let rows: HashMap<NotionId, _> = pages
        .iter()
        .filter(|page| page.database.is_some())
        .map(row_of)
        .chain(on_posts)
        .filter_map(|row| Some((NotionId::parse(&row.0.id).ok()?, row)))
        .collect();
    let mode_of = |parent: &str| {
        let parent = NotionId::parse(parent).ok();
        let page = pages
            .iter()
            .find(|p| NotionId::parse(&p.page.id).ok() == parent)?;
        let root = page.ancestors.first().map_or(&page.path, |a| &a.path);
        config
            .pages
            .iter()
            .find(|p| &routes::configured_page(&p.path) == root)
            .map(|p| p.databases)
    };
    let site_databases = databases
        .into_iter()
        .map(|manifest| {
            let mode = mode_of(&manifest.parent).unwrap_or_default();
            SiteDatabase::new(manifest, &rows, mode)
        })
        .collect();
    pages.retain(|page| page.database.is_none() || !page.blocks.is_empty());
    site_databases
}

/// Standalone pages at their configured paths, child pages beneath their parents, rows of a
/// database inside a page beneath that page, in the database's folder.
fn place_pages(
    sources: Vec<PageSource>,
    database_slugs: &HashMap<String, String>,
) -> anyhow::Result<Vec<SitePage>> {
    let mut pages: Vec<SitePage> = Vec::new();
    // Keyed by the parsed id: the manifest and the page objects may spell ids differently.
    let mut index_of: HashMap<Option<NotionId>, usize> = HashMap::new();
    for source in sources {
        let PageSource {
            page,
            blocks,
            path,
            parent,
            database,
        } = source;
        let title = page.title();
        let (path, ancestors) =
            match (&path, &parent) {
                (Some(path), _) => (routes::configured_page(path), Vec::new()),
                (None, Some(parent)) => {
                    let parent =
                        &pages[*index_of.get(&NotionId::parse(parent).ok()).with_context(
                            || format!("child page {} comes before its parent {parent}", page.id),
                        )?];
                    let mut slug = slugify(&title);
                    if slug.is_empty() {
                        slug = short_id(&page.id);
                    }
                    // A row lives in its database's folder beneath the page.
                    let folder = match database.as_ref().and_then(|d| database_slugs.get(d)) {
                        Some(database_slug) => routes::child_page(&parent.path, database_slug),
                        None => parent.path.clone(),
                    };
                    let siblings = pages.iter().filter(|p| p.path.starts_with(&folder)).count();
                    let mut path = routes::child_page(&folder, &slug);
                    if pages.iter().any(|p| p.path == path) {
                        path = routes::child_page(&folder, &format!("{slug}-{}", siblings + 1));
                    }
                    let mut ancestors = parent.ancestors.clone();
                    ancestors.push(PageLink {
                        title: parent.title.clone(),
                        path: parent.path.clone(),
                    });
                    (path, ancestors)
                }
                (None, None) => anyhow::bail!(
                    "page {} has neither a path nor a parent in the snapshot",
                    page.id
                ),
            };
        index_of.insert(NotionId::parse(&page.id).ok(), pages.len());
        pages.push(SitePage {
            page,
            blocks,
            title,
            path,
            ancestors,
            database,
        });
    }
    Ok(pages)
}

/// Two posts with one slug: the older keeps it, the newer get `-2`, `-3`, … with a warning.
/// Deterministic, and an old post's URL never changes when a new post takes its title.
fn disambiguate_slugs(posts: &mut [Post]) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut order: Vec<usize> = (0..posts.len()).collect();
    order.sort_by(|&a, &b| {
        posts[a]
            .date
            .cmp(&posts[b].date)
            .then_with(|| posts[a].page.id.cmp(&posts[b].page.id))
    });
    let mut taken: HashMap<String, usize> = HashMap::new();
    for index in order {
        let slug = posts[index].slug.clone();
        match taken.get(&slug).copied() {
            None => {
                taken.insert(slug, index);
            }
            Some(owner) => {
                let mut n = 2;
                while taken.contains_key(&format!("{slug}-{n}")) {
                    n += 1;
                }
                let new_slug = format!("{slug}-{n}");
                warnings.push(format!(
                    "posts {:?} ({}) and {:?} ({}) share the slug {slug:?}; the newer one is published as {new_slug:?}. Give it a Slug of its own to choose",
                    posts[owner].title, posts[owner].page.id, posts[index].title, posts[index].page.id
                ));
                taken.insert(new_slug.clone(), index);
                posts[index].slug = new_slug;
            }
        }
    }
    warnings
}

fn collect_tags(posts: &[Post]) -> Vec<Tag> {
    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    for (index, post) in posts.iter().enumerate() {
        for name in &post.tags {
            let slug = slugify(name);
            let slug = if slug.is_empty() {
                "tag".to_owned()
            } else {
                slug
            };
            let tag = tags.entry(slug.clone()).or_insert_with(|| Tag {
                name: name.clone(),
                path: routes::tag(&slug),
                slug,
                posts: Vec::new(),
            });
            if !tag.posts.contains(&index) {
                tag.posts.push(index);
            }
        }
    }
    tags.into_values().collect()
}

/// The latest change anywhere in the site, for feeds.
pub(crate) fn latest_update(site: &Site) -> Option<DateTime<Utc>> {
    site.posts
        .iter()
        .filter_map(|p| p.updated.or(Some(p.date)))
        .max()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::config::PropertyNames;

    fn post(id: &str, title: &str, date: &str) -> Post {
        let page = Page::from_value(&json!({
            "object": "page", "id": id,
            "properties": {
                "Name": {"type": "title", "title": [{"type": "text", "text": {"content": title}, "plain_text": title}]},
                "Date": {"type": "date", "date": {"start": date}},
                "Tags": {"type": "multi_select", "multi_select": [{"name": "Rust"}]}
            }
        }));
        Post::from_page(page, Vec::new(), &PropertyNames::default())
    }

    #[test]
    fn the_older_post_keeps_a_shared_slug() {
        let mut posts = vec![
            post("b", "Hello", "2026-02-01"),
            post("a", "Hello", "2026-01-01"),
        ];
        let warnings = disambiguate_slugs(&mut posts);
        assert_eq!(posts[0].slug, "hello-2");
        assert_eq!(posts[1].slug, "hello");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("\"hello-2\""), "{}", warnings[0]);
    }

    #[test]
    fn tags_list_their_posts() {
        let posts = vec![post("b", "B", "2026-02-01"), post("a", "A", "2026-01-01")];
        let tags = collect_tags(&posts);
        assert_eq!(tags.len(), 1);
        assert_eq!(tags[0].slug, "rust");
        assert_eq!(tags[0].posts, [0, 1]);
    }
}
