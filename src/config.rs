//! `notion-bake.toml` + environment → a validated `SiteConfig`.
//!
//! Loading is two steps, as in Zola: serde reads the file (every table denies unknown keys,
//! so a typo is an error naming the key and the file), then [`SiteConfig`] is built from it by
//! explicit checks that name the file and the key of any bad value. The environment supplies
//! the token (`NOTION_TOKEN`, the only place it is ever read from) and may override the API
//! URL (`NOTION_API_URL`); an empty variable counts as unset.

mod error;
mod export;
mod raw;
mod search;
mod token;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use url::Url;

use crate::assets::image::Preset;
use crate::notion::ids::NotionId;

pub use error::ConfigError;
pub use export::{ExportConfig, MarkdownFlavor, Target};
pub use search::{SearchConfig, SearchSection};
pub use token::NotionToken;

/// The config file's name inside a site folder.
pub const CONFIG_FILE_NAME: &str = "notion-bake.toml";
/// The environment variable holding the Notion integration token.
const TOKEN_ENV: &str = "NOTION_TOKEN";
/// The environment variable that overrides `notion.api_url`.
const API_URL_ENV: &str = "NOTION_API_URL";

const DEFAULT_API_URL: &str = "https://api.notion.com/";
const DEFAULT_THEME: &str = "default";
const DEFAULT_BLOG_PATH: &str = "posts";
const DEFAULT_POSTS_PER_PAGE: u32 = 10;
const DEFAULT_WIDTHS: [u32; 4] = [480, 960, 1440, 1920];
const DEFAULT_QUALITY: u8 = 80;
const DEFAULT_MAX_SIZE_MB: u64 = 200;
/// The language the default theme declares (`<html lang>`), and the search index's default.
const DEFAULT_LANGUAGE: &str = "en";

/// First path segments the output itself uses; a page or the blog there
/// would collide with them.
const RESERVED_PATHS: [&str; 4] = ["assets", "static", "tags", "page"];

/// What a relative URL path must look like (`[blog] path`, `[[pages]] path`, an export section).
pub const RELATIVE_PATH_EXPECTED: &str = "a relative URL path such as \"about\" or \"docs/intro\" \
     (letters, digits, '-', '_', '.', '~' between slashes; no \"..\")";

/// `value` without surrounding slashes when it is a relative path of URL-safe segments, or
/// what is wrong with it.
pub fn relative_path(value: &str) -> Result<&str, &'static str> {
    let path = value.trim().trim_matches('/');
    if path.is_empty() {
        return Err("an empty path");
    }
    for segment in path.split('/') {
        if segment.is_empty() {
            return Err("which has an empty segment (\"//\")");
        } else if segment == "." || segment == ".." {
            return Err("which contains a \".\" or \"..\" segment");
        } else if !segment
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
        {
            return Err("which contains characters that do not belong in a URL path");
        }
    }
    Ok(path)
}

/// A site's validated configuration.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SiteConfig {
    /// The site folder (as given, not canonicalised).
    pub site_dir: PathBuf,
    /// `site_dir/notion-bake.toml`.
    pub config_path: PathBuf,
    /// The site's title.
    pub title: String,
    /// Absolute http(s) URL the site is served from. A non-root path never ends in `/`
    /// (`https://example.org/blog`); a root URL is `https://example.org/`. See
    /// [`SiteConfig::base_path`].
    pub base_url: Url,
    /// The site's description, if any (an empty string counts as none).
    pub description: Option<String>,
    /// Theme folder name (under the built-in `themes/` or `SITE_DIR/themes/`).
    pub theme: String,
    /// How to reach Notion.
    pub notion: NotionConfig,
    /// The database of posts, if the site has a blog.
    pub blog: Option<BlogConfig>,
    /// Standalone pages (with their child pages beneath them), in file order.
    pub pages: Vec<PageSource>,
    /// Image variants to generate.
    pub images: ImagesConfig,
    /// Limits on downloaded files.
    pub files: FilesConfig,
    /// Defaults of `notion-bake export`.
    pub export: ExportConfig,
    /// The search index `build` writes.
    pub search: SearchConfig,
    /// The view each database inside a page shows (its id or name), by database id: the
    /// `[databases."<id>"]` tables' `view`.
    pub database_views: HashMap<NotionId, String>,
    /// What the URL of a page that left the site shows (`removed_pages`).
    pub removed_pages: RemovedPages,
}

