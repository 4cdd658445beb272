//! Pages, databases and data sources.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::{FileSource, Icon, Parent, PropertyValue, RichText, parse_time, plain_text};

/// A page: a database row or a standalone page. Its content (blocks) is fetched separately.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The page's id, dashed, as Notion sends it.
    pub id: String,
    /// When the page was created.
    pub created_time: Option<DateTime<Utc>>,
    /// The last edit of the page or its content (Notion rounds it down to the minute).
    pub last_edited_time: Option<DateTime<Utc>>,
    /// The cover image, if any.
    pub cover: Option<FileSource>,
    /// The emoji, custom emoji or image icon, if any.
    pub icon: Option<Icon>,
    /// Where the page lives (a database row, a child page, …).
    pub parent: Option<Parent>,
    /// `in_trash` or its deprecated alias `archived`.
    pub in_trash: bool,
    /// Properties by name, in the order Notion sent them.
    pub properties: IndexMap<String, PropertyValue>,
    /// The page's `notion.so` address.
    pub url: Option<String>,
}

impl Page {
    /// The plain text of the page's title property (`"Untitled"` when it has none).
    pub fn title(&self) -> String {
        let title = self
            .properties
            .values()
            .find_map(|p| match p {
                PropertyValue::Title(runs) => Some(plain_text(runs)),
                _ => None,
            })
            .unwrap_or_default();
        if title.trim().is_empty() {
            "Untitled".to_owned()
        } else {
            title
        }
    }

    /// Reads a page object; missing or odd fields take defaults, never an error.
    pub fn from_value(value: &Value) -> Page {
        Page {
            id: str_at(value, "id"),
            created_time: time_at(value, "created_time"),
            last_edited_time: time_at(value, "last_edited_time"),
            cover: value.get("cover").and_then(FileSource::from_value),
            icon: value.get("icon").and_then(Icon::from_value),
            parent: value
                .get("parent")
                .and_then(|p| Parent::deserialize(p).ok()),
            in_trash: trashed(value),
            properties: value
                .get("properties")
                .and_then(Value::as_object)
                .map(|props| {
                    props
                        .iter()
                        .map(|(name, v)| (name.clone(), PropertyValue::from_value(v)))
                        .collect()
                })
                .unwrap_or_default(),
            url: value.get("url").and_then(Value::as_str).map(str::to_owned),
        }
    }
}

/// A database. Under 2025-09-03 it is a container of data sources and has no schema;
/// under 2022-06-28 it carries the schema itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Database {
    /// The database's id.
    pub id: String,
    /// Its title.
    pub title: Vec<RichText>,
    /// Its description.
    pub description: Vec<RichText>,
    /// The emoji, custom emoji or image icon, if any.
    pub icon: Option<Icon>,
    /// The cover image, if any.
    pub cover: Option<FileSource>,
    /// Where the database lives.
    pub parent: Option<Parent>,
    /// The last edit of the database object.
    pub last_edited_time: Option<DateTime<Utc>>,
    /// `in_trash` or its deprecated alias `archived`.
    pub in_trash: bool,
    /// Data sources (2025-09-03 and later).
    pub data_sources: Vec<DataSourceRef>,
    /// The schema (2022-06-28), by property name.
    pub properties: BTreeMap<String, PropertySchema>,
    /// The database's `notion.so` address.
    pub url: Option<String>,
}

/// A data source as listed by its database.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct DataSourceRef {
    /// The data source's id.
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: String,
}

/// A data source (2025-09-03): the schema and rows behind a database.
#[derive(Debug, Clone, PartialEq)]
pub struct DataSource {
    /// The data source's id.
    pub id: String,
    /// Its title.
    pub title: Vec<RichText>,
    /// Its database.
    pub parent: Option<Parent>,
    /// The schema, by property name.
    pub properties: BTreeMap<String, PropertySchema>,
    /// The last edit of the data source.
    pub last_edited_time: Option<DateTime<Utc>>,
}

/// One property of a database schema: its id, name and type (the type's options are not needed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertySchema {
    /// The property's id (stable across renames).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its type (`title`, `checkbox`, `select`, …).
    pub type_name: String,
    /// Option names of a select, multi-select or status property.
    pub options: Vec<String>,
    /// A number property's format (`number`, `percent`, `dollar`, …).
    pub number_format: Option<String>,
}

impl Database {
    /// Reads a database object; missing or odd fields take defaults, never an error.
    pub fn from_value(value: &Value) -> Database {
        Database {
            id: str_at(value, "id"),
            title: rich_text_at(value, "title"),
            description: rich_text_at(value, "description"),
            icon: value.get("icon").and_then(Icon::from_value),
            cover: value.get("cover").and_then(FileSource::from_value),
            parent: value
                .get("parent")
                .and_then(|p| Parent::deserialize(p).ok()),
            last_edited_time: time_at(value, "last_edited_time"),
            in_trash: trashed(value),
            data_sources: value
                .get("data_sources")
                .and_then(|d| Vec::<DataSourceRef>::deserialize(d).ok())
                .unwrap_or_default(),
            properties: schema_at(value),
            url: value.get("url").and_then(Value::as_str).map(str::to_owned),
        }
    }
}

impl DataSource {
    /// Reads a data source object; missing or odd fields take defaults, never an error.
    pub fn from_value(value: &Value) -> DataSource {
        DataSource {
            id: str_at(value, "id"),
            title: rich_text_at(value, "title"),
            parent: value
                .get("parent")
                .and_then(|p| Parent::deserialize(p).ok()),
            properties: schema_at(value),
            last_edited_time: time_at(value, "last_edited_time"),
        }
    }
}

fn str_at(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn time_at(value: &Value, key: &str) -> Option<DateTime<Utc>> {
    value.get(key).and_then(Value::as_str).and_then(parse_time)
}

fn trashed(value: &Value) -> bool {
    let flag = |key: &str| value.get(key).and_then(Value::as_bool).unwrap_or(false);
    flag("in_trash") || flag("archived")
}

fn rich_text_at(value: &Value, key: &str) -> Vec<RichText> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|runs| runs.iter().map(RichText::from_value).collect())
        .unwrap_or_default()
}

fn schema_at(value: &Value) -> BTreeMap<String, PropertySchema> {
    let Some(properties) = value.get("properties").and_then(Value::as_object) else {
        return BTreeMap::new();
    };
    properties
        .iter()
        .map(|(name, config)| (name.clone(), PropertySchema::from_value(name, config)))
        .collect()
}

impl PropertySchema {
    /// Parses one property configuration of a database or data source schema
    /// (`{"id","name"?,"type",<type>:{…}}`); `name` is its key in `properties`.
    pub fn from_value(name: &str, config: &Value) -> PropertySchema {
        let type_name = str_at(config, "type");
        let options = config
            .get(&type_name)
            .and_then(|c| c.get("options"))
            .and_then(Value::as_array)
            .map(|options| {
                options
                    .iter()
                    .filter_map(|o| o.get("name").and_then(Value::as_str).map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let number_format = config
            .get("number")
            .and_then(|c| c.get("format"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        PropertySchema {
            id: str_at(config, "id"),
            name: name.to_owned(),
            type_name,
            options,
            number_format,
        }
    }
}

macro_rules! deserialize_via_value {
    ($($ty:ty),*) => {$(
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Ok(<$ty>::from_value(&Value::deserialize(deserializer)?))
            }
        }
    )*};
}

deserialize_via_value!(Page, Database, DataSource);
