//! File baking end to end: a workspace on the fake Notion server → crawl → bake, then
//! assertions on the `AssetMap`, the files it points at, the file store and the server's logs.
//!
//! The promise under test: every Notion-hosted file becomes a
//! content-addressed asset (images with true-size variants), nothing is downloaded twice,
//! expired URLs are refreshed through the API, failures name page, block and URL (never the
//! signature), and external files are never touched.

mod support;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{AnimationDecoder, GenericImageView, ImageFormat};
use notion_bake::assets::bake::{Baked, Baker};
use notion_bake::assets::download::FileHosts;
use notion_bake::assets::{Asset, VariantFormat};
use notion_bake::cache::Snapshot;
use notion_bake::config::{BlogConfig, NotionToken, PageSource, SiteConfig};
use notion_bake::notion::crawl::crawl;
use notion_bake::notion::ids::NotionId;
use notion_bake::notion::model::FileKey;
use notion_bake::pipeline::{
    FetchOptions, bake_settings, client_for, crawl_plan, fetch, submit_site_files,
};
use serde_json::json;
use support::fake_notion::uuid_from;
use support::{Endpoint, FakeNotion, FileRef, Workspace, blocks as b};

// ------------------------------------------------------------------------------ test files

fn encode(image: image::DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    image.write_to(&mut bytes, format).unwrap();
    bytes.into_inner()
}

/// A JPEG photo with some structure (so the encoders have work to do).
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 7 * 30) as u8])
    });
    encode(image.into(), ImageFormat::Jpeg)
}

/// A PNG whose left half is fully transparent.
fn png_with_alpha(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_fn(width, height, |x, y| {
        let alpha = if x < width / 2 { 0 } else { 255 };
        image::Rgba([200, (y % 256) as u8, 40, alpha])
    });
    encode(image.into(), ImageFormat::Png)
}

/// A two-frame, looping GIF.
fn animated_gif() -> Vec<u8> {
    use image::codecs::gif::{GifEncoder, Repeat};
    let frame = |color: [u8; 4]| {
        image::Frame::from_parts(
            image::RgbaImage::from_pixel(40, 30, image::Rgba(color)),
            0,
            0,
            image::Delay::from_numer_denom_ms(200, 1),
        )
    };
    let mut bytes = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut bytes);
        encoder.set_repeat(Repeat::Infinite).unwrap();
        encoder
            .encode_frames(vec![frame([255, 0, 0, 255]), frame([0, 0, 255, 255])])
            .unwrap();
    }
    bytes
}

const SVG: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="teal"/></svg>
"#;
const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const MP3: &[u8] =
    b"ID3\x04\x00\x00\x00\x00\x00\x00\xFF\xFB\x90\x44\x00\x00\x00\x00not really music";
const CSV: &[u8] = b"name,price\ncoffee,3.20\ntea,2.80\n";

/// A valid PNG header announcing 60000×60000 RGBA pixels (14.4 GB decoded), with a few
/// bytes of image data: a decompression bomb in miniature.
fn png_bomb() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut typed = kind.to_vec();
        typed.extend_from_slice(data);
        out.extend_from_slice(&typed);
        out.extend_from_slice(&crc32fast::hash(&typed).to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&60_000u32.to_be_bytes());
    header.extend_from_slice(&60_000u32.to_be_bytes());
    header.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &header);
    chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}

// ------------------------------------------------------------------------------ site driving

/// A site folder configured for `server`, with standalone pages and an optional blog.
struct Site {
    dir: tempfile::TempDir,
    config: SiteConfig,
}

impl Site {
    fn new(server: &FakeNotion, pages: &[&str], blog: Option<&str>) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let mut config = SiteConfig::for_test(dir.path());
        config.notion.api_url = url::Url::parse(&server.url()).unwrap();
        config.notion.token = NotionToken::new(server.token());
        config.notion.requests_per_second = 1000.0;
        for (i, page) in pages.iter().enumerate() {
            let id = NotionId::parse(page).unwrap();
            config.pages.push(PageSource::new(id, format!("page{i}")));
        }
        if let Some(database) = blog {
            config.blog = Some(BlogConfig::new(NotionId::parse(database).unwrap()));
        }
        Site { dir, config }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join(".notion-bake")
    }

    /// Crawl + bake, as `notion-bake pull` does.
    async fn fetch(&self) -> Baked {
        fetch(&self.config, FetchOptions::default())
            .await
            .expect("fetch")
            .baked
    }

    /// Crawl + bake ignoring the stored page trees (every file URL freshly signed).
    async fn fetch_full(&self) -> Baked {
        let options = FetchOptions {
            full: true,
            ..FetchOptions::default()
        };
        fetch(&self.config, options).await.expect("fetch").baked
    }

    /// Only the crawl: page trees into the snapshot, no files.
    async fn crawl(&self) {
        let client = client_for(&self.config).unwrap();
        let snapshot = Snapshot::new(&self.config.site_dir);
        crawl(
            &client,
            &snapshot,
            &crawl_plan(&self.config, FetchOptions::default()),
        )
        .await
        .expect("crawl");
    }

    /// Only the bake, from the snapshot the last crawl left; `online: false` bakes without a
    /// Notion client, as `build --offline` does.
    async fn bake(&self, online: bool) -> Baked {
        let client = online.then(|| client_for(&self.config).unwrap());
        let snapshot = Snapshot::new(&self.config.site_dir);
        let manifest = snapshot
            .load_manifest()
            .unwrap()
            .expect("a crawled snapshot");
        let baker = Baker::start(
            client,
            FileHosts::new(&self.config.notion.api_url),
            snapshot.root(),
            bake_settings(&self.config),
        )
        .unwrap();
        let site =
            notion_bake::site::Site::load(&self.config, &snapshot, &manifest, false).unwrap();
        submit_site_files(&baker, &site);
        baker.finish().await.expect("bake")
    }

    /// Every object in the content-addressed file store.
    fn stored_objects(&self) -> Vec<PathBuf> {
        walkdir::WalkDir::new(self.root().join("files/objects"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect()
    }
}

/// The asset baked from `file`, looked up by a freshly re-signed URL (as a later fetch, or the
/// renderer reading an older snapshot, would present it).
fn asset<'a>(baked: &'a Baked, server: &FakeNotion, file: &FileRef) -> &'a Asset {
    let key = FileKey::of_url(&server.signed_url(file)).unwrap();
    baked
        .assets
        .get(&key)
        .unwrap_or_else(|| panic!("no asset for {}: {:#?}", file.filename, baked.failures))
}

