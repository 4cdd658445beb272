//! Block trees → Markdown for another generator: CommonMark + GFM where Markdown can carry the
//! block, and an HTML *island* (the same safe HTML `build` renders) where it cannot: colours,
//! callouts, toggles, columns, tables with row headers, equations as MathML, embeds, media.
//! Each target says how islands and links are spelt ([`Flavor`]): Hugo wraps islands in the
//! shortcodes it ships, because Hugo omits raw HTML by default.

use std::fmt::Write as _;

use crate::notion::model::{Block, BlockKind, LinkTarget, Mention, RichText, RichTextContent};
use crate::render::{CellPart, RenderContext, render_blocks, render_rich_text};
use crate::site::Resolved;

/// How a target spells what plain Markdown cannot.
pub(crate) trait Flavor: Sync {
    /// A block of HTML, `kind` naming what it is (`callout`, `image`, `columns`, …).
    fn island(&self, kind: &str, html: &str) -> String;
    /// A run of inline HTML inside a paragraph.
    fn inline(&self, html: &str) -> String;
    /// The Markdown link destination of a page of the site, given by its site path.
    fn page_link(&self, path: &str) -> String;
    /// The line that ends a page's summary (Zola's `<!-- more -->`), written after the first
    /// paragraph of text, or nothing for targets that read summaries elsewhere.
    fn summary_break(&self) -> Option<&'static str> {
        None
    }
}

/// Whether code holds what a generator's template syntax could read as its own: `{{` and `{%`
/// open Liquid (Jekyll, Eleventy), Hugo's and Zola's shortcodes and mdBook's `{{#include}}`,
/// and all of them expand those even inside code blocks and spans. Such code is written as an
/// HTML island instead, where the braces are entities and stay text.
fn template_like(code: &str) -> bool {
    code.contains("{{") || code.contains("{%")
}

/// Converts a page's blocks; warnings go to `ctx` like a build's.
pub(crate) fn page_markdown(
    blocks: &[Block],
    ctx: &RenderContext<'_>,
    flavor: &dyn Flavor,
) -> String {
    let mut writer = Writer {
        ctx,
        flavor,
        top_heading: top_heading(blocks).unwrap_or(1),
    };
    let mut out = String::new();
    let first_paragraph = blocks.iter().position(|b| {
        !b.in_trash && matches!(&b.kind, BlockKind::Paragraph(t) if !t.rich_text.is_empty())
    });
    match (flavor.summary_break(), first_paragraph) {
        (Some(marker), Some(i)) if i + 1 < blocks.len() => {
            writer.blocks(&mut out, &blocks[..=i], "");
            out.push('\n');
            out.push_str(marker);
            out.push_str("\n\n");
            writer.blocks(&mut out, &blocks[i + 1..], "");
        }
        _ => writer.blocks(&mut out, blocks, ""),
    }
    let trimmed = out.trim_end();
    let mut text = trimmed.to_owned();
    text.push('\n');
    text
}

struct Writer<'a, 'c> {
    ctx: &'a RenderContext<'c>,
    flavor: &'a dyn Flavor,
    /// The page's highest Notion heading level: it becomes `##` (the title is `#`), as in the
    /// HTML build.
    top_heading: u8,
}

fn top_heading(blocks: &[Block]) -> Option<u8> {
    blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Heading { level, .. } => Some(*level),
            _ => crate::deep::grow(|| top_heading(&b.children)),
        })
        .min()
}

/// Whether Markdown alone can carry a block (its children are checked as they are written).
fn plain_color(block: &Block) -> bool {
    match &block.kind {
        BlockKind::Paragraph(t) | BlockKind::Quote(t) | BlockKind::BulletedListItem(t) => {
            t.color.is_default()
        }
        BlockKind::NumberedListItem(t) => t.color.is_default(),
        BlockKind::ToDo(t) => t.color.is_default(),
        BlockKind::Heading { text, .. } => text.color.is_default() && !text.is_toggleable,
        _ => true,
    }
}

