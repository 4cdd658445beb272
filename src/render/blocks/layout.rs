//! Layout blocks: tables, columns, tabs, and the blocks that point at other pages.

use std::fmt::Write as _;

use crate::notion::model::{Block, BlockKind, LinkTarget, Table};
use crate::render::html::{push_attr, push_text};
use crate::render::picture::icon_html;
use crate::render::rich_text::push_rich_text;

use super::Renderer;

impl Renderer<'_, '_> {
    pub(super) fn table(&self, out: &mut String, t: &Table, children: &[Block]) {
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

    pub(super) fn column_list(&self, out: &mut String, children: &[Block]) {
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

    /// Tabs without JavaScript: one `<details>` per tab, the first open.
    pub(super) fn tabs(&self, out: &mut String, children: &[Block]) {
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
                        out.push_str(&icon_html(icon, self.ctx, "nb-tab-icon", 24));
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

    pub(super) fn child_page(&self, out: &mut String, id: &str, title: &str) {
        match self.ctx.links.page(id) {
            Some(page) => {
                out.push_str("<p class=\"nb-child-page\"><a class=\"nb-page-link\" href=\"");
                push_attr(out, &self.ctx.page_url(page));
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

    pub(super) fn child_database(&self, out: &mut String, id: &str, title: &str) {
        if let Some(html) = self
            .ctx
            .databases
            .and_then(|d| d.database_html(id, title, self.ctx))
        {
            out.push_str(&html);
            return;
        }
        let database = self.ctx.links.database(id);
        out.push_str("<section class=\"nb-child-database\"><p class=\"nb-child-database-title\">");
        match database.and_then(|d| d.path.as_deref()) {
            Some(path) => {
                out.push_str("<a href=\"");
                push_attr(out, &self.ctx.urls.page(path));
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
                push_attr(out, &self.ctx.page_url(page));
                out.push_str("\">");
                push_text(out, &page.title);
                out.push_str("</a></li>");
            }
            out.push_str("</ul>");
        }
        out.push_str("</section>");
    }

    pub(super) fn link_to_page(&self, out: &mut String, target: &LinkTarget) {
        let (link, id) = match target {
            LinkTarget::Page(id) => (
                self.ctx
                    .links
                    .page(id)
                    .map(|p| (self.ctx.page_url(p), p.title.as_str())),
                id,
            ),
            LinkTarget::Database(id) => {
                // A database the site shows inside this page, in its view.
                if let Some(database) = self.ctx.links.database(id).filter(|d| d.path.is_none()) {
                    return self.child_database(out, id, &database.title.clone());
                }
                (
                    self.ctx.links.database(id).and_then(|d| {
                        d.path
                            .as_deref()
                            .map(|p| (self.ctx.urls.page(p), d.title.as_str()))
                    }),
                    id,
                )
            }
            LinkTarget::Other { type_name } => {
                return self.omitted(out, &format!("link_to_page of type \"{type_name}\""));
            }
        };
        match link {
            Some((url, title)) => {
                out.push_str("<p class=\"nb-link-to-page\"><a class=\"nb-page-link\" href=\"");
                push_attr(out, &url);
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
}
