//! Conformance of `notion::model` against the real recorded Notion API responses in
//! `../shared/fixtures/notion-api/` (see its README.md), plus tolerance cases no fixture shows.
//!
//! When `../shared` is absent (a fresh clone) the corpus tests print a notice and pass.

#[path = "conformance/audit.rs"]
mod audit;
#[path = "conformance/corpus.rs"]
mod corpus;

use audit::Audit;
use notion_bake::notion::model::{FileSource, Icon, PropertySchema, Response, RichText};
use serde_json::Value;

/// Parses one body through `Response::parse` and audits it; snippets without an `object`
/// (cut from responses by the fixtures' authors) go through the matching entry point.
fn audit_body(name: &str, bytes: &[u8], audit: &mut Audit) -> Result<(), String> {
    let response = Response::parse(bytes).map_err(|e| format!("{name}: {e}"))?;
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("{name}: {e}"))?;
    audit_value(name, &response, &value, audit);
    Ok(())
}

fn audit_value(name: &str, response: &Response, value: &Value, audit: &mut Audit) {
    match response {
        Response::Other { object, .. } if object.is_empty() => snippet(name, value, audit),
        _ => audit.response(response, name),
    }
    audit.raw(value, name);
}

fn snippet(name: &str, value: &Value, audit: &mut Audit) {
    let kind = value["type"].as_str().unwrap_or_default();
    if let Some(items) = value.as_array() {
        // Bare arrays: `rich_text_array.json` (runs), `endpoints__blocks__synced_from_block.json`
        // (blocks).
        for (i, item) in items.iter().enumerate() {
            let path = format!("{name}[{i}]");
            match Response::from_value(item.clone()) {
                Response::Other { object, .. } if object.is_empty() => {
                    snippet(&path, item, audit)
                }
                response => audit.response(&response, &path),
            }
        }
    } else if value["plain_text"].is_string() {
        let run: RichText = serde_json::from_value(value.clone()).expect("rich text");
        audit.rich_text(&run, name);
    } else if value.get("rich_text").is_some() && value.get("icon").is_some() {
        let block = serde_json::json!({"object": "block", "id": name, "type": "callout", "callout": value});
        audit.raw(&block, name);
        let response = Response::from_value(block);
        audit.response(&response, name);
    } else if value["id"].is_string() && value["name"].is_string() && !kind.is_empty() {
        let name_of = value["name"].as_str().unwrap_or_default();
        audit.schema(&PropertySchema::from_value(name_of, value), name);
    } else if matches!(kind, "emoji" | "icon" | "custom_emoji") {
        match Icon::from_value(value) {
            Some(icon) => audit.icon(&icon, name),
            None => audit.problems.push(format!("{name}: icon not read")),
        }
    } else if matches!(kind, "file" | "external" | "file_upload") {
        match FileSource::from_value(value) {
            Some(file) => audit.file(&file, name),
            None => audit.problems.push(format!("{name}: file not read")),
        }
    } else {
        // `list_data_source_templates_*` and `template_object`: data source templates,
        // which notion-bake does not read.
        let keys: Vec<&str> = value
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        println!("  not modelled: {name}");
        *audit
            .counts
            .entry(format!("not modelled ({})", keys.join(",")))
            .or_default() += 1;
    }
}

#[test]
fn every_recorded_response_parses_into_the_model() {
    let Some(dir) = corpus::fixtures_or_notice("every_recorded_response_parses_into_the_model")
    else {
        return;
    };
    let mut audit = Audit::default();
    let mut failures = Vec::new();

    let files = corpus::json_files(&dir);
    for doc in &files {
        if let Err(e) = audit_body(&doc.name, &doc.bytes, &mut audit) {
            failures.push(e);
        }
    }

    let cassettes = corpus::cassette_files(&dir);
    let mut bodies = 0;
    for (name, path) in &cassettes {
        match corpus::cassette_bodies(name, path) {
            Ok(docs) => {
                for doc in docs {
                    bodies += 1;
                    if let Err(e) = audit_body(&doc.name, &doc.bytes, &mut audit) {
                        failures.push(e);
                    }
                }
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }

    let examples = corpus::openapi_examples(&dir);
    for (name, value) in &examples {
        let response = Response::from_value(value.clone());
        audit_value(name, &response, value, &mut audit);
    }

    println!(
        "conformance: parsed {} JSON files, {} response bodies from {} YAML cassettes, \
         {} OpenAPI response examples ({} documents)",
        files.len(),
        bodies,
        cassettes.len(),
        examples.len(),
        files.len() + bodies + examples.len()
    );
    for (kind, n) in &audit.counts {
        println!("  {n:>5} {kind}");
    }
    for (kind, n) in &audit.unknown {
        println!("  kept as Unknown: {n} × {kind}");
    }

    assert!(files.len() >= 200, "expected the ~210 JSON fixtures, found {}", files.len());
    assert!(cassettes.len() >= 18 && bodies >= 60, "cassettes: {}, bodies: {bodies}", cassettes.len());
    failures.extend(audit.problems);
    assert!(
        failures.is_empty(),
        "{} problem(s) parsing the recorded responses:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
