//! Plugin mode: `notion-bake export` into Hugo, Zola, mdBook and plain Markdown projects, run
//! the way the README runs it (relative paths, from the folder holding both projects), against
//! the fake Notion server; the Hugo and mdBook results are built by the real generators.
//!
//! Without `hugo` or `mdbook` on PATH the tests that need them say so and pass, except in CI
//! (`CI` set), where they fail: `.ci/run` installs both.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

use serde_json::json;
use support::{FakeNotion, Workspace, blocks as b};

const EXTERNAL_IMAGE: &str = "https://images.example.org/heron.jpg?w=800&h=600&fit=crop";
const EXTERNAL_SPEC: &str = "https://example.org/spec.pdf?version=3&lang=en";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const EXTERNAL_COVER: &str = "https://images.example.org/kestrel-cover.jpg?w=1200&fit=crop";
const EXTERNAL_ICON: &str = "https://icons.example.org/feather.png?v=2&size=64";
/// A description with DEL and what YAML and TOML treat as syntax.
const KESTREL_DESCRIPTION: &str =
    "Hover\u{7f}ing: a \"kestrel\" # over the verge\n---\n+++ - ? * &";
/// Template syntax of every generator, as Notion text: it must stay text.
const TEMPLATE_TEXT: &str = "{{< notion-bake/html >}} {{ page.title }} {% for x in site.pages %}{{ x.path }}{% endfor %} {{% notion-bake/inline %}}";
const TEMPLATE_CODE: &str = "{{< notion-bake/html >}}{{< /notion-bake/html >}}\n{{ page.title }} {% for x in site.pages %}x{% endfor %}\n{{ youtube(id=\"dQw4w9WgXcQ\") }} {{#include /etc/passwd}}";

/// A blog shaped like a real one: nested lists, a toggle, columns, a synced block, a table,
/// a callout, an equation, embeds, a child page, hosted and external images (one photo used
/// by two posts), a files property, a link between posts; a draft; an about page with a
/// child page.
struct Fixture {
    database: String,
    herons: String,
    kestrels: String,
    draft: String,
    about: String,
}

