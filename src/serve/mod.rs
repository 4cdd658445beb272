//! `notion-bake serve`: build into a private folder, serve it on 127.0.0.1 with live reload,
//! re-render from the cache when the site's files change, and rebuild from Notion when a poll
//! sees an edit there.
//!
//! The build goes to a temporary folder with `base_url` replaced by the local address, so
//! `public/` is never touched and never carries the reload script (which is added to HTML
//! responses only, as they are served).

mod http;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::net::TcpListener;
use tokio::sync::{broadcast, mpsc, watch as tokio_watch};

use notion_bake::cache::Snapshot;
use notion_bake::config::{CONFIG_FILE_NAME, SiteConfig};
use notion_bake::pipeline::{self, BuildOptions};

use crate::publish::{changes, webhook};

/// The port tried first when none is asked for.
pub const DEFAULT_PORT: u16 = 1111;
/// How many ports after the default are tried before any free port is taken.
const PORT_ATTEMPTS: u16 = 20;
/// The environment variable setting the Notion poll interval in seconds (0 turns it off).
pub const POLL_ENV: &str = "NOTION_BAKE_POLL_SECONDS";
/// The poll interval without [`POLL_ENV`].
pub const DEFAULT_POLL: Duration = Duration::from_secs(30);

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// `None`: [`DEFAULT_PORT`], or the next free one when it is busy. `Some(0)`: any free
    /// port. `Some(n)`: exactly `n`, an error when it is busy.
    pub port: Option<u16>,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// How often to ask Notion for edits; `None` never asks.
    pub poll: Option<Duration>,
    /// Include unpublished posts (as `build --drafts`).
    pub drafts: bool,
    /// No Notion requests at all: serve the cache snapshot, never poll (as `build --offline`).
    pub offline: bool,
    /// The base URL of the preview's links (`--base-url`: a proxy or tunnel in front of the
    /// server); `None` is the local address.
    pub base_url: Option<url::Url>,
    /// Also receive Notion's webhook events on this address (`--webhook`), rebuilding from
    /// Notion on each one that concerns the site.
    pub webhook: Option<std::net::SocketAddr>,
}

impl ServeOptions {
    /// The poll interval from [`POLL_ENV`]: unset → [`DEFAULT_POLL`], `0` → off.
    pub fn poll_from_env() -> anyhow::Result<Option<Duration>> {
        match std::env::var(POLL_ENV) {
            Err(_) => Ok(Some(DEFAULT_POLL)),
            Ok(value) if value.trim().is_empty() => Ok(Some(DEFAULT_POLL)),
            Ok(value) => match value.trim().parse::<f64>() {
                Ok(0.0) => Ok(None),
                Ok(secs) if secs > 0.0 && secs.is_finite() => {
                    Ok(Some(Duration::from_secs_f64(secs)))
                }
                _ => bail!(
                    "{POLL_ENV}={value:?} is not a number of seconds (use 0 to turn polling off)"
                ),
            },
        }
    }
}

/// What makes the builder build.
#[derive(Debug)]
enum Trigger {
    /// The site's own files changed: render again from the cache.
    Files(Vec<PathBuf>),
    /// Notion has edits: fetch them (incrementally), then render.
    Notion(String),
}

