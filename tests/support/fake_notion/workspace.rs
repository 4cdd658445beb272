//! The workspace a test describes: pages, databases (one data source each), block trees, files.
//!
//! Plain data. Objects are stored in their canonical (2025-09-03) JSON shape; the server adapts
//! them to the requested API version and signs file URLs when it serves them.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Map, Value, json};

use super::blocks::{self, CHILDREN_KEY, IntoRichText};
use super::{database_time, encode_segment, normalize_id, notion_time, undashed, uuid_from};

/// The user every object is created and edited by (the integration's bot).
pub const BOT_USER_ID: &str = "7775f3a3-893f-43fa-b625-460c61094c78";

/// A Notion-hosted file registered with [`Workspace::add_file`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FileRef {
    /// The file's uuid (second-to-last path segment of its signed URL).
    pub file_uuid: String,
    /// The space uuid (first path segment).
    pub space_uuid: String,
    /// The file name as uploaded (percent-encoded in the URL path).
    pub filename: String,
}

impl FileRef {
    /// The stable URL path `/<space>/<file_uuid>/<percent-encoded filename>`.
    pub fn path(&self) -> String {
        format!(
            "/{}/{}/{}",
            self.space_uuid,
            self.file_uuid,
            encode_segment(&self.filename)
        )
    }
    /// `<file_uuid>/<percent-encoded filename>`: the part of the path that survives host changes.
    pub fn stable_key(&self) -> String {
        format!("{}/{}", self.file_uuid, encode_segment(&self.filename))
    }
    /// The file object placeholder (`{"type":"file",…}` once served), same as `blocks::hosted`.
    pub fn object(&self) -> Value {
        blocks::hosted(self)
    }
}

/// A database and its (single) data source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DbRef {
    pub database_id: String,
    pub data_source_id: String,
}

pub(super) struct FileRec {
    pub file: FileRef,
    pub bytes: Arc<Vec<u8>>,
    pub content_type: String,
}

pub(super) struct DbRec {
    pub id: String,
    pub data_source_id: String,
    pub title: String,
    pub parent: Value,
    /// Property configs in schema order: (name, config JSON with id/name/type/<type>).
    pub schema: Vec<(String, Value)>,
    pub rows: Vec<String>,
    /// Its views (`GET /v1/views`), in list order; a new database has one untouched table view.
    pub views: Vec<Value>,
    pub icon: Value,
    pub cover: Value,
    pub is_inline: bool,
    pub in_trash: bool,
    pub created: DateTime<Utc>,
    pub edited: DateTime<Utc>,
}

/// The content of the fake Notion workspace.
pub struct Workspace {
    seed: String,
    counter: u64,
    clock: DateTime<Utc>,
    pub(super) space_uuid: String,
    pub(super) pages: HashMap<String, Value>,
    pub(super) page_order: Vec<String>,
    pub(super) blocks: HashMap<String, Value>,
    /// Children ids by parent id (page or block). A page and its child_page block share an id.
    pub(super) children: HashMap<String, Vec<String>>,
    pub(super) databases: Vec<DbRec>,
    pub(super) files: HashMap<String, FileRec>,
    /// Pages the integration cannot see: 404 on their own, left out of queries.
    pub(super) unshared: std::collections::HashSet<String>,
}

impl Default for Workspace {
    fn default() -> Self {
        Self::new()
    }
}

impl Workspace {
    /// An empty workspace; ids are deterministic (derived from a counter).
    pub fn new() -> Self {
        Self::with_seed("notion-bake")
    }

    /// Like [`Workspace::new`], with a different id seed (for two workspaces with distinct ids).
    pub fn with_seed(seed: &str) -> Self {
        Workspace {
            seed: seed.to_string(),
            counter: 0,
            clock: Utc.with_ymd_and_hms(2026, 7, 4, 9, 8, 0).unwrap(),
            space_uuid: uuid_from(&format!("{seed}:space")),
            pages: HashMap::new(),
            page_order: Vec::new(),
            blocks: HashMap::new(),
            children: HashMap::new(),
            databases: Vec::new(),
            files: HashMap::new(),
            unshared: Default::default(),
        }
    }

