//! The whole site through the templates: every post, page, Markdown page, index page, tag page,
//! the feed, the sitemap, `404.html` and `robots.txt`, as output files.

use rayon::prelude::*;

use super::code::HighlightMemo;
use super::context::{LinkView, PageInfo, RenderContext};
use super::properties::{Properties, property_views};
use super::templates::{Templates, theme_static_files};
use super::view::{
    IconView, ImageView, ListView, PageView, Pagination, SiteContext, SitemapEntry, TagView,
    feed_context, list_context, page_context, reading_minutes, site_context, sitemap_context,
};
use super::{TocEntry, render_page};
use crate::assets::AssetMap;
use crate::config::SiteConfig;
use crate::notion::model::{Block, Page};
use crate::output::OutputFile;
use crate::site::{Document, Post, Site, SitePage, latest_update};

/// A database schema: property configurations by name.
type Schema = std::collections::BTreeMap<String, crate::notion::model::PropertySchema>;

/// How many posts the feed carries.
const FEED_ENTRIES: usize = 20;

/// The rendered site and what the author should know about it.
#[derive(Debug, Default)]
pub struct RenderedSite {
    pub files: Vec<OutputFile>,
    pub warnings: Vec<String>,
}

/// Everything shared by the pages of one render.
struct Shared<'a> {
    site: &'a Site,
    config: &'a SiteConfig,
    assets: &'a AssetMap,
    templates: &'a Templates,
    highlights: &'a HighlightMemo,
    context: SiteContext,
    /// `""` or `/blog`.
    base_path: &'a str,
    /// `https://example.org/blog`.
    base_url: String,
}

/// One page's content, outline and properties.
struct Content {
    html: String,
    toc: Vec<TocEntry>,
    properties: Properties,
    warnings: Vec<String>,
}

/// Renders every output page of the site.
pub fn render_site(
    site: &Site,
    config: &SiteConfig,
    assets: &AssetMap,
    templates: &Templates,
    highlights: &HighlightMemo,
) -> anyhow::Result<RenderedSite> {
    let base_url = config.base_url.as_str().trim_end_matches('/').to_owned();
    let mut context = SiteContext::new(&config.title, &base_url);
    context.description = config.description.clone();
    context.build_time = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    context.nav = navigation(site, config.base_path());
    let shared = Shared {
        site,
        config,
        assets,
        templates,
        highlights,
        context,
        base_path: config.base_path(),
        base_url,
    };

    let posts: Vec<anyhow::Result<(OutputFile, Vec<String>)>> = site
        .posts
        .par_iter()
        .enumerate()
        .map(|(i, post)| shared.post_file(i, post))
        .collect();
    let pages: Vec<anyhow::Result<(OutputFile, Vec<String>)>> = site
        .pages
        .par_iter()
        .map(|page| shared.page_file(page))
        .collect();
    let mut rendered = RenderedSite::default();
    for result in posts.into_iter().chain(pages) {
        let (file, warnings) = result?;
        rendered.files.push(file);
        rendered.warnings.extend(warnings);
    }
    for document in &site.documents {
        rendered.files.push(shared.document_file(document)?);
    }
    rendered.files.extend(shared.index_files()?);
    rendered.files.extend(shared.tag_files()?);
    rendered.files.push(shared.feed_file()?);
    rendered.files.push(shared.sitemap_file(&rendered.files)?);
    rendered.files.push(generated(
        "404.html",
        templates.render("404.html", &site_context(&shared.context))?,
    ));
    rendered.files.push(generated(
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
            shared.base_url
        ),
    ));
    for file in theme_static_files(&config.site_dir, &config.theme)? {
        rendered.files.push(OutputFile::Generated {
            path: format!("static/{}", file.path),
            bytes: file.bytes.into_owned(),
        });
    }
    rendered
        .files
        .extend(site_static_files(&config.site_dir.join("static"))?);
    Ok(rendered)
}

