//! The in-memory site: posts, pages, slugs, URLs, tags and links, read from the snapshot.
//!
//! Everything after the crawl works on this model, so it is built from the cache alone and an
//! offline build sees exactly what an online one does.

mod markdown;
mod post;
mod slug;

use std::collections::{BTreeMap, HashMap};

use anyhow::Context;
use chrono::{DateTime, Utc};
use rayon::prelude::*;

pub use markdown::{Document, load_documents};
pub use post::{Post, short_id};
pub use slug::slugify;

use crate::cache::{Manifest, Snapshot};
use crate::config::SiteConfig;
use crate::notion::model::{Block, Database, Page, plain_text};
use crate::render::{DatabaseLink, LinkMap, LinkView, PageLink};

/// A standalone page (a `[[pages]]` entry) or one of its child pages.
#[derive(Debug, Clone)]
pub struct SitePage {
    pub page: Page,
    pub blocks: Vec<Block>,
    pub title: String,
    /// Site-relative path with a trailing slash, e.g. `about/team/`.
    pub path: String,
    /// The pages above it, outermost first.
    pub ancestors: Vec<LinkView>,
}

/// A tag and its posts (indices into `Site::posts`, newest first).
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub posts: Vec<usize>,
}

/// The blog database as the site shows it.
#[derive(Debug, Clone)]
pub struct Blog {
    pub database: Database,
    pub title: String,
    /// Site-relative folder of the posts, e.g. `posts`.
    pub path: String,
}

#[derive(Debug, Clone, Default)]
pub struct Site {
    pub blog: Option<Blog>,
    /// Newest first.
    pub posts: Vec<Post>,
    pub pages: Vec<SitePage>,
    pub tags: Vec<Tag>,
    /// Local Markdown pages from `content/`.
    pub documents: Vec<Document>,
    /// Where every Notion page of the site lives, for resolving links.
    pub links: LinkMap,
    /// Things the author should know (slug clashes, …).
    pub warnings: Vec<String>,
}

impl Site {
    /// Reads the site from the snapshot; unpublished posts are left out unless `drafts`.
    pub fn load(
        config: &SiteConfig,
        snapshot: &Snapshot,
        manifest: &Manifest,
        drafts: bool,
    ) -> anyhow::Result<Site> {
        let mut site = Site::default();
        let base = config.base_path();
        if let (Some(blog_config), Some(blog)) = (&config.blog, &manifest.blog) {
            if drafts && !blog.includes_drafts {
                site.warnings.push(
                    "--drafts: the snapshot was fetched without unpublished posts; fetch again with --drafts to include them"
                        .to_owned(),
                );
            }
            // Reading and parsing the stored trees is most of an offline build's model work:
            // one page per core.
            let posts = blog
                .posts
                .par_iter()
                .map(|id| {
                    let (page, blocks) = load_page(snapshot, id)?;
                    Ok(Post::from_page(page, blocks, &blog_config.properties))
                })
                .collect::<anyhow::Result<Vec<Post>>>()?;
            site.posts
                .extend(posts.into_iter().filter(|post| post.published || drafts));
            let database = Database::from_value(&blog.database);
            let title = Some(plain_text(&database.title))
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| config.title.clone());
            site.blog = Some(Blog {
                database,
                title,
                path: blog_config.path.clone(),
            });
        }
        // Newest first; ties broken by title then id so builds are deterministic.
        site.posts.sort_by(|a, b| {
            b.date
                .cmp(&a.date)
                .then_with(|| a.title.cmp(&b.title))
                .then_with(|| a.page.id.cmp(&b.page.id))
        });
        site.warnings.extend(disambiguate_slugs(&mut site.posts));
        site.tags = collect_tags(&site.posts);
        site.pages = load_pages(snapshot, manifest)?;
        site.documents = load_documents(&config.site_dir.join("content"))?;

        let blog_path = site
            .blog
            .as_ref()
            .map(|b| b.path.clone())
            .unwrap_or_default();
        for post in &site.posts {
            site.links.insert_page(
                &post.page.id,
                format!("{base}/{}", post_path(&blog_path, &post.slug)),
                &post.title,
            );
        }
        for page in &site.pages {
            site.links
                .insert_page(&page.page.id, format!("{base}/{}", page.path), &page.title);
        }
        if let Some(blog) = &site.blog {
            let pages = site
                .posts
                .iter()
                .map(|p| PageLink {
                    url: format!("{base}/{}", post_path(&blog_path, &p.slug)),
                    title: p.title.clone(),
                })
                .collect();
            let link = DatabaseLink {
                title: blog.title.clone(),
                url: Some(format!("{base}/")),
                pages,
            };
            site.links.insert_database(&blog.database.id, link.clone());
            for (id, title) in manifest.blog.iter().flat_map(|b| &b.related_titles) {
                if !title.is_empty() {
                    site.links.insert_outside_title(id, title);
                }
            }
            if let Some(source) = manifest
                .blog
                .as_ref()
                .and_then(|b| b.data_source_id.as_deref())
            {
                site.links.insert_database(source, link);
            }
        }
        Ok(site)
    }

    /// The site-relative path of a post.
    pub fn post_path(&self, post: &Post) -> String {
        post_path(
            self.blog.as_ref().map_or("", |b| b.path.as_str()),
            &post.slug,
        )
    }
}

fn post_path(blog_path: &str, slug: &str) -> String {
    if blog_path.is_empty() {
        format!("{slug}/")
    } else {
        format!("{blog_path}/{slug}/")
    }
}

fn load_page(snapshot: &Snapshot, id: &str) -> anyhow::Result<(Page, Vec<Block>)> {
    snapshot.load_page(id)?.with_context(|| {
        format!(
            "the snapshot has no content for page {id}; fetch again (set NOTION_TOKEN and build)"
        )
    })
}

/// Standalone pages at their configured paths, child pages beneath their parents.
fn load_pages(snapshot: &Snapshot, manifest: &Manifest) -> anyhow::Result<Vec<SitePage>> {
    let mut pages: Vec<SitePage> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    for source in &manifest.pages {
        let (page, blocks) = load_page(snapshot, &source.id)?;
        let title = page.title();
        let (path, ancestors) = match (&source.path, &source.parent) {
            (Some(path), _) => (format!("{}/", path.trim_matches('/')), Vec::new()),
            (None, Some(parent)) => {
                let parent = &pages[*index_of.get(parent).with_context(|| {
                    format!("child page {} comes before its parent {parent}", source.id)
                })?];
                let mut slug = slugify(&title);
                if slug.is_empty() {
                    slug = short_id(&source.id);
                }
                let siblings = pages
                    .iter()
                    .filter(|p| p.path.starts_with(&parent.path))
                    .count();
                let mut path = format!("{}{slug}/", parent.path);
                if pages.iter().any(|p| p.path == path) {
                    path = format!("{}{slug}-{}/", parent.path, siblings + 1);
                }
                let mut ancestors = parent.ancestors.clone();
                ancestors.push(LinkView {
                    title: parent.title.clone(),
                    url: parent.path.clone(),
                });
                (path, ancestors)
            }
            (None, None) => anyhow::bail!(
                "page {} has neither a path nor a parent in the snapshot",
                source.id
            ),
        };
        index_of.insert(source.id.clone(), pages.len());
        pages.push(SitePage {
            page,
            blocks,
            title,
            path,
            ancestors,
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
pub fn latest_update(site: &Site) -> Option<DateTime<Utc>> {
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
