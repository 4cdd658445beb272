//! Block tree + rich text → HTML, and Tera page templates.
//!
//! - [`html`]: the one escaping module (text, attributes, URL allow-list).
//! - [`blocks`]: one function per block type; list grouping in one place.
//! - [`rich_text`]: annotations, colors, links, mentions, inline equations.
//! - [`headings`]: unique anchor ids shared by headings and the table of contents.
//! - [`properties`]: database properties as template values.
//! - [`code`] and [`math`]: syntax highlighting and LaTeX → MathML at build time.
//! - [`context`]: what the renderer needs from the site (assets, links, the page).

pub mod blocks;
pub mod code;
pub mod context;
pub mod headings;
pub mod html;
pub mod math;
pub mod properties;
pub mod rich_text;
#[doc(hidden)]
pub mod sample;
pub mod site;
pub mod templates;
pub mod view;

pub use blocks::{RenderedPage, icon_html, picture_html, render_blocks, render_page};
pub use context::{
    DatabaseLink, LinkMap, LinkView, PageInfo, PageLink, RenderContext, Resolved, Warning,
};
pub use headings::TocEntry;
pub use rich_text::render_rich_text;
pub use templates::{StaticFile, Templates, theme_static_files};
pub use view::{
    IconView, ImageView, ListView, PageView, Pagination, SiteContext, SitemapEntry, TagView,
};
