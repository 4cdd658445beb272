//! `notion-bake.toml` + environment → `SiteConfig`: the config contract.

use std::collections::HashMap;
use std::path::Path;

use notion_bake::assets::image::Preset;
use notion_bake::config::{ApiVersion, ConfigError, SiteConfig};

const DB: &str = "d23f0824128b4f338c5c7fd0a6a3a450";
const DB_DASHED: &str = "d23f0824-128b-4f33-8c5c-7fd0a6a3a450";
const PAGE: &str = "0f3c6a1e8a1b4d2e9f001234567890ab";
const PAGE_DASHED: &str = "0f3c6a1e-8a1b-4d2e-9f00-1234567890ab";
const MINIMAL: &str = "title = \"Field Notes\"\nbase_url = \"https://example.org/blog\"\n";

/// A site folder holding `toml` as its config file.
fn site(toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notion-bake.toml"), toml).unwrap();
    dir
}

fn load_with(dir: &Path, env: &[(&str, &str)]) -> Result<SiteConfig, ConfigError> {
    let env: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    SiteConfig::load_with_env(dir, &move |name| env.get(name).cloned())
}

fn load(toml: &str) -> Result<SiteConfig, ConfigError> {
    let dir = site(toml);
    load_with(dir.path(), &[])
}

/// Loads `toml`, expecting an error; returns it with the config path it should name.
fn load_err(toml: &str) -> (ConfigError, String) {
    let dir = site(toml);
    let err = load_with(dir.path(), &[]).expect_err("config should be rejected");
    let path = dir.path().join("notion-bake.toml").display().to_string();
    (err, path)
}

#[test]
fn full_config_parses_every_field() {
    let toml = format!(
        r#"
title = "Field Notes"
base_url = "https://example.org/blog/"
description = "Photos and notes"
theme = "paper"

[notion]
api_url = "https://proxy.example.net/notion"
version = "2022-06-28"

[blog]
database = "https://www.notion.so/acme/{DB}?v=aaaabbbbccccddddeeeeffff00001111"
path = "journal"
posts_per_page = 5

[blog.properties]
title = "Title"
slug = "URL"
date = "Published on"
tags = "Topics"
published = "Status"
description = "Summary"

[[pages]]
id = "{PAGE}"
path = "about"

[[pages]]
id = "https://app.notion.com/p/Now-{DB}"
path = "/docs/now/"

[images]
widths = [1920, 480, 960, 480]
formats = ["webp"]
quality = 70

[files]
max_size_mb = 50
"#
    );
    let dir = site(&toml);
    let c = load_with(dir.path(), &[("NOTION_TOKEN", "secret_test_token")]).unwrap();

    assert_eq!(c.site_dir, dir.path());
    assert_eq!(c.config_path, dir.path().join("notion-bake.toml"));
    assert_eq!(c.title, "Field Notes");
    assert_eq!(c.base_url.as_str(), "https://example.org/blog");
    assert_eq!(c.base_path(), "/blog");
    assert_eq!(c.description.as_deref(), Some("Photos and notes"));
    assert_eq!(c.theme, "paper");

    assert_eq!(
        c.notion.api_url.as_str(),
        "https://proxy.example.net/notion/"
    );
    assert_eq!(c.notion.version, ApiVersion::V2022_06_28);
    assert_eq!(c.notion.version.as_str(), "2022-06-28");
    assert_eq!(
        c.notion.token.as_ref().map(|t| t.expose()),
        Some("secret_test_token")
    );

    let blog = c.blog.as_ref().unwrap();
    assert_eq!(blog.database.to_string(), DB_DASHED);
    assert_eq!(blog.path, "journal");
    assert_eq!(blog.posts_per_page, 5);
    assert_eq!(blog.properties.title, "Title");
    assert_eq!(blog.properties.slug, "URL");
    assert_eq!(blog.properties.date, "Published on");
    assert_eq!(blog.properties.tags, "Topics");
    assert_eq!(blog.properties.published, "Status");
    assert_eq!(blog.properties.description, "Summary");

    assert_eq!(c.pages.len(), 2);
    assert_eq!(c.pages[0].id.to_string(), PAGE_DASHED);
    assert_eq!(c.pages[0].path, "about");
    assert_eq!(c.pages[1].id.to_string(), DB_DASHED);
    assert_eq!(c.pages[1].path, "docs/now");

    assert_eq!(c.images.widths, [480, 960, 1920]);
    assert!(c.images.webp);
    assert_eq!(c.images.quality, 70);
    assert_eq!(c.images.preset, Preset::Balanced);
    assert_eq!(c.files.max_size_bytes, 50 * 1024 * 1024);
}

