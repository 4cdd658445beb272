//! `notion-bake init`: a working site to start from (a commented `notion-bake.toml`, a Markdown
//! page in `content/`, a template override in `templates/`). It builds as it is, with no
//! Notion at all, and never overwrites a file.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// The scaffold: (path inside the site folder, contents).
pub const FILES: [(&str, &str); 4] = [
    ("notion-bake.toml", include_str!("init/notion-bake.toml")),
    ("content/about.md", include_str!("init/content/about.md")),
    (
        "templates/404.html",
        include_str!("init/templates/404.html"),
    ),
    (".gitignore", include_str!("init/gitignore")),
];

/// Writes the scaffold into `dir` (created if needed) and returns the files written. When
/// any of them exists already, nothing is written and the error names them all.
pub fn scaffold(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let existing: Vec<String> = FILES
        .iter()
        .map(|(path, _)| dir.join(path))
        .filter(|path| path.symlink_metadata().is_ok())
        .map(|path| path.display().to_string())
        .collect();
    if !existing.is_empty() {
        bail!(
            "refusing to overwrite {}; run `notion-bake init` in an empty folder, or move {} away",
            existing.join(", "),
            if existing.len() == 1 { "it" } else { "them" }
        );
    }
    let mut written = Vec::new();
    for (path, contents) in FILES {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        // `create_new`: a file that appeared meanwhile is still never overwritten.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut file| std::io::Write::write_all(&mut file, contents.as_bytes()))
            .with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// What to do next, for the terminal.
pub fn next_steps(dir: &Path) -> String {
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("  cd {}\n", dir.display())
    };
    format!(
        "Created a site in {dir}. Next steps:\n\
         {cd}\
         \x20 notion-bake serve            preview it at http://127.0.0.1:1111/ with live reload\n\
         \x20 notion-bake build            build it into public/\n\
         \n\
         To publish from Notion:\n\
         \x20 1. create an internal integration at https://www.notion.so/profile/integrations\n\
         \x20    and share your database and pages with it (••• → Connections);\n\
         \x20 2. export NOTION_TOKEN=ntn_…\n\
         \x20 3. set [blog] database and/or [[pages]] in notion-bake.toml;\n\
         \x20 4. notion-bake check          checks the token and access to every source",
        dir = dir.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scaffold_config_is_valid() {
        let (_, toml) = FILES[0];
        notion_bake::config::SiteConfig::from_toml_with_env(Path::new("site"), toml, &|_| None)
            .expect("the scaffold's notion-bake.toml loads");
    }

    #[test]
    fn an_existing_file_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/about.md"), "mine").unwrap();
        let err = scaffold(dir.path()).unwrap_err().to_string();
        assert!(err.contains("about.md"), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("content/about.md")).unwrap(),
            "mine"
        );
        assert!(!dir.path().join("notion-bake.toml").exists());
    }
}
