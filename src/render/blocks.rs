//! Block tree → HTML: one function per block type, list grouping in one place.

use std::fmt::Write as _;

use crate::assets::{Asset, VariantFormat};
use crate::notion::model::{
    Block, BlockKind, Callout, Code, Color, FileSource, Icon, LinkTarget, Media, Table, TextBlock,
    plain_text,
};

use super::code::{language_class, language_name};
use super::context::{RenderContext, Resolved, Warning};
use super::headings::{Headings, TocEntry};
use super::html::{comment_text, escape_attr, push_attr, push_text, safe_href};
use super::math::latex_to_mathml;
use super::rich_text::{color_class, link_href, push_rich_text};

/// A rendered page body.
#[derive(Debug, Clone, Default)]
pub struct RenderedPage {
    /// The content HTML (safe to insert unescaped).
    pub html: String,
    /// The page's headings, nested (ids match the headings' `id` attributes).
    pub toc: Vec<TocEntry>,
    /// What the author should know (unsupported blocks, links to private pages, …).
    pub warnings: Vec<Warning>,
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
pub fn render_blocks(blocks: &[Block], ctx: &RenderContext<'_>) -> String {
    let headings = Headings::collect(blocks);
    let mut out = String::new();
    Renderer {
        ctx,
        headings: &headings,
    }
    .blocks(&mut out, blocks);
    out
}

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
pub fn human_size(bytes: u64) -> String {
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
    fn blocks(&self, out: &mut String, blocks: &[Block]) {
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
    fn list(&self, out: &mut String, kind: ListKind, items: &[Block]) {
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
            self.ctx.restore_block(previous);
        }
        out.push_str(match kind {
            ListKind::Numbered => "</ol>",
            _ => "</ul>",
        });
    }

    fn list_item(
        &self,
        out: &mut String,
        text: &[crate::notion::model::RichText],
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

    fn block(&self, out: &mut String, block: &Block) {
        let previous = self.ctx.set_block(&block.id);
        self.block_kind(out, block);
        self.ctx.restore_block(previous);
    }

    fn block_kind(&self, out: &mut String, block: &Block) {
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
    fn omitted(&self, out: &mut String, what: &str) {
        self.ctx
            .warn(format!("{what}: not shown in the built site"));
        out.push_str("<!-- notion-bake: ");
        out.push_str(&comment_text(what));
        out.push_str(" omitted -->");
    }

    fn children_div(&self, out: &mut String, children: &[Block]) {
        if !children.is_empty() {
            out.push_str("<div class=\"nb-children\">");
            self.blocks(out, children);
            out.push_str("</div>");
        }
    }

    fn paragraph(&self, out: &mut String, t: &TextBlock, children: &[Block]) {
        if t.rich_text.is_empty() {
            out.push_str("<p class=\"nb-blank\"></p>");
        } else {
            out.push_str("<p");
            push_class(out, "nb-p", &t.color);
            out.push('>');
            push_rich_text(out, &t.rich_text, self.ctx);
            out.push_str("</p>");
        }
        self.children_div(out, children);
    }

    fn heading(
        &self,
        out: &mut String,
        block: &Block,
        level: u8,
        text: &[crate::notion::model::RichText],
        color: &Color,
        toggleable: bool,
    ) {
        // The page title is the <h1>; `Headings` maps Notion's levels to <h2>… without gaps.
        let tag = self
            .headings
            .tag_of(&block.id)
            .unwrap_or(level.clamp(1, 4) + 1);
        let id = self.headings.id_of(&block.id).unwrap_or("section");
        if toggleable {
            out.push_str("<details");
            push_class(out, "nb-toggle nb-toggle-heading", color);
            out.push_str(" open><summary>");
        }
        let _ = write!(out, "<h{tag} id=\"{}\"", escape_attr(id));
        push_class(out, &format!("nb-h nb-h{level}"), color);
        out.push('>');
        push_rich_text(out, text, self.ctx);
        if !toggleable {
            let _ = write!(
                out,
                " <a class=\"nb-anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a>",
                escape_attr(id)
            );
        }
        let _ = write!(out, "</h{tag}>");
        if toggleable {
            out.push_str("</summary><div class=\"nb-toggle-body\">");
            self.blocks(out, &block.children);
            out.push_str("</div></details>");
        } else {
            self.children_div(out, &block.children);
        }
    }

    fn toggle(&self, out: &mut String, t: &TextBlock, children: &[Block]) {
        out.push_str("<details");
        push_class(out, "nb-toggle", &t.color);
        out.push_str("><summary>");
        push_rich_text(out, &t.rich_text, self.ctx);
        out.push_str("</summary><div class=\"nb-toggle-body\">");
        self.blocks(out, children);
        out.push_str("</div></details>");
    }

    fn quote(&self, out: &mut String, t: &TextBlock, children: &[Block]) {
        out.push_str("<blockquote");
        push_class(out, "nb-quote", &t.color);
        out.push_str("><p>");
        push_rich_text(out, &t.rich_text, self.ctx);
        out.push_str("</p>");
        self.blocks(out, children);
        out.push_str("</blockquote>");
    }

    fn callout(&self, out: &mut String, c: &Callout, children: &[Block]) {
        out.push_str("<div");
        let color = if c.color.is_default() {
            Color("gray_background".into())
        } else {
            c.color.clone()
        };
        push_class(out, "nb-callout", &color);
        out.push_str(" role=\"note\">");
        if let Some(icon) = &c.icon {
            let html = icon_html(icon, self.ctx, "nb-callout-icon");
            if !html.is_empty() {
                out.push_str(&html);
            }
        }
        out.push_str("<div class=\"nb-callout-body\"><p>");
        push_rich_text(out, &c.rich_text, self.ctx);
        out.push_str("</p>");
        self.blocks(out, children);
        out.push_str("</div></div>");
    }

    fn code(&self, out: &mut String, c: &Code) {
        let source = plain_text(&c.rich_text);
        let class = language_class(&c.language);
        out.push_str("<figure class=\"nb-code\">");
        if !class.is_empty() && class != "plain-text" {
            out.push_str("<div class=\"nb-code-lang\">");
            push_text(out, &language_name(&c.language));
            out.push_str("</div>");
        }
        out.push_str("<pre class=\"nb-code-block\"><code");
        if !class.is_empty() {
            out.push_str(" class=\"language-");
            push_attr(out, &class);
            out.push('"');
        }
        out.push('>');
        out.push_str(&self.ctx.highlight(&source, &c.language));
        out.push_str("</code></pre>");
        self.caption(out, &c.caption);
        out.push_str("</figure>");
    }

    fn caption(&self, out: &mut String, caption: &[crate::notion::model::RichText]) {
        if !caption.is_empty() {
            out.push_str("<figcaption>");
            push_rich_text(out, caption, self.ctx);
            out.push_str("</figcaption>");
        }
    }

    fn equation(&self, out: &mut String, expression: &str) {
        match latex_to_mathml(expression, true) {
            Ok(math) => {
                out.push_str("<div class=\"nb-equation\">");
                out.push_str(&math);
                out.push_str("</div>");
            }
            Err(error) => {
                self.ctx.warn(format!(
                    "equation could not be rendered ({error}); shown as source"
                ));
                out.push_str("<pre class=\"nb-equation nb-math-error\"><code>");
                push_text(out, expression);
                out.push_str("</code></pre>");
            }
        }
    }

    fn breadcrumb(&self, out: &mut String) {
        out.push_str("<nav class=\"nb-breadcrumb\" aria-label=\"Breadcrumb\"><ol>");
        for ancestor in &self.ctx.page.ancestors {
            out.push_str("<li>");
            match safe_href(&ancestor.url) {
                Some(href) => {
                    out.push_str("<a href=\"");
                    push_attr(out, &href);
                    out.push_str("\">");
                    push_text(out, &ancestor.title);
                    out.push_str("</a>");
                }
                None => push_text(out, &ancestor.title),
            }
            out.push_str("</li>");
        }
        out.push_str("<li><span aria-current=\"page\">");
        push_text(out, &self.ctx.page.title);
        out.push_str("</span></li></ol></nav>");
    }

    fn table_of_contents(&self, out: &mut String, color: &Color) {
        if self.headings.toc.is_empty() {
            out.push_str("<!-- notion-bake: table of contents without headings -->");
            return;
        }
        out.push_str("<nav");
        push_class(out, "nb-toc", color);
        out.push_str(" aria-label=\"Table of contents\">");
        push_toc(out, &self.headings.toc);
        out.push_str("</nav>");
    }

    /// The baked asset of a Notion-hosted file, or a warning when there is none.
    fn baked(&self, url: &str, what: &str) -> Option<&Asset> {
        let asset = self.ctx.assets.get(url);
        if asset.is_none() {
            self.ctx.warn(format!(
                "Notion-hosted {what} was not baked; left out so the page never links to an expiring URL"
            ));
        }
        asset
    }

    /// An external URL that passes the scheme allow-list, or a warning.
    fn external(&self, url: &str, what: &str) -> Option<String> {
        let href = safe_href(url);
        if href.is_none() {
            self.ctx.warn(format!(
                "{what} with a disallowed or invalid URL left out: {:?}",
                url.chars().take(80).collect::<String>()
            ));
        }
        href
    }

    fn missing(&self, out: &mut String, what: &str) {
        out.push_str("<!-- notion-bake: ");
        out.push_str(what);
        out.push_str(" unavailable -->");
    }

    fn image(&self, out: &mut String, m: &Media) {
        let alt = plain_text(&m.caption);
        let img = match &m.source {
            FileSource::Notion { url, .. } => match self.baked(url, "image") {
                Some(asset) => picture_html(asset, alt.trim(), self.ctx, self.ctx.image_sizes),
                None => return self.missing(out, "image"),
            },
            FileSource::External { url } => match self.external(url, "image") {
                Some(src) => format!(
                    "<img src=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">",
                    escape_attr(&src),
                    escape_attr(alt.trim())
                ),
                None => return self.missing(out, "image"),
            },
            _ => return self.omitted(out, "image without a readable file"),
        };
        out.push_str("<figure class=\"nb-image\">");
        out.push_str(&img);
        self.caption(out, &m.caption);
        out.push_str("</figure>");
    }

    fn video(&self, out: &mut String, m: &Media) {
        match &m.source {
            FileSource::Notion { url, .. } => {
                let Some(asset) = self.baked(url, "video") else {
                    return self.missing(out, "video");
                };
                let src = self.ctx.asset_url(&asset.path);
                out.push_str(
                    "<figure class=\"nb-video\"><video controls preload=\"metadata\" src=\"",
                );
                push_attr(out, &src);
                out.push_str("\"><a href=\"");
                push_attr(out, &src);
                out.push_str("\">Download the video</a></video>");
            }
            FileSource::External { url } => {
                if let Some(embed) = video_embed(url) {
                    out.push_str("<figure class=\"nb-video nb-embed-video\">");
                    push_iframe(out, &embed, "Video");
                } else {
                    let Some(href) = self.external(url, "video") else {
                        return self.missing(out, "video");
                    };
                    out.push_str("<figure class=\"nb-video nb-video-link\">");
                    push_link_card(out, &href, &link_title(url), url);
                }
            }
            _ => return self.omitted(out, "video without a readable file"),
        }
        self.caption(out, &m.caption);
        out.push_str("</figure>");
    }

    fn audio(&self, out: &mut String, m: &Media) {
        let src = match &m.source {
            FileSource::Notion { url, .. } => match self.baked(url, "audio file") {
                Some(asset) => self.ctx.asset_url(&asset.path),
                None => return self.missing(out, "audio"),
            },
            FileSource::External { url } => match self.external(url, "audio") {
                Some(href) => href,
                None => return self.missing(out, "audio"),
            },
            _ => return self.omitted(out, "audio without a readable file"),
        };
        out.push_str("<figure class=\"nb-audio\"><audio controls preload=\"metadata\" src=\"");
        push_attr(out, &src);
        out.push_str("\"><a href=\"");
        push_attr(out, &src);
        out.push_str("\">Download the audio</a></audio>");
        self.caption(out, &m.caption);
        out.push_str("</figure>");
    }

    fn pdf(&self, out: &mut String, m: &Media) {
        match &m.source {
            FileSource::Notion { url, .. } => {
                let Some(asset) = self.baked(url, "PDF") else {
                    return self.missing(out, "PDF");
                };
                let src = self.ctx.asset_url(&asset.path);
                let name = display_name(Some(asset), m, url);
                out.push_str("<figure class=\"nb-pdf\"><object class=\"nb-pdf-viewer\" type=\"application/pdf\" data=\"");
                push_attr(out, &src);
                out.push_str("\"><p><a href=\"");
                push_attr(out, &src);
                out.push_str("\">Open the PDF</a></p></object><figcaption>");
                push_download(out, &src, &name, Some(asset.bytes), true);
                if !m.caption.is_empty() {
                    out.push_str(" <span class=\"nb-caption-text\">");
                    push_rich_text(out, &m.caption, self.ctx);
                    out.push_str("</span>");
                }
                out.push_str("</figcaption></figure>");
            }
            _ => self.file(out, m),
        }
    }

    fn file(&self, out: &mut String, m: &Media) {
        let (href, name, bytes, local) = match &m.source {
            FileSource::Notion { url, .. } => match self.baked(url, "file") {
                Some(asset) => (
                    self.ctx.asset_url(&asset.path),
                    display_name(Some(asset), m, url),
                    Some(asset.bytes),
                    true,
                ),
                None => return self.missing(out, "file"),
            },
            FileSource::External { url } => match self.external(url, "file") {
                Some(href) => (href, display_name(None, m, url), None, false),
                None => return self.missing(out, "file"),
            },
            _ => return self.omitted(out, "file without a readable source"),
        };
        out.push_str("<div class=\"nb-file\">");
        push_download(out, &href, &name, bytes, local);
        if !m.caption.is_empty() {
            out.push_str("<div class=\"nb-file-caption\">");
            push_rich_text(out, &m.caption, self.ctx);
            out.push_str("</div>");
        }
        out.push_str("</div>");
    }

    fn bookmark(&self, out: &mut String, url: &str, caption: &[crate::notion::model::RichText]) {
        out.push_str("<figure class=\"nb-bookmark\">");
        match self.ctx.links.resolve_url(url) {
            Resolved::Page(page) => push_link_card(out, &page.url, &page.title, &page.url),
            _ => match link_href(url, self.ctx) {
                Some(href) => push_link_card(out, &href, &link_title(url), url),
                None => {
                    out.push_str("<p class=\"nb-bookmark-card\">");
                    push_text(out, url);
                    out.push_str("</p>");
                }
            },
        }
        self.caption(out, caption);
        out.push_str("</figure>");
    }

    fn embed(&self, out: &mut String, url: &str, caption: &[crate::notion::model::RichText]) {
        match embed_src(url) {
            Some(embed) => {
                out.push_str("<figure class=\"nb-embed nb-embed-");
                out.push_str(embed.provider);
                out.push_str("\">");
                push_iframe(out, &embed, embed.title);
                self.caption(out, caption);
                out.push_str("</figure>");
            }
            None => self.bookmark(out, url, caption),
        }
    }

    fn link_preview(&self, out: &mut String, url: &str) {
        out.push_str("<p class=\"nb-link-preview\">");
        match link_href(url, self.ctx) {
            Some(href) => {
                out.push_str("<a href=\"");
                push_attr(out, &href);
                out.push_str("\">");
                push_text(out, url);
                out.push_str("</a>");
            }
            None => push_text(out, url),
        }
        out.push_str("</p>");
    }

    fn table(&self, out: &mut String, t: &Table, children: &[Block]) {
        let width = t.table_width.max(1) as usize;
        out.push_str("<div class=\"nb-table-wrap\"><table class=\"nb-table\">");
        let mut rows = children.iter().filter_map(|b| match &b.kind {
            BlockKind::TableRow { cells } => Some(cells),
            _ => None,
        });
        let push_row = |out: &mut String, cells: &Vec<Vec<_>>, header: bool| {
            out.push_str("<tr>");
            for i in 0..width.max(cells.len()) {
                let (open, close) = if header {
                    ("<th scope=\"col\">", "</th>")
                } else if i == 0 && t.has_row_header {
                    ("<th scope=\"row\">", "</th>")
                } else {
                    ("<td>", "</td>")
                };
                out.push_str(open);
                if let Some(cell) = cells.get(i) {
                    push_rich_text(out, cell, self.ctx);
                }
                out.push_str(close);
            }
            out.push_str("</tr>");
        };
        if t.has_column_header
            && let Some(first) = rows.next()
        {
            out.push_str("<thead>");
            push_row(out, first, true);
            out.push_str("</thead>");
        }
        out.push_str("<tbody>");
        for row in rows {
            push_row(out, row, false);
        }
        out.push_str("</tbody></table></div>");
    }

    fn column_list(&self, out: &mut String, children: &[Block]) {
        let columns = children
            .iter()
            .filter(|c| matches!(c.kind, BlockKind::Column { .. }))
            .count()
            .max(1);
        out.push_str("<div class=\"nb-columns\">");
        for child in children {
            match child.kind {
                BlockKind::Column { width_ratio } => {
                    let ratio = width_ratio
                        .filter(|r| r.is_finite() && *r > 0.0)
                        .unwrap_or(1.0 / columns as f64)
                        .clamp(0.01, 1.0);
                    let previous = self.ctx.set_block(&child.id);
                    let _ = write!(
                        out,
                        "<div class=\"nb-column\" style=\"--nb-col:{ratio:.4}\">"
                    );
                    self.blocks(out, &child.children);
                    out.push_str("</div>");
                    self.ctx.restore_block(previous);
                }
                _ => self.block(out, child),
            }
        }
        out.push_str("</div>");
    }

    fn child_page(&self, out: &mut String, id: &str, title: &str) {
        match self.ctx.links.page(id) {
            Some(page) => {
                out.push_str("<p class=\"nb-child-page\"><a class=\"nb-page-link\" href=\"");
                push_attr(out, &page.url);
                out.push_str("\">");
                push_text(
                    out,
                    if page.title.is_empty() {
                        title
                    } else {
                        &page.title
                    },
                );
                out.push_str("</a></p>");
            }
            None => {
                self.ctx.warn(format!(
                    "child page \"{title}\" is not part of the site: shown as plain text"
                ));
                out.push_str("<p class=\"nb-child-page nb-private\">");
                push_text(out, title);
                out.push_str("</p>");
            }
        }
    }

    fn child_database(&self, out: &mut String, id: &str, title: &str) {
        let database = self.ctx.links.database(id);
        out.push_str("<section class=\"nb-child-database\"><p class=\"nb-child-database-title\">");
        match database.and_then(|d| d.url.as_ref()) {
            Some(url) => {
                out.push_str("<a href=\"");
                push_attr(out, url);
                out.push_str("\">");
                push_text(out, title);
                out.push_str("</a>");
            }
            None => push_text(out, title),
        }
        out.push_str("</p>");
        if let Some(database) = database.filter(|d| !d.pages.is_empty()) {
            out.push_str("<ul class=\"nb-page-list\">");
            for page in &database.pages {
                out.push_str("<li><a class=\"nb-page-link\" href=\"");
                push_attr(out, &page.url);
                out.push_str("\">");
                push_text(out, &page.title);
                out.push_str("</a></li>");
            }
            out.push_str("</ul>");
        }
        out.push_str("</section>");
    }

    fn link_to_page(&self, out: &mut String, target: &LinkTarget) {
        let (link, id) = match target {
            LinkTarget::Page(id) => (
                self.ctx
                    .links
                    .page(id)
                    .map(|p| (p.url.as_str(), p.title.as_str())),
                id,
            ),
            LinkTarget::Database(id) => (
                self.ctx
                    .links
                    .database(id)
                    .and_then(|d| d.url.as_deref().map(|u| (u, d.title.as_str()))),
                id,
            ),
            LinkTarget::Other { type_name } => {
                return self.omitted(out, &format!("link_to_page of type \"{type_name}\""));
            }
        };
        match link {
            Some((url, title)) => {
                out.push_str("<p class=\"nb-link-to-page\"><a class=\"nb-page-link\" href=\"");
                push_attr(out, url);
                out.push_str("\">");
                push_text(out, title);
                out.push_str("</a></p>");
            }
            None => {
                self.ctx.warn(format!(
                    "link to Notion page {id}, which is not part of the site, left out"
                ));
                out.push_str("<!-- notion-bake: link to a page outside the site omitted -->");
            }
        }
    }

    /// Tabs without JavaScript: one `<details>` per tab, the first open.
    fn tabs(&self, out: &mut String, children: &[Block]) {
        out.push_str("<div class=\"nb-tabs\">");
        for (i, tab) in children.iter().enumerate() {
            let previous = self.ctx.set_block(&tab.id);
            match &tab.kind {
                BlockKind::Paragraph(label) => {
                    out.push_str(if i == 0 {
                        "<details class=\"nb-tab\" open><summary>"
                    } else {
                        "<details class=\"nb-tab\"><summary>"
                    });
                    if let Some(icon) = &label.icon {
                        out.push_str(&icon_html(icon, self.ctx, "nb-tab-icon"));
                    }
                    push_rich_text(out, &label.rich_text, self.ctx);
                    out.push_str("</summary><div class=\"nb-toggle-body\">");
                    self.blocks(out, &tab.children);
                    out.push_str("</div></details>");
                }
                _ => self.block(out, tab),
            }
            self.ctx.restore_block(previous);
        }
        out.push_str("</div>");
    }
}

fn push_toc(out: &mut String, entries: &[TocEntry]) {
    out.push_str("<ol>");
    for entry in entries {
        out.push_str("<li><a href=\"#");
        push_attr(out, &entry.id);
        out.push_str("\">");
        push_text(out, &entry.title);
        out.push_str("</a>");
        if !entry.children.is_empty() {
            push_toc(out, &entry.children);
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>");
}

fn push_download(out: &mut String, href: &str, name: &str, bytes: Option<u64>, local: bool) {
    out.push_str("<a class=\"nb-file-link\" href=\"");
    push_attr(out, href);
    out.push('"');
    if local {
        out.push_str(" download");
    }
    out.push_str("><span class=\"nb-file-name\">");
    push_text(out, name);
    out.push_str("</span></a>");
    if let Some(bytes) = bytes {
        out.push_str(" <span class=\"nb-file-size\">");
        out.push_str(&human_size(bytes));
        out.push_str("</span>");
    }
}

/// The name a file is shown under: its name in Notion, the baked file's, or the URL's last segment.
fn display_name(asset: Option<&Asset>, m: &Media, url: &str) -> String {
    m.name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .or_else(|| asset.map(|a| a.name.clone()).filter(|n| !n.is_empty()))
        .unwrap_or_else(|| {
            let path = url.split(['?', '#']).next().unwrap_or(url);
            let last = path
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or(path);
            if last.is_empty() {
                url.to_owned()
            } else {
                last.to_owned()
            }
        })
}

/// A short title for a link card: `host/path` without the scheme.
fn link_title(url: &str) -> String {
    match url::Url::parse(url.trim()) {
        Ok(parsed) if parsed.host_str().is_some() => {
            let host = parsed.host_str().unwrap_or_default();
            let host = host.strip_prefix("www.").unwrap_or(host);
            let path = parsed.path().trim_end_matches('/');
            let title = format!("{host}{path}");
            if title.chars().count() > 80 {
                title.chars().take(77).collect::<String>() + "…"
            } else {
                title
            }
        }
        _ => url.to_owned(),
    }
}

fn push_link_card(out: &mut String, href: &str, title: &str, shown_url: &str) {
    out.push_str("<a class=\"nb-bookmark-card\" href=\"");
    push_attr(out, href);
    out.push_str("\"><span class=\"nb-bookmark-title\">");
    push_text(out, title);
    out.push_str("</span><span class=\"nb-bookmark-url\">");
    push_text(out, shown_url);
    out.push_str("</span></a>");
}

/// An iframe we build ourselves from a recognised provider URL.
pub(crate) struct Embed {
    pub provider: &'static str,
    pub title: &'static str,
    pub src: String,
    /// Width / height, for the aspect-ratio box.
    pub ratio: Option<(u32, u32)>,
}

fn push_iframe(out: &mut String, embed: &Embed, title: &str) {
    out.push_str("<div class=\"nb-embed-frame\"");
    if let Some((w, h)) = embed.ratio {
        let _ = write!(out, " style=\"aspect-ratio:{w}/{h}\"");
    }
    out.push_str("><iframe src=\"");
    push_attr(out, &embed.src);
    out.push_str("\" title=\"");
    push_attr(out, title);
    out.push_str("\" loading=\"lazy\" sandbox=\"");
    out.push_str(IFRAME_SANDBOX);
    out.push_str(
        "\" allow=\"encrypted-media; fullscreen; picture-in-picture\" referrerpolicy=\"strict-origin-when-cross-origin\"></iframe></div>",
    );
}

/// The sandbox of every iframe we build. The players (YouTube, Vimeo, …) need their own origin
/// for storage (`allow-same-origin`) and scripts; the combination is only an escape risk for a
/// frame *on the page's own origin*, and our iframes only ever load fixed https hosts of known
/// providers, never the site itself. No forms, no top navigation, no modals.
pub const IFRAME_SANDBOX: &str = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation";

fn is_id(s: &str, min: usize, max: usize, extra: &[char]) -> bool {
    (min..=max).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
}

/// A YouTube or Vimeo URL → its privacy-friendly player.
pub(crate) fn video_embed(url: &str) -> Option<Embed> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    let host = parsed.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let host = host.strip_prefix("m.").unwrap_or(host);
    let segments: Vec<&str> = parsed.path_segments()?.filter(|s| !s.is_empty()).collect();
    let query = |key: &str| {
        parsed
            .query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    };
    match host {
        "youtube.com" | "youtube-nocookie.com" | "youtu.be" => {
            let id = match (host, segments.as_slice()) {
                ("youtu.be", [id, ..]) => (*id).to_owned(),
                (_, ["watch"]) => query("v")?,
                (_, ["embed" | "shorts" | "live" | "v", id, ..]) => (*id).to_owned(),
                _ => return None,
            };
            if !is_id(&id, 6, 20, &['-', '_']) {
                return None;
            }
            let start: Option<u32> = query("t")
                .or_else(|| query("start"))
                .and_then(|t| t.trim_end_matches('s').parse().ok());
            let mut src = format!("https://www.youtube-nocookie.com/embed/{id}");
            if let Some(start) = start {
                let _ = write!(src, "?start={start}");
            }
            Some(Embed {
                provider: "youtube",
                title: "YouTube video",
                src,
                ratio: Some((16, 9)),
            })
        }
        "vimeo.com" | "player.vimeo.com" => {
            let id = segments
                .iter()
                .rev()
                .find(|s| s.bytes().all(|b| b.is_ascii_digit()))?;
            Some(Embed {
                provider: "vimeo",
                title: "Vimeo video",
                src: format!("https://player.vimeo.com/video/{id}?dnt=1"),
                ratio: Some((16, 9)),
            })
        }
        _ => None,
    }
}

/// The iframe for an `embed` block from a known provider; `None` for anything else.
pub(crate) fn embed_src(url: &str) -> Option<Embed> {
    if let Some(video) = video_embed(url) {
        return Some(video);
    }
    let parsed = url::Url::parse(url.trim()).ok()?;
    if parsed.scheme() != "https" {
        return None;
    }
    let host = parsed.host_str()?.to_ascii_lowercase();
    let segments: Vec<&str> = parsed.path_segments()?.filter(|s| !s.is_empty()).collect();
    match (host.as_str(), segments.as_slice()) {
        (
            "open.spotify.com",
            [
                kind @ ("track" | "album" | "playlist" | "episode" | "show"),
                id,
                ..,
            ],
        ) if is_id(id, 10, 40, &[]) => Some(Embed {
            provider: "spotify",
            title: "Spotify player",
            src: format!("https://open.spotify.com/embed/{kind}/{id}"),
            ratio: None,
        }),
        ("codepen.io", [user, "pen" | "embed", id, ..])
            if is_id(user, 1, 64, &['-', '_']) && is_id(id, 3, 20, &[]) =>
        {
            Some(Embed {
                provider: "codepen",
                title: "CodePen",
                src: format!("https://codepen.io/{user}/embed/{id}?default-tab=result"),
                ratio: Some((4, 3)),
            })
        }
        ("www.loom.com" | "loom.com", ["share" | "embed", id, ..]) if is_id(id, 10, 64, &[]) => {
            Some(Embed {
                provider: "loom",
                title: "Loom video",
                src: format!("https://www.loom.com/embed/{id}"),
                ratio: Some((16, 9)),
            })
        }
        _ => None,
    }
}

/// `<picture>` with a WebP `<source>` and a sized, lazy `<img>` for a baked image.
pub fn picture_html(asset: &Asset, alt: &str, ctx: &RenderContext<'_>, sizes: &str) -> String {
    let src = ctx.asset_url(&asset.path);
    let mut out = String::with_capacity(512);
    let Some(info) = &asset.image else {
        let _ = write!(
            out,
            "<img src=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">",
            escape_attr(&src),
            escape_attr(alt)
        );
        return out;
    };
    let srcset = |format: VariantFormat| {
        info.variants_in(format)
            .map(|v| format!("{} {}w", ctx.asset_url(&v.path), v.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let webp = if asset.mime == "image/webp" {
        String::new()
    } else {
        srcset(VariantFormat::Webp)
    };
    let original = match asset.mime.as_str() {
        "image/jpeg" => Some(VariantFormat::Jpeg),
        "image/png" => Some(VariantFormat::Png),
        "image/webp" => Some(VariantFormat::Webp),
        "image/gif" => Some(VariantFormat::Gif),
        _ => None,
    };
    let mut fallback = original.map(srcset).unwrap_or_default();
    if !fallback.is_empty() {
        let widest = original
            .and_then(|f| info.variants_in(f).map(|v| v.width).max())
            .unwrap_or(0);
        if widest < info.width {
            let _ = write!(fallback, ", {src} {}w", info.width);
        }
    }
    out.push_str("<picture>");
    if !webp.is_empty() && !info.animated {
        let _ = write!(
            out,
            "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">",
            escape_attr(&webp),
            escape_attr(sizes)
        );
    }
    let _ = write!(out, "<img src=\"{}\"", escape_attr(&src));
    if !fallback.is_empty() {
        let _ = write!(
            out,
            " srcset=\"{}\" sizes=\"{}\"",
            escape_attr(&fallback),
            escape_attr(sizes)
        );
    }
    let _ = write!(
        out,
        " width=\"{}\" height=\"{}\" loading=\"lazy\" decoding=\"async\" alt=\"{}\"></picture>",
        info.width,
        info.height,
        escape_attr(alt)
    );
    out
}

/// A page or callout icon as inline HTML: an emoji, or an image (baked, or the external URL).
pub fn icon_html(icon: &Icon, ctx: &RenderContext<'_>, class: &str) -> String {
    let img = |src: &str, alt: &str| {
        format!(
            "<img class=\"{class}\" src=\"{}\" alt=\"{}\" width=\"24\" height=\"24\" decoding=\"async\">",
            escape_attr(src),
            escape_attr(alt)
        )
    };
    match icon {
        Icon::Emoji(emoji) => {
            let mut out = format!("<span class=\"{class}\" aria-hidden=\"true\">");
            push_text(&mut out, emoji);
            out.push_str("</span>");
            out
        }
        Icon::CustomEmoji { name, url, .. } => match ctx.assets.get(url) {
            Some(asset) => img(&ctx.asset_url(&asset.path), name),
            None => safe_href(url).map_or_else(String::new, |src| img(&src, name)),
        },
        Icon::File(FileSource::Notion { url, .. }) => match ctx.assets.get(url) {
            Some(asset) => img(&ctx.asset_url(&asset.path), ""),
            None => {
                ctx.warn("Notion-hosted icon was not baked; left out");
                String::new()
            }
        },
        Icon::File(FileSource::External { url }) => {
            safe_href(url).map_or_else(String::new, |src| img(&src, ""))
        }
        _ => String::new(),
    }
}
