//! Heading anchors and the table of contents: one pass assigns every heading a unique id, which
//! both the heading and the table of contents (block or template) use.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::notion::model::{Block, BlockKind, plain_text};

/// Ids the built-in templates use; headings never take them.
const RESERVED: &[&str] = &["main", "content", "top", "toc", "footnotes", "comments"];

/// One heading in the table of contents, with the headings nested under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TocEntry {
    /// 1–4, as in Notion's `heading_1` … `heading_4`.
    level: u8,
    /// The heading's anchor id (link to `#{{ id }}`).
    pub(crate) id: String,
    /// The heading as plain text.
    pub(crate) title: String,
    pub(crate) children: Vec<TocEntry>,
}

/// The headings of a page: anchor ids by block id, and the nested table of contents.
#[derive(Debug, Clone, Default)]
pub(crate) struct Headings {
    ids: HashMap<String, String>,
    /// The HTML heading level (2–6) of each heading block, by block id.
    tags: HashMap<String, u8>,
    /// The nested table of contents.
    pub(crate) toc: Vec<TocEntry>,
}

impl Headings {
    /// Collects the headings of a block tree in document order.
    pub(crate) fn collect(blocks: &[Block]) -> Headings {
        let mut flat = Vec::new();
        let mut used: HashSet<String> = RESERVED.iter().map(|s| (*s).to_owned()).collect();
        let mut ids = HashMap::new();
        let mut order = Vec::new();
        walk(blocks, &mut |block| {
            if let BlockKind::Heading { level, text } = &block.kind {
                let title = plain_text(&text.rich_text).trim().to_owned();
                let id = unique(&slugify(&title), &mut used);
                ids.insert(block.id.clone(), id.clone());
                order.push(block.id.clone());
                flat.push(TocEntry {
                    level: *level,
                    id,
                    title,
                    children: Vec::new(),
                });
            }
        });
        // The page title is the <h1>. The page's topmost Notion level becomes <h2>, and no
        // heading skips a level after the one before it (a page that starts with heading_3
        // gets <h2>, not <h4>), so the outline stays valid HTML.
        let mut tags = HashMap::new();
        let top = flat.iter().map(|h| h.level).min().unwrap_or(1);
        let mut previous = 1;
        for (heading, block_id) in flat.iter().zip(&order) {
            let tag = (heading.level - top + 2).min(previous + 1);
            tags.insert(block_id.clone(), tag);
            previous = tag;
        }
        Headings {
            ids,
            tags,
            toc: nest(flat),
        }
    }

    /// The HTML level (`2` for `<h2>`, …) of a heading block.
    pub(crate) fn tag_of(&self, block_id: &str) -> Option<u8> {
        self.tags.get(block_id).copied()
    }

    /// The anchor id of a heading block.
    pub(crate) fn id_of(&self, block_id: &str) -> Option<&str> {
        self.ids.get(block_id).map(String::as_str)
    }
}

fn walk<'b>(blocks: &'b [Block], visit: &mut impl FnMut(&'b Block)) {
    for block in blocks.iter().filter(|b| !b.in_trash) {
        visit(block);
        // A child page's content is another page; a table's rows hold no headings.
        if !matches!(
            block.kind,
            BlockKind::ChildPage { .. } | BlockKind::Table(_)
        ) {
            crate::deep::grow(|| walk(&block.children, visit));
        }
    }
}

/// An anchor id: the site's slug (ASCII, lowercase, words joined by `-`), never empty and
/// never starting with a digit.
pub(crate) fn slugify(text: &str) -> String {
    let slug = crate::site::slugify(text);
    if slug.is_empty() {
        "section".to_owned()
    } else if slug.as_bytes()[0].is_ascii_digit() {
        format!("h-{slug}")
    } else {
        slug
    }
}

fn unique(slug: &str, used: &mut HashSet<String>) -> String {
    let mut candidate = slug.to_owned();
    let mut n = 1;
    while used.contains(&candidate) {
        n += 1;
        candidate = format!("{slug}-{n}");
    }
    used.insert(candidate.clone());
    candidate
}

/// Nests a flat list of headings: each heading holds the deeper ones that follow it.
fn nest(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    fn insert(into: &mut Vec<TocEntry>, entry: TocEntry) {
        match into.last_mut() {
            Some(last) if entry.level > last.level => insert(&mut last.children, entry),
            _ => into.push(entry),
        }
    }
    let mut out = Vec::new();
    for entry in flat {
        insert(&mut out, entry);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_unique() {
        assert_eq!(slugify("Héllo, Wörld!"), "hello-world");
        assert_eq!(slugify("2024 plans"), "h-2024-plans");
        assert_eq!(slugify("???"), "section");
        let mut used = HashSet::new();
        assert_eq!(unique("a", &mut used), "a");
        assert_eq!(unique("a", &mut used), "a-2");
        assert_eq!(unique("a", &mut used), "a-3");
    }
}

#[cfg(test)]
mod level_tests {
    use serde_json::json;

    use super::*;

    fn heading(id: &str, level: u8) -> Block {
        Block::from_value(&json!({
            "id": id, "type": format!("heading_{level}"),
            format!("heading_{level}"): {"rich_text": [{"type": "text", "text": {"content": id}, "plain_text": id}]}
        }))
    }

    #[test]
    fn html_levels_start_at_h2_and_never_skip() {
        let blocks = [
            heading("a", 2),
            heading("b", 4),
            heading("c", 3),
            heading("d", 2),
        ];
        let headings = Headings::collect(&blocks);
        let tags: Vec<_> = ["a", "b", "c", "d"]
            .iter()
            .map(|id| headings.tag_of(id).unwrap())
            .collect();
        assert_eq!(tags, [2, 3, 3, 2]);
    }
}
