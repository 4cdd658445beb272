//! What the renderer needs to know about the site: baked assets, where pages live, the page
//! being rendered, and where warnings go.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use super::code::{HighlightMemo, highlight};
use super::database::DatabaseHtml;
use super::view::LinkView;
use crate::assets::{Asset, AssetMap};
use crate::notion::ids::NotionId;
use crate::notion::model::FileKey;
use crate::site::{LinkMap, PageLink};

/// The default `sizes` attribute of content images: the theme's text column is 44rem wide.
pub(crate) const DEFAULT_IMAGE_SIZES: &str = "(min-width: 46rem) 44rem, 100vw";

/// How a renderer spells the URLs of the site's pages and baked files, both given as
/// site-relative paths (`posts/hello/`, `assets/photo-1a2b3c4d5e6f-960.webp`).
pub trait Urls: Sync {
    /// The URL of a page of the site.
    fn page(&self, path: &str) -> String;
    /// The URL of a baked file (an original or a variant).
    fn asset(&self, path: &str) -> String;
}

/// The URLs of the HTML site: every path under the base path (`""` or `/blog`), or under the
/// absolute base URL (for the feed).
#[derive(Debug, Clone, Copy)]
pub struct UnderBase<'a>(pub &'a str);

impl Urls for UnderBase<'_> {
    fn page(&self, path: &str) -> String {
        format!("{}/{path}", self.0.trim_end_matches('/'))
    }

    fn asset(&self, path: &str) -> String {
        self.page(path)
    }
}

/// Everything a block needs to render: one per page.
pub struct RenderContext<'a> {
    /// Baked files, by key.
    assets: &'a AssetMap,
    /// How page and file URLs are spelt.
    pub(crate) urls: &'a dyn Urls,
    /// Pages and databases of the site, by Notion id.
    pub(crate) links: &'a LinkMap,
    /// The page being rendered (for breadcrumbs and warnings).
    pub(crate) page: PageInfo,
    /// The `sizes` attribute of content images.
    pub(crate) image_sizes: &'a str,
    /// Code highlighted by earlier builds; without it every code block is highlighted afresh.
    pub(crate) highlights: Option<&'a HighlightMemo>,
    /// Shows the databases inside pages in their Notion layout; without it a database is its
    /// title and the links to its rows' pages.
    pub(crate) databases: Option<&'a dyn DatabaseHtml>,
    /// Whether blocks get `id` anchors (the HTML site); exports leave them out, so exported
    /// Markdown is not cluttered with HTML.
    pub(crate) block_anchors: bool,
    /// The anchors given out on this page: a block shown twice (through a synced block) gets
    /// one, on its first element, so ids stay unique.
    anchors: RefCell<HashSet<String>>,
    warnings: RefCell<Vec<Warning>>,
    current_block: RefCell<String>,
}

impl<'a> RenderContext<'a> {
    /// A context for rendering `page`.
    pub fn new(
        assets: &'a AssetMap,
        urls: &'a dyn Urls,
        links: &'a LinkMap,
        page: PageInfo,
    ) -> Self {
        RenderContext {
            assets,
            urls,
            links,
            page,
            image_sizes: DEFAULT_IMAGE_SIZES,
            highlights: None,
            databases: None,
            block_anchors: true,
            anchors: RefCell::default(),
            warnings: RefCell::new(Vec::new()),
            current_block: RefCell::new(String::new()),
        }
    }

    /// `code` highlighted as `language`, through the memo when there is one.
    pub(crate) fn highlight(&self, code: &str, language: &str) -> String {
        match self.highlights {
            Some(memo) => memo.highlight(code, language),
            None => highlight(code, language),
        }
    }

    /// Records a warning about the block being rendered (or the page, outside any block).
    pub(crate) fn warn(&self, message: impl Into<String>) {
        let block = self.current_block.borrow();
        self.warnings.borrow_mut().push(Warning {
            page_id: self.page.id.clone(),
            page_title: self.page.title.clone(),
            block_id: (!block.is_empty()).then(|| block.clone()),
            message: message.into(),
        });
    }

    /// The warnings recorded so far, leaving none behind.
    pub(crate) fn take_warnings(&self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings.borrow_mut())
    }

    /// A baked file's URL.
    pub(crate) fn asset_url(&self, path: &str) -> String {
        self.urls.asset(path)
    }

    /// A page's URL.
    pub(crate) fn page_url(&self, page: &PageLink) -> String {
        self.urls.page(&page.path)
    }

    /// The baked file with this key.
    pub(crate) fn asset(&self, key: Option<&FileKey>) -> Option<&'a Asset> {
        self.assets.get(key?)
    }

    /// The `id` for the element of the block `block_id` (`b-<32 hex>`, see
    /// [`NotionId::anchor`]): once per page, and never when anchors are off or the id is not a
    /// Notion id.
    pub(crate) fn claim_anchor(&self, block_id: &str) -> Option<String> {
        if !self.block_anchors {
            return None;
        }
        let anchor = NotionId::parse(block_id).ok()?.anchor();
        self.anchors
            .borrow_mut()
            .insert(anchor.clone())
            .then_some(anchor)
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
pub(crate) struct Warning {
    page_id: String,
    pub(crate) page_title: String,
    pub(crate) block_id: Option<String>,
    pub(crate) message: String,
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
