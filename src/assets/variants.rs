//! The variant cache: resized encodings of each original, keyed by (content hash, width,
//! format, quality, pipeline version), so a rebuild re-encodes nothing.
//!
//! `variants/<aa>/<sha256>-<settings>.json` records an image's size, placeholder and variants;
//! the variant files sit beside it. Everything is written temp file + rename, the record last,
//! so a build killed at any moment leaves either a complete entry or none.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::image::{ImageError, process};
use super::sniff::{FileKind, sniff};
use super::{ImageInfo, Variant, VariantFormat};
use crate::cache::write_atomically;

pub(crate) use super::image::ImageSettings;

/// Bump when the pipeline's output changes for the same settings (new encoder defaults, …).
/// 2: lossy WebP at libwebp method 1 instead of 4.
/// 3: encoder settings by preset (`[images] quality`), JPEGs decoded at full size unless
/// that is twice the widest variant or more.
/// 4: libwebp 1.6.0 (was 1.3.1), whose encoder may give other bytes for the same settings.
const PIPELINE_VERSION: u32 = 4;
/// How much of a file [`sniff`] needs (SVG is recognised within its first 4 KiB).
const SNIFF_LEN: usize = 4096;

/// What the cache made of one original.
#[derive(Debug)]
pub(crate) enum Processed {
    /// A decodable image: its info (variant paths left empty for the caller to name) and the
    /// cached file of each variant, in the same order.
    Image {
        info: ImageInfo,
        files: Vec<PathBuf>,
        encoded: usize,
        reused: usize,
    },
    /// Not an image (PDF, audio, …) or an SVG: bundled as-is.
    NotAnImage,
    /// An image format the pipeline cannot read (HEIC, TIFF, …): bundled as-is, with a warning.
    Undecodable(String),
}

#[derive(Debug, Clone)]
pub(crate) struct VariantCache {
    dir: PathBuf,
    settings: ImageSettings,
    settings_key: String,
}

#[derive(Serialize, Deserialize)]
struct Record {
    width: u32,
    height: u32,
    animated: bool,
    placeholder: Option<String>,
    variants: Vec<(u32, u32, VariantFormat)>,
}

impl VariantCache {
    pub(crate) fn new(dir: PathBuf, settings: ImageSettings) -> VariantCache {
        let mut hasher = Sha256::new();
        hasher.update(
            format!(
                "{:?}|{}|{}|{}|v{PIPELINE_VERSION}",
                settings.widths,
                settings.webp,
                settings.quality,
                settings.preset.name()
            )
            .as_bytes(),
        );
        let settings_key = hex::encode(&hasher.finalize()[..6]);
        VariantCache {
            dir,
            settings,
            settings_key,
        }
    }

    fn folder(&self, sha256: &str) -> PathBuf {
        self.dir.join(&sha256[..2])
    }

    fn record_path(&self, sha256: &str) -> PathBuf {
        self.folder(sha256)
            .join(format!("{sha256}-{}.json", self.settings_key))
    }

    fn variant_path(&self, sha256: &str, width: u32, format: VariantFormat) -> PathBuf {
        self.folder(sha256).join(format!(
            "{sha256}-{width}-q{}-{}-v{PIPELINE_VERSION}.{}",
            self.settings.quality,
            self.settings.preset.name(),
            format.extension()
        ))
    }

    /// Removes every cached variant whose original is not in `live` (content hashes), and the
    /// records of those originals; returns (files, bytes) freed.
    pub(crate) fn retain(
        &self,
        live: &std::collections::HashSet<String>,
    ) -> anyhow::Result<(usize, u64)> {
        let mut freed = (0, 0);
        for entry in walkdir::WalkDir::new(&self.dir).min_depth(2).max_depth(2) {
            let entry = entry?;
            // Every file is named `<sha256>-…`: `<sha256>-<settings>.json` or a variant.
            let name = entry.file_name().to_string_lossy();
            let hash = name.split(['-', '.']).next().unwrap_or_default();
            if entry.file_type().is_file() && !live.contains(hash) {
                freed.0 += 1;
                freed.1 += entry.metadata().map(|m| m.len()).unwrap_or(0);
                std::fs::remove_file(entry.path())?;
            }
        }
        Ok(freed)
    }

    /// The variants of the original at `source` (bytes with hash `sha256`, named `name`).
    pub(crate) fn image_for(
        &self,
        source: &Path,
        sha256: &str,
        name: &str,
    ) -> anyhow::Result<Processed> {
        if let Some(processed) = self.cached(sha256) {
            return Ok(processed);
        }
        // The head tells the type: a video or an archive is never read whole.
        let head = read_head(source)?;
        let kind = sniff(&head);
        if kind == FileKind::Svg {
            return Ok(
                svg_size(&head).map_or(Processed::NotAnImage, |(width, height)| Processed::Image {
                    info: ImageInfo {
                        width,
                        height,
                        variants: Vec::new(),
                        placeholder: None,
                        animated: false,
                    },
                    files: Vec::new(),
                    encoded: 0,
                    reused: 0,
                }),
            );
        }
        if kind.decodable().is_none() {
            return classify_undecodable(kind, name);
        }
        let bytes =
            std::fs::read(source).with_context(|| format!("cannot read {}", source.display()))?;
        let processed = match process(&bytes, &self.settings) {
            Ok(processed) => processed,
            Err(ImageError::Unsupported(kind)) => {
                return Ok(Processed::Undecodable(kind.name().to_owned()));
            }
            Err(error) => return Err(error.into()),
        };
        let mut files = Vec::new();
        let mut variants = Vec::new();
        for variant in &processed.variants {
            let path = self.variant_path(sha256, variant.width, variant.format);
            write_atomically(&path, &variant.bytes)?;
            files.push(path);
            variants.push((variant.width, variant.height, variant.format));
        }
        let record = Record {
            width: processed.width,
            height: processed.height,
            animated: processed.animated,
            placeholder: processed.placeholder,
            variants,
        };
        write_atomically(&self.record_path(sha256), &serde_json::to_vec(&record)?)?;
        let encoded = files.len();
        Ok(Processed::Image {
            info: info_of(&record),
            files,
            encoded,
            reused: 0,
        })
    }

