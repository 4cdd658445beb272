//! `cargo bench --bench images -- --sweep [photo.jpg …]`: encoder settings compared at **equal
//! quality**. For every photo it decodes and resizes once, the way the pipeline does (mozjpeg,
//! DCT-scaled only when the source is at least twice the widest variant, then Lanczos3), to
//! widths 480/960/1440/1920. Each setting then encodes those pixels at qualities 70–90 (step
//! 4); per photo and width, the bytes that reach the **target** score are interpolated (log
//! bytes, linear in SSIMULACRA2, between the two qualities around the target). The target is
//! the score of the reference setting at q80: libwebp method 4 (sharp's `effort: 4`) for WebP,
//! libjpeg-turbo's defaults with optimised Huffman tables (sharp's JPEG) for JPEG.
//!
//! Parts (`--sweep-only` picks one): `webp` (libwebp's methods), `webp-tuning` (method 4 with
//! its spatial noise shaping, loop filter strength/sharpness or segments moved), `jpeg`
//! (progression, trellis quantisation, quantisation tables, mozjpeg's scan search) and `png`
//! (PNG sources: `support/lossless.rs`).
//!
//! Each row prints: bytes at the target as a share of the reference's (sum over photos and
//! widths; < 100 % = smaller files at equal quality), KB per photo at the target, the quality
//! setting that reaches it (mean), the CPU ms per photo for the 4 widths at q80 (one thread,
//! best of 2; mean and worst over the photos), and the score at q80 per width (mean). Bytes
//! and scores are deterministic; CPU ms depend on the machine's load.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use rayon::ThreadPool;
use rayon::prelude::*;

use crate::quality::Reference;
use crate::{best_cpu_ms, mozjpeg_decode};

const WIDTHS: [u32; 4] = [480, 960, 1440, 1920];
const QUALITIES: [u8; 4] = [74, 78, 82, 86];
/// The quality every CPU figure and the reference's target score are taken at.
const BASE_QUALITY: u8 = 80;
const RUNS: usize = 2;

/// One photo: its reference and its pixels at each width (as the pipeline resizes them).
struct Photo {
    name: String,
    reference: Reference,
    resized: Vec<(u32, u32, Vec<u8>)>,
}

/// An encoder setting: encodes RGB8 pixels at a quality.
type Encode = Box<dyn Fn(&[u8], u32, u32, u8) -> Vec<u8> + Sync>;

/// Per photo and width: (bytes, score) at each quality of [`QUALITIES`].
type Curve = Vec<(usize, f64)>;

pub fn run(photos: &[(String, Vec<u8>)], pool: &ThreadPool) {
    // PNG sources (screenshots, diagrams) get the lossless comparison; the rest are photos.
    let (pngs, photos): (Vec<_>, Vec<_>) = photos
        .iter()
        .partition(|(_, bytes)| bytes.starts_with(b"\x89PNG"));
    // `--sweep-only webp|webp-tuning|jpeg|png` runs one part (processes can share the work).
    let args: Vec<String> = std::env::args().collect();
    let only = args
        .iter()
        .position(|a| a == "--sweep-only")
        .and_then(|i| args.get(i + 1));
    let part = |name: &str| only.is_none_or(|o| o == name);
    if !photos.is_empty() && (part("webp") || part("webp-tuning") || part("jpeg")) {
        println!(
            "\nSweep at equal quality: bytes that reach the reference setting's q{BASE_QUALITY} SSIMULACRA2 score, per photo and width (interpolated over q{}–q{}); CPU ms per photo for 4 widths at q{BASE_QUALITY} (one thread, best of {RUNS})",
            QUALITIES[0],
            QUALITIES[QUALITIES.len() - 1]
        );
        let mut prepared: Vec<Photo> = photos
            .iter()
            .filter_map(|(name, bytes)| prepare(name, bytes))
            .collect();
        let names: Vec<&str> = prepared.iter().map(|p| p.name.as_str()).collect();
        println!("  photos: {}", names.join(", "));
        if part("webp") {
            let (webp_ref, webp_rows) = webp_methods();
            let title = "WebP methods (libwebp, RGB imported to YUV; libwebp's defaults otherwise: sns 50, filter 60, sharpness 0, segments 4)";
            compare(title, &mut prepared, pool, webp_ref, webp_rows);
        }
        if part("webp-tuning") {
            let (webp_ref, webp_rows) = webp_tuning();
            let title = "WebP tuning at method 4 (spatial noise shaping, loop filter strength and sharpness, segments)";
            compare(title, &mut prepared, pool, webp_ref, webp_rows);
        }
        if part("jpeg") {
            let (jpeg_ref, jpeg_rows) = jpeg_settings();
            compare("JPEG (mozjpeg)", &mut prepared, pool, jpeg_ref, jpeg_rows);
        }
    }
    if !pngs.is_empty() && part("png") {
        let pngs: Vec<(String, Vec<u8>)> = pngs.into_iter().cloned().collect();
        crate::lossless::run(&pngs, pool);
    }
}

