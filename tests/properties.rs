//! Every database property reaches the templates (`page.properties`, `page.property_list`),
//! `files` properties are baked and shown as attachments, and property values are escaped and
//! link-checked like blocks: the real binary against the fake Notion server.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};
use support::{Endpoint, FakeNotion, Workspace, blocks as b};

const EXTERNAL_SPEC: &str = "https://example.org/spec.pdf?version=3&lang=en";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// A blog whose posts have a property of every kind, and an about page (title only).
struct Fixture {
    ws: Workspace,
    database: String,
    about: String,
    /// The page outside the site that a post relates to.
    outside: String,
}

fn workspace() -> Fixture {
    let mut ws = Workspace::new();
    let pdf = ws.add_file("Field guide.pdf", PDF.to_vec());
    let photo = ws.add_file("heron.jpg", support::jpeg(1200, 800, 90));
    // A page outside the site that a post relates to: its title comes from Notion.
    let outside = ws.add_page("Naturalists' society", vec![]);
    let db = ws.add_database(
        "Field Notes",
        &[
            ("Published", "checkbox"),
            ("Date", "date"),
            ("Tags", "multi_select"),
            ("Attachments", "files"),
            ("Price", "number"),
            ("Rating", "number"),
            ("Habitat", "select"),
            ("Moods", "multi_select"),
            ("Status", "status"),
            ("Website", "url"),
            ("Bad link", "url"),
            ("Contact", "email"),
            ("Phone", "phone_number"),
            ("Period", "date"),
            ("Related", "relation"),
            ("Score", "formula"),
            ("Total", "rollup"),
            ("Observers", "people"),
            ("Ref", "unique_id"),
            ("Notes", "rich_text"),
        ],
    );
    ws.set_property_config(&db, "Price", json!({"format": "dollar"}));
    let older = ws.add_row(
        &db,
        json!({"Name": "Older walk", "Published": true, "Date": "2026-02-01"}),
        vec![b::paragraph("An earlier walk.")],
    );
    ws.add_row(
        &db,
        json!({
            "Name": "Herons at dusk",
            "Published": true,
            "Date": "2026-03-01",
            "Tags": ["Birds"],
            "Attachments": [
                b::files_entry("Field guide.pdf", b::hosted(&pdf)),
                b::files_entry("heron.jpg", b::hosted(&photo)),
                b::files_entry("Spec sheet", b::external(EXTERNAL_SPEC)),
            ],
            "Price": 1234.5,
            "Rating": 4.5,
            "Habitat": "Wetland",
            "Moods": ["Calm", "Cold"],
            "Status": "Done",
            "Website": "https://example.org/herons?ref=notes&x=1",
            "Bad link": "javascript:alert(1)",
            "Contact": "herons@example.org",
            "Phone": "+44 (0)20 7946 0000",
            "Period": {"date": {"start": "2026-03-01", "end": "2026-03-05", "time_zone": null}},
            "Related": [older, outside],
            "Score": 42,
            "Total": {"rollup": {"type": "number", "number": 7, "function": "sum"}},
            "Observers": {"people": [
                {"object": "user", "id": "8a1f7a4e-0000-4000-8000-000000000001", "name": "Ada Lovelace",
                 "type": "person", "person": {"email": "ada@example.org"}}
            ]},
            "Ref": {"unique_id": {"prefix": "OBS", "number": 7}},
            "Notes": "<script>alert('x')</script> & more",
        }),
        vec![b::paragraph("Three herons stood in the reeds.")],
    );
    let about = ws.add_page("About", vec![b::paragraph("Who we are.")]);
    Fixture {
        ws,
        database: db.database_id,
        about,
        outside,
    }
}

