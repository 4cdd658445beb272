//! Full-text search: `build` writes a Pagefind index of the pages it renders into
//! `public/pagefind/`, a search page, and a search box in the header. Checked from the files
//! (what is indexed, with which metadata, nothing rewritten by a warm build, valid HTML) and
//! in headless Chromium on the site served under a base path (results, links, tag filters, an
//! edit and a trashed post seen by the next build).
//!
//! The browser test is skipped with a notice without Chromium, except in CI (env `CI` set),
//! where it fails. `CHROMIUM=/path/to/chromium` picks the browser.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};
use support::chromium::{Cdp, WAIT, chromium_or_skip, launch};
use support::{FakeNotion, Workspace, blocks as b};

/// A word of one post only.
const UNIQUE: &str = "quetzalsong";
/// A word of the post that goes to the trash, and only of it.
const TRASHED_WORD: &str = "ptarmiganflock";
/// A word of the post that is edited, only after the edit.
const NEW_WORD: &str = "xylophonic";

struct Blog {
    server: FakeNotion,
    site: tempfile::TempDir,
    /// The post edited later, and the one trashed.
    edited: String,
    trashed: String,
}

/// Three posts sharing the word "canoe", with tags Lakes/Birds, a cover on the first, and an
/// about page that says "canoe" too (no tags). The site lives under `base_url`.
fn blog(base_url: &str, search: &str) -> Blog {
    let mut ws = Workspace::new();
    let cover = ws.add_file("heron.jpg", support::jpeg(1600, 900, 90));
    let db = ws.add_database(
        "Field Notes",
        &[
            ("Published", "checkbox"),
            ("Date", "date"),
            ("Tags", "multi_select"),
            ("Description", "rich_text"),
        ],
    );
    let heron = ws.add_row(
        &db,
        json!({"Name": "Heron island", "Published": true, "Date": "2026-03-01", "Tags": ["Lakes"],
               "Description": "A morning on the water."}),
        vec![
            b::paragraph(format!("We paddled the canoe past a {UNIQUE} heron.").as_str()),
            b::heading_2("Landing"),
            b::paragraph("The shore was muddy."),
        ],
    );
    ws.set_cover(&heron, b::hosted(&cover));
    let edited = ws.add_row(
        &db,
        json!({"Name": "Marsh morning", "Published": true, "Date": "2026-04-01", "Tags": ["Lakes", "Birds"]}),
        vec![b::paragraph("The canoe drifted among reeds.")],
    );
    let trashed = ws.add_row(
        &db,
        json!({"Name": "Gull point", "Published": true, "Date": "2026-05-01", "Tags": ["Birds"]}),
        vec![b::paragraph(
            format!("A canoe, gulls and a {TRASHED_WORD}.").as_str(),
        )],
    );
    let about = ws.add_page("About", vec![b::paragraph("We run a small canoe club.")]);
    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("notion-bake.toml"),
        format!(
            r#"title = "Field Notes"
base_url = "{base_url}"
[notion]
requests_per_second = 500
[blog]
database = "{}"
[[pages]]
id = "{about}"
path = "about"
[images]
widths = [480, 960]
{search}
"#,
            db.database_id
        ),
    )
    .unwrap();
    Blog {
        server,
        site,
        edited,
        trashed,
    }
}

fn build(site: &Path, server: &FakeNotion) -> String {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .arg("build")
        .arg(site)
        .env_remove("RUST_LOG")
        .env("NOTION_TOKEN", server.token())
        .env("NOTION_API_URL", server.url())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "build failed:\n{stderr}");
    stderr
}

fn read(public: &Path, path: &str) -> String {
    std::fs::read_to_string(public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every file under `dir` with its bytes and mtime.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(dir).unwrap().to_path_buf();
            let bytes = std::fs::read(e.path()).unwrap();
            (path, (bytes, e.metadata().unwrap().modified().unwrap()))
        })
        .collect()
}

/// The `<article …>` start tag of a page.
fn article_tag(html: &str) -> &str {
    let start = html.find("<article").expect("an article");
    &html[start..start + html[start..].find('>').unwrap()]
}

