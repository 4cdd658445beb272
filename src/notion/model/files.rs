//! Every place a page or database holds a file: cover, icon, `files` properties, media blocks
//! and callout and tab icons at any depth. One walk, in a shared and a mutable form, so the
//! stages that find files (to bake them) and the one that drops their signed URLs (once baked)
//! cannot disagree about where files are.

use super::{Block, BlockKind, Database, FileSource, Icon, Page, PropertyValue};

/// Where a file sits on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilePlace<'a> {
    /// The block holding the file; `None` for a cover, an icon or a property.
    pub block_id: Option<&'a str>,
    /// The file's name in Notion (file blocks and `files` properties).
    pub name: Option<&'a str>,
}

/// Generates one walk twice: over `&` (`$page_fn`, `$blocks_fn`) and over `&mut`.
macro_rules! file_walk {
    ($page_fn:ident, $blocks_fn:ident, $database_fn:ident $(, $mutability:tt)?) => {
        /// Visits the cover, the icon, the `files` properties and every file of `blocks`.
        pub fn $page_fn(
            page: &$($mutability)? Page,
            blocks: &$($mutability)? [Block],
            visit: &mut impl FnMut(FilePlace<'_>, &$($mutability)? FileSource),
        ) {
            let place = FilePlace { block_id: None, name: None };
            if let Some(cover) = &$($mutability)? page.cover {
                visit(place, cover);
            }
            if let Some(Icon::File(icon)) = &$($mutability)? page.icon {
                visit(place, icon);
            }
            for (_, value) in &$($mutability)? page.properties {
                if let PropertyValue::Files(files) = value {
                    for file in files {
                        let place = FilePlace { block_id: None, name: Some(&file.name) };
                        visit(place, &$($mutability)? file.source);
                    }
                }
            }
            $blocks_fn(blocks, visit);
        }

        /// Visits every file of `blocks` and their children.
        pub fn $blocks_fn(
            blocks: &$($mutability)? [Block],
            visit: &mut impl FnMut(FilePlace<'_>, &$($mutability)? FileSource),
        ) {
            for block in blocks {
                let id = Some(block.id.as_str());
                match &$($mutability)? block.kind {
                    BlockKind::Image(media)
                    | BlockKind::Video(media)
                    | BlockKind::Audio(media)
                    | BlockKind::Pdf(media)
                    | BlockKind::File(media) => {
                        let place = FilePlace { block_id: id, name: media.name.as_deref() };
                        visit(place, &$($mutability)? media.source);
                    }
                    BlockKind::Callout(callout) => {
                        if let Some(Icon::File(icon)) = &$($mutability)? callout.icon {
                            visit(FilePlace { block_id: id, name: None }, icon);
                        }
                    }
                    BlockKind::Paragraph(paragraph) => {
                        if let Some(Icon::File(icon)) = &$($mutability)? paragraph.icon {
                            visit(FilePlace { block_id: id, name: None }, icon);
                        }
                    }
                    _ => {}
                }
                crate::deep::grow(|| $blocks_fn(&$($mutability)? block.children, visit));
            }
        }

        /// Visits a database's cover and icon.
        pub fn $database_fn(
            database: &$($mutability)? Database,
            visit: &mut impl FnMut(FilePlace<'_>, &$($mutability)? FileSource),
        ) {
            let place = FilePlace { block_id: None, name: None };
            if let Some(cover) = &$($mutability)? database.cover {
                visit(place, cover);
            }
            if let Some(Icon::File(icon)) = &$($mutability)? database.icon {
                visit(place, icon);
            }
        }
    };
}

file_walk!(page_files, block_files, database_files);
file_walk!(page_files_mut, block_files_mut, database_files_mut, mut);