    /// A complete cache entry, if there is one.
    pub(crate) fn cached(&self, sha256: &str) -> Option<Processed> {
        let bytes = std::fs::read(self.record_path(sha256)).ok()?;
        let record: Record = serde_json::from_slice(&bytes).ok()?;
        let files: Vec<PathBuf> = record
            .variants
            .iter()
            .map(|&(width, _, format)| self.variant_path(sha256, width, format))
            .collect();
        if !files.iter().all(|f| f.is_file()) {
            return None;
        }
        let reused = files.len();
        Some(Processed::Image {
            info: info_of(&record),
            files,
            encoded: 0,
            reused,
        })
    }
}

/// The first bytes of a file, enough for [`sniff`].
fn read_head(path: &Path) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::with_capacity(SNIFF_LEN);
    std::fs::File::open(path)
        .and_then(|file| file.take(SNIFF_LEN as u64).read_to_end(&mut head))
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(head)
}

fn info_of(record: &Record) -> ImageInfo {
    ImageInfo {
        width: record.width,
        height: record.height,
        animated: record.animated,
        placeholder: record.placeholder.clone(),
        variants: record
            .variants
            .iter()
            .map(|&(width, height, format)| Variant {
                source: PathBuf::new(),
                width,
                height,
                format,
                path: String::new(),
            })
            .collect(),
    }
}

/// An SVG's intrinsic size from its root element: `width`/`height` in pixels (or unitless), else
/// the `viewBox`, so the page reserves its space before it loads. `None` when neither says.
fn svg_size(head: &[u8]) -> Option<(u32, u32)> {
    let text = String::from_utf8_lossy(head);
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attribute = |name: &str| {
        let at = tag.find(&format!(" {name}="))? + name.len() + 2;
        let quote = tag[at..]
            .chars()
            .next()
            .filter(|q| *q == '"' || *q == '\'')?;
        let value = &tag[at + 1..];
        Some(value[..value.find(quote)?].trim().to_owned())
    };
    let pixels = |value: String| -> Option<f64> {
        let number = value.strip_suffix("px").unwrap_or(&value);
        number
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && *n > 0.0)
    };
    let (width, height) = match (
        attribute("width").and_then(pixels),
        attribute("height").and_then(pixels),
    ) {
        (Some(w), Some(h)) => (w, h),
        _ => {
            let view_box: Vec<f64> = attribute("viewBox")?
                .split([' ', ','])
                .filter(|p| !p.is_empty())
                .filter_map(|p| p.parse().ok())
                .collect();
            match view_box[..] {
                [_, _, w, h] if w > 0.0 && h > 0.0 => (w, h),
                _ => return None,
            }
        }
    };
    let round = |n: f64| (n.round() as u32).clamp(1, 100_000);
    Some((round(width), round(height)))
}

/// Files the pipeline does not decode: bundled as-is, but garbage bytes behind an image name
/// are an error (the author meant an image; a broken one must not ship silently).
fn classify_undecodable(kind: FileKind, name: &str) -> anyhow::Result<Processed> {
    let extension = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let named_as_image = matches!(extension.as_str(), "jpg" | "jpeg" | "png" | "gif" | "webp");
    match kind {
        kind if kind.is_image() => Ok(Processed::Undecodable(format!(
            "{} images are not decoded",
            kind.name()
        ))),
        _ if named_as_image => anyhow::bail!(
            "{name} is named like an image, but its bytes are not an image (they look like {} data); \
             replace the file in Notion",
            kind.name()
        ),
        _ => Ok(Processed::NotAnImage),
    }
}

#[cfg(test)]
mod svg_tests {
    use super::svg_size;

    #[test]
    fn svg_size_comes_from_width_and_height_or_the_view_box() {
        assert_eq!(
            svg_size(br#"<?xml version="1.0"?><svg xmlns="x" width="640" height="480px">"#),
            Some((640, 480))
        );
        assert_eq!(
            svg_size(b"<svg viewBox='0 0 1200.4 800' xmlns='x'>"),
            Some((1200, 800))
        );
        assert_eq!(
            svg_size(br#"<svg width="100%" height="100%" viewBox="0,0,300,150">"#),
            Some((300, 150))
        );
        assert_eq!(svg_size(br#"<svg width="10em">"#), None);
    }
}

#[cfg(test)]
mod key_tests {
    use super::*;
    use crate::assets::image::Preset;

    #[test]
    fn each_quality_preset_has_its_own_records_and_variant_files() {
        let hash = "ab".repeat(32);
        let cache = |preset| {
            let settings = ImageSettings {
                preset,
                ..ImageSettings::default()
            };
            VariantCache::new(PathBuf::from("variants"), settings)
        };
        let (balanced, small, fast) = (
            cache(Preset::Balanced),
            cache(Preset::Small),
            cache(Preset::Fast),
        );
        for other in [&small, &fast] {
            assert_ne!(balanced.record_path(&hash), other.record_path(&hash));
            let variant = |c: &VariantCache| c.variant_path(&hash, 480, VariantFormat::Webp);
            assert_ne!(variant(&balanced), variant(other));
        }
        assert_eq!(
            balanced.record_path(&hash),
            cache(Preset::Balanced).record_path(&hash)
        );
    }
}
