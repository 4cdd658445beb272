//! Links from everywhere Notion puts them: every form of Notion link, in rich text, bookmarks,
//! link previews and URL properties, resolves to the local page or block. The real binary
//! against the fake Notion server, checked from the hrefs it writes.

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::json;
use support::{FakeNotion, Workspace, blocks as b, fake_notion::undashed};

fn build(site: &Path, server: &FakeNotion) {
    let output = Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .arg("build")
        .arg(site)
        .env_remove("RUST_LOG")
        .env("NOTION_TOKEN", server.token())
        .env("NOTION_API_URL", server.url())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The `href` of the link whose text is `text`, in a page's HTML.
fn href_of(html: &str, text: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("a[href]").unwrap();
    document
        .select(&selector)
        .find(|a| a.text().collect::<String>().trim() == text)
        .and_then(|a| a.value().attr("href"))
        .unwrap_or_else(|| panic!("no link {text:?} in:\n{html}"))
        .to_owned()
}

fn ids_in(html: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("[id]").unwrap();
    document
        .select(&selector)
        .filter_map(|e| e.value().attr("id").map(str::to_owned))
        .collect()
}

#[test]
fn every_notion_link_form_resolves_to_the_local_page_or_block() {
    let mut ws = Workspace::new();
    let db = ws.add_database(
        "Notes",
        &[
            ("Published", "checkbox"),
            ("Date", "date"),
            ("Slug", "rich_text"),
            ("Link", "url"),
        ],
    );
    let target = ws.add_row(
        &db,
        json!({"Name": "Target", "Published": true, "Date": "2026-03-01", "Slug": "target"}),
        vec![
            b::paragraph("First paragraph."),
            b::heading_2("A heading"),
            b::paragraph("The paragraph the links point at."),
            b::bulleted("A list item"),
        ],
    );
    let children = ws.children_of(&target);
    let (heading, paragraph, item) = (&children[1], &children[2], &children[3]);
    let (page, para) = (undashed(&target), undashed(paragraph));
    let outside = "99999999999999999999999999999999";
    let view = "aaaabbbbccccddddeeeeffff00001111";
    let forms = [
        ("notion.so", format!("https://www.notion.so/Target-{page}")),
        (
            "workspace",
            format!("https://www.notion.so/acme/Target-{page}?pvs=4"),
        ),
        ("app", format!("https://app.notion.com/p/{page}")),
        ("site", format!("https://acme.notion.site/Target-{page}")),
        (
            "block",
            format!("https://www.notion.so/acme/Target-{page}#{para}"),
        ),
        (
            "heading",
            format!("https://www.notion.so/Target-{page}#{}", undashed(heading)),
        ),
        (
            "item",
            format!("https://app.notion.com/p/{page}#{}", undashed(item)),
        ),
        (
            "peek",
            format!(
                "https://www.notion.so/acme/{}?v={view}&p={page}&pm=s",
                undashed(&db.database_id)
            ),
        ),
        ("relative", format!("/{page}#{para}")),
        ("private", format!("https://www.notion.so/Secret-{outside}")),
        (
            "public",
            format!("https://acme.notion.site/Elsewhere-{outside}"),
        ),
    ];
    let mut runs = Vec::new();
    for (text, url) in &forms {
        runs.push(b::link(text, url));
        runs.push(b::text(" "));
    }
    ws.add_row(
        &db,
        json!({
            "Name": "Linker", "Published": true, "Date": "2026-04-01", "Slug": "linker",
            "Link": format!("https://www.notion.so/acme/Target-{page}#{para}"),
        }),
        vec![
            b::paragraph(runs),
            b::bookmark(&format!("https://acme.notion.site/Target-{page}#{para}")),
            b::link_preview(&format!("https://www.notion.so/acme/Target-{page}?pvs=4")),
            b::link_to_page(&target),
        ],
    );
    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("notion-bake.toml"),
        format!(
            r#"title = "Links"
base_url = "https://example.org/blog"
[notion]
requests_per_second = 500
[blog]
database = "{}"
show_properties = ["Link"]
"#,
            db.database_id
        ),
    )
    .unwrap();
    build(site.path(), &server);
    let public = site.path().join("public");
    let linker = std::fs::read_to_string(public.join("posts/linker/index.html")).unwrap();
    let target_html = std::fs::read_to_string(public.join("posts/target/index.html")).unwrap();

    let post = "/blog/posts/target/";
    let para_anchor = format!("b-{para}");
    for (text, expected) in [
        ("notion.so", post.to_owned()),
        ("workspace", post.to_owned()),
        ("app", post.to_owned()),
        ("site", post.to_owned()),
        ("peek", post.to_owned()),
        ("block", format!("{post}#{para_anchor}")),
        ("relative", format!("{post}#{para_anchor}")),
        ("heading", format!("{post}#b-{}", undashed(heading))),
        ("item", format!("{post}#b-{}", undashed(item))),
        // A page published on notion.site but not part of this site stays a link there.
        (
            "public",
            format!("https://acme.notion.site/Elsewhere-{outside}"),
        ),
    ] {
        assert_eq!(href_of(&linker, text), expected, "the {text:?} link");
    }
    // A workspace page that is not part of the site is not linked (it may be private).
    let document = scraper::Html::parse_document(&linker);
    let selector = scraper::Selector::parse("a").unwrap();
    assert!(
        document
            .select(&selector)
            .all(|a| a.text().collect::<String>().trim() != "private"),
        "{linker}"
    );
    assert!(linker.contains("private"), "the text stays");
    // Bookmark, link preview, link_to_page and the URL property.
    assert!(
        linker.contains(&format!("href=\"{post}#{para_anchor}\"")),
        "bookmark: {linker}"
    );
    assert_eq!(href_of(&linker, "Target"), post, "link_to_page");
    assert_eq!(
        href_of(
            &linker,
            &format!("https://www.notion.so/acme/Target-{page}?pvs=4")
        ),
        post,
        "link preview"
    );
    assert_eq!(
        href_of(
            &linker,
            &format!("https://www.notion.so/acme/Target-{page}#{para}")
        ),
        format!("{post}#{para_anchor}"),
        "URL property"
    );

    // Each anchor lands on an element of the target page, exactly once.
    let ids = ids_in(&target_html);
    for anchor in [
        para_anchor.clone(),
        format!("b-{}", undashed(heading)),
        format!("b-{}", undashed(item)),
    ] {
        assert_eq!(
            ids.iter().filter(|id| **id == anchor).count(),
            1,
            "{anchor} in {ids:?}"
        );
    }
    // The heading keeps its readable anchor too.
    assert!(ids.contains(&"a-heading".to_owned()), "{ids:?}");
    let document = scraper::Html::parse_document(&target_html);
    let landing = scraper::Selector::parse(&format!("p#{para_anchor}")).unwrap();
    let landed: String = document
        .select(&landing)
        .next()
        .expect("the paragraph carries the anchor")
        .text()
        .collect();
    assert_eq!(landed, "The paragraph the links point at.");

    if let Some(errors) = support::vnu::errors_in(&public, "links") {
        assert!(errors.is_empty(), "{errors:#?}");
    }
}
