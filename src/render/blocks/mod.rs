//! Block tree → HTML: one function per block type, list grouping in one place.

mod embeds;
mod layout;
mod media;
mod text;

use std::fmt::Write as _;

use crate::assets::Asset;
use crate::notion::model::{Block, BlockKind, Color, FileKey, RichText};

use super::Warning;
use super::context::RenderContext;
use super::headings::{Headings, TocEntry};
use super::html::{comment_text, safe_href};
use super::rich_text::{color_class, push_rich_text};

/// A rendered page body.
#[derive(Debug, Clone, Default)]
pub struct RenderedPage {
    /// The content HTML (safe to insert unescaped).
    pub html: String,
    /// The page's headings, nested (ids match the headings' `id` attributes).
    pub(crate) toc: Vec<TocEntry>,
    /// What the author should know (unsupported blocks, links to private pages, …).
    pub(crate) warnings: Vec<Warning>,
}

/// Renders a page's block tree, with its table of contents and warnings.
pub fn render_page(blocks: &[Block], ctx: &RenderContext<'_>) -> RenderedPage {
    let headings = Headings::collect(blocks);
    let mut out = String::with_capacity(blocks.len() * 160);
    Renderer {
        ctx,
        headings: &headings,
    }
    .blocks(&mut out, blocks);
    RenderedPage {
        html: out,
        toc: headings.toc,
        warnings: ctx.take_warnings(),
    }
}

/// Renders blocks to HTML (headings get ids unique among these blocks). Warnings stay in `ctx`.
pub(crate) fn render_blocks(blocks: &[Block], ctx: &RenderContext<'_>) -> String {
    let headings = Headings::collect(blocks);
    let mut out = String::new();
    Renderer {
        ctx,
        headings: &headings,
    }
    .blocks(&mut out, blocks);
    out
}

/// Renders the blocks of one page; each kind of block has its function in a submodule.
struct Renderer<'r, 'a> {
    ctx: &'r RenderContext<'a>,
    headings: &'r Headings,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Bulleted,
    Numbered,
    ToDo,
}

fn list_kind(block: &Block) -> Option<ListKind> {
    match block.kind {
        BlockKind::BulletedListItem(_) => Some(ListKind::Bulleted),
        BlockKind::NumberedListItem(_) => Some(ListKind::Numbered),
        BlockKind::ToDo(_) => Some(ListKind::ToDo),
        _ => None,
    }
}

/// `class="base color"`, with the color's class only for Notion's own color names.
fn push_class(out: &mut String, base: &str, color: &Color) {
    out.push_str(" class=\"");
    out.push_str(base);
    if let Some(class) = color_class(color) {
        out.push(' ');
        out.push_str(class);
    }
    out.push('"');
}

/// A human file size: `512 B`, `3.4 KB`, `12 MB`.
pub(crate) fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut size = bytes as f64 / 1000.0;
    let mut unit = 0;
    while size >= 1000.0 && unit < UNITS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    if size < 10.0 {
        format!("{size:.1} {}", UNITS[unit])
    } else {
        format!("{size:.0} {}", UNITS[unit])
    }
}

impl Renderer<'_, '_> {
    pub(super) fn blocks(&self, out: &mut String, blocks: &[Block]) {
        // Blocks nest to any depth: each level may need a fresh stack segment.
        crate::deep::grow(|| self.blocks_here(out, blocks))
    }

    fn blocks_here(&self, out: &mut String, blocks: &[Block]) {
        if blocks.iter().any(|b| b.in_trash) {
            // Trashed blocks are not content (rare: the crawl normally leaves them out).
            let kept: Vec<Block> = blocks.iter().filter(|b| !b.in_trash).cloned().collect();
            return self.blocks(out, &kept);
        }
        let mut i = 0;
        while i < blocks.len() {
            match list_kind(&blocks[i]) {
                Some(kind) => {
                    let end = blocks[i..]
                        .iter()
                        .position(|b| list_kind(b) != Some(kind))
                        .map_or(blocks.len(), |n| i + n);
                    self.list(out, kind, &blocks[i..end]);
                    i = end;
                }
                None => {
                    self.block(out, &blocks[i]);
                    i += 1;
                }
            }
        }
    }

