//! The one HTTP client for the Notion API: bearer auth, `Notion-Version`, a shared pacer,
//! `Retry-After` on 429/529, jittered backoff on 5xx and timeouts, pagination, typed errors.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use url::Url;

use super::model::{ApiErrorBody, Block, DataSource, Database, ListPage, Page, User, View};
use super::pacer::Pacer;
use crate::secrets::scrub;

/// Notion's page size limit for lists and queries.
const PAGE_SIZE: u32 = 100;

/// The largest answer read from Notion. A list of 100 blocks or rows is rarely above a
/// megabyte; a server sending more is broken or hostile, and is not read into memory.
const MAX_RESPONSE_BYTES: usize = 16 << 20;

/// Pages of results followed in one listing: 10,000 pages of 100 is a million blocks under one
/// parent or rows in one database, far beyond any real workspace.
const MAX_LIST_PAGES: usize = 10_000;

/// How the client reaches Notion.
#[derive(Clone)]
pub struct ClientOptions {
    /// `https://api.notion.com`, or a fake server in tests.
    pub api_url: Url,
    /// The `Notion-Version` header, e.g. `2025-09-03`.
    pub version: String,
    /// The integration secret. Never printed.
    pub token: String,
    /// Average request rate the pacer keeps (Notion allows about 3 per second).
    pub requests_per_second: f64,
    /// Back-to-back requests allowed after an idle spell. The default, 2, is one less than a
    /// limiter allowing bursts of 3 (as Notion's does) would take: the token left over
    /// absorbs timer and network jitter. Paced at exactly the server's burst, a request that
    /// arrived a millisecond early met a 429 about once in 200 requests (`benches/site.rs`).
    pub burst: u32,
    /// Retries of one request after 5xx answers and timeouts before giving up.
    pub max_retries: u32,
    /// Retries of one request after 429/529 before giving up. Counted apart from
    /// `max_retries`: each one waits as long as Notion asked, and under a shared (workspace)
    /// limit many concurrent requests take turns, so a request may be turned away many times.
    pub max_rate_limited_retries: u32,
    /// First backoff delay for 5xx and timeouts; doubled on each retry, with jitter.
    pub backoff_base: Duration,
    /// Shortest wait honoured for `Retry-After`.
    pub retry_after_floor: Duration,
    /// Longest wait honoured for `Retry-After`.
    pub retry_after_cap: Duration,
    /// Timeout of one request.
    pub timeout: Duration,
}

impl ClientOptions {
    /// Notion's defaults (3 requests per second, bursts of 2, patient retries) for `api_url`.
    pub fn new(api_url: Url, version: impl Into<String>, token: impl Into<String>) -> Self {
        ClientOptions {
            api_url,
            version: version.into(),
            token: token.into(),
            requests_per_second: 3.0,
            burst: 2,
            max_retries: 6,
            max_rate_limited_retries: 30,
            backoff_base: Duration::from_millis(500),
            retry_after_floor: Duration::from_millis(500),
            retry_after_cap: Duration::from_secs(120),
            timeout: Duration::from_secs(60),
        }
    }
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("api_url", &self.api_url.as_str())
            .field("version", &self.version)
            .field("token", &"[redacted]")
            .field("requests_per_second", &self.requests_per_second)
            .finish_non_exhaustive()
    }
}

/// What a request was about, so an error can name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// A page, by id.
    Page(String),
    /// A block (or a page's content), by id.
    Block(String),
    /// A database, by id.
    Database(String),
    /// A data source (2025-09-03 and later), by id.
    DataSource(String),
    /// A database view (2025-09-03 and later), by id.
    View(String),
    /// The integration's own bot user (`users/me`).
    User,
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resource::Page(id) => write!(f, "page {id}"),
            Resource::Block(id) => write!(f, "block {id}"),
            Resource::Database(id) => write!(f, "database {id}"),
            Resource::DataSource(id) => write!(f, "data source {id}"),
            Resource::View(id) => write!(f, "view {id}"),
            Resource::User => write!(f, "the integration's bot user"),
        }
    }
}