fn prepare(name: &str, bytes: &[u8]) -> Option<Photo> {
    let reference = Reference::new(bytes);
    let (rw, rh) = reference.dimensions();
    let (pixels, w, h) = mozjpeg_decode(bytes, scale_for(rw));
    if (f64::from(w) / f64::from(h) - f64::from(rw) / f64::from(rh)).abs() > 0.01 {
        // An EXIF-rotated photo: the sweep does not orient its decodes.
        println!("  (skipping {name}: EXIF-rotated)");
        return None;
    }
    let resized = WIDTHS
        .iter()
        .filter(|&&tw| tw <= rw)
        .map(|&tw| {
            let th = ((u64::from(rh) * u64::from(tw) + u64::from(rw) / 2) / u64::from(rw)) as u32;
            (tw, th, resize(&pixels, (w, h), (tw, th)))
        })
        .collect();
    Some(Photo {
        name: name.to_string(),
        reference,
        resized,
    })
}

/// The DCT scale (n/8) the pipeline decodes at: 1/2 or smaller only when that still covers
/// 1920 px, else full size.
fn scale_for(width: u32) -> u8 {
    let n = (1..=8)
        .find(|&n| (u64::from(width) * n).div_ceil(8) >= 1920)
        .unwrap_or(8);
    if n > 4 { 8 } else { n as u8 }
}

