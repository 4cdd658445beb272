//! `notion-bake webhook`: receives Notion's webhook events and tells the runner (or `serve`'s
//! builder) when one concerns the site.
//!
//! Notion's protocol: the first request to a new subscription's URL carries
//! `{"verification_token": "secret_…"}` and no signature; the user pastes that token into
//! the integration's settings, and from then on every event is signed with it:
//! `X-Notion-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the token>`.
//!
//! Here: the token is kept in `SITE_DIR/.notion-bake/webhook-token` (mode 0600), written once
//! and never replaced (delete the file to accept a new subscription's token); it is printed
//! once, on stdout, when it arrives, and never logged. Every other request must carry a valid
//! signature (401 otherwise); a verified event answers 200, whether it concerns the site or
//! not, so Notion does not retry it.
//!
//! Which events concern the site: those whose `entity.id` or `data.parent.id` is an id the
//! last snapshot knows (the blog database and its data source, posts, pages, child pages,
//! databases inside pages and their rows) or the config names (the blog database, `[[pages]]`).
//! Comment events never do (comments are not published). Without a snapshot, every event
//! does: the first build is due anyway.

use std::collections::HashSet;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use notion_bake::cache::Snapshot;
use notion_bake::config::SiteConfig;

use super::action::Action;

/// Bodies larger than this are refused with 413 (Notion's events are a few kilobytes).
pub const MAX_BODY: usize = 1 << 20;
/// The header carrying the signature.
const SIGNATURE_HEADER: &str = "x-notion-signature";
/// The file, in the cache folder, holding the verification token.
const TOKEN_FILE: &str = "webhook-token";
/// The longest verification token accepted (Notion's are about 70 characters).
const MAX_TOKEN_LEN: usize = 512;

/// What the HTTP handler needs: where the token lives, what the site is made of, and whom to
/// tell about an event that concerns it.
pub struct Receiver {
    token_path: PathBuf,
    snapshot: Snapshot,
    /// Ids the config names (the blog database, `[[pages]]`), in [`id_key`] form.
    configured: HashSet<String>,
    events: mpsc::UnboundedSender<String>,
}

impl Receiver {
    /// A receiver for the site of `config`, sending a one-line description of each event that
    /// concerns the site to `events`.
    pub fn new(config: &SiteConfig, events: mpsc::UnboundedSender<String>) -> Receiver {
        let snapshot = Snapshot::new(&config.site_dir);
        let mut configured: HashSet<String> =
            config.pages.iter().map(|p| id_key(p.id.as_str())).collect();
        if let Some(blog) = &config.blog {
            configured.insert(id_key(blog.database.as_str()));
        }
        Receiver {
            token_path: token_path(&snapshot),
            snapshot,
            configured,
            events,
        }
    }

    /// Whether a verification token is stored.
    pub fn has_token(&self) -> bool {
        self.token_path.is_file()
    }

    /// Where the verification token is kept.
    pub fn token_path(&self) -> &Path {
        &self.token_path
    }

