//! URLs never break in `build` mode: a renamed post's old URL redirects to the new one (a page
//! and a `_redirects` line, only the new URL in the sitemap), renames in a row collapse, a post
//! that comes back is served again, an unpublished post leaves a "removed" notice (or a
//! redirect home), and `check` fails on internal links to pages not in the site. The real binary
//! against the fake Notion server.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};
use support::{FakeNotion, Workspace, blocks as b};

struct Blog {
    server: FakeNotion,
    site: tempfile::TempDir,
    database: String,
    hello: String,
    going: String,
}

fn blog() -> Blog {
    let mut ws = Workspace::new();
    let db = ws.add_database(
        "Notes",
        &[
            ("Published", "checkbox"),
            ("Date", "date"),
            ("Tags", "multi_select"),
            ("Slug", "rich_text"),
        ],
    );
    let hello = ws.add_row(
        &db,
        json!({"Name": "Hello", "Published": true, "Date": "2026-03-01", "Slug": "hello", "Tags": ["Lakes"]}),
        vec![b::paragraph("Hello there.")],
    );
    let going = ws.add_row(
        &db,
        json!({"Name": "Going soon", "Published": true, "Date": "2026-04-01", "Slug": "going"}),
        vec![b::paragraph("Not for long.")],
    );
    ws.add_row(
        &db,
        json!({"Name": "Staying", "Published": true, "Date": "2026-05-01", "Slug": "staying"}),
        vec![b::paragraph("Here to stay.")],
    );
    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    write_config(site.path(), &db.database_id, "");
    Blog {
        server,
        site,
        database: db.database_id.clone(),
        hello,
        going,
    }
}

fn write_config(site: &Path, database: &str, extra: &str) {
    std::fs::write(
        site.join("notion-bake.toml"),
        format!(
            r#"title = "Notes"
base_url = "https://example.org/blog"
{extra}
[notion]
requests_per_second = 500
[blog]
database = "{database}"
"#
        ),
    )
    .unwrap();
}

fn run(command: &str, site: &Path, server: Option<&FakeNotion>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_notion-bake"));
    cmd.arg(command)
        .arg(site)
        .env_remove("RUST_LOG")
        .env_remove("NOTION_TOKEN");
    if let Some(server) = server {
        cmd.env("NOTION_TOKEN", server.token())
            .env("NOTION_API_URL", server.url());
    }
    cmd.output().unwrap()
}