fn resize(pixels: &[u8], from: (u32, u32), to: (u32, u32)) -> Vec<u8> {
    let src = ImageRef::new(from.0, from.1, pixels, PixelType::U8x3).unwrap();
    let mut dst = Image::new(to.0, to.1, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new().resize(&src, &mut dst, &options).unwrap();
    dst.into_vec()
}

/// Every quality of every width of every photo, scored (scoring runs on all cores, untimed).
fn curves(photos: &mut [Photo], encode: &Encode) -> Vec<Vec<Curve>> {
    photos
        .par_iter_mut()
        .map(|photo| {
            let Photo {
                reference, resized, ..
            } = photo;
            resized
                .iter()
                .map(|(w, h, px)| {
                    QUALITIES
                        .iter()
                        .map(|&q| {
                            let bytes = encode(px, *w, *h, q);
                            (bytes.len(), reference.score_encoded(&bytes))
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// Score and bytes at [`BASE_QUALITY`] for one curve.
fn at_base(curve: &Curve) -> (usize, f64) {
    let i = QUALITIES.iter().position(|&q| q > BASE_QUALITY).unwrap();
    // 80 lies halfway between 78 and 82: the mean of the two, in log bytes.
    let ((b0, s0), (b1, s1)) = (curve[i - 1], curve[i]);
    (
        ((b0 as f64).ln() * 0.5 + (b1 as f64).ln() * 0.5).exp() as usize,
        (s0 + s1) / 2.0,
    )
}

/// Bytes and quality setting at which `curve` reaches `target` (log bytes and quality
/// interpolated linearly in score; extrapolated from the last two points outside the range).
fn at_target(curve: &Curve, target: f64) -> (f64, f64) {
    let last = curve.len() - 1;
    let i = (1..=last).find(|&i| curve[i].1 >= target).unwrap_or(last);
    let ((b0, s0), (b1, s1)) = (curve[i - 1], curve[i]);
    let t = if (s1 - s0).abs() < 1e-9 {
        0.5
    } else {
        (target - s0) / (s1 - s0)
    };
    let bytes = ((b0 as f64).ln() + t * ((b1 as f64).ln() - (b0 as f64).ln())).exp();
    let q = f64::from(QUALITIES[i - 1]) + t * f64::from(QUALITIES[i] - QUALITIES[i - 1]);
    (bytes, q)
}

fn compare(
    title: &str,
    photos: &mut [Photo],
    pool: &ThreadPool,
    reference: (String, Encode),
    rows: Vec<(String, Encode)>,
) {
    println!("\n{title}:");
    println!(
        "  {:<44} {:>7} {:>7} {:>6} {:>7} {:>7}  {:>6} {:>6} {:>6} {:>6}",
        "setting", "bytes", "KB", "q", "mean ms", "worst", "480", "960", "1440", "1920"
    );
    let ref_curves = curves(photos, &reference.1);
    let targets: Vec<Vec<f64>> = ref_curves
        .iter()
        .map(|widths| widths.iter().map(|c| at_base(c).1).collect())
        .collect();
    let ref_bytes: f64 = ref_curves
        .iter()
        .zip(&targets)
        .flat_map(|(widths, t)| widths.iter().zip(t).map(|(c, &t)| at_target(c, t).0))
        .sum();
    let mut reference_curves = Some(ref_curves);
    for (label, encode) in std::iter::once(reference).chain(rows) {
        let all = match reference_curves.take() {
            Some(curves) => curves,
            None => curves(photos, &encode),
        };
        let (mut bytes, mut q_sum, mut n) = (0.0, 0.0, 0.0);
        let mut scores = [0.0f64; 4];
        let mut counts = [0usize; 4];
        for (widths, t) in all.iter().zip(&targets) {
            for (i, (curve, &t)) in widths.iter().zip(t).enumerate() {
                let (b, q) = at_target(curve, t);
                bytes += b;
                q_sum += q;
                n += 1.0;
                scores[i] += at_base(curve).1;
                counts[i] += 1;
            }
        }
        let cpu: Vec<f64> = photos
            .iter()
            .map(|photo| {
                best_cpu_ms(RUNS, || {
                    pool.install(|| {
                        for (w, h, px) in &photo.resized {
                            std::hint::black_box(encode(px, *w, *h, BASE_QUALITY));
                        }
                    })
                })
            })
            .collect();
        let mean = cpu.iter().sum::<f64>() / cpu.len() as f64;
        let worst = cpu.iter().copied().fold(0.0, f64::max);
        let score = |i: usize| scores[i] / counts[i].max(1) as f64;
        println!(
            "  {label:<44} {:>6.1}% {:>7.0} {:>6.1} {mean:>7.1} {worst:>7.1}  {:>6.2} {:>6.2} {:>6.2} {:>6.2}",
            100.0 * bytes / ref_bytes,
            bytes / photos.len() as f64 / 1024.0,
            q_sum / n,
            score(0),
            score(1),
            score(2),
            score(3),
        );
    }
}

type WebpTweak = fn(&mut libwebp_sys::WebPConfig);

/// A lossy WebP row: libwebp's defaults at the quality, then `tweak`.
fn webp_row(label: &str, tweak: WebpTweak) -> (String, Encode) {
    let encode: Encode = Box::new(move |px: &[u8], w: u32, h: u32, q: u8| {
        let mut config = libwebp_sys::WebPConfig::new().unwrap();
        config.thread_level = 0;
        config.quality = f32::from(q);
        tweak(&mut config);
        encode_webp(px, w, h, &config)
    });
    (label.to_string(), encode)
}

/// libwebp's methods on top of libwebp's defaults, the reference (method 4) first.
fn webp_methods() -> ((String, Encode), Vec<(String, Encode)>) {
    let reference = webp_row("method 4 (reference)", |c| c.method = 4);
    let rows = vec![
        webp_row("method 6", |c| c.method = 6),
        webp_row("method 5", |c| c.method = 5),
        webp_row("method 3", |c| c.method = 3),
        webp_row("method 2", |c| c.method = 2),
        webp_row("method 1", |c| c.method = 1),
    ];
    (reference, rows)
}

/// Method 4 with one of libwebp's other knobs moved from its default, the reference first.
fn webp_tuning() -> ((String, Encode), Vec<(String, Encode)>) {
    let reference = webp_row("method 4 (reference: sns 50, filter 60)", |c| c.method = 4);
    let rows = vec![
        webp_row("sns 0", |c| {
            c.method = 4;
            c.sns_strength = 0;
        }),
        webp_row("sns 25", |c| {
            c.method = 4;
            c.sns_strength = 25;
        }),
        webp_row("sns 75", |c| {
            c.method = 4;
            c.sns_strength = 75;
        }),
        webp_row("sns 100", |c| {
            c.method = 4;
            c.sns_strength = 100;
        }),
        webp_row("filter 20", |c| {
            c.method = 4;
            c.filter_strength = 20;
        }),
        webp_row("filter 40", |c| {
            c.method = 4;
            c.filter_strength = 40;
        }),
        webp_row("filter 80", |c| {
            c.method = 4;
            c.filter_strength = 80;
        }),
        webp_row("autofilter", |c| {
            c.method = 4;
            c.autofilter = 1;
        }),
        webp_row("sharpness 3", |c| {
            c.method = 4;
            c.filter_sharpness = 3;
        }),
        webp_row("sharpness 6", |c| {
            c.method = 4;
            c.filter_sharpness = 6;
        }),
        webp_row("segments 1", |c| {
            c.method = 4;
            c.segments = 1;
        }),
    ];
    (reference, rows)
}

/// Lossy WebP through libwebp, RGB imported straight to YUV as the pipeline does.
fn encode_webp(px: &[u8], width: u32, height: u32, config: &libwebp_sys::WebPConfig) -> Vec<u8> {
    use libwebp_sys::*;
    // SAFETY: the picture and the writer live until the end of the block; the picture reads
    // `px`, which is width × height RGB8 pixels, and both are freed exactly once.
    unsafe {
        let mut picture = WebPPicture::new().unwrap();
        picture.use_argb = 0;
        picture.width = width as i32;
        picture.height = height as i32;
        let mut writer = std::mem::MaybeUninit::<WebPMemoryWriter>::uninit();
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

/// mozjpeg settings, the reference (libjpeg-turbo's defaults + optimised Huffman) first.
/// `fastest` = libjpeg-turbo's defaults (Annex K tables, no trellis) with optimised Huffman
/// tables; `mozjpeg` = mozjpeg's defaults (trellis quantisation, N. Robidoux's tables,
/// overshoot deringing). Tables set by hand are scaled for the quality as libjpeg scales its.
fn jpeg_settings() -> ((String, Encode), Vec<(String, Encode)>) {
    use mozjpeg::qtable::{AnnexK_Chroma, AnnexK_Luma, NRobidoux};
    type Tweak = fn(&mut mozjpeg::Compress, f32);
    let row = |label: &str, tweak: Tweak| -> (String, Encode) {
        let encode: Encode = Box::new(move |px: &[u8], w: u32, h: u32, q: u8| {
            let mut compress = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_RGB);
            compress.set_size(w as usize, h as usize);
            tweak(&mut compress, f32::from(q));
            let mut started = compress.start_compress(Vec::new()).unwrap();
            started.write_scanlines(px).unwrap();
            started.finish().unwrap()
        });
        (label.to_string(), encode)
    };
    let fastest = |c: &mut mozjpeg::Compress, q: f32| {
        c.set_fastest_defaults();
        c.set_optimize_coding(true);
        c.set_quality(q);
    };
    let reference = row("fastest, baseline (reference)", fastest);
    let rows = vec![
        row("fastest, progressive", |c, q| {
            c.set_fastest_defaults();
            c.set_optimize_coding(true);
            c.set_progressive_mode();
            c.set_quality(q);
        }),
        row("fastest + Robidoux tables, progressive", |c, q| {
            c.set_fastest_defaults();
            c.set_optimize_coding(true);
            c.set_progressive_mode();
            c.set_quality(q);
            c.set_luma_qtable(&NRobidoux.scaled(q, q));
            c.set_chroma_qtable(&NRobidoux.scaled(q, q));
        }),
        row("mozjpeg + Annex K tables (trellis alone), prog.", |c, q| {
            c.set_optimize_scans(false);
            c.set_progressive_mode();
            c.set_quality(q);
            c.set_luma_qtable(&AnnexK_Luma.scaled(q, q));
            c.set_chroma_qtable(&AnnexK_Chroma.scaled(q, q));
        }),
        row("mozjpeg, simple progression", |c, q| {
            c.set_optimize_scans(false);
            c.set_progressive_mode();
            c.set_quality(q);
        }),
        row("mozjpeg, baseline", |c, q| {
            c.set_optimize_scans(false);
            c.set_quality(q);
        }),
        row("mozjpeg, optimised scans (cjpeg's default)", |c, q| {
            c.set_quality(q);
        }),
    ];
    (reference, rows)
}
