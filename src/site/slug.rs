//! URL slugs: lowercase ASCII words joined by hyphens, transliterated from any script.

/// `"Hello, Wörld! 東京"` → `"hello-world-dong-jing"`; empty when nothing usable is left.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in deunicode::deunicode(text).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    // Keep URLs readable; cut at a word boundary.
    if slug.len() > 80 {
        let cut = slug[..80].rfind('-').unwrap_or(80);
        slug.truncate(cut);
    }
    slug
}

/// A slug given by the author in a Slug property: kept as written where it is URL-safe,
/// slugified otherwise.
pub(crate) fn clean_explicit_slug(text: &str) -> String {
    let trimmed = text.trim().trim_matches('/');
    let safe = !trimmed.is_empty()
        && trimmed
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if safe {
        trimmed.to_owned()
    } else {
        slugify(trimmed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_ascii_with_hyphens() {
        assert_eq!(slugify("Hello, Wörld!"), "hello-world");
        assert_eq!(slugify("  Crème brûlée  "), "creme-brulee");
        assert_eq!(slugify("東京"), "dong-jing");
        assert_eq!(slugify("--a--b--"), "a-b");
        assert_eq!(slugify("!!!"), "");
        assert!(slugify(&"word ".repeat(40)).len() <= 80);
    }

    #[test]
    fn explicit_slugs_are_kept_when_safe() {
        assert_eq!(clean_explicit_slug("my_post-2"), "my_post-2");
        assert_eq!(clean_explicit_slug("/my-post/"), "my-post");
        assert_eq!(clean_explicit_slug("My Post"), "my-post");
        assert_eq!(clean_explicit_slug("../etc"), "etc");
    }
}
