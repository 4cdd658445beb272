//! Database properties → template views: `page.properties`, `page.property_list`, and the
//! properties the default theme shows. Every value has `type`, `text` (plain) and `html`
//! (escaped, links checked), plus the fields of its type; `templates/README.md` lists them.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use indexmap::IndexMap;
use serde::Serialize;

use super::blocks::human_size;
use super::context::RenderContext;
use super::html::{escape_attr, escape_text, push_attr, push_text, safe_href};
use super::rich_text::render_rich_text;
use super::view::ImageView;
use crate::notion::model::{
    DateValue, FileSource, Formula, NamedFile, PropertySchema, PropertyValue, Rollup, SelectOption,
    User, plain_text,
};
use crate::site::Resolved;

/// One property value as templates see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PropertyView {
    /// The Notion type: `number`, `files`, `formula`, … (an unknown type keeps its name).
    #[serde(rename = "type")]
    type_name: String,
    /// The value as plain text, formatted as Notion shows it (empty when there is none).
    text: String,
    /// The value as safe HTML: insert with `| safe`.
    html: String,
    /// For `formula` and `rollup`: the type of the computed value (`number`, `date`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    result_type: Option<&'static str>,
    #[serde(flatten)]
    value: PropertyData,
}

/// The typed fields of a property value (flattened into [`PropertyView`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
enum PropertyData {
    /// Number: the raw number and the property's number format (`dollar`, `percent`, …).
    Number {
        number: Option<f64>,
        format: Option<String>,
    },
    Checkbox {
        checked: bool,
    },
    /// Select and status.
    Choice {
        name: Option<String>,
        color: Option<String>,
    },
    MultiSelect {
        options: Vec<ChoiceView>,
    },
    /// Date, created_time, last_edited_time.
    Date(DateView),
    /// URL, email and phone number: `url` is the link (`mailto:` / `tel:`), `None` when the
    /// value is empty or its scheme is not allowed.
    Link {
        url: Option<String>,
    },
    People {
        people: Vec<PersonView>,
    },
    /// created_by, last_edited_by.
    Person {
        name: Option<String>,
    },
    Relation {
        pages: Vec<RelatedPage>,
        /// Notion lists at most 25 related pages in a page object.
        has_more: bool,
    },
    Files {
        files: Vec<FileView>,
    },
    UniqueId {
        prefix: Option<String>,
        number: Option<i64>,
    },
    Verification {
        state: Option<String>,
    },
    /// A rollup of other properties: each value as its own view.
    Array {
        items: Vec<PropertyView>,
    },
    Place {
        name: Option<String>,
        address: Option<String>,
        lat: Option<f64>,
        lon: Option<f64>,
    },
    /// Title, rich text, a formula's string, a button, an unknown type: `text` and `html` only.
    Plain {},
}

/// A select option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct ChoiceView {
    name: String,
    color: Option<String>,
}

/// A date or date range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct DateView {
    /// As Notion gives it: `2026-07-04` or `2026-07-04T09:08:00.000+02:00`.
    start: String,
    end: Option<String>,
    time_zone: Option<String>,
    /// Whether the value carries a time of day.
    is_datetime: bool,
    /// `July 4, 2026`, `July 4, 2026 9:08 AM`, `July 4, 2026 → July 6, 2026`.
    formatted: String,
}

/// A person: the display name only (never an email address).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct PersonView {
    /// `None` when Notion sent only the user's id.
    name: Option<String>,
}

/// A page a relation points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct RelatedPage {
    /// The Notion page id.
    id: String,
    /// The page's title, when the site knows it.
    title: Option<String>,
    /// The page's URL when it is part of the site.
    url: Option<String>,
}

