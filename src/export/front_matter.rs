//! Front matter as the generators read it: YAML between `---` lines (Hugo, plain Markdown) and
//! TOML between `+++` lines (Zola). Every YAML string is double-quoted with every character YAML
//! does not allow raw (controls, DEL, C1 controls, the BOM, non-characters) written as an escape,
//! so no title can break the block or stop a YAML parser.

use std::fmt::Write as _;

use serde_json::Value;
use toml_writer::{TomlKeyBuilder, TomlStringBuilder, TomlWrite as _};

/// YAML front matter, in the order given; `Value::Null` entries are left out, objects become
/// nested maps.
pub(super) fn yaml<K: AsRef<str>>(fields: &[(K, Value)]) -> String {
    let mut out = String::from("---\n");
    for (key, value) in fields {
        push_yaml(&mut out, key.as_ref(), value, 0);
    }
    out.push_str("---\n");
    out
}

fn push_yaml(out: &mut String, key: &str, value: &Value, depth: usize) {
    let indent = "  ".repeat(depth);
    let key = key_colon(&yaml_key(key), &indent);
    match value {
        Value::Null => {}
        Value::Object(map) if map.is_empty() => {}
        Value::Object(map) => {
            out.push_str(&format!("{indent}{key}\n"));
            for (k, v) in map {
                push_yaml(out, k, v, depth + 1);
            }
        }
        Value::Array(items) if items.is_empty() => {}
        other => out.push_str(&format!("{indent}{key} {}\n", flow(other))),
    }
}

/// `key:`, or `? key` and `:` on the next line (at `indent`) for a key longer than the 1024
/// characters YAML allows an implicit key.
fn key_colon(key: &str, indent: &str) -> String {
    if key.chars().count() > 1000 {
        format!("? {key}\n{indent}:")
    } else {
        format!("{key}:")
    }
}

/// A value in YAML's flow style: strings double-quoted, lists as `[a, b]`, maps as `{k: v}`.
fn flow(value: &Value) -> String {
    match value {
        Value::String(text) => quoted(text),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(flow).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| {
                    // An explicit key (`? k : v`) has no length limit.
                    let explicit = if k.chars().count() > 1000 { "? " } else { "" };
                    format!("{explicit}{} : {}", quoted(k), flow(v))
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        // Null, booleans and numbers read back the same in their JSON spelling.
        other => other.to_string(),
    }
}

/// A YAML double-quoted string. YAML 1.2 lets only printable characters stand raw (tab, and
/// U+0020–U+007E, U+0085, U+00A0–U+D7FF, U+E000–U+FFFD, U+10000 up; `c-printable`); Go's and
/// Ruby's parsers reject the rest, DEL included, so those are written as `\uXXXX`. U+0085 and
/// the line and paragraph separators are escaped too: some parsers fold them as line breaks.
pub(super) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            '\u{a0}'..='\u{2027}' | '\u{202a}'..='\u{d7ff}' | '\u{e000}'..='\u{fefe}' => {
                out.push(c)
            }
            '\u{ff00}'..='\u{fffd}' | '\u{10000}'.. => out.push(c),
            // Everything else is in the Basic Multilingual Plane: one `\u` escape each.
            other => out.push_str(&format!("\\u{:04X}", u32::from(other))),
        }
    }
    out.push('"');
    out
}

/// A key as it is when it is a plain identifier that every YAML version reads as text,
/// quoted otherwise (`Related posts`, `2024`, `yes`, which YAML 1.1 reads as a boolean).
fn yaml_key(key: &str) -> String {
    const NOT_TEXT: &[&str] = &["y", "n", "yes", "no", "on", "off", "true", "false", "null"];
    if key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !NOT_TEXT.contains(&key.to_ascii_lowercase().as_str())
    {
        key.to_owned()
    } else {
        quoted(key)
    }
}

/// TOML front matter from a table: its plain values, then each table under its header; every
/// string on one line (a `"""` string could hold a `+++` line, which ends Zola's front matter).
pub(super) fn toml(table: &toml::Table) -> String {
    let mut out = String::from("+++\n");
    for (key, value) in table.iter().filter(|(_, v)| !v.is_table()) {
        push_toml_pair(&mut out, key, value);
    }
    for (key, value) in table {
        if let toml::Value::Table(inner) = value {
            out.push_str("\n[");
            let _ = out.key(TomlKeyBuilder::new(key).as_default());
            out.push_str("]\n");
            for (key, value) in inner {
                push_toml_pair(&mut out, key, value);
            }
        }
    }
    out.push_str("+++\n");
    out
}

fn push_toml_pair(out: &mut String, key: &str, value: &toml::Value) {
    let _ = out.key(TomlKeyBuilder::new(key).as_default());
    out.push_str(" = ");
    push_toml_value(out, value);
    out.push('\n');
}