/// Why a Notion request failed, in words that say what to do.
#[derive(Debug, thiserror::Error)]
pub enum NotionError {
    #[error(
        "Notion rejected the API token (401 unauthorized). Set NOTION_TOKEN to your integration's secret: \
         create an internal integration at https://www.notion.so/profile/integrations, copy its \
         \"Internal Integration Secret\", then `export NOTION_TOKEN=ntn_…`"
    )]
    /// The token was refused (401).
    Unauthorized,
    #[error(
        "Notion could not find {0} (404). Check the id, and share the page or database with your \
         integration: open it in Notion, ••• menu → Connections → add the integration"
    )]
    /// The object does not exist or is not shared with the integration (404).
    NotFound(Resource),
    /// The integration lacks a capability for the object (403).
    #[error("the integration may not read {resource} (403 {code}): {message}")]
    Forbidden {
        /// What was asked for.
        resource: Resource,
        /// Notion's error code.
        code: String,
        /// Notion's explanation.
        message: String,
    },
    /// Any other 4xx answer (a bad request, a conflict, …).
    #[error("Notion refused the request for {resource} ({status} {code}): {message}")]
    Rejected {
        /// What was asked for.
        resource: Resource,
        /// The HTTP status.
        status: u16,
        /// Notion's error code.
        code: String,
        /// Notion's explanation.
        message: String,
    },
    /// 5xx answers, rate limits or transport failures outlasted the retries.
    #[error("Notion kept failing for {resource} after {attempts} attempts; last: {last}")]
    GaveUp {
        /// What was asked for.
        resource: Resource,
        /// Requests sent, the first included.
        attempts: u32,
        /// The last failure.
        last: String,
    },
    /// A successful answer that is not JSON.
    #[error("Notion sent a response for {resource} that is not valid JSON: {detail}")]
    BadResponse {
        /// What was asked for.
        resource: Resource,
        /// The parser's complaint.
        detail: String,
    },
    /// An answer larger than any real one: not read.
    #[error(
        "Notion's answer to {request} (for {resource}) is larger than {} MiB; refusing to read it",
        limit >> 20
    )]
    TooLarge {
        /// What was asked for.
        resource: Resource,
        /// The request: method and path, without the query.
        request: String,
        /// The limit, in bytes.
        limit: usize,
    },
    /// A listing whose pages of results never end: a cursor came back again, or there were
    /// more pages than any real listing has.
    #[error("Notion's list of {what} of {resource} {detail}; stopped following it")]
    EndlessListing {
        /// The page, block or database listed.
        resource: Resource,
        /// What is listed: `children`, `rows`, `views`.
        what: &'static str,
        /// What went wrong.
        detail: String,
    },
}

/// Request counters for the build summary.
#[derive(Debug, Default)]
struct ClientStats {
    requests: AtomicU64,
    retries: AtomicU64,
    rate_limited: AtomicU64,
}

/// A copy of the counters at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatsSnapshot {
    /// Every request sent, retries included.
    pub requests: u64,
    /// Requests sent again after a failure or a rate limit.
    pub retries: u64,
    /// 429 and 529 answers.
    pub rate_limited: u64,
    /// Time the pacer could have sent a request but none was waiting: time the crawl lost
    /// waiting on answers before it could ask the next question.
    pub pacer_idle: std::time::Duration,
}

impl ClientStats {
    fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            requests: self.requests.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            rate_limited: self.rate_limited.load(Ordering::Relaxed),
            pacer_idle: std::time::Duration::ZERO,
        }
    }
}

/// A cheap-to-clone handle on one HTTP client, pacer and set of counters.
#[derive(Clone)]
pub struct NotionClient {
    http: reqwest::Client,
    options: Arc<ClientOptions>,
    pacer: Arc<Pacer>,
    stats: Arc<ClientStats>,
}

