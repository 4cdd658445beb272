//! `cargo bench --bench images -- --sweep [photo.jpg …]`: the settings the image pipeline
//! chose from. It redoes the pipeline's steps with the crates themselves (mozjpeg's DCT-scaled
//! decode, fast_image_resize, mozjpeg, libwebp), changing one setting at a time, and prints
//! for each: CPU ms per photo on one thread (best of 2; mean over the photos, and the worst),
//! KB per photo, and the SSIMULACRA2 score at each width (mean over the photos) against the
//! source resized from full resolution (`quality.rs`). Widths 480/960/1440/1920, quality 80.

use std::mem::MaybeUninit;

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use rayon::ThreadPool;

use crate::quality::Reference;
use crate::{best_cpu_ms, mozjpeg_decode};

const WIDTHS: [u32; 4] = [480, 960, 1440, 1920];
const QUALITY: f32 = 80.0;
const RUNS: usize = 2;

/// One photo: its reference, and its pixels resized the way the old pipeline did (Lanczos3
/// from the DCT-scaled decode), which the encoder rows share.
struct Photo {
    name: String,
    bytes: Vec<u8>,
    reference: Reference,
    resized: Vec<(u32, u32, Vec<u8>)>,
}

/// One row of the sweep: per photo, CPU ms, bytes and a score per width.
struct Row {
    cpu: Vec<f64>,
    bytes: Vec<usize>,
    scores: Vec<[f64; 4]>,
}

impl Row {
    fn new() -> Row {
        Row {
            cpu: Vec::new(),
            bytes: Vec::new(),
            scores: Vec::new(),
        }
    }

    fn print(&self, label: &str) {
        let n = self.cpu.len() as f64;
        let mean = self.cpu.iter().sum::<f64>() / n;
        let worst = self.cpu.iter().copied().fold(0.0, f64::max);
        let kb = self.bytes.iter().sum::<usize>() as f64 / n / 1024.0;
        let score = |i: usize| self.scores.iter().map(|s| s[i]).sum::<f64>() / n;
        println!(
            "  {label:<46} {mean:>7.1} {worst:>7.1} {kb:>7.0}  {:>6.2} {:>6.2} {:>6.2} {:>6.2}",
            score(0),
            score(1),
            score(2),
            score(3)
        );
    }
}

fn header(title: &str) {
    println!("\n{title}");
    println!(
        "  {:<46} {:>7} {:>7} {:>7}  {:>6} {:>6} {:>6} {:>6}",
        "setting", "mean ms", "worst", "KB", "480", "960", "1440", "1920"
    );
}

pub fn run(photos: &[(String, Vec<u8>)], pool: &ThreadPool) {
    println!(
        "\nSweep: CPU ms per photo (one thread, best of {RUNS}), KB per photo, SSIMULACRA2 per width (mean over the photos)"
    );
    let mut prepared: Vec<Photo> = photos
        .iter()
        .filter_map(|(name, bytes)| {
            let reference = Reference::new(bytes);
            let (pixels, w, h) = mozjpeg_decode(bytes, scale_for(bytes));
            let (rw, rh) = reference.dimensions();
            if w * rh != h * rw {
                // An EXIF-rotated photo: the sweep does not orient its decodes.
                println!("  (skipping {name}: EXIF-rotated)");
                return None;
            }
            let resized = WIDTHS
                .iter()
                .map(|&tw| {
                    let th = height_at(rw, rh, tw);
                    (
                        tw,
                        th,
                        resize(&pixels, (w, h), (tw, th), FilterType::Lanczos3),
                    )
                })
                .collect();
            Some(Photo {
                name: name.clone(),
                bytes: bytes.clone(),
                reference,
                resized,
            })
        })
        .collect();
    let names: Vec<&str> = prepared.iter().map(|p| p.name.as_str()).collect();
    println!("  photos: {}", names.join(", "));

    resize_rows(&mut prepared, pool);
    jpeg_rows(&mut prepared, pool);
    webp_rows(&mut prepared, pool);
}

/// The DCT scale (n/8) the pipeline decodes at: the smallest that still covers 1920 px.
fn scale_for(bytes: &[u8]) -> u8 {
    let width = mozjpeg::Decompress::new_mem(bytes).unwrap().width() as u64;
    (1..=8)
        .find(|&n| (width * n).div_ceil(8) >= 1920)
        .unwrap_or(8) as u8
}

fn height_at(width: u32, height: u32, target: u32) -> u32 {
    ((u64::from(height) * u64::from(target) + u64::from(width) / 2) / u64::from(width)) as u32
}

