//! Hostile content and hostile servers, end to end: the real binary against the fake Notion
//! server serving what an attacker with write access to one page (or a broken or malicious
//! server, or a proxy in front of it) could send. Each test is one way it could hurt the site,
//! its readers or the build.

mod support;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use support::{Endpoint, FakeNotion, Hostile, Workspace, blocks as b};

const SVG_WITH_SCRIPT: &str = r#"<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(document.cookie)">
<script>alert(document.domain)</script><rect width="10" height="10" fill="red"/>
<a href="javascript:alert(2)"><circle r="3"/></a></svg>"#;
const HTML_PAGE: &str =
    "<!doctype html><html><body><script>alert(document.cookie)</script></body></html>";

/// `notion-bake <args> <site>`, killed after two minutes: a hostile server must not be able
/// to keep a build running (without a bound, a looping listing never ends).
fn run(site: &Path, server: &FakeNotion, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .args(args)
        .arg(site)
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .env("NOTION_TOKEN", server.token())
        .env("NOTION_API_URL", server.url())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain the pipes on their own threads so a chatty child never blocks on a full pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).map(|_| bytes)
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stderr.read_to_end(&mut bytes).map(|_| bytes)
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("notion-bake {args:?} still running after two minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: out.join().unwrap().unwrap(),
        stderr: err.join().unwrap().unwrap(),
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A site of one `[[pages]]` entry at `path`, and a blog when `database` is given.
fn site(page: &str, database: Option<&str>) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let blog = database
        .map(|db| format!("[blog]\ndatabase = \"{db}\"\n"))
        .unwrap_or_default();
    std::fs::write(
        site.path().join("notion-bake.toml"),
        format!(
            "title = \"Hostile\"\nbase_url = \"https://example.org/\"\n[notion]\n\
             requests_per_second = 500\n{blog}[[pages]]\nid = \"{page}\"\npath = \"doc\"\n"
        ),
    )
    .unwrap();
    site
}

fn one_page(blocks: Vec<serde_json::Value>) -> (FakeNotion, tempfile::TempDir, String) {
    let mut ws = Workspace::new();
    let page = ws.add_page("Page", blocks);
    let server = FakeNotion::start_blocking(ws);
    let site = site(&page, None);
    (server, site, page)
}

// ------------------------------------------------------------------ the API's answers

