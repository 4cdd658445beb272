//! `notion-bake build` end to end: the real binary against the fake Notion server, checked
//! from the files it writes.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::json;
use support::{FakeNotion, FileRef, Workspace, blocks as b};

const EXTERNAL_IMAGE: &str = "https://images.example.com/photo.jpg?w=1200&q=80&fit=max";
const EXTERNAL_PDF: &str = "https://example.org/files/Report%202026.pdf?download=1";

struct Blog {
    server: FakeNotion,
    site: tempfile::TempDir,
    photo: FileRef,
    draft_title: &'static str,
}

/// A blog with a cover, an inline photo, an external image and PDF, a draft, tags, a page
/// mention between posts, and an about page with a child page that links to a post.
fn blog() -> Blog {
    let mut ws = Workspace::new();
    let photo = ws.add_file("Lake at dawn.jpg", support::jpeg(2000, 1333, 120));
    let cover = ws.add_file("cover.jpg", support::jpeg(1600, 900, 120));
    let pdf = ws.add_file(
        "itinerary.pdf",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec(),
    );
    let db = ws.add_database(
        "Field Notes",
        &[
            ("Published", "checkbox"),
            ("Date", "date"),
            ("Tags", "multi_select"),
            ("Slug", "rich_text"),
        ],
    );
    let first = ws.add_row(
        &db,
        json!({"Name": "First light", "Published": true, "Date": "2026-03-01", "Tags": ["Lakes", "Mornings"]}),
        vec![
            b::paragraph("We got up before the birds."),
            b::image(b::hosted(&photo), "The lake at dawn"),
            b::image(b::external(EXTERNAL_IMAGE), "Someone else's photo"),
            b::file(b::external(EXTERNAL_PDF), "", "Report 2026.pdf"),
            b::pdf(b::hosted(&pdf), "Our itinerary"),
        ],
    );
    ws.set_cover(&first, b::hosted(&cover));
    ws.add_row(
        &db,
        json!({"Name": "Second walk", "Published": true, "Date": "2026-04-01", "Tags": ["Lakes"], "Slug": "walk-two"}),
        vec![b::paragraph(vec![b::text("Back to "), b::page_mention(&first, "First light"), b::text(".")])],
    );
    ws.add_row(
        &db,
        json!({"Name": "Unfinished thoughts", "Published": false, "Date": "2026-05-01"}),
        vec![b::paragraph("not yet")],
    );
    let about = ws.add_page("About", vec![b::paragraph("Two people and a canoe.")]);
    ws.add_child_page(
        &about,
        "Gear list",
        vec![b::link_to_page(&first), b::image(b::hosted(&photo), "")],
    );
    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("notion-bake.toml"),
        format!(
            r#"title = "Field Notes"
base_url = "https://example.org/blog"
[notion]
requests_per_second = 500
[blog]
database = "{}"
posts_per_page = 1
[[pages]]
id = "{about}"
path = "about"
[images]
widths = [480, 960]
"#,
            db.database_id
        ),
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("content")).unwrap();
    std::fs::write(
        site.path().join("content/colophon.md"),
        "+++\ntitle = \"Colophon\"\n+++\n\nMade with [notion-bake](https://example.org/nb).\n",
    )
    .unwrap();
    Blog {
        server,
        site,
        photo,
        draft_title: "Unfinished thoughts",
    }
}

fn run(site: &Path, server: Option<&FakeNotion>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_notion-bake"));
    command
        .arg("build")
        .arg(site)
        .args(args)
        .env_remove("RUST_LOG")
        .env_remove("NOTION_TOKEN");
    if let Some(server) = server {
        command
            .env("NOTION_TOKEN", server.token())
            .env("NOTION_API_URL", server.url());
    }
    command.output().unwrap()
}

fn assert_ok(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "build failed:\n{stderr}");
    stderr
}