fn resize(pixels: &[u8], from: (u32, u32), to: (u32, u32), filter: FilterType) -> Vec<u8> {
    let src = ImageRef::new(from.0, from.1, pixels, PixelType::U8x3).unwrap();
    let mut dst = Image::new(to.0, to.1, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(filter));
    Resizer::new().resize(&src, &mut dst, &options).unwrap();
    dst.into_vec()
}

/// How to get from the JPEG to the four widths.
#[derive(Clone, Copy)]
enum ResizePlan {
    /// DCT-scaled decode covering 1920 px, then each width from the decode.
    FromDecode(FilterType),
    /// DCT-scaled decode covering 1920 px, then each width from the next larger width.
    Cascade(FilterType),
    /// Full-size decode, then each width from it.
    FromFullDecode,
    /// One DCT-scaled decode per width, each the smallest that covers that width.
    DecodePerWidth,
}

fn resize_rows(photos: &mut [Photo], pool: &ThreadPool) {
    header("Decode + resize (no encoding; the score is of the resized pixels):");
    let plans = [
        (
            "DCT-1/2 decode, Lanczos3 from it (old)",
            ResizePlan::FromDecode(FilterType::Lanczos3),
        ),
        (
            "DCT-1/2 decode, Lanczos3 from next width",
            ResizePlan::Cascade(FilterType::Lanczos3),
        ),
        (
            "DCT-1/2 decode, CatmullRom from it",
            ResizePlan::FromDecode(FilterType::CatmullRom),
        ),
        (
            "DCT-1/2 decode, CatmullRom from next width",
            ResizePlan::Cascade(FilterType::CatmullRom),
        ),
        ("full decode, Lanczos3 from it", ResizePlan::FromFullDecode),
        ("DCT decode per width, Lanczos3", ResizePlan::DecodePerWidth),
    ];
    for (label, plan) in plans {
        let mut row = Row::new();
        for photo in photos.iter_mut() {
            let mut out = Vec::new();
            let cpu = best_cpu_ms(RUNS, || {
                out = pool.install(|| plan_pixels(&photo.bytes, plan));
            });
            let scores = out
                .iter()
                .map(|(w, h, px)| photo.reference.score_pixels(px, *w, *h));
            row.cpu.push(cpu);
            row.bytes.push(0);
            row.scores
                .push(scores.collect::<Vec<_>>().try_into().unwrap());
        }
        row.print(label);
    }
}

fn plan_pixels(bytes: &[u8], plan: ResizePlan) -> Vec<(u32, u32, Vec<u8>)> {
    let scale = match plan {
        ResizePlan::FromFullDecode => 8,
        _ => scale_for(bytes),
    };
    let (pixels, w, h) = mozjpeg_decode(bytes, scale);
    let full_width = mozjpeg::Decompress::new_mem(bytes).unwrap().width() as u32;
    let full_height = mozjpeg::Decompress::new_mem(bytes).unwrap().height() as u32;
    let size = |tw: u32| (tw, height_at(full_width, full_height, tw));
    match plan {
        ResizePlan::FromDecode(filter) => WIDTHS
            .iter()
            .map(|&tw| {
                let (tw, th) = size(tw);
                (tw, th, resize(&pixels, (w, h), (tw, th), filter))
            })
            .collect(),
        ResizePlan::FromFullDecode => WIDTHS
            .iter()
            .map(|&tw| {
                let (tw, th) = size(tw);
                (
                    tw,
                    th,
                    resize(&pixels, (w, h), (tw, th), FilterType::Lanczos3),
                )
            })
            .collect(),
        ResizePlan::Cascade(filter) => {
            let mut out: Vec<(u32, u32, Vec<u8>)> = Vec::new();
            let (mut from, mut from_size) = (pixels, (w, h));
            for &tw in WIDTHS.iter().rev() {
                let (tw, th) = size(tw);
                let resized = resize(&from, from_size, (tw, th), filter);
                out.push((tw, th, resized.clone()));
                (from, from_size) = (resized, (tw, th));
            }
            out.reverse();
            out
        }
        ResizePlan::DecodePerWidth => WIDTHS
            .iter()
            .map(|&tw| {
                let n = (1..=8u32)
                    .find(|&n| (full_width * n).div_ceil(8) >= tw)
                    .unwrap_or(8);
                let (pixels, w, h) = mozjpeg_decode(bytes, n as u8);
                let (tw, th) = size(tw);
                (
                    tw,
                    th,
                    resize(&pixels, (w, h), (tw, th), FilterType::Lanczos3),
                )
            })
            .collect(),
    }
}