/// The cached file behind a site path.
fn source_of<'a>(baked: &'a Baked, path: &str) -> &'a Path {
    let files = baked.assets.files();
    files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} is not among the site files: {files:#?}"))
        .source
}

fn decode(path: &Path) -> (ImageFormat, image::DynamicImage) {
    let bytes = std::fs::read(path).unwrap();
    let format = image::guess_format(&bytes).unwrap();
    (format, image::load_from_memory(&bytes).unwrap())
}

fn assert_no_failures(baked: &Baked) {
    assert!(baked.failures.is_empty(), "{:#?}", baked.failures);
}

/// The one failure, after checking it names what an error must name: the page title and
/// id, the block id (when a block holds the file) and the URL without its signature.
fn the_failure(
    baked: &Baked,
    page_title: &str,
    page_id: &str,
    block_id: Option<&str>,
    file: &FileRef,
) -> String {
    assert_eq!(baked.failures.len(), 1, "{:#?}", baked.failures);
    let message = baked.failures[0].clone();
    assert!(message.contains(page_title), "no page title: {message}");
    assert!(message.contains(page_id), "no page id: {message}");
    if let Some(block) = block_id {
        assert!(message.contains(block), "no block id: {message}");
    }
    assert!(message.contains(&file.path()), "no URL: {message}");
    assert_no_signature(&message);
    message
}

fn assert_no_signature(message: &str) {
    for secret in ["X-Amz-", "?", "Signature=", "Security-Token"] {
        assert!(
            !message.contains(secret),
            "{secret:?} in a message: {message}"
        );
    }
}

fn assert_no_downloads_had_credentials(server: &FakeNotion) {
    assert_eq!(server.downloads_with_authorization(), 0);
    assert!(
        server.download_log().iter().all(|d| !d.had_notion_version),
        "a download carried Notion-Version"
    );
}

fn is_hash_name(path: &str, stem: &str, extension: &str) -> bool {
    let Some(rest) = path.strip_prefix(&format!("assets/{stem}-")) else {
        return false;
    };
    let Some(hash) = rest.strip_suffix(&format!(".{extension}")) else {
        return false;
    };
    hash.len() == 12 && hash.chars().all(|c| c.is_ascii_hexdigit())
}

