//! The URL check every stage uses before a URL reaches a page, a Markdown file, front matter
//! or a sanitised SVG: only web schemes pass, however the URL is spelt or obfuscated.

use std::fmt::Write as _;

/// Whether `url`'s scheme is one a page may link to: `http`, `https`, `mailto`, `tel`,
/// or no scheme at all (a relative URL or a `#fragment`).
///
/// Returns the URL as it goes into an attribute (before attribute escaping): byte-for-byte the
/// author's, trimmed of the whitespace a browser strips, with only the characters a URL may not
/// contain at all (space, `"`, `<`, `>`, backtick, `{`, `}`, `|`, `\`, `^`, controls)
/// percent-encoded, as a browser would. `None` for any other scheme (`javascript:`, `data:`,
/// `vbscript:`, `file:`, …) however it is spelt or obfuscated, and for URLs that cannot be parsed.
///
/// The scheme is judged on the URL as written and on every reading a consumer might make of
/// it: with HTML entities decoded (CommonMark decodes them in link destinations, so
/// `javascript&colon;x` is a script link in Markdown), percent-decoded, in any order and
/// repeatedly. The URL passes only if every reading has an allowed scheme or none.
pub(crate) fn safe_href(url: &str) -> Option<String> {
    // Browsers strip leading/trailing C0 controls and spaces before parsing; so does `url`.
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    if trimmed.is_empty() {
        return None;
    }
    match url::Url::parse(trimmed) {
        Ok(parsed) => {
            if !matches!(parsed.scheme(), "http" | "https" | "mailto" | "tel") {
                return None;
            }
        }
        Err(url::ParseError::RelativeUrlWithoutBase) => {}
        Err(_) => return None,
    }
    decoded_readings(trimmed)
        .iter()
        .all(scheme_is_allowed)
        .then(|| encode_forbidden(trimmed))
}

/// Rounds of decoding tried: a URL still changing after this many is refused as obfuscated.
const DECODE_ROUNDS: usize = 4;

/// `url` and what it becomes after entity decoding and percent-decoding, applied again and
/// again until nothing changes; `None` in the list marks a URL still changing after
/// [`DECODE_ROUNDS`], which is refused.
fn decoded_readings(url: &str) -> Vec<Option<String>> {
    let mut readings = vec![Some(url.to_owned())];
    let mut current = url.to_owned();
    for _ in 0..DECODE_ROUNDS {
        let entities = decode_entities(&current);
        let percent = percent_decode(&current);
        let both = percent_decode(&entities);
        if entities == current && percent == current {
            return readings;
        }
        readings.extend([Some(entities), Some(percent)]);
        current = both.clone();
        readings.push(Some(both));
    }
    readings.push(None);
    readings
}

/// Decodes HTML character references the way a browser's HTML parser does (html5ever's
/// tokenizer, named references with and without `;`, numeric ones), reading `text` as the
/// content of an element.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    // `<` is the only character that could end the text; it is not part of any reference.
    let fragment = format!("<p>{}</p>", text.replace('<', "&lt;"));
    let html = scraper::Html::parse_fragment(&fragment);
    html.root_element().text().collect()
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Whether one reading of a URL has an allowed scheme or none. Whitespace and controls
/// anywhere are ignored (browsers drop tabs and newlines inside a URL, and trim the rest) and
/// the scheme is compared case-insensitively; a reading without a `:` before its first `/`,
/// `?` or `#` is relative.
fn scheme_is_allowed(reading: &Option<String>) -> bool {
    let Some(reading) = reading else {
        return false;
    };
    let compact: String = reading
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let head = compact.split(['/', '?', '#']).next().unwrap_or_default();
    match head.split_once(':') {
        None => true,
        Some((scheme, _)) => matches!(
            scheme.to_ascii_lowercase().as_str(),
            "http" | "https" | "mailto" | "tel"
        ),
    }
}

/// Percent-encodes the characters a URL can never contain, leaving every other byte alone.
fn encode_forbidden(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' '
            | '"'
            | '<'
            | '>'
            | '`'
            | '{'
            | '}'
            | '|'
            | '\\'
            | '^'
            | '\u{0}'..='\u{1f}'
            | '\u{7f}' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_web_schemes_and_relative_urls() {
        for ok in [
            "https://example.org/a?b=c#d",
            "http://x.y",
            "mailto:a@b.c",
            "tel:+123",
            "/posts/a/",
            "#intro",
            "page.html",
            "//cdn.example.org/x",
            "?q=1",
            "https://x.org/?a=1&b=2&amp;c=3",
            // Entity names are case-sensitive: `&COLON;` is no colon, to a browser or CommonMark.
            "javascript&COLON;alert(1)",
            "https://x.org/a%3Ab?c=d%3Ae",
            "/search?q=javascript:alert",
            "#javascript:x",
            "mailto:a@b.c?subject=re:%20hi",
        ] {
            assert_eq!(safe_href(ok).as_deref(), Some(ok), "{ok}");
        }
    }

    #[test]
    fn drops_script_schemes_however_spelt() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\nscript:alert(1)",
            "java\tscript:alert(1)",
            "vbscript:msgbox",
            "data:text/html,<script>alert(1)</script>",
            "DATA:image/svg+xml,x",
            "file:///etc/passwd",
            "  \n javascript:x",
            "",
            // Entity-encoded: CommonMark and browsers decode these in a link destination.
            "javascript&colon;alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
            "javascript&#58;alert(1)",
            "javascript&#0058alert(1)",
            "java&Tab;script&colon;alert(1)",
            "java&NewLine;script&colon;alert(1)",
            // Percent-encoded, and the two mixed or doubled.
            "javascript%3Aalert(1)",
            "%6Aavascript:alert(1)",
            "javascript%253Aalert(1)",
            "javascript&#37;3Aalert(1)",
            "&amp;#106;avascript&amp;colon;alert(1)",
            "data&colon;text/html,x",
            "vbscript%3amsgbox",
        ] {
            assert_eq!(safe_href(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn keeps_urls_byte_for_byte_but_encodes_forbidden_characters() {
        assert_eq!(
            safe_href("https://x.org/a b\"c<d>`{|}\\^?q=%zz&é").as_deref(),
            Some("https://x.org/a%20b%22c%3Cd%3E%60%7B%7C%7D%5C%5E?q=%zz&é")
        );
        assert_eq!(
            safe_href("https://EXAMPLE.org/A/../B").as_deref(),
            Some("https://EXAMPLE.org/A/../B")
        );
    }
}
