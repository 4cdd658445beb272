//! Databases inside pages (`child_database` blocks and links to databases): crawled through
//! the author's Notion view, rendered in its layout, their rows published as pages with every
//! file baked. The real binary against the fake Notion server.

mod support;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};
use support::{DbRef, Endpoint, FakeNotion, Hostile, Workspace, blocks as b};

const EXTERNAL_LINK: &str = "https://example.org/files/Spec%202026.pdf?download=1";
const SCHEMA: &[(&str, &str)] = &[
    ("Kind", "select"),
    ("Year", "number"),
    ("When", "date"),
    ("Files", "files"),
    ("Secret", "rich_text"),
];

struct Library {
    server: FakeNotion,
    site: tempfile::TempDir,
    page: String,
    gallery: DbRef,
    /// The ids of the gallery's views: `Cards`, then `All`.
    gallery_views: Vec<String>,
    calendar: DbRef,
    /// The row of the table with a cover, files and content.
    table_alpha: String,
    unshared_block: String,
}

/// Seven rows: Alpha (cover, icon, files: a hosted PDF and an external link, content with an
/// image), Beta (no content: listed, without a page), Gamma (a child page with a child page of
/// its own), Delta (in the trash), Epsilon (not shared with the integration), Zeta (Year 2019,
/// which the table view's filter leaves out) and Eta. Returns Alpha's id.
fn add_rows(ws: &mut Workspace, db: &DbRef, tag: u8) -> String {
    let cover = ws.add_file(&format!("cover-{tag}.jpg"), support::jpeg(640, 400, tag));
    let photo = ws.add_file(
        &format!("photo-{tag}.jpg"),
        support::jpeg(320, 200, tag + 1),
    );
    let pdf = ws.add_file(
        &format!("spec-{tag}.pdf"),
        format!("%PDF-1.4\n% {tag}\ntrailer<<>>\n%%EOF\n").into_bytes(),
    );
    let row = |ws: &mut Workspace, properties: Value, blocks: Vec<Value>| {
        ws.add_row(db, properties, blocks)
    };
    let alpha = row(
        ws,
        json!({"Name": "Alpha", "Kind": "A", "Year": 2021, "When": "2026-03-02",
               "Secret": "hidden-alpha-secret",
               "Files": [b::files_entry("spec.pdf", b::hosted(&pdf)), b::files_entry("Spec 2026.pdf", b::external(EXTERNAL_LINK))]}),
        vec![
            b::paragraph("Alpha's own page."),
            b::image(b::hosted(&photo), "A photo in the row"),
        ],
    );
    ws.set_cover(&alpha, b::hosted(&cover));
    ws.set_icon(&alpha, b::emoji("🦊"));
    row(
        ws,
        json!({"Name": "Beta", "Kind": "B", "Year": 2023, "When": "2026-03-20"}),
        vec![],
    );
    let gamma = row(
        ws,
        json!({"Name": "Gamma", "Kind": "A", "Year": 2022, "When": "2026-04-05"}),
        vec![b::paragraph("Gamma has a page beneath it.")],
    );
    let level_2 = ws.add_child_page(&gamma, "Level two", vec![b::paragraph("two")]);
    ws.add_child_page(&level_2, "Level three", vec![b::paragraph("three")]);
    let delta = row(
        ws,
        json!({"Name": "Delta", "Kind": "B", "Year": 2024}),
        vec![b::paragraph("trashed")],
    );
    ws.trash(&delta);
    let epsilon = row(
        ws,
        json!({"Name": "Epsilon", "Kind": "C", "Year": 2024}),
        vec![b::paragraph("unshared")],
    );
    ws.unshare(&epsilon);
    row(
        ws,
        json!({"Name": "Zeta", "Kind": "C", "Year": 2019, "When": "2026-04-30"}),
        vec![b::paragraph("Zeta's page.")],
    );
    row(
        ws,
        json!({"Name": "Eta", "Kind": "B", "Year": 2020}),
        vec![b::paragraph("Eta's page.")],
    );

    alpha
}

