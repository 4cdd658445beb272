//! `cargo bench --bench images -- --sweep screenshot.png …`: what to make of PNG sources
//! (screenshots, diagrams). Each PNG is decoded once and resized to the widths the pipeline
//! makes (480/960/1440/1920 up to its width, plus its own width below 1920: Lanczos3, alpha
//! premultiplied); every setting then encodes those pixels. A row prints the bytes over all
//! screenshots and widths (as a share of the pipeline's PNG), the CPU ms for all of them (one
//! thread, best of 2), and for the lossy rows the SSIMULACRA2 score against the exact resized
//! pixels (both composited over white; mean and worst over every variant), i.e. what the
//! encoder alone loses. Lossless rows keep every pixel (score 100).

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use rayon::ThreadPool;

use crate::best_cpu_ms;
use crate::quality::ssimulacra2;

const WIDTHS: [u32; 4] = [480, 960, 1440, 1920];
const RUNS: usize = 2;

/// One variant to encode: RGBA8 pixels at one width.
struct Pixels {
    width: u32,
    height: u32,
    rgba: Vec<u8>,
}

type Encode = Box<dyn Fn(&Pixels) -> Vec<u8> + Sync>;

pub fn run(pngs: &[(String, Vec<u8>)], pool: &ThreadPool) {
    let variants: Vec<Pixels> = pngs.iter().flat_map(|(_, bytes)| widths(bytes)).collect();
    let names: Vec<&str> = pngs.iter().map(|(n, _)| n.as_str()).collect();
    println!(
        "\nPNG sources: {} variants of {} ({}); KB over all, CPU ms for all (one thread, best of {RUNS}), SSIMULACRA2 of lossy rows against the exact pixels:",
        variants.len(),
        names.len(),
        names.join(", ")
    );
    println!(
        "  {:<40} {:>8} {:>7} {:>8} {:>7} {:>7}",
        "setting", "KB", "bytes", "CPU ms", "mean", "worst"
    );
    let mut png_bytes = None;
    for (label, lossy, encode) in settings() {
        let outputs: Vec<Vec<u8>> = variants.iter().map(&encode).collect();
        let bytes: usize = outputs.iter().map(Vec::len).sum();
        let base = *png_bytes.get_or_insert(bytes);
        let cpu = best_cpu_ms(RUNS, || {
            pool.install(|| {
                for v in &variants {
                    std::hint::black_box(encode(v));
                }
            })
        });
        let (mean, worst) = if lossy {
            let scores: Vec<f64> = variants
                .iter()
                .zip(&outputs)
                .map(|(v, out)| score(v, out))
                .collect();
            let mean = scores.iter().sum::<f64>() / scores.len() as f64;
            let worst = scores.iter().copied().fold(f64::INFINITY, f64::min);
            (format!("{mean:.2}"), format!("{worst:.2}"))
        } else {
            ("100".to_string(), "100".to_string())
        };
        println!(
            "  {label:<40} {:>8} {:>6.1}% {cpu:>8.1} {mean:>7} {worst:>7}",
            bytes / 1024,
            100.0 * bytes as f64 / base as f64,
        );
    }
}

/// The PNG decoded and resized to each width the pipeline makes of it.
fn widths(bytes: &[u8]) -> Vec<Pixels> {
    let full = image::load_from_memory(bytes)
        .expect("a decodable PNG")
        .into_rgba8();
    let (w, h) = full.dimensions();
    let mut targets: Vec<u32> = WIDTHS.iter().copied().filter(|&t| t <= w).collect();
    if w < WIDTHS[WIDTHS.len() - 1] && !targets.contains(&w) {
        targets.push(w);
    }
    targets
        .into_iter()
        .map(|tw| {
            let th = ((u64::from(h) * u64::from(tw) + u64::from(w) / 2) / u64::from(w)).max(1);
            let th = th as u32;
            let rgba = if tw == w {
                full.as_raw().clone()
            } else {
                let src = ImageRef::new(w, h, full.as_raw(), PixelType::U8x4).unwrap();
                let mut dst = Image::new(tw, th, PixelType::U8x4);
                let options =
                    ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
                Resizer::new().resize(&src, &mut dst, &options).unwrap();
                dst.into_vec()
            };
            Pixels {
                width: tw,
                height: th,
                rgba,
            }
        })
        .collect()
}