fn build(blog: &Blog) {
    let output = run("build", blog.site.path(), Some(&blog.server));
    assert!(
        output.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn read(blog: &Blog, path: &str) -> String {
    let file = blog.site.path().join("public").join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn set_slug(blog: &Blog, page: &str, slug: &str) {
    blog.server.edit_page(page, |p| {
        p["properties"]["Slug"]["rich_text"] = json!([
            {"type": "text", "text": {"content": slug, "link": null}, "plain_text": slug,
             "annotations": {"bold": false, "italic": false, "strikethrough": false,
                             "underline": false, "code": false, "color": "default"}}
        ]);
    });
}

fn set_published(blog: &Blog, page: &str, published: bool) {
    blog.server.edit_page(page, |p: &mut Value| {
        p["properties"]["Published"]["checkbox"] = json!(published);
    });
}

/// Asserts that the page at `from` redirects to `to` (both under `/blog/`) the way a browser
/// without script and a crawler both follow.
fn assert_redirects(blog: &Blog, from: &str, to: &str) {
    let html = read(blog, &format!("{from}index.html"));
    let document = scraper::Html::parse_document(&html);
    let one = |selector: &str, attr: &str| -> String {
        let selector = scraper::Selector::parse(selector).unwrap();
        document
            .select(&selector)
            .next()
            .and_then(|e| e.value().attr(attr))
            .unwrap_or_else(|| panic!("{from}: no {selector:?}:\n{html}"))
            .to_owned()
    };
    assert_eq!(
        one("meta[http-equiv=refresh]", "content"),
        format!("0; url=/blog/{to}"),
        "{from}"
    );
    assert_eq!(
        one("link[rel=canonical]", "href"),
        format!("https://example.org/blog/{to}")
    );
    assert_eq!(one("body a", "href"), format!("/blog/{to}"));
    assert_eq!(one("meta[name=robots]", "content"), "noindex");
    assert!(!html.contains("<script"), "{html}");
    let rules = read(blog, "_redirects");
    assert!(
        rules
            .lines()
            .any(|l| l == format!("/blog/{from} /blog/{to} 301")),
        "{rules}"
    );
}

fn sitemap_has(blog: &Blog, path: &str) -> bool {
    read(blog, "sitemap.xml").contains(&format!("<loc>https://example.org/blog/{path}</loc>"))
}

#[test]
fn renamed_posts_redirect_removed_posts_leave_a_notice_and_returning_posts_are_served() {
    let blog = blog();
    build(&blog);
    assert!(read(&blog, "posts/hello/index.html").contains("Hello there."));
    assert!(
        !blog.site.path().join("public/_redirects").exists(),
        "nothing moved yet"
    );

    // A slug renamed in Notion: the old URL redirects; the sitemap lists only the new one.
    set_slug(&blog, &blog.hello, "hello-again");
    build(&blog);
    assert!(read(&blog, "posts/hello-again/index.html").contains("Hello there."));
    assert_redirects(&blog, "posts/hello/", "posts/hello-again/");
    assert!(sitemap_has(&blog, "posts/hello-again/"));
    assert!(!sitemap_has(&blog, "posts/hello/"));

    // Renamed again: both old URLs point at the newest (no chain of redirects).
    set_slug(&blog, &blog.hello, "hello-third");
    build(&blog);
    assert_redirects(&blog, "posts/hello/", "posts/hello-third/");
    assert_redirects(&blog, "posts/hello-again/", "posts/hello-third/");

    // An unpublished post: a notice kept out of search engines, not in the sitemap.
    set_published(&blog, &blog.going, false);
    build(&blog);
    let notice = read(&blog, "posts/going/index.html");
    assert!(notice.contains("This page was removed"), "{notice}");
    assert!(notice.contains("Going soon"), "{notice}");
    assert!(
        notice.contains(r#"<meta name="robots" content="noindex">"#),
        "{notice}"
    );
    assert!(!notice.contains("Not for long."), "the content is gone");
    assert!(!sitemap_has(&blog, "posts/going/"));
    assert!(!read(&blog, "_redirects").contains("/blog/posts/going/"));
    // An unchanged rebuild keeps every old URL working.
    build(&blog);
    assert_redirects(&blog, "posts/hello/", "posts/hello-third/");
    assert!(read(&blog, "posts/going/index.html").contains("This page was removed"));

    // The original slug back: that URL is the post again, the others redirect to it.
    set_slug(&blog, &blog.hello, "hello");
    set_published(&blog, &blog.going, true);
    build(&blog);
    let hello = read(&blog, "posts/hello/index.html");
    assert!(hello.contains("Hello there."), "{hello}");
    assert!(!hello.contains("http-equiv"), "{hello}");
    assert!(sitemap_has(&blog, "posts/hello/"));
    assert_redirects(&blog, "posts/hello-again/", "posts/hello/");
    assert_redirects(&blog, "posts/hello-third/", "posts/hello/");
    assert!(read(&blog, "posts/going/index.html").contains("Not for long."));
    assert!(
        !read(&blog, "_redirects")
            .lines()
            .any(|l| l.starts_with("/blog/posts/hello/ ")),
        "a live URL never redirects"
    );

    // Everything written is valid HTML, and `check` is happy with it.
    let check = run("check", blog.site.path(), None);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    if let Some(errors) = support::vnu::errors_in(&blog.site.path().join("public"), "redirects") {
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn removed_pages_may_redirect_home_and_check_fails_on_links_to_pages_not_in_the_site() {
    let blog = blog();
    build(&blog);
    set_published(&blog, &blog.going, false);
    let database = blog.database.clone();
    write_config(blog.site.path(), &database, r#"removed_pages = "redirect""#);
    build(&blog);
    let html = read(&blog, "posts/going/index.html");
    assert!(html.contains(r#"content="0; url=/blog/""#), "{html}");
    let rules = read(&blog, "_redirects");
    let lines: Vec<&str> = rules.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines, ["/blog/posts/going/ /blog/ 301"]);

    // A Markdown page linking to the removed post and to a page that never existed.
    write_config(blog.site.path(), &database, "");
    let content = blog.site.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("links.md"),
        "+++\ntitle = \"Links\"\n+++\n\n[gone](/blog/posts/going/) and [never](/blog/posts/never/) and [fine](/blog/posts/hello/)\n",
    )
    .unwrap();
    build(&blog);
    let check = run("check", blog.site.path(), None);
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(!check.status.success(), "{stdout}");
    let problems: Vec<&str> = stdout.lines().filter(|l| l.starts_with('✗')).collect();
    assert!(
        problems.iter().any(|l| l.contains("links/index.html")
            && l.contains("\"/blog/posts/going/\"")
            && l.contains("no longer in the site")),
        "{stdout}"
    );
    assert!(
        problems
            .iter()
            .any(|l| l.contains("\"/blog/posts/never/\"") && l.contains("broken link")),
        "{stdout}"
    );
    assert!(!stdout.contains("\"/blog/posts/hello/\""), "{stdout}");
}

#[test]
fn a_preview_remembers_no_urls_so_slugs_typed_meanwhile_leave_no_redirects() {
    let blog = blog();
    build(&blog);
    // `serve` rebuilds as the author types a new slug: "hel" on the way to "hello-again".
    set_slug(&blog, &blog.hello, "hel");
    let (token, url) = (blog.server.token().to_owned(), blog.server.url());
    let env = move |key: &str| match key {
        "NOTION_TOKEN" => Some(token.clone()),
        "NOTION_API_URL" => Some(url.clone()),
        _ => None,
    };
    let config = notion_bake::config::SiteConfig::load_with_env(blog.site.path(), &env).unwrap();
    let preview = blog.site.path().join("preview");
    let options = notion_bake::pipeline::BuildOptions {
        out: Some(preview.clone()),
        preview: true,
        ..Default::default()
    };
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(notion_bake::pipeline::build(
            &config,
            &options,
            &Default::default(),
        ))
        .unwrap();
    assert!(preview.join("posts/hel/index.html").is_file());
    // The preview still shows the redirects the published site has.
    assert!(
        std::fs::read_to_string(preview.join("posts/hello/index.html"))
            .unwrap()
            .contains("http-equiv")
    );

    set_slug(&blog, &blog.hello, "hello-again");
    build(&blog);
    assert_redirects(&blog, "posts/hello/", "posts/hello-again/");
    assert!(
        !blog.site.path().join("public/posts/hel").exists(),
        "a slug only the preview saw is not an old URL"
    );
}