impl Writer<'_, '_> {
    /// Writes blocks, each line prefixed by `indent` (inside list items and quotes).
    fn blocks(&mut self, out: &mut String, blocks: &[Block], indent: &str) {
        // Blocks nest to any depth: each level may need a fresh stack segment.
        crate::deep::grow(|| self.blocks_here(out, blocks, indent))
    }

    fn blocks_here(&mut self, out: &mut String, blocks: &[Block], indent: &str) {
        let mut previous_list: Option<&'static str> = None;
        let mut first = true;
        for block in blocks.iter().filter(|b| !b.in_trash) {
            let previous = self.ctx.set_block(&block.id);
            let mut text = String::new();
            self.block(&mut text, block, indent);
            self.ctx.restore_block(previous);
            if text.is_empty() {
                continue;
            }
            let list = list_marker_kind(block);
            // Blocks are separated by a blank line, except items of one list.
            if !(first || list.is_some() && list == previous_list) {
                out.push_str(indent.trim_end());
                out.push('\n');
            }
            first = false;
            previous_list = list;
            out.push_str(&text);
        }
    }

    fn block(&mut self, out: &mut String, block: &Block, indent: &str) {
        if !plain_color(block) {
            return self.island(out, block, indent, "html");
        }
        match &block.kind {
            BlockKind::Paragraph(t) => {
                if t.rich_text.is_empty() {
                    // An empty paragraph is spacing in Notion; nothing in Markdown.
                    return;
                }
                self.line(out, indent, &self.inline(&t.rich_text));
                self.children(out, &block.children, indent);
            }
            BlockKind::Heading { level, text } => {
                // The page title is the `#` heading; Notion's levels start one below it.
                let depth = level.saturating_sub(self.top_heading).min(4) + 2;
                let hashes = "#".repeat(usize::from(depth));
                self.line(
                    out,
                    indent,
                    &format!("{hashes} {}", self.inline(&text.rich_text)),
                );
                self.children(out, &block.children, indent);
            }
            BlockKind::BulletedListItem(t) => {
                self.list_item(out, indent, "- ", &t.rich_text, &block.children)
            }
            BlockKind::NumberedListItem(t) => {
                let start = t.list_start_index.unwrap_or(1);
                let marker = format!("{start}. ");
                self.list_item(out, indent, &marker, &t.rich_text, &block.children)
            }
            BlockKind::ToDo(t) => {
                let marker = if t.checked { "- [x] " } else { "- [ ] " };
                self.list_item(out, indent, marker, &t.rich_text, &block.children)
            }
            BlockKind::Quote(t) => {
                let quoted = format!("{indent}> ");
                self.line(out, &quoted, &self.inline(&t.rich_text));
                if !block.children.is_empty() {
                    out.push_str(quoted.trim_end());
                    out.push('\n');
                    self.blocks(out, &block.children, &quoted);
                }
            }
            BlockKind::Code(code)
                if template_like(&crate::notion::model::plain_text(&code.rich_text)) =>
            {
                self.island(out, block, indent, "html")
            }
            BlockKind::Code(code) => self.code(out, indent, code),
            BlockKind::Divider => self.line(out, indent, "---"),
            BlockKind::Bookmark(link) => self.link_line(out, indent, &link.url),
            BlockKind::LinkPreview { url } => self.link_line(out, indent, url),
            BlockKind::ChildPage { title } => match self.ctx.links.page(&block.id) {
                Some(page) => {
                    let line = self.markdown_link(&escape(title), &page.path);
                    self.line(out, indent, &line)
                }
                None => self.line(out, indent, &escape(title)),
            },
            BlockKind::LinkToPage(LinkTarget::Page(id)) => match self.ctx.links.page(id) {
                Some(page) => {
                    let line = self.markdown_link(&escape(&page.title), &page.path);
                    self.line(out, indent, &line)
                }
                // The block renderer warns about pages outside the site.
                None => self.island(out, block, indent, "html"),
            },
            BlockKind::ChildDatabase { .. } => self.database(out, block, indent, &block.id),
            BlockKind::LinkToPage(LinkTarget::Database(id)) => {
                self.database(out, block, indent, id)
            }
            BlockKind::Table(table)
                if table.has_column_header
                    && !table.has_row_header
                    && !block.children.is_empty() =>
            {
                self.table(out, indent, &block.children)
            }
            // A synced block shows its content where it stands.
            BlockKind::SyncedBlock { .. } | BlockKind::Column { .. } => {
                self.blocks(out, &block.children, indent)
            }
            // The other generators make their own outlines and breadcrumbs.
            BlockKind::TableOfContents { .. } | BlockKind::Breadcrumb => {}
            BlockKind::Image(_) => self.island(out, block, indent, "image"),
            BlockKind::Callout(_) => self.island(out, block, indent, "callout"),
            BlockKind::Toggle(_) => self.island(out, block, indent, "toggle"),
            BlockKind::ColumnList => self.island(out, block, indent, "columns"),
            BlockKind::Embed(_) | BlockKind::Video(_) => self.island(out, block, indent, "embed"),
            _ => self.island(out, block, indent, "html"),
        }
    }

