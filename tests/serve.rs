//! `notion-bake serve` end to end: the real binary against the fake Notion server, spoken to
//! over raw HTTP (so traversal paths reach the server exactly as written).

mod support;

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use support::{FakeNotion, Workspace, blocks as b};

const WAIT: Duration = Duration::from_secs(60);
/// How long an edit of the site's files may take to show in the served page.
const RELOAD: Duration = Duration::from_secs(20);

/// A running `notion-bake serve`; stopped with SIGINT when dropped.
struct Served {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

/// `notion-bake serve SITE --port 0`, talking to `server` (or without a token).
fn serve_command(
    site: impl AsRef<OsStr>,
    server: Option<&FakeNotion>,
    poll_seconds: &str,
) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_notion-bake"));
    command
        .arg("serve")
        .arg(site)
        .args(["--port", "0"])
        .env_remove("RUST_LOG")
        .env_remove("NOTION_TOKEN")
        .env("NOTION_BAKE_POLL_SECONDS", poll_seconds)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(server) = server {
        command
            .env("NOTION_TOKEN", server.token())
            .env("NOTION_API_URL", server.url());
    }
    command
}

impl Served {
    fn start(site: &Path, server: Option<&FakeNotion>, poll_seconds: &str) -> Served {
        Served::spawn(serve_command(site, server, poll_seconds))
    }

    /// Runs a prepared [`serve_command`] until it says where it listens.
    fn spawn(mut command: Command) -> Served {
        let mut child = command.spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("http://127.0.0.1:") {
                    let rest = &line[at + "http://".len()..];
                    let addr = rest.split('/').next().unwrap_or_default().to_owned();
                    let _ = tx.send(addr);
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let addr = match rx.recv_timeout(WAIT) {
            Ok(addr) => addr.parse().unwrap(),
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "serve never said where it listens:\n{}",
                    log.lock().unwrap()
                );
            }
        };
        Served { child, addr, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until `GET path` answers with `text` in the page (one change may take more than
    /// one build: an editor's save can arrive as two batches of file events).
    fn eventually(&self, path: &str, text: &str) {
        self.eventually_within(WAIT, path, &format!("{text:?}"), |status, page| {
            status == 200 && page.contains(text)
        });
    }

    /// Waits up to `wait` until `GET path` answers so that `done(status, page)`; panics
    /// saying what never happened (`what`), with the last answer and the server's log.
    fn eventually_within(
        &self,
        wait: Duration,
        path: &str,
        what: &str,
        done: impl Fn(u16, &str) -> bool,
    ) {
        let deadline = Instant::now() + wait;
        loop {
            let (status, page) = self.get(path);
            if done(status, &page) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "{path} never showed {what} within {wait:?} (last: {status}):\n{page}\n\
                     serve said:\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// [`Served::eventually`] within [`RELOAD`]: how long a user waits for an edit to show.
    fn shows_soon(&self, path: &str, text: &str) {
        self.eventually_within(RELOAD, path, &format!("{text:?}"), |status, page| {
            status == 200 && page.contains(text)
        });
    }

    /// `GET path` over HTTP/1.0 (no chunking, no normalisation of the path).
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: {}\r\n\r\n", self.addr).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8_lossy(&response).into_owned();
        let status = response
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {response:?}"));
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, body)| body.to_owned())
            .unwrap_or_default();
        (status, body)
    }

    /// Opens the event stream; every `(event, data)` arrives on the returned channel.
    fn events(&self) -> mpsc::Receiver<(String, String)> {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        write!(
            stream,
            "GET /__notion_bake/events HTTP/1.0\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.addr
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut event = String::new();
            let mut data: Vec<String> = Vec::new();
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(name) = line.strip_prefix("event:") {
                    event = name.trim().to_owned();
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push(value.strip_prefix(' ').unwrap_or(value).to_owned());
                } else if line.is_empty() && !event.is_empty() {
                    if tx
                        .send((std::mem::take(&mut event), data.join("\n")))
                        .is_err()
                    {
                        return;
                    }
                    data.clear();
                }
            }
        });
        rx
    }

    /// Stops the server the way Ctrl-C does; returns whether it exited successfully.
    fn interrupt(mut self) -> bool {
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGINT);
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for an event named `name`, skipping others; panics with the server log on timeout.
fn wait_for(events: &mpsc::Receiver<(String, String)>, name: &str, served: &Served) -> String {
    let deadline = Instant::now() + WAIT;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match events.recv_timeout(left) {
            Ok((event, data)) if event == name => return data,
            Ok(_) => continue,
            Err(_) => break,
        }
    }
    panic!("no {name:?} event arrived; serve said:\n{}", served.log());
}

