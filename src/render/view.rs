//! The template context: plain `Serialize` types the site module fills and templates read.
//! Every field is documented in `templates/README.md`.

use serde::Serialize;

use crate::assets::Asset;
use crate::notion::model::{FileSource, Icon};

use super::context::{RenderContext, Urls};
use super::headings::TocEntry;
use super::html::safe_href;
use super::picture::{emoji_html, icon_image, icon_img_html, srcsets};
use super::properties::{NamedProperty, PropertyView};

/// The site, available to every template as `site`.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub(crate) struct SiteContext {
    title: String,
    pub(crate) description: Option<String>,
    /// Absolute, without a trailing slash: `https://example.org/blog`.
    base_url: String,
    /// The path prefix of every URL: `""` or `/blog` (no trailing slash).
    base_path: String,
    /// Absolute URL of the feed.
    feed_url: String,
    /// `lang` of the pages (`en`).
    language: String,
    /// Top navigation: the site's standalone pages.
    pub(crate) nav: Vec<LinkView>,
    /// When the site was built (RFC 3339).
    pub(crate) build_time: String,
    /// `notion-bake 0.1.0`.
    generator: String,
    /// Where the search page and Pagefind's files are; `None` when search is off.
    pub(crate) search: Option<super::search_view::SiteSearchView>,
}

impl SiteContext {
    /// A site context with the derived fields (`base_path`, `feed_url`, `generator`) filled in.
    pub(crate) fn new(title: &str, base_url: &str) -> SiteContext {
        let base_url = base_url.trim_end_matches('/').to_owned();
        let base_path = url::Url::parse(&base_url)
            .map(|u| u.path().trim_end_matches('/').to_owned())
            .unwrap_or_default();
        SiteContext {
            title: title.to_owned(),
            description: None,
            feed_url: format!("{base_url}/feed.xml"),
            base_url,
            base_path,
            language: "en".to_owned(),
            nav: Vec::new(),
            build_time: String::new(),
            generator: format!("notion-bake {}", env!("CARGO_PKG_VERSION")),
            search: None,
        }
    }
}

/// A responsive image (cover, icon, card thumbnail).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub(crate) struct ImageView {
    /// URL of the original (baked) or the external URL, untouched.
    src: String,
    /// `url 480w, url 960w, …` in the original's format (empty when there are no variants).
    srcset: String,
    /// The same in WebP (empty when there are none).
    webp_srcset: String,
    /// Pixel size of the original; 0 when unknown (external images).
    width: u32,
    height: u32,
    alt: String,
    /// A tiny `data:` URI to show while the image loads, if the pipeline made one.
    placeholder: Option<String>,
    /// Every resized encoding, ascending by width within each format.
    variants: Vec<VariantView>,
}

/// One resized encoding of a baked image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
struct VariantView {
    url: String,
    width: u32,
    height: u32,
    /// MIME type: `image/webp`, `image/jpeg`, …
    mime: &'static str,
}

impl ImageView {
    /// The view of a baked image, each file's URL spelt by `urls`.
    pub(crate) fn from_asset(asset: &Asset, urls: &dyn Urls, alt: &str) -> ImageView {
        let url = |path: &str| urls.asset(path);
        let mut view = ImageView {
            src: url(&asset.path),
            alt: alt.to_owned(),
            ..ImageView::default()
        };
        if let Some(info) = &asset.image {
            let sets = srcsets(asset, &url);
            view.srcset = sets.original;
            view.webp_srcset = sets.webp;
            view.width = info.width;
            view.height = info.height;
            view.placeholder = info.placeholder.clone();
            view.variants = info
                .variants
                .iter()
                .map(|v| VariantView {
                    url: url(&v.path),
                    width: v.width,
                    height: v.height,
                    mime: v.format.mime(),
                })
                .collect();
        }
        view
    }

    /// The URL of its smallest encoding (a search result's thumbnail): the narrowest variant,
    /// in WebP when there is one that narrow, or the file itself when it has no variants.
    pub(crate) fn thumbnail(&self) -> &str {
        self.variants
            .iter()
            .min_by_key(|v| (v.width, v.mime != "image/webp"))
            .map_or(&self.src, |v| &v.url)
    }

    /// Its alternative text.
    pub(crate) fn alt(&self) -> &str {
        &self.alt
    }

