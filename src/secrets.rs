//! Secrets out of every printed message: the Notion token, the signing parts of signed URLs
//! and the `user:password@` of any URL.
//!
//! Error text can come from anywhere: Notion, a proxy in front of it, a file host, a library.
//! Whatever a message holds, [`scrub`] runs over it before it reaches the terminal, so a server
//! that echoes the request back (its `Authorization` header, a signed URL) cannot leak it.

use std::borrow::Cow;
use std::sync::{LazyLock, RwLock};

use regex::{Captures, Regex};

/// What a scrubbed secret becomes.
pub const REDACTED: &str = "[redacted]";

/// Secrets known to this process (the token, once read), scrubbed verbatim wherever they appear.
static KNOWN: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Remembers a secret so that [`scrub`] removes it from every message. Short strings are not
/// remembered: scrubbing them would mangle ordinary words.
pub fn register(secret: &str) {
    let secret = secret.trim();
    if secret.len() < 8 {
        return;
    }
    let mut known = KNOWN.write().unwrap_or_else(|e| e.into_inner());
    if !known.iter().any(|k| k == secret) {
        known.push(secret.to_owned());
    }
}

/// The credential of an `Authorization` header echoed back (`authorization: Basic …`,
/// `"Authorization": "Bearer …"`).
static AUTHORIZATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(authorization["']?\s*[:=]\s*["']?(?:(?:basic|bearer|token)\s+)?)[^\s"'<>,;]+"#,
    )
    .unwrap()
});

/// `Bearer <credential>` anywhere: a word that is rarely followed by anything else.
static BEARER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(bearer\s+)[A-Za-z0-9+/=._~-]{8,}").unwrap());

/// Strings shaped like a Notion token (`ntn_…`, the older `secret_…`), known or not.
static TOKEN_SHAPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:ntn|secret)_[A-Za-z0-9]{20,}").unwrap());

/// The value of a signing query parameter: every `X-Amz-*` (S3's signature, credential,
/// security token, expiry), `Signature`, `Expires`, and the other CDNs' equivalents.
static SIGNING_PARAMETER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)([?&;]|&amp;)(x-amz-[a-z0-9-]*|x-goog-[a-z0-9-]*|signature|expires|key-pair-id|policy|awsaccesskeyid|sig|se|sp|sv)=[^&#\s"'<>]*"#,
    )
    .unwrap()
});

/// The user information of a URL: `scheme://user:password@host`.
static USERINFO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s?#@"'<>]+@"#).unwrap());

/// What a match of one pattern becomes.
type Replacement = fn(&Captures<'_>) -> String;

/// `text` with every secret replaced by `[redacted]`: the known token, anything shaped like a
/// Notion token, `Authorization` and `Bearer` credentials, the values of signed URLs' signing parameters
/// and the user information of URLs. Text without any is returned as it is.
pub fn scrub(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    {
        let known = KNOWN.read().unwrap_or_else(|e| e.into_inner());
        for secret in known.iter() {
            if out.contains(secret.as_str()) {
                out = Cow::Owned(out.replace(secret.as_str(), REDACTED));
            }
        }
    }
    let replacements: [(&Regex, Replacement); 5] = [
        (&AUTHORIZATION, |c| format!("{}{REDACTED}", &c[1])),
        (&BEARER, |c| format!("{}{REDACTED}", &c[1])),
        (&TOKEN_SHAPE, |_| REDACTED.to_owned()),
        (&SIGNING_PARAMETER, |c| {
            format!("{}{}={REDACTED}", &c[1], &c[2])
        }),
        (&USERINFO, |c| format!("{}{REDACTED}@", &c[1])),
    ];
    for (pattern, replace) in replacements {
        if pattern.is_match(&out) {
            out = Cow::Owned(pattern.replace_all(&out, replace).into_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_secrets_and_token_shapes_are_scrubbed() {
        register("zz-known-secret-value-42");
        let text = "token zz-known-secret-value-42 and ntn_4815162342fAkEt0kEnN0tRe4lXq9 \
                    and secret_ABCDEFGHIJKLMNOPQRSTUVWXYZ012";
        let scrubbed = scrub(text);
        assert!(!scrubbed.contains("zz-known"), "{scrubbed}");
        assert!(!scrubbed.contains("4815162342"), "{scrubbed}");
        assert!(!scrubbed.contains("ABCDEFGHIJ"), "{scrubbed}");
        assert_eq!(scrubbed.matches(REDACTED).count(), 3, "{scrubbed}");
    }

    #[test]
    fn authorization_headers_echoed_back_are_scrubbed() {
        assert_eq!(
            scrub("header Authorization: Bearer abc.def-ghi was sent"),
            "header Authorization: Bearer [redacted] was sent"
        );
        assert_eq!(
            scrub("authorization: basic dXNlcjpwYXNz"),
            "authorization: basic [redacted]"
        );
    }

    #[test]
    fn signed_url_parameters_are_scrubbed_and_the_rest_kept() {
        let url = "https://prod-files-secure.s3.us-west-2.amazonaws.com/a/b/photo.jpg?\
                   X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F2026&\
                   X-Amz-Signature=deadbeef&X-Amz-Expires=3600&x-id=GetObject";
        let scrubbed = scrub(url);
        assert!(!scrubbed.contains("deadbeef"), "{scrubbed}");
        assert!(!scrubbed.contains("AKIA"), "{scrubbed}");
        assert!(scrubbed.contains("photo.jpg?X-Amz-Algorithm=[redacted]&"));
        assert!(scrubbed.contains("&x-id=GetObject"), "{scrubbed}");
        assert_eq!(
            scrub("see https://cdn.example/x?Expires=1&Signature=abc&Key-Pair-Id=K"),
            "see https://cdn.example/x?Expires=[redacted]&Signature=[redacted]&Key-Pair-Id=[redacted]"
        );
        assert_eq!(
            scrub("<a href=\"https://h/x?a=1&amp;X-Amz-Signature=s\">"),
            "<a href=\"https://h/x?a=1&amp;X-Amz-Signature=[redacted]\">"
        );
    }

    #[test]
    fn user_information_is_scrubbed() {
        assert_eq!(
            scrub("proxy http://alice:hunter2@proxy.example:8080/ refused"),
            "proxy http://[redacted]@proxy.example:8080/ refused"
        );
        assert_eq!(
            scrub("mail a@b.example; https://example.org/@user stays"),
            "mail a@b.example; https://example.org/@user stays"
        );
    }

    #[test]
    fn ordinary_text_is_untouched_and_not_copied() {
        let text = "page \"Signature dishes\" (abc): expires soon; basic templates bear fruit; \
                    see https://example.org/?q=1";
        assert!(matches!(scrub(text), Cow::Borrowed(t) if t == text));
    }
}
