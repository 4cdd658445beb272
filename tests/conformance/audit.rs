//! Auditing parsed responses: no known type may hide in an `Unknown` variant, and what the
//! model read must agree with the raw JSON it came from.

use std::collections::BTreeMap;

use notion_bake::notion::model::{
    Block, BlockKind, DataSource, Database, FileSource, Formula, Icon, LinkTarget, Mention, Page,
    Parent, PropertySchema, PropertyValue, Response, RichText, RichTextContent, Rollup,
};
use serde_json::Value;

use crate::block_types::KNOWN_BLOCKS;

/// Property value types Notion has.
pub const KNOWN_PROPERTIES: &[&str] = &[
    "title",
    "rich_text",
    "number",
    "select",
    "status",
    "multi_select",
    "date",
    "people",
    "files",
    "checkbox",
    "url",
    "email",
    "phone_number",
    "formula",
    "relation",
    "rollup",
    "created_time",
    "last_edited_time",
    "created_by",
    "last_edited_by",
    "unique_id",
    "verification",
    "button",
    "place",
];

/// Property configuration types of a schema: the value types and the request-only ones.
pub const KNOWN_PROPERTY_CONFIGS: &[&str] = &["location", "last_visited_time"];

pub const KNOWN_RICH_TEXT: &[&str] = &["text", "mention", "equation"];
pub const KNOWN_MENTIONS: &[&str] = &[
    "user",
    "page",
    "database",
    "date",
    "link_preview",
    "link_mention",
    "template_mention",
    "custom_emoji",
];
pub const KNOWN_FORMULAS: &[&str] = &["string", "number", "boolean", "date", "unsupported"];
pub const KNOWN_ROLLUPS: &[&str] = &["number", "date", "array", "unsupported", "incomplete"];
pub const KNOWN_FILES: &[&str] = &["file", "external", "file_upload"];
pub const KNOWN_ICONS: &[&str] = &[
    "emoji",
    "custom_emoji",
    "icon",
    "file",
    "external",
    "file_upload",
];
/// `link_to_page` targets with their own variant. A `comment_id` target is kept, by
/// design, as `LinkTarget::Other { type_name: "comment_id" }`: a site has no comments to link to.
pub const KNOWN_LINK_TARGETS: &[&str] = &["page_id", "database_id"];
const KNOWN_PARENTS: &[&str] = &[
    "page_id",
    "database_id",
    "data_source_id",
    "block_id",
    "workspace",
];

/// What one document taught: counts of parsed objects, unknown types seen, and problems.
#[derive(Default)]
pub struct Audit {
    pub counts: BTreeMap<String, usize>,
    /// Unknown type names kept, by kind (`block: future_block`).
    pub unknown: BTreeMap<String, usize>,
    pub problems: Vec<String>,
    /// Blocks checked to read the same from bytes as from a `Value`.
    pub blocks_read_from_bytes: usize,
    /// Objects checked to read back as the model writes them.
    pub round_trips: usize,
}

impl Audit {
    fn count(&mut self, kind: &str) {
        *self.counts.entry(kind.to_owned()).or_default() += 1;
    }

    fn problem(&mut self, path: &str, message: String) {
        self.problems.push(format!("{path}: {message}"));
    }

    fn unknown(&mut self, path: &str, kind: &str, type_name: &str, known: &[&str]) {
        *self
            .unknown
            .entry(format!("{kind} `{type_name}`"))
            .or_default() += 1;
        if type_name.is_empty() || known.contains(&type_name) {
            self.problem(
                path,
                format!("{kind} of known type `{type_name}` landed in an Unknown variant"),
            );
        }
    }

    // ---- walking the model ------------------------------------------------------------

    pub fn response(&mut self, response: &Response, path: &str) {
        match response {
            Response::Page(page) => self.page(page, path),
            Response::Block(block) => self.block(block, path),
            Response::Database(db) => self.database(db, path),
            Response::DataSource(ds) => self.data_source(ds, path),
            Response::User(_) => self.count("user"),
            Response::PropertyItem(value) => self.property(value, path),
            Response::List(items, _) => {
                self.count("list");
                for (i, item) in items.iter().enumerate() {
                    self.response(item, &format!("{path}.results[{i}]"));
                }
            }
            Response::Error(_) => self.count("error"),
            Response::Other { object, .. } => self.count(&format!("other object `{object}`")),
        }
    }

