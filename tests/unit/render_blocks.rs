//! Per-block HTML: every block type Notion has, list grouping, colors and media.

use super::sample::{
    PHOTO_URL, block, kitchen_sink_assets, kitchen_sink_links, kitchen_sink_page, link, styled,
    text, text_block,
};
use crate::assets::AssetMap;
use crate::notion::model::Block;
use crate::render::{PageInfo, RenderContext, UnderBase, Warning, render_page};
use crate::site::LinkMap;
use serde_json::{Value, json};

fn render_with(
    blocks: Vec<Value>,
    assets: &AssetMap,
    links: &LinkMap,
    page: PageInfo,
) -> (String, Vec<Warning>) {
    let blocks: Vec<Block> = blocks.iter().map(Block::from_value).collect();
    let mut ctx = RenderContext::new(assets, &UnderBase("/blog"), links, page);
    // The block anchors have tests of their own (below); the others read clearer without.
    ctx.block_anchors = false;
    let page = render_page(&blocks, &ctx);
    (page.html, page.warnings)
}

/// Renders with block anchors on, as the HTML site does.
fn html_with_anchors(blocks: Vec<Value>) -> String {
    let blocks: Vec<Block> = blocks.iter().map(Block::from_value).collect();
    let (assets, links) = (kitchen_sink_assets(), kitchen_sink_links());
    let ctx = RenderContext::new(
        &assets,
        &UnderBase("/blog"),
        &links,
        kitchen_sink_page("/blog"),
    );
    let page = render_page(&blocks, &ctx);
    assert!(page.warnings.is_empty(), "{:?}", page.warnings);
    page.html
}

#[test]
fn every_block_carries_its_notion_id_as_an_anchor_once() {
    let anchor = |n: u32| format!("b-b{n:031x}");
    let out = html_with_anchors(vec![
        para(vec![text("Hello")]),
        heading(2, 2, "Intro", false, vec![]),
        heading(3, 2, "Folded", true, vec![]),
        text_block(4, "bulleted_list_item", vec![text("a")], vec![]),
        text_block(5, "bulleted_list_item", vec![text("b")], vec![]),
        block(6, "divider", json!({}), vec![]),
        // A synced copy shows blocks with the original's ids: the second showing gets none.
        block(
            7,
            "synced_block",
            json!({"synced_from": null}),
            vec![para(vec![text("x")])],
        ),
    ]);
    assert!(
        out.starts_with(&format!("<p id=\"{}\" class=\"nb-p\">Hello</p>", anchor(1))),
        "{out}"
    );
    // A heading keeps its readable id and carries the block's anchor inside.
    assert!(
        out.contains(&format!(
            "<h2 id=\"intro\" class=\"nb-h nb-h2\"><span class=\"nb-block-anchor\" id=\"{}\"></span>Intro",
            anchor(2)
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("<details id=\"{}\"", anchor(3))),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "<li id=\"{}\">a</li><li id=\"{}\">b</li>",
            anchor(4),
            anchor(5)
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("<hr id=\"{}\" class=\"nb-divider\">", anchor(6))),
        "{out}"
    );
    assert_eq!(
        out.matches(&format!("id=\"{}\"", anchor(1))).count(),
        1,
        "{out}"
    );
}

fn render(blocks: Vec<Value>) -> (String, Vec<Warning>) {
    render_with(
        blocks,
        &kitchen_sink_assets(),
        &kitchen_sink_links(),
        kitchen_sink_page("/blog"),
    )
}

fn html(blocks: Vec<Value>) -> String {
    let (html, warnings) = render(blocks);
    assert!(warnings.is_empty(), "unexpected warnings: {warnings:?}");
    html
}

fn para(runs: Vec<Value>) -> Value {
    text_block(1, "paragraph", runs, vec![])
}

fn heading(id: u32, level: u8, title: &str, toggleable: bool, children: Vec<Value>) -> Value {
    block(
        id,
        &format!("heading_{level}"),
        json!({"rich_text":[text(title)],"color":"default","is_toggleable":toggleable}),
        children,
    )
}

#[test]
fn paragraph_and_empty_paragraph() {
    assert_eq!(
        html(vec![para(vec![text("Hello")])]),
        "<p class=\"nb-p\">Hello</p>"
    );
    assert_eq!(html(vec![para(vec![])]), "<p class=\"nb-blank\"></p>");
}

