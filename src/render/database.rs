//! A database inside a page, in the layout of the author's Notion view, through the
//! `database/<layout>.html` templates: table, gallery, list, board and calendar. Layouts
//! static HTML cannot show (timeline, chart, map, form, dashboard) fall back to a table with
//! a note saying so. Property values are the same views as a post's properties.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use super::context::RenderContext;
use super::picture::icon_html;
use super::properties::{CellPart, NamedProperty, property_views};
use super::templates::Templates;
use super::view::ImageView;
use crate::config::DatabasesMode;
use crate::notion::model::{FileSource, PropertySchema, PropertyValue, View};
use crate::site::{Site, SiteDatabase, SiteRow};

/// A database schema: property configurations by name.
type Schema = BTreeMap<String, PropertySchema>;

/// Renders the databases of a site inside the pages that show them.
pub(crate) trait DatabaseHtml: Sync {
    /// The database `id` as HTML, or `None` when the site does not show it inline (the caller
    /// then shows its title and links to its rows). `title` is the block's.
    fn database_html(&self, id: &str, title: &str, ctx: &RenderContext<'_>) -> Option<String>;

    /// The database `id` as a table of text and links, for targets that write Markdown; `None`
    /// when the site does not show it inline, cannot read it, or shows it as a gallery (whose
    /// covers only HTML can carry: the caller then uses [`database_html`](Self::database_html)).
    fn database_table(&self, id: &str, ctx: &RenderContext<'_>) -> Option<DatabaseTable>;
}

/// A database inside a page as rows of text and links: a table, list, board or calendar view
/// written as a Markdown table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DatabaseTable {
    pub(crate) title: String,
    /// Why the layout differs from Notion's (a board, a calendar, a timeline as a table).
    pub(crate) note: Option<String>,
    /// The title property's name, then the other columns'.
    pub(crate) header: Vec<String>,
    pub(crate) rows: Vec<TableRow>,
}

/// One row of a [`DatabaseTable`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TableRow {
    pub(crate) title: String,
    /// The row's page in the site (its site path), when it has content.
    pub(crate) path: Option<String>,
    /// The other columns' cells.
    pub(crate) cells: Vec<Vec<CellPart>>,
}

/// The databases of `site` through `templates`.
pub(crate) struct DatabaseTemplates<'a> {
    pub(crate) site: &'a Site,
    pub(crate) templates: &'a Templates,
}

impl DatabaseHtml for DatabaseTemplates<'_> {
    fn database_html(&self, id: &str, title: &str, ctx: &RenderContext<'_>) -> Option<String> {
        let database = self.site.database(id)?;
        if database.mode != DatabasesMode::Inline {
            return None;
        }
        let Some(schema) = database.database.as_ref().map(|d| &d.properties) else {
            ctx.warn(format!(
                "the database \"{title}\" ({id}) cannot be read by the integration: shown as its \
                 title only. Share it with the integration in Notion (••• menu → Connections)"
            ));
            let mut html = String::from(
                "<section class=\"nb-database nb-database-private\"><p class=\"nb-database-title\">",
            );
            super::html::push_text(&mut html, title);
            html.push_str("</p></section>");
            return Some(html);
        };
        let view = DatabaseView::new(database, schema, ctx);
        let template = format!("database/{}.html", view.layout);
        let mut context = tera::Context::new();
        context.insert("database", &view);
        match self.templates.render(&template, &context) {
            Ok(html) => Some(html),
            Err(error) => {
                ctx.warn(format!(
                    "the database \"{title}\" ({id}) could not be rendered: {error:#}"
                ));
                None
            }
        }
    }

    fn database_table(&self, id: &str, ctx: &RenderContext<'_>) -> Option<DatabaseTable> {
        let database = self.site.database(id)?;
        if database.mode != DatabasesMode::Inline {
            return None;
        }
        let schema = database.database.as_ref().map(|d| &d.properties)?;
        let view = DatabaseView::new(database, schema, ctx);
        (view.layout != "gallery").then(|| view.table())
    }
}

