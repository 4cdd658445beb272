//! Baking: every Notion-hosted file reference → a stored original (downloaded once, refreshed
//! when its signed URL expired) → a site asset, with image variants from the variant cache.
//!
//! File references arrive while the crawl is still running (`Baker::submit`), so downloads
//! overlap the API work; image encoding runs on blocking threads, one per core.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::Context;
use chrono::Utc;
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;

use super::active;
use super::download::{DownloadError, Downloaded, Downloader, FileHosts, redact};
use super::refs::{FileRef, Owner, block_files, database_files, page_files};
use super::sniff::FileKind;
use super::store::{FileStore, StoredFile};
use super::variants::{ImageSettings, VariantCache};
use super::{Asset, AssetMap};
use crate::notion::client::NotionClient;
use crate::notion::model::{Block, Database, FileKey, FileSource, Page};

/// Refresh a signed URL this long before Notion says it expires.
const EXPIRY_MARGIN: chrono::Duration = chrono::Duration::minutes(5);
/// Attempts of one URL after truncated downloads, timeouts and 5xx answers.
const TRANSIENT_RETRIES: u32 = 3;
/// Downloads in flight at once (they do not count against the API's rate limit).
const DOWNLOAD_CONCURRENCY: usize = 6;
/// How long the URLs from one re-fetch of an owner serve its other files too.
const FRESH_FOR: Duration = Duration::from_secs(10 * 60);

/// The freshly signed URLs of one owner's files, and when they were fetched.
type FreshUrls = Option<(std::time::Instant, Vec<(FileKey, String)>)>;

/// How files are baked.
#[derive(Debug, Clone)]
pub struct BakeSettings {
    /// Widths, formats and quality of image variants.
    pub images: ImageSettings,
    /// Size cap per downloaded file.
    pub max_file_bytes: u64,
}

/// Counts for the build summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BakeStats {
    /// Files downloaded from Notion.
    pub downloaded: usize,
    /// Files already in the cache's file store.
    pub cached: usize,
    /// Expired signed URLs fetched again from Notion.
    pub refreshed_urls: usize,
    /// Image variants encoded.
    pub variants_encoded: usize,
    /// Image variants already in the cache.
    pub variants_cached: usize,
}

/// What baking produced.
#[derive(Debug, Default)]
pub struct Baked {
    /// Every baked file, with where its original and variants are in the cache.
    pub assets: AssetMap,
    /// The counts of the summary line.
    pub stats: BakeStats,
    /// Files that could not be baked, each message naming page, block and URL (no signature).
    pub failures: Vec<String>,
    /// Files bundled without variants (a format the decoder cannot read), and similar notes.
    pub warnings: Vec<String>,
}

/// Shared by every bake task.
struct Shared {
    client: Option<NotionClient>,
    store: FileStore,
    downloader: Downloader,
    variants: VariantCache,
    encode_slots: Semaphore,
    download_slots: Semaphore,
    /// One lock per content hash: the same bytes under several file ids are processed by one
    /// task while the others wait, then find every variant in the cache.
    same_bytes: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Per owner: its files' URLs from the last re-fetch, so a page with a cover, an icon and
    /// ten attachments, all expired, is fetched once rather than twelve times.
    fresh: std::sync::Mutex<HashMap<Owner, Arc<tokio::sync::Mutex<FreshUrls>>>>,
    downloaded: AtomicUsize,
    refreshed: AtomicUsize,
    progress: Arc<BakeProgress>,
}

/// Live counts for a progress display.
#[derive(Debug, Default)]
pub struct BakeProgress {
    /// Distinct files queued so far.
    pub queued: AtomicUsize,
    /// Files baked (or failed).
    pub done: AtomicUsize,
    /// Image variants encoded so far.
    pub variants_encoded: AtomicUsize,
}

impl Shared {
    fn same_bytes_lock(&self, sha256: &str) -> Arc<tokio::sync::Mutex<()>> {
        self.same_bytes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(sha256.to_owned())
            .or_default()
            .clone()
    }

    fn fresh_urls(&self, owner: &Owner) -> Arc<tokio::sync::Mutex<FreshUrls>> {
        self.fresh
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(owner.clone())
            .or_default()
            .clone()
    }
}

