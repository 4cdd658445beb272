//! `notion-bake pull` end to end: the real binary against the fake Notion server.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::json;
use support::{Endpoint, FakeNotion, Workspace, blocks as b};

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Jpeg)
        .unwrap();
    bytes.into_inner()
}

fn write_config(dir: &Path, database: &str, page: &str) {
    std::fs::write(
        dir.join("notion-bake.toml"),
        format!(
            r#"title = "Test"
base_url = "https://example.org/"
[notion]
requests_per_second = 200
[blog]
database = "{database}"
[[pages]]
id = "{page}"
path = "about"
[images]
widths = [480, 960]
"#
        ),
    )
    .unwrap();
}

fn pull(dir: &Path, server: &FakeNotion) -> Output {
    Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .arg("pull")
        .arg(dir)
        .env("NOTION_TOKEN", server.token())
        .env("NOTION_API_URL", server.url())
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

/// A blog of 120 posts (past one query page), one with 150 blocks (past one children page),
/// nested blocks, a synced copy, images shared between posts, and an about page with a child.
fn workspace() -> (Workspace, String, String, support::FileRef) {
    let mut ws = Workspace::new();
    let photo = ws.add_file("photo.jpg", jpeg(1200, 800));
    let db = ws.add_database("Blog", &[("Published", "checkbox"), ("Date", "date")]);
    let long: Vec<_> = (0..150)
        .map(|i| b::paragraph(format!("line {i}").as_str()))
        .collect();
    ws.add_row(&db, json!({"Name": "Long", "Published": true}), long);
    let original = b::with_id(
        b::synced_original(vec![b::paragraph("shared words")]),
        "synced-original",
    );
    let nested = b::toggle(
        "level 1",
        vec![b::toggle(
            "level 2",
            vec![b::toggle("level 3", vec![b::paragraph("level 4")])],
        )],
    );
    ws.add_row(
        &db,
        json!({"Name": "Nested", "Published": true}),
        vec![nested, original, b::image(b::hosted(&photo), "A photo")],
    );
    for i in 0..118 {
        let blocks = vec![
            b::paragraph("hi"),
            b::image(b::hosted(&photo), "same photo"),
        ];
        ws.add_row(
            &db,
            json!({"Name": format!("Post {i}"), "Published": i % 10 != 0}),
            blocks,
        );
    }
    let original_id = support::fake_notion::uuid_from("synced-original");
    let about = ws.add_page(
        "About",
        vec![b::paragraph("about us"), b::synced_copy(&original_id)],
    );
    ws.add_child_page(&about, "Team", vec![b::paragraph("the team")]);
    (ws, db.database_id, about, photo)
}

#[test]
fn pull_stores_every_page_tree_and_file_then_a_warm_pull_fetches_no_blocks() {
    let (ws, database, about, photo) = workspace();
    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    write_config(site.path(), &database, &about);

    let first = pull(site.path(), &server);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{stderr}");
    assert!(
        !stderr.contains(server.token()),
        "the token leaked: {stderr}"
    );
    let pages = std::fs::read_dir(site.path().join(".notion-bake/pages"))
        .unwrap()
        .count();
    // 120 rows minus 12 unpublished (filtered on the server), the about page and its child.
    assert_eq!(pages, 108 + 2, "{stderr}");
    assert_eq!(
        server.downloads(&photo),
        1,
        "one file in many posts downloads once"
    );
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(site.path().join(".notion-bake/snapshot.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["blog"]["posts"].as_array().unwrap().len(), 108);
    assert_eq!(manifest["pages"][1]["parent"], json!(about));

    server.reset_counters();
    let second = pull(site.path(), &server);
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert_eq!(server.requests(Endpoint::BlockChildren), 0);
    assert_eq!(server.total_downloads(), 0);
}

#[test]
fn pull_highlights_code_so_the_offline_build_has_none_left_to_do() {
    let mut ws = Workspace::new();
    let db = ws.add_database("Blog", &[("Published", "checkbox")]);
    ws.add_row(
        &db,
        json!({"Name": "Code", "Published": true}),
        vec![
            b::code("fn main() {}\n", "rust"),
            b::toggle("More", vec![b::code("print('hi')\n", "python")]),
        ],
    );
    let about = ws.add_page("About", vec![b::paragraph("no code")]);
    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    write_config(site.path(), &db.database_id, &about);
    let out = pull(site.path(), &server);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let memo_path = site.path().join(".notion-bake/highlights.json");
    let memo: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&memo_path).unwrap()).unwrap();
    let entries = memo["entries"].as_object().unwrap();
    assert_eq!(entries.len(), 2, "both code blocks, the nested one too");
    assert!(
        entries
            .values()
            .all(|html| html.as_str().unwrap().contains("hl-"))
    );

    // The offline build takes both from the memo: it highlights nothing new, so the memo file
    // is not even rewritten.
    let modified = std::fs::metadata(&memo_path).unwrap().modified().unwrap();
    let build = Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .args(["build", "--offline"])
        .arg(site.path())
        .env_remove("NOTION_TOKEN")
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert_eq!(
        std::fs::metadata(&memo_path).unwrap().modified().unwrap(),
        modified
    );
    let post = std::fs::read_to_string(site.path().join("public/posts/code/index.html")).unwrap();
    for html in entries.values() {
        assert!(post.contains(html.as_str().unwrap()), "{post}");
    }
}