    pub fn page(&mut self, page: &Page, path: &str) {
        self.count("page");
        if let Some(icon) = &page.icon {
            self.icon(icon, &format!("{path}.icon"));
        }
        if let Some(cover) = &page.cover {
            self.file(cover, &format!("{path}.cover"));
        }
        for (name, value) in &page.properties {
            self.property(value, &format!("{path}.properties[{name}]"));
        }
    }

    pub fn database(&mut self, db: &Database, path: &str) {
        self.count("database");
        self.runs(&db.title, &format!("{path}.title"));
        self.runs(&db.description, &format!("{path}.description"));
        if let Some(icon) = &db.icon {
            self.icon(icon, &format!("{path}.icon"));
        }
        if let Some(cover) = &db.cover {
            self.file(cover, &format!("{path}.cover"));
        }
        for (name, schema) in &db.properties {
            self.schema(schema, &format!("{path}.properties[{name}]"));
        }
    }

    pub fn data_source(&mut self, ds: &DataSource, path: &str) {
        self.count("data_source");
        self.runs(&ds.title, &format!("{path}.title"));
        for (name, schema) in &ds.properties {
            self.schema(schema, &format!("{path}.properties[{name}]"));
        }
    }

    pub fn schema(&mut self, schema: &PropertySchema, path: &str) {
        self.count("property schema");
        let name = schema.type_name.as_str();
        if !KNOWN_PROPERTIES.contains(&name) && !KNOWN_PROPERTY_CONFIGS.contains(&name) {
            self.unknown(path, "property schema", name, &[]);
        }
    }

    pub fn block(&mut self, block: &Block, path: &str) {
        self.count("block");
        let path = &format!("{path}<{}>", block.type_name());
        match &block.kind {
            BlockKind::Unknown { type_name, .. } => {
                self.unknown(path, "block", type_name, KNOWN_BLOCKS)
            }
            BlockKind::Partial => self.count("partial block"),
            BlockKind::Paragraph(t) => {
                if let Some(icon) = &t.icon {
                    self.icon(icon, &format!("{path}.icon"));
                }
            }
            BlockKind::Callout(c) => {
                if let Some(icon) = &c.icon {
                    self.icon(icon, &format!("{path}.icon"));
                }
            }
            BlockKind::Code(c) => self.runs(&c.caption, &format!("{path}.caption")),
            BlockKind::Image(m)
            | BlockKind::Video(m)
            | BlockKind::Audio(m)
            | BlockKind::Pdf(m)
            | BlockKind::File(m) => {
                self.file(&m.source, path);
                self.runs(&m.caption, &format!("{path}.caption"));
            }
            BlockKind::Bookmark(l) | BlockKind::Embed(l) => {
                self.runs(&l.caption, &format!("{path}.caption"))
            }
            BlockKind::TableRow { cells } => {
                for (i, cell) in cells.iter().enumerate() {
                    self.runs(cell, &format!("{path}.cells[{i}]"));
                }
            }
            BlockKind::MeetingNotes { title } => self.runs(title, &format!("{path}.title")),
            BlockKind::LinkToPage(LinkTarget::Other { type_name }) => {
                self.unknown(path, "link_to_page target", type_name, KNOWN_LINK_TARGETS)
            }
            _ => {}
        }
        self.runs(block.rich_text(), &format!("{path}.rich_text"));
        for (i, child) in block.children.iter().enumerate() {
            self.block(child, &format!("{path}.children[{i}]"));
        }
    }

    pub fn runs(&mut self, runs: &[RichText], path: &str) {
        for (i, run) in runs.iter().enumerate() {
            self.rich_text(run, &format!("{path}[{i}]"));
        }
    }