/// Every file under `dir`, as relative paths.
fn files(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every `href`/`src`/`srcset` URL in the HTML files.
fn local_references(public: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for file in files(public).into_iter().filter(|f| f.ends_with(".html")) {
        let html = scraper::Html::parse_document(&read(public, &file));
        let selector = scraper::Selector::parse("[href], [src], [srcset], [data]").unwrap();
        for element in html.select(&selector) {
            for attr in ["href", "src", "data"] {
                if let Some(url) = element.value().attr(attr) {
                    found.push((file.clone(), url.to_owned()));
                }
            }
            if let Some(srcset) = element.value().attr("srcset") {
                for candidate in srcset.split(',') {
                    let url = candidate.split_whitespace().next().unwrap_or_default();
                    found.push((file.clone(), url.to_owned()));
                }
            }
        }
    }
    found
}

/// Resolves a site URL under the base path `/blog` to a file in `public`.
fn target_of(public: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['#', '?']).next()?;
    let path = path
        .strip_prefix("/blog/")
        .or_else(|| (path == "/blog").then_some(""))?;
    let file = public.join(path);
    Some(if path.is_empty() || path.ends_with('/') {
        file.join("index.html")
    } else {
        file
    })
}

#[test]
fn a_full_blog_builds_with_every_link_resolved_and_nothing_expiring() {
    let blog = blog();
    let stderr = assert_ok(&run(blog.site.path(), Some(&blog.server), &[]));
    assert!(!stderr.contains(blog.server.token()), "the token leaked");
    let public = blog.site.path().join("public");
    let all = files(&public);

    for page in [
        "index.html",
        "page/2/index.html",
        "posts/first-light/index.html",
        "posts/walk-two/index.html",
        "about/index.html",
        "about/gear-list/index.html",
        "colophon/index.html",
        "tags/lakes/index.html",
        "feed.xml",
        "sitemap.xml",
        "404.html",
        "robots.txt",
        "static/style.css",
    ] {
        assert!(all.contains(page), "{page} missing; built: {all:#?}");
    }
    assert!(
        !all.iter().any(|f| f.contains("unfinished")),
        "the draft was published"
    );
    let everything: String = all
        .iter()
        .filter(|f| f.ends_with(".html") || f.ends_with(".xml"))
        .map(|f| read(&public, f))
        .collect();
    assert!(!everything.contains(blog.draft_title));

    // Nothing points at Notion's signed URLs, and external URLs are untouched.
    assert!(
        !everything.contains("X-Amz-"),
        "a signed URL reached the site"
    );
    assert!(
        !everything.contains(&blog.server.url()),
        "a fake-S3 URL reached the site"
    );
    let post = read(&public, "posts/first-light/index.html");
    assert!(
        post.contains(&EXTERNAL_IMAGE.replace('&', "&amp;")),
        "external image changed"
    );
    assert!(
        post.contains(&EXTERNAL_PDF.replace('&', "&amp;")),
        "external file changed"
    );

    // Every local link and asset resolves.
    for (file, url) in local_references(&public) {
        if url.starts_with("http")
            || url.starts_with("mailto:")
            || url.starts_with("data:")
            || url.starts_with('#')
        {
            continue;
        }
        let target =
            target_of(&public, &url).unwrap_or_else(|| panic!("{file}: {url} is not under /blog/"));
        assert!(target.is_file(), "{file}: {url} does not resolve");
    }

    // Images come from local variants with their real widths, and the photo is baked once.
    assert!(
        post.contains("480w") && post.contains("960w"),
        "no srcset: {post}"
    );
    assert!(post.contains("width=\"2000\"") && post.contains("height=\"1333\""));
    assert!(post.contains("image/webp"));
    assert_eq!(blog.server.downloads(&blog.photo), 1);
    // The page mention and link_to_page resolve to the post's local URL.
    assert!(
        read(&public, "posts/walk-two/index.html").contains("href=\"/blog/posts/first-light/\"")
    );
    assert!(
        read(&public, "about/gear-list/index.html").contains("href=\"/blog/posts/first-light/\"")
    );

    // Feed and sitemap are well-formed XML with absolute URLs.
    for xml in ["feed.xml", "sitemap.xml"] {
        let text = read(&public, xml);
        let mut reader = quick_xml::Reader::from_str(&text);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{xml} is not well-formed: {e}"),
            }
        }
        assert!(
            text.contains("https://example.org/blog/posts/first-light/"),
            "{xml}: {text}"
        );
    }
    let feed = read(&public, "feed.xml");
    assert!(
        feed.contains("https://example.org/blog/assets/"),
        "feed images must be absolute: {feed}"
    );
}