/// A blog of one post, with the site's config; the built-in base template, to edit.
fn blog_site() -> (FakeNotion, tempfile::TempDir, String) {
    let mut ws = Workspace::new();
    let db = ws.add_database(
        "Field Notes",
        &[("Published", "checkbox"), ("Date", "date")],
    );
    let post = ws.add_row(
        &db,
        json!({"Name": "First light", "Published": true, "Date": "2026-03-01"}),
        vec![b::paragraph("We got up before the birds.")],
    );
    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("notion-bake.toml"),
        format!(
            "title = \"Field Notes\"\nbase_url = \"https://example.org/blog\"\n\
             [notion]\nrequests_per_second = 500\n[blog]\ndatabase = \"{}\"\n",
            db.database_id
        ),
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    (server, site, post)
}

fn built_in_base_template() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/base.html"))
        .unwrap()
}

#[test]
fn serve_reloads_after_template_changes_and_notion_edits_and_shows_build_errors() {
    let (server, site, post) = blog_site();
    let served = Served::start(site.path(), Some(&server), "1");

    // The site is served at the root of the local address, with the reload script in HTML.
    let (status, index) = served.get("/");
    assert_eq!(status, 200, "{index}");
    assert!(index.contains("/__notion_bake/live.js"), "{index}");
    assert!(index.contains("/posts/first-light/"), "{index}");
    assert!(
        !index.contains("https://example.org/blog"),
        "base_url not replaced"
    );
    let (status, page) = served.get("/posts/first-light/");
    assert_eq!(status, 200);
    assert!(page.contains("We got up before the birds."), "{page}");
    let (status, script) = served.get("/__notion_bake/live.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));
    let (status, css) = served.get("/static/style.css");
    assert_eq!(status, 200);
    assert!(
        !css.contains("live.js"),
        "the script went into a non-HTML response"
    );
    assert!(
        !site.path().join("public").exists(),
        "serve wrote into public/"
    );

    let events = served.events();
    wait_for(&events, "hello", &served);
    assert_eq!(wait_for(&events, "build-ok", &served), "");

    // A template change: re-rendered from the cache, then the pages reload.
    let requests_before = server.total_requests();
    let base = built_in_base_template();
    assert!(base.contains("Made with notion-bake"));
    std::fs::write(
        site.path().join("templates/base.html"),
        base.replace("Made with notion-bake", "Baked at the lake"),
    )
    .unwrap();
    wait_for(&events, "reload", &served);
    served.eventually("/posts/first-light/", "Baked at the lake");
    // Editor temp files change nothing.
    std::fs::write(site.path().join("templates/.base.html.swp"), "junk").unwrap();

    // A Notion edit: seen by the poll, fetched, rebuilt.
    server.replace_blocks(&post, vec![b::paragraph("Edited in Notion.")]);
    wait_for(&events, "reload", &served);
    served.eventually("/posts/first-light/", "Edited in Notion.");
    assert!(server.total_requests() > requests_before);

    // A template error: the previous build stays up, the error goes to the pages, and the
    // next good build clears it.
    std::fs::write(
        site.path().join("templates/base.html"),
        base.replace("Made with notion-bake", "{{ site.title"),
    )
    .unwrap();
    let error = wait_for(&events, "build-error", &served);
    assert!(error.contains("base.html"), "{error}");
    let late = served.events();
    wait_for(&late, "hello", &served);
    assert!(
        wait_for(&late, "build-error", &served).contains("base.html"),
        "a page opened after the failure does not see it"
    );
    let (status, page) = served.get("/posts/first-light/");
    assert_eq!(status, 200);
    assert!(page.contains("Edited in Notion."), "{page}");
    // The terminal says so too (its stderr is read on another thread: give it a moment).
    let deadline = Instant::now() + Duration::from_secs(10);
    while !served.log().contains("build failed") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(served.log().contains("build failed"), "{}", served.log());
    std::fs::write(site.path().join("templates/base.html"), &base).unwrap();
    wait_for(&events, "reload", &served);
    served.eventually("/posts/first-light/", "Made with notion-bake");

    // Requests outside the site, in any spelling, get 404 (with the reload script, so a page
    // that 404s still recovers).
    for path in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2fetc/passwd",
        "/posts/..%5c..%5c..%5cetc/passwd",
        "/posts/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/nowhere/",
    ] {
        let (status, body) = served.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("root:"), "{path}");
        assert!(body.contains("/__notion_bake/live.js"), "{path}");
    }

    assert!(served.interrupt(), "serve did not stop cleanly on Ctrl-C");
}

