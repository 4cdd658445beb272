//! What `webhook` does about the events that concern the site: after a quiet spell
//! (`--debounce`), run one action — a shell command (`--exec`) or a POST to a deploy hook
//! (`--dispatch`). One action runs at a time; events arriving during a run make exactly one
//! more run after it, whatever their number.
//!
//! Nothing from an event reaches the action: the command line is the `--exec` string as
//! given, run by `sh -c` in the site folder with the environment `webhook` itself has; the
//! hook's request is the same every time.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use tokio::sync::mpsc;
use url::Url;

/// A run waits for a quiet spell at most this many `--debounce` lengths.
const MAX_QUIET_WAITS: u32 = 6;
/// How long a deploy hook may take to answer.
const DISPATCH_TIMEOUT: Duration = Duration::from_secs(30);

/// The action run after events.
#[derive(Debug, Clone)]
pub enum Action {
    /// `sh -c COMMAND` in `dir`.
    Exec {
        /// The command, from the command line only.
        command: String,
        /// The site folder.
        dir: PathBuf,
    },
    /// A POST to a deploy hook.
    Dispatch(Dispatch),
}

/// A deploy hook: GitHub's `repository_dispatch` (a URL ending in `/dispatches`, which gets
/// `{"event_type": "notion-bake"}`), or a build hook that takes an empty POST (Netlify,
/// Cloudflare Pages, Vercel).
#[derive(Clone)]
pub struct Dispatch {
    /// The hook. Build hooks hold their secret in the URL, so it is never printed whole.
    pub url: Url,
    /// Sent as `Authorization: Bearer …` (from the environment variable `--dispatch-token-env`
    /// names).
    pub bearer: Option<String>,
}

impl std::fmt::Debug for Dispatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dispatch")
            .field("host", &self.url.host_str())
            .field("bearer", &self.bearer.as_ref().map(|_| "…"))
            .finish()
    }
}

impl Dispatch {
    /// Whether the hook is GitHub's `repository_dispatch`, which needs a JSON body.
    fn is_repository_dispatch(&self) -> bool {
        self.url
            .path()
            .trim_end_matches('/')
            .ends_with("/dispatches")
    }
}

/// Runs `action` for the events from `events`, until the sender side closes.
pub async fn run(mut events: mpsc::UnboundedReceiver<String>, debounce: Duration, action: Action) {
    let client = match http_client() {
        Ok(client) => client,
        Err(e) => {
            tracing::error!("webhook: {e:#}");
            return;
        }
    };
    while events.recv().await.is_some() {
        // Wait for a quiet spell: events in a burst (Notion sends several for one edit) make
        // one run. Events that never go quiet still run it after MAX_QUIET_WAITS spells.
        let give_up = tokio::time::Instant::now() + debounce * MAX_QUIET_WAITS;
        let quiet = || debounce.min(give_up.saturating_duration_since(tokio::time::Instant::now()));
        while let Ok(Some(_)) = tokio::time::timeout(quiet(), events.recv()).await {}
        match run_once(&action, &client).await {
            Ok(()) => {}
            Err(e) => tracing::error!("webhook: {e:#}"),
        }
        // Events that arrived during the run are still in the channel: the next turn of the
        // loop takes them all into one more run.
    }
}

fn http_client() -> anyhow::Result<reqwest::Client> {
    notion_bake::tls::install_crypto_provider();
    reqwest::Client::builder()
        .user_agent(concat!("notion-bake/", env!("CARGO_PKG_VERSION")))
        .timeout(DISPATCH_TIMEOUT)
        .build()
        .context("cannot set up the HTTP client for --dispatch")
}

async fn run_once(action: &Action, client: &reqwest::Client) -> anyhow::Result<()> {
    match action {
        Action::Exec { command, dir } => {
            tracing::info!("webhook: running the --exec command");
            // A blocking wait on its own thread (tokio's `process` feature is not compiled in).
            let mut child = std::process::Command::new("sh");
            child
                .arg("-c")
                .arg(command)
                .current_dir(dir)
                .stdin(std::process::Stdio::null());
            let status = tokio::task::spawn_blocking(move || child.status())
                .await
                .context("the --exec command's thread failed")?
                .context("cannot run the --exec command with sh")?;
            if !status.success() {
                anyhow::bail!("the --exec command failed ({status})");
            }
            tracing::info!("webhook: the --exec command finished");
            Ok(())
        }
        Action::Dispatch(hook) => {
            let host = hook.url.host_str().unwrap_or("the hook").to_owned();
            let mut request = client.post(hook.url.clone());
            if hook.is_repository_dispatch() {
                request = request
                    .header(ACCEPT, "application/vnd.github+json")
                    .json(&serde_json::json!({"event_type": "notion-bake"}));
            }
            if let Some(token) = &hook.bearer {
                let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
                    .context("the --dispatch-token-env value cannot be sent in a header")?;
                value.set_sensitive(true);
                request = request.header(AUTHORIZATION, value);
            }
            let response = request.send().await.map_err(|e| {
                anyhow::anyhow!(
                    "cannot reach the deploy hook at {host}: {}",
                    e.without_url()
                )
            })?;
            let status = response.status();
            if !status.is_success() {
                anyhow::bail!("the deploy hook at {host} answered {status}");
            }
            tracing::info!("webhook: the deploy hook at {host} answered {status}");
            Ok(())
        }
    }
}