// ------------------------------------------------------------------------------ images

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_2400px_jpeg_gets_every_width_as_jpeg_and_webp_with_true_pixel_sizes() {
    let mut ws = Workspace::new();
    let original = jpeg(2400, 1600);
    let photo = ws.add_file("Harbour at dawn.jpg", original.clone());
    let page = ws.add_page(
        "Harbour",
        vec![b::image(b::hosted(&photo), "The harbour at dawn")],
    );
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&page], None);

    let baked = site.fetch().await;
    assert_no_failures(&baked);
    assert_no_downloads_had_credentials(&server);
    assert_eq!(server.downloads(&photo), 1);

    let asset = asset(&baked, &server, &photo);
    assert!(
        is_hash_name(&asset.path, "harbour-at-dawn", "jpg"),
        "{}",
        asset.path
    );
    assert_eq!(asset.mime, "image/jpeg");
    assert_eq!(asset.name, "Harbour at dawn.jpg");
    assert_eq!(asset.bytes, original.len() as u64);
    assert_eq!(
        std::fs::read(source_of(&baked, &asset.path)).unwrap(),
        original
    );

    let image = asset.image.as_ref().expect("image info");
    assert_eq!((image.width, image.height), (2400, 1600));
    assert!(!image.animated);
    assert!(
        image
            .placeholder
            .as_deref()
            .unwrap()
            .starts_with("data:image/")
    );
    for (format, decoded_as) in [
        (VariantFormat::Jpeg, ImageFormat::Jpeg),
        (VariantFormat::Webp, ImageFormat::WebP),
    ] {
        let variants: Vec<_> = image.variants_in(format).collect();
        let widths: Vec<u32> = variants.iter().map(|v| v.width).collect();
        assert_eq!(widths, [480, 960, 1440, 1920], "{format:?}");
        for variant in variants {
            assert_eq!(variant.height, variant.width * 2 / 3);
            let stem = format!("harbour-at-dawn-{}", &asset.path[23..35]);
            assert_eq!(
                variant.path,
                format!("assets/{stem}-{}.{}", variant.width, format.extension())
            );
            let (actual_format, pixels) = decode(source_of(&baked, &variant.path));
            assert_eq!(actual_format, decoded_as, "{}", variant.path);
            assert_eq!(
                pixels.dimensions(),
                (variant.width, variant.height),
                "{}",
                variant.path
            );
        }
    }
    assert_eq!(baked.stats.variants_encoded, 8);
    assert_eq!(baked.assets.files().len(), 9, "{:#?}", baked.assets.files());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_300px_image_is_never_upscaled() {
    let mut ws = Workspace::new();
    let small = ws.add_file("small.jpg", jpeg(300, 200));
    let page = ws.add_page("Small", vec![b::image(b::hosted(&small), "")]);
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&page], None);

    let baked = site.fetch().await;
    assert_no_failures(&baked);
    let image = asset(&baked, &server, &small).image.clone().unwrap();
    assert_eq!((image.width, image.height), (300, 200));
    assert!(!image.variants.is_empty());
    for variant in &image.variants {
        assert_eq!((variant.width, variant.height), (300, 200), "{variant:?}");
        let (_, pixels) = decode(source_of(&baked, &variant.path));
        assert_eq!(pixels.dimensions(), (300, 200), "{}", variant.path);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_png_with_alpha_keeps_its_transparency_in_every_variant() {
    let mut ws = Workspace::new();
    let logo = ws.add_file("logo.png", png_with_alpha(600, 100));
    let page = ws.add_page("Logo", vec![b::image(b::hosted(&logo), "")]);
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&page], None);

    let baked = site.fetch().await;
    assert_no_failures(&baked);
    let asset = asset(&baked, &server, &logo);
    assert_eq!(asset.mime, "image/png");
    let image = asset.image.as_ref().unwrap();
    let formats: Vec<_> = image.variants.iter().map(|v| (v.width, v.format)).collect();
    assert_eq!(
        formats,
        [
            (480, VariantFormat::Png),
            (480, VariantFormat::Webp),
            (600, VariantFormat::Png),
            (600, VariantFormat::Webp)
        ]
    );
    for variant in &image.variants {
        let (_, pixels) = decode(source_of(&baked, &variant.path));
        assert!(
            pixels.color().has_alpha(),
            "{} lost its alpha",
            variant.path
        );
        assert_eq!(pixels.dimensions(), (variant.width, variant.height));
        let rgba = pixels.to_rgba8();
        assert_eq!(
            rgba.get_pixel(2, 2)[3],
            0,
            "{}: left is transparent",
            variant.path
        );
        let right = rgba.get_pixel(variant.width - 3, 2)[3];
        assert_eq!(right, 255, "{}: right is opaque", variant.path);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_animated_gif_is_bundled_as_is_and_stays_animated() {
    let mut ws = Workspace::new();
    let original = animated_gif();
    let gif = ws.add_file("spinner.gif", original.clone());
    let page = ws.add_page("Spinner", vec![b::image(b::hosted(&gif), "")]);
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&page], None);

    let baked = site.fetch().await;
    assert_no_failures(&baked);
    let asset = asset(&baked, &server, &gif);
    assert_eq!(asset.mime, "image/gif");
    assert!(
        is_hash_name(&asset.path, "spinner", "gif"),
        "{}",
        asset.path
    );
    let image = asset.image.as_ref().unwrap();
    assert!(image.animated);
    assert_eq!((image.width, image.height), (40, 30));
    assert!(image.variants.is_empty(), "{:?}", image.variants);
    let bundled = std::fs::read(source_of(&baked, &asset.path)).unwrap();
    assert_eq!(bundled, original);
    let frames = image::codecs::gif::GifDecoder::new(Cursor::new(bundled))
        .unwrap()
        .into_frames()
        .collect_frames()
        .unwrap();
    assert_eq!(frames.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn svg_pdf_mp3_and_csv_are_bundled_byte_identical_with_readable_names() {
    let mut ws = Workspace::new();
    let svg = ws.add_file("diagram.svg", SVG);
    let pdf = ws.add_file("Quarterly Report (final).pdf", PDF);
    let mp3 = ws.add_file("Café Theme.mp3", MP3);
    let csv = ws.add_file("prices 2026.csv", CSV);
    let page = ws.add_page(
        "Downloads",
        vec![
            b::image(b::hosted(&svg), "A diagram"),
            b::pdf(b::hosted(&pdf), ""),
            b::audio(b::hosted(&mp3), ""),
            b::file(b::hosted(&csv), "", "prices 2026.csv"),
        ],
    );
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&page], None);

    let baked = site.fetch().await;
    assert_no_failures(&baked);
    assert!(baked.warnings.is_empty(), "{:#?}", baked.warnings);
    for (file, bytes, stem, extension, mime) in [
        (&svg, SVG, "diagram", "svg", "image/svg+xml"),
        (
            &pdf,
            PDF,
            "quarterly-report-final",
            "pdf",
            "application/pdf",
        ),
        (&mp3, MP3, "cafe-theme", "mp3", "audio/mpeg"),
        (&csv, CSV, "prices-2026", "csv", "application/octet-stream"),
    ] {
        let asset = asset(&baked, &server, file);
        assert!(is_hash_name(&asset.path, stem, extension), "{}", asset.path);
        assert_eq!(asset.mime, mime, "{}", file.filename);
        assert_eq!(asset.name, file.filename);
        assert_eq!(asset.bytes, bytes.len() as u64);
        // An SVG carries its intrinsic size (so the page reserves its space) but no variants.
        match &asset.image {
            Some(image) if mime == "image/svg+xml" => {
                assert_eq!((image.width, image.height), (10, 10));
                assert!(image.variants.is_empty());
            }
            other => assert!(other.is_none(), "{}", file.filename),
        }
        assert_eq!(
            std::fs::read(source_of(&baked, &asset.path)).unwrap(),
            bytes
        );
    }
    assert_eq!(baked.assets.files().len(), 4);
    assert_eq!(baked.stats.variants_encoded, 0);
}

// ------------------------------------------------------------------------------ once only

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_file_in_two_blocks_on_two_pages_downloads_once() {
    let mut ws = Workspace::new();
    let photo = ws.add_file("shared.jpg", jpeg(200, 100));
    let first = ws.add_page(
        "First",
        vec![
            b::image(b::hosted(&photo), "one"),
            b::toggle("more", vec![b::image(b::hosted(&photo), "two")]),
        ],
    );
    let second = ws.add_page("Second", vec![b::image(b::hosted(&photo), "three")]);
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&first, &second], None);

    let baked = site.fetch().await;
    assert_no_failures(&baked);
    assert_eq!(server.urls_issued(&photo), 3, "signed once per block");
    assert_eq!(server.download_attempts(&photo), 1);
    assert_eq!(baked.stats.downloaded, 1);
    assert_eq!(baked.assets.len(), 1);
    assert_eq!(site.stored_objects().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_bytes_under_two_file_ids_are_stored_and_encoded_once() {
    let mut ws = Workspace::new();
    let bytes = jpeg(500, 250);
    // Uploaded twice under the same name, and once more under another.
    let upload = ws.add_file("photo.jpg", bytes.clone());
    let again = ws.add_file("photo.jpg", bytes.clone());
    let renamed = ws.add_file("copy of photo.jpg", bytes.clone());
    let page = ws.add_page(
        "Twice",
        vec![
            b::image(b::hosted(&upload), ""),
            b::image(b::hosted(&again), ""),
            b::image(b::hosted(&renamed), ""),
        ],
    );
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&page], None);

    let baked = site.fetch().await;
    assert_no_failures(&baked);
    // Three file ids are three downloads (nothing tells them apart before the bytes arrive)…
    assert_eq!(baked.stats.downloaded, 3);
    // …but one object in the store, one set of variants, and one site file per name.
    assert_eq!(site.stored_objects().len(), 1);
    let a = asset(&baked, &server, &upload);
    let b = asset(&baked, &server, &again);
    let c = asset(&baked, &server, &renamed);
    assert_eq!(a, b);
    assert_ne!(a.path, c.path);
    assert_eq!(a.path[a.path.len() - 16..], c.path[c.path.len() - 16..]);
    let per_image = a.image.as_ref().unwrap().variants.len();
    assert_eq!(per_image, 4, "480 and 500, JPEG and WebP");
    assert_eq!(
        baked.stats.variants_encoded + baked.stats.variants_cached,
        3 * per_image
    );
    assert_eq!(baked.stats.variants_encoded, per_image, "{:?}", baked.stats);
    let paths: std::collections::HashSet<_> = baked.assets.files().iter().map(|f| f.path).collect();
    assert_eq!(
        paths.len(),
        baked.assets.files().len(),
        "duplicate site paths"
    );
    assert_eq!(baked.assets.files().len(), 2 * (1 + per_image));
}

