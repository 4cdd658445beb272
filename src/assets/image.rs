//! The image pipeline: the bytes of one image → its pixel size, resized variants and an
//! inline placeholder. Pure: no files, no network, no threads of its own.
//!
//! How:
//! - **Decode once**, with limits: the pixel count is checked from the header before any pixel
//!   buffer is allocated, and the decoder's allocation is capped. JPEG is decoded by mozjpeg
//!   (libjpeg-turbo), with DCT-domain scaling to the smallest size still at least as large as
//!   the widest variant when that halves the size or more (a 4032 px photo for a 1920 px
//!   variant decodes at 2016 px; a 3000 px one at full size: see `dct_scale`); if libjpeg
//!   refuses a file (e.g. CMYK), `image` decodes it instead. PNG, GIF and WebP are
//!   decoded by `image`. EXIF orientation 1–8 is applied to the decoded pixels.
//! - **Widths:** every configured width up to the original width, plus the original width
//!   when it is below the largest configured width. Never an upscale.
//! - **Resize** with fast_image_resize Lanczos3 from the decoded source (alpha-aware for RGBA),
//!   one `Resizer` for all widths.
//! - **Encode** each width in the source's family and, when enabled, in WebP:
//!   photos (lossy JPEG/WebP sources without alpha) → mozjpeg JPEG and lossy WebP (libwebp),
//!   both at `quality`, one resized buffer per width for both, with the encoder effort of the
//!   [`Preset`] (by default progressive JPEG and WebP method 4: the smallest files at equal
//!   measured quality short of the slowest settings; see `Effort::of`);
//!   lossless sources (PNG, GIF, lossless WebP) → PNG (fast compression) and *lossless* WebP,
//!   so screenshots and line art stay crisp and alpha is kept exactly;
//!   lossy WebP with alpha → PNG and lossy WebP with (losslessly coded) alpha.
//!   The source's ICC profile is copied into JPEG and PNG variants; libwebp's simple encoding
//!   API cannot embed one, so WebP variants are untagged (as in Zola).
//! - **Animation** (GIF, APNG, animated WebP) is kept by bundling the original: no resized
//!   variants are made, the image is marked `animated`; the placeholder shows the first frame.
//! - **Placeholder:** the image shrunk to at most 16×16 px, lossy WebP, as a `data:` URI
//!   (typically 100–250 bytes); the browser's upscaling blurs it.
//! - **Threads:** `process` is sequential; the caller runs one image per rayon worker. On this
//!   2-core machine that scales better (1.58x) than splitting one image's widths (1.36x).
//!   fast_image_resize may split a large resize over the caller's rayon pool.
//!
//! Measured with `cargo bench --bench images -- --sweep`, at equal SSIMULACRA2 quality on real
//! 10–20 MP photos: WebP method 4 needs 16 % fewer bytes than method 1 (the default before)
//! for ~350 more CPU ms a photo; figures in benches/README.md.

use std::borrow::Cow;
use std::io::Cursor;
use std::panic::{self, AssertUnwindSafe};

use ::image::codecs::gif::GifDecoder;
use ::image::codecs::png::{CompressionType, FilterType as PngFilter, PngDecoder, PngEncoder};
use ::image::codecs::webp::WebPDecoder;
use ::image::metadata::Orientation;
use ::image::{
    AnimationDecoder, DynamicImage, ExtendedColorType, ImageDecoder, ImageEncoder, Limits, RgbImage,
};
use fast_image_resize::images::{Image as FirImage, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

use super::map::VariantFormat;
use super::sniff::{FileKind, sniff};

/// What the pipeline makes of an image (the `[images]` config table plus safety limits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSettings {
    /// Target widths in pixels; never wider than the original.
    pub widths: Vec<u32>,
    /// Whether to make a WebP encoding of every width (`formats = ["webp"]`).
    pub webp: bool,
    /// Lossy quality, 1–100, for JPEG and WebP variants.
    pub quality: u8,
    /// How hard the encoders work for smaller files at that quality (`[images] quality`).
    pub preset: Preset,
    /// Largest accepted image, in pixels (width × height).
    pub max_pixels: u64,
    /// Largest pixel buffer a decoder may allocate, in bytes.
    pub max_alloc: u64,
}

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings {
            widths: vec![480, 960, 1440, 1920],
            webp: true,
            quality: 80,
            preset: Preset::Balanced,
            max_pixels: 100_000_000,
            max_alloc: 1 << 30,
        }
    }
}

/// How much encoding CPU to spend for smaller files at the same visual quality: the
/// `[images] quality` preset. Readers download every variant many times and the build encodes
/// it once (variants are cached by content), so the default spends CPU on bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Preset {
    /// The smallest files: the encoders' slowest useful settings.
    Small,
    /// Small files at a moderate CPU cost (the default).
    #[default]
    Balanced,
    /// The fastest builds, for larger files at the same quality.
    Fast,
}

impl Preset {
    /// The name used in the config file and the variant cache key.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Small => "small",
            Preset::Balanced => "balanced",
            Preset::Fast => "fast",
        }
    }

    /// The preset named `name` in the config file.
    pub fn from_name(name: &str) -> Option<Preset> {
        [Preset::Small, Preset::Balanced, Preset::Fast]
            .into_iter()
            .find(|p| p.name() == name)
    }
}

/// An image after the pipeline: its size and every encoded variant, ready to be named and
/// written by the caller (which also bundles the original bytes).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ProcessedImage {
    /// Pixel width of the original, after EXIF orientation.
    pub width: u32,
    /// Pixel height of the original, after EXIF orientation.
    pub height: u32,
    /// The format of the original.
    pub source: VariantFormat,
    /// Whether the original is animated (it has no variants then: bundle the original).
    pub animated: bool,
    /// Whether the image has transparent pixels.
    pub alpha: bool,
    /// Resized encodings, ascending by width; for each width the family format, then WebP.
    pub variants: Vec<EncodedVariant>,
    /// A tiny blurred preview as a `data:image/webp;base64,…` URI (well under 1 KB).
    pub placeholder: Option<String>,
}

/// One resized encoding.
#[derive(Clone, PartialEq)]
pub struct EncodedVariant {
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// Encoding.
    pub format: VariantFormat,
    /// The encoded file.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for EncodedVariant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EncodedVariant")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("format", &self.format)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// Why an image could not be processed. The caller adds the page and block.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImageError {
    /// The bytes are not an image at all.
    #[error("not an image (the bytes look like {} data)", .0.name())]
    NotAnImage(FileKind),
    /// An image format the pipeline does not decode: bundle the original as-is.
    #[error("{} images are not decoded; the file is bundled as-is without resized variants", .0.name())]
    Unsupported(FileKind),
    /// The header announces more pixels than allowed (a decompression bomb, or just huge).
    #[error("{width}×{height} exceeds the {}-megapixel limit", megapixels(*.max_pixels))]
    TooLarge {
        /// Width from the header.
        width: u32,
        /// Height from the header.
        height: u32,
        /// The configured limit, in pixels.
        max_pixels: u64,
    },
    /// Decoding would allocate more than allowed.
    #[error("decoding needs more than the {} MB memory limit", .limit / 1_000_000)]
    TooMuchMemory {
        /// The configured limit, in bytes.
        limit: u64,
    },
    /// The decoder failed: truncated or corrupt data.
    #[error("corrupt {format} image: {reason}")]
    Corrupt {
        /// The sniffed format.
        format: &'static str,
        /// What the decoder said.
        reason: String,
    },
    /// An encoder failed (not expected for valid pixels).
    #[error("could not encode a {format} variant: {reason}")]
    Encode {
        /// The target format.
        format: &'static str,
        /// What the encoder said.
        reason: String,
    },
}