/// What `build` leaves at the URL of a page that left the site (unpublished, trashed,
/// unshared): `removed_pages = "notice" | "redirect"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RemovedPages {
    /// A small "this page was removed" page, kept out of search engines (`noindex`).
    #[default]
    Notice,
    /// A redirect to the home page.
    Redirect,
}

/// The `[notion]` table plus the token from the environment.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct NotionConfig {
    /// API base URL, always ending in `/` so `api_url.join("v1/…")` keeps any path prefix.
    /// `NOTION_API_URL` overrides the file.
    pub api_url: Url,
    /// The `Notion-Version` header to send.
    pub version: ApiVersion,
    /// From `NOTION_TOKEN`; `None` when unset or empty.
    pub token: Option<NotionToken>,
    /// The average request rate to keep: 3/s on most plans, 10/s on Business and Enterprise.
    pub requests_per_second: f64,
}

/// A supported `Notion-Version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ApiVersion {
    /// `2022-06-28`: databases without data sources.
    V2022_06_28,
    /// `2025-09-03`: data sources (the default).
    #[default]
    V2025_09_03,
    /// `2026-03-11`.
    V2026_03_11,
}

impl ApiVersion {
    /// Every supported version, oldest first.
    const ALL: [ApiVersion; 3] = [
        ApiVersion::V2022_06_28,
        ApiVersion::V2025_09_03,
        ApiVersion::V2026_03_11,
    ];

    /// The header value, e.g. `"2025-09-03"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V2022_06_28 => "2022-06-28",
            ApiVersion::V2025_09_03 => "2025-09-03",
            ApiVersion::V2026_03_11 => "2026-03-11",
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ApiVersion {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ApiVersion::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim())
            .ok_or(())
    }
}

/// The `[blog]` table: a database (or data source) of posts.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BlogConfig {
    /// Database id, data source id, or the id from a URL.
    pub database: NotionId,
    /// URL path of the posts, without leading or trailing `/` (`posts` → `/posts/<slug>/`).
    pub path: String,
    /// Posts per index page, at least 1.
    pub posts_per_page: u32,
    /// Which database properties hold what.
    pub properties: PropertyNames,
    /// The properties the default theme shows under a post's or page's title (`files`
    /// properties as attachments); `None` shows every `files` property.
    pub show_properties: Option<Vec<String>>,
}

impl BlogConfig {
    /// A blog on `database` with the default path, page size and property names.
    pub fn new(database: NotionId) -> BlogConfig {
        BlogConfig {
            database,
            path: DEFAULT_BLOG_PATH.to_owned(),
            posts_per_page: DEFAULT_POSTS_PER_PAGE,
            properties: PropertyNames::default(),
            show_properties: None,
        }
    }
}

/// The `[blog.properties]` table: database property names, matched by name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PropertyNames {
    /// Default `Name`.
    pub title: String,
    /// Default `Slug`; an empty slug value derives the slug from the title.
    pub slug: String,
    /// Default `Date`.
    pub date: String,
    /// Default `Tags`.
    pub tags: String,
    /// Default `Published`: a checkbox, or a status/select equal to "Published".
    pub published: String,
    /// Default `Description`.
    pub description: String,
}

impl PropertyNames {
    /// The six property names, which the site shows in their own places.
    pub(crate) fn all(&self) -> [&str; 6] {
        [
            &self.title,
            &self.slug,
            &self.date,
            &self.tags,
            &self.published,
            &self.description,
        ]
    }
}

impl Default for PropertyNames {
    fn default() -> Self {
        PropertyNames {
            title: "Name".to_owned(),
            slug: "Slug".to_owned(),
            date: "Date".to_owned(),
            tags: "Tags".to_owned(),
            published: "Published".to_owned(),
            description: "Description".to_owned(),
        }
    }
}

/// One `[[pages]]` entry: a standalone page and the URL path it is published at.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PageSource {
    /// The page id.
    pub id: NotionId,
    /// URL path without leading or trailing `/`, e.g. `about` or `docs/intro`.
    pub path: String,
    /// How the databases inside the page (and its child pages) are shown.
    pub databases: DatabasesMode,
}