/// A value in TOML's inline form, strings as one-line basic strings.
fn push_toml_value(out: &mut String, value: &toml::Value) {
    use toml::Value as V;
    let _ = match value {
        V::String(text) => out.value(TomlStringBuilder::new(text).as_basic()),
        V::Integer(i) => out.value(*i),
        V::Float(f) => out.value(*f),
        V::Boolean(b) => out.value(*b),
        V::Datetime(time) => write!(out, "{time}"),
        V::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_toml_value(out, item);
            }
            out.push(']');
            Ok(())
        }
        V::Table(table) => {
            out.push('{');
            for (i, (key, value)) in table.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = out.key(TomlKeyBuilder::new(key).as_default());
                out.push_str(" = ");
                push_toml_value(out, value);
            }
            out.push('}');
            Ok(())
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use yaml_rust2::{Yaml, YamlLoader};

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
            "---\ntitle: \"A: \\\"quoted\\\"\\n---\\nnot front matter\"\ndraft: false\ntags: [\"a\", \"b: c\"]\nparams:\n  notion_id: \"x\"\n  \"Related posts\": [\"y\"]\n---\n"
        );
    }

    /// YAML's `c-printable` set: the only characters a YAML stream may hold raw.
    fn printable(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}')
            || matches!(c, '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
    }

    /// The YAML front matter of `fields`, parsed back by a real YAML parser.
    fn parsed_yaml(fields: &[(&str, Value)]) -> Yaml {
        let text = yaml(fields);
        let bad: Vec<char> = text.chars().filter(|&c| !printable(c)).collect();
        assert!(bad.is_empty(), "{bad:?} written raw into:\n{text}");
        let body = text
            .strip_prefix("---\n")
            .and_then(|t| t.strip_suffix("---\n"))
            .unwrap();
        assert!(!body.contains("\n---") && !body.contains("\n..."), "{text}");
        YamlLoader::load_from_str(body)
            .unwrap_or_else(|e| panic!("{e}:\n{text}"))
            .remove(0)
    }

    /// The TOML front matter of a table holding `text` as a value and a key, parsed back.
    fn toml_round_trip(text: &str) {
        let mut table = toml::Table::new();
        table.insert("title".into(), toml::Value::String(text.to_owned()));
        let mut extra = toml::Table::new();
        extra.insert(text.to_owned(), toml::Value::Array(vec![text.into()]));
        table.insert("extra".into(), toml::Value::Table(extra));
        let written = toml(&table);
        let body = written
            .strip_prefix("+++\n")
            .and_then(|t| t.strip_suffix("+++\n"))
            .unwrap();
        assert!(!body.contains("\n+++"), "{written}");
        let parsed: toml::Table = body.parse().unwrap_or_else(|e| panic!("{e}:\n{written}"));
        assert_eq!(parsed, table, "{written}");
    }

    fn yaml_round_trip(text: &str) {
        let parsed = parsed_yaml(&[
            ("title", json!(text)),
            ("tags", json!([text, "plain"])),
            (
                "params",
                json!({ text: text, "files": [{"name": text, "url": text}] }),
            ),
        ]);
        assert_eq!(parsed["title"].as_str(), Some(text));
        assert_eq!(parsed["tags"][0].as_str(), Some(text));
        let params = &parsed["params"];
        let key = Yaml::String(text.to_owned());
        assert_eq!(params.as_hash().unwrap()[&key].as_str(), Some(text));
        assert_eq!(params["files"][0]["name"].as_str(), Some(text));
        assert_eq!(params["files"][0]["url"].as_str(), Some(text));
    }

    /// Strings that broke, or could break, a front matter block or the parsers reading it.
    fn adversarial() -> Vec<String> {
        let mut cases: Vec<String> = (0..=0x9f_u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_control())
            .map(|c| format!("a{c}b"))
            .collect();
        cases.extend(
            [
                "Title\u{7f}",
                "\u{feff}bom",
                "\u{fffe}\u{ffff}",
                "\u{2028}\u{2029}",
                "\u{85}",
                "\"quoted\"",
                "'single'",
                "a: b",
                "# comment",
                "a #b",
                "- item",
                "? key",
                "* alias",
                "& anchor",
                "! tag",
                "| literal",
                "> folded",
                "% directive",
                "@at",
                "`tick",
                "---",
                "a\n---\nb",
                "+++",
                "a\n+++\nb",
                "...",
                "[1, 2]",
                "{a: b}",
                "yes",
                "no",
                "on",
                "off",
                "true",
                "null",
                "~",
                "0x10",
                "1e3",
                "2026-03-01",
                "12:30",
                "\\",
                "\\n",
                "\t",
                " lead",
                "trail ",
                "",
                "é 日本 🦩",
                "\r\n",
            ]
            .map(str::to_owned),
        );
        cases.push("long ".repeat(20_000));
        cases
    }

    #[test]
    fn every_adversarial_string_reads_back_from_yaml_and_toml() {
        for case in adversarial() {
            yaml_round_trip(&case);
            toml_round_trip(&case);
        }
    }

    #[test]
    fn yaml_keys_that_are_not_plain_text_are_quoted() {
        let parsed = parsed_yaml(&[("params", json!({"yes": 1, "2024": 2, "Null": 3, "ok": 4}))]);
        let params = parsed["params"].as_hash().unwrap();
        for key in ["yes", "2024", "Null", "ok"] {
            assert!(
                params.contains_key(&Yaml::String(key.into())),
                "{key}: {params:?}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        #[test]
        fn any_string_reads_back_from_yaml_and_toml(text in "\\PC*|[\\x00-\\x{a0}\\x{2028}\\x{feff}\\x{fffe}\\x{ffff}:#'\"{}\\[\\]\\-?*&|>!%@`,+ ]{0,40}") {
            yaml_round_trip(&text);
            toml_round_trip(&text);
        }

        #[test]
        fn any_char_reads_back_from_yaml_and_toml(c in proptest::char::any()) {
            let text = format!("{c}{c}: {c}");
            yaml_round_trip(&text);
            toml_round_trip(&text);
        }
    }
}
