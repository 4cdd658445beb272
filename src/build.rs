//! The library's front end: one site folder in, one written site out.

use std::path::PathBuf;

use crate::config::SiteConfig;
use crate::pipeline::{self, BuildOptions, BuildReport, Progress};

/// A build of one site, as `notion-bake build` runs it: load `notion-bake.toml` (the token
/// from `NOTION_TOKEN`), fetch from Notion or read the cache snapshot, bake every
/// Notion-hosted file, resolve the site, render it and swap the output in.
///
/// It runs on any tokio runtime ([`Build::run`]) or on one of its own
/// ([`Build::run_blocking`]).
#[derive(Debug, Clone)]
pub struct Build {
    site_dir: PathBuf,
    options: BuildOptions,
}

impl Build {
    /// A build of the site in `site_dir` (the folder holding `notion-bake.toml`).
    pub fn new(site_dir: impl Into<PathBuf>) -> Build {
        Build {
            site_dir: site_dir.into(),
            options: BuildOptions::default(),
        }
    }

    /// Builds from the cache snapshot only, without the network (`--offline`).
    pub fn offline(mut self) -> Build {
        self.options.offline = true;
        self
    }

    /// Fetches every page tree again, ignoring the stored ones (`--full`).
    pub fn full(mut self) -> Build {
        self.options.full = true;
        self
    }

    /// Includes unpublished posts (`--drafts`).
    pub fn drafts(mut self) -> Build {
        self.options.drafts = true;
        self
    }

    /// Finishes the site past files that could not be baked; the report lists them
    /// (`--keep-going`).
    pub fn keep_going(mut self) -> Build {
        self.options.keep_going = true;
        self
    }

    /// Writes the site into `dir` instead of `SITE_DIR/public` (`--out`).
    pub fn out(mut self, dir: impl Into<PathBuf>) -> Build {
        self.options.out = Some(dir.into());
        self
    }

    /// Allows replacing an output folder notion-bake did not create (`--force`).
    pub fn force(mut self) -> Build {
        self.options.force = true;
        self
    }

    /// Runs the build on the current tokio runtime (current-thread or multi-thread).
    pub async fn run(&self) -> anyhow::Result<BuildReport> {
        let config = SiteConfig::load(&self.site_dir)?;
        pipeline::build(&config, &self.options, &Progress::default()).await
    }

    /// Runs the build on a runtime of its own, using every core. Not from inside a tokio
    /// runtime: use [`Build::run`] there.
    pub fn run_blocking(&self) -> anyhow::Result<BuildReport> {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
            .block_on(self.run())
    }
}