    fn next_id(&mut self, kind: &str) -> String {
        self.counter += 1;
        uuid_from(&format!("{}:{kind}:{}", self.seed, self.counter))
    }

    /// The current workspace time (what new objects get as created/last edited time).
    pub fn now(&self) -> DateTime<Utc> {
        self.clock
    }

    /// Advances the workspace clock by at least a minute and returns the new time (edits use it,
    /// so an edited object's `last_edited_time` is strictly later than before).
    pub fn tick(&mut self) -> DateTime<Utc> {
        self.clock += Duration::minutes(1);
        self.clock
    }

    // ---------------------------------------------------------------- files

    /// Registers a Notion-hosted file (content type guessed from the extension).
    pub fn add_file(&mut self, filename: &str, bytes: impl Into<Vec<u8>>) -> FileRef {
        let ct = content_type_for(filename);
        self.add_file_with_type(filename, bytes, ct)
    }

    /// Registers a Notion-hosted file with an explicit content type.
    pub fn add_file_with_type(
        &mut self,
        filename: &str,
        bytes: impl Into<Vec<u8>>,
        content_type: &str,
    ) -> FileRef {
        let file = FileRef {
            file_uuid: self.next_id("file"),
            space_uuid: self.space_uuid.clone(),
            filename: filename.to_string(),
        };
        self.files.insert(
            file.file_uuid.clone(),
            FileRec {
                file: file.clone(),
                bytes: Arc::new(bytes.into()),
                content_type: content_type.to_string(),
            },
        );
        file
    }

    /// Replaces a file's bytes (same uuid and name).
    pub fn replace_file_bytes(&mut self, file: &FileRef, bytes: impl Into<Vec<u8>>) {
        if let Some(rec) = self.files.get_mut(&file.file_uuid) {
            rec.bytes = Arc::new(bytes.into());
        }
    }

    /// Every registered file.
    pub fn files(&self) -> Vec<FileRef> {
        let mut v: Vec<FileRef> = self.files.values().map(|r| r.file.clone()).collect();
        v.sort_by(|a, b| {
            a.filename
                .cmp(&b.filename)
                .then(a.file_uuid.cmp(&b.file_uuid))
        });
        v
    }

    // ---------------------------------------------------------------- pages

    /// A page at the workspace root with a title and content blocks; returns its id.
    pub fn add_page(&mut self, title: &str, blocks: Vec<Value>) -> String {
        let id = self.next_id("page");
        self.insert_page(
            id.clone(),
            json!({"type": "workspace", "workspace": true}),
            title_props(title),
            title,
            blocks,
        );
        id
    }

    /// A child page of `parent` (a page, or a block such as a toggle). Also appends the
    /// `child_page` block (same id) to the parent's children, as Notion does.
    pub fn add_child_page(&mut self, parent: &str, title: &str, blocks: Vec<Value>) -> String {
        let parent = norm(parent);
        let id = self.next_id("page");
        let parent_json = self.parent_ref(&parent);
        self.insert_page(id.clone(), parent_json, title_props(title), title, blocks);
        self.append_blocks(&parent, vec![blocks::child_page(&id, title)]);
        id
    }

    fn parent_ref(&self, parent: &str) -> Value {
        if self.pages.contains_key(parent) {
            json!({"type": "page_id", "page_id": parent})
        } else {
            json!({"type": "block_id", "block_id": parent})
        }
    }

    fn insert_page(
        &mut self,
        id: String,
        parent: Value,
        properties: Value,
        title: &str,
        blocks: Vec<Value>,
    ) {
        let t = notion_time(self.clock);
        let page = json!({
            "object": "page",
            "id": id,
            "created_time": t,
            "last_edited_time": t,
            "created_by": {"object": "user", "id": BOT_USER_ID},
            "last_edited_by": {"object": "user", "id": BOT_USER_ID},
            "cover": null,
            "icon": null,
            "parent": parent,
            "in_trash": false,
            "is_archived": false,
            "is_locked": false,
            "properties": properties,
            "url": page_url(title, &id),
            "public_url": null,
            "archived": false,
        });
        self.pages.insert(id.clone(), page);
        self.page_order.push(id.clone());
        self.children.entry(id.clone()).or_default();
        self.append_blocks(&id, blocks);
    }