impl ImageError {
    /// Whether the caller should bundle the original as-is (with a warning for formats other
    /// than SVG) rather than fail: the file is an image this pipeline does not decode.
    #[cfg(test)]
    fn bundle_as_is(&self) -> bool {
        matches!(self, ImageError::Unsupported(_))
    }
}

fn megapixels(pixels: u64) -> String {
    if pixels.is_multiple_of(1_000_000) {
        (pixels / 1_000_000).to_string()
    } else {
        format!("{:.1}", pixels as f64 / 1e6)
    }
}

/// Decodes an image once and makes its variants and placeholder (see the module docs).
///
/// SVG, HEIC, TIFF, AVIF and BMP give [`ImageError::Unsupported`]: bundle those as-is.
pub fn process(bytes: &[u8], settings: &ImageSettings) -> Result<ProcessedImage, ImageError> {
    let kind = sniff(bytes);
    let Some(source) = kind.decodable() else {
        return Err(if kind.is_image() {
            ImageError::Unsupported(kind)
        } else {
            ImageError::NotAnImage(kind)
        });
    };
    let decoded = match source {
        VariantFormat::Jpeg => decode_jpeg(bytes, settings)?,
        _ => decode_with_image(bytes, source, settings)?,
    };
    let Decoded {
        pixels,
        width,
        height,
        animated,
        lossless,
        icc,
    } = decoded;

    let quality = settings.quality.clamp(1, 100);
    let mut resizer = Resizer::new();
    let placeholder = Some(placeholder(&pixels, &mut resizer)?);
    let mut variants = Vec::new();
    if !animated {
        let family = if lossless || pixels.alpha {
            VariantFormat::Png
        } else {
            VariantFormat::Jpeg
        };
        let effort = Effort::of(settings.preset);
        let webp = settings.webp.then_some(if lossless {
            WebpMode::Lossless
        } else {
            WebpMode::Lossy {
                quality,
                method: effort.webp_method,
            }
        });
        let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
        for target_width in output_widths(width, &settings.widths) {
            let target_height = scaled_height(width, height, target_width);
            let resized = pixels.resized(target_width, target_height, &mut resizer, &options)?;
            let encoded = match family {
                VariantFormat::Png => encode_png(&resized, icc.as_deref())?,
                _ => encode_jpeg(&resized, quality, effort.jpeg, icc.as_deref())?,
            };
            variants.push(resized.variant(family, encoded));
            if let Some(mode) = webp {
                let encoded = encode_webp(&resized, mode)?;
                variants.push(resized.variant(VariantFormat::Webp, encoded));
            }
        }
    }
    Ok(ProcessedImage {
        width,
        height,
        source,
        animated,
        alpha: pixels.alpha,
        variants,
        placeholder,
    })
}

/// The widths to make for an image `original` pixels wide: every configured width up to the
/// original, plus the original when it is below the largest configured width. Ascending.
fn output_widths(original: u32, configured: &[u32]) -> Vec<u32> {
    let mut widths: Vec<u32> = configured
        .iter()
        .copied()
        .filter(|&w| w > 0 && w <= original)
        .collect();
    if configured.iter().any(|&w| w > original) && original > 0 {
        widths.push(original);
    }
    widths.sort_unstable();
    widths.dedup();
    widths
}

/// The height that keeps the aspect ratio at `width`, rounded, at least 1.
fn scaled_height(orig_width: u32, orig_height: u32, width: u32) -> u32 {
    let h = (u64::from(orig_height) * u64::from(width) + u64::from(orig_width) / 2)
        / u64::from(orig_width.max(1));
    h.clamp(1, u64::from(u32::MAX)) as u32
}

/// A decoded source: oriented pixels (maybe DCT-downscaled) and the original's oriented size.
struct Decoded {
    pixels: Pixels,
    width: u32,
    height: u32,
    animated: bool,
    lossless: bool,
    icc: Option<Vec<u8>>,
}

/// 8-bit RGB or RGBA pixels, rows top to bottom.
struct Pixels {
    width: u32,
    height: u32,
    alpha: bool,
    data: Vec<u8>,
}

/// Pixels borrowed or resized for one variant.
struct Resized<'a> {
    width: u32,
    height: u32,
    alpha: bool,
    data: Cow<'a, [u8]>,
}

impl Resized<'_> {
    fn variant(&self, format: VariantFormat, bytes: Vec<u8>) -> EncodedVariant {
        EncodedVariant {
            width: self.width,
            height: self.height,
            format,
            bytes,
        }
    }
}

impl Pixels {
    /// Oriented 8-bit pixels; RGBA only when some pixel is not opaque.
    fn from_image(mut image: DynamicImage, orientation: Orientation) -> Pixels {
        image.apply_orientation(orientation);
        let (width, height) = (image.width(), image.height());
        if image.color().has_alpha() {
            let rgba = image.into_rgba8();
            if rgba.pixels().any(|p| p.0[3] != 255) {
                return Pixels {
                    width,
                    height,
                    alpha: true,
                    data: rgba.into_raw(),
                };
            }
            image = DynamicImage::ImageRgba8(rgba);
        }
        Pixels {
            width,
            height,
            alpha: false,
            data: image.into_rgb8().into_raw(),
        }
    }

    fn pixel_type(&self) -> PixelType {
        if self.alpha {
            PixelType::U8x4
        } else {
            PixelType::U8x3
        }
    }

    fn resized(
        &self,
        width: u32,
        height: u32,
        resizer: &mut Resizer,
        options: &ResizeOptions,
    ) -> Result<Resized<'_>, ImageError> {
        let data = if (width, height) == (self.width, self.height) {
            Cow::Borrowed(&self.data[..])
        } else {
            let resize_error = |reason: String| ImageError::Encode {
                format: "resized",
                reason,
            };
            let src = ImageRef::new(self.width, self.height, &self.data, self.pixel_type())
                .map_err(|e| resize_error(e.to_string()))?;
            let mut dst = FirImage::new(width, height, self.pixel_type());
            resizer
                .resize(&src, &mut dst, options)
                .map_err(|e| resize_error(e.to_string()))?;
            Cow::Owned(dst.into_vec())
        };
        Ok(Resized {
            width,
            height,
            alpha: self.alpha,
            data,
        })
    }
}

fn check_pixels(width: u32, height: u32, settings: &ImageSettings) -> Result<(), ImageError> {
    if u64::from(width) * u64::from(height) > settings.max_pixels {
        return Err(ImageError::TooLarge {
            width,
            height,
            max_pixels: settings.max_pixels,
        });
    }
    Ok(())
}

fn check_alloc(bytes: u64, settings: &ImageSettings) -> Result<(), ImageError> {
    if bytes > settings.max_alloc {
        return Err(ImageError::TooMuchMemory {
            limit: settings.max_alloc,
        });
    }
    Ok(())
}

fn swaps_axes(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// The text of a panic payload (libjpeg reports errors by unwinding).
fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else {
        "libjpeg error".to_string()
    }
}