    /// The block as the HTML `build` renders, in the flavor's island.
    fn island(&self, out: &mut String, block: &Block, indent: &str, kind: &str) {
        let html = render_blocks(std::slice::from_ref(block), self.ctx);
        if html.trim().is_empty() || html.trim_start().starts_with("<!--") {
            // Left out (the renderer said why in a warning); comments are not content.
            return;
        }
        let island = self.flavor.island(kind, &html);
        for line in island.lines() {
            self.line(out, indent, line);
        }
    }

    fn children(&mut self, out: &mut String, children: &[Block], indent: &str) {
        if !children.is_empty() {
            out.push_str(indent.trim_end());
            out.push('\n');
            self.blocks(out, children, indent);
        }
    }

    fn list_item(
        &mut self,
        out: &mut String,
        indent: &str,
        marker: &str,
        text: &[RichText],
        children: &[Block],
    ) {
        self.line(out, indent, &format!("{marker}{}", self.inline(text)));
        if !children.is_empty() {
            // Continuation lines line up with the item's text after its marker (`- `, `1. `).
            let width = if marker.starts_with('-') {
                2
            } else {
                marker.len()
            };
            let nested = format!("{indent}{}", " ".repeat(width));
            out.push_str(nested.trim_end());
            out.push('\n');
            self.blocks(out, children, &nested);
        }
    }

