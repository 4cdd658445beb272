//! The stages (the README's "How it works") wired together: `fetch` (crawl + bake files into the cache) is
//! what `pull` runs, and the first half of `build`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Instant;

use anyhow::Context;

use crate::assets::bake::{BakeSettings, Baked, Baker};
use crate::assets::download::FileHosts;
use crate::assets::variants::{ImageSettings, VariantCache};
use crate::cache::Snapshot;
use crate::config::{DatabasesMode, SiteConfig};
use crate::export::{ExportSettings, Exporter};
use crate::notion::client::{ClientOptions, NotionClient, StatsSnapshot};
use crate::notion::crawl::{
    BlogPlan, CrawlObserver, CrawlPlan, CrawlReport, DatabasesPlan, Manifest, PageTree,
    crawl_observed,
};
use crate::notion::model::{Block, Code, Page};
use crate::output::{
    Changes, OwnedManifest, UrlHistory, WriteReport, add_moved_pages, check_output_dir,
    current_pages, live_paths, write_owned, write_site,
};
use crate::render::code::{HighlightMemo, code_blocks};
use crate::render::templates::Templates;
use crate::render::{HtmlSite, Renderer};
use crate::search;
use crate::site::{Site, Sources};

/// `NOTION_TOKEN` is needed and not set. Exit code 2: it is the user's configuration.
#[derive(Debug, thiserror::Error)]
#[error(
    "NOTION_TOKEN is not set. Create an internal integration at https://www.notion.so/profile/integrations, \
     share your blog database and pages with it, then `export NOTION_TOKEN=ntn_…` and run again"
)]
pub struct MissingToken;

/// What to fetch.
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchOptions {
    /// Ignore stored page trees.
    pub full: bool,
    /// Fetch unpublished posts too.
    pub drafts: bool,
}

/// What a fetch did.
#[derive(Debug)]
#[non_exhaustive]
pub struct FetchReport {
    /// What the site is made of now.
    pub manifest: Manifest,
    /// Trees fetched and reused.
    pub crawl: CrawlReport,
    /// Requests sent.
    pub api: StatsSnapshot,
    /// Files baked into the cache.
    pub baked: Baked,
    /// Wall time.
    pub seconds: f64,
}

/// The Notion client for a site's config; fails with [`MissingToken`] without a token.
pub fn client_for(config: &SiteConfig) -> anyhow::Result<NotionClient> {
    let token = config.notion.token.as_ref().ok_or(MissingToken)?;
    let mut options = ClientOptions::new(
        config.notion.api_url.clone(),
        config.notion.version.as_str(),
        token.expose(),
    );
    options.requests_per_second = config.notion.requests_per_second;
    NotionClient::new(options)
}

/// How the site's files are baked, from its config.
pub fn bake_settings(config: &SiteConfig) -> BakeSettings {
    let mut images = ImageSettings::default();
    images.widths = config.images.widths.clone();
    images.webp = config.images.webp;
    images.quality = config.images.quality;
    images.preset = config.images.preset;
    BakeSettings {
        images,
        max_file_bytes: config.files.max_size_bytes,
    }
}

/// The crawl plan of a site's config.
pub fn crawl_plan(config: &SiteConfig, options: FetchOptions) -> CrawlPlan {
    CrawlPlan {
        blog: config.blog.as_ref().map(|blog| BlogPlan {
            database: blog.database.clone(),
            published_property: blog.properties.published.clone(),
            include_drafts: options.drafts,
        }),
        pages: config
            .pages
            .iter()
            .map(|page| (page.id.clone(), page.path.clone()))
            .collect(),
        full: options.full,
        databases: DatabasesPlan {
            skipped_on: config
                .pages
                .iter()
                .filter(|page| page.databases == DatabasesMode::None)
                .map(|page| page.id.clone())
                .collect(),
            views: config.database_views.clone(),
        },
    }
}

