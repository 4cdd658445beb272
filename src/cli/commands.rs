//! One function per command, taking plain arguments (not clap types).
//!
//! Each command that works on a site loads and validates its config first, so config errors
//! surface before any work (exit code 2). [`NotImplemented`] (also exit code 2) is for commands
//! the CLI may list before they work; nothing pretends to succeed.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use url::Url;

use notion_bake::assets::bake::Baked;
use notion_bake::config::{MarkdownFlavor, SiteConfig, Target};
use notion_bake::export::ExportSettings;
use notion_bake::notion::client::StatsSnapshot;
use notion_bake::notion::crawl::CrawlReport;
use notion_bake::pipeline::{self, ExportOptions, FetchOptions, Progress};

/// A command that exists in the CLI but has no implementation yet. Exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("notion-bake {command} is not implemented yet")]
pub struct NotImplemented {
    /// The command, e.g. `build` or `cache gc`.
    pub command: &'static str,
}

/// A command line that lacks what the command needs and the config does not say. Exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

pub use notion_bake::pipeline::BuildOptions;

/// Loads and validates `site_dir/notion-bake.toml` (plus the environment).
fn load_config(site_dir: &Path) -> Result<SiteConfig> {
    load_config_with(site_dir, None)
}

/// [`load_config`], with `--base-url` (already checked) over the config's `base_url`.
fn load_config_with(site_dir: &Path, base_url: Option<&Url>) -> Result<SiteConfig> {
    let mut config = SiteConfig::load(site_dir)?;
    if let Some(url) = base_url {
        tracing::debug!("base URL {url} (--base-url) instead of {}", config.base_url);
        config.base_url = url.clone();
    }
    tracing::debug!(
        "loaded {} (token {})",
        config.config_path.display(),
        if config.notion.token.is_some() {
            "set"
        } else {
            "not set"
        }
    );
    Ok(config)
}

/// `notion-bake init [DIR]`: scaffold a site.
pub fn init(dir: &Path) -> Result<()> {
    let created = crate::init::scaffold(dir)?;
    for path in &created {
        tracing::info!("created {}", path.display());
    }
    println!("{}", crate::init::next_steps(dir));
    Ok(())
}

/// `notion-bake build [SITE_DIR] …`: fetch, bake assets, render into the output folder.
pub fn build(site_dir: &Path, options: &BuildOptions, base_url: Option<&Url>) -> Result<()> {
    let config = load_config_with(site_dir, base_url)?;
    let progress = Arc::new(Progress::default());
    let report = {
        let _display = ProgressDisplay::start(&progress);
        runtime()?.block_on(pipeline::build(&config, options, &progress))?
    };
    summarise_sources(
        report.offline_notice.as_deref(),
        report.crawl.as_ref(),
        report.api,
        &report.baked,
        &report.warnings,
    );
    print_timings(&report);
    tracing::info!(
        "built {} posts, {} pages and {} Markdown pages into {} ({} files written, {} unchanged) in {:.1} s{}",
        report.posts,
        report.pages,
        report.documents,
        report.out.display(),
        report.written.written,
        report.written.unchanged,
        report.seconds,
        match report.warnings.len() {
            0 => String::new(),
            n => format!(", {n} warning(s)"),
        }
    );
    fail_on_bake_failures(&report.baked.failures)
}

/// `notion-bake pull [SITE_DIR]`: fetch pages and files into the cache snapshot, no rendering.
pub fn pull(site_dir: &Path, options: FetchOptions) -> Result<()> {
    let config = load_config(site_dir)?;
    let report = runtime()?.block_on(pipeline::fetch(&config, options))?;
    let posts = report.manifest.blog.as_ref().map_or(0, |b| b.posts.len());
    tracing::info!(
        "pulled {posts} posts and {} pages ({} fetched, {} unchanged) in {:.1} s",
        report.manifest.pages.len(),
        report.crawl.fetched,
        report.crawl.reused,
        report.seconds
    );
    summarise_files(&report.baked);
    summarise_api(report.api);
    fail_on_bake_failures(&report.baked.failures)
}

/// Where the build's time went (`-v`): the crawl, the pacer's idle time, the files, render
/// and write, each as seconds from the start.
fn print_timings(report: &pipeline::BuildReport) {
    let t = &report.timings;
    if let Some(crawl) = t.crawl_done {
        tracing::debug!(
            "time: crawl done at {crawl:.1} s ({} requests; the pacer idled {:.1} s with no request waiting)",
            report.api.requests,
            report.api.pacer_idle.as_secs_f64()
        );
    }
    tracing::debug!(
        "time: files done at {:.1} s ({} downloaded, {} image variants encoded), rendered at {:.1} s (the search index took {:.1} s of it), written at {:.1} s",
        t.files_done,
        report.baked.stats.downloaded,
        report.baked.stats.variants_encoded,
        t.render_done,
        t.index_seconds,
        t.write_done
    );
}

