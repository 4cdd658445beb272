//! Blocks: the content of a page.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;

use super::{Color, FileSource, Icon, Parent, RichText, parse_time};

/// One block with its children (filled in by the crawl; the API returns them separately).
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// The block's id; a `child_page` or `child_database` block has its page's or database's.
    pub id: String,
    /// The page or block it sits in (`None` when missing or of an unexpected shape).
    pub parent: Option<Parent>,
    /// When the block was created.
    pub created_time: Option<DateTime<Utc>>,
    /// When the block was last edited.
    pub last_edited_time: Option<DateTime<Utc>>,
    /// Whether Notion has children for it (they are fetched with a request of their own).
    pub has_children: bool,
    /// `in_trash` or its deprecated alias `archived`.
    pub in_trash: bool,
    /// Its type, with the type's payload.
    pub kind: BlockKind,
    /// The child blocks, in order (empty until the crawl fetches them).
    pub children: Vec<Block>,
}

/// The type-specific part of a block. Unknown types are kept, never an error.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    /// A paragraph; under a `tab` block, a tab's label.
    Paragraph(TextBlock),
    /// `heading_1` … `heading_4`.
    Heading {
        /// 1 to 4.
        level: u8,
        /// Its text, color and whether it folds.
        text: Heading,
    },
    /// An item of a bulleted list (each item is a block of its own).
    BulletedListItem(TextBlock),
    /// An item of a numbered list (each item is a block of its own).
    NumberedListItem(NumberedListItem),
    /// A to-do item with its checkbox.
    ToDo(ToDo),
    /// A toggle: its text shows, its children fold away.
    Toggle(TextBlock),
    /// A quote.
    Quote(TextBlock),
    /// Text set apart with an icon and a color.
    Callout(Callout),
    /// A code block.
    Code(Code),
    /// An equation on a line of its own.
    Equation {
        /// The LaTeX source.
        expression: String,
    },
    /// A horizontal rule.
    Divider,
    /// The path of pages down to this one.
    Breadcrumb,
    /// A table of contents of the page's headings.
    TableOfContents {
        /// Its text or background color.
        color: Color,
    },
    /// An image.
    Image(Media),
    /// A video, uploaded or linked (YouTube, Vimeo, …).
    Video(Media),
    /// An audio file.
    Audio(Media),
    /// A PDF document.
    Pdf(Media),
    /// A file to download.
    File(Media),
    /// A link shown as a card.
    Bookmark(Link),
    /// A web page embedded in the page (a map, a pen, a tweet, …).
    Embed(Link),
    /// A live preview of a link (GitHub, Figma, …); read-only in the API.
    LinkPreview {
        /// The previewed URL.
        url: String,
    },
    /// A table; its rows are its `TableRow` children.
    Table(Table),
    /// A row of a table.
    TableRow {
        /// One run list per cell, as many cells as the table is wide.
        cells: Vec<Vec<RichText>>,
    },
    /// Side-by-side columns; its children are the `Column`s.
    ColumnList,
    /// One column of a `ColumnList`.
    Column {
        /// Its share of the row's width (0 to 1), when Notion sends one.
        width_ratio: Option<f64>,
    },
    /// The same content shown in several places; a copy's children are the original's.
    SyncedBlock {
        /// `None` on the original, the original's block id on a copy.
        synced_from: Option<String>,
    },
    /// A page inside this page; the block's id is the page's id.
    ChildPage {
        /// The page's title, as plain text.
        title: String,
    },
    /// A database inside this page; the block's id is the database's id.
    ChildDatabase {
        /// The database's title, as plain text.
        title: String,
    },
    /// A link to another page or database.
    LinkToPage(LinkTarget),
    /// A template button (deprecated by Notion): its label, and the template as children.
    Template(TextBlock),
    /// A tab group; its children are paragraphs whose text is the tab label.
    Tab,
    /// `meeting_notes` (2026-03-11) or `transcription` (older versions).
    MeetingNotes {
        /// The meeting's title.
        title: Vec<RichText>,
    },
    /// Notion's `unsupported` block, with the type Notion names when it does.
    Unsupported {
        /// The block's real type (`form`, `button`, …).
        block_type: Option<String>,
    },
    /// A block type this version of notion-bake does not know, or a payload it could not read.
    Unknown {
        /// The `type` Notion sent.
        type_name: String,
        /// The type's payload as sent (`null` if there was none).
        raw: Value,
    },
    /// A partial block (`{"object":"block","id":…}` without a type).
    Partial,
}

