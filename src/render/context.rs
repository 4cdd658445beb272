//! What the renderer needs to know about the site: baked assets, where pages live, the page
//! being rendered, and where warnings go.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use super::code::{HighlightMemo, highlight};
use crate::assets::AssetMap;

/// The default `sizes` attribute of content images: the theme's text column is 44rem wide.
pub const DEFAULT_IMAGE_SIZES: &str = "(min-width: 46rem) 44rem, 100vw";

/// Everything a block needs to render: one per page.
pub struct RenderContext<'a> {
    /// Baked files, looked up by Notion URL.
    pub assets: &'a AssetMap,
    /// The site's path prefix: `""` for a site at the root of its host, `"/blog"` otherwise.
    pub base_path: &'a str,
    /// Pages and databases of the site, by Notion id.
    pub links: &'a LinkMap,
    /// The page being rendered (for breadcrumbs and warnings).
    pub page: PageInfo,
    /// The `sizes` attribute of content images.
    pub image_sizes: &'a str,
    /// Code highlighted by earlier builds; without it every code block is highlighted afresh.
    pub highlights: Option<&'a HighlightMemo>,
    warnings: RefCell<Vec<Warning>>,
    current_block: RefCell<String>,
}

impl<'a> RenderContext<'a> {
    /// A context for rendering `page`.
    pub fn new(
        assets: &'a AssetMap,
        base_path: &'a str,
        links: &'a LinkMap,
        page: PageInfo,
    ) -> Self {
        RenderContext {
            assets,
            base_path: base_path.trim_end_matches('/'),
            links,
            page,
            image_sizes: DEFAULT_IMAGE_SIZES,
            highlights: None,
            warnings: RefCell::new(Vec::new()),
            current_block: RefCell::new(String::new()),
        }
    }

    /// `code` highlighted as `language`, through the memo when there is one.
    pub fn highlight(&self, code: &str, language: &str) -> String {
        match self.highlights {
            Some(memo) => memo.highlight(code, language),
            None => highlight(code, language),
        }
    }

    /// Records a warning about the block being rendered (or the page, outside any block).
    pub fn warn(&self, message: impl Into<String>) {
        let block = self.current_block.borrow();
        self.warnings.borrow_mut().push(Warning {
            page_id: self.page.id.clone(),
            page_title: self.page.title.clone(),
            block_id: (!block.is_empty()).then(|| block.clone()),
            message: message.into(),
        });
    }

    /// The warnings recorded so far, leaving none behind.
    pub fn take_warnings(&self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings.borrow_mut())
    }

    /// A site-relative asset path (`assets/x.jpg`) as a URL path under the base path.
    pub fn asset_url(&self, path: &str) -> String {
        format!("{}/{}", self.base_path, path.trim_start_matches('/'))
    }

    pub(crate) fn set_block(&self, id: &str) -> String {
        let mut current = self.current_block.borrow_mut();
        std::mem::replace(&mut *current, id.to_owned())
    }

    pub(crate) fn restore_block(&self, previous: String) {
        *self.current_block.borrow_mut() = previous;
    }
}

/// The page being rendered.
#[derive(Debug, Clone, Default)]
pub struct PageInfo {
    /// The Notion page id (any form).
    pub id: String,
    /// The page title, as plain text.
    pub title: String,
    /// The page's URL in the site (with the base path).
    pub url: String,
    /// The pages above it, outermost first, for `breadcrumb` blocks.
    pub ancestors: Vec<LinkView>,
}

/// A problem worth telling the author about; the build summary lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub page_id: String,
    pub page_title: String,
    pub block_id: Option<String>,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "page \"{}\" ({})", self.page_title, self.page_id)?;
        if let Some(block) = &self.block_id {
            write!(f, ", block {block}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A titled link, as templates and breadcrumbs show it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LinkView {
    pub title: String,
    /// A URL path with the base path (`/blog/posts/hello/`).
    pub url: String,
}

/// A page of the site, as other pages link to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    /// The URL path, with the base path.
    pub url: String,
    pub title: String,
}

/// A database of the site (a `child_database` or `link_to_page` target).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatabaseLink {
    pub title: String,
    /// The database's own page in the site, if it has one (e.g. the blog index).
    pub url: Option<String>,
    /// Its pages that are part of the site, in display order. Empty when it is not a site source.
    pub pages: Vec<PageLink>,
}

/// Where Notion page and database ids live in the site.
#[derive(Debug, Clone, Default)]
pub struct LinkMap {
    pages: HashMap<String, PageLink>,
    databases: HashMap<String, DatabaseLink>,
    /// Titles of Notion pages outside the site that the site refers to (relation targets).
    outside_titles: HashMap<String, String>,
}

/// What a URL found in Notion content points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved<'m> {
    /// A page of this site.
    Page(&'m PageLink),
    /// A Notion page or database that is not part of the site (id undashed).
    PrivateNotion(String),
    /// Anything else: left exactly as written.
    External,
}

impl LinkMap {
    /// Records a page of the site under its Notion id (dashed or not, any case).
    pub fn insert_page(&mut self, id: &str, url: impl Into<String>, title: impl Into<String>) {
        if let Some(key) = normalize_id(id) {
            self.pages.insert(
                key,
                PageLink {
                    url: url.into(),
                    title: title.into(),
                },
            );
        }
    }

    /// Records a database (a `child_database` block's id is the database id).
    pub fn insert_database(&mut self, id: &str, database: DatabaseLink) {
        if let Some(key) = normalize_id(id) {
            self.databases.insert(key, database);
        }
    }

