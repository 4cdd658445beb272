//! Rich text runs → inline HTML: annotations, colors, links, inline equations and mentions.

use crate::notion::model::{Annotations, Color, Mention, RichText, RichTextContent};

use super::context::RenderContext;
use super::html::{push_attr, push_text, safe_href};
use super::math::latex_to_mathml;
use crate::site::Resolved;

/// Renders rich text runs as inline HTML.
pub(crate) fn render_rich_text(runs: &[RichText], ctx: &RenderContext<'_>) -> String {
    let mut out = String::new();
    push_rich_text(&mut out, runs, ctx);
    out
}

/// Appends rich text runs as inline HTML.
pub(crate) fn push_rich_text(out: &mut String, runs: &[RichText], ctx: &RenderContext<'_>) {
    for run in runs {
        push_run(out, run, ctx);
    }
}

/// The class of a Notion color (`nb-color-red`, `nb-bg-blue`), or `None` for `default` and any
/// name that is not one of Notion's colors.
pub(crate) fn color_class(color: &Color) -> Option<&'static str> {
    Some(match color.0.as_str() {
        "gray" => "nb-color-gray",
        "brown" => "nb-color-brown",
        "orange" => "nb-color-orange",
        "yellow" => "nb-color-yellow",
        "green" => "nb-color-green",
        "blue" => "nb-color-blue",
        "purple" => "nb-color-purple",
        "pink" => "nb-color-pink",
        "red" => "nb-color-red",
        "gray_background" => "nb-bg-gray",
        "brown_background" => "nb-bg-brown",
        "orange_background" => "nb-bg-orange",
        "yellow_background" => "nb-bg-yellow",
        "green_background" => "nb-bg-green",
        "blue_background" => "nb-bg-blue",
        "purple_background" => "nb-bg-purple",
        "pink_background" => "nb-bg-pink",
        "red_background" => "nb-bg-red",
        _ => return None,
    })
}

/// The href of a link found in Notion content: a page of the site → its URL; a block of the
/// site → its page's URL with the block's anchor; an allowed external URL → itself; a page
/// published on a `notion.site` domain (public by definition) → itself; another Notion page
/// (possibly private: its link would show workspace addresses to readers) or a disallowed
/// scheme → `None` with a warning.
pub(crate) fn link_href(url: &str, ctx: &RenderContext<'_>) -> Option<String> {
    match ctx.links.resolve_url(url) {
        Resolved::Page(page) => Some(ctx.page_url(page)),
        Resolved::Block(page, anchor) => Some(format!("{}#{anchor}", ctx.page_url(page))),
        Resolved::PrivateNotion(_) if is_public_notion_site(url) => safe_href(url),
        Resolved::PrivateNotion(id) => {
            ctx.warn(format!(
                "link to Notion page {id}, which is not part of the site, rendered as plain text"
            ));
            None
        }
        Resolved::External => {
            let href = safe_href(url);
            if href.is_none() {
                ctx.warn(format!(
                    "link with a disallowed or invalid URL dropped: {:?}",
                    url.chars().take(80).collect::<String>()
                ));
            }
            href
        }
    }
}

/// Whether a URL is on a `<workspace>.notion.site` domain, where Notion serves the pages a
/// workspace published to the web.
fn is_public_notion_site(url: &str) -> bool {
    url::Url::parse(url.trim()).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https")
            && u.host_str()
                .is_some_and(|h| h.to_ascii_lowercase().ends_with(".notion.site"))
    })
}

fn push_open_annotations(out: &mut String, a: &Annotations) {
    if let Some(class) = color_class(&a.color) {
        out.push_str("<span class=\"");
        out.push_str(class);
        out.push_str("\">");
    }
    if a.bold {
        out.push_str("<strong>");
    }
    if a.italic {
        out.push_str("<em>");
    }
    if a.strikethrough {
        out.push_str("<s>");
    }
    if a.underline {
        out.push_str("<u>");
    }
    if a.code {
        out.push_str("<code>");
    }
}

fn push_close_annotations(out: &mut String, a: &Annotations) {
    if a.code {
        out.push_str("</code>");
    }
    if a.underline {
        out.push_str("</u>");
    }
    if a.strikethrough {
        out.push_str("</s>");
    }
    if a.italic {
        out.push_str("</em>");
    }
    if a.bold {
        out.push_str("</strong>");
    }
    if color_class(&a.color).is_some() {
        out.push_str("</span>");
    }
}

/// Text with line breaks as `<br>`.
fn push_lines(out: &mut String, text: &str) {
    let mut first = true;
    for line in text.split('\n') {
        if !first {
            out.push_str("<br>");
        }
        first = false;
        push_text(out, line);
    }
}

fn push_link(out: &mut String, href: &str, class: Option<&str>, inner: impl FnOnce(&mut String)) {
    out.push_str("<a href=\"");
    push_attr(out, href);
    if let Some(class) = class {
        out.push_str("\" class=\"");
        out.push_str(class);
    }
    out.push_str("\">");
    inner(out);
    out.push_str("</a>");
}

