//! The preview server's HTTP side: the built files (through tower-http's `ServeDir`), the
//! live-reload script injected into HTML responses, and the Server-Sent Events stream that
//! tells pages to reload or to show a build error.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use futures_util::stream::{self, StreamExt};
use tokio::sync::{broadcast, watch};
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// The path of the event stream.
pub const EVENTS_PATH: &str = "/__notion_bake/events";
/// The path of the injected script.
pub const SCRIPT_PATH: &str = "/__notion_bake/live.js";

const SCRIPT: &str = include_str!("live.js");
const SNIPPET: &str = "<script src=\"/__notion_bake/live.js\"></script>";
/// HTML larger than this is served as it is, without the script.
const MAX_INJECTED_BYTES: usize = 64 * 1024 * 1024;

/// What the pages are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// A build succeeded: reload.
    Reload,
    /// A build failed: show the message over the page.
    BuildError(String),
}

/// Shared between the server, the builder and the event streams.
#[derive(Debug)]
pub struct Live {
    /// The folder served (the private build output).
    pub root: PathBuf,
    /// Identifies this run of `serve`, so a page that reconnects to a new run reloads.
    pub run_id: String,
    pub events: broadcast::Sender<LiveEvent>,
    /// The last build's error, shown to pages that connect after it.
    pub error: Mutex<Option<String>>,
    /// Flips to true on Ctrl-C: event streams end so the server can stop.
    pub shutdown: watch::Receiver<bool>,
}

impl Live {
    /// Records a build's outcome and tells every connected page.
    pub fn publish(&self, outcome: Result<(), String>) {
        let event = match outcome {
            Ok(()) => {
                *self.error.lock().unwrap_or_else(|e| e.into_inner()) = None;
                LiveEvent::Reload
            }
            Err(message) => {
                *self.error.lock().unwrap_or_else(|e| e.into_inner()) = Some(message.clone());
                LiveEvent::BuildError(message)
            }
        };
        // No receiver (no page open) is fine.
        let _ = self.events.send(event);
    }
}

/// The router: the event stream, the script, and everything else from the built files.
pub fn router(live: Arc<Live>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .fallback(files)
        .with_state(live)
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        SCRIPT,
    )
        .into_response()
}

async fn events(
    State(live): State<Arc<Live>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the state, so no outcome falls between the two.
    let receiver = live.events.subscribe();
    let current = live.error.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let first = [
        Event::default().event("hello").data(&live.run_id),
        match current {
            Some(message) => Event::default().event("build-error").data(message),
            None => Event::default().event("build-ok").data(""),
        },
    ];
    let updates = stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(event) => return Some((to_sse(event), receiver)),
                // A slow page missed some events: only the last outcome matters, and the
                // next one follows.
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let mut shutdown = live.shutdown.clone();
    let stop = async move {
        let _ = shutdown.wait_for(|stop| *stop).await;
    };
    let stream = stream::iter(first)
        .chain(updates)
        .take_until(stop)
        .map(Ok::<_, Infallible>);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn to_sse(event: LiveEvent) -> Event {
    match event {
        LiveEvent::Reload => Event::default().event("reload").data(""),
        LiveEvent::BuildError(message) => Event::default().event("build-error").data(message),
    }
}

/// A built file, with the script injected into HTML; 404 (the site's `404.html` when it has
/// one) for anything missing or outside the site.
async fn files(State(live): State<Arc<Live>>, request: Request) -> Response {
    if !is_inside_site(request.uri().path()) {
        tracing::debug!("refused {}", request.uri().path());
        return not_found(&live.root).await;
    }
    let response = match ServeDir::new(&live.root)
        .append_index_html_on_directories(true)
        .oneshot(request)
        .await
    {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    if response.status() == StatusCode::NOT_FOUND {
        return not_found(&live.root).await;
    }
    with_script(response).await
}

/// Whether a request path stays inside the site once percent-decoded: no `.` or `..`
/// segment, no backslash, NUL or drive letter, in any encoding.
pub fn is_inside_site(path: &str) -> bool {
    let Ok(decoded) = percent_encoding::percent_decode_str(path).decode_utf8() else {
        return false;
    };
    if decoded.contains(['\0', '\\']) || !decoded.starts_with('/') {
        return false;
    }
    decoded
        .split('/')
        .all(|segment| segment != ".." && segment != "." && !segment.contains(':'))
}

async fn not_found(root: &Path) -> Response {
    let page = tokio::fs::read(root.join("404.html")).await.unwrap_or_else(|_| {
        b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title>\
          </head><body><h1>Not found</h1></body></html>"
            .to_vec()
    });
    let response = Response::builder()
        .status(StatusCode::NOT_FOUND)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(page))
        .expect("a valid response");
    with_script(response).await
}

/// Adds the live-reload script to a `text/html` response (before `</body>`, or at the end);
/// every other response passes through. Nothing is ever cached by the browser.
async fn with_script(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let is_html = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html || parts.headers.contains_key(header::CONTENT_ENCODING) {
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = to_bytes(body, MAX_INJECTED_BYTES).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the page could not be read",
        )
            .into_response();
    };
    let html = inject(&bytes);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::ETAG);
    parts.headers.remove(header::LAST_MODIFIED);
    parts.headers.remove(header::ACCEPT_RANGES);
    Response::from_parts(parts, Body::from(html))
}

/// The page with the script before its last `</body>` (any case), or appended.
pub fn inject(html: &[u8]) -> Vec<u8> {
    let lower = html.to_ascii_lowercase();
    let at = lower
        .windows(b"</body".len())
        .rposition(|w| w == b"</body")
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + SNIPPET.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(SNIPPET.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_in_any_encoding_is_outside_the_site() {
        for path in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/etc/passwd",
            "/..%2fetc/passwd",
            "/..%5c..%5cetc",
            "/a\\..\\b",
            "/c%3A/Windows",
            "/x%00.html",
            "/%ff%fe",
            "/./index.html",
        ] {
            assert!(!is_inside_site(path), "{path}");
        }
        for path in [
            "/",
            "/posts/hello/",
            "/assets/a-1f2e.jpg",
            "/tags/caf%C3%A9/",
        ] {
            assert!(is_inside_site(path), "{path}");
        }
    }

    #[test]
    fn the_script_goes_before_the_last_closing_body_tag() {
        let html = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(html)).unwrap();
        assert_eq!(out, format!("<html><body><p>x</p>{SNIPPET}</BODY></html>"));
        let bare = String::from_utf8(inject(b"<p>no body</p>")).unwrap();
        assert_eq!(bare, format!("<p>no body</p>{SNIPPET}"));
    }
}
