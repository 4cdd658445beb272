//! Blog posts from database rows, with the property mapping of `[blog.properties]`.

use chrono::{DateTime, Utc};

use super::slug::{clean_explicit_slug, slugify};
use crate::config::PropertyNames;
use crate::notion::model::{Block, BlockKind, Page, PropertyValue, plain_text};

/// One blog post.
#[derive(Debug, Clone)]
pub struct Post {
    /// The database row, with its properties.
    pub page: Page,
    /// The post's content.
    pub blocks: Vec<Block>,
    /// The row's title, as plain text.
    pub title: String,
    /// The URL segment: the Slug property if set, else made from the title, else the short id.
    pub slug: String,
    /// Site-relative path, `posts/<slug>/` (set by the site once slugs are settled).
    pub path: String,
    /// The Date property, or the page's creation time.
    pub date: DateTime<Utc>,
    /// The page's last edit.
    pub updated: Option<DateTime<Utc>>,
    /// The Tags property (a multi-select or a select).
    pub tags: Vec<String>,
    /// The Description property, or else the start of the first paragraph.
    pub description: Option<String>,
    /// The Published property (a checkbox, or a status/select equal to "Published").
    pub published: bool,
    /// Where the row came in the database query (Notion's order).
    pub position: usize,
}

impl Post {
    /// Reads a post from a database row and its blocks.
    pub(crate) fn from_page(page: Page, blocks: Vec<Block>, names: &PropertyNames) -> Post {
        let property = |name: &str| page.properties.get(name);
        let title = page.title();
        let slug = match property(&names.slug).map(PropertyValue::plain_text) {
            Some(explicit) if !explicit.trim().is_empty() => clean_explicit_slug(&explicit),
            _ => slugify(&title),
        };
        let date = match property(&names.date) {
            Some(PropertyValue::Date(Some(date))) => date.start_time(),
            _ => None,
        }
        .or(page.created_time)
        .unwrap_or_default();
        let tags = match property(&names.tags) {
            Some(PropertyValue::MultiSelect(options)) => {
                options.iter().map(|o| o.name.clone()).collect()
            }
            Some(PropertyValue::Select(Some(option))) => vec![option.name.clone()],
            _ => Vec::new(),
        };
        let published = match property(&names.published) {
            Some(PropertyValue::Checkbox(checked)) => *checked,
            Some(PropertyValue::Status(option) | PropertyValue::Select(option)) => option
                .as_ref()
                .is_some_and(|o| o.name.eq_ignore_ascii_case("published")),
            // Without a Published property every row is a post.
            _ => true,
        };
        let description = property(&names.description)
            .map(PropertyValue::plain_text)
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty())
            .or_else(|| first_paragraph(&blocks));
        Post {
            position: 0,
            path: String::new(),
            updated: page.last_edited_time,
            slug: if slug.is_empty() {
                short_id(&page.id)
            } else {
                slug
            },
            title,
            date,
            tags,
            description,
            published,
            page,
            blocks,
        }
    }
}

/// The text of the first non-empty paragraph, trimmed to about 200 characters.
fn first_paragraph(blocks: &[Block]) -> Option<String> {
    let text = blocks.iter().find_map(|block| match &block.kind {
        BlockKind::Paragraph(p) => Some(plain_text(&p.rich_text)).filter(|t| !t.trim().is_empty()),
        _ => None,
    })?;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= 200 {
        return Some(text);
    }
    let cut: String = text.chars().take(200).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    Some(format!(
        "{}…",
        at_word.trim_end_matches([',', ';', ':', '.'])
    ))
}

/// The first 8 hex digits of a Notion id: a slug of last resort.
pub fn short_id(id: &str) -> String {
    id.chars().filter(char::is_ascii_hexdigit).take(8).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn row(properties: serde_json::Value, blocks: Vec<serde_json::Value>) -> Post {
        let page = Page::from_value(&json!({
            "object": "page", "id": "0123456789abcdef0123456789abcdef",
            "created_time": "2026-01-02T03:04:00.000Z", "properties": properties
        }));
        let blocks = blocks.iter().map(Block::from_value).collect();
        Post::from_page(page, blocks, &PropertyNames::default())
    }

    fn text(s: &str) -> serde_json::Value {
        json!([{"type": "text", "text": {"content": s}, "plain_text": s}])
    }

    #[test]
    fn properties_map_to_post_fields() {
        let post = row(
            json!({
                "Name": {"type": "title", "title": text("Hello Wörld")},
                "Slug": {"type": "rich_text", "rich_text": text("hi-there")},
                "Date": {"type": "date", "date": {"start": "2025-12-24"}},
                "Tags": {"type": "multi_select", "multi_select": [{"name": "Rust"}, {"name": "Notes"}]},
                "Published": {"type": "checkbox", "checkbox": true},
                "Description": {"type": "rich_text", "rich_text": text(" About things ")}
            }),
            vec![],
        );
        assert_eq!(post.title, "Hello Wörld");
        assert_eq!(post.slug, "hi-there");
        assert_eq!(post.date.to_rfc3339(), "2025-12-24T00:00:00+00:00");
        assert_eq!(post.tags, ["Rust", "Notes"]);
        assert!(post.published);
        assert_eq!(post.description.as_deref(), Some("About things"));
    }

    #[test]
    fn missing_fields_fall_back() {
        let post = row(
            json!({
                "Name": {"type": "title", "title": text("Crème brûlée")},
                "Published": {"type": "status", "status": {"name": "Draft"}}
            }),
            vec![
                json!({"object": "block", "id": "b", "type": "paragraph", "paragraph": {"rich_text": text("  First   words. ")}}),
            ],
        );
        assert_eq!(post.slug, "creme-brulee");
        assert_eq!(post.date.to_rfc3339(), "2026-01-02T03:04:00+00:00");
        assert!(!post.published);
        assert_eq!(post.description.as_deref(), Some("First words."));
    }

    #[test]
    fn a_long_first_paragraph_is_cut_at_a_word() {
        let long = "word ".repeat(100);
        let description = first_paragraph(&[Block::from_value(
            &json!({"id": "b", "type": "paragraph", "paragraph": {"rich_text": text(&long)}}),
        )])
        .unwrap();
        assert!(description.ends_with("word…"), "{description}");
        assert!(description.chars().count() <= 201);
    }
}