/// A page with a gallery, a table (filtered, sorted, a hidden property), a list, a board, a
/// calendar, a timeline, a database of 250 rows, a link to the gallery, and a database the
/// integration cannot read.
fn library() -> Library {
    let mut ws = Workspace::new();
    let page = ws.add_page("Library", vec![b::paragraph("Everything we keep.")]);
    let add = |ws: &mut Workspace, title: &str, tag: u8, views: Vec<Value>| {
        let db = ws.add_child_database(&page, title, SCHEMA);
        let rows = add_rows(ws, &db, tag);
        if !views.is_empty() {
            ws.set_views(&db, views);
        }
        (db, rows)
    };
    // Ids are only known once the schema exists: views are set after the rows.
    let (gallery, _) = add(&mut ws, "Portfolio", 10, vec![]);
    let id = |ws: &Workspace, db: &DbRef, name: &str| ws.property_id(db, name);
    let gallery_views = vec![
        json!({"name": "Cards", "type": "gallery", "configuration": {
            "type": "gallery", "cover": {"type": "page_cover"}, "cover_size": "large",
            "properties": [{"property_id": id(&ws, &gallery, "Kind")}, {"property_id": id(&ws, &gallery, "Files")}]}}),
        json!({"name": "All", "type": "table"}),
    ];
    let gallery_views = ws.set_views(&gallery, gallery_views);

    let (table, table_alpha) = add(&mut ws, "Reading list", 20, vec![]);
    let table_views = vec![json!({"name": "Recent", "type": "table",
    "filter": {"property": "Year", "number": {"greater_than": 2019}},
    "sorts": [{"property": "Year", "direction": "descending"}],
    "configuration": {"type": "table", "properties": [
        {"property_id": "title", "width": 240},
        {"property_id": id(&ws, &table, "Year"), "width": 90},
        {"property_id": id(&ws, &table, "Secret"), "visible": false},
        {"property_id": id(&ws, &table, "Files")}
    ]}})];
    ws.set_views(&table, table_views);

    let (list, _) = add(&mut ws, "Resources", 30, vec![]);
    let list_views = vec![json!({"name": "List", "type": "list", "configuration": {
        "type": "list", "properties": [{"property_id": id(&ws, &list, "Kind")}]}})];
    ws.set_views(&list, list_views);

    let (board, _) = add(&mut ws, "Projects", 40, vec![]);
    ws.add_row(&board, json!({"Name": "Unsorted", "Year": 2020}), vec![]);
    let board_views = vec![json!({"name": "Board", "type": "board", "configuration": {
        "type": "board",
        "group_by": {"type": "select", "property_id": id(&ws, &board, "Kind"), "sort": {"type": "descending"}},
        "sub_group_by": {"type": "number", "property_id": id(&ws, &board, "Year"), "sort": {"type": "ascending"}},
        "properties": [{"property_id": id(&ws, &board, "Year")}]}})];
    ws.set_views(&board, board_views);

    let (calendar, _) = add(&mut ws, "Events", 50, vec![]);
    let calendar_views = vec![
        json!({"name": "Calendar", "type": "calendar", "configuration": {
        "type": "calendar", "date_property_id": id(&ws, &calendar, "When")}}),
        json!({"name": "Weekly", "type": "calendar", "configuration": {
        "type": "calendar", "date_property_id": id(&ws, &calendar, "When"), "view_range": "week"}}),
    ];
    ws.set_views(&calendar, calendar_views);

    add(
        &mut ws,
        "Roadmap",
        60,
        vec![json!({"name": "Timeline", "type": "timeline"})],
    );

    let big = ws.add_child_database(&page, "Archive", &[("Number", "number")]);
    for n in 0..250 {
        ws.add_row(
            &big,
            json!({"Name": format!("Item {n:03}"), "Number": n}),
            vec![],
        );
    }
    ws.append_blocks(
        &page,
        vec![
            b::link_to_database(&gallery.database_id),
            b::paragraph(vec![
                b::text("See "),
                b::page_mention(&table_alpha, "Alpha"),
                b::text("."),
            ]),
        ],
    );
    let unshared_block = "5e1f0a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b".to_owned();
    ws.append_blocks(
        &page,
        vec![b::child_database(&unshared_block, "Private ledger")],
    );

    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    write_config(site.path(), &page, "2025-09-03", "");
    Library {
        server,
        site,
        page,
        gallery,
        gallery_views,
        calendar,
        table_alpha,
        unshared_block,
    }
}