/// Paragraphs, list items, toggles, quotes and templates.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct TextBlock {
    /// The text.
    /// Its text.
    #[serde(alias = "text")]
    pub rich_text: Vec<RichText>,
    /// Its text or background color.
    pub color: Color,
    /// Only meaningful on a paragraph under a `tab` block.
    #[serde(deserialize_with = "optional_icon")]
    pub icon: Option<Icon>,
}

/// A heading's text and style.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Heading {
    /// The text.
    /// Its text.
    #[serde(alias = "text")]
    pub rich_text: Vec<RichText>,
    /// Its text or background color.
    pub color: Color,
    /// Whether the heading folds its children away, as a toggle does (only then has it any).
    pub is_toggleable: bool,
}

/// An item of a numbered list.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct NumberedListItem {
    /// The text.
    /// Its text.
    #[serde(alias = "text")]
    pub rich_text: Vec<RichText>,
    /// Its text or background color.
    pub color: Color,
    /// The number the list starts at; set on the first item of a list only.
    pub list_start_index: Option<u32>,
    /// `numbers`, `letters` or `roman`.
    pub list_format: Option<String>,
}

/// A to-do item.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ToDo {
    /// Its text.
    #[serde(alias = "text")]
    pub rich_text: Vec<RichText>,
    /// Whether it is ticked.
    pub checked: bool,
    /// Its text or background color.
    pub color: Color,
}

/// A callout's text, icon and color.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Callout {
    /// Its text.
    #[serde(alias = "text")]
    pub rich_text: Vec<RichText>,
    /// The icon, if the author kept one.
    #[serde(deserialize_with = "optional_icon")]
    pub icon: Option<Icon>,
    /// Its background (or text) color.
    pub color: Color,
}

/// A code block.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Code {
    /// The code; its plain text is the source.
    /// Its text.
    #[serde(alias = "text")]
    pub rich_text: Vec<RichText>,
    /// The caption below it.
    pub caption: Vec<RichText>,
    /// The language as Notion names it (`rust`, `plain text`, `c++`, …).
    pub language: String,
}

/// Image, video, audio, pdf and file blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    /// The file: Notion-hosted (to bake) or external.
    pub source: FileSource,
    /// The caption below it.
    pub caption: Vec<RichText>,
    /// The file name (file blocks only).
    pub name: Option<String>,
}

/// Bookmark and embed blocks.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Link {
    /// The linked URL.
    pub url: String,
    /// The caption below it.
    pub caption: Vec<RichText>,
}

/// A table's shape; its rows are its children.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Table {
    /// The number of columns.
    pub table_width: u32,
    /// Whether the first row is a header row.
    pub has_column_header: bool,
    /// Whether the first column is a header column.
    pub has_row_header: bool,
}

/// Where a `link_to_page` block points.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    /// A page, by id.
    Page(String),
    /// A database, by id.
    Database(String),
    /// Anything else (a comment, …).
    Other {
        /// The `type` Notion sent.
        type_name: String,
    },
}

fn optional_icon<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Icon>, D::Error> {
    let value = Option::<Value>::deserialize(deserializer)?;
    Ok(value.as_ref().and_then(Icon::from_value))
}

fn de<T: for<'de> Deserialize<'de>>(value: &Value) -> Option<T> {
    T::deserialize(value).ok()
}