/// One file of a `files` property.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct FileView {
    /// The file's name in Notion.
    name: String,
    /// The baked file (Notion-hosted) or the external URL exactly as written; `None` when a
    /// hosted file was not baked or an external URL's scheme is not allowed.
    url: Option<String>,
    /// Whether the file was hosted by Notion (and is now part of the site).
    hosted: bool,
    /// Size in bytes, MIME type and a short type label (`PDF`) of a baked file.
    size: Option<u64>,
    size_text: Option<String>,
    mime: Option<String>,
    kind: Option<String>,
    /// A baked image: width, height, variants, srcset, placeholder.
    image: Option<ImageView>,
}

/// A property with its name, as `page.property_list` lists them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct NamedProperty {
    name: String,
    #[serde(rename = "type")]
    pub(crate) type_name: String,
    value: PropertyView,
}

impl NamedProperty {
    /// The property's name.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The value as text and links, for a cell of a Markdown table: the links a value carries
    /// (files, URLs, e-mail addresses, related pages of the site), else its formatted text.
    pub(crate) fn cell(&self) -> Vec<CellPart> {
        let view = &self.value;
        let link = |text: &str, url: &Option<String>| match url {
            Some(url) => CellPart::Link {
                text: text.to_owned(),
                url: url.clone(),
            },
            None => CellPart::Text(text.to_owned()),
        };
        match &view.value {
            PropertyData::Link { url } if !view.text.is_empty() => vec![link(&view.text, url)],
            PropertyData::Files { files } => files.iter().map(|f| link(&f.name, &f.url)).collect(),
            PropertyData::Relation { pages, .. } => pages
                .iter()
                .filter_map(|p| Some(link(p.title.as_deref()?, &p.url)))
                .collect(),
            _ if view.text.trim().is_empty() => Vec::new(),
            _ => vec![CellPart::Text(view.text.clone())],
        }
    }
}

/// A piece of a Markdown table cell: text, or a link whose URL is already safe (a baked file,
/// a page of the site, or a URL whose scheme passed the allow-list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CellPart {
    Text(String),
    Link { text: String, url: String },
}

/// Every property of a page, in Notion's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Properties {
    pub(crate) list: Vec<NamedProperty>,
}

impl Properties {
    /// `page.properties`: by name.
    pub(crate) fn by_name(&self) -> IndexMap<String, PropertyView> {
        self.list
            .iter()
            .map(|p| (p.name.clone(), p.value.clone()))
            .collect()
    }

    /// The properties named in `names` (or, without a list, every `files` property) that have
    /// a value, leaving out `skip` (the properties the site already shows elsewhere).
    pub(crate) fn shown(&self, names: Option<&[String]>, skip: &[&str]) -> Vec<NamedProperty> {
        let wanted = |p: &&NamedProperty| !skip.contains(&p.name.as_str()) && !is_empty(&p.value);
        match names {
            Some(names) => names
                .iter()
                .filter_map(|name| self.list.iter().find(|p| &p.name == name))
                .filter(wanted)
                .cloned()
                .collect(),
            None => self
                .list
                .iter()
                .filter(|p| p.type_name == "files")
                .filter(wanted)
                .cloned()
                .collect(),
        }
    }
}

fn is_empty(view: &PropertyView) -> bool {
    match &view.value {
        PropertyData::Files { files } => files.is_empty(),
        _ => view.text.trim().is_empty() && view.html.trim().is_empty(),
    }
}

/// The views of a page's properties. `schema` is the database's, when the page is a row of a
/// database the site knows (it gives number formats).
pub(crate) fn property_views(
    properties: &IndexMap<String, PropertyValue>,
    schema: Option<&BTreeMap<String, PropertySchema>>,
    ctx: &RenderContext<'_>,
) -> Properties {
    let list = properties
        .iter()
        .map(|(name, value)| {
            let format = schema
                .and_then(|s| s.get(name))
                .and_then(|s| s.number_format.as_deref());
            let view = PropertyViewer {
                ctx,
                name,
                number_format: format,
            }
            .view(value);
            NamedProperty {
                name: name.clone(),
                type_name: view.type_name.clone(),
                value: view,
            }
        })
        .collect();
    Properties { list }
}

struct PropertyViewer<'a, 'c> {
    ctx: &'a RenderContext<'c>,
    /// The property's name, for warnings.
    name: &'a str,
    number_format: Option<&'a str>,
}