#[test]
fn an_explicit_busy_port_is_an_error() {
    let (_server, site, _) = blog_site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .arg("serve")
        .arg(site.path())
        .args(["--port", &port])
        .env_remove("NOTION_TOKEN")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
}

#[test]
fn a_bad_poll_interval_is_refused() {
    let (_server, site, _) = blog_site();
    let output = Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .arg("serve")
        .arg(site.path())
        .env("NOTION_BAKE_POLL_SECONDS", "soon")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("NOTION_BAKE_POLL_SECONDS"), "{stderr}");
}

/// A site of one Markdown page and no Notion source: quick to build, no token needed.
fn markdown_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("notion-bake.toml"),
        "title = \"Notebook\"\nbase_url = \"https://example.org/\"\n",
    )
    .unwrap();
    std::fs::create_dir(site.path().join("content")).unwrap();
    std::fs::write(
        site.path().join("content/hello.md"),
        "+++\ntitle = \"Hello\"\npath = \"hello\"\n+++\n\nFirst words.\n",
    )
    .unwrap();
    site
}

/// Replaces `from` (which must be there) by `to` in the file at `path`.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// The built-in base template with its footer text replaced by `footer`.
fn base_template_saying(footer: &str) -> String {
    built_in_base_template().replace("Made with notion-bake", footer)
}

#[test]
fn a_relative_site_dir_from_the_parent_folder_reloads_edits_and_a_new_templates_folder() {
    // The README's command, `notion-bake serve example-site`, run from the folder above it.
    let parent = tempfile::tempdir().unwrap();
    let site = parent.path().join("example-site");
    support::copy_example_site(&site);
    assert!(!site.join("templates").exists());
    let mut command = serve_command("example-site", None, "0");
    command.current_dir(parent.path());
    let served = Served::spawn(command);
    served.eventually("/colophon/", "Field Notes is written in Notion");
    assert!(
        served.log().contains("serving example-site at"),
        "{}",
        served.log()
    );

    edit(
        &site.join("content/colophon.md"),
        "Field Notes is written in Notion",
        "Field Notes is written by lamplight",
    );
    served.shows_soon("/colophon/", "Field Notes is written by lamplight");
    assert!(
        served.log().contains("changed: content/colophon.md"),
        "{}",
        served.log()
    );

    // Overriding a template: a templates/ folder that did not exist when serve started.
    std::fs::create_dir(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/base.html"),
        base_template_saying("Baked at the lake"),
    )
    .unwrap();
    served.shows_soon("/colophon/", "Baked at the lake");
    // The new folder is watched: a later edit inside it shows too.
    std::fs::write(
        site.join("templates/base.html"),
        base_template_saying("Baked by the fen"),
    )
    .unwrap();
    served.shows_soon("/colophon/", "Baked by the fen");
    assert!(served.interrupt(), "serve did not stop cleanly on Ctrl-C");
}

#[test]
fn dot_from_inside_the_site_reloads_and_a_removed_folder_is_watched_again_when_it_comes_back() {
    let site = markdown_site();
    let mut command = serve_command(".", None, "0");
    command.current_dir(site.path());
    let served = Served::spawn(command);
    served.eventually("/hello/", "First words.");

    edit(
        &site.path().join("content/hello.md"),
        "First words.",
        "Second words.",
    );
    served.shows_soon("/hello/", "Second words.");

    // A theme folder of the site's own (it overrides the built-in theme of the same name),
    // created while serving, then edited.
    let theme = site.path().join("themes/default/templates");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(theme.join("base.html"), base_template_saying("Theme one")).unwrap();
    served.shows_soon("/hello/", "Theme one");
    std::fs::write(theme.join("base.html"), base_template_saying("Theme two")).unwrap();
    served.shows_soon("/hello/", "Theme two");

    // The site's own templates/ folder, over the theme.
    let templates = site.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("base.html"),
        base_template_saying("Override one"),
    )
    .unwrap();
    served.shows_soon("/hello/", "Override one");

    // Deleting a watched folder: the server goes on, with the theme's template again.
    std::fs::remove_dir_all(&templates).unwrap();
    served.shows_soon("/hello/", "Theme two");

    // Created again, it is watched again: the edit after the folder's return shows.
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("base.html"),
        base_template_saying("Override two"),
    )
    .unwrap();
    served.shows_soon("/hello/", "Override two");
    std::fs::write(
        templates.join("base.html"),
        base_template_saying("Override three"),
    )
    .unwrap();
    served.shows_soon("/hello/", "Override three");

    // A static/ folder created while serving.
    std::fs::create_dir(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/notes.txt"), "plain notes").unwrap();
    served.shows_soon("/static/notes.txt", "plain notes");
    std::fs::write(site.path().join("static/notes.txt"), "plainer notes").unwrap();
    served.shows_soon("/static/notes.txt", "plainer notes");
    assert!(served.interrupt(), "serve did not stop cleanly on Ctrl-C");
}