/// Crawls Notion into the snapshot and bakes every Notion-hosted file into the cache.
pub async fn fetch(config: &SiteConfig, options: FetchOptions) -> anyhow::Result<FetchReport> {
    let started = Instant::now();
    let client = client_for(config)?;
    let snapshot = Snapshot::new(&config.site_dir);
    let baker = Baker::start(
        Some(client.clone()),
        FileHosts::new(&config.notion.api_url),
        snapshot.root(),
        bake_settings(config),
    )?;
    let highlighter = CodeHighlighter::start(&snapshot);
    // Downloads and highlighting start as soon as each page is known, while the crawl goes on.
    let plan = crawl_plan(config, options);
    let observer = PageWork {
        baker: &baker,
        highlighter: &highlighter,
        pages_done: None,
        trees: None,
    };
    let crawl = crawl_observed(&client, &snapshot, &plan, &observer).await?;
    if let Some(blog) = &crawl.manifest.blog {
        baker.submit_database(&blog.database);
    }
    let highlights = highlighter.finish();
    if let Some(entries) = highlights.into_changed() {
        snapshot.save_highlights(entries)?;
    }
    let baked = baker.finish().await?;
    Ok(FetchReport {
        manifest: crawl.manifest,
        crawl: crawl.report,
        api: client.stats(),
        baked,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Queues every file of the pages a site shows (and the blog database's cover and icon).
pub fn submit_site_files(baker: &Baker, site: &Site) {
    if let Some(blog) = &site.blog {
        baker.submit_database(&blog.database);
    }
    for post in &site.posts {
        baker.submit_page(&post.page, &post.blocks);
    }
    for page in &site.pages {
        baker.submit_page(&page.page, &page.blocks);
    }
    // Rows without content, and the rows of a post's databases, have no page of their own;
    // their database shows their files (and the first image of their content, as a cover).
    for row in site.databases.iter().flat_map(|d| &d.rows) {
        baker.submit_page(&row.page, row.first_image.as_slice());
    }
}

/// What `cache gc` removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct GcReport {
    /// Stored page trees removed.
    pub page_trees: usize,
    /// Original files removed.
    pub files: usize,
    /// Image variant files removed.
    pub variant_files: usize,
    /// Bytes freed in all.
    pub bytes: u64,
}

/// Drops cached page trees, files and variants that no page of the snapshot references.
pub fn collect_garbage(config: &SiteConfig) -> anyhow::Result<GcReport> {
    let snapshot = Snapshot::new(&config.site_dir);
    let manifest = snapshot
        .load_manifest()?
        .context("there is no cache snapshot to clean in this site yet")?;
    let mut report = GcReport::default();
    let mut keep_pages = std::collections::HashSet::new();
    let mut keep_keys = std::collections::HashSet::new();
    let mut keep = |files: Vec<crate::assets::refs::FileRef>| {
        keep_keys.extend(
            files
                .into_iter()
                .filter_map(|f| Some(f.key?.as_str().to_owned())),
        );
    };
    if let Some(blog) = &manifest.blog {
        keep(crate::assets::refs::database_files(&blog.database));
    }
    for database in manifest
        .databases
        .iter()
        .filter_map(|d| d.database.as_ref())
    {
        keep(crate::assets::refs::database_files(database));
    }
    let rows_on_posts = manifest.rows_on_posts();
    let ids = manifest
        .blog
        .iter()
        .flat_map(|b| b.posts.iter())
        .chain(manifest.pages.iter().map(|p| &p.id))
        .map(String::as_str)
        .chain(rows_on_posts.iter().map(|(_, row)| *row));
    for id in ids {
        keep_pages.insert(id);
        if let Some(tree) = snapshot.load_tree(id)? {
            keep(crate::assets::refs::page_files(&tree.page, &tree.blocks));
        }
    }
    (report.page_trees, report.bytes) = snapshot.retain_trees(&keep_pages)?;
    let store = crate::assets::store::FileStore::open(snapshot.root())?;
    let (files, bytes) = store.retain(&keep_keys)?;
    store.save_index()?;
    report.files = files;
    report.bytes += bytes;
    let variants = VariantCache::new(
        snapshot.root().join("variants"),
        bake_settings(config).images,
    );
    let (variant_files, bytes) = variants.retain(&store.hashes())?;
    report.variant_files = variant_files;
    report.bytes += bytes;
    Ok(report)
}

/// The options of `notion-bake build`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildOptions {
    /// No network: build from the cache snapshot only.
    pub offline: bool,
    /// Ignore the cache's page trees (files stay cached).
    pub full: bool,
    /// Output directory; `None` means `SITE_DIR/public`.
    pub out: Option<PathBuf>,
    /// Include unpublished posts.
    pub drafts: bool,
    /// Finish the build past failed files (placeholders), then exit 1.
    pub keep_going: bool,
    /// Allow clearing an output folder notion-bake did not create.
    pub force: bool,
    /// A preview (`serve`): the site's URLs are not remembered, so slugs typed while it runs
    /// leave no redirects behind.
    pub preview: bool,
}

/// Live counts of a running build, for a progress display.
#[derive(Debug, Default)]
pub struct Progress {
    /// Pages whose content is known (fetched or unchanged).
    pub pages: std::sync::atomic::AtomicUsize,
    /// The file baker's counts, once it runs.
    pub files: std::sync::OnceLock<std::sync::Arc<crate::assets::bake::BakeProgress>>,
}

/// What a build did, for the summary.
#[derive(Debug)]
#[non_exhaustive]
pub struct BuildReport {
    /// The output folder.
    pub out: PathBuf,
    /// Posts published.
    pub posts: usize,
    /// Standalone and child pages published.
    pub pages: usize,
    /// Local Markdown pages published.
    pub documents: usize,
    /// Set when the build used the snapshot instead of Notion: says so and how old it is.
    pub offline_notice: Option<String>,
    /// Trees fetched and reused; `None` offline.
    pub crawl: Option<CrawlReport>,
    /// Requests sent.
    pub api: StatsSnapshot,
    /// Files baked, with failures and warnings.
    pub baked: Baked,
    /// Files written, changed and removed in the output.
    pub written: WriteReport,
    /// Where the time went.
    pub timings: Timings,
    /// Render warnings and site warnings (slug clashes, unsupported blocks, …).
    pub warnings: Vec<String>,
    /// Wall time.
    pub seconds: f64,
}

/// Where a build or an export takes the site from.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Source {
    offline: bool,
    full: bool,
    drafts: bool,
    keep_going: bool,
}

/// The resolved site of a build or an export: fetched (or read from the snapshot), its files
/// baked and joined in, ready for a renderer.
pub(crate) struct Prepared {
    pub(crate) site: Site,
    snapshot: Snapshot,
    /// The bake's counts, failures and warnings (its assets are in the site now).
    baked: Baked,
    crawl: Option<CrawlReport>,
    api: StatsSnapshot,
    pub(crate) offline_notice: Option<String>,
    highlights: HighlightMemo,
    timings: Timings,
}

/// Where a build's time went, in seconds from its start (`build -v` prints them).
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// The crawl's end (every page tree fetched or found current); `None` offline.
    pub crawl_done: Option<f64>,
    /// Every file downloaded and its image variants encoded (the site model is read
    /// meanwhile).
    pub files_done: f64,
    /// Rendered, and written.
    pub render_done: f64,
    /// Written, and swapped in.
    pub write_done: f64,
    /// How long the search index took (part of the render, before `render_done`); zero when
    /// search is off.
    pub index_seconds: f64,
}