/// Accepts file references while the crawl runs; `finish` waits for every file.
pub struct Baker {
    sender: mpsc::UnboundedSender<FileRef>,
    worker: tokio::task::JoinHandle<anyhow::Result<Baked>>,
    progress: Arc<BakeProgress>,
}

impl Baker {
    /// Starts baking into the cache at `cache_root`. Without a client (offline builds) only
    /// files already in the store can be baked.
    pub fn start(
        client: Option<NotionClient>,
        file_hosts: FileHosts,
        cache_root: &Path,
        settings: BakeSettings,
    ) -> anyhow::Result<Baker> {
        let shared = Arc::new(Shared {
            client,
            store: FileStore::open(cache_root)?,
            downloader: Downloader::new(file_hosts, settings.max_file_bytes)?,
            variants: VariantCache::new(cache_root.join("variants"), settings.images.clone()),
            encode_slots: Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            ),
            download_slots: Semaphore::new(DOWNLOAD_CONCURRENCY),
            same_bytes: std::sync::Mutex::new(HashMap::new()),
            fresh: std::sync::Mutex::new(HashMap::new()),
            downloaded: AtomicUsize::new(0),
            refreshed: AtomicUsize::new(0),
            progress: Arc::new(BakeProgress::default()),
        });
        let progress = shared.progress.clone();
        let (sender, receiver) = mpsc::unbounded_channel();
        let worker = tokio::spawn(run(shared, receiver));
        Ok(Baker {
            sender,
            worker,
            progress,
        })
    }

    /// Live counts, for a progress display.
    pub fn progress(&self) -> Arc<BakeProgress> {
        self.progress.clone()
    }

    /// Queues every file on a page (cover, icon, properties, blocks).
    pub(crate) fn submit_page(&self, page: &Page, blocks: &[Block]) {
        for file in page_files(page, blocks) {
            self.submit(file);
        }
    }

    /// Queues the files in `blocks` of `page` (not the page's own: see [`Baker::submit_page`]).
    pub(crate) fn submit_blocks(&self, page: &Page, blocks: &[Block]) {
        for file in block_files(page, blocks) {
            self.submit(file);
        }
    }

    /// Queues a database's cover and icon.
    pub(crate) fn submit_database(&self, database: &Database) {
        for file in database_files(database) {
            self.submit(file);
        }
    }

    /// Queues one reference to a Notion-hosted file.
    pub(crate) fn submit(&self, file: FileRef) {
        // The worker only stops after `finish` drops the sender.
        let _ = self.sender.send(file);
    }

    /// Waits for every queued file.
    pub async fn finish(self) -> anyhow::Result<Baked> {
        drop(self.sender);
        self.worker
            .await
            .context("the file baker stopped unexpectedly")?
    }
}

enum Outcome {
    Baked {
        key: FileKey,
        asset: Box<Asset>,
        cached: bool,
        encoded: usize,
        reused: usize,
        warning: Option<String>,
    },
    Failed(String),
}

async fn run(
    shared: Arc<Shared>,
    mut receiver: mpsc::UnboundedReceiver<FileRef>,
) -> anyhow::Result<Baked> {
    let mut tasks = JoinSet::new();
    let mut started: std::collections::HashSet<FileKey> = std::collections::HashSet::new();
    let mut unusable = Vec::new();
    while let Some(file) = receiver.recv().await {
        let Some(key) = file.key.clone() else {
            // Skipping it would leave the page without the file and the build "successful".
            unusable.push(describe(
                &file,
                &"Notion gave no usable URL for this file (no /<file-id>/<name> path); \
                  build again, and replace the file in Notion if this persists",
            ));
            continue;
        };
        // One file in several blocks (or pages) is baked once.
        if started.insert(key.clone()) {
            let shared = shared.clone();
            shared.progress.queued.fetch_add(1, Ordering::Relaxed);
            tasks.spawn(async move {
                let outcome = bake_one(&shared, key, file).await;
                if let Outcome::Baked { encoded, .. } = &outcome {
                    shared
                        .progress
                        .variants_encoded
                        .fetch_add(*encoded, Ordering::Relaxed);
                }
                shared.progress.done.fetch_add(1, Ordering::Relaxed);
                outcome
            });
        }
    }
    let mut baked = Baked {
        failures: unusable,
        ..Baked::default()
    };
    while let Some(outcome) = tasks.join_next().await {
        match outcome.context("a bake task panicked")? {
            Outcome::Baked {
                key,
                asset,
                cached,
                encoded,
                reused,
                warning,
            } => {
                if cached {
                    baked.stats.cached += 1;
                }
                baked.stats.variants_encoded += encoded;
                baked.stats.variants_cached += reused;
                baked.warnings.extend(warning);
                baked.assets.insert(key, *asset);
            }
            Outcome::Failed(message) => baked.failures.push(message),
        }
    }
    baked.failures.sort();
    baked.stats.downloaded = shared.downloaded.load(Ordering::Relaxed);
    baked.stats.refreshed_urls = shared.refreshed.load(Ordering::Relaxed);
    shared.store.save_index()?;
    Ok(baked)
}

