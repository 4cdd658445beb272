//! Full-text search with no server: a Pagefind index of the pages `build` renders, written
//! into `public/pagefind/` with Pagefind's own search UI beside it, and a search page.
//!
//! The index is built from the rendered HTML, so it holds exactly what readers see. The
//! theme marks what counts: `data-pagefind-body` on the article (navigation, footers and
//! lists stay out) and the result's metadata and tag filters as `data-pagefind-*`
//! attributes. Pagefind's output depends on its input only (file names are content hashes),
//! so a build of an unchanged site hands the output writer the same bytes, and no index file
//! is rewritten.

use anyhow::Context;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::config::{SearchConfig, SearchSection};
use crate::render::OutputFile;
use crate::site::{Site, routes};

use crate::render::search_view::section_of;
pub use crate::render::search_view::{BUNDLE, PAGE};

/// One rendered page to index: its URL and its HTML.
#[derive(Debug)]
pub struct IndexedPage<'a> {
    /// The page's URL from the site's root, without the base path: `/posts/hello/`.
    /// Pagefind's scripts put the base path in front of it: they take it from the URL they
    /// were loaded from (`/field-notes/pagefind/…`), so an index is right wherever it is hosted.
    pub url: String,
    /// The page as rendered.
    pub html: &'a str,
}

/// The site paths (`posts/hello/`) of every page the index holds, in the site's order.
pub(crate) fn indexed_paths(site: &Site, search: &SearchConfig) -> Vec<String> {
    let mut paths = Vec::new();
    if search.indexes(SearchSection::Posts) {
        paths.extend(site.posts.iter().map(|p| p.path.clone()));
    }
    paths.extend(
        site.pages
            .iter()
            .filter(|p| search.indexes(section_of(p)))
            .map(|p| p.path.clone()),
    );
    if search.indexes(SearchSection::Markdown) {
        paths.extend(site.documents.iter().map(|d| d.path.clone()));
    }
    paths
}

/// The rendered pages the index holds, taken from the render's files.
pub(crate) fn pages_to_index<'a>(
    site: &Site,
    search: &SearchConfig,
    files: &'a [OutputFile],
) -> Vec<IndexedPage<'a>> {
    let html_by_file: std::collections::HashMap<&str, &'a [u8]> = files
        .iter()
        .filter_map(|file| match file {
            OutputFile::Generated { path, bytes } => Some((path.as_str(), bytes.as_slice())),
            _ => None,
        })
        .collect();
    indexed_paths(site, search)
        .into_iter()
        .filter_map(|path| {
            let bytes = html_by_file.get(routes::file_of(&path).as_str())?;
            Some(IndexedPage {
                url: format!("/{path}"),
                html: std::str::from_utf8(bytes).ok()?,
            })
        })
        .collect()
}

/// The index of `pages` and Pagefind's bundle (scripts, styles, WebAssembly), as files under
/// [`BUNDLE`].
pub async fn index(
    search: &SearchConfig,
    pages: &[IndexedPage<'_>],
) -> anyhow::Result<Vec<OutputFile>> {
    let options = PagefindServiceConfig::builder()
        .force_language(search.language.clone())
        // The "#" links beside headings are not words of the page.
        .exclude_selectors(vec![".nb-anchor".to_owned()])
        .build();
    let mut index = PagefindIndex::new(Some(options)).context("cannot start the search index")?;
    for page in pages {
        index
            .add_html_file(None, Some(page.url.clone()), page.html.to_owned())
            .await
            .with_context(|| format!("cannot add the page {} to the search index", page.url))?;
    }
    let files = index
        .get_files()
        .await
        .context("cannot build the search index")?;
    let mut files: Vec<OutputFile> = files
        .into_iter()
        .map(|file| OutputFile::Generated {
            path: format!("{BUNDLE}{}", file.filename.to_string_lossy()),
            bytes: file.contents,
        })
        .collect();
    files.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(files)
}
