//! The `AssetMap`: what the renderer knows about every baked file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::notion::model::FileKey;

/// Every baked file, by the key of the Notion-hosted file it came from.
#[derive(Debug, Clone, Default)]
pub struct AssetMap {
    by_key: HashMap<FileKey, Asset>,
}

impl AssetMap {
    /// Records the asset baked from the file with this key.
    pub fn insert(&mut self, key: FileKey, asset: Asset) {
        self.by_key.insert(key, asset);
    }

    /// The asset baked from the file with this key.
    pub fn get(&self, key: &FileKey) -> Option<&Asset> {
        self.by_key.get(key)
    }

    /// How many distinct files were baked.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// Whether nothing was baked.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// Every baked asset, in no particular order.
    pub fn assets(&self) -> impl Iterator<Item = &Asset> {
        self.by_key.values()
    }

    /// Every file to publish, originals and variants, each once (two keys with the same bytes
    /// share their files), sorted by site path.
    pub fn files(&self) -> Vec<AssetFile<'_>> {
        let mut files: Vec<AssetFile<'_>> = self
            .assets()
            .flat_map(|asset| {
                let original = AssetFile {
                    path: &asset.path,
                    source: &asset.source,
                };
                let variants = asset.image.iter().flat_map(|info| &info.variants);
                std::iter::once(original).chain(variants.map(|v| AssetFile {
                    path: &v.path,
                    source: &v.source,
                }))
            })
            .collect();
        files.sort_by(|a, b| a.path.cmp(b.path));
        files.dedup_by(|a, b| a.path == b.path);
        files
    }
}

/// One file of a baked asset: where it goes in the site and where it is in the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssetFile<'a> {
    /// Site-relative path, e.g. `assets/photo-1a2b3c4d5e6f-960.webp`.
    pub path: &'a str,
    /// The file in the cache, to link or copy into the site.
    pub source: &'a Path,
}

/// One baked file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    /// Site-relative URL path of the bundled original, e.g. `assets/slides-1a2b3c4d5e6f.pdf`
    /// (no leading slash: the renderer prefixes the site's base path).
    pub path: String,
    /// The original in the cache's file store.
    pub source: PathBuf,
    /// MIME type sniffed from the bytes, e.g. `image/jpeg`.
    pub mime: String,
    /// The original file name, decoded for display, e.g. `slides.pdf`.
    pub name: String,
    /// Size of the original in bytes.
    pub bytes: u64,
    /// Present when the file is an image the pipeline could read.
    pub image: Option<ImageInfo>,
}

/// Pixel facts and responsive variants of a baked image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageInfo {
    /// Pixel width after EXIF orientation.
    pub width: u32,
    /// Pixel height after EXIF orientation.
    pub height: u32,
    /// Resized encodings, ascending by width within each format.
    pub variants: Vec<Variant>,
    /// A tiny inline placeholder (`data:` URI) a template can show while the image loads.
    pub placeholder: Option<String>,
    /// Whether the image is animated (an animated GIF keeps its animation).
    pub animated: bool,
}

impl ImageInfo {
    /// The variants of one format, ascending by width.
    pub fn variants_in(&self, format: VariantFormat) -> impl Iterator<Item = &Variant> {
        self.variants.iter().filter(move |v| v.format == format)
    }
}

/// One resized encoding of an image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// Encoding.
    pub format: VariantFormat,
    /// Site-relative URL path, e.g. `assets/photo-1a2b3c4d5e6f-960.webp`.
    pub path: String,
    /// The encoding in the cache's variant store.
    pub source: PathBuf,
}

/// An image format notion-bake decodes. Variants are encoded in JPEG, PNG and WebP; GIF only
/// ever names an original's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VariantFormat {
    /// JPEG: the variants of photos.
    Jpeg,
    /// PNG: the variants of lossless or transparent images (screenshots, line art, GIFs).
    Png,
    /// WebP: a second encoding of every variant width, when enabled.
    Webp,
    /// GIF: originals only; an animated one is bundled as it is, a still one gets PNG variants.
    Gif,
}

impl VariantFormat {
    /// The format of an original with this MIME type, when variants can be made in it.
    pub(crate) fn of_mime(mime: &str) -> Option<VariantFormat> {
        match mime {
            "image/jpeg" => Some(VariantFormat::Jpeg),
            "image/png" => Some(VariantFormat::Png),
            "image/webp" => Some(VariantFormat::Webp),
            "image/gif" => Some(VariantFormat::Gif),
            _ => None,
        }
    }

    /// The MIME type, for `<source type>`.
    pub(crate) fn mime(self) -> &'static str {
        match self {
            VariantFormat::Jpeg => "image/jpeg",
            VariantFormat::Png => "image/png",
            VariantFormat::Webp => "image/webp",
            VariantFormat::Gif => "image/gif",
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            VariantFormat::Jpeg => "jpg",
            VariantFormat::Png => "png",
            VariantFormat::Webp => "webp",
            VariantFormat::Gif => "gif",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(path: &str, variants: &[&str]) -> Asset {
        Asset {
            path: path.into(),
            source: PathBuf::from(format!("/cache/{path}")),
            mime: "image/png".into(),
            name: "a.png".into(),
            bytes: 3,
            image: Some(ImageInfo {
                width: 10,
                height: 10,
                variants: variants
                    .iter()
                    .map(|p| Variant {
                        width: 5,
                        height: 5,
                        format: VariantFormat::Webp,
                        path: (*p).into(),
                        source: PathBuf::from(format!("/cache/{p}")),
                    })
                    .collect(),
                placeholder: None,
                animated: false,
            }),
        }
    }

    #[test]
    fn files_lists_originals_and_variants_once() {
        let key = |url: &str| FileKey::of_url(url).unwrap();
        let mut map = AssetMap::default();
        // Two file ids with the same bytes share one set of files.
        map.insert(
            key("https://h/s/f1/a.png"),
            asset("assets/a-1.png", &["assets/a-1-5.webp"]),
        );
        map.insert(
            key("https://h/s/f2/a.png"),
            asset("assets/a-1.png", &["assets/a-1-5.webp"]),
        );
        map.insert(key("https://h/s/f3/b.png"), asset("assets/b-2.png", &[]));
        let paths: Vec<&str> = map.files().iter().map(|f| f.path).collect();
        assert_eq!(
            paths,
            ["assets/a-1-5.webp", "assets/a-1.png", "assets/b-2.png"]
        );
        assert_eq!(map.files()[0].source, Path::new("/cache/assets/a-1-5.webp"));
        assert!(
            map.get(&key("https://other-host/s2/f1/a.png?sig=2"))
                .is_some()
        );
    }
}