/// JPEG through libjpeg-turbo, DCT-scaled; `image` as the fallback for what libjpeg refuses.
fn decode_jpeg(bytes: &[u8], settings: &ImageSettings) -> Result<Decoded, ImageError> {
    let attempt = panic::catch_unwind(AssertUnwindSafe(|| decode_jpeg_mozjpeg(bytes, settings)));
    let reason = match attempt {
        Ok(Ok(decoded)) => return Ok(decoded),
        Ok(Err(e @ (ImageError::TooLarge { .. } | ImageError::TooMuchMemory { .. }))) => {
            return Err(e);
        }
        Ok(Err(e)) => e.to_string(),
        Err(payload) => panic_message(payload),
    };
    decode_with_image(bytes, VariantFormat::Jpeg, settings).map_err(|e| match e {
        ImageError::Corrupt { format, .. } => ImageError::Corrupt { format, reason },
        other => other,
    })
}

fn decode_jpeg_mozjpeg(bytes: &[u8], settings: &ImageSettings) -> Result<Decoded, ImageError> {
    use mozjpeg::{Decompress, Marker};
    let corrupt = |e: std::io::Error| ImageError::Corrupt {
        format: "JPEG",
        reason: e.to_string(),
    };
    let mut decompress = Decompress::with_markers(&[Marker::APP(1), Marker::APP(2)])
        .from_mem(bytes)
        .map_err(corrupt)?;
    let (stored_w, stored_h) = (decompress.width() as u32, decompress.height() as u32);
    check_pixels(stored_w, stored_h, settings)?;

    let mut orientation = Orientation::NoTransforms;
    let mut icc_chunks: Vec<(u8, &[u8])> = Vec::new();
    for marker in decompress.markers() {
        match marker.marker {
            Marker::APP(1) => {
                if let Some(tiff) = marker.data.strip_prefix(b"Exif\0\0") {
                    orientation = Orientation::from_exif_chunk(tiff).unwrap_or(orientation);
                }
            }
            Marker::APP(2) => {
                if let Some(rest) = marker.data.strip_prefix(b"ICC_PROFILE\0")
                    && rest.len() > 2
                {
                    icc_chunks.push((rest[0], &rest[2..]));
                }
            }
            _ => {}
        }
    }
    icc_chunks.sort_by_key(|&(seq, _)| seq);
    let icc = (!icc_chunks.is_empty()).then(|| {
        let parts = icc_chunks.iter().map(|&(_, data)| data);
        parts.flatten().copied().collect::<Vec<u8>>()
    });

    let swapped = swaps_axes(orientation);
    let (width, height) = if swapped {
        (stored_h, stored_w)
    } else {
        (stored_w, stored_h)
    };
    // The largest variant decides how small the DCT may scale (placeholders are tiny).
    let need_w = output_widths(width, &settings.widths)
        .last()
        .copied()
        .unwrap_or(1);
    let need_h = scaled_height(width, height, need_w);
    let (need_sw, need_sh) = if swapped {
        (need_h, need_w)
    } else {
        (need_w, need_h)
    };
    let n = dct_scale((stored_w, stored_h), (need_sw, need_sh));
    decompress.scale(n as u8);
    let scaled = |dim: u32| (u64::from(dim) * u64::from(n)).div_ceil(8);
    check_alloc(scaled(stored_w) * scaled(stored_h) * 3, settings)?;

    let mut started = decompress.rgb().map_err(corrupt)?;
    let (w, h) = (started.width() as u32, started.height() as u32);
    let data: Vec<u8> = started.read_scanlines().map_err(corrupt)?;
    started.finish().map_err(corrupt)?;
    let image = RgbImage::from_raw(w, h, data).ok_or_else(|| ImageError::Corrupt {
        format: "JPEG",
        reason: "short pixel data".into(),
    })?;
    Ok(Decoded {
        pixels: Pixels::from_image(DynamicImage::ImageRgb8(image), orientation),
        width,
        height,
        animated: false,
        lossless: false,
        icc,
    })
}

/// The DCT scale n (decode at n/8 of the stored size) for a JPEG of `stored` pixels whose
/// widest variant needs `need` pixels: the smallest n that still covers `need`, but only when
/// that halves the size or more (n ≤ 4). A scaled decode of a source narrower than twice the
/// widest variant (n = 5–7) costs about as much CPU as a full one (the IDCT is a small part of
/// decoding a progressive JPEG) and loses 0.7–1.6 SSIMULACRA2 points at 1440–1920 px, so such
/// sources are decoded at full size.
fn dct_scale(stored: (u32, u32), need: (u32, u32)) -> u32 {
    let scaled = |dim: u32, n: u32| (u64::from(dim) * u64::from(n)).div_ceil(8);
    let n = (1..=8)
        .find(|&n| {
            scaled(stored.0, n) >= u64::from(need.0) && scaled(stored.1, n) >= u64::from(need.1)
        })
        .unwrap_or(8);
    if n <= 4 { n } else { 8 }
}

fn image_error(
    format: VariantFormat,
    settings: &ImageSettings,
) -> impl Fn(::image::ImageError) -> ImageError {
    let format_name = match format {
        VariantFormat::Jpeg => "JPEG",
        VariantFormat::Png => "PNG",
        VariantFormat::Gif => "GIF",
        VariantFormat::Webp => "WebP",
    };
    let limit = settings.max_alloc;
    move |e| match e {
        ::image::ImageError::Limits(_) => ImageError::TooMuchMemory { limit },
        other => ImageError::Corrupt {
            format: format_name,
            reason: other.to_string(),
        },
    }
}

/// PNG, GIF, WebP (and the JPEG fallback) through `image`, with limits.
fn decode_with_image(
    bytes: &[u8],
    format: VariantFormat,
    settings: &ImageSettings,
) -> Result<Decoded, ImageError> {
    let err = image_error(format, settings);
    let mut limits = Limits::default();
    limits.max_alloc = Some(settings.max_alloc);
    let cursor = Cursor::new(bytes);

    fn still<D: ImageDecoder>(
        mut decoder: D,
        settings: &ImageSettings,
        err: &impl Fn(::image::ImageError) -> ImageError,
    ) -> Result<(Pixels, Option<Vec<u8>>), ImageError> {
        let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
        let icc = decoder.icc_profile().ok().flatten();
        check_alloc(decoder.total_bytes(), settings)?;
        let image = DynamicImage::from_decoder(decoder).map_err(err)?;
        Ok((Pixels::from_image(image, orientation), icc))
    }

    let (pixels, icc, animated, lossless) = match format {
        VariantFormat::Png => {
            let decoder = PngDecoder::with_limits(cursor, limits).map_err(&err)?;
            let (w, h) = decoder.dimensions();
            check_pixels(w, h, settings)?;
            let animated = decoder.is_apng().map_err(&err)?;
            let (pixels, icc) = still(decoder, settings, &err)?;
            (pixels, icc, animated, true)
        }
        VariantFormat::Webp => {
            let mut decoder = WebPDecoder::new(cursor).map_err(&err)?;
            let (w, h) = decoder.dimensions();
            check_pixels(w, h, settings)?;
            decoder.set_limits(limits).map_err(&err)?;
            let animated = decoder.has_animation();
            let (pixels, icc) = still(decoder, settings, &err)?;
            (pixels, icc, animated, webp_is_lossless(bytes))
        }
        VariantFormat::Gif => {
            let mut decoder = GifDecoder::new(cursor).map_err(&err)?;
            let (w, h) = decoder.dimensions();
            check_pixels(w, h, settings)?;
            check_alloc(u64::from(w) * u64::from(h) * 4, settings)?;
            decoder.set_limits(limits).map_err(&err)?;
            let mut frames = decoder.into_frames();
            let first = frames.next().ok_or_else(|| ImageError::Corrupt {
                format: "GIF",
                reason: "no frames".into(),
            })?;
            let first = first.map_err(&err)?.into_buffer();
            let animated = matches!(frames.next(), Some(Ok(_)));
            let pixels =
                Pixels::from_image(DynamicImage::ImageRgba8(first), Orientation::NoTransforms);
            (pixels, None, animated, true)
        }
        VariantFormat::Jpeg => {
            let mut decoder = ::image::codecs::jpeg::JpegDecoder::new(cursor).map_err(&err)?;
            let (w, h) = decoder.dimensions();
            check_pixels(w, h, settings)?;
            decoder.set_limits(limits).map_err(&err)?;
            let (pixels, icc) = still(decoder, settings, &err)?;
            (pixels, icc, false, false)
        }
    };
    Ok(Decoded {
        width: pixels.width,
        height: pixels.height,
        pixels,
        animated,
        lossless,
        icc,
    })
}