fn write_config(site: &Path, database: &str, about: &str, show: &str) {
    std::fs::write(
        site.join("notion-bake.toml"),
        format!(
            r#"title = "Field Notes"
base_url = "https://example.org/blog"
[notion]
requests_per_second = 500
[blog]
database = "{database}"
{show}
[[pages]]
id = "{about}"
path = "about"
[images]
widths = [480, 960]
"#
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

fn assert_ok(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "build failed:\n{stderr}");
    stderr
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Template overrides that print the property context as JSON.
fn json_templates(site: &Path) {
    let templates = site.join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    let dump = r#"{"properties": {{ page.properties | json_encode() | safe }},
 "list": {{ page.property_list | json_encode() | safe }},
 "rating": "{{ page.properties.Rating.text | default(value='') }}",
 "missing": "{% if page.properties.Nope %}present{% else %}absent{% endif %}"}"#;
    std::fs::write(templates.join("post.html"), dump).unwrap();
    std::fs::write(templates.join("page.html"), dump).unwrap();
}

#[test]
fn every_property_reaches_the_templates_with_its_documented_shape() {
    let Fixture {
        ws,
        database,
        about,
        outside,
    } = workspace();
    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    write_config(site.path(), &database, &about, "");
    json_templates(site.path());
    let stderr = assert_ok(&build(site.path(), &server));

    let post: Value = serde_json::from_str(&read(
        &site.path().join("public/posts/herons-at-dusk/index.html"),
    ))
    .expect("the override printed JSON");
    let p = &post["properties"];

    // Notion's order, every property, the title too.
    let names: Vec<&str> = post["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[0], "Name");
    assert_eq!(names[1], "Published");
    assert_eq!(names.last(), Some(&"Notes"));
    assert_eq!(names.len(), 21);
    assert_eq!(post["list"][4]["type"], "files");
    assert_eq!(post["list"][4]["value"], p["Attachments"]);

    assert_eq!(p["Name"]["type"], "title");
    assert_eq!(p["Name"]["text"], "Herons at dusk");
    assert_eq!(p["Price"]["number"], 1234.5);
    assert_eq!(p["Price"]["format"], "dollar");
    assert_eq!(p["Price"]["text"], "$1,234.50");
    assert_eq!(p["Rating"]["text"], "4.5");
    assert_eq!(post["rating"], "4.5");
    assert_eq!(p["Published"]["checked"], true);
    assert_eq!(p["Habitat"]["type"], "select");
    assert_eq!(p["Habitat"]["name"], "Wetland");
    assert!(p["Habitat"]["color"].is_string());
    assert_eq!(p["Status"]["type"], "status");
    assert_eq!(p["Status"]["name"], "Done");
    assert_eq!(p["Moods"]["options"][1]["name"], "Cold");
    assert_eq!(p["Moods"]["text"], "Calm, Cold");
    assert_eq!(
        p["Website"]["url"],
        "https://example.org/herons?ref=notes&x=1"
    );
    assert_eq!(p["Contact"]["url"], "mailto:herons@example.org");
    assert_eq!(p["Phone"]["url"], "tel:+4402079460000");
    assert_eq!(p["Phone"]["text"], "+44 (0)20 7946 0000");

    let period = &p["Period"];
    assert_eq!(period["start"], "2026-03-01");
    assert_eq!(period["end"], "2026-03-05");
    assert_eq!(period["is_datetime"], false);
    assert_eq!(period["formatted"], "March 1, 2026 → March 5, 2026");

    let related = &p["Related"]["pages"];
    assert_eq!(related[0]["title"], "Older walk");
    assert_eq!(related[0]["url"], "/blog/posts/older-walk/");
    assert_eq!(related[1]["title"], "Naturalists' society");
    assert!(related[1]["url"].is_null(), "{related}");
    assert_eq!(p["Related"]["has_more"], false);

    assert_eq!(p["Score"]["type"], "formula");
    assert_eq!(p["Score"]["result_type"], "number");
    assert_eq!(p["Score"]["number"], 42.0);
    assert_eq!(p["Total"]["type"], "rollup");
    assert_eq!(p["Total"]["result_type"], "number");
    assert_eq!(p["Total"]["text"], "7");
    assert_eq!(p["Observers"]["people"], json!([{"name": "Ada Lovelace"}]));
    assert_eq!(p["Ref"]["text"], "OBS-7");
    assert_eq!(p["Ref"]["prefix"], "OBS");
    assert_eq!(p["Ref"]["number"], 7);
    assert_eq!(p["Notes"]["text"], "<script>alert('x')</script> & more");
    assert_eq!(
        p["Notes"]["html"],
        "&lt;script&gt;alert('x')&lt;/script&gt; &amp; more"
    );
    assert!(p["Bad link"]["url"].is_null());
    assert_eq!(post["missing"], "absent");

    let files = p["Attachments"]["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    let guide = &files[0];
    assert_eq!(guide["name"], "Field guide.pdf");
    assert_eq!(guide["hosted"], true);
    assert_eq!(guide["mime"], "application/pdf");
    assert_eq!(guide["kind"], "PDF");
    assert_eq!(guide["size"], PDF.len());
    let guide_url = guide["url"].as_str().unwrap();
    let baked = site
        .path()
        .join("public")
        .join(guide_url.strip_prefix("/blog/").unwrap());
    assert_eq!(std::fs::read(&baked).unwrap(), PDF, "{guide_url}");
    let heron = &files[1]["image"];
    assert_eq!(
        (heron["width"].clone(), heron["height"].clone()),
        (json!(1200), json!(800))
    );
    assert!(
        heron["srcset"].as_str().unwrap().contains(" 480w"),
        "{heron}"
    );
    assert!(
        heron["placeholder"]
            .as_str()
            .unwrap()
            .starts_with("data:image/")
    );
    let variants = heron["variants"].as_array().unwrap();
    assert!(
        variants
            .iter()
            .any(|v| v["mime"] == "image/webp" && v["width"] == 960)
    );
    assert_eq!(files[2]["url"], EXTERNAL_SPEC);
    assert_eq!(files[2]["hosted"], false);

    // Nothing identifies a person beyond a display name; no signed URL remains.
    let public_text: String = walkdir::WalkDir::new(site.path().join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| read(e.path()))
        .collect();
    assert!(!public_text.contains("ada@example.org"));
    assert!(!public_text.contains("X-Amz-Signature"));

    // The `javascript:` URL was dropped with a warning naming the page and the property.
    assert!(
        stderr.contains("Herons at dusk") && stderr.contains("\"Bad link\""),
        "{stderr}"
    );

    // A standalone page has its title and nothing else; missing properties are absent.
    let about_page: Value =
        serde_json::from_str(&read(&site.path().join("public/about/index.html"))).unwrap();
    assert_eq!(about_page["list"].as_array().unwrap().len(), 1);
    assert_eq!(about_page["properties"]["title"]["text"], "About");
    assert_eq!(about_page["rating"], "");
    assert_eq!(about_page["missing"], "absent");

    // The outside page's title was fetched once; a rebuild with nothing changed reuses it.
    assert_eq!(server.requests_for(Endpoint::Page, &outside), 1);
    server.reset_counters();
    assert_ok(&build(site.path(), &server));
    assert_eq!(server.requests_for(Endpoint::Page, &outside), 0);
    let again: Value = serde_json::from_str(&read(
        &site.path().join("public/posts/herons-at-dusk/index.html"),
    ))
    .unwrap();
    assert_eq!(again["properties"]["Related"], p["Related"]);
}

#[test]
fn the_default_theme_lists_attachments_and_the_properties_it_is_told_to_show() {
    let Fixture {
        ws,
        database,
        about,
        ..
    } = workspace();
    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    write_config(
        site.path(),
        &database,
        &about,
        r#"show_properties = ["Habitat", "Price", "Notes", "Tags", "Attachments", "Not a property"]"#,
    );
    assert_ok(&build(site.path(), &server));
    let public = site.path().join("public");
    let html = read(&public.join("posts/herons-at-dusk/index.html"));
    let document = scraper::Html::parse_document(&html);
    let select = |css: &str| {
        let selector = scraper::Selector::parse(css).unwrap();
        document.select(&selector).collect::<Vec<_>>()
    };

    // The definition list under the title: in the configured order, without the six
    // properties the site shows elsewhere (Tags) and without the files property.
    let terms: Vec<String> = select(".article-header .page-properties dt")
        .iter()
        .map(|dt| dt.text().collect())
        .collect();
    assert_eq!(terms, ["Habitat", "Price", "Notes"]);
    assert!(html.contains("&lt;script&gt;alert"), "rich text is escaped");
    assert!(!html.contains("<script>alert"));

    // Attachments: download links to the baked files, the external URL exactly as written.
    let links = select("a.attachment-link");
    assert_eq!(links.len(), 3);
    let guide = links[0].value();
    assert_eq!(guide.attr("download"), Some("Field guide.pdf"));
    let href = guide.attr("href").unwrap();
    assert!(
        href.starts_with("/blog/assets/field-guide-") && href.ends_with(".pdf"),
        "{href}"
    );
    assert_eq!(
        std::fs::read(public.join(href.strip_prefix("/blog/").unwrap())).unwrap(),
        PDF
    );
    let spec = links[2].value();
    assert_eq!(spec.attr("href"), Some(EXTERNAL_SPEC));
    assert_eq!(spec.attr("download"), None);
    assert!(html.contains("href=\"https://example.org/spec.pdf?version=3&amp;lang=en\""));
    let meta: Vec<String> = select(".attachment-meta")
        .iter()
        .map(|m| m.text().collect())
        .collect();
    assert_eq!(meta[0], format!("{} B · PDF", PDF.len()));
    // The image has a thumbnail with its real size, linking to the full file.
    let thumb = select("a.attachment-thumb img");
    assert_eq!(thumb.len(), 1);
    assert_eq!(thumb[0].value().attr("width"), Some("1200"));
    let thumb_link = select("a.attachment-thumb")[0]
        .value()
        .attr("href")
        .unwrap();
    assert!(thumb_link.ends_with(".jpg"), "{thumb_link}");
    assert!(
        public
            .join(thumb_link.strip_prefix("/blog/").unwrap())
            .is_file()
    );

    // `check`'s audit counts attachment links: a missing baked file is reported.
    let config = notion_bake::config::SiteConfig::load(site.path()).unwrap();
    assert_eq!(
        notion_bake::output::audit(&public, &config),
        Vec::<String>::new()
    );
    std::fs::remove_file(public.join(href.strip_prefix("/blog/").unwrap())).unwrap();
    let problems = notion_bake::output::audit(&public, &config);
    assert!(
        problems.iter().any(|p| p.contains(href)),
        "the broken attachment link was not reported: {problems:?}"
    );
    std::fs::write(public.join(href.strip_prefix("/blog/").unwrap()), PDF).unwrap();

    if let Some(errors) = support::vnu::errors_in(&public, "properties") {
        assert!(errors.is_empty(), "vnu errors:\n{}", errors.join("\n"));
    }
}

#[test]
fn without_show_properties_every_files_property_is_an_attachment_list() {
    let Fixture {
        ws,
        database,
        about,
        ..
    } = workspace();
    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    write_config(site.path(), &database, &about, "");
    assert_ok(&build(site.path(), &server));
    let html = read(&site.path().join("public/posts/herons-at-dusk/index.html"));
    assert!(html.contains("class=\"attachments\""), "{html}");
    assert!(
        !html.contains("page-properties"),
        "no other property is shown by default"
    );
    let older = read(&site.path().join("public/posts/older-walk/index.html"));
    assert!(
        !older.contains("class=\"attachments\""),
        "a post without files has no list"
    );
}

/// The README's example of a template override that shows one property, taken from the README
/// itself so the two cannot drift apart.
#[test]
fn the_readme_template_override_shows_one_property() {
    let readme = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    let section = &readme[readme.find("To show one property").expect("README section")..];
    let start = section.find("```html\n").unwrap() + "```html\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];
    assert!(example.contains("page.properties.Rating"), "{example}");

    let Fixture {
        ws,
        database,
        about,
        ..
    } = workspace();
    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    write_config(site.path(), &database, &about, "");
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(site.path().join("templates/post.html"), example).unwrap();
    assert_ok(&build(site.path(), &server));
    let herons = read(&site.path().join("public/posts/herons-at-dusk/index.html"));
    assert!(
        herons.contains("<p class=\"meta\">Rating: 4.5</p>"),
        "{herons}"
    );
    assert!(
        herons.contains("class=\"attachments\""),
        "the rest of post.html is kept"
    );
    let older = read(&site.path().join("public/posts/older-walk/index.html"));
    assert!(!older.contains("Rating:"), "an empty number shows nothing");
}
