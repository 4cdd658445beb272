//! XSS corpus: hostile text, titles, captions, code languages, equations, table cells, property
//! values and URLs. The output is parsed with `scraper` and must contain nothing executable.

use super::sample::{block, kitchen_sink_assets, kitchen_sink_links, link, mention, styled, text};
use crate::notion::model::Block;
use crate::render::view::{PageView, SiteContext, TagView, page_context};
use crate::render::{LinkView, PageInfo, RenderContext, Templates, UnderBase, render_page};
use scraper::{Html, Selector};
use serde_json::{Value, json};

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'><svg onload=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    "]]><script>alert(1)</script>",
    "{{ 7*7 }}{% raw %}",
    "<iframe src=javascript:alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    "<style>*{x:expression(alert(1))}</style>",
];

const BAD_URLS: &[&str] = &[
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\nscript:alert(1)",
    "java\tscript:alert(1)",
    "\u{1}javascript:alert(1)",
    "javascript&colon;alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
    "javascript&#58;alert(1)",
    "java&Tab;script&colon;alert(1)",
    "javascript%3Aalert(1)",
    "javascript:alert(1)//https://example.org",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    " DATA:image/svg+xml,<svg onload=alert(1)>",
    "https://example.org/\"onmouseover=\"alert(1)",
    "https://example.org/'><script>alert(1)</script>",
    "https://example.org/ onerror=alert(1)",
    "file:///etc/passwd",
];

fn hostile_blocks() -> Vec<Value> {
    let mut blocks = Vec::new();
    let mut id = 0u32;
    let mut next = || {
        id += 1;
        id
    };
    for payload in PAYLOADS {
        let runs = json!([
            text(payload),
            styled(payload, json!({"bold":true,"code":true,"color":payload})),
            mention(
                json!({"type":"user","user":{"object":"user","id":"u","name":payload}}),
                payload
            ),
            mention(
                json!({"type":"link_mention","link_mention":{"href":"https://example.org/","title":payload}}),
                payload
            ),
            mention(
                json!({"type":"custom_emoji","custom_emoji":{"id":"e","name":payload,"url":"https://example.org/e.png"}}),
                payload
            ),
            mention(json!({"type":"date","date":{"start":payload}}), payload),
            mention(json!({"type":"page","page":{"id":payload}}), payload),
        ]);
        blocks.push(block(
            next(),
            "paragraph",
            json!({"rich_text":runs,"color":payload}),
            vec![],
        ));
        blocks.push(block(
            next(),
            "heading_1",
            json!({"rich_text":[text(payload)],"color":"default","is_toggleable":false}),
            vec![],
        ));
        blocks.push(block(
            next(),
            "code",
            json!({"rich_text":[text(payload)],"caption":[text(payload)],"language":payload}),
            vec![],
        ));
        blocks.push(block(
            next(),
            "code",
            json!({"rich_text":[text(payload)],"caption":[],"language":"html"}),
            vec![],
        ));
        blocks.push(block(
            next(),
            "equation",
            json!({"expression":payload}),
            vec![],
        ));
        blocks.push(block(
            next(),
            "equation",
            json!({"expression":format!("\\text{{{payload}}}")}),
            vec![],
        ));
        blocks.push(block(next(), "callout", json!({"rich_text":[text(payload)],"icon":{"type":"emoji","emoji":payload},"color":payload}), vec![]));
        blocks.push(block(next(), "image", json!({"type":"external","external":{"url":"https://example.org/i.png"},"caption":[text(payload)]}), vec![]));
        blocks.push(block(next(), "file", json!({"type":"external","external":{"url":"https://example.org/f"},"caption":[text(payload)],"name":payload}), vec![]));
        blocks.push(block(
            next(),
            "child_page",
            json!({"title":payload}),
            vec![],
        ));
        blocks.push(block(
            next(),
            "child_database",
            json!({"title":payload}),
            vec![],
        ));
        blocks.push(block(
            next(),
            "unsupported",
            json!({"block_type":payload}),
            vec![],
        ));
        blocks.push(block(next(), payload, json!({}), vec![]));
        blocks.push(block(
            next(),
            "table",
            json!({"table_width":2,"has_column_header":true,"has_row_header":true}),
            vec![
                block(
                    next(),
                    "table_row",
                    json!({"cells":[[text(payload)],[text(payload)]]}),
                    vec![],
                ),
                block(
                    next(),
                    "table_row",
                    json!({"cells":[[text(payload)],[link(payload, "javascript:alert(1)")]]}),
                    vec![],
                ),
            ],
        ));
        blocks.push(block(
            next(),
            "toggle",
            json!({"rich_text":[text(payload)],"color":"default"}),
            vec![],
        ));
        blocks.push(block(
            next(),
            "to_do",
            json!({"rich_text":[text(payload)],"checked":true,"color":payload}),
            vec![],
        ));
        blocks.push(block(
            next(),
            "numbered_list_item",
            json!({"rich_text":[text(payload)],"color":"default","list_format":payload}),
            vec![],
        ));
    }
    for url in BAD_URLS {
        blocks.push(block(
            next(),
            "paragraph",
            json!({"rich_text":[link("click", url)],"color":"default"}),
            vec![],
        ));
        blocks.push(block(next(), "paragraph", json!({"rich_text":[mention(json!({"type":"link_preview","link_preview":{"url":url}}), url), mention(json!({"type":"link_mention","link_mention":{"href":url}}), url), mention(json!({"type":"custom_emoji","custom_emoji":{"id":"e","name":"e","url":url}}), "e")],"color":"default"}), vec![]));
        for kind in ["image", "video", "audio", "pdf", "file"] {
            blocks.push(block(
                next(),
                kind,
                json!({"type":"external","external":{"url":url},"caption":[]}),
                vec![],
            ));
        }
        blocks.push(block(
            next(),
            "bookmark",
            json!({"url":url,"caption":[]}),
            vec![],
        ));
        blocks.push(block(
            next(),
            "embed",
            json!({"url":url,"caption":[]}),
            vec![],
        ));
        blocks.push(block(next(), "link_preview", json!({"url":url}), vec![]));
        blocks.push(block(next(), "callout", json!({"rich_text":[],"icon":{"type":"external","external":{"url":url}},"color":"default"}), vec![]));
    }
    blocks.push(block(next(), "breadcrumb", json!({}), vec![]));
    blocks.push(block(
        next(),
        "table_of_contents",
        json!({"color":"default"}),
        vec![],
    ));
    blocks
}

