//! Templates: fallback order (site → theme → built-in), errors that name template and line, the
//! list pages, feed and sitemap.

use std::fs;

use super::sample::render_sample_site;
use crate::render::Templates;
use crate::render::templates::theme_static_files;
use crate::render::view::{
    ListView, PageView, Pagination, SiteContext, SitemapEntry, feed_context, list_context,
    page_context, site_context, sitemap_context,
};

fn site() -> SiteContext {
    SiteContext::new("Field & Notes", "https://example.org/blog")
}

fn post(title: &str) -> PageView {
    PageView {
        title: title.into(),
        url: "/blog/posts/a/".into(),
        permalink: "https://example.org/blog/posts/a/".into(),
        date: Some("2026-03-01".into()),
        content: "<p>Hi & bye</p>".into(),
        reading_minutes: 1,
        is_post: true,
        ..PageView::default()
    }
}

#[test]
fn builtin_templates_work_without_any_files() {
    let dir = tempfile::tempdir().unwrap();
    let templates = Templates::load(dir.path(), "default").unwrap();
    let out = templates
        .render("post.html", &page_context(&site(), &post("Hello")))
        .unwrap();
    assert!(
        out.contains("<title>Hello · Field &amp; Notes</title>"),
        "{out}"
    );
    assert!(
        out.contains("<link rel=\"stylesheet\" href=\"/blog/static/style.css\">"),
        "{out}"
    );
    assert!(
        out.contains("<p>Hi & bye</p>"),
        "content is inserted as HTML: {out}"
    );
    assert!(
        out.contains("<time datetime=\"2026-03-01\">March 1, 2026</time>"),
        "{out}"
    );
    assert_eq!(templates.origin("post.html"), Some("built-in post.html"));
}

#[test]
fn site_templates_override_theme_templates_which_override_builtins() {
    let dir = tempfile::tempdir().unwrap();
    let theme = dir.path().join("themes/mine");
    fs::create_dir_all(theme.join("templates")).unwrap();
    fs::create_dir_all(theme.join("static/fonts")).unwrap();
    fs::write(theme.join("static/style.css"), "body{}").unwrap();
    fs::write(theme.join("static/fonts/a.woff2"), b"\0font").unwrap();
    fs::write(
        theme.join("templates/page.html"),
        "theme page {{ page.title }}",
    )
    .unwrap();
    fs::write(theme.join("templates/404.html"), "theme 404").unwrap();
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    fs::write(
        dir.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}site 404{% endblock content %}",
    )
    .unwrap();

    let templates = Templates::load(dir.path(), "mine").unwrap();
    assert_eq!(
        templates
            .render("page.html", &page_context(&site(), &post("T")))
            .unwrap(),
        "theme page T"
    );
    let not_found = templates
        .render("404.html", &site_context(&site()))
        .unwrap();
    assert!(
        not_found.contains("site 404") && not_found.contains("<!DOCTYPE html>"),
        "{not_found}"
    );
    // post.html is still the built-in one.
    assert!(
        templates
            .origin("post.html")
            .unwrap()
            .starts_with("built-in")
    );

    let files = theme_static_files(dir.path(), "mine").unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(names, ["fonts/a.woff2", "style.css"]);
    let builtin = theme_static_files(dir.path(), "default").unwrap();
    assert_eq!(builtin[0].path, "style.css");
    assert!(
        std::str::from_utf8(&builtin[0].bytes)
            .unwrap()
            .contains(".nb-callout")
    );
}

#[test]
fn unknown_theme_is_an_error_naming_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let error = Templates::load(dir.path(), "nope").unwrap_err().to_string();
    assert!(
        error.contains("nope") && error.contains("themes"),
        "{error}"
    );
    assert!(Templates::load(dir.path(), "../etc").is_err());
}

#[test]
fn template_syntax_errors_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    fs::write(
        dir.path().join("templates/post.html"),
        "line one\nline two\n{% if %}{% endif %}\n",
    )
    .unwrap();
    let error = format!("{:#}", Templates::load(dir.path(), "default").unwrap_err());
    assert!(error.contains("templates/post.html"), "{error}");
    assert!(error.contains("--> 3:"), "line number missing: {error}");
}

#[test]
fn template_render_errors_name_the_template_and_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    fs::write(
        dir.path().join("templates/page.html"),
        "<p>ok</p>\n<p>{{ page.nonexistent_field }}</p>\n",
    )
    .unwrap();
    let templates = Templates::load(dir.path(), "default").unwrap();
    let error = templates
        .render("page.html", &page_context(&site(), &post("T")))
        .unwrap_err()
        .to_string();
    assert!(error.contains("templates/page.html"), "{error}");
    assert!(error.contains("line 2"), "{error}");
    assert!(error.contains("nonexistent_field"), "{error}");
}

#[test]
fn index_shows_cards_and_pagination() {
    let list = ListView {
        title: "Field Notes".into(),
        url: "/blog/page/2/".into(),
        permalink: "https://example.org/blog/page/2/".into(),
        pages: vec![post("First <post>"), post("Second")],
        pagination: Pagination::new(2, 3, "/blog/"),
    };
    let out = Templates::builtin()
        .render("index.html", &list_context(&site(), &list, None))
        .unwrap();
    assert!(out.contains("First &lt;post&gt;"), "{out}");
    assert!(out.contains("href=\"/blog/\" rel=\"prev\""), "{out}");
    assert!(out.contains("href=\"/blog/page/3/\" rel=\"next\""), "{out}");
    assert!(out.contains("Page 2 of 3"), "{out}");
}

#[test]
fn feed_and_sitemap_are_well_formed_xml() {
    let templates = Templates::builtin();
    let mut p = post("Tom & Jerry <3");
    p.updated = Some("2026-03-02T10:00:00Z".into());
    let feed = templates
        .render(
            "feed.xml",
            &feed_context(&site(), &[p], "2026-03-02T10:00:00Z"),
        )
        .unwrap();
    let entries = [SitemapEntry {
        loc: "https://example.org/blog/?a=1&b=2".into(),
        lastmod: Some("2026-03-02".into()),
    }];
    let sitemap = templates
        .render("sitemap.xml", &sitemap_context(&site(), &entries))
        .unwrap();
    for xml in [&feed, &sitemap] {
        let mut reader = quick_xml::Reader::from_str(xml);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("not well-formed: {e}\n{xml}"),
            }
        }
    }
    assert!(
        feed.contains("<title>Tom &amp; Jerry &lt;3</title>"),
        "{feed}"
    );
    assert!(
        feed.contains("<published>2026-03-01T00:00:00Z</published>"),
        "{feed}"
    );
    assert!(
        feed.contains("&lt;p&gt;Hi &amp; bye&lt;&#x2F;p&gt;")
            || feed.contains("&lt;p&gt;Hi &amp; bye&lt;/p&gt;"),
        "{feed}"
    );
    assert!(
        sitemap.contains("<loc>https://example.org/blog/?a=1&amp;b=2</loc>"),
        "{sitemap}"
    );
}

#[test]
fn sample_site_renders_every_page_kind() {
    let dir = tempfile::tempdir().unwrap();
    render_sample_site(dir.path(), false).unwrap();
    for file in [
        "index.html",
        "posts/kitchen-sink/index.html",
        "about/index.html",
        "tags/rust/index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "static/style.css",
    ] {
        assert!(dir.path().join(file).is_file(), "{file}");
    }
}