#[test]
fn images_quality_takes_a_preset_name() {
    for (name, preset) in [
        ("small", Preset::Small),
        ("balanced", Preset::Balanced),
        ("fast", Preset::Fast),
    ] {
        let c = load(&format!("{MINIMAL}[images]\nquality = \"{name}\"\n")).unwrap();
        assert_eq!(c.images.preset, preset, "{name}");
        assert_eq!(c.images.quality, 80, "{name}");
    }
}

#[test]
fn every_optional_key_has_the_documented_default() {
    let c = load(MINIMAL).unwrap();
    assert_eq!(c.title, "Field Notes");
    assert_eq!(c.description, None);
    assert_eq!(c.theme, "default");
    assert_eq!(c.notion.api_url.as_str(), "https://api.notion.com/");
    assert_eq!(c.notion.version, ApiVersion::V2025_09_03);
    assert!(c.notion.token.is_none());
    assert!(c.blog.is_none());
    assert!(c.pages.is_empty());
    assert_eq!(c.images.widths, [480, 960, 1440, 1920]);
    assert!(c.images.webp);
    assert_eq!(c.images.quality, 80);
    assert_eq!(c.images.preset, Preset::Balanced);
    assert_eq!(c.files.max_size_bytes, 200 * 1024 * 1024);
}

#[test]
fn blog_defaults_apply_when_only_the_database_is_given() {
    let c = load(&format!("{MINIMAL}[blog]\ndatabase = \"{DB}\"\n")).unwrap();
    let blog = c.blog.unwrap();
    assert_eq!(blog.path, "posts");
    assert_eq!(blog.posts_per_page, 10);
    assert_eq!(blog.properties.title, "Name");
    assert_eq!(blog.properties.slug, "Slug");
    assert_eq!(blog.properties.date, "Date");
    assert_eq!(blog.properties.tags, "Tags");
    assert_eq!(blog.properties.published, "Published");
    assert_eq!(blog.properties.description, "Description");
}

#[test]
fn every_supported_api_version_is_accepted() {
    for (text, version) in [
        ("2022-06-28", ApiVersion::V2022_06_28),
        ("2025-09-03", ApiVersion::V2025_09_03),
        ("2026-03-11", ApiVersion::V2026_03_11),
    ] {
        let c = load(&format!("{MINIMAL}[notion]\nversion = \"{text}\"\n")).unwrap();
        assert_eq!(c.notion.version, version);
    }
}

#[test]
fn unsupported_api_version_names_the_key() {
    let (err, path) = load_err(&format!("{MINIMAL}[notion]\nversion = \"2024-01-01\"\n"));
    let msg = err.to_string();
    assert_eq!(err.key(), Some("notion.version"));
    assert!(msg.contains(&path), "{msg}");
    assert!(msg.contains("`notion.version`"), "{msg}");
    assert!(
        msg.contains("2024-01-01") && msg.contains("2025-09-03"),
        "{msg}"
    );
}

#[test]
fn unknown_top_level_key_names_the_key_and_the_file() {
    let (err, path) = load_err(&format!("{MINIMAL}titel = \"typo\"\n"));
    let msg = err.to_string();
    assert!(matches!(err, ConfigError::Parse { .. }), "{err:?}");
    assert_eq!(err.key(), Some("titel"));
    assert!(msg.contains(&path), "{msg}");
    assert!(msg.contains("titel"), "{msg}");
    assert!(msg.contains(":3:1"), "line and column: {msg}");
}

#[test]
fn unknown_key_in_blog_properties_names_the_key_and_the_file() {
    let (err, path) = load_err(&format!(
        "{MINIMAL}[blog]\ndatabase = \"{DB}\"\n[blog.properties]\ntitle = \"Name\"\ntagz = \"Tags\"\n"
    ));
    let msg = err.to_string();
    assert_eq!(err.key(), Some("blog.properties.tagz"), "{msg}");
    assert!(msg.contains(&path), "{msg}");
    assert!(msg.contains("`blog.properties.tagz`"), "{msg}");
    assert!(msg.contains(":7:1"), "line and column: {msg}");
}

#[test]
fn unknown_key_in_a_pages_entry_names_its_index() {
    let (err, _) = load_err(&format!(
        "{MINIMAL}[[pages]]\nid = \"{PAGE}\"\npath = \"a\"\n[[pages]]\nid = \"{DB}\"\npath = \"b\"\ntitle = \"x\"\n"
    ));
    assert_eq!(err.key(), Some("pages[1].title"), "{err}");
}

