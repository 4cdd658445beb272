//! Whole-site benchmark (issue 6): `cargo bench --bench site [-- --quick] [-- --only cold,warm]`.
//!
//! Starts the fake Notion server on a generated workspace and builds the site with
//! `pipeline::build`, scenario after scenario:
//!
//! - **cold**: 200 posts × 4 photos (12 MP JPEGs of 2–5 MB, every tenth file a PNG screenshot),
//!   empty cache, client pacer at 3 req/s and the server limiting to 3 req/s (burst 3) as
//!   Notion does;
//! - **warm**: the same site again, nothing changed in Notion;
//! - **one edit**: one paragraph of one post changed;
//! - **cold, image CPU under the floor**: 200 posts × 1 photo of 1024×768, so the image work
//!   fits under the request floor and wall ÷ floor shows what the crawl itself costs (smaller
//!   photos alone do not do it: the cost of a photo is mostly the encodes of its variants,
//!   which are as wide for a 2 MP photo as for a 12 MP one);
//! - **render-only**: 1,000 cached posts of 200 blocks each (pulled first; the pull highlights
//!   the code blocks while the pages arrive), built offline: into a fresh output, then again
//!   (output unchanged), and for reference once more with `.notion-bake/highlights.json`
//!   deleted, so that every code block is highlighted during the build.
//!
//! Each build runs in a child process (this binary again, with `NB_SITE_BENCH_CHILD` set), so
//! its CPU time (`wait4`'s rusage) and peak RSS are the build's alone: the fake server and the
//! generated files (gigabytes of photos held in memory) stay in the parent. Peak RSS is the
//! child's own `VmHWM`, read just before it exits: `ru_maxrss` cannot be used, because Linux
//! carries the parent's high-water mark into a forked child across `exec` (it reported the
//! parent's 2.5 GB for every child). The parent reads the request log of the fake server and
//! samples the child's RSS while it runs.
//!
//! To profile one build by hand, keep the folders (`--keep`) and run this binary with
//! `NB_SITE_BENCH_CHILD='{"mode":"Offline","site_dir":"…","api_url":"http://127.0.0.1:1",
//! "token":null,"database_id":"…","requests_per_second":3.0,"api_version":"2025-09-03"}'`
//! under `perf record`.
//!
//! - **nested** (issue 15): 24 and 200 posts nested the way real Notion pages are (lists and
//!   toggles 3–4 levels deep, three-column lists, synced blocks and their copies, tables, child
//!   pages, every fourth post over 100 top-level blocks), 4 photos of 2400×1600 and a PDF in a
//!   files property each, with 150 ms of API latency; it prints when page trees were stored,
//!   when the crawl, the downloads and the encodes finished, the pacer's idle time, the longest
//!   chain of dependent requests, the peak requests in flight, and an estimate of the image
//!   work (CPU-s on one thread) against the floor. `--nested N` runs one size.
//! - **compact** (issue 15): 24 posts shaped like the workspace issue 15 measured: ~20
//!   top-level blocks and 7–8 block-children requests a post (a list 3 levels deep, two
//!   columns, in turn a toggle and a table, a synced block and its copy, or a toggle; a callout,
//!   a child page) and 9 files a post (4 photos alternately 2400×1600 and 1600×1067, 3 PNG
//!   screenshots, a cover photo, a PDF in the files property), with 150 ms of API latency; the
//!   image work is then a large share of the crawl's time. It prints what `nested` prints.
//!   `--compact N` runs N posts.
//!
//! - **publish** (issue 23): after the cold build and after the render-only scenario, the
//!   cache's site is built offline once more and its files are published into fresh folders
//!   twice, timed one after the other (best of 3 each): as builds do (every cache file copied:
//!   a file of its own, 0644) and as versions before issue 23 did (hard links into the cache).
//!   It prints the wall and CPU time of each and the bytes taken from the cache. `--posts N`
//!   sets the cold scenario's number of posts (4 photos each; 200 by default).
//!
//! `--quick`: a tiny site (6 posts × 2 small photos, 20 pages × 50 blocks, 4 posts of each
//! issue-15 shape): a smoke test of the harness for CI, with no timing assertions. `--keep`:
//! leave the site folders in place.
//! `--api 2022-06-28`: every build speaks that Notion API version (databases without data
//! sources: one discovery request instead of two).

#[path = "../tests/support/fake_notion/mod.rs"]
mod fake_notion;
#[path = "site/generate.rs"]
mod generate;
#[path = "support/photo.rs"]
mod photo;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use fake_notion::{Endpoint, FakeNotion, Workspace, blocks as b};
use generate::{BaseImages, Rng};
use notion_bake::config::{ApiVersion, BlogConfig, SiteConfig};
use notion_bake::notion::ids::NotionId;
use serde::{Deserialize, Serialize};

const CHILD_ENV: &str = "NB_SITE_BENCH_CHILD";
/// Notion's average rate limit, which sets the floor of a cold build.
const RATE: f64 = 3.0;
const BURST: u32 = 3;
/// The Notion API version every build of this run uses (`--api 2022-06-28`).
static API_VERSION: std::sync::OnceLock<ApiVersion> = std::sync::OnceLock::new();

fn api_version() -> ApiVersion {
    API_VERSION.get().copied().unwrap_or_default()
}

/// Requests that find the blog's database before its query: the database, then (from
/// 2025-09-03) its data source.
fn discovery_requests() -> usize {
    if api_version() == ApiVersion::V2022_06_28 {
        1
    } else {
        2
    }
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD_ENV) {
        child(serde_json::from_str(&spec).expect("a child spec"));
        return;
    }
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let keep = args.iter().any(|a| a == "--keep");
    let only: Option<Vec<String>> = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(|list| list.split(',').map(str::to_owned).collect());
    let wants = |name: &str| only.as_ref().is_none_or(|o| o.iter().any(|n| n == name));
    let mut size = if quick { Size::QUICK } else { Size::FULL };
    if let Some(posts) = args.iter().position(|a| a == "--posts").map(|i| {
        let given = args.get(i + 1).map_or("", String::as_str);
        given
            .parse::<usize>()
            .unwrap_or_else(|_| panic!("--posts {given:?}: not a number of posts"))
    }) {
        size.posts = posts;
    }
    if let Some(version) = args.iter().position(|a| a == "--api").map(|i| {
        let given = args.get(i + 1).map_or("", String::as_str);
        given.parse::<ApiVersion>().unwrap_or_else(|()| {
            panic!("--api {given:?}: not a Notion API version notion-bake knows")
        })
    }) {
        API_VERSION.set(version).unwrap();
    }

    println!("notion-bake site bench ({})", size.name);
    println!("  machine: {}", machine());
    println!("  load at start: {}", load());
    println!("  Notion API version: {}", api_version());
    println!(
        "  targets (issue 6): cold wall ÷ floor ≤ 1.15 once image CPU fits under the floor, minimum requests, \
         no pacer idling; warm: only the query, 0 children/downloads/encodes, wall < 1 s beyond the requests; \
         one edit: only that post's tree, none of its files again; render-only 1,000 × 200 blocks < 2 s; \
         cold peak RSS < 500 MB, not growing with the number of photos"
    );
    if quick {
        println!("  --quick: tiny sizes, figures are not comparable with the targets");
    }
    let root = tempfile::Builder::new()
        .prefix("notion-bake-site-bench-")
        .tempdir()
        .expect("a temp dir");
    println!("  work folder: {}", root.path().display());

    if wants("cold") || wants("warm") || wants("edit") || wants("publish") {
        blog_scenarios(&size, root.path(), &wants);
    }
    if wants("cold-fit") {
        cold_fit_scenario(&size, root.path());
    }
    if wants("render") {
        render_scenario(&size, root.path(), wants("publish"));
    }
    for shape in [Shape::Nested, Shape::Compact] {
        if wants(shape.name()) {
            // `--nested 24` or `--compact 24` runs one size only.
            let asked: Option<usize> = args
                .iter()
                .position(|a| *a == format!("--{}", shape.name()))
                .and_then(|i| args.get(i + 1)?.parse().ok());
            for posts in asked.map_or(shape.posts(&size).to_vec(), |n| vec![n]) {
                tree_scenario(shape, posts, &size, root.path());
            }
        }
    }
    println!("\nload at end: {}", load());
    if keep {
        println!("kept {}", root.keep().display());
    }
}