#[cfg(unix)]
#[test]
fn a_site_reached_through_a_symlink_reloads_and_config_edits_apply_or_show_their_error() {
    let site = markdown_site();
    let links = tempfile::tempdir().unwrap();
    let link = links.path().join("notebook");
    std::os::unix::fs::symlink(site.path(), &link).unwrap();
    let served = Served::start(&link, None, "0");
    served.eventually("/hello/", "First words.");
    edit(
        &link.join("content/hello.md"),
        "First words.",
        "Linked words.",
    );
    served.shows_soon("/hello/", "Linked words.");

    // The config is read again on every change.
    let config = link.join("notion-bake.toml");
    edit(&config, "title = \"Notebook\"", "title = \"Field Diary\"");
    served.shows_soon("/hello/", "Field Diary");

    // A broken config: the error goes to the pages and the terminal, the last good site
    // stays up, and the next good config clears the error.
    let events = served.events();
    wait_for(&events, "hello", &served);
    wait_for(&events, "build-ok", &served);
    std::fs::write(
        &config,
        "title = \"Field Diary\"\nbase_url = \"https://example.org/\"\n[blog\n",
    )
    .unwrap();
    let error = wait_for(&events, "build-error", &served);
    assert!(error.contains("notion-bake.toml"), "{error}");
    let (status, page) = served.get("/hello/");
    assert_eq!(status, 200);
    assert!(page.contains("Field Diary"), "{page}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !served.log().contains("build failed") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        served.log().contains("notion-bake.toml"),
        "{}",
        served.log()
    );
    std::fs::write(
        &config,
        "title = \"Pocket Diary\"\nbase_url = \"https://example.org/\"\n",
    )
    .unwrap();
    wait_for(&events, "reload", &served);
    served.shows_soon("/hello/", "Pocket Diary");
    assert!(served.interrupt(), "serve did not stop cleanly on Ctrl-C");
}

/// A blog database with the given (title, published) rows, and a site configured for it.
fn blog_of(rows: &[(&str, bool)]) -> (FakeNotion, tempfile::TempDir, support::DbRef, Vec<String>) {
    let mut ws = Workspace::new();
    let db = ws.add_database(
        "Field Notes",
        &[("Published", "checkbox"), ("Date", "date")],
    );
    let ids = rows
        .iter()
        .map(|(title, published)| {
            ws.add_row(
                &db,
                json!({"Name": title, "Published": published, "Date": "2026-03-01"}),
                vec![b::paragraph(format!("The body of {title}."))],
            )
        })
        .collect();
    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("notion-bake.toml"),
        format!(
            "title = \"Field Notes\"\nbase_url = \"https://example.org/blog\"\n\
             [notion]\nrequests_per_second = 500\n[blog]\ndatabase = \"{}\"\n",
            db.database_id
        ),
    )
    .unwrap();
    (server, site, db, ids)
}

#[test]
fn rows_trashed_unpublished_or_added_in_notion_change_the_site_at_the_next_poll() {
    let (server, site, db, ids) = blog_of(&[("First light", true), ("Heron count", true)]);
    let served = Served::start(site.path(), Some(&server), "0.3");
    served.eventually("/", "/posts/first-light/");
    served.eventually("/", "/posts/heron-count/");
    let gone =
        |post: &'static str| move |status: u16, page: &str| status == 200 && !page.contains(post);

    server.trash(&ids[0]);
    served.eventually_within(RELOAD, "/", "no trashed post", gone("/posts/first-light/"));
    let (status, _) = served.get("/posts/first-light/");
    assert_eq!(status, 404, "the trashed post is still served");

    server.edit_page(&ids[1], |page| {
        page["properties"]["Published"]["checkbox"] = json!(false);
    });
    served.eventually_within(
        RELOAD,
        "/",
        "no unpublished post",
        gone("/posts/heron-count/"),
    );

    server.with_workspace(|ws| {
        ws.add_row(
            &db,
            json!({"Name": "Dawn chorus", "Published": true, "Date": "2026-03-02"}),
            vec![b::paragraph("Wrens first, then robins.")],
        )
    });
    served.shows_soon("/posts/dawn-chorus/", "Wrens first, then robins.");
    served.shows_soon("/", "/posts/dawn-chorus/");
    let log = served.log();
    assert!(log.contains("removed     post \"First light\""), "{log}");
    assert!(log.contains("unpublished post \"Heron count\""), "{log}");
}

