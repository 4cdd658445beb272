//! URLs that never break. The cache remembers every URL the site has published
//! (`.notion-bake/urls.json`), by what it showed: a Notion page, a tag, a Markdown page. When a
//! page's URL changes, each of its earlier URLs gets a redirect page (a meta refresh, a
//! canonical link and a visible link: no script) and a `301` line in `_redirects` (Netlify,
//! Cloudflare Pages); when a page leaves the site, its URLs get a "this page was removed" notice
//! kept out of search engines, or a redirect home (`removed_pages = "redirect"`).
//!
//! Each redirect points at the page's URL now, so renames in a row collapse (A→B, then B→C:
//! A points at C); a URL that a page of the site has now is never covered, so a page that
//! comes back (or a new page taking an old slug) is served as itself. None of these pages are
//! in the sitemap, which lists the site's pages only.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::cache::write_atomically;
use crate::config::{RemovedPages, SiteConfig};
use crate::render::OutputFile;
use crate::render::Templates;
use crate::render::html_site::site_chrome;
use crate::site::{Site, routes};

/// Bumped when the stored shape changes; an older history is then started afresh.
const FORMAT: u32 = 1;

/// The history's file in the cache folder.
const FILE: &str = "urls.json";

/// Netlify's and Cloudflare Pages' redirect rules, at the site's root.
const REDIRECTS_FILE: &str = "_redirects";

/// Every URL the site has published, by what it showed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct UrlHistory {
    format: u32,
    /// By key: a Notion page id, `tag:<slug>` or `content:<path>`.
    entries: BTreeMap<String, Published>,
}

/// Where one thing of the site is published, and where it was.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Published {
    /// Its site-relative path now (`posts/hello/`); `None` once it left the site.
    path: Option<String>,
    /// Its title, for the redirect's link text and the removed notice.
    title: String,
    /// Its earlier paths (all of them, for a page that left), none of them published now.
    #[serde(default)]
    earlier: Vec<String>,
}

/// A page of the site now: its key, path and title.
pub(crate) struct Current {
    key: String,
    path: String,
    title: String,
}

/// What the old URLs get in this build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Moves {
    /// Old path → the path it redirects to (with the target's title).
    pub(crate) redirects: BTreeMap<String, (String, String)>,
    /// Old path of a page that left → its last title.
    pub(crate) removed: BTreeMap<String, String>,
}

impl UrlHistory {
    fn path(cache: &Path) -> PathBuf {
        cache.join(FILE)
    }

