//! The `AssetMap`: what the renderer knows about every baked file.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// Every baked file, looked up by the stable key of the Notion URL it came from.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AssetMap {
    by_key: HashMap<String, Asset>,
}

impl AssetMap {
    /// Records the asset baked from a Notion-hosted URL.
    pub fn insert(&mut self, notion_url: &str, asset: Asset) {
        if let Some(key) = stable_key(notion_url) {
            self.by_key.insert(key, asset);
        }
    }

    /// The asset baked from this Notion-hosted URL, whichever signature the URL carries.
    pub fn get(&self, notion_url: &str) -> Option<&Asset> {
        self.by_key.get(&stable_key(notion_url)?)
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
}

/// One baked file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    /// Site-relative URL path of the bundled original, e.g. `assets/slides-1a2b3c4d5e6f.pdf`
    /// (no leading slash: the renderer prefixes the site's base path).
    pub path: String,
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
}

/// The encodings notion-bake produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VariantFormat {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl VariantFormat {
    /// The MIME type, for `<source type>`.
    pub fn mime(self) -> &'static str {
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

/// The part of a Notion-hosted URL that survives re-signing and host changes:
/// the last two path segments, `<file-uuid>/<filename>` (notion-api.md §2.3).
///
/// Returns `None` for a URL that cannot be parsed or has fewer than two path segments.
pub fn stable_key(notion_url: &str) -> Option<String> {
    let url = url::Url::parse(notion_url).ok()?;
    let mut segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    if segments.len() < 2 {
        return None;
    }
    let name = segments.pop()?;
    let file_id = segments.pop()?;
    Some(format!("{file_id}/{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_key_ignores_signature_host_and_space() {
        let old = "https://s3.us-west-2.amazonaws.com/secure.notion-static.com/6466d395-db6f-4e61-a73f-e31597d52815/1ea5.png?X-Amz-Signature=aa";
        let new = "https://prod-files-secure.s3.us-west-2.amazonaws.com/2b7b01f0-67a8-40f8-acd4-88dd2805f216/6466d395-db6f-4e61-a73f-e31597d52815/1ea5.png?X-Amz-Signature=bb&x-id=GetObject";
        assert_eq!(stable_key(old), stable_key(new));
        assert_eq!(
            stable_key(new).as_deref(),
            Some("6466d395-db6f-4e61-a73f-e31597d52815/1ea5.png")
        );
    }

    #[test]
    fn stable_key_needs_two_segments() {
        assert_eq!(stable_key("https://example.org/x.png"), None);
        assert_eq!(stable_key("not a url"), None);
    }

    #[test]
    fn map_finds_an_asset_under_a_resigned_url() {
        let mut map = AssetMap::default();
        let asset = Asset {
            path: "assets/a-0123456789ab.pdf".into(),
            mime: "application/pdf".into(),
            name: "a.pdf".into(),
            bytes: 3,
            image: None,
        };
        map.insert("https://h/space/file-1/a.pdf?sig=1", asset.clone());
        assert_eq!(map.get("https://other/space2/file-1/a.pdf?sig=2"), Some(&asset));
        assert_eq!(map.get("https://h/space/file-2/a.pdf?sig=1"), None);
    }
}
