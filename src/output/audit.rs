//! The audit of a written site: no expiring Notion URL anywhere, every local link and asset
//! reference resolves, every local image has its size. `notion-bake check` runs it on
//! `public/`; the tests run it on every site they build.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::UrlHistory;
use crate::config::SiteConfig;

/// Text in a URL that marks a signed, expiring Notion file URL.
const EXPIRING_MARKERS: [&str; 7] = [
    "X-Amz-Signature",
    "X-Amz-Credential",
    "X-Amz-Expires",
    "prod-files-secure.s3",
    "secure.notion-static.com",
    "file.notion.so/f/",
    "expirationTimestamp=",
];

/// File types searched for expiring URLs.
const TEXT_EXTENSIONS: [&str; 11] = [
    "html",
    "htm",
    "xml",
    "css",
    "js",
    "mjs",
    "json",
    "txt",
    "svg",
    "webmanifest",
    "md",
];

/// Every problem of the built site in `public`, one message each.
pub fn audit(public: &Path, config: &SiteConfig) -> Vec<String> {
    let mut problems = Vec::new();
    // The URLs of pages that left the site still serve a notice: a link to one is as broken
    // as a link to nothing.
    let cache = crate::cache::Snapshot::new(&config.site_dir);
    let removed = match UrlHistory::load(cache.root()) {
        Ok(history) => history.removed_paths(),
        Err(error) => {
            problems.push(format!("{error:#}"));
            HashSet::new()
        }
    };
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    for file in files {
        let shown = file.strip_prefix(public).unwrap_or(&file).to_path_buf();
        let extension = file
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if !TEXT_EXTENSIONS.contains(&extension.as_str()) {
            continue;
        }
        let Ok(bytes) = std::fs::read(&file) else {
            problems.push(format!("{}: cannot be read", shown.display()));
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        for url in expiring_urls(&text) {
            problems.push(format!(
                "{}: links to an expiring Notion file URL (it stops working an hour after it was \
                 fetched): {url}",
                public.join(&shown).display()
            ));
        }
        if extension == "html" || extension == "htm" {
            let page_url = format!("/{}", shown.to_string_lossy().replace('\\', "/"));
            let site = Audited {
                public,
                config,
                removed: &removed,
            };
            audit_html(&site, &page_url, &text, &mut problems);
        }
    }
    problems
}

/// Each expiring URL in `text`, without its query (the signature is a credential).
fn expiring_urls(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let is_delimiter = |c: char| c.is_whitespace() || "\"'<>()`,".contains(c);
    for marker in EXPIRING_MARKERS {
        for (at, _) in text.match_indices(marker) {
            let start = text[..at].rfind(is_delimiter).map_or(0, |i| {
                i + text[i..].chars().next().map_or(1, char::len_utf8)
            });
            let end = text[at..].find(is_delimiter).map_or(text.len(), |i| at + i);
            let url = &text[start..end];
            let url = url.split(['?', '#']).next().unwrap_or(url);
            let url = url.split("&amp;").next().unwrap_or(url).to_owned();
            if !found.contains(&url) {
                found.push(url);
            }
        }
    }
    found
}

/// The site being audited.
struct Audited<'a> {
    public: &'a Path,
    config: &'a SiteConfig,
    /// Site paths (`posts/a/`) of the pages that left the site.
    removed: &'a HashSet<String>,
}

fn audit_html(site: &Audited<'_>, page_url: &str, html: &str, problems: &mut Vec<String>) {
    let (public, config) = (site.public, site.config);
    let document = scraper::Html::parse_document(html);
    let selector =
        scraper::Selector::parse("[href], [src], [srcset], [poster], object[data]").expect("valid");
    let shown = public.join(page_url.trim_start_matches('/'));
    for element in document.select(&selector) {
        let element = element.value();
        let mut references: Vec<&str> = ["href", "src", "poster"]
            .iter()
            .filter_map(|attr| element.attr(attr))
            .collect();
        if element.name() == "object" {
            references.extend(element.attr("data"));
        }
        if let Some(srcset) = element.attr("srcset") {
            references.extend(
                srcset
                    .split(',')
                    .filter_map(|candidate| candidate.split_whitespace().next()),
            );
        }
        for reference in references {
            match resolve(reference, page_url, config) {
                Target::External => {}
                Target::Outside => problems.push(format!(
                    "{}: {reference:?} points outside the site's base path {:?}",
                    shown.display(),
                    config.base_path()
                )),
                Target::Local(path) => {
                    if !exists_in(public, &path) {
                        problems.push(format!(
                            "{}: broken link or asset {reference:?} (no {} in the output)",
                            shown.display(),
                            if path.is_empty() { "index.html" } else { &path }
                        ));
                    } else if is_removed(site.removed, &path) {
                        problems.push(format!(
                            "{}: links to {reference:?}, a page that is no longer in the site \
                             (its old URL only shows a notice or redirects home)",
                            shown.display()
                        ));
                    }
                }
            }
        }
        if element.name() == "img" {
            let src = element.attr("src").unwrap_or_default();
            let local = matches!(resolve(src, page_url, config), Target::Local(_));
            let sized = ["width", "height"]
                .iter()
                .all(|a| element.attr(a).is_some_and(|v| !v.trim().is_empty()));
            if local && !sized {
                problems.push(format!(
                    "{}: the image {src:?} has no width and height (the page will jump as it loads)",
                    shown.display()
                ));
            }
        }
    }
}

