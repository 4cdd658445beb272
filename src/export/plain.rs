//! Plain Markdown (CommonMark + GFM, YAML front matter) for generators notion-bake has no
//! target of its own for: Eleventy and Astro content collections read `<section>/<slug>.md`
//! with the files beside it and relative `.md` links; the Jekyll flavor writes
//! `_posts/YYYY-MM-DD-<slug>.md`, files under `assets/<section>/`, and Liquid links
//! (`{% post_url %}`, `{% link %}`) that Jekyll resolves.

use serde_json::{Value, json};

use super::front_matter::yaml;
use super::{Entry, Layout, MarkdownFlavor, PageOut, relative};
use crate::render::OutputFile;
use crate::site::Site;

/// The keys a cover goes under when `[export] cover_keys` does not say: `cover`, and `image`
/// (jekyll-seo-tag's social card, and many Eleventy and Astro starters).
const DEFAULT_COVER_KEYS: &[&str] = &["cover", "image"];

/// Where the site's pages go in a Markdown project.
pub(crate) struct Plain {
    pub(crate) section: String,
    pub(crate) flavor: MarkdownFlavor,
}

impl Plain {
    fn jekyll(&self) -> bool {
        self.flavor == MarkdownFlavor::Jekyll
    }

    /// `2026-03-01-hello`: a Jekyll post's file stem.
    fn jekyll_stem(entry: &Entry<'_>) -> String {
        let date = entry
            .post
            .map(|p| p.date.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        format!("{date}-{}", entry.slug())
    }
}

impl Plain {
    /// Text that would open Liquid or Nunjucks (`{{`, `{%`: Jekyll, and Eleventy, which runs
    /// its template engine over Markdown by default) written as an entity; for Jekyll, keeping
    /// the Liquid the export itself writes (file URLs and links).
    fn safe(&self, html: &str) -> String {
        let html = html.replace("{{", "&#123;{").replace("{%", "&#123;%");
        if !self.jekyll() {
            return html;
        }
        // Links are restored only as a link's own `href`, which no Notion URL can start with
        // `{` (the renderer percent-encodes it): Notion text saying `{% link … %}` stays text.
        html.replace("&#123;{ site.baseurl }}", "{{ site.baseurl }}")
            .replace("href=\"&#123;% post_url ", "href=\"{% post_url ")
            .replace("href=\"&#123;% link ", "href=\"{% link ")
    }
}

impl Layout for Plain {
    fn file_of(&self, entries: &[Entry<'_>], index: usize) -> String {
        let entry = &entries[index];
        match (entry.post, self.jekyll()) {
            (Some(_), true) => format!("_posts/{}.md", Self::jekyll_stem(entry)),
            (Some(_), false) => format!("{}/{}.md", self.section, entry.slug()),
            (None, _) => format!("{}.md", entry.site_path.trim_end_matches('/')),
        }
    }

    fn assets_dir_of(&self, entries: &[Entry<'_>], index: usize) -> String {
        if self.jekyll() {
            return format!("assets/{}/", self.section);
        }
        let file = self.file_of(entries, index);
        match file.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/"),
            None => String::new(),
        }
    }

    fn asset_url(&self, entries: &[Entry<'_>], from: usize, name: &str) -> String {
        if self.jekyll() {
            // Liquid runs before Markdown, attributes included; no quotes needed.
            return format!("{{{{ site.baseurl }}}}/assets/{}/{name}", self.section);
        }
        let dir = self.assets_dir_of(entries, from);
        relative(&self.file_of(entries, from), &format!("{dir}{name}"))
    }

    fn url_of(&self, entries: &[Entry<'_>], index: usize) -> String {
        let entry = &entries[index];
        match (entry.post, self.jekyll()) {
            // Jekyll's default permalink, `date` style.
            (Some(post), true) => {
                format!("/{}/{}.html", post.date.format("%Y/%m/%d"), entry.slug())
            }
            (Some(_), false) => format!("/{}/{}/", self.section, entry.slug()),
            (None, true) => format!("/{}.html", entry.site_path.trim_end_matches('/')),
            (None, false) => format!("/{}", entry.site_path),
        }
    }

    fn markdown_link(&self, entries: &[Entry<'_>], from: usize, to: usize) -> String {
        let target = &entries[to];
        match (target.post, self.jekyll()) {
            (Some(_), true) => format!("{{% post_url {} %}}", Self::jekyll_stem(target)),
            (None, true) => format!("{{% link {} %}}", self.file_of(entries, to)),
            _ => relative(&self.file_of(entries, from), &self.file_of(entries, to)),
        }
    }

    fn html_link(&self, entries: &[Entry<'_>], from: usize, to: usize) -> String {
        self.markdown_link(entries, from, to)
    }

    fn island(&self, _kind: &str, html: &str) -> String {
        self.safe(html.trim())
    }

    fn inline(&self, html: &str) -> String {
        self.safe(html)
    }

    fn document(&self, page: &PageOut<'_>) -> String {
        let entry = page.entry;
        let post = entry.post;
        let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
            t.map_or(Value::Null, |t| {
                json!(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            })
        };
        let properties: serde_json::Map<String, Value> = page.properties.iter().cloned().collect();
        let (updated_key, aliases_key) = if self.jekyll() {
            ("last_modified_at", "redirect_from")
        } else {
            ("updated", "aliases")
        };
        let draft = if self.jekyll() {
            // Jekyll leaves out posts with `published: false`.
            (
                "published",
                if page.draft {
                    json!(false)
                } else {
                    Value::Null
                },
            )
        } else {
            ("draft", json!(page.draft))
        };
        let fields = [
            ("title", json!(entry.title)),
            (
                "date",
                time(post.map(|p| p.date).or(entry.page.created_time)),
            ),
            (updated_key, time(entry.page.last_edited_time)),
            draft,
            ("slug", post.map_or(Value::Null, |_| json!(entry.slug()))),
            (
                "description",
                post.and_then(|p| p.description.clone())
                    .map_or(Value::Null, Value::String),
            ),
            ("tags", post.map_or(Value::Null, |p| json!(p.tags))),
            (aliases_key, json!(page.aliases)),
            ("notion_id", json!(entry.page.id)),
        ];
        let mut fields: Vec<(String, Value)> = fields
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect();
        // A baked file as a URL the site's generator leaves alone in front matter: from the
        // site's root for Jekyll (`/assets/posts/fen-1a2b.jpg`; Liquid does not run there),
        // relative to the page's file otherwise.
        let file_url = |name: &str| {
            if self.jekyll() {
                format!("/assets/{}/{name}", self.section)
            } else {
                name.to_owned()
            }
        };
        if let Some(icon) = &page.icon {
            fields.push(("icon".into(), json!(icon.front_matter(file_url))));
        }
        if let Some(cover) = &page.cover {
            for key in page.cover_keys(DEFAULT_COVER_KEYS) {
                if !fields.iter().any(|(k, _)| k == key) {
                    fields.push((key.to_owned(), json!(cover.front_matter(file_url))));
                }
            }
        }
        fields.push(("properties".into(), Value::Object(properties)));
        format!("{}\n{}", yaml(&fields), page.body)
    }

    fn extra_files(&self, _site: &Site, _entries: &[Entry<'_>]) -> Vec<OutputFile> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exports_own_liquid_survives_in_jekyll_html() {
        let jekyll = Plain {
            section: "posts".into(),
            flavor: MarkdownFlavor::Jekyll,
        };
        let html = "<p>{% link _config.yml %} {{ page.secret }}</p>\
            <a href=\"{% post_url 2026-03-01-a %}\" title=\"{% link x.md %}\">\
            <img src=\"{{ site.baseurl }}/assets/posts/a.jpg\"></a>";
        assert_eq!(
            jekyll.safe(html),
            "<p>&#123;% link _config.yml %} &#123;{ page.secret }}</p>\
            <a href=\"{% post_url 2026-03-01-a %}\" title=\"&#123;% link x.md %}\">\
            <img src=\"{{ site.baseurl }}/assets/posts/a.jpg\"></a>"
        );
        let eleventy = Plain {
            section: "posts".into(),
            flavor: MarkdownFlavor::Plain,
        };
        assert_eq!(
            eleventy.safe("<p>{% include x %}{{ y }}</p>"),
            "<p>&#123;% include x %}&#123;{ y }}</p>"
        );
    }
}
