//! Page property values.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::{DateValue, FileSource, RichText, User, parse_time};

/// One property of a page, as returned in `page.properties` or by the property item endpoint.
#[derive(Debug, Clone, PartialEq)]
pub enum PropertyValue {
    /// The page's title: every page has exactly one title property.
    Title(Vec<RichText>),
    /// Formatted text.
    RichText(Vec<RichText>),
    /// A number; `None` when empty.
    Number(Option<f64>),
    /// The chosen option; `None` when none is.
    Select(Option<SelectOption>),
    /// The page's status (`Not started`, `Done`, …); `None` when unset.
    Status(Option<SelectOption>),
    /// The chosen options, in Notion's order.
    MultiSelect(Vec<SelectOption>),
    /// A date or date range; `None` when empty.
    Date(Option<DateValue>),
    /// The people chosen: users, or groups of them.
    People(Vec<User>),
    /// Files uploaded to Notion or linked from elsewhere.
    Files(Vec<NamedFile>),
    /// Whether the box is ticked.
    Checkbox(bool),
    /// A URL as typed; `None` when empty.
    Url(Option<String>),
    /// An email address; `None` when empty.
    Email(Option<String>),
    /// A phone number as typed; `None` when empty.
    PhoneNumber(Option<String>),
    /// The computed result of a formula.
    Formula(Formula),
    /// Pages of a related database.
    Relation {
        /// The related pages' ids.
        ids: Vec<String>,
        /// Whether Notion left some out: a page object lists at most 25, the property item
        /// endpoint lists them all.
        has_more: bool,
    },
    /// A value computed from the related pages of a relation.
    Rollup(Rollup),
    /// When the page was created.
    CreatedTime(Option<DateTime<Utc>>),
    /// When the page was last edited.
    LastEditedTime(Option<DateTime<Utc>>),
    /// Who created the page.
    CreatedBy(Option<User>),
    /// Who last edited the page.
    LastEditedBy(Option<User>),
    /// An automatic id such as `TASK-42`.
    UniqueId {
        /// The text before the number (`TASK`), if the property has one.
        prefix: Option<String>,
        /// The number.
        number: Option<i64>,
    },
    /// The verification of a wiki page.
    Verification {
        /// `unverified`, `verified` or `expired`.
        state: Option<String>,
    },
    /// A button: it has no value.
    Button,
    /// A place (`place`, or `location`), kept as the JSON Notion sent: `lat`, `lon`, `name`, ….
    Place(Value),
    /// A property type this version of notion-bake does not know, or a value it could not read.
    Unknown {
        /// The `type` Notion sent.
        type_name: String,
        /// The whole property value as sent.
        raw: Value,
    },
}

/// An option of a select, status or multi-select property.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct SelectOption {
    /// The option's id.
    #[serde(default)]
    pub id: Option<String>,
    /// The option's name, as Notion shows it.
    pub name: String,
    /// Its color name (`red`, `default`, …).
    #[serde(default)]
    pub color: Option<String>,
}

/// One entry of a `files` property: a name and where the file lives.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedFile {
    /// The file's name in Notion (for a linked file, often its URL).
    pub name: String,
    /// Where the file lives.
    pub source: FileSource,
}

/// The computed value of a formula property.
#[derive(Debug, Clone, PartialEq)]
pub enum Formula {
    /// A text result; `None` when empty.
    String(Option<String>),
    /// A number; `None` when empty.
    Number(Option<f64>),
    /// A true/false result; `None` when empty.
    Boolean(Option<bool>),
    /// A date or date range; `None` when empty.
    Date(Option<DateValue>),
    /// `{"type":"unsupported"}`: a formula whose result type the API cannot return.
    Unsupported,
    /// A result type this version of notion-bake does not know.
    Unknown {
        /// The `type` Notion sent.
        type_name: String,
    },
}