impl PropertyViewer<'_, '_> {
    fn view(&self, value: &PropertyValue) -> PropertyView {
        let type_name = value.type_name().to_owned();
        let mut view = match value {
            PropertyValue::Title(runs) | PropertyValue::RichText(runs) => {
                PropertyView::plain(plain_text(runs), render_rich_text(runs, self.ctx))
            }
            PropertyValue::Number(number) => self.number(*number),
            PropertyValue::Checkbox(checked) => checkbox(*checked),
            PropertyValue::Select(option) | PropertyValue::Status(option) => {
                choice(option.as_ref())
            }
            PropertyValue::MultiSelect(options) => multi_select(options),
            PropertyValue::Date(date) => date_view(date.as_ref()),
            PropertyValue::CreatedTime(time) | PropertyValue::LastEditedTime(time) => {
                time_view(*time)
            }
            PropertyValue::Url(url) => self.link(url.as_deref(), |u| {
                self.site_url_of(u).unwrap_or_else(|| u.to_owned())
            }),
            PropertyValue::Email(email) => self.link(email.as_deref(), |e| format!("mailto:{e}")),
            PropertyValue::PhoneNumber(phone) => self.link(phone.as_deref(), tel_url),
            PropertyValue::People(users) => people(users),
            PropertyValue::CreatedBy(user) | PropertyValue::LastEditedBy(user) => {
                person(user.as_ref())
            }
            PropertyValue::Relation { ids, has_more } => self.relation(ids, *has_more),
            PropertyValue::Files(files) => self.files(files),
            PropertyValue::Formula(formula) => self.formula(formula),
            PropertyValue::Rollup(rollup) => self.rollup(rollup),
            PropertyValue::UniqueId { prefix, number } => unique_id(prefix.as_deref(), *number),
            PropertyValue::Verification { state } => verification(state.as_deref()),
            PropertyValue::Place(place) => place_view(place),
            PropertyValue::Button | PropertyValue::Unknown { .. } => {
                PropertyView::plain(String::new(), String::new())
            }
        };
        if view.result_type.is_none() {
            view.type_name = type_name;
        }
        view
    }

    fn number(&self, number: Option<f64>) -> PropertyView {
        let text = number
            .map(|n| format_number(n, self.number_format))
            .unwrap_or_default();
        PropertyView {
            html: escape_text(&text),
            text,
            value: PropertyData::Number {
                number,
                format: self.number_format.map(str::to_owned),
            },
            ..PropertyView::new("number")
        }
    }

    /// The URL in the site of a page or block a URL property names in Notion's form.
    fn site_url_of(&self, url: &str) -> Option<String> {
        match self.ctx.links.resolve_url(url) {
            Resolved::Page(page) => Some(self.ctx.page_url(page)),
            Resolved::Block(page, anchor) => Some(format!("{}#{anchor}", self.ctx.page_url(page))),
            Resolved::PrivateNotion(_) | Resolved::External => None,
        }
    }

    /// A URL, email or phone number: shown as written, linked through the scheme allow-list.
    fn link(&self, value: Option<&str>, href_of: impl Fn(&str) -> String) -> PropertyView {
        let written = value.map(str::trim).unwrap_or_default();
        if written.is_empty() {
            return PropertyView {
                value: PropertyData::Link { url: None },
                ..PropertyView::new("url")
            };
        }
        let url = safe_href(&href_of(written));
        if url.is_none() {
            self.ctx.warn(format!(
                "property {:?}: the link {:?} has a scheme that is not allowed; shown as text",
                self.name,
                written.chars().take(80).collect::<String>()
            ));
        }
        let html = match &url {
            Some(href) => format!(
                "<a href=\"{}\">{}</a>",
                escape_attr(href),
                escape_text(written)
            ),
            None => escape_text(written),
        };
        PropertyView {
            text: written.to_owned(),
            html,
            value: PropertyData::Link { url },
            ..PropertyView::new("url")
        }
    }

