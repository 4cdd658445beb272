//! The files users copy or run from CI must stay valid: the example workflow, the GitHub
//! Action (`action.yml`) and its script, and the release packaging that both it and
//! `cargo binstall` download from (run here against a local "release" folder).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use yaml_rust2::{Yaml, YamlLoader};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn yaml(path: &str) -> Yaml {
    let text = std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap();
    YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .remove(0)
}

#[test]
fn the_example_workflow_uses_the_action_on_a_schedule_and_compiles_nothing() {
    let workflow = yaml("examples/github-pages.yml");
    assert!(
        !workflow["on"]["schedule"].is_badvalue(),
        "runs on a schedule"
    );
    let steps = workflow["jobs"]["build"]["steps"].as_vec().unwrap();
    let bake = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.contains("/notion-bake@"))
        })
        .expect("a step uses the notion-bake action");
    assert_eq!(bake["with"]["command"].as_str(), Some("build"));
    assert!(bake["env"]["NOTION_TOKEN"].as_str().is_some());
    let text = std::fs::read_to_string(Path::new(ROOT).join("examples/github-pages.yml")).unwrap();
    assert!(!text.contains("cargo install"), "no compiling on every run");
}

#[test]
fn the_action_has_its_inputs_keeps_the_cache_and_runs_its_script() {
    let action = yaml("action.yml");
    let inputs = &action["inputs"];
    for (name, default) in [
        ("site", "."),
        ("version", "latest"),
        ("command", "build"),
        ("check", "true"),
    ] {
        assert_eq!(inputs[name]["default"].as_str(), Some(default), "{name}");
    }
    assert!(action["outputs"]["changed"]["value"].as_str().is_some());
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let steps = action["runs"]["steps"].as_vec().unwrap();
    let cache = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .expect("the cache step");
    assert_eq!(
        cache["with"]["path"].as_str(),
        Some("${{ inputs.site }}/.notion-bake")
    );
    let scripts: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert_eq!(
        scripts,
        [
            "\"$GITHUB_ACTION_PATH/scripts/action.sh\" install",
            "\"$GITHUB_ACTION_PATH/scripts/action.sh\" run"
        ]
    );
}

#[test]
fn the_release_workflow_packs_every_platform_with_the_script() {
    let workflow = yaml(".github/workflows/release.yml");
    assert_eq!(workflow["on"]["push"]["tags"][0].as_str(), Some("v*"));
    let targets: Vec<&str> = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "x86_64-unknown-linux-gnu",
            "aarch64-unknown-linux-gnu",
            "x86_64-apple-darwin",
            "aarch64-apple-darwin",
            "x86_64-pc-windows-msvc"
        ]
    );
    let text =
        std::fs::read_to_string(Path::new(ROOT).join(".github/workflows/release.yml")).unwrap();
    assert!(text.contains("scripts/release.sh package"));
    assert!(text.contains("scripts/release.sh sums"));
}

/// The runner (`RUNNER_OS`, `RUNNER_ARCH`) and release target of this machine, as the action
/// maps them.
fn this_runner() -> Option<(&'static str, &'static str, &'static str)> {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => Some(("Linux", "X64", "x86_64-unknown-linux-gnu")),
        ("linux", "aarch64") => Some(("Linux", "ARM64", "aarch64-unknown-linux-gnu")),
        ("macos", "x86_64") => Some(("macOS", "X64", "x86_64-apple-darwin")),
        ("macos", "aarch64") => Some(("macOS", "ARM64", "aarch64-apple-darwin")),
        _ => None,
    }
}

fn script(args: &[&str]) -> Command {
    let mut command = Command::new("bash");
    command.arg(Path::new(ROOT).join("scripts").join(args[0]));
    command.args(&args[1..]);
    command
}

fn ok(output: Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// `{ key }` placeholders of a binstall template replaced.
fn render(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (key, value)| {
            text.replace(&format!("{{ {key} }}"), value)
        })
}

