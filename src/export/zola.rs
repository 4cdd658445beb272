//! Zola: page bundles `content/<section>/<slug>/index.md` with TOML front matter and their
//! files beside them; HTML islands as they are (Zola passes raw HTML through); internal links
//! as `@/…` paths. The section's `_index.md` is written once and then left to the user.

use std::collections::BTreeSet;

use super::front_matter::toml as toml_front_matter;
use super::{Entry, Layout, PageOut};
use crate::render::OutputFile;
use crate::site::Site;

/// Where the site's pages go in a Zola project.
pub(crate) struct Zola {
    /// `posts`: posts at `content/posts/<slug>/index.md`.
    pub(crate) section: String,
}

/// The `config.toml` line a Zola site needs for the posts' tags.
pub(crate) const TAXONOMY_HINT: &str = "taxonomies = [{ name = \"tags\", feed = true }]";

/// The `[extra]` keys a cover goes under when `[export] cover_keys` does not say: `image` and
/// `cover`, which many Zola themes read, and `local_image` (a baked cover) or `remote_image`
/// (an external one), as themes that tell the two apart read them.
const DEFAULT_COVER_KEYS: &[&str] = &["image", "cover", "local_image", "remote_image"];

impl Zola {
    fn content_path(&self, entries: &[Entry<'_>], index: usize) -> String {
        let entry = &entries[index];
        match entry.post {
            Some(_) => format!("{}/{}/index.md", self.section, entry.slug()),
            // A page with pages beneath it is a section in Zola.
            None if !entry.children.is_empty() => format!("{}_index.md", entry.site_path),
            None => format!("{}index.md", entry.site_path),
        }
    }
}

impl Layout for Zola {
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
        format!("@/{}", self.content_path(entries, to))
    }

    fn html_link(&self, entries: &[Entry<'_>], _from: usize, to: usize) -> String {
        // Zola resolves `@/` links in Markdown only.
        self.url_of(entries, to)
    }

    fn island(&self, _kind: &str, html: &str) -> String {
        zola_safe(html.trim())
    }

    fn inline(&self, html: &str) -> String {
        zola_safe(html)
    }

    fn summary_break(&self) -> Option<&'static str> {
        // Zola has no summary in front matter: `page.summary`, which themes list (after-dark
        // among them), is the body up to this line.
        Some("<!-- more -->")
    }

    fn document(&self, page: &PageOut<'_>) -> String {
        let entry = page.entry;
        let mut table = toml::Table::new();
        let string = |s: &str| toml::Value::String(s.to_owned());
        table.insert("title".into(), string(entry.title));
        let is_section = entry.post.is_none() && !entry.children.is_empty();
        if let Some(post) = entry.post {
            if let Some(description) = &post.description {
                table.insert("description".into(), string(description));
            }
            table.insert("date".into(), datetime(post.date));
            if let Some(updated) = post.updated {
                table.insert("updated".into(), datetime(updated));
            }
            table.insert("draft".into(), toml::Value::Boolean(page.draft));
            table.insert("slug".into(), string(entry.slug()));
        } else if !is_section && let Some(updated) = entry.page.last_edited_time {
            table.insert("updated".into(), datetime(updated));
        }
        if !page.aliases.is_empty() {
            table.insert(
                "aliases".into(),
                toml::Value::Array(page.aliases.iter().map(|a| string(a)).collect()),
            );
        }
        if let Some(post) = entry.post.filter(|p| !p.tags.is_empty()) {
            let mut taxonomies = toml::Table::new();
            taxonomies.insert(
                "tags".into(),
                toml::Value::Array(post.tags.iter().map(|t| string(t)).collect()),
            );
            table.insert("taxonomies".into(), toml::Value::Table(taxonomies));
        }
        let mut extra = toml::Table::new();
        extra.insert("notion_id".into(), string(&entry.page.id));
        // A baked file's path from the content folder (`posts/hello/fen-1a2b.jpg`): the path
        // `get_url` and `resize_image` take, and the file's URL path under the site's root.
        let file = page.file.trim_start_matches("content/");
        let folder = file.rsplit_once('/').map_or("", |(dir, _)| dir);
        let content_path = |name: &str| {
            if folder.is_empty() {
                name.to_owned()
            } else {
                format!("{folder}/{name}")
            }
        };
        if let Some(icon) = &page.icon {
            extra.insert("icon".into(), string(&icon.front_matter(content_path)));
        }
        if let Some(cover) = &page.cover {
            for key in page.cover_keys(DEFAULT_COVER_KEYS) {
                let value = match key {
                    "local_image" if cover.file.is_none() => continue,
                    "remote_image" if cover.file.is_some() => continue,
                    _ => cover.front_matter(content_path),
                };
                extra.entry(key).or_insert_with(|| string(&value));
            }
        }
        for (name, value) in &page.properties {
            if let Some(value) = toml_value(value) {
                extra.insert(name.clone(), value);
            }
        }
        table.insert("extra".into(), toml::Value::Table(extra));
        let front = toml_front_matter(&table);
        format!("{front}\n{}", page.body)
    }