    /// The history kept in the cache folder `cache`; empty when there is none (a first build,
    /// or a file from another version or damaged: the next build starts it again).
    pub(crate) fn load(cache: &Path) -> anyhow::Result<UrlHistory> {
        let path = UrlHistory::path(cache);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(UrlHistory::default()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        match serde_json::from_slice::<UrlHistory>(&bytes) {
            Ok(history) if history.format == FORMAT => Ok(history),
            Ok(_) => Ok(UrlHistory::default()),
            Err(error) => {
                tracing::warn!(
                    "ignoring the unreadable URL history {}: {error}; old URLs of moved pages \
                     are not redirected by this build",
                    path.display()
                );
                Ok(UrlHistory::default())
            }
        }
    }

    /// The paths of the pages that left the site (each shows a notice or redirects home).
    pub(crate) fn removed_paths(&self) -> HashSet<String> {
        self.entries
            .values()
            .filter(|p| p.path.is_none())
            .flat_map(|p| p.earlier.iter().cloned())
            .collect()
    }

    /// Stores the history in the cache folder `cache`.
    pub(crate) fn save(&self, cache: &Path) -> anyhow::Result<()> {
        let stored = UrlHistory {
            format: FORMAT,
            entries: self.entries.clone(),
        };
        write_atomically(
            &UrlHistory::path(cache),
            &serde_json::to_vec_pretty(&stored)?,
        )
    }

    /// The moves from this history to the site's pages now (`current`), where `live` holds
    /// every path the new output serves a page at; and the history to keep.
    pub(crate) fn update(
        &self,
        current: Vec<Current>,
        live: &HashSet<String>,
    ) -> (Moves, UrlHistory) {
        let mut next = UrlHistory {
            format: FORMAT,
            entries: BTreeMap::new(),
        };
        let earlier_of = |key: &str, now: Option<&str>| -> Vec<String> {
            let Some(before) = self.entries.get(key) else {
                return Vec::new();
            };
            let mut earlier: Vec<String> = before.earlier.clone();
            earlier.extend(before.path.clone());
            let mut seen = BTreeSet::new();
            earlier
                .retain(|p| Some(p.as_str()) != now && !live.contains(p) && seen.insert(p.clone()));
            earlier
        };
        for page in current {
            let earlier = earlier_of(&page.key, Some(&page.path));
            next.entries.insert(
                page.key,
                Published {
                    path: Some(page.path),
                    title: page.title,
                    earlier,
                },
            );
        }
        for (key, before) in &self.entries {
            if next.entries.contains_key(key) {
                continue;
            }
            let earlier = earlier_of(key, None);
            if !earlier.is_empty() {
                // Gone from the site: remembered until every URL it had is someone else's.
                let gone = Published {
                    path: None,
                    title: before.title.clone(),
                    earlier,
                };
                next.entries.insert(key.clone(), gone);
            }
        }
        let mut moves = Moves::default();
        for published in next.entries.values() {
            for old in &published.earlier {
                match &published.path {
                    Some(to) => {
                        moves
                            .redirects
                            .insert(old.clone(), (to.clone(), published.title.clone()));
                    }
                    None => {
                        moves.removed.insert(old.clone(), published.title.clone());
                    }
                }
            }
        }
        // A path both moved and removed (two pages once shared it): the redirect wins.
        moves
            .removed
            .retain(|path, _| !moves.redirects.contains_key(path));
        (moves, next)
    }
}

/// The pages of the site now, keyed as the history keys them.
pub(crate) fn current_pages(site: &Site) -> Vec<Current> {
    let mut pages = Vec::new();
    for post in &site.posts {
        pages.push(Current {
            key: post.page.id.clone(),
            path: post.path.clone(),
            title: post.title.clone(),
        });
    }
    for page in &site.pages {
        pages.push(Current {
            key: page.page.id.clone(),
            path: page.path.clone(),
            title: page.title.clone(),
        });
    }
    for tag in &site.tags {
        pages.push(Current {
            key: format!("tag:{}", tag.slug),
            path: tag.path.clone(),
            title: tag.name.clone(),
        });
    }
    for document in &site.documents {
        pages.push(Current {
            key: format!("content:{}", document.path),
            path: document.path.clone(),
            title: document.title.clone(),
        });
    }
    pages
}

/// Every folder path the output serves a page at (`posts/hello/`, `` for the home page).
pub(crate) fn live_paths(files: &[OutputFile]) -> HashSet<String> {
    files
        .iter()
        .filter_map(|f| f.path().strip_suffix("index.html"))
        .filter(|folder| folder.is_empty() || folder.ends_with('/'))
        .map(str::to_owned)
        .collect()
}

/// Adds the redirect pages, the removed notices and their `_redirects` lines to `files`
/// (merged with a `_redirects` the site's `static/` or theme already has).
pub(crate) fn add_moved_pages(
    moves: &Moves,
    config: &SiteConfig,
    site: &Site,
    templates: &Templates,
    files: &mut Vec<OutputFile>,
) -> anyhow::Result<()> {
    if moves.redirects.is_empty() && moves.removed.is_empty() {
        return Ok(());
    }
    let chrome = site_chrome(config, site);
    let base_url = config.base_url.as_str().trim_end_matches('/');
    let base_path = config.base_path();
    let mut rules = Vec::new();
    let mut redirect = |from: &str, to: &str, title: &str, files: &mut Vec<OutputFile>| {
        let mut context = tera::Context::new();
        context.insert("site", &chrome);
        context.insert("target", &format!("{base_path}/{to}"));
        context.insert("canonical", &format!("{base_url}/{to}"));
        context.insert("title", title);
        let html = templates.render("redirect.html", &context)?;
        files.push(page_file(from, html));
        rules.push(format!(
            "{} {} 301",
            rule_path(base_path, from),
            rule_path(base_path, to)
        ));
        anyhow::Ok(())
    };
    for (from, (to, title)) in &moves.redirects {
        redirect(from, to, title, files)?;
    }
    for (from, title) in &moves.removed {
        match config.removed_pages {
            RemovedPages::Redirect => redirect(from, routes::INDEX, &config.title, files)?,
            RemovedPages::Notice => {
                let mut context = tera::Context::new();
                context.insert("site", &chrome);
                context.insert("title", title);
                files.push(page_file(from, templates.render("removed.html", &context)?));
            }
        }
    }
    if !rules.is_empty() {
        merge_rules(files, &rules)?;
    }
    Ok(())
}

/// The page at a folder path.
fn page_file(folder: &str, html: String) -> OutputFile {
    OutputFile::Generated {
        path: format!("{folder}index.html"),
        bytes: html.into_bytes(),
    }
}

/// A path as `_redirects` spells it: rooted, under the base path, with whitespace and
/// controls (which would end the rule's field) percent-encoded.
fn rule_path(base_path: &str, path: &str) -> String {
    const FIELD_BREAKERS: &percent_encoding::AsciiSet =
        &percent_encoding::CONTROLS.add(b' ').add(b'#');
    let path = format!("{base_path}/{path}");
    percent_encoding::utf8_percent_encode(&path, FIELD_BREAKERS).to_string()
}

/// Appends `rules` to the output's `_redirects`, after the rules already there (the first
/// match wins on both hosts, so the site's own rules keep precedence).
fn merge_rules(files: &mut Vec<OutputFile>, rules: &[String]) -> anyhow::Result<()> {
    let mut text = String::new();
    if let Some(at) = files.iter().position(|f| f.path() == REDIRECTS_FILE) {
        let existing = match files.remove(at) {
            OutputFile::Generated { bytes, .. } => bytes,
            OutputFile::Copied { source, .. } => std::fs::read(&source)
                .with_context(|| format!("cannot read {}", source.display()))?,
            other => anyhow::bail!("{} is an export file, not part of a site", other.path()),
        };
        text.push_str(&String::from_utf8_lossy(&existing));
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
    }
    text.push_str("# Written by notion-bake: the earlier URLs of pages that moved.\n");
    for rule in rules {
        text.push_str(rule);
        text.push('\n');
    }
    files.push(OutputFile::Generated {
        path: REDIRECTS_FILE.to_owned(),
        bytes: text.into_bytes(),
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(key: &str, path: &str) -> Current {
        Current {
            key: key.to_owned(),
            path: path.to_owned(),
            title: format!("Title of {key}"),
        }
    }

    fn build(history: &UrlHistory, pages: &[(&str, &str)]) -> (Moves, UrlHistory) {
        let live = pages.iter().map(|(_, p)| (*p).to_owned()).collect();
        history.update(pages.iter().map(|(k, p)| page(k, p)).collect(), &live)
    }

    fn redirects(moves: &Moves) -> Vec<(&str, &str)> {
        moves
            .redirects
            .iter()
            .map(|(from, (to, _))| (from.as_str(), to.as_str()))
            .collect()
    }

    #[test]
    fn a_rename_redirects_and_a_second_rename_collapses_the_chain() {
        let (moves, h) = build(&UrlHistory::default(), &[("a", "posts/one/")]);
        assert_eq!(moves, Moves::default());
        let (moves, h) = build(&h, &[("a", "posts/two/")]);
        assert_eq!(redirects(&moves), [("posts/one/", "posts/two/")]);
        let (moves, h) = build(&h, &[("a", "posts/three/")]);
        assert_eq!(
            redirects(&moves),
            [
                ("posts/one/", "posts/three/"),
                ("posts/two/", "posts/three/")
            ]
        );
        // Unchanged builds keep the redirects.
        let (again, _) = build(&h, &[("a", "posts/three/")]);
        assert_eq!(again, moves);
    }

    #[test]
    fn a_page_back_at_an_old_url_stops_redirecting_it() {
        let (_, h) = build(&UrlHistory::default(), &[("a", "posts/one/")]);
        let (_, h) = build(&h, &[("a", "posts/two/")]);
        let (moves, h) = build(&h, &[("a", "posts/one/")]);
        assert_eq!(redirects(&moves), [("posts/two/", "posts/one/")]);
        // Another page taking a URL that redirected gets it.
        let (moves, _) = build(&h, &[("a", "posts/one/"), ("b", "posts/two/")]);
        assert_eq!(moves, Moves::default());
    }

    #[test]
    fn a_page_that_left_gets_a_notice_until_it_comes_back() {
        let (_, h) = build(&UrlHistory::default(), &[("a", "posts/one/"), ("b", "b/")]);
        let (moves, h) = build(&h, &[("b", "b/")]);
        assert_eq!(
            moves.removed,
            BTreeMap::from([("posts/one/".to_owned(), "Title of a".to_owned())])
        );
        let (moves, h) = build(&h, &[("b", "b/")]);
        assert_eq!(moves.removed.len(), 1, "the notice stays");
        let (moves, _) = build(&h, &[("a", "posts/one/"), ("b", "b/")]);
        assert_eq!(moves, Moves::default());
    }

    #[test]
    fn history_round_trips_through_the_cache_and_a_damaged_file_starts_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let (_, h) = build(&UrlHistory::default(), &[("a", "posts/one/")]);
        h.save(dir.path()).unwrap();
        assert_eq!(UrlHistory::load(dir.path()).unwrap(), h);
        std::fs::write(dir.path().join(FILE), b"{\"format\": tru").unwrap();
        assert_eq!(UrlHistory::load(dir.path()).unwrap(), UrlHistory::default());
    }

    #[test]
    fn rules_are_merged_after_the_sites_own() {
        let mut files = vec![OutputFile::Generated {
            path: REDIRECTS_FILE.into(),
            bytes: b"/old-blog/* /:splat 301".to_vec(),
        }];
        merge_rules(&mut files, &[rule_path("/blog", "posts/a b/")]).unwrap();
        let OutputFile::Generated { bytes, .. } = &files[0] else {
            panic!()
        };
        let text = String::from_utf8_lossy(bytes);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "/old-blog/* /:splat 301");
        assert_eq!(lines[2], "/blog/posts/a%20b/");
    }

    #[test]
    fn a_redirect_always_has_a_visible_link_and_removed_pages_may_go_home() {
        let mut config = SiteConfig::for_test("site");
        config.base_url = url::Url::parse("https://example.org/blog").unwrap();
        let moves = Moves {
            redirects: BTreeMap::from([(
                "posts/a/".to_owned(),
                ("posts/b/".to_owned(), String::new()),
            )]),
            removed: BTreeMap::from([("posts/gone/".to_owned(), "Gone".to_owned())]),
        };
        let render = |config: &SiteConfig| {
            let mut files = Vec::new();
            add_moved_pages(
                &moves,
                config,
                &Site::default(),
                &Templates::builtin(),
                &mut files,
            )
            .unwrap();
            files
                .into_iter()
                .map(|f| match f {
                    OutputFile::Generated { path, bytes } => {
                        (path, String::from_utf8(bytes).unwrap())
                    }
                    other => panic!("{}", other.path()),
                })
                .collect::<BTreeMap<_, _>>()
        };
        let files = render(&config);
        // An untitled page's redirect still shows where it went.
        assert!(
            files["posts/a/index.html"]
                .contains(r#"<a href="/blog/posts/b/">https://example.org/blog/posts/b/</a>"#),
            "{files:?}"
        );
        assert!(files["posts/gone/index.html"].contains("This page was removed"));
        assert_eq!(
            files["_redirects"].lines().nth(1),
            Some("/blog/posts/a/ /blog/posts/b/ 301")
        );
        config.removed_pages = RemovedPages::Redirect;
        let files = render(&config);
        assert!(files["posts/gone/index.html"].contains(r#"content="0; url=/blog/""#));
        assert!(files["_redirects"].contains("/blog/posts/gone/ /blog/ 301"));
    }
}
