//! Databases inside pages as the site shows them: the view the author chose, and its rows in
//! the view's order, each with its page in the site when it has content.

use std::collections::HashMap;

use crate::config::DatabasesMode;
use crate::notion::crawl::DatabaseManifest;
use crate::notion::ids::NotionId;
use crate::notion::model::{self, Block, BlockKind, Database, FileSource, Page, View, plain_text};

/// A database inside a page.
#[derive(Debug, Clone)]
pub struct SiteDatabase {
    /// The database's id.
    pub id: String,
    /// The database (title, schema); `None` when the integration cannot read it.
    pub database: Option<Database>,
    /// Its title, as plain text.
    pub title: String,
    /// The view it is shown in; `None` before API 2025-09-03, or without readable views.
    pub view: Option<View>,
    /// Its rows, in the view's order.
    pub rows: Vec<SiteRow>,
    /// How the page it is on shows it.
    pub mode: DatabasesMode,
}

/// One row of a database inside a page.
#[derive(Debug, Clone)]
pub struct SiteRow {
    /// The row's page object (its properties, cover and icon).
    pub page: Page,
    /// Its title, as plain text.
    pub title: String,
    /// Its page in the site, when it has content.
    pub path: Option<String>,
    /// The first image block of its content (a gallery's `page_content` cover), kept whole
    /// so that its file can be baked (and its URL refreshed) when the row has no page.
    pub first_image: Option<Block>,
}

impl SiteDatabase {
    /// The database of `manifest`, with its rows taken from `rows` (by id).
    pub(super) fn new(
        manifest: DatabaseManifest,
        rows: &HashMap<NotionId, (&Page, &[Block], Option<String>)>,
        mode: DatabasesMode,
    ) -> SiteDatabase {
        let view = manifest.chosen_view().cloned();
        let title = manifest
            .database
            .as_ref()
            .map(|d| plain_text(&d.title))
            .unwrap_or_default();
        let rows = manifest
            .rows
            .iter()
            .filter_map(|id| rows.get(&NotionId::parse(id).ok()?))
            .map(|(page, blocks, path)| SiteRow {
                title: page.title(),
                page: (*page).clone(),
                path: path.clone(),
                first_image: first_image(blocks),
            })
            .collect();
        SiteDatabase {
            id: manifest.id,
            database: manifest.database,
            title,
            view,
            rows,
            mode,
        }
    }

    /// Every file the database shows: its own icon and cover, and each row's cover, icon,
    /// `files` properties and first image.
    pub fn files(&self, visit: &mut dyn FnMut(&FileSource)) {
        if let Some(database) = &self.database {
            model::database_files(database, &mut |_, file| visit(file));
        }
        for row in &self.rows {
            model::page_files(&row.page, row.first_image.as_slice(), &mut |_, file| {
                visit(file)
            });
        }
    }

    /// Forgets every signed URL, once the files are baked.
    pub(super) fn drop_signed_urls(&mut self) {
        let mut drop = |_: model::FilePlace<'_>, file: &mut FileSource| file.drop_signed_url();
        if let Some(database) = &mut self.database {
            model::database_files_mut(database, &mut drop);
        }
        for row in &mut self.rows {
            model::page_files_mut(&mut row.page, row.first_image.as_mut_slice(), &mut drop);
        }
    }
}

/// The first image block of a page's content, at any depth.
fn first_image(blocks: &[Block]) -> Option<Block> {
    blocks.iter().find_map(|block| match &block.kind {
        BlockKind::Image(_) => Some(block.clone()),
        _ => first_image(&block.children),
    })
}

impl SiteRow {
    /// The file of the first image of the row's content.
    pub fn first_image_file(&self) -> Option<&FileSource> {
        match &self.first_image.as_ref()?.kind {
            BlockKind::Image(media) => Some(&media.source),
            _ => None,
        }
    }
}
