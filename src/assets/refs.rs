//! Finding every file reference in the crawled data, and who owns it (to refresh its URL).

use crate::notion::model::{self, Block, Database, FileKey, FileSource, Page};

/// The object whose API response carries a file's URL: re-fetching it signs the URL again.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Owner {
    /// A media block or a callout (icon): `GET /v1/blocks/{id}`.
    Block(String),
    /// A page's cover, icon or `files` property: `GET /v1/pages/{id}`.
    Page(String),
    /// A database's cover or icon: `GET /v1/databases/{id}`.
    Database(String),
}

/// One Notion-hosted file mentioned by the site's data.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FileRef {
    /// The file's identity; `None` when Notion sent a URL without a usable path.
    pub key: Option<FileKey>,
    pub source: FileSource,
    pub owner: Owner,
    /// The page the reference appears on, for error messages: id and title.
    pub page_id: String,
    pub page_title: String,
    /// A file name from Notion (file blocks, `files` properties), when it gives one.
    pub name: Option<String>,
}

impl FileRef {
    /// The block the reference sits in, if any (for error messages).
    pub(crate) fn block_id(&self) -> Option<&str> {
        match &self.owner {
            Owner::Block(id) => Some(id),
            _ => None,
        }
    }
}

/// Every Notion-hosted file on a page: cover, icon, `files` properties, and every file in its
/// block tree (external files are the author's and are never touched).
pub(crate) fn page_files(page: &Page, blocks: &[Block]) -> Vec<FileRef> {
    let mut refs = Vec::new();
    model::page_files(page, blocks, &mut collector(page, &mut refs));
    refs
}

/// The Notion-hosted files in `blocks` (and their children) of `page`, without the page's own
/// (cover, icon, properties): for blocks that arrive one list at a time.
pub(crate) fn block_files(page: &Page, blocks: &[Block]) -> Vec<FileRef> {
    let mut refs = Vec::new();
    model::block_files(blocks, &mut collector(page, &mut refs));
    refs
}

/// A visitor of `page`'s files that collects the Notion-hosted ones into `refs`.
fn collector<'a>(
    page: &'a Page,
    refs: &'a mut Vec<FileRef>,
) -> impl FnMut(model::FilePlace<'_>, &FileSource) + 'a {
    let title = page.title();
    move |place, source| {
        if source.is_notion_hosted() {
            refs.push(FileRef {
                key: source.key().cloned(),
                source: source.clone(),
                owner: match place.block_id {
                    Some(block) => Owner::Block(block.to_owned()),
                    None => Owner::Page(page.id.clone()),
                },
                page_id: page.id.clone(),
                page_title: title.clone(),
                name: place.name.map(str::to_owned),
            });
        }
    }
}

/// A database's Notion-hosted cover and icon.
pub(crate) fn database_files(database: &Database) -> Vec<FileRef> {
    let title = model::plain_text(&database.title);
    let mut refs = Vec::new();
    model::database_files(database, &mut |_, source| {
        if source.is_notion_hosted() {
            refs.push(FileRef {
                key: source.key().cloned(),
                source: source.clone(),
                owner: Owner::Database(database.id.clone()),
                page_id: database.id.clone(),
                page_title: title.clone(),
                name: None,
            });
        }
    });
    refs
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn notion_file(name: &str) -> serde_json::Value {
        json!({"type": "file", "file": {"url": format!("https://prod-files-secure.s3.us-west-2.amazonaws.com/s/f/{name}?X-Amz-Signature=x"), "expiry_time": "2026-07-04T10:00:00.000Z"}})
    }

    #[test]
    fn finds_covers_icons_properties_and_nested_media() {
        let page = Page::from_value(&json!({
            "object": "page", "id": "p1",
            "cover": notion_file("cover.jpg"),
            "icon": notion_file("icon.png"),
            "properties": {
                "Name": {"id": "title", "type": "title", "title": [{"type": "text", "text": {"content": "Trip"}, "plain_text": "Trip"}]},
                "Attachments": {"id": "a", "type": "files", "files": [
                    {"name": "slides.pdf", "type": "file", "file": {"url": "https://prod-files-secure.s3.us-west-2.amazonaws.com/s/g/slides.pdf?sig", "expiry_time": "2026-07-04T10:00:00.000Z"}},
                    {"name": "https://example.org/a.pdf", "type": "external", "external": {"url": "https://example.org/a.pdf"}}
                ]}
            }
        }));
        let mut image = notion_file("photo.jpg");
        image["caption"] = json!([]);
        let mut callout_icon = notion_file("callout.png");
        callout_icon["type"] = json!("file");
        let blocks: Vec<Block> = vec![
            Block::from_value(
                &json!({"object": "block", "id": "t", "type": "toggle", "toggle": {"rich_text": []},
                "children": [{"object": "block", "id": "b1", "type": "image", "image": image}]}),
            ),
            Block::from_value(&json!({"object": "block", "id": "c", "type": "callout",
                "callout": {"rich_text": [], "icon": callout_icon, "color": "default"}})),
        ];
        let refs = page_files(&page, &blocks);
        let names: Vec<_> = refs
            .iter()
            .map(|r| r.key.as_ref().unwrap().as_str())
            .collect();
        assert_eq!(
            names,
            [
                "f/cover.jpg",
                "f/icon.png",
                "g/slides.pdf",
                "f/photo.jpg",
                "f/callout.png"
            ],
            "external files are left out"
        );
        assert_eq!(refs[3].owner, Owner::Block("b1".into()));
        assert_eq!(refs[0].owner, Owner::Page("p1".into()));
        assert_eq!(refs[2].name.as_deref(), Some("slides.pdf"));
        assert!(refs.iter().all(|r| r.page_title == "Trip"));
    }
}
