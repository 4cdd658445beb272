//! `notion-bake.toml` + environment → a validated `SiteConfig`.