fn push_run(out: &mut String, run: &RichText, ctx: &RenderContext<'_>) {
    let a = &run.annotations;
    match &run.content {
        RichTextContent::Text { content, link } => {
            let href = link
                .as_deref()
                .or(run.href.as_deref())
                .and_then(|url| link_href(url, ctx));
            let body = |out: &mut String| {
                push_open_annotations(out, a);
                push_lines(out, content);
                push_close_annotations(out, a);
            };
            match href {
                Some(href) => push_link(out, &href, None, body),
                None => body(out),
            }
        }
        RichTextContent::Equation { expression } => {
            push_open_annotations(out, a);
            push_inline_math(out, expression, ctx);
            push_close_annotations(out, a);
        }
        RichTextContent::Mention(mention) => {
            push_open_annotations(out, a);
            push_mention(out, mention, run, ctx);
            push_close_annotations(out, a);
        }
        RichTextContent::Unknown { .. } => {
            push_open_annotations(out, a);
            push_lines(out, &run.plain_text);
            push_close_annotations(out, a);
        }
    }
}

/// An inline equation as MathML, or its escaped source with a warning.
pub(crate) fn push_inline_math(out: &mut String, expression: &str, ctx: &RenderContext<'_>) {
    match latex_to_mathml(expression, false) {
        Ok(math) => {
            out.push_str("<span class=\"nb-math\">");
            out.push_str(&math);
            out.push_str("</span>");
        }
        Err(error) => {
            ctx.warn(format!(
                "equation could not be rendered ({error}); shown as source"
            ));
            out.push_str("<code class=\"nb-math-error\">");
            push_text(out, expression);
            out.push_str("</code>");
        }
    }
}

fn valid_datetime(value: &str) -> bool {
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok()
        || chrono::DateTime::parse_from_rfc3339(value).is_ok()
}

fn push_time(out: &mut String, value: &str, text: &str) {
    if valid_datetime(value) {
        out.push_str("<time datetime=\"");
        push_attr(out, value);
        out.push_str("\">");
        push_text(out, text);
        out.push_str("</time>");
    } else {
        push_text(out, text);
    }
}

fn push_mention(out: &mut String, mention: &Mention, run: &RichText, ctx: &RenderContext<'_>) {
    let shown = run.plain_text.as_str();
    match mention {
        Mention::Page { id } => match ctx.links.page(id) {
            Some(page) => push_link(
                out,
                &ctx.page_url(page),
                Some("nb-mention nb-mention-page"),
                |o| {
                    push_text(
                        o,
                        if page.title.is_empty() {
                            shown
                        } else {
                            &page.title
                        },
                    )
                },
            ),
            None => {
                ctx.warn(format!(
                    "mention of Notion page {id}, which is not part of the site, rendered as plain text"
                ));
                out.push_str("<span class=\"nb-mention nb-mention-private\">");
                push_text(out, shown);
                out.push_str("</span>");
            }
        },
        Mention::Database { id } => match ctx
            .links
            .database(id)
            .and_then(|d| d.path.as_deref().map(|p| (ctx.urls.page(p), &d.title)))
        {
            Some((url, title)) => push_link(out, &url, Some("nb-mention nb-mention-page"), |o| {
                push_text(o, if title.is_empty() { shown } else { title })
            }),
            None => {
                if ctx.links.database(id).is_none() {
                    ctx.warn(format!(
                        "mention of Notion database {id}, which is not part of the site, rendered as plain text"
                    ));
                }
                out.push_str("<span class=\"nb-mention nb-mention-private\">");
                push_text(out, shown);
                out.push_str("</span>");
            }
        },
        Mention::Date(date) => {
            out.push_str("<span class=\"nb-mention nb-mention-date\">");
            match &date.end {
                Some(end) if shown.is_empty() || !shown.contains('→') => {
                    push_time(out, &date.start, &date.start);
                    out.push_str(" → ");
                    push_time(out, end, end);
                }
                _ => push_time(
                    out,
                    &date.start,
                    if shown.is_empty() { &date.start } else { shown },
                ),
            }
            out.push_str("</span>");
        }
        Mention::User(user) => {
            out.push_str("<span class=\"nb-mention nb-mention-user\">");
            match (&user.name, shown.is_empty()) {
                (Some(name), true) => {
                    out.push('@');
                    push_text(out, name);
                }
                _ => push_text(out, shown),
            }
            out.push_str("</span>");
        }
        Mention::LinkPreview { url } => push_url_mention(out, url, shown, ctx),
        Mention::LinkMention { href, title } => {
            let text = title.as_deref().filter(|t| !t.is_empty()).unwrap_or(shown);
            push_url_mention(out, href, text, ctx)
        }
        Mention::Template { .. } => {
            out.push_str("<span class=\"nb-mention nb-mention-template\">");
            push_text(out, shown);
            out.push_str("</span>");
        }
        Mention::CustomEmoji { name, url, .. } => {
            // A workspace's custom emoji has a public URL that does not expire.
            let src = safe_href(url);
            match src {
                Some(src) => {
                    out.push_str("<img class=\"nb-emoji\" src=\"");
                    push_attr(out, &src);
                    out.push_str("\" alt=\":");
                    push_attr(out, name);
                    out.push_str(
                        ":\" width=\"20\" height=\"20\" loading=\"lazy\" decoding=\"async\">",
                    );
                }
                None => {
                    out.push(':');
                    push_text(out, name);
                    out.push(':');
                }
            }
        }
        Mention::Unknown { .. } => {
            out.push_str("<span class=\"nb-mention\">");
            push_text(out, shown);
            out.push_str("</span>");
        }
    }
}

fn push_url_mention(out: &mut String, url: &str, text: &str, ctx: &RenderContext<'_>) {
    let text = if text.is_empty() { url } else { text };
    match link_href(url, ctx) {
        Some(href) => push_link(out, &href, Some("nb-mention nb-mention-link"), |o| {
            push_text(o, text)
        }),
        None => push_text(out, text),
    }
}