/// The site for an export driven by another program (the mdBook preprocessor): from Notion
/// when a token is set, from the snapshot otherwise.
pub(crate) async fn prepare_for_export(config: &SiteConfig) -> anyhow::Result<Prepared> {
    prepare(config, Source::default(), &Progress::default()).await
}

/// Crawls Notion (or reads the snapshot), bakes every file and builds the site model. Files
/// that could not be baked fail here unless `keep_going`.
async fn prepare(
    config: &SiteConfig,
    source: Source,
    progress: &Progress,
) -> anyhow::Result<Prepared> {
    let started = Instant::now();
    let mut timings = Timings::default();
    let snapshot = Snapshot::new(&config.site_dir);
    // A site of Markdown pages only (fresh from `init`) needs neither Notion nor a snapshot.
    let has_notion_sources = config.blog.is_some() || !config.pages.is_empty();
    let online = !source.offline && config.notion.token.is_some() && has_notion_sources;
    let client = if online {
        Some(client_for(config)?)
    } else {
        None
    };
    let baker = Baker::start(
        client.clone(),
        FileHosts::new(&config.notion.api_url),
        snapshot.root(),
        bake_settings(config),
    )?;
    let _ = progress.files.set(baker.progress());

    let highlighter = CodeHighlighter::start(&snapshot);
    // The site's sources: the crawl's trees, handed over in memory, or offline the
    // snapshot's, read in parallel.
    let (sources, crawl, offline_notice) = match &client {
        Some(client) => {
            let plan = crawl_plan(
                config,
                FetchOptions {
                    full: source.full,
                    drafts: source.drafts,
                },
            );
            let observer = PageWork {
                baker: &baker,
                highlighter: &highlighter,
                pages_done: Some(&progress.pages),
                trees: Some(Mutex::default()),
            };
            let crawl = crawl_observed(client, &snapshot, &plan, &observer).await?;
            let trees = observer.into_trees();
            timings.crawl_done = Some(started.elapsed().as_secs_f64());
            if let Some(blog) = &crawl.manifest.blog {
                baker.submit_database(&blog.database);
            }
            let sources = Sources::from_trees(&crawl.manifest, trees)?;
            (sources, Some(crawl.report), None)
        }
        None if !has_notion_sources => (Sources::default(), None, None),
        None => {
            let manifest = snapshot.load_manifest()?.ok_or(MissingToken)?;
            let why = if source.offline {
                "--offline"
            } else {
                "no NOTION_TOKEN"
            };
            let notice = format!(
                "{why}: using the cache snapshot fetched {}",
                describe_age(chrono::Utc::now() - manifest.fetched_at)
            );
            (Sources::load(&snapshot, &manifest)?, None, Some(notice))
        }
    };
    // The site model is assembled while the last files are still baking. Offline, the files
    // are queued from it: every stored tree is then parsed once, not once for its files and
    // again for the site (the second parse took 13 % of the CPU of a 1,000-page offline build,
    // `benches/site.rs`), and only the pages the site shows have their files baked. Loading,
    // like rendering and writing below, is synchronous work on this task (not in
    // `block_in_place`, which panics on a current-thread runtime); the downloads in flight run
    // on the runtime's other threads meanwhile.
    let mut site = Site::assemble(config, sources, source.drafts)?;
    if client.is_none() {
        submit_site_files(&baker, &site);
    }
    let mut baked = baker.finish().await?;
    timings.files_done = started.elapsed().as_secs_f64();
    if !baked.failures.is_empty() && !source.keep_going {
        return Err(BakeFailed(baked.failures).into());
    }
    let highlights = highlighter.finish();
    site.join_assets(std::mem::take(&mut baked.assets));
    Ok(Prepared {
        site,
        snapshot,
        baked,
        crawl,
        api: client.map(|c| c.stats()).unwrap_or_default(),
        offline_notice,
        highlights,
        timings,
    })
}

