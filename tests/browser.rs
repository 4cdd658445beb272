//! A real browser on the served example site: headless Chromium, driven over the Chrome
//! DevTools Protocol (a websocket, no extra downloads), loads the home page and a post and
//! checks that no console error was logged, every `<img>` loaded, and the live-reload
//! connection opened. A screenshot of each page is kept under
//! `<target dir>/browser-artifacts/`.
//!
//! Without Chromium the test is skipped with a notice, except in CI (env `CI` set), where it
//! fails. `CHROMIUM=/path/to/chromium` picks the browser.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

const WAIT: Duration = Duration::from_secs(120);

fn find_chromium() -> Option<PathBuf> {
    let asked = std::env::var_os("CHROMIUM").filter(|p| !p.is_empty());
    if let Some(path) = asked {
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
}

/// A child process killed when dropped, with its stderr collected.
struct Process {
    child: Child,
    log: Arc<Mutex<String>>,
}

impl Process {
    /// Starts `command` and waits for a stderr line containing `needle`; returns the text of
    /// the line from `needle` on.
    fn start(mut command: Command, needle: &'static str) -> (Process, String) {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("start process");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find(needle) {
                    let _ = tx.send(line[at..].to_owned());
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let found = rx.recv_timeout(WAIT);
        let process = Process { child, log };
        match found {
            Ok(line) => (process, line),
            Err(_) => panic!("never saw {needle:?}; the process said:\n{}", process.log()),
        }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(from).unwrap();
        if relative.starts_with("public") || relative.starts_with(".notion-bake/variants") {
            continue;
        }
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `<target dir>/browser-artifacts`, beside the `debug` folder this test runs from.
fn artifacts_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let target = exe
        .ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("browser-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_example_site_works_in_headless_chromium() {
    let Some(chromium) = find_chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!("CI is set but Chromium is not installed (.ci/run installs Debian's chromium)");
        }
        eprintln!(
            "SKIPPED the_example_site_works_in_headless_chromium: no Chromium found (set CHROMIUM=…)"
        );
        return;
    };

    // Serve a copy, so the repository's example site is left as it is.
    let site = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site"),
        site.path(),
    );
    let mut serve = Command::new(env!("CARGO_BIN_EXE_notion-bake"));
    serve
        .arg("serve")
        .arg(site.path())
        .args(["--port", "0"])
        .env_remove("NOTION_TOKEN")
        .env_remove("RUST_LOG")
        .env("NOTION_BAKE_POLL_SECONDS", "0");
    let (served, line) = Process::start(serve, "http://127.0.0.1:");
    let base = line.split_whitespace().next().unwrap().to_owned();

    let profile = tempfile::tempdir().unwrap();
    let mut browser = Command::new(&chromium);
    browser.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--remote-debugging-port=0",
        "--window-size=1280,900",
        // Tests never touch the internet: other hosts fail at once (external images of the
        // example site are the author's, left untouched, and not checked here).
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ]);
    browser.arg(format!("--user-data-dir={}", profile.path().display()));
    browser.arg("about:blank");
    let (browser, line) = Process::start(browser, "ws://");
    let ws_url = line.trim().to_owned();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let outcome =
        runtime.block_on(async { tokio::time::timeout(WAIT, drive(&ws_url, &base)).await });
    let report = match outcome {
        Ok(Ok(report)) => report,
        Ok(Err(e)) => panic!(
            "{e:#}\nserve said:\n{}\nchromium said:\n{}",
            served.log(),
            browser.log()
        ),
        Err(_) => panic!("the browser test timed out; serve said:\n{}", served.log()),
    };
    for page in &report {
        eprintln!(
            "{}: {} images loaded ({} external ones not checked), live reload connected; \
             screenshot {}",
            page.url,
            page.images,
            page.external,
            page.screenshot.display()
        );
    }
    drop(browser);
    drop(served);
}

struct PageReport {
    url: String,
    /// Images of the site (all loaded).
    images: usize,
    /// Images on other hosts, not loaded here.
    external: usize,
    screenshot: PathBuf,
}

/// A minimal CDP client: one websocket, commands answered by id, events queued.
struct Cdp {
    socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    next_id: u64,
    events: Vec<Value>,
}

