//! The real binary: commands, usage errors, exit codes and what it prints.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;

use support::{FakeNotion, Workspace};

const BIN: &str = env!("CARGO_BIN_EXE_notion-bake");
const VALID: &str = "title = \"Field Notes\"\nbase_url = \"https://example.org/blog\"\n\
                     [blog]\ndatabase = \"d23f0824128b4f338c5c7fd0a6a3a450\"\n";

/// A fake Notion for the commands that reach for the API: no test touches the internet, and
/// any token these tests pass is refused at once (401).
fn fake_notion() -> &'static FakeNotion {
    static FAKE: OnceLock<FakeNotion> = OnceLock::new();
    FAKE.get_or_init(|| FakeNotion::start_blocking(Workspace::new()))
}

/// Runs the binary with a clean, deterministic environment, pointed at the fake Notion.
fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("NOTION_TOKEN")
        .env("NOTION_API_URL", fake_notion().url())
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run notion-bake")
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn site(toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notion-bake.toml"), toml).unwrap();
    dir
}

fn path(dir: &Path) -> &str {
    dir.to_str().unwrap()
}

#[test]
fn help_lists_every_command() {
    let out = run(&["--help"], &[]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0));
    for command in ["init", "build", "pull", "cache", "serve", "check"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{command} "))),
            "{command} missing from:\n{stdout}"
        );
    }
    assert!(stdout.contains("--quiet") && stdout.contains("--verbose"));
    assert!(stdout.contains("NOTION_TOKEN"));

    let (stdout, _) = text(&run(&["build", "--help"], &[]));
    for flag in [
        "--offline",
        "--full",
        "--out",
        "--drafts",
        "--keep-going",
        "--force",
    ] {
        assert!(stdout.contains(flag), "{flag} missing from:\n{stdout}");
    }
    let (stdout, _) = text(&run(&["serve", "--help"], &[]));
    assert!(stdout.contains("--port") && stdout.contains("--open"));
    let (stdout, _) = text(&run(&["cache", "--help"], &[]));
    assert!(stdout.contains("gc"));
}

#[test]
fn version_prints_the_crate_version() {
    let out = run(&["--version"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out).0.contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let out = run(&["build", "--no-such-flag"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("--no-such-flag"));

    assert_eq!(run(&["publish"], &[]).status.code(), Some(2));
    assert_eq!(run(&[], &[]).status.code(), Some(2));
}

#[test]
fn missing_config_exits_2_with_the_init_hint() {
    let dir = tempfile::tempdir().unwrap();
    for command in [
        &["build"][..],
        &["pull"][..],
        &["cache", "gc"][..],
        &["serve"][..],
        &["check"][..],
    ] {
        let mut args = command.to_vec();
        args.push(path(dir.path()));
        let out = run(&args, &[]);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: no notion-bake.toml in "),
            "{stderr}"
        );
        assert!(stderr.contains("run `notion-bake init`"), "{stderr}");
        assert!(!stderr.contains("not implemented"), "{stderr}");
    }
}

#[test]
fn site_dir_defaults_to_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .arg("check")
        .current_dir(dir.path())
        .env_remove("NOTION_TOKEN")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("no notion-bake.toml in ."));
}

#[test]
fn invalid_config_exits_2_naming_file_and_key() {
    let dir = site("title = \"x\"\nbase_url = \"https://example.org\"\ntheme_dir = \"x\"\n");
    let out = run(&["build", path(dir.path())], &[]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("notion-bake.toml:3:1"), "{stderr}");
    assert!(stderr.contains("theme_dir"), "{stderr}");
}

#[test]
fn quiet_still_reports_errors() {
    let dir = site(VALID);
    let out = run(&["-q", "pull", path(dir.path())], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("NOTION_TOKEN is not set"));
}

#[test]
fn token_never_appears_in_any_output() {
    let marker = "secret_NB_MARKER_7c0ffee";
    let dir = site(VALID);
    let bad = site("title = \"x\"\nbase_url = \"nope\"\n");
    let empty = tempfile::tempdir().unwrap();
    for (args, rust_log) in [
        (vec!["-vv", "build", path(dir.path())], ""),
        (vec!["-vvv", "pull", path(dir.path())], ""),
        (vec!["check", path(dir.path())], "trace"),
        (vec!["build", path(bad.path())], "trace"),
        (vec!["build", path(empty.path())], "trace"),
        (vec!["--help"], ""),
        (vec!["build", "--help"], ""),
    ] {
        let out = run(&args, &[("NOTION_TOKEN", marker), ("RUST_LOG", rust_log)]);
        let (stdout, stderr) = text(&out);
        assert!(
            !stdout.contains(marker) && !stderr.contains(marker),
            "{args:?} leaked the token:\n{stdout}\n{stderr}"
        );
        assert!(!stderr.contains("NB_MARKER"), "{stderr}");
    }
}

#[test]
fn verbose_output_is_plain_without_colour_or_timestamps() {
    let dir = site(VALID);
    let out = run(&["-v", "build", path(dir.path())], &[("NOTION_TOKEN", "x")]);
    let (_, stderr) = text(&out);
    assert!(!stderr.contains('\u{1b}'), "no ANSI codes: {stderr:?}");
    assert!(
        stderr
            .lines()
            .all(|l| l.starts_with("debug: ") || l.starts_with("error: ")),
        "{stderr}"
    );
    assert!(stderr.contains("(token set)"), "{stderr}");
}
