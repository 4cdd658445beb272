//! File objects and icons.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// The identity of a Notion-hosted file: the part of its URL that survives re-signing and
/// host changes, the last two path segments `<file-uuid>/<filename>`.
/// It is computed once, where the URL arrives, and carried from discovery to use.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FileKey(String);

impl FileKey {
    /// The key of a Notion-hosted URL; `None` for a URL with fewer than two path segments.
    pub fn of_url(url: &str) -> Option<FileKey> {
        let url = url::Url::parse(url).ok()?;
        let mut segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
        if segments.len() < 2 {
            return None;
        }
        let name = segments.pop()?;
        let file_id = segments.pop()?;
        Some(FileKey(format!("{file_id}/{name}")))
    }

    /// The key as text: `<file-uuid>/<filename>`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a file lives: on Notion's signed S3 (baked into the site) or anywhere else (left alone).
#[derive(Debug, Clone, PartialEq)]
pub enum FileSource {
    /// Notion-hosted: a signed URL that expires after about an hour.
    Notion {
        /// The file's identity (`None` when Notion sent a URL without a usable path).
        key: Option<FileKey>,
        /// The signed URL; the site stage drops it once the file is baked
        /// (`FileSource::drop_signed_url`), so nothing after it can link to it.
        url: Option<String>,
        /// When the signed URL stops working.
        expiry_time: Option<DateTime<Utc>>,
    },
    /// The author's own URL: never downloaded, never rewritten.
    External {
        /// The URL as the author gave it.
        url: String,
    },
    /// A File Upload API reference (write-only in Notion; kept for completeness).
    Upload {
        /// The file upload's id.
        id: String,
    },
    /// A file type this version of notion-bake does not know.
    Unknown {
        /// The `type` Notion sent.
        type_name: String,
    },
}

impl FileSource {
    /// The URL, for Notion-hosted files (until it is dropped) and external files.
    pub fn url(&self) -> Option<&str> {
        match self {
            FileSource::Notion { url, .. } => url.as_deref(),
            FileSource::External { url } => Some(url),
            FileSource::Upload { .. } | FileSource::Unknown { .. } => None,
        }
    }

    /// The key of a Notion-hosted file.
    pub(crate) fn key(&self) -> Option<&FileKey> {
        match self {
            FileSource::Notion { key, .. } => key.as_ref(),
            _ => None,
        }
    }

    /// Forgets a Notion-hosted file's signed URL, keeping its key.
    pub(crate) fn drop_signed_url(&mut self) {
        if let FileSource::Notion { url, .. } = self {
            *url = None;
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
            "file" => {
                let url = string("url").unwrap_or_default();
                FileSource::Notion {
                    key: FileKey::of_url(&url),
                    url: Some(url),
                    expiry_time: string("expiry_time").and_then(|t| super::parse_time(&t)),
                }
            }
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

/// A page, database or callout icon.
#[derive(Debug, Clone, PartialEq)]
pub enum Icon {
    /// An emoji, as the character itself (`😻`).
    Emoji(String),
    /// A workspace's custom emoji; its URL is public and does not expire.
    CustomEmoji {
        /// The emoji's id.
        id: String,
        /// Its name (`bufo`).
        name: String,
        /// Its image.
        url: String,
    },
    /// One of Notion's built-in icons, by name and color.
    Native {
        /// The icon's name (`pizza`).
        name: String,
        /// Its color (`blue`, `gray`, …).
        color: String,
    },
    /// An image icon, Notion-hosted or external.
    File(FileSource),
    /// An icon type this version of notion-bake does not know.
    Unknown {
        /// The `type` Notion sent.
        type_name: String,
    },
}

impl Icon {
    /// Parses an icon object; `None` when it has no `type`.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_key_ignores_signature_host_and_space() {
        let old = "https://s3.us-west-2.amazonaws.com/secure.notion-static.com/6466d395-db6f-4e61-a73f-e31597d52815/1ea5.png?X-Amz-Signature=aa";
        let new = "https://prod-files-secure.s3.us-west-2.amazonaws.com/2b7b01f0-67a8-40f8-acd4-88dd2805f216/6466d395-db6f-4e61-a73f-e31597d52815/1ea5.png?X-Amz-Signature=bb&x-id=GetObject";
        assert_eq!(FileKey::of_url(old), FileKey::of_url(new));
        assert_eq!(
            FileKey::of_url(new).unwrap().as_str(),
            "6466d395-db6f-4e61-a73f-e31597d52815/1ea5.png"
        );
    }

    #[test]
    fn a_file_key_needs_two_path_segments() {
        assert_eq!(FileKey::of_url("https://example.org/x.png"), None);
        assert_eq!(FileKey::of_url("not a url"), None);
    }
}