#[test]
fn serve_offline_asks_notion_nothing_and_drafts_serves_unpublished_posts() {
    let (server, site, _, ids) = blog_of(&[("First light", true), ("Half a thought", false)]);
    let build = Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .args(["build", "--drafts"])
        .arg(site.path())
        .env("NOTION_TOKEN", server.token())
        .env("NOTION_API_URL", server.url())
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let requests = server.total_requests();

    let mut command = serve_command(site.path(), Some(&server), "0.2");
    command.args(["--offline", "--drafts"]);
    let served = Served::spawn(command);
    served.eventually("/posts/half-a-thought/", "The body of Half a thought.");
    // An edit in Notion is never looked for: a dozen poll intervals pass without a request.
    server.replace_blocks(&ids[0], vec![b::paragraph("Edited in Notion.")]);
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(server.total_requests(), requests, "{}", served.log());
    served.eventually("/posts/first-light/", "The body of First light.");
    assert!(served.log().contains("--offline"), "{}", served.log());
    drop(served);

    // Without --drafts, the same snapshot serves the published post only.
    let mut command = serve_command(site.path(), Some(&server), "0");
    command.arg("--offline");
    let served = Served::spawn(command);
    served.eventually("/posts/first-light/", "The body of First light.");
    let (status, _) = served.get("/posts/half-a-thought/");
    assert_eq!(status, 404);
    assert_eq!(server.total_requests(), requests);
}

#[test]
fn a_row_added_or_edited_in_a_database_inside_a_page_changes_the_site_at_the_next_poll() {
    let mut ws = Workspace::new();
    let page = ws.add_page("Library", vec![b::paragraph("Our shelves.")]);
    let db = ws.add_child_database(&page, "Reading list", &[("Year", "number")]);
    let first = ws.add_row(
        &db,
        json!({"Name": "First book", "Year": 2021}),
        vec![b::paragraph("A first read.")],
    );
    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("notion-bake.toml"),
        format!(
            "title = \"Library\"\nbase_url = \"https://example.org/blog\"\n\
             [notion]\nrequests_per_second = 500\n[[pages]]\nid = \"{page}\"\npath = \"library\"\n"
        ),
    )
    .unwrap();
    let served = Served::start(site.path(), Some(&server), "0.3");
    served.shows_soon("/library/reading-list/first-book/", "A first read.");

    server.with_workspace(|ws| {
        ws.add_row(
            &db,
            json!({"Name": "Second book", "Year": 2022}),
            vec![b::paragraph("A second read.")],
        )
    });
    served.shows_soon("/library/reading-list/second-book/", "A second read.");
    served.shows_soon("/library/", "/library/reading-list/second-book/");

    server.replace_blocks(&first, vec![b::paragraph("Read again.")]);
    served.shows_soon("/library/reading-list/first-book/", "Read again.");
    assert!(served.log().contains("row "), "{}", served.log());
}

/// Every `href`, `src` and `srcset` URL of an HTML page.
fn references(html: &str) -> Vec<String> {
    let page = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("[href], [src], [srcset]").unwrap();
    let mut found = Vec::new();
    for element in page.select(&selector) {
        let attrs = element.value();
        found.extend(attrs.attr("href").map(str::to_owned));
        found.extend(attrs.attr("src").map(str::to_owned));
        if let Some(srcset) = attrs.attr("srcset") {
            found.extend(
                srcset
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .map(str::to_owned),
            );
        }
    }
    found
}

