//! The `[search]` table: the Pagefind index `build` writes into `public/pagefind/`.

/// The kinds of page the index can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchSection {
    /// The blog's posts.
    Posts,
    /// Standalone pages (`[[pages]]`) and their child pages.
    Pages,
    /// The pages of database rows inside pages.
    Rows,
    /// Local Markdown pages from `content/`.
    Markdown,
}

impl SearchSection {
    /// Every section, as `sections` lists them by default.
    pub const ALL: [SearchSection; 4] = [
        SearchSection::Posts,
        SearchSection::Pages,
        SearchSection::Rows,
        SearchSection::Markdown,
    ];

    /// `posts`, `pages`, `rows`, `markdown`.
    pub fn name(self) -> &'static str {
        match self {
            SearchSection::Posts => "posts",
            SearchSection::Pages => "pages",
            SearchSection::Rows => "rows",
            SearchSection::Markdown => "markdown",
        }
    }

    /// The section of a name, as `[search] sections` gives it.
    pub fn parse(name: &str) -> Option<SearchSection> {
        SearchSection::ALL
            .into_iter()
            .find(|s| s.name() == name.trim().to_ascii_lowercase())
    }
}

/// The validated `[search]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SearchConfig {
    /// Whether `build` writes the index and the theme shows the search box.
    pub enabled: bool,
    /// What the index holds.
    pub sections: Vec<SearchSection>,
    /// The language the index stems words for (an ISO 639-1 code such as `en` or `pt-br`).
    pub language: String,
}

impl SearchConfig {
    /// Whether pages of `section` go into the index.
    pub fn indexes(&self, section: SearchSection) -> bool {
        self.enabled && self.sections.contains(&section)
    }
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            sections: SearchSection::ALL.to_vec(),
            language: super::DEFAULT_LANGUAGE.to_owned(),
        }
    }
}

/// Whether `code` looks like a language code Pagefind takes: `en`, `pt-br`, `zh-tw`.
pub(super) fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    let region = parts.next();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && region.is_none_or(|r| {
            (2..=8).contains(&r.len()) && r.chars().all(|c| c.is_ascii_alphanumeric())
        })
        && parts.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_are_iso_639_1_with_an_optional_region() {
        for good in ["en", "de", "pt-br", "zh-tw", "yue"] {
            assert!(is_language_code(good), "{good}");
        }
        for bad in ["", "e", "EN", "english", "pt-", "pt-br-x", "../en", "en us"] {
            assert!(!is_language_code(bad), "{bad}");
        }
    }

    #[test]
    fn sections_parse_by_name_and_search_off_indexes_nothing() {
        assert_eq!(SearchSection::parse(" Rows "), Some(SearchSection::Rows));
        assert_eq!(SearchSection::parse("tags"), None);
        let mut search = SearchConfig::default();
        assert!(search.indexes(SearchSection::Markdown));
        search.enabled = false;
        assert!(!SearchSection::ALL.iter().any(|s| search.indexes(*s)));
    }
}
