//! The HTTP side: an axum app on 127.0.0.1:0 serving the API and the signed file URLs, with
//! fault injection and counters.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration as StdDuration, Instant};

use axum::Router;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::blocks::FILE_KEY;
use super::workspace::{BOT_USER_ID, DbRec, FileRef, Workspace, db_times, plain_text};
use super::{
    VERSION_2022, VERSION_2025, VERSION_2026, decode_segment, normalize_id, query, uuid_from,
};

/// What kind of request a logged request was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `GET /v1/users/me`
    UsersMe,
    /// `GET /v1/pages/{id}`
    Page,
    /// `GET /v1/pages/{id}/properties/{property_id}`
    PageProperty,
    /// `GET /v1/blocks/{id}`
    Block,
    /// `GET /v1/blocks/{id}/children`
    BlockChildren,
    /// `GET /v1/databases/{id}`
    Database,
    /// `GET /v1/data_sources/{id}`
    DataSource,
    /// `POST /v1/data_sources/{id}/query` or `POST /v1/databases/{id}/query`
    Query,
    /// `POST /v1/search`
    Search,
    /// `GET /v1/views?database_id=…`
    Views,
    /// `GET /v1/views/{id}`
    View,
    /// Anything else under `/v1/`
    Other,
    /// A file download (signed URL, not part of the API)
    File,
}

/// One request, as logged (API and file downloads alike).
#[derive(Clone, Debug)]
pub struct RequestRecord {
    /// When the request arrived (for pacing assertions).
    pub at: Instant,
    pub method: String,
    /// Path without the query string.
    pub path: String,
    /// The query string, as sent.
    pub query: String,
    pub endpoint: Endpoint,
    pub status: u16,
    /// Whether an `Authorization` header was sent.
    pub had_authorization: bool,
}

/// One file download attempt.
#[derive(Clone, Debug)]
pub struct DownloadRecord {
    pub at: Instant,
    /// The file, when the path named a known one.
    pub file: Option<FileRef>,
    pub status: u16,
    /// Whether the request carried an `Authorization` header (it never should).
    pub had_authorization: bool,
    /// Whether the request carried a `Notion-Version` header (it never should).
    pub had_notion_version: bool,
    /// Whether the body was cut short on purpose (`truncate_next_download`).
    pub truncated: bool,
}

struct Faults {
    rate: Option<(f64, f64)>,
    tokens: f64,
    refilled: Instant,
    retry_after_secs: u64,
    error_rate: f64,
    rng: u64,
    fail_next: VecDeque<u16>,
    fail_next_downloads: VecDeque<u16>,
    url_ttl_secs: i64,
    clock_offset: Duration,
    files_expire_immediately: bool,
    /// Files whose first URL in `files_expire_immediately` mode was already handed out.
    expired_once: HashSet<String>,
    always_expired: HashSet<String>,
    signature_mismatch: HashSet<String>,
    truncate_next: HashMap<String, u32>,
    /// URLs signed so far, per file uuid.
    issued: HashMap<String, u64>,
    sign_counter: u64,
    latency: StdDuration,
    file_base_url: Option<String>,
    hostile: Hostile,
    /// Files whose downloads send half their bytes, then nothing more (`stall_downloads`).
    stalled: HashSet<String>,
}

/// A hostile server's answers (`set_hostile`): what a broken or malicious Notion, or a proxy in
/// front of it, could send.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Hostile {
    /// Honest answers.
    #[default]
    Off,
    /// Every `blocks/{id}/children` answer is this many bytes of leading whitespace before
    /// the JSON, streamed without a `Content-Length`.
    HugeChildren(usize),
    /// `blocks/{id}/children` always says `has_more` with the same `next_cursor`; a database
    /// query's cursors go c1 → c2 → c1.
    RepeatingCursor,
    /// A database's list of views (`GET /v1/views`) always says `has_more` with the same
    /// `next_cursor`; every other answer is honest.
    RepeatingViewCursor,
    /// Every API request is refused with a 400 whose message echoes the request's
    /// `Authorization` header, a signed file URL and a proxy URL with a password.
    EchoingErrors,
}

#[derive(Default)]
struct Counters {
    log: Vec<RequestRecord>,
    downloads: Vec<DownloadRecord>,
}

struct Shared {
    ws: Mutex<Workspace>,
    faults: Mutex<Faults>,
    counters: Mutex<Counters>,
    token: String,
    secret: String,
    base_url: String,
    request_seq: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running fake Notion server. Dropping it stops the server.
pub struct FakeNotion {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
}

impl Drop for FakeNotion {
    fn drop(&mut self) {
        if let Some(tx) = lock(&self.shutdown).take() {
            let _ = tx.send(());
        }
    }
}

const TOKEN: &str = "ntn_4815162342fAkEt0kEnN0tRe4lXq9ZpW7yLmB3vKdHsJcQeR";

impl FakeNotion {
    /// Starts the server on 127.0.0.1:0. It runs on its own thread with its own tokio runtime,
    /// so it keeps serving even while the calling test blocks (e.g. on a subprocess).
    pub async fn start(workspace: Workspace) -> FakeNotion {
        Self::start_blocking(workspace)
    }

