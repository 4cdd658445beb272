//! Tera templates with fallback: the site's `templates/` → the theme's `templates/` → the
//! built-ins embedded in the binary, so notion-bake works with no template files at all.
//!
//! Tera 1.20 on purpose: mature, and what Zola uses, so Zola-style themes port easily.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::error::Error as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use tera::Tera;

/// The built-in templates, by name.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("macros.html", include_str!("../../templates/macros.html")),
    ("base.html", include_str!("../../templates/base.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("post.html", include_str!("../../templates/post.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("404.html", include_str!("../../templates/404.html")),
    (
        "redirect.html",
        include_str!("../../templates/redirect.html"),
    ),
    ("removed.html", include_str!("../../templates/removed.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("feed.xml", include_str!("../../templates/feed.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    (
        "database/heading.html",
        include_str!("../../templates/database/heading.html"),
    ),
    (
        "database/table.html",
        include_str!("../../templates/database/table.html"),
    ),
    (
        "database/gallery.html",
        include_str!("../../templates/database/gallery.html"),
    ),
    (
        "database/list.html",
        include_str!("../../templates/database/list.html"),
    ),
    (
        "database/board.html",
        include_str!("../../templates/database/board.html"),
    ),
    (
        "database/calendar.html",
        include_str!("../../templates/database/calendar.html"),
    ),
];

/// The default theme's static files, embedded so it works without the repository's `themes/`.
const DEFAULT_THEME_STATIC: &[(&str, &str)] = &[(
    "style.css",
    include_str!("../../themes/default/static/style.css"),
)];

/// A file the theme (or site) ships under `static/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StaticFile {
    /// Path under `static/`, with `/` separators: `style.css`, `fonts/x.woff2`.
    pub(crate) path: String,
    pub(crate) bytes: Cow<'static, [u8]>,
}

/// Where a theme lives.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ThemeSource {
    /// `SITE_DIR/themes/<name>/`.
    Dir(PathBuf),
    /// The default theme embedded in the binary.
    BuiltIn,
}

/// Finds the theme: `SITE_DIR/themes/<name>/` first, then the built-in `default`.
fn find_theme(site_dir: &Path, theme: &str) -> anyhow::Result<ThemeSource> {
    if theme.is_empty()
        || theme.starts_with('.')
        || theme.contains(['/', '\\'])
        || theme.contains("..")
    {
        bail!("theme name {theme:?} is not a folder name (set `theme` in notion-bake.toml)");
    }
    let dir = site_dir.join("themes").join(theme);
    if dir.is_dir() {
        return Ok(ThemeSource::Dir(dir));
    }
    if theme == "default" {
        return Ok(ThemeSource::BuiltIn);
    }
    bail!(
        "theme {theme:?} not found: looked for the folder {} (built-in themes: default)",
        dir.display()
    )
}

/// The theme's static files (the site module copies them to `public/static/`).
pub(crate) fn theme_static_files(site_dir: &Path, theme: &str) -> anyhow::Result<Vec<StaticFile>> {
    match find_theme(site_dir, theme)? {
        ThemeSource::BuiltIn => Ok(DEFAULT_THEME_STATIC
            .iter()
            .map(|(path, text)| StaticFile {
                path: (*path).to_owned(),
                bytes: Cow::Borrowed(text.as_bytes()),
            })
            .collect()),
        ThemeSource::Dir(dir) => {
            let root = dir.join("static");
            let mut files = Vec::new();
            if !root.is_dir() {
                return Ok(files);
            }
            for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
                let entry = entry.with_context(|| format!("reading {}", root.display()))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let bytes = std::fs::read(entry.path())
                    .with_context(|| format!("reading {}", entry.path().display()))?;
                files.push(StaticFile {
                    path: relative_name(&root, entry.path()),
                    bytes: Cow::Owned(bytes),
                });
            }
            Ok(files)
        }
    }
}

