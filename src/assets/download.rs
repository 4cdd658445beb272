//! Downloading Notion-hosted files: only from Notion's file hosts, streamed to disk under a size
//! cap, hashed on the way, and checked (status, length, not empty unless the host says so). No
//! Authorization header ever goes to a file host: this client has none.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};
use url::Url;

/// How many leading bytes are kept for sniffing the file type.
const HEAD_LEN: usize = 4096;
/// The config's `max_size_mb` counts in these (MiB).
const MB: u64 = 1024 * 1024;
/// A download that sends nothing for this long has stalled: it fails (and is tried once more).
const STALL_TIMEOUT: Duration = Duration::from_secs(20);
/// The longest one download attempt may take, however steadily a host trickles bytes.
const ATTEMPT_DEADLINE: Duration = Duration::from_secs(300);

/// Why a download failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum DownloadError {
    #[error("the signed URL has expired")]
    Expired,
    #[error("the file host refused the download (403 {code})")]
    Forbidden { code: String },
    /// S3 answers 400 to malformed or outdated presigned parameters: a fresh URL may cure it.
    #[error("the file host rejected the request (400 {code})")]
    BadRequest { code: String },
    #[error("the file host answered {status}")]
    Status { status: u16 },
    #[error(
        "the file is larger than the {limit_mb} MB limit ([files] max_size_mb in notion-bake.toml)"
    )]
    TooLarge { limit_mb: u64 },
    #[error("the download stopped after {got} of {expected} bytes")]
    Truncated { expected: u64, got: u64 },
    #[error("the file is empty")]
    Empty,
    /// The host stopped sending, or sent too slowly to finish in time.
    #[error("the download timed out: {0}")]
    TimedOut(String),
    #[error("{0}")]
    Transport(String),
    #[error(
        "{host} is not one of Notion's file hosts; notion-bake only downloads Notion-hosted files"
    )]
    HostNotAllowed { host: String },
}

impl DownloadError {
    /// Whether trying the same URL again may succeed.
    pub(crate) fn is_transient(&self) -> bool {
        matches!(
            self,
            DownloadError::Truncated { .. }
                | DownloadError::Transport(_)
                | DownloadError::TimedOut(_)
        ) || matches!(self, DownloadError::Status { status } if *status >= 500)
    }
}

/// A finished download, waiting in a temporary file.
#[derive(Debug)]
pub(crate) struct Downloaded {
    pub(crate) path: PathBuf,
    pub(crate) sha256: String,
    pub(crate) bytes: u64,
    /// The first bytes, for sniffing the type.
    pub(crate) head: Vec<u8>,
}

/// Which hosts files may come from.
#[derive(Debug, Clone)]
pub struct FileHosts {
    /// The API host when `NOTION_API_URL` points elsewhere (a fake server in tests): its files
    /// are served from there too.
    extra: Option<(String, Option<u16>)>,
}

impl FileHosts {
    /// Notion's file hosts, plus the host of the API at `api_url` when it is not
    /// `api.notion.com` (a fake server serves its files itself).
    pub fn new(api_url: &Url) -> FileHosts {
        let official = api_url.host_str() == Some("api.notion.com");
        FileHosts {
            extra: (!official)
                .then(|| {
                    api_url
                        .host_str()
                        .map(|h| (h.to_owned(), api_url.port_or_known_default()))
                })
                .flatten(),
        }
    }

    /// Whether `url` is a Notion file host (or the overriding API host).
    fn allows(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        if let Some((extra, port)) = &self.extra
            && host == extra
            && url.port_or_known_default() == *port
        {
            return true;
        }
        url.scheme() == "https" && is_notion_file_host(host, url.path())
    }
}

/// Notion's file hosts, past and present.
fn is_notion_file_host(host: &str, path: &str) -> bool {
    let s3 = host.ends_with(".amazonaws.com")
        && (host.starts_with("prod-files-secure.")
            || host.starts_with("secure.notion-static.com.")
            || path.starts_with("/secure.notion-static.com/")
            || path.starts_with("/prod-files-secure/"));
    s3 || matches!(
        host,
        "file.notion.so" | "img.notionusercontent.com" | "www.notion.so" | "notion.so"
    )
}