    /// Same as [`FakeNotion::start`], callable outside an async context.
    pub fn start_blocking(workspace: Workspace) -> FakeNotion {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            ws: Mutex::new(workspace),
            faults: Mutex::new(Faults {
                rate: None,
                tokens: 0.0,
                refilled: Instant::now(),
                retry_after_secs: 1,
                error_rate: 0.0,
                rng: 0x9E37_79B9_7F4A_7C15,
                fail_next: VecDeque::new(),
                fail_next_downloads: VecDeque::new(),
                url_ttl_secs: 3600,
                clock_offset: Duration::zero(),
                files_expire_immediately: false,
                expired_once: HashSet::new(),
                always_expired: HashSet::new(),
                signature_mismatch: HashSet::new(),
                truncate_next: HashMap::new(),
                issued: HashMap::new(),
                sign_counter: 0,
                latency: StdDuration::ZERO,
                file_base_url: None,
                hostile: Hostile::Off,
                stalled: HashSet::new(),
            }),
            counters: Mutex::new(Counters::default()),
            token: TOKEN.to_string(),
            secret: uuid_from(&format!("secret:{}", addr.port())),
            base_url: format!("http://{addr}"),
            request_seq: AtomicU64::new(0),
        });
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let app = Router::new().fallback(handle).with_state(shared.clone());
        std::thread::Builder::new()
            .name(format!("fake-notion-{}", addr.port()))
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("fake notion runtime");
                rt.block_on(async move {
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                    let _ = axum::serve(listener, app)
                        .with_graceful_shutdown(async move {
                            let _ = rx.await;
                        })
                        .await;
                });
                // Do not wait for lingering keep-alive connections.
                rt.shutdown_background();
            })
            .expect("spawn fake notion thread");
        FakeNotion {
            shared,
            addr,
            shutdown: Mutex::new(Some(tx)),
        }
    }

    /// `http://127.0.0.1:PORT` (set `NOTION_API_URL` to this). Files are served from here too.
    pub fn url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The one valid bearer token (an `ntn_…` secret; assert it never appears in output).
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    // ------------------------------------------------------------------ workspace access

    /// Runs `f` on the live workspace (add rows, pages, files, … while the server runs).
    pub fn with_workspace<R>(&self, f: impl FnOnce(&mut Workspace) -> R) -> R {
        f(&mut lock(&self.shared.ws))
    }

    /// Edits a page object; bumps its `last_edited_time` to a strictly later minute unless `f`
    /// set `last_edited_time` itself.
    pub fn edit_page(&self, id: &str, f: impl FnOnce(&mut Value)) {
        let mut ws = lock(&self.shared.ws);
        let page = ws.page_mut(id);
        let before = page["last_edited_time"].clone();
        f(page);
        if page["last_edited_time"] == before {
            ws.touch(id);
        }
    }

    /// Edits a block object; bumps the block's and its page's `last_edited_time`.
    pub fn edit_block(&self, id: &str, f: impl FnOnce(&mut Value)) {
        let mut ws = lock(&self.shared.ws);
        f(ws.block_mut(id));
        ws.touch(id);
    }

    /// Bumps a page's (or block's) `last_edited_time` to a strictly later minute.
    pub fn touch_page(&self, id: &str) {
        lock(&self.shared.ws).touch(id);
    }

    /// Replaces a page's (or block's) children and bumps its `last_edited_time`.
    pub fn replace_blocks(&self, id: &str, blocks: Vec<Value>) -> Vec<String> {
        let mut ws = lock(&self.shared.ws);
        let ids = ws.set_blocks(id, blocks);
        ws.touch(id);
        ids
    }

    /// Moves a page or block to the trash.
    pub fn trash(&self, id: &str) {
        lock(&self.shared.ws).trash(id);
    }

    // ------------------------------------------------------------------ faults

    /// Limits API requests to `per_second` on average with bursts of `burst` (token bucket);
    /// excess requests get 429 + `Retry-After`. `None` turns limiting off. File downloads are
    /// never rate limited.
    pub fn set_rate_limit(&self, per_second: Option<f64>, burst: u32) {
        let mut f = lock(&self.shared.faults);
        f.rate = per_second.map(|r| (r, burst.max(1) as f64));
        f.tokens = burst.max(1) as f64;
        f.refilled = Instant::now();
    }

    /// The `Retry-After` seconds sent with 429s (default 1).
    pub fn set_retry_after(&self, secs: u64) {
        lock(&self.shared.faults).retry_after_secs = secs;
    }

    /// Fails this fraction (0..=1) of API requests with 500/502/503 (pseudo-random but
    /// deterministic for a given seed).
    pub fn set_error_rate(&self, rate: f64) {
        lock(&self.shared.faults).error_rate = rate;
    }

    /// Seeds the pseudo-random generator behind `set_error_rate`.
    pub fn set_seed(&self, seed: u64) {
        lock(&self.shared.faults).rng = seed | 1;
    }

    /// The next `n` API requests fail with `status` (500, 502, 503, 504, 529, …).
    pub fn fail_next(&self, n: usize, status: u16) {
        let mut f = lock(&self.shared.faults);
        f.fail_next.extend(std::iter::repeat_n(status, n));
    }

    /// The next `n` file downloads fail with `status` (S3-style XML body).
    pub fn fail_next_downloads(&self, n: usize, status: u16) {
        let mut f = lock(&self.shared.faults);
        f.fail_next_downloads.extend(std::iter::repeat_n(status, n));
    }

    /// Delays every API response by `latency` (default none).
    pub fn set_latency(&self, latency: StdDuration) {
        lock(&self.shared.faults).latency = latency;
    }

    /// The latency [`FakeNotion::set_latency`] set.
    pub fn latency(&self) -> StdDuration {
        lock(&self.shared.faults).latency
    }

    /// Lifetime of signed URLs handed out from now on (`X-Amz-Expires`, default 3600 s).
    pub fn set_url_ttl(&self, ttl: StdDuration) {
        lock(&self.shared.faults).url_ttl_secs = ttl.as_secs() as i64;
    }

    /// Moves the server's clock (used to sign URLs and to check expiry) forward by `by`:
    /// every URL handed out earlier than `by` minus its lifetime is now expired; new URLs are
    /// valid again. The fast way to test expiry without sleeping.
    pub fn advance_clock(&self, by: StdDuration) {
        let mut f = lock(&self.shared.faults);
        f.clock_offset += Duration::from_std(by).unwrap();
    }

    /// Hands out file URLs on another base (e.g. `http://localhost:PORT`, which reaches the same
    /// server) to simulate Notion moving files to a new host: the last two path segments stay.
    /// `None` goes back to [`FakeNotion::url`].
    pub fn set_file_base_url(&self, base: Option<String>) {
        lock(&self.shared.faults).file_base_url = base.map(|b| b.trim_end_matches('/').to_string());
    }

    /// When on, the first URL handed out for each file (after switching the mode on) is already
    /// expired: its `expiry_time` is in the past and downloading it gives the 403 "Request has
    /// expired". Later URLs for the file are valid.
    pub fn set_files_expire_immediately(&self, on: bool) {
        let mut f = lock(&self.shared.faults);
        f.files_expire_immediately = on;
        f.expired_once.clear();
    }

    /// Every URL handed out for `file` is expired: refreshing never helps.
    pub fn always_expired(&self, file: &FileRef) {
        lock(&self.shared.faults)
            .always_expired
            .insert(file.file_uuid.clone());
    }

    /// Downloads of `file` fail with 403 `SignatureDoesNotMatch` (a real failure, not expiry).
    pub fn signature_mismatch(&self, file: &FileRef) {
        lock(&self.shared.faults)
            .signature_mismatch
            .insert(file.file_uuid.clone());
    }

    /// The next download of `file` announces the full `Content-Length` but sends only half the
    /// bytes, then breaks the connection.
    pub fn truncate_next_download(&self, file: &FileRef) {
        *lock(&self.shared.faults)
            .truncate_next
            .entry(file.file_uuid.clone())
            .or_default() += 1;
    }

    /// Makes the server hostile (see [`Hostile`]).
    pub fn set_hostile(&self, hostile: Hostile) {
        lock(&self.shared.faults).hostile = hostile;
    }

    /// Every download of `file` sends half its bytes, then stalls for an hour.
    pub fn stall_downloads(&self, file: &FileRef) {
        lock(&self.shared.faults)
            .stalled
            .insert(file.file_uuid.clone());
    }

    /// Clears every fault setting (rate limit, errors, expiry modes, clock offset stays).
    pub fn clear_faults(&self) {
        let mut f = lock(&self.shared.faults);
        f.rate = None;
        f.error_rate = 0.0;
        f.fail_next.clear();
        f.fail_next_downloads.clear();
        f.files_expire_immediately = false;
        f.always_expired.clear();
        f.signature_mismatch.clear();
        f.truncate_next.clear();
        f.latency = StdDuration::ZERO;
        f.hostile = Hostile::Off;
        f.stalled.clear();
    }

    // ------------------------------------------------------------------ counters

    /// API requests so far (every status, file downloads excluded).
    pub fn total_requests(&self) -> usize {
        lock(&self.shared.counters)
            .log
            .iter()
            .filter(|r| r.endpoint != Endpoint::File)
            .count()
    }

    /// API requests to one kind of endpoint (every status).
    pub fn requests(&self, endpoint: Endpoint) -> usize {
        lock(&self.shared.counters)
            .log
            .iter()
            .filter(|r| r.endpoint == endpoint)
            .count()
    }

    /// Requests for one object: e.g. `requests_for(Endpoint::BlockChildren, page_id)`.
    pub fn requests_for(&self, endpoint: Endpoint, id: &str) -> usize {
        let id = normalize_id(id).unwrap_or_default();
        lock(&self.shared.counters)
            .log
            .iter()
            .filter(|r| r.endpoint == endpoint && path_id(&r.path).as_deref() == Some(id.as_str()))
            .count()
    }

    /// Requests answered 429.
    pub fn rate_limited_count(&self) -> usize {
        self.count_status(429)
    }

    /// API requests answered with `status`.
    pub fn count_status(&self, status: u16) -> usize {
        lock(&self.shared.counters)
            .log
            .iter()
            .filter(|r| r.endpoint != Endpoint::File && r.status == status)
            .count()
    }

    /// The full request log (API and downloads), in arrival order.
    pub fn request_log(&self) -> Vec<RequestRecord> {
        lock(&self.shared.counters).log.clone()
    }

    /// Successful (200, untruncated) downloads of `file`.
    pub fn downloads(&self, file: &FileRef) -> usize {
        lock(&self.shared.counters)
            .downloads
            .iter()
            .filter(|d| d.status == 200 && !d.truncated && d.file.as_ref() == Some(file))
            .count()
    }

    /// Download attempts of `file`, whatever their outcome.
    pub fn download_attempts(&self, file: &FileRef) -> usize {
        lock(&self.shared.counters)
            .downloads
            .iter()
            .filter(|d| d.file.as_ref() == Some(file))
            .count()
    }

    /// Successful (200, untruncated) downloads of the file(s) named `filename`.
    pub fn downloads_by_name(&self, filename: &str) -> usize {
        lock(&self.shared.counters)
            .downloads
            .iter()
            .filter(|d| {
                d.status == 200
                    && !d.truncated
                    && d.file.as_ref().is_some_and(|f| f.filename == filename)
            })
            .count()
    }

    /// API request counts by endpoint kind (every status).
    pub fn requests_by_endpoint(&self) -> HashMap<Endpoint, usize> {
        let mut m = HashMap::new();
        for r in lock(&self.shared.counters)
            .log
            .iter()
            .filter(|r| r.endpoint != Endpoint::File)
        {
            *m.entry(r.endpoint).or_default() += 1;
        }
        m
    }

    /// Successful downloads of all files.
    pub fn total_downloads(&self) -> usize {
        lock(&self.shared.counters)
            .downloads
            .iter()
            .filter(|d| d.status == 200 && !d.truncated)
            .count()
    }

    /// Every download attempt, in order.
    pub fn download_log(&self) -> Vec<DownloadRecord> {
        lock(&self.shared.counters).downloads.clone()
    }

    /// Download attempts that carried an `Authorization` header (should be 0).
    pub fn downloads_with_authorization(&self) -> usize {
        lock(&self.shared.counters)
            .downloads
            .iter()
            .filter(|d| d.had_authorization)
            .count()
    }

    /// How many signed URLs were handed out for `file`.
    pub fn urls_issued(&self, file: &FileRef) -> u64 {
        lock(&self.shared.faults)
            .issued
            .get(&file.file_uuid)
            .copied()
            .unwrap_or(0)
    }

    /// Forgets all counters and logs (faults and workspace stay).
    pub fn reset_counters(&self) {
        let mut c = lock(&self.shared.counters);
        c.log.clear();
        c.downloads.clear();
    }

    /// A freshly signed URL for `file` (as the API would hand out now); counts as issued.
    pub fn signed_url(&self, file: &FileRef) -> String {
        self.shared.sign(&file.file_uuid).0
    }
}

