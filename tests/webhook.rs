//! `notion-bake webhook`: the real binary receiving Notion's verification request and signed
//! events over raw HTTP, running `--exec` (a marker file counts the runs) or POSTing to
//! `--dispatch` (a local capture server records the requests).

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use support::webhook::{post, sign};
use support::{FakeNotion, Workspace, blocks as b};

const WAIT: Duration = Duration::from_secs(60);
const TOKEN: &str = "secret_k3yFromN0tion";

/// A running `notion-bake webhook`; killed when dropped.
struct Receiver {
    child: Child,
    addr: SocketAddr,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Receiver {
    fn start(site: &Path, args: &[&str], env: &[(&str, &str)]) -> Receiver {
        let mut command = Command::new(env!("CARGO_BIN_EXE_notion-bake"));
        command
            .arg("webhook")
            .arg(site)
            .args(["--listen", "127.0.0.1:0", "--debounce", "300ms"])
            .args(args)
            .env_remove("RUST_LOG")
            .env_remove("NOTION_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().unwrap();
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        let started = Instant::now();
        let marker = "listening for Notion webhook events on http://";
        let addr = loop {
            let log = stderr.lock().unwrap().clone();
            if let Some(at) = log.find(marker) {
                let rest = &log[at + marker.len()..];
                break rest[..rest.find('/').unwrap()].parse().unwrap();
            }
            assert!(started.elapsed() < WAIT, "webhook did not start:\n{log}");
            if let Ok(Some(status)) = child.try_wait() {
                panic!("webhook exited with {status}:\n{log}");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        Receiver {
            child,
            addr,
            stdout,
            stderr,
        }
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// POSTs `body` with the given extra headers; the answer's status.
    fn post(&self, headers: &[(&str, &str)], body: &[u8]) -> u16 {
        post(self.addr, headers, body)
    }

    fn verify(&self, token: &str) -> u16 {
        self.post(
            &[],
            json!({"verification_token": token}).to_string().as_bytes(),
        )
    }

    fn signed(&self, body: &[u8]) -> u16 {
        self.post(&[("X-Notion-Signature", &sign(TOKEN, body))], body)
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(stream: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = text.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let mut sink = sink.lock().unwrap();
            sink.push_str(&line);
            sink.push('\n');
        }
    });
    text
}

/// A site with a one-post blog, built from the fake server (so the snapshot knows its ids).
fn built_site() -> (FakeNotion, tempfile::TempDir, String) {
    let mut ws = Workspace::new();
    let db = ws.add_database("Notes", &[("Published", "checkbox")]);
    let post = ws.add_row(
        &db,
        json!({"Name": "First light", "Published": true}),
        vec![b::paragraph("Dawn.")],
    );
    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("notion-bake.toml"),
        format!(
            "title = \"Notes\"\nbase_url = \"https://example.org/\"\n\
             [notion]\nrequests_per_second = 500\n[blog]\ndatabase = \"{}\"\n",
            db.database_id
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .arg("build")
        .arg(site.path())
        .env("NOTION_TOKEN", server.token())
        .env("NOTION_API_URL", server.url())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (server, site, post)
}

/// A `page.content_updated` event about `page_id`, as Notion sends it.
fn event(page_id: &str, n: usize) -> Vec<u8> {
    json!({
        "id": format!("0a9c3f0e-0000-4000-8000-{n:012}"),
        "timestamp": "2026-12-08T02:00:00.000Z",
        "workspace_id": "13950b26-c203-4f3b-b97d-93ec06319565",
        "subscription_id": "29d75c0d-5546-4e80-9b8b-1a5d5c1d5a2e",
        "integration_id": "18fd872b-594c-8031-a8e9-00370cfb0edb",
        "type": "page.content_updated",
        "authors": [{"id": "c7c11cca-1d73-471d-9b6e-bdef51470190", "type": "person"}],
        "attempt_number": 1,
        "entity": {"id": page_id, "type": "page"},
        "data": {
            "parent": {"id": "13950b26-c203-4f3b-b97d-93ec06319565", "type": "space"},
            "updated_blocks": [{"id": "1a2b3c4d-0000-4000-8000-000000000001", "type": "block"}]
        }
    })
    .to_string()
    .into_bytes()
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Waits until `done` holds (or fails after [`WAIT`]).
fn eventually(what: &str, receiver: &Receiver, done: impl Fn() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < WAIT,
            "{what} did not happen:\n{}",
            receiver.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn only_signed_events_about_the_site_run_the_command_and_bursts_make_one_or_two_runs() {
    let (_server, site, post) = built_site();
    let runs = site.path().join("runs.txt");
    let receiver = Receiver::start(
        site.path(),
        &[
            "--exec",
            "echo start >> runs.txt; sleep 1; echo end >> runs.txt",
        ],
        &[],
    );
    let token_file = site.path().join(".notion-bake/webhook-token");

    // Before a token is stored, nothing can be verified.
    assert_eq!(receiver.signed(&event(&post, 0)), 401);
    // Notion's verification request: stored for the owner only, printed once on stdout.
    assert_eq!(receiver.verify(TOKEN), 200);
    assert_eq!(std::fs::read_to_string(&token_file).unwrap().trim(), TOKEN);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&token_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    eventually("the token printed", &receiver, || {
        receiver.stdout.lock().unwrap().contains(TOKEN)
    });
    // A second verification request does not replace it.
    assert_eq!(receiver.verify("secret_someoneElse"), 401);
    assert_eq!(std::fs::read_to_string(&token_file).unwrap().trim(), TOKEN);

    // Refused without an action: no signature, a wrong one, a signed body with one byte
    // changed, a 10 MB body.
    let body = event(&post, 1);
    assert_eq!(receiver.post(&[], &body), 401);
    assert_eq!(
        receiver.post(
            &[("X-Notion-Signature", &sign("secret_wrong", &body))],
            &body
        ),
        401
    );
    let mut changed = body.clone();
    let at = changed.len() / 2;
    changed[at] ^= 0x01;
    assert_eq!(
        receiver.post(&[("X-Notion-Signature", &sign(TOKEN, &body))], &changed),
        401
    );
    let huge = vec![b' '; 10 << 20];
    assert_eq!(receiver.signed(&huge), 413);
    // A signed event about a page outside the site: accepted, ignored.
    assert_eq!(
        receiver.signed(&event("5b0c2e8e-1111-4111-8111-111111111111", 2)),
        200
    );
    std::thread::sleep(Duration::from_millis(1500));
    assert!(!runs.exists(), "{:?}\n{}", lines(&runs), receiver.log());

    // One signed event about a post: exactly one run.
    assert_eq!(receiver.signed(&event(&post, 3)), 200);
    eventually("the run", &receiver, || lines(&runs).len() == 2);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(lines(&runs), ["start", "end"], "{}", receiver.log());

    // A burst of 20: one run, or two when the debounce ends inside the burst.
    for n in 0..20 {
        assert_eq!(receiver.signed(&event(&post, 10 + n)), 200);
    }
    eventually("the burst's run", &receiver, || lines(&runs).len() >= 4);
    std::thread::sleep(Duration::from_millis(2500));
    let after_burst = lines(&runs).len();
    assert!(
        after_burst == 4 || after_burst == 6,
        "{:?}\n{}",
        lines(&runs),
        receiver.log()
    );

    // Events during a run queue exactly one more, and runs never overlap.
    assert_eq!(receiver.signed(&event(&post, 40)), 200);
    eventually("a run starting", &receiver, || {
        lines(&runs).len() == after_burst + 1
    });
    for n in 0..5 {
        assert_eq!(receiver.signed(&event(&post, 41 + n)), 200);
    }
    eventually("the queued run", &receiver, || {
        lines(&runs).len() == after_burst + 4
    });
    std::thread::sleep(Duration::from_millis(2500));
    let all = lines(&runs);
    assert_eq!(all.len(), after_burst + 4, "{all:?}");
    for pair in all.chunks(2) {
        assert_eq!(pair, ["start", "end"], "{all:?}");
    }
    assert!(!receiver.log().contains(TOKEN), "{}", receiver.log());
}

/// One recorded request: the request line, the headers (lower-cased names) and the body.
type Captured = (String, Vec<(String, String)>, Vec<u8>);

/// A local server that answers every request 204 and records it.
fn capture_server() -> (SocketAddr, Arc<Mutex<Vec<Captured>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut reader = BufReader::new(stream);
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut headers = Vec::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.trim_end().split_once(':') {
                    headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
                }
            }
            let length = headers
                .iter()
                .find(|(name, _)| name == "content-length")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            sink.lock()
                .unwrap()
                .push((request_line.trim_end().to_owned(), headers, body));
            let _ = reader
                .get_mut()
                .write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
        }
    });
    (addr, seen)
}

#[test]
fn dispatch_posts_to_githubs_repository_dispatch_and_to_build_hooks_once_per_event() {
    let (_server, site, post) = built_site();
    let (hook, seen) = capture_server();
    let bearer = "ghp_fakeTokenForTheCaptureServer";
    let github = format!("http://{hook}/repos/someone/site/dispatches");
    let receiver = Receiver::start(
        site.path(),
        &[
            "--dispatch",
            &github,
            "--dispatch-token-env",
            "NOTION_BAKE_TEST_DISPATCH",
        ],
        &[("NOTION_BAKE_TEST_DISPATCH", bearer)],
    );
    assert_eq!(receiver.verify(TOKEN), 200);
    assert_eq!(receiver.post(&[], &event(&post, 1)), 401);
    assert_eq!(receiver.signed(&event(&post, 2)), 200);
    eventually("the dispatch", &receiver, || {
        seen.lock().unwrap().len() == 1
    });
    std::thread::sleep(Duration::from_millis(1500));
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "{seen:?}");
        let (line, headers, body) = &seen[0];
        assert_eq!(line, "POST /repos/someone/site/dispatches HTTP/1.1");
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(
            header("authorization"),
            Some(format!("Bearer {bearer}").as_str())
        );
        assert_eq!(header("accept"), Some("application/vnd.github+json"));
        let body: serde_json::Value = serde_json::from_slice(body).unwrap();
        assert_eq!(body, json!({"event_type": "notion-bake"}));
    }
    let log = receiver.log();
    assert!(!log.contains(bearer) && !log.contains(TOKEN), "{log}");
    drop(receiver);

    // A build hook (Netlify, Cloudflare Pages, Vercel): an empty POST, no credentials.
    let build_hook = format!("http://{hook}/build_hooks/5f0c1a");
    let receiver = Receiver::start(site.path(), &["--dispatch", &build_hook], &[]);
    // The token stored by the first receiver verifies this one's events.
    assert_eq!(receiver.verify("secret_someoneElse"), 401);
    assert_eq!(receiver.signed(&event(&post, 3)), 200);
    eventually("the build hook", &receiver, || {
        seen.lock().unwrap().len() == 2
    });
    let seen = seen.lock().unwrap();
    let (line, headers, body) = &seen[1];
    assert_eq!(line, "POST /build_hooks/5f0c1a HTTP/1.1");
    assert!(body.is_empty(), "{body:?}");
    assert!(
        !headers.iter().any(|(n, _)| n == "authorization"),
        "{headers:?}"
    );
}