/// Where a reference in a page points.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// Another site, `mailto:`, `data:`, a fragment of the same page, …: not checked.
    External,
    /// A root-relative path outside the site's base path.
    Outside,
    /// A path inside the site, relative to its root, percent-decoded, without query or
    /// fragment (`posts/a/`, `assets/x.jpg`, `` for the home page).
    Local(String),
}

fn resolve(reference: &str, page_url: &str, config: &SiteConfig) -> Target {
    let reference = reference.trim();
    if reference.is_empty() || reference.starts_with('#') || reference.starts_with("//") {
        return Target::External;
    }
    let base = config.base_url.as_str().trim_end_matches('/');
    let base_path = config.base_path();
    let path = if let Some(rest) = reference.strip_prefix(base) {
        if !(rest.is_empty() || rest.starts_with(['/', '?', '#'])) {
            return Target::External;
        }
        rest.trim_start_matches('/').to_owned()
    } else if url::Url::parse(reference).is_ok() {
        return Target::External;
    } else if let Some(rooted) = reference.strip_prefix('/') {
        let rooted = format!("/{rooted}");
        match rooted.strip_prefix(base_path) {
            Some(rest)
                if base_path.is_empty() || rest.is_empty() || rest.starts_with(['/', '?', '#']) =>
            {
                rest.trim_start_matches('/').to_owned()
            }
            _ => return Target::Outside,
        }
    } else {
        // Relative to the page's folder (a page URL is `…/index.html` or `…/name.html`).
        let folder = page_url.rsplit_once('/').map_or("", |(folder, _)| folder);
        format!("{}/{reference}", folder.trim_start_matches('/'))
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let mut parts: Vec<&str> = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Target::Outside;
                }
            }
            other => parts.push(other),
        }
    }
    let mut local = parts.join("/");
    if decoded.ends_with('/') && !local.is_empty() {
        local.push('/');
    }
    Target::Local(local)
}

/// Whether a site path (`posts/a/`, `posts/a`, `posts/a/index.html`) is a removed page's.
fn is_removed(removed: &HashSet<String>, path: &str) -> bool {
    if removed.is_empty() {
        return false;
    }
    let folder = path.strip_suffix("index.html").unwrap_or(path);
    let folder = format!("{}/", folder.trim_end_matches('/'));
    removed.contains(&folder)
}

/// Whether a site path is served by a file of the output (a folder by its `index.html`).
fn exists_in(public: &Path, path: &str) -> bool {
    let file = public.join(path.trim_end_matches('/'));
    if path.is_empty() || path.ends_with('/') {
        return file.join("index.html").is_file();
    }
    file.is_file() || file.join("index.html").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base: &str) -> SiteConfig {
        let mut config = SiteConfig::for_test("site");
        config.base_url = url::Url::parse(base).unwrap();
        config
    }

    #[test]
    fn references_resolve_against_the_base_path() {
        let c = config("https://example.org/blog");
        let page = "/posts/a/index.html";
        let local = |p: &str| Target::Local(p.to_owned());
        assert_eq!(resolve("/blog/posts/b/", page, &c), local("posts/b/"));
        assert_eq!(resolve("/blog/", page, &c), local(""));
        assert_eq!(resolve("/blog", page, &c), local(""));
        assert_eq!(
            resolve("https://example.org/blog/feed.xml", page, &c),
            local("feed.xml")
        );
        assert_eq!(resolve("../b/#top", page, &c), local("posts/b/"));
        assert_eq!(
            resolve("photo%20one.jpg?x=1", page, &c),
            local("posts/a/photo one.jpg")
        );
        assert_eq!(resolve("/other/x", page, &c), Target::Outside);
        assert_eq!(resolve("/blogger/x", page, &c), Target::Outside);
        assert_eq!(resolve("../../../x", page, &c), Target::Outside);
        for external in [
            "https://example.com/x.jpg",
            "https://example.org/blogroll",
            "mailto:a@example.org",
            "data:image/png;base64,AAAA",
            "#section",
            "//cdn.example.com/x.js",
        ] {
            assert_eq!(resolve(external, page, &c), Target::External, "{external}");
        }
    }

    #[test]
    fn expiring_urls_are_found_without_their_signature() {
        let html = r#"<img src="https://prod-files-secure.s3.us-west-2.amazonaws.com/space/file/photo.jpg?X-Amz-Algorithm=AWS4&amp;X-Amz-Signature=abc">
            <a href='https://file.notion.so/f/f/space/file/doc.pdf?expirationTimestamp=1'>doc</a>"#;
        let found = expiring_urls(html);
        assert_eq!(
            found,
            [
                "https://prod-files-secure.s3.us-west-2.amazonaws.com/space/file/photo.jpg",
                "https://file.notion.so/f/f/space/file/doc.pdf",
            ]
        );
        assert!(expiring_urls("<p>https://images.example.com/p.jpg?w=1</p>").is_empty());
    }
}
