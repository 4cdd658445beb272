//! Snapshots of the generated HTML: the kitchen-sink page (every block type and rich-text
//! feature, rendered through the built-in templates) and every page, feed and sitemap of the
//! example site's offline build, compared with the expected files committed in
//! `tests/snapshots/`. A change to the output, wanted or not, shows up as a diff here.
//!
//! After a change that is meant to alter the output, refresh the expected files (written,
//! rewritten, and deleted when no output matches them any more) and review them with
//! `git diff`:
//!
//! ```text
//! NOTION_BAKE_UPDATE_SNAPSHOTS=1 cargo test --test snapshots
//! ```

mod support;

// The kitchen sink of the library's unit tests, the same file. It names the library's modules
// `crate::…` (it is written for the library's own test binary); these imports give it the same
// paths here.
#[allow(dead_code)]
#[path = "unit/sample.rs"]
mod sample;
use notion_bake::{assets, config, notion, render, site};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use notion_bake::config::SiteConfig;
use notion_bake::pipeline::{self, BuildOptions};

/// The variable that turns the comparison into a refresh.
const UPDATE_VAR: &str = "NOTION_BAKE_UPDATE_SNAPSHOTS";
const REFRESH: &str = "NOTION_BAKE_UPDATE_SNAPSHOTS=1 cargo test --test snapshots";

/// Lines of context around the first difference, and the most lines shown of either side.
const CONTEXT: usize = 3;
const SHOWN: usize = 12;

fn snapshots_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

/// Output files by path under `tests/snapshots/` (with `/` as the separator).
type Files = BTreeMap<String, String>;

/// The kitchen-sink post of the sample site, rendered by the HTML renderer with the built-in
/// templates (`render_sample_site`, as the library's render tests do).
fn kitchen_sink_page() -> String {
    let out = tempfile::tempdir().unwrap();
    // Its warnings (a mention of a private page, unsupported block types) are meant; the render
    // tests in tests/unit/ check them. The snapshot is the HTML.
    sample::render_sample_site(out.path(), false).unwrap();
    std::fs::read_to_string(out.path().join("posts/kitchen-sink/index.html")).unwrap()
}

