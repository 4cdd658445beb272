//! Files that could run script on the site's own origin when opened directly: SVG is rewritten
//! to static content, and HTML-like files are stored under a name no browser renders.
//!
//! A page embeds files safely (`<img>`, download links), but anyone may open an asset's URL
//! directly; a browser then runs an SVG's `<script>` or an HTML file's scripts with the site's
//! cookies and same-origin access. The SVG is parsed by an XML parser (quick-xml) and written
//! back keeping only an allow-list of static elements and attributes.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};

/// Extensions a static host serves as a type browsers render with scripts (HTML, XHTML, XML
/// with XSLT or XHTML inside, SVG, web archives, Flash): a file of another kind that carries
/// one is stored as `.bin` instead.
const ACTIVE_EXTENSIONS: [&str; 16] = [
    "html", "htm", "shtml", "xhtml", "xht", "xml", "xsl", "xslt", "svg", "svgz", "mht", "mhtml",
    "js", "mjs", "swf", "hta",
];

/// The extension a file that is not an SVG gets, so opening it downloads it.
pub(crate) const INERT_EXTENSION: &str = "bin";

/// Whether a stored file with this extension must not be served as it is.
pub(crate) fn is_active_extension(extension: &str) -> bool {
    ACTIVE_EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str())
}

/// SVG elements that only draw: anything else (`script`, `foreignObject`, animations that
/// can rewrite a link, HTML elements, other namespaces) is left out with its content.
const STATIC_ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "symbol",
    "use",
    "title",
    "desc",
    "switch",
    "view",
    "style",
    "a",
    "image",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "linearGradient",
    "radialGradient",
    "stop",
    "pattern",
    "clipPath",
    "mask",
    "marker",
    "filter",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feImage",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
];

const SVG_NAMESPACE: &str = "http://www.w3.org/2000/svg";
const XLINK_NAMESPACE: &str = "http://www.w3.org/1999/xlink";

/// Raster images an `<image>` may inline.
const INLINE_IMAGES: [&str; 4] = [
    "data:image/png;",
    "data:image/jpeg;",
    "data:image/gif;",
    "data:image/webp;",
];

/// Why an SVG could not be made static (it is then stored as an inert download).
#[derive(Debug, thiserror::Error)]
pub(crate) enum SvgError {
    #[error("it is not UTF-8 text")]
    NotUtf8,
    #[error("it is not well-formed XML: {0}")]
    Xml(String),
    #[error("it has no <svg> root element")]
    NoSvg,
}

/// `svg` rewritten to static content: only [`STATIC_ELEMENTS`], no event handlers, no links
/// but to fragments, safe URLs (on `<a>`) and inline raster images (on `<image>`), no DTD, no
/// processing instructions. An SVG that had nothing to remove is returned byte for byte, so
/// its hash (and its asset's name) stays the same.
pub(crate) fn sanitize_svg(svg: &[u8]) -> Result<Cow<'_, [u8]>, SvgError> {
    let text = std::str::from_utf8(svg).map_err(|_| SvgError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut writer = Writer::new(Vec::with_capacity(text.len()));
    // Depth inside an element being left out (0: keeping); and whether a root was seen.
    let mut skipping = 0usize;
    let mut depth = 0usize;
    let mut saw_svg = false;
    let mut removed = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| SvgError::Xml(e.to_string()))?;
        let kept = match event {
            Event::Eof => break,
            Event::Start(element) => {
                depth += 1;
                if skipping > 0 || !is_static(&element) {
                    skipping += 1;
                    removed = true;
                    None
                } else {
                    saw_svg |= depth == 1 && element.name().as_ref() == "svg";
                    Some(Event::Start(clean_element(&element, &mut removed)))
                }
            }
            Event::Empty(element) => {
                if skipping > 0 || !is_static(&element) {
                    removed = true;
                    None
                } else {
                    saw_svg |= depth == 0 && element.name().as_ref() == "svg";
                    Some(Event::Empty(clean_element(&element, &mut removed)))
                }
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if skipping > 0 {
                    skipping -= 1;
                    None
                } else {
                    Some(Event::End(end))
                }
            }
            _ if skipping > 0 => None,
            Event::Text(text) => Some(Event::Text(text)),
            Event::CData(data) => Some(Event::CData(data)),
            // Character references and XML's five entities only: a DTD's entities are gone.
            Event::GeneralRef(reference) => {
                let predefined = matches!(&*reference, "lt" | "gt" | "amp" | "apos" | "quot");
                let kept = predefined || reference.is_char_ref();
                removed |= !kept;
                kept.then_some(Event::GeneralRef(reference))
            }
            Event::Decl(decl) => Some(Event::Decl(decl)),
            Event::Comment(comment) => Some(Event::Comment(comment)),
            // A DTD can define entities; `<?xml-stylesheet?>` can load XSLT that writes HTML.
            Event::DocType(_) | Event::PI(_) => {
                removed = true;
                None
            }
        };
        if let Some(event) = kept {
            writer
                .write_event(event)
                .map_err(|e| SvgError::Xml(e.to_string()))?;
        }
    }
    if !saw_svg {
        return Err(SvgError::NoSvg);
    }
    if removed {
        Ok(Cow::Owned(writer.into_inner()))
    } else {
        Ok(Cow::Borrowed(svg))
    }
}

fn is_static(element: &BytesStart<'_>) -> bool {
    STATIC_ELEMENTS.contains(&element.name().as_ref())
}

