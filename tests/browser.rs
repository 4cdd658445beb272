//! A real browser on the served example site: headless Chromium, driven over the Chrome
//! DevTools Protocol (a websocket, no extra downloads), loads the home page and a post and
//! checks that no console error was logged, every `<img>` loaded, and the live-reload
//! connection opened. A screenshot of each page is kept under
//! `<target dir>/browser-artifacts/`.
//!
//! Without Chromium the test is skipped with a notice, except in CI (env `CI` set), where it
//! fails. `CHROMIUM=/path/to/chromium` picks the browser.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use serde_json::{Value, json};
use support::chromium::{Cdp, Process, WAIT, chromium_or_skip, launch};

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
    let Some(chromium) = chromium_or_skip("the_example_site_works_in_headless_chromium") else {
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
    let (browser, ws_url) = launch(&chromium, profile.path());

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

/// Resolves with the search page's result links and loaded thumbnails once it shows results
/// (after 20 s: none).
const SEARCH_RESULTS: &str = r#"(async () => {
  for (let i = 0; i < 200; i++) {
    const links = Array.from(document.querySelectorAll(".pagefind-ui__result-link"));
    const images = Array.from(document.querySelectorAll(".pagefind-ui__result-image"));
    if (links.length > 0 && images.every((img) => img.complete)) {
      return { links: links.map((a) => a.href), images: images.filter((img) => img.naturalWidth > 0).length };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { links: [], images: 0 };
})()"#;

async fn drive(ws_url: &str, base: &str) -> anyhow::Result<Vec<PageReport>> {
    let (mut cdp, session) = Cdp::connect(ws_url).await?;
    let session = session.as_str();
    cdp.errors(base);

    let mut reports = Vec::new();
    let mut url = base.to_owned();
    let mut seen: HashMap<String, ()> = HashMap::new();
    for name in ["index", "post"] {
        seen.insert(url.clone(), ());
        cdp.navigate(session, &url).await?;
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

    // The README's quick start shows search: the header's box leads to the search page, which
    // finds a word of one post, with its thumbnail.
    let search = format!(
        "{}search/?q=bittern",
        base.trim_end_matches('/').to_owned() + "/"
    );
    cdp.navigate(session, &search).await?;
    let found = cdp.eval(session, SEARCH_RESULTS).await?;
    anyhow::ensure!(
        found["links"][0]
            .as_str()
            .is_some_and(|link| link.ends_with("/posts/hollow-fen/")),
        "{search}: {found}"
    );
    anyhow::ensure!(
        found["images"].as_u64() > Some(0),
        "{search}: no thumbnails: {found}"
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
    std::fs::write(artifacts_dir().join("example-site-search.png"), png)?;
    let errors = cdp.errors(base);
    anyhow::ensure!(
        errors.is_empty(),
        "{search}: errors in the browser: {errors:#?}"
    );
    let _ = cdp.call(None, "Browser.close", json!({})).await;
    Ok(reports)
}