fn write_config(site: &Path, page: &str, version: &str, extra: &str) {
    write_config_with(site, page, version, "", extra);
}

/// `page_options` go into the `[[pages]]` entry, `extra` at the end.
fn write_config_with(site: &Path, page: &str, version: &str, page_options: &str, extra: &str) {
    std::fs::write(
        site.join("notion-bake.toml"),
        format!(
            r#"title = "Library"
base_url = "https://example.org"
[notion]
requests_per_second = 1000
version = "{version}"
[[pages]]
id = "{page}"
path = "library"
{page_options}
[images]
widths = [320]
{extra}"#
        ),
    )
    .unwrap();
}

fn build(site: &Path, server: &FakeNotion) -> Output {
    Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .arg("build")
        .arg(site)
        .env_remove("RUST_LOG")
        .env("NOTION_TOKEN", server.token())
        .env("NOTION_API_URL", server.url())
        .output()
        .unwrap()
}

/// `notion-bake <args> <site>` without a token: what it does from the cache alone.
fn offline(args: &[&str], site: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .args(args)
        .arg(site)
        .env_remove("RUST_LOG")
        .env_remove("NOTION_TOKEN")
        .output()
        .unwrap()
}

fn assert_ok(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "build failed:\n{stderr}");
    stderr
}

fn read(public: &Path, path: &str) -> String {
    std::fs::read_to_string(public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn files(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// The HTML of the `section.nb-database` whose title is `title`.
fn section(html: &str, title: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("section.nb-database").unwrap();
    let title_selector = scraper::Selector::parse(".nb-database-title").unwrap();
    document
        .select(&selector)
        .find(|s| {
            s.select(&title_selector)
                .next()
                .is_some_and(|t| t.text().collect::<String>() == title)
        })
        .map(|s| s.html())
        .unwrap_or_else(|| panic!("no database section titled {title:?}"))
}

/// The texts of the elements matching `css` in `html`, in order.
fn texts(html: &str, css: &str) -> Vec<String> {
    let fragment = scraper::Html::parse_fragment(html);
    let selector = scraper::Selector::parse(css).unwrap();
    fragment
        .select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

fn counts(server: &FakeNotion) -> HashMap<Endpoint, usize> {
    server.requests_by_endpoint()
}

#[test]
fn databases_inside_a_page_are_shown_in_their_view_with_rows_as_pages_and_files_baked() {
    let library = library();
    let stderr = assert_ok(&build(library.site.path(), &library.server));
    let public = library.site.path().join("public");
    let html = read(&public, "library/index.html");
    let all = files(&public);

    // Gallery: the first view listed (a gallery) is the one shown; cards carry the baked
    // covers, large, and only the view's properties.
    let gallery = section(&html, "Portfolio");
    assert!(
        gallery.contains("nb-database-gallery nb-cover-large"),
        "{gallery}"
    );
    assert_eq!(
        texts(&gallery, ".nb-card-title"),
        ["🦊Alpha", "Beta", "Gamma", "Zeta", "Eta"],
        "trashed and unshared rows are not shown"
    );
    assert!(
        gallery.contains("<picture>") && gallery.contains("/assets/cover-10-"),
        "{gallery}"
    );
    assert!(
        !gallery.contains("2021"),
        "Year is not a property of the gallery view"
    );

    // Table: the view's filter (Year > 2019) and sort (Year descending), its widths, and its
    // hidden property left out.
    let table = section(&html, "Reading list");
    assert_eq!(
        texts(&table, "tbody th"),
        ["Beta", "Gamma", "🦊Alpha", "Eta"]
    );
    assert_eq!(texts(&table, "thead th"), ["Name", "Year", "Files"]);
    assert!(table.contains("style=\"width:240px\"") || table.contains("style=\"width:90px\""));
    assert!(
        !table.contains("hidden-alpha-secret"),
        "a hidden property is shown"
    );
    assert!(!table.contains("Secret"));
    assert!(
        table.contains("href=\"/library/reading-list/alpha/\""),
        "{table}"
    );
    // Beta has no content: listed, not linked, no page.
    assert!(!table.contains("/library/reading-list/beta/"));
    assert!(!all.contains("library/reading-list/beta/index.html"));
    // Zeta is filtered out of the view: not published.
    assert!(!all.contains("library/reading-list/zeta/index.html"));
    assert!(all.contains("library/portfolio/zeta/index.html"));

    // Files: the hosted PDF is baked byte-exact, the external link left as written.
    assert!(
        table.contains(&EXTERNAL_LINK.replace('&', "&amp;")),
        "{table}"
    );
    let pdf = table
        .split("href=\"/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.starts_with("assets/") && href.ends_with(".pdf"))
        .expect("the files property's PDF is baked and linked");
    assert_eq!(
        std::fs::read(public.join(pdf)).unwrap(),
        b"%PDF-1.4\n% 20\ntrailer<<>>\n%%EOF\n"
    );

    // List and board (groups in the descending order of their names), calendar months, and
    // the timeline as a table with a note.
    let list = section(&html, "Resources");
    assert!(list.contains("nb-database-list"));
    let items = texts(&list, ".nb-database-items > li");
    assert_eq!(items.len(), 5, "{items:?}");
    assert!(
        items[0].contains("Alpha") && items[0].contains('A'),
        "{items:?}"
    );
    let board = section(&html, "Projects");
    assert_eq!(
        texts(&board, ".nb-board-group")
            .iter()
            .map(|g| g.split_whitespace().next().unwrap().to_owned())
            .collect::<Vec<_>>(),
        ["No", "C", "B", "A"],
        "rows without a value first, then the options by descending name"
    );
    // Inside each column, the rows by sub-group (Year, ascending), empty ones left out.
    let column_a = texts(&board, ".nb-board-column").pop().unwrap();
    assert!(column_a.starts_with("A 2"), "{column_a}");
    assert_eq!(
        texts(&board, ".nb-board-column:last-child .nb-board-subgroup"),
        ["2021 1", "2022 1"]
    );
    let calendar = section(&html, "Events");
    assert_eq!(
        texts(&calendar, ".nb-calendar-label"),
        ["March 2026", "April 2026"]
    );
    let timeline = section(&html, "Roadmap");
    assert!(timeline.contains("nb-database-table") && timeline.contains("timeline view"));

    // 250 rows, in three queries of at most 100.
    let archive = section(&html, "Archive");
    assert_eq!(texts(&archive, "tbody tr").len(), 250);

    // The database the integration cannot read: its title, and a warning naming page and block.
    let private = section(&html, "Private ledger");
    assert!(private.contains("nb-database-private"));
    assert!(
        stderr.contains("Private ledger") && stderr.contains(&library.unshared_block),
        "{stderr}"
    );

    // Rows with content are pages beneath the page, with their cover, properties and
    // blocks; a row's child pages nest beneath it.
    let alpha = read(&public, "library/reading-list/alpha/index.html");
    assert!(alpha.contains("Alpha&#39;s own page.") || alpha.contains("Alpha's own page."));
    assert!(alpha.contains("/assets/cover-20-") && alpha.contains("/assets/photo-20-"));
    assert!(alpha.contains("2021") && !alpha.contains("hidden-alpha-secret"));
    assert!(all.contains("library/reading-list/gamma/level-two/level-three/index.html"));

    // A mention of a row leads to the row's page.
    assert!(
        html.contains(
            "<a href=\"/library/reading-list/alpha/\" class=\"nb-mention nb-mention-page\">"
        ),
        "{html}"
    );

    // No signed URL anywhere.
    for file in all.iter().filter(|f| f.ends_with(".html")) {
        let text = read(&public, file);
        assert!(!text.contains("X-Amz-"), "{file} links to a signed URL");
        assert!(
            !text.contains(&library.server.url()),
            "{file} links to Notion's file host"
        );
    }

    if let Some(errors) = support::vnu::errors_in(&public, "databases") {
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn an_unchanged_database_costs_its_query_and_an_edited_row_costs_that_row() {
    let library = library();
    let server = &library.server;
    assert_ok(&build(library.site.path(), server));
    let cold = counts(server);
    // Six databases with views and rows, the archive, and the unreadable one.
    assert_eq!(cold.get(&Endpoint::Database), Some(&8), "{cold:?}");
    assert_eq!(cold.get(&Endpoint::DataSource), Some(&7), "{cold:?}");
    assert_eq!(cold.get(&Endpoint::Views), Some(&7), "{cold:?}");
    // One request per view: two each for the portfolio and the events, one for each other
    // database.
    assert_eq!(cold.get(&Endpoint::View), Some(&9), "{cold:?}");
    // One query per database, three for the archive's 250 rows.
    assert_eq!(cold.get(&Endpoint::Query), Some(&9), "{cold:?}");

    server.reset_counters();
    assert_ok(&build(library.site.path(), server));
    let warm = counts(server);
    assert_eq!(warm.get(&Endpoint::Query), Some(&9), "{warm:?}");
    // Each database's view list (a view added or removed) and the shown view's own answer
    // (its filter, sorts, properties and layout are only there): two requests a database.
    assert_eq!(warm.get(&Endpoint::Views), Some(&7), "{warm:?}");
    assert_eq!(warm.get(&Endpoint::View), Some(&7), "{warm:?}");
    // The unreadable database is asked for again (it may have been shared since); the page
    // and the row's child pages are asked for their `last_edited_time`, as child pages are.
    assert_eq!(warm.get(&Endpoint::Database), Some(&1), "{warm:?}");
    assert_eq!(warm.get(&Endpoint::Page), Some(&13), "{warm:?}");
    for endpoint in [Endpoint::DataSource, Endpoint::BlockChildren] {
        assert_eq!(
            warm.get(&endpoint),
            None,
            "{endpoint:?} on a warm build: {warm:?}"
        );
    }

    // One row edited: its content is fetched again, nothing else.
    let alpha = library.table_alpha.clone();
    server.replace_blocks(&alpha, vec![b::paragraph("Alpha, rewritten.")]);
    server.reset_counters();
    assert_ok(&build(library.site.path(), server));
    let edited = counts(server);
    assert_eq!(edited.get(&Endpoint::BlockChildren), Some(&1), "{edited:?}");
    assert_eq!(server.requests_for(Endpoint::BlockChildren, &alpha), 1);
    let page = read(
        &library.site.path().join("public"),
        "library/reading-list/alpha/index.html",
    );
    assert!(page.contains("Alpha, rewritten."));

    // The author changes the gallery's view: a list now, of the rows of kind A, showing the
    // year. Picked up without `--full`, at the same cost as an unchanged build.
    let year = server.with_workspace(|ws| ws.property_id(&library.gallery, "Year"));
    server.with_workspace(|ws| {
        ws.edit_view(&library.gallery, 0, |view| {
            view["type"] = json!("list");
            view["filter"] = json!({"property": "Kind", "select": {"equals": "A"}});
            view["configuration"] = json!({"type": "list", "properties": [{"property_id": year}]});
        })
    });
    server.reset_counters();
    assert_ok(&build(library.site.path(), server));
    let changed = counts(server);
    for (endpoint, expected) in [
        (Endpoint::Views, 7),
        (Endpoint::View, 7),
        (Endpoint::Query, 9),
        (Endpoint::Database, 1),
    ] {
        assert_eq!(changed.get(&endpoint), Some(&expected), "{changed:?}");
    }
    assert_eq!(changed.get(&Endpoint::DataSource), None, "{changed:?}");
    let html = read(&library.site.path().join("public"), "library/index.html");
    let portfolio = section(&html, "Portfolio");
    assert!(portfolio.contains("nb-database-list"), "{portfolio}");
    let items = texts(&portfolio, ".nb-database-items > li");
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(
        items[0].contains("Alpha") && items[0].contains("2021"),
        "{items:?}"
    );
    assert!(items[1].contains("Gamma"), "{items:?}");

    // The config names the shown view by id: its own answer is enough, the list is not sent.
    let extra = format!(
        "[databases.\"{}\"]\nview = \"{}\"\n",
        library.gallery.database_id, library.gallery_views[0]
    );
    write_config(library.site.path(), &library.page, "2025-09-03", &extra);
    server.reset_counters();
    assert_ok(&build(library.site.path(), server));
    let named = counts(server);
    assert_eq!(named.get(&Endpoint::Views), Some(&6), "{named:?}");
    assert_eq!(named.get(&Endpoint::View), Some(&7), "{named:?}");
}

#[test]
fn before_views_a_database_is_a_table_of_its_rows_and_config_chooses_views_and_modes() {
    let library = library();
    let site = library.site.path();
    write_config(site, &library.page, "2022-06-28", "");
    assert_ok(&build(site, &library.server));
    assert_eq!(counts(&library.server).get(&Endpoint::Views), None);
    let html = read(&site.join("public"), "library/index.html");
    let gallery = section(&html, "Portfolio");
    assert!(gallery.contains("nb-database-table"), "{gallery}");
    // No view, no filter: every shared row that is not in the trash.
    let table = section(&html, "Reading list");
    assert_eq!(texts(&table, "tbody th").len(), 5);

    // The config names another view of the portfolio, and shows the board as links only.
    let extra = format!(
        "[databases.\"{}\"]\nview = \"All\"\n",
        library.gallery.database_id
    );
    write_config(site, &library.page, "2025-09-03", &extra);
    assert_ok(&build(site, &library.server));
    let html = read(&site.join("public"), "library/index.html");
    assert!(section(&html, "Portfolio").contains("nb-database-table"));

    // A calendar whose range is a week: a grid per week that has rows.
    let extra = format!(
        "{extra}[databases.\"{}\"]\nview = \"Weekly\"\n",
        library.calendar.database_id
    );
    write_config(site, &library.page, "2025-09-03", &extra);
    assert_ok(&build(site, &library.server));
    let html = read(&site.join("public"), "library/index.html");
    let weekly = section(&html, "Events");
    assert_eq!(
        texts(&weekly, ".nb-calendar-label"),
        [
            "Week of March 2, 2026",
            "Week of March 16, 2026",
            "Week of March 30, 2026",
            "Week of April 27, 2026"
        ]
    );
    assert_eq!(texts(&weekly, ".nb-calendar-grid tbody tr").len(), 4);

    // A site's own `templates/database/table.html` replaces the built-in one.
    let templates = site.join("templates/database");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("table.html"),
        "\n<div class=\"my-table\">{{ database.title }}: {{ database.rows | length }} rows</div>",
    )
    .unwrap();
    assert_ok(&build(site, &library.server));
    let html = read(&site.join("public"), "library/index.html");
    // The block's anchor `id` goes on the template's first element, past white space.
    let at = html
        .find("class=\"my-table\">Portfolio: 5 rows</div>")
        .unwrap_or_else(|| panic!("{html}"));
    let tag = &html[html[..at].rfind('<').unwrap()..at];
    assert!(tag.starts_with("<div id=\"b-"), "{tag}");
    assert!(
        html.contains("nb-database-list"),
        "only the table template is replaced"
    );
    std::fs::remove_dir_all(site.join("templates")).unwrap();

    // `databases = "link"`: each database is its title and links to its rows' pages.
    write_config_with(
        site,
        &library.page,
        "2025-09-03",
        "databases = \"link\"",
        "",
    );
    assert_ok(&build(site, &library.server));
    let html = read(&site.join("public"), "library/index.html");
    assert!(!html.contains("nb-database-gallery"));
    assert!(
        html.contains("href=\"/library/portfolio/alpha/\""),
        "{html}"
    );

    // `databases = "none"`: neither fetched nor shown.
    library.server.reset_counters();
    write_config_with(
        site,
        &library.page,
        "2025-09-03",
        "databases = \"none\"",
        "",
    );
    let stderr = assert_ok(&build(site, &library.server));
    assert_eq!(counts(&library.server).get(&Endpoint::Query), None);
    let public = site.join("public");
    // The rows' pages are gone; their old URLs only say so (see tests/redirects.rs).
    for file in files(&public)
        .iter()
        .filter(|f| f.starts_with("library/portfolio/"))
    {
        let html = read(&public, file);
        assert!(html.contains("This page was removed"), "{file}: {stderr}");
    }
}

#[test]
fn a_view_list_that_never_ends_is_a_warning_and_its_database_a_table() {
    let library = library();
    let server = &library.server;
    server.set_hostile(Hostile::RepeatingViewCursor);
    let stderr = assert_ok(&build(library.site.path(), server));
    // Each list is followed until its cursor comes back: two requests per database.
    let counts = counts(server);
    assert_eq!(counts.get(&Endpoint::Views), Some(&14), "{counts:?}");
    assert_eq!(counts.get(&Endpoint::View), None, "{counts:?}");
    let id = &library.gallery.database_id;
    assert!(
        stderr.contains(&format!("views of database {id}")) && stderr.contains("shown as a table"),
        "{stderr}"
    );
    let html = read(&library.site.path().join("public"), "library/index.html");
    let gallery = section(&html, "Portfolio");
    assert!(gallery.contains("nb-database-table"), "{gallery}");
    assert_eq!(texts(&gallery, "tbody th").len(), 5);
}

#[test]
fn a_database_inside_a_post_is_shown_in_its_view_with_every_file_of_its_rows_baked() {
    let mut ws = Workspace::new();
    let blog = ws.add_database("Journal", &[("Published", "checkbox"), ("Date", "date")]);
    let post = ws.add_row(
        &blog,
        json!({"Name": "Spring walk", "Published": true, "Date": "2026-04-01"}),
        vec![b::paragraph("Seen on the walk.")],
    );
    let sightings = ws.add_child_database(&post, "Sightings", SCHEMA);
    let photo = ws.add_file("hedge-photo.jpg", support::jpeg(480, 320, 7));
    let pdf = ws.add_file("wren.pdf", b"%PDF-1.4\n% wren\n%%EOF\n".to_vec());
    let wren = ws.add_row(
        &sightings,
        json!({"Name": "Wren", "Kind": "A", "Year": 2026,
               "Files": [b::files_entry("wren.pdf", b::hosted(&pdf))]}),
        vec![
            b::paragraph("A wren in the hedge."),
            b::image(b::hosted(&photo), "The wren"),
        ],
    );
    ws.add_row(
        &sightings,
        json!({"Name": "Robin", "Kind": "B", "Year": 2025}),
        vec![],
    );
    let files_id = ws.property_id(&sightings, "Files");
    ws.set_views(
        &sightings,
        vec![
            json!({"name": "Cards", "type": "gallery", "configuration": {
            "type": "gallery", "cover": {"type": "page_content"},
            "properties": [{"property_id": files_id}]}}),
        ],
    );
    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("notion-bake.toml"),
        format!(
            "title = \"Journal\"\nbase_url = \"https://example.org\"\n[notion]\n\
             requests_per_second = 1000\nversion = \"2025-09-03\"\n[blog]\ndatabase = \"{}\"\n\
             [images]\nwidths = [320]\n",
            blog.database_id
        ),
    )
    .unwrap();
    assert_ok(&build(site.path(), &server));
    let public = site.path().join("public");
    let html = read(&public, "posts/spring-walk/index.html");
    let gallery = section(&html, "Sightings");
    assert!(gallery.contains("nb-database-gallery"), "{gallery}");
    assert_eq!(texts(&gallery, ".nb-card-title"), ["Wren", "Robin"]);
    // The card's cover is the first image of the row's content, baked; the files property's
    // PDF is baked byte-exact.
    assert!(
        gallery.contains("<img") && gallery.contains("/assets/hedge-photo-"),
        "{gallery}"
    );
    let pdf = gallery
        .split("href=\"/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.starts_with("assets/") && href.ends_with(".pdf"))
        .expect("the PDF is baked and linked");
    assert_eq!(
        std::fs::read(public.join(pdf)).unwrap(),
        b"%PDF-1.4\n% wren\n%%EOF\n"
    );
    // The rows of a post's database are no pages of the site.
    let all = files(&public);
    assert!(
        !all.iter()
            .any(|f| f.starts_with("posts/spring-walk/sightings")),
        "{all:?}"
    );
    for file in all.iter().filter(|f| f.ends_with(".html")) {
        let text = read(&public, file);
        assert!(
            !text.contains("X-Amz-") && !text.contains(&server.url()),
            "{file}"
        );
    }

    // Incremental like the rest: an unchanged build costs the queries, the view list and the
    // shown view; an edited row costs that row.
    server.reset_counters();
    assert_ok(&build(site.path(), &server));
    let warm = counts(&server);
    assert_eq!(warm.get(&Endpoint::Query), Some(&2), "{warm:?}");
    assert_eq!(warm.get(&Endpoint::BlockChildren), None, "{warm:?}");
    server.replace_blocks(&wren, vec![b::paragraph("A wren, singing.")]);
    server.reset_counters();
    assert_ok(&build(site.path(), &server));
    assert_eq!(server.requests(Endpoint::BlockChildren), 1);
    assert_eq!(server.requests_for(Endpoint::BlockChildren, &wren), 1);
    let html = read(&public, "posts/spring-walk/index.html");
    let gallery = section(&html, "Sightings");
    assert!(
        !gallery.contains("<img") && !gallery.contains("/assets/hedge-photo-"),
        "the row's content has no image any more: {gallery}"
    );

    // `cache gc` keeps the rows' trees and files (it drops only the photo the edit took out
    // of Wren's content); offline, from the snapshot alone, the rows and their files are all
    // there.
    let gc = offline(&["cache", "gc"], site.path());
    let summary = assert_ok(&gc);
    let stdout = String::from_utf8_lossy(&gc.stdout);
    assert!(
        format!("{stdout}{summary}").contains("removed 0 page trees, 1 files"),
        "{stdout}{summary}"
    );
    assert_ok(&offline(&["build", "--offline"], site.path()));
    let html = read(&public, "posts/spring-walk/index.html");
    let gallery = section(&html, "Sightings");
    assert_eq!(texts(&gallery, ".nb-card-title"), ["Wren", "Robin"]);
    assert!(gallery.contains(".pdf\""), "{gallery}");
}