/// Whether a WebP file holds a lossless (`VP8L`) bitstream.
fn webp_is_lossless(bytes: &[u8]) -> bool {
    let mut at = 12;
    while let Some(header) = bytes.get(at..at + 8) {
        match &header[..4] {
            b"VP8L" => return true,
            b"VP8 " => return false,
            _ => {}
        }
        let len = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
        at += 8 + len + (len & 1);
    }
    false
}

/// The encoder settings of a preset, chosen by `cargo bench --bench images -- --sweep`: for
/// each, the smallest files at the score the reference settings reach at the same quality
/// (libwebp method 4, libjpeg-turbo's defaults), then the fastest among equals
/// (benches/README.md has the figures).
#[derive(Debug, Clone, Copy)]
struct Effort {
    /// libwebp's `method` (0–6) for lossy WebP.
    webp_method: i32,
    /// How mozjpeg codes the JPEG variants.
    jpeg: JpegMode,
}

impl Effort {
    fn of(preset: Preset) -> Effort {
        match preset {
            Preset::Small => Effort {
                webp_method: 6,
                jpeg: JpegMode::Trellis,
            },
            Preset::Balanced => Effort {
                webp_method: 4,
                jpeg: JpegMode::Progressive,
            },
            Preset::Fast => Effort {
                webp_method: 1,
                jpeg: JpegMode::Baseline,
            },
        }
    }
}

/// mozjpeg's settings for a JPEG variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JpegMode {
    /// libjpeg-turbo's defaults with optimised Huffman tables: sequential, the fastest.
    Baseline,
    /// The same as progressive scans: the same pixels in fewer bytes.
    Progressive,
    /// mozjpeg's own defaults (trellis quantisation, its quantisation tables, progressive)
    /// without its costly search for the best scan script.
    Trellis,
}

fn encode_jpeg(
    px: &Resized<'_>,
    quality: u8,
    mode: JpegMode,
    icc: Option<&[u8]>,
) -> Result<Vec<u8>, ImageError> {
    let attempt = panic::catch_unwind(AssertUnwindSafe(|| -> std::io::Result<Vec<u8>> {
        let mut compress = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_RGB);
        match mode {
            JpegMode::Baseline | JpegMode::Progressive => {
                compress.set_fastest_defaults();
                compress.set_optimize_coding(true);
            }
            JpegMode::Trellis => compress.set_optimize_scans(false),
        }
        if mode != JpegMode::Baseline {
            compress.set_progressive_mode();
        }
        compress.set_size(px.width as usize, px.height as usize);
        compress.set_quality(f32::from(quality));
        let capacity = px.data.len() / 8;
        let mut started = compress.start_compress(Vec::with_capacity(capacity))?;
        if let Some(icc) = icc {
            started.write_icc_profile(icc);
        }
        started.write_scanlines(&px.data)?;
        started.finish()
    }));
    let reason = match attempt {
        Ok(Ok(bytes)) => return Ok(bytes),
        Ok(Err(e)) => e.to_string(),
        Err(payload) => panic_message(payload),
    };
    Err(ImageError::Encode {
        format: "JPEG",
        reason,
    })
}

fn encode_png(px: &Resized<'_>, icc: Option<&[u8]>) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    let mut encoder =
        PngEncoder::new_with_quality(&mut out, CompressionType::Fast, PngFilter::Adaptive);
    if let Some(icc) = icc {
        // PNG takes any ICC profile; ignore the impossible error.
        let _ = encoder.set_icc_profile(icc.to_vec());
    }
    let color = if px.alpha {
        ExtendedColorType::Rgba8
    } else {
        ExtendedColorType::Rgb8
    };
    encoder
        .write_image(&px.data, px.width, px.height, color)
        .map_err(|e| ImageError::Encode {
            format: "PNG",
            reason: e.to_string(),
        })?;
    Ok(out)
}

#[derive(Debug, Clone, Copy)]
enum WebpMode {
    Lossless,
    Lossy { quality: u8, method: i32 },
}

/// Lossless effort stays at libwebp's default (screenshots and line art are small and few).
const WEBP_LOSSLESS_METHOD: i32 = 4;

fn encode_webp(px: &Resized<'_>, mode: WebpMode) -> Result<Vec<u8>, ImageError> {
    use libwebp_sys::{
        WebPConfig, WebPEncode, WebPMemoryWrite, WebPMemoryWriter, WebPMemoryWriterClear,
        WebPMemoryWriterInit, WebPPicture, WebPPictureFree, WebPPictureImportRGB,
        WebPPictureImportRGBA,
    };
    let encode_error = |reason: &str| ImageError::Encode {
        format: "WebP",
        reason: reason.to_string(),
    };
    let mut config = WebPConfig::new().map_err(|()| encode_error("libwebp config"))?;
    config.thread_level = 0; // one image per rayon worker; libwebp adds no threads of its own
    match mode {
        WebpMode::Lossless => {
            config.lossless = 1;
            config.method = WEBP_LOSSLESS_METHOD;
            config.quality = 75.0; // effort, as `cwebp -lossless`
        }
        WebpMode::Lossy { quality, method } => {
            config.lossless = 0;
            config.method = method;
            config.quality = f32::from(quality);
        }
    }
    let (width, height) = (px.width as i32, px.height as i32);
    let channels = if px.alpha { 4 } else { 3 };
    if px.data.len() != px.width as usize * px.height as usize * channels {
        return Err(encode_error("pixel buffer does not match the size"));
    }
    // libwebp is called directly rather than through the `webp` crate, which always imports
    // into ARGB: the lossy encoder then converts ARGB to YUV, so importing RGB(A) straight to
    // YUV gives the same picture without a 4-byte copy of every pixel (lossless needs ARGB).
    // Settings that act on the ARGB → YUV conversion (`use_sharp_yuv`, `preprocessing` 2 and 4)
    // would then do nothing: the bench sweep shows identical bytes with `use_sharp_yuv`.
    // SAFETY: `picture` reads `px.data`, whose length was checked against the size and stride
    // above; `writer` stays in place while libwebp writes to it through `custom_ptr`; the
    // picture and the writer are each freed once, on every path.
    unsafe {
        let mut picture = WebPPicture::new().map_err(|()| encode_error("libwebp picture"))?;
        picture.use_argb = config.lossless;
        picture.width = width;
        picture.height = height;
        let imported = if px.alpha {
            WebPPictureImportRGBA(&mut picture, px.data.as_ptr(), width * 4)
        } else {
            WebPPictureImportRGB(&mut picture, px.data.as_ptr(), width * 3)
        };
        if imported == 0 {
            WebPPictureFree(&mut picture);
            return Err(encode_error("libwebp could not import the pixels"));
        }
        let mut writer = std::mem::MaybeUninit::<WebPMemoryWriter>::uninit();
        WebPMemoryWriterInit(writer.as_mut_ptr());
        let mut writer = writer.assume_init();
        picture.writer = Some(WebPMemoryWrite);
        picture.custom_ptr = (&raw mut writer).cast();
        let encoded = WebPEncode(&config, &mut picture) != 0;
        let error = picture.error_code;
        WebPPictureFree(&mut picture);
        let result = if encoded {
            Ok(std::slice::from_raw_parts(writer.mem, writer.size).to_vec())
        } else {
            Err(encode_error(&format!("{error:?}")))
        };
        WebPMemoryWriterClear(&mut writer);
        result
    }
}

