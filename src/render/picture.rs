//! Every `<picture>`, `srcset` and icon the site shows, built in one place for the blocks and
//! the template views alike.

use std::fmt::Write as _;

use crate::assets::{Asset, VariantFormat};
use crate::notion::model::{FileSource, Icon};

use super::context::RenderContext;
use super::html::{escape_attr, push_text, safe_href};

/// The `srcset`s of a baked image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Srcsets {
    /// `url 480w, url 960w, …` in the original's format, with the original itself as the
    /// widest candidate when no variant is as wide (empty when there are no variants).
    pub(crate) original: String,
    /// The same in WebP (empty for WebP originals and animations, which keep their frames).
    pub(crate) webp: String,
}

/// The `srcset`s of `asset`, each file's URL spelt by `url`.
pub(crate) fn srcsets(asset: &Asset, url: &dyn Fn(&str) -> String) -> Srcsets {
    let Some(info) = &asset.image else {
        return Srcsets::default();
    };
    let list = |format: VariantFormat| {
        info.variants_in(format)
            .map(|v| format!("{} {}w", url(&v.path), v.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let webp = if info.animated || asset.mime == "image/webp" {
        String::new()
    } else {
        list(VariantFormat::Webp)
    };
    let format = VariantFormat::of_mime(&asset.mime);
    let mut original = format.map(list).unwrap_or_default();
    let widest = format
        .and_then(|f| info.variants_in(f).map(|v| v.width).max())
        .unwrap_or(0);
    if !original.is_empty() && widest < info.width {
        let _ = write!(original, ", {} {}w", url(&asset.path), info.width);
    }
    Srcsets { original, webp }
}

/// `<picture>` with a WebP `<source>` and a sized, lazy `<img>` for a baked image.
pub(crate) fn picture_html(
    asset: &Asset,
    alt: &str,
    ctx: &RenderContext<'_>,
    sizes: &str,
) -> String {
    let src = ctx.asset_url(&asset.path);
    let Some(info) = &asset.image else {
        return format!(
            "<img src=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">",
            escape_attr(&src),
            escape_attr(alt)
        );
    };
    let sets = srcsets(asset, &|path| ctx.asset_url(path));
    let mut out = String::with_capacity(512);
    out.push_str("<picture>");
    if !sets.webp.is_empty() {
        let _ = write!(
            out,
            "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">",
            escape_attr(&sets.webp),
            escape_attr(sizes)
        );
    }
    let _ = write!(out, "<img src=\"{}\"", escape_attr(&src));
    if !sets.original.is_empty() {
        let _ = write!(
            out,
            " srcset=\"{}\" sizes=\"{}\"",
            escape_attr(&sets.original),
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

/// The image of an icon: its URL (baked, or external as written) and alternative text;
/// `None` for an emoji, a native icon, or a file that cannot be shown.
pub(crate) fn icon_image(icon: &Icon, ctx: &RenderContext<'_>) -> Option<(String, String)> {
    match icon {
        Icon::CustomEmoji { name, url, .. } => safe_href(url).map(|src| (src, name.clone())),
        Icon::File(file @ FileSource::Notion { .. }) => match ctx.asset(file.key()) {
            Some(asset) => Some((ctx.asset_url(&asset.path), String::new())),
            None => {
                ctx.warn("Notion-hosted icon was not baked; left out");
                None
            }
        },
        Icon::File(FileSource::External { url }) => safe_href(url).map(|src| (src, String::new())),
        _ => None,
    }
}

/// A page or callout icon as inline HTML: an emoji, or an image (baked, or the external URL);
/// empty when it cannot be shown.
pub(crate) fn icon_html(icon: &Icon, ctx: &RenderContext<'_>, class: &str, size: u32) -> String {
    match icon {
        Icon::Emoji(emoji) => emoji_html(emoji, class),
        _ => icon_image(icon, ctx).map_or_else(String::new, |(src, alt)| {
            icon_img_html(&src, &alt, class, size)
        }),
    }
}

/// An emoji icon: decorative, so hidden from screen readers.
pub(crate) fn emoji_html(emoji: &str, class: &str) -> String {
    let mut out = format!("<span class=\"{class}\" aria-hidden=\"true\">");
    push_text(&mut out, emoji);
    out.push_str("</span>");
    out
}

/// An image icon of `size` CSS pixels.
pub(crate) fn icon_img_html(src: &str, alt: &str, class: &str, size: u32) -> String {
    format!(
        "<img class=\"{class}\" src=\"{}\" alt=\"{}\" width=\"{size}\" height=\"{size}\" decoding=\"async\">",
        escape_attr(src),
        escape_attr(alt)
    )
}