/// Each setting: its label, whether it is lossy, and the encoder. The pipeline's PNG first.
fn settings() -> Vec<(String, bool, Encode)> {
    let webp = |label: &str, lossy: bool, tweak: fn(&mut libwebp_sys::WebPConfig)| {
        let encode: Encode = Box::new(move |px: &Pixels| {
            let mut config = libwebp_sys::WebPConfig::new().unwrap();
            config.thread_level = 0;
            tweak(&mut config);
            encode_webp(px, &config)
        });
        (label.to_string(), lossy, encode)
    };
    let png = |label: &str, compression: image::codecs::png::CompressionType| {
        let encode: Encode = Box::new(move |px: &Pixels| {
            use image::ImageEncoder;
            use image::codecs::png::{FilterType, PngEncoder};
            let mut out = Vec::new();
            PngEncoder::new_with_quality(&mut out, compression, FilterType::Adaptive)
                .write_image(
                    &px.rgba,
                    px.width,
                    px.height,
                    image::ExtendedColorType::Rgba8,
                )
                .unwrap();
            out
        });
        (label.to_string(), false, encode)
    };
    use image::codecs::png::CompressionType;
    vec![
        png("PNG, fast (the pipeline's)", CompressionType::Fast),
        png("PNG, best", CompressionType::Best),
        webp("lossless WebP -z 6: m4 q75 (the pipeline's)", false, |c| {
            preset(c, 6)
        }),
        webp("lossless WebP -z 3: m3 q30", false, |c| preset(c, 3)),
        webp("lossless WebP -z 9: m6 q100", false, |c| preset(c, 9)),
        webp("near-lossless 80 (-z 6)", true, |c| {
            preset(c, 6);
            c.near_lossless = 80;
        }),
        webp("near-lossless 60 (-z 6)", true, |c| {
            preset(c, 6);
            c.near_lossless = 60;
        }),
        webp("lossy WebP q90 m4", true, |c| {
            c.quality = 90.0;
            c.method = 4;
        }),
        webp("lossy WebP q80 m4 (the photo setting)", true, |c| {
            c.quality = 80.0;
            c.method = 4;
        }),
    ]
}

/// `cwebp -z level`: libwebp's lossless method and effort for that level.
fn preset(config: &mut libwebp_sys::WebPConfig, level: i32) {
    // SAFETY: `config` is a valid, initialised config.
    assert!(unsafe { libwebp_sys::WebPConfigLosslessPreset(config, level) } != 0);
}

/// WebP through libwebp from RGBA (ARGB for lossless, YUV for lossy, as the pipeline does).
fn encode_webp(px: &Pixels, config: &libwebp_sys::WebPConfig) -> Vec<u8> {
    use libwebp_sys::*;
    // SAFETY: the picture reads `px.rgba` (width × height RGBA8); the picture and the writer
    // live until the end of the block and are freed exactly once.
    unsafe {
        let mut picture = WebPPicture::new().unwrap();
        picture.use_argb = config.lossless;
        picture.width = px.width as i32;
        picture.height = px.height as i32;
        let mut writer = std::mem::MaybeUninit::<WebPMemoryWriter>::uninit();
        WebPMemoryWriterInit(writer.as_mut_ptr());
        let mut writer = writer.assume_init();
        assert!(WebPPictureImportRGBA(&mut picture, px.rgba.as_ptr(), px.width as i32 * 4) != 0);
        picture.writer = Some(WebPMemoryWrite);
        picture.custom_ptr = (&raw mut writer).cast();
        assert!(WebPEncode(config, &mut picture) != 0);
        WebPPictureFree(&mut picture);
        let bytes = std::slice::from_raw_parts(writer.mem, writer.size).to_vec();
        WebPMemoryWriterClear(&mut writer);
        bytes
    }
}

/// SSIMULACRA2 of an encoded variant against the pixels it was made from, both over white.
fn score(px: &Pixels, encoded: &[u8]) -> f64 {
    let decoded = image::load_from_memory(encoded).unwrap().into_rgba8();
    let over_white = |rgba: &[u8]| -> Vec<u8> {
        rgba.chunks_exact(4)
            .flat_map(|p| {
                let a = u32::from(p[3]);
                [0, 1, 2].map(|i| ((u32::from(p[i]) * a + 255 * (255 - a) + 127) / 255) as u8)
            })
            .collect()
    };
    ssimulacra2(
        &over_white(&px.rgba),
        &over_white(decoded.as_raw()),
        px.width,
        px.height,
    )
}