/// A URL without its query string (the signature) and fragment, for messages.
pub(crate) fn redact(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) => {
            parsed.set_query(None);
            parsed.set_fragment(None);
            parsed.to_string()
        }
        Err(_) => url.split(['?', '#']).next().unwrap_or_default().to_owned(),
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Downloader {
    http: reqwest::Client,
    hosts: FileHosts,
    max_bytes: u64,
}

impl Downloader {
    pub(crate) fn new(hosts: FileHosts, max_bytes: u64) -> anyhow::Result<Downloader> {
        let redirect_hosts = hosts.clone();
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 5 {
                attempt.error("too many redirects")
            } else if redirect_hosts.allows(attempt.url()) {
                attempt.follow()
            } else {
                let host = attempt.url().host_str().unwrap_or_default().to_owned();
                attempt.error(format!(
                    "redirected to {host}, which is not a Notion file host"
                ))
            }
        });
        crate::tls::install_crypto_provider();
        let http = reqwest::Client::builder()
            .redirect(policy)
            .user_agent(concat!("notion-bake/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(15))
            .read_timeout(STALL_TIMEOUT)
            .build()?;
        Ok(Downloader {
            http,
            hosts,
            max_bytes,
        })
    }

    /// Streams `url` into a new temporary file in `temp_dir`.
    pub(crate) async fn fetch(
        &self,
        url: &str,
        temp_dir: &Path,
    ) -> Result<Downloaded, DownloadError> {
        let parsed =
            Url::parse(url).map_err(|e| DownloadError::Transport(format!("bad URL: {e}")))?;
        if !self.hosts.allows(&parsed) {
            return Err(DownloadError::HostNotAllowed {
                host: parsed.host_str().unwrap_or_default().to_owned(),
            });
        }
        let deadline = tokio::time::Instant::now() + ATTEMPT_DEADLINE;
        let stalled = |got: u64| {
            DownloadError::TimedOut(format!(
                "the file host sent nothing for {} s after {got} bytes",
                STALL_TIMEOUT.as_secs()
            ))
        };
        let mut response = self.http.get(parsed).send().await.map_err(|e| {
            if e.is_timeout() {
                stalled(0)
            } else {
                DownloadError::Transport(transport_message(&e))
            }
        })?;
        let status = response.status().as_u16();
        if status != 200 {
            let body = response.text().await.unwrap_or_default();
            return Err(classify_refusal(status, &body));
        }
        let limit_mb = self.max_bytes / MB;
        let expected = response.content_length();
        if expected.is_some_and(|len| len > self.max_bytes) {
            return Err(DownloadError::TooLarge { limit_mb });
        }
        let temp = tempfile::NamedTempFile::new_in(temp_dir).map_err(|e| {
            DownloadError::Transport(format!("cannot create a temporary file: {e}"))
        })?;
        let mut writer = std::io::BufWriter::new(temp);
        let mut hasher = Sha256::new();
        let mut head = Vec::with_capacity(HEAD_LEN);
        let mut got: u64 = 0;
        loop {
            let Ok(next) = tokio::time::timeout_at(deadline, response.chunk()).await else {
                return Err(DownloadError::TimedOut(format!(
                    "not finished after {} s ({got} bytes received)",
                    ATTEMPT_DEADLINE.as_secs()
                )));
            };
            let chunk = match next {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(e) if e.is_timeout() => return Err(stalled(got)),
                Err(_) if expected.is_some_and(|len| got < len) => {
                    return Err(DownloadError::Truncated {
                        expected: expected.unwrap_or_default(),
                        got,
                    });
                }
                Err(e) => return Err(DownloadError::Transport(transport_message(&e))),
            };
            got += chunk.len() as u64;
            if got > self.max_bytes {
                return Err(DownloadError::TooLarge { limit_mb });
            }
            if head.len() < HEAD_LEN {
                let take = (HEAD_LEN - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
            }
            hasher.update(&chunk);
            writer
                .write_all(&chunk)
                .map_err(|e| DownloadError::Transport(format!("cannot write the download: {e}")))?;
        }
        if let Some(expected) = expected.filter(|&len| len != got) {
            return Err(DownloadError::Truncated { expected, got });
        }
        // An empty body is suspicious, unless the host said so: Notion hosts empty files too.
        if got == 0 && expected != Some(0) {
            return Err(DownloadError::Empty);
        }
        let temp = writer
            .into_inner()
            .map_err(|e| DownloadError::Transport(format!("cannot write the download: {e}")))?;
        let (_, path) = temp
            .keep()
            .map_err(|e| DownloadError::Transport(format!("cannot keep the download: {e}")))?;
        Ok(Downloaded {
            path,
            sha256: hex::encode(hasher.finalize()),
            bytes: got,
            head,
        })
    }
}

/// Tells an expired signature (refresh the URL and retry) from a real refusal (S3's XML codes).
fn classify_refusal(status: u16, body: &str) -> DownloadError {
    let code = between(body, "<Code>", "</Code>").unwrap_or_default();
    let expired = body.contains("Request has expired") || code == "ExpiredToken";
    let code_or = |fallback: &str| {
        if code.is_empty() {
            fallback.to_owned()
        } else {
            code.to_owned()
        }
    };
    match status {
        403 | 400 if expired => DownloadError::Expired,
        400 => DownloadError::BadRequest {
            code: code_or("Bad Request"),
        },
        403 => DownloadError::Forbidden {
            code: code_or("Forbidden"),
        },
        _ => DownloadError::Status { status },
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

fn transport_message(error: &reqwest::Error) -> String {
    let mut message = if error.is_timeout() {
        "timed out".to_owned()
    } else if error.is_connect() {
        "could not connect".to_owned()
    } else {
        "download failed".to_owned()
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        // reqwest's own message includes the URL, signature and all: never repeat it.
        if !text.contains("X-Amz") && !text.contains("://") {
            message = format!("{message}: {text}");
        }
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_notion_file_hosts_are_allowed() {
        let hosts = FileHosts::new(&Url::parse("https://api.notion.com").unwrap());
        let allowed = [
            "https://prod-files-secure.s3.us-west-2.amazonaws.com/s/f/a.png?X-Amz-Signature=1",
            "https://s3.us-west-2.amazonaws.com/secure.notion-static.com/f/a.png",
            "https://file.notion.so/f/f/s/f/a.png?signature=1",
        ];
        for url in allowed {
            assert!(hosts.allows(&Url::parse(url).unwrap()), "{url}");
        }
        let refused = [
            "https://example.org/a.png",
            "https://evil.amazonaws.com/bucket/a.png",
            "http://prod-files-secure.s3.us-west-2.amazonaws.com/s/f/a.png",
            "http://127.0.0.1:8080/s/f/a.png",
        ];
        for url in refused {
            assert!(!hosts.allows(&Url::parse(url).unwrap()), "{url}");
        }
    }

    #[test]
    fn an_overriding_api_host_serves_files_too() {
        let hosts = FileHosts::new(&Url::parse("http://127.0.0.1:4000").unwrap());
        assert!(hosts.allows(&Url::parse("http://127.0.0.1:4000/s/f/a.png?x").unwrap()));
        assert!(!hosts.allows(&Url::parse("http://127.0.0.1:4001/s/f/a.png").unwrap()));
    }

    #[test]
    fn expiry_is_told_from_other_refusals() {
        let expired = "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>";
        assert_eq!(classify_refusal(403, expired), DownloadError::Expired);
        let token = "<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>";
        assert_eq!(classify_refusal(400, token), DownloadError::Expired);
        let signature = "<Error><Code>SignatureDoesNotMatch</Code><Message>…</Message></Error>";
        assert_eq!(
            classify_refusal(403, signature),
            DownloadError::Forbidden {
                code: "SignatureDoesNotMatch".into()
            }
        );
        let invalid = "<Error><Code>AuthorizationQueryParametersError</Code></Error>";
        assert_eq!(
            classify_refusal(400, invalid),
            DownloadError::BadRequest {
                code: "AuthorizationQueryParametersError".into()
            }
        );
        assert_eq!(
            classify_refusal(503, ""),
            DownloadError::Status { status: 503 }
        );
    }

    #[test]
    fn redaction_drops_the_signature() {
        assert_eq!(
            redact(
                "https://prod-files-secure.s3.us-west-2.amazonaws.com/s/f/a.png?X-Amz-Signature=abc#x"
            ),
            "https://prod-files-secure.s3.us-west-2.amazonaws.com/s/f/a.png"
        );
    }
}
