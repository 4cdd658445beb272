//! Writing `public/` atomically: the whole site goes into a staging folder beside it, which
//! replaces the old folder only when everything was written. A failed build leaves the
//! previous output untouched.
//!
//! Unchanged files keep their mtime (they are hard-linked from the previous output, which the
//! swap then removes), so a deploy that compares mtimes or hashes uploads only what changed.
//! Every file is 0644 and every folder 0755, and none shares its inode with the cache (see
//! `publish`).

mod audit;
mod owned;
mod publish;
mod redirects;

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};

use crate::render::OutputFile;

pub use audit::audit;
pub use owned::Changes;
pub(crate) use owned::{OwnedManifest, PageUrls, write_owned};
pub(crate) use redirects::{UrlHistory, add_moved_pages, current_pages, live_paths};

/// The file that marks a folder as notion-bake's output, so it may be replaced.
const MARKER: &str = ".notion-bake-output";

/// What writing the output did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WriteReport {
    /// Files new or changed since the previous output.
    pub written: usize,
    /// Files identical to the previous output (kept with their mtime).
    pub unchanged: usize,
}

/// Refuses output folders whose replacement would destroy something that is not a build.
pub(crate) fn check_output_dir(out: &Path, site_dir: &Path, force: bool) -> anyhow::Result<()> {
    let out_abs = absolute(out)?;
    let site_abs = absolute(site_dir)?;
    if out_abs.parent().is_none() {
        bail!("refusing to use / as the output folder");
    }
    if site_abs.starts_with(&out_abs) {
        bail!(
            "refusing to replace {}: it contains the site folder {}; choose another --out",
            out.display(),
            site_dir.display()
        );
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && absolute(&home).is_ok_and(|home| home.starts_with(&out_abs))
    {
        bail!(
            "refusing to replace {}: it contains your home folder; choose another --out",
            out.display()
        );
    }
    let has_content = std::fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_some());
    if has_content && !out.join(MARKER).is_file() && !force {
        bail!(
            "{} already holds files that notion-bake did not write (no {MARKER} marker); \
             choose another --out, empty it, or pass --force to replace it",
            out.display()
        );
    }
    Ok(())
}

/// How [`write_site_placing`] puts a cache file into the output.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// A file of its own (what builds do).
    Copy,
    /// A hard link into the cache, as versions before 0.1 published: kept only so the site
    /// bench can time both ways on the same output. Never used by a build.
    HardLink,
}

/// Writes `files` as the new content of `out`, atomically.
pub fn write_site(out: &Path, files: &[OutputFile]) -> anyhow::Result<WriteReport> {
    write_site_placing(out, files, Placement::Copy)
}

/// [`write_site`], placing cache files as `placement` says.
#[doc(hidden)]
pub fn write_site_placing(
    out: &Path,
    files: &[OutputFile],
    placement: Placement,
) -> anyhow::Result<WriteReport> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("public");
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.staging-"))
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a staging folder in {}", parent.display()))?;
    publish::set_dir_mode(staging.path())?;
    let mut report = WriteReport::default();
    for file in files {
        let relative = safe_relative(file.path())?;
        let target = staging.path().join(&relative);
        if let Some(dir) = target.parent() {
            publish::create_dirs(dir)?;
        }
        let previous = out.join(&relative);
        if unchanged(file, &previous) && keep_previous(&previous, &target)? {
            report.unchanged += 1;
            continue;
        }
        match file {
            OutputFile::Generated { bytes, .. } => publish::write_new(&target, bytes)?,
            OutputFile::Copied { source, .. } => match placement {
                Placement::Copy => publish::copy_from_cache(source, &target)?,
                Placement::HardLink => std::fs::hard_link(source, &target).with_context(|| {
                    format!("cannot link {} to {}", source.display(), target.display())
                })?,
            },
            OutputFile::Seeded { .. } | OutputFile::Region { .. } => {
                bail!("{} is an export file, not part of a site", file.path())
            }
        }
        report.written += 1;
    }
    publish::write_new(
        &staging.path().join(MARKER),
        b"This folder is notion-bake's output: `notion-bake build` replaces it as a whole.\n",
    )?;
    swap_in(staging.keep(), out)?;
    Ok(report)
}

/// Moves an unchanged file of the previous output into the staging folder with a hard link,
/// keeping its mtime; the swap removes the old name, so the file ends with one link again.
/// A file with other links (an output of a version that hard-linked from the cache) is left
/// for a fresh copy. Returns whether the file was kept.
fn keep_previous(previous: &Path, target: &Path) -> anyhow::Result<bool> {
    if !publish::single_link(previous) || std::fs::hard_link(previous, target).is_err() {
        return Ok(false);
    }
    // An output written under a tight umask by an older version gets readable modes now.
    publish::set_file_mode(target)?;
    Ok(true)
}

