//! The Notion integration token: a secret that never reaches a log, an error or a file.

use std::fmt;

/// The Notion integration token, read from the `NOTION_TOKEN` environment variable only.
///
/// `Debug` and `Display` print `[redacted]`; [`NotionToken::expose`] is the only way to read
/// the secret (for the `Authorization` header, nothing else). It is deliberately neither
/// `Serialize` nor comparable.
#[derive(Clone)]
pub struct NotionToken(String);

impl NotionToken {
    /// Wraps a secret. Returns `None` for an empty (or all-whitespace) value, which counts
    /// as "no token". The secret is registered with [`crate::secrets`], so a server that
    /// echoes it back in an error message cannot get it printed.
    pub fn new(secret: impl Into<String>) -> Option<NotionToken> {
        let secret = secret.into();
        if secret.trim().is_empty() {
            None
        } else {
            crate::secrets::register(&secret);
            Some(NotionToken(secret.trim().to_owned()))
        }
    }

    /// The secret itself. Only the Notion client's `Authorization` header may use it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NotionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for NotionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_redacted_in_debug_and_display() {
        let token = NotionToken::new("secret_abc123").unwrap();
        assert_eq!(format!("{token:?}"), "[redacted]");
        assert_eq!(format!("{token}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&token)), "Some([redacted])");
        assert_eq!(token.expose(), "secret_abc123");
    }

    #[test]
    fn empty_token_is_no_token() {
        assert!(NotionToken::new("").is_none());
        assert!(NotionToken::new("  \n").is_none());
    }
}
