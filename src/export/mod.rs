//! Plugin mode: the resolved site written into another generator's project (Hugo, Zola,
//! mdBook, plain Markdown) instead of as HTML. Each target is one more [`Renderer`] of the same
//! site: the same crawl, cache, baked files and variants; bodies in Markdown with HTML islands
//! (`markdown`); every file it writes recorded in an owned-file manifest
//! (`output::write_owned`) so re-exports are idempotent and deletions are exact.

mod front_matter;
mod hugo;
pub(crate) mod markdown;
mod mdbook;
mod plain;
pub mod preprocessor;
mod zola;

use std::collections::BTreeMap;

use anyhow::bail;

use crate::notion::model::{self, Block, FileSource, Icon, NamedFile, Page};
use crate::output::{OwnedManifest, PageUrls};
use crate::render::{OutputFile, PageInfo, RenderContext, Rendered, Renderer, Urls};
use crate::site::{Post, Site};

use crate::config::{MarkdownFlavor, Target};
pub(crate) use mdbook::{BEGIN_MARKER, END_MARKER};

/// What an export writes, besides the site itself.
#[derive(Debug, Clone)]
pub struct ExportSettings {
    /// The generator to write for.
    pub target: Target,
    /// The folder under the generator's content for posts (`posts`).
    pub section: String,
    /// How the Markdown target names files (the other targets ignore it).
    pub flavor: MarkdownFlavor,
}

impl ExportSettings {
    /// The layout of the target.
    pub(crate) fn layout(&self) -> Box<dyn Layout> {
        let section = self.section.clone();
        match self.target {
            Target::Hugo => Box::new(hugo::Hugo { section }),
            Target::Zola => Box::new(zola::Zola { section }),
            Target::Mdbook => Box::new(mdbook::MdBook { section }),
            Target::Markdown => Box::new(plain::Plain {
                section,
                flavor: self.flavor,
            }),
        }
    }

    /// Where the export's owned-file manifest lives in the site's cache.
    pub(crate) fn manifest_path(&self, site_dir: &std::path::Path) -> std::path::PathBuf {
        site_dir
            .join(".notion-bake")
            .join(format!("export-{}.json", self.target.name()))
    }

    /// A note for the user after an export, when the target needs one.
    pub(crate) fn hint(&self) -> Option<String> {
        match self.target {
            Target::Zola => Some(format!(
                "Zola needs the tags taxonomy in config.toml: {}",
                zola::TAXONOMY_HINT
            )),
            Target::Mdbook => Some(format!(
                "the chapters are listed in src/SUMMARY.md between {BEGIN_MARKER} and {END_MARKER}"
            )),
            _ => None,
        }
    }
}

/// One page as an export writes it: a post or a standalone (or child) page.
pub(crate) struct Entry<'s> {
    page: &'s Page,
    blocks: &'s [Block],
    title: &'s str,
    /// The page's site path (`posts/hello/`, `about/team/`), the key links use.
    site_path: &'s str,
    /// For posts: date, tags, description, slug.
    post: Option<&'s Post>,
    /// Indices of the pages beneath it.
    children: Vec<usize>,
    parent: Option<usize>,
}

impl Entry<'_> {
    /// The last segment of the site path: the slug of a post, of a child page.
    pub(crate) fn slug(&self) -> &str {
        self.site_path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
    }
}

/// Every post (newest first) and every page (each before its child pages) of the site.
pub(crate) fn entries(site: &Site) -> Vec<Entry<'_>> {
    let mut entries: Vec<Entry<'_>> = site
        .posts
        .iter()
        .map(|post| Entry {
            page: &post.page,
            blocks: &post.blocks,
            title: &post.title,
            site_path: &post.path,
            post: Some(post),
            children: Vec::new(),
            parent: None,
        })
        .collect();
    let first_page = entries.len();
    for page in &site.pages {
        let parent = page.ancestors.last().and_then(|parent| {
            site.pages
                .iter()
                .position(|p| p.path == parent.path)
                .map(|i| first_page + i)
        });
        entries.push(Entry {
            page: &page.page,
            blocks: &page.blocks,
            title: &page.title,
            site_path: &page.path,
            post: None,
            children: Vec::new(),
            parent,
        });
    }
    for i in 0..entries.len() {
        if let Some(parent) = entries[i].parent {
            entries[parent].children.push(i);
        }
    }
    entries
}