/// mozjpeg settings, applied after the colour space and size.
#[derive(Clone, Copy)]
enum Jpeg {
    FastestOptimized,
    Fastest,
    FastestOptimizedProgressive,
    Defaults,
}

fn encode_jpeg(px: &[u8], width: u32, height: u32, jpeg: Jpeg) -> Vec<u8> {
    let mut compress = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_RGB);
    if !matches!(jpeg, Jpeg::Defaults) {
        compress.set_fastest_defaults();
    }
    compress.set_size(width as usize, height as usize);
    compress.set_quality(QUALITY);
    match jpeg {
        Jpeg::FastestOptimized => compress.set_optimize_coding(true),
        Jpeg::FastestOptimizedProgressive => {
            compress.set_optimize_coding(true);
            compress.set_progressive_mode();
        }
        Jpeg::Fastest | Jpeg::Defaults => {}
    }
    let mut started = compress.start_compress(Vec::new()).unwrap();
    started.write_scanlines(px).unwrap();
    started.finish().unwrap()
}

fn jpeg_rows(photos: &mut [Photo], pool: &ThreadPool) {
    header("JPEG q80 (mozjpeg), 4 widths from the old resize:");
    let settings = [
        (
            "fastest defaults + optimize_coding (old)",
            Jpeg::FastestOptimized,
        ),
        ("fastest defaults, standard Huffman tables", Jpeg::Fastest),
        (
            "fastest + optimize_coding + progressive",
            Jpeg::FastestOptimizedProgressive,
        ),
        (
            "mozjpeg defaults (trellis, progressive, scans)",
            Jpeg::Defaults,
        ),
    ];
    for (label, jpeg) in settings {
        let mut row = Row::new();
        for photo in photos.iter_mut() {
            let encode = |photo: &Photo| -> Vec<Vec<u8>> {
                photo
                    .resized
                    .iter()
                    .map(|(w, h, px)| encode_jpeg(px, *w, *h, jpeg))
                    .collect()
            };
            measure(&mut row, photo, pool, encode);
        }
        row.print(label);
    }
}

/// Times `encode` over a photo's four widths, then scores what it made.
fn measure(
    row: &mut Row,
    photo: &mut Photo,
    pool: &ThreadPool,
    encode: impl Fn(&Photo) -> Vec<Vec<u8>> + Sync,
) {
    let mut out = Vec::new();
    let cpu = best_cpu_ms(RUNS, || out = pool.install(|| encode(photo)));
    row.cpu.push(cpu);
    row.bytes.push(out.iter().map(Vec::len).sum());
    let scores: Vec<f64> = out
        .iter()
        .map(|bytes| photo.reference.score_encoded(bytes))
        .collect();
    row.scores.push(scores.try_into().unwrap());
}

/// How the pixels reach libwebp.
#[derive(Clone, Copy, PartialEq)]
enum Import {
    /// The `webp` crate: RGB → ARGB, which the lossy encoder converts to YUV.
    Argb,
    /// libwebp directly: RGB → YUV.
    Yuv,
}

/// Lossy WebP through libwebp, pixels imported as `import` says.
fn encode_webp(
    px: &[u8],
    width: u32,
    height: u32,
    config: &webp::WebPConfig,
    import: Import,
) -> Vec<u8> {
    use libwebp_sys::*;
    if import == Import::Argb {
        let encoder = webp::Encoder::from_rgb(px, width, height);
        return encoder.encode_advanced(config).unwrap().to_vec();
    }
    // SAFETY: the picture and the writer live until the end of the block; the picture reads
    // `px`, which is width × height RGB8 pixels, and both are freed exactly once.
    unsafe {
        let mut picture = WebPPicture::new().unwrap();
        picture.use_argb = 0;
        picture.width = width as i32;
        picture.height = height as i32;
        let mut writer = MaybeUninit::<WebPMemoryWriter>::uninit();
        WebPMemoryWriterInit(writer.as_mut_ptr());
        let mut writer = writer.assume_init();
        assert!(WebPPictureImportRGB(&mut picture, px.as_ptr(), width as i32 * 3) != 0);
        picture.writer = Some(WebPMemoryWrite);
        picture.custom_ptr = (&raw mut writer).cast();
        assert!(WebPEncode(config, &mut picture) != 0);
        WebPPictureFree(&mut picture);
        let bytes = std::slice::from_raw_parts(writer.mem, writer.size).to_vec();
        WebPMemoryWriterClear(&mut writer);
        bytes
    }
}

