//! Server-side syntax highlighting (syntect with the Oniguruma regex engine, ~2.8× faster here
//! than the pure-Rust fancy-regex, plus bat's extra syntaxes from `two-face`: TypeScript, TOML,
//! Dockerfile, Kotlin, Swift, …).
//!
//! The output is *classed* HTML (`<span class="hl-keyword">`), not inline colours: the theme's
//! stylesheet colours the classes, so one page serves light and dark mode and a theme can restyle
//! code without re-rendering.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::html::escape_text;
use crate::notion::model::{Block, BlockKind, Code, plain_text};

/// The class prefix of highlighted tokens.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Notion's language names → a syntect syntax token.
fn syntax_token(language: &str) -> &str {
    match language {
        "bash" | "shell" => "bash",
        "c++" => "cpp",
        "c#" => "cs",
        "javascript" | "flow" => "js",
        "typescript" => "ts",
        "objective-c" => "objc",
        "plain text" | "ascii art" | "" => "txt",
        "markup" => "html",
        "docker" => "Dockerfile",
        "makefile" => "make",
        "visual basic" | "vb.net" => "vb",
        "java/c/c++/c#" => "java",
        "webassembly" => "wat",
        "llvm ir" => "ll",
        "assembly" => "asm",
        "arduino" => "cpp",
        "glsl" => "glsl",
        "powershell" => "ps1",
        "protobuf" => "proto",
        "mathematica" => "wl",
        other => other,
    }
}

fn find_syntax(language: &str) -> Option<&'static SyntaxReference> {
    let set = syntaxes();
    let token = syntax_token(language);
    set.find_syntax_by_token(token)
        .or_else(|| set.find_syntax_by_token(language))
        .or_else(|| {
            set.syntaxes()
                .iter()
                .find(|s| s.name.eq_ignore_ascii_case(language))
        })
        .or_else(|| {
            matches!(language, "sass" | "less")
                .then(|| set.find_syntax_by_token("css"))
                .flatten()
        })
        .filter(|s| s.name != "Plain Text")
}

/// The language as a class/attribute-safe token: `[a-z0-9+#-]`, spaces as `-`.
pub(crate) fn language_class(language: &str) -> String {
    language
        .trim()
        .to_ascii_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' | '+' | '#' | '-' => Some(c),
            ' ' | '/' | '.' | '_' => Some('-'),
            _ => None,
        })
        .collect()
}

/// Highlights `code` as `language`; unknown languages (and highlighter errors) give escaped text.
pub(crate) fn highlight(code: &str, language: &str) -> String {
    let Some(syntax) = find_syntax(language) else {
        return escape_text(code);
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return escape_text(code);
        }
    }
    generator.finalize()
}

/// Highlighted code of the last build, by language and source, so that a rebuild highlights
/// only code it has not seen: syntect was over a third of the CPU of an offline build of a
/// code-heavy site (`benches/site.rs`, render-only). The pipeline stores it in the cache.
#[derive(Debug, Default)]
pub struct HighlightMemo {
    earlier: HashMap<String, String>,
    /// What this build highlighted or took from `earlier`: the next build's `earlier`.
    now: Mutex<HashMap<String, String>>,
}

impl HighlightMemo {
    /// A memo holding what an earlier build highlighted (empty for a first build).
    pub fn new(earlier: HashMap<String, String>) -> HighlightMemo {
        HighlightMemo {
            earlier,
            now: Mutex::default(),
        }
    }

    /// `highlight(code, language)`, from memory when this code was highlighted before.
    pub(crate) fn highlight(&self, code: &str, language: &str) -> String {
        let key = memo_key(code, language);
        if let Some(html) = self.earlier.get(&key) {
            self.remember(key, html);
            return html.clone();
        }
        if let Some(html) = self.lock().get(&key) {
            return html.clone();
        }
        let html = highlight(code, language);
        self.remember(key, &html);
        html
    }

    /// Highlights code blocks ahead of rendering (the renderer then finds them here).
    pub(crate) fn prepare(&self, code: &[Code]) {
        code.par_iter().for_each(|c| {
            self.highlight(&plain_text(&c.rich_text), &c.language);
        });
    }

    /// The entries this build used, when they differ from the earlier ones (`None`: the stored
    /// memo is still exact). Entries no page uses any more are dropped.
    pub(crate) fn into_changed(self) -> Option<HashMap<String, String>> {
        let now = self.now.into_inner().unwrap_or_else(|e| e.into_inner());
        let same =
            now.len() == self.earlier.len() && now.keys().all(|k| self.earlier.contains_key(k));
        (!same).then_some(now)
    }