    /// The view of a file: baked when Notion-hosted (`None` if it was not baked), the untouched
    /// URL when external (`None` if its scheme is not allowed).
    pub(crate) fn from_file(
        file: &FileSource,
        ctx: &RenderContext<'_>,
        alt: &str,
    ) -> Option<ImageView> {
        match file {
            FileSource::Notion { key, .. } => ctx
                .asset(key.as_ref())
                .map(|asset| ImageView::from_asset(asset, ctx.urls, alt)),
            FileSource::External { url } => safe_href(url).map(|src| ImageView {
                src,
                alt: alt.to_owned(),
                ..ImageView::default()
            }),
            _ => None,
        }
    }
}

/// A page icon: an emoji or an image.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub(crate) struct IconView {
    emoji: Option<String>,
    /// The image's URL (baked, or external as written).
    src: Option<String>,
    /// The icon as HTML: the emoji's `<span>`, or a 64 px `<img class="page-icon">`.
    html: String,
}

impl IconView {
    /// The view of a Notion icon; `None` for icons that cannot be shown (native icons, unbaked
    /// files).
    pub(crate) fn from_icon(icon: &Icon, ctx: &RenderContext<'_>) -> Option<IconView> {
        const CLASS: &str = "page-icon";
        if let Icon::Emoji(emoji) = icon {
            return Some(IconView {
                emoji: Some(emoji.clone()),
                src: None,
                html: emoji_html(emoji, CLASS),
            });
        }
        // Decorative beside the page's title: no alternative text.
        let (src, _) = icon_image(icon, ctx)?;
        Some(IconView {
            emoji: None,
            html: icon_img_html(&src, "", CLASS, 64),
            src: Some(src),
        })
    }
}

/// A titled link, as templates and breadcrumbs show it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LinkView {
    /// The link text: the page's title.
    pub title: String,
    /// A URL path with the base path (`/blog/posts/hello/`).
    pub url: String,
}

/// A tag, with its page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub(crate) struct TagView {
    name: String,
    slug: String,
    /// `/blog/tags/<slug>/`.
    url: String,
    /// How many posts carry it.
    count: usize,
}

impl TagView {
    pub(crate) fn new(name: &str, slug: &str, url: &str, count: usize) -> TagView {
        TagView {
            name: name.to_owned(),
            slug: slug.to_owned(),
            url: url.to_owned(),
            count,
        }
    }
}

/// A post or page, as `page` in `page.html` / `post.html` and in lists, feeds.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub(crate) struct PageView {
    /// Notion page id.
    pub(crate) id: String,
    pub(crate) title: String,
    /// URL path with the base path: `/blog/posts/hello/`.
    pub(crate) url: String,
    /// Absolute URL.
    pub(crate) permalink: String,
    /// Publication date, RFC 3339 or `YYYY-MM-DD` (posts).
    pub(crate) date: Option<String>,
    /// Last edit, RFC 3339.
    pub(crate) updated: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) tags: Vec<TagView>,
    pub(crate) cover: Option<ImageView>,
    pub(crate) icon: Option<IconView>,
    /// The rendered content HTML: insert with `{{ page.content | safe }}`.
    pub(crate) content: String,
    /// Nested headings of the content.
    pub(crate) toc: Vec<TocEntry>,
    /// Neighbouring posts (by date): `prev` is the older one.
    pub(crate) prev: Option<LinkView>,
    pub(crate) next: Option<LinkView>,
    /// Parent pages, outermost first.
    pub(crate) ancestors: Vec<LinkView>,
    /// Estimated reading time in minutes (at least 1).
    pub(crate) reading_minutes: u32,
    /// A blog post (true) or a standalone page (false).
    pub(crate) is_post: bool,
    /// Every property by its name in Notion.
    pub(crate) properties: indexmap::IndexMap<String, PropertyView>,
    /// Every property in Notion's order: `{name, type, value}`.
    pub(crate) property_list: Vec<NamedProperty>,
    /// The properties `[blog] show_properties` selects that have a value, other than `files`
    /// ones (the default theme shows them under the title).
    pub(crate) shown_properties: Vec<NamedProperty>,
    /// The `files` properties `[blog] show_properties` selects (by default every one) that
    /// hold files (the default theme lists them as attachments).
    pub(crate) attachments: Vec<NamedProperty>,
    /// Set on the pages the search index holds: what their result shows.
    pub(crate) search: Option<super::search_view::PageSearchView>,
}

