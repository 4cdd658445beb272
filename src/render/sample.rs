//! A kitchen-sink page with every block type and rich-text feature: used by the tests, the
//! render benchmark and theme screenshots. Not part of the stable API.

use serde_json::{Value, json};

use crate::assets::{Asset, AssetMap, ImageInfo, Variant, VariantFormat};
use crate::notion::model::Block;

use super::context::{DatabaseLink, LinkMap, LinkView, PageInfo};

/// Id of the kitchen-sink page itself.
pub const PAGE_ID: &str = "11111111111111111111111111111111";
/// A page of the site that the kitchen sink links to.
pub const LINKED_PAGE_ID: &str = "c01166c6-13ae-45cb-b968-18b4ef2f5a77";
/// A Notion page that is *not* part of the site.
pub const PRIVATE_PAGE_ID: &str = "99999999999999999999999999999999";
/// The signed URL of the sample photo.
pub const PHOTO_URL: &str = "https://prod-files-secure.s3.us-west-2.amazonaws.com/space/aaaaaaaa-0000-0000-0000-000000000001/photo.jpg?X-Amz-Signature=abc";

fn notion_file(name: &str, n: u32) -> Value {
    json!({"type":"file","file":{"url":format!("https://prod-files-secure.s3.us-west-2.amazonaws.com/space/aaaaaaaa-0000-0000-0000-00000000000{n}/{name}?X-Amz-Signature=abc"),"expiry_time":"2026-01-01T00:00:00.000Z"}})
}

/// A plain text run.
pub fn text(content: &str) -> Value {
    styled(content, json!({}))
}

/// A text run with annotations (`{"bold":true,"color":"red"}`).
pub fn styled(content: &str, annotations: Value) -> Value {
    let mut a = json!({"bold":false,"italic":false,"strikethrough":false,"underline":false,"code":false,"color":"default"});
    if let (Some(a), Some(extra)) = (a.as_object_mut(), annotations.as_object()) {
        for (k, v) in extra {
            a.insert(k.clone(), v.clone());
        }
    }
    json!({"type":"text","text":{"content":content,"link":null},"annotations":a,"plain_text":content,"href":null})
}

/// A linked text run.
pub fn link(content: &str, url: &str) -> Value {
    json!({"type":"text","text":{"content":content,"link":{"url":url}},"annotations":{"bold":false,"italic":false,"strikethrough":false,"underline":false,"code":false,"color":"default"},"plain_text":content,"href":url})
}

/// A mention run.
pub fn mention(mention: Value, plain_text: &str) -> Value {
    json!({"type":"mention","mention":mention,"annotations":{"bold":false,"italic":false,"strikethrough":false,"underline":false,"code":false,"color":"default"},"plain_text":plain_text,"href":null})
}

/// An inline equation run.
pub fn inline_equation(expression: &str) -> Value {
    json!({"type":"equation","equation":{"expression":expression},"annotations":{"bold":false,"italic":false,"strikethrough":false,"underline":false,"code":false,"color":"default"},"plain_text":expression,"href":null})
}

/// A block of `type_name` with `payload` and `children`; ids are made up from a counter.
pub fn block(id: u32, type_name: &str, payload: Value, children: Vec<Value>) -> Value {
    json!({
        "object":"block","id":format!("b{id:031x}"),"type":type_name,type_name:payload,
        "has_children":!children.is_empty(),"children":children
    })
}

/// A text-like block (`paragraph`, `quote`, list items, …).
pub fn text_block(id: u32, type_name: &str, runs: Vec<Value>, children: Vec<Value>) -> Value {
    block(
        id,
        type_name,
        json!({"rich_text":runs,"color":"default"}),
        children,
    )
}

