//! Headless Chromium for the browser tests, driven over the Chrome DevTools Protocol (a
//! websocket, no extra downloads): finding and starting it, and a minimal protocol client.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

/// How long a process may take to say it is ready.
pub const WAIT: Duration = Duration::from_secs(120);

/// `CHROMIUM` when set, else the usual places.
pub fn find_chromium() -> Option<PathBuf> {
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

/// Chromium for a test named `test`: `None` (with a notice) when it is not installed, except
/// in CI (env `CI` set), where that fails the test.
pub fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    let found = find_chromium();
    if found.is_none() {
        if std::env::var_os("CI").is_some() {
            panic!("CI is set but Chromium is not installed (.ci/run installs Debian's chromium)");
        }
        eprintln!("SKIPPED {test}: no Chromium found (set CHROMIUM=…)");
    }
    found
}

/// Starts headless Chromium with a fresh profile in `profile`; returns it and the websocket
/// URL of its DevTools endpoint. Other hosts than 127.0.0.1 fail at once: tests never touch
/// the internet.
pub fn launch(chromium: &Path, profile: &Path) -> (Process, String) {
    let mut browser = Command::new(chromium);
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
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ]);
    browser.arg(format!("--user-data-dir={}", profile.display()));
    browser.arg("about:blank");
    let (browser, line) = Process::start(browser, "ws://");
    (browser, line.trim().to_owned())
}

/// A child process killed when dropped, with its stderr collected.
pub struct Process {
    child: Child,
    log: Arc<Mutex<String>>,
}

impl Process {
    /// Starts `command` and waits for a stderr line containing `needle`; returns the text of
    /// the line from `needle` on.
    pub fn start(mut command: Command, needle: &'static str) -> (Process, String) {
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

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal CDP client: one websocket, commands answered by id, events queued.
pub struct Cdp {
    socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    next_id: u64,
    events: Vec<Value>,
}

impl Cdp {
    /// Connects to the browser at `ws_url` and opens a blank tab with the page, runtime and log
    /// domains enabled; returns the client and the tab's session id.
    pub async fn connect(ws_url: &str) -> anyhow::Result<(Cdp, String)> {
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
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] {
            cdp.call(Some(&session), domain, json!({})).await?;
        }
        Ok((cdp, session))
    }

    /// Loads `url` in the tab and waits for its load event.
    pub async fn navigate(&mut self, session: &str, url: &str) -> anyhow::Result<()> {
        self.call(Some(session), "Page.navigate", json!({"url": url}))
            .await?;
        self.event("Page.loadEventFired").await?;
        Ok(())
    }

    pub async fn call(
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

    pub async fn receive(&mut self) -> anyhow::Result<Value> {
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
    pub async fn event(&mut self, method: &str) -> anyhow::Result<Value> {
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
    pub async fn eval(&mut self, session: &str, expression: &str) -> anyhow::Result<Value> {
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
    pub fn errors(&mut self, base: &str) -> Vec<String> {
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