/// What a build or an export read and baked: the offline notice or the crawl and its API
/// requests, the files, and the warnings.
fn summarise_sources(
    offline_notice: Option<&str>,
    crawl: Option<&CrawlReport>,
    api: StatsSnapshot,
    baked: &Baked,
    warnings: &[String],
) {
    if let Some(notice) = offline_notice {
        tracing::info!("{notice}");
    }
    if let Some(crawl) = crawl {
        tracing::info!(
            "Notion: {} pages fetched, {} unchanged",
            crawl.fetched,
            crawl.reused
        );
        summarise_api(api);
    }
    summarise_files(baked);
    for warning in warnings {
        tracing::warn!("{warning}");
    }
}

/// One line about the files baked.
fn summarise_files(baked: &Baked) {
    tracing::info!(
        "files: {} downloaded, {} already cached, {} URLs refreshed; variants: {} encoded, {} cached",
        baked.stats.downloaded,
        baked.stats.cached,
        baked.stats.refreshed_urls,
        baked.stats.variants_encoded,
        baked.stats.variants_cached
    );
    for warning in &baked.warnings {
        tracing::warn!("{warning}");
    }
}

/// One line about the API requests made.
fn summarise_api(api: StatsSnapshot) {
    tracing::info!(
        "Notion API: {} requests, {} retries, {} rate-limited",
        api.requests,
        api.retries,
        api.rate_limited
    );
}

