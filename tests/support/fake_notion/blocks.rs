//! Constructors for blocks, rich text, file objects and icons, in Notion's exact JSON shape.
//!
//! Blocks come back with the common fields (`object`, `id`, `parent`, times, users,
//! `has_children`, `archived`, `in_trash`, `type`, payload). `id` is `""` until the block is
//! added to a [`super::Workspace`] (which assigns a deterministic id unless you set one with
//! [`with_id`]); `parent` and `has_children` are filled in by the workspace/server. Nested
//! children ride along under a private key and are served through the children endpoint.

use serde_json::{Value, json};

use super::workspace::FileRef;

/// Private key under which nested children travel inside a constructed block.
pub(crate) const CHILDREN_KEY: &str = "__children";
/// Private key marking a Notion-hosted file placeholder (value: the file uuid).
pub(crate) const FILE_KEY: &str = "__fake_file__";

/// Anything that can become a rich-text array: `&str`/`String` (one plain text run), a single
/// rich-text object, or a `Vec`/array of them.
pub trait IntoRichText {
    fn into_rich_text(self) -> Value;
}

impl IntoRichText for &str {
    fn into_rich_text(self) -> Value {
        if self.is_empty() {
            json!([])
        } else {
            json!([text(self)])
        }
    }
}
impl IntoRichText for String {
    fn into_rich_text(self) -> Value {
        self.as_str().into_rich_text()
    }
}
impl IntoRichText for &String {
    fn into_rich_text(self) -> Value {
        self.as_str().into_rich_text()
    }
}
impl IntoRichText for Vec<Value> {
    fn into_rich_text(self) -> Value {
        Value::Array(self)
    }
}
impl IntoRichText for Value {
    fn into_rich_text(self) -> Value {
        match self {
            Value::Array(_) => self,
            Value::String(s) => s.into_rich_text(),
            other => json!([other]),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Rich text

fn plain_annotations() -> Value {
    json!({"bold": false, "italic": false, "strikethrough": false, "underline": false,
           "code": false, "color": "default"})
}

/// A plain text run.
pub fn text(content: &str) -> Value {
    json!({"type": "text", "text": {"content": content, "link": null},
           "annotations": plain_annotations(), "plain_text": content, "href": null})
}

/// A text run with annotations, e.g. `annotated("x", &["bold", "code"])`; a `color:<name>`
/// entry sets the color (`annotated("x", &["italic", "color:red_background"])`).
pub fn annotated(content: &str, marks: &[&str]) -> Value {
    let mut rt = text(content);
    let ann = rt["annotations"].as_object_mut().unwrap();
    for mark in marks {
        if let Some(color) = mark.strip_prefix("color:") {
            ann.insert("color".into(), json!(color));
        } else {
            ann.insert((*mark).into(), json!(true));
        }
    }
    rt
}

/// A linked text run (`text.link.url` and `href`).
pub fn link(content: &str, url: &str) -> Value {
    json!({"type": "text", "text": {"content": content, "link": {"url": url}},
           "annotations": plain_annotations(), "plain_text": content, "href": url})
}

/// A page mention (`href` = `https://www.notion.so/<id32>`).
pub fn page_mention(page_id: &str, title: &str) -> Value {
    json!({"type": "mention", "mention": {"type": "page", "page": {"id": page_id}},
           "annotations": plain_annotations(), "plain_text": title,
           "href": format!("https://www.notion.so/{}", super::undashed(page_id))})
}

/// A database mention.
pub fn database_mention(database_id: &str, title: &str) -> Value {
    json!({"type": "mention", "mention": {"type": "database", "database": {"id": database_id}},
           "annotations": plain_annotations(), "plain_text": title,
           "href": format!("https://www.notion.so/{}", super::undashed(database_id))})
}

/// A date mention (`end` optional).
pub fn date_mention(start: &str, end: Option<&str>) -> Value {
    let plain = match end {
        Some(e) => format!("{start} → {e}"),
        None => start.to_string(),
    };
    json!({"type": "mention",
           "mention": {"type": "date", "date": {"start": start, "end": end, "time_zone": null}},
           "annotations": plain_annotations(), "plain_text": plain, "href": null})
}

/// A user mention.
pub fn user_mention(user_id: &str, name: &str) -> Value {
    json!({"type": "mention", "mention": {"type": "user", "user": {"object": "user", "id": user_id}},
           "annotations": plain_annotations(), "plain_text": format!("@{name}"), "href": null})
}

/// An inline equation.
pub fn inline_equation(expression: &str) -> Value {
    json!({"type": "equation", "equation": {"expression": expression},
           "annotations": plain_annotations(), "plain_text": expression, "href": null})
}

// ---------------------------------------------------------------------------------------
// Files and icons

/// A Notion-hosted file object (`{"type":"file","file":{url, expiry_time}}` once served: the
/// server signs a fresh URL on every fetch).
pub fn hosted(file: &FileRef) -> Value {
    json!({"type": "file", "file": {FILE_KEY: file.file_uuid}})
}

/// An external file object (`{"type":"external","external":{"url"}}`), served untouched.
pub fn external(url: &str) -> Value {
    json!({"type": "external", "external": {"url": url}})
}

/// An emoji icon.
pub fn emoji(e: &str) -> Value {
    json!({"type": "emoji", "emoji": e})
}

/// A native Notion icon (`{"type":"icon","icon":{name,color}}`).
pub fn native_icon(name: &str, color: &str) -> Value {
    json!({"type": "icon", "icon": {"name": name, "color": color}})
}

/// A custom emoji icon (public URL, no expiry).
pub fn custom_emoji(name: &str, url: &str) -> Value {
    json!({"type": "custom_emoji",
           "custom_emoji": {"id": super::uuid_from(&format!("emoji:{name}")), "name": name, "url": url}})
}

/// One entry of a `files` property: a file object (from [`hosted`] or [`external`]) plus `name`.
pub fn files_entry(name: &str, source: Value) -> Value {
    let mut v = source;
    v["name"] = json!(name);
    v
}

// ---------------------------------------------------------------------------------------
// Blocks

/// A block of `block_type` with `payload`, all common fields present.
pub fn block(block_type: &str, payload: Value) -> Value {
    let mut b = json!({
        "object": "block",
        "id": "",
        "parent": null,
        "created_time": "",
        "last_edited_time": "",
        "created_by": null,
        "last_edited_by": null,
        "has_children": false,
        "archived": false,
        "in_trash": false,
        "type": block_type,
    });
    b[block_type] = payload;
    b
}

/// Sets an explicit id (any UUID form; or a name, hashed with [`super::uuid_from`]).
pub fn with_id(mut block: Value, id: &str) -> Value {
    let id = super::normalize_id(id).unwrap_or_else(|| super::uuid_from(id));
    block["id"] = json!(id);
    block
}

/// Attaches nested children to a block (appended to any it already has).
pub fn with_children(mut block: Value, children: Vec<Value>) -> Value {
    let obj = block.as_object_mut().expect("a block is an object");
    let list = obj.entry(CHILDREN_KEY).or_insert_with(|| json!([]));
    list.as_array_mut().unwrap().extend(children);
    block
}

/// Sets the payload's `color`.
pub fn with_color(mut block: Value, color: &str) -> Value {
    let t = block["type"].as_str().unwrap_or_default().to_string();
    block[t]["color"] = json!(color);
    block
}

fn text_block(block_type: &str, rt: impl IntoRichText) -> Value {
    block(
        block_type,
        json!({"rich_text": rt.into_rich_text(), "color": "default"}),
    )
}

pub fn paragraph(rt: impl IntoRichText) -> Value {
    block(
        "paragraph",
        json!({"rich_text": rt.into_rich_text(), "color": "default", "icon": null}),
    )
}
/// `level` 1..=4.
pub fn heading(level: u8, rt: impl IntoRichText) -> Value {
    block(
        &format!("heading_{level}"),
        json!({"rich_text": rt.into_rich_text(), "is_toggleable": false, "color": "default"}),
    )
}
pub fn heading_1(rt: impl IntoRichText) -> Value {
    heading(1, rt)
}
pub fn heading_2(rt: impl IntoRichText) -> Value {
    heading(2, rt)
}
pub fn heading_3(rt: impl IntoRichText) -> Value {
    heading(3, rt)
}
/// A toggleable heading with children.
pub fn toggle_heading(level: u8, rt: impl IntoRichText, children: Vec<Value>) -> Value {
    let mut b = heading(level, rt);
    b[format!("heading_{level}")]["is_toggleable"] = json!(true);
    with_children(b, children)
}
pub fn bulleted(rt: impl IntoRichText) -> Value {
    text_block("bulleted_list_item", rt)
}
pub fn numbered(rt: impl IntoRichText) -> Value {
    text_block("numbered_list_item", rt)
}
pub fn to_do(rt: impl IntoRichText, checked: bool) -> Value {
    block(
        "to_do",
        json!({"rich_text": rt.into_rich_text(), "checked": checked, "color": "default"}),
    )
}
pub fn toggle(rt: impl IntoRichText, children: Vec<Value>) -> Value {
    with_children(text_block("toggle", rt), children)
}
pub fn quote(rt: impl IntoRichText) -> Value {
    text_block("quote", rt)
}
/// `icon`: e.g. [`emoji`], [`hosted`], [`external`], or `Value::Null`.
pub fn callout(rt: impl IntoRichText, icon: Value) -> Value {
    block(
        "callout",
        json!({"rich_text": rt.into_rich_text(), "icon": icon, "color": "gray_background"}),
    )
}
pub fn code(source: &str, language: &str) -> Value {
    block(
        "code",
        json!({"caption": [], "rich_text": source.into_rich_text(), "language": language}),
    )
}
pub fn equation(expression: &str) -> Value {
    block("equation", json!({"expression": expression}))
}
pub fn divider() -> Value {
    block("divider", json!({}))
}
pub fn breadcrumb() -> Value {
    block("breadcrumb", json!({}))
}
pub fn table_of_contents() -> Value {
    block("table_of_contents", json!({"color": "default"}))
}
/// A table whose rows are given as plain-text cells (each row must have `width` cells).
pub fn table(has_column_header: bool, has_row_header: bool, rows: Vec<Vec<&str>>) -> Value {
    let width = rows.first().map(|r| r.len()).unwrap_or(0);
    let rows = rows
        .into_iter()
        .map(|r| table_row(r.into_iter().map(|c| c.into_rich_text()).collect()))
        .collect();
    table_of_rows(width, has_column_header, has_row_header, rows)
}
/// A table from prebuilt [`table_row`]s.
pub fn table_of_rows(
    width: usize,
    has_column_header: bool,
    has_row_header: bool,
    rows: Vec<Value>,
) -> Value {
    with_children(
        block(
            "table",
            json!({"table_width": width, "has_column_header": has_column_header,
                   "has_row_header": has_row_header}),
        ),
        rows,
    )
}
/// One table row; each cell is a rich-text array.
pub fn table_row(cells: Vec<Value>) -> Value {
    block("table_row", json!({"cells": cells}))
}
pub fn column_list(columns: Vec<Value>) -> Value {
    with_children(block("column_list", json!({})), columns)
}
pub fn column(children: Vec<Value>) -> Value {
    with_children(block("column", json!({})), children)
}
pub fn column_with_ratio(ratio: f64, children: Vec<Value>) -> Value {
    with_children(block("column", json!({"width_ratio": ratio})), children)
}
/// An original synced block (give it an id with [`with_id`] to reference it from copies).
pub fn synced_original(children: Vec<Value>) -> Value {
    with_children(
        block("synced_block", json!({"synced_from": null})),
        children,
    )
}
/// A synced copy: its children endpoint serves the original's children.
pub fn synced_copy(original_id: &str) -> Value {
    let id = super::normalize_id(original_id).unwrap_or_else(|| super::uuid_from(original_id));
    block(
        "synced_block",
        json!({"synced_from": {"type": "block_id", "block_id": id}}),
    )
}
/// A `child_page` block by hand (normally [`super::Workspace::add_child_page`] adds it).
pub fn child_page(page_id: &str, title: &str) -> Value {
    with_id(block("child_page", json!({"title": title})), page_id)
}
/// A `child_database` block by hand (normally [`super::Workspace::add_child_database`]).
pub fn child_database(database_id: &str, title: &str) -> Value {
    with_id(
        block("child_database", json!({"title": title})),
        database_id,
    )
}
pub fn link_to_page(page_id: &str) -> Value {
    block(
        "link_to_page",
        json!({"type": "page_id", "page_id": page_id}),
    )
}
pub fn link_to_database(database_id: &str) -> Value {
    block(
        "link_to_page",
        json!({"type": "database_id", "database_id": database_id}),
    )
}
pub fn bookmark(url: &str) -> Value {
    block("bookmark", json!({"caption": [], "url": url}))
}
pub fn embed(url: &str) -> Value {
    block("embed", json!({"caption": [], "url": url}))
}
pub fn link_preview(url: &str) -> Value {
    block("link_preview", json!({"url": url}))
}

fn media(block_type: &str, source: Value, caption: impl IntoRichText) -> Value {
    let mut payload = json!({"caption": caption.into_rich_text()});
    let t = source["type"].as_str().unwrap_or("external").to_string();
    payload["type"] = json!(t);
    payload[&t] = source[&t].clone();
    block(block_type, payload)
}
/// `source`: [`hosted`] or [`external`].
pub fn image(source: Value, caption: impl IntoRichText) -> Value {
    media("image", source, caption)
}
pub fn video(source: Value, caption: impl IntoRichText) -> Value {
    media("video", source, caption)
}
pub fn audio(source: Value, caption: impl IntoRichText) -> Value {
    media("audio", source, caption)
}
pub fn pdf(source: Value, caption: impl IntoRichText) -> Value {
    media("pdf", source, caption)
}
/// A file block (`name` is the display name).
pub fn file(source: Value, caption: impl IntoRichText, name: &str) -> Value {
    let mut b = media("file", source, caption);
    b["file"]["name"] = json!(name);
    b
}
/// `{"type":"unsupported","unsupported":{"block_type": …}}`.
pub fn unsupported(block_type: &str) -> Value {
    block("unsupported", json!({"block_type": block_type}))
}
/// A block of a type the client has never heard of (must degrade, not crash).
pub fn unknown(block_type: &str, payload: Value) -> Value {
    block(block_type, payload)
}
