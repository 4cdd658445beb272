//! Rich text: annotations, colors, links, inline equations and every mention type.

use super::sample::{
    inline_equation, kitchen_sink_assets, kitchen_sink_links, kitchen_sink_page, link, mention,
    styled, text,
};
use crate::notion::model::RichText;
use crate::render::{RenderContext, UnderBase, Warning, render_rich_text};
use serde_json::{Value, json};

fn render(runs: Vec<Value>) -> (String, Vec<Warning>) {
    let runs: Vec<RichText> = serde_json::from_value(Value::Array(runs)).unwrap();
    let assets = kitchen_sink_assets();
    let links = kitchen_sink_links();
    let ctx = RenderContext::new(
        &assets,
        &UnderBase("/blog"),
        &links,
        kitchen_sink_page("/blog"),
    );
    let html = render_rich_text(&runs, &ctx);
    (html, ctx.take_warnings())
}

fn html(runs: Vec<Value>) -> String {
    let (html, warnings) = render(runs);
    assert!(warnings.is_empty(), "{warnings:?}");
    html
}

#[test]
fn annotations_nest_in_a_fixed_order() {
    assert_eq!(
        html(vec![styled("x", json!({"bold":true}))]),
        "<strong>x</strong>"
    );
    assert_eq!(
        html(vec![styled("x", json!({"italic":true}))]),
        "<em>x</em>"
    );
    assert_eq!(
        html(vec![styled("x", json!({"strikethrough":true}))]),
        "<s>x</s>"
    );
    assert_eq!(
        html(vec![styled("x", json!({"underline":true}))]),
        "<u>x</u>"
    );
    assert_eq!(
        html(vec![styled("<x>", json!({"code":true}))]),
        "<code>&lt;x&gt;</code>"
    );
    assert_eq!(
        html(vec![styled(
            "x",
            json!({"bold":true,"italic":true,"strikethrough":true,"underline":true,"code":true,"color":"green"})
        )]),
        "<span class=\"nb-color-green\"><strong><em><s><u><code>x</code></u></s></em></strong></span>"
    );
}

#[test]
fn every_color_has_a_class() {
    for c in [
        "gray", "brown", "orange", "yellow", "green", "blue", "purple", "pink", "red",
    ] {
        assert_eq!(
            html(vec![styled("x", json!({"color":c}))]),
            format!("<span class=\"nb-color-{c}\">x</span>")
        );
        assert_eq!(
            html(vec![styled(
                "x",
                json!({"color":format!("{c}_background")})
            )]),
            format!("<span class=\"nb-bg-{c}\">x</span>")
        );
    }
    assert_eq!(html(vec![styled("x", json!({"color":"default"}))]), "x");
    assert_eq!(
        html(vec![styled("x", json!({"color":"magenta\"><script>"}))]),
        "x"
    );
}

#[test]
fn line_breaks_and_escaping() {
    assert_eq!(html(vec![text("a\nb & <c>")]), "a<br>b &amp; &lt;c&gt;");
}

#[test]
fn links_external_internal_and_private() {
    assert_eq!(
        html(vec![link("x", "https://example.org/?a=1&b=2")]),
        "<a href=\"https://example.org/?a=1&amp;b=2\">x</a>"
    );
    assert_eq!(
        html(vec![link("x", "mailto:me@example.org")]),
        "<a href=\"mailto:me@example.org\">x</a>"
    );
    assert_eq!(html(vec![link("x", "#intro")]), "<a href=\"#intro\">x</a>");
    assert_eq!(
        html(vec![link(
            "x",
            "https://www.notion.so/acme/Another-c01166c613ae45cbb96818b4ef2f5a77?pvs=4"
        )]),
        "<a href=\"/blog/about/another/\">x</a>"
    );
    let (out, warnings) = render(vec![link(
        "secret",
        "https://www.notion.so/99999999999999999999999999999999",
    )]);
    assert_eq!(out, "secret");
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].message.contains("not part of the site"),
        "{warnings:?}"
    );
}

#[test]
fn inline_equations_are_mathml() {
    let out = html(vec![inline_equation("E = mc^2")]);
    assert!(
        out.starts_with("<span class=\"nb-math\"><math display=\"inline\">"),
        "{out}"
    );
    let (bad, warnings) = render(vec![inline_equation("\\sqrt{")]);
    assert_eq!(bad, "<code class=\"nb-math-error\">\\sqrt{</code>");
    assert_eq!(warnings.len(), 1);
}

