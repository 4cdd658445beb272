//! serde types for the Notion API objects notion-bake reads.
//!
//! Parsing is tolerant by design: Notion adds block, property and mention types and reshapes
//! payloads between API versions, so anything unknown is kept as an `Unknown` variant with its
//! type name, missing fields take defaults, and both `archived` and `in_trash` are understood.

mod block;
mod file;
mod files;
mod page;
mod property;
mod rich_text;
mod view;
mod wire;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use block::{
    Block, BlockKind, Callout, Code, Heading, Link, LinkTarget, Media, NumberedListItem, Table,
    TextBlock, ToDo,
};
pub use file::{FileKey, FileSource, Icon};
pub use files::{
    FilePlace, block_files, block_files_mut, database_files, database_files_mut, page_files,
    page_files_mut,
};
pub use page::{DataSource, DataSourceRef, Database, Page, PropertySchema};
pub use property::{Formula, NamedFile, PropertyValue, Rollup, SelectOption};
pub use rich_text::{Annotations, Color, Mention, RichText, RichTextContent, plain_text};
pub use view::{GalleryCover, GroupBy, GroupSort, View, ViewConfiguration, ViewProperty};

/// The parent of a page, database or block.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Parent {
    /// A page (a child page, or a block on a page).
    PageId {
        /// The page's id.
        page_id: String,
    },
    /// A database (a row under 2022-06-28).
    DatabaseId {
        /// The database's id.
        database_id: String,
    },
    /// A data source (a row under 2025-09-03 and later).
    DataSourceId {
        /// The data source's id.
        data_source_id: String,
        /// The database the data source belongs to.
        #[serde(default)]
        database_id: Option<String>,
    },
    /// A block (a nested block, or a page inside a block).
    BlockId {
        /// The block's id.
        block_id: String,
    },
    /// The workspace itself (a top-level page).
    Workspace,
    /// A parent type notion-bake does not know.
    #[serde(other)]
    Other,
}

/// A user, person or bot, possibly partial (`{"object":"user","id":…}`), or a group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct User {
    /// The user's id.
    pub id: String,
    /// The display name (absent on partial users).
    pub name: Option<String>,
    /// The avatar's URL, if any.
    pub avatar_url: Option<String>,
    /// `person`, `bot`, or absent for partial users; groups have `object: "group"`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// What a bot user says of itself (the integration behind the token).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bot: Option<Bot>,
}

/// The `bot` part of a bot user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct Bot {
    /// The workspace the integration belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_name: Option<String>,
}

/// A date or date range (date properties and date mentions).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct DateValue {
    /// `2022-02-22` or `2022-02-25T01:23:00.000+09:00`.
    pub start: String,
    /// The end of a range, in the same form.
    pub end: Option<String>,
    /// An IANA time zone the times are shown in (`Europe/Berlin`), if set.
    pub time_zone: Option<String>,
}

impl DateValue {
    /// The start as a UTC timestamp (date-only values are taken at midnight UTC).
    pub fn start_time(&self) -> Option<DateTime<Utc>> {
        parse_time(&self.start).or_else(|| {
            chrono::NaiveDate::parse_from_str(&self.start, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        })
    }
}

/// Parses an RFC 3339 timestamp, `Z` or `+00:00` alike.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Notion's error body (`{"object":"error","status":…,"code":…,"message":…}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ApiErrorBody {
    /// The HTTP status, repeated.
    pub status: u16,
    /// A stable error code (`object_not_found`, `rate_limited`, …).
    pub code: String,
    /// Notion's explanation.
    pub message: String,
    /// Notion's id of the request, for its support.
    pub request_id: Option<String>,
}

/// One page of a paginated list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListPage {
    /// The objects of this page of the list, unparsed.
    pub results: Vec<Value>,
    /// The cursor of the next page, when there is one.
    pub next_cursor: Option<String>,
    /// Whether more pages follow.
    pub has_more: bool,
}

impl ListPage {
    /// Takes the list's fields out of a response body (missing ones as an empty last page).
    pub fn from_value(value: Value) -> ListPage {
        let mut value = value;
        ListPage {
            next_cursor: value
                .get("next_cursor")
                .and_then(Value::as_str)
                .map(str::to_owned),
            has_more: value
                .get("has_more")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            results: match value.get_mut("results").map(Value::take) {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            },
        }
    }
}

/// Any top-level response body, by its `object` field.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// `"object": "page"`.
    Page(Page),
    /// `"object": "block"`.
    Block(Block),
    /// `"object": "database"`.
    Database(Database),
    /// `"object": "data_source"`.
    DataSource(DataSource),
    /// `"object": "user"` or `"group"`.
    User(User),
    /// `"object": "property_item"` (the property endpoint's answer).
    PropertyItem(PropertyValue),
    /// `"object": "list"`: its items parsed, and the list itself.
    List(Vec<Response>, ListPage),
    /// `"object": "error"`.
    Error(ApiErrorBody),
    /// Objects notion-bake does not read (file uploads, comments, markdown, …), kept raw.
    Other {
        /// The `object` field.
        object: String,
        /// The whole body.
        raw: Value,
    },
}

impl Response {
    /// Parses a response body; a leading UTF-8 byte order mark is ignored.
    pub fn parse(body: &[u8]) -> Result<Response, serde_json::Error> {
        let body = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
        Ok(Response::from_value(serde_json::from_slice(body)?))
    }

    /// Parses a response body already read as JSON.
    pub fn from_value(value: Value) -> Response {
        let object = value
            .get("object")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        match object.as_str() {
            "page" => Response::Page(Page::from_value(&value)),
            "block" => Response::Block(Block::from_value(&value)),
            "database" => Response::Database(Database::from_value(&value)),
            "data_source" => Response::DataSource(DataSource::from_value(&value)),
            "user" | "group" => Response::User(User::deserialize(&value).unwrap_or_default()),
            "property_item" => Response::PropertyItem(PropertyValue::from_value(&value)),
            "error" => Response::Error(ApiErrorBody::deserialize(&value).unwrap_or_default()),
            "list" => {
                let list = ListPage::from_value(value);
                let items = list
                    .results
                    .iter()
                    .cloned()
                    .map(Response::from_value)
                    .collect();
                Response::List(items, list)
            }
            _ => Response::Other { object, raw: value },
        }
    }
}