/// The header navigation: the standalone pages and the Markdown pages.
fn navigation(site: &Site, base_path: &str) -> Vec<LinkView> {
    let pages = site
        .pages
        .iter()
        .filter(|p| p.ancestors.is_empty())
        .map(|p| (&p.title, &p.path));
    let documents = site.documents.iter().map(|d| (&d.title, &d.path));
    pages
        .chain(documents)
        .map(|(title, path)| LinkView {
            title: title.clone(),
            url: format!("{base_path}/{path}"),
        })
        .collect()
}

fn generated(path: &str, text: String) -> OutputFile {
    OutputFile::Generated {
        path: path.to_owned(),
        bytes: text.into_bytes(),
    }
}

/// The site's own `static/` folder, copied to `static/` (after the theme's, so it wins).
fn site_static_files(dir: &std::path::Path) -> anyhow::Result<Vec<OutputFile>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir)?;
        let path = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if path.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        files.push(OutputFile::Copied {
            path: format!("static/{path}"),
            source: entry.path().to_owned(),
        });
    }
    Ok(files)
}

impl Shared<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base_path)
    }

    fn permalink(&self, path: &str) -> String {
        format!("{}/{path}", self.base_url)
    }

    /// Renders a page's blocks and properties with links under `base` (`/blog`, or the
    /// absolute base URL for the feed).
    #[allow(clippy::too_many_arguments)]
    fn content(
        &self,
        page: &Page,
        schema: Option<&Schema>,
        title: &str,
        path: &str,
        ancestors: &[LinkView],
        blocks: &[Block],
        base: &str,
    ) -> Content {
        let ctx = self.render_context(page, title, path, ancestors, base);
        let rendered = render_page(blocks, &ctx);
        let properties = property_views(&page.properties, schema, &ctx);
        Content {
            html: rendered.html,
            toc: rendered.toc,
            properties,
            warnings: rendered
                .warnings
                .into_iter()
                .chain(ctx.take_warnings())
                .map(|w| w.to_string())
                .collect(),
        }
    }

    fn render_context<'s>(
        &'s self,
        page: &Page,
        title: &str,
        path: &str,
        ancestors: &[LinkView],
        base: &'s str,
    ) -> RenderContext<'s> {
        let info = PageInfo {
            id: page.id.clone(),
            title: title.to_owned(),
            url: format!("{base}/{path}"),
            ancestors: ancestors.to_vec(),
        };
        let mut ctx = RenderContext::new(self.assets, base, &self.site.links, info);
        ctx.highlights = Some(self.highlights);
        ctx
    }

    /// The blog database's schema (it gives the number formats of the posts' properties).
    fn blog_schema(&self) -> Option<&Schema> {
        self.site.blog.as_ref().map(|b| &b.database.properties)
    }

    /// Fills a view's properties, and the ones the theme shows.
    fn set_properties(&self, view: &mut PageView, properties: Properties) {
        let show = self
            .config
            .blog
            .as_ref()
            .and_then(|b| b.show_properties.as_deref());
        let skip = self
            .config
            .blog
            .as_ref()
            .map(|b| b.properties.all())
            .unwrap_or_default();
        let (attachments, shown) = properties
            .shown(show, &skip)
            .into_iter()
            .partition(|p| p.type_name == "files");
        view.shown_properties = shown;
        view.attachments = attachments;
        view.properties = properties.by_name();
        view.property_list = properties.list;
    }

    fn tag_views(&self, names: &[String]) -> Vec<TagView> {
        names
            .iter()
            .filter_map(|name| self.site.tags.iter().find(|t| &t.name == name))
            .map(|tag| {
                TagView::new(
                    &tag.name,
                    &tag.slug,
                    &self.url(&format!("tags/{}/", tag.slug)),
                    tag.posts.len(),
                )
            })
            .collect()
    }

    /// A post's view; `content` is `None` for lists (no rendering needed).
    fn post_view(
        &self,
        index: usize,
        post: &Post,
        content: Option<Content>,
    ) -> (PageView, Vec<String>) {
        let path = self.site.post_path(post);
        let link = |other: Option<&Post>| {
            other.map(|p| LinkView {
                title: p.title.clone(),
                url: self.url(&self.site.post_path(p)),
            })
        };
        let mut view = self.base_view(&post.page, &post.title, &path);
        view.date = Some(post.date.format("%Y-%m-%d").to_string());
        view.description = post.description.clone();
        view.tags = self.tag_views(&post.tags);
        view.is_post = true;
        // Posts are newest first: the previous (older) post comes after this one.
        view.prev = link(self.site.posts.get(index + 1));
        view.next = link(index.checked_sub(1).and_then(|i| self.site.posts.get(i)));
        let warnings = match content {
            Some(content) => {
                view.reading_minutes = reading_minutes(&content.html);
                view.content = content.html;
                view.toc = content.toc;
                self.set_properties(&mut view, content.properties);
                content.warnings
            }
            None => {
                // Cards may show properties too; the post's own page reports their warnings.
                let ctx = self.render_context(&post.page, &post.title, &path, &[], self.base_path);
                let properties = property_views(&post.page.properties, self.blog_schema(), &ctx);
                self.set_properties(&mut view, properties);
                Vec::new()
            }
        };
        (view, warnings)
    }

    fn base_view(&self, page: &Page, title: &str, path: &str) -> PageView {
        PageView {
            id: page.id.clone(),
            title: title.to_owned(),
            url: self.url(path),
            permalink: self.permalink(path),
            updated: page
                .last_edited_time
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            cover: page
                .cover
                .as_ref()
                .and_then(|c| ImageView::from_file(c, self.assets, self.base_path, "")),
            icon: page
                .icon
                .as_ref()
                .and_then(|i| IconView::from_icon(i, self.assets, self.base_path)),
            reading_minutes: 1,
            ..PageView::default()
        }
    }

    fn post_file(&self, index: usize, post: &Post) -> anyhow::Result<(OutputFile, Vec<String>)> {
        let path = self.site.post_path(post);
        let content = self.content(
            &post.page,
            self.blog_schema(),
            &post.title,
            &path,
            &[],
            &post.blocks,
            self.base_path,
        );
        let (view, warnings) = self.post_view(index, post, Some(content));
        let html = self
            .templates
            .render("post.html", &page_context(&self.context, &view))?;
        Ok((generated(&format!("{path}index.html"), html), warnings))
    }

    fn page_file(&self, page: &SitePage) -> anyhow::Result<(OutputFile, Vec<String>)> {
        let ancestors: Vec<LinkView> = page
            .ancestors
            .iter()
            .map(|a| LinkView {
                title: a.title.clone(),
                url: self.url(&a.url),
            })
            .collect();
        let content = self.content(
            &page.page,
            None,
            &page.title,
            &page.path,
            &ancestors,
            &page.blocks,
            self.base_path,
        );
        let mut view = self.base_view(&page.page, &page.title, &page.path);
        view.reading_minutes = reading_minutes(&content.html);
        view.content = content.html;
        view.toc = content.toc;
        view.ancestors = ancestors;
        self.set_properties(&mut view, content.properties);
        let html = self
            .templates
            .render("page.html", &page_context(&self.context, &view))?;
        Ok((
            generated(&format!("{}index.html", page.path), html),
            content.warnings,
        ))
    }

    fn document_file(&self, document: &Document) -> anyhow::Result<OutputFile> {
        let view = PageView {
            id: document.path.clone(),
            title: document.title.clone(),
            url: self.url(&document.path),
            permalink: self.permalink(&document.path),
            date: document.date.map(|d| d.format("%Y-%m-%d").to_string()),
            description: document.description.clone(),
            reading_minutes: reading_minutes(&document.html),
            content: document.html.clone(),
            ..PageView::default()
        };
        let html = self
            .templates
            .render("page.html", &page_context(&self.context, &view))
            .map_err(|e| e.context(format!("while rendering {}", document.source.display())))?;
        Ok(generated(&format!("{}index.html", document.path), html))
    }

    /// Pages of a paginated list of posts: `index.html`, `page/2/index.html`, ….
    fn list_files(
        &self,
        title: &str,
        folder: &str,
        posts: &[usize],
        tag: Option<&TagView>,
    ) -> anyhow::Result<Vec<OutputFile>> {
        let per_page = self
            .config
            .blog
            .as_ref()
            .map_or(10, |b| b.posts_per_page.max(1) as usize);
        let chunks: Vec<&[usize]> = if posts.is_empty() {
            vec![&[]]
        } else {
            posts.chunks(per_page).collect()
        };
        let template = if tag.is_some() {
            "tag.html"
        } else {
            "index.html"
        };
        let first_url = self.url(folder);
        let mut files = Vec::new();
        for (n, chunk) in chunks.iter().enumerate() {
            let path = if n == 0 {
                folder.to_owned()
            } else {
                format!("{folder}page/{}/", n + 1)
            };
            let list = ListView {
                title: title.to_owned(),
                url: self.url(&path),
                permalink: self.permalink(&path),
                pages: chunk
                    .iter()
                    .map(|&i| self.post_view(i, &self.site.posts[i], None).0)
                    .collect(),
                pagination: Pagination::new(n + 1, chunks.len(), &first_url),
            };
            let html = self
                .templates
                .render(template, &list_context(&self.context, &list, tag))?;
            files.push(generated(&format!("{path}index.html"), html));
        }
        Ok(files)
    }

    fn index_files(&self) -> anyhow::Result<Vec<OutputFile>> {
        let title = self
            .site
            .blog
            .as_ref()
            .map_or(self.config.title.as_str(), |b| b.title.as_str());
        let all: Vec<usize> = (0..self.site.posts.len()).collect();
        self.list_files(title, "", &all, None)
    }

    fn tag_files(&self) -> anyhow::Result<Vec<OutputFile>> {
        let mut files = Vec::new();
        for tag in &self.site.tags {
            let folder = format!("tags/{}/", tag.slug);
            let view = TagView::new(&tag.name, &tag.slug, &self.url(&folder), tag.posts.len());
            files.extend(self.list_files(&tag.name, &folder, &tag.posts, Some(&view))?);
        }
        Ok(files)
    }

    /// The Atom feed: the newest posts with their content, every URL absolute.
    fn feed_file(&self) -> anyhow::Result<OutputFile> {
        let pages: Vec<PageView> = self
            .site
            .posts
            .iter()
            .take(FEED_ENTRIES)
            .enumerate()
            .map(|(i, post)| {
                let path = self.site.post_path(post);
                let content = self.content(
                    &post.page,
                    self.blog_schema(),
                    &post.title,
                    &path,
                    &[],
                    &post.blocks,
                    &self.base_url,
                );
                let (mut view, _) = self.post_view(i, post, Some(content));
                view.cover = post
                    .page
                    .cover
                    .as_ref()
                    .and_then(|c| ImageView::from_file(c, self.assets, &self.base_url, ""));
                view
            })
            .collect();
        let updated = latest_update(self.site)
            .unwrap_or_else(chrono::Utc::now)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let xml = self
            .templates
            .render("feed.xml", &feed_context(&self.context, &pages, &updated))?;
        Ok(generated("feed.xml", xml))
    }

    /// Every HTML page of the site, with the last edit of posts and pages.
    fn sitemap_file(&self, files: &[OutputFile]) -> anyhow::Result<OutputFile> {
        let mut lastmod = std::collections::HashMap::new();
        for post in &self.site.posts {
            lastmod.insert(self.site.post_path(post), post.updated.unwrap_or(post.date));
        }
        for page in &self.site.pages {
            if let Some(updated) = page.page.last_edited_time {
                lastmod.insert(page.path.clone(), updated);
            }
        }
        let entries: Vec<SitemapEntry> = files
            .iter()
            .filter_map(|f| f.path().strip_suffix("index.html"))
            .map(|folder| SitemapEntry {
                loc: self.permalink(folder),
                lastmod: lastmod
                    .get(folder)
                    .map(|t| t.format("%Y-%m-%d").to_string()),
            })
            .collect();
        let xml = self
            .templates
            .render("sitemap.xml", &sitemap_context(&self.context, &entries))?;
        Ok(generated("sitemap.xml", xml))
    }
}