    fn extra_files(&self, site: &Site, entries: &[Entry<'_>]) -> Vec<OutputFile> {
        let title = site
            .blog
            .as_ref()
            .map_or("Posts".to_owned(), |b| b.title.clone());
        let mut table = toml::Table::new();
        table.insert("title".into(), toml::Value::String(title));
        table.insert("sort_by".into(), toml::Value::String("date".into()));
        table.insert("paginate_by".into(), toml::Value::Integer(10));
        // Lists the posts on the home page too, where most themes (after-dark among them) list
        // the root section's pages.
        table.insert("transparent".into(), toml::Value::Boolean(true));
        let section = format!(
            "{}\n<!-- Written once by notion-bake export; yours to edit. Tags need `{TAXONOMY_HINT}` in config.toml. -->\n",
            toml_front_matter(&table)
        );
        let mut files = vec![OutputFile::Seeded {
            path: format!("content/{}/_index.md", self.section),
            bytes: section.into_bytes(),
        }];
        files.extend(self.folder_sections(entries));
        files
    }
}

impl Zola {
    /// A section `_index.md` with `render = false` for every folder beneath a page that holds
    /// pages but is no page itself (a database's folder, whose rows are pages beneath the page
    /// holding it): Zola would call those pages orphans. The folder gets no page of its own, as
    /// in `build`.
    fn folder_sections(&self, entries: &[Entry<'_>]) -> Vec<OutputFile> {
        let files: Vec<String> = (0..entries.len())
            .filter(|&i| entries[i].post.is_none())
            .map(|i| self.content_path(entries, i))
            .collect();
        let sections: BTreeSet<&str> = files
            .iter()
            .filter_map(|file| file.strip_suffix("_index.md"))
            .collect();
        let mut folders = BTreeSet::new();
        for file in &files {
            let mut folder = file.rsplit_once('/').map_or("", |(dir, _)| dir);
            // The page's own folder is its bundle; the folders between it and the nearest page
            // above it need a section. Folders above every page are the user's: left alone.
            let mut between = Vec::new();
            while let Some((parent, _)) = folder.rsplit_once('/') {
                folder = parent;
                if sections.contains(format!("{folder}/").as_str()) {
                    folders.extend(between.drain(..));
                    break;
                }
                between.push(folder.to_owned());
            }
        }
        folders
            .into_iter()
            .map(|folder| OutputFile::Generated {
                path: format!("content/{folder}/_index.md"),
                bytes: "+++\nrender = false\n+++\n".as_bytes().to_vec(),
            })
            .collect()
    }
}

/// Text in Zola content that would open a shortcode (`{{`, `{%`) written as an entity.
fn zola_safe(html: &str) -> String {
    html.replace("{{", "&#123;{").replace("{%", "&#123;%")
}

fn datetime(time: chrono::DateTime<chrono::Utc>) -> toml::Value {
    let text = time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    text.parse::<toml::value::Datetime>()
        .map_or(toml::Value::String(text), toml::Value::Datetime)
}

fn toml_value(value: &serde_json::Value) -> Option<toml::Value> {
    Some(match value {
        serde_json::Value::Bool(b) => toml::Value::Boolean(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64()?),
        },
        serde_json::Value::String(s) => toml::Value::String(s.clone()),
        serde_json::Value::Array(items) => {
            toml::Value::Array(items.iter().filter_map(toml_value).collect())
        }
        // A `files` property's `{name, url}` entries.
        serde_json::Value::Object(map) => toml::Value::Table(
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), toml_value(v)?)))
                .collect(),
        ),
        serde_json::Value::Null => return None,
    })
}
