//! Front matter as the generators read it: YAML between `---` lines (Hugo, plain Markdown) and
//! TOML between `+++` lines (Zola). Every YAML scalar is written as a JSON string, number or
//! boolean, which YAML reads as the same value, so no title can break the block.

use serde_json::Value;

/// YAML front matter, in the order given; `Value::Null` entries are left out, objects become
/// nested maps.
pub(super) fn yaml(fields: &[(&str, Value)]) -> String {
    let mut out = String::from("---\n");
    for (key, value) in fields {
        push_yaml(&mut out, key, value, 0);
    }
    out.push_str("---\n");
    out
}

fn push_yaml(out: &mut String, key: &str, value: &Value, depth: usize) {
    let indent = "  ".repeat(depth);
    let key = yaml_key(key);
    match value {
        Value::Null => {}
        Value::Object(map) if map.is_empty() => {}
        Value::Object(map) => {
            out.push_str(&format!("{indent}{key}:\n"));
            for (k, v) in map {
                push_yaml(out, k, v, depth + 1);
            }
        }
        Value::Array(items) if items.is_empty() => {}
        // Scalars and flow sequences of scalars are valid YAML in their JSON spelling.
        other => out.push_str(&format!("{indent}{key}: {other}\n")),
    }
}

/// A key as it is when it is a plain identifier, quoted otherwise (`Related posts`).
fn yaml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_owned()
    } else {
        Value::String(key.to_owned()).to_string()
    }
}

/// TOML front matter from a table.
pub(super) fn toml(table: &toml::Table) -> anyhow::Result<String> {
    Ok(format!("+++\n{}+++\n", toml::to_string(table)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_values_cannot_break_out_of_their_line() {
        let text = yaml(&[
            ("title", json!("A: \"quoted\"\n---\nnot front matter")),
            ("draft", json!(false)),
            ("tags", json!(["a", "b: c"])),
            ("description", Value::Null),
            ("params", json!({"notion_id": "x", "Related posts": ["y"]})),
        ]);
        assert_eq!(
            text,
            "---\ntitle: \"A: \\\"quoted\\\"\\n---\\nnot front matter\"\ndraft: false\ntags: [\"a\",\"b: c\"]\nparams:\n  notion_id: \"x\"\n  \"Related posts\": [\"y\"]\n---\n"
        );
    }
}