/// Reading time of some HTML at 230 words a minute, at least one minute. Words are runs of
/// bytes between ASCII whitespace outside tags (a byte scan: it ran over every post's HTML and
/// was 6 % of an offline build's CPU as a `char` scan).
pub(crate) fn reading_minutes(html: &str) -> u32 {
    let mut words = 0u32;
    let mut in_tag = false;
    let mut in_word = false;
    for &byte in html.as_bytes() {
        match byte {
            b'<' => {
                in_tag = true;
                in_word = false;
            }
            b'>' => in_tag = false,
            _ if in_tag => {}
            byte if byte.is_ascii_whitespace() => in_word = false,
            _ => {
                if !in_word {
                    words += 1;
                }
                in_word = true;
            }
        }
    }
    words.div_ceil(230).max(1)
}

/// Which page of a paginated list this is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub(crate) struct Pagination {
    /// 1-based.
    current: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    first_url: String,
}

impl Pagination {
    /// Pagination of page `current` (1-based) of `total`, for a list at `first_url`
    /// (`/blog/`), whose later pages live at `{first_url}page/N/`.
    pub(crate) fn new(current: usize, total: usize, first_url: &str) -> Pagination {
        let page_url = |n: usize| {
            if n <= 1 {
                first_url.to_owned()
            } else {
                format!("{first_url}page/{n}/")
            }
        };
        let total = total.max(1);
        Pagination {
            current,
            total,
            prev_url: (current > 1).then(|| page_url(current - 1)),
            next_url: (current < total).then(|| page_url(current + 1)),
            first_url: first_url.to_owned(),
        }
    }
}

/// The index and tag pages: `list` in `index.html` / `tag.html`.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub(crate) struct ListView {
    pub(crate) title: String,
    /// This page's URL path.
    pub(crate) url: String,
    pub(crate) permalink: String,
    /// The posts on this page (content may be empty; `description` is the teaser).
    pub(crate) pages: Vec<PageView>,
    pub(crate) pagination: Pagination,
}

/// One `<url>` of the sitemap.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct SitemapEntry {
    /// Absolute URL.
    pub(crate) loc: String,
    /// `YYYY-MM-DD` or RFC 3339.
    pub(crate) lastmod: Option<String>,
}

/// `page.html` / `post.html`: `site`, `page`.
pub(crate) fn page_context(site: &SiteContext, page: &PageView) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("site", site);
    ctx.insert("page", page);
    ctx
}

/// `index.html`: `site`, `list`, `pagination`; `tag.html` also gets `tag`.
pub(crate) fn list_context(
    site: &SiteContext,
    list: &ListView,
    tag: Option<&TagView>,
) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("site", site);
    ctx.insert("list", list);
    ctx.insert("pagination", &list.pagination);
    if let Some(tag) = tag {
        ctx.insert("tag", tag);
    }
    ctx
}

/// `feed.xml`: `site`, `pages` (newest first, with content), `updated` (RFC 3339).
pub(crate) fn feed_context(site: &SiteContext, pages: &[PageView], updated: &str) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("site", site);
    ctx.insert("pages", pages);
    ctx.insert("updated", updated);
    ctx
}

/// `sitemap.xml`: `site`, `entries`.
pub(crate) fn sitemap_context(site: &SiteContext, entries: &[SitemapEntry]) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("site", site);
    ctx.insert("entries", entries);
    ctx
}

/// `404.html`: `site`.
pub(crate) fn site_context(site: &SiteContext) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("site", site);
    ctx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_urls() {
        let p = Pagination::new(2, 3, "/blog/");
        assert_eq!(p.prev_url.as_deref(), Some("/blog/"));
        assert_eq!(p.next_url.as_deref(), Some("/blog/page/3/"));
        let first = Pagination::new(1, 1, "/");
        assert_eq!((first.prev_url, first.next_url), (None, None));
    }

    #[test]
    fn site_context_derives_base_path() {
        let site = SiteContext::new("T", "https://example.org/blog/");
        assert_eq!(site.base_path, "/blog");
        assert_eq!(site.feed_url, "https://example.org/blog/feed.xml");
        assert_eq!(SiteContext::new("T", "https://example.org").base_path, "");
    }

    #[test]
    fn reading_time_counts_words_outside_tags() {
        assert_eq!(reading_minutes("<p class=\"x y z\">a b</p>"), 1);
        assert_eq!(reading_minutes(&"word ".repeat(461)), 3);
    }
}
