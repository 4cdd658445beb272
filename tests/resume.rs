//! A build killed half-way (`kill -9`) keeps its work: the next build fetches no page tree that
//! was complete and downloads no file that was stored. The real binary against the fake
//! Notion server, slowed down so that the kill lands in the middle of the crawl.

mod support;

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use support::{Endpoint, FakeNotion, FileRef, Workspace, blocks as b};

const POSTS: usize = 16;

/// Posts with nested content (each tree takes a few dependent requests) and two photos each.
fn workspace() -> (Workspace, String, Vec<String>, Vec<FileRef>) {
    let mut ws = Workspace::new();
    let db = ws.add_database("Notes", &[("Published", "checkbox"), ("Date", "date")]);
    let (mut posts, mut files) = (Vec::new(), Vec::new());
    for i in 0..POSTS {
        let photos: Vec<FileRef> = (0..2)
            .map(|j| {
                ws.add_file(
                    &format!("photo-{i}-{j}.jpg"),
                    support::jpeg(320, 200, (i * 2 + j) as u8),
                )
            })
            .collect();
        let blocks = vec![
            b::paragraph(format!("Post {i}.").as_str()),
            b::image(b::hosted(&photos[0]), "first"),
            b::toggle(
                "More",
                vec![b::with_children(
                    b::bulleted("Level two"),
                    vec![b::image(b::hosted(&photos[1]), "deep down")],
                )],
            ),
        ];
        posts.push(ws.add_row(
            &db,
            json!({"Name": format!("Post {i}"), "Published": true, "Date": "2026-03-01"}),
            blocks,
        ));
        files.extend(photos);
    }
    (ws, db.database_id, posts, files)
}

fn build(site: &Path, server: &FakeNotion) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_notion-bake"));
    command
        .args(["build", "-q"])
        .arg(site)
        .env("NOTION_TOKEN", server.token())
        .env("NOTION_API_URL", server.url())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// The page trees the cache holds, by page id.
fn stored_trees(site: &Path) -> HashSet<String> {
    std::fs::read_dir(site.join(".notion-bake/pages"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".json").map(str::to_owned)
        })
        .collect()
}

/// The stable keys of the files the store recorded (its index and its journal).
fn stored_files(site: &Path) -> HashSet<String> {
    let files = site.join(".notion-bake/files");
    let mut keys = HashSet::new();
    if let Ok(text) = std::fs::read_to_string(files.join("index.json")) {
        let index: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&text).unwrap();
        keys.extend(index.keys().cloned());
    }
    if let Ok(text) = std::fs::read_to_string(files.join("index.journal")) {
        for line in text.lines() {
            if let Ok((key, _)) = serde_json::from_str::<(String, serde_json::Value)>(line) {
                keys.insert(key);
            }
        }
    }
    keys
}

#[test]
fn a_build_killed_half_way_keeps_its_trees_and_files() {
    let (ws, database, posts, files) = workspace();
    let server = FakeNotion::start_blocking(ws);
    server.set_latency(Duration::from_millis(60));
    let root = tempfile::tempdir().unwrap();
    let site = root.path().join("site");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(
        site.join("notion-bake.toml"),
        format!(
            "title = \"Notes\"\nbase_url = \"https://example.org/\"\n[notion]\nrequests_per_second = 12\n\
             [blog]\ndatabase = \"{database}\"\n[images]\nwidths = [160]\n"
        ),
    )
    .unwrap();

    let mut child = build(&site, &server).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (trees, stored) = (stored_trees(&site).len(), stored_files(&site).len());
        if trees >= 3 && stored >= 2 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended before it could be killed ({trees} trees, {stored} files)"
        );
        assert!(Instant::now() < deadline, "no progress to kill");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL: no cleanup runs
    child.wait().unwrap();
    let kept_trees = stored_trees(&site);
    let kept_files = stored_files(&site);
    assert!(
        kept_trees.len() < POSTS,
        "the kill came too late to test anything ({} of {POSTS} trees)",
        kept_trees.len()
    );
    let downloads_before: Vec<usize> = files.iter().map(|f| server.downloads(f)).collect();

    server.reset_counters();
    let output = build(&site, &server).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for post in &posts {
        let refetched = server.requests_for(Endpoint::BlockChildren, post);
        if kept_trees.contains(post.as_str()) {
            assert_eq!(refetched, 0, "the stored tree of {post} was fetched again");
        } else {
            assert!(refetched > 0, "{post} was never fetched");
        }
    }
    for (file, before) in files.iter().zip(downloads_before) {
        let again = server.downloads(file);
        if kept_files.contains(&file.stable_key()) {
            assert_eq!(again, 0, "{} was downloaded again", file.filename);
        } else {
            assert!(
                before + again >= 1,
                "{} was never downloaded",
                file.filename
            );
        }
    }
    assert!(site.join("public/index.html").is_file());
}