#[test]
fn paragraph_children_are_indented() {
    let out = html(vec![text_block(
        1,
        "paragraph",
        vec![text("a")],
        vec![text_block(2, "paragraph", vec![text("b")], vec![])],
    )]);
    assert_eq!(
        out,
        "<p class=\"nb-p\">a</p><div class=\"nb-children\"><p class=\"nb-p\">b</p></div>"
    );
}

#[test]
fn headings_map_to_h2_h5_with_unique_anchor_ids() {
    let out = html(vec![
        heading(1, 1, "Intro", false, vec![]),
        heading(2, 2, "Intro", false, vec![]),
        heading(3, 3, "Café au lait", false, vec![]),
        heading(4, 4, "Main", false, vec![]),
    ]);
    assert!(
        out.starts_with(
            "<h2 id=\"intro\" class=\"nb-h nb-h1\">Intro <a class=\"nb-anchor\" href=\"#intro\""
        ),
        "{out}"
    );
    assert!(
        out.contains("<h3 id=\"intro-2\" class=\"nb-h nb-h2\">"),
        "{out}"
    );
    assert!(out.contains("<h4 id=\"cafe-au-lait\""), "{out}");
    // `main` is the template's landmark id: headings never take it.
    assert!(out.contains("<h5 id=\"main-2\""), "{out}");
}

#[test]
fn toggleable_heading_is_details_summary() {
    // Alone on its page, a heading_2 is the page's top level: <h2>.
    let out = html(vec![heading(
        1,
        2,
        "More",
        true,
        vec![para(vec![text("inside")])],
    )]);
    assert_eq!(
        out,
        "<details class=\"nb-toggle nb-toggle-heading\" open><summary><h2 id=\"more\" class=\"nb-h nb-h2\">More</h2></summary><div class=\"nb-toggle-body\"><p class=\"nb-p\">inside</p></div></details>"
    );
}

#[test]
fn toggle_is_details_summary() {
    let out = html(vec![text_block(
        1,
        "toggle",
        vec![text("Open me")],
        vec![para(vec![text("x")])],
    )]);
    assert_eq!(
        out,
        "<details class=\"nb-toggle\"><summary>Open me</summary><div class=\"nb-toggle-body\"><p class=\"nb-p\">x</p></div></details>"
    );
}

#[test]
fn consecutive_list_items_are_grouped_and_nested() {
    let li = |id, t: &str, c| text_block(id, "bulleted_list_item", vec![text(t)], c);
    let out = html(vec![
        li(
            1,
            "a",
            vec![li(2, "a1", vec![li(3, "a1x", vec![])]), li(4, "a2", vec![])],
        ),
        li(5, "b", vec![]),
        para(vec![text("between")]),
        li(6, "c", vec![]),
    ]);
    assert_eq!(
        out,
        "<ul class=\"nb-list\"><li>a<ul class=\"nb-list\"><li>a1<ul class=\"nb-list\"><li>a1x</li></ul></li><li>a2</li></ul></li><li>b</li></ul>\
         <p class=\"nb-p\">between</p><ul class=\"nb-list\"><li>c</li></ul>"
    );
}

#[test]
fn numbered_lists_honour_start_index_and_format() {
    let first = block(
        1,
        "numbered_list_item",
        json!({"rich_text":[text("c")],"color":"default","list_start_index":3,"list_format":"letters"}),
        vec![],
    );
    let second = text_block(2, "numbered_list_item", vec![text("d")], vec![]);
    assert_eq!(
        html(vec![first, second]),
        "<ol class=\"nb-list\" start=\"3\" type=\"a\"><li>c</li><li>d</li></ol>"
    );
    let roman = block(
        1,
        "numbered_list_item",
        json!({"rich_text":[text("i")],"color":"default","list_format":"roman"}),
        vec![],
    );
    assert_eq!(
        html(vec![roman]),
        "<ol class=\"nb-list\" type=\"i\"><li>i</li></ol>"
    );
}

#[test]
fn different_list_kinds_are_separate_lists() {
    let out = html(vec![
        text_block(1, "bulleted_list_item", vec![text("a")], vec![]),
        text_block(2, "numbered_list_item", vec![text("b")], vec![]),
    ]);
    assert_eq!(
        out,
        "<ul class=\"nb-list\"><li>a</li></ul><ol class=\"nb-list\"><li>b</li></ol>"
    );
}

