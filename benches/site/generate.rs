//! Inputs of the site bench: photo-like JPEGs, PNG screenshots, and the blocks of posts.
//!
//! A 12 MP JPEG takes about a second to generate, so a few distinct base photos are made and
//! each file of the workspace is a base photo with its own JPEG comment (or PNG `tEXt` chunk):
//! the pixels (and so the encoding work) are those of a real-sized photo, the bytes and hence
//! the content hash differ per file, and every file still decodes.

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::fake_notion::blocks as b;
pub use crate::photo::Rng;
use crate::photo::photo_jpeg;

/// An integer in `0..n`.
impl Rng {
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A UI screenshot as PNG: flat panels, a title bar, lines of "text" (dark glyph-sized boxes),
/// a few buttons and a soft gradient banner, i.e. what screenshots in blog posts look like.
pub fn screenshot_png(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed);
    let mut image = image::RgbImage::from_pixel(width, height, image::Rgb([246, 247, 249]));
    let mut fill = |x0: u32, y0: u32, w: u32, h: u32, c: [u8; 3]| {
        for y in y0..(y0 + h).min(height) {
            for x in x0..(x0 + w).min(width) {
                image.put_pixel(x, y, image::Rgb(c));
            }
        }
    };
    fill(0, 0, width, 48, [40, 44, 52]);
    fill(0, 48, width / 5, height - 48, [232, 234, 238]);
    let banner_h = height / 6;
    for y in 60..60 + banner_h {
        let t = (y - 60) as f32 / banner_h as f32;
        let c = [
            (90.0 + 80.0 * t) as u8,
            (120.0 + 40.0 * t) as u8,
            (200.0 - 30.0 * t) as u8,
        ];
        fill(width / 5 + 24, y, width - width / 5 - 48, 1, c);
    }
    let mut y = 80 + banner_h;
    while y + 20 < height {
        let mut x = width / 5 + 32;
        let line_end = x + (width - x - 64) * (60 + rng.below(40) as u32) / 100;
        while x + 12 < line_end {
            let glyphs = 2 + rng.below(8) as u32;
            for _ in 0..glyphs {
                let gw = 6 + rng.below(6) as u32;
                let gh = 10 + rng.below(5) as u32;
                fill(x, y + 16 - gh, gw, gh, [50, 54, 62]);
                x += gw + 2;
            }
            x += 10;
        }
        y += if rng.below(7) == 0 { 48 } else { 26 };
        if rng.below(15) == 0 && y + 40 < height {
            fill(width / 5 + 32, y, 140, 34, [37, 99, 235]);
            y += 50;
        }
    }
    for i in 0..12 {
        fill(16, 80 + i * 40, width / 5 - 32, 22, [200, 204, 212]);
    }
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(
            image.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    png
}

use image::ImageEncoder as _;

/// `jpeg` with a comment segment (`FF FE`) right after SOI: same pixels, different bytes.
pub fn jpeg_with_comment(jpeg: &[u8], comment: &str) -> Vec<u8> {
    assert_eq!(&jpeg[..2], [0xFF, 0xD8], "not a JPEG");
    let length = (comment.len() + 2) as u16;
    let mut out = Vec::with_capacity(jpeg.len() + comment.len() + 4);
    out.extend_from_slice(&jpeg[..2]);
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(comment.as_bytes());
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// `png` with a `tEXt` chunk right after IHDR: same pixels, different bytes.
pub fn png_with_text(png: &[u8], text: &str) -> Vec<u8> {
    // Signature (8) + IHDR chunk (4 length + 4 type + 13 data + 4 CRC).
    let after_ihdr = 8 + 25;
    assert_eq!(&png[12..16], b"IHDR", "not a PNG");
    let mut data = b"Comment\0".to_vec();
    data.extend_from_slice(text.as_bytes());
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    let mut typed = b"tEXt".to_vec();
    typed.extend_from_slice(&data);
    chunk.extend_from_slice(&typed);
    chunk.extend_from_slice(&crc32fast::hash(&typed).to_be_bytes());
    let mut out = Vec::with_capacity(png.len() + chunk.len());
    out.extend_from_slice(&png[..after_ihdr]);
    out.extend_from_slice(&chunk);
    out.extend_from_slice(&png[after_ihdr..]);
    out
}

/// The distinct images every file of a workspace is derived from.
pub struct BaseImages {
    pub photos: Vec<Vec<u8>>,
    pub screenshots: Vec<Vec<u8>>,
}

impl BaseImages {
    /// Photos of `width`×`height` at several detail levels (so several file sizes), and
    /// screenshots of about two thirds of that width, generated in parallel.
    pub fn generate(width: u32, height: u32) -> BaseImages {
        let details = [0.9f32, 1.3, 1.8, 2.4];
        let photos = details
            .par_iter()
            .enumerate()
            .map(|(i, &detail)| photo_jpeg(width, height, detail, 0x5eed + i as u64))
            .collect();
        let (sw, sh) = (width * 2 / 3, width * 2 / 3 * 10 / 16);
        let screenshots = (0..2u64)
            .into_par_iter()
            .map(|i| screenshot_png(sw, sh, 0xc0de + i))
            .collect();
        BaseImages {
            photos,
            screenshots,
        }
    }

    /// File number `k`: every tenth file is a screenshot, the rest are photos.
    pub fn file(&self, k: usize) -> File<'_> {
        if k % 10 == 9 {
            self.screenshot(k, k / 10)
        } else {
            self.photo(k, k)
        }
    }

    /// File number `k` as a photo, made from base photo `base` (modulo their number).
    pub fn photo(&self, k: usize, base: usize) -> File<'_> {
        let base = &self.photos[base % self.photos.len()];
        File {
            name: format!("IMG_{:04}.jpg", 1000 + k),
            bytes: jpeg_with_comment(base, &file_tag(k)),
            base,
        }
    }