#[test]
fn an_oversized_api_answer_is_refused_naming_the_request() {
    let (server, site, page) = one_page(vec![b::paragraph("hello")]);
    server.set_hostile(Hostile::HugeChildren(64 << 20));
    let started = Instant::now();
    let output = run(site.path(), &server, &["build"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("larger than 16 MiB"), "{err}");
    assert!(
        err.contains(&format!("GET /v1/blocks/{page}/children")),
        "the request is named: {err}"
    );
    // Refused at once, not retried.
    assert_eq!(server.requests(Endpoint::BlockChildren), 1);
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[test]
fn a_cursor_that_comes_back_stops_the_block_listing_naming_the_page() {
    let (server, site, page) = one_page(vec![b::paragraph("hello")]);
    server.set_hostile(Hostile::RepeatingCursor);
    let output = run(site.path(), &server, &["build"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("came back to a cursor"), "{err}");
    assert!(err.contains(&page), "the page is named: {err}");
    assert!(
        server.requests(Endpoint::BlockChildren) <= 3,
        "{} requests",
        server.requests(Endpoint::BlockChildren)
    );
}

#[test]
fn cursors_going_round_in_a_circle_stop_the_query_naming_the_database() {
    let mut ws = Workspace::new();
    let db = ws.add_database("Posts", &[("Published", "checkbox"), ("Date", "date")]);
    ws.add_row(
        &db,
        json!({"Name": "A post", "Published": true, "Date": "2026-03-01"}),
        vec![b::paragraph("text")],
    );
    let page = ws.add_page("About", vec![b::paragraph("about")]);
    let server = FakeNotion::start_blocking(ws);
    let site = site(&page, Some(&db.database_id));
    server.set_hostile(Hostile::RepeatingCursor);
    let output = run(site.path(), &server, &["build"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("came back to a cursor"), "{err}");
    assert!(err.contains("rows of"), "{err}");
    // c1 → c2 → c1: the third page is refused before it is asked for.
    assert!(
        server.requests(Endpoint::Query) <= 4,
        "{} queries",
        server.requests(Endpoint::Query)
    );
}

#[test]
fn server_error_text_never_prints_the_token_signatures_or_passwords() {
    let (server, site, _) = one_page(vec![b::paragraph("hello")]);
    server.set_hostile(Hostile::EchoingErrors);
    for args in [&["build"][..], &["build", "-vv"][..], &["check"][..]] {
        let output = run(site.path(), &server, args);
        let err = stderr(&output);
        let out = String::from_utf8_lossy(&output.stdout);
        assert!(!output.status.success(), "{args:?}: {err}");
        // `check` lists its problems on stdout.
        assert!(
            err.contains("Invalid request") || out.contains("Invalid request"),
            "the message is shown: {err}{out}"
        );
        for secret in [
            server.token(),
            "5ec2e7516a7e0f",
            "AKIAFAKE",
            "FwoGZXIvYXdzEFAKE",
            "hunter2proxy",
            "proxyuser",
        ] {
            assert!(!err.contains(secret), "{args:?} printed {secret:?}: {err}");
            assert!(!out.contains(secret), "{args:?} printed {secret:?}: {out}");
        }
        assert!(
            err.contains("[redacted]") || out.contains("[redacted]"),
            "{err}{out}"
        );
    }
}

// ------------------------------------------------------------------ depth

#[test]
fn a_page_nested_3000_levels_deep_is_cached_and_builds_online_and_offline() {
    const DEPTH: usize = 3000;
    let mut ws = Workspace::new();
    let page = ws.add_page("Deep", vec![]);
    let mut parent = page.clone();
    for level in 0..DEPTH {
        let ids = ws.append_blocks(
            &parent,
            vec![b::toggle(format!("level {level}").as_str(), vec![])],
        );
        parent = ids[0].clone();
    }
    let server = FakeNotion::start_blocking(ws);
    let site = site(&page, None);

    let first = run(site.path(), &server, &["build"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let html = std::fs::read_to_string(site.path().join("public/doc/index.html")).unwrap();
    assert!(html.contains("level 2999"), "the deepest block is rendered");
    let fetched = server.requests(Endpoint::BlockChildren);
    assert!(fetched >= DEPTH, "{fetched}");

    // The cached tree is read back: a second build asks for the page, not its blocks again.
    server.reset_counters();
    let second = run(site.path(), &server, &["build"]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(
        server.requests(Endpoint::BlockChildren),
        0,
        "{}",
        stderr(&second)
    );

    server.reset_counters();
    let offline = run(site.path(), &server, &["build", "--offline"]);
    assert!(offline.status.success(), "{}", stderr(&offline));
    assert_eq!(server.total_requests(), 0);
    let again = std::fs::read_to_string(site.path().join("public/doc/index.html")).unwrap();
    assert_eq!(again, html);

    // The Markdown export walks the same tree.
    let into = tempfile::tempdir().unwrap();
    let export = run(
        site.path(),
        &server,
        &[
            "export",
            "--to",
            "markdown",
            "--offline",
            "--into",
            into.path().to_str().unwrap(),
        ],
    );
    assert!(export.status.success(), "{}", stderr(&export));
    let exported = std::fs::read_to_string(into.path().join("doc.md"))
        .or_else(|_| std::fs::read_to_string(into.path().join("doc/index.md")))
        .unwrap_or_else(|_| {
            panic!(
                "{:?}",
                std::fs::read_dir(into.path()).unwrap().collect::<Vec<_>>()
            )
        });
    assert!(exported.contains("level 2999"));
}

// ------------------------------------------------------------------ active files

#[test]
fn hosted_svg_and_html_files_cannot_run_script_from_the_site() {
    let mut ws = Workspace::new();
    let svg = ws.add_file("logo.svg", SVG_WITH_SCRIPT.as_bytes().to_vec());
    let html = ws.add_file("invite.html", HTML_PAGE.as_bytes().to_vec());
    let page = ws.add_page(
        "Page",
        vec![
            b::image(b::hosted(&svg), "A logo"),
            b::file(b::hosted(&html), "", "invite.html"),
            b::paragraph(vec![b::link("entity link", "javascript&colon;alert(1)")]),
        ],
    );
    let server = FakeNotion::start_blocking(ws);
    let site = site(&page, None);
    let output = run(site.path(), &server, &["build"]);
    assert!(output.status.success(), "{}", stderr(&output));

    let assets = site.path().join("public/assets");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&assets).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        if name.ends_with(".svg") {
            assert!(
                !text.contains("script") && !text.contains("alert"),
                "{text}"
            );
            assert!(text.contains("<rect"), "the drawing stays: {text}");
        }
        assert!(
            !name.ends_with(".html") && !name.ends_with(".htm"),
            "an HTML file is served from the site: {name}"
        );
        names.push(name);
    }
    assert!(names.iter().any(|n| n.ends_with(".svg")), "{names:?}");
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("invite") && n.ends_with(".bin")),
        "{names:?}"
    );
    let headers = std::fs::read_to_string(site.path().join("public/_headers")).unwrap();
    assert!(
        headers.contains(
            "/assets/*\n  Content-Security-Policy: sandbox\n  X-Content-Type-Options: nosniff\n"
        ),
        "{headers}"
    );
    let check = run(site.path(), &server, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));

    // The export gets the same bytes, and its Markdown no script link.
    let into = tempfile::tempdir().unwrap();
    let export = run(
        site.path(),
        &server,
        &[
            "export",
            "--to",
            "markdown",
            "--into",
            into.path().to_str().unwrap(),
        ],
    );
    assert!(export.status.success(), "{}", stderr(&export));
    for entry in walkdir::WalkDir::new(into.path()) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".html"), "{name}");
        if name.ends_with(".bin") {
            continue; // the HTML attachment, as an inert download
        }
        let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned();
        assert!(!text.contains("alert"), "{name}: {text}");
        assert!(!text.contains("javascript"), "{name}: {text}");
    }
}