#[test]
fn to_dos_are_disabled_checkboxes() {
    let out = html(vec![
        block(
            1,
            "to_do",
            json!({"rich_text":[text("done")],"checked":true,"color":"default"}),
            vec![],
        ),
        block(
            2,
            "to_do",
            json!({"rich_text":[text("open")],"checked":false,"color":"default"}),
            vec![],
        ),
    ]);
    assert_eq!(
        out,
        "<ul class=\"nb-todo-list\"><li class=\"nb-todo nb-todo-checked\"><input type=\"checkbox\" disabled checked aria-label=\"Done\"> <span class=\"nb-todo-text\">done</span></li>\
         <li class=\"nb-todo\"><input type=\"checkbox\" disabled aria-label=\"Not done\"> <span class=\"nb-todo-text\">open</span></li></ul>"
    );
}

#[test]
fn quote_callout_and_divider() {
    assert_eq!(
        html(vec![text_block(1, "quote", vec![text("q")], vec![])]),
        "<blockquote class=\"nb-quote\"><p>q</p></blockquote>"
    );
    let callout = block(
        1,
        "callout",
        json!({"rich_text":[text("Note")],"icon":{"type":"emoji","emoji":"💡"},"color":"red_background"}),
        vec![],
    );
    assert_eq!(
        html(vec![callout]),
        "<div class=\"nb-callout nb-bg-red\" role=\"note\"><span class=\"nb-callout-icon\" aria-hidden=\"true\">💡</span><div class=\"nb-callout-body\"><p>Note</p></div></div>"
    );
    assert_eq!(
        html(vec![block(1, "divider", json!({}), vec![])]),
        "<hr class=\"nb-divider\">"
    );
}

#[test]
fn callout_with_a_baked_image_icon() {
    let icon = json!({"type":"file","file":{"url":"https://prod-files-secure.s3.us-west-2.amazonaws.com/space/aaaaaaaa-0000-0000-0000-000000000006/icon.png?X-Amz-Signature=new"}});
    let out = html(vec![block(
        1,
        "callout",
        json!({"rich_text":[text("x")],"icon":icon,"color":"default"}),
        vec![],
    )]);
    assert!(
        out.contains("<img class=\"nb-callout-icon\" src=\"/blog/assets/icon-0123456789ab.png\""),
        "{out}"
    );
    assert!(!out.contains("amazonaws"), "{out}");
}

#[test]
fn code_is_highlighted_with_language_and_caption() {
    let out = html(vec![block(
        1,
        "code",
        json!({"rich_text":[text("let x = \"<b>\";")],"caption":[text("main.rs")],"language":"rust"}),
        vec![],
    )]);
    assert!(out.starts_with("<figure class=\"nb-code\"><div class=\"nb-code-lang\">Rust</div><pre class=\"nb-code-block\"><code class=\"language-rust\">"), "{out}");
    assert!(out.contains("<span class=\"hl-"), "{out}");
    assert!(out.contains("&lt;b&gt;"), "{out}");
    assert!(
        out.ends_with("</code></pre><figcaption>main.rs</figcaption></figure>"),
        "{out}"
    );
}

#[test]
fn plain_text_code_has_no_language_label() {
    let out = html(vec![block(
        1,
        "code",
        json!({"rich_text":[text("a < b")],"caption":[],"language":"plain text"}),
        vec![],
    )]);
    assert_eq!(
        out,
        "<figure class=\"nb-code\"><pre class=\"nb-code-block\"><code class=\"language-plain-text\">a &lt; b</code></pre></figure>"
    );
}

#[test]
fn equations_are_mathml_and_bad_ones_are_source_with_a_warning() {
    let out = html(vec![block(
        1,
        "equation",
        json!({"expression":"a^2+b^2=c^2"}),
        vec![],
    )]);
    assert!(
        out.starts_with("<div class=\"nb-equation\"><math display=\"block\">"),
        "{out}"
    );
    let (out, warnings) = render(vec![block(
        1,
        "equation",
        json!({"expression":"\\frac{1}{"}),
        vec![],
    )]);
    assert_eq!(
        out,
        "<pre class=\"nb-equation nb-math-error\"><code>\\frac{1}{</code></pre>"
    );
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].message.contains("equation"), "{warnings:?}");
}