    /// Consecutive list items of one kind → one `<ul>`/`<ol>`.
    pub(super) fn list(&self, out: &mut String, kind: ListKind, items: &[Block]) {
        match kind {
            ListKind::Bulleted => out.push_str("<ul class=\"nb-list\">"),
            ListKind::ToDo => out.push_str("<ul class=\"nb-todo-list\">"),
            ListKind::Numbered => {
                out.push_str("<ol class=\"nb-list\"");
                if let BlockKind::NumberedListItem(first) = &items[0].kind {
                    if let Some(start) = first.list_start_index.filter(|s| *s != 1) {
                        let _ = write!(out, " start=\"{start}\"");
                    }
                    match first.list_format.as_deref() {
                        Some("letters") => out.push_str(" type=\"a\""),
                        Some("roman") => out.push_str(" type=\"i\""),
                        _ => {}
                    }
                }
                out.push('>');
            }
        }
        for item in items {
            let previous = self.ctx.set_block(&item.id);
            let start = out.len();
            match &item.kind {
                BlockKind::BulletedListItem(t) => {
                    self.list_item(out, &t.rich_text, &t.color, &item.children)
                }
                BlockKind::NumberedListItem(t) => {
                    self.list_item(out, &t.rich_text, &t.color, &item.children)
                }
                BlockKind::ToDo(t) => {
                    out.push_str("<li");
                    push_class(
                        out,
                        if t.checked {
                            "nb-todo nb-todo-checked"
                        } else {
                            "nb-todo"
                        },
                        &t.color,
                    );
                    out.push_str("><input type=\"checkbox\" disabled");
                    if t.checked {
                        out.push_str(" checked");
                    }
                    out.push_str(" aria-label=\"");
                    out.push_str(if t.checked { "Done" } else { "Not done" });
                    out.push_str("\"> <span class=\"nb-todo-text\">");
                    push_rich_text(out, &t.rich_text, self.ctx);
                    out.push_str("</span>");
                    self.blocks(out, &item.children);
                    out.push_str("</li>");
                }
                _ => unreachable!("list() only receives list items"),
            }
            self.set_anchor(out, start, &item.id);
            self.ctx.restore_block(previous);
        }
        out.push_str(match kind {
            ListKind::Numbered => "</ol>",
            _ => "</ul>",
        });
    }

    pub(super) fn list_item(
        &self,
        out: &mut String,
        text: &[RichText],
        color: &Color,
        children: &[Block],
    ) {
        out.push_str("<li");
        if let Some(class) = color_class(color) {
            out.push_str(" class=\"");
            out.push_str(class);
            out.push('"');
        }
        out.push('>');
        push_rich_text(out, text, self.ctx);
        self.blocks(out, children);
        out.push_str("</li>");
    }

    pub(super) fn block(&self, out: &mut String, block: &Block) {
        let previous = self.ctx.set_block(&block.id);
        let start = out.len();
        self.block_kind(out, block);
        self.set_anchor(out, start, &block.id);
        self.ctx.restore_block(previous);
    }

    /// Gives the first element a block wrote (from `start` on) the block's anchor as its `id`,
    /// so links to the block (`…#<block-id>` in Notion) land on it. Not when the element has an
    /// id already: a heading keeps its readable slug (it carries the anchor inside), and a block
    /// without a wrapper of its own (a column, a synced block) leaves its first child's. Done
    /// after the block is written, so no block function has to know about anchors; the cost is
    /// moving the block's own output once.
    fn set_anchor(&self, out: &mut String, start: usize, block_id: &str) {
        // A template's output (a database's) may begin with white space.
        let start = start + (out.len() - start - out[start..].trim_start().len());
        let Some(rest) = out[start..].strip_prefix('<') else {
            return;
        };
        let name = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
        if name == 0 {
            // A comment (an omitted block) or nothing at all.
            return;
        }
        // Attribute values are escaped (`"` and `>` never appear raw inside them), so the first
        // `>` ends the tag and ` id="` can only be an attribute.
        let tag = rest.find('>').map_or(rest, |end| &rest[..end]);
        if tag.contains(" id=\"") {
            return;
        }
        if let Some(anchor) = self.ctx.claim_anchor(block_id) {
            out.insert_str(start + 1 + name, &format!(" id=\"{anchor}\""));
        }
    }

