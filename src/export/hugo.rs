//! Hugo: leaf bundles `content/<section>/<slug>/index.md` with their files as page resources,
//! YAML front matter, and every HTML island through a shortcode the export writes to
//! `layouts/shortcodes/notion-bake/`, so pages render under Hugo's default
//! `markup.goldmark.renderer.unsafe = false` (which omits raw HTML). Links between pages are
//! `relref`s; file URLs in islands are resolved to the bundle's resources by the shortcodes.

use serde_json::{Value, json};

use super::front_matter::yaml;
use super::{Entry, Layout, PageOut};
use crate::render::OutputFile;
use crate::site::Site;

/// Where the site's pages go in a Hugo project.
pub(crate) struct Hugo {
    /// `posts`: posts at `content/posts/<slug>/index.md`.
    pub(crate) section: String,
}

/// What an island link to another page looks like before [`Hugo::island`] turns it into a
/// `relref` (shortcode syntax cannot survive attribute escaping).
const RELREF: &str = "nb-bake-relref:";

/// The shortcodes (and the partial they share) the export writes.
const SHORTCODES: &[(&str, &str)] = &[
    ("layouts/partials/notion-bake/island.html", ISLAND_PARTIAL),
    ("layouts/shortcodes/notion-bake/html.html", ISLAND_SHORTCODE),
    (
        "layouts/shortcodes/notion-bake/callout.html",
        ISLAND_SHORTCODE,
    ),
    (
        "layouts/shortcodes/notion-bake/toggle.html",
        ISLAND_SHORTCODE,
    ),
    (
        "layouts/shortcodes/notion-bake/columns.html",
        ISLAND_SHORTCODE,
    ),
    (
        "layouts/shortcodes/notion-bake/embed.html",
        ISLAND_SHORTCODE,
    ),
    (
        "layouts/shortcodes/notion-bake/image.html",
        ISLAND_SHORTCODE,
    ),
    (
        "layouts/shortcodes/notion-bake/inline.html",
        ISLAND_SHORTCODE,
    ),
];

/// Resolves the bundle's file names in an island's HTML (`src="photo-1a2b.jpg"`, `srcset`
/// candidates) to the resources' URLs, so the page's HTML is right wherever it is shown (list
/// pages, feeds), and publishes them.
const ISLAND_PARTIAL: &str = r#"{{- /* Written by notion-bake export: an HTML island of a Notion block, with the bundle's file names resolved to their URLs. */ -}}
{{- $html := .html -}}
{{- range .page.Resources -}}
  {{- $html = replace $html (printf "=\"%s\"" .Name) (printf "=\"%s\"" .RelPermalink) -}}
  {{- $html = replace $html (printf "=\"%s " .Name) (printf "=\"%s " .RelPermalink) -}}
  {{- $html = replace $html (printf ", %s " .Name) (printf ", %s " .RelPermalink) -}}
{{- end -}}
{{- $html | safeHTML -}}
"#;

const ISLAND_SHORTCODE: &str = r#"{{- /* Written by notion-bake export. */ -}}
{{- partial "notion-bake/island.html" (dict "html" .Inner "page" .Page) -}}
"#;

/// The keys a cover goes under when `[export] cover_keys` does not say: `images` (a list: Hugo's
/// own OpenGraph and Twitter card templates, Ananke's fallback), `cover` (a map: PaperMod) and
/// `featured_image` (Ananke).
const DEFAULT_COVER_KEYS: &[&str] = &["images", "cover", "featured_image"];

