//! A kitchen-sink page with every block type and rich-text feature, and a small site around
//! it rendered through the real HTML renderer: used by the render tests, the HTML snapshots and
//! theme screenshots.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::assets::{Asset, AssetMap, ImageInfo, Variant, VariantFormat};
use crate::config::SiteConfig;
use crate::notion::model::{Block, Database, FileKey, Page};
use crate::render::OutputFile;
use crate::render::code::HighlightMemo;
use crate::render::{HtmlSite, LinkView, PageInfo, Renderer, Templates};
use crate::site::{BlogSource, DatabaseLink, LinkMap, PageLink, PageSource, Site, Sources};

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
    let path = format!("assets/{stem}-0123456789ab.{ext}");
    Asset {
        source: PathBuf::from("/nonexistent/cache").join(&path),
        path,
        mime: mime.to_owned(),
        name: name.to_owned(),
        bytes,
        image,
    }
}

fn still(width: u32, height: u32, variants: Vec<Variant>) -> Option<ImageInfo> {
    Some(ImageInfo {
        width,
        height,
        variants,
        placeholder: None,
        animated: false,
    })
}

/// The key of one of the kitchen sink's Notion-hosted files.
pub fn file_key(n: u32, name: &str) -> FileKey {
    FileKey::of_url(&format!(
        "https://prod-files-secure.s3.us-west-2.amazonaws.com/space/aaaaaaaa-0000-0000-0000-00000000000{n}/{name}?X-Amz-Signature=zzz"
    ))
    .expect("a file URL")
}

/// The assets the kitchen sink's Notion-hosted files were baked into.
pub fn kitchen_sink_assets() -> AssetMap {
    let mut map = AssetMap::default();
    let variants = [480u32, 960, 1440]
        .iter()
        .flat_map(|w| {
            [VariantFormat::Jpeg, VariantFormat::Webp].map(|f| {
                let path = format!("assets/photo-0123456789ab-{w}.{}", f.extension());
                Variant {
                    width: *w,
                    height: w * 2 / 3,
                    format: f,
                    source: PathBuf::from("/nonexistent/cache").join(&path),
                    path,
                }
            })
        })
        .collect();
    map.insert(
        FileKey::of_url(PHOTO_URL).expect("a file URL"),
        asset(
            "photo.jpg",
            "image/jpeg",
            812_345,
            still(1800, 1200, variants),
        ),
    );
    map.insert(
        file_key(2, "clip.mp4"),
        asset("clip.mp4", "video/mp4", 5_300_000, None),
    );
    map.insert(
        file_key(3, "song.mp3"),
        asset("song.mp3", "audio/mpeg", 3_100_000, None),
    );
    map.insert(
        file_key(4, "slides.pdf"),
        asset("slides.pdf", "application/pdf", 1_234_567, None),
    );
    map.insert(
        file_key(5, "data.csv"),
        asset("data.csv", "text/csv", 2_048, None),
    );
    map.insert(
        file_key(6, "icon.png"),
        asset("icon.png", "image/png", 1_000, still(64, 64, vec![])),
    );
    map
}

/// The links of the kitchen sink that the site itself does not make: its child page (a
/// `child_page` block's id is the page's id) and a child database with two pages.
fn add_kitchen_sink_links(links: &mut LinkMap) {
    links.insert_page(
        &format!("b{:031x}", 55),
        "posts/kitchen-sink/another/",
        "Another page",
    );
    links.insert_database(
        &format!("b{:031x}", 56),
        DatabaseLink {
            title: "Reading list".into(),
            path: Some("reading/".into()),
            pages: vec![
                PageLink {
                    path: "reading/dune/".into(),
                    title: "Dune".into(),
                },
                PageLink {
                    path: "reading/sicp/".into(),
                    title: "SICP".into(),
                },
            ],
        },
    );
}