impl fmt::Debug for NotionClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotionClient")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// One failed attempt, and whether (and how long) to wait before the next.
enum Attempt {
    Done(Value),
    Fatal(NotionError),
    /// A 5xx or a transport failure: counts against `max_retries`.
    Retry {
        wait: Duration,
        why: String,
    },
    /// A 429 or 529 (the pacer already holds everyone back): counts against
    /// `max_rate_limited_retries`.
    RateLimited {
        why: String,
    },
}

impl NotionClient {
    /// A client for `options`; fails only when the token or version cannot be sent as a header.
    pub fn new(mut options: ClientOptions) -> anyhow::Result<NotionClient> {
        // `Url::join` keeps a path prefix (a proxy's `/notion/`) only before a trailing slash.
        if !options.api_url.path().ends_with('/') {
            let path = format!("{}/", options.api_url.path());
            options.api_url.set_path(&path);
        }
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", options.token))
            .map_err(|_| anyhow::anyhow!("NOTION_TOKEN contains characters that cannot be sent"))?;
        auth.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, auth);
        headers.insert(
            "Notion-Version",
            HeaderValue::from_str(&options.version)
                .map_err(|_| anyhow::anyhow!("invalid Notion-Version {:?}", options.version))?,
        );
        crate::tls::install_crypto_provider();
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(concat!("notion-bake/", env!("CARGO_PKG_VERSION")))
            .timeout(options.timeout)
            .connect_timeout(Duration::from_secs(15))
            .build()?;
        Ok(NotionClient {
            http,
            pacer: Arc::new(Pacer::new(options.requests_per_second, options.burst)),
            options: Arc::new(options),
            stats: Arc::new(ClientStats::default()),
        })
    }

    /// The `Notion-Version` sent with every request.
    pub fn version(&self) -> &str {
        &self.options.version
    }

    /// Whether the API version has data sources (2025-09-03 and later).
    pub fn uses_data_sources(&self) -> bool {
        self.options.version.as_str() >= "2025-09-03"
    }

    /// The counters so far, with the pacer's idle time.
    pub fn stats(&self) -> StatsSnapshot {
        StatsSnapshot {
            pacer_idle: self.pacer.idle(),
            ..self.stats.snapshot()
        }
    }

    /// `GET /v1/pages/{id}`.
    pub async fn page(&self, id: &str) -> Result<Page, NotionError> {
        let path = format!("v1/pages/{id}");
        let value = self
            .send(Method::GET, &path, None, &Resource::Page(id.to_owned()))
            .await?;
        Ok(Page::from_value(&value))
    }

    /// `GET /v1/blocks/{id}`.
    pub async fn block(&self, id: &str) -> Result<Block, NotionError> {
        let path = format!("v1/blocks/{id}");
        let value = self
            .send(Method::GET, &path, None, &Resource::Block(id.to_owned()))
            .await?;
        Ok(Block::from_value(&value))
    }

    /// `GET /v1/databases/{id}`.
    pub async fn database(&self, id: &str) -> Result<Database, NotionError> {
        let path = format!("v1/databases/{id}");
        let value = self
            .send(Method::GET, &path, None, &Resource::Database(id.to_owned()))
            .await?;
        Ok(Database::from_value(&value))
    }

    /// `GET /v1/data_sources/{id}`.
    pub async fn data_source(&self, id: &str) -> Result<DataSource, NotionError> {
        let path = format!("v1/data_sources/{id}");
        let resource = Resource::DataSource(id.to_owned());
        let value = self.send(Method::GET, &path, None, &resource).await?;
        Ok(DataSource::from_value(&value))
    }

    /// The ids of a database's own views (`GET /v1/views?database_id=…`), in the order Notion
    /// lists them, following `next_cursor`.
    pub async fn views(&self, database_id: &str) -> Result<Vec<String>, NotionError> {
        let resource = Resource::Database(database_id.to_owned());
        let mut ids = Vec::new();
        let mut cursor: Option<String> = None;
        let mut cursors = Cursors::new(&resource, "views");
        loop {
            let mut path = format!(
                "v1/views?database_id={}&page_size={PAGE_SIZE}",
                query_value(database_id)
            );
            push_cursor(&mut path, cursor.as_deref());
            let page = ListPage::from_value(self.send(Method::GET, &path, None, &resource).await?);
            ids.extend(
                page.results
                    .iter()
                    .filter_map(|view| view.get("id").and_then(Value::as_str))
                    .map(str::to_owned),
            );
            match page.next_cursor {
                Some(next) if page.has_more => cursor = Some(cursors.follow(next)?),
                _ => return Ok(ids),
            }
        }
    }

    /// `GET /v1/views/{id}`: a view's layout, filter, sorts and configuration.
    pub async fn view(&self, id: &str) -> Result<View, NotionError> {
        let path = format!("v1/views/{id}");
        let value = self
            .send(Method::GET, &path, None, &Resource::View(id.to_owned()))
            .await?;
        Ok(View::from_value(&value))
    }

    /// `GET /v1/users/me`: checks the token.
    pub async fn me(&self) -> Result<User, NotionError> {
        let value = self
            .send(Method::GET, "v1/users/me", None, &Resource::User)
            .await?;
        Ok(User::deserialize(&value).unwrap_or_default())
    }

    /// Every child block of a page or block (one level), following `next_cursor`.
    pub async fn block_children(&self, id: &str) -> Result<Vec<Block>, NotionError> {
        let resource = Resource::Block(id.to_owned());
        let mut results = Vec::new();
        let mut cursor: Option<String> = None;
        let mut cursors = Cursors::new(&resource, "children");
        loop {
            let mut path = format!("v1/blocks/{id}/children?page_size={PAGE_SIZE}");
            push_cursor(&mut path, cursor.as_deref());
            let page = ListPage::from_value(self.send(Method::GET, &path, None, &resource).await?);
            results.extend(page.results.iter().map(Block::from_value));
            match page.next_cursor {
                Some(next) if page.has_more => cursor = Some(cursors.follow(next)?),
                _ => return Ok(results),
            }
        }
    }

    /// Every row of a database query (`databases/{id}/query` under 2022-06-28,
    /// `data_sources/{id}/query` later), following `next_cursor`. Only pages are rows: any
    /// other object in the results is left out.
    pub async fn query(
        &self,
        target: &Resource,
        filter: Option<&Value>,
        sorts: Option<&Value>,
    ) -> Result<Vec<Page>, NotionError> {
        self.query_properties(target, filter, sorts, &[]).await
    }

    /// [`query`](Self::query), with each row carrying only the properties whose ids are in
    /// `properties` (`filter_properties`; all of them when it is empty). The row's id,
    /// `last_edited_time` and `in_trash` always come: a change probe needs little more.
    pub async fn query_properties(
        &self,
        target: &Resource,
        filter: Option<&Value>,
        sorts: Option<&Value>,
        properties: &[String],
    ) -> Result<Vec<Page>, NotionError> {
        let mut path = match target {
            Resource::Database(id) => format!("v1/databases/{id}/query"),
            Resource::DataSource(id) => format!("v1/data_sources/{id}/query"),
            other => unreachable!("query of {other}"),
        };
        let narrowed: Vec<String> = properties
            .iter()
            .map(|id| {
                let id: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
                format!("filter_properties={id}")
            })
            .collect();
        if !narrowed.is_empty() {
            path.push('?');
            path.push_str(&narrowed.join("&"));
        }
        let mut results = Vec::new();
        let mut cursor: Option<String> = None;
        let mut cursors = Cursors::new(target, "rows");
        loop {
            let mut body = json!({ "page_size": PAGE_SIZE });
            if let Some(filter) = filter {
                body["filter"] = filter.clone();
            }
            if let Some(sorts) = sorts {
                body["sorts"] = sorts.clone();
            }
            if let Some(cursor) = &cursor {
                body["start_cursor"] = json!(cursor);
            }
            let page =
                ListPage::from_value(self.send(Method::POST, &path, Some(&body), target).await?);
            results.extend(
                page.results
                    .iter()
                    .filter(|row| row.get("object").and_then(Value::as_str) == Some("page"))
                    .map(Page::from_value),
            );
            match page.next_cursor {
                Some(next) if page.has_more => cursor = Some(cursors.follow(next)?),
                _ => return Ok(results),
            }
        }
    }

    /// Sends one request under the pacer, retrying what is worth retrying.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        resource: &Resource,
    ) -> Result<Value, NotionError> {
        let url = self
            .options
            .api_url
            .join(path)
            .map_err(|e| NotionError::BadResponse {
                resource: resource.clone(),
                detail: format!("cannot build the URL for {path}: {e}"),
            })?;
        let mut attempt = 0;
        let mut failures = 0;
        let mut rate_limited = 0;
        loop {
            attempt += 1;
            self.pacer.wait_turn().await;
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            tracing::trace!(%method, path, attempt, "Notion request");
            let mut request = self.http.request(method.clone(), url.clone());
            if let Some(body) = body {
                request = request.json(body);
            }
            let outcome = match request.send().await {
                Ok(response) => self.judge(response, resource, &method, path, attempt).await,
                Err(error) if error.is_timeout() || error.is_connect() || error.is_request() => {
                    Attempt::Retry {
                        wait: self.backoff(attempt),
                        why: describe_transport_error(&error),
                    }
                }
                Err(error) => Attempt::Fatal(NotionError::GaveUp {
                    resource: resource.clone(),
                    attempts: attempt,
                    last: describe_transport_error(&error),
                }),
            };
            match outcome {
                Attempt::Done(value) => return Ok(value),
                Attempt::Fatal(error) => return Err(error),
                Attempt::Retry { wait, why } => {
                    failures += 1;
                    if failures > self.options.max_retries {
                        return Err(NotionError::GaveUp {
                            resource: resource.clone(),
                            attempts: attempt,
                            last: why,
                        });
                    }
                    self.stats.retries.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!("retrying {resource} in {wait:?}: {why}");
                    tokio::time::sleep(wait).await;
                }
                Attempt::RateLimited { why } => {
                    rate_limited += 1;
                    if rate_limited > self.options.max_rate_limited_retries {
                        return Err(NotionError::GaveUp {
                            resource: resource.clone(),
                            attempts: attempt,
                            last: why,
                        });
                    }
                    self.stats.retries.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!("retrying {resource} when the rate limit allows: {why}");
                }
            }
        }
    }

    async fn judge(
        &self,
        response: reqwest::Response,
        resource: &Resource,
        method: &Method,
        path: &str,
        attempt: u32,
    ) -> Attempt {
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let bytes = match read_capped(response, MAX_RESPONSE_BYTES).await {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                let path = path.split('?').next().unwrap_or_default();
                return Attempt::Fatal(NotionError::TooLarge {
                    resource: resource.clone(),
                    request: format!("{method} /{path}"),
                    limit: MAX_RESPONSE_BYTES,
                });
            }
            Err(error) => {
                return Attempt::Retry {
                    wait: self.backoff(attempt),
                    why: format!(
                        "reading the response failed: {}",
                        describe_transport_error(&error)
                    ),
                };
            }
        };
        if status.is_success() {
            let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
            return match serde_json::from_slice(body) {
                Ok(value) => Attempt::Done(value),
                Err(error) => Attempt::Fatal(NotionError::BadResponse {
                    resource: resource.clone(),
                    detail: error.to_string(),
                }),
            };
        }
        let error: ApiErrorBody = serde_json::from_slice(&bytes).unwrap_or_default();
        match status {
            _ if status == StatusCode::TOO_MANY_REQUESTS || status.as_u16() == 529 => {
                self.stats.rate_limited.fetch_add(1, Ordering::Relaxed);
                // `max` then `min`, not `clamp`: a floor set above the cap must not panic.
                let wait = retry_after
                    .unwrap_or_else(|| self.backoff(attempt))
                    .max(self.options.retry_after_floor)
                    .min(self.options.retry_after_cap);
                // Everyone waits, not only this request: the limit is per integration.
                self.pacer.pause_for(wait).await;
                Attempt::RateLimited {
                    why: format!("{} {}", status.as_u16(), error.code),
                }
            }
            StatusCode::INTERNAL_SERVER_ERROR
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT => Attempt::Retry {
                wait: self.backoff(attempt),
                why: format!("{} {}", status.as_u16(), error.code),
            },
            StatusCode::UNAUTHORIZED => Attempt::Fatal(NotionError::Unauthorized),
            StatusCode::NOT_FOUND => Attempt::Fatal(NotionError::NotFound(resource.clone())),
            // The server's own words may echo the request (its token, a signed URL).
            StatusCode::FORBIDDEN => Attempt::Fatal(NotionError::Forbidden {
                resource: resource.clone(),
                code: scrub(&error.code).into_owned(),
                message: scrub(&error.message).into_owned(),
            }),
            _ => Attempt::Fatal(NotionError::Rejected {
                resource: resource.clone(),
                status: status.as_u16(),
                code: scrub(&error.code).into_owned(),
                message: scrub(&error.message).into_owned(),
            }),
        }
    }

    /// Exponential backoff with full jitter: a random wait in [base·2ⁿ⁻¹/2, base·2ⁿ⁻¹], at most 30 s.
    fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .options
            .backoff_base
            .saturating_mul(1 << attempt.saturating_sub(1).min(10))
            .min(Duration::from_secs(30));
        ceiling.mul_f64(0.5 + rand::random::<f64>() * 0.5)
    }
}

