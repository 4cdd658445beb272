//! LaTeX → MathML at build time (pulldown-latex): equations need no JavaScript to read.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

/// Renders a LaTeX expression to a `<math>` element, or the parse error's message.
///
/// MathML output escapes all text itself; the source is never copied into the page unescaped.
pub(crate) fn latex_to_mathml(expression: &str, block: bool) -> Result<String, String> {
    let storage = Storage::new();
    let events: Vec<_> = Parser::new(expression, &storage).collect();
    if let Some(Err(error)) = events.iter().find(|e| e.is_err()) {
        return Err(error
            .to_string()
            .lines()
            .next()
            .unwrap_or("invalid LaTeX")
            .to_owned());
    }
    let mut out = String::with_capacity(expression.len() * 8);
    let config = RenderConfig {
        display_mode: if block {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        ..RenderConfig::default()
    };
    push_mathml(&mut out, events.into_iter(), config).map_err(|e| e.to_string())?;
    Ok(escape_stray_markup(&out))
}

/// pulldown-latex writes some operators unescaped (`a<b` → `<mo><</mo>`): escape every `<` that
/// does not start a tag and every `&` that does not start a character reference, so the MathML is
/// valid HTML whatever the expression.
fn escape_stray_markup(mathml: &str) -> String {
    let bytes = mathml.as_bytes();
    let mut out = String::with_capacity(mathml.len() + 8);
    let mut last = 0;
    let mut in_tag = false;
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        if in_tag {
            match (quote, b) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'>') => in_tag = false,
                _ => {}
            }
            continue;
        }
        let replacement = match b {
            b'<' if bytes
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'/') =>
            {
                in_tag = true;
                continue;
            }
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => {
                let rest = &bytes[i + 1..];
                let name = rest
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'#')
                    .count();
                if name > 0 && rest.get(name) == Some(&b';') {
                    continue;
                }
                "&amp;"
            }
            _ => continue,
        };
        out.push_str(&mathml[last..i]);
        out.push_str(replacement);
        last = i + 1;
    }
    out.push_str(&mathml[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_mathml_and_reports_errors() {
        let ok = latex_to_mathml(r"x = \frac{-b\pm\sqrt{b^2-4ac}}{2a}", true).unwrap();
        assert!(ok.starts_with("<math"), "{ok}");
        assert!(ok.contains("display=\"block\""), "{ok}");
        assert!(ok.contains("<mfrac>"), "{ok}");
        assert!(latex_to_mathml(r"\frac{1}{", false).is_err());
        assert!(latex_to_mathml(r"\notacommand", false).is_err());
    }

    #[test]
    fn operators_are_escaped() {
        let out = latex_to_mathml(r"a<b>c \& d", false).unwrap();
        assert!(out.contains("<mo>&lt;</mo>"), "{out}");
        assert!(out.contains("<mo>&gt;</mo>"), "{out}");
        assert!(!out.contains("<<") && !out.contains(">>"), "{out}");
        assert_eq!(
            escape_stray_markup("<mo>&amp;</mo><mo>&</mo>"),
            "<mo>&amp;</mo><mo>&amp;</mo>"
        );
    }

    #[test]
    fn escapes_text_in_math() {
        let out = latex_to_mathml(r"\text{<script>alert(1)</script>}", false).unwrap();
        assert!(!out.contains("<script"), "{out}");
    }
}