#[test]
fn missing_title_and_wrong_types_name_the_key() {
    let (err, path) = load_err("base_url = \"https://example.org\"\n");
    assert_eq!(err.key(), Some("title"), "{err}");
    assert!(err.to_string().contains(&path), "{err}");

    let (err, _) = load_err(&format!(
        "{MINIMAL}[blog]\ndatabase = \"{DB}\"\nposts_per_page = \"ten\"\n"
    ));
    assert_eq!(err.key(), Some("blog.posts_per_page"), "{err}");

    let (err, _) = load_err(&format!("{MINIMAL}[images]\nwidths = [480, \"big\"]\n"));
    assert!(err.key().unwrap().starts_with("images.widths"), "{err}");
}

#[test]
fn invalid_toml_names_the_file_and_line() {
    let (err, path) = load_err("title = \"unterminated\nbase_url = 1\n");
    let msg = err.to_string();
    assert!(msg.contains(&path), "{msg}");
    assert!(msg.contains(":1:"), "{msg}");
}

#[test]
fn bad_base_url_is_rejected_naming_the_key() {
    for bad in [
        "https://",
        "ftp://example.org/",
        "https://example.org/?x=1",
        "http//x",
    ] {
        let (err, path) = load_err(&format!("title = \"t\"\nbase_url = \"{bad}\"\n"));
        let msg = err.to_string();
        assert_eq!(err.key(), Some("base_url"), "{bad}: {msg}");
        assert!(msg.contains(&path), "{msg}");
        assert!(msg.contains("absolute http(s) URL"), "{msg}");
    }
}

#[test]
fn relative_base_url_is_rejected_as_not_absolute() {
    for relative in ["/blog", "example.org/blog", "blog"] {
        let (err, _) = load_err(&format!("title = \"t\"\nbase_url = \"{relative}\"\n"));
        let msg = err.to_string();
        assert_eq!(err.key(), Some("base_url"), "{msg}");
        assert!(msg.contains("not absolute"), "{msg}");
    }
}

#[test]
fn bad_page_id_names_pages_index_id() {
    let (err, path) = load_err(&format!(
        "{MINIMAL}[[pages]]\nid = \"not-an-id\"\npath = \"about\"\n"
    ));
    let msg = err.to_string();
    assert_eq!(err.key(), Some("pages[0].id"));
    assert!(msg.contains("`pages[0].id`"), "{msg}");
    assert!(msg.contains("not-an-id"), "{msg}");
    assert!(msg.contains(&path), "{msg}");
}

#[test]
fn bad_blog_database_names_the_key() {
    let (err, _) = load_err(&format!(
        "{MINIMAL}[blog]\ndatabase = \"https://example.com/{DB}\"\n"
    ));
    assert_eq!(err.key(), Some("blog.database"), "{err}");
}

#[test]
fn url_form_ids_are_accepted() {
    let c = load(&format!(
        "{MINIMAL}[blog]\ndatabase = \"https://www.notion.so/acme/{DB}?v={PAGE}\"\n\
         [[pages]]\nid = \"https://www.notion.so/About-{PAGE}\"\npath = \"about\"\n\
         [[pages]]\nid = \"notion.so/{DB}/\"\npath = \"db\"\n\
         [[pages]]\nid = \"{PAGE_DASHED}\"\npath = \"dashed\"\n"
    ))
    .unwrap();
    assert_eq!(c.blog.unwrap().database.to_string(), DB_DASHED);
    assert_eq!(c.pages[0].id.to_string(), PAGE_DASHED);
    assert_eq!(c.pages[1].id.to_string(), DB_DASHED);
    assert_eq!(c.pages[2].id.to_string(), PAGE_DASHED);
}

