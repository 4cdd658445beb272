//! The HTML site, the first [`Renderer`]: every post, page, Markdown page, index page, tag
//! page, the feed, the sitemap, `404.html`, `robots.txt`, the static files and the baked files,
//! through the Tera templates.

use rayon::prelude::*;

use super::code::HighlightMemo;
use super::context::{PageInfo, RenderContext, UnderBase, Urls};
use super::database::{DatabaseTemplates, shown_property_names};
use super::properties::{Properties, property_views};
use super::templates::{Templates, theme_static_files};
use super::view::{
    IconView, ImageView, LinkView, ListView, PageView, Pagination, SiteContext, SitemapEntry,
    TagView, feed_context, list_context, page_context, reading_minutes, site_context,
    sitemap_context,
};
use super::{Rendered, Renderer, render_page};
use crate::config::{SearchSection, SiteConfig};
use crate::notion::model::{Page, PropertySchema};
use crate::render::OutputFile;
use crate::render::search_view::{self as search, PageSearchView, SiteSearchView};
use crate::site::{Document, PageLink, Post, Site, SitePage, latest_update, routes};

/// A database schema: property configurations by name.
type Schema = std::collections::BTreeMap<String, PropertySchema>;

/// How many posts the feed carries.
const FEED_ENTRIES: usize = 20;

/// The site as HTML through the templates.
pub struct HtmlSite<'a> {
    /// The site's title, base URL, theme and the rest of its configuration.
    pub config: &'a SiteConfig,
    /// The page templates, site and theme over the built-ins.
    pub templates: &'a Templates,
    /// Code highlighted earlier (during the fetch, or by the last build).
    pub highlights: &'a HighlightMemo,
}

impl Renderer for HtmlSite<'_> {
    fn render(&self, site: &Site) -> anyhow::Result<Rendered> {
        let base_url = self
            .config
            .base_url
            .as_str()
            .trim_end_matches('/')
            .to_owned();
        let context = site_chrome(self.config, site);
        let urls = UnderBase(self.config.base_path());
        let pages = Pages {
            site,
            config: self.config,
            templates: self.templates,
            databases: DatabaseTemplates {
                site,
                templates: self.templates,
            },
            highlights: self.highlights,
            context,
            urls,
            base_url: &base_url,
        };
        pages.render()
    }
}

/// The `site` every template gets: title, URLs, description, build time and navigation.
pub(crate) fn site_chrome(config: &SiteConfig, site: &Site) -> SiteContext {
    let base_url = config.base_url.as_str().trim_end_matches('/');
    let mut context = SiteContext::new(&config.title, base_url);
    context.description = config.description.clone();
    context.build_time = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    context.nav = navigation(site, &UnderBase(config.base_path()));
    context.search = config
        .search
        .enabled
        .then(|| SiteSearchView::new(config.base_path()));
    context
}

/// Everything shared by the pages of one render.
struct Pages<'a> {
    site: &'a Site,
    config: &'a SiteConfig,
    templates: &'a Templates,
    /// The databases inside pages, in their Notion layout.
    databases: DatabaseTemplates<'a>,
    highlights: &'a HighlightMemo,
    context: SiteContext,
    /// Every URL under the base path (`""` or `/blog`).
    urls: UnderBase<'a>,
    /// `https://example.org/blog`.
    base_url: &'a str,
}

/// One page's content, outline and properties.
struct Content {
    html: String,
    toc: Vec<super::TocEntry>,
    properties: Properties,
    warnings: Vec<String>,
}