async fn bake_one(shared: &Arc<Shared>, key: FileKey, file: FileRef) -> Outcome {
    let describe = |reason: &dyn std::fmt::Display| describe(&file, reason);
    let (stored, cached) = match shared.store.lookup(key.as_str()) {
        Some(stored) => (stored, true),
        None => match fetch_into_store(shared, &key, &file).await {
            Ok(stored) => (stored, false),
            Err(error) => return Outcome::Failed(describe(&format!("{error:#}"))),
        },
    };
    let original = shared.store.object_path(&stored.sha256);
    let same_bytes = shared.same_bytes_lock(&stored.sha256);
    let same_bytes = same_bytes.lock().await;
    let name = stored.name.clone();
    // A warm build finds every image in the variant cache: that small read needs no encoding
    // slot and no hop to a blocking thread (800 such hops cost ~1 s on a loaded machine).
    let processed = match shared.variants.cached(&stored.sha256) {
        Some(processed) => processed,
        None => {
            let permit = shared.encode_slots.acquire().await.expect("never closed");
            let variants = shared.variants.clone();
            let sha = stored.sha256.clone();
            let file_name = name.clone();
            let source = original.clone();
            let processed =
                tokio::task::spawn_blocking(move || variants.image_for(&source, &sha, &file_name))
                    .await;
            drop(permit);
            match processed {
                Ok(Ok(processed)) => processed,
                Ok(Err(error)) => return Outcome::Failed(describe(&format!("{error:#}"))),
                Err(_) => return Outcome::Failed(describe(&"the image pipeline panicked")),
            }
        }
    };
    drop(same_bytes);
    let stem = asset_stem(&name);
    let short = &stored.sha256[..12];
    let path = format!("assets/{stem}-{short}.{}", stored.extension);
    let (image, encoded, reused, warning) = match processed {
        super::variants::Processed::Image {
            info,
            files: variant_files,
            encoded,
            reused,
        } => {
            let mut info = info;
            for (variant, source) in info.variants.iter_mut().zip(variant_files) {
                variant.path = format!(
                    "assets/{stem}-{short}-{}.{}",
                    variant.width,
                    variant.format.extension()
                );
                variant.source = source;
            }
            (Some(info), encoded, reused, None)
        }
        super::variants::Processed::NotAnImage => (None, 0, 0, None),
        super::variants::Processed::Undecodable(reason) => (
            None,
            0,
            0,
            Some(describe(&format!(
                "bundled as-is without resized variants ({reason})"
            ))),
        ),
    };
    Outcome::Baked {
        key,
        asset: Box::new(Asset {
            path,
            source: original,
            mime: stored.mime,
            name,
            bytes: stored.bytes,
            image,
        }),
        cached,
        encoded,
        reused,
        warning,
    }
}

/// A failure or warning about one file: its URL without the signature, the page (or
/// database) by title and id, and the block holding it.
fn describe(file: &FileRef, reason: &dyn std::fmt::Display) -> String {
    let url = file
        .source
        .url()
        .map(redact)
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| "a file".to_owned());
    let owner = match file.owner {
        Owner::Database(_) => "database",
        Owner::Page(_) | Owner::Block(_) => "page",
    };
    let block = file
        .block_id()
        .map(|b| format!(", block {b}"))
        .unwrap_or_default();
    format!(
        "cannot bake {url} on {owner} {:?} ({}){block}: {reason}",
        file.page_title, file.page_id
    )
}