#[test]
fn page_mentions_link_into_the_site_or_are_plain_text() {
    assert_eq!(
        html(vec![mention(
            json!({"type":"page","page":{"id":"c01166c6-13ae-45cb-b968-18b4ef2f5a77"}}),
            "Old title"
        )]),
        "<a href=\"/blog/about/another/\" class=\"nb-mention nb-mention-page\">Another page</a>"
    );
    let (out, warnings) = render(vec![mention(
        json!({"type":"page","page":{"id":"99999999-9999-9999-9999-999999999999"}}),
        "Secret",
    )]);
    assert_eq!(
        out,
        "<span class=\"nb-mention nb-mention-private\">Secret</span>"
    );
    assert_eq!(warnings.len(), 1);
}

#[test]
fn date_user_template_and_link_mentions() {
    assert_eq!(
        html(vec![mention(
            json!({"type":"date","date":{"start":"2026-03-01","end":null}}),
            "March 1, 2026"
        )]),
        "<span class=\"nb-mention nb-mention-date\"><time datetime=\"2026-03-01\">March 1, 2026</time></span>"
    );
    assert_eq!(
        html(vec![mention(
            json!({"type":"date","date":{"start":"2026-03-01T10:00:00.000+09:00","end":"2026-03-02"}}),
            ""
        )]),
        "<span class=\"nb-mention nb-mention-date\"><time datetime=\"2026-03-01T10:00:00.000+09:00\">2026-03-01T10:00:00.000+09:00</time> → <time datetime=\"2026-03-02\">2026-03-02</time></span>"
    );
    assert_eq!(
        html(vec![mention(
            json!({"type":"date","date":{"start":"not a date"}}),
            "soon"
        )]),
        "<span class=\"nb-mention nb-mention-date\">soon</span>"
    );
    assert_eq!(
        html(vec![mention(
            json!({"type":"user","user":{"object":"user","id":"u","name":"Ada"}}),
            "@Ada"
        )]),
        "<span class=\"nb-mention nb-mention-user\">@Ada</span>"
    );
    assert_eq!(
        html(vec![mention(
            json!({"type":"template_mention","template_mention":{"type":"template_mention_user","template_mention_user":"me"}}),
            "@Me"
        )]),
        "<span class=\"nb-mention nb-mention-template\">@Me</span>"
    );
    assert_eq!(
        html(vec![mention(
            json!({"type":"link_mention","link_mention":{"href":"https://github.com/a/b","title":"a/b"}}),
            "https://github.com/a/b"
        )]),
        "<a href=\"https://github.com/a/b\" class=\"nb-mention nb-mention-link\">a/b</a>"
    );
    assert_eq!(
        html(vec![mention(
            json!({"type":"link_preview","link_preview":{"url":"https://x.org/y"}}),
            "https://x.org/y"
        )]),
        "<a href=\"https://x.org/y\" class=\"nb-mention nb-mention-link\">https://x.org/y</a>"
    );
}

#[test]
fn custom_emoji_is_an_inline_image_with_its_public_url() {
    assert_eq!(
        html(vec![mention(
            json!({"type":"custom_emoji","custom_emoji":{"id":"1","name":"bufo","url":"https://s3-us-west-2.amazonaws.com/public.notion-static.com/865e/bufo.png"}}),
            ":bufo:"
        )]),
        "<img class=\"nb-emoji\" src=\"https://s3-us-west-2.amazonaws.com/public.notion-static.com/865e/bufo.png\" alt=\":bufo:\" width=\"20\" height=\"20\" loading=\"lazy\" decoding=\"async\">"
    );
}

#[test]
fn unknown_mentions_and_runs_show_their_plain_text() {
    assert_eq!(
        html(vec![mention(
            json!({"type":"hologram","hologram":{}}),
            "<x>"
        )]),
        "<span class=\"nb-mention\">&lt;x&gt;</span>"
    );
}

/// A workspace's custom emoji lives at a public URL that never expires: it is kept as is.
#[test]
fn custom_emoji_keep_their_public_url() {
    let out = html(vec![mention(
        json!({"type":"custom_emoji","custom_emoji":{"id":"1","name":"bufo","url":"https://s3-us-west-2.amazonaws.com/public.notion-static.com/865e85fc/bufo.png"}}),
        ":bufo:",
    )]);
    assert!(
        out.contains(
            "src=\"https://s3-us-west-2.amazonaws.com/public.notion-static.com/865e85fc/bufo.png\""
        ),
        "{out}"
    );
}