    /// Appends blocks (with their nested children) under a page or block; returns the ids of
    /// the top-level blocks appended.
    pub fn append_blocks(&mut self, parent: &str, blocks: Vec<Value>) -> Vec<String> {
        let parent = norm(parent);
        let parent_json = self.parent_ref(&parent);
        let mut ids = Vec::new();
        for mut b in blocks {
            let kids = b
                .as_object_mut()
                .and_then(|o| o.remove(CHILDREN_KEY))
                .and_then(|v| match v {
                    Value::Array(a) => Some(a),
                    _ => None,
                })
                .unwrap_or_default();
            let id = match b["id"].as_str().and_then(normalize_id) {
                Some(id) => id,
                None => self.next_id("block"),
            };
            let t = notion_time(self.clock);
            b["id"] = json!(id);
            b["parent"] = parent_json.clone();
            for key in ["created_time", "last_edited_time"] {
                if b[key].as_str().is_none_or(|s| s.is_empty()) {
                    b[key] = json!(t);
                }
            }
            for key in ["created_by", "last_edited_by"] {
                if b[key].is_null() {
                    b[key] = json!({"object": "user", "id": BOT_USER_ID});
                }
            }
            self.blocks.insert(id.clone(), b);
            self.children
                .entry(parent.clone())
                .or_default()
                .push(id.clone());
            self.children.entry(id.clone()).or_default();
            if !kids.is_empty() {
                self.append_blocks(&id, kids);
            }
            ids.push(id);
        }
        ids
    }

    /// Removes every child block of `parent` (recursively; child pages' own content stays) and
    /// appends `blocks` instead. Returns the new top-level ids. Does not bump times (the
    /// server's `replace_blocks` does).
    pub fn set_blocks(&mut self, parent: &str, blocks: Vec<Value>) -> Vec<String> {
        let parent = norm(parent);
        let old = self
            .children
            .insert(parent.clone(), Vec::new())
            .unwrap_or_default();
        for id in old {
            self.remove_block_tree(&id);
        }
        self.append_blocks(&parent, blocks)
    }

    fn remove_block_tree(&mut self, id: &str) {
        let is_child_page = self
            .blocks
            .get(id)
            .is_some_and(|b| b["type"] == "child_page");
        self.blocks.remove(id);
        if is_child_page && self.pages.contains_key(id) {
            return; // the page (and its content) lives on, only its block is gone
        }
        if let Some(kids) = self.children.remove(id) {
            for k in kids {
                self.remove_block_tree(&k);
            }
        }
    }

    /// The stored page object (canonical shape). Panics if unknown.
    pub fn page(&self, id: &str) -> &Value {
        self.pages
            .get(&norm(id))
            .unwrap_or_else(|| panic!("no page {id}"))
    }

    /// The stored page object, for arbitrary edits (no time bump; see `FakeNotion::edit_page`).
    pub fn page_mut(&mut self, id: &str) -> &mut Value {
        self.pages
            .get_mut(&norm(id))
            .unwrap_or_else(|| panic!("no page {id}"))
    }

    /// The stored block object. Panics if unknown.
    pub fn block(&self, id: &str) -> &Value {
        self.blocks
            .get(&norm(id))
            .unwrap_or_else(|| panic!("no block {id}"))
    }

    /// The stored block object, for arbitrary edits (no time bump).
    pub fn block_mut(&mut self, id: &str) -> &mut Value {
        self.blocks
            .get_mut(&norm(id))
            .unwrap_or_else(|| panic!("no block {id}"))
    }