    fn relation(&self, ids: &[String], has_more: bool) -> PropertyView {
        let pages: Vec<RelatedPage> = ids
            .iter()
            .map(|id| match self.ctx.links.page(id) {
                Some(page) => RelatedPage {
                    id: id.clone(),
                    title: Some(page.title.clone()),
                    url: Some(self.ctx.page_url(page)),
                },
                None => RelatedPage {
                    id: id.clone(),
                    title: self.ctx.links.outside_title(id).map(str::to_owned),
                    url: None,
                },
            })
            .collect();
        let titled = pages.iter().filter(|p| p.title.is_some());
        let text = join(titled.clone().filter_map(|p| p.title.clone()));
        let html = join(titled.map(|p| {
            let title = escape_text(p.title.as_deref().unwrap_or_default());
            match &p.url {
                Some(url) => format!("<a href=\"{}\">{title}</a>", escape_attr(url)),
                None => title,
            }
        }));
        PropertyView {
            text,
            html,
            value: PropertyData::Relation { pages, has_more },
            ..PropertyView::new("relation")
        }
    }

    fn files(&self, files: &[NamedFile]) -> PropertyView {
        let files: Vec<FileView> = files.iter().filter_map(|f| self.file(f)).collect();
        let text = join(files.iter().map(|f| f.name.clone()));
        let mut html = String::new();
        if !files.is_empty() {
            html.push_str("<ul class=\"nb-files\">");
            for file in &files {
                html.push_str("<li>");
                push_file_link(&mut html, file);
                html.push_str("</li>");
            }
            html.push_str("</ul>");
        }
        PropertyView {
            text,
            html,
            value: PropertyData::Files { files },
            ..PropertyView::new("files")
        }
    }

    fn file(&self, file: &NamedFile) -> Option<FileView> {
        let name = file.name.trim().to_owned();
        match &file.source {
            FileSource::Notion { key, .. } => {
                let Some(asset) = self.ctx.asset(key.as_ref()) else {
                    self.ctx.warn(format!(
                        "property {:?}: the file {name:?} was not baked; left out",
                        self.name
                    ));
                    return None;
                };
                let name = if name.is_empty() {
                    asset.name.clone()
                } else {
                    name
                };
                let kind = asset
                    .path
                    .rsplit_once('.')
                    .map(|(_, ext)| ext.to_ascii_uppercase());
                Some(FileView {
                    url: Some(self.ctx.asset_url(&asset.path)),
                    hosted: true,
                    size: Some(asset.bytes),
                    size_text: Some(human_size(asset.bytes)),
                    mime: Some(asset.mime.clone()),
                    kind,
                    image: asset
                        .image
                        .is_some()
                        .then(|| ImageView::from_asset(asset, self.ctx.urls, &name)),
                    name,
                })
            }
            FileSource::External { url } => {
                let href = safe_href(url);
                if href.is_none() {
                    self.ctx.warn(format!(
                        "property {:?}: the file link {:?} has a scheme that is not allowed; left out",
                        self.name,
                        url.chars().take(80).collect::<String>()
                    ));
                    return None;
                }
                Some(FileView {
                    name: if name.is_empty() { url.clone() } else { name },
                    url: href,
                    hosted: false,
                    size: None,
                    size_text: None,
                    mime: None,
                    kind: None,
                    image: None,
                })
            }
            FileSource::Upload { .. } | FileSource::Unknown { .. } => None,
        }
    }

    fn formula(&self, formula: &Formula) -> PropertyView {
        let (result_type, mut view) = match formula {
            Formula::String(text) => {
                let text = text.clone().unwrap_or_default();
                (
                    "string",
                    PropertyView::plain(text.clone(), escape_text(&text)),
                )
            }
            Formula::Number(number) => ("number", self.number(*number)),
            Formula::Boolean(value) => ("boolean", checkbox(value.unwrap_or(false))),
            Formula::Date(date) => ("date", date_view(date.as_ref())),
            Formula::Unsupported | Formula::Unknown { .. } => (
                "unsupported",
                PropertyView::plain(String::new(), String::new()),
            ),
        };
        view.type_name = "formula".to_owned();
        view.result_type = Some(result_type);
        view
    }