/// Where a target puts things and how it links to them.
pub(crate) trait Layout: Sync {
    /// The Markdown file of an entry, relative to the target's root.
    fn file_of(&self, entries: &[Entry<'_>], index: usize) -> String;
    /// The folder (relative to the root, ending in `/`) the entry's baked files go to.
    fn assets_dir_of(&self, entries: &[Entry<'_>], index: usize) -> String;
    /// The entry's URL in the generated site, for aliases (`/posts/hello/`).
    fn url_of(&self, entries: &[Entry<'_>], index: usize) -> String;
    /// A link from entry `from` to entry `to` in Markdown, and inside an HTML island.
    fn markdown_link(&self, entries: &[Entry<'_>], from: usize, to: usize) -> String;
    fn html_link(&self, entries: &[Entry<'_>], from: usize, to: usize) -> String;
    /// A block of HTML and a run of inline HTML, as the target carries them.
    fn island(&self, kind: &str, html: &str) -> String;
    fn inline(&self, html: &str) -> String;
    /// The line that ends a post's summary in its body, where the target's list pages read
    /// summaries from the body (Zola's `<!-- more -->`).
    fn summary_break(&self) -> Option<&'static str> {
        None
    }
    /// The URL of a baked file (by its name) from entry `from`: by default relative to the
    /// entry's file.
    fn asset_url(&self, entries: &[Entry<'_>], from: usize, name: &str) -> String {
        let dir = self.assets_dir_of(entries, from);
        relative(&self.file_of(entries, from), &format!("{dir}{name}"))
    }
    /// The whole file: front matter (or title) and body.
    fn document(&self, page: &PageOut<'_>) -> String;
    /// Files the target needs besides the pages (Hugo's shortcodes, Zola's section, mdBook's
    /// `SUMMARY.md` region).
    fn extra_files(&self, site: &Site, entries: &[Entry<'_>]) -> Vec<OutputFile>;
}

/// A cover or an icon image, as front matter and chapter headers name it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Picture {
    /// The baked file's name in the entry's assets folder; `None` for an external image.
    pub(crate) file: Option<String>,
    /// Its URL as the entry's body links it: the baked copy's, or the external URL as written.
    pub(crate) url: String,
}

/// A page's icon as an export writes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PageIcon {
    /// An emoji, as text.
    Emoji(String),
    /// An image icon (a custom emoji, an external or a Notion-hosted image).
    Image(Picture),
}

impl PageIcon {
    /// The icon as one front matter string: the emoji, or the image's URL (`file_url` turns a
    /// baked file into the URL the target's front matter uses).
    fn front_matter(&self, file_url: impl Fn(&str) -> String) -> String {
        match self {
            PageIcon::Emoji(emoji) => emoji.clone(),
            PageIcon::Image(picture) => picture.front_matter(file_url),
        }
    }
}

impl Picture {
    /// The picture as front matter names it: `file_url(name)` for a baked file, the URL as
    /// written for an external one.
    fn front_matter(&self, file_url: impl Fn(&str) -> String) -> String {
        match &self.file {
            Some(name) => file_url(name),
            None => self.url.clone(),
        }
    }
}

/// One page's export: what [`Layout::document`] writes.
pub(crate) struct PageOut<'a> {
    entry: &'a Entry<'a>,
    body: String,
    /// The cover, baked or external.
    cover: Option<Picture>,
    /// The icon: an emoji, or an image baked or external.
    icon: Option<PageIcon>,
    /// The front matter keys the cover goes under (`[export] cover_keys`), or `None` for the
    /// target's defaults.
    cover_keys: Option<&'a [String]>,
    /// Earlier URLs of the page, for redirects.
    aliases: Vec<String>,
    /// Every property but the six `[blog.properties]` maps, as plain values (files as
    /// `{name, url}`), for front matter.
    properties: Vec<(String, serde_json::Value)>,
    /// The page's file, relative to the target's root.
    file: String,
    draft: bool,
}

impl PageOut<'_> {
    /// The front matter keys for the cover: `[export] cover_keys`, or the target's `defaults`.
    fn cover_keys<'k>(&'k self, defaults: &[&'k str]) -> Vec<&'k str> {
        match self.cover_keys {
            Some(keys) => keys.iter().map(String::as_str).collect(),
            None => defaults.to_vec(),
        }
    }
}

/// A target's renderer: every entry as a Markdown file with its baked files beside it, plus
/// the target's extra files.
pub(crate) struct Exporter<'a> {
    pub(crate) layout: &'a dyn Layout,
    pub(crate) config: &'a crate::config::SiteConfig,
    /// The previous export's URLs, for aliases.
    pub(crate) previous: &'a OwnedManifest,
}

impl Exporter<'_> {
    /// The URLs of the exported pages, to record in the manifest.
    pub(crate) fn page_urls(&self, site: &Site) -> BTreeMap<String, PageUrls> {
        let entries = entries(site);
        (0..entries.len())
            .map(|i| {
                let url = self.layout.url_of(&entries, i);
                let aliases = self.previous.aliases_for(&entries[i].page.id, &url);
                (entries[i].page.id.clone(), PageUrls { url, aliases })
            })
            .collect()
    }
}

impl Exporter<'_> {
    /// Where a file of a `files` property is linked from entry `index`: its baked copy beside
    /// the entry, or its external URL as written. `None` for a hosted file that is not baked,
    /// and for an external URL whose scheme a page may not link to (`javascript:`, …).
    fn file_url(
        &self,
        site: &Site,
        entries: &[Entry<'_>],
        index: usize,
        file: &NamedFile,
    ) -> Option<String> {
        match &file.source {
            FileSource::External { url } => crate::render::html::safe_href(url),
            source => {
                let asset = site.assets.get(source.key()?)?;
                Some(
                    self.layout
                        .asset_url(entries, index, file_name(&asset.path)),
                )
            }
        }
    }
}

impl Exporter<'_> {
    /// A cover or icon image from entry `index`: its baked copy, or the external URL as
    /// written when its scheme is one a page may link to. `None` for a hosted file that is not
    /// baked.
    fn picture(
        &self,
        site: &Site,
        entries: &[Entry<'_>],
        index: usize,
        source: &FileSource,
    ) -> Option<Picture> {
        match source {
            FileSource::External { url } => {
                crate::render::html::safe_href(url)?;
                Some(Picture {
                    file: None,
                    url: url.clone(),
                })
            }
            source => {
                let asset = site.assets.get(source.key()?)?;
                let name = file_name(&asset.path).to_owned();
                Some(Picture {
                    url: self.layout.asset_url(entries, index, &name),
                    file: Some(name),
                })
            }
        }
    }
}

impl Renderer for Exporter<'_> {
    fn render(&self, site: &Site) -> anyhow::Result<Rendered> {
        let entries = entries(site);
        // The databases inside pages: a gallery is the HTML `build` renders, through the same
        // (overridable) templates.
        let templates = crate::render::Templates::load(&self.config.site_dir, &self.config.theme)?;
        let databases = crate::render::database::DatabaseTemplates {
            site,
            templates: &templates,
        };
        let mut rendered = Rendered::default();
        let mut seen_paths = std::collections::BTreeSet::new();
        for index in 0..entries.len() {
            let entry = &entries[index];
            let here = Here {
                layout: self.layout,
                entries: &entries,
                from: index,
            };
            let info = PageInfo {
                id: entry.page.id.clone(),
                title: entry.title.to_owned(),
                url: self.layout.url_of(&entries, index),
                ancestors: Vec::new(),
            };
            let mut ctx = RenderContext::new(&site.assets, &here, &site.links, info);
            ctx.databases = Some(&databases);
            ctx.block_anchors = false;
            let file_url = |file: &NamedFile| self.file_url(site, &entries, index, file);
            let mut body = markdown::page_markdown(entry.blocks, &ctx, &here);
            body.push_str(&attachments(entry.page, self.config, &file_url));
            rendered
                .warnings
                .extend(ctx.take_warnings().iter().map(ToString::to_string));
            let assets_dir = self.layout.assets_dir_of(&entries, index);
            let picture = |source: &FileSource| self.picture(site, &entries, index, source);
            let cover = entry.page.cover.as_ref().and_then(picture);
            let icon = entry.page.icon.as_ref().and_then(|icon| match icon {
                Icon::Emoji(emoji) if !emoji.is_empty() => Some(PageIcon::Emoji(emoji.clone())),
                Icon::CustomEmoji { url, .. } => {
                    picture(&FileSource::External { url: url.clone() }).map(PageIcon::Image)
                }
                Icon::File(source) => picture(source).map(PageIcon::Image),
                _ => None,
            });
            let url = self.layout.url_of(&entries, index);
            let out = PageOut {
                entry,
                body,
                cover,
                icon,
                cover_keys: self.config.export.cover_keys.as_deref(),
                aliases: self.previous.aliases_for(&entry.page.id, &url),
                properties: plain_properties(entry.page, self.config, &file_url),
                file: self.layout.file_of(&entries, index),
                draft: entry.post.is_some_and(|p| !p.published),
            };
            rendered.files.push(OutputFile::Generated {
                path: out.file.clone(),
                bytes: self.layout.document(&out).into_bytes(),
            });
            for file in asset_files(site, entry) {
                let path = format!("{assets_dir}{}", file_name(file.path));
                if seen_paths.insert(path.clone()) {
                    rendered.files.push(OutputFile::Copied {
                        path,
                        source: file.source.to_owned(),
                    });
                }
            }
        }
        rendered
            .files
            .extend(self.layout.extra_files(site, &entries));
        check_unique(&rendered.files)?;
        Ok(rendered)
    }
}

/// Two entries (or an entry and an extra file) must not share a path.
fn check_unique(files: &[OutputFile]) -> anyhow::Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    for file in files {
        if !seen.insert(file.path()) {
            bail!(
                "two pages would be exported to {}; give one of them another slug or path",
                file.path()
            );
        }
    }
    Ok(())
}

/// A baked file's name without its folder: `assets/photo-1a2b.jpg` → `photo-1a2b.jpg`.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The baked files an entry uses (originals and variants), each once.
fn asset_files<'s>(site: &'s Site, entry: &Entry<'s>) -> Vec<crate::assets::AssetFile<'s>> {
    let mut keys = Vec::new();
    model::page_files(entry.page, entry.blocks, &mut |_, file| {
        keys.extend(file.key().cloned());
    });
    // The databases on the page show their rows' covers, icons and files.
    for database in databases_in(entry.blocks).filter_map(|id| site.database(id)) {
        database.files(&mut |file| keys.extend(file.key().cloned()));
    }
    let mut files: Vec<crate::assets::AssetFile<'s>> = keys
        .iter()
        .filter_map(|key| site.assets.get(key))
        .flat_map(|asset| {
            let original = crate::assets::AssetFile {
                path: &asset.path,
                source: &asset.source,
            };
            let variants = asset.image.iter().flat_map(|info| &info.variants);
            std::iter::once(original).chain(variants.map(|v| crate::assets::AssetFile {
                path: &v.path,
                source: &v.source,
            }))
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(b.path));
    files.dedup_by(|a, b| a.path == b.path);
    files
}

/// The ids of the databases a page's blocks show: `child_database` blocks and links to
/// databases, at any depth.
fn databases_in(blocks: &[Block]) -> impl Iterator<Item = &str> {
    fn walk<'b>(blocks: &'b [Block], out: &mut Vec<&'b str>) {
        for block in blocks {
            match &block.kind {
                model::BlockKind::ChildDatabase { .. } => out.push(&block.id),
                model::BlockKind::LinkToPage(model::LinkTarget::Database(id)) => out.push(id),
                _ => {}
            }
            crate::deep::grow(|| walk(&block.children, out));
        }
    }
    let mut out = Vec::new();
    walk(blocks, &mut out);
    out.into_iter()
}

/// The `files` properties `[blog] show_properties` selects (by default every one) as a list of
/// links after the body, as `build`'s default theme shows them: hosted files linking to their
/// baked copy, external ones to their URL as written.
fn attachments(
    page: &Page,
    config: &crate::config::SiteConfig,
    file_url: &dyn Fn(&NamedFile) -> Option<String>,
) -> String {
    use crate::notion::model::PropertyValue as P;
    let blog = config.blog.as_ref();
    let shown = |name: &String| match blog.and_then(|b| b.show_properties.as_ref()) {
        Some(names) => names.contains(name),
        None => true,
    };
    let mut out = String::new();
    for (name, value) in &page.properties {
        let P::Files(files) = value else { continue };
        if !shown(name) || blog.is_some_and(|b| b.properties.all().contains(&name.as_str())) {
            continue;
        }
        let links: Vec<String> = files
            .iter()
            .filter_map(|file| {
                let url = file_url(file)?;
                Some(format!(
                    "- [{}]({})\n",
                    markdown::escape(&file.name),
                    markdown::link_destination(&url)
                ))
            })
            .collect();
        if !links.is_empty() {
            out.push_str(&format!(
                "\n**{}**\n\n{}",
                markdown::escape(name),
                links.concat()
            ));
        }
    }
    out
}

/// Every property of a page but the six the site maps, as JSON values for front matter: text
/// as text, numbers and booleans as themselves, lists (tags, people) as lists of text, files
/// as `{name, url}` (the baked copy's URL, or the external URL as written).
fn plain_properties(
    page: &Page,
    config: &crate::config::SiteConfig,
    file_url: &dyn Fn(&NamedFile) -> Option<String>,
) -> Vec<(String, serde_json::Value)> {
    use crate::notion::model::PropertyValue as P;
    let mapped = config
        .blog
        .as_ref()
        .map(|b| b.properties.all().map(str::to_owned).to_vec())
        .unwrap_or_default();
    page.properties
        .iter()
        .filter(|(name, value)| !mapped.contains(name) && !matches!(value, P::Title(_)))
        .filter_map(|(name, value)| {
            let json = match value {
                P::Number(Some(n)) if n.fract() == 0.0 && n.abs() < 1e15 => {
                    serde_json::json!(*n as i64)
                }
                P::Number(Some(n)) => serde_json::json!(n),
                P::Checkbox(b) => serde_json::json!(b),
                P::MultiSelect(options) => {
                    serde_json::json!(options.iter().map(|o| &o.name).collect::<Vec<_>>())
                }
                P::People(people) => serde_json::json!(
                    people
                        .iter()
                        .filter_map(|p| p.name.as_ref())
                        .collect::<Vec<_>>()
                ),
                P::Files(files) => serde_json::json!(
                    files
                        .iter()
                        .filter_map(|f| Some(
                            serde_json::json!({"name": f.name, "url": file_url(f)?})
                        ))
                        .collect::<Vec<_>>()
                ),
                P::Button | P::Unknown { .. } | P::Relation { .. } => return None,
                // A theme may well put a URL property into an `href`: the link check decides.
                P::Url(Some(url)) => serde_json::json!(crate::render::html::safe_href(url)?),
                other => {
                    let text = other.plain_text();
                    if text.is_empty() {
                        return None;
                    }
                    serde_json::json!(text)
                }
            };
            Some((name.clone(), json))
        })
        .collect()
}

/// Links and file URLs as seen from the page being exported.
struct Here<'a> {
    layout: &'a dyn Layout,
    entries: &'a [Entry<'a>],
    from: usize,
}

impl Here<'_> {
    fn entry_at(&self, path: &str) -> Option<usize> {
        self.entries.iter().position(|e| e.site_path == path)
    }
}

impl Urls for Here<'_> {
    fn page(&self, path: &str) -> String {
        match self.entry_at(path) {
            Some(to) => self.layout.html_link(self.entries, self.from, to),
            // A page the export does not write (a child database's page): its site path.
            None => format!("/{path}"),
        }
    }

    fn asset(&self, path: &str) -> String {
        self.layout
            .asset_url(self.entries, self.from, file_name(path))
    }
}

impl markdown::Flavor for Here<'_> {
    fn island(&self, kind: &str, html: &str) -> String {
        self.layout.island(kind, html)
    }

    fn inline(&self, html: &str) -> String {
        self.layout.inline(html)
    }

    fn page_link(&self, path: &str) -> String {
        match self.entry_at(path) {
            Some(to) => self.layout.markdown_link(self.entries, self.from, to),
            None => format!("/{path}"),
        }
    }

    fn summary_break(&self) -> Option<&'static str> {
        // Posts only: list pages show posts' summaries, and a page's would be a stray marker.
        self.entries[self.from]
            .post
            .and_then(|_| self.layout.summary_break())
    }
}

/// The path of `to` relative to the folder of the file `from` (both relative to one root).
pub(crate) fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect::<Vec<_>>();
    let from_dir = &from_dir[..from_dir.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = std::iter::repeat_n("..", from_dir.len() - common).collect();
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_between_files() {
        assert_eq!(relative("posts/a.md", "posts/b.md"), "b.md");
        assert_eq!(relative("posts/a.md", "posts/assets/x.jpg"), "assets/x.jpg");
        assert_eq!(
            relative("posts/about/team.md", "posts/assets/x.jpg"),
            "../assets/x.jpg"
        );
        assert_eq!(relative("a.md", "b/c.md"), "b/c.md");
    }
}
