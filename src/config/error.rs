//! `ConfigError`: what is wrong with a site's configuration, naming the file and the key.

use std::path::PathBuf;

/// A configuration problem. Every variant names the file (or environment variable) and, where
/// there is one, the key; the CLI maps any `ConfigError` to exit code 2.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The site folder has no `notion-bake.toml`.
    #[error("no notion-bake.toml in {}; run `notion-bake init` to create one", dir.display())]
    Missing {
        /// The site folder that was searched.
        dir: PathBuf,
    },

    /// The file exists but could not be read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The config file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },

    /// The file is not valid TOML, has an unknown key, a missing key or a value of the
    /// wrong type.
    #[error("{}{}: {}{message}", path.display(), position(*line, *column), in_key(key.as_deref()))]
    Parse {
        /// The config file.
        path: PathBuf,
        /// The dotted key, e.g. `blog.properties.titel` or `pages[1].id`, when known.
        key: Option<String>,
        /// 1-based line of the problem, when known.
        line: Option<usize>,
        /// 1-based column of the problem, when known.
        column: Option<usize>,
        /// The TOML parser's message.
        message: String,
    },

    /// A key has a value of the right type that is still wrong.
    #[error("{}: `{key}` {problem}; expected {expected}", path.display())]
    Invalid {
        /// The config file.
        path: PathBuf,
        /// The dotted key, e.g. `base_url` or `pages[0].id`.
        key: String,
        /// What is wrong with the value.
        problem: String,
        /// What would be right.
        expected: String,
    },

    /// An environment variable that overrides the config has an unusable value.
    #[error("environment variable {var} {problem}; expected {expected}")]
    InvalidEnv {
        /// The variable, e.g. `NOTION_API_URL`.
        var: &'static str,
        /// What is wrong with the value.
        problem: String,
        /// What would be right.
        expected: String,
    },
}

impl ConfigError {
    /// The key the error is about, when there is one.
    pub fn key(&self) -> Option<&str> {
        match self {
            ConfigError::Parse { key, .. } => key.as_deref(),
            ConfigError::Invalid { key, .. } => Some(key),
            ConfigError::InvalidEnv { var, .. } => Some(var),
            ConfigError::Missing { .. } | ConfigError::Read { .. } => None,
        }
    }
}

fn position(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(":{line}:{column}"),
        (Some(line), None) => format!(":{line}"),
        _ => String::new(),
    }
}

fn in_key(key: Option<&str>) -> String {
    key.map(|k| format!("in `{k}`: ")).unwrap_or_default()
}