    /// Ids of the direct children of a page or block.
    pub fn children_of(&self, id: &str) -> Vec<String> {
        self.children.get(&norm(id)).cloned().unwrap_or_default()
    }

    /// Sets a page cover (a file object from `blocks::hosted`/`blocks::external`, or null).
    pub fn set_cover(&mut self, page: &str, cover: Value) {
        self.page_mut(page)["cover"] = cover;
    }

    /// Sets a page icon (`blocks::emoji`, `blocks::hosted`, `blocks::external`, …, or null).
    pub fn set_icon(&mut self, page: &str, icon: Value) {
        self.page_mut(page)["icon"] = icon;
    }

    /// Sets a page's `created_time` (minute precision applied).
    pub fn set_created_time(&mut self, page: &str, t: DateTime<Utc>) {
        self.page_mut(page)["created_time"] = json!(notion_time(t));
    }

    /// Bumps `last_edited_time` of a page or block (and of the page a block belongs to) to a
    /// strictly later minute.
    pub fn touch(&mut self, id: &str) {
        let id = norm(id);
        let t = json!(notion_time(self.tick()));
        if let Some(p) = self.pages.get_mut(&id) {
            p["last_edited_time"] = t.clone();
        }
        if let Some(b) = self.blocks.get_mut(&id) {
            b["last_edited_time"] = t.clone();
        }
        if !self.pages.contains_key(&id)
            && let Some(page) = self.owning_page(&id)
            && let Some(p) = self.pages.get_mut(&page)
        {
            p["last_edited_time"] = t;
        }
    }

    /// The page a block belongs to (walking up `parent`).
    pub fn owning_page(&self, block_id: &str) -> Option<String> {
        let mut cur = norm(block_id);
        for _ in 0..64 {
            let b = self.blocks.get(&cur)?;
            let parent = &b["parent"];
            match parent["type"].as_str()? {
                "page_id" => return parent["page_id"].as_str().map(String::from),
                "block_id" => cur = parent["block_id"].as_str()?.to_string(),
                _ => return None,
            }
        }
        None
    }

    /// Moves a page or block to the trash (`in_trash`/`archived` true; trashed rows leave query
    /// results and trashed blocks leave their parent's children).
    pub fn trash(&mut self, id: &str) {
        let id = norm(id);
        for obj in [self.pages.get_mut(&id), self.blocks.get_mut(&id)]
            .into_iter()
            .flatten()
        {
            obj["in_trash"] = json!(true);
            obj["archived"] = json!(true);
        }
        self.touch(&id);
    }

    // ---------------------------------------------------------------- databases

    /// A database at the workspace root. `schema` lists (property name, type) pairs, e.g.
    /// `("Name","title"), ("Published","checkbox"), ("Tags","multi_select"), ("Date","date")`;
    /// a `title` property named "Name" is added if none is given. Select/status/multi-select
    /// options are collected from the rows added.
    pub fn add_database(&mut self, title: &str, schema: &[(&str, &str)]) -> DbRef {
        self.insert_database(
            json!({"type": "workspace", "workspace": true}),
            title,
            schema,
            false,
        )
    }

    /// A database inside a page; appends the `child_database` block (id == database id).
    pub fn add_child_database(
        &mut self,
        parent_page: &str,
        title: &str,
        schema: &[(&str, &str)],
    ) -> DbRef {
        let parent = norm(parent_page);
        let parent_json = self.parent_ref(&parent);
        let db = self.insert_database(parent_json, title, schema, true);
        self.append_blocks(
            &parent,
            vec![blocks::child_database(&db.database_id, title)],
        );
        db
    }

