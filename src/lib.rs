//! notion-bake turns Notion pages and databases into a static website whose files never expire.
//!
//! Data flows one way (see DESIGN.md §2):
//! `config` → `notion` (fetch) → `cache` → `assets` (bake files) → `site` (model) → `render` → `output`.

pub mod assets;
pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod export;
pub mod init;
pub mod notion;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod serve;
pub mod site;

#[cfg(test)]
#[path = "../tests/unit/mod.rs"]
mod unit_tests;