/// The element with only the attributes that cannot run script or load a document; `removed`
/// is set when one is left out.
fn clean_element(element: &BytesStart<'_>, removed: &mut bool) -> BytesStart<'static> {
    let name = element.name().as_ref().to_owned();
    let mut clean = BytesStart::new(name.clone());
    // A repeated attribute is an error, so only its first value is kept, as browsers do.
    for attribute in element.attributes() {
        let Ok(attribute) = attribute else {
            *removed = true;
            continue;
        };
        let key: &str = attribute.key.as_ref();
        // Predefined entities and character references only; a value using anything else
        // (or malformed) is left out.
        let Ok(value) = attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0) else {
            *removed = true;
            continue;
        };
        if keeps_attribute(&name, key, &value) {
            clean.push_attribute((key, value.as_ref()));
        } else {
            *removed = true;
        }
    }
    clean
}

fn keeps_attribute(element: &str, key: &str, value: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    if lower.starts_with("on") {
        return false;
    }
    match key {
        "xmlns" => value == SVG_NAMESPACE,
        "xmlns:xlink" => value == XLINK_NAMESPACE,
        "href" | "xlink:href" => link_is_static(element, value),
        "xml:space" | "xml:lang" => true,
        // Other namespaces' attributes (editors' metadata, `xml:base`, `xlink:show`…).
        _ if key.contains(':') => false,
        _ => !is_script_url(value),
    }
}

/// A link inside the picture: a fragment; on `<a>`, a URL a page may link to; on `<image>`
/// and `<feImage>`, an inline raster image.
fn link_is_static(element: &str, value: &str) -> bool {
    let value = value.trim();
    if value.starts_with('#') {
        return true;
    }
    match element {
        "a" => crate::url_check::safe_href(value).is_some(),
        "image" | "feImage" => {
            let lower = value.to_ascii_lowercase();
            INLINE_IMAGES.iter().any(|prefix| lower.starts_with(prefix))
        }
        _ => false,
    }
}

/// Whether an ordinary attribute's value is (or hides) a script URL, as in `fill="url(javascript:…)"`
/// or `values="javascript:…"`: such values are left out.
fn is_script_url(value: &str) -> bool {
    let squeezed: Cow<'_, str> = if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Cow::Owned(
            value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect(),
        )
    } else {
        Cow::Borrowed(value)
    };
    let lower = squeezed.to_ascii_lowercase();
    [
        "javascript:",
        "vbscript:",
        "data:text/html",
        "data:application",
    ]
    .iter()
    .any(|scheme| lower.contains(scheme))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(svg: &str) -> String {
        String::from_utf8(sanitize_svg(svg.as_bytes()).unwrap().into_owned()).unwrap()
    }

    #[test]
    fn a_static_drawing_keeps_its_bytes() {
        let svg = r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs><style>.a{fill:red}</style><rect class="a" width="10" height="10" fill="url(#g)"/><use xlink:href="#g"/><text x="1" y="5">A &amp; B &#169;</text></svg>"##;
        assert_eq!(clean(svg), svg);
        let with_comment = "<svg xmlns=\"http://www.w3.org/2000/svg\"><!-- by hand -->\n<path\n d=\"M0 0\n L1 1\"/></svg>";
        assert!(matches!(
            sanitize_svg(with_comment.as_bytes()),
            Ok(Cow::Borrowed(_))
        ));
    }

    #[test]
    fn scripts_handlers_and_active_links_are_removed() {
        let out = clean(
            r#"<!DOCTYPE svg [<!ENTITY x "javascript:alert(1)">]>
<?xml-stylesheet type="text/xsl" href="evil.xsl"?>
<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)" xmlns:h="http://www.w3.org/1999/xhtml">
<script>alert(1)</script><SCRIPT>alert(2)</SCRIPT><h:script>alert(3)</h:script>
<foreignObject><iframe src="javascript:alert(4)"/></foreignObject>
<a href="javascript:alert(5)"><rect width="1" height="1" OnClick="alert(6)"/></a>
<a xlink:href="&#106;avascript:alert(7)"><circle r="1"/></a>
<animate attributeName="href" to="javascript:alert(8)"/><set attributeName="onload" to="alert(9)"/>
<use href="https://evil.example/x.svg#a"/><image href="data:image/svg+xml,&lt;svg onload=alert(10)&gt;"/>
<rect fill="url(javascript:alert(11))" width="1"/><text>&x;</text>
<a href="https://example.org/"><circle r="2"/></a></svg>"#,
        );
        for bad in [
            "script",
            "SCRIPT",
            "alert",
            "onload",
            "OnClick",
            "foreignObject",
            "iframe",
            "animate",
            "<set",
            "evil",
            "DOCTYPE",
            "ENTITY",
            "xml-stylesheet",
            "xhtml",
        ] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
        assert!(out.contains(r#"<a href="https://example.org/"><circle r="2"/></a>"#));
        assert!(out.contains(r#"<rect width="1" height="1"/>"#), "{out}");
    }

    #[test]
    fn what_is_not_an_svg_is_refused() {
        assert!(matches!(
            sanitize_svg(b"<html><script>alert(1)</script></html>"),
            Err(SvgError::NoSvg)
        ));
        assert!(matches!(
            sanitize_svg(b"<svg><g></svg>"),
            Err(SvgError::Xml(_))
        ));
        assert!(matches!(
            sanitize_svg(b"\xff\xfe<\0s\0"),
            Err(SvgError::NotUtf8)
        ));
    }

    #[test]
    fn active_extensions_are_recognised_in_any_case() {
        assert!(is_active_extension("HTML"));
        assert!(is_active_extension("xhtml"));
        assert!(!is_active_extension("pdf"));
    }
}