    pub fn rich_text(&mut self, run: &RichText, path: &str) {
        self.count("rich text");
        match &run.content {
            RichTextContent::Unknown { type_name } => {
                self.unknown(path, "rich text", type_name, KNOWN_RICH_TEXT)
            }
            RichTextContent::Mention(mention) => {
                self.count("mention");
                if let Mention::Unknown { type_name, .. } = mention {
                    self.unknown(path, "mention", type_name, KNOWN_MENTIONS);
                }
            }
            _ => {}
        }
    }

    pub fn property(&mut self, value: &PropertyValue, path: &str) {
        self.count("property value");
        match value {
            PropertyValue::Unknown { type_name, .. } => {
                self.unknown(path, "property", type_name, KNOWN_PROPERTIES)
            }
            PropertyValue::Title(runs) | PropertyValue::RichText(runs) => self.runs(runs, path),
            PropertyValue::Files(files) => {
                for (i, file) in files.iter().enumerate() {
                    self.file(&file.source, &format!("{path}[{i}]"));
                }
            }
            PropertyValue::Formula(Formula::Unknown { type_name }) => {
                self.unknown(path, "formula", type_name, KNOWN_FORMULAS)
            }
            PropertyValue::Rollup(Rollup::Unknown { type_name }) => {
                self.unknown(path, "rollup", type_name, KNOWN_ROLLUPS)
            }
            PropertyValue::Rollup(Rollup::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.property(item, &format!("{path}.array[{i}]"));
                }
            }
            _ => {}
        }
    }

    pub fn file(&mut self, file: &FileSource, path: &str) {
        self.count("file object");
        if let FileSource::Unknown { type_name } = file {
            self.unknown(path, "file", type_name, KNOWN_FILES);
        }
    }

    pub fn icon(&mut self, icon: &Icon, path: &str) {
        self.count("icon");
        match icon {
            Icon::Unknown { type_name } => self.unknown(path, "icon", type_name, KNOWN_ICONS),
            Icon::File(file) => self.file(file, path),
            _ => {}
        }
    }

    // ---- the model against the raw JSON ----------------------------------------------

    /// Walks the raw JSON and, for every block, page, database, data source, property item,
    /// rich-text run, file object and icon in it, parses that node on its own and checks that
    /// the model kept its type and the fields that matter.
    pub fn raw(&mut self, value: &Value, path: &str) {
        match value {
            Value::Object(map) => {
                match map.get("object").and_then(Value::as_str) {
                    Some("block") => self.raw_block(value, path),
                    Some("page") => self.raw_page(value, path),
                    Some("database") => {
                        let db = Database::from_value(value);
                        self.raw_schema(value, &db.properties, path);
                        self.expect_eq(
                            path,
                            "title runs",
                            raw_len(&value["title"]),
                            db.title.len(),
                        );
                    }
                    Some("data_source") => {
                        let ds = DataSource::from_value(value);
                        self.raw_schema(value, &ds.properties, path);
                        self.expect_eq(
                            path,
                            "title runs",
                            raw_len(&value["title"]),
                            ds.title.len(),
                        );
                    }
                    Some("property_item") => {
                        self.count("checked against JSON: property item");
                        self.raw_property(value, &PropertyValue::from_value(value), path);
                    }
                    Some("list") => {
                        // The summary of a paginated property item list (`property_item`:
                        // `{id, next_url, type, <type>}`), e.g. a rollup's function and type.
                        if let Some(summary) = map.get("property_item") {
                            let parsed = PropertyValue::from_value(summary);
                            let path = format!("{path}.property_item");
                            self.property(&parsed, &path);
                            self.raw_property(summary, &parsed, &path);
                        }
                    }
                    _ => {}
                }
                if is_rich_text(value) {
                    self.raw_rich_text(value, path);
                }
                if is_file_object(value) {
                    self.raw_file(value, path);
                }
                if let Some(icon) = map.get("icon").filter(|i| i.get("type").is_some()) {
                    self.raw_icon(icon, &format!("{path}.icon"));
                }
                for (key, child) in map {
                    self.raw(child, &format!("{path}.{key}"));
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.raw(item, &format!("{path}[{i}]"));
                }
            }
            _ => {}
        }
    }

    fn expect_eq<T: PartialEq + std::fmt::Debug>(
        &mut self,
        path: &str,
        what: &str,
        raw: T,
        parsed: T,
    ) {
        if raw != parsed {
            self.problem(
                path,
                format!("{what}: the JSON has {raw:?}, the model read {parsed:?}"),
            );
        }
    }

    fn raw_parent(&mut self, value: &Value, parsed: Option<&Parent>, path: &str) {
        let Some(kind) = value.get("parent").and_then(|p| p.get("type")) else {
            return;
        };
        let kind = kind.as_str().unwrap_or_default();
        if KNOWN_PARENTS.contains(&kind) && matches!(parsed, None | Some(Parent::Other)) {
            self.problem(
                path,
                format!("parent of type `{kind}` not read: {parsed:?}"),
            );
        }
    }

    fn raw_block(&mut self, value: &Value, path: &str) {
        self.count("checked against JSON: block");
        let block = Block::from_value(value);
        let Some(raw_type) = value.get("type").and_then(Value::as_str) else {
            if block.kind != BlockKind::Partial {
                self.problem(path, format!("block without type read as {:?}", block.kind));
            }
            return;
        };
        let expected = match raw_type {
            "transcription" => "meeting_notes",
            other => other,
        };
        self.expect_eq(path, "block type", expected, block.type_name());
        if matches!(block.kind, BlockKind::Unknown { .. }) && KNOWN_BLOCKS.contains(&raw_type) {
            self.problem(
                path,
                format!("known block type `{raw_type}` read as Unknown"),
            );
        }
        self.expect_eq(path, "block id", str_of(value, "id"), block.id.as_str());
        self.expect_eq(
            path,
            "has_children",
            value["has_children"].as_bool().unwrap_or(false),
            block.has_children,
        );
        self.expect_eq(path, "in_trash", raw_trashed(value), block.in_trash);
        self.expect_eq(
            path,
            "created_time read",
            value["created_time"].is_string(),
            block.created_time.is_some(),
        );
        self.expect_eq(
            path,
            "last_edited_time read",
            value["last_edited_time"].is_string(),
            block.last_edited_time.is_some(),
        );
        self.raw_parent(value, block.parent.as_ref(), path);
        let payload = &value[raw_type];
        let raw_runs = payload.get("rich_text").or_else(|| payload.get("text"));
        if let Some(runs) = raw_runs.and_then(Value::as_array) {
            self.expect_eq(path, "rich_text runs", runs.len(), block.rich_text().len());
        }
        match &block.kind {
            BlockKind::Image(m)
            | BlockKind::Video(m)
            | BlockKind::Audio(m)
            | BlockKind::Pdf(m)
            | BlockKind::File(m) => {
                let kind = str_of(payload, "type");
                let url = payload[kind]["url"].as_str();
                self.expect_eq(path, "media url", url, m.source.url());
                self.expect_eq(
                    path,
                    "caption runs",
                    raw_len(&payload["caption"]),
                    m.caption.len(),
                );
                self.expect_eq(
                    path,
                    "file name",
                    payload["name"].as_str(),
                    m.name.as_deref(),
                );
            }
            BlockKind::TableRow { cells } => {
                self.expect_eq(path, "cells", raw_len(&payload["cells"]), cells.len());
            }
            BlockKind::Code(c) => {
                self.expect_eq(
                    path,
                    "language",
                    str_of(payload, "language"),
                    c.language.as_str(),
                );
            }
            BlockKind::Callout(c) => {
                self.expect_eq(
                    path,
                    "callout icon",
                    payload["icon"].is_object(),
                    c.icon.is_some(),
                );
                self.expect_eq(path, "color", str_of(payload, "color"), c.color.0.as_str());
            }
            BlockKind::Heading { text, .. } => {
                let toggleable = payload["is_toggleable"].as_bool().unwrap_or(false);
                self.expect_eq(path, "is_toggleable", toggleable, text.is_toggleable);
            }
            BlockKind::ToDo(t) => {
                self.expect_eq(
                    path,
                    "checked",
                    payload["checked"].as_bool(),
                    Some(t.checked),
                );
            }
            BlockKind::NumberedListItem(n) => {
                let start = payload["list_start_index"].as_u64();
                self.expect_eq(
                    path,
                    "list_start_index",
                    start,
                    n.list_start_index.map(u64::from),
                );
                let format = payload["list_format"].as_str();
                self.expect_eq(path, "list_format", format, n.list_format.as_deref());
            }
            BlockKind::Table(t) => {
                let raw = (
                    payload["table_width"].as_u64(),
                    payload["has_column_header"].as_bool(),
                    payload["has_row_header"].as_bool(),
                );
                let parsed = (
                    Some(u64::from(t.table_width)),
                    Some(t.has_column_header),
                    Some(t.has_row_header),
                );
                self.expect_eq(path, "table", raw, parsed);
            }
            BlockKind::Column { width_ratio } => {
                self.expect_eq(
                    path,
                    "width_ratio",
                    payload["width_ratio"].as_f64(),
                    *width_ratio,
                );
            }
            BlockKind::SyncedBlock { synced_from } => {
                let raw = payload["synced_from"]["block_id"].as_str();
                self.expect_eq(path, "synced_from", raw, synced_from.as_deref());
            }
            BlockKind::ChildPage { title } | BlockKind::ChildDatabase { title } => {
                self.expect_eq(path, "title", str_of(payload, "title"), title.as_str());
            }
            BlockKind::LinkToPage(target) => {
                let kind = str_of(payload, "type");
                let (name, id) = match target {
                    LinkTarget::Page(id) => ("page_id", id.as_str()),
                    LinkTarget::Database(id) => ("database_id", id.as_str()),
                    LinkTarget::Other { type_name } => (type_name.as_str(), ""),
                };
                self.expect_eq(path, "link_to_page type", kind, name);
                if !id.is_empty() {
                    self.expect_eq(path, "link_to_page id", str_of(payload, kind), id);
                }
            }
            BlockKind::Equation { expression } => {
                self.expect_eq(
                    path,
                    "expression",
                    str_of(payload, "expression"),
                    expression,
                );
            }
            BlockKind::Bookmark(l) | BlockKind::Embed(l) => {
                self.expect_eq(path, "url", str_of(payload, "url"), l.url.as_str());
                self.expect_eq(
                    path,
                    "caption runs",
                    raw_len(&payload["caption"]),
                    l.caption.len(),
                );
            }
            BlockKind::LinkPreview { url } => {
                self.expect_eq(path, "url", str_of(payload, "url"), url);
            }
            BlockKind::Unsupported { block_type } => {
                let raw = payload["block_type"].as_str();
                self.expect_eq(path, "block_type", raw, block_type.as_deref());
            }
            BlockKind::Paragraph(t) => {
                self.expect_eq(path, "icon", payload["icon"].is_object(), t.icon.is_some());
            }
            _ => {}
        }
        if let Some(color) = payload["color"].as_str() {
            let parsed = match &block.kind {
                BlockKind::Paragraph(t)
                | BlockKind::BulletedListItem(t)
                | BlockKind::Toggle(t)
                | BlockKind::Quote(t)
                | BlockKind::Template(t) => Some(&t.color),
                BlockKind::Heading { text, .. } => Some(&text.color),
                BlockKind::NumberedListItem(n) => Some(&n.color),
                BlockKind::ToDo(t) => Some(&t.color),
                BlockKind::TableOfContents { color } => Some(color),
                _ => None,
            };
            if let Some(parsed) = parsed {
                self.expect_eq(path, "color", color, parsed.0.as_str());
            }
        }
    }

    fn raw_page(&mut self, value: &Value, path: &str) {
        self.count("checked against JSON: page");
        let page = Page::from_value(value);
        self.expect_eq(path, "page id", str_of(value, "id"), page.id.as_str());
        self.expect_eq(
            path,
            "icon read",
            value["icon"].is_object(),
            page.icon.is_some(),
        );
        self.expect_eq(
            path,
            "cover read",
            value["cover"].is_object(),
            page.cover.is_some(),
        );
        self.expect_eq(path, "in_trash", raw_trashed(value), page.in_trash);
        self.expect_eq(
            path,
            "last_edited_time read",
            value["last_edited_time"].is_string(),
            page.last_edited_time.is_some(),
        );
        self.raw_parent(value, page.parent.as_ref(), path);
        let raw_props = value["properties"].as_object().cloned().unwrap_or_default();
        self.expect_eq(path, "properties", raw_props.len(), page.properties.len());
        for (name, raw) in &raw_props {
            let parsed = page.properties.get(name).map(PropertyValue::type_name);
            self.expect_eq(
                &format!("{path}.properties[{name}]"),
                "property type",
                raw["type"].as_str(),
                parsed,
            );
            if let Some(parsed) = page.properties.get(name) {
                self.raw_property(raw, parsed, &format!("{path}.properties[{name}]"));
            }
        }
    }

    /// A property value against its JSON: same type, and the value itself read.
    fn raw_property(&mut self, raw: &Value, parsed: &PropertyValue, path: &str) {
        let kind = str_of(raw, "type");
        self.expect_eq(path, "property type", kind, parsed.type_name());
        let payload = &raw[kind];
        let runs = |v: &Value| match v {
            Value::Array(items) => items.len(),
            Value::Object(o) if o.contains_key("type") => 1,
            _ => 0,
        };
        match parsed {
            PropertyValue::Title(r) | PropertyValue::RichText(r) => {
                self.expect_eq(path, "runs", runs(payload), r.len())
            }
            PropertyValue::Number(n) => self.expect_eq(path, "number", payload.as_f64(), *n),
            PropertyValue::Select(o) | PropertyValue::Status(o) => self.expect_eq(
                path,
                "option",
                payload["name"].as_str(),
                o.as_ref().map(|o| o.name.as_str()),
            ),
            PropertyValue::MultiSelect(o) => {
                self.expect_eq(path, "options", raw_len(payload), o.len())
            }
            PropertyValue::Date(d) => self.expect_eq(
                path,
                "date",
                payload["start"].as_str(),
                d.as_ref().map(|d| d.start.as_str()),
            ),
            PropertyValue::People(p) => {
                let n = if payload.get("id").is_some() {
                    1
                } else {
                    raw_len(payload)
                };
                self.expect_eq(path, "people", n, p.len())
            }
            PropertyValue::Files(files) => {
                self.expect_eq(path, "files", raw_len(payload), files.len());
                for (raw, file) in payload.as_array().into_iter().flatten().zip(files) {
                    self.expect_eq(path, "file name", str_of(raw, "name"), file.name.as_str());
                    let kind = str_of(raw, "type");
                    self.expect_eq(
                        path,
                        "file url",
                        raw[kind]["url"].as_str(),
                        file.source.url(),
                    );
                }
            }
            PropertyValue::Checkbox(b) => {
                self.expect_eq(path, "checkbox", payload.as_bool(), Some(*b))
            }
            PropertyValue::Url(s) | PropertyValue::Email(s) | PropertyValue::PhoneNumber(s) => {
                self.expect_eq(path, "string", payload.as_str(), s.as_deref())
            }
            PropertyValue::Formula(f) => {
                let inner_kind = str_of(payload, "type");
                let (name, has_value) = match f {
                    Formula::String(v) => ("string", v.is_some()),
                    Formula::Number(v) => ("number", v.is_some()),
                    Formula::Boolean(v) => ("boolean", v.is_some()),
                    Formula::Date(v) => ("date", v.is_some()),
                    Formula::Unsupported => ("unsupported", false),
                    Formula::Unknown { type_name } => (type_name.as_str(), false),
                };
                self.expect_eq(path, "formula type", inner_kind, name);
                if matches!(inner_kind, "string" | "number" | "boolean" | "date") {
                    let raw_has = !payload[inner_kind].is_null();
                    self.expect_eq(path, "formula value read", raw_has, has_value);
                }
            }
            PropertyValue::Relation { ids, .. } => {
                let n = if payload.get("id").is_some() {
                    1
                } else {
                    raw_len(payload)
                };
                self.expect_eq(path, "relation ids", n, ids.len())
            }
            PropertyValue::Rollup(r) => {
                let inner_kind = str_of(payload, "type");
                let name = match r {
                    Rollup::Number(_) => "number",
                    Rollup::Date(_) => "date",
                    Rollup::Array(items) => {
                        self.expect_eq(
                            path,
                            "rollup array",
                            raw_len(&payload["array"]),
                            items.len(),
                        );
                        for (raw, item) in
                            payload["array"].as_array().into_iter().flatten().zip(items)
                        {
                            self.raw_property(raw, item, &format!("{path}.array"));
                        }
                        "array"
                    }
                    Rollup::Incomplete => "incomplete",
                    Rollup::Unsupported => "unsupported",
                    Rollup::Unknown { type_name } => type_name,
                };
                self.expect_eq(path, "rollup type", inner_kind, name);
            }
            PropertyValue::CreatedTime(t) | PropertyValue::LastEditedTime(t) => {
                self.expect_eq(path, "time read", payload.is_string(), t.is_some())
            }
            PropertyValue::CreatedBy(u) | PropertyValue::LastEditedBy(u) => self.expect_eq(
                path,
                "user",
                payload["id"].as_str(),
                u.as_ref().map(|u| u.id.as_str()),
            ),
            PropertyValue::UniqueId { prefix, number } => {
                self.expect_eq(
                    path,
                    "unique_id number",
                    payload["number"].as_i64(),
                    *number,
                );
                self.expect_eq(
                    path,
                    "unique_id prefix",
                    payload["prefix"].as_str(),
                    prefix.as_deref(),
                );
            }
            PropertyValue::Verification { state } => self.expect_eq(
                path,
                "verification",
                payload["state"].as_str(),
                state.as_deref(),
            ),
            _ => {}
        }
    }

    fn raw_schema(&mut self, value: &Value, parsed: &BTreeMap<String, PropertySchema>, path: &str) {
        let raw_props = value["properties"].as_object().cloned().unwrap_or_default();
        self.expect_eq(path, "schema properties", raw_props.len(), parsed.len());
        for (name, raw) in &raw_props {
            self.expect_eq(
                &format!("{path}.properties[{name}]"),
                "schema type",
                raw["type"].as_str(),
                parsed.get(name).map(|s| s.type_name.as_str()),
            );
        }
    }

    fn raw_rich_text(&mut self, value: &Value, path: &str) {
        self.count("checked against JSON: rich text");
        let run: RichText = match serde_json::from_value(value.clone()) {
            Ok(run) => run,
            Err(e) => return self.problem(path, format!("rich text does not parse: {e}")),
        };
        let raw_type = str_of(value, "type");
        self.expect_eq(path, "rich text type", raw_type, content_name(&run.content));
        self.expect_eq(
            path,
            "plain_text",
            str_of(value, "plain_text"),
            run.plain_text.as_str(),
        );
        self.expect_eq(path, "href", value["href"].as_str(), run.href.as_deref());
        let payload = &value[raw_type];
        match &run.content {
            RichTextContent::Text { content, link } => {
                self.expect_eq(path, "text", str_of(payload, "content"), content.as_str());
                self.expect_eq(
                    path,
                    "link",
                    payload["link"]["url"].as_str(),
                    link.as_deref(),
                );
            }
            RichTextContent::Equation { expression } => {
                self.expect_eq(
                    path,
                    "expression",
                    str_of(payload, "expression"),
                    expression,
                );
            }
            RichTextContent::Mention(mention) => {
                let raw_kind = match str_of(payload, "type") {
                    "data_source" => "database",
                    other => other,
                };
                self.expect_eq(path, "mention type", raw_kind, mention_name(mention));
                let inner = &payload[str_of(payload, "type")];
                match mention {
                    Mention::Page { id } | Mention::Database { id } => {
                        self.expect_eq(path, "mention id", str_of(inner, "id"), id.as_str())
                    }
                    Mention::User(user) => {
                        self.expect_eq(path, "user id", str_of(inner, "id"), user.id.as_str())
                    }
                    Mention::Date(date) => {
                        self.expect_eq(path, "date", str_of(inner, "start"), date.start.as_str())
                    }
                    Mention::LinkPreview { url } => {
                        self.expect_eq(path, "link_preview url", str_of(inner, "url"), url)
                    }
                    Mention::LinkMention { href, .. } => {
                        self.expect_eq(path, "link_mention href", str_of(inner, "href"), href)
                    }
                    Mention::Template { value } => {
                        let kind = str_of(inner, "type");
                        self.expect_eq(path, "template", str_of(inner, kind), value.as_str())
                    }
                    _ => {}
                }
            }
            RichTextContent::Unknown { .. } => {}
        }
    }

    fn raw_file(&mut self, value: &Value, path: &str) {
        self.count("checked against JSON: file object");
        let Some(file) = FileSource::from_value(value) else {
            return self.problem(path, "file object not read".to_owned());
        };
        let kind = str_of(value, "type");
        self.expect_eq(path, "file type", kind, file_name(&file));
        self.expect_eq(path, "file url", value[kind]["url"].as_str(), file.url());
        if let FileSource::Notion { expiry_time, .. } = &file {
            self.expect_eq(
                path,
                "expiry_time read",
                value[kind]["expiry_time"].is_string(),
                expiry_time.is_some(),
            );
        }
    }

    fn raw_icon(&mut self, value: &Value, path: &str) {
        self.count("checked against JSON: icon");
        let Some(icon) = Icon::from_value(value) else {
            return self.problem(path, "icon not read".to_owned());
        };
        let name = match &icon {
            Icon::Emoji(_) => "emoji",
            Icon::CustomEmoji { .. } => "custom_emoji",
            Icon::Native { .. } => "icon",
            Icon::File(file) => file_name(file),
            Icon::Unknown { type_name } => type_name,
        };
        self.expect_eq(path, "icon type", str_of(value, "type"), name);
    }
}