/// The id in `/v1/<kind>/<id>[/…]`, normalised.
fn path_id(path: &str) -> Option<String> {
    let mut it = path.trim_start_matches('/').split('/');
    (it.next() == Some("v1")).then_some(())?;
    it.next()?;
    normalize_id(it.next()?)
}

// ---------------------------------------------------------------------- request handling

async fn handle(State(s): State<Arc<Shared>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = to_bytes(body, 8 << 20).await.unwrap_or_default();
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().unwrap_or("").to_string();
    let had_auth = parts.headers.contains_key(header::AUTHORIZATION);
    if path.starts_with("/v1/") || path == "/v1" {
        let latency = lock(&s.faults).latency;
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        let (endpoint, resp) = s.api(&parts.method, &path, &query, &parts.headers, &body);
        s.record(
            &parts.method,
            (&path, &query),
            endpoint,
            resp.status().as_u16(),
            had_auth,
        );
        resp
    } else {
        let (resp, file, truncated) = s.download(&path, &query);
        let status = resp.status().as_u16();
        s.record(
            &parts.method,
            (&path, &query),
            Endpoint::File,
            status,
            had_auth,
        );
        lock(&s.counters).downloads.push(DownloadRecord {
            at: Instant::now(),
            file,
            status,
            had_authorization: had_auth,
            had_notion_version: parts.headers.contains_key("notion-version"),
            truncated,
        });
        resp
    }
}

struct ApiError {
    status: u16,
    code: &'static str,
    message: String,
    additional: Option<Value>,
}

fn err(status: u16, code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError {
        status,
        code,
        message: message.into(),
        additional: None,
    }
}

fn not_found(kind: &str, id: &str) -> ApiError {
    err(
        404,
        "object_not_found",
        format!(
            "Could not find {kind} with ID: {id}. Make sure the relevant pages and databases are shared with your integration."
        ),
    )
}

fn invalid_url() -> ApiError {
    err(400, "invalid_request_url", "Invalid request URL.")
}