/// The sizes of one run.
struct Size {
    name: &'static str,
    posts: usize,
    photos_per_post: usize,
    photo: (u32, u32),
    fit_posts: usize,
    fit_photos_per_post: usize,
    fit_photo: (u32, u32),
    render_pages: usize,
    render_blocks: usize,
    /// The nested-content scenario's sizes (posts), and its photos.
    nested_posts: &'static [usize],
    nested_photo: (u32, u32),
    /// The compact scenario's sizes (posts), and its photos (alternately of each size).
    compact_posts: &'static [usize],
    compact_photos: [(u32, u32); 2],
}

impl Size {
    const FULL: Size = Size {
        name: "full size",
        posts: 200,
        photos_per_post: 4,
        photo: (4032, 3024),
        fit_posts: 200,
        fit_photos_per_post: 1,
        fit_photo: (1024, 768),
        render_pages: 1000,
        render_blocks: 200,
        nested_posts: &[24, 200],
        nested_photo: (2400, 1600),
        compact_posts: &[24],
        compact_photos: [(2400, 1600), (1600, 1067)],
    };
    const QUICK: Size = Size {
        name: "--quick",
        posts: 6,
        photos_per_post: 2,
        photo: (800, 600),
        fit_posts: 6,
        fit_photos_per_post: 1,
        fit_photo: (400, 300),
        render_pages: 20,
        render_blocks: 50,
        nested_posts: &[4],
        nested_photo: (400, 300),
        compact_posts: &[4],
        compact_photos: [(400, 300), (300, 200)],
    };
}

// ------------------------------------------------------------------------------- workspaces

/// A generated blog: the server, its database, the posts, and the fewest API requests a
/// cold crawl can make (discovery + query pages + one children request per page and per
/// block with children).
struct Blog {
    server: FakeNotion,
    database_id: String,
    posts: Vec<String>,
    children_requests: Vec<usize>,
    files: usize,
    jpeg_bytes: (usize, usize),
    pngs: usize,
}

impl Blog {
    fn cold_minimum(&self) -> usize {
        discovery_requests() + self.query_pages() + self.children_requests.iter().sum::<usize>()
    }

    fn query_pages(&self) -> usize {
        self.posts.len().div_ceil(100).max(1)
    }
}

fn blog_workspace(posts: usize, photos_per_post: usize, photo: (u32, u32)) -> Blog {
    let started = Instant::now();
    let bases = BaseImages::generate(photo.0, photo.1);
    let mut ws = Workspace::new();
    let db = ws.add_database(
        "Field Notes",
        &[
            ("Published", "checkbox"),
            ("Date", "date"),
            ("Tags", "multi_select"),
            ("Description", "rich_text"),
        ],
    );
    let mut rng = Rng(0xb106);
    let mut ids = Vec::new();
    let mut children_requests = Vec::new();
    let (mut smallest, mut largest, mut pngs) = (usize::MAX, 0, 0);
    for i in 0..posts {
        let photos = (0..photos_per_post)
            .map(|j| {
                let generate::File { name, bytes, .. } = bases.file(i * photos_per_post + j);
                if name.ends_with(".png") {
                    pngs += 1;
                } else {
                    smallest = smallest.min(bytes.len());
                    largest = largest.max(bytes.len());
                }
                let file = ws.add_file(&name, bytes);
                b::image(b::hosted(&file), generate::sentence(&mut rng, 5).as_str())
            })
            .collect();
        let (blocks, requests) = generate::post_blocks(&mut rng, i, photos);
        let properties = generate::post_properties(&mut rng, i);
        ids.push(ws.add_row(&db, properties, blocks));
        children_requests.push(requests);
    }
    println!(
        "  generated {posts} posts × {photos_per_post} files in {:.1} s: JPEG {}×{} {:.1}–{:.1} MB, {pngs} PNG screenshots of {} KB",
        started.elapsed().as_secs_f64(),
        photo.0,
        photo.1,
        smallest as f64 / 1e6,
        largest as f64 / 1e6,
        bases.screenshots[0].len() / 1024,
    );
    Blog {
        server: FakeNotion::start_blocking(ws),
        database_id: db.database_id,
        posts: ids,
        children_requests,
        files: posts * photos_per_post,
        jpeg_bytes: (smallest, largest),
        pngs,
    }
}

fn site_config(dir: &Path, server: &FakeNotion, database_id: &str, rate: f64) -> ChildSpec {
    std::fs::create_dir_all(dir).unwrap();
    ChildSpec {
        mode: Mode::Build,
        site_dir: dir.to_owned(),
        api_url: server.url(),
        token: Some(server.token().to_owned()),
        database_id: database_id.to_owned(),
        requests_per_second: rate,
        api_version: api_version().as_str().to_owned(),
    }
}

// -------------------------------------------------------------------------------- scenarios

