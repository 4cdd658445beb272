//! The on-disk snapshot in `SITE_DIR/.notion-bake/`.
//!
//! Layout:
//! - `snapshot.json`: the last crawl's [`Manifest`](crate::notion::crawl::Manifest): what the
//!   site is made of (the blog's rows in query order, the standalone pages and their child
//!   pages) and when it was fetched;
//! - `pages/<page-id>.json`: one [`PageTree`](crate::notion::crawl::PageTree), a page with its
//!   whole block tree in Notion's JSON shape, reused while the page's `last_edited_time` is
//!   unchanged;
//! - `highlights.json`: the highlighted code of the last build (see `render::code::HighlightMemo`);
//! - `files/` and `variants/`: baked files (owned by `assets`).
//!
//! Every write is temp file + rename, so a build killed at any moment leaves a valid cache.

mod highlights;
mod snapshot;

pub use snapshot::Snapshot;
pub(crate) use snapshot::write_atomically;
