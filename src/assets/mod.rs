//! Every Notion-hosted file → a content-addressed local asset; image variants; the `AssetMap`.

pub mod download;
mod map;
pub mod refs;
pub mod store;

pub use map::{Asset, AssetMap, ImageInfo, Variant, VariantFormat, stable_key};
