//! `notion-bake check` against the fake Notion server: each source reported, a bad token and
//! an unshared database named, and the audit of a built site.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::json;
use support::{FakeNotion, Workspace, blocks as b};

/// An id no database or page of the fake workspace has: what Notion answers for a database
/// that is not shared with the integration (or a wrong id).
const UNSHARED: &str = "0123456789abcdef0123456789abcdef";
/// The same id as notion-bake names it (dashed).
const UNSHARED_DASHED: &str = "01234567-89ab-cdef-0123-456789abcdef";

fn run(command: &str, site: &Path, server: &FakeNotion, token: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .arg(command)
        .arg(site)
        .env_remove("RUST_LOG")
        .env("NOTION_TOKEN", token)
        .env("NOTION_API_URL", server.url())
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([90, 120, 150]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Jpeg)
        .unwrap();
    bytes.into_inner()
}

/// A blog with a photo and an about page; `database` is the configured blog id.
fn site(database: Option<&str>) -> (FakeNotion, tempfile::TempDir, String, String) {
    let mut ws = Workspace::new();
    let photo = ws.add_file("lake.jpg", jpeg(1200, 800));
    let db = ws.add_database(
        "Field Notes",
        &[("Published", "checkbox"), ("Date", "date")],
    );
    ws.add_row(
        &db,
        json!({"Name": "First light", "Published": true, "Date": "2026-03-01"}),
        vec![
            b::paragraph("We got up before the birds."),
            b::image(b::hosted(&photo), "The lake"),
        ],
    );
    let about = ws.add_page("About", vec![b::paragraph("Two people and a canoe.")]);
    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    let database = database.unwrap_or(&db.database_id).to_owned();
    std::fs::write(
        site.path().join("notion-bake.toml"),
        format!(
            "title = \"Field Notes\"\nbase_url = \"https://example.org/blog\"\n\
             [notion]\nrequests_per_second = 500\n[blog]\ndatabase = \"{database}\"\n\
             [[pages]]\nid = \"{about}\"\npath = \"about\"\n[images]\nwidths = [480]\n"
        ),
    )
    .unwrap();
    (server, site, database, about)
}

#[test]
fn every_source_is_reported_and_a_good_site_passes() {
    let (server, site, database, about) = site(None);
    let output = run("check", site.path(), &server, server.token());
    let out = text(&output);
    assert!(output.status.success(), "{out}");
    assert!(out.contains("✓ token"), "{out}");
    // The integration as `users/me` describes it.
    assert!(out.contains("in workspace \"Fake Workspace\""), "{out}");
    assert!(
        out.contains(&format!("\"Field Notes\" ({database})")),
        "{out}"
    );
    assert!(out.contains(&format!("\"About\" ({about})")), "{out}");
    assert!(
        out.contains("public") && out.contains("does not exist yet"),
        "{out}"
    );

    // Then the built site's audit: a real build passes it.
    let build = run("build", site.path(), &server, server.token());
    assert!(build.status.success(), "{}", text(&build));
    let output = run("check", site.path(), &server, server.token());
    let out = text(&output);
    assert!(output.status.success(), "{out}");
    assert!(out.contains("no expiring Notion URL"), "{out}");
    assert!(!out.contains('✗'), "{out}");
}

#[test]
fn an_unshared_database_is_named() {
    let (server, site, _, about) = site(Some(UNSHARED));
    let output = run("check", site.path(), &server, server.token());
    let out = text(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    let line = out
        .lines()
        .find(|l| l.starts_with('✗'))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains(UNSHARED_DASHED), "{out}");
    assert!(out.contains("share"), "{out}");
    // The other source is still checked and reported.
    assert!(
        out.contains(&format!("✓ [[pages]] about: page \"About\" ({about})")),
        "{out}"
    );
}

#[test]
fn a_bad_token_is_reported() {
    let (server, site, _, _) = site(None);
    let output = run(
        "check",
        site.path(),
        &server,
        "ntn_not_the_right_secret_at_all",
    );
    let out = text(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(
        out.contains("✗ token: Notion rejected the API token (401"),
        "{out}"
    );
    assert!(
        !out.contains("ntn_not_the_right_secret_at_all"),
        "the token was printed"
    );
}

#[test]
fn a_planted_expiring_url_and_a_broken_link_are_found() {
    let (server, site, _, _) = site(None);
    let build = run("build", site.path(), &server, server.token());
    assert!(build.status.success(), "{}", text(&build));
    let signed = "https://prod-files-secure.s3.us-west-2.amazonaws.com/7b9a/4c1d/photo.jpg";
    std::fs::write(
        site.path().join("public/planted.html"),
        format!(
            "<!doctype html><title>x</title><img src=\"{signed}?X-Amz-Algorithm=AWS4-HMAC-SHA256&amp;\
             X-Amz-Signature=deadbeef\" width=\"10\" height=\"10\" alt=\"\">\
             <a href=\"/blog/posts/nowhere/\">gone</a><img src=\"/blog/assets/missing.jpg\" alt=\"\">"
        ),
    )
    .unwrap();
    let output = run("check", site.path(), &server, server.token());
    let out = text(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(
        out.contains(&format!(
            "expiring Notion file URL (it stops working an hour after it was fetched): {signed}\n"
        )),
        "{out}"
    );
    assert!(!out.contains("deadbeef"), "the signature was printed");
    assert!(out.contains("\"/blog/posts/nowhere/\""), "{out}");
    assert!(
        out.contains("\"/blog/assets/missing.jpg\" has no width and height"),
        "{out}"
    );
}

/// Runs `notion-bake <command> <site>` with no token in the environment.
fn run_without_token(command: &str, site: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .arg(command)
        .arg(site)
        .env_remove("RUST_LOG")
        .env_remove("NOTION_TOKEN")
        .env_remove("NOTION_API_URL")
        .output()
        .unwrap()
}

#[test]
fn without_a_token_the_built_example_site_is_audited_and_notion_is_said_to_be_unchecked() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("example-site");
    support::copy_example_site(&site);
    let build = run_without_token("build", &site);
    assert!(build.status.success(), "{}", text(&build));

    let output = run_without_token("check", &site);
    let out = text(&output);
    assert!(output.status.success(), "{out}");
    assert!(
        out.contains("Notion sources not checked: NOTION_TOKEN is not set"),
        "{out}"
    );
    assert!(out.contains("export NOTION_TOKEN="), "{out}");
    assert!(out.contains("no expiring Notion URL"), "{out}");
    assert!(!out.contains('✗'), "{out}");

    // An audit problem still fails the check.
    std::fs::write(
        site.join("public/planted.html"),
        "<!doctype html><title>x</title><a href=\"/field-notes/posts/nowhere/\">gone</a>",
    )
    .unwrap();
    let output = run_without_token("check", &site);
    let out = text(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("\"/field-notes/posts/nowhere/\""), "{out}");
    assert!(out.contains("NOTION_TOKEN is not set"), "{out}");
}