    fn insert_database(
        &mut self,
        parent: Value,
        title: &str,
        schema: &[(&str, &str)],
        inline: bool,
    ) -> DbRef {
        let id = self.next_id("database");
        let ds = self.next_id("data_source");
        // Derived from the database's id, not the counter: the ids of everything created
        // afterwards stay what they were before databases had views.
        let default_view = uuid_from(&format!("{}:default-view:{id}", self.seed));
        let mut props: Vec<(String, Value)> = Vec::new();
        if !schema.iter().any(|(_, t)| *t == "title") {
            props.push(("Name".into(), property_config("Name", "title")));
        }
        for (name, ty) in schema {
            props.push((name.to_string(), property_config(name, ty)));
        }
        self.databases.push(DbRec {
            id: id.clone(),
            data_source_id: ds.clone(),
            title: title.to_string(),
            parent,
            schema: props,
            rows: Vec::new(),
            // Notion gives a new database one table view, its configuration null until edited.
            views: vec![view_json(
                &default_view,
                &id,
                &ds,
                json!({"name": "Default view", "type": "table"}),
            )],
            icon: Value::Null,
            cover: Value::Null,
            is_inline: inline,
            in_trash: false,
            created: self.clock + Duration::milliseconds(607),
            edited: self.clock + Duration::milliseconds(607),
        });
        DbRef {
            database_id: id,
            data_source_id: ds,
        }
    }

    /// Replaces a database's views, in list order. Each is given as `{name, type, filter?,
    /// sorts?, configuration?}`; ids, parent and data source are filled in. Returns their ids.
    pub fn set_views(&mut self, db: &DbRef, views: Vec<Value>) -> Vec<String> {
        let ids: Vec<String> = views.iter().map(|_| self.next_id("view")).collect();
        let d = self
            .databases
            .iter_mut()
            .find(|d| d.id == db.database_id)
            .unwrap_or_else(|| panic!("no database {}", db.database_id));
        d.views = ids
            .iter()
            .zip(views)
            .map(|(id, view)| view_json(id, &d.id, &d.data_source_id, view))
            .collect();
        ids
    }

    /// Changes the settings of a database's view (the `index`th listed) in place, as the
    /// author does in Notion: its id stays.
    pub fn edit_view(&mut self, db: &DbRef, index: usize, f: impl FnOnce(&mut Value)) {
        let d = self
            .databases
            .iter_mut()
            .find(|d| d.id == db.database_id)
            .unwrap_or_else(|| panic!("no database {}", db.database_id));
        f(&mut d.views[index]);
    }

    /// The id of a database property, by name (what views name properties by).
    pub fn property_id(&self, db: &DbRef, name: &str) -> String {
        let d = self.db(&db.database_id).expect("database");
        let (_, property) = d
            .schema
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no property {name:?}"));
        property["id"].as_str().unwrap().to_owned()
    }

    /// Takes a page (or database) away from the integration: its own requests answer 404, and
    /// queries leave it out.
    pub fn unshare(&mut self, id: &str) {
        self.unshared.insert(norm(id));
    }

    pub(super) fn db(&self, id: &str) -> Option<&DbRec> {
        self.databases.iter().find(|d| d.id == id)
    }

    pub(super) fn db_by_source(&self, ds: &str) -> Option<&DbRec> {
        self.databases.iter().find(|d| d.data_source_id == ds)
    }

    /// Replaces the type configuration of a schema property, e.g. `{"format": "dollar"}` for a
    /// number or `{"function": "sum", …}` for a rollup.
    pub fn set_property_config(&mut self, db: &DbRef, name: &str, config: Value) {
        let d = self
            .databases
            .iter_mut()
            .find(|d| d.id == db.database_id)
            .unwrap_or_else(|| panic!("no database {}", db.database_id));
        let (_, property) = d
            .schema
            .iter_mut()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no property {name:?} in {:?}", d.title));
        let ty = property["type"].as_str().unwrap().to_string();
        property[ty] = config;
    }

    /// Sets a database's icon / cover (file objects or emoji; null to clear).
    pub fn set_database_icon_cover(&mut self, db: &DbRef, icon: Value, cover: Value) {
        if let Some(d) = self.databases.iter_mut().find(|d| d.id == db.database_id) {
            d.icon = icon;
            d.cover = cover;
        }
    }