#[test]
fn build_writes_the_index_with_metadata_and_a_warm_build_rewrites_none_of_it() {
    let blog = blog("https://example.org/field-notes", "");
    build(blog.site.path(), &blog.server);
    let public = blog.site.path().join("public");

    // Pagefind's bundle and the index, under the output.
    for file in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind-ui.css",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.en.pagefind",
    ] {
        assert!(public.join(file).is_file(), "{file} is missing");
    }
    let entry: Value =
        serde_json::from_str(&read(&public, "pagefind/pagefind-entry.json")).unwrap();
    assert_eq!(
        entry["languages"]["en"]["page_count"], 4,
        "three posts and the about page: {entry}"
    );

    // The header's box is a form to the search page, under the base path.
    let index = read(&public, "index.html");
    assert!(
        index.contains(
            r#"<form class="site-search" role="search" action="/field-notes/search/" method="get">"#
        ),
        "{index}"
    );
    assert!(index.contains(r#"name="q""#));
    assert!(
        !index.contains("data-pagefind-body"),
        "lists are not indexed"
    );
    let search = read(&public, "search/index.html");
    assert!(
        search.contains(r#"src="/field-notes/pagefind/pagefind-ui.js""#),
        "{search}"
    );
    assert!(
        search.contains(r#"data-bundle="/field-notes/pagefind/""#),
        "{search}"
    );
    assert!(search.contains("<noscript>"), "{search}");
    assert!(
        !read(&public, "sitemap.xml").contains("/search/"),
        "the search page is not content"
    );

    // A post's article carries the body marker, its date, description, baked thumbnail, tags.
    let post = read(&public, "posts/heron-island/index.html");
    let article = article_tag(&post);
    assert!(article.contains("data-pagefind-body"), "{article}");
    assert!(
        article.contains(r#"data-pagefind-sort="date[data-date]" data-date="2026-03-01""#),
        "{article}"
    );
    assert!(
        article.contains(r#"data-description="A morning on the water.""#),
        "{article}"
    );
    let image = article
        .split("data-image=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a thumbnail");
    assert!(
        image.starts_with("/field-notes/assets/heron-") && image.ends_with("-480.webp"),
        "the smallest baked variant: {image}"
    );
    assert!(
        public
            .join(image.trim_start_matches("/field-notes/"))
            .is_file()
    );
    assert!(
        post.contains(r#"<span data-pagefind-filter="tag[data-tag]" data-tag="Lakes"></span>"#)
    );
    for html in [&post, &read(&public, "about/index.html")] {
        assert!(!html.contains(&blog.server.url()), "no Notion URL is left");
    }
    assert!(article_tag(&read(&public, "about/index.html")).contains("data-pagefind-body"));

    // The index holds the words: the fragments name every page once, under the base path.
    let fragments = walkdir::WalkDir::new(public.join("pagefind/fragment"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count();
    assert_eq!(fragments, 4);

    // Nothing changed in Notion: the next build rewrites no file of the index.
    let before = snapshot(&public.join("pagefind"));
    std::thread::sleep(Duration::from_millis(1100));
    build(blog.site.path(), &blog.server);
    let after = snapshot(&public.join("pagefind"));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (path, (bytes, mtime)) in &before {
        let (new_bytes, new_mtime) = &after[path];
        assert!(bytes == new_bytes, "{} changed", path.display());
        assert_eq!(mtime, new_mtime, "{} was rewritten", path.display());
    }
}

#[test]
fn search_can_be_turned_off_or_limited_to_some_pages() {
    let off = blog("https://example.org", "[search]\nenabled = false");
    build(off.site.path(), &off.server);
    let public = off.site.path().join("public");
    assert!(!public.join("pagefind").exists());
    assert!(!public.join("search").exists());
    let post = read(&public, "posts/heron-island/index.html");
    assert!(!post.contains("site-search"), "no search box");
    assert!(!post.contains("data-pagefind"), "{post}");

    let posts_only = blog(
        "https://example.org",
        "[search]\nsections = [\"posts\"]\nlanguage = \"en\"",
    );
    build(posts_only.site.path(), &posts_only.server);
    let public = posts_only.site.path().join("public");
    let entry: Value =
        serde_json::from_str(&read(&public, "pagefind/pagefind-entry.json")).unwrap();
    assert_eq!(entry["languages"]["en"]["page_count"], 3, "{entry}");
    assert!(!read(&public, "about/index.html").contains("data-pagefind"));
    assert!(
        read(&public, "about/index.html").contains("site-search"),
        "the box stays"
    );
}

#[test]
fn the_search_page_and_indexed_pages_are_valid_html() {
    let blog = blog("https://example.org/field-notes", "");
    build(blog.site.path(), &blog.server);
    let public = blog.site.path().join("public");
    if let Some(errors) = support::vnu::errors_in(&public, "search") {
        assert!(errors.is_empty(), "vnu errors:\n{}", errors.join("\n"));
    }
}

// ------------------------------------------------------------------------------ in a browser

/// Serves `public` under `/field-notes/` on `listener` until the runtime stops.
fn serve(runtime: &tokio::runtime::Runtime, listener: std::net::TcpListener, public: PathBuf) {
    listener.set_nonblocking(true).unwrap();
    runtime.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        let app = axum::Router::new()
            .nest_service("/field-notes", tower_http::services::ServeDir::new(public));
        axum::serve(listener, app).await.unwrap();
    });
}

/// Resolves with the result links the search page shows once it shows some (after 20 s: none).
const UI_RESULTS: &str = r#"(async () => {
  for (let i = 0; i < 200; i++) {
    const links = Array.from(document.querySelectorAll(".pagefind-ui__result-link"));
    if (links.length > 0) return links.map((a) => a.href);
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
})()"#;

/// The URLs and thumbnails Pagefind's own API finds for `query`, best first.
fn api_search(query: &str) -> String {
    format!(
        r#"(async () => {{
  const pagefind = await import("/field-notes/pagefind/pagefind.js");
  const search = await pagefind.search({query:?});
  const pages = await Promise.all(search.results.map((r) => r.data()));
  return pages.map((p) => ({{ url: p.url, image: p.meta.image || null, title: p.meta.title, content: p.content }}));
}})()"#
    )
}

/// Clicks the "Birds" tag filter and resolves with the number of results once it changed.
const FILTER_BIRDS: &str = r#"(async () => {
  const count = () => document.querySelectorAll(".pagefind-ui__result").length;
  const before = count();
  const box = document.getElementById("tag-Birds");
  if (!box) return { before, after: -1 };
  box.click();
  for (let i = 0; i < 200; i++) {
    if (count() !== before) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 300));
  return { before, after: count() };
})()"#;

