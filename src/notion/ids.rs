//! Notion ids: accepted dashed, undashed, or inside a notion.so / app.notion.com URL.
//!
//! Everything else in the crate holds a [`NotionId`], the canonical dashed lowercase form
//! (`0f3c6a1e-8a1b-4d2e-9f00-1234567890ab`), so two spellings of one id compare equal.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The forms [`NotionId::parse`] accepts, for error messages.
const ACCEPTED_FORMS: &str = "a 32-character hex id (with or without dashes) \
     or a Notion URL such as https://www.notion.so/My-Page-<id>";

/// A Notion page, database, data source or block id, in canonical dashed lowercase form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NotionId(String);

/// Why a string is not a Notion id. The message repeats the input (ids and URLs are not
/// secrets) and lists the accepted forms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{input:?} is not a Notion id ({reason}); expected {ACCEPTED_FORMS}")]
pub struct ParseIdError {
    input: String,
    reason: &'static str,
}

impl ParseIdError {
    fn new(input: &str, reason: &'static str) -> Self {
        // Keep messages readable when someone pastes a whole document.
        let input = if input.chars().count() > 200 {
            let cut: String = input.chars().take(200).collect();
            format!("{cut}…")
        } else {
            input.to_owned()
        };
        ParseIdError { input, reason }
    }

    /// The string that failed to parse (shortened to 200 characters).
    pub(crate) fn input(&self) -> &str {
        &self.input
    }

    /// Why it is not an id, e.g. "the URL's path does not end in a 32-hex id".
    pub(crate) fn reason(&self) -> &str {
        self.reason
    }
}

impl NotionId {
    /// Parses an id given as dashed or undashed hex (any case), or as a Notion URL:
    /// `https://www.notion.so/My-Page-<id>`, `https://www.notion.so/workspace/<id>?v=<view>`
    /// (the path's id, never the view id), `https://app.notion.com/p/Title-<id>`,
    /// `notion.so/<id>`, `https://acme.notion.site/Page-<id>`; the scheme is optional and
    /// trailing slashes, queries and fragments are ignored.
    pub fn parse(input: &str) -> Result<NotionId, ParseIdError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(ParseIdError::new(input, "it is empty"));
        }
        if let Some(hex) = bare_id(trimmed) {
            return Ok(NotionId::from_hex(&hex));
        }
        if !trimmed.contains('/') && !trimmed.contains('.') {
            return Err(ParseIdError::new(
                input,
                "it is neither 32 hex digits nor a URL",
            ));
        }
        parse_url(input, trimmed)
    }

    /// The `id` attribute of the element a block renders as: `b-` and its 32 hex digits. Short
    /// enough to read, stable as long as the block lives, and never a heading's slug.
    pub(crate) fn anchor(&self) -> String {
        format!("b-{}", self.undashed())
    }

    /// Builds the canonical form from 32 lowercase hex digits.
    fn from_hex(hex: &str) -> NotionId {
        debug_assert!(hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
        let h = hex.to_ascii_lowercase();
        NotionId(format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        ))
    }

    /// The dashed form, e.g. `0f3c6a1e-8a1b-4d2e-9f00-1234567890ab` (same as `Display`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 32-hex form without dashes, as Notion puts it into page URLs.
    pub(crate) fn undashed(&self) -> String {
        self.0.replace('-', "")
    }
}

/// Where a link found in Notion content points: a page (or a block: a link copied with "Copy
/// link to block" may name the block alone) and, after `#`, a block on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotionLink {
    /// The page (or block) the URL's path names; for a peek link (`…?p=<id>`), the row page.
    pub(crate) id: NotionId,
    /// The block named by the fragment (`#<block-id>`), if any.
    pub(crate) block: Option<NotionId>,
}

