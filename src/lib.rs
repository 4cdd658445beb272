//! notion-bake turns Notion pages and databases into a static website whose files never expire:
//! every file Notion hosts (behind URLs that expire an hour after they are fetched) is baked
//! into the site, images with resized variants, and every external URL is left as it is.
//!
//! Data flows one way (the README's "How it works" draws it):
//! `config` → `notion` (fetch) → `cache` → `assets` (bake files) → `site` (model) →
//! `render` (a [`render::Renderer`]: the HTML site, or an `export` target) → `output`.
//!
//! [`Build`] runs the whole way for one site folder. This builds the example site of the
//! repository from its committed cache snapshot, offline, into a folder of its own:
//!
//! ```
//! # fn main() -> anyhow::Result<()> {
//! let out = tempfile::tempdir()?;
//! let report = notion_bake::Build::new("example-site")
//!     .offline()
//!     .out(out.path().join("public"))
//!     .run_blocking()?;
//! assert_eq!(report.posts, 5);
//! assert!(out.path().join("public/index.html").is_file());
//! assert!(report.baked.failures.is_empty());
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs, unreachable_pub)]

mod build;
mod deep;

pub mod assets;
pub mod cache;
pub mod config;
pub mod export;
pub mod notion;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod search;
pub mod secrets;
pub mod site;
pub mod tls;
mod url_check;

pub use build::Build;

#[cfg(test)]
#[path = "../tests/unit/mod.rs"]
#[allow(unreachable_pub)] // the test support shared with the integration tests
mod unit_tests;