    fn rollup(&self, rollup: &Rollup) -> PropertyView {
        let (result_type, mut view) = match rollup {
            Rollup::Number(number) => ("number", self.number(*number)),
            Rollup::Date(date) => ("date", date_view(date.as_ref())),
            Rollup::Array(values) => {
                let items: Vec<PropertyView> = values.iter().map(|v| self.view(v)).collect();
                let shown = || items.iter().filter(|i| !i.text.is_empty());
                (
                    "array",
                    PropertyView {
                        text: join(shown().map(|i| i.text.clone())),
                        html: join(shown().map(|i| i.html.clone())),
                        value: PropertyData::Array {
                            items: items.clone(),
                        },
                        ..PropertyView::new("rollup")
                    },
                )
            }
            Rollup::Incomplete | Rollup::Unsupported | Rollup::Unknown { .. } => (
                "unsupported",
                PropertyView::plain(String::new(), String::new()),
            ),
        };
        view.type_name = "rollup".to_owned();
        view.result_type = Some(result_type);
        view
    }
}

impl PropertyView {
    fn new(type_name: &str) -> PropertyView {
        PropertyView {
            type_name: type_name.to_owned(),
            text: String::new(),
            html: String::new(),
            result_type: None,
            value: PropertyData::Plain {},
        }
    }

    fn plain(text: String, html: String) -> PropertyView {
        PropertyView {
            text,
            html,
            ..PropertyView::new("rich_text")
        }
    }
}

fn join(parts: impl Iterator<Item = String>) -> String {
    parts.collect::<Vec<_>>().join(", ")
}

fn checkbox(checked: bool) -> PropertyView {
    let text = if checked { "Yes" } else { "No" };
    PropertyView {
        text: text.to_owned(),
        html: format!(
            "<span class=\"nb-checkbox{}\">{text}</span>",
            if checked { " nb-checked" } else { "" }
        ),
        value: PropertyData::Checkbox { checked },
        ..PropertyView::new("checkbox")
    }
}

/// The class of a select option's color: Notion's palette only.
fn option_class(color: Option<&str>) -> String {
    match color {
        Some(
            c @ ("gray" | "brown" | "orange" | "yellow" | "green" | "blue" | "purple" | "pink"
            | "red"),
        ) => format!("nb-option nb-option-{c}"),
        _ => "nb-option".to_owned(),
    }
}

fn option_html(option: &SelectOption) -> String {
    format!(
        "<span class=\"{}\">{}</span>",
        option_class(option.color.as_deref()),
        escape_text(&option.name)
    )
}

fn choice(option: Option<&SelectOption>) -> PropertyView {
    PropertyView {
        text: option.map(|o| o.name.clone()).unwrap_or_default(),
        html: option.map(option_html).unwrap_or_default(),
        value: PropertyData::Choice {
            name: option.map(|o| o.name.clone()),
            color: option.and_then(|o| o.color.clone()),
        },
        ..PropertyView::new("select")
    }
}

fn multi_select(options: &[SelectOption]) -> PropertyView {
    PropertyView {
        text: join(options.iter().map(|o| o.name.clone())),
        html: options
            .iter()
            .map(option_html)
            .collect::<Vec<_>>()
            .join(" "),
        value: PropertyData::MultiSelect {
            options: options
                .iter()
                .map(|o| ChoiceView {
                    name: o.name.clone(),
                    color: o.color.clone(),
                })
                .collect(),
        },
        ..PropertyView::new("multi_select")
    }
}

fn people(users: &[User]) -> PropertyView {
    let people: Vec<PersonView> = users
        .iter()
        .map(|u| PersonView {
            name: display_name(u),
        })
        .collect();
    let names = || people.iter().filter_map(|p| p.name.clone());
    PropertyView {
        text: join(names()),
        html: join(names().map(|n| escape_text(&n))),
        value: PropertyData::People { people },
        ..PropertyView::new("people")
    }
}

