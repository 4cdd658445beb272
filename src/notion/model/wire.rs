//! The model back in Notion's JSON shape, so the cache can store typed trees and read them
//! with the same parsers as the API's answers: for every object, parsing what `Serialize`
//! writes gives the object back (the conformance tests check this over every recorded
//! fixture). Fields the model does not keep are not written; unknown types keep their raw
//! payload, so nothing the model holds is lost.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value, json};

use super::{
    Block, BlockKind, DataSource, Database, FileSource, Formula, Icon, LinkTarget, Media, Mention,
    Page, PropertySchema, PropertyValue, RichText, RichTextContent, Rollup,
};

fn time(t: &Option<DateTime<Utc>>) -> Value {
    t.map_or(Value::Null, |t| {
        json!(t.to_rfc3339_opts(SecondsFormat::Millis, true))
    })
}

fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// `{"type": name, name: payload}` plus `extra` keys.
fn typed(name: &str, payload: Value) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("type".into(), json!(name));
    map.insert(name.to_owned(), payload);
    map
}

impl FileSource {
    /// The file object as Notion sends it.
    fn to_value(&self) -> Value {
        Value::Object(match self {
            FileSource::Notion {
                url, expiry_time, ..
            } => typed(
                "file",
                json!({"url": url, "expiry_time": time(expiry_time)}),
            ),
            FileSource::External { url } => typed("external", json!({ "url": url })),
            FileSource::Upload { id } => typed("file_upload", json!({ "id": id })),
            FileSource::Unknown { type_name } => {
                let mut map = Map::new();
                map.insert("type".into(), json!(type_name));
                map
            }
        })
    }
}

impl Icon {
    /// The icon object as Notion sends it.
    fn to_value(&self) -> Value {
        match self {
            Icon::Emoji(emoji) => Value::Object(typed("emoji", json!(emoji))),
            Icon::CustomEmoji { id, name, url } => Value::Object(typed(
                "custom_emoji",
                json!({"id": id, "name": name, "url": url}),
            )),
            Icon::Native { name, color } => {
                Value::Object(typed("icon", json!({"name": name, "color": color})))
            }
            Icon::File(file) => file.to_value(),
            Icon::Unknown { type_name } => json!({ "type": type_name }),
        }
    }
}

impl RichText {
    /// The run as Notion sends it.
    fn to_value(&self) -> Value {
        let mut map = match &self.content {
            RichTextContent::Text { content, link } => typed(
                "text",
                json!({"content": content, "link": link.as_ref().map(|url| json!({"url": url}))}),
            ),
            RichTextContent::Equation { expression } => {
                typed("equation", json!({ "expression": expression }))
            }
            RichTextContent::Mention(mention) => typed("mention", mention.to_value()),
            RichTextContent::Unknown { type_name } => {
                let mut map = Map::new();
                map.insert("type".into(), json!(type_name));
                map
            }
        };
        map.insert("annotations".into(), to_json(&self.annotations));
        map.insert("plain_text".into(), json!(self.plain_text));
        map.insert("href".into(), json!(self.href));
        Value::Object(map)
    }
}

impl Mention {
    /// The mention payload (`{"type": "page", "page": {…}}`).
    fn to_value(&self) -> Value {
        Value::Object(match self {
            Mention::User(user) => typed("user", to_json(user)),
            Mention::Page { id } => typed("page", json!({ "id": id })),
            Mention::Database { id } => typed("database", json!({ "id": id })),
            Mention::Date(date) => typed("date", to_json(date)),
            Mention::LinkPreview { url } => typed("link_preview", json!({ "url": url })),
            Mention::LinkMention { href, title } => {
                typed("link_mention", json!({"href": href, "title": title}))
            }
            Mention::Template { value } => typed(
                "template_mention",
                json!({"type": "template_mention_date", "template_mention_date": value}),
            ),
            Mention::CustomEmoji { id, name, url } => {
                typed("custom_emoji", json!({"id": id, "name": name, "url": url}))
            }
            Mention::Unknown { type_name, raw } => typed(type_name, raw.clone()),
        })
    }
}

