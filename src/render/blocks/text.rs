//! Text blocks: paragraphs, headings, toggles, quotes, callouts, code, equations, breadcrumbs
//! and tables of contents.

use std::fmt::Write as _;

use crate::notion::model::{Block, Callout, Code, Color, RichText, TextBlock, plain_text};
use crate::render::code::{language_class, language_name};
use crate::render::headings::TocEntry;
use crate::render::html::{escape_attr, push_attr, push_text, safe_href};
use crate::render::math::latex_to_mathml;
use crate::render::picture::icon_html;
use crate::render::rich_text::push_rich_text;

use super::{Renderer, push_class};

impl Renderer<'_, '_> {
    pub(super) fn paragraph(&self, out: &mut String, t: &TextBlock, children: &[Block]) {
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

    pub(super) fn heading(
        &self,
        out: &mut String,
        block: &Block,
        level: u8,
        text: &[RichText],
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
        if !toggleable && let Some(anchor) = self.ctx.claim_anchor(&block.id) {
            // The heading's id is its readable slug; the block's anchor rides inside it.
            let _ = write!(
                out,
                "<span class=\"nb-block-anchor\" id=\"{anchor}\"></span>"
            );
        }
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

    pub(super) fn toggle(&self, out: &mut String, t: &TextBlock, children: &[Block]) {
        out.push_str("<details");
        push_class(out, "nb-toggle", &t.color);
        out.push_str("><summary>");
        push_rich_text(out, &t.rich_text, self.ctx);
        out.push_str("</summary><div class=\"nb-toggle-body\">");
        self.blocks(out, children);
        out.push_str("</div></details>");
    }

    pub(super) fn quote(&self, out: &mut String, t: &TextBlock, children: &[Block]) {
        out.push_str("<blockquote");
        push_class(out, "nb-quote", &t.color);
        out.push_str("><p>");
        push_rich_text(out, &t.rich_text, self.ctx);
        out.push_str("</p>");
        self.blocks(out, children);
        out.push_str("</blockquote>");
    }

    pub(super) fn callout(&self, out: &mut String, c: &Callout, children: &[Block]) {
        out.push_str("<div");
        let color = if c.color.is_default() {
            Color("gray_background".into())
        } else {
            c.color.clone()
        };
        push_class(out, "nb-callout", &color);
        out.push_str(" role=\"note\">");
        if let Some(icon) = &c.icon {
            let html = icon_html(icon, self.ctx, "nb-callout-icon", 24);
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

    pub(super) fn code(&self, out: &mut String, c: &Code) {
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

    pub(super) fn equation(&self, out: &mut String, expression: &str) {
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

    pub(super) fn breadcrumb(&self, out: &mut String) {
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

    pub(super) fn table_of_contents(&self, out: &mut String, color: &Color) {
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