// ------------------------------------------------------------------------------ warm builds

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_warm_bake_downloads_nothing_and_encodes_nothing_even_for_resigned_urls() {
    let mut ws = Workspace::new();
    let photo = ws.add_file("photo.jpg", jpeg(600, 400));
    let slides = ws.add_file("slides.pdf", PDF);
    let page = ws.add_page(
        "Talk",
        vec![
            b::image(b::hosted(&photo), ""),
            b::pdf(b::hosted(&slides), ""),
        ],
    );
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&page], None);

    let cold = site.fetch().await;
    assert_no_failures(&cold);
    assert_eq!(cold.stats.downloaded, 2);
    assert_eq!(cold.stats.variants_encoded, 4);

    // Same snapshot: the stored trees (and their old URLs) are reused.
    let warm = site.fetch().await;
    // A full crawl: every URL is re-signed, and handed out already expired.
    server.set_files_expire_immediately(true);
    let resigned = site.fetch_full().await;
    for baked in [&warm, &resigned] {
        assert_no_failures(baked);
        assert_eq!(baked.stats.downloaded, 0, "{:?}", baked.stats);
        assert_eq!(baked.stats.cached, 2);
        assert_eq!(baked.stats.refreshed_urls, 0);
        assert_eq!(baked.stats.variants_encoded, 0);
        assert_eq!(baked.stats.variants_cached, 4);
        assert_eq!(baked.assets.files(), cold.assets.files());
        assert_eq!(asset(baked, &server, &photo), asset(&cold, &server, &photo));
    }
    assert_eq!(server.total_downloads(), 2);
    assert_eq!(server.download_log().len(), 2);
    assert_eq!(server.requests(Endpoint::Block), 0, "no URL was refreshed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_bake_uses_stored_files_and_asks_for_the_token_for_missing_ones() {
    let mut ws = Workspace::new();
    let kept = ws.add_file("kept.png", png_with_alpha(20, 20));
    let lost = ws.add_file("lost.pdf", PDF);
    let lost_block = uuid_from("lost-block");
    let page = ws.add_page(
        "Offline",
        vec![
            b::image(b::hosted(&kept), ""),
            b::with_id(b::pdf(b::hosted(&lost), ""), &lost_block),
        ],
    );
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&page], None);
    let online = site.fetch().await;
    assert_no_failures(&online);

    let offline = site.bake(false).await;
    assert_no_failures(&offline);
    assert_eq!(offline.stats.cached, 2);
    assert_eq!(offline.assets.files(), online.assets.files());
    assert_eq!(offline.stats.variants_encoded, 0);

    // The PDF's bytes vanish from the store (a partial cache restored in CI, say).
    let object = online
        .assets
        .files()
        .iter()
        .find(|f| f.path.ends_with(".pdf"))
        .map(|f| f.source.to_owned())
        .unwrap();
    std::fs::remove_file(&object).unwrap();
    let offline = site.bake(false).await;
    let message = the_failure(&offline, "Offline", &page, Some(&lost_block), &lost);
    assert!(message.contains("set NOTION_TOKEN"), "{message}");
    assert!(asset(&offline, &server, &kept).image.is_some());
    assert_eq!(server.total_downloads(), 2);
}