/// `notion-bake build example-site --offline`, in-process on a copy of the example site (its
/// committed snapshot, no token, no network): every `.html` and `.xml` file of `public/`.
fn example_site_build() -> Files {
    let copy = tempfile::tempdir().unwrap();
    support::copy_example_site(copy.path());
    let config = SiteConfig::load_with_env(copy.path(), &|_| None).unwrap();
    let options = BuildOptions {
        offline: true,
        full: false,
        out: None,
        drafts: false,
        keep_going: false,
        force: false,
        preview: false,
    };
    let report = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(pipeline::build(
            &config,
            &options,
            &pipeline::Progress::default(),
        ))
        .expect("an offline build of the example site");
    assert!(
        report.baked.failures.is_empty(),
        "{:?}",
        report.baked.failures
    );

    let public = copy.path().join("public");
    let mut files = Files::new();
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.unwrap();
        let path = entry.path();
        let is_markup = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("html" | "xml")
        );
        if !entry.file_type().is_file() || !is_markup {
            continue;
        }
        let relative = path.strip_prefix(&public).unwrap();
        let name = format!("example-site/{}", slash_path(relative));
        files.insert(name, std::fs::read_to_string(path).unwrap());
    }
    files
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every expected file committed in `tests/snapshots/`.
fn expected_files() -> Files {
    let dir = snapshots_dir();
    let mut files = Files::new();
    if !dir.exists() {
        return files;
    }
    for entry in walkdir::WalkDir::new(&dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = slash_path(entry.path().strip_prefix(&dir).unwrap());
            files.insert(relative, std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    files
}

/// A unified-style diff of the region between the first and the last differing line, with
/// a few lines of context, each side cut to `SHOWN` lines. A rendered page's blocks are one
/// long line, so a long changed line is shown around its first difference.
fn short_diff(name: &str, expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let start = prefix.saturating_sub(CONTEXT);
    let (old_end, new_end) = (old.len() - suffix, new.len() - suffix);
    let after = suffix.min(CONTEXT);
    let mut out = format!(
        "--- tests/snapshots/{name} (expected)\n+++ {name} (generated)\n@@ -{},{} +{},{} @@\n",
        start + 1,
        old_end - start + after,
        start + 1,
        new_end - start + after,
    );
    for line in &old[start..prefix] {
        out.push_str(&format!(" {}\n", excerpt(line, None)));
    }
    let (removed, added) = (&old[prefix..old_end], &new[prefix..new_end]);
    for (sign, lines, others) in [('-', removed, added), ('+', added, removed)] {
        for (i, line) in lines.iter().enumerate().take(SHOWN) {
            out.push_str(&format!(
                "{sign}{}\n",
                excerpt(line, others.get(i).copied())
            ));
        }
        if lines.len() > SHOWN {
            out.push_str(&format!("{sign}… {} more lines\n", lines.len() - SHOWN));
        }
    }
    for line in &old[old_end..old_end + after] {
        out.push_str(&format!(" {}\n", excerpt(line, None)));
    }
    if removed.is_empty() && added.is_empty() {
        out.push_str("(the files differ only in line endings or the final newline)\n");
    }
    out
}

/// Longest line shown whole in a diff; longer ones are cut to a window of this many characters.
const LONG_LINE: usize = 200;

/// `line`, or for a long line the part around where it first differs from `other` (its
/// counterpart on the other side of the diff), with the column it starts at.
fn excerpt(line: &str, other: Option<&str>) -> String {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= LONG_LINE {
        return line.to_owned();
    }
    let first_difference = other.map_or(0, |other| {
        chars
            .iter()
            .zip(other.chars())
            .take_while(|(a, b)| **a == *b)
            .count()
    });
    let from = first_difference.saturating_sub(LONG_LINE / 3);
    let to = (from + LONG_LINE).min(chars.len());
    let window: String = chars[from..to].iter().collect();
    let before = if from > 0 {
        format!("[column {}] …", from + 1)
    } else {
        String::new()
    };
    let after = if to < chars.len() { "…" } else { "" };
    format!("{before}{window}{after}")
}

/// Rewrites `tests/snapshots/` to hold exactly `actual`, reporting what changed.
fn update(actual: &Files, expected: &Files) {
    let dir = snapshots_dir();
    for (name, text) in actual {
        if expected.get(name) != Some(text) {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            eprintln!("wrote tests/snapshots/{name}");
        }
    }
    for name in expected.keys().filter(|n| !actual.contains_key(*n)) {
        std::fs::remove_file(dir.join(name)).unwrap();
        eprintln!("deleted tests/snapshots/{name} (stale)");
    }
    // Folders the deletions left empty, deepest first.
    let mut dirs: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_dir())
        .map(|e| e.into_path())
        .collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        if std::fs::read_dir(&d).unwrap().next().is_none() {
            std::fs::remove_dir(&d).unwrap();
        }
    }
}

/// What differs between the committed expected files and the output, one message per file.
fn mismatches(actual: &Files, expected: &Files) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, text) in actual {
        match expected.get(name) {
            None => problems.push(format!(
                "new output tests/snapshots/{name} has no expected file"
            )),
            Some(old) if old != text => problems.push(format!(
                "tests/snapshots/{name} differs from the output:\n{}",
                short_diff(name, old, text)
            )),
            Some(_) => {}
        }
    }
    for name in expected.keys().filter(|n| !actual.contains_key(*n)) {
        problems.push(format!(
            "stale expected file tests/snapshots/{name}: no output matches it"
        ));
    }
    problems
}

#[test]
fn generated_html_matches_the_committed_snapshots() {
    let mut actual = example_site_build();
    actual.insert("kitchen-sink.html".to_owned(), kitchen_sink_page());
    let expected = expected_files();

    if std::env::var_os(UPDATE_VAR).is_some_and(|v| v == "1") {
        update(&actual, &expected);
        return;
    }
    let problems = mismatches(&actual, &expected);
    assert!(
        problems.is_empty(),
        "the generated HTML does not match tests/snapshots/ ({} files):\n\n{}\n\nIf the change is intended, refresh the expected files with\n    {REFRESH}\nand review them with `git diff tests/snapshots`.",
        problems.len(),
        problems.join("\n\n"),
    );
}
