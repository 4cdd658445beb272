//! Watching the site's own files (`templates/`, `themes/`, `content/`, `static/`,
//! `notion-bake.toml`), debounced, without editor temp files.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::sync::mpsc;

use crate::config::CONFIG_FILE_NAME;

/// The folders of a site whose changes re-render it.
pub const WATCHED_DIRS: [&str; 4] = ["templates", "themes", "content", "static"];

/// How long the watcher waits for a burst of events (an editor's save) to end.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// A running watcher; dropping it stops watching.
pub struct SiteWatcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    site_dir: PathBuf,
    watched: Vec<PathBuf>,
}

impl SiteWatcher {
    /// Watches `site_dir`; each debounced batch of relevant changes is sent as the list of
    /// changed paths.
    pub fn start(
        site_dir: &Path,
        changes: mpsc::UnboundedSender<Vec<PathBuf>>,
    ) -> anyhow::Result<Self> {
        let root = site_dir.to_path_buf();
        let handler = move |result: DebounceEventResult| match result {
            Ok(events) => {
                let paths: Vec<PathBuf> = events
                    .iter()
                    .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                    .flat_map(|e| e.paths.iter())
                    .filter(|p| is_site_source(&root, p))
                    .cloned()
                    .collect();
                if !paths.is_empty() {
                    let _ = changes.send(paths);
                }
            }
            Err(errors) => {
                for error in errors {
                    tracing::warn!("watching the site: {error}");
                }
            }
        };
        let debouncer =
            new_debouncer(DEBOUNCE, None, handler).context("starting the file watcher")?;
        let mut watcher = SiteWatcher {
            debouncer,
            site_dir: site_dir.to_path_buf(),
            watched: Vec::new(),
        };
        // The site folder itself, not recursively: the config file, and folders created later.
        watcher
            .debouncer
            .watch(site_dir, RecursiveMode::NonRecursive)
            .with_context(|| format!("watching {}", site_dir.display()))?;
        watcher.watch_new_folders();
        Ok(watcher)
    }

    /// Starts watching any of [`WATCHED_DIRS`] that exists now and was not watched yet.
    pub fn watch_new_folders(&mut self) {
        for name in WATCHED_DIRS {
            let dir = self.site_dir.join(name);
            if dir.is_dir() && !self.watched.contains(&dir) {
                match self.debouncer.watch(&dir, RecursiveMode::Recursive) {
                    Ok(()) => self.watched.push(dir),
                    Err(e) => tracing::warn!("cannot watch {}: {e}", dir.display()),
                }
            }
        }
    }
}

/// Whether a changed path is one of the site's sources (and not an editor's temp file).
pub fn is_site_source(site_dir: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(site_dir) else {
        return false;
    };
    let mut components = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = components.next() else {
        return false;
    };
    let is_source = first == CONFIG_FILE_NAME || WATCHED_DIRS.contains(&first.as_ref());
    is_source
        && !path
            .file_name()
            .is_some_and(|n| is_temp_file(&n.to_string_lossy()))
}

/// Editor swap, backup and lock files, and other noise.
pub fn is_temp_file(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".swpx", ".tmp", ".kate-swp", ".bak", ".crdownload"]
            .iter()
            .any(|ext| name.ends_with(ext))
        || name == "4913" // vim's probe file
        || name == ".DS_Store"
        || name.starts_with(".goutputstream-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temp_files_are_ignored() {
        for name in [
            "post.html~",
            ".post.html.swp",
            ".post.html.swx",
            "#post.html#",
            ".#post.html",
            "4913",
            "post.html.kate-swp",
            ".goutputstream-ABC123",
        ] {
            assert!(is_temp_file(name), "{name}");
        }
        for name in ["post.html", "style.css", "hello.md", "notion-bake.toml"] {
            assert!(!is_temp_file(name), "{name}");
        }
    }

    #[test]
    fn only_the_sources_of_the_site_count() {
        let site = Path::new("/site");
        for path in [
            "/site/notion-bake.toml",
            "/site/templates/post.html",
            "/site/themes/mine/templates/base.html",
            "/site/content/hello.md",
            "/site/static/logo.svg",
        ] {
            assert!(is_site_source(site, Path::new(path)), "{path}");
        }
        for path in [
            "/site/public/index.html",
            "/site/.notion-bake/snapshot.json",
            "/site/templates/.post.html.swp",
            "/site/README.md",
            "/elsewhere/templates/post.html",
        ] {
            assert!(!is_site_source(site, Path::new(path)), "{path}");
        }
    }
}
