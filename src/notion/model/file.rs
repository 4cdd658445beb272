//! File objects and icons (notion-api.md §2).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Where a file lives: on Notion's signed S3 (baked into the site) or anywhere else (left alone).
#[derive(Debug, Clone, PartialEq)]
pub enum FileSource {
    /// Notion-hosted: a signed URL that expires after about an hour.
    Notion {
        url: String,
        expiry_time: Option<DateTime<Utc>>,
    },
    /// The author's own URL: never downloaded, never rewritten.
    External { url: String },
    /// A File Upload API reference (write-only in Notion; kept for completeness).
    Upload { id: String },
    /// A file type this version of notion-bake does not know.
    Unknown { type_name: String },
}

impl FileSource {
    /// The URL, for Notion-hosted and external files.
    pub fn url(&self) -> Option<&str> {
        match self {
            FileSource::Notion { url, .. } | FileSource::External { url } => Some(url),
            FileSource::Upload { .. } | FileSource::Unknown { .. } => None,
        }
    }

    /// Whether this is a Notion-hosted file that must be baked.
    pub fn is_notion_hosted(&self) -> bool {
        matches!(self, FileSource::Notion { .. })
    }

    /// Parses `{"type":"file","file":{…}}` / `{"type":"external",…}` / `{"type":"file_upload",…}`.
    pub fn from_value(value: &Value) -> Option<FileSource> {
        let type_name = value.get("type")?.as_str()?;
        let payload = value.get(type_name);
        let string = |key: &str| {
            payload
                .and_then(|p| p.get(key))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        Some(match type_name {
            "file" => FileSource::Notion {
                url: string("url").unwrap_or_default(),
                expiry_time: string("expiry_time").and_then(|t| super::parse_time(&t)),
            },
            "external" => FileSource::External {
                url: string("url").unwrap_or_default(),
            },
            "file_upload" => FileSource::Upload {
                id: string("id").unwrap_or_default(),
            },
            other => FileSource::Unknown {
                type_name: other.to_owned(),
            },
        })
    }
}

impl<'de> Deserialize<'de> for FileSource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        FileSource::from_value(&value)
            .ok_or_else(|| serde::de::Error::custom("file object without a `type`"))
    }
}

/// A page, database or callout icon (notion-api.md §2.5).
#[derive(Debug, Clone, PartialEq)]
pub enum Icon {
    Emoji(String),
    /// A workspace's custom emoji; its URL is public and does not expire.
    CustomEmoji {
        id: String,
        name: String,
        url: String,
    },
    /// One of Notion's built-in icons, by name and color.
    Native {
        name: String,
        color: String,
    },
    /// An image icon, Notion-hosted or external.
    File(FileSource),
    Unknown {
        type_name: String,
    },
}

impl Icon {
    pub fn from_value(value: &Value) -> Option<Icon> {
        let type_name = value.get("type")?.as_str()?;
        let payload = value.get(type_name).unwrap_or(&Value::Null);
        let string = |key: &str| {
            payload
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        Some(match type_name {
            "emoji" => Icon::Emoji(payload.as_str().unwrap_or_default().to_owned()),
            "custom_emoji" => Icon::CustomEmoji {
                id: string("id"),
                name: string("name"),
                url: string("url"),
            },
            "icon" => Icon::Native {
                name: string("name"),
                color: string("color"),
            },
            "file" | "external" | "file_upload" => Icon::File(FileSource::from_value(value)?),
            other => Icon::Unknown {
                type_name: other.to_owned(),
            },
        })
    }
}

impl<'de> Deserialize<'de> for Icon {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Icon::from_value(&value).ok_or_else(|| serde::de::Error::custom("icon without a `type`"))
    }
}