/// The computed value of a rollup property.
#[derive(Debug, Clone, PartialEq)]
pub enum Rollup {
    /// A number computed from the related pages (count, sum, average, …).
    Number(Option<f64>),
    /// A date computed from the related pages (earliest, latest, range).
    Date(Option<DateValue>),
    /// The related pages' values themselves (`show_original`, `show_unique`, …).
    Array(Vec<PropertyValue>),
    /// `{"type":"incomplete"}`: the property item endpoint had more pages to read.
    Incomplete,
    /// `{"type":"unsupported"}`: a rollup the API cannot compute.
    Unsupported,
    /// A result type this version of notion-bake does not know.
    Unknown {
        /// The `type` Notion sent.
        type_name: String,
    },
}

impl PropertyValue {
    /// The Notion type name of this value (`title`, `checkbox`, …).
    pub fn type_name(&self) -> &str {
        match self {
            PropertyValue::Title(_) => "title",
            PropertyValue::RichText(_) => "rich_text",
            PropertyValue::Number(_) => "number",
            PropertyValue::Select(_) => "select",
            PropertyValue::Status(_) => "status",
            PropertyValue::MultiSelect(_) => "multi_select",
            PropertyValue::Date(_) => "date",
            PropertyValue::People(_) => "people",
            PropertyValue::Files(_) => "files",
            PropertyValue::Checkbox(_) => "checkbox",
            PropertyValue::Url(_) => "url",
            PropertyValue::Email(_) => "email",
            PropertyValue::PhoneNumber(_) => "phone_number",
            PropertyValue::Formula(_) => "formula",
            PropertyValue::Relation { .. } => "relation",
            PropertyValue::Rollup(_) => "rollup",
            PropertyValue::CreatedTime(_) => "created_time",
            PropertyValue::LastEditedTime(_) => "last_edited_time",
            PropertyValue::CreatedBy(_) => "created_by",
            PropertyValue::LastEditedBy(_) => "last_edited_by",
            PropertyValue::UniqueId { .. } => "unique_id",
            PropertyValue::Verification { .. } => "verification",
            PropertyValue::Button => "button",
            PropertyValue::Place(_) => "place",
            PropertyValue::Unknown { type_name, .. } => type_name,
        }
    }