fn blog_scenarios(size: &Size, root: &Path, wants: &dyn Fn(&str) -> bool) {
    println!(
        "\n== cold / warm / one edit: {} posts × {} photos",
        size.posts, size.photos_per_post
    );
    let blog = blog_workspace(size.posts, size.photos_per_post, size.photo);
    blog.server.set_rate_limit(Some(RATE), BURST);
    let spec = site_config(&root.join("blog"), &blog.server, &blog.database_id, RATE);

    // Cold (always run: warm and edit need its cache).
    let cold = measure(&spec, &blog.server, true);
    print_cold(
        &format!(
            "cold: {} posts × {} files ({} JPEG {}×{} of {:.1}–{:.1} MB, {} PNG screenshots), empty cache",
            size.posts,
            size.photos_per_post,
            blog.files - blog.pngs,
            size.photo.0,
            size.photo.1,
            blog.jpeg_bytes.0 as f64 / 1e6,
            blog.jpeg_bytes.1 as f64 / 1e6,
            blog.pngs
        ),
        &cold,
        &blog,
    );
    if wants("publish") {
        publish_scenario(&spec, &blog.server);
    }

    if wants("warm") {
        // A later build: the server's rate-limit bucket has refilled since the last one.
        blog.server.set_rate_limit(Some(RATE), BURST);
        let warm = measure(&spec, &blog.server, false);
        print_common("warm: nothing changed in Notion", &warm);
        let only_query =
            warm.by(Endpoint::Query) == blog.query_pages() && warm.requests == blog.query_pages();
        verdict(
            &format!(
                "only the query reaches Notion ({} request(s)); 0 children, 0 downloads, 0 encodes",
                blog.query_pages()
            ),
            only_query
                && warm.by(Endpoint::BlockChildren) == 0
                && warm.downloads == 0
                && warm.report.variants_encoded == 0,
        );
        let beyond = warm.wall - warm.floor();
        verdict(
            &format!(
                "wall beyond the requests' floor < 1 s: {beyond:.2} s (floor {:.2} s; the build used {:.2} CPU s at load {})",
                warm.floor(),
                warm.cpu,
                warm.load
            ),
            beyond < 1.0,
        );
    }

    if wants("edit") {
        let post = &blog.posts[blog.posts.len() / 2];
        let paragraph = blog
            .server
            .with_workspace(|ws| ws.children_of(post))
            .into_iter()
            .next()
            .expect("the post has blocks");
        blog.server.edit_block(&paragraph, |block| {
            block["paragraph"]["rich_text"] =
                serde_json::json!([{"type": "text", "text": {"content": "Edited for the bench.", "link": null},
                  "annotations": {"bold": false, "italic": false, "strikethrough": false, "underline": false, "code": false, "color": "default"},
                  "plain_text": "Edited for the bench.", "href": null}]);
        });
        let index = blog.posts.len() / 2;
        blog.server.set_rate_limit(Some(RATE), BURST);
        let edit = measure(&spec, &blog.server, false);
        print_common("one edit: one paragraph of one post changed", &edit);
        let expected = blog.query_pages() + blog.children_requests[index];
        verdict(
            &format!(
                "only that post's tree is fetched: {} children request(s) for it, {} request(s) in all (expected {expected})",
                blog.server.requests_for(Endpoint::BlockChildren, post),
                edit.requests
            ),
            edit.requests == expected && edit.report.fetched == 1,
        );
        verdict(
            &format!(
                "its unchanged files are not downloaded again: {} download(s), {} encode(s)",
                edit.downloads, edit.report.variants_encoded
            ),
            edit.downloads == 0 && edit.report.variants_encoded == 0,
        );
    }
}

fn cold_fit_scenario(size: &Size, root: &Path) {
    println!(
        "\n== cold, image CPU under the floor: {} posts × {} photos of {}×{}",
        size.fit_posts, size.fit_photos_per_post, size.fit_photo.0, size.fit_photo.1
    );
    let blog = blog_workspace(size.fit_posts, size.fit_photos_per_post, size.fit_photo);
    blog.server.set_rate_limit(Some(RATE), BURST);
    let spec = site_config(&root.join("fit"), &blog.server, &blog.database_id, RATE);
    let cold = measure(&spec, &blog.server, true);
    print_cold(
        &format!(
            "cold, small photos: {} posts × {} files ({}×{} JPEG {:.2}–{:.2} MB, {} PNG)",
            size.fit_posts,
            size.fit_photos_per_post,
            size.fit_photo.0,
            size.fit_photo.1,
            blog.jpeg_bytes.0 as f64 / 1e6,
            blog.jpeg_bytes.1 as f64 / 1e6,
            blog.pngs
        ),
        &cold,
        &blog,
    );
}

/// How long the fake Notion server takes to answer an API request in the scenarios of issue
/// 15: Notion's own answers take 0.1–0.5 s, and a crawl that waits for each level of a tree
/// before asking for the next pays it once per level.
const TREE_LATENCY: Duration = Duration::from_millis(150);

/// The workspaces of issue 15's scenarios: cold builds of posts whose trees take several
/// levels of dependent requests, with the server's latency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Long, deeply nested posts (~17 block-children requests and 5 files a post): the crawl
    /// dominates.
    Nested,
    /// Short posts like those of the workspace issue 15 measured (~7.7 block-children
    /// requests and 9 files a post): the image work is a large share of the crawl's time.
    Compact,
}

impl Shape {
    /// The scenario's name for `--only`, and its `--nested N` / `--compact N` option.
    fn name(self) -> &'static str {
        match self {
            Shape::Nested => "nested",
            Shape::Compact => "compact",
        }
    }

    fn posts(self, size: &Size) -> &'static [usize] {
        match self {
            Shape::Nested => size.nested_posts,
            Shape::Compact => size.compact_posts,
        }
    }

    /// The sizes of the photos (a set of base images for each).
    fn photos(self, size: &Size) -> Vec<(u32, u32)> {
        match self {
            Shape::Nested => vec![size.nested_photo],
            Shape::Compact => size.compact_photos.to_vec(),
        }
    }

    /// The files of every post, for titles.
    fn files_per_post(self, photos: &[(u32, u32)]) -> String {
        let sizes: Vec<String> = photos.iter().map(|(w, h)| format!("{w}×{h}")).collect();
        match self {
            Shape::Nested => format!("4 photos of {} + 1 PDF", sizes.join(" / ")),
            Shape::Compact => format!(
                "9 files (4 photos of {}, 3 PNG screenshots, a cover photo, a PDF)",
                sizes.join(" / ")
            ),
        }
    }
}

/// The files of a generated workspace, counted as they are added, and the base image of each
/// image (to estimate the image work).
#[derive(Default)]
struct FileCounts<'a> {
    files: usize,
    pngs: usize,
    /// The smallest and largest JPEG.
    jpeg_bytes: Option<(usize, usize)>,
    images: ImageWork<'a>,
}

impl<'a> FileCounts<'a> {
    /// Adds an image file to the workspace.
    fn add(&mut self, ws: &mut Workspace, file: generate::File<'a>) -> fake_notion::FileRef {
        self.files += 1;
        if file.name.ends_with(".png") {
            self.pngs += 1;
        } else {
            let (smallest, largest) = self.jpeg_bytes.unwrap_or((usize::MAX, 0));
            self.jpeg_bytes = Some((
                smallest.min(file.bytes.len()),
                largest.max(file.bytes.len()),
            ));
        }
        self.images.add(file.base);
        ws.add_file(&file.name, file.bytes)
    }

    /// Adds a file that is not an image.
    fn add_other(
        &mut self,
        ws: &mut Workspace,
        name: &str,
        bytes: impl Into<Vec<u8>>,
    ) -> fake_notion::FileRef {
        self.files += 1;
        ws.add_file(name, bytes)
    }
}