fn webp_rows(photos: &mut [Photo], pool: &ThreadPool) {
    header(
        "WebP q80 (libwebp 1.3), 4 widths from the old resize; unnamed settings at libwebp's defaults (sns 50, filter 60, segments 4, pass 1):",
    );
    type Tweak = fn(&mut webp::WebPConfig);
    let mut settings: Vec<(String, Import, Tweak)> = Vec::new();
    for method in 0..=6 {
        let label = format!("method {method}{}", if method == 4 { " (old)" } else { "" });
        let tweak: Tweak = match method {
            0 => |c| c.method = 0,
            1 => |c| c.method = 1,
            2 => |c| c.method = 2,
            3 => |c| c.method = 3,
            4 => |c| c.method = 4,
            5 => |c| c.method = 5,
            _ => |c| c.method = 6,
        };
        settings.push((label, Import::Argb, tweak));
    }
    let tweaks: [(&str, Tweak); 23] = [
        ("method 4, RGB imported straight to YUV", |c| c.method = 4),
        ("method 0, RGB to YUV", |c| c.method = 0),
        ("method 1, RGB to YUV", |c| c.method = 1),
        ("method 1, RGB to YUV, sns 25", |c| {
            c.method = 1;
            c.sns_strength = 25;
        }),
        ("method 1, RGB to YUV, segments 1", |c| {
            c.method = 1;
            c.segments = 1;
        }),
        ("method 1, RGB to YUV, q78", |c| {
            c.method = 1;
            c.quality = 78.0;
        }),
        ("method 1, RGB to YUV, q82", |c| {
            c.method = 1;
            c.quality = 82.0;
        }),
        ("method 4, thread_level 1", |c| {
            c.method = 4;
            c.thread_level = 1;
        }),
        ("method 4, segments 1", |c| {
            c.method = 4;
            c.segments = 1;
        }),
        ("method 3, RGB to YUV", |c| c.method = 3),
        ("method 3, RGB to YUV, segments 1", |c| {
            c.method = 3;
            c.segments = 1;
        }),
        ("method 2, RGB to YUV", |c| c.method = 2),
        ("method 2, RGB to YUV, sns 0", |c| {
            c.method = 2;
            c.sns_strength = 0;
        }),
        ("method 2, RGB to YUV, sns 25", |c| {
            c.method = 2;
            c.sns_strength = 25;
        }),
        ("method 2, RGB to YUV, sns 80", |c| {
            c.method = 2;
            c.sns_strength = 80;
        }),
        ("method 2, RGB to YUV, filter 30", |c| {
            c.method = 2;
            c.filter_strength = 30;
        }),
        ("method 2, RGB to YUV, filter 0", |c| {
            c.method = 2;
            c.filter_strength = 0;
        }),
        ("method 2, RGB to YUV, segments 1", |c| {
            c.method = 2;
            c.segments = 1;
        }),
        ("method 2, RGB to YUV, segments 2", |c| {
            c.method = 2;
            c.segments = 2;
        }),
        ("method 2, RGB to YUV, pass 2", |c| {
            c.method = 2;
            c.pass = 2;
        }),
        ("method 2, RGB to YUV, preprocessing 1", |c| {
            c.method = 2;
            c.preprocessing = 1;
        }),
        ("method 2, RGB to YUV, sharp YUV", |c| {
            c.method = 2;
            c.use_sharp_yuv = 1;
        }),
        ("method 2, RGB to YUV, q85", |c| {
            c.method = 2;
            c.quality = 85.0;
        }),
    ];
    for (label, tweak) in tweaks {
        let import = if label.contains("RGB") || label.contains("YUV") {
            Import::Yuv
        } else {
            Import::Argb
        };
        settings.push((label.to_string(), import, tweak));
    }
    for (label, import, tweak) in settings {
        let mut config = webp::WebPConfig::new().unwrap();
        config.quality = QUALITY;
        config.thread_level = 0;
        tweak(&mut config);
        let mut row = Row::new();
        for photo in photos.iter_mut() {
            let encode = |photo: &Photo| -> Vec<Vec<u8>> {
                photo
                    .resized
                    .iter()
                    .map(|(w, h, px)| encode_webp(px, *w, *h, &config, import))
                    .collect()
            };
            measure(&mut row, photo, pool, encode);
        }
        row.print(&label);
    }
}
