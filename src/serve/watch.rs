//! Watching the site's own files (`templates/`, `themes/`, `content/`, `static/`,
//! `notion-bake.toml`), debounced, without editor temp files.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache, new_debouncer,
};
use tokio::sync::mpsc;

use notion_bake::config::CONFIG_FILE_NAME;

/// The folders of a site whose changes re-render it.
pub const WATCHED_DIRS: [&str; 4] = ["templates", "themes", "content", "static"];

/// How long the watcher waits for a burst of events (an editor's save) to end.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// A running watcher; dropping it stops watching.
///
/// The site folder itself is watched non-recursively (the config file, and the folders of
/// [`WATCHED_DIRS`] appearing or going away), each of those folders recursively once it
/// exists. Every event path starts with `site_dir`, so `site_dir` must be canonical: the
/// watcher reports absolute, symlink-free paths, whatever path it was given.
pub struct SiteWatcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    site_dir: PathBuf,
    watched: Vec<PathBuf>,
    /// Watched folders removed or renamed away since the last [`Self::refresh_folders`]: the
    /// event handler notes them, as it sees them before anyone else.
    gone: Arc<Mutex<Vec<PathBuf>>>,
}

impl SiteWatcher {
    /// Watches the canonical `site_dir`; each debounced batch of relevant changes is sent as
    /// the list of changed paths.
    pub fn start(
        site_dir: &Path,
        changes: mpsc::UnboundedSender<Vec<PathBuf>>,
    ) -> anyhow::Result<Self> {
        let root = site_dir.to_path_buf();
        let gone = Arc::new(Mutex::new(Vec::new()));
        let noted = gone.clone();
        let handler = move |result: DebounceEventResult| match result {
            Ok(events) => {
                let removed = removed_folders(&root, &events);
                if !removed.is_empty() {
                    lock(&noted).extend(removed);
                }
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
            gone,
        };
        watcher
            .debouncer
            .watch(site_dir, RecursiveMode::NonRecursive)
            .with_context(|| format!("watching {}", site_dir.display()))?;
        watcher.refresh_folders();
        Ok(watcher)
    }

    /// Forgets the watched folders that were removed (so they are watched again when they
    /// come back) and starts watching any of [`WATCHED_DIRS`] that exists now. Called before
    /// each build, so a folder created while serving is watched from the build that first
    /// reads it.
    pub fn refresh_folders(&mut self) {
        let gone = std::mem::take(&mut *lock(&self.gone));
        let debouncer = &mut self.debouncer;
        self.watched.retain(|dir| {
            let keep = dir.is_dir() && !gone.contains(dir);
            if !keep {
                // The watcher may have dropped the watch itself already: nothing to undo.
                let _ = debouncer.unwatch(dir);
            }
            keep
        });
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

/// The folders of [`WATCHED_DIRS`] that `events` remove or rename (away or into place: a
/// folder renamed into place is a new one to watch, the old watch follows the old folder).
fn removed_folders(site_dir: &Path, events: &[DebouncedEvent]) -> Vec<PathBuf> {
    events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
            )
        })
        .flat_map(|e| e.paths.iter())
        .filter(|p| is_top_folder(site_dir, p))
        .cloned()
        .collect()
}

/// Whether `path` is `site_dir/<one of WATCHED_DIRS>`.
fn is_top_folder(site_dir: &Path, path: &Path) -> bool {
    path.parent() == Some(site_dir)
        && path
            .file_name()
            .is_some_and(|name| WATCHED_DIRS.iter().any(|d| name == *d))
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
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
    fn removed_or_renamed_top_folders_are_noted_for_watching_again() {
        use notify_debouncer_full::notify::Event;
        use notify_debouncer_full::notify::event::{CreateKind, RemoveKind, RenameMode};
        let site = Path::new("/site");
        let event = |kind, path: &str| {
            DebouncedEvent::new(
                Event::new(kind).add_path(PathBuf::from(path)),
                std::time::Instant::now(),
            )
        };
        let events = [
            event(EventKind::Remove(RemoveKind::Folder), "/site/templates"),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::From)),
                "/site/static",
            ),
            // Not watched folders of their own, or not removals.
            event(EventKind::Remove(RemoveKind::Folder), "/site/themes/mine"),
            event(EventKind::Remove(RemoveKind::Folder), "/site/public"),
            event(EventKind::Create(CreateKind::Folder), "/site/content"),
        ];
        assert_eq!(
            removed_folders(site, &events),
            [
                PathBuf::from("/site/templates"),
                PathBuf::from("/site/static")
            ]
        );
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