#[test]
fn external_attachments_and_url_properties_with_script_urls_are_not_exported() {
    let mut ws = Workspace::new();
    let db = ws.add_database(
        "Posts",
        &[
            ("Published", "checkbox"),
            ("Date", "date"),
            ("Files", "files"),
            ("Link", "url"),
        ],
    );
    ws.add_row(
        &db,
        json!({
            "Name": "A post", "Published": true, "Date": "2026-03-01",
            "Link": "javascript:alert('url')",
            "Files": [
                b::files_entry("att", b::external("javascript:alert('att')")),
                b::files_entry("enc", b::external("javascript&colon;alert('enc')")),
                b::files_entry("Spec", b::external("https://example.org/spec.pdf")),
            ],
        }),
        vec![b::paragraph("text")],
    );
    let page = ws.add_page("About", vec![b::paragraph("about")]);
    let server = FakeNotion::start_blocking(ws);
    let site = site(&page, Some(&db.database_id));
    let into = tempfile::tempdir().unwrap();
    let export = run(
        site.path(),
        &server,
        &[
            "export",
            "--to",
            "markdown",
            "--into",
            into.path().to_str().unwrap(),
        ],
    );
    assert!(export.status.success(), "{}", stderr(&export));
    let mut exported = String::new();
    for entry in walkdir::WalkDir::new(into.path()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            exported.push_str(&std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    assert!(
        exported.contains("https://example.org/spec.pdf"),
        "{exported}"
    );
    assert!(!exported.contains("javascript"), "{exported}");
}

// ------------------------------------------------------------------ downloads

#[test]
fn a_download_that_stalls_mid_body_times_out_soon_and_says_so() {
    let mut ws = Workspace::new();
    let photo = ws.add_file("slow photo.jpg", support::jpeg(64, 64, 100));
    let page = ws.add_page("Page", vec![b::image(b::hosted(&photo), "")]);
    let server = FakeNotion::start_blocking(ws);
    server.stall_downloads(&photo);
    let site = site(&page, None);
    let started = Instant::now();
    let output = run(site.path(), &server, &["build"]);
    let elapsed = started.elapsed();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("timed out"), "{err}");
    assert!(err.contains("slow%20photo.jpg"), "the file is named: {err}");
    assert!(!err.contains("X-Amz-Signature"), "{err}");
    // Two tries of a 20 s stall, not four of 60 s.
    assert!(elapsed < Duration::from_secs(90), "{elapsed:?}");
    assert_eq!(server.download_attempts(&photo), 2);
}