#[test]
fn baked_image_is_a_picture_with_webp_source_and_sized_img() {
    let out = html(vec![block(
        1,
        "image",
        json!({"type":"file","file":{"url":PHOTO_URL},"caption":[text("A \"photo\"")]}),
        vec![],
    )]);
    assert_eq!(
        out,
        "<figure class=\"nb-image\"><picture><source type=\"image/webp\" srcset=\"/blog/assets/photo-0123456789ab-480.webp 480w, /blog/assets/photo-0123456789ab-960.webp 960w, /blog/assets/photo-0123456789ab-1440.webp 1440w\" sizes=\"(min-width: 46rem) 44rem, 100vw\">\
         <img src=\"/blog/assets/photo-0123456789ab.jpg\" srcset=\"/blog/assets/photo-0123456789ab-480.jpg 480w, /blog/assets/photo-0123456789ab-960.jpg 960w, /blog/assets/photo-0123456789ab-1440.jpg 1440w, /blog/assets/photo-0123456789ab.jpg 1800w\" sizes=\"(min-width: 46rem) 44rem, 100vw\" width=\"1800\" height=\"1200\" loading=\"lazy\" decoding=\"async\" alt=\"A &quot;photo&quot;\"></picture>\
         <figcaption>A \"photo\"</figcaption></figure>"
    );
}

#[test]
fn external_image_keeps_its_url_byte_for_byte() {
    let url = "https://Images.Example.org/a/../cat%20x.JPG?w=1&h=2#frag";
    let out = html(vec![block(
        1,
        "image",
        json!({"type":"external","external":{"url":url},"caption":[]}),
        vec![],
    )]);
    assert_eq!(
        out,
        "<figure class=\"nb-image\"><img src=\"https://Images.Example.org/a/../cat%20x.JPG?w=1&amp;h=2#frag\" alt=\"\" loading=\"lazy\" decoding=\"async\"></figure>"
    );
}

#[test]
fn external_url_forbidden_characters_are_percent_encoded() {
    let out = html(vec![block(
        1,
        "image",
        json!({"type":"external","external":{"url":"https://x.org/a b|c^d"},"caption":[]}),
        vec![],
    )]);
    assert!(out.contains("src=\"https://x.org/a%20b%7Cc%5Ed\""), "{out}");
}

#[test]
fn unbaked_notion_file_never_links_to_the_expiring_url() {
    let (out, warnings) = render_with(
        vec![block(
            1,
            "image",
            json!({"type":"file","file":{"url":PHOTO_URL},"caption":[]}),
            vec![],
        )],
        &AssetMap::default(),
        &LinkMap::default(),
        PageInfo::default(),
    );
    assert!(!out.contains("amazonaws"), "{out}");
    assert!(out.starts_with("<!--"), "{out}");
    assert_eq!(warnings.len(), 1);
}

#[test]
fn videos_baked_youtube_vimeo_and_other() {
    let file = |n: u32, name: &str| json!({"type":"file","file":{"url":format!("https://prod-files-secure.s3.us-west-2.amazonaws.com/s/aaaaaaaa-0000-0000-0000-00000000000{n}/{name}?sig=1")}});
    let out = html(vec![block(1, "video", file(2, "clip.mp4"), vec![])]);
    assert!(out.starts_with("<figure class=\"nb-video\"><video controls preload=\"metadata\" src=\"/blog/assets/clip-0123456789ab.mp4\">"), "{out}");
    let yt = html(vec![block(
        1,
        "video",
        json!({"type":"external","external":{"url":"https://youtu.be/dQw4w9WgXcQ?t=42"}}),
        vec![],
    )]);
    assert!(
        yt.contains("<iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=42\""),
        "{yt}"
    );
    assert!(yt.contains("loading=\"lazy\" sandbox=\""), "{yt}");
    let vimeo = html(vec![block(
        1,
        "video",
        json!({"type":"external","external":{"url":"https://vimeo.com/76979871"}}),
        vec![],
    )]);
    assert!(
        vimeo.contains("src=\"https://player.vimeo.com/video/76979871?dnt=1\""),
        "{vimeo}"
    );
    let other = html(vec![block(
        1,
        "video",
        json!({"type":"external","external":{"url":"https://cdn.example.org/v.mp4"}}),
        vec![],
    )]);
    assert!(
        other.contains("<a class=\"nb-bookmark-card\" href=\"https://cdn.example.org/v.mp4\">"),
        "{other}"
    );
    assert!(!other.contains("<iframe"), "{other}");
}