/// Fetches (or reads the snapshot), bakes files, renders, and swaps the output in. Files that
/// could not be baked fail the build before anything is written, unless `keep_going`; the
/// report's `baked.failures` then lists them and the caller exits non-zero.
pub async fn build(
    config: &SiteConfig,
    options: &BuildOptions,
    progress: &Progress,
) -> anyhow::Result<BuildReport> {
    let started = Instant::now();
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| config.site_dir.join("public"));
    check_output_dir(&out, &config.site_dir, options.force)?;
    let source = Source {
        offline: options.offline,
        full: options.full,
        drafts: options.drafts,
        keep_going: options.keep_going,
    };
    let prepared = prepare(config, source, progress).await?;
    let templates = Templates::load(&config.site_dir, &config.theme)?;
    let renderer = HtmlSite {
        config,
        templates: &templates,
        highlights: &prepared.highlights,
    };
    let mut rendered = renderer.render(&prepared.site)?;
    // The earlier URLs of pages that moved or left the site: redirects and notices.
    let history = UrlHistory::load(prepared.snapshot.root())?;
    let (moves, next_history) =
        history.update(current_pages(&prepared.site), &live_paths(&rendered.files));
    add_moved_pages(
        &moves,
        config,
        &prepared.site,
        &templates,
        &mut rendered.files,
    )?;
    let index_started = Instant::now();
    if config.search.enabled {
        let pages = search::pages_to_index(&prepared.site, &config.search, &rendered.files);
        let index = search::index(&config.search, &pages).await?;
        rendered.files.extend(index);
    }
    let index_seconds = index_started.elapsed().as_secs_f64();
    let Prepared {
        site,
        snapshot,
        baked,
        crawl,
        api,
        offline_notice,
        highlights,
        mut timings,
    } = prepared;
    timings.render_done = started.elapsed().as_secs_f64();
    timings.index_seconds = index_seconds;
    if let Some(entries) = highlights.into_changed() {
        snapshot.save_highlights(entries)?;
    }
    let written = write_site(&out, &rendered.files)?;
    timings.write_done = started.elapsed().as_secs_f64();
    // A preview or a `--drafts` build publishes nothing for good: its URLs are not remembered.
    if !options.drafts && !options.preview {
        next_history.save(snapshot.root())?;
    }

    let mut warnings = site.warnings.clone();
    warnings.extend(baked.warnings.iter().cloned());
    warnings.extend(rendered.warnings);
    Ok(BuildReport {
        out,
        posts: site.posts.len(),
        pages: site.pages.len(),
        documents: site.documents.len(),
        offline_notice,
        crawl,
        api,
        baked,
        written,
        warnings,
        timings,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The options of `notion-bake export`.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The target generator, the section and the Markdown flavour.
    pub settings: ExportSettings,
    /// The other generator's project root.
    pub into: PathBuf,
    /// Report what would change, change nothing.
    pub dry_run: bool,
    /// Include unpublished posts.
    pub drafts: bool,
    /// No network: export from the cache snapshot only.
    pub offline: bool,
    /// Ignore the cache's page trees (files stay cached).
    pub full: bool,
    /// Replace files in the way that the export did not write.
    pub force: bool,
    /// Export past failed files (they are left out), then exit 1.
    pub keep_going: bool,
}

/// What an export did.
#[derive(Debug)]
#[non_exhaustive]
pub struct ExportReport {
    /// The other generator's project root.
    pub into: PathBuf,
    /// Pages exported.
    pub pages: usize,
    /// Files created, updated and deleted (or that would be, on a dry run).
    pub changes: Changes,
    /// Whether nothing was written.
    pub dry_run: bool,
    /// Set when the export used the snapshot instead of Notion.
    pub offline_notice: Option<String>,
    /// Trees fetched and reused; `None` offline.
    pub crawl: Option<CrawlReport>,
    /// Requests sent.
    pub api: StatsSnapshot,
    /// Files baked, with failures and warnings.
    pub baked: Baked,
    /// Site, bake and render warnings.
    pub warnings: Vec<String>,
    /// A note on what the target's configuration needs.
    pub hint: Option<String>,
    /// Wall time.
    pub seconds: f64,
}

/// Fetches (or reads the snapshot), bakes files, and writes the site into another generator's
/// project through the owned-file manifest.
pub async fn export(
    config: &SiteConfig,
    options: &ExportOptions,
    progress: &Progress,
) -> anyhow::Result<ExportReport> {
    let started = Instant::now();
    if !options.into.is_dir() {
        anyhow::bail!(
            "{} is not a folder: --into names the root of your {} project",
            options.into.display(),
            options.settings.target.name()
        );
    }
    let source = Source {
        offline: options.offline,
        full: options.full,
        drafts: options.drafts,
        keep_going: options.keep_going,
    };
    let prepared = prepare(config, source, progress).await?;
    let layout = options.settings.layout();
    let manifest_path = options.settings.manifest_path(&config.site_dir);
    let previous = OwnedManifest::load(&manifest_path)?;
    let exporter = Exporter {
        layout: layout.as_ref(),
        config,
        previous: &previous,
    };
    let rendered = exporter.render(&prepared.site)?;
    let pages = exporter.page_urls(&prepared.site);
    let page_count = pages.len();
    let changes = write_owned(
        &options.into,
        &rendered.files,
        &previous,
        pages,
        &manifest_path,
        options.force,
        options.dry_run,
    )?;
    let mut warnings = prepared.site.warnings.clone();
    warnings.extend(prepared.baked.warnings.iter().cloned());
    warnings.extend(rendered.warnings);
    Ok(ExportReport {
        into: options.into.clone(),
        pages: page_count,
        changes,
        dry_run: options.dry_run,
        offline_notice: prepared.offline_notice,
        crawl: prepared.crawl,
        api: prepared.api,
        baked: prepared.baked,
        warnings,
        hint: options.settings.hint(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// What a fetch starts as the crawl delivers each part of a page: the downloads of its files
/// and the highlighting of its code.
struct PageWork<'a> {
    baker: &'a Baker,
    highlighter: &'a CodeHighlighter,
    /// Counts the finished pages, for a progress display.
    pages_done: Option<&'a AtomicUsize>,
    /// Keeps every finished tree for the site, when a build is to follow.
    trees: Option<Mutex<HashMap<String, PageTree>>>,
}

impl PageWork<'_> {
    /// The trees kept (none unless asked for).
    fn into_trees(self) -> HashMap<String, PageTree> {
        match self.trees {
            Some(trees) => trees.into_inner().unwrap_or_else(PoisonError::into_inner),
            None => HashMap::new(),
        }
    }
}

impl CrawlObserver for PageWork<'_> {
    fn page_fetched(&self, page: &Page) {
        self.baker.submit_page(page, &[]);
    }

    fn blocks_arrived(&self, page: &Page, blocks: &[Block]) {
        self.baker.submit_blocks(page, blocks);
        self.highlighter.submit(blocks);
    }

    fn tree_reused(&self, tree: &PageTree) {
        self.baker.submit_page(&tree.page, &tree.blocks);
        self.highlighter.submit(&tree.blocks);
    }

    fn tree_done(&self, tree: PageTree) {
        if let Some(pages) = self.pages_done {
            pages.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(trees) = &self.trees {
            let mut trees = trees.lock().unwrap_or_else(PoisonError::into_inner);
            trees.insert(tree.page.id.clone(), tree);
        }
    }
}

/// Highlights the code blocks of each page on a worker thread as the crawl delivers the page:
/// the CPU work overlaps the wait on Notion's rate limit, and rendering finds the code done
/// (highlighting was most of the render time of a code-heavy site, `benches/site.rs`).
struct CodeHighlighter {
    memo: Arc<HighlightMemo>,
    pages: mpsc::Sender<Vec<Code>>,
    worker: JoinHandle<()>,
}

impl CodeHighlighter {
    /// Starts from the code the last fetch or build highlighted.
    fn start(snapshot: &Snapshot) -> CodeHighlighter {
        let memo = Arc::new(HighlightMemo::new(snapshot.load_highlights()));
        let (pages, queue) = mpsc::channel::<Vec<Code>>();
        let worker_memo = Arc::clone(&memo);
        let worker = std::thread::spawn(move || {
            for code in queue {
                worker_memo.prepare(&code);
            }
        });
        CodeHighlighter {
            memo,
            pages,
            worker,
        }
    }

    fn submit(&self, blocks: &[Block]) {
        let code: Vec<Code> = code_blocks(blocks).into_iter().cloned().collect();
        if !code.is_empty() {
            // The worker runs until `finish` closes the queue, so this cannot fail.
            self.pages.send(code).ok();
        }
    }

    /// Waits for the queued pages and hands the memo on to rendering (blocking).
    fn finish(self) -> HighlightMemo {
        let CodeHighlighter {
            memo,
            pages,
            worker,
        } = self;
        drop(pages);
        // A panicking worker has dropped its handle on the memo; what it did is kept.
        worker.join().ok();
        Arc::try_unwrap(memo).expect("the highlighting worker has stopped")
    }
}

/// Files could not be baked and `--keep-going` was not given. Exit code 1.
#[derive(Debug, thiserror::Error)]
#[error("{} file(s) could not be baked, so the previous output was left as it was (--keep-going builds anyway, with placeholders):\n{}", .0.len(), .0.join("\n"))]
pub struct BakeFailed(pub Vec<String>);

/// "3 minutes ago", "2 days ago".
fn describe_age(age: chrono::TimeDelta) -> String {
    let minutes = age.num_minutes().max(0);
    match minutes {
        0 => "less than a minute ago".to_owned(),
        1 => "1 minute ago".to_owned(),
        m if m < 120 => format!("{m} minutes ago"),
        m if m < 48 * 60 => format!("{} hours ago", m / 60),
        m => format!("{} days ago", m / (24 * 60)),
    }
}
