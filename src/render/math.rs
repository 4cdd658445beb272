//! LaTeX → MathML at build time (pulldown-latex): equations need no JavaScript to read.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

/// Renders a LaTeX expression to a `<math>` element, or the parse error's message.
///
/// MathML output escapes all text itself; the source is never copied into the page unescaped.
pub fn latex_to_mathml(expression: &str, block: bool) -> Result<String, String> {
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
    Ok(out)
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
    fn escapes_text_in_math() {
        let out = latex_to_mathml(r"\text{<script>alert(1)</script>}", false).unwrap();
        assert!(!out.contains("<script"), "{out}");
    }
}