#[test]
fn audio_pdf_and_file() {
    let file = |n: u32, name: &str| {
        format!(
            "https://prod-files-secure.s3.us-west-2.amazonaws.com/s/aaaaaaaa-0000-0000-0000-00000000000{n}/{name}?sig=1"
        )
    };
    let audio = html(vec![block(
        1,
        "audio",
        json!({"type":"file","file":{"url":file(3, "song.mp3")}}),
        vec![],
    )]);
    assert!(audio.starts_with("<figure class=\"nb-audio\"><audio controls preload=\"metadata\" src=\"/blog/assets/song-0123456789ab.mp3\">"), "{audio}");
    let pdf = html(vec![block(
        1,
        "pdf",
        json!({"type":"file","file":{"url":file(4, "slides.pdf")},"caption":[]}),
        vec![],
    )]);
    assert!(pdf.contains("<object class=\"nb-pdf-viewer\" type=\"application/pdf\" data=\"/blog/assets/slides-0123456789ab.pdf\">"), "{pdf}");
    assert!(pdf.contains("<a class=\"nb-file-link\" href=\"/blog/assets/slides-0123456789ab.pdf\" download><span class=\"nb-file-name\">slides.pdf</span></a> <span class=\"nb-file-size\">1.2 MB</span>"), "{pdf}");
    let f = html(vec![block(
        1,
        "file",
        json!({"type":"file","file":{"url":file(5, "data.csv")},"caption":[text("numbers")],"name":"My data.csv"}),
        vec![],
    )]);
    assert_eq!(
        f,
        "<div class=\"nb-file\"><a class=\"nb-file-link\" href=\"/blog/assets/data-0123456789ab.csv\" download><span class=\"nb-file-name\">My data.csv</span></a> <span class=\"nb-file-size\">2.0 KB</span><div class=\"nb-file-caption\">numbers</div></div>"
    );
    let external = html(vec![block(
        1,
        "file",
        json!({"type":"external","external":{"url":"https://example.org/report.pdf"},"caption":[]}),
        vec![],
    )]);
    assert!(
        external.contains(
            "href=\"https://example.org/report.pdf\"><span class=\"nb-file-name\">report.pdf</span>"
        ),
        "{external}"
    );
}

#[test]
fn bookmark_embed_and_link_preview() {
    let out = html(vec![block(
        1,
        "bookmark",
        json!({"url":"https://www.rust-lang.org/learn","caption":[]}),
        vec![],
    )]);
    assert_eq!(
        out,
        "<figure class=\"nb-bookmark\"><a class=\"nb-bookmark-card\" href=\"https://www.rust-lang.org/learn\"><span class=\"nb-bookmark-title\">rust-lang.org/learn</span><span class=\"nb-bookmark-url\">https://www.rust-lang.org/learn</span></a></figure>"
    );
    let embed = html(vec![block(
        1,
        "embed",
        json!({"url":"https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC","caption":[]}),
        vec![],
    )]);
    assert!(
        embed.contains(
            "<iframe src=\"https://open.spotify.com/embed/track/4uLU6hMCjMI75M1A2tKUQC\""
        ),
        "{embed}"
    );
    assert!(
        embed.contains("sandbox=\"allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation\""),
        "{embed}"
    );
    let unknown = html(vec![block(
        1,
        "embed",
        json!({"url":"https://evil.example/x","caption":[]}),
        vec![],
    )]);
    assert!(!unknown.contains("<iframe"), "{unknown}");
    assert!(
        unknown.contains("href=\"https://evil.example/x\""),
        "{unknown}"
    );
    let preview = html(vec![block(
        1,
        "link_preview",
        json!({"url":"https://github.com/a/b/pull/1"}),
        vec![],
    )]);
    assert_eq!(
        preview,
        "<p class=\"nb-link-preview\"><a href=\"https://github.com/a/b/pull/1\">https://github.com/a/b/pull/1</a></p>"
    );
}