    pub(super) fn block_kind(&self, out: &mut String, block: &Block) {
        let children = &block.children;
        match &block.kind {
            BlockKind::Paragraph(t) => self.paragraph(out, t, children),
            BlockKind::Heading { level, text } => self.heading(
                out,
                block,
                *level,
                &text.rich_text,
                &text.color,
                text.is_toggleable,
            ),
            BlockKind::Toggle(t) => self.toggle(out, t, children),
            BlockKind::Quote(t) => self.quote(out, t, children),
            BlockKind::Callout(c) => self.callout(out, c, children),
            BlockKind::Code(c) => self.code(out, c),
            BlockKind::Equation { expression } => self.equation(out, expression),
            BlockKind::Divider => out.push_str("<hr class=\"nb-divider\">"),
            BlockKind::Breadcrumb => self.breadcrumb(out),
            BlockKind::TableOfContents { color } => self.table_of_contents(out, color),
            BlockKind::Image(m) => self.image(out, m),
            BlockKind::Video(m) => self.video(out, m),
            BlockKind::Audio(m) => self.audio(out, m),
            BlockKind::Pdf(m) => self.pdf(out, m),
            BlockKind::File(m) => self.file(out, m),
            BlockKind::Bookmark(l) => self.bookmark(out, &l.url, &l.caption),
            BlockKind::Embed(l) => self.embed(out, &l.url, &l.caption),
            BlockKind::LinkPreview { url } => self.link_preview(out, url),
            BlockKind::Table(t) => self.table(out, t, children),
            BlockKind::ColumnList => self.column_list(out, children),
            BlockKind::Column { .. } => self.blocks(out, children),
            BlockKind::SyncedBlock { synced_from } => {
                if children.is_empty() && synced_from.is_some() && block.has_children {
                    self.ctx.warn(
                        "synced block whose original is not shared with the integration: left out",
                    );
                }
                self.blocks(out, children)
            }
            BlockKind::ChildPage { title } => self.child_page(out, &block.id, title),
            BlockKind::ChildDatabase { title } => self.child_database(out, &block.id, title),
            BlockKind::LinkToPage(target) => self.link_to_page(out, target),
            BlockKind::Template(_) => {
                // A template button is an editor tool, not content.
                out.push_str("<!-- notion-bake: template button omitted -->");
            }
            BlockKind::Tab => self.tabs(out, children),
            BlockKind::MeetingNotes { title } => {
                out.push_str("<section class=\"nb-meeting-notes\">");
                if !title.is_empty() {
                    out.push_str("<p class=\"nb-meeting-notes-title\">");
                    push_rich_text(out, title, self.ctx);
                    out.push_str("</p>");
                }
                self.blocks(out, children);
                out.push_str("</section>");
            }
            BlockKind::TableRow { .. } => self.omitted(out, "table_row outside a table"),
            BlockKind::Unsupported { block_type } => self.omitted(
                out,
                &format!(
                    "unsupported block type \"{}\"",
                    block_type.as_deref().unwrap_or("unknown")
                ),
            ),
            BlockKind::Unknown { type_name, .. } => {
                self.omitted(out, &format!("unknown block type \"{type_name}\""))
            }
            BlockKind::Partial => self.omitted(out, "partial block without a type"),
            // List items are grouped by `blocks`; a lone one still renders as a list.
            BlockKind::BulletedListItem(_)
            | BlockKind::NumberedListItem(_)
            | BlockKind::ToDo(_) => self.blocks(out, std::slice::from_ref(block)),
        }
    }

    /// Nothing visible: an HTML comment, and a warning naming page and block.
    pub(super) fn omitted(&self, out: &mut String, what: &str) {
        self.ctx
            .warn(format!("{what}: not shown in the built site"));
        out.push_str("<!-- notion-bake: ");
        out.push_str(&comment_text(what));
        out.push_str(" omitted -->");
    }

    pub(super) fn children_div(&self, out: &mut String, children: &[Block]) {
        if !children.is_empty() {
            out.push_str("<div class=\"nb-children\">");
            self.blocks(out, children);
            out.push_str("</div>");
        }
    }

    pub(super) fn caption(&self, out: &mut String, caption: &[RichText]) {
        if !caption.is_empty() {
            out.push_str("<figcaption>");
            push_rich_text(out, caption, self.ctx);
            out.push_str("</figcaption>");
        }
    }

    /// The baked asset of a Notion-hosted file, or a warning when there is none.
    pub(super) fn baked(&self, key: Option<&FileKey>, what: &str) -> Option<&Asset> {
        let asset = self.ctx.asset(key);
        if asset.is_none() {
            self.ctx.warn(format!(
                "Notion-hosted {what} was not baked; left out so the page never links to an expiring URL"
            ));
        }
        asset
    }

    /// An external URL that passes the scheme allow-list, or a warning.
    pub(super) fn external(&self, url: &str, what: &str) -> Option<String> {
        let href = safe_href(url);
        if href.is_none() {
            self.ctx.warn(format!(
                "{what} with a disallowed or invalid URL left out: {:?}",
                url.chars().take(80).collect::<String>()
            ));
        }
        href
    }

    pub(super) fn missing(&self, out: &mut String, what: &str) {
        out.push_str("<!-- notion-bake: ");
        out.push_str(what);
        out.push_str(" unavailable -->");
    }
}
