//! Files download while the crawl goes on (issue 15): a file is queued as soon as the page or
//! the list of blocks holding it arrives, not when the page's whole tree is complete. The real
//! binary against the fake Notion server, with a post whose tree is a chain of dependent
//! requests.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;
use support::{Endpoint, FakeNotion, FileRef, Workspace, blocks as b};

/// How many dependent requests the post's tree takes: its top-level blocks, then each level of
/// a list nested below them.
const DEPTH: usize = 5;

/// A list nested `depth` levels deep, each level a block with children of its own, with
/// `innermost` at the bottom.
fn nested_list(depth: usize, innermost: serde_json::Value) -> Vec<serde_json::Value> {
    let mut level = vec![innermost];
    for i in (1..depth).rev() {
        level = vec![b::with_children(
            b::bulleted(format!("Level {i}").as_str()),
            level,
        )];
    }
    level
}

struct Post {
    page: String,
    cover: FileRef,
    photo: FileRef,
    deepest_photo: FileRef,
}

fn workspace() -> (Workspace, String, Post) {
    let mut ws = Workspace::new();
    let db = ws.add_database("Notes", &[("Published", "checkbox"), ("Date", "date")]);
    let cover = ws.add_file("cover.jpg", support::jpeg(320, 200, 10));
    let photo = ws.add_file("photo.jpg", support::jpeg(320, 200, 20));
    let deepest_photo = ws.add_file("deepest.jpg", support::jpeg(320, 200, 30));
    let list = nested_list(DEPTH, b::image(b::hosted(&deepest_photo), "at the bottom"));
    let mut blocks = vec![
        b::paragraph("A post whose content is nested."),
        b::image(b::hosted(&photo), "at the top"),
    ];
    blocks.extend(list);
    let page = ws.add_row(
        &db,
        json!({"Name": "Nested", "Published": true, "Date": "2026-03-01"}),
        blocks,
    );
    ws.set_cover(&page, b::hosted(&cover));
    (
        ws,
        db.database_id,
        Post {
            page,
            cover,
            photo,
            deepest_photo,
        },
    )
}

/// When the first download of `file` reached the server.
fn downloaded_at(server: &FakeNotion, file: &FileRef) -> Instant {
    server
        .download_log()
        .into_iter()
        .filter(|d| d.file.as_ref() == Some(file))
        .map(|d| d.at)
        .min()
        .unwrap_or_else(|| panic!("{} was never downloaded", file.filename))
}

#[test]
fn a_file_downloads_as_soon_as_the_block_or_page_holding_it_arrives() {
    let (ws, database, post) = workspace();
    let server = FakeNotion::start_blocking(ws);
    server.set_latency(Duration::from_millis(150));
    let root = tempfile::tempdir().unwrap();
    let site = root.path().join("site");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(
        site.join("notion-bake.toml"),
        format!(
            "title = \"Notes\"\nbase_url = \"https://example.org/\"\n\
             [blog]\ndatabase = \"{database}\"\n[images]\nwidths = [160]\n"
        ),
    )
    .unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .args(["build", "-q"])
        .arg(&site)
        .env("NOTION_TOKEN", server.token())
        .env("NOTION_API_URL", server.url())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let children_requests: Vec<Instant> = server
        .request_log()
        .into_iter()
        .filter(|r| r.endpoint == Endpoint::BlockChildren)
        .map(|r| r.at)
        .collect();
    assert_eq!(
        children_requests.len(),
        DEPTH,
        "one request per level of {} (and none for anything else)",
        post.page
    );
    let last_level_asked = *children_requests.iter().max().unwrap();
    let first_level_asked = *children_requests.iter().min().unwrap();
    // The tree takes DEPTH dependent requests of 150 ms or more each; the cover and the
    // top photo must not wait for them.
    for file in [&post.cover, &post.photo] {
        let at = downloaded_at(&server, file);
        assert!(
            at < last_level_asked,
            "{} was downloaded {:?} after the last level of the tree was asked for: it waited \
             for the whole tree",
            file.filename,
            at - last_level_asked
        );
    }
    assert!(
        downloaded_at(&server, &post.cover) < first_level_asked + Duration::from_millis(150),
        "the cover waited for the page's first blocks"
    );
    assert!(downloaded_at(&server, &post.deepest_photo) >= last_level_asked);
    assert!(site.join("public/index.html").is_file());
}