impl PageSource {
    /// A page at `path` (taken as given: call it with a valid relative path), its databases
    /// shown inline.
    pub fn new(id: NotionId, path: impl Into<String>) -> PageSource {
        PageSource {
            id,
            path: path.into(),
            databases: DatabasesMode::Inline,
        }
    }
}

/// A `[[pages]]` entry's `databases`: how the databases inside its pages are shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DatabasesMode {
    /// In the view the author chose in Notion (the default).
    #[default]
    Inline,
    /// As their title and a list of links to their rows' pages.
    Link,
    /// Not at all: neither fetched nor shown.
    None,
}

/// The `[images]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImagesConfig {
    /// Variant widths in pixels: non-empty, each > 0, sorted ascending, no duplicates.
    /// Never upscaled: widths above the original's are skipped.
    pub widths: Vec<u32>,
    /// Whether to generate WebP variants (`formats = ["webp"]`, the default).
    pub webp: bool,
    /// Encoder quality, 1..=100: the preset's, or the number given as `quality`.
    pub quality: u8,
    /// How hard the encoders work for small files (`quality = "small" | "balanced" | "fast"`;
    /// a number as `quality` keeps the balanced settings at that quality).
    pub preset: Preset,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: DEFAULT_WIDTHS.to_vec(),
            webp: true,
            quality: DEFAULT_QUALITY,
            preset: Preset::Balanced,
        }
    }
}

/// The `[files]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FilesConfig {
    /// Download size cap per file in bytes (`max_size_mb` × 1 MiB).
    pub max_size_bytes: u64,
}

impl Default for FilesConfig {
    fn default() -> Self {
        FilesConfig {
            max_size_bytes: DEFAULT_MAX_SIZE_MB * 1024 * 1024,
        }
    }
}

impl SiteConfig {
    /// Loads and validates `site_dir/notion-bake.toml`, with the token and overrides from the
    /// process environment.
    pub fn load(site_dir: &Path) -> Result<SiteConfig, ConfigError> {
        SiteConfig::load_with_env(site_dir, &|name| std::env::var(name).ok())
    }

    /// [`SiteConfig::load`] with an injected environment (`env(name)` → the variable's
    /// value), so tests need not touch the process environment.
    pub fn load_with_env(
        site_dir: &Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<SiteConfig, ConfigError> {
        let config_path = site_dir.join(CONFIG_FILE_NAME);
        let source = match std::fs::read_to_string(&config_path) {
            Ok(source) => source,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ConfigError::Missing {
                    dir: site_dir.to_path_buf(),
                });
            }
            Err(source) => {
                return Err(ConfigError::Read {
                    path: config_path,
                    source,
                });
            }
        };
        SiteConfig::from_toml_with_env(site_dir, &source, env)
    }

    /// Parses and validates config text as if it were `site_dir/notion-bake.toml`.
    pub fn from_toml_with_env(
        site_dir: &Path,
        source: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<SiteConfig, ConfigError> {
        let config_path = site_dir.join(CONFIG_FILE_NAME);
        let raw = parse_raw(&config_path, source)?;
        Validator { path: &config_path }.validate(raw, site_dir, env)
    }

    /// A configuration for unit tests: no file is read, no environment consulted.
    /// Title "Test site", base URL `https://example.org/`, default theme, API and images,
    /// no token, no blog, no pages. Set fields to taste.
    pub fn for_test(site_dir: impl Into<PathBuf>) -> SiteConfig {
        let site_dir = site_dir.into();
        SiteConfig {
            config_path: site_dir.join(CONFIG_FILE_NAME),
            site_dir,
            title: "Test site".to_owned(),
            base_url: Url::parse("https://example.org/").expect("valid URL"),
            description: None,
            theme: DEFAULT_THEME.to_owned(),
            notion: NotionConfig {
                api_url: Url::parse(DEFAULT_API_URL).expect("valid URL"),
                version: ApiVersion::default(),
                token: None,
                requests_per_second: 3.0,
            },
            blog: None,
            pages: Vec::new(),
            images: ImagesConfig::default(),
            files: FilesConfig::default(),
            export: ExportConfig::default(),
            search: SearchConfig::default(),
            database_views: HashMap::new(),
            removed_pages: RemovedPages::default(),
        }
    }

    /// The path prefix of `base_url` without a trailing slash: `/blog` for
    /// `https://example.org/blog`, `` (empty) for a site at the root. Internal links are
    /// `format!("{}/posts/{slug}/", config.base_path())`.
    pub fn base_path(&self) -> &str {
        self.base_url.path().trim_end_matches('/')
    }

    /// The absolute URL of a site path: `absolute_url("posts/a/")` →
    /// `https://example.org/blog/posts/a/`. A leading `/` on `path` is ignored.
    #[cfg(test)]
    fn absolute_url(&self, path: &str) -> String {
        let base = self.base_url.as_str().trim_end_matches('/');
        format!("{base}/{}", path.trim_start_matches('/'))
    }
}