fn person(user: Option<&User>) -> PropertyView {
    let name = user.and_then(display_name);
    PropertyView {
        text: name.clone().unwrap_or_default(),
        html: name.as_deref().map(escape_text).unwrap_or_default(),
        value: PropertyData::Person { name },
        ..PropertyView::new("created_by")
    }
}

fn display_name(user: &User) -> Option<String> {
    user.name.clone().filter(|n| !n.trim().is_empty())
}

fn unique_id(prefix: Option<&str>, number: Option<i64>) -> PropertyView {
    let text = match (prefix.filter(|p| !p.is_empty()), number) {
        (Some(prefix), Some(n)) => format!("{prefix}-{n}"),
        (None, Some(n)) => n.to_string(),
        _ => String::new(),
    };
    PropertyView {
        html: escape_text(&text),
        text,
        value: PropertyData::UniqueId {
            prefix: prefix.map(str::to_owned),
            number,
        },
        ..PropertyView::new("unique_id")
    }
}

fn verification(state: Option<&str>) -> PropertyView {
    let text = match state {
        Some("verified") => "Verified",
        Some("expired") => "Expired",
        Some("unverified") => "Unverified",
        _ => "",
    };
    PropertyView {
        text: text.to_owned(),
        html: escape_text(text),
        value: PropertyData::Verification {
            state: state.map(str::to_owned),
        },
        ..PropertyView::new("verification")
    }
}

fn place_view(place: &serde_json::Value) -> PropertyView {
    let string = |key: &str| {
        place
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let (name, address) = (string("name"), string("address"));
    let text = name.clone().or_else(|| address.clone()).unwrap_or_default();
    PropertyView {
        html: escape_text(&text),
        text,
        value: PropertyData::Place {
            name,
            address,
            lat: place.get("lat").and_then(serde_json::Value::as_f64),
            lon: place.get("lon").and_then(serde_json::Value::as_f64),
        },
        ..PropertyView::new("place")
    }
}

/// A `tel:` URL: the digits and the few signs a dialler reads (`+`, `*`, `#`, `,`, `;`).
fn tel_url(written: &str) -> String {
    let dial: String = written
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '+' | '*' | '#' | ',' | ';'))
        .collect();
    format!("tel:{dial}")
}

// ------------------------------------------------------------------------------------ dates

fn date_view(date: Option<&DateValue>) -> PropertyView {
    let Some(date) = date.filter(|d| !d.start.trim().is_empty()) else {
        return PropertyView::new("date");
    };
    let start = parse_date(&date.start);
    let end = date.end.as_deref().and_then(parse_date);
    let is_datetime = start.as_ref().is_some_and(ParsedDate::has_time);
    let show = |parsed: &Option<ParsedDate>, raw: &str| {
        parsed
            .as_ref()
            .map_or_else(|| raw.to_owned(), ParsedDate::formatted)
    };
    let mut formatted = show(&start, &date.start);
    let mut html = time_html(&date.start, &formatted, start.is_some());
    if let Some(end_raw) = &date.end {
        let end_text = show(&end, end_raw);
        formatted = format!("{formatted} → {end_text}");
        html = format!("{html} → {}", time_html(end_raw, &end_text, end.is_some()));
    }
    if let Some(zone) = date.time_zone.as_deref().filter(|z| !z.is_empty()) {
        formatted = format!("{formatted} ({zone})");
        html.push_str(&format!(" ({})", escape_text(zone)));
    }
    PropertyView {
        text: formatted.clone(),
        html,
        value: PropertyData::Date(DateView {
            start: date.start.clone(),
            end: date.end.clone(),
            time_zone: date.time_zone.clone(),
            is_datetime,
            formatted,
        }),
        ..PropertyView::new("date")
    }
}

fn time_view(time: Option<DateTime<Utc>>) -> PropertyView {
    let value = time.map(|t| DateValue {
        start: t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        end: None,
        time_zone: None,
    });
    date_view(value.as_ref())
}