#[test]
fn search_finds_posts_in_chromium_and_follows_edits_and_the_trash() {
    let Some(chromium) =
        chromium_or_skip("search_finds_posts_in_chromium_and_follows_edits_and_the_trash")
    else {
        return;
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/field-notes", listener.local_addr().unwrap());
    let blog = blog(&base, "");
    build(blog.site.path(), &blog.server);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    serve(&runtime, listener, blog.site.path().join("public"));

    let profile = tempfile::tempdir().unwrap();
    let (browser, ws_url) = launch(&chromium, profile.path());
    let outcome =
        runtime.block_on(async { tokio::time::timeout(WAIT, drive(&ws_url, &base, &blog)).await });
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("{e:#}\nchromium said:\n{}", browser.log()),
        Err(_) => panic!("the browser test timed out"),
    }
}

async fn drive(ws_url: &str, base: &str, blog: &Blog) -> anyhow::Result<()> {
    let (mut cdp, session) = Cdp::connect(ws_url).await?;
    let session = session.as_str();
    cdp.call(Some(session), "Network.enable", json!({})).await?;
    cdp.call(
        Some(session),
        "Network.setCacheDisabled",
        json!({"cacheDisabled": true}),
    )
    .await?;

    // The search page, as the header's box sends readers to it: the one post with the word
    // comes first, and its link and thumbnail resolve.
    cdp.navigate(session, &format!("{base}/search/?q={UNIQUE}"))
        .await?;
    let links = cdp.eval(session, UI_RESULTS).await?;
    let first = links[0].as_str().unwrap_or_default().to_owned();
    anyhow::ensure!(
        first == format!("{base}/posts/heron-island/"),
        "{UNIQUE}: results {links}"
    );
    let status = cdp
        .eval(session, &format!("fetch({first:?}).then((r) => r.status)"))
        .await?;
    anyhow::ensure!(status == json!(200), "{first}: {status}");
    let found = cdp.eval(session, &api_search(UNIQUE)).await?;
    let image = found[0]["image"].as_str().unwrap_or_default().to_owned();
    anyhow::ensure!(
        image.starts_with("/field-notes/assets/heron-"),
        "thumbnail {found}"
    );
    let content = found[0]["content"].as_str().unwrap_or_default();
    anyhow::ensure!(
        content.contains("Landing The shore"),
        "the headings' anchor links are not words of the page: {content:?}"
    );
    let status = cdp
        .eval(session, &format!("fetch({image:?}).then((r) => r.status)"))
        .await?;
    anyhow::ensure!(status == json!(200), "{image}: {status}");

    // A tag filter narrows a word of four pages to the two posts tagged Birds.
    cdp.navigate(session, &format!("{base}/search/?q=canoe"))
        .await?;
    let links = cdp.eval(session, UI_RESULTS).await?;
    anyhow::ensure!(links.as_array().map(Vec::len) == Some(4), "canoe: {links}");
    let filtered = cdp.eval(session, FILTER_BIRDS).await?;
    anyhow::ensure!(
        filtered == json!({"before": 4, "after": 2}),
        "the Birds filter: {filtered}"
    );
    let errors = cdp.errors(base);
    anyhow::ensure!(errors.is_empty(), "errors in the browser: {errors:#?}");

    // An edit in Notion and a post in the trash: the next build's index follows both.
    blog.server.replace_blocks(
        &blog.edited,
        vec![b::paragraph(
            format!("The canoe drifted among {NEW_WORD} cattails.").as_str(),
        )],
    );
    blog.server.trash(&blog.trashed);
    build(blog.site.path(), &blog.server);
    cdp.navigate(session, &format!("{base}/search/")).await?;
    let urls = |found: &Value| -> Vec<String> {
        found
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["url"].as_str().map(str::to_owned))
            .collect()
    };
    let edited = urls(&cdp.eval(session, &api_search(NEW_WORD)).await?);
    anyhow::ensure!(
        edited == ["/field-notes/posts/marsh-morning/"],
        "{NEW_WORD}: {edited:?}"
    );
    let old_words = urls(&cdp.eval(session, &api_search("reeds")).await?);
    anyhow::ensure!(old_words.is_empty(), "reeds: {old_words:?}");
    let trashed = urls(&cdp.eval(session, &api_search(TRASHED_WORD)).await?);
    anyhow::ensure!(trashed.is_empty(), "{TRASHED_WORD}: {trashed:?}");
    let canoe = urls(&cdp.eval(session, &api_search("canoe")).await?);
    anyhow::ensure!(
        canoe.len() == 3 && !canoe.iter().any(|u| u.contains("gull-point")),
        "canoe: {canoe:?}"
    );
    let errors = cdp.errors(base);
    anyhow::ensure!(errors.is_empty(), "errors in the browser: {errors:#?}");
    let _ = cdp.call(None, "Browser.close", json!({})).await;
    Ok(())
}

#[test]
fn a_wrong_search_setting_is_an_error_naming_the_key() {
    for (table, key) in [
        (
            "[search]\nsections = [\"posts\", \"tags\"]",
            "search.sections",
        ),
        ("[search]\nlanguage = \"english\"", "search.language"),
        ("[search]\nenable = true", "enable"),
    ] {
        let site = tempfile::tempdir().unwrap();
        std::fs::write(
            site.path().join("notion-bake.toml"),
            format!("title = \"T\"\nbase_url = \"https://example.org\"\n{table}\n"),
        )
        .unwrap();
        let error = notion_bake::config::SiteConfig::load(site.path())
            .expect_err(table)
            .to_string();
        assert!(error.contains(key), "{table}: {error}");
    }
}
