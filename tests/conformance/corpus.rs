//! Loading the recorded Notion API responses of `../shared/fixtures/notion-api`.

use std::path::{Path, PathBuf};

use serde_json::Value;
use yaml_rust2::YamlLoader;

/// The OpenAPI spec: not a response. Its embedded response examples are parsed instead.
pub const OPENAPI: &str = "notion-mcp-server/notion-openapi.json";

/// One response body of the corpus.
pub struct Doc {
    /// The file's path under the fixtures folder, `#interaction N` for a cassette's bodies,
    /// `#/paths/…` for an OpenAPI example.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Where the fixtures are: `../shared/fixtures/notion-api` beside the repository, or the folder
/// named by `NOTION_API_FIXTURES` (for a git worktree that does not sit beside `shared/`).
pub fn fixtures_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("NOTION_API_FIXTURES") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/fixtures/notion-api"
        )),
    };
    dir.is_dir().then_some(dir)
}

/// The fixtures folder, or a printed notice and `None` (a fresh clone has no `../shared`).
pub fn fixtures_or_notice(test: &str) -> Option<PathBuf> {
    let dir = fixtures_dir();
    if dir.is_none() {
        eprintln!(
            "NOTICE: {test}: skipped, the Notion API fixtures are absent \
             (expected at {}/../shared/fixtures/notion-api, or set NOTION_API_FIXTURES)",
            env!("CARGO_MANIFEST_DIR")
        );
    }
    dir
}

/// Every JSON file (except the OpenAPI spec), sorted by path.
pub fn json_files(dir: &Path) -> Vec<Doc> {
    files_with(dir, &["json"])
        .into_iter()
        .filter(|(name, _)| name != OPENAPI)
        .map(|(name, path)| Doc {
            bytes: std::fs::read(&path).unwrap_or_else(|e| panic!("reading {name}: {e}")),
            name,
        })
        .collect()
}

/// The YAML cassettes (VCR recordings) by path.
pub fn cassette_files(dir: &Path) -> Vec<(String, PathBuf)> {
    files_with(dir, &["yaml", "yml"])
}

/// The response bodies (`interactions[].response.body.string`) of one cassette.
pub fn cassette_bodies(name: &str, path: &Path) -> Result<Vec<Doc>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("reading: {e}"))?;
    let docs = YamlLoader::load_from_str(&text).map_err(|e| format!("YAML: {e}"))?;
    let interactions = docs
        .first()
        .and_then(|doc| doc["interactions"].as_vec())
        .ok_or("no `interactions` list")?;
    interactions
        .iter()
        .enumerate()
        .map(|(i, interaction)| {
            let body = interaction["response"]["body"]["string"]
                .as_str()
                .ok_or_else(|| format!("interaction {i}: no response.body.string"))?;
            Ok(Doc {
                name: format!("{name}#interaction {i}"),
                bytes: body.as_bytes().to_vec(),
            })
        })
        .collect()
}

/// The response examples embedded in the OpenAPI spec
/// (`paths.<p>.<method>.responses.<status>.content.application/json.examples.<name>.value`),
/// leaving out the empty placeholders (`{}`).
pub fn openapi_examples(dir: &Path) -> Vec<(String, Value)> {
    let Ok(bytes) = std::fs::read(dir.join(OPENAPI)) else {
        return Vec::new();
    };
    let spec: Value = serde_json::from_slice(&bytes).expect("the OpenAPI spec is JSON");
    let mut examples = Vec::new();
    let objects = |v: &Value| v.as_object().cloned().unwrap_or_default();
    for (path, methods) in objects(&spec["paths"]) {
        for (method, operation) in objects(&methods) {
            for (status, response) in objects(&operation["responses"]) {
                let content = &response["content"]["application/json"]["examples"];
                for (example, body) in objects(content) {
                    let value = &body["value"];
                    if value.as_object().is_some_and(|o| !o.is_empty()) {
                        examples.push((
                            format!("{OPENAPI}#{path} {method} {status} {example}"),
                            value.clone(),
                        ));
                    }
                }
            }
        }
    }
    examples
}

fn files_with(dir: &Path, extensions: &[&str]) -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.expect("walking the fixtures"))
        .filter(|entry| entry.file_type().is_file())
        .filter(|entry| {
            entry
                .path()
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
        })
        .map(|entry| {
            let name = entry
                .path()
                .strip_prefix(dir)
                .expect("under the fixtures folder")
                .to_string_lossy()
                .replace('\\', "/");
            (name, entry.path().to_path_buf())
        })
        .collect();
    files.sort();
    files
}