/// Builds, serves and watches until Ctrl-C (or SIGTERM).
///
/// The file watcher reports absolute paths through no symlink, whatever it is given, so it
/// watches the canonical form of `site_dir`; the builds use `site_dir` as given (the current
/// folder does not change while serving), so their messages name files as `build` does.
pub async fn serve(site_dir: &Path, options: &ServeOptions) -> anyhow::Result<()> {
    let canonical = std::fs::canonicalize(site_dir)
        .with_context(|| format!("cannot open the site folder {}", site_dir.display()))?;
    let config = SiteConfig::load(site_dir)?;
    let online = !options.offline && config.notion.token.is_some();
    let listener = bind(options.port).await?;
    let webhook_listener = match options.webhook {
        Some(addr) => Some(webhook::bind(addr).await?),
        None => None,
    };
    let addr = listener.local_addr()?;
    let url = format!("http://{addr}/");
    let out_dir = tempfile::Builder::new()
        .prefix("notion-bake-serve-")
        .tempdir()
        .context("creating the preview's output folder")?;
    let out = out_dir.path().join("public");
    std::fs::create_dir_all(&out)?;

    let (stop_tx, stop_rx) = tokio_watch::channel(false);
    let live = Arc::new(http::Live {
        root: out.clone(),
        run_id: format!("{:x}", rand::random::<u64>()),
        events: broadcast::channel(16).0,
        error: std::sync::Mutex::new(None),
        shutdown: stop_rx.clone(),
    });
    let builder = Builder {
        site_dir: site_dir.to_path_buf(),
        watched_dir: canonical.clone(),
        out,
        base_url: match &options.base_url {
            Some(url) => url.clone(),
            None => url::Url::parse(&url).context("the local address as a URL")?,
        },
        live: live.clone(),
        drafts: options.drafts,
        online,
    };

    // Watching starts before the first build, so an edit made while it runs is not lost.
    let (trigger_tx, trigger_rx) = mpsc::unbounded_channel();
    let (files_tx, mut files_rx) = mpsc::unbounded_channel();
    let mut watcher = watch::SiteWatcher::start(&canonical, files_tx)?;
    let forward = trigger_tx.clone();
    tokio::spawn(async move {
        while let Some(paths) = files_rx.recv().await {
            if forward.send(Trigger::Files(paths)).is_err() {
                break;
            }
        }
    });
    // The first build reads Notion when a token is set, as `build` does.
    builder.build(online).await;

    match options.poll {
        _ if options.offline => {
            tracing::info!("--offline: serving the cache snapshot; Notion is never asked")
        }
        Some(every) if online => {
            if has_notion_sources(&config) {
                tracing::info!(
                    "checking Notion for edits every {} s ({POLL_ENV}=0 turns this off)",
                    every.as_secs_f64()
                );
            }
            tokio::spawn(poll_notion(
                site_dir.to_path_buf(),
                every,
                options.drafts,
                trigger_tx.clone(),
                stop_rx.clone(),
            ));
        }
        Some(_) if has_notion_sources(&config) => tracing::info!(
            "NOTION_TOKEN is not set: serving the cache snapshot, without checking Notion for edits"
        ),
        _ => {}
    }

    tracing::info!("serving {} at {url} (Ctrl-C to stop)", site_dir.display());
    if let Some(listener) = webhook_listener {
        receive_webhooks(listener, &config, trigger_tx.clone(), stop_rx.clone())?;
    }
    if options.open {
        open_browser(&url);
    }
    let server = axum::serve(listener, http::router(live.clone())).with_graceful_shutdown({
        let mut stop = stop_rx.clone();
        async move {
            let _ = stop.wait_for(|stop| *stop).await;
        }
    });
    let server = tokio::spawn(async move { server.await });
    let build_loop = tokio::spawn(async move {
        builder.run(trigger_rx, &mut watcher).await;
    });

    crate::shutdown::signal().await;
    tracing::info!("stopping");
    let _ = stop_tx.send(true);
    build_loop.abort();
    match tokio::time::timeout(Duration::from_secs(5), server).await {
        Ok(joined) => joined?.context("the preview server failed")?,
        Err(_) => tracing::warn!("connections still open after 5 s; stopping anyway"),
    }
    drop(out_dir);
    Ok(())
}

fn has_notion_sources(config: &SiteConfig) -> bool {
    config.blog.is_some() || !config.pages.is_empty()
}