/// Whether `previous` already holds exactly this file's bytes.
fn unchanged(file: &OutputFile, previous: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(previous) else {
        return false;
    };
    match file {
        OutputFile::Generated { bytes, .. } => {
            meta.len() == bytes.len() as u64
                && std::fs::read(previous).is_ok_and(|old| old == *bytes)
        }
        // Copies of cache files carry the cache file's mtime, and cache files are never
        // rewritten: the same size and mtime mean the same bytes, unless someone edited the
        // published copy in place (which changes its mtime).
        OutputFile::Copied { source, .. } => publish::same_copy(source, previous),
        OutputFile::Seeded { .. } | OutputFile::Region { .. } => false,
    }
}

/// Replaces `out` by `staging`: the old folder is moved aside, the new one renamed in, the old
/// one removed.
fn swap_in(staging: PathBuf, out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("public");
        let old = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(parent)?
            .keep();
        std::fs::remove_dir(&old)?;
        std::fs::rename(out, &old)
            .with_context(|| format!("cannot move {} aside", out.display()))?;
        if let Err(error) = std::fs::rename(&staging, out) {
            // Put the previous output back; the build failed.
            std::fs::rename(&old, out).ok();
            std::fs::remove_dir_all(&staging).ok();
            return Err(error)
                .with_context(|| format!("cannot move the new site into {}", out.display()));
        }
        std::fs::remove_dir_all(&old).ok();
    } else {
        std::fs::rename(&staging, out)
            .with_context(|| format!("cannot create {}", out.display()))?;
    }
    Ok(())
}

/// A site path as a relative file path, refusing anything that could leave the output folder.
pub(crate) fn safe_relative(path: &str) -> anyhow::Result<PathBuf> {
    let relative = PathBuf::from(path.trim_start_matches('/'));
    let clean = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !clean || relative.as_os_str().is_empty() {
        bail!("refusing to write the output file {path:?}: not a plain relative path");
    }
    Ok(relative)
}

fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    let absolute =
        std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    // Resolve symlinks where the path exists, so `out` cannot sneak around the checks.
    Ok(absolute.canonicalize().unwrap_or(absolute))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(path: &str, text: &str) -> OutputFile {
        OutputFile::Generated {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_then_keeps_unchanged_files_and_drops_stale_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let report = write_site(
            &out,
            &[
                generated("index.html", "a"),
                generated("posts/x/index.html", "x"),
            ],
        )
        .unwrap();
        assert_eq!(
            report,
            WriteReport {
                written: 2,
                unchanged: 0
            }
        );
        let before = std::fs::metadata(out.join("index.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let report = write_site(
            &out,
            &[
                generated("index.html", "a"),
                generated("posts/y/index.html", "y"),
            ],
        )
        .unwrap();
        assert_eq!(
            report,
            WriteReport {
                written: 1,
                unchanged: 1
            }
        );
        let after = std::fs::metadata(out.join("index.html"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after, "an unchanged file keeps its mtime");
        assert!(!out.join("posts/x").exists());
        assert!(out.join(MARKER).is_file());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(
            leftovers.len(),
            1,
            "no staging or old folder is left behind"
        );
    }

    /// The bench's hard-link placement must really link (or its figure means nothing), and
    /// builds must never.
    #[cfg(unix)]
    #[test]
    fn only_the_bench_placement_links_into_the_cache() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("cached.webp");
        std::fs::write(&source, b"variant").unwrap();
        let files = [OutputFile::Copied {
            path: "assets/a.webp".into(),
            source: source.clone(),
        }];
        let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
        for (placement, linked) in [(Placement::Copy, false), (Placement::HardLink, true)] {
            let out = dir.path().join(format!("{placement:?}"));
            write_site_placing(&out, &files, placement).unwrap();
            let published = out.join("assets/a.webp");
            assert_eq!(std::fs::read(&published).unwrap(), b"variant");
            assert_eq!(inode(&published) == inode(&source), linked, "{placement:?}");
        }
    }

    #[test]
    fn dangerous_output_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        assert!(
            check_output_dir(dir.path(), &site, true).is_err(),
            "contains the site"
        );
        assert!(check_output_dir(&site, &site, true).is_err(), "is the site");
        assert!(check_output_dir(Path::new("/"), &site, true).is_err());
        let foreign = dir.path().join("docs");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
        let error = check_output_dir(&foreign, &site, false).unwrap_err();
        assert!(error.to_string().contains("--force"), "{error}");
        assert!(check_output_dir(&foreign, &site, true).is_ok());
        assert!(check_output_dir(&dir.path().join("fresh"), &site, false).is_ok());
    }

    #[test]
    fn paths_cannot_leave_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        assert!(write_site(&out, &[generated("../evil", "x")]).is_err());
        assert!(!out.exists(), "a failed write leaves no output");
    }
}