/// Downloads a file that is not in the store yet, refreshing its signed URL when needed.
async fn fetch_into_store(
    shared: &Shared,
    key: &FileKey,
    file: &FileRef,
) -> anyhow::Result<StoredFile> {
    let Some(client) = &shared.client else {
        anyhow::bail!(
            "the file is not in the cache and this build is offline; set NOTION_TOKEN and build again"
        );
    };
    let FileSource::Notion {
        url: Some(url),
        expiry_time,
        ..
    } = &file.source
    else {
        anyhow::bail!("not a Notion-hosted file with a URL");
    };
    let mut url = url.clone();
    let mut refreshed = false;
    if expiry_time.is_some_and(|t| t - EXPIRY_MARGIN <= Utc::now()) {
        url = fresh_url(shared, client, key, file).await?;
        shared.refreshed.fetch_add(1, Ordering::Relaxed);
        refreshed = true;
    }
    let temp_dir = shared.store.temp_dir()?;
    let mut transient_failures = 0;
    let mut timeouts = 0;
    let downloaded = loop {
        let attempt = {
            let _slot = shared.download_slots.acquire().await.expect("never closed");
            shared.downloader.fetch(&url, &temp_dir).await
        };
        match attempt {
            Ok(downloaded) => break downloaded,
            // A 400 may be a malformed or outdated signature: a fresh URL is worth one try.
            Err(DownloadError::Expired | DownloadError::BadRequest { .. }) if !refreshed => {
                url = fresh_url(shared, client, key, file).await?;
                shared.refreshed.fetch_add(1, Ordering::Relaxed);
                refreshed = true;
            }
            Err(DownloadError::Expired) => anyhow::bail!(
                "the signed URL had expired, and so had the fresh one Notion gave; \
                 check this machine's clock, then build again"
            ),
            Err(error @ DownloadError::BadRequest { .. }) => {
                anyhow::bail!("{error}, for a freshly signed URL too")
            }
            // A stalled host is given one more chance, not four: each try costs the stall time.
            Err(error @ DownloadError::TimedOut(_)) if timeouts > 0 => {
                anyhow::bail!("{error} ({} attempts)", transient_failures + 1)
            }
            Err(error) if error.is_transient() && transient_failures < TRANSIENT_RETRIES => {
                timeouts += usize::from(matches!(error, DownloadError::TimedOut(_)));
                transient_failures += 1;
                tracing::debug!("retrying the download of {}: {error}", redact(&url));
                tokio::time::sleep(Duration::from_millis(250 << transient_failures)).await;
            }
            Err(error) if error.is_transient() => {
                anyhow::bail!("{error} ({} attempts)", transient_failures + 1)
            }
            Err(error) => return Err(error.into()),
        }
    };
    let kind = super::sniff::sniff(&downloaded.head);
    let name = file.name.clone().unwrap_or_else(|| file_name_of(&url));
    let mut extension = kind
        .extension()
        .map(str::to_owned)
        .unwrap_or_else(|| extension_of(&name));
    let mut mime = kind.mime().to_owned();
    let mut downloaded = downloaded;
    // Nothing stored may run script on the site's origin when its URL is opened directly.
    if kind == FileKind::Svg {
        if let Err(error) = make_svg_static(&mut downloaded) {
            tracing::warn!(
                "{}",
                describe(
                    file,
                    &format!("the SVG is stored as a download, not an image: {error}")
                )
            );
            extension = active::INERT_EXTENSION.to_owned();
            mime = FileKind::Other.mime().to_owned();
        }
    } else if active::is_active_extension(&extension) {
        extension = active::INERT_EXTENSION.to_owned();
        mime = FileKind::Other.mime().to_owned();
    }
    let stored = StoredFile {
        sha256: downloaded.sha256.clone(),
        bytes: downloaded.bytes,
        mime,
        extension,
        name,
        made_safe: true,
    };
    shared
        .store
        .insert(key.as_str(), &downloaded.path, stored.clone())?;
    shared.downloaded.fetch_add(1, Ordering::Relaxed);
    Ok(stored)
}