fn time_html(raw: &str, text: &str, valid: bool) -> String {
    if !valid {
        return escape_text(text);
    }
    let mut out = String::from("<time datetime=\"");
    push_attr(&mut out, raw);
    out.push_str("\">");
    push_text(&mut out, text);
    out.push_str("</time>");
    out
}

/// A Notion date: a day, a local time (with a `time_zone` beside it) or a time with an offset.
enum ParsedDate {
    Day(NaiveDate),
    Local(NaiveDateTime),
    Offset(DateTime<FixedOffset>),
}

impl ParsedDate {
    fn has_time(&self) -> bool {
        !matches!(self, ParsedDate::Day(_))
    }

    /// As written, in the time of day of its own offset: Notion shows the author's time.
    fn formatted(&self) -> String {
        const DAY: &str = "%B %-d, %Y";
        const DAY_TIME: &str = "%B %-d, %Y %-I:%M %p";
        match self {
            ParsedDate::Day(day) => day.format(DAY).to_string(),
            ParsedDate::Local(time) => time.format(DAY_TIME).to_string(),
            ParsedDate::Offset(time) => time.format(DAY_TIME).to_string(),
        }
    }
}

fn parse_date(text: &str) -> Option<ParsedDate> {
    let text = text.trim();
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(ParsedDate::Day(day));
    }
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(ParsedDate::Offset(time));
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(ParsedDate::Local)
}

// ---------------------------------------------------------------------------------- numbers

/// A number as Notion shows it in the property's format (`number_with_commas`, `percent`, a
/// currency, …); plain for `number` and for formats notion-bake does not know.
pub(crate) fn format_number(n: f64, format: Option<&str>) -> String {
    if !n.is_finite() {
        return n.to_string();
    }
    match format.unwrap_or("number") {
        "number" => plain_number(n),
        "number_with_commas" => grouped(&plain_number(n)),
        "percent" => format!("{}%", plain_number(n * 100.0)),
        other => match currency(other) {
            Some((symbol, decimals)) => {
                let amount = grouped(&format!("{:.*}", decimals, n.abs()));
                let sign = if n < 0.0 { "-" } else { "" };
                format!("{sign}{symbol}{amount}")
            }
            None => plain_number(n),
        },
    }
}

/// The shortest decimal form, without binary noise (`0.1 + 0.2` shows as `0.3`).
fn plain_number(n: f64) -> String {
    let rounded = (n * 1e10).round() / 1e10;
    let text = if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        format!("{rounded:.0}")
    } else {
        rounded.to_string()
    };
    if text == "-0" { "0".to_owned() } else { text }
}

/// Thousands separators in the integer part: `1234567.5` → `1,234,567.5`.
fn grouped(number: &str) -> String {
    let (sign, rest) = match number.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", number),
    };
    let (int, fraction) = match rest.split_once('.') {
        Some((int, fraction)) => (int, Some(fraction)),
        None => (rest, None),
    };
    let mut out = String::with_capacity(number.len() + int.len() / 3);
    for (i, digit) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    match fraction {
        Some(fraction) => format!("{sign}{out}.{fraction}"),
        None => format!("{sign}{out}"),
    }
}

