//! Local Markdown pages: `SITE_DIR/content/*.md` with TOML front matter between `+++` lines,
//! rendered with pulldown-cmark into the same templates as Notion pages.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, Utc};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};
use serde::Deserialize;

use super::slug::slugify;

/// One Markdown page.
#[derive(Debug, Clone)]
pub struct Document {
    /// The front matter's title (required).
    pub title: String,
    /// Site-relative path with a trailing slash, e.g. `colophon/`.
    pub path: String,
    /// The front matter's date, if any.
    pub date: Option<DateTime<Utc>>,
    /// The front matter's description, if any.
    pub description: Option<String>,
    /// The rendered body.
    pub html: String,
    /// Where it came from, for messages.
    pub source: std::path::PathBuf,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    path: Option<String>,
    date: Option<toml::value::Datetime>,
    description: Option<String>,
    #[serde(default)]
    draft: bool,
}

/// Every non-draft `*.md` file directly in `dir` (none when it does not exist), sorted by path.
pub fn load_documents(dir: &Path) -> anyhow::Result<Vec<Document>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
    };
    let mut documents = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if let Some(document) = parse(&path, &text)? {
            documents.push(document);
        }
    }
    documents.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(documents)
}

/// Parses one file; `None` for a draft.
fn parse(source: &Path, text: &str) -> anyhow::Result<Option<Document>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text.strip_prefix("+++") else {
        bail!(
            "{} has no front matter: start it with a `+++` line, `title = \"…\"`, and another `+++` line",
            source.display()
        );
    };
    let Some((front, body)) = rest.split_once("\n+++") else {
        bail!(
            "{}: the front matter has no closing `+++` line",
            source.display()
        );
    };
    let front: FrontMatter = toml::from_str(front)
        .with_context(|| format!("{}: invalid front matter", source.display()))?;
    if front.draft {
        return Ok(None);
    }
    let stem = source
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let path = match &front.path {
        Some(path) => {
            let clean: Vec<String> = path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(slugify)
                .collect();
            if clean.iter().any(String::is_empty) || clean.is_empty() {
                bail!(
                    "{}: `path = {path:?}` must be a relative URL path such as \"colophon\"",
                    source.display()
                );
            }
            clean.join("/")
        }
        None => slugify(stem),
    };
    let date = front.date.as_ref().and_then(toml_date);
    Ok(Some(Document {
        title: front.title,
        path: format!("{path}/"),
        date,
        description: front.description,
        html: render(body.trim_start_matches(['\r', '\n'])),
        source: source.to_owned(),
    }))
}

fn toml_date(value: &toml::value::Datetime) -> Option<DateTime<Utc>> {
    let text = value.to_string();
    crate::notion::model::parse_time(&text).or_else(|| {
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .ok()?
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc())
    })
}

/// Markdown → HTML with tables, footnotes, strikethrough, task lists and heading anchors.
pub(super) fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION;
    let events: Vec<Event> = Parser::new_ext(markdown, options).collect();
    let events = with_heading_anchors(events);
    let mut out = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut out, events.into_iter());
    out
}

/// Gives every heading without an explicit `{#id}` a unique id from its text.
fn with_heading_anchors(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut used: HashSet<String> = HashSet::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = Some(slugify(&text))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "section".to_owned());
            let mut anchor = base.clone();
            let mut n = 1;
            while !used.insert(anchor.clone()) {
                n += 1;
                anchor = format!("{base}-{n}");
            }
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(anchor.into());
            }
        }
        i += 1;
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_and_body_become_a_document() {
        let text = "+++\ntitle = \"Colophon\"\ndate = 2026-03-01\n+++\n\n# How it's made\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ and a note[^1].\n\n[^1]: The note.\n";
        let document = parse(Path::new("content/colophon.md"), text)
            .unwrap()
            .unwrap();
        assert_eq!(document.title, "Colophon");
        assert_eq!(document.path, "colophon/");
        assert_eq!(
            document.date.unwrap().to_rfc3339(),
            "2026-03-01T00:00:00+00:00"
        );
        assert!(
            document.html.contains("<h1 id=\"how-it-s-made\">"),
            "{}",
            document.html
        );
        assert!(document.html.contains("<table>"));
        assert!(document.html.contains("type=\"checkbox\""));
        assert!(document.html.contains("<del>old</del>"));
        assert!(document.html.contains("footnote"));
    }

    #[test]
    fn drafts_are_skipped_and_bad_front_matter_names_the_file() {
        assert!(
            parse(Path::new("a.md"), "+++\ntitle = \"x\"\ndraft = true\n+++\n")
                .unwrap()
                .is_none()
        );
        let error = parse(Path::new("content/b.md"), "+++\ntitel = \"x\"\n+++\n").unwrap_err();
        assert!(format!("{error:#}").contains("content/b.md"), "{error:#}");
        assert!(format!("{error:#}").contains("titel"), "{error:#}");
        assert!(parse(Path::new("c.md"), "# no front matter").is_err());
    }

    #[test]
    fn repeated_headings_get_unique_anchors() {
        let html = render("## Notes\n\n## Notes\n");
        assert!(
            html.contains("id=\"notes\"") && html.contains("id=\"notes-2\""),
            "{html}"
        );
    }
}