/// Whether a URL attribute value would run code (after the browser's own normalisation).
fn is_dangerous_url(value: &str) -> bool {
    let squeezed: String = value
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:", "file:"]
        .iter()
        .any(|s| squeezed.starts_with(s))
}

fn assert_nothing_executable(html: &str, allowed_scripts: usize) {
    let doc = Html::parse_document(html);
    let scripts = doc.select(&Selector::parse("script").unwrap()).count();
    assert_eq!(scripts, allowed_scripts, "a <script> element got through");
    for tag in [
        "base",
        "embed",
        "form",
        "style",
        "textarea",
        "svg",
        "frame",
        "frameset",
        "meta[http-equiv]",
    ] {
        let found = doc.select(&Selector::parse(tag).unwrap()).count();
        // The only <meta http-equiv> / <style> would be the template's own; it has none.
        assert_eq!(found, 0, "<{tag}> element got through");
    }
    let all = Selector::parse("*").unwrap();
    for element in doc.select(&all) {
        for (name, value) in element.value().attrs() {
            assert!(
                !name.to_ascii_lowercase().starts_with("on"),
                "event handler attribute {name}={value:?} on <{}>",
                element.value().name()
            );
            if matches!(
                name,
                "href"
                    | "src"
                    | "data"
                    | "action"
                    | "formaction"
                    | "poster"
                    | "xlink:href"
                    | "background"
            ) {
                assert!(!is_dangerous_url(value), "dangerous URL {name}={value:?}");
            }
            if name == "srcset" {
                for candidate in value.split(',') {
                    assert!(!is_dangerous_url(candidate), "dangerous srcset {value:?}");
                }
            }
            if name == "style" {
                assert!(
                    !value.contains("url(") && !value.contains("expression"),
                    "style {value:?}"
                );
            }
        }
    }
    for frame in doc.select(&Selector::parse("iframe").unwrap()) {
        let src = frame.value().attr("src").unwrap_or_default();
        let host = url::Url::parse(src)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned));
        assert!(src.starts_with("https://"), "iframe src {src:?}");
        assert!(
            matches!(
                host.as_deref(),
                Some(
                    "www.youtube-nocookie.com"
                        | "player.vimeo.com"
                        | "open.spotify.com"
                        | "codepen.io"
                        | "www.loom.com"
                )
            ),
            "iframe from a host outside the allow-list: {src:?}"
        );
        assert!(
            frame.value().attr("sandbox").is_some(),
            "unsandboxed iframe"
        );
    }
    for object in doc.select(&Selector::parse("object").unwrap()) {
        let data = object.value().attr("data").unwrap_or_default();
        assert!(data.starts_with("/"), "object data {data:?}");
    }
}