impl Hugo {
    fn content_path(&self, entries: &[Entry<'_>], index: usize) -> String {
        let entry = &entries[index];
        match entry.post {
            Some(_) => format!("{}/{}/index.md", self.section, entry.slug()),
            // A page with pages beneath it is a branch bundle in Hugo.
            None if !entry.children.is_empty() => format!("{}_index.md", entry.site_path),
            None => format!("{}index.md", entry.site_path),
        }
    }
}

impl Layout for Hugo {
    fn file_of(&self, entries: &[Entry<'_>], index: usize) -> String {
        format!("content/{}", self.content_path(entries, index))
    }

    fn assets_dir_of(&self, entries: &[Entry<'_>], index: usize) -> String {
        let file = self.file_of(entries, index);
        format!("{}/", file.rsplit_once('/').map_or("", |(dir, _)| dir))
    }

    fn url_of(&self, entries: &[Entry<'_>], index: usize) -> String {
        let entry = &entries[index];
        match entry.post {
            Some(_) => format!("/{}/{}/", self.section, entry.slug()),
            None => format!("/{}", entry.site_path),
        }
    }

    fn markdown_link(&self, entries: &[Entry<'_>], _from: usize, to: usize) -> String {
        format!("{{{{< relref \"/{}\" >}}}}", self.content_path(entries, to))
    }

    fn html_link(&self, entries: &[Entry<'_>], _from: usize, to: usize) -> String {
        format!("{RELREF}/{}", self.content_path(entries, to))
    }

    fn island(&self, kind: &str, html: &str) -> String {
        let html = hugo_safe(html);
        format!(
            "{{{{< notion-bake/{kind} >}}}}\n{}\n{{{{< /notion-bake/{kind} >}}}}",
            html.trim()
        )
    }

    fn inline(&self, html: &str) -> String {
        format!(
            "{{{{< notion-bake/inline >}}}}{}{{{{< /notion-bake/inline >}}}}",
            hugo_safe(html)
        )
    }

    fn document(&self, page: &PageOut<'_>) -> String {
        let entry = page.entry;
        let mut params = serde_json::Map::new();
        params.insert("notion_id".into(), json!(entry.page.id));
        for (name, value) in &page.properties {
            params.insert(name.clone(), value.clone());
        }
        let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
            t.map_or(Value::Null, |t| {
                json!(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            })
        };
        let post = entry.post;
        let description = post
            .and_then(|p| p.description.clone())
            .map_or(Value::Null, Value::String);
        // A baked file is a resource of the page's bundle, named as it is there.
        let bundle_name = |name: &str| name.to_owned();
        let mut fields: Vec<(String, Value)> = vec![
            ("title".into(), json!(entry.title)),
            (
                "date".into(),
                time(post.map(|p| p.date).or(entry.page.created_time)),
            ),
            ("lastmod".into(), time(entry.page.last_edited_time)),
            ("draft".into(), json!(page.draft)),
            (
                "slug".into(),
                post.map_or(Value::Null, |_| json!(entry.slug())),
            ),
            // List pages and feeds show the summary (Hugo 0.134+) instead of the body's start;
            // Hugo renders it as Markdown, so it is escaped to stay the description's text.
            (
                "summary".into(),
                description
                    .as_str()
                    .map_or(Value::Null, |text| json!(super::markdown::escape(text))),
            ),
            ("description".into(), description),
            ("tags".into(), post.map_or(Value::Null, |p| json!(p.tags))),
            ("aliases".into(), json!(page.aliases)),
            (
                "icon".into(),
                page.icon
                    .as_ref()
                    .map_or(Value::Null, |icon| json!(icon.front_matter(bundle_name))),
            ),
        ];
        if let Some(cover) = &page.cover {
            for key in page.cover_keys(DEFAULT_COVER_KEYS) {
                if fields.iter().any(|(k, _)| k == key) {
                    continue;
                }
                let url = cover.front_matter(bundle_name);
                let value = match key {
                    // Hugo's OpenGraph and Twitter card templates, and most themes.
                    "images" => json!([url]),
                    // PaperMod: `relative` looks the image up among the bundle's resources.
                    "cover" => json!({
                        "image": url,
                        "alt": entry.title,
                        "relative": cover.file.is_some(),
                    }),
                    _ => json!(url),
                };
                fields.push((key.to_owned(), value));
            }
        }
        fields.push(("params".into(), Value::Object(params)));
        format!("{}\n{}", yaml(&fields), page.body)
    }

    fn extra_files(&self, _site: &Site, _entries: &[Entry<'_>]) -> Vec<OutputFile> {
        SHORTCODES
            .iter()
            .map(|(path, text)| OutputFile::Generated {
                path: (*path).to_owned(),
                bytes: text.as_bytes().to_vec(),
            })
            .collect()
    }
}

/// An island's HTML for a Hugo content file: text that looks like a shortcode is written as
/// an entity (so it stays text), then the island's links become `relref` shortcodes.
fn hugo_safe(html: &str) -> String {
    let html = html.replace("{{", "&#123;&#123;");
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    // Only a link's own `href` (which no Notion URL can start with this scheme: the renderer
    // lets only http(s), mailto and tel through) becomes a shortcode; the text stays text.
    let marker = format!("href=\"{RELREF}");
    while let Some(at) = rest.find(&marker) {
        out.push_str(&rest[..at]);
        out.push_str("href=\"");
        let path_start = at + marker.len();
        let path_end = rest[path_start..]
            .find(['"', ' ', '<'])
            .map_or(rest.len(), |i| path_start + i);
        out.push_str(&format!(
            "{{{{< relref \"{}\" >}}}}",
            &rest[path_start..path_end]
        ));
        rest = &rest[path_end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn island_links_become_relrefs_and_text_stays_text() {
        let html = "<p>{{< not a shortcode >}} nb-bake-relref:/nowhere <a href=\"nb-bake-relref:/posts/a/index.md\" title=\"nb-bake-relref:/x\">a</a></p>";
        assert_eq!(
            hugo_safe(html),
            "<p>&#123;&#123;< not a shortcode >}} nb-bake-relref:/nowhere <a href=\"{{< relref \"/posts/a/index.md\" >}}\" title=\"nb-bake-relref:/x\">a</a></p>"
        );
    }
}