#[test]
fn an_offline_rebuild_renders_the_same_site_and_a_failed_build_leaves_public_untouched() {
    let blog = blog();
    assert_ok(&run(blog.site.path(), Some(&blog.server), &[]));
    let public = blog.site.path().join("public");
    // No token: the snapshot, with a one-line notice.
    let offline = assert_ok(&run(blog.site.path(), None, &[]));
    assert!(offline.contains("cache snapshot"), "{offline}");
    assert!(public.join("posts/first-light/index.html").is_file());
    let before: Vec<(String, Vec<u8>)> = files(&public)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(public.join(&f)).unwrap();
            (f, bytes)
        })
        .collect();

    // A bad token fails (exit 1) and leaves the output byte-identical.
    let mut command = Command::new(env!("CARGO_BIN_EXE_notion-bake"));
    let failed = command
        .arg("build")
        .arg(blog.site.path())
        .env("NOTION_TOKEN", "ntn_wrong_token_123")
        .env("NOTION_API_URL", blog.server.url())
        .output()
        .unwrap();
    assert_eq!(
        failed.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&failed.stderr)
    );
    assert!(String::from_utf8_lossy(&failed.stderr).contains("NOTION_TOKEN"));
    for (file, bytes) in &before {
        assert_eq!(
            &std::fs::read(public.join(file)).unwrap(),
            bytes,
            "{file} changed"
        );
    }
    assert_eq!(files(&public).len(), before.len());
}

#[test]
fn without_token_or_snapshot_the_build_says_how_to_set_the_token() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("notion-bake.toml"),
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[blog]\ndatabase = \"d23f0824128b4f338c5c7fd0a6a3a450\"\n",
    )
    .unwrap();
    let output = run(site.path(), None, &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("NOTION_TOKEN"), "{stderr}");
}

#[test]
fn cache_gc_drops_the_files_trees_and_variants_no_page_uses_any_more() {
    let mut ws = Workspace::new();
    let kept = ws.add_file("kept.jpg", support::jpeg(1200, 800, 120));
    let dropped = ws.add_file("dropped.jpg", support::jpeg(1000, 700, 120));
    let db = ws.add_database("Notes", &[("Published", "checkbox")]);
    let post = ws.add_row(
        &db,
        json!({"Name": "Two photos", "Published": true}),
        vec![
            b::image(b::hosted(&kept), ""),
            b::image(b::hosted(&dropped), ""),
        ],
    );
    let gone = ws.add_row(
        &db,
        json!({"Name": "Soon trashed", "Published": true}),
        vec![b::paragraph("bye")],
    );
    let server = FakeNotion::start_blocking(ws);
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("notion-bake.toml"),
        format!(
            "title = \"Notes\"\nbase_url = \"https://example.org\"\n[blog]\ndatabase = \"{}\"\n[images]\nwidths = [480]\n",
            db.database_id
        ),
    )
    .unwrap();
    let cache = site.path().join(".notion-bake");
    let count = |dir: &str| {
        walkdir::WalkDir::new(cache.join(dir))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .count()
    };
    assert_ok(&run(site.path(), Some(&server), &[]));
    let (objects, variants) = (count("files/objects"), count("variants"));
    assert_eq!(objects, 2);
    assert_eq!(count("pages"), 2);

    // One photo leaves its post and the other post goes to the trash.
    server.replace_blocks(&post, vec![b::image(b::hosted(&kept), "")]);
    server.trash(&gone);
    assert_ok(&run(site.path(), Some(&server), &[]));
    let gc = Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .args(["cache", "gc"])
        .arg(site.path())
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let summary = assert_ok(&gc);
    assert!(
        summary.contains("removed 1 page trees, 1 files and"),
        "{summary}"
    );
    assert_eq!(count("files/objects"), 1);
    assert_eq!(count("pages"), 1);
    let left = count("variants");
    assert!(left > 0 && left < variants, "{variants} → {left}");

    // What is left is all the site needs: an offline build still bakes the kept photo.
    let offline = assert_ok(&run(site.path(), None, &[]));
    assert!(offline.contains("cache snapshot"), "{offline}");
    let post_html =
        std::fs::read_to_string(site.path().join("public/posts/two-photos/index.html")).unwrap();
    assert!(post_html.contains("<img"), "{post_html}");
    assert_eq!(server.downloads(&dropped), 1);
}

