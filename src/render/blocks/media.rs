//! Media blocks: images, video, audio, PDFs and files, baked or external.

use crate::notion::model::{FileSource, Media, plain_text};

use super::Renderer;
use super::embeds::{link_title, push_iframe, push_link_card, video_embed};
use super::human_size;
use crate::render::html::{escape_attr, push_attr, push_text};
use crate::render::picture::picture_html;
use crate::render::rich_text::push_rich_text;

impl Renderer<'_, '_> {
    pub(super) fn image(&self, out: &mut String, m: &Media) {
        let alt = plain_text(&m.caption);
        let img = match &m.source {
            FileSource::Notion { key, .. } => match self.baked(key.as_ref(), "image") {
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

    pub(super) fn video(&self, out: &mut String, m: &Media) {
        match &m.source {
            FileSource::Notion { key, .. } => {
                let Some(asset) = self.baked(key.as_ref(), "video") else {
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

    pub(super) fn audio(&self, out: &mut String, m: &Media) {
        let src = match &m.source {
            FileSource::Notion { key, .. } => match self.baked(key.as_ref(), "audio file") {
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

    pub(super) fn pdf(&self, out: &mut String, m: &Media) {
        match &m.source {
            FileSource::Notion { key, .. } => {
                let Some(asset) = self.baked(key.as_ref(), "PDF") else {
                    return self.missing(out, "PDF");
                };
                let src = self.ctx.asset_url(&asset.path);
                let name = display_name(m, &asset.name);
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

    pub(super) fn file(&self, out: &mut String, m: &Media) {
        let (href, name, bytes, local) = match &m.source {
            FileSource::Notion { key, .. } => match self.baked(key.as_ref(), "file") {
                Some(asset) => (
                    self.ctx.asset_url(&asset.path),
                    display_name(m, &asset.name),
                    Some(asset.bytes),
                    true,
                ),
                None => return self.missing(out, "file"),
            },
            FileSource::External { url } => match self.external(url, "file") {
                Some(href) => (href, display_name(m, last_segment(url)), None, false),
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

/// The name a file is shown under: its name in Notion, or `fallback` (the baked file's name,
/// or an external URL's last path segment).
fn display_name(m: &Media, fallback: &str) -> String {
    m.name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| fallback.to_owned())
}

/// The last path segment of a URL (the whole URL when it has none).
fn last_segment(url: &str) -> &str {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    match path.trim_end_matches('/').rsplit('/').next() {
        Some(last) if !last.is_empty() => last,
        _ => url,
    }
}
