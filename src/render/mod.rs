//! Block tree + rich text → HTML, and Tera page templates.
//!
//! - `html`: the one escaping module (text, attributes, URL allow-list).
//! - `blocks`: one function per block type; list grouping in one place.
//! - `rich_text`: annotations, colors, links, mentions, inline equations.
//! - `headings`: unique anchor ids shared by headings and the table of contents.
//! - `properties`: database properties as template values.
//! - `code` and `math`: syntax highlighting and LaTeX → MathML at build time.
//! - `context`: what the renderer needs from the site (assets, links, the page).

pub(crate) mod blocks;
pub mod code;
pub(crate) mod context;
pub(crate) mod database;
pub(crate) mod headings;
pub(crate) mod html;
pub(crate) mod html_site;
pub(crate) mod math;
pub(crate) mod picture;
pub(crate) mod properties;
pub(crate) mod rich_text;
pub(crate) mod search_view;
pub mod templates;
pub(crate) mod view;

pub(crate) use blocks::render_blocks;
pub use blocks::{RenderedPage, render_page};
pub(crate) use context::Warning;
pub use context::{PageInfo, RenderContext, UnderBase, Urls};
pub(crate) use headings::TocEntry;
pub use html_site::HtmlSite;
pub(crate) use properties::CellPart;
pub(crate) use rich_text::render_rich_text;
pub use templates::Templates;
pub use view::LinkView;

use std::path::PathBuf;

use crate::site::Site;

/// The seam between the site and its outputs (as mdBook's `Renderer`): a renderer turns the
/// resolved site (routes chosen, links resolved, baked files joined) into the files to write.
/// The Tera HTML site is one renderer; each export target is another.
pub trait Renderer {
    /// The files of this output, and what the author should know about them.
    fn render(&self, site: &Site) -> anyhow::Result<Rendered>;
}

/// One file a renderer produced, by its path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFile {
    /// Bytes rendered by the build.
    Generated {
        /// Where the file goes, relative to the output folder.
        path: String,
        /// Its content.
        bytes: Vec<u8>,
    },
    /// A file from the cache or a static folder, linked or copied as it is.
    Copied {
        /// Where the file goes, relative to the output folder.
        path: String,
        /// The file to link or copy.
        source: PathBuf,
    },
    /// Exports only: a file written once, when it does not exist, and never touched again
    /// (Zola's `_index.md` of a section, which the user then edits).
    Seeded {
        /// Where the file goes, relative to the output folder.
        path: String,
        /// Its first content.
        bytes: Vec<u8>,
    },
    /// Exports only: the lines between `begin` and `end` of a file the user owns (the list of
    /// chapters in mdBook's `SUMMARY.md`), added at its end when the markers are not there.
    Region {
        /// The user's file, relative to the output folder.
        path: String,
        /// The marker line that opens the region.
        begin: String,
        /// The marker line that closes it.
        end: String,
        /// What goes between the markers.
        bytes: Vec<u8>,
    },
}

impl OutputFile {
    /// Where the file goes, relative to the output folder.
    pub fn path(&self) -> &str {
        match self {
            OutputFile::Generated { path, .. }
            | OutputFile::Copied { path, .. }
            | OutputFile::Seeded { path, .. }
            | OutputFile::Region { path, .. } => path,
        }
    }
}

/// What a renderer produced.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Paths relative to the output folder.
    pub files: Vec<OutputFile>,
    /// Render warnings (unsupported blocks, links to private pages, …).
    pub warnings: Vec<String>,
}