/// Longest side of the placeholder, in pixels.
const PLACEHOLDER_SIZE: u32 = 16;

/// The image shrunk to fit 16×16 (area-averaged), as a lossy WebP `data:` URI.
fn placeholder(pixels: &Pixels, resizer: &mut Resizer) -> Result<String, ImageError> {
    let (w, h) = (pixels.width.max(1), pixels.height.max(1));
    let (tw, th) = if w >= h {
        let tw = w.min(PLACEHOLDER_SIZE);
        (tw, scaled_height(w, h, tw))
    } else {
        let th = h.min(PLACEHOLDER_SIZE);
        (scaled_height(h, w, th), th)
    };
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Box));
    let tiny = pixels.resized(tw, th, resizer, &options)?;
    // Method 1: at 16×16 px the method changes a byte or two, and the data URI stays as it was.
    let mode = WebpMode::Lossy {
        quality: 30,
        method: 1,
    };
    let webp = encode_webp(&tiny, mode)?;
    Ok(format!("data:image/webp;base64,{}", base64(&webp)))
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// WebP test files made with libwebp's own APIs (simple and animation encoders).
#[cfg(test)]
mod webp_fixture {
    use libwebp_sys::*;

    /// A still WebP of RGB(A) pixels: lossy at `quality`, or lossless when `None`.
    pub(super) fn still(
        px: &[u8],
        width: u32,
        height: u32,
        alpha: bool,
        quality: Option<f32>,
    ) -> Vec<u8> {
        let (w, h) = (width as i32, height as i32);
        let stride = w * if alpha { 4 } else { 3 };
        let mut out = std::ptr::null_mut();
        // SAFETY: `px` holds width × height pixels of `stride / width` bytes; libwebp
        // allocates `out`, which is copied and freed once.
        unsafe {
            let size = match (alpha, quality) {
                (false, Some(q)) => WebPEncodeRGB(px.as_ptr(), w, h, stride, q, &mut out),
                (true, Some(q)) => WebPEncodeRGBA(px.as_ptr(), w, h, stride, q, &mut out),
                (false, None) => WebPEncodeLosslessRGB(px.as_ptr(), w, h, stride, &mut out),
                (true, None) => WebPEncodeLosslessRGBA(px.as_ptr(), w, h, stride, &mut out),
            };
            assert!(size > 0, "libwebp encodes the fixture");
            let bytes = std::slice::from_raw_parts(out, size).to_vec();
            WebPFree(out.cast());
            bytes
        }
    }