#[test]
fn the_readmes_look_at_it_step_serves_the_example_with_its_stylesheet_and_images() {
    let root = tempfile::tempdir().unwrap();
    support::copy_example_site(&root.path().join("example-site"));
    // The README quick start's command as written, from the folder holding the site.
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let step = readme
        .lines()
        .find_map(|line| line.trim().strip_prefix("cargo run --release -- serve "))
        .expect("the quick start shows `cargo run --release -- serve …`");
    let args: Vec<&str> = step.split('#').next().unwrap().split_whitespace().collect();
    assert_eq!(args, ["example-site"], "the step as the test runs it");
    let mut command = Command::new(env!("CARGO_BIN_EXE_notion-bake"));
    command
        .arg("serve")
        .args(&args)
        .current_dir(root.path())
        .env_remove("RUST_LOG")
        .env_remove("NOTION_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let served = Served::spawn(command);
    assert_index_references_load(&served, &format!("http://{}", served.addr));
}

/// Every local `href`/`src`/`srcset` of the served index (root-relative, or under `origin`)
/// answers 200, and they include a stylesheet and images.
fn assert_index_references_load(served: &Served, origin: &str) {
    served.eventually("/", "</html>");
    let (_, index) = served.get("/");
    let mut local: Vec<String> = references(&index)
        .into_iter()
        .filter_map(|url| match url.strip_prefix(origin) {
            Some(path) => Some(path.to_owned()),
            None if url.starts_with('/') && !url.starts_with("//") => Some(url),
            None => None,
        })
        .map(|url| url.split('#').next().unwrap().to_owned())
        .filter(|path| !path.is_empty())
        .collect();
    local.sort();
    local.dedup();
    assert!(
        local.iter().any(|p| p.ends_with(".css")),
        "no stylesheet: {local:?}"
    );
    let images = local.iter().filter(|p| p.starts_with("/assets/")).count();
    assert!(images >= 3, "{images} images: {local:?}");
    for path in &local {
        let (status, _) = served.get(path);
        assert_eq!(status, 200, "{path} (linked from the served index)");
    }
}

#[test]
fn a_build_for_a_root_base_url_works_through_pythons_static_server() {
    let python = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("python3"))
            .find(|p| p.is_file())
    });
    let Some(python) = python else {
        if std::env::var_os("CI").is_some() {
            panic!("CI is set but python3 is not installed");
        }
        eprintln!(
            "SKIPPED a_build_for_a_root_base_url_works_through_pythons_static_server: no python3"
        );
        return;
    };
    let root = tempfile::tempdir().unwrap();
    support::copy_example_site(&root.path().join("example-site"));
    // The README's two commands; the server on a free port rather than 8000.
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(
        readme.contains(
            "cargo run --release -- build example-site --base-url http://localhost:8000/\n"
        )
    );
    assert!(readme.contains("python3 -m http.server -d example-site/public "));
    let build = Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .args([
            "build",
            "example-site",
            "--base-url",
            "http://localhost:8000/",
        ])
        .current_dir(root.path())
        .env_remove("NOTION_TOKEN")
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("exec \"$0\" -u -m http.server 0 --bind 127.0.0.1 -d example-site/public 1>&2")
        .arg(&python)
        .current_dir(root.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let served = Served::spawn(command);
    assert_index_references_load(&served, "http://localhost:8000");
}

#[test]
fn serve_webhook_rebuilds_the_preview_on_a_signed_event_with_the_poll_off() {
    let (server, site, _, ids) = blog_of(&[("First light", true)]);
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hook = free.local_addr().unwrap();
    drop(free);
    let mut command = serve_command(site.path(), Some(&server), "0");
    command.args(["--webhook", &hook.to_string()]);
    let served = Served::spawn(command);
    served.eventually("/posts/first-light/", "The body of First light.");
    served.eventually_within(WAIT, "/", "the receiver listening", |_, _| {
        served.log().contains("listening for Notion webhook events")
    });

    let token = "secret_serveHookToken";
    let verification = json!({"verification_token": token}).to_string();
    assert_eq!(
        support::webhook::post(hook, &[], verification.as_bytes()),
        200
    );
    server.replace_blocks(&ids[0], vec![b::paragraph("Edited, then announced.")]);
    let event = json!({"type": "page.content_updated", "entity": {"id": ids[0], "type": "page"},
        "data": {"parent": {"id": "13950b26-c203-4f3b-b97d-93ec06319565", "type": "space"}}})
    .to_string();
    let signature = support::webhook::sign(token, event.as_bytes());
    assert_eq!(
        support::webhook::post(
            hook,
            &[("X-Notion-Signature", &signature)],
            event.as_bytes()
        ),
        200
    );
    served.shows_soon("/posts/first-light/", "Edited, then announced.");
    assert!(
        served
            .log()
            .contains("Notion: webhook: page.content_updated"),
        "{}",
        served.log()
    );
}