/// Step one: TOML → the raw shape, with unknown/missing keys and wrong types named.
fn parse_raw(config_path: &Path, source: &str) -> Result<raw::RawConfig, ConfigError> {
    let position = |span: Option<std::ops::Range<usize>>| match span {
        Some(span) => {
            let (line, column) = line_and_column(source, span.start);
            (Some(line), Some(column))
        }
        None => (None, None),
    };
    let deserializer = toml::Deserializer::parse(source).map_err(|e| {
        let (line, column) = position(e.span());
        ConfigError::Parse {
            path: config_path.to_path_buf(),
            key: None,
            line,
            column,
            message: e.message().trim().to_owned(),
        }
    })?;
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let parent = e.path().to_string();
        let inner = e.into_inner();
        // serde says "field"; a TOML user thinks "key".
        let message = inner
            .message()
            .trim()
            .replacen("unknown field `", "unknown key `", 1)
            .replacen("missing field `", "missing required key `", 1);
        let parent = (parent != ".").then_some(parent);
        // An unknown key is the path's last segment already; a missing key is not.
        let key = match (parent, key_named_in(&message)) {
            (Some(parent), Some(field))
                if parent != field && !parent.ends_with(&format!(".{field}")) =>
            {
                Some(format!("{parent}.{field}"))
            }
            (Some(parent), Some(_)) => Some(parent),
            (None, Some(field)) => Some(field.to_owned()),
            (parent, None) => parent,
        };
        let (line, column) = position(inner.span());
        ConfigError::Parse {
            path: config_path.to_path_buf(),
            key,
            line,
            column,
            message,
        }
    })
}

/// The key in "unknown key `x`, expected …" / "missing required key `x`" messages.
fn key_named_in(message: &str) -> Option<&str> {
    let rest = message
        .strip_prefix("unknown key `")
        .or_else(|| message.strip_prefix("missing required key `"))?;
    rest.split('`').next()
}

/// 1-based line and column (in characters) of a byte offset.
fn line_and_column(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

/// What a `base_url` (in the config, or `--base-url`) must be.
pub const BASE_URL_EXPECTED: &str = "an absolute http(s) URL such as \"https://example.org/blog\"";

/// Checks a site's base URL and normalises it (no trailing slash but for the root); `Err`
/// says what is wrong with it.
pub fn base_url(value: &str) -> Result<Url, String> {
    let value = value.trim();
    let url = match Url::parse(value) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            return Err(format!(
                "is {value:?}, which is not absolute (it has no scheme and host)"
            ));
        }
        Err(e) => {
            return Err(format!("is {value:?}, which is not a valid URL ({e})"));
        }
    };
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "is {value:?}, which is not an http(s) URL with a host"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("is {value:?}, which has a query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("contains a user name or password".to_owned());
    }
    let mut url = url;
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(if path.is_empty() { "/" } else { &path });
    Ok(url)
}

/// Step two: the raw shape → `SiteConfig`, naming the file and key of any bad value.
struct Validator<'a> {
    path: &'a Path,
}