pub fn content_name(content: &RichTextContent) -> &str {
    match content {
        RichTextContent::Text { .. } => "text",
        RichTextContent::Equation { .. } => "equation",
        RichTextContent::Mention(_) => "mention",
        RichTextContent::Unknown { type_name } => type_name,
    }
}

pub fn mention_name(mention: &Mention) -> &str {
    match mention {
        Mention::User(_) => "user",
        Mention::Page { .. } => "page",
        Mention::Database { .. } => "database",
        Mention::Date(_) => "date",
        Mention::LinkPreview { .. } => "link_preview",
        Mention::LinkMention { .. } => "link_mention",
        Mention::Template { .. } => "template_mention",
        Mention::CustomEmoji { .. } => "custom_emoji",
        Mention::Unknown { type_name, .. } => type_name,
    }
}

fn file_name(file: &FileSource) -> &str {
    match file {
        FileSource::Notion { .. } => "file",
        FileSource::External { .. } => "external",
        FileSource::Upload { .. } => "file_upload",
        FileSource::Unknown { type_name } => type_name,
    }
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn raw_len(value: &Value) -> usize {
    value.as_array().map_or(0, Vec::len)
}

fn raw_trashed(value: &Value) -> bool {
    value["in_trash"].as_bool().unwrap_or(false) || value["archived"].as_bool().unwrap_or(false)
}

/// A rich-text run: `{"type", "<type>": …, "plain_text", …}`.
fn is_rich_text(value: &Value) -> bool {
    value["plain_text"].is_string() && value["type"].is_string() && value.get("object").is_none()
}

/// A file object: `{"type":"file","file":{"url",…}}`, `external`, or `file_upload`.
fn is_file_object(value: &Value) -> bool {
    match value["type"].as_str() {
        Some(kind @ ("file" | "external")) => value[kind]["url"].is_string(),
        Some("file_upload") => value["file_upload"]["id"].is_string(),
        _ => false,
    }
}
