//! What templates see of search: `site.search` (where the search page and Pagefind's bundle
//! are) and `page.search` (set on the pages the index holds: what their result shows). The
//! index itself is built after rendering, from the rendered pages (`crate::search`).

use serde::Serialize;

use crate::config::SearchSection;
use crate::notion::model::{Block, BlockKind, FileSource};
use crate::render::context::RenderContext;
use crate::render::view::ImageView;
use crate::site::SitePage;

/// The folder of the index and of Pagefind's scripts and styles, in the output.
pub const BUNDLE: &str = "pagefind/";

/// The site path of the search page.
pub const PAGE: &str = "search/";

/// The kind of page a standalone page is: a row of a database inside a page, or a page.
pub(crate) fn section_of(page: &SitePage) -> SearchSection {
    match page.database {
        Some(_) => SearchSection::Rows,
        None => SearchSection::Pages,
    }
}

/// `site.search`, present when search is on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub(crate) struct SiteSearchView {
    /// The search page's URL with the base path: `/blog/search/`.
    pub(crate) url: String,
    /// The URL of the folder of Pagefind's files, with a trailing slash: `/blog/pagefind/`.
    pub(crate) bundle: String,
}

impl SiteSearchView {
    /// The URLs under `base_path` (`""` or `/blog`).
    pub(crate) fn new(base_path: &str) -> SiteSearchView {
        SiteSearchView {
            url: format!("{base_path}/{}", PAGE),
            bundle: format!("{base_path}/{}", BUNDLE),
        }
    }
}

/// `page.search`, present on the pages the index holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub(crate) struct PageSearchView {
    /// The result's thumbnail: the smallest baked variant of the cover, or else of the first
    /// image of the content (an external image's URL as it is).
    pub(crate) image: Option<String>,
    /// Its alternative text.
    pub(crate) image_alt: String,
    /// The sort key of posts: `YYYY-MM-DD`.
    pub(crate) date: Option<String>,
    /// The excerpt shown when a result's text has no excerpt of its own.
    pub(crate) description: Option<String>,
    /// The tags, each a value of the `tag` filter.
    pub(crate) tags: Vec<String>,
}

impl PageSearchView {
    /// The view of a page with `cover` (already resolved) and `blocks`.
    pub(crate) fn new(
        cover: Option<&ImageView>,
        blocks: &[Block],
        ctx: &RenderContext<'_>,
    ) -> PageSearchView {
        let first_image =
            || first_image(blocks).and_then(|(file, alt)| ImageView::from_file(file, ctx, &alt));
        let image = cover.cloned().or_else(first_image);
        PageSearchView {
            image: image.as_ref().map(|i| i.thumbnail().to_owned()),
            image_alt: image.map(|i| i.alt().to_owned()).unwrap_or_default(),
            ..PageSearchView::default()
        }
    }
}

/// The first image block's file and caption, at any depth.
fn first_image(blocks: &[Block]) -> Option<(&FileSource, String)> {
    blocks.iter().find_map(|block| match &block.kind {
        BlockKind::Image(media) => Some((
            &media.source,
            crate::notion::model::plain_text(&media.caption),
        )),
        _ => crate::deep::grow(|| first_image(&block.children)),
    })
}