/// The images of a workspace by the base image each was made from (same pixels, same work).
#[derive(Default)]
struct ImageWork<'a> {
    bases: Vec<(&'a [u8], usize)>,
}

impl<'a> ImageWork<'a> {
    fn add(&mut self, base: &'a [u8]) {
        match self.bases.iter_mut().find(|(b, _)| std::ptr::eq(*b, base)) {
            Some((_, n)) => *n += 1,
            None => self.bases.push((base, 1)),
        }
    }

    fn images(&self) -> usize {
        self.bases.iter().map(|(_, n)| n).sum()
    }

    /// The CPU seconds the build's image pipeline needs for every image: each base image
    /// through `process` with the default settings (the build's) on one thread, best of 2 (the
    /// CPU time of one image varies by half with what else the machine runs), times the files
    /// made from it. The build adds hashing, the store and the variant files' writes.
    fn estimate_cpu(&self) -> ImageCpu {
        use notion_bake::assets::image::{ImageSettings, process};
        let settings = ImageSettings::default();
        let one_thread = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let mut kinds: Vec<(String, usize, f64)> = Vec::new();
        for (base, n) in &self.bases {
            let (image, seconds) = one_thread.install(|| {
                let mut best = None;
                for _ in 0..2 {
                    let before = thread_cpu_seconds();
                    let image = process(base, &settings).expect("a base image decodes");
                    let seconds = thread_cpu_seconds() - before;
                    if best.as_ref().is_none_or(|(_, b)| seconds < *b) {
                        best = Some((image, seconds));
                    }
                }
                best.unwrap()
            });
            let kind = format!("{:?} {}×{}", image.source, image.width, image.height);
            match kinds.iter_mut().find(|(k, _, _)| *k == kind) {
                Some((_, files, cpu)) => {
                    *files += n;
                    *cpu += seconds * *n as f64;
                }
                None => kinds.push((kind, *n, seconds * *n as f64)),
            }
        }
        ImageCpu { kinds }
    }
}

/// The estimated image work of a workspace: per kind of image (format and size), the files
/// and their CPU seconds.
struct ImageCpu {
    kinds: Vec<(String, usize, f64)>,
}

impl ImageCpu {
    fn total(&self) -> f64 {
        self.kinds.iter().map(|(_, _, cpu)| cpu).sum()
    }

    fn describe(&self) -> String {
        let kinds: Vec<String> = self
            .kinds
            .iter()
            .map(|(kind, files, cpu)| {
                format!(
                    "{files} {kind}: {cpu:.1} s ({:.0} ms each)",
                    cpu * 1000.0 / *files as f64
                )
            })
            .collect();
        kinds.join(", ")
    }
}

/// CPU time of the calling thread.
fn thread_cpu_seconds() -> f64 {
    // SAFETY: clock_gettime only writes into the zeroed struct we pass.
    let t = unsafe {
        let mut t: libc::timespec = std::mem::zeroed();
        libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t);
        t
    };
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}

/// A cold build of the workspace `shape` with `posts` posts, 3 req/s and [`TREE_LATENCY`],
/// printing when its parts finished (issue 15).
fn tree_scenario(shape: Shape, posts: usize, size: &Size, root: &Path) {
    let photo_sizes = shape.photos(size);
    let files_per_post = shape.files_per_post(&photo_sizes);
    match shape {
        Shape::Nested => println!(
            "\n== cold, nested content: {posts} posts × {files_per_post}, lists and toggles 3–4 levels deep, \
             columns, synced blocks, tables, child pages, every fourth post > 100 top-level blocks; \
             API latency {} ms",
            TREE_LATENCY.as_millis()
        ),
        Shape::Compact => println!(
            "\n== cold, compact content (the workspace of issue 15): {posts} posts × {files_per_post}, \
             ~20 top-level blocks, a list 3 levels deep, 2 columns, in turn a toggle + a table / a synced \
             block + its copy / a toggle, a callout, a child page; API latency {} ms",
            TREE_LATENCY.as_millis()
        ),
    }
    let started = Instant::now();
    let bases: Vec<BaseImages> = photo_sizes
        .iter()
        .map(|&(w, h)| BaseImages::generate(w, h))
        .collect();
    let mut ws = Workspace::new();
    let db = ws.add_database(
        "Field Notes",
        &[
            ("Published", "checkbox"),
            ("Date", "date"),
            ("Tags", "multi_select"),
            ("Description", "rich_text"),
            ("Attachments", "files"),
        ],
    );
    let mut rng = Rng(match shape {
        Shape::Nested => 0x4e57,
        Shape::Compact => 0xc0a7,
    });
    let (mut ids, mut children_requests, mut depth) = (Vec::new(), Vec::new(), 0);
    let mut files = FileCounts::default();
    for i in 0..posts {
        let mut image = |ws: &mut Workspace, file, rng: &mut Rng| {
            let file = files.add(ws, file);
            b::image(b::hosted(&file), generate::sentence(rng, 5).as_str())
        };
        let (blocks, cover) = match shape {
            Shape::Nested => {
                let photos = (0..4)
                    .map(|j| image(&mut ws, bases[0].file(i * 4 + j), &mut rng))
                    .collect();
                (generate::nested_post_blocks(&mut rng, i, photos), None)
            }
            Shape::Compact => {
                // Files i·9 … i·9 + 7; photos alternate between the two sizes, and each
                // post starts at another base photo, so every detail level comes up.
                let k = i * 9;
                let photos = std::array::from_fn(|j| {
                    image(&mut ws, bases[j % 2].photo(k + j, i + j), &mut rng)
                });
                let screenshots = std::array::from_fn(|j| {
                    image(&mut ws, bases[j % 2].screenshot(k + 4 + j, i + j), &mut rng)
                });
                let cover = files.add(&mut ws, bases[0].photo(k + 7, i + 1));
                let blocks = generate::compact_post_blocks(&mut rng, i, photos, screenshots);
                (blocks, Some(cover))
            }
        };
        let (requests, tree_depth) = generate::tree_requests(&blocks);
        let guide = files.add_other(
            &mut ws,
            &format!("Route {i}.pdf"),
            format!("%PDF-1.4 route {i}\n%%EOF\n"),
        );
        let mut properties = generate::post_properties(&mut rng, i);
        properties["Attachments"] =
            serde_json::json!([b::files_entry("Route.pdf", b::hosted(&guide))]);
        let id = ws.add_row(&db, properties, blocks);
        if let Some(cover) = cover {
            ws.set_cover(&id, b::hosted(&cover));
        }
        ws.add_child_page(&id, "Sketches", vec![b::paragraph("Pencil on paper.")]);
        ids.push(id);
        children_requests.push(requests);
        depth = depth.max(tree_depth);
    }
    let children: usize = children_requests.iter().sum();
    let jpeg_bytes = files.jpeg_bytes.unwrap_or((0, 0));
    println!(
        "  generated in {:.1} s: {} files ({} images: JPEG of {:.2}–{:.2} MB, {} PNG screenshots); \
         {children} block-children requests ({:.2} a post); deepest tree {depth} levels",
        started.elapsed().as_secs_f64(),
        files.files,
        files.images.images(),
        jpeg_bytes.0 as f64 / 1e6,
        jpeg_bytes.1 as f64 / 1e6,
        files.pngs,
        children as f64 / posts as f64,
    );
    let estimating = Instant::now();
    let estimate = files.images.estimate_cpu();
    let image_cpu = estimate.total();
    println!(
        "  image work (estimated in {:.1} s, one thread, best of 2): {image_cpu:.1} CPU-s for {} images, {:.2} CPU-s a post: {}",
        estimating.elapsed().as_secs_f64(),
        files.images.images(),
        image_cpu / posts as f64,
        estimate.describe()
    );
    let blog = Blog {
        server: FakeNotion::start_blocking(ws),
        database_id: db.database_id,
        posts: ids,
        children_requests,
        files: files.files,
        jpeg_bytes,
        pngs: files.pngs,
    };
    blog.server.set_rate_limit(Some(RATE), BURST);
    blog.server.set_latency(TREE_LATENCY);
    let spec = site_config(
        &root.join(format!("{}-{posts}", shape.name())),
        &blog.server,
        &blog.database_id,
        RATE,
    );
    let build_started = std::time::SystemTime::now();
    let cold = measure(&spec, &blog.server, false);
    print_cold(
        &format!(
            "cold, {}: {posts} posts × {files_per_post}, empty cache",
            shape.name()
        ),
        &cold,
        &blog,
    );
    print_breakdown(&cold, &blog, &spec.site_dir, build_started, depth);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as f64;
    let fits = image_cpu / cores <= cold.floor();
    let ratio = cold.wall / cold.floor();
    let figure = format!(
        "wall ÷ floor ≤ 1.10 when image CPU fits under the floor: {ratio:.2} (image CPU estimate {image_cpu:.1} s ÷ {cores} cores = {:.1} s, {} the {:.1} s floor; the whole build used {:.1} CPU-s)",
        image_cpu / cores,
        if fits { "fits under" } else { "exceeds" },
        cold.floor(),
        cold.cpu
    );
    if fits {
        verdict(&format!("(issue 15) {figure}"), ratio <= 1.10);
    } else {
        println!("  target: (issue 15) {figure} → does not apply");
    }
}