/// The kitchen-sink block tree.
pub fn kitchen_sink_json() -> Vec<Value> {
    let p = |id, runs| text_block(id, "paragraph", runs, vec![]);
    let li = |id, t: &str, children| text_block(id, "bulleted_list_item", vec![text(t)], children);
    let ni = |id, t: &str, children| text_block(id, "numbered_list_item", vec![text(t)], children);
    let colors = [
        "gray", "brown", "orange", "yellow", "green", "blue", "purple", "pink", "red",
    ];
    let mut color_runs = Vec::new();
    for c in colors {
        color_runs.push(styled(c, json!({"color":c})));
        color_runs.push(text(" "));
    }
    for c in colors {
        color_runs.push(styled(c, json!({"color":format!("{c}_background")})));
        color_runs.push(text(" "));
    }
    vec![
        block(1, "table_of_contents", json!({"color":"default"}), vec![]),
        block(2, "breadcrumb", json!({}), vec![]),
        p(
            3,
            vec![
                text("Notion pages become "),
                styled("fast", json!({"bold":true})),
                text(", "),
                styled("durable", json!({"italic":true})),
                text(" static sites. Some "),
                styled("inline code", json!({"code":true})),
                text(", "),
                styled("struck", json!({"strikethrough":true})),
                text(", "),
                styled("underlined", json!({"underline":true})),
                text(", a "),
                link("link", "https://example.org/a?b=c&d=e"),
                text(", the energy "),
                inline_equation("E = mc^2"),
                text(" (where "),
                inline_equation("0 < v < c"),
                text(")"),
                text(", and a line\nbreak."),
            ],
        ),
        block(
            4,
            "heading_1",
            json!({"rich_text":[text("Text and headings")],"color":"default","is_toggleable":false}),
            vec![],
        ),
        p(5, color_runs),
        block(
            6,
            "heading_2",
            json!({"rich_text":[text("Mentions")],"color":"default","is_toggleable":false}),
            vec![],
        ),
        p(
            7,
            vec![
                text("See "),
                mention(
                    json!({"type":"page","page":{"id":LINKED_PAGE_ID}}),
                    "Another page",
                ),
                text(" (and a private "),
                mention(
                    json!({"type":"page","page":{"id":PRIVATE_PAGE_ID}}),
                    "Secret page",
                ),
                text("), due "),
                mention(
                    json!({"type":"date","date":{"start":"2026-03-01","end":null,"time_zone":null}}),
                    "March 1, 2026",
                ),
                text(", by "),
                mention(
                    json!({"type":"user","user":{"object":"user","id":"u1","name":"Ada Lovelace"}}),
                    "@Ada Lovelace",
                ),
                text(", "),
                mention(
                    json!({"type":"link_mention","link_mention":{"href":"https://github.com/rust-lang/rust","title":"rust-lang/rust"}}),
                    "rust-lang/rust",
                ),
                text(", "),
                mention(
                    json!({"type":"link_preview","link_preview":{"url":"https://www.figma.com/file/abc"}}),
                    "https://www.figma.com/file/abc",
                ),
                text(", "),
                mention(
                    json!({"type":"template_mention","template_mention":{"type":"template_mention_date","template_mention_date":"today"}}),
                    "@Today",
                ),
                text(" "),
                mention(
                    json!({"type":"custom_emoji","custom_emoji":{"id":"e1","name":"bufo","url":"https://s3-us-west-2.amazonaws.com/public.notion-static.com/865e85fc/bufo.png"}}),
                    ":bufo:",
                ),
            ],
        ),
        block(
            8,
            "heading_3",
            json!({"rich_text":[text("Lists")],"color":"default","is_toggleable":false}),
            vec![],
        ),
        li(
            9,
            "First bullet",
            vec![li(
                10,
                "Nested bullet",
                vec![li(11, "Deeper still", vec![])],
            )],
        ),
        li(12, "Second bullet", vec![]),
        block(
            13,
            "numbered_list_item",
            json!({"rich_text":[text("Step one")],"color":"default","list_start_index":3,"list_format":"numbers"}),
            vec![ni(14, "Sub-step", vec![])],
        ),
        ni(15, "Step two", vec![]),
        block(
            16,
            "to_do",
            json!({"rich_text":[text("Write the renderer")],"checked":true,"color":"default"}),
            vec![],
        ),
        block(
            17,
            "to_do",
            json!({"rich_text":[text("Ship the theme")],"checked":false,"color":"default"}),
            vec![],
        ),
        block(
            18,
            "heading_4",
            json!({"rich_text":[text("Blocks with children")],"color":"default","is_toggleable":false}),
            vec![],
        ),
        text_block(
            19,
            "toggle",
            vec![text("A toggle")],
            vec![p(20, vec![text("Hidden until opened.")])],
        ),
        block(
            21,
            "heading_2",
            json!({"rich_text":[text("A toggleable heading")],"color":"default","is_toggleable":true}),
            vec![p(22, vec![text("Inside the heading.")])],
        ),
        text_block(
            23,
            "quote",
            vec![text("Simplicity is prerequisite for reliability.")],
            vec![],
        ),
        block(
            24,
            "callout",
            json!({"rich_text":[text("Callouts carry an icon and a color.")],"icon":{"type":"emoji","emoji":"💡"},"color":"yellow_background"}),
            vec![],
        ),
        block(
            25,
            "callout",
            json!({"rich_text":[text("An image icon, baked.")],"icon":notion_file("icon.png", 6),"color":"blue_background"}),
            vec![],
        ),
        block(26, "divider", json!({}), vec![]),
        block(
            27,
            "heading_2",
            json!({"rich_text":[text("Code and math")],"color":"default","is_toggleable":false}),
            vec![],
        ),
        block(
            28,
            "code",
            json!({"rich_text":[text("fn main() {\n    // Say hello\n    let greeting = \"Hello, world!\";\n    println!(\"{greeting} {}\", 42);\n}\n")],"caption":[text("src/main.rs")],"language":"rust"}),
            vec![],
        ),
        block(
            29,
            "code",
            json!({"rich_text":[text("def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n")],"caption":[],"language":"python"}),
            vec![],
        ),
        block(
            30,
            "equation",
            json!({"expression":"x = \\frac{-b\\pm\\sqrt{b^2-4ac}}{2a}"}),
            vec![],
        ),
        block(
            31,
            "heading_2",
            json!({"rich_text":[text("Media")],"color":"default","is_toggleable":false}),
            vec![],
        ),
        block(
            32,
            "image",
            json!({"type":"file","file":{"url":PHOTO_URL,"expiry_time":"2026-01-01T00:00:00.000Z"},"caption":[text("A baked photo with variants")]}),
            vec![],
        ),
        block(
            33,
            "image",
            json!({"type":"external","external":{"url":"https://images.example.org/cat.jpg"},"caption":[text("An external image")]}),
            vec![],
        ),
        block(34, "video", notion_file("clip.mp4", 2), vec![]),
        block(
            35,
            "video",
            json!({"type":"external","external":{"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ"},"caption":[text("A YouTube video")]}),
            vec![],
        ),
        block(36, "audio", notion_file("song.mp3", 3), vec![]),
        block(
            37,
            "pdf",
            json!({"type":"file","file":{"url":"https://prod-files-secure.s3.us-west-2.amazonaws.com/space/aaaaaaaa-0000-0000-0000-000000000004/slides.pdf?X-Amz-Signature=abc"},"caption":[text("Conference slides")]}),
            vec![],
        ),
        block(
            38,
            "file",
            json!({"type":"file","file":{"url":"https://prod-files-secure.s3.us-west-2.amazonaws.com/space/aaaaaaaa-0000-0000-0000-000000000005/data.csv?X-Amz-Signature=abc"},"caption":[],"name":"data.csv"}),
            vec![],
        ),
        block(
            39,
            "bookmark",
            json!({"url":"https://www.rust-lang.org/learn","caption":[text("The Rust book and friends")]}),
            vec![],
        ),
        block(
            40,
            "embed",
            json!({"url":"https://codepen.io/someone/pen/abcDEF1","caption":[]}),
            vec![],
        ),
        block(
            41,
            "embed",
            json!({"url":"https://unknown.example.com/widget","caption":[]}),
            vec![],
        ),
        block(
            42,
            "link_preview",
            json!({"url":"https://github.com/notion-bake/notion-bake/pull/1"}),
            vec![],
        ),
        block(
            43,
            "heading_2",
            json!({"rich_text":[text("Layout")],"color":"default","is_toggleable":false}),
            vec![],
        ),
        block(
            44,
            "table",
            json!({"table_width":3,"has_column_header":true,"has_row_header":true}),
            vec![
                block(
                    45,
                    "table_row",
                    json!({"cells":[[text("")],[text("Speed")],[text("Safety")]]}),
                    vec![],
                ),
                block(
                    46,
                    "table_row",
                    json!({"cells":[[text("Rust")],[styled("fast", json!({"bold":true}))],[text("yes")]]}),
                    vec![],
                ),
                block(
                    47,
                    "table_row",
                    json!({"cells":[[text("Other")],[text("varies")],[text("varies")]]}),
                    vec![],
                ),
            ],
        ),
        block(
            48,
            "column_list",
            json!({}),
            vec![
                block(
                    49,
                    "column",
                    json!({"width_ratio":0.6}),
                    vec![p(
                        50,
                        vec![text(
                            "The wider column holds the main text of a two-column layout.",
                        )],
                    )],
                ),
                block(
                    51,
                    "column",
                    json!({"width_ratio":0.4}),
                    vec![p(52, vec![text("A narrower aside.")])],
                ),
            ],
        ),
        block(
            53,
            "synced_block",
            json!({"synced_from":null}),
            vec![p(54, vec![text("Synced content appears like any other.")])],
        ),
        block(55, "child_page", json!({"title":"Another page"}), vec![]),
        block(
            56,
            "child_database",
            json!({"title":"Reading list"}),
            vec![],
        ),
        block(
            57,
            "link_to_page",
            json!({"type":"page_id","page_id":LINKED_PAGE_ID}),
            vec![],
        ),
        block(
            58,
            "tab",
            json!({}),
            vec![
                block(
                    59,
                    "paragraph",
                    json!({"rich_text":[text("First tab")],"color":"default","icon":null}),
                    vec![p(60, vec![text("Tab one's content.")])],
                ),
                block(
                    61,
                    "paragraph",
                    json!({"rich_text":[text("Second tab")],"color":"default","icon":null}),
                    vec![p(62, vec![text("Tab two's content.")])],
                ),
            ],
        ),
        block(63, "unsupported", json!({"block_type":"form"}), vec![]),
        block(64, "ai_block", json!({"whatever":true}), vec![]),
        block(
            65,
            "paragraph",
            json!({"rich_text":[text("A colored paragraph.")],"color":"purple_background"}),
            vec![],
        ),
        p(66, vec![]),
    ]
}

