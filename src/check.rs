//! `notion-bake check`: the config, the token, access to every configured database and page,
//! then (when `public/` exists) an audit of the built site: no expiring Notion URL anywhere,
//! every local link and asset reference resolves, every local image has its size.
//!
//! Each check prints one line (`✓` or `✗` with the reason) on stdout; any problem makes the
//! command fail (exit 1), so it can gate a deploy. Without `NOTION_TOKEN` the Notion checks
//! are skipped, with a line saying so: a site built from its cache snapshot can still have
//! its output audited.

use std::path::{Path, PathBuf};

use anyhow::bail;
use serde_json::Value;

use crate::config::SiteConfig;
use crate::notion::client::{NotionClient, NotionError};
use crate::pipeline;

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

/// Said instead of checking Notion when no token is set.
pub const NO_TOKEN_NOTICE: &str = "Notion sources not checked: NOTION_TOKEN is not set. To check the \
     token and access to the blog database and pages, `export NOTION_TOKEN=ntn_…` (the secret of \
     the internal integration they are shared with, https://www.notion.so/profile/integrations) \
     and run check again";

/// The outcome lines, printed as they come.
#[derive(Debug, Default)]
struct Report {
    problems: usize,
}

impl Report {
    fn ok(&mut self, what: impl AsRef<str>) {
        println!("✓ {}", what.as_ref());
    }

    fn problem(&mut self, what: impl AsRef<str>) {
        self.problems += 1;
        println!("✗ {}", indent(what.as_ref()));
    }

    fn note(&mut self, what: impl AsRef<str>) {
        println!("- {}", what.as_ref());
    }
}

fn indent(text: &str) -> String {
    text.trim_end().replace('\n', "\n  ")
}

/// Runs every check on a loaded config (loading it is the config check: a broken config
/// never gets here).
pub async fn check(config: &SiteConfig) -> anyhow::Result<()> {
    let mut report = Report::default();
    report.ok(format!("config {}", config.config_path.display()));
    check_notion(config, &mut report).await;
    let public = config.site_dir.join("public");
    if public.is_dir() {
        let problems = audit(&public, config);
        let files = walkdir::WalkDir::new(&public)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .count();
        for problem in &problems {
            report.problem(problem);
        }
        if problems.is_empty() {
            report.ok(format!(
                "{} ({files} files): no expiring Notion URL, every local link and asset resolves, \
                 every image has width and height",
                public.display()
            ));
        }
    } else {
        report.note(format!(
            "{} does not exist yet: run `notion-bake build`, then check again to audit it",
            public.display()
        ));
    }
    match report.problems {
        0 => Ok(()),
        n => bail!("check found {n} problem(s) (see above)"),
    }
}

async fn check_notion(config: &SiteConfig, report: &mut Report) {
    let has_sources = config.blog.is_some() || !config.pages.is_empty();
    if config.notion.token.is_none() {
        if has_sources {
            report.note(NO_TOKEN_NOTICE);
        } else {
            report.note("no Notion database or page is configured: the token is not needed");
        }
        return;
    }
    let client = match pipeline::client_for(config) {
        Ok(client) => client,
        Err(e) => return report.problem(format!("Notion client: {e:#}")),
    };
    match client.me().await {
        Ok(me) => {
            let name = me
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("(unnamed)");
            let workspace = me
                .pointer("/bot/workspace_name")
                .and_then(Value::as_str)
                .map(|w| format!(" in workspace {w:?}"))
                .unwrap_or_default();
            report.ok(format!(
                "token: accepted by {} as integration {name:?}{workspace}",
                config.notion.api_url
            ));
        }
        Err(e) => {
            let unauthorized = matches!(e, NotionError::Unauthorized);
            if unauthorized {
                report.problem(format!("token: {e}"));
            } else {
                report.problem(format!("Notion API at {}: {e}", config.notion.api_url));
            }
            if has_sources {
                report.note(if unauthorized {
                    "access to the database and pages not checked: fix the token first"
                } else {
                    "access to the database and pages not checked: Notion could not be reached"
                });
            }
            return;
        }
    }
    if let Some(blog) = &config.blog {
        check_database(&client, blog.database.as_str(), report).await;
    }
    for page in &config.pages {
        check_page(&client, page.id.as_str(), &page.path, report).await;
    }
}

async fn check_database(client: &NotionClient, id: &str, report: &mut Report) {
    let found = match client.database(id).await {
        Ok(database) => Ok(("database", database)),
        Err(NotionError::NotFound(_)) if client.uses_data_sources() => {
            match client.data_source(id).await {
                Ok(source) => Ok(("data source", source)),
                Err(_) => Err(NotionError::NotFound(
                    crate::notion::client::Resource::Database(id.to_owned()),
                )),
            }
        }
        Err(e) => Err(e),
    };
    match found {
        Ok((kind, object)) => report.ok(format!(
            "[blog] {kind} {:?} ({id}) is shared with the integration",
            title_of(&object)
        )),
        Err(NotionError::NotFound(_)) if client.page(id).await.is_ok() => report.problem(format!(
            "[blog] database {id} is a page, not a database: list it under [[pages]], or use the id \
             of the database (open it as a full page and copy its link)"
        )),
        Err(e) => report.problem(format!("[blog] database {id}: {e}")),
    }
}

async fn check_page(client: &NotionClient, id: &str, path: &str, report: &mut Report) {
    match client.page(id).await {
        Ok(page) if is_trashed(&page) => report.problem(format!(
            "[[pages]] {path}: the page {:?} ({id}) is in Notion's trash",
            title_of(&page)
        )),
        Ok(page) => report.ok(format!(
            "[[pages]] {path}: page {:?} ({id}) is shared with the integration",
            title_of(&page)
        )),
        Err(NotionError::NotFound(_)) if client.database(id).await.is_ok() => report.problem(
            format!("[[pages]] {path}: {id} is a database, not a page: use it as [blog] database"),
        ),
        Err(e) => report.problem(format!("[[pages]] {path}: {e}")),
    }
}

/// A page's or database's title, from its `title` property or `title` rich text.
fn title_of(object: &Value) -> String {
    let rich_text = object.get("title").and_then(Value::as_array).or_else(|| {
        object
            .get("properties")?
            .as_object()?
            .values()
            .find(|p| p.get("type").and_then(Value::as_str) == Some("title"))?
            .get("title")?
            .as_array()
    });
    rich_text
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("plain_text").and_then(Value::as_str))
        .collect()
}

fn is_trashed(object: &Value) -> bool {
    ["in_trash", "archived"]
        .iter()
        .any(|key| object.get(*key).and_then(Value::as_bool).unwrap_or(false))
}

/// Every problem of the built site in `public`, one message each.
pub fn audit(public: &Path, config: &SiteConfig) -> Vec<String> {
    let mut problems = Vec::new();
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
            audit_html(public, &page_url, &text, config, &mut problems);
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

fn audit_html(
    public: &Path,
    page_url: &str,
    html: &str,
    config: &SiteConfig,
    problems: &mut Vec<String>,
) {
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