/// What a `database/<layout>.html` template sees as `database`.
#[derive(Debug, Serialize)]
struct DatabaseView {
    id: String,
    title: String,
    /// The view's name in Notion.
    view_name: String,
    /// The template used: `table`, `gallery`, `list`, `board` or `calendar`.
    layout: &'static str,
    /// The view's own layout in Notion (`timeline`, …), which may differ from `layout`.
    notion_layout: String,
    /// Why the layout differs from Notion's, when it does.
    note: Option<String>,
    /// The title property's name (the first column of a table).
    title_name: String,
    /// The shown properties (other than the title), in the view's order.
    columns: Vec<Column>,
    rows: Vec<RowView>,
    /// Board: the rows by group, in the view's group order.
    groups: Vec<Group>,
    /// Calendar: a month grid for each month that has rows.
    months: Vec<Month>,
    /// Gallery: `small`, `medium` (the default) or `large`.
    cover_size: String,
    /// Gallery: `cover` (crop, the default) or `contain`.
    cover_aspect: String,
    /// Board: the name of the property the columns group by.
    group_by: Option<String>,
    /// Calendar: the name of the date property the rows are placed by.
    date_property: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct Column {
    name: String,
    #[serde(rename = "type")]
    type_name: String,
    /// Table: the column's width in pixels, when the view sets one.
    width: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
struct RowView {
    id: String,
    title: String,
    /// The row's page, when it has content.
    url: Option<String>,
    /// That page's site path (for targets that spell links their own way).
    #[serde(skip)]
    path: Option<String>,
    /// The icon as HTML (an emoji or a small image), if any.
    icon_html: String,
    /// Gallery: the card's cover, per the view's `cover` setting.
    cover: Option<ImageView>,
    /// The shown properties, in the columns' order; `None` where the row lacks one, so that
    /// cells line up.
    properties: Vec<Option<NamedProperty>>,
}

#[derive(Debug, Serialize)]
struct Group {
    name: String,
    rows: Vec<RowView>,
    /// Board with a sub-group-by property: the column's rows by sub-group, in the view's
    /// sub-group order, empty sub-groups left out; empty otherwise.
    sub_groups: Vec<Group>,
}

#[derive(Debug, Serialize)]
struct Month {
    /// `July 2026`.
    label: String,
    /// Monday-first weeks of seven days.
    weeks: Vec<Vec<Day>>,
    /// The days that have rows, for the agenda shown on narrow screens.
    agenda: Vec<Day>,
}

#[derive(Debug, Clone, Serialize)]
struct Day {
    /// Day of the month.
    day: u32,
    /// `2026-07-04`.
    date: String,
    /// Whether the day belongs to the month (the grid's first and last weeks spill over).
    in_month: bool,
    rows: Vec<RowView>,
}

impl DatabaseView {
    fn new(database: &SiteDatabase, schema: &Schema, ctx: &RenderContext<'_>) -> DatabaseView {
        let view = database.view.as_ref();
        let notion_layout = view.map_or("table", |v| v.layout.as_str()).to_owned();
        let configuration = view.and_then(|v| v.configuration.as_ref());
        let group_by = configuration
            .and_then(|c| c.group_by.as_ref())
            .and_then(|g| property_name(schema, &g.property_id));
        let date_property = configuration
            .and_then(|c| c.date_property_id.as_deref())
            .and_then(|id| property_name(schema, id));
        let (layout, note) = match notion_layout.as_str() {
            "table" => ("table", None),
            "gallery" => ("gallery", None),
            "list" => ("list", None),
            "board" if group_by.is_some() => ("board", None),
            "calendar" if date_property.is_some() => ("calendar", None),
            other => (
                "table",
                Some(format!(
                    "In Notion this database is shown as a {other} view, which a static page \
                     cannot show: here it is a table."
                )),
            ),
        };
        let columns = columns(database, view, schema);
        let rows: Vec<RowView> = database
            .rows
            .iter()
            .map(|row| row_view(row, &columns, view, schema, ctx))
            .collect();
        let groups = match (&group_by, layout) {
            (Some(property), "board") => board(database, &rows, property, view, schema),
            _ => Vec::new(),
        };
        let months = match (&date_property, layout) {
            (Some(property), "calendar") => {
                let weeks = configuration.and_then(|c| c.view_range.as_deref()) == Some("week");
                months(database, &rows, property, weeks)
            }
            _ => Vec::new(),
        };
        DatabaseView {
            id: database.id.clone(),
            title: database.title.clone(),
            view_name: view.map(|v| v.name.clone()).unwrap_or_default(),
            title_name: schema
                .values()
                .find(|p| p.type_name == "title")
                .map_or_else(|| "Name".to_owned(), |p| p.name.clone()),
            layout,
            notion_layout,
            note,
            columns,
            rows,
            groups,
            months,
            cover_size: configuration
                .and_then(|c| c.cover_size.clone())
                .filter(|s| matches!(s.as_str(), "small" | "medium" | "large"))
                .unwrap_or_else(|| "medium".to_owned()),
            cover_aspect: configuration
                .and_then(|c| c.cover_aspect.clone())
                .filter(|s| matches!(s.as_str(), "cover" | "contain"))
                .unwrap_or_else(|| "cover".to_owned()),
            group_by: group_by.filter(|_| layout == "board"),
            date_property: date_property.filter(|_| layout == "calendar"),
        }
    }

    /// The view as rows of text and links. A board lists its rows column by column, and a
    /// calendar day by day (rows without a date are not on it), each with its column or day
    /// as the first cell after the title.
    fn table(&self) -> DatabaseTable {
        let first = self.group_by.as_ref().or(self.date_property.as_ref());
        // The first cell already says the group or the day.
        let kept: Vec<usize> = (0..self.columns.len())
            .filter(|&i| Some(&self.columns[i].name) != first)
            .collect();
        let row = |row: &RowView, lead: Option<&str>| TableRow {
            title: row.title.clone(),
            path: row.path.clone(),
            cells: lead
                .map(|text| vec![CellPart::Text(text.to_owned())])
                .into_iter()
                .chain(kept.iter().map(|&i| {
                    row.properties[i]
                        .as_ref()
                        .map(NamedProperty::cell)
                        .unwrap_or_default()
                }))
                .collect(),
        };
        let rows = if self.group_by.is_some() {
            let mut rows = Vec::new();
            for group in &self.groups {
                if group.sub_groups.is_empty() {
                    rows.extend(group.rows.iter().map(|r| row(r, Some(&group.name))));
                }
                for sub in &group.sub_groups {
                    let lead = format!("{} / {}", group.name, sub.name);
                    rows.extend(sub.rows.iter().map(|r| row(r, Some(&lead))));
                }
            }
            rows
        } else if self.date_property.is_some() {
            let days = self.months.iter().flat_map(|m| &m.agenda);
            let by_day = days.flat_map(|d| d.rows.iter().map(|r| (r, &d.date)));
            by_day.map(|(r, date)| row(r, Some(date))).collect()
        } else {
            self.rows.iter().map(|r| row(r, None)).collect()
        };
        let mut header = vec![self.title_name.clone()];
        header.extend(first.cloned());
        header.extend(kept.iter().map(|&i| self.columns[i].name.clone()));
        DatabaseTable {
            title: self.title.clone(),
            note: self.note.clone(),
            header,
            rows,
        }
    }
}

/// The properties a row's own page shows under its title: the ones its database's view
/// shows, in the view's order (the title aside).
pub(crate) fn shown_property_names(database: &SiteDatabase) -> Vec<String> {
    let Some(schema) = database.database.as_ref().map(|d| &d.properties) else {
        return Vec::new();
    };
    columns(database, database.view.as_ref(), schema)
        .into_iter()
        .map(|c| c.name)
        .collect()
}

/// The name of the property with this id.
fn property_name(schema: &Schema, id: &str) -> Option<String> {
    schema.values().find(|p| p.id == id).map(|p| p.name.clone())
}

/// The shown properties other than the title: the view's, in its order, or (without a view
/// configuration) every property in the order Notion sends a row's properties.
fn columns(database: &SiteDatabase, view: Option<&View>, schema: &Schema) -> Vec<Column> {
    let is_title = |name: &str| schema.get(name).is_some_and(|p| p.type_name == "title");
    let column = |name: &str, width: Option<f64>| Column {
        name: name.to_owned(),
        type_name: schema
            .get(name)
            .map(|p| p.type_name.clone())
            .unwrap_or_default(),
        width: width
            .filter(|w| w.is_finite() && *w > 0.0)
            .map(|w| w.min(2000.0) as u32),
    };
    match view.and_then(|v| Some((v, v.shown_property_ids()?))) {
        Some((view, ids)) => {
            let widths = view.configuration.iter().flat_map(|c| &c.properties);
            ids.iter()
                .filter_map(|id| {
                    let name = property_name(schema, id)?;
                    let width = widths
                        .clone()
                        .find(|p| p.property_id == *id)
                        .and_then(|p| p.width);
                    Some((name, width))
                })
                .filter(|(name, _)| !is_title(name))
                .map(|(name, width)| column(&name, width))
                .collect()
        }
        None => {
            let names: Vec<&String> = match database.rows.first() {
                Some(row) => row.page.properties.keys().collect(),
                None => schema.keys().collect(),
            };
            names
                .into_iter()
                .filter(|name| !is_title(name))
                .map(|name| column(name, None))
                .collect()
        }
    }
}

fn row_view(
    row: &SiteRow,
    columns: &[Column],
    view: Option<&View>,
    schema: &Schema,
    ctx: &RenderContext<'_>,
) -> RowView {
    let properties = property_views(&row.page.properties, Some(schema), ctx).list;
    let shown = columns
        .iter()
        .map(|column| properties.iter().find(|p| p.name() == column.name).cloned())
        .collect();
    RowView {
        id: row.page.id.clone(),
        title: if row.title.trim().is_empty() {
            "Untitled".to_owned()
        } else {
            row.title.clone()
        },
        url: row.path.as_deref().map(|path| ctx.urls.page(path)),
        path: row.path.clone(),
        icon_html: row
            .page
            .icon
            .as_ref()
            .map(|icon| icon_html(icon, ctx, "nb-database-icon", 20))
            .unwrap_or_default(),
        cover: card_cover(row, view, schema, ctx),
        properties: shown,
    }
}

/// A gallery card's cover, as the view's `cover` setting says: the page's cover, the first
/// image of its content, the first image of a files property, or none. Without a setting,
/// the page's cover, else the first image of its content.
fn card_cover(
    row: &SiteRow,
    view: Option<&View>,
    schema: &Schema,
    ctx: &RenderContext<'_>,
) -> Option<ImageView> {
    if view.is_none_or(|v| v.layout != "gallery") {
        return None;
    }
    let image = |file: &FileSource| match file {
        // A baked file that is not an image (a PDF) makes no cover.
        FileSource::Notion { key, .. } => ctx
            .asset(key.as_ref())
            .filter(|asset| asset.image.is_some())
            .and_then(|_| ImageView::from_file(file, ctx, "")),
        _ => ImageView::from_file(file, ctx, ""),
    };
    let cover = view
        .and_then(|v| v.configuration.as_ref())
        .and_then(|c| c.cover.as_ref());
    match cover.map(|c| (c.kind.as_str(), c.property_id.as_deref())) {
        Some(("page_cover", _)) => row.page.cover.as_ref().and_then(image),
        Some(("page_content" | "page_content_first", _)) => row.first_image_file().and_then(image),
        Some(("property", Some(id))) => {
            let name = property_name(schema, id)?;
            match row.page.properties.get(&name)? {
                PropertyValue::Files(files) => files.iter().find_map(|f| image(&f.source)),
                _ => None,
            }
        }
        Some(_) => None,
        None => row
            .page
            .cover
            .as_ref()
            .and_then(image)
            .or_else(|| row.first_image_file().and_then(image)),
    }
}

/// A board's columns, each with its sub-groups when the view groups the rows again.
fn board(
    database: &SiteDatabase,
    rows: &[RowView],
    property: &str,
    view: Option<&View>,
    schema: &Schema,
) -> Vec<Group> {
    let configuration = view.and_then(|v| v.configuration.as_ref());
    let sort_of = |group: Option<&crate::notion::model::GroupBy>| {
        group
            .and_then(|g| g.sort.as_ref())
            .map_or("manual", |s| s.kind.as_str())
            .to_owned()
    };
    let pairs: Vec<(&SiteRow, &RowView)> = database.rows.iter().zip(rows).collect();
    let sort = sort_of(configuration.and_then(|c| c.group_by.as_ref()));
    let mut columns = groups(&pairs, property, &sort, schema, true);
    let sub = configuration.and_then(|c| c.sub_group_by.as_ref());
    if let Some(sub_property) = sub.and_then(|g| property_name(schema, &g.property_id)) {
        let sub_sort = sort_of(sub);
        for column in &mut columns {
            let ids: Vec<&str> = column.rows.iter().map(|r| r.id.as_str()).collect();
            let in_column: Vec<(&SiteRow, &RowView)> = pairs
                .iter()
                .filter(|(_, r)| ids.contains(&r.id.as_str()))
                .copied()
                .collect();
            column.sub_groups = groups(&in_column, &sub_property, &sub_sort, schema, false);
        }
    }
    columns
}

/// Rows grouped by a property's value: one group per option, in the order of the options
/// (`manual`) or of their names (`ascending`, `descending`); rows without a value first, as
/// Notion shows them. `keep_empty` keeps the options no row has (a board's columns).
fn groups(
    rows: &[(&SiteRow, &RowView)],
    property: &str,
    sort: &str,
    schema: &Schema,
    keep_empty: bool,
) -> Vec<Group> {
    let mut names: Vec<String> = schema
        .get(property)
        .map(|p| p.options.clone())
        .unwrap_or_default();
    let values: Vec<Vec<String>> = rows
        .iter()
        .map(|(row, _)| group_values(row.page.properties.get(property)))
        .collect();
    for value in values.iter().flatten() {
        if !names.contains(value) {
            names.push(value.clone());
        }
    }
    match sort {
        "ascending" => names.sort_by_key(|n| n.to_lowercase()),
        "descending" => {
            names.sort_by_key(|n| n.to_lowercase());
            names.reverse();
        }
        _ => {}
    }
    let rows_where = |keep: &dyn Fn(&Vec<String>) -> bool| -> Vec<RowView> {
        rows.iter()
            .zip(&values)
            .filter(|(_, v)| keep(v))
            .map(|((_, r), _)| (*r).clone())
            .collect()
    };
    let group = |name: String, rows: Vec<RowView>| Group {
        name,
        rows,
        sub_groups: Vec::new(),
    };
    let mut groups = Vec::new();
    let without_value = rows_where(&|v| v.is_empty());
    if !without_value.is_empty() {
        groups.push(group(format!("No {property}"), without_value));
    }
    // On a board every option is a column, as in Notion, even one without rows.
    for name in names {
        let rows = rows_where(&|v| v.contains(&name));
        if keep_empty || !rows.is_empty() {
            groups.push(group(name, rows));
        }
    }
    groups
}

/// The group names of a row's value of the group-by property.
fn group_values(value: Option<&PropertyValue>) -> Vec<String> {
    match value {
        Some(PropertyValue::Select(Some(o)) | PropertyValue::Status(Some(o))) => {
            vec![o.name.clone()]
        }
        Some(PropertyValue::MultiSelect(options)) => {
            options.iter().map(|o| o.name.clone()).collect()
        }
        Some(PropertyValue::Checkbox(checked)) => {
            vec![if *checked { "Checked" } else { "Unchecked" }.to_owned()]
        }
        Some(other) => {
            let text = other.plain_text();
            if text.trim().is_empty() {
                Vec::new()
            } else {
                vec![text]
            }
        }
        None => Vec::new(),
    }
}

/// A calendar: a Monday-first grid for each month with rows (or, for a view whose range is a
/// week, for each week with rows), rows on the day their date property starts. Rows without a
/// date are not on the calendar (Notion leaves them off too).
fn months(database: &SiteDatabase, rows: &[RowView], property: &str, weeks: bool) -> Vec<Month> {
    let mut by_day: BTreeMap<NaiveDate, Vec<RowView>> = BTreeMap::new();
    for (row, view) in database.rows.iter().zip(rows) {
        let Some(PropertyValue::Date(Some(date))) = row.page.properties.get(property) else {
            continue;
        };
        let Some(day) = date
            .start
            .get(..10)
            .and_then(|d| d.parse::<NaiveDate>().ok())
        else {
            continue;
        };
        by_day.entry(day).or_default().push(view.clone());
    }
    let monday =
        |date: NaiveDate| date - Duration::days(i64::from(date.weekday().num_days_from_monday()));
    // Each period with rows: its first day, the day after it, and its label.
    let mut periods: Vec<(NaiveDate, NaiveDate, String)> = by_day
        .keys()
        .filter_map(|&day| {
            if weeks {
                let start = monday(day);
                let label = format!("Week of {}", start.format("%B %-d, %Y"));
                Some((start, start + Duration::days(7), label))
            } else {
                let start = day.with_day(1)?;
                let end = start.checked_add_months(chrono::Months::new(1))?;
                Some((start, end, start.format("%B %Y").to_string()))
            }
        })
        .collect();
    periods.dedup();
    periods
        .into_iter()
        .map(|(start, end, label)| {
            let day_of = |date: NaiveDate| Day {
                day: date.day(),
                date: date.format("%Y-%m-%d").to_string(),
                in_month: start <= date && date < end,
                rows: by_day.get(&date).cloned().unwrap_or_default(),
            };
            let mut day = monday(start);
            let mut weeks = Vec::new();
            // At most six weeks cover a month.
            while day < end && weeks.len() < 6 {
                weeks.push(
                    (0..7)
                        .map(|i| day_of(day + Duration::days(i)))
                        .collect::<Vec<_>>(),
                );
                day += Duration::days(7);
            }
            let agenda = weeks
                .iter()
                .flatten()
                .filter(|d| d.in_month && !d.rows.is_empty())
                .cloned()
                .collect();
            Month {
                label,
                weeks,
                agenda,
            }
        })
        .collect()
}