/// The site's pages and databases, for rendering the kitchen sink alone.
pub fn kitchen_sink_links() -> LinkMap {
    let mut links = LinkMap::default();
    links.insert_page(PAGE_ID, "posts/kitchen-sink/", "Kitchen sink");
    links.insert_page(LINKED_PAGE_ID, "about/another/", "Another page");
    add_kitchen_sink_links(&mut links);
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

fn title(text: &str) -> Value {
    json!({"id": "title", "type": "title", "title": [self::text(text)]})
}

fn row(id: &str, name: &str, slug: &str, date: &str, tags: &[&str], cover: Option<Value>) -> Page {
    let tags: Vec<Value> = tags.iter().map(|t| json!({"name": t})).collect();
    Page::from_value(&json!({
        "object": "page", "id": id, "last_edited_time": "2026-11-28T10:00:00.000Z",
        "cover": cover, "icon": {"type": "emoji", "emoji": "🧪"},
        "properties": {
            "Name": title(name),
            "Slug": {"id": "g", "type": "rich_text", "rich_text": [text(slug)]},
            "Date": {"id": "d", "type": "date", "date": {"start": date}},
            "Tags": {"id": "t", "type": "multi_select", "multi_select": tags},
            "Description": {"id": "s", "type": "rich_text", "rich_text": [text("Every Notion block, rendered by notion-bake.")]}
        }
    }))
}

fn standalone(id: &str, name: &str) -> Page {
    Page::from_value(&json!({"object": "page", "id": id, "properties": {"title": title(name)}}))
}

/// A small site around the kitchen sink: it as a post (with a cover and tags), a post without a
/// cover, an About page with a child page, and the Markdown pages of `site_dir/content`.
pub fn sample_site(site_dir: &Path) -> (SiteConfig, Site) {
    let config = SiteConfig::from_toml_with_env(
        site_dir,
        r#"title = "Field Notes"
base_url = "https://example.org/blog"
description = "Photos, notes and experiments"
[blog]
database = "22222222222222222222222222222222"
posts_per_page = 1
"#,
        &|_| None,
    )
    .expect("the sample config");
    let photo = json!({"type": "file", "file": {"url": PHOTO_URL, "expiry_time": "2026-01-01T00:00:00.000Z"}});
    let rows = vec![
        (
            row(
                PAGE_ID,
                "Kitchen sink: every block <type>",
                "kitchen-sink",
                "2026-11-28",
                &["Rust", "Notion"],
                Some(photo),
            ),
            kitchen_sink(),
        ),
        (
            row(
                "33333333333333333333333333333333",
                "A post without a cover",
                "",
                "2026-11-20",
                &["Rust"],
                None,
            ),
            vec![Block::from_value(&text_block(
                900,
                "paragraph",
                vec![text("Short.")],
                vec![],
            ))],
        ),
    ];
    let about = "44444444444444444444444444444444";
    let sources = Sources {
        blog: Some(BlogSource {
            database: Database::from_value(
                &json!({"object": "database", "id": "22222222222222222222222222222222", "title": []}),
            ),
            data_source_id: None,
            includes_drafts: false,
            rows,
            related_titles: Default::default(),
        }),
        pages: vec![
            PageSource {
                page: standalone(about, "About"),
                blocks: vec![Block::from_value(&text_block(
                    901,
                    "paragraph",
                    vec![text("A standalone page.")],
                    vec![],
                ))],
                path: Some("about".into()),
                parent: None,
                database: None,
            },
            PageSource {
                page: standalone(LINKED_PAGE_ID, "Another page"),
                blocks: vec![Block::from_value(&text_block(
                    902,
                    "breadcrumb",
                    vec![],
                    vec![],
                ))],
                path: None,
                parent: Some(about.into()),
                database: None,
            },
        ],
        databases: Vec::new(),
        rows_on_posts: Vec::new(),
    };
    let mut site = Site::assemble(&config, sources, false).expect("the sample site");
    add_kitchen_sink_links(&mut site.links);
    site.join_assets(kitchen_sink_assets());
    (config, site)
}

/// Renders the sample site with the built-in templates into `out_dir`: every generated file,
/// and for the baked images stand-ins of their real size when `stand_in_images` (for theme
/// screenshots; other baked files are left out). Returns the render warnings.
pub fn render_sample_site(out_dir: &Path, stand_in_images: bool) -> anyhow::Result<Vec<String>> {
    let site_dir = tempfile::tempdir()?;
    let (config, site) = sample_site(site_dir.path());
    let templates = Templates::builtin();
    let highlights = HighlightMemo::new(Default::default());
    let rendered = HtmlSite {
        config: &config,
        templates: &templates,
        highlights: &highlights,
    }
    .render(&site)?;
    for file in &rendered.files {
        let path = out_dir.join(file.path());
        std::fs::create_dir_all(path.parent().expect("a parent"))?;
        match file {
            OutputFile::Generated { bytes, .. } => std::fs::write(&path, bytes)?,
            OutputFile::Copied { .. } if stand_in_images => {
                write_stand_in(&site, file.path(), &path)
            }
            OutputFile::Copied { .. } | OutputFile::Seeded { .. } | OutputFile::Region { .. } => {}
        }
    }
    Ok(rendered.warnings)
}

/// A gradient of the baked image's real size at `path`, if the file is an image.
fn write_stand_in(site: &Site, site_path: &str, path: &Path) {
    let size = site.assets.assets().find_map(|asset| {
        let info = asset.image.as_ref()?;
        if asset.path == site_path {
            return Some((info.width, info.height));
        }
        info.variants
            .iter()
            .find(|v| v.path == site_path)
            .map(|v| (v.width, v.height))
    });
    let Some((w, h)) = size else { return };
    let image = image::RgbImage::from_fn(w, h, |x, y| {
        let t = x as f32 / w as f32;
        let s = y as f32 / h as f32;
        image::Rgb([
            (40.0 + 120.0 * t) as u8,
            (90.0 + 80.0 * s) as u8,
            (160.0 + 60.0 * (1.0 - t)) as u8,
        ])
    });
    image.save(path).expect("a stand-in image");
}