    /// An animated WebP of RGBA frames of one size, each shown `frame_ms`.
    pub(super) fn animated(frames: &[&[u8]], width: u32, height: u32, frame_ms: i32) -> Vec<u8> {
        let (w, h) = (width as i32, height as i32);
        // SAFETY: every struct is initialised by libwebp before use; each frame picture reads
        // one RGBA buffer of width × height pixels; the encoder, pictures and data are each
        // freed once.
        unsafe {
            let mut options = std::mem::zeroed::<WebPAnimEncoderOptions>();
            assert!(
                WebPAnimEncoderOptionsInitInternal(&mut options, WEBP_MUX_ABI_VERSION as i32) != 0
            );
            let encoder = WebPAnimEncoderNewInternal(w, h, &options, WEBP_MUX_ABI_VERSION as i32);
            assert!(!encoder.is_null());
            let config = WebPConfig::new().unwrap();
            let mut timestamp = 0;
            for frame in frames {
                let mut picture = WebPPicture::new().unwrap();
                picture.use_argb = 1;
                picture.width = w;
                picture.height = h;
                assert!(WebPPictureImportRGBA(&mut picture, frame.as_ptr(), w * 4) != 0);
                assert!(WebPAnimEncoderAdd(encoder, &mut picture, timestamp, &config) != 0);
                WebPPictureFree(&mut picture);
                timestamp += frame_ms;
            }
            assert!(WebPAnimEncoderAdd(encoder, std::ptr::null_mut(), timestamp, &config) != 0);
            let mut data = std::mem::zeroed::<WebPData>();
            assert!(WebPAnimEncoderAssemble(encoder, &mut data) != 0);
            let bytes = std::slice::from_raw_parts(data.bytes, data.size).to_vec();
            WebPDataClear(&mut data);
            WebPAnimEncoderDelete(encoder);
            bytes
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::image::codecs::gif::GifEncoder;
    use ::image::codecs::jpeg::JpegEncoder;
    use ::image::{Delay, Frame, ImageFormat, Rgb, Rgba, RgbaImage};
    use std::time::{Duration, Instant};

    /// A photo-like RGB test image: gradients plus a hard edge.
    fn photo(width: u32, height: u32) -> RgbImage {
        RgbImage::from_fn(width, height, |x, y| {
            let edge = if x > width / 2 { 60 } else { 0 };
            Rgb([
                (x * 255 / width) as u8,
                (y * 255 / height) as u8,
                ((x + y) % 190) as u8 + edge,
            ])
        })
    }

    fn jpeg(image: &RgbImage) -> Vec<u8> {
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(image)
            .unwrap();
        out
    }

    fn png(image: &DynamicImage) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    /// Decodes a variant and returns its true pixel size and whether it has an alpha channel.
    fn decoded(variant: &EncodedVariant) -> (u32, u32, bool) {
        let image = ::image::load_from_memory(&variant.bytes).unwrap();
        let has_alpha = image.color().has_alpha();
        (image.width(), image.height(), has_alpha)
    }

    fn widths_of(image: &ProcessedImage, format: VariantFormat) -> Vec<u32> {
        let variants = image.variants.iter().filter(|v| v.format == format);
        variants.map(|v| v.width).collect()
    }

    #[test]
    fn output_widths_never_upscale() {
        let widths = [480, 960, 1440, 1920];
        assert_eq!(output_widths(2400, &widths), [480, 960, 1440, 1920]);
        assert_eq!(output_widths(1920, &widths), [480, 960, 1440, 1920]);
        assert_eq!(output_widths(1000, &widths), [480, 960, 1000]);
        assert_eq!(output_widths(300, &widths), [300]);
        assert_eq!(output_widths(300, &[]), Vec::<u32>::new());
    }

    #[test]
    fn large_jpeg_gets_every_width_in_jpeg_and_webp() {
        let bytes = jpeg(&photo(2400, 1800));
        let out = process(&bytes, &ImageSettings::default()).unwrap();
        assert_eq!((out.width, out.height), (2400, 1800));
        assert_eq!(out.source, VariantFormat::Jpeg);
        assert!(!out.animated && !out.alpha);
        assert_eq!(widths_of(&out, VariantFormat::Jpeg), [480, 960, 1440, 1920]);
        assert_eq!(widths_of(&out, VariantFormat::Webp), [480, 960, 1440, 1920]);
        assert_eq!(out.variants.len(), 8);
        for variant in &out.variants {
            let (w, h, _) = decoded(variant);
            assert_eq!((w, h), (variant.width, variant.height), "{variant:?}");
            assert_eq!(h, variant.width * 3 / 4);
            let kind = sniff(&variant.bytes);
            assert_eq!(kind.decodable(), Some(variant.format));
        }
    }

    #[test]
    fn small_image_is_never_upscaled() {
        let bytes = jpeg(&photo(300, 200));
        let out = process(&bytes, &ImageSettings::default()).unwrap();
        assert_eq!(widths_of(&out, VariantFormat::Jpeg), [300]);
        assert_eq!(widths_of(&out, VariantFormat::Webp), [300]);
        for variant in &out.variants {
            assert_eq!(decoded(variant), (300, 200, false));
        }
    }

    #[test]
    fn medium_image_adds_its_own_width() {
        let bytes = jpeg(&photo(1000, 500));
        let settings = ImageSettings {
            webp: false,
            ..ImageSettings::default()
        };
        let out = process(&bytes, &settings).unwrap();
        assert_eq!(widths_of(&out, VariantFormat::Jpeg), [480, 960, 1000]);
        assert!(widths_of(&out, VariantFormat::Webp).is_empty());
    }

    #[test]
    fn png_with_alpha_keeps_alpha_in_png_and_webp() {
        let image = RgbaImage::from_fn(1200, 600, |x, y| {
            Rgba([
                (x % 256) as u8,
                (y % 256) as u8,
                90,
                if x < 600 { 0 } else { 255 },
            ])
        });
        let bytes = png(&DynamicImage::ImageRgba8(image));
        let out = process(&bytes, &ImageSettings::default()).unwrap();
        assert!(out.alpha);
        assert_eq!(out.source, VariantFormat::Png);
        assert_eq!(widths_of(&out, VariantFormat::Png), [480, 960, 1200]);
        assert_eq!(widths_of(&out, VariantFormat::Webp), [480, 960, 1200]);
        assert!(widths_of(&out, VariantFormat::Jpeg).is_empty());
        for variant in &out.variants {
            let image = ::image::load_from_memory(&variant.bytes).unwrap();
            assert!(image.color().has_alpha(), "{variant:?}");
            let rgba = image.to_rgba8();
            assert_eq!(rgba.get_pixel(0, 0).0[3], 0, "left half stays transparent");
            let right = rgba.get_pixel(rgba.width() - 1, 0).0[3];
            assert_eq!(right, 255, "right half stays opaque");
        }
    }

    #[test]
    fn opaque_png_is_treated_as_rgb_but_stays_png() {
        let bytes = png(&DynamicImage::ImageRgb8(photo(640, 480)));
        let out = process(&bytes, &ImageSettings::default()).unwrap();
        assert!(!out.alpha);
        assert_eq!(widths_of(&out, VariantFormat::Png), [480, 640]);
        assert_eq!(decoded(&out.variants[0]), (480, 360, false));
    }

    /// A JPEG with a hand-made EXIF APP1 segment carrying one IFD entry: Orientation.
    fn with_exif_orientation(jpeg: &[u8], orientation: u8) -> Vec<u8> {
        let mut tiff = b"MM\0*\0\0\0\x08".to_vec(); // big-endian TIFF header, IFD at 8
        tiff.extend_from_slice(&[0, 1]); // one entry
        tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0]);
        tiff.extend_from_slice(&[0, 0, 0, 0]); // no next IFD
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let len = (app1.len() + 2) as u16;
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&app1);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    #[test]
    fn exif_orientation_6_swaps_width_and_height() {
        // Stored 2400×1200, top row red; orientation 6 = rotate 90° clockwise to display.
        let stored = RgbImage::from_fn(2400, 1200, |_, y| {
            if y < 600 {
                Rgb([230, 20, 20])
            } else {
                Rgb([20, 20, 230])
            }
        });
        let bytes = with_exif_orientation(&jpeg(&stored), 6);
        let out = process(&bytes, &ImageSettings::default()).unwrap();
        assert_eq!((out.width, out.height), (1200, 2400));
        assert_eq!(widths_of(&out, VariantFormat::Jpeg), [480, 960, 1200]);
        let v960 = out
            .variants
            .iter()
            .find(|v| v.width == 960 && v.format == VariantFormat::Jpeg)
            .unwrap();
        let image = ::image::load_from_memory(&v960.bytes).unwrap().to_rgb8();
        assert_eq!(image.dimensions(), (960, 1920));
        // The stored top (red) is now on the right.
        let right = image.get_pixel(900, 960).0;
        let left = image.get_pixel(60, 960).0;
        assert!(right[0] > 200 && right[2] < 60, "right is red: {right:?}");
        assert!(left[2] > 200 && left[0] < 60, "left is blue: {left:?}");
    }

    #[test]
    fn every_exif_orientation_gives_the_displayed_size() {
        let base = jpeg(&photo(640, 320));
        for orientation in 1..=8 {
            let out = process(
                &with_exif_orientation(&base, orientation),
                &ImageSettings::default(),
            )
            .unwrap();
            let expected = if orientation >= 5 {
                (320, 640)
            } else {
                (640, 320)
            };
            assert_eq!(
                (out.width, out.height),
                expected,
                "orientation {orientation}"
            );
        }
    }

    #[test]
    fn animated_gif_is_marked_and_gets_no_still_variants() {
        let mut bytes = Vec::new();
        {
            let mut encoder = GifEncoder::new(&mut bytes);
            let frames = [Rgba([255, 0, 0, 255]), Rgba([0, 0, 255, 255])].map(|color| {
                let image = RgbaImage::from_pixel(600, 400, color);
                Frame::from_parts(image, 0, 0, Delay::from_numer_denom_ms(100, 1))
            });
            encoder.encode_frames(frames).unwrap();
        }
        let out = process(&bytes, &ImageSettings::default()).unwrap();
        assert!(out.animated);
        assert_eq!(out.source, VariantFormat::Gif);
        assert_eq!((out.width, out.height), (600, 400));
        assert!(out.variants.is_empty());
        assert!(out.placeholder.is_some());
    }

    #[test]
    fn animated_webp_is_marked_and_gets_no_still_variants() {
        let red = RgbaImage::from_pixel(640, 360, Rgba([255, 0, 0, 255])).into_raw();
        let blue = RgbaImage::from_pixel(640, 360, Rgba([0, 0, 255, 255])).into_raw();
        let bytes = webp_fixture::animated(&[&red, &blue], 640, 360, 100);
        let out = process(&bytes, &ImageSettings::default()).unwrap();
        assert!(out.animated);
        assert_eq!(out.source, VariantFormat::Webp);
        assert_eq!((out.width, out.height), (640, 360));
        assert!(out.variants.is_empty());
    }

