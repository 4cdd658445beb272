//! `mdbook-notion-bake`: an mdBook preprocessor that fills a placeholder chapter with the
//! Notion site as chapters, inside `mdbook build`. mdBook runs it as `mdbook-notion-bake
//! supports <renderer>` (exit 0: every renderer is supported, the chapters are Markdown), then
//! with `[context, book]` as JSON on stdin, and reads the book back from stdout.
//!
//! ```toml
//! [preprocessor.notion-bake]
//! site = "../my-site"     # the notion-bake site folder, relative to book.toml (default ".")
//! section = "notion"      # chapters at src/notion/<slug>.md, files in src/notion/assets/
//! ```
//!
//! Any chapter whose text holds `{{#notion-bake}}` gets the pages as its sub-chapters. Pages
//! come from the site's cache, fetched from Notion first when `NOTION_TOKEN` is set; baked
//! files are written to `src/<section>/assets/` (and only files notion-bake wrote there are
//! ever replaced or removed).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use mdbook_preprocessor::book::{Book, BookItem, Chapter, SectionNumber};

use super::{Entry, Exporter, entries};
use crate::config::SiteConfig;
use crate::output::{OwnedManifest, write_owned};
use crate::render::{OutputFile, Renderer};

/// The text that marks the chapter the pages go under.
const PLACEHOLDER: &str = "{{#notion-bake}}";

/// `[preprocessor.notion-bake]` in `book.toml`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Settings {
    site: Option<PathBuf>,
    section: Option<String>,
}

/// The preprocessor's `main`.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("supports") {
        // The chapters are plain Markdown: every renderer can take them.
        return ExitCode::SUCCESS;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let message = format!("{error:#}");
            eprintln!("mdbook-notion-bake: {}", crate::secrets::scrub(&message));
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let (context, book) = mdbook_preprocessor::parse_input(std::io::stdin().lock())
        .context("reading mdBook's [context, book] from stdin")?;
    let settings: Settings = context
        .config
        .get("preprocessor.notion-bake")
        .context("reading [preprocessor.notion-bake] in book.toml")?
        .unwrap_or_default();
    let site_dir = context
        .root
        .join(settings.site.unwrap_or_else(|| PathBuf::from(".")));
    let config = SiteConfig::load(&site_dir)
        .with_context(|| format!("loading the notion-bake site in {}", site_dir.display()))?;
    let section = settings
        .section
        .or_else(|| config.blog.as_ref().map(|b| b.path.clone()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "notion".to_owned());
    let src = context.root.join(&context.config.book.src);
    let runtime = tokio::runtime::Runtime::new()?;
    let book = runtime.block_on(fill(&config, &src, &section, book))?;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, &book)?;
    out.flush()?;
    Ok(())
}

/// The book with the site's pages under every placeholder chapter; the baked files written
/// under `src`.
async fn fill(
    config: &SiteConfig,
    src: &Path,
    section: &str,
    mut book: Book,
) -> anyhow::Result<Book> {
    let prepared = crate::pipeline::prepare_for_export(config).await?;
    if let Some(notice) = &prepared.offline_notice {
        eprintln!("mdbook-notion-bake: {notice}");
    }
    let site = &prepared.site;
    let layout = super::mdbook::MdBook {
        section: section.to_owned(),
    };
    let manifest_path = config
        .site_dir
        .join(".notion-bake/export-mdbook-preprocessor.json");
    let previous = OwnedManifest::load(&manifest_path)?;
    let exporter = Exporter {
        layout: &layout,
        config,
        previous: &previous,
    };
    let rendered = exporter.render(site)?;
    for warning in &rendered.warnings {
        eprintln!(
            "mdbook-notion-bake: warning: {}",
            crate::secrets::scrub(warning)
        );
    }
    // The chapters go to mdBook in memory; only the baked files need to be on disk, where
    // mdBook copies everything of `src` into the book.
    let mut chapters = std::collections::HashMap::new();
    let mut files = Vec::new();
    for file in rendered.files {
        match file {
            OutputFile::Generated { path, bytes } if path.ends_with(".md") => {
                chapters.insert(path, String::from_utf8_lossy(&bytes).into_owned());
            }
            OutputFile::Copied { path, source } => files.push(OutputFile::Copied {
                path: path.strip_prefix("src/").unwrap_or(&path).to_owned(),
                source,
            }),
            _ => {}
        }
    }
    std::fs::create_dir_all(src)?;
    let changes = write_owned(
        src,
        &files,
        &previous,
        Default::default(),
        &manifest_path,
        false,
        false,
    )?;
    if changes.any() {
        eprintln!(
            "mdbook-notion-bake: {} file(s) written, {} removed in {}",
            changes.created.len() + changes.updated.len(),
            changes.deleted.len(),
            src.join(section).join("assets").display()
        );
    }
    let entries = entries(site);
    let fill = Fill {
        sub_chapters: &|number: &SectionNumber, parents: &[String]| {
            sub_chapters(&entries, &layout, &chapters, number, parents)
        },
        contents: &|from: &str| {
            super::mdbook::summary_lines(
                &entries,
                |i| super::relative(from, &layout.chapter_path(&entries, i)),
                0,
            )
        },
    };
    let mut filled = 0;
    for item in &mut book.items {
        fill_item(item, &fill, &mut filled);
    }
    if filled == 0 {
        eprintln!(
            "mdbook-notion-bake: no chapter holds {PLACEHOLDER}; add it to the chapter the Notion pages should go under"
        );
    }
    Ok(book)
}

