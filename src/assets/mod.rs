//! Every Notion-hosted file → a content-addressed local asset; image variants; the `AssetMap`.

mod map;

pub use map::{Asset, AssetMap, ImageInfo, Variant, VariantFormat, stable_key};