fn str_at(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn captions(payload: &Value) -> Vec<RichText> {
    de(payload.get("caption").unwrap_or(&Value::Null)).unwrap_or_default()
}

fn media(payload: &Value) -> Option<Media> {
    Some(Media {
        source: FileSource::from_value(payload)?,
        caption: captions(payload),
        name: str_at(payload, "name"),
    })
}

/// The type-specific part of a block from its payload's JSON text. A payload that cannot be
/// read becomes `Unknown`, never an error.
fn parse_kind(type_name: &str, payload: &str) -> BlockKind {
    fn typed<T: DeserializeOwned>(payload: &str) -> Option<T> {
        serde_json::from_str(payload).ok()
    }
    // The text blocks are nearly all of a page: read them straight into their structs.
    let kind = match type_name {
        "paragraph" => typed(payload).map(BlockKind::Paragraph),
        "heading_1" | "heading_2" | "heading_3" | "heading_4" => {
            typed(payload).map(|text| BlockKind::Heading {
                level: type_name.as_bytes()[8] - b'0',
                text,
            })
        }
        "bulleted_list_item" => typed(payload).map(BlockKind::BulletedListItem),
        "numbered_list_item" => typed(payload).map(BlockKind::NumberedListItem),
        "to_do" => typed(payload).map(BlockKind::ToDo),
        "toggle" => typed(payload).map(BlockKind::Toggle),
        "quote" => typed(payload).map(BlockKind::Quote),
        "callout" => typed(payload).map(BlockKind::Callout),
        "template" => typed(payload).map(BlockKind::Template),
        "code" => typed(payload).map(BlockKind::Code),
        _ => typed::<Value>(payload).and_then(|value| parse_other_kind(type_name, &value)),
    };
    kind.unwrap_or_else(|| BlockKind::Unknown {
        type_name: type_name.to_owned(),
        raw: serde_json::from_str(payload).unwrap_or(Value::Null),
    })
}

fn parse_other_kind(type_name: &str, payload: &Value) -> Option<BlockKind> {
    Some(match type_name {
        "equation" => BlockKind::Equation {
            expression: str_at(payload, "expression")?,
        },
        "divider" => BlockKind::Divider,
        "breadcrumb" => BlockKind::Breadcrumb,
        "table_of_contents" => BlockKind::TableOfContents {
            color: de(payload.get("color").unwrap_or(&Value::Null)).unwrap_or_default(),
        },
        "image" => BlockKind::Image(media(payload)?),
        "video" => BlockKind::Video(media(payload)?),
        "audio" => BlockKind::Audio(media(payload)?),
        "pdf" => BlockKind::Pdf(media(payload)?),
        "file" => BlockKind::File(media(payload)?),
        "bookmark" => BlockKind::Bookmark(de(payload)?),
        "embed" => BlockKind::Embed(de(payload)?),
        "link_preview" => BlockKind::LinkPreview {
            url: str_at(payload, "url")?,
        },
        "table" => BlockKind::Table(de(payload)?),
        "table_row" => BlockKind::TableRow {
            cells: de(payload.get("cells")?)?,
        },
        "column_list" => BlockKind::ColumnList,
        "column" => BlockKind::Column {
            width_ratio: payload.get("width_ratio").and_then(Value::as_f64),
        },
        "synced_block" => BlockKind::SyncedBlock {
            synced_from: payload
                .get("synced_from")
                .and_then(|from| str_at(from, "block_id")),
        },
        "child_page" => BlockKind::ChildPage {
            title: str_at(payload, "title").unwrap_or_default(),
        },
        "child_database" => BlockKind::ChildDatabase {
            title: str_at(payload, "title").unwrap_or_default(),
        },
        "link_to_page" => BlockKind::LinkToPage({
            let kind = str_at(payload, "type").unwrap_or_default();
            match (kind.as_str(), str_at(payload, &kind)) {
                ("page_id", Some(id)) => LinkTarget::Page(id),
                ("database_id", Some(id)) => LinkTarget::Database(id),
                _ => LinkTarget::Other { type_name: kind },
            }
        }),
        "tab" => BlockKind::Tab,
        "meeting_notes" | "transcription" => BlockKind::MeetingNotes {
            title: de(payload.get("title").unwrap_or(&Value::Null)).unwrap_or_default(),
        },
        "unsupported" => BlockKind::Unsupported {
            block_type: str_at(payload, "block_type"),
        },
        _ => return None,
    })
}

impl Block {
    /// The Notion type name (`paragraph`, `heading_2`, …); for unknown types the name Notion sent.
    pub fn type_name(&self) -> &str {
        match &self.kind {
            BlockKind::Paragraph(_) => "paragraph",
            BlockKind::Heading { level, .. } => match level {
                1 => "heading_1",
                2 => "heading_2",
                3 => "heading_3",
                _ => "heading_4",
            },
            BlockKind::BulletedListItem(_) => "bulleted_list_item",
            BlockKind::NumberedListItem(_) => "numbered_list_item",
            BlockKind::ToDo(_) => "to_do",
            BlockKind::Toggle(_) => "toggle",
            BlockKind::Quote(_) => "quote",
            BlockKind::Callout(_) => "callout",
            BlockKind::Code(_) => "code",
            BlockKind::Equation { .. } => "equation",
            BlockKind::Divider => "divider",
            BlockKind::Breadcrumb => "breadcrumb",
            BlockKind::TableOfContents { .. } => "table_of_contents",
            BlockKind::Image(_) => "image",
            BlockKind::Video(_) => "video",
            BlockKind::Audio(_) => "audio",
            BlockKind::Pdf(_) => "pdf",
            BlockKind::File(_) => "file",
            BlockKind::Bookmark(_) => "bookmark",
            BlockKind::Embed(_) => "embed",
            BlockKind::LinkPreview { .. } => "link_preview",
            BlockKind::Table(_) => "table",
            BlockKind::TableRow { .. } => "table_row",
            BlockKind::ColumnList => "column_list",
            BlockKind::Column { .. } => "column",
            BlockKind::SyncedBlock { .. } => "synced_block",
            BlockKind::ChildPage { .. } => "child_page",
            BlockKind::ChildDatabase { .. } => "child_database",
            BlockKind::LinkToPage(_) => "link_to_page",
            BlockKind::Template(_) => "template",
            BlockKind::Tab => "tab",
            BlockKind::MeetingNotes { .. } => "meeting_notes",
            BlockKind::Unsupported { .. } => "unsupported",
            BlockKind::Unknown { type_name, .. } => type_name,
            BlockKind::Partial => "partial",
        }
    }

    /// Parses one block; a `children` array (added by the crawl) is parsed recursively. A block
    /// with an unexpected shape (or an unreadable child) keeps what can be read.
    pub fn from_value(value: &Value) -> Block {
        crate::deep::from_value(value).unwrap_or_else(|_| Block::salvage(value))
    }

    fn salvage(value: &Value) -> Block {
        let flag = |key: &str| value.get(key).and_then(Value::as_bool).unwrap_or(false);
        let time = |key: &str| value.get(key).and_then(Value::as_str).and_then(parse_time);
        let type_name = value.get("type").and_then(Value::as_str);
        Block {
            id: str_at(value, "id").unwrap_or_default(),
            parent: value.get("parent").and_then(de),
            created_time: time("created_time"),
            last_edited_time: time("last_edited_time"),
            has_children: flag("has_children"),
            in_trash: flag("in_trash") || flag("archived"),
            kind: match type_name {
                None => BlockKind::Partial,
                Some(name) => {
                    parse_kind(name, &value.get(name).unwrap_or(&Value::Null).to_string())
                }
            },
            children: value
                .get("children")
                .and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .map(|item| crate::deep::grow(|| Block::from_value(item)))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The block's own rich text, for the block types that have one.
    pub fn rich_text(&self) -> &[RichText] {
        match &self.kind {
            BlockKind::Paragraph(t)
            | BlockKind::BulletedListItem(t)
            | BlockKind::Toggle(t)
            | BlockKind::Quote(t)
            | BlockKind::Template(t) => &t.rich_text,
            BlockKind::Heading { text, .. } => &text.rich_text,
            BlockKind::NumberedListItem(t) => &t.rich_text,
            BlockKind::ToDo(t) => &t.rich_text,
            BlockKind::Callout(t) => &t.rich_text,
            BlockKind::Code(t) => &t.rich_text,
            _ => &[],
        }
    }
}

/// Blocks are read field by field, without building a `serde_json::Value` for the block: the
/// stored trees of a large site are hundreds of megabytes, and an offline build spent most of
/// its model time building and dropping `Value`s. The payload (and any key Notion adds later)
/// is held as raw JSON and read once `type` has named it: stored trees have sorted keys, so the
/// payload usually comes before its type.
impl<'de> Deserialize<'de> for Block {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(BlockVisitor)
    }
}

struct BlockVisitor;

impl<'de> Visitor<'de> for BlockVisitor {
    type Value = Block;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Notion block object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Block, A::Error> {
        let mut block = Block {
            id: String::new(),
            parent: None,
            created_time: None,
            last_edited_time: None,
            has_children: false,
            in_trash: false,
            kind: BlockKind::Partial,
            children: Vec::new(),
        };
        let mut type_name: Option<String> = None;
        let mut payloads: Vec<(String, Box<RawValue>)> = Vec::new();
        while let Some(key) = map.next_key::<BlockKey>()? {
            match key {
                BlockKey::Id => block.id = map.next_value()?,
                BlockKey::Type => type_name = Some(map.next_value()?),
                BlockKey::Parent => {
                    // An unexpected parent shape costs the parent, not the block.
                    block.parent = map
                        .next_value::<Option<Box<RawValue>>>()?
                        .and_then(|raw| serde_json::from_str(raw.get()).ok())
                }
                BlockKey::CreatedTime => {
                    block.created_time = map
                        .next_value::<Option<String>>()?
                        .as_deref()
                        .and_then(parse_time)
                }
                BlockKey::LastEditedTime => {
                    block.last_edited_time = map
                        .next_value::<Option<String>>()?
                        .as_deref()
                        .and_then(parse_time)
                }
                BlockKey::HasChildren => {
                    block.has_children = map.next_value::<Option<bool>>()?.unwrap_or(false)
                }
                BlockKey::InTrash => {
                    block.in_trash |= map.next_value::<Option<bool>>()?.unwrap_or(false)
                }
                BlockKey::Children => block.children = map.next_value()?,
                BlockKey::Skipped => {
                    map.next_value::<IgnoredAny>()?;
                }
                BlockKey::Other(name) => payloads.push((name, map.next_value()?)),
            }
        }
        if let Some(name) = type_name {
            let payload = payloads
                .iter()
                .find(|(key, _)| *key == name)
                .map_or("null", |(_, raw)| raw.get());
            block.kind = parse_kind(&name, payload);
        }
        Ok(block)
    }
}

/// A key of a block object.
enum BlockKey {
    Id,
    Type,
    Parent,
    CreatedTime,
    LastEditedTime,
    HasChildren,
    /// `in_trash` or its deprecated alias `archived`.
    InTrash,
    Children,
    /// Keys notion-bake does not read (`object`, `created_by`, `last_edited_by`).
    Skipped,
    /// The payload (named by `type`) or a key Notion added later.
    Other(String),
}

impl<'de> Deserialize<'de> for BlockKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = BlockKey;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a block key")
            }

            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<BlockKey, E> {
                Ok(match key {
                    "id" => BlockKey::Id,
                    "type" => BlockKey::Type,
                    "parent" => BlockKey::Parent,
                    "created_time" => BlockKey::CreatedTime,
                    "last_edited_time" => BlockKey::LastEditedTime,
                    "has_children" => BlockKey::HasChildren,
                    "in_trash" | "archived" => BlockKey::InTrash,
                    "children" => BlockKey::Children,
                    "object" | "created_by" | "last_edited_by" => BlockKey::Skipped,
                    other => BlockKey::Other(other.to_owned()),
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}