/// When the crawl's parts finished, relative to the build's start.
fn print_breakdown(
    run: &Run,
    blog: &Blog,
    site_dir: &Path,
    started: std::time::SystemTime,
    depth: usize,
) {
    let since_start =
        |t: std::time::SystemTime| t.duration_since(started).map_or(0.0, |d| d.as_secs_f64());
    let mtimes = |dir: &Path, suffix: &str| -> Vec<f64> {
        let mut times: Vec<f64> = walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| {
                e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(suffix)
            })
            .filter_map(|e| e.metadata().ok()?.modified().ok())
            .map(since_start)
            .collect();
        times.sort_by(f64::total_cmp);
        times
    };
    let trees = mtimes(&site_dir.join(".notion-bake/pages"), ".json");
    let at = |times: &[f64], fraction: f64| {
        times
            .get(((times.len() as f64 * fraction).ceil() as usize).saturating_sub(1))
            .map_or("–".to_owned(), |t| format!("{t:.1} s"))
    };
    println!(
        "  page trees stored: first {}, 10 % {}, 50 % {}, 90 % {}, last {} ({} trees)",
        at(&trees, 0.0),
        at(&trees, 0.1),
        at(&trees, 0.5),
        at(&trees, 0.9),
        at(&trees, 1.0),
        trees.len()
    );
    let encodes = mtimes(&site_dir.join(".notion-bake/variants"), ".json");
    let downloads = &run.downloads_at;
    println!(
        "  crawl finished (last API request) {:.1} s; downloads: first {}, 50 % {}, last {} ({} files); \
         image variants done: first {}, 10 % {}, 50 % {}, 90 % {}, last {} ({} images)",
        run.last_request,
        at(downloads, 0.0),
        at(downloads, 0.5),
        at(downloads, 1.0),
        downloads.len(),
        at(&encodes, 0.0),
        at(&encodes, 0.1),
        at(&encodes, 0.5),
        at(&encodes, 0.9),
        at(&encodes, 1.0),
        encodes.len()
    );
    println!(
        "  longest chain of dependent requests: {} (discovery {}, query {}, the deepest tree {depth} levels); peak requests in flight {}",
        discovery_requests() + blog.query_pages() + depth,
        discovery_requests(),
        blog.query_pages(),
        run.peak_in_flight
    );
}

fn render_scenario(size: &Size, root: &Path, publish: bool) {
    let (pages, blocks) = (size.render_pages, size.render_blocks);
    println!("\n== render-only: {pages} cached posts × {blocks} blocks, offline");
    let started = Instant::now();
    let mut ws = Workspace::new();
    let db = ws.add_database(
        "Long reads",
        &[
            ("Published", "checkbox"),
            ("Date", "date"),
            ("Tags", "multi_select"),
            ("Description", "rich_text"),
        ],
    );
    let mut rng = Rng(0x7e47);
    for i in 0..pages {
        let (content, _) = generate::text_page_blocks(&mut rng, blocks);
        let properties = generate::post_properties(&mut rng, i);
        ws.add_row(&db, properties, content);
    }
    let server = FakeNotion::start_blocking(ws);
    let mut spec = site_config(&root.join("render"), &server, &db.database_id, 2000.0);
    spec.mode = Mode::Pull;
    let pulled = measure(&spec, &server, false);
    println!(
        "  generated in {:.1} s; pulled into the cache in {:.1} s ({} requests, unpaced; CPU {:.1} s, \
         with the code blocks highlighted while the pages arrive)",
        started.elapsed().as_secs_f64() - pulled.wall,
        pulled.wall,
        pulled.requests,
        pulled.cpu
    );
    spec.mode = Mode::Render;
    spec.token = None;
    let highlights = spec.site_dir.join(".notion-bake/highlights.json");
    for (label, output) in [
        (
            "render-only, first build after the fetch: fresh output",
            "fresh",
        ),
        ("render-only, rebuild: output unchanged", "unchanged"),
        (
            "render-only, for reference: no highlighted code in the cache (highlights.json deleted)",
            "unchanged, every code block highlighted during the build",
        ),
    ] {
        if output.starts_with("unchanged, every") {
            std::fs::remove_file(&highlights).expect("the fetch stored highlighted code");
        }
        let run = measure(&spec, &server, false);
        let r = &run.report;
        println!("\n-- {label} ({output}; load {})", run.load);
        println!(
            "  build {:.2} s; the same stages again, one by one: snapshot → site model {:.2} s, render {:.2} s, write {:.2} s (child process wall with both: {:.2} s)",
            r.seconds, r.load_seconds, r.render_seconds, r.write_seconds, run.wall
        );
        println!(
            "  {} posts, {} files written, {} unchanged; API requests {}; CPU {:.2} s; peak RSS {} MB",
            r.posts, r.written, r.unchanged, run.requests, run.cpu, run.peak_rss_mb
        );
        println!(
            "  of the build, the search index took {:.2} s (without it: {:.2} s)",
            r.index_seconds,
            r.seconds - r.index_seconds
        );
        let figure = format!(
            "{pages} pages × {blocks} blocks in < 2 s: {:.2} s",
            r.seconds
        );
        if output.starts_with("unchanged, every") {
            println!("  for reference, not a target run: {figure}");
        } else {
            verdict(&figure, r.seconds < 2.0);
        }
    }
    if publish {
        publish_scenario(&spec, &server);
    }
}