impl NotionLink {
    /// Reads a link into Notion in any of the forms Notion writes: `https://www.notion.so/<slug>-<id>`,
    /// `notion.so/<workspace>/<slug>-<id>`, `https://app.notion.com/p/<id>`,
    /// `<workspace>.notion.site/<slug>-<id>`, the desktop app's `notion://www.notion.so/…`, a page
    /// opened as a peek over a database (`…?v=<view>&p=<id>`), and the API's relative `/<id>`;
    /// each with an optional `#<block-id>`. `None` for anything that does not point into Notion.
    pub(crate) fn parse(url: &str) -> Option<NotionLink> {
        let url = url.trim();
        if let Some(path) = url.strip_prefix('/').filter(|p| !p.starts_with('/')) {
            let (path, fragment) = match path.split_once('#') {
                Some((path, fragment)) => (path, Some(fragment)),
                None => (path, None),
            };
            let path = path.split('?').next().unwrap_or_default();
            if path.contains('/') {
                return None;
            }
            let id = id_at_end_of_segment(path).map(|hex| NotionId::from_hex(&hex))?;
            return Some(NotionLink {
                id,
                block: fragment.and_then(block_of_fragment),
            });
        }
        let parsed = url::Url::parse(url).ok()?;
        if !matches!(parsed.scheme(), "http" | "https" | "notion")
            || !is_notion_host(parsed.host_str()?)
        {
            return None;
        }
        let block = parsed.fragment().and_then(block_of_fragment);
        if let Some((_, peek)) = parsed.query_pairs().find(|(key, _)| key == "p")
            && let Some(hex) = bare_id(&peek)
        {
            let id = NotionId::from_hex(&hex);
            return Some(NotionLink { id, block });
        }
        let last = parsed.path_segments()?.rfind(|s| !s.is_empty())?;
        let id = id_at_end_of_segment(last).map(|hex| NotionId::from_hex(&hex))?;
        Some(NotionLink { id, block })
    }
}

/// The block a URL's fragment names: its id, undashed or dashed (Notion writes the undashed
/// form); anything else (a heading's text, `#top`) names none.
fn block_of_fragment(fragment: &str) -> Option<NotionId> {
    bare_id(fragment.trim()).map(|hex| NotionId::from_hex(&hex))
}

/// `s` as an id on its own: 32 hex digits, or 8-4-4-4-12 hex groups. Returns the 32 digits.
fn bare_id(s: &str) -> Option<String> {
    let is_hex = |part: &str| part.bytes().all(|b| b.is_ascii_hexdigit());
    if s.len() == 32 && is_hex(s) {
        return Some(s.to_owned());
    }
    if s.len() == 36 {
        let parts: Vec<&str> = s.split('-').collect();
        let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
        if lens == [8, 4, 4, 4, 12] && parts.iter().all(|p| is_hex(p)) {
            return Some(parts.concat());
        }
    }
    None
}

/// The id at the end of a URL path segment: `Title-<32 hex>`, `<32 hex>`, `<dashed id>` or
/// `Title-<dashed id>`.
fn id_at_end_of_segment(segment: &str) -> Option<String> {
    for len in [32, 36] {
        if segment.len() < len || !segment.is_char_boundary(segment.len() - len) {
            continue;
        }
        let (head, tail) = segment.split_at(segment.len() - len);
        if (head.is_empty() || head.ends_with('-'))
            && let Some(hex) = bare_id(tail)
        {
            return Some(hex);
        }
    }
    None
}

fn is_notion_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    ["notion.so", "notion.site", "notion.com"]
        .iter()
        .any(|domain| host == *domain || host.ends_with(&format!(".{domain}")))
}

fn parse_url(input: &str, trimmed: &str) -> Result<NotionId, ParseIdError> {
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_owned()
    } else {
        format!("https://{trimmed}")
    };
    let url = url::Url::parse(&with_scheme)
        .map_err(|_| ParseIdError::new(input, "it is not a valid URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ParseIdError::new(input, "the URL is not http(s)"));
    }
    let host = url.host_str().unwrap_or_default();
    if !is_notion_host(host) {
        return Err(ParseIdError::new(
            input,
            "the URL is not on notion.so, notion.site or notion.com",
        ));
    }
    // The page is the last non-empty path segment; the query (`?v=` view, `?pvs=`) and the
    // fragment (a block anchor) never name it.
    let last = url
        .path_segments()
        .and_then(|mut segments| segments.rfind(|s| !s.is_empty()));
    match last.and_then(id_at_end_of_segment) {
        Some(hex) => Ok(NotionId::from_hex(&hex)),
        None => Err(ParseIdError::new(
            input,
            "the URL's path does not end in a 32-hex id",
        )),
    }
}

impl fmt::Display for NotionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for NotionId {
    type Err = ParseIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NotionId::parse(s)
    }
}