    /// Records the title of a Notion page that is not part of the site.
    pub fn insert_outside_title(&mut self, id: &str, title: impl Into<String>) {
        if let Some(key) = normalize_id(id) {
            self.outside_titles.insert(key, title.into());
        }
    }

    /// The title of a Notion page outside the site, when the site knows it.
    pub fn outside_title(&self, id: &str) -> Option<&str> {
        self.outside_titles
            .get(&normalize_id(id)?)
            .map(String::as_str)
    }

    /// The page with this id, in any form.
    pub fn page(&self, id: &str) -> Option<&PageLink> {
        self.pages.get(&normalize_id(id)?)
    }

    /// The database with this id, in any form.
    pub fn database(&self, id: &str) -> Option<&DatabaseLink> {
        self.databases.get(&normalize_id(id)?)
    }

    /// Resolves a URL from Notion content: a `notion.so` / `notion.site` / `app.notion.com` URL or
    /// a relative `/<id32>` link to a page of the site becomes that page; one to anything else in
    /// Notion is private; every other URL is external.
    pub fn resolve_url(&self, url: &str) -> Resolved<'_> {
        let Some(id) = notion_url_id(url) else {
            return Resolved::External;
        };
        if let Some(page) = self.pages.get(&id) {
            return Resolved::Page(page);
        }
        if let Some(url) = self.databases.get(&id).and_then(|d| d.url.as_ref()) {
            // Databases with a page of their own resolve like pages; keep their title.
            if let Some((_, page)) = self.pages.iter().find(|(_, p)| &p.url == url) {
                return Resolved::Page(page);
            }
        }
        Resolved::PrivateNotion(id)
    }
}

/// A Notion id in any form (`0123…`, `01234567-89ab-…`, any case) as 32 lowercase hex digits.
pub fn normalize_id(id: &str) -> Option<String> {
    let hex: String = id
        .chars()
        .filter(|c| *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then_some(hex)
}

/// The trailing 32-hex-digit id of a path segment such as `My-Page-0123…` or a dashed UUID.
fn trailing_id(segment: &str) -> Option<String> {
    let hex: String = segment.chars().filter(|c| *c != '-').collect();
    if hex.len() < 32 {
        return None;
    }
    normalize_id(&hex[hex.len() - 32..]).filter(|_| hex.is_char_boundary(hex.len() - 32))
}

/// The page id a Notion URL points at, if `url` is a Notion URL (or a relative `/<id32>` link).
pub fn notion_url_id(url: &str) -> Option<String> {
    let url = url.trim();
    if let Some(path) = url.strip_prefix('/').filter(|p| !p.starts_with('/')) {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        if path.contains('/') {
            return None;
        }
        return trailing_id(path);
    }
    let parsed = url::Url::parse(url).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    let host = parsed.host_str()?.to_ascii_lowercase();
    let is_notion = host == "notion.so"
        || host.ends_with(".notion.so")
        || host.ends_with(".notion.site")
        || host == "notion.com"
        || host.ends_with(".notion.com");
    if !is_notion {
        return None;
    }
    // A page opened as a peek over a database: `…/<db>?v=…&p=<page id>`.
    if let Some((_, p)) = parsed.query_pairs().find(|(k, _)| k == "p")
        && let Some(id) = normalize_id(&p)
    {
        return Some(id);
    }
    parsed
        .path_segments()?
        .rev()
        .find(|s| !s.is_empty())
        .and_then(trailing_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "c01166c613ae45cbb96818b4ef2f5a77";

    #[test]
    fn recognises_notion_urls_in_every_form() {
        for url in [
            "https://www.notion.so/c01166c613ae45cbb96818b4ef2f5a77",
            "https://www.notion.so/acme/My-Page-c01166c613ae45cbb96818b4ef2f5a77?pvs=4",
            "https://notion.so/C01166C613AE45CBB96818B4EF2F5A77#abc",
            "https://acme.notion.site/Title-c01166c613ae45cbb96818b4ef2f5a77",
            "https://app.notion.com/p/c01166c6-13ae-45cb-b968-18b4ef2f5a77",
            "https://www.notion.so/acme/0123456789abcdef0123456789abcdef?v=1&p=c01166c613ae45cbb96818b4ef2f5a77",
            "/c01166c613ae45cbb96818b4ef2f5a77",
            "/c01166c613ae45cbb96818b4ef2f5a77#block",
        ] {
            assert_eq!(notion_url_id(url).as_deref(), Some(ID), "{url}");
        }
        for url in [
            "https://example.org/c01166c613ae45cbb96818b4ef2f5a77",
            "/posts/hello/",
            "https://www.notion.so/",
            "#c01166c613ae45cbb96818b4ef2f5a77",
        ] {
            assert_eq!(notion_url_id(url), None, "{url}");
        }
    }

    #[test]
    fn resolves_pages_of_the_site_and_flags_private_ones() {
        let mut links = LinkMap::default();
        links.insert_page("c01166c6-13ae-45cb-b968-18b4ef2f5a77", "/blog/a/", "A");
        assert_eq!(
            links.resolve_url("https://www.notion.so/x-c01166c613ae45cbb96818b4ef2f5a77"),
            Resolved::Page(&PageLink {
                url: "/blog/a/".into(),
                title: "A".into()
            })
        );
        assert_eq!(
            links.resolve_url("https://www.notion.so/0123456789abcdef0123456789abcdef"),
            Resolved::PrivateNotion("0123456789abcdef0123456789abcdef".into())
        );
        assert_eq!(
            links.resolve_url("https://example.org/"),
            Resolved::External
        );
        assert!(links.page(&ID.to_uppercase()).is_some());
    }
}