fn default_message(status: u16) -> (&'static str, &'static str) {
    match status {
        500 => ("internal_server_error", "Unexpected error occurred."),
        502 => ("bad_gateway", "Bad Gateway"),
        503 => (
            "service_unavailable",
            "Notion is unavailable, please try again later.",
        ),
        504 => ("gateway_timeout", "Gateway Timeout"),
        529 => (
            "service_overload",
            "Notion is temporarily overloaded, please try again later.",
        ),
        409 => (
            "conflict_error",
            "Conflict occurred while saving. Please try again.",
        ),
        429 => (
            "rate_limited",
            "You have been rate limited. Please try again in a few minutes.",
        ),
        _ => ("internal_server_error", "Unexpected error occurred."),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Version {
    V2022,
    V2025,
    V2026,
}

type ApiResult = Result<Value, ApiError>;

impl Shared {
    fn request_id(&self) -> String {
        let n = self.request_seq.fetch_add(1, Ordering::Relaxed);
        uuid_from(&format!("request:{}:{n}", self.secret))
    }

    fn record(
        &self,
        method: &Method,
        (path, query): (&str, &str),
        endpoint: Endpoint,
        status: u16,
        had_authorization: bool,
    ) {
        lock(&self.counters).log.push(RequestRecord {
            at: Instant::now(),
            method: method.to_string(),
            path: path.to_string(),
            query: query.to_string(),
            endpoint,
            status,
            had_authorization,
        });
    }

    fn json_response(
        &self,
        status: u16,
        mut body: Value,
        extra: &[(&'static str, String)],
    ) -> Response {
        if body.is_object() {
            body["request_id"] = json!(self.request_id());
        }
        let mut resp = Response::new(Body::from(serde_json::to_vec(&body).unwrap()));
        *resp.status_mut() = StatusCode::from_u16(status).unwrap();
        let h = resp.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        if let Some(id) = body["request_id"].as_str() {
            h.insert("x-notion-request-id", HeaderValue::from_str(id).unwrap());
        }
        for (k, v) in extra {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        resp
    }

    fn error_response(&self, e: ApiError, extra: &[(&'static str, String)]) -> Response {
        let mut body =
            json!({"object": "error", "status": e.status, "code": e.code, "message": e.message});
        if let Some(a) = e.additional {
            body["additional_data"] = a;
        }
        self.json_response(e.status, body, extra)
    }

    fn api(
        &self,
        method: &Method,
        path: &str,
        query: &str,
        headers: &HeaderMap,
        body: &Bytes,
    ) -> (Endpoint, Response) {
        let segs: Vec<&str> = path
            .trim_start_matches("/v1")
            .trim_matches('/')
            .split('/')
            .collect();
        let endpoint = match (method.as_str(), segs.as_slice()) {
            ("GET", ["users", "me"]) => Endpoint::UsersMe,
            ("GET", ["pages", _]) => Endpoint::Page,
            ("GET", ["pages", _, "properties", _]) => Endpoint::PageProperty,
            ("GET", ["blocks", _]) => Endpoint::Block,
            ("GET", ["blocks", _, "children"]) => Endpoint::BlockChildren,
            ("GET", ["databases", _]) => Endpoint::Database,
            ("GET", ["data_sources", _]) => Endpoint::DataSource,
            ("POST", ["databases", _, "query"]) | ("POST", ["data_sources", _, "query"]) => {
                Endpoint::Query
            }
            ("POST", ["search"]) => Endpoint::Search,
            ("GET", ["views"]) => Endpoint::Views,
            ("GET", ["views", _]) => Endpoint::View,
            _ => Endpoint::Other,
        };

        // Auth, then version, then the rate limit, then injected faults.
        let auth = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        if auth != Some(format!("Bearer {}", self.token).as_str()) {
            return (
                endpoint,
                self.error_response(err(401, "unauthorized", "API token is invalid."), &[]),
            );
        }
        let version = match headers.get("notion-version").and_then(|v| v.to_str().ok()) {
            None => {
                return (
                    endpoint,
                    self.error_response(
                        err(400, "missing_version", "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`."),
                        &[],
                    ),
                );
            }
            Some(VERSION_2022) => Version::V2022,
            Some(VERSION_2025) => Version::V2025,
            Some(VERSION_2026) => Version::V2026,
            Some(other) => {
                return (
                    endpoint,
                    self.error_response(
                        err(400, "validation_error", format!(
                            "Notion-Version header failed validation: Notion-Version header should be \"{VERSION_2022}\", \"{VERSION_2025}\", or \"{VERSION_2026}\", instead was `\"{other}\"`."
                        )),
                        &[],
                    ),
                );
            }
        };
        if let Some(resp) = self.fault(endpoint) {
            return (endpoint, resp);
        }
        let hostile = lock(&self.faults).hostile;
        if hostile == Hostile::EchoingErrors {
            return (endpoint, self.echoing_error(path, headers));
        }
        let mut params: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let original_body = body.clone();
        let mut body = body.clone();
        let repeating = hostile == Hostile::RepeatingCursor
            || hostile == Hostile::RepeatingViewCursor && endpoint == Endpoint::Views;
        if repeating {
            // Every page is the first page again, whatever cursor was sent.
            params.remove("start_cursor");
            if let Ok(mut request) = serde_json::from_slice::<Value>(&body) {
                if let Some(map) = request.as_object_mut() {
                    map.remove("start_cursor");
                }
                body = Bytes::from(serde_json::to_vec(&request).unwrap());
            }
        }
        let result = self.route(method, &segs, version, &params, &body);
        let resp = match result {
            Ok(mut v) => {
                if repeating {
                    repeat_cursor(endpoint, &mut v, &original_body);
                }
                let v = self.finish(v, version);
                match hostile {
                    Hostile::HugeChildren(padding) if endpoint == Endpoint::BlockChildren => {
                        padded_json(padding, &v)
                    }
                    _ => self.json_response(200, v, &[]),
                }
            }
            Err(e) => self.error_response(e, &[]),
        };
        (endpoint, resp)
    }

    /// A 400 whose message quotes the request back: its `Authorization` header, and URLs with
    /// a signature and a password in them (as a careless proxy might).
    fn echoing_error(&self, path: &str, headers: &HeaderMap) -> Response {
        let auth = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let message = format!(
            "Invalid request to {path}: headers {{\"authorization\": \"{auth}\"}}; upstream \
             https://s3.us-west-2.amazonaws.com/secure/f.png?X-Amz-Credential=AKIAFAKE%2F2026&\
             X-Amz-Signature=5ec2e7516a7e0f&X-Amz-Security-Token=FwoGZXIvYXdzEFAKE \
             via http://proxyuser:hunter2proxy@proxy.internal:3128/"
        );
        self.error_response(err(400, "validation_error", message), &[])
    }

    /// A 429 or an injected 5xx, if one is due.
    fn fault(&self, _endpoint: Endpoint) -> Option<Response> {
        let mut f = lock(&self.faults);
        if let Some((rate, burst)) = f.rate {
            let now = Instant::now();
            let elapsed = now.duration_since(f.refilled).as_secs_f64();
            f.tokens = (f.tokens + elapsed * rate).min(burst);
            f.refilled = now;
            if f.tokens < 1.0 {
                let secs = f.retry_after_secs;
                drop(f);
                let mut e = err(
                    429,
                    "rate_limited",
                    "You have been rate limited. Please try again in a few minutes.",
                );
                e.additional = Some(
                    json!({"rate_limit_reason": "public_api_request_rate_limit", "retry_after": secs.to_string()}),
                );
                return Some(self.error_response(e, &[("retry-after", secs.to_string())]));
            }
            f.tokens -= 1.0;
        }
        let mut status = f.fail_next.pop_front();
        if status.is_none() && f.error_rate > 0.0 {
            let r = next_random(&mut f.rng);
            if r < f.error_rate {
                status = Some([500, 502, 503][(next_random(&mut f.rng) * 3.0) as usize % 3]);
            }
        }
        drop(f);
        let status = status?;
        let (code, message) = default_message(status);
        let mut e = err(status, code, message);
        let mut extra: Vec<(&'static str, String)> = Vec::new();
        if status == 429 || status == 529 {
            extra.push(("retry-after", "1".into()));
        }
        if status == 429 {
            e.additional = Some(
                json!({"rate_limit_reason": "public_api_request_rate_limit", "retry_after": "1"}),
            );
        }
        Some(self.error_response(e, &extra))
    }

    fn route(
        &self,
        method: &Method,
        segs: &[&str],
        version: Version,
        params: &HashMap<String, String>,
        body: &Bytes,
    ) -> ApiResult {
        let ws = lock(&self.ws);
        let post_body = || -> Result<Value, ApiError> {
            if body.is_empty() {
                return Ok(json!({}));
            }
            serde_json::from_slice(body)
                .map_err(|_| err(400, "invalid_json", "Error parsing JSON body."))
        };
        match (method.as_str(), segs) {
            ("GET", ["users", "me"]) => Ok(json!({
                "object": "user", "id": BOT_USER_ID, "name": "notion-bake test", "avatar_url": null,
                "type": "bot",
                "bot": {"owner": {"type": "workspace", "workspace": true}, "workspace_name": "Fake Workspace",
                        "workspace_id": uuid_from("workspace"),
                        "workspace_limits": {"max_file_upload_size_in_bytes": 5368709120u64}}
            })),
            ("GET", ["pages", id]) => {
                let id = path_uuid(id, "page_id")?;
                if ws.unshared.contains(&id) {
                    return Err(not_found("page", &id));
                }
                ws.pages
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| not_found("page", &id))
            }
            ("GET", ["pages", id, "properties", pid]) => {
                let id = path_uuid(id, "page_id")?;
                let page = ws.pages.get(&id).ok_or_else(|| not_found("page", &id))?;
                let pid = decode_segment(pid);
                let prop = page["properties"]
                    .as_object()
                    .and_then(|o| {
                        o.values().find(|p| {
                            p["id"] == pid.as_str()
                                || decode_segment(p["id"].as_str().unwrap_or("")) == pid
                        })
                    })
                    .ok_or_else(|| not_found("property", &pid))?;
                Ok(property_item(prop))
            }
            ("GET", ["blocks", id]) => {
                let id = path_uuid(id, "block_id")?;
                block_json(&ws, &id).ok_or_else(|| not_found("block", &id))
            }
            ("GET", ["blocks", id, "children"]) => {
                let id = path_uuid(id, "block_id")?;
                if ws.unshared.contains(&id) {
                    return Err(not_found("block", &id));
                }
                let mut source = id.clone();
                if let Some(b) = ws.blocks.get(&id) {
                    if let Some(orig) = b["synced_block"]["synced_from"]["block_id"].as_str() {
                        if !ws.blocks.contains_key(orig) {
                            return Err(not_found("block", orig));
                        }
                        source = orig.to_string();
                    }
                } else if !ws.pages.contains_key(&id) {
                    return Err(not_found("block", &id));
                }
                let ids = visible_children(&ws, &source);
                let items: Vec<(String, Value)> = ids
                    .into_iter()
                    .filter_map(|c| block_json(&ws, &c).map(|b| (c, b)))
                    .collect();
                paginate(
                    items,
                    params.get("start_cursor").map(String::as_str),
                    params.get("page_size").map(String::as_str),
                    "query",
                    "block",
                )
            }
            ("GET", ["databases", id]) => {
                let id = path_uuid(id, "database_id")?;
                if ws.unshared.contains(&id) {
                    return Err(not_found("database", &id));
                }
                let db = ws.db(&id).ok_or_else(|| not_found("database", &id))?;
                Ok(if version == Version::V2022 {
                    database_2022(db)
                } else {
                    database_2025(db)
                })
            }
            ("GET", ["data_sources", id]) => {
                if version == Version::V2022 {
                    return Err(invalid_url());
                }
                let id = path_uuid(id, "data_source_id")?;
                let db = ws
                    .db_by_source(&id)
                    .ok_or_else(|| not_found("database", &id))?;
                Ok(data_source(db))
            }
            ("POST", ["databases", id, "query"]) => {
                if version != Version::V2022 {
                    return Err(invalid_url());
                }
                let id = path_uuid(id, "database_id")?;
                let db = ws.db(&id).ok_or_else(|| not_found("database", &id))?;
                run_query(&ws, db, &post_body()?, params, "page_or_database")
            }
            ("POST", ["data_sources", id, "query"]) => {
                if version == Version::V2022 {
                    return Err(invalid_url());
                }
                let id = path_uuid(id, "data_source_id")?;
                let db = ws
                    .db_by_source(&id)
                    .ok_or_else(|| not_found("database", &id))?;
                run_query(&ws, db, &post_body()?, params, "page_or_data_source")
            }
            ("POST", ["search"]) => search(&ws, &post_body()?, version),
            ("GET", ["views"]) => {
                if version == Version::V2022 {
                    return Err(invalid_url());
                }
                let db = match (params.get("database_id"), params.get("data_source_id")) {
                    (Some(id), _) => {
                        let id = path_uuid(id, "database_id")?;
                        ws.db(&id).ok_or_else(|| not_found("database", &id))?
                    }
                    (None, Some(id)) => {
                        let id = path_uuid(id, "data_source_id")?;
                        ws.db_by_source(&id)
                            .ok_or_else(|| not_found("data_source", &id))?
                    }
                    (None, None) => {
                        return Err(err(
                            400,
                            "validation_error",
                            "One of database_id or data_source_id is required.",
                        ));
                    }
                };
                if ws.unshared.contains(&db.id) {
                    return Err(not_found("database", &db.id));
                }
                let items = db
                    .views
                    .iter()
                    .map(|v| {
                        let id = v["id"].as_str().unwrap_or_default().to_owned();
                        (id.clone(), json!({"object": "view", "id": id}))
                    })
                    .collect();
                paginate(
                    items,
                    params.get("start_cursor").map(String::as_str),
                    params.get("page_size").map(String::as_str),
                    "query",
                    "view",
                )
            }
            ("GET", ["views", id]) => {
                if version == Version::V2022 {
                    return Err(invalid_url());
                }
                let id = path_uuid(id, "view_id")?;
                ws.databases
                    .iter()
                    .filter(|d| !ws.unshared.contains(&d.id))
                    .flat_map(|d| &d.views)
                    .find(|v| v["id"] == id.as_str())
                    .cloned()
                    .ok_or_else(|| not_found("view", &id))
            }
            _ => Err(invalid_url()),
        }
    }

    /// Adapts a response to the API version and signs every Notion-hosted file in it.
    fn finish(&self, mut v: Value, version: Version) -> Value {
        let mut f = lock(&self.faults);
        let now = Utc::now() + f.clock_offset;
        let mut sign = |file_uuid: &str| self.sign_locked(&mut f, file_uuid, now);
        walk(&mut v, version, &mut sign);
        v
    }

    fn sign(&self, file_uuid: &str) -> (String, String) {
        let mut f = lock(&self.faults);
        let now = Utc::now() + f.clock_offset;
        self.sign_locked(&mut f, file_uuid, now)
    }

    /// (url, expiry_time) for a file, signed at `now` (or backdated when it must be expired).
    fn sign_locked(&self, f: &mut Faults, file_uuid: &str, now: DateTime<Utc>) -> (String, String) {
        let ws = lock(&self.ws);
        let (space, name) = match ws.files.get(file_uuid) {
            Some(r) => (r.file.space_uuid.clone(), r.file.filename.clone()),
            None => (ws.space_uuid.clone(), "missing".to_string()),
        };
        drop(ws);
        *f.issued.entry(file_uuid.to_string()).or_default() += 1;
        let first = f.files_expire_immediately && f.expired_once.insert(file_uuid.to_string());
        f.sign_counter += 1;
        let ttl = f.url_ttl_secs;
        let expired = f.always_expired.contains(file_uuid) || first;
        let signed_at = if expired {
            now - Duration::seconds(ttl + 120)
        } else {
            now
        };
        let date = signed_at.format("%Y%m%dT%H%M%SZ").to_string();
        let day = signed_at.format("%Y%m%d").to_string();
        let token = format!("IQoJb3JpZ2luX2VjEFAKE{:012}", f.sign_counter);
        let path = format!("/{space}/{file_uuid}/{}", super::encode_segment(&name));
        let signature = self.signature(&path, &date, ttl, &token);
        let url = format!(
            "{}{path}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD\
             &X-Amz-Credential=ASIAZFAKEFAKEFAKE0001%2F{day}%2Fus-west-2%2Fs3%2Faws4_request\
             &X-Amz-Date={date}&X-Amz-Expires={ttl}&X-Amz-Security-Token={token}\
             &X-Amz-Signature={signature}&X-Amz-SignedHeaders=host&x-amz-checksum-mode=ENABLED&x-id=GetObject",
            f.file_base_url.as_deref().unwrap_or(&self.base_url)
        );
        let expiry = (signed_at.with_nanosecond_zero() + Duration::seconds(ttl))
            .format("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string();
        (url, expiry)
    }

    fn signature(&self, path: &str, date: &str, ttl: i64, token: &str) -> String {
        // HMAC-SHA256 (RFC 2104) keyed with the server secret.
        let key = Sha256::digest(self.secret.as_bytes());
        let mut ipad = [0x36u8; 64];
        let mut opad = [0x5cu8; 64];
        for (i, k) in key.iter().enumerate() {
            ipad[i] ^= k;
            opad[i] ^= k;
        }
        let mut inner = Sha256::new();
        inner.update(ipad);
        inner.update(format!("{path}\n{date}\n{ttl}\n{token}").as_bytes());
        let inner = inner.finalize();
        let mut outer = Sha256::new();
        outer.update(opad);
        outer.update(inner);
        hex::encode(outer.finalize())
    }

    // ------------------------------------------------------------------ downloads

    /// Half of `bytes`, then an hour of silence.
    fn stalled_body(bytes: &[u8]) -> Body {
        let half = Bytes::copy_from_slice(&bytes[..bytes.len() / 2]);
        let stream = futures_util::stream::unfold(0u8, move |step| {
            let half = half.clone();
            async move {
                match step {
                    0 => Some((Ok::<_, std::io::Error>(half), 1)),
                    _ => {
                        tokio::time::sleep(StdDuration::from_secs(3600)).await;
                        None
                    }
                }
            }
        });
        Body::from_stream(stream)
    }

    fn download(&self, path: &str, query: &str) -> (Response, Option<FileRef>, bool) {
        let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let (file, bytes, content_type) = {
            let ws = lock(&self.ws);
            match segs.as_slice() {
                [space, file_uuid, name] => match ws.files.get(*file_uuid) {
                    Some(r)
                        if r.file.space_uuid == *space
                            && r.file.filename == decode_segment(name) =>
                    {
                        (r.file.clone(), r.bytes.clone(), r.content_type.clone())
                    }
                    _ => {
                        return (
                            s3_error(403, "AccessDenied", "Access Denied", ""),
                            None,
                            false,
                        );
                    }
                },
                _ => {
                    return (
                        s3_error(403, "AccessDenied", "Access Denied", ""),
                        None,
                        false,
                    );
                }
            }
        };
        let params: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let mut f = lock(&self.faults);
        let now = Utc::now() + f.clock_offset;
        if let Some(status) = f.fail_next_downloads.pop_front() {
            let code = if status == 503 {
                "SlowDown"
            } else {
                "InternalError"
            };
            return (
                s3_error(
                    status,
                    code,
                    "We encountered an internal error. Please try again.",
                    "",
                ),
                Some(file),
                false,
            );
        }
        if f.signature_mismatch.contains(&file.file_uuid) {
            return (signature_mismatch(), Some(file), false);
        }
        let p = |k: &str| params.get(k).map(String::as_str).unwrap_or("");
        let ttl: i64 = p("X-Amz-Expires").parse().unwrap_or(-1);
        let expected = self.signature(
            &file.path(),
            p("X-Amz-Date"),
            ttl,
            p("X-Amz-Security-Token"),
        );
        if ttl < 0 || p("X-Amz-Signature") != expected {
            return (signature_mismatch(), Some(file), false);
        }
        let Ok(date) = NaiveDateTime::parse_from_str(p("X-Amz-Date"), "%Y%m%dT%H%M%SZ") else {
            return (signature_mismatch(), Some(file), false);
        };
        let expires = date.and_utc() + Duration::seconds(ttl);
        if now > expires {
            let extra = format!(
                "<X-Amz-Expires>{ttl}</X-Amz-Expires><Expires>{}</Expires><ServerTime>{}</ServerTime>",
                expires.format("%Y-%m-%dT%H:%M:%SZ"),
                now.format("%Y-%m-%dT%H:%M:%SZ")
            );
            return (
                s3_error(403, "AccessDenied", "Request has expired", &extra),
                Some(file),
                false,
            );
        }
        let truncate = match f.truncate_next.get_mut(&file.file_uuid) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        };
        let stall = f.stalled.contains(&file.file_uuid);
        drop(f);
        let len = bytes.len();
        let body = if stall {
            Self::stalled_body(&bytes)
        } else if truncate {
            // Half the bytes, flushed, then the connection breaks.
            let half = Bytes::copy_from_slice(&bytes[..len / 2]);
            let stream = futures_util::stream::unfold(0u8, move |step| {
                let half = half.clone();
                async move {
                    match step {
                        0 => Some((Ok(half), 1)),
                        1 => {
                            tokio::time::sleep(StdDuration::from_millis(50)).await;
                            Some((
                                Err(std::io::Error::other("connection reset by fake notion")),
                                2,
                            ))
                        }
                        _ => None,
                    }
                }
            });
            Body::from_stream(stream)
        } else {
            Body::from(Bytes::from((*bytes).clone()))
        };
        let mut resp = Response::new(body);
        let h = resp.headers_mut();
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(&content_type).unwrap(),
        );
        h.insert(
            header::ETAG,
            HeaderValue::from_str(&format!(
                "\"{}\"",
                &hex::encode(Sha256::digest(&*bytes))[..32]
            ))
            .unwrap(),
        );
        h.insert(
            "x-amz-request-id",
            HeaderValue::from_static("FAKE0123456789AB"),
        );
        (resp, Some(file), truncate)
    }
}

trait NanoZero {
    fn with_nanosecond_zero(self) -> Self;
}
impl NanoZero for DateTime<Utc> {
    fn with_nanosecond_zero(self) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(0).unwrap_or(self)
    }
}

/// `has_more` forever: block children always point back to the same cursor; a query's cursors
/// alternate between two.
fn repeat_cursor(endpoint: Endpoint, list: &mut Value, body: &Bytes) {
    let next = match endpoint {
        Endpoint::BlockChildren | Endpoint::Views => {
            "c0ffee00-0000-4000-8000-000000000001".to_owned()
        }
        Endpoint::Query => {
            let request: Value = serde_json::from_slice(body).unwrap_or_default();
            let c1 = "c0ffee00-0000-4000-8000-0000000000c1";
            let c2 = "c0ffee00-0000-4000-8000-0000000000c2";
            if request["start_cursor"].as_str() == Some(c1) {
                c2
            } else {
                c1
            }
            .to_owned()
        }
        _ => return,
    };
    list["has_more"] = json!(true);
    list["next_cursor"] = json!(next);
}

/// `value` as JSON after `padding` bytes of whitespace, streamed in 1 MiB chunks without a
/// `Content-Length`.
fn padded_json(padding: usize, value: &Value) -> Response {
    const CHUNK: usize = 1 << 20;
    let json = Bytes::from(serde_json::to_vec(value).unwrap());
    let spaces = Bytes::from(vec![b' '; CHUNK]);
    let chunks = padding.div_ceil(CHUNK);
    let stream = futures_util::stream::iter(
        (0..chunks)
            .map(move |_| spaces.clone())
            .chain(std::iter::once(json))
            .map(Ok::<_, std::io::Error>),
    );
    let mut resp = Response::new(Body::from_stream(stream));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}

fn s3_error(status: u16, code: &str, message: &str, extra: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message>{extra}<RequestId>FAKE0123456789AB</RequestId><HostId>ZmFrZS1ub3Rpb24taG9zdA==</HostId></Error>"
    );
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    resp
}

fn signature_mismatch() -> Response {
    s3_error(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
        "",
    )
}

/// xorshift64*, mapped to [0, 1).
fn next_random(state: &mut u64) -> f64 {
    let mut x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
}

fn path_uuid(raw: &str, name: &str) -> Result<String, ApiError> {
    let raw = decode_segment(raw);
    normalize_id(&raw).ok_or_else(|| {
        err(400, "validation_error", format!("path failed validation: path.{name} should be a valid uuid, instead was `\"{raw}\"`."))
    })
}

fn visible_children(ws: &Workspace, id: &str) -> Vec<String> {
    ws.children
        .get(id)
        .map(|v| {
            v.iter()
                .filter(|c| ws.blocks.get(*c).is_some_and(|b| b["in_trash"] != true))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// A block as served: `has_children` computed from the live tree. Pages are also blocks
/// (`child_page`), as in Notion.
fn block_json(ws: &Workspace, id: &str) -> Option<Value> {
    let mut b = match ws.blocks.get(id) {
        Some(b) => b.clone(),
        None => {
            let p = ws.pages.get(id)?;
            let title = p["properties"]
                .as_object()
                .and_then(|o| o.values().find(|v| v["type"] == "title"))
                .map(|v| plain_text(&v["title"]))
                .unwrap_or_default();
            let mut b = super::blocks::child_page(id, &title);
            for k in [
                "parent",
                "created_time",
                "last_edited_time",
                "created_by",
                "last_edited_by",
                "in_trash",
                "archived",
            ] {
                b[k] = p[k].clone();
            }
            b
        }
    };
    let source = b["synced_block"]["synced_from"]["block_id"]
        .as_str()
        .unwrap_or(id)
        .to_string();
    b["has_children"] = json!(!visible_children(ws, &source).is_empty());
    Some(b)
}

fn paginate(
    items: Vec<(String, Value)>,
    cursor: Option<&str>,
    page_size: Option<&str>,
    place: &str,
    list_type: &str,
) -> ApiResult {
    let size = match page_size {
        None => 100,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (1..=100).contains(&n) => n as usize,
            Ok(n) if n > 100 => {
                return Err(err(
                    400,
                    "validation_error",
                    format!(
                        "{place} failed validation: {place}.page_size should be ≤ `100`, instead was `{n}`."
                    ),
                ));
            }
            _ => {
                return Err(err(
                    400,
                    "validation_error",
                    format!(
                        "{place} failed validation: {place}.page_size should be a positive integer, instead was `{s}`."
                    ),
                ));
            }
        },
    };
    let start = match cursor.filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => {
            let c = normalize_id(c).unwrap_or_default();
            items.iter().position(|(id, _)| *id == c).ok_or_else(|| {
                err(400, "validation_error", format!("{place} failed validation: {place}.start_cursor should be a valid cursor, instead was `\"{c}\"`."))
            })?
        }
    };
    let end = (start + size).min(items.len());
    let next = items.get(end).map(|(id, _)| id.clone());
    let results: Vec<Value> = items[start..end].iter().map(|(_, v)| v.clone()).collect();
    Ok(json!({
        "object": "list",
        "results": results,
        "next_cursor": next,
        "has_more": next.is_some(),
        "type": list_type,
        list_type: {},
    }))
}

/// A query's rows; `filter_properties` (one id, as the client's change probe sends it)
/// keeps only that property of each row, as Notion does.
fn run_query(
    ws: &Workspace,
    db: &DbRec,
    body: &Value,
    params: &HashMap<String, String>,
    list_type: &str,
) -> ApiResult {
    let ids = query::run(ws, db, body).map_err(|m| err(400, "validation_error", m))?;
    let only = params.get("filter_properties");
    let items: Vec<(String, Value)> = ids
        .into_iter()
        .map(|id| {
            let mut page = ws.pages[&id].clone();
            if let (Some(only), Some(properties)) = (only, page["properties"].as_object_mut()) {
                properties.retain(|_, property| property["id"].as_str() == Some(only.as_str()));
            }
            (id.clone(), page)
        })
        .collect();
    let page_size = body
        .get("page_size")
        .filter(|v| !v.is_null())
        .map(|v| v.to_string());
    let cursor = body.get("start_cursor").and_then(|v| v.as_str());
    paginate(items, cursor, page_size.as_deref(), "body", list_type)
}

fn search(ws: &Workspace, body: &Value, version: Version) -> ApiResult {
    let q = body["query"].as_str().unwrap_or("").to_lowercase();
    let want = body["filter"]["value"].as_str();
    let mut items: Vec<(String, Value)> = Vec::new();
    if want.is_none() || want == Some("page") {
        for id in &ws.page_order {
            let p = &ws.pages[id];
            if p["in_trash"] == true {
                continue;
            }
            let title = p["properties"]
                .as_object()
                .and_then(|o| o.values().find(|v| v["type"] == "title"))
                .map(|v| plain_text(&v["title"]))
                .unwrap_or_default();
            if title.to_lowercase().contains(&q) {
                items.push((id.clone(), p.clone()));
            }
        }
    }
    for db in &ws.databases {
        if !db.title.to_lowercase().contains(&q) {
            continue;
        }
        match (version, want) {
            (Version::V2022, None | Some("database")) => {
                items.push((db.id.clone(), database_2022(db)))
            }
            (Version::V2025 | Version::V2026, None | Some("data_source")) => {
                items.push((db.data_source_id.clone(), data_source(db)))
            }
            _ => {}
        }
    }
    let list_type = if version == Version::V2022 {
        "page_or_database"
    } else {
        "page_or_data_source"
    };
    let page_size = body
        .get("page_size")
        .filter(|v| !v.is_null())
        .map(|v| v.to_string());
    paginate(
        items,
        body["start_cursor"].as_str(),
        page_size.as_deref(),
        "body",
        list_type,
    )
}

fn property_item(prop: &Value) -> Value {
    let ty = prop["type"].as_str().unwrap_or("");
    let id = prop["id"].clone();
    match ty {
        "title" | "rich_text" | "people" | "relation" => {
            let results: Vec<Value> = prop[ty]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|item| json!({"object": "property_item", "type": ty, "id": id, ty: item}))
                .collect();
            json!({"object": "list", "results": results, "next_cursor": null, "has_more": false,
                   "type": "property_item",
                   "property_item": {"id": id, "next_url": null, "type": ty, ty: {}}})
        }
        _ => json!({"object": "property_item", "id": id, "type": ty, ty: prop[ty]}),
    }
}

fn title_rt(db: &DbRec) -> Value {
    use super::blocks::IntoRichText;
    db.title.as_str().into_rich_text()
}

fn schema_json(db: &DbRec) -> Value {
    let mut m = serde_json::Map::new();
    for (name, cfg) in &db.schema {
        m.insert(name.clone(), cfg.clone());
    }
    Value::Object(m)
}

fn db_url(db: &DbRec) -> String {
    format!("https://www.notion.so/{}", super::undashed(&db.id))
}

fn database_2022(db: &DbRec) -> Value {
    let (c, e) = db_times(db);
    json!({
        "object": "database", "id": db.id, "cover": db.cover, "icon": db.icon,
        "created_time": c, "created_by": {"object": "user", "id": BOT_USER_ID},
        "last_edited_by": {"object": "user", "id": BOT_USER_ID}, "last_edited_time": e,
        "title": title_rt(db), "description": [], "is_inline": db.is_inline,
        "properties": schema_json(db), "parent": db.parent, "url": db_url(db), "public_url": null,
        "archived": db.in_trash, "in_trash": db.in_trash,
    })
}

fn database_2025(db: &DbRec) -> Value {
    let (c, e) = db_times(db);
    json!({
        "object": "database", "id": db.id, "title": title_rt(db), "description": [],
        "parent": db.parent, "is_inline": db.is_inline, "in_trash": db.in_trash,
        "archived": db.in_trash, "is_locked": false, "created_time": c, "last_edited_time": e,
        "data_sources": [{"id": db.data_source_id, "name": db.title}],
        "icon": db.icon, "cover": db.cover, "url": db_url(db), "public_url": null,
    })
}

fn data_source(db: &DbRec) -> Value {
    let (c, e) = db_times(db);
    json!({
        "object": "data_source", "id": db.data_source_id, "title": title_rt(db), "description": [],
        "parent": {"type": "database_id", "database_id": db.id}, "database_parent": db.parent,
        "is_inline": db.is_inline, "in_trash": db.in_trash, "archived": db.in_trash,
        "created_time": c, "last_edited_time": e,
        "created_by": {"object": "user", "id": BOT_USER_ID},
        "last_edited_by": {"object": "user", "id": BOT_USER_ID},
        "properties": schema_json(db), "icon": db.icon, "cover": db.cover,
        "url": format!("https://www.notion.so/{}", super::undashed(&db.data_source_id)), "public_url": null,
    })
}

/// Version adaptation + file signing over a whole response.
fn walk(v: &mut Value, version: Version, sign: &mut dyn FnMut(&str) -> (String, String)) {
    match v {
        Value::Object(o) => {
            if let Some(file_uuid) = o.get(FILE_KEY).and_then(|f| f.as_str()).map(String::from) {
                let (url, expiry) = sign(&file_uuid);
                o.clear();
                o.insert("url".into(), json!(url));
                o.insert("expiry_time".into(), json!(expiry));
                return;
            }
            if o.contains_key("object") && o.contains_key("in_trash") {
                if version == Version::V2026 {
                    o.remove("archived");
                } else {
                    let t = o["in_trash"].clone();
                    o.insert("archived".into(), t);
                }
            }
            if version == Version::V2022
                && o.get("type").and_then(|t| t.as_str()) == Some("data_source_id")
                && let Some(db) = o.get("database_id").cloned()
            {
                o.clear();
                o.insert("type".into(), json!("database_id"));
                o.insert("database_id".into(), db);
                return;
            }
            for (_, child) in o.iter_mut() {
                walk(child, version, sign);
            }
        }
        Value::Array(a) => {
            for child in a {
                walk(child, version, sign);
            }
        }
        _ => {}
    }
}