fn render_hostile() -> (String, usize) {
    let blocks: Vec<Block> = hostile_blocks().iter().map(Block::from_value).collect();
    let assets = kitchen_sink_assets();
    let links = kitchen_sink_links();
    let page = PageInfo {
        id: "x".into(),
        title: PAYLOADS.concat(),
        url: "/blog/x/".into(),
        ancestors: PAYLOADS
            .iter()
            .map(|p| LinkView {
                title: (*p).into(),
                url: "javascript:alert(1)".into(),
            })
            .collect(),
    };
    let ctx = RenderContext::new(&assets, &UnderBase("/blog"), &links, page);
    let rendered = render_page(&blocks, &ctx);
    (rendered.html, rendered.warnings.len())
}

#[test]
fn hostile_content_renders_nothing_executable() {
    let (html, warnings) = render_hostile();
    assert!(warnings > 0);
    assert_nothing_executable(&html, 0);
    // The text is shown, escaped, not dropped.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // Comments from unknown types cannot be closed early.
    for comment in html.split("<!--").skip(1) {
        let body = comment.split("-->").next().unwrap();
        assert!(
            !body.contains('<') && !body.contains('>'),
            "comment {body:?}"
        );
    }
}

#[test]
fn hostile_page_through_the_templates_renders_nothing_executable() {
    let (content, _) = render_hostile();
    let mut site = SiteContext::new(PAYLOADS[0], "https://example.org/blog");
    site.description = Some(PAYLOADS[1].into());
    site.nav = vec![LinkView {
        title: PAYLOADS[2].into(),
        url: "/blog/about/".into(),
    }];
    let page = PageView {
        title: PAYLOADS.concat(),
        url: "/blog/x/".into(),
        permalink: "https://example.org/blog/x/".into(),
        description: Some(PAYLOADS.concat()),
        tags: PAYLOADS
            .iter()
            .map(|p| TagView::new(p, "t", "/blog/tags/t/", 1))
            .collect(),
        content,
        date: Some("2026-01-02".into()),
        is_post: true,
        reading_minutes: 1,
        ..PageView::default()
    };
    let out = Templates::builtin()
        .render("post.html", &page_context(&site, &page))
        .unwrap();
    if let Some(dir) = std::env::var_os("NOTION_BAKE_XSS_OUT") {
        // Kept for inspection (e.g. with the Nu HTML Checker).
        std::fs::write(std::path::Path::new(&dir).join("hostile.html"), &out).unwrap();
    }
    assert_nothing_executable(&out, 0);
    assert!(
        out.contains("{{ 7*7 }}"),
        "template syntax in data must stay literal"
    );
    assert!(!out.contains("<title></title><script>"));
}

#[test]
fn dangerous_url_check_catches_obfuscations() {
    for url in BAD_URLS
        .iter()
        .filter(|u| !u.starts_with("https") && !u.contains(['&', '%']))
    {
        assert!(is_dangerous_url(url), "{url:?}");
    }
}

/// The Markdown export's flavor for these tests: islands and links as they are.
struct PlainFlavor;

impl crate::export::markdown::Flavor for PlainFlavor {
    fn island(&self, _kind: &str, html: &str) -> String {
        format!("\n{html}\n")
    }
    fn inline(&self, html: &str) -> String {
        html.to_owned()
    }
    fn page_link(&self, path: &str) -> String {
        path.to_owned()
    }
}

/// The hostile page exported as Markdown, then rendered by a CommonMark renderer with no link
/// filter of its own (pulldown-cmark decodes entities in link destinations, as the spec says):
/// nothing executable, entity-encoded `javascript&colon;` links included.
#[test]
fn hostile_content_exported_as_markdown_renders_nothing_executable() {
    let blocks: Vec<Block> = hostile_blocks().iter().map(Block::from_value).collect();
    let assets = kitchen_sink_assets();
    let links = kitchen_sink_links();
    let page = PageInfo {
        id: "x".into(),
        title: "x".into(),
        url: "/blog/x/".into(),
        ancestors: Vec::new(),
    };
    let ctx = RenderContext::new(&assets, &UnderBase("/blog"), &links, page);
    let markdown = crate::export::markdown::page_markdown(&blocks, &ctx, &PlainFlavor);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&markdown));
    assert_nothing_executable(&html, 0);
    // Each bad URL's paragraph still shows its text.
    assert!(html.matches("click").count() >= BAD_URLS.len());
}
