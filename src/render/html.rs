//! The one place where text becomes HTML: escaping and URL checks.
//!
//! Every string that comes from Notion reaches the page through exactly one of these
//! functions, exactly once. Nothing else in `render` writes untrusted text.

use std::fmt::Write as _;

/// Escapes text for an HTML text node (`&`, `<`, `>`).
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_text(&mut out, text);
    out
}

/// Appends `text` escaped for an HTML text node.
pub(crate) fn push_text(out: &mut String, text: &str) {
    push_escaped(out, text, false);
}

/// Escapes text for a double-quoted attribute value (`&`, `<`, `>`, `"`, `'`).
pub(crate) fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_attr(&mut out, text);
    out
}

/// Appends `text` escaped for a double-quoted attribute value.
pub(crate) fn push_attr(out: &mut String, text: &str) {
    push_escaped(out, text, true);
}

fn push_escaped(out: &mut String, text: &str, attr: bool) {
    let mut last = 0;
    for (i, byte) in text.bytes().enumerate() {
        let replacement = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if attr => "&quot;",
            b'\'' if attr => "&#39;",
            // NUL and other C0 controls (but tab, LF, CR) are not allowed in HTML at all.
            0..=8 | 11 | 12 | 14..=31 | 127 => "\u{FFFD}",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(replacement);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

/// Text for the inside of an HTML comment: no `--`, no `>` and no `<`, so it cannot end the comment.
pub(crate) fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '-' | '<' | '>' | '!' => '_',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// Whether `url`'s scheme is one a page may link to: `http`, `https`, `mailto`, `tel`,
/// or no scheme at all (a relative URL or a `#fragment`).
///
/// Returns the URL as it goes into an attribute (before attribute escaping): byte-for-byte the
/// author's, trimmed of the whitespace a browser strips, with only the characters a URL may not
/// contain at all (space, `"`, `<`, `>`, backtick, `{`, `}`, `|`, `\`, `^`, controls)
/// percent-encoded, as a browser would. `None` for any other scheme (`javascript:`, `data:`,
/// `vbscript:`, `file:`, …) however it is spelt or obfuscated, and for URLs that cannot be parsed.
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
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            // Relative: make sure a browser would not read a scheme into it either. `url` removes
            // tabs and newlines anywhere, so `java\nscript:` was already caught above; a relative
            // reference has no `:` before its first `/`, `?` or `#`.
            let head = trimmed.split(['/', '?', '#']).next().unwrap_or_default();
            if head.contains(':') {
                return None;
            }
        }
        Err(_) => return None,
    }
    Some(encode_forbidden(trimmed))
}

/// Percent-encodes the characters a URL can never contain, leaving every other byte alone.
pub(crate) fn encode_forbidden(url: &str) -> String {
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
    fn escapes_text_and_attributes() {
        assert_eq!(escape_text("a<b>&\"'"), "a&lt;b&gt;&amp;\"'");
        assert_eq!(escape_attr("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
        assert_eq!(escape_text("é😀"), "é😀");
    }

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

    #[test]
    fn comment_text_cannot_close_a_comment() {
        assert_eq!(comment_text("a-->b<!--"), "a___b____");
    }
}