/// Listens on 127.0.0.1: the asked port, or the default one or the next free one.
async fn bind(port: Option<u16>) -> anyhow::Result<TcpListener> {
    if let Some(port) = port {
        return TcpListener::bind(("127.0.0.1", port))
            .await
            .with_context(|| {
                format!(
                    "cannot listen on 127.0.0.1:{port}; choose another --port, or leave --port out \
                     to use the first free port from {DEFAULT_PORT}"
                )
            });
    }
    for port in DEFAULT_PORT..DEFAULT_PORT + PORT_ATTEMPTS {
        match TcpListener::bind(("127.0.0.1", port)).await {
            Ok(listener) => {
                if port != DEFAULT_PORT {
                    tracing::info!("port {DEFAULT_PORT} is in use; using {port}");
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => return Err(e).context(format!("cannot listen on 127.0.0.1:{port}")),
        }
    }
    TcpListener::bind(("127.0.0.1", 0))
        .await
        .context("cannot listen on any port of 127.0.0.1")
}

/// Builds the preview and tells the pages.
struct Builder {
    /// As the user gave it.
    site_dir: PathBuf,
    /// Canonical: what the watcher's paths start with.
    watched_dir: PathBuf,
    out: PathBuf,
    /// The local address, or `--base-url`.
    base_url: url::Url,
    live: Arc<http::Live>,
    drafts: bool,
    /// Whether Notion may be asked at all (a token, and no `--offline`).
    online: bool,
}

impl Builder {
    async fn run(
        self,
        mut triggers: mpsc::UnboundedReceiver<Trigger>,
        watcher: &mut watch::SiteWatcher,
    ) {
        while let Some(first) = triggers.recv().await {
            // Whatever else arrived meanwhile is covered by the same build.
            let mut pending = vec![first];
            while let Ok(more) = triggers.try_recv() {
                pending.push(more);
            }
            let mut fetch = false;
            for trigger in &pending {
                match trigger {
                    Trigger::Files(paths) => {
                        for path in paths {
                            let shown = path.strip_prefix(&self.watched_dir).unwrap_or(path);
                            tracing::info!("changed: {}", shown.display());
                            // The config may name other Notion sources: fetch them, as a
                            // restart would.
                            fetch |= shown == Path::new(CONFIG_FILE_NAME);
                        }
                    }
                    Trigger::Notion(why) => {
                        tracing::info!("Notion: {why}");
                        fetch = true;
                    }
                }
            }
            watcher.refresh_folders();
            self.build(fetch && self.online).await;
        }
    }

    /// One build: the config is read again (it may have changed), `base_url` is the local
    /// address (or `--base-url`), and Notion is asked only when `online`.
    async fn build(&self, online: bool) {
        let started = Instant::now();
        let outcome = self.try_build(online).await;
        match &outcome {
            Ok(report) => {
                tracing::info!(
                    "built {} posts, {} pages and {} Markdown pages in {:.1} s",
                    report.posts,
                    report.pages,
                    report.documents,
                    started.elapsed().as_secs_f64()
                );
                for warning in &report.warnings {
                    tracing::warn!("{warning}");
                }
            }
            Err(message) => {
                tracing::error!(
                    "build failed (the pages show this until the next good build):\n{message}"
                )
            }
        }
        self.live.publish(outcome.map(|_| ()));
    }

    async fn try_build(&self, online: bool) -> Result<pipeline::BuildReport, String> {
        let mut config = SiteConfig::load(&self.site_dir).map_err(|e| describe(&e.into()))?;
        config.base_url = self.base_url.clone();
        let options = BuildOptions {
            offline: !online,
            drafts: self.drafts,
            out: Some(self.out.clone()),
            preview: true,
            ..BuildOptions::default()
        };
        let report = pipeline::build(&config, &options, &pipeline::Progress::default())
            .await
            .map_err(|e| describe(&e))?;
        if !report.baked.failures.is_empty() {
            return Err(report.baked.failures.join("\n"));
        }
        Ok(report)
    }
}

/// An error and its causes, one per line, as the terminal and the overlay show it.
fn describe(err: &anyhow::Error) -> String {
    let mut text = err.to_string();
    for cause in err.chain().skip(1) {
        text.push_str("\n  reason: ");
        text.push_str(&cause.to_string());
    }
    text
}

/// Receives Notion's webhook events on `listener` (as `notion-bake webhook` does) and turns
/// each one that concerns the site into a rebuild from Notion, until `stop`.
fn receive_webhooks(
    listener: TcpListener,
    config: &SiteConfig,
    triggers: mpsc::UnboundedSender<Trigger>,
    mut stop: tokio_watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let (events, mut received) = mpsc::unbounded_channel();
    let receiver = Arc::new(webhook::Receiver::new(config, events));
    webhook::announce(&receiver, listener.local_addr()?);
    tokio::spawn(async move {
        while let Some(event) = received.recv().await {
            if triggers
                .send(Trigger::Notion(format!("webhook: {event}")))
                .is_err()
            {
                break;
            }
        }
    });
    let server =
        axum::serve(listener, webhook::router(receiver)).with_graceful_shutdown(async move {
            let _ = stop.wait_for(|stop| *stop).await;
        });
    tokio::spawn(async move {
        if let Err(e) = server.await {
            tracing::error!("the webhook receiver failed: {e}");
        }
    });
    Ok(())
}

/// Asks Notion for edits every `every`, skipping a turn when the last ask failed or the
/// config (read again each turn) names no Notion source.
async fn poll_notion(
    site_dir: PathBuf,
    every: Duration,
    drafts: bool,
    triggers: mpsc::UnboundedSender<Trigger>,
    mut stop: tokio_watch::Receiver<bool>,
) {
    let snapshot = Snapshot::new(&site_dir);
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    interval.tick().await;
    loop {
        tokio::select! {
            _ = interval.tick() => {}
            _ = stop.wait_for(|stop| *stop) => return,
        }
        let config = match SiteConfig::load(&site_dir) {
            Ok(config) if has_notion_sources(&config) => config,
            Ok(_) => continue,
            Err(e) => {
                // The builder shows a broken config; polling waits for a good one.
                tracing::debug!("not checking Notion: {e}");
                continue;
            }
        };
        let client = match pipeline::client_for(&config) {
            Ok(client) => client,
            Err(e) => {
                tracing::debug!("not checking Notion: {e}");
                continue;
            }
        };
        let plan = pipeline::crawl_plan(
            &config,
            pipeline::FetchOptions {
                full: false,
                drafts,
            },
        );
        let pages: Vec<_> = plan.pages.iter().map(|(id, _)| id.clone()).collect();
        let found = changes::detect(
            &client,
            &snapshot,
            plan.blog.as_ref(),
            &pages,
            changes::Scope::First,
        )
        .await;
        match found.map(|changes| changes.into_iter().next()) {
            Ok(Some(change)) => {
                if triggers.send(Trigger::Notion(change.to_string())).is_err() {
                    return;
                }
            }
            Ok(None) => tracing::debug!("Notion: no edits"),
            Err(e) => tracing::warn!("checking Notion for edits: {}", describe(&e)),
        }
    }
}

/// Opens `url` in the default browser; a failure is a warning.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Err(e) = command.spawn() {
        tracing::warn!("could not open a browser ({e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_busy_default_port_falls_back_but_an_asked_one_fails() {
        // Hold the default port (or find it held already).
        let held = TcpListener::bind(("127.0.0.1", DEFAULT_PORT)).await;
        let listener = bind(None).await.unwrap();
        assert_ne!(listener.local_addr().unwrap().port(), DEFAULT_PORT);
        let busy = listener.local_addr().unwrap().port();
        let err = bind(Some(busy)).await.unwrap_err();
        assert!(
            err.to_string().contains(&format!("127.0.0.1:{busy}")),
            "{err}"
        );
        drop(held);
    }
}