fn fail_on_bake_failures(failures: &[String]) -> Result<()> {
    for failure in failures {
        tracing::error!("{failure}");
    }
    match failures.len() {
        0 => Ok(()),
        n => anyhow::bail!("{n} file(s) could not be baked (see above)"),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// `notion-bake cache gc [SITE_DIR]`: drop cached files and variants no page references.
pub fn cache_gc(site_dir: &Path) -> Result<()> {
    let config = load_config(site_dir)?;
    let report = pipeline::collect_garbage(&config)?;
    tracing::info!(
        "removed {} page trees, {} files and {} image variants no page uses ({:.1} MB)",
        report.page_trees,
        report.files,
        report.variant_files,
        report.bytes as f64 / 1e6
    );
    Ok(())
}

/// The flags of `notion-bake serve`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServeFlags {
    /// `None` means the default port (with fallback when it is busy).
    pub port: Option<u16>,
    pub open: bool,
    pub drafts: bool,
    pub offline: bool,
    /// `--base-url`: the preview's links use it instead of the local address.
    pub base_url: Option<Url>,
    /// `--webhook ADDR`: also receive Notion's webhook events there.
    pub webhook: Option<SocketAddr>,
}

/// `notion-bake serve [SITE_DIR] [--port N] [--open] [--drafts] [--offline]`: build, serve on
/// 127.0.0.1, watch, live-reload.
pub fn serve(site_dir: &Path, flags: &ServeFlags) -> Result<()> {
    load_config(site_dir)?;
    let options = crate::serve::ServeOptions {
        port: flags.port,
        open: flags.open,
        poll: crate::serve::ServeOptions::poll_from_env()?,
        drafts: flags.drafts,
        offline: flags.offline,
        base_url: flags.base_url.clone(),
        webhook: flags.webhook,
    };
    runtime()?.block_on(crate::serve::serve(site_dir, &options))
}

/// `notion-bake status [SITE_DIR] [--json] [--drafts]`: what a build would change. Exit 0
/// when nothing, 1 ([`WouldChange`]) when something; errors exit 2 (see `cli::main`).
pub fn status(site_dir: &Path, json: bool, drafts: bool) -> Result<()> {
    let config = load_config(site_dir)?;
    let status = runtime()?.block_on(crate::publish::status::status(&config, drafts))?;
    let text = if json {
        serde_json::to_string_pretty(&status)? + "\n"
    } else {
        status.to_text()
    };
    // Titles come from Notion: the text report quotes them with escapes (`{:?}`), JSON
    // escapes them too.
    print!("{text}");
    if status.up_to_date {
        Ok(())
    } else {
        Err(WouldChange(status.changes.len()).into())
    }
}

/// The flags of `notion-bake webhook`.
#[derive(Debug, Clone)]
pub struct WebhookFlags {
    pub listen: SocketAddr,
    pub exec: Option<String>,
    pub dispatch: Option<Url>,
    /// The name of the environment variable holding the dispatch's bearer token.
    pub dispatch_token_env: Option<String>,
    pub debounce: Duration,
}

/// `notion-bake webhook [SITE_DIR] --listen ADDR (--exec CMD | --dispatch URL)`: receive
/// Notion's webhook events and run the action after each burst that concerns the site.
pub fn webhook(site_dir: &Path, flags: &WebhookFlags) -> Result<()> {
    use crate::publish::action::{Action, Dispatch};
    let config = load_config(site_dir)?;
    let action = match (&flags.exec, &flags.dispatch) {
        (Some(command), None) => Action::Exec {
            command: command.clone(),
            dir: site_dir.to_path_buf(),
        },
        (None, Some(url)) => {
            let bearer = match &flags.dispatch_token_env {
                None => None,
                Some(name) => match std::env::var(name) {
                    Ok(value) if !value.trim().is_empty() => Some(value.trim().to_owned()),
                    _ => {
                        return Err(UsageError(format!(
                            "--dispatch-token-env names {name}, which is not set in the environment"
                        ))
                        .into());
                    }
                },
            };
            Action::Dispatch(Dispatch {
                url: url.clone(),
                bearer,
            })
        }
        _ => {
            return Err(UsageError(
                "say what to do on an edit: --exec CMD or --dispatch URL".into(),
            )
            .into());
        }
    };
    runtime()?.block_on(crate::publish::webhook::run(
        &config,
        flags.listen,
        flags.debounce,
        action,
    ))
}

/// `notion-bake export`'s arguments; `None` takes the `[export]` table's value.
#[derive(Debug, Clone, Default)]
pub struct ExportArgs {
    pub to: Option<Target>,
    pub into: Option<PathBuf>,
    pub section: Option<String>,
    pub flavor: Option<MarkdownFlavor>,
    pub dry_run: bool,
    pub drafts: bool,
    pub offline: bool,
    pub full: bool,
    pub watch: bool,
    pub force: bool,
    pub keep_going: bool,
    /// `--base-url`, over the config's `base_url`.
    pub base_url: Option<Url>,
}

/// `export --dry-run` found changes to make. Exit code 1, with no error message: the changes
/// were listed, and a CI job can fail on them the way it would on `git diff --exit-code`.
#[derive(Debug, thiserror::Error)]
#[error("{0} file(s) would change")]
pub struct WouldChange(pub usize);

/// How many changed files an export lists before summing up the rest (`-v` lists all).
const CHANGES_LISTED: usize = 20;

/// `notion-bake export --to GENERATOR [SITE_DIR] --into TARGET …`: write the site into another
/// generator's project.
pub fn export(site_dir: &Path, args: &ExportArgs) -> Result<()> {
    let config = load_config_with(site_dir, args.base_url.as_ref())?;
    let options = export_options(&config, args)?;
    if args.watch && config.notion.token.is_none() {
        return Err(pipeline::MissingToken).context("export --watch polls Notion");
    }
    let runtime = runtime()?;
    if !args.watch {
        return runtime.block_on(export_once(&config, &options));
    }
    let every = crate::serve::ServeOptions::poll_from_env()?.unwrap_or(crate::serve::DEFAULT_POLL);
    runtime.block_on(async {
        loop {
            // A failed round (Notion unreachable, a file that would not download) is reported
            // and tried again at the next poll, as `serve` does.
            if let Err(err) = export_once(&config, &options).await {
                tracing::error!("{err:#}");
            }
            tracing::info!(
                "watching Notion: next export in {} s (Ctrl-C stops)",
                every.as_secs()
            );
            tokio::select! {
                () = tokio::time::sleep(every) => {}
                _ = tokio::signal::ctrl_c() => return Ok(()),
            }
        }
    })
}

/// The command line's choices over the `[export]` table's.
fn export_options(config: &SiteConfig, args: &ExportArgs) -> Result<ExportOptions> {
    let defaults = &config.export;
    let Some(target) = args.to.or(defaults.to) else {
        return Err(UsageError(format!(
            "say which generator to export to: --to hugo|zola|mdbook|markdown (or `to` in the \
             [export] table of {})",
            config.config_path.display()
        ))
        .into());
    };
    let Some(into) = args.into.clone().or_else(|| defaults.into.clone()) else {
        return Err(UsageError(format!(
            "say where the {} project is: --into DIR (or `into` in the [export] table of {})",
            target.name(),
            config.config_path.display()
        ))
        .into());
    };
    let section = args
        .section
        .clone()
        .or_else(|| defaults.section.clone())
        .or_else(|| config.blog.as_ref().map(|blog| blog.path.clone()))
        .unwrap_or_else(|| "posts".to_owned());
    Ok(ExportOptions {
        settings: ExportSettings {
            target,
            section,
            flavor: args.flavor.unwrap_or(defaults.flavor),
        },
        into,
        dry_run: args.dry_run,
        drafts: args.drafts,
        offline: args.offline,
        full: args.full,
        force: args.force,
        keep_going: args.keep_going,
    })
}

async fn export_once(config: &SiteConfig, options: &ExportOptions) -> Result<()> {
    let progress = Arc::new(Progress::default());
    let report = {
        let _display = ProgressDisplay::start(&progress);
        pipeline::export(config, options, &progress).await?
    };
    summarise_sources(
        report.offline_notice.as_deref(),
        report.crawl.as_ref(),
        report.api,
        &report.baked,
        &report.warnings,
    );
    let changes = &report.changes;
    for path in &changes.kept_edited {
        tracing::warn!(
            "left {path} in place: the export wrote it, but it was edited since (delete it yourself if it should go)"
        );
    }
    let listed: Vec<String> = [
        ("create", &changes.created),
        ("update", &changes.updated),
        ("delete", &changes.deleted),
    ]
    .into_iter()
    .flat_map(|(verb, paths)| paths.iter().map(move |path| format!("{verb} {path}")))
    .collect();
    let changed = listed.len();
    if report.dry_run {
        // The plan goes to stdout, whole: it is the command's output.
        for line in &listed {
            println!("{line}");
        }
    } else {
        let shown = if tracing::enabled!(tracing::Level::DEBUG) {
            changed
        } else {
            CHANGES_LISTED
        };
        for line in listed.iter().take(shown) {
            tracing::info!("  {line}");
        }
        if changed > shown {
            tracing::info!("  … and {} more (-v lists them all)", changed - shown);
        }
    }
    tracing::info!(
        "{} {} pages into {} ({} created, {} updated, {} deleted, {} unchanged) in {:.1} s",
        if report.dry_run {
            "dry run: would export"
        } else {
            "exported"
        },
        report.pages,
        report.into.display(),
        changes.created.len(),
        changes.updated.len(),
        changes.deleted.len(),
        changes.unchanged,
        report.seconds
    );
    if let Some(hint) = &report.hint {
        tracing::info!("{hint}");
    }
    fail_on_bake_failures(&report.baked.failures)?;
    if report.dry_run && changed > 0 {
        return Err(WouldChange(changed).into());
    }
    Ok(())
}

/// `notion-bake check [SITE_DIR]`: config, token, access to every source, built-site audit.
pub fn check(site_dir: &Path) -> Result<()> {
    let config = load_config(site_dir)?;
    runtime()?.block_on(crate::check::check(&config))
}

/// A one-line progress display on an interactive terminal (nothing otherwise, so logs and CI
/// output stay plain): pages known, files baked, variants encoded. It stops when dropped.
struct ProgressDisplay {
    stop: Arc<AtomicBool>,
    ticker: Option<std::thread::JoinHandle<()>>,
}

impl ProgressDisplay {
    fn start(progress: &Arc<Progress>) -> ProgressDisplay {
        let stop = Arc::new(AtomicBool::new(false));
        let interactive =
            std::io::stderr().is_terminal() && tracing::enabled!(tracing::Level::INFO);
        let ticker = interactive.then(|| {
            let (progress, stop) = (progress.clone(), stop.clone());
            std::thread::spawn(move || {
                let bar = indicatif::ProgressBar::new_spinner();
                while !stop.load(Ordering::Relaxed) {
                    let pages = progress.pages.load(Ordering::Relaxed);
                    let mut message = format!("{pages} pages");
                    if let Some(files) = progress.files.get() {
                        message.push_str(&format!(
                            " · {}/{} files baked · {} variants encoded",
                            files.done.load(Ordering::Relaxed),
                            files.queued.load(Ordering::Relaxed),
                            files.variants_encoded.load(Ordering::Relaxed)
                        ));
                    }
                    bar.set_message(message);
                    bar.tick();
                    std::thread::sleep(std::time::Duration::from_millis(120));
                }
                bar.finish_and_clear();
            })
        });
        ProgressDisplay { stop, ticker }
    }
}

impl Drop for ProgressDisplay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
    }
}