    fn stored_token(&self) -> anyhow::Result<Option<String>> {
        match std::fs::read_to_string(&self.token_path) {
            Ok(token) => Ok(Some(token.trim().to_owned())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", self.token_path.display())),
        }
    }

    /// Whether an event concerns the site (see the module's documentation).
    fn concerns_site(&self, event: &Value) -> bool {
        let kind = event["type"].as_str().unwrap_or_default();
        if kind.starts_with("comment.") {
            return false;
        }
        let manifest = match self.snapshot.load_manifest() {
            Ok(Some(manifest)) => manifest,
            // No snapshot (or an unreadable one): a build is due whatever the event.
            _ => return true,
        };
        let mut known = self.configured.clone();
        if let Some(blog) = &manifest.blog {
            known.insert(id_key(&blog.database_id));
            known.extend(blog.data_source_id.iter().map(|id| id_key(id)));
            known.extend(blog.posts.iter().map(|id| id_key(id)));
        }
        known.extend(manifest.pages.iter().map(|p| id_key(&p.id)));
        for database in &manifest.databases {
            known.insert(id_key(&database.id));
            known.extend(database.data_source_id.iter().map(|id| id_key(id)));
            known.extend(database.rows.iter().map(|id| id_key(id)));
        }
        [&event["entity"]["id"], &event["data"]["parent"]["id"]]
            .into_iter()
            .filter_map(Value::as_str)
            .any(|id| known.contains(&id_key(id)))
    }
}

/// `SITE_DIR/.notion-bake/webhook-token`.
fn token_path(snapshot: &Snapshot) -> PathBuf {
    snapshot.root().join(TOKEN_FILE)
}

/// An id in one form whatever its dashes and case.
fn id_key(id: &str) -> String {
    id.chars()
        .filter(|c| *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The receiver's routes: a `POST` to any path.
pub fn router(receiver: Arc<Receiver>) -> Router {
    Router::new().fallback(receive).with_state(receiver)
}

async fn receive(State(receiver): State<Arc<Receiver>>, request: Request) -> StatusCode {
    if request.method() != Method::POST {
        return StatusCode::METHOD_NOT_ALLOWED;
    }
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_BODY as u64) {
        tracing::warn!(
            "webhook: refused a body of {} bytes (over 1 MiB)",
            declared.unwrap_or(0)
        );
        return StatusCode::PAYLOAD_TOO_LARGE;
    }
    // Read at most MAX_BODY bytes, whatever the headers said.
    let Ok(body) = to_bytes(body, MAX_BODY).await else {
        tracing::warn!("webhook: refused a body over 1 MiB (or one that broke off)");
        return StatusCode::PAYLOAD_TOO_LARGE;
    };
    match receiver.handle(&parts.headers, &body) {
        Ok(status) => status,
        Err(e) => {
            tracing::error!("webhook: {e:#}");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

impl Receiver {
    /// Judges one request's body: a verification request, a verified event, or neither.
    fn handle(&self, headers: &HeaderMap, body: &[u8]) -> anyhow::Result<StatusCode> {
        let signature = headers.get(SIGNATURE_HEADER).map(|v| v.as_bytes());
        let Some(token) = self.stored_token()? else {
            return self.verification(body);
        };
        if !signature.is_some_and(|s| signature_matches(&token, body, s)) {
            if verification_token(body).is_some() {
                tracing::warn!(
                    "webhook: refused a verification request: a token is stored already in {} \
                     (delete that file to accept a new subscription's token)",
                    self.token_path.display()
                );
            } else {
                tracing::warn!(
                    "webhook: refused a request {} (401)",
                    if signature.is_some() {
                        "with a wrong signature"
                    } else {
                        "without a signature"
                    }
                );
            }
            return Ok(StatusCode::UNAUTHORIZED);
        }
        let Ok(event) = serde_json::from_slice::<Value>(body) else {
            tracing::warn!("webhook: a signed request whose body is not JSON (400)");
            return Ok(StatusCode::BAD_REQUEST);
        };
        let description = describe(&event);
        if self.concerns_site(&event) {
            tracing::info!("webhook: {description}");
            // The runner has stopped only when the whole command is stopping.
            let _ = self.events.send(description);
        } else {
            tracing::info!("webhook: {description}: not about this site, ignored");
        }
        Ok(StatusCode::OK)
    }

    /// The first request: keeps its verification token, once.
    fn verification(&self, body: &[u8]) -> anyhow::Result<StatusCode> {
        let Some(token) = verification_token(body) else {
            tracing::warn!(
                "webhook: refused a request (401): no verification token is stored yet, so no \
                 event can be verified; waiting for Notion's verification request"
            );
            return Ok(StatusCode::UNAUTHORIZED);
        };
        if !store_token(&self.token_path, &token)? {
            return Ok(StatusCode::UNAUTHORIZED);
        }
        tracing::info!(
            "webhook: Notion's verification token is stored in {}; paste the token printed on \
             stdout into the subscription's \"Verify\" dialog in the integration's settings",
            self.token_path.display()
        );
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{token}");
        let _ = stdout.flush();
        Ok(StatusCode::OK)
    }
}

/// The `verification_token` of a verification request's body, if it is one (and the token
/// looks like one: printable ASCII, not too long).
fn verification_token(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let token = value.get("verification_token")?.as_str()?;
    let plausible = !token.is_empty()
        && token.len() <= MAX_TOKEN_LEN
        && token.bytes().all(|b| b.is_ascii_graphic());
    plausible.then(|| token.to_owned())
}

/// Writes the token to a new file readable by its owner only; `false` when one exists (it is
/// never replaced).
fn store_token(path: &Path, token: &str) -> anyhow::Result<bool> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = match options.open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    file.write_all(format!("{token}\n").as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(true)
}

/// Whether `header` is `sha256=` and the hex HMAC-SHA256 of `body` keyed with `token`,
/// compared in constant time.
fn signature_matches(token: &str, body: &[u8], header: &[u8]) -> bool {
    let Some(hex_digest) = header.strip_prefix(b"sha256=") else {
        return false;
    };
    let Ok(expected) = hex::decode(hex_digest) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(token.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// `page.content_updated on page <id>`: the event's type and entity, for the log (ids only:
/// no text from the event's body).
fn describe(event: &Value) -> String {
    let kind = event["type"].as_str().unwrap_or("an event");
    let entity = &event["entity"];
    let safe = |text: &str| -> String {
        text.chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            .take(64)
            .collect()
    };
    match (entity["type"].as_str(), entity["id"].as_str()) {
        (Some(what), Some(id)) => format!("{} on {} {}", safe(kind), safe(what), safe(id)),
        _ => safe(kind),
    }
}

/// `notion-bake webhook`: listens on `addr` until Ctrl-C (or SIGTERM), running `action`
/// after the events that concern the site.
pub async fn run(
    config: &SiteConfig,
    addr: SocketAddr,
    debounce: Duration,
    action: Action,
) -> anyhow::Result<()> {
    let (events, received) = mpsc::unbounded_channel();
    let receiver = Arc::new(Receiver::new(config, events));
    let listener = bind(addr).await?;
    announce(&receiver, listener.local_addr()?);
    let runner = tokio::spawn(super::action::run(received, debounce, action));
    axum::serve(listener, router(receiver))
        .with_graceful_shutdown(crate::shutdown::signal())
        .await
        .context("the webhook receiver failed")?;
    runner.abort();
    Ok(())
}

/// Listens on `addr` (`--listen`, or `serve --webhook`).
pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen for webhook events on {addr}"))
}

/// Says where events are received, and whether the verification token is stored yet.
pub fn announce(receiver: &Receiver, addr: SocketAddr) {
    tracing::info!("listening for Notion webhook events on http://{addr}/ (any path)");
    if receiver.has_token() {
        tracing::info!(
            "verifying events with the token in {}",
            receiver.token_path().display()
        );
    } else {
        tracing::info!(
            "no verification token yet: create the subscription in the integration's settings \
             (Webhooks); the token Notion sends is stored and printed once"
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn sign(token: &str, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(token.as_bytes()).unwrap();
        mac.update(body);
        format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
    }

    #[test]
    fn only_the_tokens_hmac_of_the_exact_body_is_accepted() {
        let body = br#"{"type":"page.content_updated"}"#;
        let good = sign("secret_abc", body);
        assert!(signature_matches("secret_abc", body, good.as_bytes()));
        assert!(!signature_matches("secret_abd", body, good.as_bytes()));
        assert!(!signature_matches(
            "secret_abc",
            br#"{"type":"page.content_updatee"}"#,
            good.as_bytes()
        ));
        assert!(!signature_matches(
            "secret_abc",
            body,
            good.trim_start_matches("sha256=").as_bytes()
        ));
        assert!(!signature_matches("secret_abc", body, b"sha256=zz"));
        assert!(!signature_matches("secret_abc", body, b""));
    }

    #[test]
    fn a_token_is_stored_once_for_its_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".notion-bake").join(TOKEN_FILE);
        assert!(store_token(&path, "secret_first").unwrap());
        assert!(!store_token(&path, "secret_second").unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "secret_first\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn verification_tokens_must_look_like_one() {
        let body =
            |token: Value| serde_json::to_vec(&json!({"verification_token": token})).unwrap();
        assert_eq!(
            verification_token(&body(json!("secret_x1"))).as_deref(),
            Some("secret_x1")
        );
        assert_eq!(verification_token(&body(json!(""))), None);
        assert_eq!(verification_token(&body(json!("a b"))), None);
        assert_eq!(verification_token(&body(json!("x".repeat(600)))), None);
        assert_eq!(verification_token(&body(json!(7))), None);
        assert_eq!(verification_token(b"not json"), None);
    }

    #[test]
    fn descriptions_carry_no_text_from_the_event() {
        let event = json!({"type": "page.created\u{1b}[2J", "entity": {"type": "page",
            "id": "1234-abcd; rm -rf /"}});
        assert_eq!(describe(&event), "page.created2J on page 1234-abcdrm-rf");
    }
}