// ------------------------------------------------------------------------------ expiry

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_url_is_refreshed_by_refetching_its_block_and_a_cover_by_its_page() {
    let mut ws = Workspace::new();
    let photo = ws.add_file("photo.jpg", jpeg(120, 80));
    let cover = ws.add_file("cover.jpg", jpeg(160, 90));
    let block = uuid_from("photo-block");
    let page = ws.add_page(
        "Expired",
        vec![
            b::paragraph("before"),
            b::with_id(b::image(b::hosted(&photo), ""), &block),
        ],
    );
    ws.set_cover(&page, b::hosted(&cover));
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&page], None);

    server.set_files_expire_immediately(true);
    site.crawl().await;
    server.reset_counters();
    let baked = site.bake(true).await;

    assert_no_failures(&baked);
    assert_eq!(baked.stats.refreshed_urls, 2);
    assert_eq!(server.requests_for(Endpoint::Block, &block), 1);
    assert_eq!(server.requests_for(Endpoint::Page, &page), 1);
    assert_eq!(server.requests(Endpoint::BlockChildren), 0);
    // The expired URLs were never tried: their expiry_time said so.
    assert_eq!(server.download_attempts(&photo), 1);
    assert_eq!(server.downloads(&photo), 1);
    assert_eq!(server.downloads(&cover), 1);
    assert!(asset(&baked, &server, &cover).image.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_url_found_expired_only_at_download_is_refreshed_and_downloaded() {
    let mut ws = Workspace::new();
    let notes = ws.add_file("notes.pdf", PDF);
    let page = ws.add_page("Late", vec![b::pdf(b::hosted(&notes), "")]);
    let block = ws.children_of(&page)[0].clone();
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&page], None);

    site.crawl().await;
    // The file host's clock runs two hours ahead: the URL's expiry_time looks fine to us.
    server.advance_clock(std::time::Duration::from_secs(2 * 3600));
    server.reset_counters();
    let baked = site.bake(true).await;

    assert_no_failures(&baked);
    assert_eq!(baked.stats.refreshed_urls, 1);
    assert_eq!(server.requests_for(Endpoint::Block, &block), 1);
    let statuses: Vec<u16> = server.download_log().iter().map(|d| d.status).collect();
    assert_eq!(statuses, [403, 200]);
    assert_eq!(asset(&baked, &server, &notes).bytes, PDF.len() as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_that_yields_an_expired_url_again_fails_clearly() {
    let mut ws = Workspace::new();
    let stale = ws.add_file("stale.jpg", jpeg(50, 50));
    let fine = ws.add_file("fine.jpg", jpeg(50, 50));
    let block = uuid_from("stale-block");
    let page = ws.add_page(
        "Stale",
        vec![
            b::with_id(b::image(b::hosted(&stale), ""), &block),
            b::image(b::hosted(&fine), ""),
        ],
    );
    let server = FakeNotion::start(ws).await;
    server.always_expired(&stale);
    let site = Site::new(&server, &[&page], None);

    let baked = site.fetch().await;
    let message = the_failure(&baked, "Stale", &page, Some(&block), &stale);
    assert!(message.contains("expired"), "{message}");
    assert!(
        server.requests_for(Endpoint::Block, &block) <= 2,
        "refreshing must not loop"
    );
    assert_eq!(server.downloads(&stale), 0);
    assert!(server.download_attempts(&stale) <= 2);
    // The other image on the page is baked all the same.
    assert!(asset(&baked, &server, &fine).image.is_some());
}

// ------------------------------------------------------------------------------ failures

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signature_does_not_match_fails_clearly_without_printing_the_signature() {
    let mut ws = Workspace::new();
    let file = ws.add_file("report.pdf", PDF);
    let block = uuid_from("report-block");
    let page = ws.add_page(
        "Reports",
        vec![b::with_id(
            b::file(b::hosted(&file), "", "report.pdf"),
            &block,
        )],
    );
    let server = FakeNotion::start(ws).await;
    server.signature_mismatch(&file);
    let site = Site::new(&server, &[&page], None);

    let baked = site.fetch().await;
    let message = the_failure(&baked, "Reports", &page, Some(&block), &file);
    assert!(message.contains("SignatureDoesNotMatch"), "{message}");
    assert_eq!(
        server.download_attempts(&file),
        1,
        "not retried, not refreshed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_truncated_download_and_a_5xx_are_retried() {
    let mut ws = Workspace::new();
    let photo = ws.add_file("photo.png", png_with_alpha(64, 64));
    let page = ws.add_page("Flaky", vec![b::image(b::hosted(&photo), "")]);
    let server = FakeNotion::start(ws).await;
    server.truncate_next_download(&photo);
    server.fail_next_downloads(1, 503);
    let site = Site::new(&server, &[&page], None);

    let baked = site.fetch().await;
    assert_no_failures(&baked);
    assert_eq!(server.download_attempts(&photo), 3);
    assert_eq!(server.downloads(&photo), 1);
    let stored = std::fs::read(source_of(&baked, &asset(&baked, &server, &photo).path)).unwrap();
    assert_eq!(stored, png_with_alpha(64, 64));
    // Nothing half-written is left behind.
    let temp = std::fs::read_dir(site.root().join("files/tmp")).unwrap();
    assert_eq!(temp.count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_truncated_every_time_is_reported_after_the_retries() {
    let mut ws = Workspace::new();
    let file = ws.add_file("big.pdf", PDF.repeat(200));
    let block = uuid_from("big-block");
    let page = ws.add_page(
        "Cut",
        vec![b::with_id(b::pdf(b::hosted(&file), ""), &block)],
    );
    let server = FakeNotion::start(ws).await;
    for _ in 0..10 {
        server.truncate_next_download(&file);
    }
    let site = Site::new(&server, &[&page], None);

    let baked = site.fetch().await;
    let message = the_failure(&baked, "Cut", &page, Some(&block), &file);
    assert!(message.contains("stopped after"), "{message}");
    assert!(message.contains("attempts"), "{message}");
    let attempts = server.download_attempts(&file);
    assert!((2..=5).contains(&attempts), "{attempts} attempts");
    assert!(site.stored_objects().is_empty());
    let temp = std::fs::read_dir(site.root().join("files/tmp")).unwrap();
    assert_eq!(temp.count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_bytes_named_jpg_give_a_clear_error_naming_page_and_block() {
    let mut ws = Workspace::new();
    let broken = ws.add_file("broken.jpg", &b"<html>Access denied by proxy</html>"[..]);
    let block = uuid_from("broken-block");
    let page = ws.add_page(
        "Broken",
        vec![b::with_id(b::image(b::hosted(&broken), ""), &block)],
    );
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&page], None);

    let baked = site.fetch().await;
    let message = the_failure(&baked, "Broken", &page, Some(&block), &broken);
    assert!(message.contains("not an image"), "{message}");
    assert!(baked.assets.is_empty());
    assert!(baked.assets.files().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_png_claiming_60000_by_60000_pixels_is_rejected_without_exhausting_memory() {
    let mut ws = Workspace::new();
    let bomb = ws.add_file("bomb.png", png_bomb());
    let block = uuid_from("bomb-block");
    let page = ws.add_page(
        "Bomb",
        vec![b::with_id(b::image(b::hosted(&bomb), ""), &block)],
    );
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&page], None);

    let baked = site.fetch().await;
    let message = the_failure(&baked, "Bomb", &page, Some(&block), &bomb);
    assert!(message.contains("60000×60000"), "{message}");
    assert!(message.contains("limit"), "{message}");
    // Had the decoder allocated the 14.4 GB pixel buffer, this process would have noticed.
    if let Some(peak_kb) = peak_memory_kb() {
        assert!(peak_kb < 2_000_000, "peak memory {peak_kb} kB");
    }
}

/// This process's peak resident memory, from /proc (Linux only).
fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_over_the_size_cap_is_refused_and_not_stored() {
    let mut ws = Workspace::new();
    let video = ws.add_file("holiday.mp4", vec![0u8; 3 * 1024 * 1024]);
    let small = ws.add_file("small.pdf", PDF);
    let block = uuid_from("video-block");
    let page = ws.add_page(
        "Holiday",
        vec![
            b::with_id(b::video(b::hosted(&video), ""), &block),
            b::pdf(b::hosted(&small), ""),
        ],
    );
    let server = FakeNotion::start(ws).await;
    let mut site = Site::new(&server, &[&page], None);
    site.config.files.max_size_bytes = 2 * 1024 * 1024;

    let baked = site.fetch().await;
    let message = the_failure(&baked, "Holiday", &page, Some(&block), &video);
    assert!(message.contains("larger than"), "{message}");
    assert!(
        message.contains("2 MB"),
        "the limit as configured: {message}"
    );
    assert!(message.contains("max_size_mb"), "what to change: {message}");
    assert_eq!(
        server.download_attempts(&video),
        1,
        "a refusal is not retried"
    );
    assert_eq!(site.stored_objects().len(), 1, "only the small PDF");
    assert!(asset(&baked, &server, &small).image.is_none());
}

// ------------------------------------------------------------------------------ where files live

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_files_property_page_and_database_icons_covers_and_a_callout_icon_are_baked() {
    let mut ws = Workspace::new();
    let menu = ws.add_file("menu-v2.pdf", PDF);
    let icon = ws.add_file("icon.png", png_with_alpha(32, 32));
    let callout = ws.add_file("warning.png", png_with_alpha(24, 24));
    let db_icon = ws.add_file("db-icon.png", png_with_alpha(16, 16));
    let db_cover = ws.add_file("db-cover.jpg", jpeg(300, 100));
    let posts = ws.add_database(
        "Posts",
        &[
            ("Published", "checkbox"),
            ("Date", "date"),
            ("Attachments", "files"),
        ],
    );
    ws.set_database_icon_cover(&posts, b::hosted(&db_icon), b::hosted(&db_cover));
    let post = ws.add_row(
        &posts,
        json!({"Name": "Menu", "Published": true,
               "Attachments": [b::files_entry("Lunch menu (v2).pdf", b::hosted(&menu))]}),
        vec![b::callout("Hot!", b::hosted(&callout))],
    );
    ws.set_icon(&post, b::hosted(&icon));
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[], Some(&posts.database_id));

    let baked = site.fetch().await;
    assert_no_failures(&baked);
    let menu_asset = asset(&baked, &server, &menu);
    assert_eq!(
        menu_asset.name, "Lunch menu (v2).pdf",
        "the name Notion gave"
    );
    assert!(
        is_hash_name(&menu_asset.path, "lunch-menu-v2", "pdf"),
        "{}",
        menu_asset.path
    );
    for file in [&icon, &callout, &db_icon, &db_cover] {
        assert!(
            asset(&baked, &server, file).image.is_some(),
            "{}",
            file.filename
        );
    }
    assert_eq!(baked.assets.len(), 5);
    assert_eq!(server.total_downloads(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_urls_of_properties_icons_and_database_covers_are_refreshed_from_their_owner() {
    let mut ws = Workspace::new();
    let menus: Vec<FileRef> = (1..=3)
        .map(|i| ws.add_file(&format!("menu-{i}.pdf"), PDF.repeat(i)))
        .collect();
    let icon = ws.add_file("icon.png", png_with_alpha(32, 32));
    let cover = ws.add_file("cover.jpg", jpeg(90, 30));
    let callout = ws.add_file("warning.png", png_with_alpha(24, 24));
    let db_cover = ws.add_file("db-cover.jpg", jpeg(300, 100));
    let posts = ws.add_database("Posts", &[("Published", "checkbox"), ("Files", "files")]);
    ws.set_database_icon_cover(&posts, b::emoji("🍜"), b::hosted(&db_cover));
    let callout_block = uuid_from("callout-block");
    let entries: Vec<_> = menus
        .iter()
        .map(|m| b::files_entry(&m.filename, b::hosted(m)))
        .collect();
    let post = ws.add_row(
        &posts,
        json!({"Name": "Menu", "Published": true, "Files": entries}),
        vec![b::with_id(
            b::callout("Hot!", b::hosted(&callout)),
            &callout_block,
        )],
    );
    ws.set_icon(&post, b::hosted(&icon));
    ws.set_cover(&post, b::hosted(&cover));
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[], Some(&posts.database_id));

    server.set_files_expire_immediately(true);
    site.crawl().await;
    server.reset_counters();
    let baked = site.bake(true).await;

    assert_no_failures(&baked);
    assert_eq!(baked.stats.refreshed_urls, 7);
    assert_eq!(server.requests_for(Endpoint::Block, &callout_block), 1);
    // Three attachments, an icon and a cover: one owner, re-fetched once.
    assert_eq!(server.requests_for(Endpoint::Page, &post), 1);
    assert_eq!(
        server.requests_for(Endpoint::Database, &posts.database_id),
        1
    );
    assert_eq!(server.total_downloads(), 7);
    assert_eq!(server.download_log().len(), 7, "no expired URL was tried");
    for menu in &menus {
        assert_eq!(asset(&baked, &server, menu).name, menu.filename);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_request_ever_reaches_an_external_files_host() {
    // An "external host": a listener that records whether anyone connected.
    let external = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    external.set_nonblocking(true).unwrap();
    let host = format!("http://{}", external.local_addr().unwrap());
    let url = |name: &str| format!("{host}/4b1d7a0e-3c2f-4a6e-9d8b-1f2e3d4c5b6a/{name}?v=1");

    let mut ws = Workspace::new();
    let hosted = ws.add_file("hosted.jpg", jpeg(40, 40));
    let posts = ws.add_database("Posts", &[("Published", "checkbox"), ("Files", "files")]);
    ws.set_database_icon_cover(
        &posts,
        b::external(&url("db-icon.png")),
        b::external(&url("db.jpg")),
    );
    let post = ws.add_row(
        &posts,
        json!({"Name": "Links", "Published": true,
               "Files": [b::files_entry(&url("a.pdf"), b::external(&url("a.pdf")))]}),
        vec![
            b::image(b::external(&url("photo.jpg")), ""),
            b::video(b::external(&url("clip.mp4")), ""),
            b::audio(b::external(&url("song.mp3")), ""),
            b::pdf(b::external(&url("doc.pdf")), ""),
            b::file(b::external(&url("data.csv")), "", "data.csv"),
            b::callout("note", b::external(&url("icon.png"))),
            b::image(b::hosted(&hosted), ""),
        ],
    );
    ws.set_cover(&post, b::external(&url("cover.jpg")));
    ws.set_icon(&post, b::external(&url("page-icon.png")));
    // An external URL on the file host itself, shaped like a Notion one, is still external.
    let lookalike = format!(
        "{}/{}/{}/lookalike.jpg",
        "SERVER", "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6", "0e1f2a3b-4c5d-4e6f-8071-92a3b4c5d6e7"
    );
    let page = ws.add_page("Lookalike", vec![b::paragraph("x")]);
    let server = FakeNotion::start(ws).await;
    let lookalike = lookalike.replace("SERVER", &server.url());
    server.replace_blocks(&page, vec![b::image(b::external(&lookalike), "")]);
    let site = Site::new(&server, &[&page], Some(&posts.database_id));

    let baked = site.fetch().await;
    assert_no_failures(&baked);
    assert!(
        matches!(external.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "something connected to the external host"
    );
    let downloaded: Vec<String> = server
        .download_log()
        .iter()
        .map(|d| d.file.as_ref().map_or("?".into(), |f| f.filename.clone()))
        .collect();
    assert_eq!(downloaded, ["hosted.jpg"]);
    assert_eq!(baked.assets.len(), 1);
    assert_eq!(
        baked
            .assets
            .files()
            .iter()
            .filter(|f| !f.path.contains("hosted"))
            .count(),
        0
    );
    assert!(FileKey::of_url(&lookalike).is_none_or(|key| baked.assets.get(&key).is_none()));
    assert_no_downloads_had_credentials(&server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notion_file_on_a_host_that_is_not_notions_is_refused_without_a_request() {
    let elsewhere = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    elsewhere.set_nonblocking(true).unwrap();
    let url = format!(
        "http://{}/4b1d7a0e-3c2f-4a6e-9d8b-1f2e3d4c5b6a/0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6/x.jpg?X-Amz-Signature=abc",
        elsewhere.local_addr().unwrap()
    );
    let mut ws = Workspace::new();
    let block = uuid_from("odd-host-block");
    let hosted =
        json!({"type": "file", "file": {"url": url, "expiry_time": "2099-01-01T00:00:00.000Z"}});
    let page = ws.add_page("Odd host", vec![b::with_id(b::image(hosted, ""), &block)]);
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&page], None);

    let baked = site.fetch().await;
    assert_eq!(baked.failures.len(), 1, "{:#?}", baked.failures);
    let message = &baked.failures[0];
    assert!(
        message.contains("not one of Notion's file hosts"),
        "{message}"
    );
    assert!(
        message.contains(&block) && message.contains(&page),
        "{message}"
    );
    assert!(message.contains("/x.jpg"), "{message}");
    assert_no_signature(message);
    assert!(
        matches!(elsewhere.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the download was attempted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notion_file_without_a_usable_url_is_reported_not_skipped() {
    let mut ws = Workspace::new();
    let block = uuid_from("lonely-block");
    let page = ws.add_page("Lonely", vec![b::paragraph("x")]);
    let server = FakeNotion::start(ws).await;
    // One path segment: no `<file-uuid>/<filename>` to key the file on.
    let url = format!("{}/lonely.jpg?X-Amz-Signature=abc", server.url());
    let hosted =
        json!({"type": "file", "file": {"url": url, "expiry_time": "2099-01-01T00:00:00.000Z"}});
    server.replace_blocks(&page, vec![b::with_id(b::image(hosted, ""), &block)]);
    let site = Site::new(&server, &[&page], None);

    let baked = site.fetch().await;
    assert_eq!(baked.failures.len(), 1, "{:#?}", baked.failures);
    let message = &baked.failures[0];
    assert!(
        message.contains("Lonely") && message.contains(&page),
        "{message}"
    );
    assert!(message.contains(&block), "{message}");
    assert!(message.contains("/lonely.jpg"), "{message}");
    assert_no_signature(message);
    assert!(server.download_log().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_size_cap_is_reported_as_configured() {
    let mut ws = Workspace::new();
    let video = ws.add_file("long.mp4", vec![0u8; 22 * 1024 * 1024]);
    let page = ws.add_page("Long", vec![b::video(b::hosted(&video), "")]);
    let server = FakeNotion::start(ws).await;
    let mut site = Site::new(&server, &[&page], None);
    // `[files] max_size_mb = 21`
    site.config.files.max_size_bytes = 21 * 1024 * 1024;

    let baked = site.fetch().await;
    assert_eq!(baked.failures.len(), 1, "{:#?}", baked.failures);
    let message = &baked.failures[0];
    assert!(message.contains("21 MB limit"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_400_from_the_file_host_is_refreshed_once_then_reported_as_what_it_was() {
    let mut ws = Workspace::new();
    let photo = ws.add_file("photo.png", png_with_alpha(16, 16));
    let block = uuid_from("bad-request-block");
    let page = ws.add_page(
        "Bad request",
        vec![b::with_id(b::image(b::hosted(&photo), ""), &block)],
    );
    let server = FakeNotion::start(ws).await;
    server.fail_next_downloads(2, 400);
    let site = Site::new(&server, &[&page], None);

    let baked = site.fetch().await;
    let message = the_failure(&baked, "Bad request", &page, Some(&block), &photo);
    assert!(message.contains("400"), "{message}");
    assert!(!message.contains("clock"), "nothing expired: {message}");
    assert_eq!(server.download_attempts(&photo), 2);
    assert_eq!(server.requests_for(Endpoint::Block, &block), 1);

    // A single 400 is cured by the fresh URL.
    server.fail_next_downloads(1, 400);
    let baked = site.fetch().await;
    assert_no_failures(&baked);
    assert_eq!(server.downloads(&photo), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_database_cover_names_the_database() {
    let mut ws = Workspace::new();
    let cover = ws.add_file("db-cover.jpg", jpeg(64, 32));
    let posts = ws.add_database("Recipes", &[("Published", "checkbox")]);
    ws.set_database_icon_cover(&posts, b::emoji("🍜"), b::hosted(&cover));
    ws.add_row(&posts, json!({"Name": "Soup", "Published": true}), vec![]);
    let server = FakeNotion::start(ws).await;
    server.signature_mismatch(&cover);
    let site = Site::new(&server, &[], Some(&posts.database_id));

    let baked = site.fetch().await;
    let message = the_failure(&baked, "Recipes", &posts.database_id, None, &cover);
    assert!(message.contains("database \"Recipes\""), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_replaced_in_notion_before_its_refresh_fails_with_a_rebuild_hint() {
    let mut ws = Workspace::new();
    let before = ws.add_file("before.jpg", jpeg(32, 32));
    let after = ws.add_file("after.jpg", jpeg(32, 32));
    let block = uuid_from("replaced-block");
    let page = ws.add_page(
        "Replaced",
        vec![b::with_id(b::image(b::hosted(&before), ""), &block)],
    );
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&page], None);
    server.set_files_expire_immediately(true);
    site.crawl().await;
    server.edit_block(&block, |value| {
        value["image"]["file"] = b::hosted(&after)["file"].clone()
    });

    let baked = site.bake(true).await;
    let message = the_failure(&baked, "Replaced", &page, Some(&block), &before);
    assert!(message.contains("removed or replaced"), "{message}");
    assert!(message.contains("build again"), "{message}");
    assert!(server.download_log().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_heic_photo_is_bundled_as_is_with_a_warning_naming_page_and_block() {
    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.extend_from_slice(&[7u8; 64]);
    let mut ws = Workspace::new();
    let photo = ws.add_file("IMG_0001.HEIC", heic.clone());
    let block = uuid_from("heic-block");
    let page = ws.add_page(
        "Phone",
        vec![b::with_id(b::image(b::hosted(&photo), ""), &block)],
    );
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&page], None);

    let baked = site.fetch().await;
    assert_no_failures(&baked);
    let asset = asset(&baked, &server, &photo);
    assert!(
        is_hash_name(&asset.path, "img-0001", "heic"),
        "{}",
        asset.path
    );
    assert_eq!(asset.mime, "image/heic");
    assert!(asset.image.is_none());
    assert_eq!(std::fs::read(source_of(&baked, &asset.path)).unwrap(), heic);
    assert_eq!(baked.warnings.len(), 1, "{:#?}", baked.warnings);
    let warning = &baked.warnings[0];
    assert!(
        warning.contains(&page) && warning.contains(&block),
        "{warning}"
    );
    assert!(warning.contains("HEIC"), "{warning}");
    assert_no_signature(warning);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_attachment_is_baked_as_an_empty_file() {
    let mut ws = Workspace::new();
    let empty = ws.add_file("todo.txt", Vec::<u8>::new());
    let page = ws.add_page("Empty", vec![b::file(b::hosted(&empty), "", "todo.txt")]);
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&page], None);

    let baked = site.fetch().await;
    assert_no_failures(&baked);
    let asset = asset(&baked, &server, &empty);
    assert!(is_hash_name(&asset.path, "todo", "txt"), "{}", asset.path);
    assert_eq!(asset.bytes, 0);
    assert!(
        std::fs::read(source_of(&baked, &asset.path))
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_image_widths_re_encode_from_the_store_without_downloading() {
    let mut ws = Workspace::new();
    let photo = ws.add_file("photo.jpg", jpeg(1000, 500));
    let page = ws.add_page("Widths", vec![b::image(b::hosted(&photo), "")]);
    let server = FakeNotion::start(ws).await;
    let mut site = Site::new(&server, &[&page], None);
    site.config.images.widths = vec![480];
    let first = site.fetch().await;
    assert_no_failures(&first);
    assert_eq!(first.stats.variants_encoded, 2);

    site.config.images.widths = vec![240, 800];
    let second = site.fetch().await;
    assert_no_failures(&second);
    assert_eq!(second.stats.downloaded, 0);
    assert_eq!(second.stats.variants_encoded, 4);
    let image = asset(&second, &server, &photo).image.clone().unwrap();
    let widths: Vec<u32> = image.variants.iter().map(|v| v.width).collect();
    assert_eq!(widths, [240, 240, 800, 800]);
    for variant in &image.variants {
        let (_, pixels) = decode(source_of(&second, &variant.path));
        assert_eq!(pixels.dimensions(), (variant.width, variant.height));
    }
    assert_eq!(server.downloads(&photo), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn untrusted_file_names_never_leave_the_assets_folder() {
    let mut ws = Workspace::new();
    let sneaky = ws.add_file("../../index.html", &b"<html>not yours</html>"[..]);
    let dotted = ws.add_file("...", PDF);
    let menu = ws.add_file("menu.pdf", PDF.repeat(2));
    let posts = ws.add_database("Posts", &[("Published", "checkbox"), ("Files", "files")]);
    ws.add_row(
        &posts,
        json!({"Name": "Sneaky", "Published": true,
               "Files": [b::files_entry("../../../etc/passwd", b::hosted(&menu))]}),
        vec![
            b::file(b::hosted(&sneaky), "", "../../index.html"),
            b::file(b::hosted(&dotted), "", "..."),
        ],
    );
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[], Some(&posts.database_id));

    let baked = site.fetch().await;
    assert_no_failures(&baked);
    assert_eq!(baked.assets.files().len(), 3);
    for file in &baked.assets.files() {
        let rest = file.path.strip_prefix("assets/").unwrap();
        assert!(
            !rest.contains('/') && !rest.contains('\\') && !rest.starts_with('.'),
            "{}",
            file.path
        );
    }
    // An HTML file is stored as a download, never as a page of the site.
    assert!(is_hash_name(
        &asset(&baked, &server, &sneaky).path,
        "index",
        "bin"
    ));
    assert!(is_hash_name(
        &asset(&baked, &server, &dotted).path,
        "file",
        "pdf"
    ));
    assert!(is_hash_name(
        &asset(&baked, &server, &menu).path,
        "passwd",
        "pdf"
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_moved_to_a_new_host_are_recognised_by_their_stable_key() {
    let mut ws = Workspace::new();
    let photo = ws.add_file("photo.png", png_with_alpha(30, 20));
    let page = ws.add_page("Moved", vec![b::image(b::hosted(&photo), "")]);
    let server = FakeNotion::start(ws).await;
    let site = Site::new(&server, &[&page], None);
    let before = site.fetch().await;
    assert_no_failures(&before);

    // Same server, another host name: only `<file-uuid>/<filename>` stays the same.
    let moved = format!("http://localhost:{}", server.addr().port());
    server.set_file_base_url(Some(moved.clone()));
    let after = site.fetch_full().await;
    assert_no_failures(&after);
    assert_eq!(after.stats.downloaded, 0);
    assert_eq!(server.downloads(&photo), 1);
    let resigned = server.signed_url(&photo);
    assert!(resigned.starts_with(&moved), "{resigned}");
    let key = FileKey::of_url(&resigned).unwrap();
    assert_eq!(
        after.assets.get(&key),
        before.assets.get(&key),
        "{resigned}"
    );
    assert!(after.assets.get(&key).is_some());
}