    /// File number `k` as a screenshot, made from base screenshot `base` (modulo their
    /// number).
    pub fn screenshot(&self, k: usize, base: usize) -> File<'_> {
        let base = &self.screenshots[base % self.screenshots.len()];
        File {
            name: format!("Screenshot {k}.png"),
            bytes: png_with_text(base, &file_tag(k)),
            base,
        }
    }
}

/// The text that makes file number `k` differ from every other file of a base image.
fn file_tag(k: usize) -> String {
    format!("notion-bake site bench file {k}")
}

/// One file of a workspace: its name, its bytes, and the base image it was made from (the
/// same pixels, so the same image work).
pub struct File<'a> {
    pub name: String,
    pub bytes: Vec<u8>,
    pub base: &'a [u8],
}

const WORDS: &[&str] = &[
    "lake", "morning", "trail", "ridge", "canoe", "pine", "river", "light", "stone", "path",
    "camp", "fire", "map", "valley", "mist", "bridge", "harbour", "island", "wind", "coffee",
    "north", "autumn", "field", "notes", "walk", "shore", "cabin", "summit", "cloud", "meadow",
];

/// A sentence of `n` words.
pub fn sentence(rng: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let w = WORDS[rng.below(WORDS.len())];
        if i == 0 {
            let mut c = w.chars();
            s.extend(c.next().map(|c| c.to_ascii_uppercase()));
            s.push_str(c.as_str());
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

/// A paragraph with some bold, italic, code and a link, like real writing.
pub fn rich_paragraph(rng: &mut Rng) -> Value {
    b::paragraph(vec![
        b::text(&format!("{} ", sentence(rng, 12))),
        b::annotated(&sentence(rng, 3), &["bold"]),
        b::text(&format!(" {} ", sentence(rng, 9))),
        b::annotated("cargo build", &["code"]),
        b::text(" and "),
        b::link("the map", "https://example.org/maps/ridge?zoom=12"),
        b::text(&format!(". {}", sentence(rng, 14))),
        b::annotated(&sentence(rng, 4), &["italic"]),
    ])
}

/// The blocks of one blog post around its photos, and how many block-children requests its
/// tree needs (the page itself plus every block with children).
pub fn post_blocks(rng: &mut Rng, index: usize, photos: Vec<Value>) -> (Vec<Value>, usize) {
    let mut blocks = vec![rich_paragraph(rng), b::heading_2(sentence(rng, 3))];
    let mut requests = 1;
    for photo in photos {
        blocks.push(rich_paragraph(rng));
        blocks.push(photo);
        blocks.push(b::paragraph(sentence(rng, 20)));
    }
    blocks.push(b::heading_2("Notes"));
    for _ in 0..3 {
        blocks.push(b::bulleted(sentence(rng, 6)));
    }
    blocks.push(b::quote(sentence(rng, 15)));
    if index.is_multiple_of(3) {
        blocks.push(b::code(
            "fn main() {\n    let route = plan(\"ridge\");\n    println!(\"{route:?}\");\n}\n",
            "rust",
        ));
    }
    // Every fifth post folds a few paragraphs away: one more request for its children.
    if index.is_multiple_of(5) {
        blocks.push(b::toggle(
            "Gear list",
            vec![
                b::bulleted("Tent"),
                b::bulleted("Stove"),
                b::paragraph(sentence(rng, 10)),
            ],
        ));
        requests += 1;
    }
    blocks.push(rich_paragraph(rng));
    (blocks, requests)
}

/// A long text page of `count` top-level blocks (no Notion-hosted files) for the render-only
/// scenario: headings, paragraphs, lists, quotes, callouts, code, to-dos, external images,
/// dividers and an equation; and how many block-children requests it needs.
pub fn text_page_blocks(rng: &mut Rng, count: usize) -> (Vec<Value>, usize) {
    let mut blocks = Vec::with_capacity(count);
    while blocks.len() < count {
        let block = match blocks.len() % 20 {
            0 => b::heading_2(sentence(rng, 4)),
            1 | 4 | 7 | 12 | 16 => rich_paragraph(rng),
            2 | 3 => b::bulleted(vec![
                b::annotated(&sentence(rng, 2), &["bold"]),
                b::text(&format!(" {}", sentence(rng, 8))),
            ]),
            5 => b::quote(sentence(rng, 18)),
            6 => b::callout(sentence(rng, 12), b::emoji("💡")),
            8 => b::code(&rust_snippet(rng), "rust"),
            9 | 10 => b::numbered(sentence(rng, 7)),
            11 => b::heading_3(sentence(rng, 3)),
            13 => b::to_do(sentence(rng, 5), rng.below(2) == 0),
            14 => b::image(
                b::external(&format!(
                    "https://images.example.com/photo-{}.jpg?w=1600&q=80",
                    rng.below(10_000)
                )),
                sentence(rng, 5).as_str(),
            ),
            15 => b::divider(),
            17 => b::equation("e^{i\\pi} + 1 = 0"),
            _ => b::paragraph(sentence(rng, 25)),
        };
        blocks.push(block);
    }
    (blocks, count.div_ceil(100))
}

/// A 9-line Rust function with its own names and literals, so no two code blocks of the
/// render-only site are alike (as in real writing) and highlighting cannot be memoised.
fn rust_snippet(rng: &mut Rng) -> String {
    let word = |rng: &mut Rng| WORDS[rng.below(WORDS.len())];
    let (name, item, key) = (word(rng), word(rng), word(rng));
    let limit = rng.below(1_000);
    format!(
        "use std::collections::HashMap;\n\n\
         fn count_{name}(items: &[&str]) -> HashMap<&str, usize> {{\n    \
         let mut {item}s = HashMap::new();\n    \
         for {item} in items.iter().filter(|w| w.len() < {limit}) {{\n        \
         *{item}s.entry(*{item}).or_insert(0) += 1; // {key}\n    \
         }}\n    \
         {item}s\n\
         }}\n"
    )
}

/// Post properties: a title, published, a date, tags.
pub fn post_properties(rng: &mut Rng, index: usize) -> Value {
    let tags = ["Lakes", "Mountains", "Gear", "Food", "Winter", "Rivers"];
    json!({
        "Name": format!("{} {index}", sentence(rng, 3).trim_end_matches('.')),
        "Published": true,
        "Date": format!("2025-{:02}-{:02}", 1 + index % 12, 1 + index % 28),
        "Tags": [tags[index % tags.len()], tags[(index / 7) % tags.len()]],
        "Description": sentence(rng, 12),
    })
}

/// The blocks of a post nested the way real Notion pages are (issue 15): lists and toggles
/// three and four levels deep, a column list of three columns (a photo in one of them), a
/// synced block and its copy, a table, and every fourth post over 100 top-level blocks (two
/// pages of children). `photos` are spread over the levels, so some only arrive deep down.
pub fn nested_post_blocks(rng: &mut Rng, index: usize, mut photos: Vec<Value>) -> Vec<Value> {
    let mut take_photo = || {
        if photos.is_empty() {
            b::paragraph("(no photo)")
        } else {
            photos.remove(0)
        }
    };
    let synced_id = format!("nested-synced-{index}");
    let mut blocks = vec![
        rich_paragraph(rng),
        take_photo(),
        b::heading_2(sentence(rng, 3)),
    ];
    // A list four levels deep.
    blocks.push(b::with_children(
        b::bulleted(sentence(rng, 6)),
        vec![
            b::with_children(
                b::bulleted(sentence(rng, 5)),
                vec![b::with_children(
                    b::bulleted(sentence(rng, 4)),
                    vec![b::bulleted(sentence(rng, 4)), b::bulleted(sentence(rng, 3))],
                )],
            ),
            b::bulleted(sentence(rng, 5)),
        ],
    ));
    // A toggle holding a numbered list three levels deep and a photo.
    blocks.push(b::toggle(
        sentence(rng, 3).as_str(),
        vec![
            b::with_children(
                b::numbered(sentence(rng, 6)),
                vec![b::with_children(
                    b::numbered(sentence(rng, 5)),
                    vec![b::numbered(sentence(rng, 4))],
                )],
            ),
            take_photo(),
            b::paragraph(sentence(rng, 12)),
        ],
    ));
    blocks.push(b::column_list(vec![
        b::column(vec![take_photo(), b::paragraph(sentence(rng, 10))]),
        b::column(vec![
            b::paragraph(sentence(rng, 14)),
            b::with_children(
                b::bulleted(sentence(rng, 4)),
                vec![b::bulleted(sentence(rng, 4))],
            ),
        ]),
        b::column(vec![b::quote(sentence(rng, 12))]),
    ]));
    blocks.push(b::with_id(
        b::synced_original(vec![
            b::paragraph(sentence(rng, 10)),
            b::with_children(
                b::to_do(sentence(rng, 4), false),
                vec![b::paragraph(sentence(rng, 6))],
            ),
        ]),
        &synced_id,
    ));
    blocks.push(route_table());
    blocks.push(take_photo());
    let top_level = if index.is_multiple_of(4) { 130 } else { 40 };
    while blocks.len() < top_level - 2 {
        blocks.push(match blocks.len() % 5 {
            0 => b::heading_3(sentence(rng, 3)),
            1 | 3 => rich_paragraph(rng),
            2 => b::bulleted(sentence(rng, 7)),
            _ => b::paragraph(sentence(rng, 18)),
        });
    }
    blocks.push(b::synced_copy(&synced_id));
    blocks.push(rich_paragraph(rng));
    for photo in photos {
        blocks.push(photo);
    }
    blocks
}

/// The blocks of a short post shaped like the workspace of issue 15: ~20 top-level blocks,
/// 4 photos and 3 screenshots, and the nesting of real Notion pages without a pile of
/// containers. Every post has a bulleted list three levels deep (2 block-children requests),
/// a column list of two columns (3 requests: the list, then each column), a callout and a
/// quote; in turn, a post also has a toggle and a table (`index % 3 == 0`), a synced block and
/// its copy (`== 1`), or a toggle (`== 2`): with the page's own request, 8, 8 and 7
/// block-children requests. The caller adds the child page (its content is not the post's)
/// and the files outside the blocks (cover, attachments). Photos sit at every depth: the
/// first and the last at the top, one in a column, one in the list or the toggle.
pub fn compact_post_blocks(
    rng: &mut Rng,
    index: usize,
    photos: [Value; 4],
    screenshots: [Value; 3],
) -> Vec<Value> {
    let [top_photo, column_photo, nested_photo, last_photo] = photos;
    let [first_screenshot, column_screenshot, last_screenshot] = screenshots;
    let synced_id = format!("compact-synced-{index}");
    let mut blocks = vec![
        rich_paragraph(rng),
        top_photo,
        b::heading_2(sentence(rng, 3)),
        rich_paragraph(rng),
    ];
    // A list three levels deep; the photo of a post without a toggle sits in it.
    let mut second_level = vec![b::with_children(
        b::bulleted(sentence(rng, 5)),
        vec![b::bulleted(sentence(rng, 4)), b::bulleted(sentence(rng, 4))],
    )];
    let in_turn = index % 3;
    let nested_photo = if in_turn == 1 {
        second_level.push(nested_photo);
        None
    } else {
        Some(nested_photo)
    };
    second_level.push(b::bulleted(sentence(rng, 5)));
    blocks.push(b::with_children(
        b::bulleted(sentence(rng, 6)),
        second_level,
    ));
    blocks.push(b::bulleted(sentence(rng, 6)));
    blocks.push(b::bulleted(sentence(rng, 5)));
    blocks.push(first_screenshot);
    blocks.push(b::paragraph(sentence(rng, 16)));
    blocks.push(b::column_list(vec![
        b::column(vec![column_photo, b::paragraph(sentence(rng, 10))]),
        b::column(vec![b::paragraph(sentence(rng, 14)), column_screenshot]),
    ]));
    blocks.push(b::heading_2(sentence(rng, 2)));
    if let Some(photo) = nested_photo {
        blocks.push(b::toggle(
            sentence(rng, 3).as_str(),
            vec![
                b::bulleted(sentence(rng, 3)),
                b::bulleted(sentence(rng, 3)),
                photo,
                b::paragraph(sentence(rng, 12)),
            ],
        ));
    }
    if in_turn == 0 {
        blocks.push(route_table());
    }
    if in_turn == 1 {
        blocks.push(b::with_id(
            b::synced_original(vec![
                b::paragraph(sentence(rng, 10)),
                b::bulleted(sentence(rng, 5)),
            ]),
            &synced_id,
        ));
    }
    blocks.push(rich_paragraph(rng));
    blocks.push(b::callout(sentence(rng, 12), b::emoji("💡")));
    blocks.push(last_screenshot);
    blocks.push(b::quote(sentence(rng, 15)));
    blocks.push(rich_paragraph(rng));
    if in_turn == 1 {
        blocks.push(b::synced_copy(&synced_id));
    }
    blocks.push(last_photo);
    blocks.push(b::paragraph(sentence(rng, 20)));
    blocks
}

/// The block-children requests a page's tree needs, as the crawl makes them: one per 100
/// children of the page and of every block with children (a child page's content is not part
/// of a post), a synced copy costing what its original's subtree costs (its children endpoint
/// serves the original's children). Also the tree's depth in dependent requests.
pub fn tree_requests(blocks: &[Value]) -> (usize, usize) {
    let mut originals = std::collections::HashMap::new();
    collect_originals(blocks, &mut originals);
    walk(blocks, &originals)
}

fn children_of(block: &Value) -> &[Value] {
    block
        .get(crate::fake_notion::blocks::CHILDREN_KEY)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn collect_originals<'v>(
    blocks: &'v [Value],
    out: &mut std::collections::HashMap<String, &'v [Value]>,
) {
    for block in blocks {
        if block["type"] == "synced_block" && block["synced_block"]["synced_from"].is_null() {
            out.insert(
                block["id"].as_str().unwrap_or_default().to_owned(),
                children_of(block),
            );
        }
        collect_originals(children_of(block), out);
    }
}

fn walk(
    blocks: &[Value],
    originals: &std::collections::HashMap<String, &[Value]>,
) -> (usize, usize) {
    let mut requests = blocks.len().div_ceil(100).max(1);
    let mut deepest = 0;
    for block in blocks {
        let children = match block["synced_block"]["synced_from"]["block_id"].as_str() {
            Some(original) => originals.get(original).copied().unwrap_or(&[]),
            None if block["type"] == "child_page" => &[],
            None => children_of(block),
        };
        if !children.is_empty() {
            let (r, d) = walk(children, originals);
            requests += r;
            deepest = deepest.max(d);
        }
    }
    (requests, 1 + deepest)
}

/// A small table of a route's days, as posts of both tree scenarios carry.
fn route_table() -> Value {
    b::table(
        true,
        false,
        vec![
            vec!["Day", "Distance", "Weather"],
            vec!["1", "12 km", "fog"],
            vec!["2", "18 km", "sun"],
            vec!["3", "9 km", "rain"],
        ],
    )
}