#[test]
fn table_with_column_and_row_headers() {
    let row = |id, a: &str, b: &str| {
        block(
            id,
            "table_row",
            json!({"cells":[[text(a)],[text(b)]]}),
            vec![],
        )
    };
    let out = html(vec![block(
        1,
        "table",
        json!({"table_width":2,"has_column_header":true,"has_row_header":true}),
        vec![row(2, "", "Col"), row(3, "Row", "v")],
    )]);
    assert_eq!(
        out,
        "<div class=\"nb-table-wrap\"><table class=\"nb-table\"><thead><tr><th scope=\"col\"></th><th scope=\"col\">Col</th></tr></thead>\
         <tbody><tr><th scope=\"row\">Row</th><td>v</td></tr></tbody></table></div>"
    );
    let plain = html(vec![block(
        1,
        "table",
        json!({"table_width":2,"has_column_header":false,"has_row_header":false}),
        vec![row(2, "a", "b")],
    )]);
    assert_eq!(
        plain,
        "<div class=\"nb-table-wrap\"><table class=\"nb-table\"><tbody><tr><td>a</td><td>b</td></tr></tbody></table></div>"
    );
}

#[test]
fn columns_honour_width_ratio() {
    let out = html(vec![block(
        1,
        "column_list",
        json!({}),
        vec![
            block(
                2,
                "column",
                json!({"width_ratio":0.25}),
                vec![para(vec![text("a")])],
            ),
            block(
                3,
                "column",
                json!({"width_ratio":0.75}),
                vec![para(vec![text("b")])],
            ),
        ],
    )]);
    assert_eq!(
        out,
        "<div class=\"nb-columns\"><div class=\"nb-column\" style=\"--nb-col:0.2500\"><p class=\"nb-p\">a</p></div><div class=\"nb-column\" style=\"--nb-col:0.7500\"><p class=\"nb-p\">b</p></div></div>"
    );
    let even = html(vec![block(
        1,
        "column_list",
        json!({}),
        vec![
            block(2, "column", json!({}), vec![]),
            block(3, "column", json!({}), vec![]),
        ],
    )]);
    assert!(even.contains("--nb-col:0.5000"), "{even}");
}

#[test]
fn synced_block_renders_the_originals_content() {
    let copy = block(
        1,
        "synced_block",
        json!({"synced_from":{"type":"block_id","block_id":"abc"}}),
        vec![para(vec![text("shared")])],
    );
    assert_eq!(html(vec![copy]), "<p class=\"nb-p\">shared</p>");
}

#[test]
fn child_page_child_database_and_link_to_page() {
    let child = html(vec![block(
        55,
        "child_page",
        json!({"title":"Another page"}),
        vec![],
    )]);
    assert_eq!(
        child,
        "<p class=\"nb-child-page\"><a class=\"nb-page-link\" href=\"/blog/posts/kitchen-sink/another/\">Another page</a></p>"
    );
    let db = html(vec![block(
        56,
        "child_database",
        json!({"title":"Reading list"}),
        vec![],
    )]);
    assert_eq!(
        db,
        "<section class=\"nb-child-database\"><p class=\"nb-child-database-title\"><a href=\"/blog/reading/\">Reading list</a></p><ul class=\"nb-page-list\"><li><a class=\"nb-page-link\" href=\"/blog/reading/dune/\">Dune</a></li><li><a class=\"nb-page-link\" href=\"/blog/reading/sicp/\">SICP</a></li></ul></section>"
    );
    let other_db = html(vec![block(
        7,
        "child_database",
        json!({"title":"Private <db>"}),
        vec![],
    )]);
    assert_eq!(
        other_db,
        "<section class=\"nb-child-database\"><p class=\"nb-child-database-title\">Private &lt;db&gt;</p></section>"
    );
    let link = html(vec![block(
        1,
        "link_to_page",
        json!({"type":"page_id","page_id":"c01166c613ae45cbb96818b4ef2f5a77"}),
        vec![],
    )]);
    assert_eq!(
        link,
        "<p class=\"nb-link-to-page\"><a class=\"nb-page-link\" href=\"/blog/about/another/\">Another page</a></p>"
    );
}

#[test]
fn child_page_and_link_outside_the_site_warn() {
    let (out, warnings) = render(vec![
        block(9, "child_page", json!({"title":"Private"}), vec![]),
        block(
            1,
            "link_to_page",
            json!({"type":"page_id","page_id":"99999999999999999999999999999999"}),
            vec![],
        ),
    ]);
    assert!(!out.contains("<a"), "{out}");
    assert_eq!(warnings.len(), 2, "{warnings:?}");
}