impl Validator<'_> {
    fn invalid(
        &self,
        key: impl Into<String>,
        problem: impl Into<String>,
        expected: impl Into<String>,
    ) -> ConfigError {
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            key: key.into(),
            problem: problem.into(),
            expected: expected.into(),
        }
    }

    fn validate(
        &self,
        raw: raw::RawConfig,
        site_dir: &Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<SiteConfig, ConfigError> {
        let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());

        let title = raw.title.trim().to_owned();
        if title.is_empty() {
            return Err(self.invalid("title", "is empty", "the site's title"));
        }
        let base_url = self.base_url(&raw.base_url)?;
        let description = raw.description.filter(|d| !d.trim().is_empty());
        let theme = self.theme(&raw.theme)?;
        let notion = NotionConfig {
            api_url: match env(API_URL_ENV) {
                Some(value) => api_url(&value).map_err(|problem| ConfigError::InvalidEnv {
                    var: API_URL_ENV,
                    problem,
                    expected: API_URL_EXPECTED.to_owned(),
                })?,
                None => api_url(&raw.notion.api_url)
                    .map_err(|problem| self.invalid("notion.api_url", problem, API_URL_EXPECTED))?,
            },
            version: raw.notion.version.parse().map_err(|()| {
                self.invalid(
                    "notion.version",
                    format!(
                        "is {:?}, which notion-bake does not support",
                        raw.notion.version
                    ),
                    format!(
                        "one of {}",
                        ApiVersion::ALL.map(|v| format!("\"{v}\"")).join(", ")
                    ),
                )
            })?,
            token: env(TOKEN_ENV).and_then(NotionToken::new),
            requests_per_second: match raw.notion.requests_per_second {
                rate if rate.is_finite() && rate > 0.0 && rate <= 1000.0 => rate,
                _ => {
                    return Err(self.invalid(
                        "notion.requests_per_second",
                        format!("is {}", raw.notion.requests_per_second),
                        "a number above 0 (Notion allows 3 per second; 10 on Business plans)",
                    ));
                }
            },
        };

        // Paths of the blog and the pages, to check they are unique: path → key.
        let mut paths: HashMap<String, String> = HashMap::new();
        let blog = match raw.blog {
            Some(blog) => Some(self.blog(blog, &mut paths)?),
            None => None,
        };
        let mut pages = Vec::with_capacity(raw.pages.len());
        for (i, page) in raw.pages.into_iter().enumerate() {
            let id = self.id(&format!("pages[{i}].id"), &page.id)?;
            let path_key = format!("pages[{i}].path");
            let path = self.site_path(&path_key, &page.path)?;
            self.unique_path(&mut paths, &path_key, &path)?;
            let databases = match page.databases.as_deref() {
                None | Some("inline") => DatabasesMode::Inline,
                Some("link") => DatabasesMode::Link,
                Some("none") => DatabasesMode::None,
                Some(other) => {
                    return Err(self.invalid(
                        format!("pages[{i}].databases"),
                        format!("is {other:?}"),
                        "\"inline\", \"link\" or \"none\"",
                    ));
                }
            };
            pages.push(PageSource {
                id,
                path,
                databases,
            });
        }
        let removed_pages = match raw.removed_pages.as_deref().map(str::trim) {
            None | Some("notice") => RemovedPages::Notice,
            Some("redirect") => RemovedPages::Redirect,
            Some(other) => {
                return Err(self.invalid(
                    "removed_pages",
                    format!("is {other:?}"),
                    "\"notice\" or \"redirect\"",
                ));
            }
        };
        let mut database_views = HashMap::new();
        for (id, database) in raw.databases {
            let key = format!("databases.{id:?}");
            database_views.insert(self.id(&key, &id)?, database.view);
        }

        Ok(SiteConfig {
            site_dir: site_dir.to_path_buf(),
            config_path: self.path.to_path_buf(),
            title,
            base_url,
            description,
            theme,
            notion,
            blog,
            pages,
            images: self.images(raw.images)?,
            files: self.files(raw.files)?,
            export: self.export(raw.export, site_dir)?,
            search: self.search(raw.search)?,
            database_views,
            removed_pages,
        })
    }

    fn base_url(&self, value: &str) -> Result<Url, ConfigError> {
        base_url(value).map_err(|problem| self.invalid("base_url", problem, BASE_URL_EXPECTED))
    }

    fn theme(&self, value: &str) -> Result<String, ConfigError> {
        let theme = value.trim();
        if theme.is_empty()
            || theme == "."
            || theme == ".."
            || theme.contains(['/', '\\'])
            || theme.chars().any(char::is_control)
        {
            return Err(self.invalid(
                "theme",
                format!("is {value:?}, which is not a folder name"),
                "the name of a folder under themes/, e.g. \"default\"",
            ));
        }
        Ok(theme.to_owned())
    }

    fn id(&self, key: &str, value: &str) -> Result<NotionId, ConfigError> {
        NotionId::parse(value).map_err(|e| {
            self.invalid(
                key,
                format!(
                    "is {:?}, which is not a Notion id ({})",
                    e.input(),
                    e.reason()
                ),
                "a 32-character hex id (with or without dashes) or a Notion URL such as \
                 \"https://www.notion.so/My-Page-0f3c6a1e8a1b4d2e9f001234567890ab\"",
            )
        })
    }

    /// A relative URL path: segments of letters, digits, `-`, `_`, `.`, `~`, no `.`/`..`.
    /// Leading and trailing slashes are dropped.
    /// A relative path of URL-safe segments (the blog's or a page's path, an export section).
    fn relative_path<'v>(&self, key: &str, value: &'v str) -> Result<&'v str, ConfigError> {
        relative_path(value).map_err(|problem| {
            self.invalid(
                key,
                format!("is {value:?}, {problem}"),
                RELATIVE_PATH_EXPECTED,
            )
        })
    }

    fn search(&self, search: raw::RawSearch) -> Result<SearchConfig, ConfigError> {
        let mut sections = Vec::new();
        for name in &search.sections {
            let section = SearchSection::parse(name).ok_or_else(|| {
                self.invalid(
                    "search.sections",
                    format!("lists {name:?}, which is not a kind of page"),
                    format!(
                        "some of {}",
                        SearchSection::ALL
                            .map(|s| format!("\"{}\"", s.name()))
                            .join(", ")
                    ),
                )
            })?;
            if !sections.contains(&section) {
                sections.push(section);
            }
        }
        let language = search.language.trim().to_ascii_lowercase();
        if !search::is_language_code(&language) {
            return Err(self.invalid(
                "search.language",
                format!("is {:?}, which is not a language code", search.language),
                "an ISO 639-1 code such as \"en\", \"de\" or \"pt-br\"",
            ));
        }
        Ok(SearchConfig {
            enabled: search.enabled,
            sections,
            language,
        })
    }

    fn export(&self, export: raw::RawExport, site_dir: &Path) -> Result<ExportConfig, ConfigError> {
        let to = match export.to.as_deref() {
            None => None,
            Some(name) => Some(Target::parse(name).ok_or_else(|| {
                self.invalid(
                    "export.to",
                    format!("is {name:?}, which is not a generator notion-bake exports to"),
                    format!(
                        "one of {}",
                        Target::ALL.map(|t| format!("\"{}\"", t.name())).join(", ")
                    ),
                )
            })?),
        };
        let section = match export.section.as_deref() {
            None => None,
            Some(section) => Some(self.relative_path("export.section", section)?.to_owned()),
        };
        let flavor = match export.flavor.as_deref() {
            None => MarkdownFlavor::default(),
            Some(name) => MarkdownFlavor::parse(name).ok_or_else(|| {
                self.invalid(
                    "export.flavor",
                    format!("is {name:?}"),
                    "\"plain\" or \"jekyll\" (for the markdown target)",
                )
            })?,
        };
        let into = match export.into.as_deref().map(str::trim) {
            None => None,
            Some("") => return Err(self.invalid("export.into", "is empty", "a folder path")),
            Some(into) => Some(site_dir.join(into)),
        };
        let cover_keys = match export.cover_keys {
            None => None,
            Some(keys) => {
                if let Some(bad) = keys.iter().find(|k| !cover_key_ok(k)) {
                    return Err(self.invalid(
                        "export.cover_keys",
                        format!("holds {bad:?}"),
                        "front matter keys: letters, digits, `_` and `-`, starting with a letter",
                    ));
                }
                Some(keys)
            }
        };
        Ok(ExportConfig {
            to,
            into,
            section,
            flavor,
            cover_keys,
        })
    }

    fn site_path(&self, key: &str, value: &str) -> Result<String, ConfigError> {
        let path = self.relative_path(key, value)?;
        let first = path.split('/').next().unwrap_or_default();
        if RESERVED_PATHS.contains(&first.to_ascii_lowercase().as_str()) {
            return Err(self.invalid(
                key,
                format!("is {value:?}, but /{first}/ is where notion-bake puts its own files"),
                format!(
                    "a path that does not start with {}",
                    RESERVED_PATHS.map(|p| format!("\"{p}\"")).join(", ")
                ),
            ));
        }
        Ok(path.to_owned())
    }

    fn unique_path(
        &self,
        seen: &mut HashMap<String, String>,
        key: &str,
        path: &str,
    ) -> Result<(), ConfigError> {
        // Case-insensitive: on macOS and Windows `About/` and `about/` are one folder.
        if let Some(other) = seen.insert(path.to_lowercase(), key.to_owned()) {
            return Err(self.invalid(
                key,
                format!("is {path:?}, the same path as `{other}`"),
                "a path used by no other page or the blog",
            ));
        }
        Ok(())
    }

    fn blog(
        &self,
        blog: raw::RawBlog,
        paths: &mut HashMap<String, String>,
    ) -> Result<BlogConfig, ConfigError> {
        let database = self.id("blog.database", &blog.database)?;
        let path = self.site_path("blog.path", &blog.path)?;
        self.unique_path(paths, "blog.path", &path)?;
        if blog.posts_per_page == 0 {
            return Err(self.invalid("blog.posts_per_page", "is 0", "a number of at least 1"));
        }
        let p = blog.properties;
        for (key, name) in [
            ("title", &p.title),
            ("slug", &p.slug),
            ("date", &p.date),
            ("tags", &p.tags),
            ("published", &p.published),
            ("description", &p.description),
        ] {
            if name.trim().is_empty() {
                return Err(self.invalid(
                    format!("blog.properties.{key}"),
                    "is empty",
                    "the name of a database property",
                ));
            }
        }
        if let Some(names) = &blog.show_properties
            && names.iter().any(|n| n.trim().is_empty())
        {
            return Err(self.invalid(
                "blog.show_properties",
                "lists an empty name",
                "a list of database property names",
            ));
        }
        Ok(BlogConfig {
            database,
            path,
            posts_per_page: blog.posts_per_page,
            show_properties: blog.show_properties,
            properties: PropertyNames {
                title: p.title,
                slug: p.slug,
                date: p.date,
                tags: p.tags,
                published: p.published,
                description: p.description,
            },
        })
    }

    fn images(&self, images: raw::RawImages) -> Result<ImagesConfig, ConfigError> {
        if images.widths.is_empty() {
            return Err(self.invalid(
                "images.widths",
                "is empty",
                "at least one width in pixels, e.g. [480, 960, 1440, 1920]",
            ));
        }
        if images.widths.contains(&0) {
            return Err(self.invalid(
                "images.widths",
                "contains 0",
                "widths in pixels greater than 0",
            ));
        }
        let mut widths = images.widths;
        widths.sort_unstable();
        widths.dedup();
        let mut webp = false;
        for (i, format) in images.formats.iter().enumerate() {
            match format.trim().to_ascii_lowercase().as_str() {
                "webp" => webp = true,
                _ => {
                    return Err(self.invalid(
                        format!("images.formats[{i}]"),
                        format!("is {format:?}, which notion-bake cannot generate"),
                        "\"webp\" (the only extra format supported for now)",
                    ));
                }
            }
        }
        let (quality, preset) = match images.quality {
            raw::RawQuality::Preset(name) => {
                let preset = Preset::from_name(name.trim()).ok_or_else(|| {
                    self.invalid(
                        "images.quality",
                        format!("is {name:?}"),
                        "\"small\", \"balanced\" or \"fast\" (or a number from 1 to 100)",
                    )
                })?;
                (DEFAULT_QUALITY, preset)
            }
            raw::RawQuality::Number(n) => {
                let quality = u8::try_from(n)
                    .ok()
                    .filter(|q| (1..=100).contains(q))
                    .ok_or_else(|| {
                        self.invalid(
                            "images.quality",
                            format!("is {n}"),
                            "\"small\", \"balanced\", \"fast\" or a number from 1 to 100",
                        )
                    })?;
                (quality, Preset::Balanced)
            }
        };
        Ok(ImagesConfig {
            widths,
            webp,
            quality,
            preset,
        })
    }

    fn files(&self, files: raw::RawFiles) -> Result<FilesConfig, ConfigError> {
        // 1 TiB is far beyond any sane cap and keeps the byte count from overflowing.
        const MAX_MB: u64 = 1024 * 1024;
        if !(1..=MAX_MB).contains(&files.max_size_mb) {
            return Err(self.invalid(
                "files.max_size_mb",
                format!("is {}", files.max_size_mb),
                format!("a size in MiB from 1 to {MAX_MB}"),
            ));
        }
        Ok(FilesConfig {
            max_size_bytes: files.max_size_mb * 1024 * 1024,
        })
    }
}

