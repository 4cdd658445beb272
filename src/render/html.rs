//! The one place where text becomes HTML: escaping, and the URL check (which lives in
//! [`crate::url_check`] because the asset stage needs it too).
//!
//! Every string that comes from Notion reaches the page through exactly one of these
//! functions, exactly once. Nothing else in `render` writes untrusted text.

pub(crate) use crate::url_check::safe_href;

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
    fn comment_text_cannot_close_a_comment() {
        assert_eq!(comment_text("a-->b<!--"), "a___b____");
    }
}