fn workspace() -> (Workspace, Fixture) {
    let mut ws = Workspace::new();
    let photo = ws.add_file("heron.jpg", support::jpeg(1600, 1067, 90));
    let cover = ws.add_file("fen.jpg", support::jpeg(1200, 600, 30));
    let pdf = ws.add_file("Field guide.pdf", PDF.to_vec());
    let db = ws.add_database(
        "Field Notes",
        &[
            ("Published", "checkbox"),
            ("Date", "date"),
            ("Tags", "multi_select"),
            ("Slug", "rich_text"),
            ("Description", "rich_text"),
            ("Attachments", "files"),
        ],
    );
    let icon = ws.add_file("heron-icon.jpg", support::jpeg(64, 64, 60));
    let kestrels = ws.add_row(
        &db,
        json!({
            "Name": "Kestrel notes",
            "Published": true,
            "Date": "2026-02-01",
            "Tags": ["Birds"],
            "Description": KESTREL_DESCRIPTION,
        }),
        vec![
            b::paragraph("A kestrel hovered over the verge."),
            b::image(b::hosted(&photo), "The same heron, seen again"),
            b::paragraph(TEMPLATE_TEXT),
            b::paragraph(vec![b::annotated(TEMPLATE_TEXT, &["code"])]),
            b::code(TEMPLATE_CODE, "plain text"),
        ],
    );
    ws.set_cover(&kestrels, b::external(EXTERNAL_COVER));
    ws.set_icon(&kestrels, b::emoji("🪶"));
    let synced = b::with_id(
        b::synced_original(vec![b::paragraph("Seen from the east hide.")]),
        "5ca1ab1e-0000-4000-8000-00000000aa01",
    );
    let herons = ws.add_row(
        &db,
        json!({
            "Name": "Herons at dusk",
            "Published": true,
            "Date": "2026-03-01",
            "Tags": ["Birds", "Wetlands"],
            "Slug": "herons-at-dusk",
            "Description": "Three herons in the reeds.",
            "Attachments": [
                b::files_entry("Field guide.pdf", b::hosted(&pdf)),
                b::files_entry("Spec sheet", b::external(EXTERNAL_SPEC)),
            ],
        }),
        vec![
            b::heading_2("At the fen"),
            b::paragraph(vec![
                b::text("Three herons stood in the reeds, as in "),
                b::page_mention(&kestrels, "Kestrel notes"),
                b::text("."),
            ]),
            b::image(b::hosted(&photo), "A heron"),
            b::image(b::external(EXTERNAL_IMAGE), "From elsewhere"),
            b::with_children(
                b::bulleted("Birds"),
                vec![b::with_children(
                    b::bulleted("Waders"),
                    vec![b::bulleted("Grey heron")],
                )],
            ),
            b::toggle("More", vec![b::paragraph("Hidden notes.")]),
            b::callout("Bring a flask.", b::emoji("☕")),
            b::column_list(vec![
                b::column(vec![b::paragraph("Left column.")]),
                b::column(vec![b::paragraph("Right column.")]),
            ]),
            synced,
            b::synced_copy("5ca1ab1e-0000-4000-8000-00000000aa01"),
            b::table(
                true,
                false,
                vec![
                    vec!["Bird", "Count"],
                    vec!["Heron", "3"],
                    vec!["Egret", "1"],
                ],
            ),
            b::equation("e^{i\\pi} + 1 = 0"),
            b::code("fn main() {}", "rust"),
            b::embed("https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
            b::bookmark("https://example.org/herons?ref=notes&x=1"),
        ],
    );
    ws.add_child_page(&herons, "Heron sketches", vec![b::paragraph("Pencil.")]);
    ws.set_cover(&herons, b::hosted(&cover));
    ws.set_icon(&herons, b::hosted(&icon));
    let draft = ws.add_row(
        &db,
        json!({"Name": "Unfinished", "Published": false, "Date": "2026-04-01"}),
        vec![b::paragraph("Not yet.")],
    );
    let about = ws.add_page("About", vec![b::paragraph("Who we are.")]);
    ws.set_icon(&about, b::external(EXTERNAL_ICON));
    ws.add_child_page(&about, "Contact", vec![b::paragraph("Write to us.")]);
    let fixture = Fixture {
        database: db.database_id,
        herons,
        kestrels,
        draft,
        about,
    };
    (ws, fixture)
}

/// The fixture served by a fake Notion server.
fn start() -> (Fixture, FakeNotion) {
    let (ws, fixture) = workspace();
    (fixture, FakeNotion::start_blocking(ws))
}

/// A folder holding the notion-bake site `site/` and an empty project folder per generator,
/// as a user would have them side by side.
struct Projects {
    root: tempfile::TempDir,
}

impl Projects {
    fn new(fixture: &Fixture) -> Projects {
        let root = tempfile::tempdir().unwrap();
        let site = root.path().join("site");
        std::fs::create_dir(&site).unwrap();
        std::fs::write(
            site.join("notion-bake.toml"),
            format!(
                r#"title = "Field Notes"
base_url = "https://example.org/"
[notion]
requests_per_second = 500
[blog]
database = "{}"
[[pages]]
id = "{}"
path = "about"
[images]
widths = [480, 960]
"#,
                fixture.database, fixture.about
            ),
        )
        .unwrap();
        Projects { root }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    /// `notion-bake <args>` run from the folder holding the projects.
    fn run(&self, server: Option<&FakeNotion>, args: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_notion-bake"));
        command
            .args(args)
            .current_dir(self.root.path())
            .env_remove("NOTION_TOKEN")
            .env_remove("NOTION_API_URL")
            .env("NO_COLOR", "1");
        if let Some(server) = server {
            command
                .env("NOTION_TOKEN", server.token())
                .env("NOTION_API_URL", server.url());
        }
        command.output().unwrap()
    }

    /// `export --to <target> site --into <into>`, which must succeed.
    fn export(&self, server: &FakeNotion, target: &str, into: &str, extra: &[&str]) -> Output {
        std::fs::create_dir_all(self.path(into)).unwrap();
        let mut args = vec!["export", "--to", target, "site", "--into", into];
        args.extend_from_slice(extra);
        let output = self.run(Some(server), &args);
        assert!(output.status.success(), "{}", describe(&output));
        output
    }
}

/// A URL as an HTML attribute holds it: byte for byte once the entities are decoded.
fn escaped(url: &str) -> String {
    url.replace('&', "&amp;")
}

fn describe(output: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir`: relative path → (length, mtime).
fn listing(dir: &Path) -> BTreeMap<String, (u64, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().unwrap();
            let relative = e.path().strip_prefix(dir).unwrap();
            (
                relative.to_string_lossy().replace('\\', "/"),
                (meta.len(), meta.modified().unwrap()),
            )
        })
        .collect()
}

/// No written file holds an expiring Notion URL: nothing points at the fake server (which
/// plays Notion's file host too) and nothing carries a signature.
fn assert_no_expiring_urls(dir: &Path, server: &FakeNotion) {
    let host = server.url().trim_end_matches('/').replace("http://", "");
    for (path, _) in listing(dir) {
        let Ok(text) = std::fs::read_to_string(dir.join(&path)) else {
            continue; // binary files
        };
        assert!(!text.contains(&host), "{path} links to Notion: {host}");
        assert!(!text.contains("X-Amz-"), "{path} holds a signed URL");
    }
}

/// The generator's binary, or `None` (with a notice) when it is not installed here; in CI a
/// missing generator fails the test.
fn generator(name: &str, test: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but {name} is not installed (.ci/run installs it)"
        );
        eprintln!("SKIPPED {test}: {name} is not on PATH");
    }
    found
}

/// The front matter of a Markdown file between `fence` lines, and the body after it.
fn front_matter<'t>(text: &'t str, fence: &str) -> (&'t str, &'t str) {
    let rest = text
        .strip_prefix(fence)
        .and_then(|t| t.strip_prefix('\n'))
        .unwrap_or_else(|| panic!("no {fence} front matter:\n{text}"));
    let end = rest
        .find(&format!("\n{fence}\n"))
        .unwrap_or_else(|| panic!("unclosed front matter:\n{text}"));
    (&rest[..end + 1], &rest[end + fence.len() + 2..])
}

fn yaml(text: &str) -> yaml_rust2::Yaml {
    let (front, _) = front_matter(text, "---");
    yaml_rust2::YamlLoader::load_from_str(front)
        .unwrap_or_else(|e| panic!("{e}:\n{front}"))
        .remove(0)
}

/// Every `src`/`href`/`srcset` of the HTML files under `public` that is a local path, with the
/// file it appears in.
fn local_references(public: &Path) -> Vec<(String, String)> {
    let selector = scraper::Selector::parse("[src], [href], [srcset]").unwrap();
    let mut found = Vec::new();
    for (path, _) in listing(public) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = scraper::Html::parse_document(&read(&public.join(&path)));
        for element in html.select(&selector) {
            let value = element.value();
            let mut urls: Vec<String> = ["src", "href"]
                .iter()
                .filter_map(|a| value.attr(a))
                .map(str::to_owned)
                .collect();
            if let Some(srcset) = value.attr("srcset") {
                urls.extend(
                    srcset
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next().map(str::to_owned)),
                );
            }
            for url in urls {
                if !url.contains("://") && !url.starts_with('#') && !url.starts_with("mailto:") {
                    found.push((path.clone(), url));
                }
            }
        }
    }
    found
}

/// The file a local URL names in a built site (`/a/b/` → `a/b/index.html`), relative to the
/// page it appears on when it is relative.
fn resolve(public: &Path, page: &str, url: &str) -> PathBuf {
    let url = url.split(['#', '?']).next().unwrap();
    let url = percent_encoding::percent_decode_str(url)
        .decode_utf8()
        .unwrap()
        .into_owned();
    let path = if let Some(absolute) = url.strip_prefix('/') {
        public.join(absolute)
    } else {
        public
            .join(page)
            .parent()
            .unwrap()
            .join(url.trim_start_matches("./"))
    };
    if path.is_dir() || url.ends_with('/') {
        path.join("index.html")
    } else {
        path
    }
}

fn assert_references_resolve(public: &Path) {
    let references = local_references(public);
    assert!(!references.is_empty(), "no local references in {public:?}");
    let broken: Vec<String> = references
        .iter()
        .filter(|(page, url)| {
            let target = resolve(public, page, url);
            !target.exists() && !target.with_extension("").exists()
        })
        .map(|(page, url)| format!("{page}: {url}"))
        .collect();
    assert!(
        broken.is_empty(),
        "broken references:\n{}",
        broken.join("\n")
    );
}

// ---------------------------------------------------------------------------------- Hugo

fn hugo_project(dir: &Path) {
    std::fs::create_dir_all(dir.join("layouts/_default")).unwrap();
    std::fs::write(
        dir.join("hugo.toml"),
        "baseURL = \"https://example.org/\"\ntitle = \"My Hugo site\"\n",
    )
    .unwrap();
    let page = r#"<!DOCTYPE html><html lang="en"><head><title>{{ .Title }}</title></head><body>
{{ with .Params.cover.image }}{{ with $.Resources.Get . }}<img src="{{ .RelPermalink }}" alt="">{{ end }}{{ end }}
<main>{{ .Content }}</main></body></html>"#;
    let list = r#"<!DOCTYPE html><html lang="en"><head><title>{{ .Title }}</title></head><body>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>"#;
    std::fs::write(dir.join("layouts/_default/single.html"), page).unwrap();
    std::fs::write(dir.join("layouts/_default/list.html"), list).unwrap();
    std::fs::write(dir.join("layouts/index.html"), list).unwrap();
}

fn hugo_build(hugo: &Path, project: &Path) {
    let output = Command::new(hugo).current_dir(project).output().unwrap();
    let log = describe(&output);
    assert!(output.status.success(), "hugo failed:\n{log}");
    assert!(!log.contains("ERROR") && !log.contains("WARN"), "{log}");
    // Goldmark replaces raw HTML it refuses with a comment: every island must go through a
    // shortcode instead.
    let public = project.join("public");
    for (path, _) in listing(&public) {
        if path.ends_with(".html") {
            let html = read(&public.join(&path));
            assert!(!html.contains("raw HTML omitted"), "{path}:\n{html}");
        }
    }
}

#[test]
fn hugo_builds_the_exported_site_with_every_file_baked() {
    let (fixture, server) = start();
    let projects = Projects::new(&fixture);
    hugo_project(&projects.path("hugo-site"));
    let output = projects.export(&server, "hugo", "hugo-site", &[]);
    let hugo_site = projects.path("hugo-site");

    // Leaf bundles with YAML front matter; the draft is left out.
    let herons = read(&hugo_site.join("content/posts/herons-at-dusk/index.md"));
    let front = yaml(&herons);
    assert_eq!(front["title"].as_str(), Some("Herons at dusk"));
    assert_eq!(front["slug"].as_str(), Some("herons-at-dusk"));
    assert_eq!(front["draft"].as_bool(), Some(false));
    assert_eq!(
        front["description"].as_str(),
        Some("Three herons in the reeds.")
    );
    let tags: Vec<&str> = front["tags"]
        .as_vec()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert_eq!(tags, ["Birds", "Wetlands"]);
    assert!(front["date"].as_str().unwrap().starts_with("2026-03-01"));
    let notion_id = front["params"]["notion_id"].as_str().unwrap();
    assert_eq!(notion_id.replace('-', ""), fixture.herons.replace('-', ""));
    assert!(
        hugo_site
            .join("content/posts/kestrel-notes/index.md")
            .is_file()
    );
    assert!(!hugo_site.join("content/posts/unfinished").exists());
    assert!(
        hugo_site.join("content/about/_index.md").is_file()
            || hugo_site.join("content/about/index.md").is_file()
    );
    // External URLs are written byte for byte; the link to another post is a relref.
    assert!(herons.contains(&escaped(EXTERNAL_IMAGE)), "{herons}");
    // The files property: listed after the body and in the front matter, the hosted file by
    // its baked copy, the external one by its URL as written.
    assert!(
        herons.contains(&format!("- [Spec sheet]({EXTERNAL_SPEC})")),
        "{herons}"
    );
    let attachments = front["params"]["Attachments"].as_vec().unwrap();
    assert_eq!(attachments[1]["url"].as_str(), Some(EXTERNAL_SPEC));
    let baked_pdf = attachments[0]["url"].as_str().unwrap();
    assert!(
        herons.contains(&format!("- [Field guide.pdf]({baked_pdf})")),
        "{herons}"
    );
    assert!(herons.contains("relref"), "{herons}");
    assert!(
        hugo_site
            .join("layouts/shortcodes/notion-bake/image.html")
            .is_file()
    );
    // The hosted PDF is baked beside the post, byte for byte.
    let bundle = listing(&hugo_site.join("content/posts/herons-at-dusk"));
    let pdf = bundle
        .keys()
        .find(|name| name.ends_with(".pdf"))
        .unwrap_or_else(|| panic!("no PDF in the bundle: {bundle:?}"));
    assert_eq!(
        std::fs::read(hugo_site.join("content/posts/herons-at-dusk").join(pdf)).unwrap(),
        PDF
    );
    // Image variants travel with the original (the 1600 px photo → 480 and 960 wide).
    let variants = bundle
        .keys()
        .filter(|name| name.contains("480") || name.contains("960"))
        .count();
    assert!(variants >= 2, "no variants in {bundle:?}");
    assert_no_expiring_urls(&hugo_site, &server);
    assert!(stderr(&output).contains("created"), "{}", stderr(&output));

    let Some(hugo) = generator(
        "hugo",
        "hugo_builds_the_exported_site_with_every_file_baked",
    ) else {
        return;
    };
    hugo_build(&hugo, &hugo_site);
    let public = hugo_site.join("public");
    let page = read(&public.join("posts/herons-at-dusk/index.html"));
    assert!(page.contains("<table"), "the table island is missing");
    assert!(page.contains("<math"), "the equation is missing");
    assert!(page.contains("Hidden notes."), "the toggle is missing");
    assert!(
        page.contains("href=\"/posts/kestrel-notes/\""),
        "the link to the other post is not Hugo's URL"
    );
    assert!(public.join("posts/kestrel-notes/index.html").is_file());
    assert!(public.join("tags/birds/index.html").is_file());
    assert!(public.join("tags/wetlands/index.html").is_file());
    assert!(public.join("about/index.html").is_file());
    assert_template_text_is_text(&public.join("posts/kestrel-notes/index.html"));
    assert_references_resolve(&public);
}

#[test]
fn a_second_export_changes_no_byte_and_no_mtime_and_a_dry_run_says_so() {
    let (fixture, server) = start();
    let projects = Projects::new(&fixture);
    projects.export(&server, "hugo", "hugo-site", &[]);
    let before = listing(&projects.path("hugo-site"));
    std::thread::sleep(std::time::Duration::from_millis(20));

    let again = projects.export(&server, "hugo", "hugo-site", &[]);
    assert!(
        stderr(&again).contains("(0 created, 0 updated, 0 deleted"),
        "{}",
        stderr(&again)
    );
    assert_eq!(listing(&projects.path("hugo-site")), before);

    let dry = projects.run(
        Some(&server),
        &[
            "export",
            "--to",
            "hugo",
            "site",
            "--into",
            "hugo-site",
            "--dry-run",
        ],
    );
    assert_eq!(dry.status.code(), Some(0), "{}", describe(&dry));
    assert!(dry.stdout.is_empty(), "{}", describe(&dry));
}

#[test]
fn a_dry_run_lists_the_changes_writes_nothing_and_exits_1() {
    let (fixture, server) = start();
    let projects = Projects::new(&fixture);
    std::fs::create_dir(projects.path("zola-site")).unwrap();
    let dry = projects.run(
        Some(&server),
        &[
            "export",
            "--to",
            "zola",
            "site",
            "--into",
            "zola-site",
            "--dry-run",
        ],
    );
    assert_eq!(dry.status.code(), Some(1), "{}", describe(&dry));
    let plan = String::from_utf8_lossy(&dry.stdout);
    assert!(
        plan.lines()
            .any(|l| l == "create content/posts/herons-at-dusk/index.md"),
        "{plan}"
    );
    assert!(!stderr(&dry).contains("error"), "{}", stderr(&dry));
    assert!(listing(&projects.path("zola-site")).is_empty());
    assert!(!projects.path("site/.notion-bake/export-zola.json").exists());
}

#[test]
fn a_trashed_or_unpublished_post_is_removed_with_its_files_and_nothing_else_is() {
    let (fixture, server) = start();
    let projects = Projects::new(&fixture);
    let hugo_site = projects.path("hugo-site");
    std::fs::create_dir_all(hugo_site.join("content/posts")).unwrap();
    std::fs::write(hugo_site.join("content/posts/mine.md"), "my own post\n").unwrap();
    projects.export(&server, "hugo", "hugo-site", &[]);
    assert!(
        hugo_site
            .join("content/posts/kestrel-notes/index.md")
            .is_file()
    );
    assert!(
        hugo_site
            .join("content/posts/herons-at-dusk/index.md")
            .is_file()
    );

    server.trash(&fixture.kestrels);
    server.edit_page(&fixture.herons, |page| {
        page["properties"]["Published"]["checkbox"] = json!(false);
    });
    let output = projects.export(&server, "hugo", "hugo-site", &[]);
    assert!(
        !hugo_site.join("content/posts/kestrel-notes").exists(),
        "the trashed post's bundle (and its files) should be gone: {:?}\n{}",
        listing(&hugo_site.join("content/posts")),
        stderr(&output)
    );
    assert!(!hugo_site.join("content/posts/herons-at-dusk").exists());
    assert_eq!(
        read(&hugo_site.join("content/posts/mine.md")),
        "my own post\n"
    );
    assert!(hugo_site.join("content/about").exists());

    // Published again, it comes back.
    server.edit_page(&fixture.herons, |page| {
        page["properties"]["Published"]["checkbox"] = json!(true);
    });
    projects.export(&server, "hugo", "hugo-site", &[]);
    assert!(
        hugo_site
            .join("content/posts/herons-at-dusk/index.md")
            .is_file()
    );
    // --drafts exports the draft too, marked as one.
    projects.export(&server, "hugo", "hugo-site", &["--drafts"]);
    let draft = read(&hugo_site.join("content/posts/unfinished/index.md"));
    assert_eq!(yaml(&draft)["draft"].as_bool(), Some(true), "{draft}");
    let _ = &fixture.draft;
}

#[test]
fn a_renamed_slug_moves_the_bundle_and_keeps_the_old_url_as_an_alias() {
    let (fixture, server) = start();
    let projects = Projects::new(&fixture);
    projects.export(&server, "hugo", "hugo-site", &[]);
    server.edit_page(&fixture.herons, |page| {
        page["properties"]["Slug"]["rich_text"] = json!([b::text("grey-herons")]);
    });
    projects.export(&server, "hugo", "hugo-site", &[]);
    let hugo_site = projects.path("hugo-site");
    assert!(!hugo_site.join("content/posts/herons-at-dusk").exists());
    let moved = read(&hugo_site.join("content/posts/grey-herons/index.md"));
    let front = yaml(&moved);
    let aliases: Vec<&str> = front["aliases"]
        .as_vec()
        .unwrap_or_else(|| panic!("no aliases:\n{moved}"))
        .iter()
        .filter_map(|a| a.as_str())
        .collect();
    assert_eq!(aliases, ["/posts/herons-at-dusk/"]);
    // The other post's link follows the move.
    let kestrels = read(&hugo_site.join("content/posts/kestrel-notes/index.md"));
    assert!(!kestrels.contains("herons-at-dusk"), "{kestrels}");
}

#[test]
fn a_file_the_export_did_not_write_is_never_replaced_without_force() {
    let (fixture, server) = start();
    let projects = Projects::new(&fixture);
    let bundle = projects.path("hugo-site/content/posts/herons-at-dusk");
    std::fs::create_dir_all(&bundle).unwrap();
    std::fs::write(bundle.join("index.md"), "written by hand\n").unwrap();

    let refused = projects.run(
        Some(&server),
        &["export", "--to", "hugo", "site", "--into", "hugo-site"],
    );
    assert_eq!(refused.status.code(), Some(1), "{}", describe(&refused));
    let message = stderr(&refused);
    assert!(
        message.contains("content/posts/herons-at-dusk/index.md") && message.contains("--force"),
        "{message}"
    );
    assert_eq!(read(&bundle.join("index.md")), "written by hand\n");

    projects.export(&server, "hugo", "hugo-site", &["--force"]);
    assert!(read(&bundle.join("index.md")).contains("title: \"Herons at dusk\""));
}

// ---------------------------------------------------------------------------------- Zola

#[test]
fn zola_gets_page_bundles_with_toml_front_matter_and_internal_links() {
    let (fixture, server) = start();
    let projects = Projects::new(&fixture);
    let output = projects.export(&server, "zola", "zola-site", &[]);
    let zola = projects.path("zola-site");
    assert!(
        stderr(&output).contains("taxonomies = [{ name = \"tags\""),
        "the taxonomy hint is missing:\n{}",
        stderr(&output)
    );

    let text = read(&zola.join("content/posts/herons-at-dusk/index.md"));
    let (front, body) = front_matter(&text, "+++");
    let front: toml::Table = toml::from_str(front).unwrap_or_else(|e| panic!("{e}:\n{front}"));
    assert_eq!(front["title"].as_str(), Some("Herons at dusk"));
    assert_eq!(front["slug"].as_str(), Some("herons-at-dusk"));
    assert_eq!(front["draft"].as_bool(), Some(false));
    assert!(front["date"].is_datetime(), "{front:?}");
    let tags: Vec<&str> = front["taxonomies"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert_eq!(tags, ["Birds", "Wetlands"]);
    assert!(front["extra"]["notion_id"].is_str());
    assert!(
        front["extra"]["cover"].is_str(),
        "the cover is missing: {front:?}"
    );
    assert!(
        body.contains("@/posts/kestrel-notes/index.md"),
        "no Zola internal link:\n{body}"
    );
    assert!(body.contains(&escaped(EXTERNAL_IMAGE)), "{body}");
    // Files are co-located with the page.
    let bundle = listing(&zola.join("content/posts/herons-at-dusk"));
    assert!(bundle.keys().any(|n| n.ends_with(".pdf")), "{bundle:?}");
    assert!(bundle.keys().any(|n| n.ends_with(".jpg")), "{bundle:?}");
    assert_no_expiring_urls(&zola, &server);

    // The section's _index.md is written once and then belongs to the user.
    let section = zola.join("content/posts/_index.md");
    let original = read(&section);
    let _: toml::Table = toml::from_str(front_matter(&original, "+++").0).unwrap();
    std::fs::write(&section, "+++\ntitle = \"Mine\"\n+++\n").unwrap();
    projects.export(&server, "zola", "zola-site", &[]);
    assert_eq!(read(&section), "+++\ntitle = \"Mine\"\n+++\n");
}

// ------------------------------------------------------------------ real themes (../shared)

/// `../shared` beside the crate (real themes, the Zola binary), or `None` with a notice when
/// this clone has none.
fn shared(test: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.join("fixtures/themes").is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED {test}: ../shared is absent");
        None
    }
}

/// A copy of a folder (a theme: `../shared` is read-only in CI).
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The text of an HTML page, entities decoded, each run of white space as one space.
fn page_text(path: &Path) -> String {
    let html = scraper::Html::parse_document(&read(path));
    let text = html.root_element().text().collect::<Vec<_>>().join("");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every local file the built pages reference that has the name of a file under `content`
/// (a baked file, as the export wrote it) holds that file's bytes.
fn assert_baked_files_byte_exact(public: &Path, content: &Path) -> usize {
    let written: BTreeMap<String, PathBuf> = listing(content)
        .into_keys()
        .filter(|path| !path.ends_with(".md"))
        .map(|path| {
            let name = path.rsplit('/').next().unwrap().to_owned();
            (name, content.join(&path))
        })
        .collect();
    let mut checked = 0;
    for (page, url) in local_references(public) {
        let target = resolve(public, &page, &url);
        let name = target.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(source) = written.get(&name) {
            assert_eq!(
                std::fs::read(&target).unwrap_or_else(|e| panic!("{page}: {url}: {e}")),
                std::fs::read(source).unwrap(),
                "{page}: {url} differs from {}",
                source.display()
            );
            checked += 1;
        }
    }
    checked
}

/// Notion text that looks like template syntax shows as written on the built page, and
/// nothing it names ran.
fn assert_template_text_is_text(page: &Path) {
    let text = page_text(page);
    assert!(
        text.matches(TEMPLATE_TEXT).count() >= 2,
        "{TEMPLATE_TEXT} is not shown as text (in a paragraph and a code span) on {}:\n{text}",
        page.display()
    );
    for line in TEMPLATE_CODE.lines().map(str::trim) {
        assert!(
            text.contains(line),
            "{line} is not shown as code on {}:\n{text}",
            page.display()
        );
    }
    assert!(!text.contains("root:x:0:0"), "{text}");
}

fn string_at<'y>(yaml: &'y yaml_rust2::Yaml, keys: &[&str]) -> &'y str {
    let mut value = yaml;
    for key in keys {
        value = &value[*key];
    }
    value
        .as_str()
        .unwrap_or_else(|| panic!("no string at {keys:?}: {yaml:?}"))
}

/// A Hugo site using a copy of Ananke, as its README sets one up.
fn ananke_project(shared: &Path, site: &Path) {
    copy_tree(
        &shared.join("fixtures/themes/hugo-ananke"),
        &site.join("themes/ananke"),
    );
    std::fs::write(
        site.join("hugo.toml"),
        "baseURL = \"https://example.org/\"\nlocale = \"en-us\"\ntitle = \"Field Notes\"\n\
         theme = \"ananke\"\n[params]\nmainSections = [\"posts\"]\n",
    )
    .unwrap();
}

/// A Zola site using a copy of after-dark, as its README sets one up.
fn after_dark_project(shared: &Path, site: &Path) {
    copy_tree(
        &shared.join("fixtures/themes/zola-after-dark"),
        &site.join("themes/after-dark"),
    );
    std::fs::write(
        site.join("config.toml"),
        "base_url = \"https://example.org\"\ntitle = \"Field Notes\"\ntheme = \"after-dark\"\n\
         compile_sass = true\ngenerate_feeds = true\n\
         taxonomies = [{ name = \"categories\", feed = true }, { name = \"tags\", feed = true }]\n",
    )
    .unwrap();
    std::fs::create_dir_all(site.join("content")).unwrap();
    std::fs::write(
        site.join("content/_index.md"),
        "+++\npaginate_by = 5\nsort_by = \"date\"\n+++\n",
    )
    .unwrap();
}

#[test]
fn the_example_site_builds_with_ananke_and_after_dark() {
    const TEST: &str = "the_example_site_builds_with_ananke_and_after_dark";
    let Some(shared) = shared(TEST) else { return };
    let root = tempfile::tempdir().unwrap();
    support::copy_example_site(&root.path().join("example-site"));
    let hugo = generator("hugo", TEST);
    let zola = zola(&shared, TEST);
    for (target, build) in [("hugo", hugo), ("zola", zola)] {
        let Some(build) = build else { continue };
        let site = root.path().join(format!("{target}-site"));
        if target == "hugo" {
            ananke_project(&shared, &site);
        } else {
            after_dark_project(&shared, &site);
        }
        let output = Command::new(env!("CARGO_BIN_EXE_notion-bake"))
            .args(["export", "--to", target, "example-site", "--into"])
            .arg(&site)
            .current_dir(root.path())
            .env_remove("NOTION_TOKEN")
            .output()
            .unwrap();
        assert!(output.status.success(), "{target}: {}", describe(&output));
        if target == "hugo" {
            hugo_build(&build, &site);
        } else {
            zola_build(&build, &site);
        }
        let public = site.join("public");
        // Every post is on the home page, and each cover the export wrote is served as baked.
        let home = page_text(&public.join("index.html"));
        let posts = listing(&site.join("content/posts"));
        let posts: Vec<&String> = posts.keys().filter(|p| p.ends_with("/index.md")).collect();
        assert!(posts.len() >= 5, "{target}: {posts:?}");
        for post in posts {
            let text = read(&site.join("content/posts").join(post));
            let title_line = text.lines().find(|l| l.starts_with("title")).unwrap();
            let title = title_line.split('"').nth(1).unwrap();
            assert!(
                home.contains(title),
                "{target}: {title} is not on the home page:\n{home}"
            );
        }
        assert!(assert_baked_files_byte_exact(&public, &site.join("content")) > 0);
        let text = read(&site.join("content/posts/hollow-fen-in-june/index.md"));
        let cover = text
            .lines()
            .find(|l| l.starts_with("featured_image") || l.starts_with("local_image"))
            .and_then(|l| l.split('"').nth(1))
            .unwrap_or_else(|| panic!("{target}: no cover:\n{text}"));
        let name = cover.rsplit('/').next().unwrap();
        assert_eq!(
            std::fs::read(public.join("posts/hollow-fen-in-june").join(name)).unwrap(),
            std::fs::read(site.join("content/posts/hollow-fen-in-june").join(name)).unwrap(),
            "{target}: {cover}"
        );
    }
}

#[test]
fn hugo_with_the_ananke_theme_shows_covers_summaries_and_dates() {
    const TEST: &str = "hugo_with_the_ananke_theme_shows_covers_summaries_and_dates";
    let Some(shared) = shared(TEST) else { return };
    let (fixture, server) = start();
    let projects = Projects::new(&fixture);
    let site = projects.path("hugo-site");
    ananke_project(&shared, &site);
    projects.export(&server, "hugo", "hugo-site", &[]);

    // The cover where themes read it: a resource of the bundle for a baked one, the URL as
    // written for an external one; the icon; the description as the summary.
    let herons = yaml(&read(&site.join("content/posts/herons-at-dusk/index.md")));
    let cover = string_at(&herons, &["featured_image"]);
    assert!(
        site.join("content/posts/herons-at-dusk")
            .join(cover)
            .is_file(),
        "{cover}"
    );
    assert_eq!(herons["images"][0].as_str(), Some(cover));
    assert_eq!(string_at(&herons, &["cover", "image"]), cover);
    assert_eq!(herons["cover"]["relative"].as_bool(), Some(true));
    assert_eq!(string_at(&herons, &["cover", "alt"]), "Herons at dusk");
    assert_eq!(
        string_at(&herons, &["summary"]),
        "Three herons in the reeds."
    );
    let icon = string_at(&herons, &["icon"]);
    assert!(
        site.join("content/posts/herons-at-dusk")
            .join(icon)
            .is_file(),
        "{icon}"
    );
    let kestrels = yaml(&read(&site.join("content/posts/kestrel-notes/index.md")));
    assert_eq!(string_at(&kestrels, &["featured_image"]), EXTERNAL_COVER);
    assert_eq!(kestrels["images"][0].as_str(), Some(EXTERNAL_COVER));
    assert_eq!(kestrels["cover"]["relative"].as_bool(), Some(false));
    assert_eq!(string_at(&kestrels, &["icon"]), "🪶");
    assert_eq!(string_at(&kestrels, &["description"]), KESTREL_DESCRIPTION);
    let about = yaml(&read(&site.join("content/about/_index.md")));
    assert_eq!(string_at(&about, &["icon"]), EXTERNAL_ICON);

    let Some(hugo) = generator("hugo", TEST) else {
        return;
    };
    hugo_build(&hugo, &site);
    let public = site.join("public");
    // The home page lists every post with its summary (the Notion description, as text), the
    // section's page with its date too.
    // (Hugo's typographer curls the quotes and turns `--` into a dash.)
    let home = page_text(&public.join("index.html"));
    for expected in [
        "Herons at dusk Three herons in the reeds.",
        "Kestrel notes Hover\u{7f}ing: a “kestrel” # over the verge",
        "+++ - ? * & read more",
    ] {
        assert!(
            home.contains(expected),
            "{expected} is not on the home page:\n{home}"
        );
    }
    let section = page_text(&public.join("posts/index.html"));
    for expected in ["Herons at dusk", "Kestrel notes"] {
        assert!(
            section.contains(expected),
            "{expected} is not on /posts/:\n{section}"
        );
    }
    // Ananke dates posts on their own pages (its lists show dates only for a `post` section).
    for (post, date) in [
        ("herons-at-dusk", "March 1, 2026"),
        ("kestrel-notes", "February 1, 2026"),
    ] {
        let text = page_text(&public.join("posts").join(post).join("index.html"));
        assert!(text.contains(date), "{date} is not on {post}:\n{text}");
    }
    // A post's page: its body and its cover (Ananke's header), in social cards too.
    let page = read(&public.join("posts/herons-at-dusk/index.html"));
    assert!(page_text(&public.join("posts/herons-at-dusk/index.html")).contains("Hidden notes."));
    let cover_url = format!("/posts/herons-at-dusk/{cover}");
    assert!(
        page.contains(&format!("url('{cover_url}')")),
        "no cover header:\n{page}"
    );
    assert!(
        page.contains(&format!(
            "property=\"og:image\" content=\"https://example.org{cover_url}\""
        )),
        "no og:image:\n{page}"
    );
    let page = read(&public.join("posts/kestrel-notes/index.html"));
    assert!(
        page.contains(&escaped(EXTERNAL_COVER)),
        "no external cover:\n{page}"
    );
    assert_template_text_is_text(&public.join("posts/kestrel-notes/index.html"));
    assert!(public.join("tags/birds/index.html").is_file());
    assert!(public.join("tags/wetlands/index.html").is_file());
    assert!(page_text(&public.join("tags/birds/index.html")).contains("Kestrel notes"));
    assert!(assert_baked_files_byte_exact(&public, &site.join("content")) > 0);
    assert_no_expiring_urls(&public, &server);

    // A second export changes nothing the build reads.
    let before = listing(&site.join("content"));
    projects.export(&server, "hugo", "hugo-site", &[]);
    assert_eq!(listing(&site.join("content")), before);
}

/// The Zola binary in `../shared/tools/zola/`: `None` with a notice when it is missing, except
/// in CI.
fn zola(shared: &Path, test: &str) -> Option<PathBuf> {
    let zola = shared.join("tools/zola/zola");
    if zola.is_file() {
        return Some(zola);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but {} is missing",
        zola.display()
    );
    eprintln!("SKIPPED {test}: no Zola binary at {}", zola.display());
    None
}

/// `zola build` then `zola check --skip-external-links`: both succeed and say nothing about
/// the content.
fn zola_build(zola: &Path, project: &Path) {
    for args in [&["build"][..], &["check", "--skip-external-links"][..]] {
        let output = Command::new(zola)
            .args(args)
            .current_dir(project)
            .output()
            .unwrap();
        let log = describe(&output);
        assert!(output.status.success(), "zola {args:?} failed:\n{log}");
        assert!(
            !log.to_lowercase().contains("warn"),
            "zola {args:?}:\n{log}"
        );
    }
}

#[test]
fn zola_with_the_after_dark_theme_builds_lists_and_redirects() {
    const TEST: &str = "zola_with_the_after_dark_theme_builds_lists_and_redirects";
    let Some(shared) = shared(TEST) else { return };
    let Some(zola) = zola(&shared, TEST) else {
        return;
    };
    let (fixture, server) = start();
    let projects = Projects::new(&fixture);
    let site = projects.path("zola-site");
    after_dark_project(&shared, &site);
    projects.export(&server, "zola", "zola-site", &[]);

    let text = read(&site.join("content/posts/herons-at-dusk/index.md"));
    let front: toml::Table = toml::from_str(front_matter(&text, "+++").0).unwrap();
    let extra = &front["extra"];
    let cover = extra["image"].as_str().unwrap();
    assert_eq!(extra["local_image"].as_str(), Some(cover));
    assert!(extra.get("remote_image").is_none(), "{extra:?}");
    assert!(site.join("content").join(cover).is_file(), "{cover}");
    assert!(
        site.join("content")
            .join(extra["icon"].as_str().unwrap())
            .is_file()
    );
    // Both entries of the files property, the hosted one by its baked copy.
    let attachments = extra["Attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 2, "{extra:?}");
    assert_eq!(attachments[1]["url"].as_str(), Some(EXTERNAL_SPEC));
    let text = read(&site.join("content/posts/kestrel-notes/index.md"));
    let front: toml::Table = toml::from_str(front_matter(&text, "+++").0).unwrap();
    assert_eq!(front["description"].as_str(), Some(KESTREL_DESCRIPTION));
    assert_eq!(
        front["extra"]["remote_image"].as_str(),
        Some(EXTERNAL_COVER)
    );
    assert_eq!(front["extra"]["icon"].as_str(), Some("🪶"));

    zola_build(&zola, &site);
    let public = site.join("public");
    // The home page lists every post with its date and its summary (the body up to the first
    // paragraph of text), and nothing after it.
    let home = page_text(&public.join("index.html"));
    for expected in [
        "Herons at dusk",
        "Published: 2026-03-01",
        "Three herons stood in the reeds",
        "Kestrel notes",
        "Published: 2026-02-01",
        "A kestrel hovered over the verge.",
    ] {
        assert!(
            home.contains(expected),
            "{expected} is not on the home page:\n{home}"
        );
    }
    assert!(!home.contains("Hidden notes."), "{home}");
    let herons = public.join("posts/herons-at-dusk/index.html");
    assert!(page_text(&herons).contains("Hidden notes."));
    // The internal link (`@/…`) resolved to the other post.
    assert!(
        read(&herons).contains("href=\"https://example.org/posts/kestrel-notes/\""),
        "{}",
        read(&herons)
    );
    assert!(
        public
            .join("posts/herons-at-dusk")
            .join(cover.rsplit('/').next().unwrap())
            .is_file()
    );
    assert_template_text_is_text(&public.join("posts/kestrel-notes/index.html"));
    assert!(page_text(&public.join("tags/birds/index.html")).contains("Kestrel notes"));
    assert!(assert_baked_files_byte_exact(&public, &site.join("content")) > 0);
    assert_no_expiring_urls(&public, &server);
    let before = listing(&site.join("content"));
    projects.export(&server, "zola", "zola-site", &[]);
    assert_eq!(listing(&site.join("content")), before);

    // A renamed slug: the old URL redirects to the new one.
    server.edit_page(&fixture.herons, |page| {
        page["properties"]["Slug"]["rich_text"] = json!([b::text("grey-herons")]);
    });
    projects.export(&server, "zola", "zola-site", &[]);
    zola_build(&zola, &site);
    assert!(public.join("posts/grey-herons/index.html").is_file());
    let redirect = read(&public.join("posts/herons-at-dusk/index.html"));
    assert!(
        redirect.contains("https://example.org/posts/grey-herons/"),
        "no redirect:\n{redirect}"
    );

    // The baked cover's path is one Zola's `resize_image` and `get_url` take.
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/page.html"),
        "{% if page.extra.local_image %}{% set small = resize_image(path=page.extra.local_image, \
         width=300, op=\"fit_width\") %}<img src=\"{{ small.url | safe }}\" width=\"{{ small.width }}\">\
         <img src=\"{{ get_url(path=page.extra.image) | safe }}\">{% endif %}",
    )
    .unwrap();
    zola_build(&zola, &site);
    let page = read(&public.join("posts/grey-herons/index.html"));
    assert!(
        page.contains("/processed_images/") && page.contains("width=\"300\""),
        "{page}"
    );
    assert!(
        page.contains("https://example.org/posts/grey-herons/fen-"),
        "{page}"
    );
}

// ---------------------------------------------------------------------------------- mdBook

fn mdbook_project(dir: &Path, summary_extra: &str) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Field book\"\nauthors = []\nlanguage = \"en\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("src/intro.md"), "# Introduction\n").unwrap();
    std::fs::write(
        dir.join("src/SUMMARY.md"),
        format!("# Summary\n\n[Introduction](intro.md)\n\n{summary_extra}"),
    )
    .unwrap();
}

fn mdbook_build(mdbook: &Path, project: &Path, path_prefix: Option<&Path>) -> Output {
    let mut command = Command::new(mdbook);
    command.arg("build").current_dir(project);
    if let Some(prefix) = path_prefix {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut paths = vec![prefix.to_path_buf()];
        paths.extend(std::env::split_paths(&path));
        command.env("PATH", std::env::join_paths(paths).unwrap());
    }
    command.output().unwrap()
}

#[test]
fn mdbook_builds_the_exported_chapters_listed_in_summary() {
    let (fixture, server) = start();
    let projects = Projects::new(&fixture);
    let book = projects.path("book");
    mdbook_project(
        &book,
        "<!-- notion-bake:begin -->\n<!-- notion-bake:end -->\n\n[Colophon](colophon.md)\n",
    );
    std::fs::write(book.join("src/colophon.md"), "# Colophon\n").unwrap();
    projects.export(&server, "mdbook", "book", &[]);

    let summary = read(&book.join("src/SUMMARY.md"));
    let region = summary
        .split("<!-- notion-bake:begin -->\n")
        .nth(1)
        .and_then(|r| r.split("<!-- notion-bake:end -->").next())
        .unwrap_or_else(|| panic!("no region:\n{summary}"));
    assert!(
        region.contains("- [About](posts/about.md)\n    - [Contact](posts/about/"),
        "{region}"
    );
    // A post's child pages are not part of the site (as in `build`).
    assert!(
        region.contains("- [Herons at dusk](posts/herons-at-dusk.md)\n"),
        "{region}"
    );
    assert!(summary.starts_with("# Summary\n\n[Introduction](intro.md)\n"));
    assert!(summary.ends_with("[Colophon](colophon.md)\n"), "{summary}");
    // Each chapter starts with its icon, cover, date and tags, as the Notion page does.
    let chapter = read(&book.join("src/posts/herons-at-dusk.md"));
    let head: Vec<&str> = chapter.lines().take(5).collect();
    assert!(
        head[0].starts_with("# <img class=\"notion-icon\" src=\"assets/heron-icon")
            && head[0].ends_with("> Herons at dusk"),
        "{chapter}"
    );
    assert!(
        head[2].starts_with("![](assets/fen-") && head[2].ends_with(".jpg)"),
        "{chapter}"
    );
    assert_eq!(head[4], "_2026-03-01_ · Birds · Wetlands", "{chapter}");
    assert!(chapter.contains("kestrel-notes.md"), "{chapter}");
    let kestrels = read(&book.join("src/posts/kestrel-notes.md"));
    assert!(
        kestrels.starts_with(&format!(
            "# 🪶 Kestrel notes\n\n![]({EXTERNAL_COVER})\n\n_2026-02-01_ · Birds\n"
        )),
        "{kestrels}"
    );
    assert!(
        listing(&book.join("src/posts/assets"))
            .keys()
            .any(|n| n.ends_with(".pdf"))
    );
    assert_no_expiring_urls(&book.join("src"), &server);

    let Some(mdbook) = generator(
        "mdbook",
        "mdbook_builds_the_exported_chapters_listed_in_summary",
    ) else {
        return;
    };
    let built = mdbook_build(&mdbook, &book, None);
    assert!(built.status.success(), "{}", describe(&built));
    let html = book.join("book");
    let page = read(&html.join("posts/herons-at-dusk.html"));
    assert!(
        page.contains("kestrel-notes.html"),
        "the link is not mdBook's"
    );
    assert!(page.contains("Hidden notes."));
    assert!(html.join("posts/about.html").is_file());
    assert_template_text_is_text(&html.join("posts/kestrel-notes.html"));
    let references: Vec<(String, String)> = local_references(&html)
        .into_iter()
        .filter(|(page, _)| page.starts_with("posts/"))
        .filter(|(_, url)| url.contains("assets/") && !url.contains(".css") && !url.contains(".js"))
        .collect();
    assert!(!references.is_empty());
    for (page, url) in references {
        let target = resolve(&html, &page, &url);
        assert!(target.is_file(), "{page}: {url} → {}", target.display());
    }
}

#[test]
fn the_mdbook_preprocessor_fills_the_placeholder_chapter_inside_mdbook_build() {
    let Some(mdbook) = generator(
        "mdbook",
        "the_mdbook_preprocessor_fills_the_placeholder_chapter_inside_mdbook_build",
    ) else {
        return;
    };
    let (fixture, server) = start();
    let projects = Projects::new(&fixture);
    let book = projects.path("book");
    mdbook_project(&book, "- [Field notes](notes.md)\n");
    std::fs::write(
        book.join("src/notes.md"),
        "# Field notes\n\n{{#notion-bake}}\n",
    )
    .unwrap();
    let mut toml = read(&book.join("book.toml"));
    toml.push_str("\n[preprocessor.notion-bake]\nsite = \"../site\"\nsection = \"notes\"\n");
    std::fs::write(book.join("book.toml"), toml).unwrap();
    // mdBook finds `mdbook-notion-bake` on PATH, as after `cargo install`.
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_mdbook-notion-bake"))
        .parent()
        .unwrap()
        .to_path_buf();

    // With a token, the preprocessor fetches from Notion.
    let mut command = Command::new(&mdbook);
    command
        .arg("build")
        .current_dir(&book)
        .env("NOTION_TOKEN", server.token())
        .env("NOTION_API_URL", server.url());
    let path = std::env::var_os("PATH").unwrap_or_default();
    let paths = std::iter::once(bin_dir.clone()).chain(std::env::split_paths(&path));
    command.env("PATH", std::env::join_paths(paths).unwrap());
    let built = command.output().unwrap();
    assert!(built.status.success(), "{}", describe(&built));
    let html = book.join("book");
    let page = read(&html.join("notes/herons-at-dusk.html"));
    assert!(page.contains("Three herons stood in the reeds"), "{page}");
    let index = read(&html.join("notes.html"));
    assert!(
        index.contains("Herons at dusk"),
        "the placeholder was not filled"
    );
    assert!(!index.contains("{{#notion-bake}}"));
    assert!(
        listing(&book.join("src/notes/assets"))
            .keys()
            .any(|n| n.ends_with(".pdf"))
    );
    for (page, url) in local_references(&html)
        .into_iter()
        .filter(|(_, url)| url.contains("notes/assets/"))
    {
        assert!(resolve(&html, &page, &url).is_file(), "{page}: {url}");
    }
    assert_no_expiring_urls(&html, &server);

    // Without a token it builds from the cache the first run left, asking Notion nothing.
    std::fs::remove_dir_all(&html).unwrap();
    server.reset_counters();
    let offline = mdbook_build(&mdbook, &book, Some(&bin_dir));
    assert!(offline.status.success(), "{}", describe(&offline));
    assert!(html.join("notes/herons-at-dusk.html").is_file());
    assert_eq!(server.total_requests(), 0);
}

// ---------------------------------------------------------------------------------- Markdown

#[test]
fn plain_markdown_and_the_jekyll_flavour_name_files_as_their_generators_expect() {
    let (fixture, server) = start();
    let projects = Projects::new(&fixture);
    projects.export(&server, "markdown", "eleventy", &[]);
    let text = read(&projects.path("eleventy/posts/herons-at-dusk.md"));
    let front = yaml(&text);
    assert_eq!(front["title"].as_str(), Some("Herons at dusk"));
    let (_, body) = front_matter(&text, "---");
    // GFM where Markdown can carry the block.
    assert!(body.contains("| Bird | Count |"), "{body}");
    assert!(body.contains("- Birds\n"), "{body}");
    assert!(body.contains(&escaped(EXTERNAL_IMAGE)), "{body}");
    assert_no_expiring_urls(&projects.path("eleventy"), &server);

    projects.export(&server, "markdown", "jekyll", &["--flavor", "jekyll"]);
    let jekyll = projects.path("jekyll");
    assert!(
        jekyll.join("_posts/2026-03-01-herons-at-dusk.md").is_file(),
        "{:?}",
        listing(&jekyll).keys().collect::<Vec<_>>()
    );
    assert!(
        listing(&jekyll.join("assets/posts"))
            .keys()
            .any(|n| n.ends_with(".pdf"))
    );

    // Notion text never becomes Liquid (Jekyll) or Nunjucks (Eleventy runs a template engine
    // over Markdown by default): no `{{` or `{%` in the files but the Liquid the Jekyll export
    // writes itself, each naming a file it wrote.
    let eleventy = read(&projects.path("eleventy/posts/kestrel-notes.md"));
    assert!(eleventy.contains("&#123;"), "{eleventy}");
    assert!(
        !eleventy.contains("{{") && !eleventy.contains("{%"),
        "{eleventy}"
    );
    for post in ["2026-02-01-kestrel-notes", "2026-03-01-herons-at-dusk"] {
        let text = read(&jekyll.join(format!("_posts/{post}.md")));
        let mut rest = text.replace("{{ site.baseurl }}/assets/posts/", "");
        for (opener, folder) in [("{% post_url ", "_posts/"), ("{% link ", "")] {
            while let Some(at) = rest.find(opener) {
                let end = at + rest[at..].find(" %}").expect("an unclosed tag") + 3;
                let name = &rest[at + opener.len()..end - 3];
                let file = jekyll.join(folder).join(name);
                let file = if folder.is_empty() {
                    file
                } else {
                    file.with_extension("md")
                };
                assert!(file.is_file(), "{} names no exported file", &rest[at..end]);
                rest.replace_range(at..end, "");
            }
        }
        assert!(
            !rest.contains("{{") && !rest.contains("{%"),
            "Liquid from Notion in {post}:\n{rest}"
        );
    }
    let kestrels = yaml(&read(&jekyll.join("_posts/2026-02-01-kestrel-notes.md")));
    assert_eq!(kestrels["image"].as_str(), Some(EXTERNAL_COVER));
    assert_eq!(kestrels["icon"].as_str(), Some("🪶"));
    let herons = yaml(&read(&jekyll.join("_posts/2026-03-01-herons-at-dusk.md")));
    let cover = herons["image"].as_str().unwrap();
    assert!(
        jekyll.join(cover.trim_start_matches('/')).is_file(),
        "{cover}"
    );
}

// ---------------------------------------------------------------------------------- CLI

#[test]
fn the_export_table_gives_the_defaults_and_missing_choices_are_usage_errors() {
    let (fixture, server) = start();
    let projects = Projects::new(&fixture);
    let config = projects.path("site/notion-bake.toml");

    let no_target = projects.run(Some(&server), &["export", "site", "--into", "x"]);
    assert_eq!(no_target.status.code(), Some(2), "{}", describe(&no_target));
    assert!(
        stderr(&no_target).contains("--to"),
        "{}",
        stderr(&no_target)
    );
    let bad = projects.run(Some(&server), &["export", "--to", "jekyll", "site"]);
    assert_eq!(bad.status.code(), Some(2));
    let missing_into = projects.run(
        Some(&server),
        &["export", "--to", "zola", "site", "--into", "nowhere"],
    );
    assert_eq!(
        missing_into.status.code(),
        Some(1),
        "{}",
        describe(&missing_into)
    );
    assert!(stderr(&missing_into).contains("nowhere"));

    let mut text = read(&config);
    text.push_str("[export]\nto = \"zola\"\ninto = \"../zola-site\"\nsection = \"notes\"\n");
    std::fs::write(&config, text).unwrap();
    std::fs::create_dir(projects.path("zola-site")).unwrap();
    // From inside the site folder, as `notion-bake export` with no arguments.
    let output = Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .arg("export")
        .current_dir(projects.path("site"))
        .env("NOTION_TOKEN", server.token())
        .env("NOTION_API_URL", server.url())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", describe(&output));
    assert!(
        projects
            .path("zola-site/content/notes/herons-at-dusk/index.md")
            .is_file()
    );

    let mut text = read(&config);
    text = text.replace("to = \"zola\"", "to = \"gatsby\"");
    std::fs::write(&config, text).unwrap();
    let invalid = projects.run(Some(&server), &["export", "site"]);
    assert_eq!(invalid.status.code(), Some(2));
    assert!(
        stderr(&invalid).contains("export.to"),
        "{}",
        stderr(&invalid)
    );

    // `cover_keys` replaces the target's cover keys; a key front matter cannot hold is refused.
    let text = read(&config).replace(
        "to = \"gatsby\"",
        "to = \"hugo\"\ncover_keys = [\"banner\", \"images\"]",
    );
    std::fs::write(&config, &text).unwrap();
    projects.export(&server, "hugo", "hugo-site", &[]);
    let front = yaml(&read(
        &projects.path("hugo-site/content/notes/herons-at-dusk/index.md"),
    ));
    let banner = front["banner"].as_str().unwrap();
    assert!(
        banner.starts_with("fen-") && banner.ends_with(".jpg"),
        "{banner}"
    );
    assert_eq!(front["images"][0].as_str(), Some(banner));
    assert!(
        front["featured_image"].is_badvalue() && front["cover"].is_badvalue(),
        "{front:?}"
    );
    std::fs::write(&config, text.replace("\"banner\"", "\"my banner\"")).unwrap();
    let invalid = projects.run(Some(&server), &["export", "site"]);
    assert_eq!(invalid.status.code(), Some(2), "{}", describe(&invalid));
    assert!(
        stderr(&invalid).contains("export.cover_keys"),
        "{}",
        stderr(&invalid)
    );
}

#[test]
fn the_example_site_exports_to_every_target_offline() {
    let root = tempfile::tempdir().unwrap();
    support::copy_example_site(&root.path().join("example-site"));
    for target in ["hugo", "zola", "mdbook", "markdown"] {
        let into = format!("{target}-site");
        std::fs::create_dir(root.path().join(&into)).unwrap();
        if target == "hugo" {
            hugo_project(&root.path().join(&into));
        }
        if target == "mdbook" {
            mdbook_project(&root.path().join(&into), "");
        }
        // The README's command, from the folder holding both projects, with no token.
        let output = Command::new(env!("CARGO_BIN_EXE_notion-bake"))
            .args(["export", "--to", target, "example-site", "--into", &into])
            .current_dir(root.path())
            .env_remove("NOTION_TOKEN")
            .output()
            .unwrap();
        assert!(output.status.success(), "{target}: {}", describe(&output));
        let written = listing(&root.path().join(&into));
        let pages = written.keys().filter(|p| p.ends_with(".md")).count();
        assert!(pages >= 7, "{target}: {pages} Markdown files: {written:?}");
        for path in written.keys() {
            if let Ok(text) = std::fs::read_to_string(root.path().join(&into).join(path)) {
                assert!(
                    !text.contains("X-Amz-"),
                    "{target}: {path} holds a signed URL"
                );
                assert!(
                    !text.contains("secure.notion-static.com"),
                    "{target}: {path}"
                );
            }
        }
        if target == "hugo"
            && let Some(hugo) =
                generator("hugo", "the_example_site_exports_to_every_target_offline")
        {
            hugo_build(&hugo, &root.path().join(&into));
            assert_references_resolve(&root.path().join(&into).join("public"));
        }
        if target == "mdbook"
            && let Some(mdbook) =
                generator("mdbook", "the_example_site_exports_to_every_target_offline")
        {
            let built = mdbook_build(&mdbook, &root.path().join(&into), None);
            assert!(built.status.success(), "{}", describe(&built));
        }
    }
}

#[test]
fn watch_re_exports_what_changes_in_notion() {
    let (fixture, server) = start();
    let projects = Projects::new(&fixture);
    std::fs::create_dir(projects.path("hugo-site")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .args([
            "export",
            "--to",
            "hugo",
            "site",
            "--into",
            "hugo-site",
            "--watch",
        ])
        .current_dir(projects.root.path())
        .env("NOTION_TOKEN", server.token())
        .env("NOTION_API_URL", server.url())
        .env("NOTION_BAKE_POLL_SECONDS", "0.5")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let post = projects.path("hugo-site/content/posts/kestrel-notes/index.md");
    let wait_for = |what: &str, done: &dyn Fn() -> bool| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !done() {
            assert!(
                std::time::Instant::now() < deadline,
                "timed out waiting for {what}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    };
    wait_for("the first export", &|| post.is_file());
    server.replace_blocks(&fixture.kestrels, vec![b::paragraph("Two kestrels now.")]);
    wait_for("the edit", &|| {
        std::fs::read_to_string(&post).is_ok_and(|text| text.contains("Two kestrels now."))
    });
    server.trash(&fixture.kestrels);
    wait_for("the deletion", &|| !post.exists());
    child.kill().unwrap();
    child.wait().unwrap();
}

#[cfg(unix)]
#[test]
fn exported_files_are_readable_by_all_under_a_tight_umask() {
    let root = tempfile::tempdir().unwrap();
    support::copy_example_site(&root.path().join("example-site"));
    std::fs::create_dir(root.path().join("site")).unwrap();
    let output = Command::new("sh")
        .args(["-c", "umask 077 && exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_notion-bake"))
        .args(["export", "--to", "zola", "example-site", "--into", "site"])
        .current_dir(root.path())
        .env_remove("NOTION_TOKEN")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", describe(&output));
    let files = support::assert_published_modes(&root.path().join("site"));
    assert!(files > 20, "only {files} files exported");
}

// ----------------------------------------------------------- databases inside a page

/// A page holding a table (filtered, sorted, a hidden property, a hosted PDF and an external
/// link in a files property) and a gallery of cards with hosted covers; every row but one
/// has content, so it is a page of its own.
struct Shelf {
    projects: Projects,
    server: FakeNotion,
}

const SHELF_LINK: &str = "https://example.org/shelf/notes.pdf?v=2&lang=en";

fn shelf() -> Shelf {
    let mut ws = Workspace::new();
    let page = ws.add_page("Shelf", vec![b::paragraph("What is on the shelf.")]);
    let schema = [
        ("Kind", "select"),
        ("Year", "number"),
        ("Files", "files"),
        ("Secret", "rich_text"),
    ];
    let table = ws.add_child_database(&page, "Reading list", &schema);
    let pdf = ws.add_file("Shelf notes.pdf", PDF.to_vec());
    for (name, year, content) in [
        ("Wren", 2024, true),
        ("Rook", 2018, true),
        ("Teal", 2022, false),
        ("Pipit", 2023, true),
    ] {
        let files = if name == "Wren" {
            json!([
                b::files_entry("notes.pdf", b::hosted(&pdf)),
                b::files_entry("Notes online", b::external(SHELF_LINK))
            ])
        } else {
            json!([])
        };
        let blocks = if content {
            vec![b::paragraph(format!("{name}'s own page."))]
        } else {
            vec![]
        };
        ws.add_row(
            &table,
            json!({"Name": name, "Kind": "Bird", "Year": year, "Files": files,
                   "Secret": format!("secret-of-{name}")}),
            blocks,
        );
    }
    let year = ws.property_id(&table, "Year");
    let files = ws.property_id(&table, "Files");
    let secret = ws.property_id(&table, "Secret");
    ws.set_views(
        &table,
        vec![json!({"name": "Recent", "type": "table",
            "filter": {"property": "Year", "number": {"greater_than": 2019}},
            "sorts": [{"property": "Year", "direction": "descending"}],
            "configuration": {"type": "table", "properties": [
                {"property_id": "title"}, {"property_id": year},
                {"property_id": secret, "visible": false}, {"property_id": files}]}})],
    );
    let gallery = ws.add_child_database(&page, "Portfolio", &[("Kind", "select")]);
    for (name, tag) in [("Heron print", 70u8), ("Owl print", 80)] {
        let cover = ws.add_file(&format!("card-{tag}.jpg"), support::jpeg(640, 400, tag));
        let row = ws.add_row(
            &gallery,
            json!({"Name": name, "Kind": "Print"}),
            vec![b::paragraph(format!("About the {name}."))],
        );
        ws.set_cover(&row, b::hosted(&cover));
    }
    ws.set_views(
        &gallery,
        vec![
            json!({"name": "Cards", "type": "gallery", "configuration": {
            "type": "gallery", "cover": {"type": "page_cover"}}}),
        ],
    );
    let server = FakeNotion::start_blocking(ws);
    let root = tempfile::tempdir().unwrap();
    let site = root.path().join("site");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(
        site.join("notion-bake.toml"),
        format!(
            "title = \"Shelf\"\nbase_url = \"https://example.org/\"\n[notion]\n\
             requests_per_second = 500\nversion = \"2025-09-03\"\n[[pages]]\nid = \"{page}\"\n\
             path = \"shelf\"\n[images]\nwidths = [320]\n"
        ),
    )
    .unwrap();
    Shelf {
        projects: Projects { root },
        server,
    }
}

/// The exported Markdown of the shelf page holds the table view as a GFM table, rows in the
/// view's order with only its properties, titles linking to the rows' pages; the gallery is an
/// HTML island whose covers are baked beside the page. Returns the Markdown.
fn assert_shelf_markdown(file: &Path) -> String {
    let text = read(file);
    assert!(
        text.contains("| Name | Year | Files |\n| --- | --- | --- |"),
        "{text}"
    );
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Name") && !l.starts_with("| ---"))
        .collect();
    assert_eq!(rows.len(), 3, "Rook is filtered out of the view:\n{text}");
    assert!(
        rows[0].starts_with("| [Wren](") && rows[0].contains(" | 2024 | "),
        "{text}"
    );
    assert!(
        rows[1].starts_with("| Pipit") || rows[1].starts_with("| [Pipit]("),
        "{text}"
    );
    // Teal has no content: its title is text, not a link.
    assert!(rows[2].starts_with("| Teal | 2022 |"), "{text}");
    assert!(
        rows[0].contains(&format!("[Notes online]({SHELF_LINK})")),
        "{text}"
    );
    assert!(rows[0].contains("[notes.pdf]("), "{text}");
    assert!(
        !text.contains("secret-of-") && !text.contains("Secret"),
        "{text}"
    );
    assert!(!text.contains("Rook"), "{text}");
    assert!(
        text.contains("nb-database-gallery") && text.contains("card-70-"),
        "{text}"
    );
    text
}

/// The folder of the shelf page's export holds the gallery's baked covers and the table's
/// PDF, byte for byte.
fn assert_shelf_files(folder: &Path) {
    let files = listing(folder);
    let pdf = files
        .keys()
        .find(|name| name.ends_with(".pdf") && !name.contains('/'))
        .unwrap_or_else(|| panic!("no PDF beside the page: {files:?}"));
    assert_eq!(std::fs::read(folder.join(pdf)).unwrap(), PDF);
    for tag in ["card-70-", "card-80-"] {
        assert!(
            files.keys().any(|name| name.starts_with(tag)),
            "{tag} is not baked beside the page: {files:?}"
        );
    }
}

/// No written or built file names Notion's file host or carries a signature.
fn assert_nothing_expires(dir: &Path, server: &FakeNotion) {
    assert_no_expiring_urls(dir, server);
    for (path, _) in listing(dir) {
        if let Ok(text) = std::fs::read_to_string(dir.join(&path)) {
            assert!(!text.contains("secure.notion-static.com"), "{path}");
        }
    }
}

#[test]
fn a_database_inside_a_page_exports_as_a_markdown_table_and_a_gallery_island() {
    const TEST: &str = "a_database_inside_a_page_exports_as_a_markdown_table_and_a_gallery_island";
    let Shelf { projects, server } = shelf();

    // Hugo, with Ananke: the page is a branch bundle, its rows leaf bundles beneath it.
    let hugo_site = projects.path("hugo-site");
    projects.export(&server, "hugo", "hugo-site", &[]);
    let page = hugo_site.join("content/shelf/_index.md");
    let text = assert_shelf_markdown(&page);
    assert!(
        text.contains("[Wren]({{< relref \"/shelf/reading-list/wren/index.md\" >}})"),
        "{text}"
    );
    assert_shelf_files(&hugo_site.join("content/shelf"));
    assert_nothing_expires(&hugo_site, &server);
    if let (Some(shared), Some(hugo)) = (shared(TEST), generator("hugo", TEST)) {
        ananke_project(&shared, &hugo_site);
        hugo_build(&hugo, &hugo_site);
        let public = hugo_site.join("public");
        let html = read(&public.join("shelf/index.html"));
        let table = html.split("<table").nth(1).expect("no table on the page");
        assert!(
            table.contains("href=\"/shelf/reading-list/wren/\">Wren</a>"),
            "{html}"
        );
        assert!(table.contains("<td>2024</td>"), "{html}");
        assert!(
            html.contains("nb-card") && html.contains("card-70-"),
            "{html}"
        );
        assert!(
            page_text(&public.join("shelf/reading-list/wren/index.html")).contains("own page."),
            "the row page has its content"
        );
        assert!(assert_baked_files_byte_exact(&public, &hugo_site.join("content")) >= 2);
        assert_references_resolve(&public);
        assert_nothing_expires(&public, &server);
    }

    // Zola, with after-dark: the page is a section, its rows pages beneath it.
    let zola_site = projects.path("zola-site");
    let shared = shared(TEST);
    if let Some(shared) = &shared {
        after_dark_project(shared, &zola_site);
        // after-dark has no section template, and a page with pages beneath it (the rows) is
        // a section in Zola: the site gives one, as its users must.
        std::fs::create_dir_all(zola_site.join("templates")).unwrap();
        std::fs::write(
            zola_site.join("templates/section.html"),
            "<!DOCTYPE html><html lang=\"en\"><head><title>{{ section.title }}</title></head>\
             <body>{{ section.content | safe }}</body></html>",
        )
        .unwrap();
    }
    projects.export(&server, "zola", "zola-site", &[]);
    let text = assert_shelf_markdown(&zola_site.join("content/shelf/_index.md"));
    assert!(
        text.contains("[Wren](@/shelf/reading-list/wren/index.md)"),
        "{text}"
    );
    assert_shelf_files(&zola_site.join("content/shelf"));
    assert_nothing_expires(&zola_site.join("content"), &server);
    if let Some(zola) = shared.as_ref().and_then(|shared| zola(shared, TEST)) {
        zola_build(&zola, &zola_site);
        let public = zola_site.join("public");
        let html = read(&public.join("shelf/index.html"));
        assert!(
            html.contains("href=\"https://example.org/shelf/reading-list/wren/\">Wren</a>"),
            "{html}"
        );
        assert!(
            html.contains("<td>2024</td>") && html.contains("card-70-"),
            "{html}"
        );
        assert!(assert_baked_files_byte_exact(&public, &zola_site.join("content")) >= 2);
        assert_nothing_expires(&public, &server);
    }

    // mdBook: the page is a chapter, its rows chapters beneath it.
    let book = projects.path("book");
    mdbook_project(
        &book,
        "<!-- notion-bake:begin -->\n<!-- notion-bake:end -->\n",
    );
    projects.export(&server, "mdbook", "book", &[]);
    let chapter = read(&book.join("src/SUMMARY.md"));
    let shelf_file = chapter
        .lines()
        .find_map(|l| l.trim().strip_prefix("- [Shelf](")?.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{chapter}"))
        .to_owned();
    let text = assert_shelf_markdown(&book.join("src").join(&shelf_file));
    assert_nothing_expires(&book.join("src"), &server);
    let Some(mdbook) = generator("mdbook", TEST) else {
        return;
    };
    let built = mdbook_build(&mdbook, &book, None);
    assert!(built.status.success(), "{}", describe(&built));
    let html = read(&book.join("book").join(shelf_file.replace(".md", ".html")));
    assert!(
        html.contains("<td>2024</td>") && html.contains("card-70-"),
        "{html}\n{text}"
    );
    assert!(html.contains("reading-list/wren.html\">Wren</a>"), "{html}");
    assert_nothing_expires(&book.join("book"), &server);
}