/// The kitchen-sink blocks, parsed.
pub fn kitchen_sink() -> Vec<Block> {
    kitchen_sink_json().iter().map(Block::from_value).collect()
}

fn asset(name: &str, mime: &str, bytes: u64, image: Option<ImageInfo>) -> Asset {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    Asset {
        path: format!("assets/{stem}-0123456789ab.{ext}"),
        mime: mime.to_owned(),
        name: name.to_owned(),
        bytes,
        image,
    }
}

/// The assets the kitchen sink's Notion-hosted files were baked into.
pub fn kitchen_sink_assets() -> AssetMap {
    let mut map = AssetMap::default();
    let variants = [480u32, 960, 1440]
        .iter()
        .flat_map(|w| {
            [VariantFormat::Jpeg, VariantFormat::Webp].map(|f| Variant {
                width: *w,
                height: w * 2 / 3,
                format: f,
                path: format!("assets/photo-0123456789ab-{w}.{}", f.extension()),
            })
        })
        .collect();
    map.insert(
        PHOTO_URL,
        asset(
            "photo.jpg",
            "image/jpeg",
            812_345,
            Some(ImageInfo {
                width: 1800,
                height: 1200,
                variants,
                placeholder: None,
                animated: false,
            }),
        ),
    );
    let file = |n: u32, name: &str| {
        format!(
            "https://prod-files-secure.s3.us-west-2.amazonaws.com/space/aaaaaaaa-0000-0000-0000-00000000000{n}/{name}?X-Amz-Signature=zzz"
        )
    };
    map.insert(
        "https://s3-us-west-2.amazonaws.com/public.notion-static.com/865e85fc/bufo.png",
        asset(
            "bufo.png",
            "image/png",
            900,
            Some(ImageInfo {
                width: 40,
                height: 40,
                variants: vec![],
                placeholder: None,
                animated: false,
            }),
        ),
    );
    map.insert(
        &file(2, "clip.mp4"),
        asset("clip.mp4", "video/mp4", 5_300_000, None),
    );
    map.insert(
        &file(3, "song.mp3"),
        asset("song.mp3", "audio/mpeg", 3_100_000, None),
    );
    map.insert(
        &file(4, "slides.pdf"),
        asset("slides.pdf", "application/pdf", 1_234_567, None),
    );
    map.insert(
        &file(5, "data.csv"),
        asset("data.csv", "text/csv", 2_048, None),
    );
    map.insert(
        &file(6, "icon.png"),
        asset(
            "icon.png",
            "image/png",
            1_000,
            Some(ImageInfo {
                width: 64,
                height: 64,
                variants: vec![],
                placeholder: None,
                animated: false,
            }),
        ),
    );
    map
}