#[test]
fn the_action_installs_the_packed_release_checks_its_checksum_and_says_what_changed() {
    let Some((os, arch, target)) = this_runner() else {
        eprintln!("SKIPPED: no release target for this machine");
        return;
    };
    if Command::new("curl").arg("--version").output().is_err() {
        if std::env::var_os("CI").is_some() {
            panic!("CI is set but curl is not installed");
        }
        eprintln!("SKIPPED the_action_installs_the_packed_release…: no curl");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bins = dir.path().join("bins");
    std::fs::create_dir(&bins).unwrap();
    for bin in [
        env!("CARGO_BIN_EXE_notion-bake"),
        env!("CARGO_BIN_EXE_mdbook-notion-bake"),
    ] {
        std::fs::copy(bin, bins.join(Path::new(bin).file_name().unwrap())).unwrap();
    }

    // The release, laid out as GitHub serves it: …/releases/download/v0.1.0/<archive>.
    let version = env!("CARGO_PKG_VERSION");
    let tag_dir = dir.path().join(format!("releases/download/v{version}"));
    let packed = ok(script(&["release.sh", "package", target])
        .arg(&bins)
        .arg(&tag_dir)
        .output()
        .unwrap());
    let archive = PathBuf::from(packed.trim());
    assert_eq!(
        archive.file_name().unwrap().to_str().unwrap(),
        format!("notion-bake-{target}.tar.gz")
    );
    ok(script(&["release.sh", "sums"])
        .arg(&tag_dir)
        .output()
        .unwrap());
    let sums = std::fs::read_to_string(tag_dir.join("SHA256SUMS")).unwrap();
    assert!(
        sums.ends_with(&format!("  notion-bake-{target}.tar.gz\n")),
        "{sums}"
    );
    let latest = dir.path().join("releases/latest/download");
    std::fs::create_dir_all(&latest).unwrap();
    for entry in std::fs::read_dir(&tag_dir).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), latest.join(entry.file_name())).unwrap();
    }

    // Cargo.toml's binstall templates point at that archive and the binaries in it.
    let manifest: toml::Value =
        toml::from_str(&std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).unwrap())
            .unwrap();
    let binstall = &manifest["package"]["metadata"]["binstall"];
    assert_eq!(binstall["pkg-fmt"].as_str(), Some("tgz"));
    // binstall's `{ repo }` is the package's `repository`: without it there is no URL at all.
    let repository = manifest["package"]["repository"]
        .as_str()
        .expect("Cargo.toml names the repository that publishes the releases");
    assert!(
        repository.starts_with("https://github.com/") && !repository.ends_with('/'),
        "binstall appends /releases/… to {repository:?}"
    );
    let repo = dir.path().to_str().unwrap();
    let values = [
        ("repo", repo),
        ("version", version),
        ("name", "notion-bake"),
        ("target", target),
        ("binary-ext", ""),
    ];
    let url = render(binstall["pkg-url"].as_str().unwrap(), &values);
    assert_eq!(Path::new(&url), archive);

    let install = |version: &str, runner: &Path| {
        let github_path = runner.join("path");
        let output = script(&["action.sh", "install"])
            .env("NB_VERSION", version)
            .env(
                "NB_RELEASES",
                format!("file://{}", dir.path().join("releases").display()),
            )
            .env("RUNNER_OS", os)
            .env("RUNNER_ARCH", arch)
            .env("RUNNER_TEMP", runner)
            .env("GITHUB_PATH", &github_path)
            .output()
            .unwrap();
        let path = std::fs::read_to_string(&github_path).unwrap_or_default();
        (output, PathBuf::from(path.trim()))
    };
    for asked in [version, &format!("v{version}"), "latest"] {
        let runner = tempfile::tempdir().unwrap();
        let (output, bin_dir) = install(asked, runner.path());
        let said = ok(output);
        assert!(said.contains(&format!("notion-bake {version}")), "{said}");
        for bin in ["notion-bake", "mdbook-notion-bake"] {
            let rendered = render(
                binstall["bin-dir"].as_str().unwrap(),
                &[values.as_slice(), &[("bin", bin)]].concat(),
            );
            assert_eq!(
                bin_dir.join(bin),
                runner.path().join("notion-bake-install").join(rendered),
                "the action and binstall find {bin} at the same place"
            );
            assert!(bin_dir.join(bin).is_file());
        }
    }

    // A damaged download is refused.
    let mut bytes = std::fs::read(&archive).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(latest.join(archive.file_name().unwrap()), bytes).unwrap();
    let runner = tempfile::tempdir().unwrap();
    let (output, bin_dir) = install("latest", runner.path());
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("does not match its checksum"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(bin_dir, PathBuf::new(), "nothing is put on the PATH");

    // The run step: build and check the example site, then say whether public/ changed.
    let site = dir.path().join("site");
    support::copy_example_site(&site);
    let runner = tempfile::tempdir().unwrap();
    let (output, bin_dir) = install(version, runner.path());
    ok(output);
    let run = || {
        let github_output = runner.path().join("output");
        std::fs::write(&github_output, "").unwrap();
        let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap());
        ok(script(&["action.sh", "run"])
            .env("PATH", path)
            .env("NB_SITE", &site)
            .env("NB_COMMAND", "build")
            .env("NB_CHECK", "true")
            .env("GITHUB_OUTPUT", &github_output)
            .env_remove("NOTION_TOKEN")
            .output()
            .unwrap());
        std::fs::read_to_string(&github_output).unwrap()
    };
    assert_eq!(run(), "changed=true\n", "the first run");
    assert_eq!(run(), "changed=false\n", "nothing changed");
    let colophon = site.join("content/colophon.md");
    let text = std::fs::read_to_string(&colophon).unwrap();
    std::fs::write(&colophon, format!("{text}\nOne more line.\n")).unwrap();
    assert_eq!(run(), "changed=true\n", "a page changed");
}