impl Pages<'_> {
    fn render(&self) -> anyhow::Result<Rendered> {
        let site = self.site;
        let posts: Vec<anyhow::Result<(OutputFile, PageView, Vec<String>)>> = site
            .posts
            .par_iter()
            .enumerate()
            .map(|(i, post)| self.post_file(i, post))
            .collect();
        let pages: Vec<anyhow::Result<(OutputFile, Vec<String>)>> = site
            .pages
            .par_iter()
            .map(|page| self.page_file(page))
            .collect();
        let mut rendered = Rendered::default();
        let mut feed_views = Vec::new();
        for result in posts {
            let (file, view, warnings) = result?;
            rendered.files.push(file);
            rendered.warnings.extend(warnings);
            if feed_views.len() < FEED_ENTRIES {
                feed_views.push(view);
            }
        }
        for result in pages {
            let (file, warnings) = result?;
            rendered.files.push(file);
            rendered.warnings.extend(warnings);
        }
        for document in &site.documents {
            rendered.files.push(self.document_file(document)?);
        }
        rendered.files.extend(self.index_files()?);
        rendered.files.extend(self.tag_files()?);
        rendered.files.push(self.feed_file(feed_views)?);
        rendered.files.push(self.sitemap_file(&rendered.files)?);
        let search_file = routes::file_of(search::PAGE);
        if self.context.search.is_some() && rendered.files.iter().any(|f| f.path() == search_file) {
            rendered.warnings.push(format!(
                "a page of the site is published at /{}, where the search page would go: \
                 the site has no search page (the header's search box leads to that page)",
                search::PAGE
            ));
        } else if self.context.search.is_some() {
            rendered.files.push(generated(
                &search_file,
                self.templates
                    .render("search.html", &site_context(&self.context))?,
            ));
        }
        rendered.files.push(generated(
            routes::NOT_FOUND,
            self.templates
                .render("404.html", &site_context(&self.context))?,
        ));
        rendered.files.push(generated(
            routes::ROBOTS,
            format!(
                "User-agent: *\nAllow: /\n\nSitemap: {}/{}\n",
                self.base_url,
                routes::SITEMAP
            ),
        ));
        rendered.files.push(generated(
            routes::HEADERS,
            asset_headers(self.config.base_path()),
        ));
        for file in theme_static_files(&self.config.site_dir, &self.config.theme)? {
            rendered.files.push(OutputFile::Generated {
                path: format!("{}{}", routes::STATIC, file.path),
                bytes: file.bytes.into_owned(),
            });
        }
        rendered
            .files
            .extend(site_static_files(&self.config.site_dir.join("static"))?);
        rendered
            .files
            .extend(site.assets.files().into_iter().map(|f| OutputFile::Copied {
                path: f.path.to_owned(),
                source: f.source.to_owned(),
            }));
        Ok(rendered)
    }

    fn url(&self, path: &str) -> String {
        self.urls.page(path)
    }

    fn permalink(&self, path: &str) -> String {
        format!("{}/{path}", self.base_url)
    }

    fn render_context(&self, page: &Page, title: &str, path: &str) -> RenderContext<'_> {
        self.render_context_with(page, title, path, Vec::new())
    }

    fn render_context_with(
        &self,
        page: &Page,
        title: &str,
        path: &str,
        ancestors: Vec<LinkView>,
    ) -> RenderContext<'_> {
        let info = PageInfo {
            id: page.id.clone(),
            title: title.to_owned(),
            url: self.url(path),
            ancestors,
        };
        let mut ctx = RenderContext::new(&self.site.assets, &self.urls, &self.site.links, info);
        ctx.highlights = Some(self.highlights);
        ctx.databases = Some(&self.databases);
        ctx
    }

    /// Renders a page's blocks and properties.
    fn content(
        &self,
        ctx: &RenderContext<'_>,
        page: &Page,
        schema: Option<&Schema>,
        blocks: &[crate::notion::model::Block],
    ) -> Content {
        let rendered = render_page(blocks, ctx);
        let properties = property_views(&page.properties, schema, ctx);
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

    /// The blog database's schema (it gives the number formats of the posts' properties).
    fn blog_schema(&self) -> Option<&Schema> {
        self.site.blog.as_ref().map(|b| &b.database.properties)
    }

    /// Fills a view's properties, and the ones the theme shows.
    fn set_properties(&self, view: &mut PageView, properties: Properties) {
        let blog = self.config.blog.as_ref();
        let show = blog.and_then(|b| b.show_properties.as_deref());
        let skip = blog.map(|b| b.properties.all()).unwrap_or_default();
        let (attachments, shown) = properties
            .shown(show, &skip)
            .into_iter()
            .partition(|p| p.type_name == "files");
        view.shown_properties = shown;
        view.attachments = attachments;
        view.properties = properties.by_name();
        view.property_list = properties.list;
    }

    fn link_view(&self, page: &PageLink) -> LinkView {
        LinkView {
            title: page.title.clone(),
            url: self.url(&page.path),
        }
    }

    fn tag_views(&self, names: &[String]) -> Vec<TagView> {
        names
            .iter()
            .filter_map(|name| self.site.tags.iter().find(|t| &t.name == name))
            .map(|tag| TagView::new(&tag.name, &tag.slug, &self.url(&tag.path), tag.posts.len()))
            .collect()
    }

    /// A post's view; `content` is `None` for lists (no rendering needed).
    fn post_view(
        &self,
        index: usize,
        post: &Post,
        content: Option<Content>,
    ) -> (PageView, Vec<String>) {
        let ctx = self.render_context(&post.page, &post.title, &post.path);
        let link = |other: Option<&Post>| {
            other.map(|p| LinkView {
                title: p.title.clone(),
                url: self.url(&p.path),
            })
        };
        let mut view = self.base_view(&ctx, &post.page, &post.title, &post.path);
        view.date = Some(post.date.format("%Y-%m-%d").to_string());
        view.description = post.description.clone();
        view.tags = self.tag_views(&post.tags);
        view.is_post = true;
        // Posts are newest first: the previous (older) post comes after this one.
        view.prev = link(self.site.posts.get(index + 1));
        view.next = link(index.checked_sub(1).and_then(|i| self.site.posts.get(i)));
        if content.is_some() && self.config.search.indexes(SearchSection::Posts) {
            let mut result = PageSearchView::new(view.cover.as_ref(), &post.blocks, &ctx);
            result.date = view.date.clone();
            result.description = post.description.clone();
            result.tags = post.tags.clone();
            view.search = Some(result);
        }
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
                let properties = property_views(&post.page.properties, self.blog_schema(), &ctx);
                self.set_properties(&mut view, properties);
                Vec::new()
            }
        };
        (view, warnings)
    }

    fn base_view(&self, ctx: &RenderContext<'_>, page: &Page, title: &str, path: &str) -> PageView {
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
                .and_then(|c| ImageView::from_file(c, ctx, "")),
            icon: page.icon.as_ref().and_then(|i| IconView::from_icon(i, ctx)),
            reading_minutes: 1,
            ..PageView::default()
        }
    }

    fn post_file(
        &self,
        index: usize,
        post: &Post,
    ) -> anyhow::Result<(OutputFile, PageView, Vec<String>)> {
        let ctx = self.render_context(&post.page, &post.title, &post.path);
        let content = self.content(&ctx, &post.page, self.blog_schema(), &post.blocks);
        let (view, warnings) = self.post_view(index, post, Some(content));
        let html = self
            .templates
            .render("post.html", &page_context(&self.context, &view))?;
        Ok((
            generated(&routes::file_of(&post.path), html),
            view,
            warnings,
        ))
    }

    fn page_file(&self, page: &SitePage) -> anyhow::Result<(OutputFile, Vec<String>)> {
        let ancestors: Vec<LinkView> = page.ancestors.iter().map(|a| self.link_view(a)).collect();
        let ctx = self.render_context_with(&page.page, &page.title, &page.path, ancestors.clone());
        // A row of a database inside a page shows the properties its database's view shows.
        let database = page
            .database
            .as_deref()
            .and_then(|id| self.site.database(id));
        let schema = database
            .and_then(|d| d.database.as_ref())
            .map(|d| &d.properties);
        let content = self.content(&ctx, &page.page, schema, &page.blocks);
        let mut view = self.base_view(&ctx, &page.page, &page.title, &page.path);
        view.reading_minutes = reading_minutes(&content.html);
        view.content = content.html;
        view.toc = content.toc;
        view.ancestors = ancestors;
        if self.config.search.indexes(search::section_of(page)) {
            view.search = Some(PageSearchView::new(view.cover.as_ref(), &page.blocks, &ctx));
        }
        match database {
            Some(database) => {
                let names = shown_property_names(database);
                let (attachments, shown) = content
                    .properties
                    .shown(Some(&names), &[])
                    .into_iter()
                    .partition(|p| p.type_name == "files");
                view.shown_properties = shown;
                view.attachments = attachments;
                view.properties = content.properties.by_name();
                view.property_list = content.properties.list;
            }
            None => self.set_properties(&mut view, content.properties),
        }
        let html = self
            .templates
            .render("page.html", &page_context(&self.context, &view))?;
        Ok((
            generated(&routes::file_of(&page.path), html),
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
            search: self
                .config
                .search
                .indexes(SearchSection::Markdown)
                .then(|| PageSearchView {
                    date: document.date.map(|d| d.format("%Y-%m-%d").to_string()),
                    description: document.description.clone(),
                    ..PageSearchView::default()
                }),
            ..PageView::default()
        };
        let html = self
            .templates
            .render("page.html", &page_context(&self.context, &view))
            .map_err(|e| e.context(format!("while rendering {}", document.source.display())))?;
        Ok(generated(&routes::file_of(&document.path), html))
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
            let path = routes::list_page(folder, n + 1);
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
            files.push(generated(&routes::file_of(&path), html));
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
        self.list_files(title, routes::INDEX, &all, None)
    }

    fn tag_files(&self) -> anyhow::Result<Vec<OutputFile>> {
        let mut files = Vec::new();
        for tag in &self.site.tags {
            let view = TagView::new(&tag.name, &tag.slug, &self.url(&tag.path), tag.posts.len());
            files.extend(self.list_files(&tag.name, &tag.path, &tag.posts, Some(&view))?);
        }
        Ok(files)
    }

    /// The Atom feed: the newest posts with their content, every URL absolute. The posts'
    /// pages are already rendered; their local URLs are made absolute rather than rendering
    /// every post a second time.
    fn feed_file(&self, views: Vec<PageView>) -> anyhow::Result<OutputFile> {
        let origin = self
            .base_url
            .strip_suffix(self.config.base_path())
            .unwrap_or(self.base_url);
        let absolute = UnderBase(self.base_url);
        let pages: Vec<PageView> = views
            .into_iter()
            .zip(&self.site.posts)
            .map(|(mut view, post)| {
                view.content = absolute_urls(&view.content, origin);
                let ctx = RenderContext::new(
                    &self.site.assets,
                    &absolute,
                    &self.site.links,
                    PageInfo::default(),
                );
                view.cover = post
                    .page
                    .cover
                    .as_ref()
                    .and_then(|c| ImageView::from_file(c, &ctx, ""));
                view
            })
            .collect();
        let updated = latest_update(self.site)
            .unwrap_or_else(chrono::Utc::now)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let xml = self
            .templates
            .render("feed.xml", &feed_context(&self.context, &pages, &updated))?;
        Ok(generated(routes::FEED, xml))
    }

    /// Every HTML page of the site, with the last edit of posts and pages.
    fn sitemap_file(&self, files: &[OutputFile]) -> anyhow::Result<OutputFile> {
        let mut lastmod = std::collections::HashMap::new();
        for post in &self.site.posts {
            lastmod.insert(post.path.as_str(), post.updated.unwrap_or(post.date));
        }
        for page in &self.site.pages {
            if let Some(updated) = page.page.last_edited_time {
                lastmod.insert(page.path.as_str(), updated);
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
        Ok(generated(routes::SITEMAP, xml))
    }
}

/// The header navigation: the standalone pages and the Markdown pages.
fn navigation(site: &Site, urls: &dyn Urls) -> Vec<LinkView> {
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
            url: urls.page(path),
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
/// `_headers` (Netlify, Cloudflare Pages): the baked files are served sandboxed and with their
/// declared type only, so a file from Notion opened directly cannot run script on the site's
/// origin. Both the site's path and the root are covered: a site under a base path may be
/// deployed at the root of its host.
fn asset_headers(base_path: &str) -> String {
    let rules = "  Content-Security-Policy: sandbox\n  X-Content-Type-Options: nosniff\n";
    let mut text = String::from(
        "# Written by notion-bake: files baked from Notion never run script on this site.\n",
    );
    let mut prefixes = vec![base_path];
    if !base_path.is_empty() {
        prefixes.push("");
    }
    for prefix in prefixes {
        text.push_str(&format!("{prefix}/{}*\n{rules}", routes::ASSETS));
    }
    text
}

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
            path: format!("{}{path}", routes::STATIC),
            source: entry.path().to_owned(),
        });
    }
    Ok(files)
}