    fn code(&self, out: &mut String, indent: &str, code: &crate::notion::model::Code) {
        let source = crate::notion::model::plain_text(&code.rich_text);
        let longest_run = source.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest_run.max(2) + 1);
        let language = crate::render::code::language_class(&code.language);
        let language = if language == "plain-text" {
            String::new()
        } else {
            language
        };
        self.line(out, indent, &format!("{fence}{language}"));
        for line in source.lines() {
            self.line(out, indent, line);
        }
        self.line(out, indent, &fence);
        if !code.caption.is_empty() {
            out.push_str(indent.trim_end());
            out.push('\n');
            self.line(out, indent, &format!("_{}_", self.inline(&code.caption)));
        }
    }

    fn link_line(&self, out: &mut String, indent: &str, url: &str) {
        let line = match self.ctx.links.resolve_url(url) {
            // Exported pages carry no block anchors: a link to a block goes to its page.
            Resolved::Page(page) | Resolved::Block(page, _) => {
                self.markdown_link(&escape(&page.title), &page.path)
            }
            _ => match crate::render::html::safe_href(url) {
                Some(href) => format!("[{}]({})", escape(url), link_destination(&href)),
                None => escape(url),
            },
        };
        self.line(out, indent, &line);
    }

    /// A GFM table: the first row is the header.
    fn table(&self, out: &mut String, indent: &str, rows: &[Block]) {
        let rows: Vec<&Vec<Vec<RichText>>> = rows
            .iter()
            .filter_map(|row| match &row.kind {
                BlockKind::TableRow { cells } => Some(cells),
                _ => None,
            })
            .collect();
        let width = rows.iter().map(|r| r.len()).max().unwrap_or(1).max(1);
        for (i, row) in rows.iter().enumerate() {
            let cells: Vec<String> = (0..width)
                .map(|c| {
                    row.get(c)
                        .map(|cell| self.inline(cell).replace('|', "\\|").replace('\n', " "))
                        .unwrap_or_default()
                })
                .collect();
            self.line(out, indent, &format!("| {} |", cells.join(" | ")));
            if i == 0 {
                self.line(out, indent, &format!("|{}", " --- |".repeat(width)));
            }
        }
    }

    /// A database inside the page: its view as a GFM table (title, then the shown
    /// properties), each row's title linking to its page; a gallery, a database shown as links
    /// and one the integration cannot read as the HTML island `build` renders.
    fn database(&self, out: &mut String, block: &Block, indent: &str, id: &str) {
        let table = self
            .ctx
            .databases
            .and_then(|d| d.database_table(id, self.ctx));
        let Some(table) = table else {
            return self.island(out, block, indent, "html");
        };
        // A cell is one line, and `|` ends it even inside a link's destination.
        let cell = |text: &str| escape(text).replace('\n', " ");
        let link = |text: &str, url: &str| {
            let url = url.replace('|', "%7C");
            format!("[{}]({})", cell(text), link_destination(&url))
        };
        let mut lines = Vec::new();
        if !table.title.trim().is_empty() {
            lines.push(format!("**{}**", cell(&table.title)));
            lines.push(String::new());
        }
        if let Some(note) = &table.note {
            lines.push(format!("_{}_", cell(note)));
            lines.push(String::new());
        }
        let header: Vec<String> = table.header.iter().map(|h| cell(h)).collect();
        lines.push(format!("| {} |", header.join(" | ")));
        lines.push(format!("|{}", " --- |".repeat(header.len())));
        for row in &table.rows {
            let title = match &row.path {
                Some(path) => self
                    .markdown_link(&cell(&row.title), path)
                    .replace('\n', " "),
                None => cell(&row.title),
            };
            let cells = row.cells.iter().map(|parts| {
                let parts: Vec<String> = parts
                    .iter()
                    .map(|part| match part {
                        CellPart::Text(text) => cell(text),
                        CellPart::Link { text, url } => link(text, url),
                    })
                    .collect();
                parts.join(", ")
            });
            let cells: Vec<String> = std::iter::once(title).chain(cells).collect();
            lines.push(format!("| {} |", cells.join(" | ")));
        }
        for line in lines {
            self.line(out, indent, &line);
        }
    }

    fn line(&self, out: &mut String, indent: &str, text: &str) {
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 || !line.is_empty() {
                out.push_str(indent);
            } else {
                out.push_str(indent.trim_end());
            }
            out.push_str(line);
            out.push('\n');
        }
    }

    fn markdown_link(&self, text: &str, path: &str) -> String {
        format!("[{text}]({})", self.flavor.page_link(path))
    }

    /// Rich text as inline Markdown; what Markdown cannot say (colours, underline, equations,
    /// mentions other than pages) as inline HTML.
    fn inline(&self, runs: &[RichText]) -> String {
        let mut out = String::new();
        for run in runs {
            self.run(&mut out, run);
        }
        out
    }

    fn run(&self, out: &mut String, run: &RichText) {
        let a = &run.annotations;
        match &run.content {
            RichTextContent::Text { content, link }
                if !a.underline && a.color.is_default() && !(a.code && template_like(content)) =>
            {
                let href = link.as_deref().or(run.href.as_deref());
                let text = if a.code {
                    code_span(content)
                } else {
                    escape(content).replace('\n', "\\\n")
                };
                let styled = emphasis(&text, a.bold, a.italic, a.strikethrough && !a.code);
                match href.map(|url| self.ctx.links.resolve_url(url)) {
                    Some(Resolved::Page(page) | Resolved::Block(page, _)) => {
                        out.push_str(&self.markdown_link(&styled, &page.path))
                    }
                    Some(Resolved::External) => {
                        match href.and_then(crate::render::html::safe_href) {
                            Some(href) => {
                                let _ = write!(out, "[{styled}]({})", link_destination(&href));
                            }
                            None => {
                                // The same warning a build gives.
                                crate::render::rich_text::link_href(
                                    href.unwrap_or_default(),
                                    self.ctx,
                                );
                                out.push_str(&styled);
                            }
                        }
                    }
                    Some(Resolved::PrivateNotion(_)) => {
                        // The same href (a public notion.site page) or warning a build gives.
                        match crate::render::rich_text::link_href(
                            href.unwrap_or_default(),
                            self.ctx,
                        ) {
                            Some(href) => {
                                let _ = write!(out, "[{styled}]({})", link_destination(&href));
                            }
                            None => out.push_str(&styled),
                        }
                    }
                    None => out.push_str(&styled),
                }
            }
            RichTextContent::Mention(Mention::Page { id }) if a.color.is_default() => {
                match self.ctx.links.page(id) {
                    Some(page) => {
                        let title = if page.title.is_empty() {
                            &run.plain_text
                        } else {
                            &page.title
                        };
                        out.push_str(&self.markdown_link(&escape(title), &page.path));
                    }
                    None => out.push_str(
                        &self
                            .flavor
                            .inline(&render_rich_text(std::slice::from_ref(run), self.ctx)),
                    ),
                }
            }
            _ => {
                let html = render_rich_text(std::slice::from_ref(run), self.ctx);
                out.push_str(&self.flavor.inline(&html));
            }
        }
    }
}