fn runs(runs: &[RichText]) -> Value {
    Value::Array(runs.iter().map(RichText::to_value).collect())
}

fn media(m: &Media) -> Value {
    let mut payload = match m.source.to_value() {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    payload.insert("caption".into(), runs(&m.caption));
    if let Some(name) = &m.name {
        payload.insert("name".into(), json!(name));
    }
    Value::Object(payload)
}

fn icon(icon: &Option<Icon>) -> Value {
    icon.as_ref().map_or(Value::Null, Icon::to_value)
}

impl Block {
    /// The block as Notion sends it, with its children under `children`.
    pub fn to_value(&self) -> Value {
        let text = |t: &super::TextBlock| {
            let mut payload = json!({"rich_text": runs(&t.rich_text), "color": t.color.0});
            if t.icon.is_some() {
                payload["icon"] = icon(&t.icon);
            }
            payload
        };
        let (name, payload): (&str, Value) = match &self.kind {
            BlockKind::Paragraph(t) => ("paragraph", text(t)),
            BlockKind::Heading { text: h, .. } => (
                self.type_name(),
                json!({"rich_text": runs(&h.rich_text), "color": h.color.0, "is_toggleable": h.is_toggleable}),
            ),
            BlockKind::BulletedListItem(t) => ("bulleted_list_item", text(t)),
            BlockKind::NumberedListItem(t) => (
                "numbered_list_item",
                json!({"rich_text": runs(&t.rich_text), "color": t.color.0,
                       "list_start_index": t.list_start_index, "list_format": t.list_format}),
            ),
            BlockKind::ToDo(t) => (
                "to_do",
                json!({"rich_text": runs(&t.rich_text), "checked": t.checked, "color": t.color.0}),
            ),
            BlockKind::Toggle(t) => ("toggle", text(t)),
            BlockKind::Quote(t) => ("quote", text(t)),
            BlockKind::Template(t) => ("template", text(t)),
            BlockKind::Callout(c) => (
                "callout",
                json!({"rich_text": runs(&c.rich_text), "icon": icon(&c.icon), "color": c.color.0}),
            ),
            BlockKind::Code(c) => (
                "code",
                json!({"rich_text": runs(&c.rich_text), "caption": runs(&c.caption), "language": c.language}),
            ),
            BlockKind::Equation { expression } => ("equation", json!({ "expression": expression })),
            BlockKind::Divider => ("divider", json!({})),
            BlockKind::Breadcrumb => ("breadcrumb", json!({})),
            BlockKind::TableOfContents { color } => {
                ("table_of_contents", json!({ "color": color.0 }))
            }
            BlockKind::Image(m) => ("image", media(m)),
            BlockKind::Video(m) => ("video", media(m)),
            BlockKind::Audio(m) => ("audio", media(m)),
            BlockKind::Pdf(m) => ("pdf", media(m)),
            BlockKind::File(m) => ("file", media(m)),
            BlockKind::Bookmark(l) => (
                "bookmark",
                json!({"url": l.url, "caption": runs(&l.caption)}),
            ),
            BlockKind::Embed(l) => ("embed", json!({"url": l.url, "caption": runs(&l.caption)})),
            BlockKind::LinkPreview { url } => ("link_preview", json!({ "url": url })),
            BlockKind::Table(t) => (
                "table",
                json!({"table_width": t.table_width, "has_column_header": t.has_column_header,
                       "has_row_header": t.has_row_header}),
            ),
            BlockKind::TableRow { cells } => (
                "table_row",
                json!({ "cells": cells.iter().map(|c| runs(c)).collect::<Vec<_>>() }),
            ),
            BlockKind::ColumnList => ("column_list", json!({})),
            BlockKind::Column { width_ratio } => ("column", json!({ "width_ratio": width_ratio })),
            BlockKind::SyncedBlock { synced_from } => (
                "synced_block",
                json!({"synced_from": synced_from.as_ref().map(|id| json!({"type": "block_id", "block_id": id}))}),
            ),
            BlockKind::ChildPage { title } => ("child_page", json!({ "title": title })),
            BlockKind::ChildDatabase { title } => ("child_database", json!({ "title": title })),
            BlockKind::LinkToPage(target) => (
                "link_to_page",
                match target {
                    LinkTarget::Page(id) => json!({"type": "page_id", "page_id": id}),
                    LinkTarget::Database(id) => json!({"type": "database_id", "database_id": id}),
                    LinkTarget::Other { type_name } => json!({ "type": type_name }),
                },
            ),
            BlockKind::Tab => ("tab", json!({})),
            BlockKind::MeetingNotes { title } => ("meeting_notes", json!({ "title": runs(title) })),
            BlockKind::Unsupported { block_type } => {
                ("unsupported", json!({ "block_type": block_type }))
            }
            BlockKind::Unknown { type_name, raw } => (type_name.as_str(), raw.clone()),
            BlockKind::Partial => ("", Value::Null),
        };
        let mut map = Map::new();
        map.insert("object".into(), json!("block"));
        map.insert("id".into(), json!(self.id));
        if let Some(parent) = &self.parent {
            map.insert("parent".into(), to_json(parent));
        }
        map.insert("created_time".into(), time(&self.created_time));
        map.insert("last_edited_time".into(), time(&self.last_edited_time));
        map.insert("has_children".into(), json!(self.has_children));
        map.insert("in_trash".into(), json!(self.in_trash));
        if !name.is_empty() {
            map.insert("type".into(), json!(name));
            map.insert(name.to_owned(), payload);
        }
        if !self.children.is_empty() {
            map.insert(
                "children".into(),
                Value::Array(
                    self.children
                        .iter()
                        .map(|child| crate::deep::grow(|| child.to_value()))
                        .collect(),
                ),
            );
        }
        Value::Object(map)
    }
}

impl PropertyValue {
    /// The property value as Notion sends it (`{"type": "number", "number": 4}`).
    fn to_value(&self) -> Value {
        let name = self.type_name().to_owned();
        let payload = match self {
            PropertyValue::Title(r) | PropertyValue::RichText(r) => runs(r),
            PropertyValue::Number(n) => json!(n),
            PropertyValue::Select(o) | PropertyValue::Status(o) => to_json(o),
            PropertyValue::MultiSelect(o) => to_json(o),
            PropertyValue::Date(d) => to_json(d),
            PropertyValue::People(p) => to_json(p),
            PropertyValue::Files(files) => Value::Array(
                files
                    .iter()
                    .map(|f| {
                        let mut file = f.source.to_value();
                        file["name"] = json!(f.name);
                        file
                    })
                    .collect(),
            ),
            PropertyValue::Checkbox(b) => json!(b),
            PropertyValue::Url(s) | PropertyValue::Email(s) | PropertyValue::PhoneNumber(s) => {
                json!(s)
            }
            PropertyValue::Formula(f) => formula(f),
            PropertyValue::Relation { ids, has_more } => {
                let mut map = typed(
                    "relation",
                    Value::Array(ids.iter().map(|id| json!({ "id": id })).collect()),
                );
                map.insert("has_more".into(), json!(has_more));
                return Value::Object(map);
            }
            PropertyValue::Rollup(r) => rollup(r),
            PropertyValue::CreatedTime(t) | PropertyValue::LastEditedTime(t) => time(t),
            PropertyValue::CreatedBy(u) | PropertyValue::LastEditedBy(u) => to_json(u),
            PropertyValue::UniqueId { prefix, number } => {
                json!({"prefix": prefix, "number": number})
            }
            PropertyValue::Verification { state } => json!({ "state": state }),
            PropertyValue::Button => json!({}),
            PropertyValue::Place(v) => v.clone(),
            PropertyValue::Unknown { raw, .. } => return raw.clone(),
        };
        Value::Object(typed(&name, payload))
    }
}

fn formula(f: &Formula) -> Value {
    match f {
        Formula::String(s) => json!({"type": "string", "string": s}),
        Formula::Number(n) => json!({"type": "number", "number": n}),
        Formula::Boolean(b) => json!({"type": "boolean", "boolean": b}),
        Formula::Date(d) => json!({"type": "date", "date": to_json(d)}),
        Formula::Unsupported => json!({"type": "unsupported", "unsupported": {}}),
        Formula::Unknown { type_name } => json!({ "type": type_name }),
    }
}

fn rollup(r: &Rollup) -> Value {
    match r {
        Rollup::Number(n) => json!({"type": "number", "number": n}),
        Rollup::Date(d) => json!({"type": "date", "date": to_json(d)}),
        Rollup::Array(items) => json!({"type": "array",
            "array": items.iter().map(PropertyValue::to_value).collect::<Vec<_>>()}),
        Rollup::Incomplete => json!({"type": "incomplete", "incomplete": {}}),
        Rollup::Unsupported => json!({"type": "unsupported", "unsupported": {}}),
        Rollup::Unknown { type_name } => json!({ "type": type_name }),
    }
}

fn schema(properties: &std::collections::BTreeMap<String, PropertySchema>) -> Value {
    Value::Object(
        properties
            .iter()
            .map(|(name, p)| {
                let mut config = Map::new();
                if !p.options.is_empty() {
                    config.insert(
                        "options".into(),
                        Value::Array(p.options.iter().map(|o| json!({ "name": o })).collect()),
                    );
                }
                if let Some(format) = &p.number_format {
                    config.insert("format".into(), json!(format));
                }
                let mut map = typed(&p.type_name, Value::Object(config));
                map.insert("id".into(), json!(p.id));
                map.insert("name".into(), json!(p.name));
                (name.clone(), Value::Object(map))
            })
            .collect(),
    )
}

impl Page {
    /// The page object as Notion sends it (without `request_id`).
    pub fn to_value(&self) -> Value {
        json!({
            "object": "page",
            "id": self.id,
            "created_time": time(&self.created_time),
            "last_edited_time": time(&self.last_edited_time),
            "cover": self.cover.as_ref().map(FileSource::to_value),
            "icon": icon(&self.icon),
            "parent": self.parent.as_ref().map(to_json),
            "in_trash": self.in_trash,
            "properties": Value::Object(self.properties.iter()
                .map(|(name, value)| (name.clone(), value.to_value())).collect()),
            "url": self.url,
        })
    }
}

impl Database {
    /// The database object as Notion sends it, with the schema of its data source.
    pub fn to_value(&self) -> Value {
        json!({
            "object": "database",
            "id": self.id,
            "title": runs(&self.title),
            "description": runs(&self.description),
            "icon": icon(&self.icon),
            "cover": self.cover.as_ref().map(FileSource::to_value),
            "parent": self.parent.as_ref().map(to_json),
            "last_edited_time": time(&self.last_edited_time),
            "in_trash": self.in_trash,
            "data_sources": to_json(&self.data_sources),
            "properties": schema(&self.properties),
            "url": self.url,
        })
    }
}

impl DataSource {
    /// The data source object as Notion sends it.
    pub fn to_value(&self) -> Value {
        json!({
            "object": "data_source",
            "id": self.id,
            "title": runs(&self.title),
            "parent": self.parent.as_ref().map(to_json),
            "properties": schema(&self.properties),
            "last_edited_time": time(&self.last_edited_time),
        })
    }
}

macro_rules! serialize_via_value {
    ($($ty:ty),*) => {$(
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let value = self.to_value();
                let written = value.serialize(serializer);
                // A block's value holds its children to any depth.
                crate::deep::drop_value(value);
                written
            }
        }
    )*};
}

serialize_via_value!(
    Block,
    Page,
    Database,
    DataSource,
    RichText,
    FileSource,
    Icon,
    PropertyValue
);
