//! Links to the outside world: bookmarks, embeds (sandboxed iframes of known providers) and
//! link previews.

use std::fmt::Write as _;

use crate::notion::model::RichText;
use crate::render::html::{push_attr, push_text};
use crate::render::rich_text::link_href;
use crate::site::Resolved;

use super::Renderer;

impl Renderer<'_, '_> {
    pub(super) fn bookmark(&self, out: &mut String, url: &str, caption: &[RichText]) {
        out.push_str("<figure class=\"nb-bookmark\">");
        match self.ctx.links.resolve_url(url) {
            Resolved::Page(page) => {
                let url = self.ctx.page_url(page);
                push_link_card(out, &url, &page.title, &url)
            }
            Resolved::Block(page, anchor) => {
                let url = format!("{}#{anchor}", self.ctx.page_url(page));
                push_link_card(out, &url, &page.title, &url)
            }
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

    pub(super) fn embed(&self, out: &mut String, url: &str, caption: &[RichText]) {
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

    pub(super) fn link_preview(&self, out: &mut String, url: &str) {
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
}

/// A short title for a link card: `host/path` without the scheme.
pub(super) fn link_title(url: &str) -> String {
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

pub(super) fn push_link_card(out: &mut String, href: &str, title: &str, shown_url: &str) {
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
    provider: &'static str,
    title: &'static str,
    src: String,
    /// Width / height, for the aspect-ratio box.
    ratio: Option<(u32, u32)>,
}

pub(super) fn push_iframe(out: &mut String, embed: &Embed, title: &str) {
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
pub(crate) const IFRAME_SANDBOX: &str = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation";

pub(super) fn is_id(s: &str, min: usize, max: usize, extra: &[char]) -> bool {
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