/// The site's pages and databases, for the kitchen sink.
pub fn kitchen_sink_links(base_path: &str) -> LinkMap {
    let mut links = LinkMap::default();
    links.insert_page(
        PAGE_ID,
        format!("{base_path}/posts/kitchen-sink/"),
        "Kitchen sink",
    );
    links.insert_page(
        LINKED_PAGE_ID,
        format!("{base_path}/about/another/"),
        "Another page",
    );
    // A child_page block's id is the child page's id.
    links.insert_page(
        &format!("b{:031x}", 55),
        format!("{base_path}/posts/kitchen-sink/another/"),
        "Another page",
    );
    // The child_database block's id is the database id.
    links.insert_database(
        &format!("b{:031x}", 56),
        DatabaseLink {
            title: "Reading list".into(),
            url: Some(format!("{base_path}/reading/")),
            pages: vec![
                super::context::PageLink {
                    url: format!("{base_path}/reading/dune/"),
                    title: "Dune".into(),
                },
                super::context::PageLink {
                    url: format!("{base_path}/reading/sicp/"),
                    title: "SICP".into(),
                },
            ],
        },
    );
    links
}

/// The kitchen-sink page's info (with an ancestor for the breadcrumb).
pub fn kitchen_sink_page(base_path: &str) -> PageInfo {
    PageInfo {
        id: PAGE_ID.into(),
        title: "Kitchen sink".into(),
        url: format!("{base_path}/posts/kitchen-sink/"),
        ancestors: vec![LinkView {
            title: "Home".into(),
            url: format!("{base_path}/"),
        }],
    }
}