impl Cdp {
    async fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> anyhow::Result<Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        self.socket.send(Message::text(message.to_string())).await?;
        loop {
            let value = self.receive().await?;
            if value.get("id").and_then(Value::as_u64) == Some(id) {
                if let Some(error) = value.get("error") {
                    anyhow::bail!("{method} failed: {error}");
                }
                return Ok(value.get("result").cloned().unwrap_or(Value::Null));
            }
            self.events.push(value);
        }
    }

    async fn receive(&mut self) -> anyhow::Result<Value> {
        loop {
            match self.socket.next().await {
                Some(Ok(Message::Text(text))) => return Ok(serde_json::from_str(&text)?),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e.into()),
                None => anyhow::bail!("the browser closed the connection"),
            }
        }
    }

    /// Waits for an event named `method` (queued ones first).
    async fn event(&mut self, method: &str) -> anyhow::Result<Value> {
        if let Some(at) = self
            .events
            .iter()
            .position(|e| e.get("method").and_then(Value::as_str) == Some(method))
        {
            return Ok(self.events.remove(at));
        }
        loop {
            let value = self.receive().await?;
            if value.get("method").and_then(Value::as_str) == Some(method) {
                return Ok(value);
            }
            self.events.push(value);
        }
    }

    /// Evaluates an expression (awaiting a promise) in the page; returns its JSON value.
    async fn eval(&mut self, session: &str, expression: &str) -> anyhow::Result<Value> {
        let result = self
            .call(
                Some(session),
                "Runtime.evaluate",
                json!({"expression": expression, "awaitPromise": true, "returnByValue": true}),
            )
            .await?;
        if let Some(exception) = result.get("exceptionDetails") {
            anyhow::bail!("evaluating {expression:?} threw: {exception}");
        }
        Ok(result["result"]["value"].clone())
    }

    /// Console errors, uncaught exceptions and failed loads seen so far (and forgets them).
    /// Failed loads of other hosts (external images, offline here) are not errors of the site.
    fn errors(&mut self, base: &str) -> Vec<String> {
        let mut errors = Vec::new();
        for event in self.events.drain(..) {
            let params = &event["params"];
            match event.get("method").and_then(Value::as_str) {
                Some("Runtime.consoleAPICalled") if params["type"] == "error" => {
                    errors.push(format!("console.error: {}", params["args"]))
                }
                Some("Runtime.exceptionThrown") => {
                    errors.push(format!("exception: {}", params["exceptionDetails"]))
                }
                Some("Log.entryAdded")
                    if params["entry"]["level"] == "error"
                        && params["entry"]["url"]
                            .as_str()
                            .is_none_or(|url| url.is_empty() || url.starts_with(base))
                        // The browser's own request, made when a page links no icon.
                        && !params["entry"]["url"]
                            .as_str()
                            .is_some_and(|url| url.ends_with("/favicon.ico")) =>
                {
                    errors.push(format!(
                        "{}: {}",
                        params["entry"]["text"],
                        params["entry"]["url"].as_str().unwrap_or_default()
                    ))
                }
                _ => {}
            }
        }
        errors
    }
}

/// Every `<img>` made eager and awaited; then each one's URL and natural width.
const IMAGES: &str = r#"(async () => {
  const images = Array.from(document.images);
  for (const img of images) img.loading = "eager";
  await Promise.all(images.map((img) => img.complete ? null :
    new Promise((done) => { img.addEventListener("load", done); img.addEventListener("error", done); })));
  return images.map((img) => ({ src: img.currentSrc || img.src, width: img.naturalWidth }));
})()"#;

/// Resolves once the live-reload connection opened (or says it did not, after 10 s).
const LIVE: &str = r#"(async () => {
  for (let i = 0; i < 100; i++) {
    if (window.__notionBake && window.__notionBake.connected) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
})()"#;

async fn drive(ws_url: &str, base: &str) -> anyhow::Result<Vec<PageReport>> {
    let (socket, _) = tokio_tungstenite::connect_async(ws_url).await?;
    let mut cdp = Cdp {
        socket,
        next_id: 0,
        events: Vec::new(),
    };
    let target = cdp
        .call(None, "Target.createTarget", json!({"url": "about:blank"}))
        .await?;
    let attached = cdp
        .call(
            None,
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        )
        .await?;
    let session = attached["sessionId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let session = session.as_str();
    for domain in ["Page.enable", "Runtime.enable", "Log.enable"] {
        cdp.call(Some(session), domain, json!({})).await?;
    }
    cdp.errors(base);

    let mut reports = Vec::new();
    let mut url = base.to_owned();
    let mut seen: HashMap<String, ()> = HashMap::new();
    for name in ["index", "post"] {
        seen.insert(url.clone(), ());
        cdp.call(Some(session), "Page.navigate", json!({"url": url}))
            .await?;
        cdp.event("Page.loadEventFired").await?;
        let images = cdp.eval(session, IMAGES).await?;
        let images = images.as_array().cloned().unwrap_or_default();
        let (local, external): (Vec<Value>, Vec<Value>) = images
            .into_iter()
            .partition(|i| i["src"].as_str().is_some_and(|src| src.starts_with(base)));
        let broken: Vec<&Value> = local
            .iter()
            .filter(|i| i["width"].as_u64().unwrap_or(0) == 0)
            .collect();
        anyhow::ensure!(broken.is_empty(), "{url}: images did not load: {broken:?}");
        let images = local;
        anyhow::ensure!(
            cdp.eval(session, LIVE).await? == json!(true),
            "{url}: the live-reload connection did not open"
        );
        let title = cdp.eval(session, "document.title").await?;
        anyhow::ensure!(
            title.as_str().is_some_and(|t| !t.is_empty()),
            "{url}: no title"
        );
        let shot = cdp
            .call(
                Some(session),
                "Page.captureScreenshot",
                json!({"format": "png", "captureBeyondViewport": true}),
            )
            .await?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap_or_default())?;
        let screenshot = artifacts_dir().join(format!("example-site-{name}.png"));
        std::fs::write(&screenshot, png)?;
        let errors = cdp.errors(base);
        anyhow::ensure!(
            errors.is_empty(),
            "{url}: errors in the browser: {errors:#?}"
        );
        reports.push(PageReport {
            url: url.clone(),
            images: images.len(),
            external: external.len(),
            screenshot,
        });
        if name == "index" {
            let next = cdp
                .eval(
                    session,
                    "(document.querySelector('a[href*=\"/posts/\"]') || {}).href || ''",
                )
                .await?;
            url = next.as_str().unwrap_or_default().to_owned();
            anyhow::ensure!(
                url.starts_with(base) && !seen.contains_key(&url),
                "the index links to no post"
            );
        }
    }
    anyhow::ensure!(reports.iter().any(|r| r.images > 0), "no page had an image");
    let _ = cdp.call(None, "Browser.close", json!({})).await;
    Ok(reports)
}
