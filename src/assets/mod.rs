//! Every Notion-hosted file → a content-addressed local asset; image variants; the `AssetMap`.

pub(crate) mod active;
pub mod bake;
pub mod download;
pub mod image;
mod map;
pub(crate) mod refs;
pub(crate) mod sniff;
pub(crate) mod store;
pub(crate) mod variants;

pub use map::{Asset, AssetFile, AssetMap, ImageInfo, Variant, VariantFormat};
pub use sniff::FileKind;