/// `notion-bake build SITE` under `umask 077`, through the shell as a user would run it.
#[cfg(unix)]
fn build_under_umask_077(site: &Path) -> String {
    let output = Command::new("sh")
        .args(["-c", "umask 077 && exec \"$0\" build \"$1\""])
        .arg(env!("CARGO_BIN_EXE_notion-bake"))
        .arg(site)
        .env_remove("RUST_LOG")
        .env_remove("NOTION_TOKEN")
        .output()
        .unwrap();
    assert_ok(&output)
}

/// Every file of `public` is 0644 with a link count of 1, every folder (itself too) is 0755.
#[cfg(unix)]
fn assert_published_modes(public: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(public).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o755, "{}", public.display());
    let files = support::assert_published_modes(public);
    assert!(files > 50, "only {files} files in {}", public.display());
}

#[cfg(unix)]
#[test]
fn published_files_are_readable_by_all_and_editing_them_cannot_reach_the_cache() {
    let site = tempfile::tempdir().unwrap();
    support::copy_example_site(site.path());
    let public = site.path().join("public");
    let cache = site.path().join(".notion-bake");
    build_under_umask_077(site.path());
    assert_published_modes(&public);

    // The cache itself stays private (umask 077), which must not leak into public/.
    let variant = files(&public)
        .into_iter()
        .find(|f| f.starts_with("assets/") && f.ends_with(".webp"))
        .expect("an image variant");
    let published_bytes = std::fs::read(public.join(&variant)).unwrap();
    let cached = walkdir::WalkDir::new(&cache)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_type().is_file() && std::fs::read(e.path()).unwrap() == published_bytes)
        .expect("the variant in the cache")
        .into_path();
    let cached_bytes = std::fs::read(&cached).unwrap();
    let html_mtime = std::fs::metadata(public.join("index.html"))
        .unwrap()
        .modified()
        .unwrap();

    // A deploy step rewrites a published image in place (an optimiser, a minifier, sed).
    std::fs::write(public.join(&variant), b"rewritten by a deploy step").unwrap();
    assert_eq!(
        std::fs::read(&cached).unwrap(),
        cached_bytes,
        "the cache is untouched"
    );

    // The next (incremental) build restores it, and unchanged files keep their mtime.
    build_under_umask_077(site.path());
    assert_published_modes(&public);
    assert_eq!(std::fs::read(public.join(&variant)).unwrap(), cached_bytes);
    assert_eq!(std::fs::read(&cached).unwrap(), cached_bytes);
    assert_eq!(
        std::fs::metadata(public.join("index.html"))
            .unwrap()
            .modified()
            .unwrap(),
        html_mtime
    );
}