/// What a placeholder chapter gets: the pages as its sub-chapters, and in place of the
/// placeholder a list of links to them (from the chapter's own path), so its page is their
/// table of contents.
struct Fill<'f> {
    sub_chapters: &'f dyn Fn(&SectionNumber, &[String]) -> Vec<BookItem>,
    contents: &'f dyn Fn(&str) -> String,
}

fn fill_item(item: &mut BookItem, fill: &Fill<'_>, filled: &mut usize) {
    let BookItem::Chapter(chapter) = item else {
        return;
    };
    if chapter.content.contains(PLACEHOLDER) {
        let from = chapter
            .path
            .as_deref()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        chapter.content = chapter
            .content
            .replace(PLACEHOLDER, (fill.contents)(&from).trim_end());
        let number = chapter.number.clone().unwrap_or_default();
        let mut parents = chapter.parent_names.clone();
        parents.push(chapter.name.clone());
        chapter
            .sub_items
            .extend((fill.sub_chapters)(&number, &parents));
        *filled += 1;
    }
    for sub in &mut chapter.sub_items {
        fill_item(sub, fill, filled);
    }
}

/// The pages as chapters, in the order of the export's `SUMMARY.md` region.
fn sub_chapters(
    entries: &[Entry<'_>],
    layout: &super::mdbook::MdBook,
    contents: &std::collections::HashMap<String, String>,
    number: &SectionNumber,
    parents: &[String],
) -> Vec<BookItem> {
    fn chapter(
        entries: &[Entry<'_>],
        layout: &super::mdbook::MdBook,
        contents: &std::collections::HashMap<String, String>,
        index: usize,
        number: SectionNumber,
        parents: &[String],
    ) -> BookItem {
        let path = layout.chapter_path(entries, index);
        let content = contents
            .get(&format!("src/{path}"))
            .cloned()
            .unwrap_or_default();
        let mut item = Chapter::new(entries[index].title, content, &path, parents.to_vec());
        // Generated: there is no file of this name on disk.
        item.source_path = None;
        let mut child_parents = parents.to_vec();
        child_parents.push(entries[index].title.to_owned());
        item.sub_items = entries[index]
            .children
            .iter()
            .enumerate()
            .map(|(i, &child)| {
                let mut n = number.clone();
                if !n.is_empty() {
                    n.push(i as u32 + 1);
                }
                chapter(entries, layout, contents, child, n, &child_parents)
            })
            .collect();
        item.number = (!number.is_empty()).then_some(number);
        BookItem::Chapter(item)
    }
    super::mdbook::chapter_order(entries)
        .into_iter()
        .enumerate()
        .map(|(i, index)| {
            let mut n = number.clone();
            if !n.is_empty() {
                n.push(i as u32 + 1);
            }
            chapter(entries, layout, contents, index, n, parents)
        })
        .collect()
}
