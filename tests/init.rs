//! `notion-bake init`: the scaffold, its refusal to overwrite, and that it builds.

use std::path::Path;
use std::process::{Command, Output};

fn notion_bake(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .args(args)
        .arg(dir)
        .env_remove("NOTION_TOKEN")
        .env_remove("NOTION_API_URL")
        .env_remove("RUST_LOG")
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

#[test]
fn init_scaffolds_a_site_and_prints_the_next_steps() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("mysite");
    let output = notion_bake(&["init"], &site);
    assert!(output.status.success(), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("notion-bake serve"), "{stdout}");
    assert!(stdout.contains("NOTION_TOKEN"), "{stdout}");
    for file in [
        "notion-bake.toml",
        "content/about.md",
        "templates/404.html",
        ".gitignore",
    ] {
        assert!(site.join(file).is_file(), "{file} missing");
    }
    let toml = std::fs::read_to_string(site.join("notion-bake.toml")).unwrap();
    assert!(
        toml.contains("# [blog]"),
        "the config is not commented:\n{toml}"
    );
}

#[test]
fn init_refuses_to_overwrite_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notion-bake.toml"), "title = \"mine\"\n").unwrap();
    let output = notion_bake(&["init"], dir.path());
    assert!(!output.status.success());
    assert!(
        text(&output).contains("refusing to overwrite"),
        "{}",
        text(&output)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notion-bake.toml")).unwrap(),
        "title = \"mine\"\n"
    );
    assert!(!dir.path().join("content").exists());
}

/// The scaffold (no Notion source) builds once a snapshot exists, here an empty one, and the
/// result passes `check`: every template, the Markdown page and the override work.
#[test]
fn the_scaffold_builds_and_passes_check_with_an_empty_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    assert!(notion_bake(&["init"], dir.path()).status.success());
    std::fs::create_dir_all(dir.path().join(".notion-bake")).unwrap();
    std::fs::write(
        dir.path().join(".notion-bake/snapshot.json"),
        r#"{"format":1,"fetched_at":"2026-11-28T00:00:00Z","api_version":"2025-09-03","blog":null,"pages":[]}"#,
    )
    .unwrap();
    let output = notion_bake(&["build", "--offline"], dir.path());
    assert!(output.status.success(), "{}", text(&output));
    let about = std::fs::read_to_string(dir.path().join("public/about/index.html")).unwrap();
    assert!(about.contains("content/about.md"), "{about}");
    let not_found = std::fs::read_to_string(dir.path().join("public/404.html")).unwrap();
    assert!(
        not_found.contains("Nothing here"),
        "the template override was not used"
    );
    let check = notion_bake(&["check"], dir.path());
    assert!(check.status.success(), "{}", text(&check));
}

/// What the issue asks: the scaffold builds offline with no Notion and no snapshot at all.
#[test]
fn the_scaffold_builds_offline_with_no_notion_at_all() {
    let dir = tempfile::tempdir().unwrap();
    assert!(notion_bake(&["init"], dir.path()).status.success());
    let output = notion_bake(&["build", "--offline"], dir.path());
    assert!(output.status.success(), "{}", text(&output));
    assert!(dir.path().join("public/about/index.html").is_file());
}