    fn remember(&self, key: String, html: &str) {
        self.lock().entry(key).or_insert_with(|| html.to_owned());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The code blocks of a page, at any depth.
pub(crate) fn code_blocks(blocks: &[Block]) -> Vec<&Code> {
    let mut found = Vec::new();
    let mut stack: Vec<&Block> = blocks.iter().rev().collect();
    while let Some(block) = stack.pop() {
        if let BlockKind::Code(code) = &block.kind {
            found.push(code);
        }
        stack.extend(block.children.iter().rev());
    }
    found
}

/// sha256 of the language and the source: the output depends on nothing else (the stored memo
/// is dropped when notion-bake's version changes).
fn memo_key(code: &str, language: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(language.as_bytes());
    hasher.update([0]);
    hasher.update(code.as_bytes());
    hex::encode(hasher.finalize())
}

/// The language as shown above a code block: syntect's name when it knows the language
/// (`Rust`, `JavaScript`), else Notion's.
pub(crate) fn language_name(language: &str) -> String {
    match language {
        "bash" => "Bash".to_owned(),
        "shell" => "Shell".to_owned(),
        "assembly" => "Assembly".to_owned(),
        "hcl" => "HCL".to_owned(),
        "arduino" => "Arduino".to_owned(),
        "flow" => "Flow".to_owned(),
        "markup" => "Markup".to_owned(),
        "java/c/c++/c#" => "Java".to_owned(),
        "javascript" => "JavaScript".to_owned(),
        "typescript" => "TypeScript".to_owned(),
        "c++" => "C++".to_owned(),
        "c#" => "C#".to_owned(),
        "toml" => "TOML".to_owned(),
        _ => find_syntax(language)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| language.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_languages_with_classes() {
        let html = highlight("fn main() { let x = \"<b>\"; }\n", "rust");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
    }

    #[test]
    fn common_notion_languages_are_highlighted() {
        for language in [
            "typescript",
            "toml",
            "docker",
            "kotlin",
            "swift",
            "bash",
            "shell",
            "yaml",
            "json",
            "sql",
            "go",
            "python",
            "c++",
            "c#",
            "java",
            "scss",
            "graphql",
            "nix",
            "elixir",
        ] {
            assert!(highlight("x = 1\n", language).contains("hl-"), "{language}");
        }
        assert_eq!(language_name("bash"), "Bash");
        assert_eq!(language_name("typescript"), "TypeScript");
        assert_eq!(language_name("f#"), "F#");
    }

    #[test]
    fn the_memo_gives_the_same_html_and_keeps_only_what_this_build_used() {
        let memo = HighlightMemo::default();
        let html = memo.highlight("let x = 1;\n", "rust");
        assert_eq!(html, highlight("let x = 1;\n", "rust"));
        assert_eq!(memo.highlight("let x = 1;\n", "rust"), html);
        let stored = memo.into_changed().expect("a new entry");
        assert_eq!(stored.len(), 1);

        // Same code again: nothing to save. The same source in another language is another entry.
        let memo = HighlightMemo::new(stored.clone());
        assert_eq!(memo.highlight("let x = 1;\n", "rust"), html);
        assert_eq!(memo.into_changed(), None);
        let memo = HighlightMemo::new(stored.clone());
        assert_ne!(memo.highlight("let x = 1;\n", "javascript"), html);
        let next = memo
            .into_changed()
            .expect("the rust entry is no longer used");
        assert_eq!(next.len(), 1);
        assert!(next.keys().all(|k| !stored.contains_key(k)));
    }

    #[test]
    fn prepared_code_is_what_the_renderer_asks_for() {
        use crate::render::context::RenderContext;

        let blocks = crate::unit_tests::sample::kitchen_sink();
        let code: Vec<Code> = code_blocks(&blocks).into_iter().cloned().collect();
        assert!(
            code.len() >= 2,
            "the kitchen sink has a Rust and a Python block"
        );
        let memo = HighlightMemo::default();
        memo.prepare(&code);
        let prepared = memo.lock().len();
        assert!(prepared >= 1);

        let assets = crate::assets::AssetMap::default();
        let links = crate::site::LinkMap::default();
        let mut ctx = RenderContext::new(
            &assets,
            &crate::render::UnderBase(""),
            &links,
            crate::unit_tests::sample::kitchen_sink_page(""),
        );
        ctx.highlights = Some(&memo);
        let html = crate::render::render_page(&blocks, &ctx).html;
        assert!(html.contains("hl-"), "{html}");
        assert_eq!(
            memo.lock().len(),
            prepared,
            "rendering highlighted new code"
        );
    }

    #[test]
    fn unknown_languages_are_escaped_text() {
        assert_eq!(highlight("<x>", "notion formula"), "&lt;x&gt;");
        assert_eq!(language_class("C++\" onload=x"), "c++-onloadx");
        assert_eq!(language_class("plain text"), "plain-text");
    }
}