#[test]
fn table_of_contents_lists_the_page_headings_nested() {
    let out = html(vec![
        block(1, "table_of_contents", json!({"color":"gray"}), vec![]),
        heading(2, 1, "One", false, vec![]),
        heading(3, 2, "One.A", false, vec![]),
        heading(4, 1, "Two", false, vec![]),
    ]);
    assert!(out.starts_with("<nav class=\"nb-toc nb-color-gray\" aria-label=\"Table of contents\"><ol><li><a href=\"#one\">One</a><ol><li><a href=\"#one-a\">One.A</a></li></ol></li><li><a href=\"#two\">Two</a></li></ol></nav>"), "{out}");
}

#[test]
fn breadcrumb_shows_the_ancestors() {
    let out = html(vec![block(1, "breadcrumb", json!({}), vec![])]);
    assert_eq!(
        out,
        "<nav class=\"nb-breadcrumb\" aria-label=\"Breadcrumb\"><ol><li><a href=\"/blog/\">Home</a></li><li><span aria-current=\"page\">Kitchen sink</span></li></ol></nav>"
    );
}

#[test]
fn unsupported_and_unknown_blocks_are_comments_with_warnings() {
    let (out, warnings) = render(vec![
        block(1, "unsupported", json!({"block_type":"form"}), vec![]),
        block(2, "brand_new_type", json!({"x":"--><script>"}), vec![]),
        json!({"object":"block","id":"partial"}),
    ]);
    assert_eq!(
        out,
        "<!-- notion-bake: unsupported block type \"form\" omitted --><!-- notion-bake: unknown block type \"brand_new_type\" omitted --><!-- notion-bake: partial block without a type omitted -->"
    );
    assert_eq!(warnings.len(), 3);
    assert_eq!(
        warnings[0].block_id.as_deref(),
        Some("b0000000000000000000000000000001")
    );
    assert_eq!(warnings[0].page_title, "Kitchen sink");
    assert!(warnings[0].to_string().contains("form"), "{}", warnings[0]);
}

#[test]
fn tabs_are_details_the_first_open() {
    let tab = |id, label: &str| {
        block(
            id,
            "paragraph",
            json!({"rich_text":[text(label)],"color":"default","icon":null}),
            vec![para(vec![text("body")])],
        )
    };
    let out = html(vec![block(
        1,
        "tab",
        json!({}),
        vec![tab(2, "A"), tab(3, "B")],
    )]);
    assert!(
        out.starts_with(
            "<div class=\"nb-tabs\"><details class=\"nb-tab\" open><summary>A</summary>"
        ),
        "{out}"
    );
    assert!(
        out.contains("<details class=\"nb-tab\"><summary>B</summary>"),
        "{out}"
    );
}

#[test]
fn block_colors_become_classes() {
    let colored = block(
        1,
        "paragraph",
        json!({"rich_text":[text("x")],"color":"blue_background"}),
        vec![],
    );
    assert_eq!(html(vec![colored]), "<p class=\"nb-p nb-bg-blue\">x</p>");
    let bogus = block(
        1,
        "paragraph",
        json!({"rich_text":[text("x")],"color":"\" onclick=\"x"}),
        vec![],
    );
    assert_eq!(html(vec![bogus]), "<p class=\"nb-p\">x</p>");
}

#[test]
fn relative_link_in_text_to_a_site_page_is_rewritten() {
    let out = html(vec![para(vec![link(
        "there",
        "/c01166c613ae45cbb96818b4ef2f5a77",
    )])]);
    assert_eq!(
        out,
        "<p class=\"nb-p\"><a href=\"/blog/about/another/\">there</a></p>"
    );
    let styled_bold = html(vec![para(vec![styled(
        "b",
        json!({"bold":true,"italic":true,"color":"red"}),
    )])]);
    assert_eq!(
        styled_bold,
        "<p class=\"nb-p\"><span class=\"nb-color-red\"><strong><em>b</em></strong></span></p>"
    );
}

#[test]
fn trashed_blocks_are_left_out() {
    let mut trashed = text_block(2, "paragraph", vec![text("gone")], vec![]);
    trashed["in_trash"] = json!(true);
    let out = html(vec![
        text_block(1, "bulleted_list_item", vec![text("a")], vec![]),
        trashed,
        text_block(3, "bulleted_list_item", vec![text("b")], vec![]),
    ]);
    assert_eq!(out, "<ul class=\"nb-list\"><li>a</li><li>b</li></ul>");
}
