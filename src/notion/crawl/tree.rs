//! A page's block tree: fetched one level at a time, and kept whole.

use chrono::{DateTime, Duration, Utc};
use futures_util::future::{BoxFuture, try_join_all};
use serde::{Deserialize, Serialize};

use crate::notion::client::{NotionClient, NotionError};
use crate::notion::model::{Block, BlockKind, LinkTarget, Page};

/// Notion rounds `last_edited_time` down to the minute, so an edit made in the same minute as
/// a fetch is invisible to a comparison. A tree fetched less than this long after the page's
/// `last_edited_time` is not trusted and is fetched again next time.
const EDIT_GRANULARITY: i64 = 2;

/// A page and its whole block tree (each block's children under [`Block::children`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageTree {
    /// When the crawl asked for the tree's first level.
    pub fetched_at: DateTime<Utc>,
    /// The page object (properties, cover, icon).
    pub page: Page,
    /// The page's content, top level first.
    pub blocks: Vec<Block>,
}

impl PageTree {
    /// Whether this tree is still the page's content, given the page object Notion sends now.
    pub fn is_current_for(&self, page: &Page) -> bool {
        match (self.page.last_edited_time, page.last_edited_time) {
            (Some(stored), Some(now)) => {
                stored == now && self.fetched_at >= stored + Duration::minutes(EDIT_GRANULARITY)
            }
            _ => false,
        }
    }

    /// The ids of the child pages on this page, at any depth, in page order (trashed ones left
    /// out).
    pub(super) fn child_pages(&self) -> Vec<String> {
        let mut found = Vec::new();
        collect_child_pages(&self.blocks, &mut found);
        found
    }
}

impl PageTree {
    /// The ids of the databases this page shows, at any depth, in page order: its
    /// `child_database` blocks (whose id is the database's) and its links to databases.
    pub(super) fn databases(&self) -> Vec<String> {
        let mut found = Vec::new();
        collect_databases(&self.blocks, &mut found);
        found
    }
}

fn collect_databases(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks.iter().filter(|b| !b.in_trash) {
        match &block.kind {
            BlockKind::ChildDatabase { .. } => out.push(block.id.clone()),
            BlockKind::LinkToPage(LinkTarget::Database(id)) => out.push(id.clone()),
            _ => {}
        }
        collect_databases(&block.children, out);
    }
}

/// The children of `id`, each with its own children under `children`, to any depth. Each list
/// goes to `arrived` as Notion answers it, before its children are asked for.
pub(super) fn fetch_tree<'a>(
    client: &'a NotionClient,
    id: &'a str,
    arrived: &'a (dyn Fn(&[Block]) + Sync),
) -> BoxFuture<'a, Result<Vec<Block>, NotionError>> {
    Box::pin(async move {
        let mut blocks = client.block_children(id).await?;
        arrived(&blocks);
        let nested = blocks
            .iter()
            .enumerate()
            .filter(|(_, block)| has_own_children(block))
            .map(|(index, block)| async move {
                // One future per nesting level, each polling the next: polls run on a stack
                // that grows with the depth.
                let children = crate::deep::Grow(fetch_tree(client, &block.id, arrived)).await?;
                Ok::<_, NotionError>((index, children))
            });
        let nested = try_join_all(nested).await?;
        for (index, children) in nested {
            blocks[index].children = children;
        }
        Ok(blocks)
    })
}

/// Whether a block's children belong to this page's tree. A child page's or child database's
/// content is a page (or database) of its own; a synced copy's children endpoint returns the
/// original's content, which is exactly what the copy shows.
fn has_own_children(block: &Block) -> bool {
    block.has_children
        && !matches!(
            block.kind,
            BlockKind::ChildPage { .. } | BlockKind::ChildDatabase { .. }
        )
}

fn collect_child_pages(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        if matches!(block.kind, BlockKind::ChildPage { .. }) && !block.in_trash {
            out.push(block.id.clone());
        }
        crate::deep::grow(|| collect_child_pages(&block.children, out));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::notion::model::parse_time;

    fn block(value: serde_json::Value) -> Block {
        Block::from_value(&value)
    }

    fn tree(last_edited: &str, fetched_at: &str) -> PageTree {
        PageTree {
            fetched_at: parse_time(fetched_at).unwrap(),
            page: page(last_edited),
            blocks: Vec::new(),
        }
    }

    fn page(last_edited: &str) -> Page {
        Page::from_value(&json!({"object": "page", "id": "p", "last_edited_time": last_edited}))
    }

    #[test]
    fn a_tree_is_reused_only_while_last_edited_time_is_unchanged() {
        let stored = tree("2026-07-04T09:08:00.000Z", "2026-07-05T00:00:00Z");
        assert!(stored.is_current_for(&page("2026-07-04T09:08:00.000+00:00")));
        assert!(!stored.is_current_for(&page("2026-07-04T09:09:00.000Z")));
        assert!(!stored.is_current_for(&Page::from_value(&json!({}))));
    }

    #[test]
    fn a_tree_fetched_in_the_minute_of_its_last_edit_is_fetched_again() {
        let stored = tree("2026-07-04T09:08:00.000Z", "2026-07-04T09:08:40Z");
        assert!(!stored.is_current_for(&page("2026-07-04T09:08:00.000Z")));
    }

    #[test]
    fn child_page_and_database_content_is_not_part_of_the_tree() {
        let child_page = block(json!({"type": "child_page", "has_children": true}));
        let toggle = block(json!({"type": "toggle", "has_children": true}));
        let leaf = block(json!({"type": "paragraph", "has_children": false}));
        assert!(!has_own_children(&child_page));
        assert!(has_own_children(&toggle));
        assert!(!has_own_children(&leaf));
    }

    #[test]
    fn child_pages_are_found_at_any_depth_in_page_order() {
        let mut stored = tree("2026-07-04T09:08:00.000Z", "2026-07-05T00:00:00Z");
        stored.blocks = vec![
            block(json!({"type": "child_page", "id": "a", "child_page": {"title": "A"}})),
            block(json!({"type": "toggle", "id": "t", "children": [
                {"type": "child_page", "id": "b", "child_page": {"title": "B"}},
                {"type": "child_page", "id": "gone", "in_trash": true, "child_page": {"title": "G"}}
            ]})),
        ];
        assert_eq!(stored.child_pages(), ["a", "b"]);
    }
}
