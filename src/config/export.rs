//! The `[export]` table: defaults for `notion-bake export` (plugin mode), each overridable on
//! the command line.

use std::path::PathBuf;

/// The generators notion-bake exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Hugo: page bundles with YAML front matter, HTML islands through shortcodes.
    Hugo,
    /// Zola: page bundles with TOML front matter, HTML islands as they are.
    Zola,
    /// mdBook: chapters under `src/`, listed in a marked region of `SUMMARY.md`.
    Mdbook,
    /// Plain CommonMark + GFM with YAML front matter, for Eleventy, Jekyll, Astro, …
    Markdown,
}

impl Target {
    /// Every target, in the order help texts list them.
    pub const ALL: [Target; 4] = [Target::Hugo, Target::Zola, Target::Mdbook, Target::Markdown];

    /// `hugo`, `zola`, `mdbook`, `markdown`.
    pub fn name(self) -> &'static str {
        match self {
            Target::Hugo => "hugo",
            Target::Zola => "zola",
            Target::Mdbook => "mdbook",
            Target::Markdown => "markdown",
        }
    }

    /// The target of a name, as `--to` and `[export] to` give it.
    pub fn parse(name: &str) -> Option<Target> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "hugo" => Target::Hugo,
            "zola" => Target::Zola,
            "mdbook" => Target::Mdbook,
            "markdown" | "md" => Target::Markdown,
            _ => return None,
        })
    }
}

/// How the Markdown target names files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MarkdownFlavor {
    /// `<section>/<slug>.md`, files beside it.
    #[default]
    Plain,
    /// Jekyll: `_posts/YYYY-MM-DD-<slug>.md`, files under `assets/<section>/`.
    Jekyll,
}

impl MarkdownFlavor {
    /// The flavour of a name, as `--flavor` and `[export] flavor` give it.
    pub fn parse(name: &str) -> Option<MarkdownFlavor> {
        match name.trim().to_ascii_lowercase().as_str() {
            "plain" | "" => Some(MarkdownFlavor::Plain),
            "jekyll" => Some(MarkdownFlavor::Jekyll),
            _ => None,
        }
    }
}

/// The validated `[export]` table; every key is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExportConfig {
    /// The default `--to`.
    pub to: Option<Target>,
    /// The default `--into`, relative to the site folder when written relative.
    pub into: Option<PathBuf>,
    /// The folder of the generator's content the posts go to (default: the blog's `path`).
    pub section: Option<String>,
    /// The Markdown target's file naming.
    pub flavor: MarkdownFlavor,
    /// The front matter keys the cover is written under, instead of the target's defaults.
    pub cover_keys: Option<Vec<String>>,
}
