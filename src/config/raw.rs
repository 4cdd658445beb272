//! The file's shape as serde sees it: every table denies unknown keys, and every key but
//! `title` and `base_url` has a default. Values are checked afterwards, in `config.rs`.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub title: String,
    pub base_url: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub removed_pages: Option<String>,
    #[serde(default)]
    pub notion: RawNotion,
    #[serde(default)]
    pub blog: Option<RawBlog>,
    #[serde(default)]
    pub pages: Vec<RawPage>,
    #[serde(default)]
    pub images: RawImages,
    #[serde(default)]
    pub files: RawFiles,
    #[serde(default)]
    pub export: RawExport,
    #[serde(default)]
    pub search: RawSearch,
    #[serde(default)]
    pub databases: std::collections::BTreeMap<String, RawDatabase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct RawNotion {
    pub api_url: String,
    pub version: String,
    pub requests_per_second: f64,
}

impl Default for RawNotion {
    fn default() -> Self {
        RawNotion {
            api_url: super::DEFAULT_API_URL.to_owned(),
            version: super::ApiVersion::default().as_str().to_owned(),
            requests_per_second: 3.0,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBlog {
    pub database: String,
    #[serde(default = "default_blog_path")]
    pub path: String,
    #[serde(default = "default_posts_per_page")]
    pub posts_per_page: u32,
    #[serde(default)]
    pub properties: RawProperties,
    #[serde(default)]
    pub show_properties: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct RawProperties {
    pub title: String,
    pub slug: String,
    pub date: String,
    pub tags: String,
    pub published: String,
    pub description: String,
}

impl Default for RawProperties {
    fn default() -> Self {
        let names = super::PropertyNames::default();
        RawProperties {
            title: names.title,
            slug: names.slug,
            date: names.date,
            tags: names.tags,
            published: names.published,
            description: names.description,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPage {
    pub id: String,
    pub path: String,
    #[serde(default)]
    pub databases: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDatabase {
    pub view: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct RawImages {
    pub widths: Vec<u32>,
    pub formats: Vec<String>,
    pub quality: RawQuality,
}

/// `[images] quality`: a preset name, or (as before presets) an encoder quality 1–100.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawQuality {
    Number(i64),
    Preset(String),
}

impl Default for RawImages {
    fn default() -> Self {
        RawImages {
            widths: super::DEFAULT_WIDTHS.to_vec(),
            formats: vec!["webp".to_owned()],
            quality: RawQuality::Preset("balanced".to_owned()),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct RawFiles {
    pub max_size_mb: u64,
}

impl Default for RawFiles {
    fn default() -> Self {
        RawFiles {
            max_size_mb: super::DEFAULT_MAX_SIZE_MB,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExport {
    pub to: Option<String>,
    pub into: Option<String>,
    pub section: Option<String>,
    pub flavor: Option<String>,
    pub cover_keys: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct RawSearch {
    pub enabled: bool,
    pub sections: Vec<String>,
    pub language: String,
}

impl Default for RawSearch {
    fn default() -> Self {
        RawSearch {
            enabled: true,
            sections: super::SearchSection::ALL
                .map(|s| s.name().to_owned())
                .to_vec(),
            language: super::DEFAULT_LANGUAGE.to_owned(),
        }
    }
}

fn default_theme() -> String {
    super::DEFAULT_THEME.to_owned()
}

fn default_blog_path() -> String {
    super::DEFAULT_BLOG_PATH.to_owned()
}

fn default_posts_per_page() -> u32 {
    super::DEFAULT_POSTS_PER_PAGE
}