fn relative_name(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The loaded templates.
pub struct Templates {
    tera: Tera,
    /// Template name → where it came from (`built-in post.html`, a file path), and its source.
    sources: BTreeMap<String, (String, String)>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("templates", &self.sources.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Templates {
    /// Loads the built-ins, then the theme's `templates/`, then `SITE_DIR/templates/`, each
    /// overriding the previous one template by template.
    pub fn load(site_dir: &Path, theme: &str) -> anyhow::Result<Templates> {
        let mut sources = builtin_sources();
        if let ThemeSource::Dir(dir) = find_theme(site_dir, theme)? {
            read_template_dir(&dir.join("templates"), &mut sources)?;
        }
        read_template_dir(&site_dir.join("templates"), &mut sources)?;
        Templates::from_sources(sources)
    }

    /// The built-in templates alone.
    pub fn builtin() -> Templates {
        Templates::from_sources(builtin_sources()).expect("the built-in templates parse")
    }

    fn from_sources(sources: BTreeMap<String, (String, String)>) -> anyhow::Result<Templates> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        // Our escaping (`&<>"'`), valid in HTML text, attributes and XML alike; unlike Tera's
        // default it leaves `/` alone, so URLs stay readable.
        tera.set_escape_fn(super::html::escape_attr);
        // Parse each template alone first, so a syntax error names its file and line.
        for (name, (origin, text)) in &sources {
            let mut probe = Tera::default();
            if let Err(error) = probe.add_raw_template(name, text)
                && is_syntax_error(&error)
            {
                bail!("template {origin}: {}", error_chain(&error));
            }
        }
        tera.add_raw_templates(sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
            .map_err(|e| anyhow::anyhow!("templates: {}", error_chain(&e)))?;
        Ok(Templates { tera, sources })
    }

    /// Renders a template; errors name the template, its origin and, when a variable is to blame,
    /// the line that uses it.
    pub(crate) fn render(&self, name: &str, context: &tera::Context) -> anyhow::Result<String> {
        self.tera.render(name, context).map_err(|error| {
            let chain = error_chain(&error);
            let origin = self
                .sources
                .get(name)
                .map_or(name, |(origin, _)| origin.as_str());
            let location = self.locate(name, &chain);
            anyhow::anyhow!("rendering template {origin}{location}: {chain}")
        })
    }

    /// Where a template came from (`built-in post.html` or a file path).
    #[cfg(test)]
    pub(crate) fn origin(&self, name: &str) -> Option<&str> {
        self.sources.get(name).map(|(origin, _)| origin.as_str())
    }

    /// ` (line N of <origin>)` for the first backticked name in the error that a template uses.
    fn locate(&self, name: &str, chain: &str) -> String {
        let names: Vec<&str> = chain.split('`').skip(1).step_by(2).collect();
        let ordered = std::iter::once(name).chain(
            self.sources
                .keys()
                .map(String::as_str)
                .filter(move |n| *n != name),
        );
        for template in ordered {
            let Some((origin, text)) = self.sources.get(template) else {
                continue;
            };
            for needle in &names {
                if let Some(line) = text.lines().position(|l| l.contains(needle)) {
                    return format!(" (line {} of {origin})", line + 1);
                }
            }
        }
        String::new()
    }
}

/// The built-in templates by name, each also as `builtin/<name>`, so that an override can
/// extend the template it replaces (`{% extends "builtin/post.html" %}` in `post.html`).
fn builtin_sources() -> BTreeMap<String, (String, String)> {
    BUILTIN_TEMPLATES
        .iter()
        .flat_map(|(name, text)| {
            let source = (format!("built-in {name}"), (*text).to_owned());
            [
                ((*name).to_owned(), source.clone()),
                (format!("builtin/{name}"), source),
            ]
        })
        .collect()
}

/// A parse error (as opposed to a reference to another template, checked when all are loaded).
fn is_syntax_error(error: &tera::Error) -> bool {
    error.to_string().starts_with("Failed to parse")
}

fn read_template_dir(
    dir: &Path,
    sources: &mut BTreeMap<String, (String, String)>,
) -> anyhow::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let name = relative_name(dir, entry.path());
        if name.starts_with('.') || name.ends_with(".md") || name.ends_with('~') {
            continue;
        }
        let text = std::fs::read_to_string(entry.path())
            .with_context(|| format!("reading template {}", entry.path().display()))?;
        sources.insert(name, (entry.path().display().to_string(), text));
    }
    Ok(())
}

/// A Tera error and its causes on one line each (Tera's parse errors carry `--> line:col`).
fn error_chain(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str("\n  ");
        text.push_str(&cause.to_string().replace('\n', "\n  "));
        source = cause.source();
    }
    text
}