/// The symbol and decimal places of Notion's currency formats.
fn currency(format: &str) -> Option<(&'static str, usize)> {
    Some(match format {
        "dollar" => ("$", 2),
        "australian_dollar" => ("A$", 2),
        "canadian_dollar" => ("CA$", 2),
        "singapore_dollar" => ("S$", 2),
        "hong_kong_dollar" => ("HK$", 2),
        "new_zealand_dollar" => ("NZ$", 2),
        "new_taiwan_dollar" => ("NT$", 2),
        "mexican_peso" => ("MX$", 2),
        "euro" => ("€", 2),
        "pound" => ("£", 2),
        "yen" => ("¥", 0),
        "yuan" => ("CN¥", 2),
        "won" => ("₩", 0),
        "ruble" => ("₽", 2),
        "rupee" => ("₹", 2),
        "rupiah" => ("Rp", 2),
        "real" => ("R$", 2),
        "lira" => ("₺", 2),
        "franc" => ("CHF ", 2),
        "krona" | "norwegian_krone" | "danish_krone" => ("kr ", 2),
        "rand" => ("R", 2),
        "zloty" => ("zł ", 2),
        "baht" => ("฿", 2),
        "forint" => ("Ft ", 2),
        "koruna" => ("Kč ", 2),
        "shekel" => ("₪", 2),
        "chilean_peso" => ("CLP$", 0),
        "philippine_peso" => ("₱", 2),
        "dirham" => ("AED ", 2),
        "colombian_peso" => ("COP$", 2),
        "riyal" => ("SAR ", 2),
        "ringgit" => ("RM", 2),
        "leu" => ("lei ", 2),
        "argentine_peso" => ("ARS$", 2),
        "uruguayan_peso" => ("$U", 2),
        "peruvian_sol" => ("S/", 2),
        _ => return None,
    })
}

/// One file as a download link with its size and type beside it.
fn push_file_link(out: &mut String, file: &FileView) {
    let Some(url) = &file.url else {
        push_text(out, &file.name);
        return;
    };
    out.push_str("<a class=\"nb-file-link\" href=\"");
    push_attr(out, url);
    out.push('"');
    if file.hosted {
        out.push_str(" download=\"");
        push_attr(out, &file.name);
        out.push('"');
    }
    out.push('>');
    push_text(out, &file.name);
    out.push_str("</a>");
    let meta: Vec<&str> = [file.size_text.as_deref(), file.kind.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !meta.is_empty() {
        out.push_str(" <span class=\"nb-file-meta\">");
        push_text(out, &meta.join(" · "));
        out.push_str("</span>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_notions_formats() {
        assert_eq!(format_number(1234.5, None), "1234.5");
        assert_eq!(format_number(0.1 + 0.2, Some("number")), "0.3");
        assert_eq!(
            format_number(1234567.25, Some("number_with_commas")),
            "1,234,567.25"
        );
        assert_eq!(format_number(-1234.0, Some("number_with_commas")), "-1,234");
        assert_eq!(format_number(0.256, Some("percent")), "25.6%");
        assert_eq!(format_number(1234.5, Some("dollar")), "$1,234.50");
        assert_eq!(format_number(-5.0, Some("euro")), "-€5.00");
        assert_eq!(format_number(1234.6, Some("yen")), "¥1,235");
        assert_eq!(format_number(7.0, Some("some_new_format")), "7");
    }

    #[test]
    fn dates_are_formatted_with_their_own_time_of_day() {
        let view = date_view(Some(&DateValue {
            start: "2026-07-04".into(),
            end: Some("2026-07-06".into()),
            time_zone: None,
        }));
        assert_eq!(view.text, "July 4, 2026 → July 6, 2026");
        assert_eq!(
            view.html,
            "<time datetime=\"2026-07-04\">July 4, 2026</time> → <time datetime=\"2026-07-06\">July 6, 2026</time>"
        );
        let PropertyData::Date(date) = view.value else {
            panic!("a date view")
        };
        assert!(!date.is_datetime);

        let timed = date_view(Some(&DateValue {
            start: "2026-07-04T21:05:00.000+02:00".into(),
            end: None,
            time_zone: None,
        }));
        assert_eq!(timed.text, "July 4, 2026 9:05 PM");
    }

    #[test]
    fn phone_links_keep_only_what_a_dialler_reads() {
        assert_eq!(tel_url("+1 (555) 010-9999"), "tel:+15550109999");
    }

    #[test]
    fn unique_ids_join_prefix_and_number() {
        assert_eq!(unique_id(Some("POST"), Some(12)).text, "POST-12");
        assert_eq!(unique_id(None, Some(3)).text, "3");
        assert_eq!(unique_id(None, None).text, "");
    }
}