impl AsRef<str> for NotionId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for NotionId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for NotionId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        NotionId::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DASHED: &str = "0f3c6a1e-8a1b-4d2e-9f00-1234567890ab";
    const UNDASHED: &str = "0f3c6a1e8a1b4d2e9f001234567890ab";
    const VIEW: &str = "aaaabbbbccccddddeeeeffff00001111";

    fn parsed(s: &str) -> String {
        NotionId::parse(s)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .to_string()
    }

    #[test]
    fn dashed_id_is_canonical() {
        assert_eq!(parsed(DASHED), DASHED);
    }

    #[test]
    fn undashed_id_in_any_case_becomes_dashed_lowercase() {
        assert_eq!(parsed(UNDASHED), DASHED);
        assert_eq!(parsed(&UNDASHED.to_uppercase()), DASHED);
        assert_eq!(parsed(&DASHED.to_uppercase()), DASHED);
        assert_eq!(parsed(&format!("  {UNDASHED}\n")), DASHED);
    }

    #[test]
    fn undashed_gives_the_32_hex_form() {
        assert_eq!(NotionId::parse(DASHED).unwrap().undashed(), UNDASHED);
    }

    #[test]
    fn page_url_with_title_slug() {
        assert_eq!(
            parsed(&format!("https://www.notion.so/My-Page-{UNDASHED}")),
            DASHED
        );
        // Titles may contain hex-looking words and percent-encoded non-ASCII.
        assert_eq!(
            parsed(&format!(
                "https://www.notion.so/Caf%C3%A9-deadbeef-{UNDASHED}"
            )),
            DASHED
        );
    }

    #[test]
    fn workspace_url_takes_the_path_id_not_the_view_id() {
        let url = format!("https://www.notion.so/acme/{UNDASHED}?v={VIEW}&pvs=4");
        assert_eq!(parsed(&url), DASHED);
        let url = format!("https://www.notion.so/acme/Posts-{UNDASHED}?v={VIEW}");
        assert_eq!(parsed(&url), DASHED);
    }

    #[test]
    fn app_notion_com_url() {
        assert_eq!(
            parsed(&format!("https://app.notion.com/p/Title-{UNDASHED}")),
            DASHED
        );
    }

    #[test]
    fn url_without_scheme() {
        assert_eq!(parsed(&format!("notion.so/{UNDASHED}")), DASHED);
        assert_eq!(parsed(&format!("www.notion.so/Page-{UNDASHED}")), DASHED);
    }

    #[test]
    fn url_with_trailing_slash_fragment_and_http() {
        assert_eq!(parsed(&format!("https://notion.so/{UNDASHED}/")), DASHED);
        assert_eq!(
            parsed(&format!("https://www.notion.so/Page-{UNDASHED}#{VIEW}")),
            DASHED
        );
        assert_eq!(
            parsed(&format!("http://www.notion.so/Page-{UNDASHED}/#x")),
            DASHED
        );
    }

    #[test]
    fn public_notion_site_url_and_dashed_id_in_url() {
        assert_eq!(
            parsed(&format!("https://acme.notion.site/Page-{UNDASHED}")),
            DASHED
        );
        assert_eq!(parsed(&format!("https://www.notion.so/{DASHED}")), DASHED);
    }

    #[test]
    fn rejects_what_is_not_an_id_and_says_what_was_given() {
        for bad in [
            "",
            "hello",
            "0f3c6a1e8a1b4d2e9f001234567890a",   // 31 digits
            "0f3c6a1e8a1b4d2e9f001234567890abc", // 33 digits
            "0f3c6a1e8a1b4d2e9f001234567890ag",  // not hex
            "0f3c6a1e-8a1b4d2e-9f00-1234567890ab",
            "https://www.notion.so/",
            "https://www.notion.so/My-Page",
            "https://www.notion.so/acme?v=aaaabbbbccccddddeeeeffff00001111",
            "https://example.com/0f3c6a1e8a1b4d2e9f001234567890ab",
            "ftp://www.notion.so/0f3c6a1e8a1b4d2e9f001234567890ab",
            "https://www.notion.so/Pagex0f3c6a1e8a1b4d2e9f001234567890ab",
        ] {
            let err = NotionId::parse(bad).expect_err(bad);
            let msg = err.to_string();
            assert!(msg.contains(&format!("{bad:?}")), "{msg}");
            assert!(msg.contains("32-character hex id"), "{msg}");
            assert!(msg.contains("notion.so"), "{msg}");
        }
    }

    #[test]
    fn equal_ids_in_different_spellings_compare_equal() {
        let a: NotionId = UNDASHED.parse().unwrap();
        let b: NotionId = format!("https://www.notion.so/x-{UNDASHED}")
            .parse()
            .unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn links_into_notion_name_their_page_in_every_form() {
        const ID: &str = "c01166c6-13ae-45cb-b968-18b4ef2f5a77";
        for url in [
            "https://www.notion.so/c01166c613ae45cbb96818b4ef2f5a77",
            "https://www.notion.so/acme/My-Page-c01166c613ae45cbb96818b4ef2f5a77?pvs=4",
            "https://notion.so/C01166C613AE45CBB96818B4EF2F5A77#abc",
            "https://acme.notion.site/Title-c01166c613ae45cbb96818b4ef2f5a77",
            "https://app.notion.com/p/c01166c6-13ae-45cb-b968-18b4ef2f5a77",
            "https://www.notion.so/acme/0123456789abcdef0123456789abcdef?v=1&p=c01166c613ae45cbb96818b4ef2f5a77",
            "/c01166c613ae45cbb96818b4ef2f5a77",
            "/c01166c613ae45cbb96818b4ef2f5a77#block",
        ] {
            assert_eq!(
                NotionLink::parse(url)
                    .map(|link| link.id.to_string())
                    .as_deref(),
                Some(ID),
                "{url}"
            );
        }
        for url in [
            "https://example.org/c01166c613ae45cbb96818b4ef2f5a77",
            "/posts/hello/",
            "https://www.notion.so/",
            "#c01166c613ae45cbb96818b4ef2f5a77",
        ] {
            assert_eq!(NotionLink::parse(url), None, "{url}");
        }
    }

    #[test]
    fn links_with_a_block_fragment_name_the_page_and_the_block() {
        const PAGE: &str = "c01166c6-13ae-45cb-b968-18b4ef2f5a77";
        const BLOCK: &str = "0f3c6a1e-8a1b-4d2e-9f00-1234567890ab";
        for url in [
            "https://www.notion.so/My-Page-c01166c613ae45cbb96818b4ef2f5a77#0f3c6a1e8a1b4d2e9f001234567890ab",
            "https://www.notion.so/acme/My-Page-c01166c613ae45cbb96818b4ef2f5a77?pvs=4#0f3c6a1e8a1b4d2e9f001234567890ab",
            "https://app.notion.com/p/c01166c613ae45cbb96818b4ef2f5a77#0f3c6a1e-8a1b-4d2e-9f00-1234567890ab",
            "https://acme.notion.site/Title-c01166c613ae45cbb96818b4ef2f5a77#0F3C6A1E8A1B4D2E9F001234567890AB",
            "https://www.notion.so/acme/0123456789abcdef0123456789abcdef?v=1&p=c01166c613ae45cbb96818b4ef2f5a77&pm=s#0f3c6a1e8a1b4d2e9f001234567890ab",
            "notion://www.notion.so/My-Page-c01166c613ae45cbb96818b4ef2f5a77#0f3c6a1e8a1b4d2e9f001234567890ab",
            "/c01166c613ae45cbb96818b4ef2f5a77#0f3c6a1e8a1b4d2e9f001234567890ab",
        ] {
            let link = NotionLink::parse(url).unwrap_or_else(|| panic!("{url}"));
            assert_eq!(link.id.as_str(), PAGE, "{url}");
            assert_eq!(
                link.block.as_ref().map(NotionId::as_str),
                Some(BLOCK),
                "{url}"
            );
        }
        // A fragment that is not a block id names no block; the page still resolves.
        for url in [
            "https://www.notion.so/My-Page-c01166c613ae45cbb96818b4ef2f5a77#intro",
            "https://www.notion.so/My-Page-c01166c613ae45cbb96818b4ef2f5a77",
            "/c01166c613ae45cbb96818b4ef2f5a77#0f3c",
        ] {
            let link = NotionLink::parse(url).unwrap_or_else(|| panic!("{url}"));
            assert_eq!(link.id.as_str(), PAGE, "{url}");
            assert_eq!(link.block, None, "{url}");
        }
        // Other schemes and hosts stay outside Notion.
        for url in [
            "javascript://www.notion.so/c01166c613ae45cbb96818b4ef2f5a77",
            "notion://example.org/c01166c613ae45cbb96818b4ef2f5a77",
            "https://notion.so.example.org/c01166c613ae45cbb96818b4ef2f5a77",
        ] {
            assert_eq!(NotionLink::parse(url), None, "{url}");
        }
    }

    #[test]
    fn a_block_anchor_is_b_and_the_undashed_id() {
        let id = NotionId::parse(DASHED).unwrap();
        assert_eq!(id.anchor(), format!("b-{UNDASHED}"));
    }

    #[test]
    fn serde_round_trips_as_the_dashed_string() {
        let id = NotionId::parse(UNDASHED).unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{DASHED}\""));
        let back: NotionId = serde_json::from_str(&format!("\"{UNDASHED}\"")).unwrap();
        assert_eq!(back, id);
        assert!(serde_json::from_str::<NotionId>("\"nope\"").is_err());
    }
}