/// `html` (as the renderer writes it: double-quoted attributes, escaped text) with every
/// root-relative URL in `href`, `src`, `srcset`, `poster` and `data` attributes prefixed with
/// `origin` (`https://example.org`), for feed readers that resolve nothing.
fn absolute_urls(html: &str, origin: &str) -> String {
    const URL_ATTRIBUTES: [&str; 5] = ["href=\"", "src=\"", "poster=\"", "data=\"", "srcset=\""];
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    // Outside tags `<` is always escaped, so each `<` opens a tag and its attributes.
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('>').map_or(rest.len(), |i| open + i + 1);
        let mut tag = &rest[open..close];
        while let Some((at, name)) = URL_ATTRIBUTES
            .iter()
            .filter_map(|name| find_attribute(tag, name).map(|at| (at, *name)))
            .min()
        {
            let value_start = at + name.len();
            let value_end = tag[value_start..]
                .find('"')
                .map_or(tag.len(), |i| value_start + i);
            out.push_str(&tag[..value_start]);
            let value = &tag[value_start..value_end];
            if name == "srcset=\"" {
                let candidates: Vec<String> = value
                    .split(", ")
                    .map(|candidate| absolute_url(candidate, origin))
                    .collect();
                out.push_str(&candidates.join(", "));
            } else {
                out.push_str(&absolute_url(value, origin));
            }
            tag = &tag[value_end..];
        }
        out.push_str(tag);
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// Where `name` (`href="`) starts as an attribute of `tag` (after a space).
fn find_attribute(tag: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = tag[from..].find(name) {
        let at = from + i;
        if tag[..at].ends_with(' ') {
            return Some(at);
        }
        from = at + name.len();
    }
    None
}

fn absolute_url(url: &str, origin: &str) -> String {
    if url.starts_with('/') && !url.starts_with("//") {
        format!("{origin}{url}")
    } else {
        url.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_content_gets_absolute_urls_in_attributes_only() {
        let html = r##"<p>See <a href="/blog/posts/a/">a</a> and href="/not-a-link".</p><picture><source srcset="/blog/assets/x-480.webp 480w, /blog/assets/x-960.webp 960w"><img src="/blog/assets/x.jpg" alt="/x"></picture><a href="https://example.com/y">y</a><a href="#top">top</a><a href="//cdn.example.com/z">z</a>"##;
        assert_eq!(
            absolute_urls(html, "https://example.org"),
            r##"<p>See <a href="https://example.org/blog/posts/a/">a</a> and href="/not-a-link".</p><picture><source srcset="https://example.org/blog/assets/x-480.webp 480w, https://example.org/blog/assets/x-960.webp 960w"><img src="https://example.org/blog/assets/x.jpg" alt="/x"></picture><a href="https://example.com/y">y</a><a href="#top">top</a><a href="//cdn.example.com/z">z</a>"##
        );
    }
}