/// Rewrites a downloaded SVG, in place, to static content (see [`active::sanitize_svg`]).
fn make_svg_static(downloaded: &mut Downloaded) -> anyhow::Result<()> {
    use sha2::Digest;
    let bytes = std::fs::read(&downloaded.path)
        .with_context(|| format!("cannot read {}", downloaded.path.display()))?;
    let std::borrow::Cow::Owned(clean) = active::sanitize_svg(&bytes)? else {
        return Ok(()); // nothing to remove: the bytes stay as downloaded
    };
    std::fs::write(&downloaded.path, &clean)
        .with_context(|| format!("cannot write {}", downloaded.path.display()))?;
    downloaded.sha256 = hex::encode(sha2::Sha256::digest(&clean));
    downloaded.bytes = clean.len() as u64;
    Ok(())
}

/// A freshly signed URL for a file: from its owner's re-fetch (shared by the owner's other
/// files for a while), or by re-fetching the owner now.
async fn fresh_url(
    shared: &Shared,
    client: &NotionClient,
    key: &FileKey,
    file: &FileRef,
) -> anyhow::Result<String> {
    let cell = shared.fresh_urls(&file.owner);
    let mut fresh = cell.lock().await;
    let urls = match &*fresh {
        Some((fetched, urls)) if fetched.elapsed() < FRESH_FOR => urls,
        _ => {
            let urls = owner_urls(client, file).await?;
            &fresh.insert((std::time::Instant::now(), urls)).1
        }
    };
    urls.iter()
        .find(|(candidate, _)| candidate == key)
        .map(|(_, url)| url.clone())
        .context("Notion no longer lists this file where it was (it was removed or replaced); build again")
}

/// Re-fetches the object that owns a file: every Notion-hosted file it lists, with its freshly
/// signed URL.
async fn owner_urls(
    client: &NotionClient,
    file: &FileRef,
) -> anyhow::Result<Vec<(FileKey, String)>> {
    let candidates = match &file.owner {
        Owner::Block(id) => {
            let block = client.block(id).await?;
            let page = Page {
                id: file.page_id.clone(),
                ..page_placeholder()
            };
            page_files(&page, std::slice::from_ref(&block))
        }
        Owner::Page(id) => page_files(&client.page(id).await?, &[]),
        Owner::Database(id) => database_files(&client.database(id).await?),
    };
    Ok(candidates
        .into_iter()
        .filter_map(|c| Some((c.key?, c.source.url()?.to_owned())))
        .collect())
}

fn page_placeholder() -> Page {
    Page::from_value(&serde_json::json!({}))
}

/// The last path segment of a URL, percent-decoded: Notion's original file name.
fn file_name_of(url: &str) -> String {
    let last = url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.path_segments()
                .and_then(|mut s| s.next_back().map(str::to_owned))
        })
        .unwrap_or_default();
    percent_decode(&last)
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| text.to_owned())
}

fn extension_of(name: &str) -> String {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| !e.is_empty() && e.len() <= 8 && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(str::to_ascii_lowercase)
        .unwrap_or_else(|| "bin".to_owned())
}

/// A readable, safe file stem from an original name: `Café Menu (1).pdf` → `cafe-menu-1`.
/// Never taken verbatim from the URL, so it cannot escape the assets folder.
pub(crate) fn asset_stem(name: &str) -> String {
    let stem = Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(name);
    let mut out = String::new();
    for c in deunicode::deunicode(stem).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 48 {
            break;
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "file".to_owned()
    } else {
        out.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_readable_and_safe() {
        assert_eq!(asset_stem("Café Menu (1).pdf"), "cafe-menu-1");
        assert_eq!(asset_stem("../../etc/passwd"), "passwd");
        assert_eq!(asset_stem("..."), "file");
        assert_eq!(asset_stem("写真.jpg"), "xie-zhen");
        assert!(asset_stem(&"a".repeat(300)).len() <= 48);
    }

    #[test]
    fn names_come_from_the_decoded_url_path() {
        assert_eq!(
            file_name_of("https://h/s/f/My%20slides%2B1.pdf?X-Amz-Signature=1"),
            "My slides+1.pdf"
        );
        assert_eq!(extension_of("My slides.PDF"), "pdf");
        assert_eq!(extension_of("noext"), "bin");
    }
}
