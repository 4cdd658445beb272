//! Render speed: 1,000 pages of 200 blocks (a realistic mix: text with links and mentions,
//! headings, lists, images, code, tables, callouts), block tree → HTML → full page template.
//! `cargo bench --bench render` prints the figure; the target is well under 2 s.

use std::time::Instant;

use notion_bake::notion::model::Block;
use notion_bake::render::sample::{
    PHOTO_URL, block, kitchen_sink_assets, kitchen_sink_links, kitchen_sink_page, link, mention,
    styled, text, text_block,
};
use notion_bake::render::view::{PageView, SiteContext, page_context};
use notion_bake::render::{RenderContext, Templates, render_page};
use serde_json::json;

fn page_blocks(seed: u32) -> Vec<Block> {
    let mut blocks = Vec::with_capacity(200);
    let mut id = seed * 1000;
    let mut next = || {
        id += 1;
        id
    };
    while blocks.len() < 200 {
        let i = blocks.len();
        let value = match i % 20 {
            0 => block(
                next(),
                "heading_2",
                json!({"rich_text":[text(&format!("Section {i}"))],"color":"default","is_toggleable":false}),
                vec![],
            ),
            1..=4 => text_block(
                next(),
                "paragraph",
                vec![
                    text("Static sites are fast and durable; this paragraph has "),
                    styled("bold", json!({"bold":true})),
                    text(", "),
                    styled("code", json!({"code":true})),
                    text(", a "),
                    link("link", "https://example.org/some/path?q=1"),
                    text(" and a "),
                    mention(
                        json!({"type":"page","page":{"id":"c01166c613ae45cbb96818b4ef2f5a77"}}),
                        "page",
                    ),
                    text(
                        " mention, followed by a longer tail of ordinary words to make it realistic.",
                    ),
                ],
                vec![],
            ),
            5..=8 => text_block(
                next(),
                "bulleted_list_item",
                vec![
                    text("A list item with "),
                    styled("color", json!({"color":"red"})),
                ],
                vec![],
            ),
            9 => block(
                next(),
                "image",
                json!({"type":"file","file":{"url":PHOTO_URL},"caption":[text("A photo")]}),
                vec![],
            ),
            // Two code blocks a page, each unique (no memoisation helps).
            10 if i % 100 == 10 => block(
                next(),
                "code",
                json!({"rich_text":[text(&format!("fn main() {{\n    let x = {seed}{i};\n    println!(\"{{x}}\");\n}}\n"))],"caption":[],"language":"rust"}),
                vec![],
            ),
            11 => block(
                next(),
                "callout",
                json!({"rich_text":[text("Note this.")],"icon":{"type":"emoji","emoji":"💡"},"color":"blue_background"}),
                vec![],
            ),
            12 => block(
                next(),
                "table",
                json!({"table_width":3,"has_column_header":true,"has_row_header":false}),
                vec![
                    block(
                        next(),
                        "table_row",
                        json!({"cells":[[text("a")],[text("b")],[text("c")]]}),
                        vec![],
                    ),
                    block(
                        next(),
                        "table_row",
                        json!({"cells":[[text("1")],[text("2")],[text("3")]]}),
                        vec![],
                    ),
                ],
            ),
            13 => block(
                next(),
                "quote",
                json!({"rich_text":[text("A quotation.")],"color":"default"}),
                vec![],
            ),
            14 => block(
                next(),
                "to_do",
                json!({"rich_text":[text("Task")],"checked":i % 2 == 0,"color":"default"}),
                vec![],
            ),
            15 => block(
                next(),
                "bookmark",
                json!({"url":"https://www.rust-lang.org/","caption":[]}),
                vec![],
            ),
            _ => text_block(next(), "numbered_list_item", vec![text("Step")], vec![]),
        };
        blocks.push(value);
    }
    blocks.iter().map(Block::from_value).collect()
}

fn render_all(
    pages: &[Vec<Block>],
    templates: &Templates,
    site: &SiteContext,
    parallel: bool,
) -> (usize, std::time::Duration) {
    use rayon::prelude::*;
    let assets = kitchen_sink_assets();
    let links = kitchen_sink_links("/blog");
    let one = |blocks: &Vec<Block>| {
        let ctx = RenderContext::new(&assets, "/blog", &links, kitchen_sink_page("/blog"));
        let rendered = render_page(blocks, &ctx);
        let mut view = PageView::default();
        view.title = "A page".into();
        view.content = rendered.html;
        view.toc = rendered.toc;
        templates
            .render("post.html", &page_context(site, &view))
            .expect("renders")
            .len()
    };
    let start = Instant::now();
    let bytes = if parallel {
        pages.par_iter().map(one).sum()
    } else {
        pages.iter().map(one).sum()
    };
    (bytes, start.elapsed())
}

fn main() {
    let pages: Vec<Vec<Block>> = (0..1000).map(page_blocks).collect();
    let assets = kitchen_sink_assets();
    let links = kitchen_sink_links("/blog");
    let templates = Templates::builtin();
    let site = SiteContext::new("Bench", "https://example.org/blog");
    // Warm up the syntax set (loaded once per process).
    let _ = notion_bake::render::code::highlight("fn x() {}", "rust");

    let start = Instant::now();
    let mut bytes = 0usize;
    let mut in_blocks = std::time::Duration::ZERO;
    for blocks in &pages {
        let block_start = Instant::now();
        let ctx = RenderContext::new(&assets, "/blog", &links, kitchen_sink_page("/blog"));
        let rendered = render_page(blocks, &ctx);
        in_blocks += block_start.elapsed();
        let mut view = PageView::default();
        view.title = "A page".into();
        view.content = rendered.html;
        view.toc = rendered.toc;
        bytes += templates
            .render("post.html", &page_context(&site, &view))
            .expect("renders")
            .len();
    }
    let elapsed = start.elapsed();
    let (_, parallel) = render_all(&pages, &templates, &site, true);
    let (_, serial) = render_all(&pages, &templates, &site, false);
    println!(
        "again: {:.3} s single thread, {:.3} s on {} threads (rayon)",
        serial.as_secs_f64(),
        parallel.as_secs_f64(),
        rayon::current_num_threads()
    );
    println!(
        "rendered 1000 pages x 200 blocks ({:.1} MB of HTML) in {:.3} s ({:.2} ms/page, single thread; blocks {:.3} s, templates {:.3} s)",
        bytes as f64 / 1e6,
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64(),
        in_blocks.as_secs_f64(),
        (elapsed - in_blocks).as_secs_f64(),
    );
}