#[test]
fn value_checks_name_their_keys() {
    let cases = [
        (
            format!("{MINIMAL}[blog]\ndatabase = \"{DB}\"\nposts_per_page = 0\n"),
            "blog.posts_per_page",
        ),
        (
            format!("{MINIMAL}[images]\nquality = 0\n"),
            "images.quality",
        ),
        (
            format!("{MINIMAL}[images]\nquality = 101\n"),
            "images.quality",
        ),
        (
            format!("{MINIMAL}[images]\nquality = \"tiny\"\n"),
            "images.quality",
        ),
        (format!("{MINIMAL}[images]\nwidths = []\n"), "images.widths"),
        (
            format!("{MINIMAL}[images]\nwidths = [480, 0]\n"),
            "images.widths",
        ),
        (
            format!("{MINIMAL}[images]\nformats = [\"webp\", \"avif\"]\n"),
            "images.formats[1]",
        ),
        (
            format!("{MINIMAL}[files]\nmax_size_mb = 0\n"),
            "files.max_size_mb",
        ),
        (format!("{MINIMAL}theme = \"../x\"\n"), "theme"),
        (
            format!("{MINIMAL}[[pages]]\nid = \"{PAGE}\"\npath = \"../etc\"\n"),
            "pages[0].path",
        ),
        (
            format!("{MINIMAL}[[pages]]\nid = \"{PAGE}\"\npath = \"a/../b\"\n"),
            "pages[0].path",
        ),
        (
            format!("{MINIMAL}[[pages]]\nid = \"{PAGE}\"\npath = \"\"\n"),
            "pages[0].path",
        ),
        (
            format!("{MINIMAL}[[pages]]\nid = \"{PAGE}\"\npath = \"a b?c\"\n"),
            "pages[0].path",
        ),
        (
            format!(
                "{MINIMAL}[[pages]]\nid = \"{PAGE}\"\npath = \"about\"\n\
                 [[pages]]\nid = \"{DB}\"\npath = \"about/\"\n"
            ),
            "pages[1].path",
        ),
        (
            format!("{MINIMAL}[blog]\ndatabase = \"{DB}\"\npath = \"/../posts\"\n"),
            "blog.path",
        ),
    ];
    for (toml, key) in cases {
        let (err, path) = load_err(&toml);
        let msg = err.to_string();
        assert_eq!(err.key(), Some(key), "{toml}\n{msg}");
        assert!(msg.contains(&path), "{msg}");
        assert!(msg.contains("expected"), "says what is expected: {msg}");
    }
}

#[test]
fn empty_formats_turns_webp_off() {
    let c = load(&format!("{MINIMAL}[images]\nformats = []\n")).unwrap();
    assert!(!c.images.webp);
}

#[test]
fn notion_api_url_env_overrides_the_file() {
    let dir = site(&format!(
        "{MINIMAL}[notion]\napi_url = \"https://api.notion.com\"\n"
    ));
    let c = load_with(dir.path(), &[("NOTION_API_URL", "http://127.0.0.1:4567")]).unwrap();
    assert_eq!(c.notion.api_url.as_str(), "http://127.0.0.1:4567/");

    // Empty counts as unset.
    let c = load_with(dir.path(), &[("NOTION_API_URL", "")]).unwrap();
    assert_eq!(c.notion.api_url.as_str(), "https://api.notion.com/");

    let err = load_with(dir.path(), &[("NOTION_API_URL", "not a url")]).unwrap_err();
    assert_eq!(err.key(), Some("NOTION_API_URL"), "{err}");
}

#[test]
fn token_is_absent_when_env_is_empty_or_unset() {
    let dir = site(MINIMAL);
    let c = load_with(dir.path(), &[("NOTION_TOKEN", "")]).unwrap();
    assert!(c.notion.token.is_none());
    let c = load_with(dir.path(), &[]).unwrap();
    assert!(c.notion.token.is_none());
}

#[test]
fn token_is_never_in_debug_output() {
    let marker = "secret_MARKER_5f1d0c";
    let dir = site(&format!("{MINIMAL}[blog]\ndatabase = \"{DB}\"\n"));
    let c = load_with(dir.path(), &[("NOTION_TOKEN", marker)]).unwrap();
    assert_eq!(c.notion.token.as_ref().unwrap().expose(), marker);
    let debug = format!("{c:?}");
    assert!(!debug.contains(marker), "{debug}");
    assert!(debug.contains("[redacted]"), "{debug}");
    assert!(!format!("{:#?}", c.notion).contains(marker));
}

#[test]
fn token_is_not_read_from_the_file() {
    let (err, _) = load_err(&format!("{MINIMAL}[notion]\ntoken = \"secret_in_file\"\n"));
    assert_eq!(err.key(), Some("notion.token"), "{err}");
}

#[test]
fn missing_file_says_how_to_create_one() {
    let dir = tempfile::tempdir().unwrap();
    let err = load_with(dir.path(), &[]).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, ConfigError::Missing { .. }));
    assert!(msg.contains("no notion-bake.toml in"), "{msg}");
    assert!(msg.contains(&dir.path().display().to_string()), "{msg}");
    assert!(msg.contains("notion-bake init"), "{msg}");
}