/// The list a block belongs to, so items of one list are not split by blank lines.
fn list_marker_kind(block: &Block) -> Option<&'static str> {
    match block.kind {
        BlockKind::BulletedListItem(_) => Some("-"),
        BlockKind::NumberedListItem(_) => Some("1."),
        BlockKind::ToDo(_) => Some("[ ]"),
        _ => None,
    }
}

/// `**bold**`, `_italic_`, `~~struck~~` around `text`, with its outer spaces kept outside the
/// markers (CommonMark does not close `** bold**`).
fn emphasis(text: &str, bold: bool, italic: bool, strike: bool) -> String {
    if !(bold || italic || strike) || text.trim().is_empty() {
        return text.to_owned();
    }
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len();
    let (lead, core, tail) = (&text[..start], &text[start..end], &text[end..]);
    let mut marked = core.to_owned();
    if strike {
        marked = format!("~~{marked}~~");
    }
    if italic {
        marked = format!("_{marked}_");
    }
    if bold {
        marked = format!("**{marked}**");
    }
    format!("{lead}{marked}{tail}")
}

/// Inline code with a fence longer than any run of backticks inside.
fn code_span(code: &str) -> String {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{code}{pad}{fence}")
}

/// A URL as a Markdown link destination: in angle brackets when it holds spaces or parentheses.
pub(crate) fn link_destination(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_owned()
    }
}

/// Text with Markdown's syntax characters escaped, and the two-character openers of the
/// generators' own template syntax (`{{`, `{%`) written as an entity, so text is only text.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut at_line_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~' | '|' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '{' if matches!(chars.peek(), Some('{' | '%')) => out.push_str("&#123;"),
            '#' | '+' | '-' | '=' if at_line_start => {
                out.push('\\');
                out.push(c);
            }
            '!' if chars.peek() == Some(&'[') => out.push_str("\\!"),
            _ => out.push(c),
        }
        at_line_start = c == '\n' || (at_line_start && c == ' ');
    }
    // `1. ` at the start would become a list.
    if let Some(dot) = out.find(". ")
        && out[..dot].chars().all(|c| c.is_ascii_digit())
        && dot > 0
    {
        out.insert(dot, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_only_text() {
        assert_eq!(
            escape("a *b* [c](d) <e> & {{ f }}"),
            "a \\*b\\* \\[c\\](d) \\<e\\> \\& &#123;{ f }}"
        );
        assert_eq!(escape("# not a heading"), "\\# not a heading");
        assert_eq!(escape("2026. A year"), "2026\\. A year");
        assert_eq!(escape("- not a list"), "\\- not a list");
    }

    #[test]
    fn emphasis_keeps_spaces_outside_its_markers() {
        assert_eq!(emphasis(" bold ", true, false, false), " **bold** ");
        assert_eq!(emphasis("both", true, true, false), "**_both_**");
        assert_eq!(emphasis("  ", true, false, false), "  ");
    }

    #[test]
    fn code_spans_outgrow_their_backticks() {
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
    }
}