const API_URL_EXPECTED: &str = "an absolute http(s) URL such as \"https://api.notion.com\"";

/// An API base URL, normalised to end in `/`. The error says what is wrong.
/// Whether a cover key is a plain front matter key every generator reads the same way.
fn cover_key_ok(key: &str) -> bool {
    key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn api_url(value: &str) -> Result<Url, String> {
    let value = value.trim();
    let mut url =
        Url::parse(value).map_err(|e| format!("is {value:?}, which is not a valid URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "is {value:?}, which is not an http(s) URL with a host"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("is {value:?}, which has a query or fragment"));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(toml: &str) -> Result<SiteConfig, ConfigError> {
        SiteConfig::from_toml_with_env(Path::new("/site"), toml, &|_| None)
    }

    #[test]
    fn base_path_and_absolute_urls_honour_the_prefix() {
        let c = config("title = \"t\"\nbase_url = \"https://example.org/blog/\"").unwrap();
        assert_eq!(c.base_url.as_str(), "https://example.org/blog");
        assert_eq!(c.base_path(), "/blog");
        assert_eq!(
            c.absolute_url("/posts/a/"),
            "https://example.org/blog/posts/a/"
        );
        let c = config("title = \"t\"\nbase_url = \"https://example.org\"").unwrap();
        assert_eq!(c.base_url.as_str(), "https://example.org/");
        assert_eq!(c.base_path(), "");
        assert_eq!(c.absolute_url("feed.xml"), "https://example.org/feed.xml");
    }

    #[test]
    fn api_url_keeps_its_path_prefix_for_joins() {
        let url = api_url("http://127.0.0.1:9000/notion").unwrap();
        assert_eq!(
            url.join("v1/pages").unwrap().as_str(),
            "http://127.0.0.1:9000/notion/v1/pages"
        );
        assert_eq!(
            api_url("https://api.notion.com").unwrap().as_str(),
            "https://api.notion.com/"
        );
    }

    #[test]
    fn line_and_column_are_one_based() {
        assert_eq!(line_and_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_and_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_and_column("é\nx", 3), (2, 1));
    }

    #[test]
    fn for_test_is_a_valid_looking_config() {
        let c = SiteConfig::for_test("/tmp/site");
        assert_eq!(c.config_path, Path::new("/tmp/site/notion-bake.toml"));
        assert_eq!(c.base_path(), "");
        assert!(c.notion.token.is_none());
        assert_eq!(c.images.widths, DEFAULT_WIDTHS);
    }

    #[test]
    fn reserved_and_duplicate_paths_are_rejected() {
        let base = "title = \"t\"\nbase_url = \"https://e.org\"\n";
        let id = "0f3c6a1e8a1b4d2e9f001234567890ab";
        let err = config(&format!(
            "{base}[[pages]]\nid = \"{id}\"\npath = \"assets\"\n"
        ))
        .unwrap_err();
        assert_eq!(err.key(), Some("pages[0].path"));
        let err = config(&format!(
            "{base}[blog]\ndatabase = \"{id}\"\npath = \"About\"\n\
             [[pages]]\nid = \"{id}\"\npath = \"/about/\"\n"
        ))
        .unwrap_err();
        assert_eq!(err.key(), Some("pages[0].path"));
        assert!(err.to_string().contains("`blog.path`"), "{err}");
    }
}