/// Times the publish step both ways on the output of the cache in `spec`'s site (see the
/// module's docs) and prints the figures.
fn publish_scenario(spec: &ChildSpec, server: &FakeNotion) {
    let mut spec = spec.clone();
    spec.mode = Mode::Publish;
    spec.token = None;
    let run = measure(&spec, server, false);
    let Some(p) = run.report.publish else {
        panic!("the publish child reported no publish times");
    };
    println!(
        "\n-- publish: the site's {} files ({} from the cache, {:.1} MB) into a fresh folder, best of 3 (load {})",
        p.files,
        p.from_cache,
        p.cache_bytes as f64 / 1e6,
        run.load
    );
    println!(
        "  copies (as builds publish): {:.3} s wall, {:.3} CPU s; hard links into the cache (before issue 23): {:.3} s wall, {:.3} CPU s; copying costs {:+.3} s wall, {:+.3} CPU s",
        p.copy.0,
        p.copy.1,
        p.link.0,
        p.link.1,
        p.copy.0 - p.link.0,
        p.copy.1 - p.link.1
    );
}

// ------------------------------------------------------------------------------ measuring

/// What one build did, seen from both sides.
struct Run {
    report: ChildReport,
    wall: f64,
    cpu: f64,
    peak_rss_mb: u64,
    requests: usize,
    rate_limited: usize,
    endpoints: Vec<(Endpoint, usize)>,
    downloads: usize,
    /// Seconds from the start to the first and the last API request.
    first_request: f64,
    last_request: f64,
    /// Seconds from the start to each file download, in order.
    downloads_at: Vec<f64>,
    /// The most API requests waiting for an answer at once (with the server's latency).
    peak_in_flight: usize,
    /// RSS samples: (seconds, MB, images with variants in the cache).
    rss: Vec<(f64, u64, usize)>,
    load: String,
    /// The machine's busy CPU seconds while the build ran (`/proc/stat`), and of those the
    /// bench process's own (the fake server, the sampler).
    machine_busy: f64,
    bench_cpu: f64,
}

impl Run {
    fn by(&self, endpoint: Endpoint) -> usize {
        self.endpoints
            .iter()
            .find(|(e, _)| *e == endpoint)
            .map_or(0, |(_, n)| *n)
    }

    /// Requests ÷ rate, less the burst that may go at once.
    fn floor(&self) -> f64 {
        self.requests.saturating_sub(BURST as usize) as f64 / RATE
    }
}

fn measure(spec: &ChildSpec, server: &FakeNotion, sample_images: bool) -> Run {
    server.reset_counters();
    let load_before = load();
    let (busy_before, bench_before) = (machine_busy_seconds(), own_cpu_seconds());
    let started = Instant::now();
    // Reaped by `wait4` below, which also gives its rusage.
    #[allow(clippy::zombie_processes)]
    let mut child = Command::new(std::env::current_exe().unwrap())
        .env(CHILD_ENV, serde_json::to_string(spec).unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the bench child starts");
    let pid = child.id();
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        let variants = spec.site_dir.join(".notion-bake/variants");
        std::thread::spawn(move || {
            let mut samples = Vec::new();
            while !done.load(Ordering::Relaxed) {
                if let Some(mb) = rss_mb(pid) {
                    let images = if sample_images {
                        count_records(&variants)
                    } else {
                        0
                    };
                    samples.push((started.elapsed().as_secs_f64(), mb, images));
                }
                std::thread::sleep(Duration::from_millis(500));
            }
            samples
        })
    };
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let (status, usage) = wait4(pid);
    let wall = started.elapsed().as_secs_f64();
    let (busy_after, bench_after) = (machine_busy_seconds(), own_cpu_seconds());
    done.store(true, Ordering::Relaxed);
    let rss = sampler.join().unwrap();
    assert!(status == 0, "the bench child failed (status {status})");
    let report: ChildReport = out
        .lines()
        .find_map(|l| l.strip_prefix("REPORT "))
        .map(|json| serde_json::from_str(json).unwrap())
        .expect("the child's report");

    let log: Vec<_> = server
        .request_log()
        .into_iter()
        .filter(|r| r.endpoint != Endpoint::File)
        .collect();
    let at = |i: Option<&fake_notion::RequestRecord>| {
        i.map_or(0.0, |r| {
            r.at.saturating_duration_since(started).as_secs_f64()
        })
    };
    let downloads_at: Vec<f64> = server
        .download_log()
        .iter()
        .map(|r| r.at.saturating_duration_since(started).as_secs_f64())
        .collect();
    let latency = server.latency();
    let peak_in_flight = log
        .iter()
        .enumerate()
        .map(|(i, r)| {
            log[..=i]
                .iter()
                .rev()
                .take_while(|o| r.at.saturating_duration_since(o.at) < latency)
                .count()
        })
        .max()
        .unwrap_or(0);
    let mut endpoints: Vec<(Endpoint, usize)> = server.requests_by_endpoint().into_iter().collect();
    endpoints.sort_by_key(|(e, _)| format!("{e:?}"));
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Run {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        peak_rss_mb: report.peak_rss_mb,
        requests: log.len(),
        rate_limited: server.rate_limited_count(),
        endpoints,
        downloads: server.total_downloads(),
        first_request: at(log.first()),
        last_request: at(log.last()),
        downloads_at,
        peak_in_flight,
        rss,
        load: format!("{load_before} → {}", load()),
        machine_busy: busy_after - busy_before,
        bench_cpu: bench_after - bench_before,
        report,
    }
}

