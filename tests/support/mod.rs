//! Test support shared by the integration tests (`mod support;` in each test file).
#![allow(dead_code, unused_imports)]

pub mod block_types;
pub mod chromium;
pub mod fake_notion;
pub mod vnu;
pub mod webhook;

pub use fake_notion::blocks;
pub use fake_notion::{DbRef, Endpoint, FakeNotion, FileRef, Hostile, Workspace};

/// A copy of the repository's example site (its snapshot, not its build output) at `to`.
pub fn copy_example_site(to: &std::path::Path) {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(&from).unwrap();
        if relative.starts_with("public") {
            continue;
        }
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Checks that every file beneath `dir` is 0644 with a link count of 1 (no inode shared with
/// the cache) and every folder beneath it 0755, as published output must be; returns how many
/// files there are.
#[cfg(unix)]
pub fn assert_published_modes(dir: &std::path::Path) -> usize {
    use std::os::unix::fs::MetadataExt;
    let mut files = 0;
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        let path = entry.path().display();
        if meta.is_dir() {
            assert_eq!(meta.mode() & 0o777, 0o755, "{path}");
        } else {
            files += 1;
            assert_eq!(meta.mode() & 0o777, 0o644, "{path}");
            assert_eq!(meta.nlink(), 1, "{path} shares its inode");
        }
    }
    files
}

/// A `width`×`height` JPEG: a gradient with `tint` in its blue channel, so that the photos of
/// one test differ in their bytes (and so in their content-addressed names).
pub fn jpeg(width: u32, height: u32, tint: u8) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, tint])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Jpeg)
        .unwrap();
    bytes.into_inner()
}
