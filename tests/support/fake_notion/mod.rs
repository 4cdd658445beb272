//! A fake Notion API server for tests.
//!
//! Build a [`Workspace`] (databases, pages, nested blocks, Notion-hosted and external files),
//! start it with [`FakeNotion::start`] (or [`FakeNotion::start_blocking`]) and point the client
//! at [`FakeNotion::url`] with the bearer token [`FakeNotion::token`]. The server listens on
//! `127.0.0.1:0`, serves the endpoints the client uses under API versions 2022-06-28,
//! 2025-09-03 and 2026-03-11, serves Notion-hosted files behind signed, expiring URLs, injects
//! faults on demand (429, 5xx, expired URLs, truncated downloads) and counts everything.
//!
//! ```ignore
//! use support::{FakeNotion, Workspace, blocks as b};
//! let mut ws = Workspace::new();
//! let photo = ws.add_file("photo.jpg", jpeg_bytes);
//! let posts = ws.add_database("Posts", &[("Name", "title"), ("Published", "checkbox"), ("Date", "date")]);
//! let post = ws.add_row(&posts, json!({"Name": "Hello", "Published": true, "Date": "2026-07-01"}),
//!                       vec![b::heading_2("Intro"), b::image(b::hosted(&photo), "A caption")]);
//! let about = ws.add_page("About", vec![b::paragraph("Hi")]);
//! let fake = FakeNotion::start(ws).await;            // or FakeNotion::start_blocking(ws)
//! // NOTION_API_URL = fake.url(), NOTION_TOKEN = fake.token()
//! fake.set_rate_limit(Some(3.0), 3);
//! fake.set_files_expire_immediately(true);
//! // … run the build …
//! assert_eq!(fake.downloads(&photo), 1);
//! assert_eq!(fake.requests(Endpoint::BlockChildren), 2);
//! ```
//!
//! Self-contained on purpose: it only uses crates from `[dependencies]`, so a bench or a
//! generator program can mount it with
//! `#[path = "../tests/support/fake_notion/mod.rs"] mod fake_notion;`.
#![allow(dead_code, unused_imports)]

pub mod blocks;
mod query;
mod server;
mod workspace;

pub use server::{DownloadRecord, Endpoint, FakeNotion, Hostile, RequestRecord};
pub use workspace::{DbRef, FileRef, Workspace};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

/// The API versions the fake understands (the value of the `Notion-Version` header).
pub const VERSION_2022: &str = "2022-06-28";
/// The data-source API version (the client's default).
pub const VERSION_2025: &str = "2025-09-03";
/// The newest version: like 2025-09-03, but responses carry `in_trash` only (no `archived`).
pub const VERSION_2026: &str = "2026-03-11";

/// A deterministic, dashed, version-4-shaped UUID derived from `name` (sha256 based), so ids
/// stay stable between runs and snapshots.
pub fn uuid_from(name: &str) -> String {
    let digest = Sha256::digest(name.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Normalises an id given with or without dashes to the dashed lowercase form, or `None` if it
/// is not a UUID (32 hex digits).
pub fn normalize_id(raw: &str) -> Option<String> {
    let hexs: String = raw.chars().filter(|c| *c != '-').collect();
    if hexs.len() != 32 || !hexs.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    // Dashes, if present, must be in the canonical places.
    if raw.contains('-') && raw.len() != 36 {
        return None;
    }
    let h = hexs.to_ascii_lowercase();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

/// The id without dashes, as in page URLs.
pub fn undashed(id: &str) -> String {
    id.replace('-', "")
}

/// Page/block timestamp form: minute precision, `.000Z` (`2026-07-04T09:08:00.000Z`).
pub fn notion_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:00.000Z").to_string()
}

/// Database timestamp form: milliseconds and `+00:00` (`2026-07-04T09:09:45.607+00:00`).
pub fn database_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string()
}

/// Percent-encodes one URL path segment (keeps RFC 3986 unreserved characters).
pub fn encode_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (invalid escapes are kept as they are).
pub fn decode_segment(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex_val(bytes[i + 1]), hex_val(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_val(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}
