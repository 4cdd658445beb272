//! mdBook: chapters `src/<section>/<slug>.md` (a `# Title` line, no front matter), their files
//! under `src/<section>/assets/`, relative `.md` links, and the list of chapters in a marked
//! region of `src/SUMMARY.md`: the standalone pages with their child pages nested, then the
//! posts, in Notion's order.

use super::{Entry, Layout, PageIcon, PageOut, Picture, relative};
use crate::render::OutputFile;
use crate::site::Site;

/// The lines that enclose the chapters notion-bake lists in `SUMMARY.md`.
pub(crate) const BEGIN_MARKER: &str = "<!-- notion-bake:begin -->";
pub(crate) const END_MARKER: &str = "<!-- notion-bake:end -->";

/// Where the site's pages go in an mdBook.
pub(crate) struct MdBook {
    /// `posts`: chapters at `src/posts/<slug>.md`.
    pub(crate) section: String,
}

impl MdBook {
    /// A chapter's path relative to `src/`.
    pub(crate) fn chapter_path(&self, entries: &[Entry<'_>], index: usize) -> String {
        let entry = &entries[index];
        match entry.post {
            Some(_) => format!("{}/{}.md", self.section, entry.slug()),
            None => format!(
                "{}/{}.md",
                self.section,
                entry.site_path.trim_end_matches('/')
            ),
        }
    }
}

impl Layout for MdBook {
    fn file_of(&self, entries: &[Entry<'_>], index: usize) -> String {
        format!("src/{}", self.chapter_path(entries, index))
    }

    fn assets_dir_of(&self, _entries: &[Entry<'_>], _index: usize) -> String {
        format!("src/{}/assets/", self.section)
    }

    fn url_of(&self, entries: &[Entry<'_>], index: usize) -> String {
        let chapter = self.chapter_path(entries, index);
        format!("/{}", chapter.trim_end_matches(".md")) + ".html"
    }

    fn markdown_link(&self, entries: &[Entry<'_>], from: usize, to: usize) -> String {
        relative(
            &self.chapter_path(entries, from),
            &self.chapter_path(entries, to),
        )
    }

    fn html_link(&self, entries: &[Entry<'_>], from: usize, to: usize) -> String {
        let link = self.markdown_link(entries, from, to);
        format!("{}.html", link.trim_end_matches(".md"))
    }

    fn island(&self, _kind: &str, html: &str) -> String {
        mdbook_safe(html.trim())
    }

    fn inline(&self, html: &str) -> String {
        mdbook_safe(html)
    }

    fn document(&self, page: &PageOut<'_>) -> String {
        use super::markdown::{escape, link_destination};
        // A chapter has no front matter: its icon, cover, date and tags head it, as on the
        // Notion page.
        let image_url = |picture: &Picture| match picture.file {
            Some(_) => Some(picture.url.clone()),
            None => crate::render::html::safe_href(&picture.url),
        };
        let icon = match &page.icon {
            Some(PageIcon::Emoji(emoji)) => format!("{} ", escape(emoji)),
            Some(PageIcon::Image(picture)) => image_url(picture).map_or_else(String::new, |src| {
                format!(
                    "{} ",
                    crate::render::picture::icon_img_html(&src, "", "notion-icon", 32)
                )
            }),
            None => String::new(),
        };
        let mut head = format!("# {icon}{}\n\n", escape(page.entry.title));
        if let Some(src) = page.cover.as_ref().and_then(image_url) {
            head.push_str(&format!("![]({})\n\n", link_destination(&src)));
        }
        if let Some(post) = page.entry.post {
            let mut meta = vec![format!("_{}_", post.date.format("%Y-%m-%d"))];
            meta.extend(post.tags.iter().map(|tag| escape(tag)));
            head.push_str(&meta.join(" · "));
            head.push_str("\n\n");
        }
        format!("{head}{}", page.body)
    }

    fn extra_files(&self, _site: &Site, entries: &[Entry<'_>]) -> Vec<OutputFile> {
        vec![OutputFile::Region {
            path: "src/SUMMARY.md".into(),
            begin: BEGIN_MARKER.into(),
            end: END_MARKER.into(),
            bytes: summary_lines(entries, |i| self.chapter_path(entries, i), 0).into_bytes(),
        }]
    }
}

/// The `SUMMARY.md` lines of `entries` (`- [Title](path)`, nested by four spaces a level), in
/// [`chapter_order`]; `depth` indents all.
pub(crate) fn summary_lines(
    entries: &[Entry<'_>],
    path_of: impl Fn(usize) -> String,
    depth: usize,
) -> String {
    fn push(
        out: &mut String,
        entries: &[Entry<'_>],
        path_of: &dyn Fn(usize) -> String,
        index: usize,
        depth: usize,
    ) {
        out.push_str(&"    ".repeat(depth));
        out.push_str(&format!(
            "- [{}]({})\n",
            super::markdown::escape(entries[index].title),
            path_of(index)
        ));
        for &child in &entries[index].children {
            push(out, entries, path_of, child, depth + 1);
        }
    }
    let mut out = String::new();
    for index in chapter_order(entries) {
        push(&mut out, entries, &path_of, index, depth);
    }
    out
}

/// The top-level chapters: the root pages in Notion's order, then the posts in the database's
/// order (child pages go beneath their parents).
pub(crate) fn chapter_order(entries: &[Entry<'_>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].post.is_none() && entries[i].parent.is_none())
        .collect();
    let mut posts: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].post.is_some())
        .collect();
    posts.sort_by_key(|&i| entries[i].post.map_or(0, |p| p.position));
    order.extend(posts);
    order
}

/// Text that would open one of mdBook's `{{#…}}` helpers written as an entity.
fn mdbook_safe(html: &str) -> String {
    html.replace("{{", "&#123;{")
}