/// Text as a value of a URL's query string: a cursor or an id is Notion's to choose, so it is
/// percent-encoded whatever it holds.
fn query_value(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Appends `&start_cursor=…` to a listing's path when there is a cursor to follow.
fn push_cursor(path: &mut String, cursor: Option<&str>) {
    if let Some(cursor) = cursor {
        path.push_str("&start_cursor=");
        path.push_str(&query_value(cursor));
    }
}

/// The cursors of one listing so far, to stop a listing that would never end.
struct Cursors<'a> {
    resource: &'a Resource,
    what: &'static str,
    seen: std::collections::HashSet<String>,
}

impl<'a> Cursors<'a> {
    fn new(resource: &'a Resource, what: &'static str) -> Self {
        Cursors {
            resource,
            what,
            seen: std::collections::HashSet::new(),
        }
    }

    /// `next`, unless it came before in this listing or the listing has run too long.
    fn follow(&mut self, next: String) -> Result<String, NotionError> {
        let endless = |detail: String| NotionError::EndlessListing {
            resource: self.resource.clone(),
            what: self.what,
            detail,
        };
        if self.seen.len() + 1 >= MAX_LIST_PAGES {
            return Err(endless(format!(
                "has more than {MAX_LIST_PAGES} pages of {PAGE_SIZE}"
            )));
        }
        if !self.seen.insert(next.clone()) {
            return Err(endless(format!(
                "came back to a cursor it had already given ({:?}) after {} pages",
                next.chars().take(64).collect::<String>(),
                self.seen.len() + 1
            )));
        }
        Ok(next)
    }
}

/// The body of `response`, or `None` when it is longer than `limit` bytes (announced or not):
/// at most `limit` bytes are ever held.
async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Option<Vec<u8>>, reqwest::Error> {
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Ok(None);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > limit {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// `Retry-After` as integer seconds or an HTTP date.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// A transport error without the URL (which is ours and harmless, but keeps messages short).
fn describe_transport_error(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    let mut detail = String::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        detail = cause.to_string();
        source = cause.source();
    }
    if detail.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {detail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        let soon = std::time::SystemTime::now() + Duration::from_secs(30);
        let parsed = parse_retry_after(&httpdate::fmt_http_date(soon)).unwrap();
        assert!(parsed <= Duration::from_secs(30) && parsed >= Duration::from_secs(28));
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let options = ClientOptions::new(
            Url::parse("https://api.notion.com").unwrap(),
            "2025-09-03",
            "ntn_supersecret",
        );
        let client = NotionClient::new(options.clone()).unwrap();
        assert!(!format!("{options:?}").contains("supersecret"));
        assert!(!format!("{client:?}").contains("supersecret"));
    }
}
