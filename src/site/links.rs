//! Where every Notion page and database of the site lives, and what a link found in Notion
//! content points at. Paths are site-relative (`posts/hello/`); each renderer spells them as
//! URLs of its own (the HTML site under its base path, an export in its generator's form).

use std::collections::HashMap;

use crate::notion::ids::{NotionId, NotionLink};
use crate::notion::model::Block;

/// A page of the site, as other pages link to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    /// Site-relative path with a trailing slash: `posts/hello/`, `about/team/`.
    pub path: String,
    /// The page's title, as plain text (for link text and breadcrumbs).
    pub title: String,
}

/// A database of the site (a `child_database` or `link_to_page` target).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatabaseLink {
    /// The database's title, as plain text.
    pub title: String,
    /// The database's own page in the site, if it has one (the blog index: `""`).
    pub path: Option<String>,
    /// Its pages that are part of the site, in display order.
    pub pages: Vec<PageLink>,
}

/// What a URL found in Notion content points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved<'m> {
    /// A page of this site.
    Page(&'m PageLink),
    /// A block on a page of this site, with the `id` its element has (`b-<32 hex>`).
    Block(&'m PageLink, String),
    /// A Notion page or database that is not part of the site.
    PrivateNotion(NotionId),
    /// Anything else: left exactly as written.
    External,
}

/// Where Notion page and database ids live in the site.
#[derive(Debug, Clone, Default)]
pub struct LinkMap {
    pages: HashMap<NotionId, PageLink>,
    databases: HashMap<NotionId, DatabaseLink>,
    /// Titles of Notion pages outside the site that the site refers to (relation targets).
    outside_titles: HashMap<NotionId, String>,
    /// The page of the site each block is on, by block id (a block shown on two pages, through
    /// a synced block, belongs to the first).
    blocks: HashMap<NotionId, NotionId>,
}

impl LinkMap {
    /// Records a page of the site under its Notion id (in any form Notion spells it).
    pub fn insert_page(&mut self, id: &str, path: impl Into<String>, title: impl Into<String>) {
        if let Ok(id) = NotionId::parse(id) {
            let link = PageLink {
                path: path.into(),
                title: title.into(),
            };
            self.pages.insert(id, link);
        }
    }

    /// Records the blocks of a page of the site, at any depth, so links to them resolve.
    pub(crate) fn insert_blocks(&mut self, page_id: &str, blocks: &[Block]) {
        let Ok(page) = NotionId::parse(page_id) else {
            return;
        };
        // A loop over a stack, not recursion: block trees nest to any depth.
        let mut stack: Vec<&Block> = blocks.iter().collect();
        while let Some(block) = stack.pop() {
            if let Ok(id) = NotionId::parse(&block.id) {
                self.blocks.entry(id).or_insert_with(|| page.clone());
            }
            stack.extend(block.children.iter());
        }
    }

    /// Records a database (a `child_database` block's id is the database id).
    pub fn insert_database(&mut self, id: &str, database: DatabaseLink) {
        if let Ok(id) = NotionId::parse(id) {
            self.databases.insert(id, database);
        }
    }

    /// Records the title of a Notion page that is not part of the site.
    pub(crate) fn insert_outside_title(&mut self, id: &str, title: impl Into<String>) {
        if let Ok(id) = NotionId::parse(id) {
            self.outside_titles.insert(id, title.into());
        }
    }

    /// The page with this id, in any form.
    pub(crate) fn page(&self, id: &str) -> Option<&PageLink> {
        self.pages.get(&NotionId::parse(id).ok()?)
    }

    /// The database with this id, in any form.
    pub(crate) fn database(&self, id: &str) -> Option<&DatabaseLink> {
        self.databases.get(&NotionId::parse(id).ok()?)
    }

    /// The title of a Notion page outside the site, when the site knows it.
    pub(crate) fn outside_title(&self, id: &str) -> Option<&str> {
        self.outside_titles
            .get(&NotionId::parse(id).ok()?)
            .map(String::as_str)
    }

    /// Resolves a URL from Notion content: a link to a page of the site becomes that page, one
    /// to a block of the site that block on its page; one to anything else in Notion is
    /// private; every other URL is external.
    pub(crate) fn resolve_url(&self, url: &str) -> Resolved<'_> {
        let Some(link) = NotionLink::parse(url) else {
            return Resolved::External;
        };
        // The block's own page, which is the link's page unless the block moved since.
        let block_page = link
            .block
            .as_ref()
            .and_then(|b| Some((b, self.pages.get(self.blocks.get(b)?)?)));
        if let Some((block, page)) = block_page {
            return Resolved::Block(page, block.anchor());
        }
        if let Some(page) = self.pages.get(&link.id) {
            // A fragment naming a block the site does not show leaves the page's top.
            return Resolved::Page(page);
        }
        // Some clients' "Copy link to block" names the block alone.
        if let Some(page) = self.blocks.get(&link.id).and_then(|p| self.pages.get(p)) {
            return Resolved::Block(page, link.id.anchor());
        }
        if let Some(path) = self.databases.get(&link.id).and_then(|d| d.path.as_ref()) {
            // A database with a page of its own (the blog index) resolves like that page.
            if let Some(page) = self.pages.values().find(|p| &p.path == path) {
                return Resolved::Page(page);
            }
        }
        Resolved::PrivateNotion(link.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_pages_of_the_site_and_flags_private_ones() {
        let mut links = LinkMap::default();
        links.insert_page("c01166c6-13ae-45cb-b968-18b4ef2f5a77", "a/", "A");
        assert_eq!(
            links.resolve_url("https://www.notion.so/x-c01166c613ae45cbb96818b4ef2f5a77"),
            Resolved::Page(&PageLink {
                path: "a/".into(),
                title: "A".into()
            })
        );
        assert!(matches!(
            links.resolve_url("https://www.notion.so/0123456789abcdef0123456789abcdef"),
            Resolved::PrivateNotion(_)
        ));
        assert_eq!(
            links.resolve_url("https://example.org/"),
            Resolved::External
        );
        assert!(links.page("C01166C613AE45CBB96818B4EF2F5A77").is_some());
    }

    #[test]
    fn links_to_blocks_land_on_their_anchor_in_every_notion_form() {
        const PAGE: &str = "c01166c613ae45cbb96818b4ef2f5a77";
        const BLOCK: &str = "0f3c6a1e8a1b4d2e9f001234567890ab";
        let mut links = LinkMap::default();
        links.insert_page(PAGE, "a/", "A");
        let nested = Block::from_value(&serde_json::json!({
            "object": "block", "id": BLOCK, "type": "paragraph",
            "paragraph": {"rich_text": []}
        }));
        let mut outer = Block::from_value(&serde_json::json!({
            "object": "block", "id": "11111111111111111111111111111111", "type": "toggle",
            "toggle": {"rich_text": []}
        }));
        outer.children.push(nested);
        links.insert_blocks(PAGE, &[outer]);
        let page = PageLink {
            path: "a/".into(),
            title: "A".into(),
        };
        let anchor = format!("b-{BLOCK}");
        for url in [
            format!("https://www.notion.so/A-{PAGE}#{BLOCK}"),
            format!("https://www.notion.so/acme/A-{PAGE}?pvs=4#{BLOCK}"),
            format!("https://app.notion.com/p/{PAGE}#{BLOCK}"),
            format!("https://acme.notion.site/A-{PAGE}#{BLOCK}"),
            format!("https://www.notion.so/acme/{BLOCK}"),
            format!("/{PAGE}#{BLOCK}"),
        ] {
            assert_eq!(
                links.resolve_url(&url),
                Resolved::Block(&page, anchor.clone()),
                "{url}"
            );
        }
        // A block the site does not show: the page, from its top.
        assert_eq!(
            links.resolve_url(&format!(
                "https://www.notion.so/A-{PAGE}#22222222222222222222222222222222"
            )),
            Resolved::Page(&page)
        );
        // A peek link names the row page, not the database view.
        assert_eq!(
            links.resolve_url(&format!(
                "https://www.notion.so/acme/33333333333333333333333333333333?v=44444444444444444444444444444444&p={PAGE}&pm=s"
            )),
            Resolved::Page(&page)
        );
    }
}