/// Renders a small sample site (the kitchen sink as a post, an index, a tag page, a page, the
/// 404, the feed and the sitemap, and the theme's CSS) into `out_dir`, with the built-in
/// templates. Returns the render warnings.
pub fn render_sample_site(
    out_dir: &std::path::Path,
) -> anyhow::Result<Vec<super::context::Warning>> {
    use super::view::*;
    use std::fs;

    let base_path = "/blog";
    let assets = kitchen_sink_assets();
    let links = kitchen_sink_links(base_path);
    let ctx = super::context::RenderContext::new(
        &assets,
        base_path,
        &links,
        kitchen_sink_page(base_path),
    );
    let rendered = super::blocks::render_page(&kitchen_sink(), &ctx);
    let templates = super::templates::Templates::builtin();
    let mut site = SiteContext::new("Field Notes", "https://example.org/blog");
    site.description = Some("Photos, notes and experiments".into());
    site.nav = vec![
        LinkView {
            title: "About".into(),
            url: "/blog/about/".into(),
        },
        LinkView {
            title: "Reading".into(),
            url: "/blog/reading/".into(),
        },
    ];
    let photo = assets.get(PHOTO_URL).expect("sample photo");
    let tag = TagView::new("rust", "rust", "/blog/tags/rust/", 2);
    let mut post = PageView {
        id: PAGE_ID.into(),
        title: "Kitchen sink: every block <type>".into(),
        url: "/blog/posts/kitchen-sink/".into(),
        permalink: "https://example.org/blog/posts/kitchen-sink/".into(),
        date: Some("2026-11-28".into()),
        updated: Some("2026-11-28T10:00:00Z".into()),
        description: Some("Every Notion block, rendered by notion-bake.".into()),
        tags: vec![
            tag.clone(),
            TagView::new("notion", "notion", "/blog/tags/notion/", 1),
        ],
        cover: Some(ImageView::from_asset(photo, base_path, "")),
        icon: Some(IconView {
            emoji: Some("🧪".into()),
            image: None,
        }),
        reading_minutes: reading_minutes(&rendered.html),
        content: rendered.html,
        toc: rendered.toc,
        prev: Some(LinkView {
            title: "An older post".into(),
            url: "/blog/posts/older/".into(),
        }),
        next: Some(LinkView {
            title: "A newer post".into(),
            url: "/blog/posts/newer/".into(),
        }),
        ancestors: vec![],
        is_post: true,
        ..PageView::default()
    };
    let write = |path: &str, text: String| -> anyhow::Result<()> {
        let path = out_dir.join(path);
        fs::create_dir_all(path.parent().expect("a parent"))?;
        fs::write(path, text)?;
        Ok(())
    };
    write(
        "posts/kitchen-sink/index.html",
        templates.render("post.html", &page_context(&site, &post))?,
    )?;
    let mut page = post.clone();
    page.is_post = false;
    page.title = "About".into();
    page.cover = None;
    page.ancestors = vec![LinkView {
        title: "Home".into(),
        url: "/blog/".into(),
    }];
    page.content = "<p>A standalone page.</p>".into();
    write(
        "about/index.html",
        templates.render("page.html", &page_context(&site, &page))?,
    )?;
    let mut teaser = post.clone();
    teaser.content.clear();
    let mut plain = teaser.clone();
    plain.cover = None;
    plain.title = "A post without a cover".into();
    let list = ListView {
        title: site.title.clone(),
        url: "/blog/".into(),
        permalink: "https://example.org/blog/".into(),
        pages: vec![teaser.clone(), plain.clone()],
        pagination: Pagination::new(1, 2, "/blog/"),
    };
    write(
        "index.html",
        templates.render("index.html", &list_context(&site, &list, None))?,
    )?;
    let tag_list = ListView {
        pagination: Pagination::new(1, 1, "/blog/tags/rust/"),
        ..list.clone()
    };
    write(
        "tags/rust/index.html",
        templates.render("tag.html", &list_context(&site, &tag_list, Some(&tag)))?,
    )?;
    write(
        "404.html",
        templates.render("404.html", &site_context(&site))?,
    )?;
    post.title = "Kitchen sink".into();
    write(
        "feed.xml",
        templates.render(
            "feed.xml",
            &feed_context(&site, &[post], "2026-11-28T10:00:00Z"),
        )?,
    )?;
    let entries = [SitemapEntry {
        loc: "https://example.org/blog/".into(),
        lastmod: Some("2026-11-28".into()),
    }];
    write(
        "sitemap.xml",
        templates.render("sitemap.xml", &sitemap_context(&site, &entries))?,
    )?;
    for file in super::templates::DEFAULT_THEME_STATIC {
        write(&format!("static/{}", file.0), file.1.to_owned())?;
    }
    Ok(rendered.warnings)
}