    /// A row (page) in the database. `properties` maps property names to either simple values
    /// (string for title/rich_text/select/status/date/url/email/phone, bool for checkbox,
    /// number, array of strings for multi_select, array of file objects (`blocks::files_entry`)
    /// for files, array of page ids for relation) or full Notion property values (objects
    /// holding the type key, e.g. `{"title":[…]}`). Missing properties get empty values.
    pub fn add_row(&mut self, db: &DbRef, properties: Value, blocks: Vec<Value>) -> String {
        let idx = self
            .databases
            .iter()
            .position(|d| d.id == db.database_id)
            .unwrap_or_else(|| panic!("no database {}", db.database_id));
        let mut props = Map::new();
        let mut title = String::new();
        let given = properties.as_object().cloned().unwrap_or_default();
        for k in given.keys() {
            assert!(
                self.databases[idx].schema.iter().any(|(n, _)| n == k),
                "property {k:?} is not in the schema of database {:?}",
                self.databases[idx].title
            );
        }
        let schema_len = self.databases[idx].schema.len();
        for i in 0..schema_len {
            let (name, cfg) = self.databases[idx].schema[i].clone();
            let ty = cfg["type"].as_str().unwrap().to_string();
            let value = property_value(&mut self.databases[idx].schema[i].1, &ty, given.get(&name));
            if ty == "title" {
                title = plain_text(&value["title"]);
            }
            props.insert(name, value);
        }
        let id = self.next_id("page");
        let parent = json!({"type": "data_source_id", "data_source_id": db.data_source_id,
                            "database_id": db.database_id});
        self.insert_page(id.clone(), parent, Value::Object(props), &title, blocks);
        self.databases[idx].rows.push(id.clone());
        id
    }
}

/// A normalised id, or the raw string (so lookups simply fail) when it is not a UUID.
fn norm(id: &str) -> String {
    normalize_id(id).unwrap_or_else(|| id.to_string())
}

fn title_props(title: &str) -> Value {
    json!({"title": {"id": "title", "type": "title", "title": title.into_rich_text()}})
}

fn page_url(title: &str, id: &str) -> String {
    let slug: String = title
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        format!("https://www.notion.so/{}", undashed(id))
    } else {
        format!("https://www.notion.so/{slug}-{}", undashed(id))
    }
}

/// Concatenated `plain_text` of a rich-text array.
pub(super) fn plain_text(rt: &Value) -> String {
    rt.as_array()
        .map(|a| a.iter().filter_map(|r| r["plain_text"].as_str()).collect())
        .unwrap_or_default()
}

const COLORS: [&str; 9] = [
    "default", "gray", "brown", "orange", "yellow", "green", "blue", "purple", "pink",
];

/// A view object as `GET /v1/views/{id}` returns it.
fn view_json(id: &str, database: &str, data_source: &str, given: Value) -> Value {
    let field = |key: &str| given.get(key).cloned().unwrap_or(Value::Null);
    let layout = given["type"].as_str().unwrap_or("table").to_owned();
    json!({
        "object": "view", "id": id,
        "parent": {"type": "database_id", "database_id": database},
        "data_source_id": if layout == "dashboard" { Value::Null } else { json!(data_source) },
        "name": field("name"), "type": layout,
        "filter": field("filter"), "sorts": field("sorts"),
        "quick_filters": null, "configuration": field("configuration"),
        "url": format!("https://www.notion.so/{}?v={}", super::undashed(database), super::undashed(id)),
    })
}

fn property_config(name: &str, ty: &str) -> Value {
    let id = if ty == "title" {
        "title".to_string()
    } else {
        // Short, URL-encoded-looking ids like Notion's ("%3AUPp").
        let h = uuid_from(&format!("prop:{name}"));
        format!("%3A{}", &undashed(&h)[..3])
    };
    let cfg = match ty {
        "number" => json!({"format": "number"}),
        "select" | "multi_select" => json!({"options": []}),
        "status" => {
            let opts: Vec<Value> = ["Not started", "In progress", "Done"]
                .iter()
                .enumerate()
                .map(|(i, n)| option(n, COLORS[i + 4]))
                .collect();
            json!({"options": opts, "groups": []})
        }
        "formula" => json!({"expression": ""}),
        _ => json!({}),
    };
    json!({"id": id, "name": name, "description": null, "type": ty, ty: cfg})
}