fn print_common(title: &str, run: &Run) {
    let r = &run.report;
    println!("\n-- {title}");
    println!("  load (1/5/15 min) {}", run.load);
    println!("  wall {:.2} s (build {:.2} s)", run.wall, r.seconds);
    let endpoints: Vec<String> = run
        .endpoints
        .iter()
        .map(|(e, n)| format!("{e:?} {n}"))
        .collect();
    println!(
        "  API requests {} ({}); 429s {}, client retries {}",
        run.requests,
        endpoints.join(", "),
        run.rate_limited,
        r.retries
    );
    println!(
        "  floor {:.2} s = ({} requests − burst {BURST}) ÷ {RATE}/s; wall ÷ floor {}",
        run.floor(),
        run.requests,
        if run.floor() > 0.0 {
            format!("{:.2}", run.wall / run.floor())
        } else {
            "n/a".to_owned()
        }
    );
    println!(
        "  pages fetched {}, reused {}; files downloaded {} (cached {}), variants encoded {}, from cache {}; output {} written, {} unchanged",
        r.fetched,
        r.reused,
        run.downloads,
        r.cached,
        r.variants_encoded,
        r.variants_cached,
        r.written,
        r.unchanged
    );
    println!(
        "  CPU {:.1} s (user + sys); peak RSS {} MB",
        run.cpu, run.peak_rss_mb
    );
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as f64;
    println!(
        "  the machine meanwhile: {:.1} of {:.1} CPU-s busy: this build {:.1}, the bench (fake server) {:.1}, \
         other processes {:.1}",
        run.machine_busy,
        cores * run.wall,
        run.cpu,
        run.bench_cpu,
        (run.machine_busy - run.cpu - run.bench_cpu).max(0.0)
    );
}

fn print_cold(title: &str, run: &Run, blog: &Blog) {
    print_common(title, run);
    let span = run.last_request - run.first_request;
    let ideal = run.requests.saturating_sub(BURST as usize) as f64 / RATE;
    println!(
        "  API requests from {:.2} s to {:.2} s: span {span:.1} s for {} requests (paced ideal {ideal:.1} s, so the pacer idled {:.1} s); after the last request {:.1} s (image work left)",
        run.first_request,
        run.last_request,
        run.requests,
        (span - ideal).max(0.0),
        run.wall - run.last_request
    );
    let minimum = blog.cold_minimum();
    let answered = run.requests - run.rate_limited;
    verdict(
        &format!(
            "minimum number of requests: {answered} answered (+ {} turned away with 429 and retried), {minimum} needed ({} discovery + {} query + {} block children); page GETs {}",
            run.rate_limited,
            discovery_requests(),
            blog.query_pages(),
            minimum - discovery_requests() - blog.query_pages(),
            run.by(Endpoint::Page)
        ),
        answered == minimum,
    );
    verdict(
        &format!(
            "the pacer never idles while work is queued: idle {:.1} s over a {span:.1} s crawl",
            (span - ideal).max(0.0)
        ),
        span - ideal < 0.05 * ideal + 1.0,
    );
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as f64;
    let image_fits = run.cpu / cores <= run.floor();
    let ratio = format!(
        "wall ÷ floor ≤ 1.15 once image CPU fits under the floor: {:.2} (CPU {:.0} s ÷ {cores} cores = {:.0} s {} the {:.0} s floor)",
        run.wall / run.floor(),
        run.cpu,
        run.cpu / cores,
        if image_fits { "fits under" } else { "exceeds" },
        run.floor()
    );
    if image_fits {
        verdict(&ratio, run.wall / run.floor() <= 1.15);
    } else {
        println!(
            "  target: {ratio} → does not apply: the image work alone takes {:.1}× the floor",
            run.cpu / cores / run.floor()
        );
    }
    verdict(
        &format!("peak RSS < 500 MB: {} MB", run.peak_rss_mb),
        run.peak_rss_mb < 500,
    );
    let images = run.rss.last().map_or(0, |s| s.2).max(1);
    let mut marks = Vec::new();
    for tenth in [1, 2, 5, 8, 10] {
        let want = images * tenth / 10;
        let peak_so_far = run
            .rss
            .iter()
            .take_while(|s| s.2 < want.max(1))
            .map(|s| s.1)
            .max()
            .unwrap_or(0);
        marks.push(format!("{want} images: {peak_so_far} MB"));
    }
    println!(
        "  RSS peak so far, by images encoded (sampled every 0.5 s): {}",
        marks.join(", ")
    );
}

fn verdict(what: &str, met: bool) {
    println!("  target: {what} → {}", if met { "MET" } else { "NOT MET" });
}

fn wait4(pid: u32) -> (i32, libc::rusage) {
    // SAFETY: wait4 writes into the zeroed status and rusage we pass; the child is ours and
    // not waited for elsewhere.
    unsafe {
        let mut status = 0;
        let mut usage: libc::rusage = std::mem::zeroed();
        let got = libc::wait4(pid as i32, &mut status, 0, &mut usage);
        assert_eq!(got, pid as i32, "wait4 failed");
        let code = if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        };
        (code, usage)
    }
}

fn rss_mb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// Images whose variants are complete in the cache (one record file per image).
fn count_records(variants: &Path) -> usize {
    let Ok(dirs) = std::fs::read_dir(variants) else {
        return 0;
    };
    dirs.flatten()
        .filter_map(|d| std::fs::read_dir(d.path()).ok())
        .flat_map(|files| files.flatten())
        .filter(|f| f.file_name().to_string_lossy().ends_with(".json"))
        .count()
}

/// The busy CPU seconds of the whole machine since boot (`/proc/stat`: all but idle and
/// iowait).
fn machine_busy_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(line) = stat.lines().find(|l| l.starts_with("cpu ")) else {
        return 0.0;
    };
    let ticks: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let busy: u64 = ticks
        .iter()
        .take(8)
        .enumerate()
        .filter(|(i, _)| *i != 3 && *i != 4)
        .map(|(_, t)| t)
        .sum();
    // SAFETY: sysconf has no preconditions.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1);
    busy as f64 / per_second as f64
}

/// CPU time of this process (every thread), user + sys.
fn own_cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the zeroed struct we pass.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or_default().trim().to_owned())
        })
        .unwrap_or_default();
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(String::new(), |kb| {
            format!(", {:.0} GiB RAM", kb as f64 / 1048576.0)
        });
    format!(
        "{} × {cpu}{memory}",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    )
}

