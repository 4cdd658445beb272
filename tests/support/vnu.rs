//! The Nu HTML Checker (`vnu.jar`), for tests that validate rendered HTML.
//!
//! The jar comes from `VNU_JAR` or `node_modules/vnu-jar/build/dist/vnu.jar`
//! (`npm install --no-save --ignore-scripts vnu-jar@26.9.27`, as `.ci/run` does). Without it a
//! test says so and passes, except in CI (`CI` set), where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

fn find_vnu() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("VNU_JAR").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let local =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("node_modules/vnu-jar/build/dist/vnu.jar");
    local.is_file().then_some(local)
}

/// Every error the checker reports for the HTML files under `dir`; `None` when the checker is
/// not installed here (never in CI). A canary file with a known error proves it really ran.
pub fn errors_in(dir: &Path, test: &str) -> Option<Vec<String>> {
    let Some(jar) = find_vnu() else {
        let message = "vnu.jar not found (set VNU_JAR or run `npm install --no-save --ignore-scripts vnu-jar@26.9.27`)";
        if std::env::var_os("CI").is_some() {
            panic!("{message}");
        }
        eprintln!("SKIPPED {test}: {message}");
        return None;
    };
    let canary = dir.join("zz-canary.html");
    std::fs::write(
        &canary,
        "<!DOCTYPE html><html lang=\"en\"><title>x</title><p><div></p>",
    )
    .unwrap();
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html"])
        // The one deliberate exception: embedded players (youtube-nocookie, Vimeo, …) need
        // `allow-scripts allow-same-origin`, which vnu flags for any iframe. It is only an escape
        // risk for a frame on the page's own origin; ours load fixed provider hosts (see
        // `render::blocks::IFRAME_SANDBOX`). Every other message fails the test.
        .args([
            "--filterpattern",
            "Bad value .allow-scripts allow-same-origin[^\u{201d}]*. for attribute .sandbox. on element .iframe.*",
        ])
        .arg(dir)
        .output()
        .expect("java runs (install a JRE: apt-get install -y default-jre-headless)");
    std::fs::remove_file(&canary).unwrap();
    let report = String::from_utf8_lossy(&output.stderr);
    let (canary, errors): (Vec<&str>, Vec<&str>) = report
        .lines()
        .filter(|l| l.contains("error:"))
        .partition(|l| l.contains("zz-canary.html"));
    assert!(
        !canary.is_empty(),
        "the checker did not report the canary's error:\n{report}"
    );
    Some(errors.into_iter().map(str::to_owned).collect())
}
