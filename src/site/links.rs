//! Where every Notion page and database of the site lives, and what a link found in Notion
//! content points at. Paths are site-relative (`posts/hello/`); each renderer spells them as
//! URLs of its own (the HTML site under its base path, an export in its generator's form).

use std::collections::HashMap;

use crate::notion::ids::NotionId;

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

    /// Resolves a URL from Notion content: a link to a page of the site becomes that page; one
    /// to anything else in Notion is private; every other URL is external.
    pub(crate) fn resolve_url(&self, url: &str) -> Resolved<'_> {
        let Some(id) = NotionId::from_link(url) else {
            return Resolved::External;
        };
        if let Some(page) = self.pages.get(&id) {
            return Resolved::Page(page);
        }
        if let Some(path) = self.databases.get(&id).and_then(|d| d.path.as_ref()) {
            // A database with a page of its own (the blog index) resolves like that page.
            if let Some(page) = self.pages.values().find(|p| &p.path == path) {
                return Resolved::Page(page);
            }
        }
        Resolved::PrivateNotion(id)
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
}