// ------------------------------------------------------------------------------ the child

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
enum Mode {
    /// `pipeline::build` online.
    Build,
    /// `pipeline::fetch`: fill the cache only.
    Pull,
    /// `pipeline::build` offline, then the stages once more, timed one by one.
    Render,
    /// `pipeline::build` offline, nothing else (for profiling by hand).
    Offline,
    /// The cache's site rendered (its files found in the cache), then published twice: with
    /// copies and with hard links.
    Publish,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ChildSpec {
    mode: Mode,
    site_dir: PathBuf,
    api_url: String,
    token: Option<String>,
    database_id: String,
    requests_per_second: f64,
    api_version: String,
}

/// The publish step timed both ways (`Mode::Publish`).
#[derive(Debug, Default, Serialize, Deserialize)]
struct PublishTimes {
    files: usize,
    from_cache: usize,
    cache_bytes: u64,
    /// (wall s, CPU s) of publishing with copies, and with hard links.
    copy: (f64, f64),
    link: (f64, f64),
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct ChildReport {
    seconds: f64,
    requests: u64,
    retries: u64,
    fetched: usize,
    reused: usize,
    cached: usize,
    variants_encoded: usize,
    variants_cached: usize,
    written: usize,
    unchanged: usize,
    posts: usize,
    load_seconds: f64,
    render_seconds: f64,
    write_seconds: f64,
    /// The search index's share of the build (`[search]` is on by default).
    index_seconds: f64,
    publish: Option<PublishTimes>,
    /// `VmHWM` of the child at the end of its work.
    peak_rss_mb: u64,
}

fn child(spec: ChildSpec) {
    let mut config = SiteConfig::for_test(&spec.site_dir);
    config.notion.api_url = spec.api_url.parse().unwrap();
    config.notion.token = spec
        .token
        .clone()
        .and_then(notion_bake::config::NotionToken::new);
    config.notion.requests_per_second = spec.requests_per_second;
    config.notion.version = spec.api_version.parse().expect("a known API version");
    config.blog = Some(BlogConfig::new(NotionId::parse(&spec.database_id).unwrap()));
    // Like the CLI: a multi-threaded runtime on every core.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let report = runtime.block_on(async {
        match spec.mode {
            Mode::Pull => {
                let fetched = notion_bake::pipeline::fetch(&config, Default::default())
                    .await
                    .unwrap();
                ChildReport {
                    seconds: fetched.seconds,
                    requests: fetched.api.requests,
                    fetched: fetched.crawl.fetched,
                    ..ChildReport::default()
                }
            }
            Mode::Publish => ChildReport {
                publish: Some(publish_times(&config, &cached_site_files(&config).await)),
                ..ChildReport::default()
            },
            Mode::Build | Mode::Render | Mode::Offline => {
                let options = notion_bake::pipeline::BuildOptions {
                    offline: !matches!(spec.mode, Mode::Build),
                    ..Default::default()
                };
                let built = notion_bake::pipeline::build(&config, &options, &Default::default())
                    .await
                    .unwrap();
                let crawl = built.crawl.clone().unwrap_or_default();
                let stats = &built.baked.stats;
                let mut report = ChildReport {
                    seconds: built.seconds,
                    requests: built.api.requests,
                    retries: built.api.retries,
                    fetched: crawl.fetched,
                    reused: crawl.reused,
                    cached: stats.cached,
                    variants_encoded: stats.variants_encoded,
                    variants_cached: stats.variants_cached,
                    written: built.written.written,
                    unchanged: built.written.unchanged,
                    posts: built.posts,
                    index_seconds: built.timings.index_seconds,
                    ..ChildReport::default()
                };
                if matches!(spec.mode, Mode::Render) {
                    stage_times(&config, &built.baked.assets, &mut report);
                }
                report
            }
        }
    });
    let mut report = report;
    report.peak_rss_mb = own_peak_rss_mb();
    println!("REPORT {}", serde_json::to_string(&report).unwrap());
}

/// This process's peak resident set since `exec` (`VmHWM`), in MB.
fn own_peak_rss_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

/// The render stages once more, one by one, into a scratch output folder.
fn stage_times(
    config: &SiteConfig,
    assets: &notion_bake::assets::AssetMap,
    report: &mut ChildReport,
) {
    let (files, load_seconds, render_seconds) = render_files(config, assets);
    report.load_seconds = load_seconds;
    report.render_seconds = render_seconds;
    let started = Instant::now();
    let scratch = config.site_dir.join("stage-timing-output");
    notion_bake::output::write_site(&scratch, &files).unwrap();
    report.write_seconds = started.elapsed().as_secs_f64();
    std::fs::remove_dir_all(&scratch).ok();
}

/// The cache's site rendered again: its files, and the seconds the site model and the render
/// took.
fn render_files(
    config: &SiteConfig,
    assets: &notion_bake::assets::AssetMap,
) -> (Vec<notion_bake::render::OutputFile>, f64, f64) {
    let snapshot = notion_bake::cache::Snapshot::new(&config.site_dir);
    let started = Instant::now();
    let manifest = snapshot.load_manifest().unwrap().unwrap();
    let mut site = notion_bake::site::Site::load(config, &snapshot, &manifest, false).unwrap();
    site.join_assets(assets.clone());
    let load_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let templates =
        notion_bake::render::templates::Templates::load(&config.site_dir, &config.theme).unwrap();
    let highlights = notion_bake::render::code::HighlightMemo::new(snapshot.load_highlights());
    use notion_bake::render::Renderer;
    let rendered = notion_bake::render::HtmlSite {
        config,
        templates: &templates,
        highlights: &highlights,
    }
    .render(&site)
    .unwrap();
    (
        rendered.files,
        load_seconds,
        started.elapsed().as_secs_f64(),
    )
}

/// The files of the site in the cache, as an offline build renders them: its baked files
/// are looked up in the cache (a build's report does not keep them).
async fn cached_site_files(config: &SiteConfig) -> Vec<notion_bake::render::OutputFile> {
    use notion_bake::assets::{bake::Baker, download::FileHosts};
    let snapshot = notion_bake::cache::Snapshot::new(&config.site_dir);
    let manifest = snapshot.load_manifest().unwrap().unwrap();
    let site = notion_bake::site::Site::load(config, &snapshot, &manifest, false).unwrap();
    let baker = Baker::start(
        None,
        FileHosts::new(&config.notion.api_url),
        snapshot.root(),
        notion_bake::pipeline::bake_settings(config),
    )
    .unwrap();
    notion_bake::pipeline::submit_site_files(&baker, &site);
    let baked = baker.finish().await.unwrap();
    assert!(baked.failures.is_empty(), "{:?}", baked.failures);
    render_files(config, &baked.assets).0
}

/// Publishes `files` into a fresh folder with copies and with hard links, alternately, three
/// times each; the best wall time of each, with its CPU time (`write_site` runs on this thread
/// alone).
fn publish_times(config: &SiteConfig, files: &[notion_bake::render::OutputFile]) -> PublishTimes {
    use notion_bake::output::{Placement, write_site_placing};
    use notion_bake::render::OutputFile;
    let cache_files: Vec<&Path> = files
        .iter()
        .filter_map(|f| match f {
            OutputFile::Copied { source, .. } => Some(source.as_path()),
            _ => None,
        })
        .collect();
    let mut times = PublishTimes {
        files: files.len(),
        from_cache: cache_files.len(),
        cache_bytes: cache_files
            .iter()
            .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
            .sum(),
        copy: (f64::INFINITY, 0.0),
        link: (f64::INFINITY, 0.0),
    };
    let out = config.site_dir.join("publish-timing-output");
    for _ in 0..3 {
        for (placement, best) in [
            (Placement::Copy, &mut times.copy),
            (Placement::HardLink, &mut times.link),
        ] {
            let (started, cpu) = (Instant::now(), thread_cpu_seconds());
            write_site_placing(&out, files, placement).unwrap();
            let (wall, cpu) = (started.elapsed().as_secs_f64(), thread_cpu_seconds() - cpu);
            if wall < best.0 {
                *best = (wall, cpu);
            }
            // The next round starts from an empty folder, as a cold build's publish does.
            std::fs::remove_dir_all(&out).unwrap();
        }
    }
    times
}