fn option(name: &str, color: &str) -> Value {
    json!({"id": uuid_from(&format!("option:{name}")), "name": name, "color": color, "description": null})
}

/// The select option named `name`, added to the schema config if it is new.
fn ensure_option(cfg: &mut Value, ty: &str, name: &str) -> Value {
    let opts = cfg[ty]["options"].as_array_mut().expect("options");
    if let Some(o) = opts.iter().find(|o| o["name"] == name) {
        return json!({"id": o["id"], "name": o["name"], "color": o["color"]});
    }
    let color = COLORS[opts.len() % COLORS.len()];
    let o = option(name, color);
    opts.push(o.clone());
    json!({"id": o["id"], "name": name, "color": color})
}

fn property_value(cfg: &mut Value, ty: &str, given: Option<&Value>) -> Value {
    let id = cfg["id"].clone();
    let value = match given {
        // Full Notion shape: an object that holds the type key.
        Some(Value::Object(o)) if o.contains_key(ty) => o[ty].clone(),
        Some(v) => simple_value(cfg, ty, v),
        None => empty_value(ty),
    };
    let mut out = json!({"id": id, "type": ty, ty: value});
    if ty == "relation" {
        out["has_more"] = json!(false);
    }
    out
}

fn empty_value(ty: &str) -> Value {
    match ty {
        "title" | "rich_text" | "multi_select" | "files" | "people" | "relation" => json!([]),
        "checkbox" => json!(false),
        "created_time" | "last_edited_time" => json!(notion_time(
            Utc.with_ymd_and_hms(2026, 7, 4, 9, 8, 0).unwrap()
        )),
        "created_by" | "last_edited_by" => json!({"object": "user", "id": BOT_USER_ID}),
        "unique_id" => json!({"prefix": null, "number": null}),
        _ => Value::Null,
    }
}

fn simple_value(cfg: &mut Value, ty: &str, v: &Value) -> Value {
    match (ty, v) {
        ("title" | "rich_text", v) => v.clone().into_rich_text(),
        ("select" | "status", Value::String(s)) => ensure_option(cfg, ty, s),
        ("multi_select", Value::Array(a)) => Value::Array(
            a.iter()
                .map(|x| match x {
                    Value::String(s) => ensure_option(cfg, ty, s),
                    other => other.clone(),
                })
                .collect(),
        ),
        ("date", Value::String(s)) => json!({"start": s, "end": null, "time_zone": null}),
        ("relation", Value::Array(a)) => Value::Array(
            a.iter()
                .map(|x| match x {
                    Value::String(s) => json!({"id": norm(s)}),
                    other => other.clone(),
                })
                .collect(),
        ),
        ("files", Value::Array(a)) => Value::Array(
            a.iter()
                .map(|f| {
                    let mut f = f.clone();
                    if f.get("name").is_none() {
                        let name = f["external"]["url"].as_str().unwrap_or("file").to_string();
                        f["name"] = json!(name);
                    }
                    f
                })
                .collect(),
        ),
        ("formula", Value::String(s)) => json!({"type": "string", "string": s}),
        ("formula", Value::Bool(b)) => json!({"type": "boolean", "boolean": b}),
        ("formula", Value::Number(n)) => json!({"type": "number", "number": n}),
        ("unique_id", Value::Number(n)) => json!({"prefix": null, "number": n}),
        (_, v) => v.clone(),
    }
}

/// Content type from a file name's extension.
pub fn content_type_for(filename: &str) -> &'static str {
    let ext = filename
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "avif" => "image/avif",
        "heic" => "image/heic",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "ogg" => "audio/ogg",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "json" => "application/json",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Database `created_time`/`last_edited_time` strings.
pub(super) fn db_times(d: &DbRec) -> (String, String) {
    (database_time(d.created), database_time(d.edited))
}