    /// The value as plain text, as Notion would show it in a table cell (best effort).
    pub(crate) fn plain_text(&self) -> String {
        match self {
            PropertyValue::Title(runs) | PropertyValue::RichText(runs) => super::plain_text(runs),
            PropertyValue::Select(Some(o)) | PropertyValue::Status(Some(o)) => o.name.clone(),
            PropertyValue::MultiSelect(options) => options
                .iter()
                .map(|o| o.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            PropertyValue::Url(Some(s))
            | PropertyValue::Email(Some(s))
            | PropertyValue::PhoneNumber(Some(s))
            | PropertyValue::Formula(Formula::String(Some(s))) => s.clone(),
            PropertyValue::Number(Some(n)) | PropertyValue::Formula(Formula::Number(Some(n))) => {
                n.to_string()
            }
            PropertyValue::Date(Some(d)) => d.start.clone(),
            PropertyValue::Checkbox(b) => b.to_string(),
            _ => String::new(),
        }
    }

    /// Parses one property value (from a page's `properties` or the property item endpoint).
    /// An unknown type, or a value that cannot be read, becomes `Unknown`, never an error.
    pub fn from_value(value: &Value) -> PropertyValue {
        let type_name = value
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let payload = value.get(type_name).unwrap_or(&Value::Null);
        parse_payload(type_name, payload, value).unwrap_or_else(|| PropertyValue::Unknown {
            type_name: type_name.to_owned(),
            raw: value.clone(),
        })
    }
}

fn de<T: for<'de> Deserialize<'de>>(value: &Value) -> Option<T> {
    T::deserialize(value).ok()
}

fn rich_text_list(payload: &Value) -> Option<Vec<RichText>> {
    // The property item endpoint returns one run as an object rather than a list.
    match payload {
        Value::Array(items) => Some(items.iter().map(RichText::from_value).collect()),
        Value::Object(_) if payload.get("type").is_some() => {
            Some(vec![RichText::from_value(payload)])
        }
        Value::Object(_) | Value::Null => Some(Vec::new()),
        _ => None,
    }
}

fn time(payload: &Value) -> Option<DateTime<Utc>> {
    payload.as_str().and_then(parse_time)
}

fn parse_payload(type_name: &str, payload: &Value, whole: &Value) -> Option<PropertyValue> {
    Some(match type_name {
        "title" => PropertyValue::Title(rich_text_list(payload)?),
        "rich_text" | "text" => PropertyValue::RichText(rich_text_list(payload)?),
        "number" => PropertyValue::Number(payload.as_f64()),
        "select" => PropertyValue::Select(de(payload)?),
        "status" => PropertyValue::Status(de(payload)?),
        "multi_select" => PropertyValue::MultiSelect(de(payload)?),
        "date" => PropertyValue::Date(de(payload)?),
        "people" => PropertyValue::People(match payload {
            Value::Array(_) => de(payload)?,
            // The property item endpoint returns one user per item; the summary of a
            // paginated people list is an empty `{}`, which is no one.
            Value::Object(user) if user.contains_key("id") => vec![de(payload)?],
            _ => Vec::new(),
        }),
        "files" => PropertyValue::Files(
            payload
                .as_array()?
                .iter()
                .filter_map(|f| {
                    Some(NamedFile {
                        name: f
                            .get("name")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                        source: FileSource::from_value(f)?,
                    })
                })
                .collect(),
        ),
        "checkbox" => PropertyValue::Checkbox(payload.as_bool().unwrap_or(false)),
        "url" => PropertyValue::Url(de(payload)?),
        "email" => PropertyValue::Email(de(payload)?),
        "phone_number" => PropertyValue::PhoneNumber(de(payload)?),
        "formula" => PropertyValue::Formula(parse_formula(payload)),
        "relation" => PropertyValue::Relation {
            ids: match payload {
                Value::Array(items) => items
                    .iter()
                    .filter_map(|r| r.get("id").and_then(Value::as_str).map(str::to_owned))
                    .collect(),
                Value::Object(_) => payload
                    .get("id")
                    .and_then(Value::as_str)
                    .map(|id| vec![id.to_owned()])
                    .unwrap_or_default(),
                _ => Vec::new(),
            },
            has_more: whole
                .get("has_more")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        },
        "rollup" => PropertyValue::Rollup(parse_rollup(payload)),
        "created_time" => PropertyValue::CreatedTime(time(payload)),
        "last_edited_time" => PropertyValue::LastEditedTime(time(payload)),
        "created_by" => PropertyValue::CreatedBy(de(payload)),
        "last_edited_by" => PropertyValue::LastEditedBy(de(payload)),
        "unique_id" => PropertyValue::UniqueId {
            prefix: payload
                .get("prefix")
                .and_then(Value::as_str)
                .map(str::to_owned),
            number: payload.get("number").and_then(Value::as_i64),
        },
        "verification" => PropertyValue::Verification {
            state: payload
                .get("state")
                .and_then(Value::as_str)
                .map(str::to_owned),
        },
        "button" => PropertyValue::Button,
        "place" | "location" => PropertyValue::Place(payload.clone()),
        _ => return None,
    })
}

fn parse_formula(payload: &Value) -> Formula {
    let kind = payload
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let inner = payload.get(kind).unwrap_or(&Value::Null);
    match kind {
        "string" => Formula::String(inner.as_str().map(str::to_owned)),
        "number" => Formula::Number(inner.as_f64()),
        "boolean" => Formula::Boolean(inner.as_bool()),
        "date" => Formula::Date(de(inner).flatten()),
        "unsupported" => Formula::Unsupported,
        other => Formula::Unknown {
            type_name: other.to_owned(),
        },
    }
}

fn parse_rollup(payload: &Value) -> Rollup {
    let kind = payload
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let inner = payload.get(kind).unwrap_or(&Value::Null);
    match kind {
        "number" => Rollup::Number(inner.as_f64()),
        "date" => Rollup::Date(de(inner).flatten()),
        "array" => Rollup::Array(
            inner
                .as_array()
                .map(|items| items.iter().map(PropertyValue::from_value).collect())
                .unwrap_or_default(),
        ),
        "incomplete" => Rollup::Incomplete,
        "unsupported" => Rollup::Unsupported,
        other => Rollup::Unknown {
            type_name: other.to_owned(),
        },
    }
}

impl<'de> Deserialize<'de> for PropertyValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(PropertyValue::from_value(&Value::deserialize(
            deserializer,
        )?))
    }
}