    #[test]
    fn still_gif_becomes_png_and_webp() {
        let image = DynamicImage::ImageRgb8(photo(700, 100));
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, ImageFormat::Gif).unwrap();
        let out = process(&out.into_inner(), &ImageSettings::default()).unwrap();
        assert!(!out.animated);
        assert_eq!(widths_of(&out, VariantFormat::Png), [480, 700]);
        assert_eq!(widths_of(&out, VariantFormat::Webp), [480, 700]);
    }

    #[test]
    fn placeholder_is_a_tiny_webp_data_uri() {
        let out = process(&jpeg(&photo(2000, 1500)), &ImageSettings::default()).unwrap();
        let placeholder = out.placeholder.unwrap();
        assert!(placeholder.starts_with("data:image/webp;base64,"));
        assert!(placeholder.len() < 1024, "{} bytes", placeholder.len());
    }

    #[test]
    fn svg_heic_and_tiff_are_bundled_as_is() {
        let svg = b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>";
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        for (bytes, kind) in [
            (&svg[..], FileKind::Svg),
            (&heic[..], FileKind::Heic),
            (b"II*\0\x08\0\0\0", FileKind::Tiff),
        ] {
            let err = process(bytes, &ImageSettings::default()).unwrap_err();
            assert!(
                matches!(err, ImageError::Unsupported(k) if k == kind),
                "{err}"
            );
            assert!(err.bundle_as_is());
            assert!(err.to_string().contains("bundled as-is"), "{err}");
        }
    }

    #[test]
    fn garbage_bytes_fail_clearly() {
        let err = process(b"definitely not an image", &ImageSettings::default()).unwrap_err();
        assert!(
            matches!(err, ImageError::NotAnImage(FileKind::Other)),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            "not an image (the bytes look like unknown data)"
        );

        let err = process(b"%PDF-1.4 ...", &ImageSettings::default()).unwrap_err();
        assert!(err.to_string().contains("PDF"), "{err}");

        let mut broken = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0".to_vec();
        broken.extend_from_slice(&[0x55; 200]);
        let err = process(&broken, &ImageSettings::default()).unwrap_err();
        assert!(
            matches!(err, ImageError::Corrupt { format: "JPEG", .. }),
            "{err}"
        );

        let truncated_png = &png(&DynamicImage::ImageRgb8(photo(64, 64)))[..60];
        let err = process(truncated_png, &ImageSettings::default()).unwrap_err();
        assert!(
            matches!(err, ImageError::Corrupt { format: "PNG", .. }),
            "{err}"
        );
    }

    #[test]
    fn truncated_or_mangled_files_never_panic() {
        let image = DynamicImage::ImageRgb8(photo(120, 90));
        let mut sources = vec![jpeg(&image.to_rgb8()), png(&image)];
        for format in [ImageFormat::Gif, ImageFormat::WebP] {
            let mut out = Cursor::new(Vec::new());
            image.write_to(&mut out, format).unwrap();
            sources.push(out.into_inner());
        }
        for bytes in &sources {
            for cut in (4..bytes.len()).step_by(bytes.len() / 23 + 1) {
                let _ = process(&bytes[..cut], &ImageSettings::default());
                let mut mangled = bytes.clone();
                mangled[cut] ^= 0xA5;
                let _ = process(&mangled, &ImageSettings::default());
            }
        }
    }

    #[test]
    fn png_claiming_60000_square_is_rejected_before_decoding() {
        let mut bytes = png(&DynamicImage::ImageRgb8(photo(8, 8)));
        // IHDR: length at 8, type at 12, width at 16, height at 20, CRC at 29.
        bytes[16..20].copy_from_slice(&60000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&60000u32.to_be_bytes());
        let crc = crc32fast::hash(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());

        let started = Instant::now();
        let err = process(&bytes, &ImageSettings::default()).unwrap_err();
        assert!(started.elapsed() < Duration::from_millis(200));
        assert_eq!(
            err.to_string(),
            "60000×60000 exceeds the 100-megapixel limit"
        );
    }

    #[test]
    fn jpeg_over_the_pixel_limit_is_rejected() {
        let settings = ImageSettings {
            max_pixels: 1_500_000,
            ..ImageSettings::default()
        };
        let err = process(&jpeg(&photo(2000, 1000)), &settings).unwrap_err();
        assert_eq!(err.to_string(), "2000×1000 exceeds the 1.5-megapixel limit");
    }

    #[test]
    fn allocation_limit_fails_cleanly() {
        let settings = ImageSettings {
            max_alloc: 100_000,
            ..ImageSettings::default()
        };
        let png = png(&DynamicImage::ImageRgb8(photo(400, 400)));
        let err = process(&png, &settings).unwrap_err();
        assert!(matches!(err, ImageError::TooMuchMemory { .. }), "{err}");
        let err = process(&jpeg(&photo(400, 400)), &settings).unwrap_err();
        assert!(matches!(err, ImageError::TooMuchMemory { .. }), "{err}");
    }

    #[test]
    fn lossless_webp_is_detected() {
        let image = photo(40, 30);
        let lossless = webp_fixture::still(image.as_raw(), 40, 30, false, None);
        let lossy = webp_fixture::still(image.as_raw(), 40, 30, false, Some(80.0));
        assert!(webp_is_lossless(&lossless));
        assert!(!webp_is_lossless(&lossy));
        let out = process(&lossy, &ImageSettings::default()).unwrap();
        assert_eq!(widths_of(&out, VariantFormat::Jpeg), [40]);
        let out = process(&lossless, &ImageSettings::default()).unwrap();
        assert_eq!(widths_of(&out, VariantFormat::Png), [40]);
    }

    fn mozjpeg_encode(
        colour: mozjpeg::ColorSpace,
        width: usize,
        height: usize,
        pixels: &[u8],
        icc: Option<&[u8]>,
    ) -> Vec<u8> {
        let mut compress = mozjpeg::Compress::new(colour);
        compress.set_size(width, height);
        compress.set_quality(85.0);
        let mut started = compress.start_compress(Vec::new()).unwrap();
        if let Some(icc) = icc {
            started.write_icc_profile(icc);
        }
        started.write_scanlines(pixels).unwrap();
        started.finish().unwrap()
    }

    #[test]
    fn cmyk_and_grayscale_jpegs_are_decoded() {
        let cmyk: Vec<u8> = (0..600 * 400).flat_map(|i| [i as u8, 40, 90, 10]).collect();
        let bytes = mozjpeg_encode(mozjpeg::ColorSpace::JCS_CMYK, 600, 400, &cmyk, None);
        let out = process(&bytes, &ImageSettings::default()).unwrap();
        assert_eq!((out.width, out.height), (600, 400));
        assert_eq!(widths_of(&out, VariantFormat::Jpeg), [480, 600]);

        let gray: Vec<u8> = (0..600 * 400).map(|i| (i % 251) as u8).collect();
        let bytes = mozjpeg_encode(mozjpeg::ColorSpace::JCS_GRAYSCALE, 600, 400, &gray, None);
        let out = process(&bytes, &ImageSettings::default()).unwrap();
        assert_eq!(decoded(&out.variants[0]), (480, 320, false));
    }

    #[test]
    fn icc_profile_is_copied_into_jpeg_variants() {
        let icc = b"fake-display-p3-profile".repeat(10);
        let rgb = photo(800, 600).into_raw();
        let bytes = mozjpeg_encode(mozjpeg::ColorSpace::JCS_RGB, 800, 600, &rgb, Some(&icc));
        let out = process(&bytes, &ImageSettings::default()).unwrap();
        let jpeg = out
            .variants
            .iter()
            .find(|v| v.format == VariantFormat::Jpeg)
            .unwrap();
        let marker = jpeg.bytes.windows(12).any(|w| w == b"ICC_PROFILE\0");
        assert!(marker, "the 480 px JPEG carries the source's ICC profile");
        let found = jpeg.bytes.windows(icc.len()).any(|w| w == &icc[..]);
        assert!(found);
    }

    #[test]
    fn odd_sizes_give_every_width_exactly_and_the_rounded_height() {
        let stored = photo(3001, 1999);
        for (orientation, (w, h)) in [(1, (3001.0, 1999.0)), (6, (1999.0, 3001.0))] {
            let bytes = with_exif_orientation(&jpeg(&stored), orientation);
            let out = process(&bytes, &ImageSettings::default()).unwrap();
            assert_eq!(widths_of(&out, VariantFormat::Jpeg), [480, 960, 1440, 1920]);
            assert_eq!(widths_of(&out, VariantFormat::Webp), [480, 960, 1440, 1920]);
            for variant in &out.variants {
                let height = (h * f64::from(variant.width) / w).round() as u32;
                let expected = (variant.width, height, false);
                assert_eq!(
                    decoded(variant),
                    expected,
                    "orientation {orientation}: {variant:?}"
                );
                assert_eq!(variant.height, height);
            }
        }
    }

    /// Mean absolute difference of two equally sized RGB8 images.
    fn mean_abs_diff(a: &RgbImage, b: &RgbImage) -> f64 {
        assert_eq!(a.dimensions(), b.dimensions());
        let sum: u64 = a
            .as_raw()
            .iter()
            .zip(b.as_raw())
            .map(|(&x, &y)| u64::from(x.abs_diff(y)))
            .sum();
        sum as f64 / a.as_raw().len() as f64
    }

    #[test]
    fn lossy_webp_variants_show_the_same_picture_as_the_jpeg_ones() {
        // Red left, green middle, blue right, over a gradient: a swapped channel or a wrong
        // stride in the WebP import shows as a large difference.
        let source = RgbImage::from_fn(2400, 1600, |x, y| {
            let v = (y * 120 / 1600) as u8;
            match x * 3 / 2400 {
                0 => Rgb([220, v, v]),
                1 => Rgb([v, 220, v]),
                _ => Rgb([v, v, 220]),
            }
        });
        let out = process(&jpeg(&source), &ImageSettings::default()).unwrap();
        for width in [480, 960, 1440, 1920] {
            let find = |format| {
                let variant = out
                    .variants
                    .iter()
                    .find(|v| v.width == width && v.format == format);
                ::image::load_from_memory(&variant.unwrap().bytes)
                    .unwrap()
                    .to_rgb8()
            };
            let (jpeg, webp) = (find(VariantFormat::Jpeg), find(VariantFormat::Webp));
            let diff = mean_abs_diff(&jpeg, &webp);
            assert!(diff < 4.0, "{width} px: mean difference {diff:.2}");
            let left = webp.get_pixel(width / 6, 10).0;
            assert!(
                left[0] > 190 && left[1] < 40 && left[2] < 40,
                "{width} px: {left:?}"
            );
            let right = webp.get_pixel(width - width / 6, 10).0;
            assert!(right[2] > 190 && right[0] < 40, "{width} px: {right:?}");
        }
    }

    #[test]
    fn lossy_webp_with_alpha_gives_png_and_lossy_webp_with_alpha() {
        let rgba = RgbaImage::from_fn(1000, 500, |x, y| {
            let alpha = if x < 500 { 0 } else { 255 };
            Rgba([(x % 256) as u8, (y % 256) as u8, 200, alpha])
        });
        let bytes = webp_fixture::still(rgba.as_raw(), 1000, 500, true, Some(80.0));
        let out = process(&bytes, &ImageSettings::default()).unwrap();
        assert!(out.alpha);
        assert_eq!(widths_of(&out, VariantFormat::Png), [480, 960, 1000]);
        assert_eq!(widths_of(&out, VariantFormat::Webp), [480, 960, 1000]);
        for variant in out
            .variants
            .iter()
            .filter(|v| v.format == VariantFormat::Webp)
        {
            assert!(!webp_is_lossless(&variant.bytes), "{variant:?} is lossy");
            let image = ::image::load_from_memory(&variant.bytes).unwrap();
            assert!(image.color().has_alpha(), "{variant:?}");
            let image = image.to_rgba8();
            assert_eq!(
                (image.width(), image.height()),
                (variant.width, variant.width / 2)
            );
            assert_eq!(
                image.get_pixel(10, 10).0[3],
                0,
                "left half stays transparent"
            );
            let right = image.get_pixel(image.width() - 10, 10).0;
            assert_eq!(right[3], 255, "right half stays opaque");
            assert!(right[2].abs_diff(200) < 20, "{right:?}");
        }
    }

    /// Whether a JPEG's frame is progressive (SOF2). Entropy-coded data stuffs every 0xFF
    /// with a 0x00, so 0xFF 0xC2 is only ever the marker.
    fn progressive(jpeg: &[u8]) -> bool {
        jpeg.windows(2).any(|w| w == [0xFF, 0xC2])
    }

    #[test]
    fn presets_spend_encoder_effort_on_smaller_files() {
        let source = jpeg(&photo(1600, 1200));
        let run = |preset| {
            let settings = ImageSettings {
                preset,
                ..ImageSettings::default()
            };
            process(&source, &settings).unwrap()
        };
        let bytes = |out: &ProcessedImage, format| -> usize {
            let of_format = out.variants.iter().filter(|v| v.format == format);
            of_format.map(|v| v.bytes.len()).sum()
        };
        let (small, balanced, fast) =
            (run(Preset::Small), run(Preset::Balanced), run(Preset::Fast));
        let webp = |out| bytes(out, VariantFormat::Webp);
        assert!(
            webp(&balanced) < webp(&fast),
            "{} vs {}",
            webp(&balanced),
            webp(&fast)
        );
        assert!(
            webp(&small) <= webp(&balanced),
            "{} vs {}",
            webp(&small),
            webp(&balanced)
        );
        for variant in balanced.variants.iter().chain(&small.variants) {
            if variant.format == VariantFormat::Jpeg {
                assert!(progressive(&variant.bytes), "{variant:?}");
            }
        }
        for variant in &fast.variants {
            if variant.format == VariantFormat::Jpeg {
                assert!(!progressive(&variant.bytes), "{variant:?}");
            }
        }
        // The same widths and sizes whatever the preset.
        let sizes = |out: &ProcessedImage| -> Vec<_> {
            out.variants
                .iter()
                .map(|v| (v.width, v.height, v.format))
                .collect()
        };
        assert_eq!(sizes(&small), sizes(&fast));
        assert_eq!(sizes(&balanced), sizes(&fast));
    }

    #[test]
    fn jpeg_decodes_scaled_only_to_half_size_or_less() {
        // A 12 MP photo for a 1920 px variant: half size (2016 px) covers it.
        assert_eq!(dct_scale((4032, 3024), (1920, 1440)), 4);
        // A 24 MP photo: 3/8 (2250 px) covers 1920 px.
        assert_eq!(dct_scale((6000, 4000), (1920, 1280)), 3);
        // Narrower than twice the widest variant: 6/8 would cover it, but the full size is
        // decoded instead (as cheap, and sharper).
        assert_eq!(dct_scale((3000, 2000), (1920, 1280)), 8);
        assert_eq!(dct_scale((2560, 3837), (1920, 2878)), 8);
        // A tiny variant of a large photo: 1/8.
        assert_eq!(dct_scale((4000, 3000), (480, 360)), 1);
    }

    #[test]
    fn base64_matches_the_rfc_examples() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
