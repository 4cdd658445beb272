//! The command line: argument parsing and one function per command.
//!
//! `main.rs` calls [`main`], which parses the arguments (clap prints usage errors and exits
//! 2), sets up logging on stderr, runs one function of [`commands`] and maps its outcome to
//! an exit code with [`exit_code_for`]: 0 success, 1 build error, 2 usage or config error.

pub mod commands;
mod logging;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{ArgAction, Parser, Subcommand, ValueHint};

pub use commands::{BuildOptions, ExportArgs, NotImplemented, UsageError, WouldChange};
use notion_bake::config::{
    BASE_URL_EXPECTED, ConfigError, MarkdownFlavor, RELATIVE_PATH_EXPECTED, Target,
};
use notion_bake::pipeline::{FetchOptions, MissingToken};

const AFTER_HELP: &str = "\
Environment:
  NOTION_TOKEN    Notion integration token (read from here only; never printed)
  NOTION_API_URL  overrides [notion] api_url in notion-bake.toml
  RUST_LOG        log filter, overrides -q/-v (e.g. notion_bake=debug)
  NO_COLOR        set to disable colour

Exit codes: 0 success, 1 build error, 2 usage or config error";

/// notion-bake: bake Notion pages and databases into a static website whose files never
/// expire.
#[derive(Debug, Parser)]
#[command(
    name = "notion-bake",
    version,
    propagate_version = true,
    after_help = AFTER_HELP
)]
struct Cli {
    /// Print only warnings and errors
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        display_order = 900
    )]
    quiet: bool,

    /// Print more: -v for debug output, -vv for trace output
    #[arg(short, long, global = true, action = ArgAction::Count, display_order = 901)]
    verbose: u8,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Scaffold a new site (notion-bake.toml, content/, templates/)
    Init {
        /// Folder to create the site in
        #[arg(value_name = "DIR", default_value = ".", value_hint = ValueHint::DirPath)]
        dir: PathBuf,
    },

    /// Fetch from Notion (incrementally), bake assets and render into SITE_DIR/public
    ///
    /// Without NOTION_TOKEN, builds from the cache snapshot. The output is swapped in only
    /// when the whole build succeeded.
    Build {
        /// Site folder holding notion-bake.toml
        #[arg(value_name = "SITE_DIR", default_value = ".", value_hint = ValueHint::DirPath)]
        site_dir: PathBuf,

        /// No network: build from the cache snapshot only
        #[arg(long, conflicts_with = "full")]
        offline: bool,

        /// Refetch every page, ignoring the cached page trees (files stay cached)
        #[arg(long)]
        full: bool,

        /// Output directory [default: SITE_DIR/public]
        #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
        out: Option<PathBuf>,

        /// Include unpublished posts
        #[arg(long)]
        drafts: bool,

        /// Finish the build past failed files (with placeholders), then exit 1
        #[arg(long)]
        keep_going: bool,

        /// Allow clearing an output folder notion-bake did not create
        #[arg(long)]
        force: bool,

        /// Base URL for this run, instead of the config's base_url (a deploy preview, a
        /// staging host, a local look: --base-url http://localhost:8000/)
        #[arg(long, value_name = "URL", value_parser = parse_base_url)]
        base_url: Option<url::Url>,
    },

    /// Fetch from Notion into the cache snapshot without rendering
    Pull {
        /// Site folder holding notion-bake.toml
        #[arg(value_name = "SITE_DIR", default_value = ".", value_hint = ValueHint::DirPath)]
        site_dir: PathBuf,

        /// Refetch every page, ignoring the cached page trees (files stay cached)
        #[arg(long)]
        full: bool,

        /// Fetch unpublished posts too
        #[arg(long)]
        drafts: bool,
    },

    /// Manage the cache in SITE_DIR/.notion-bake
    #[command(subcommand)]
    Cache(CacheCommand),

    /// Build, serve on 127.0.0.1, watch for changes and live-reload
    Serve {
        /// Site folder holding notion-bake.toml
        #[arg(value_name = "SITE_DIR", default_value = ".", value_hint = ValueHint::DirPath)]
        site_dir: PathBuf,

        /// Port to listen on
        #[arg(long, value_name = "N")]
        port: Option<u16>,

        /// Open the site in the browser
        #[arg(long)]
        open: bool,

        /// Include unpublished posts
        #[arg(long)]
        drafts: bool,

        /// No network: serve the cache snapshot, never ask Notion for edits
        #[arg(long)]
        offline: bool,

        /// Base URL of the preview's links instead of the local address (a proxy or tunnel in
        /// front of it)
        #[arg(long, value_name = "URL", value_parser = parse_base_url)]
        base_url: Option<url::Url>,

        /// Also receive Notion's webhook events on ADDR (e.g. 127.0.0.1:9000) and rebuild
        /// from Notion on each edit, as `notion-bake webhook` does
        #[arg(long, value_name = "ADDR", conflicts_with = "offline")]
        webhook: Option<SocketAddr>,
    },

    /// Write the Notion content and its baked files into a Hugo, Zola, mdBook or Markdown
    /// project (plugin mode)
    ///
    /// Writes only files it owns (listed in SITE_DIR/.notion-bake/export-<target>.json): a
    /// re-export changes only what changed in Notion, removes what was deleted there, and
    /// never touches a file it did not write. --to, --into, --section and --flavor default to
    /// the [export] table of notion-bake.toml.
    Export {
        /// Site folder holding notion-bake.toml
        #[arg(value_name = "SITE_DIR", default_value = ".", value_hint = ValueHint::DirPath)]
        site_dir: PathBuf,

        /// The generator: hugo, zola, mdbook or markdown [default: [export] to]
        #[arg(long, value_name = "GENERATOR", value_parser = parse_target)]
        to: Option<Target>,

        /// The generator's project root [default: [export] into]
        #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
        into: Option<PathBuf>,

        /// Folder of the generator's content for the posts [default: [export] section, or
        /// the blog's path]
        #[arg(long, value_name = "PATH", value_parser = parse_section)]
        section: Option<String>,

        /// File naming of the markdown target: plain, or jekyll (_posts/YYYY-MM-DD-slug.md)
        #[arg(long, value_name = "FLAVOR", value_parser = parse_flavor)]
        flavor: Option<MarkdownFlavor>,

        /// Print what would be created, updated and deleted, change nothing; exit 1 when
        /// something would change
        #[arg(long, conflicts_with = "watch")]
        dry_run: bool,

        /// Include unpublished posts
        #[arg(long)]
        drafts: bool,

        /// No network: export from the cache snapshot only
        #[arg(long, conflicts_with_all = ["full", "watch"])]
        offline: bool,

        /// Refetch every page, ignoring the cached page trees (files stay cached)
        #[arg(long)]
        full: bool,

        /// Keep polling Notion (every NOTION_BAKE_POLL_SECONDS, default 30) and re-export
        /// what changed, until Ctrl-C
        #[arg(long)]
        watch: bool,

        /// Replace files in the way that the export did not write
        #[arg(long)]
        force: bool,

        /// Export past failed files (they are left out), then exit 1
        #[arg(long)]
        keep_going: bool,

        /// Base URL for this run, instead of the config's base_url (a deploy preview, a
        /// staging host, a local look: --base-url http://localhost:8000/)
        #[arg(long, value_name = "URL", value_parser = parse_base_url)]
        base_url: Option<url::Url>,
    },

    /// Check the config, the token and access to every source, then audit the built site
    Check {
        /// Site folder holding notion-bake.toml
        #[arg(value_name = "SITE_DIR", default_value = ".", value_hint = ValueHint::DirPath)]
        site_dir: PathBuf,
    },

    /// Tell whether a build would change the site: compare Notion with the last build's
    /// snapshot
    ///
    /// Lists what is new, edited, removed or unpublished, with titles, and how many Notion
    /// requests it took: one per 100 rows of the blog, one per page, one query per database
    /// inside a page (a post gone from the blog costs one more, to tell trashed from
    /// unpublished). Exits 0 when the site is up to date, 1 when a build would change it, 2
    /// on any error (like `git diff --exit-code`).
    ///
    /// Notion rounds last_edited_time down to the minute, so a page edited in the same
    /// minute as the last fetch cannot be told from an unchanged one: it counts as edited
    /// until a build fetches it two minutes or more after the minute of its last edit.
    Status {
        /// Site folder holding notion-bake.toml
        #[arg(value_name = "SITE_DIR", default_value = ".", value_hint = ValueHint::DirPath)]
        site_dir: PathBuf,

        /// Print the changes as JSON ({"up_to_date", "changes", "requests"})
        #[arg(long)]
        json: bool,

        /// Compare with what `build --drafts` would publish
        #[arg(long)]
        drafts: bool,
    },

    /// Receive Notion's webhook events and run a build or a deploy hook after each edit
    ///
    /// Listens for POSTs on any path of ADDR. The first one, Notion's verification request,
    /// carries the subscription's verification token: it is stored in
    /// SITE_DIR/.notion-bake/webhook-token (mode 0600, never replaced: delete the file to
    /// accept a new one) and printed once on stdout, to paste into Notion. Every later
    /// request must be signed with it (X-Notion-Signature), or it is refused with 401; bodies
    /// over 1 MiB get 413. Events about pages outside the site (by the ids of the last
    /// snapshot and the config) are answered 200 and ignored. After a burst of events goes
    /// quiet for --debounce, one action runs; events during a run make exactly one more run.
    /// Nothing from an event reaches the action.
    Webhook {
        /// Site folder holding notion-bake.toml
        #[arg(value_name = "SITE_DIR", default_value = ".", value_hint = ValueHint::DirPath)]
        site_dir: PathBuf,

        /// Address to listen on, e.g. 127.0.0.1:9000 behind a reverse proxy or tunnel
        #[arg(long, value_name = "ADDR")]
        listen: SocketAddr,

        /// Run CMD with `sh -c` in SITE_DIR, e.g. "notion-bake build && rsync -a public/ host:www/"
        #[arg(long, value_name = "CMD", required_unless_present = "dispatch")]
        exec: Option<String>,

        /// POST to a deploy hook: a Netlify, Cloudflare Pages or Vercel build hook (an empty
        /// POST), or GitHub's https://api.github.com/repos/OWNER/REPO/dispatches (with
        /// {"event_type": "notion-bake"})
        #[arg(long, value_name = "URL", conflicts_with = "exec")]
        dispatch: Option<url::Url>,

        /// Name of the environment variable holding the token sent to --dispatch as
        /// `Authorization: Bearer …` (e.g. GITHUB_TOKEN)
        #[arg(long, value_name = "VAR", requires = "dispatch")]
        dispatch_token_env: Option<String>,

        /// How long events must stay quiet before the action runs (at most six times this
        /// while they keep coming): 10s, 500ms, 2m
        #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
        debounce: Duration,
    },
}

#[derive(Debug, Subcommand)]
enum CacheCommand {
    /// Drop cached files and image variants that no page references
    Gc {
        /// Site folder holding notion-bake.toml
        #[arg(value_name = "SITE_DIR", default_value = ".", value_hint = ValueHint::DirPath)]
        site_dir: PathBuf,
    },
}

/// Parses the arguments, runs the command and maps its outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and exit 0; usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let colour = logging::stderr_has_colour();
    logging::init(cli.quiet, cli.verbose, colour);
    // `status` keeps 1 for "a build would change the site": every error of it is 2.
    let status = matches!(cli.command, Command::Status { .. });
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        // The dry run (or status) listed the changes; exit 1 says there are some.
        Err(err) if err.is::<WouldChange>() => ExitCode::from(1),
        Err(err) => {
            report(&err, colour);
            ExitCode::from(if status { 2 } else { exit_code_for(&err) })
        }
    }
}

fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Init { dir } => commands::init(&dir),
        Command::Build {
            site_dir,
            offline,
            full,
            out,
            drafts,
            keep_going,
            force,
            base_url,
        } => commands::build(
            &site_dir,
            &BuildOptions {
                offline,
                full,
                out,
                drafts,
                keep_going,
                force,
                preview: false,
            },
            base_url.as_ref(),
        ),
        Command::Pull {
            site_dir,
            full,
            drafts,
        } => commands::pull(&site_dir, FetchOptions { full, drafts }),
        Command::Cache(CacheCommand::Gc { site_dir }) => commands::cache_gc(&site_dir),
        Command::Serve {
            site_dir,
            port,
            open,
            drafts,
            offline,
            base_url,
            webhook,
        } => commands::serve(
            &site_dir,
            &commands::ServeFlags {
                port,
                open,
                drafts,
                offline,
                base_url,
                webhook,
            },
        ),
        Command::Export {
            site_dir,
            to,
            into,
            section,
            flavor,
            dry_run,
            drafts,
            offline,
            full,
            watch,
            force,
            keep_going,
            base_url,
        } => commands::export(
            &site_dir,
            &ExportArgs {
                to,
                into,
                section,
                flavor,
                dry_run,
                drafts,
                offline,
                full,
                watch,
                force,
                keep_going,
                base_url,
            },
        ),
        Command::Check { site_dir } => commands::check(&site_dir),
        Command::Status {
            site_dir,
            json,
            drafts,
        } => commands::status(&site_dir, json, drafts),
        Command::Webhook {
            site_dir,
            listen,
            exec,
            dispatch,
            dispatch_token_env,
            debounce,
        } => commands::webhook(
            &site_dir,
            &commands::WebhookFlags {
                listen,
                exec,
                dispatch,
                dispatch_token_env,
                debounce,
            },
        ),
    }
}

/// `10s`, `500ms`, `2m` or a number of seconds.
fn parse_duration(value: &str) -> Result<Duration, String> {
    let value = value.trim();
    let (number, unit) = match value.find(|c: char| c.is_ascii_alphabetic()) {
        Some(at) => value.split_at(at),
        None => (value, "s"),
    };
    let seconds_per_unit = match unit {
        "ms" => 0.001,
        "s" => 1.0,
        "m" => 60.0,
        _ => return Err("expected a duration such as 10s, 500ms or 2m".to_owned()),
    };
    match number.trim().parse::<f64>() {
        Ok(n)
            if n >= 0.0
                && (n * seconds_per_unit).is_finite()
                && n * seconds_per_unit < 86_400.0 =>
        {
            Ok(Duration::from_secs_f64(n * seconds_per_unit))
        }
        _ => Err("expected a duration such as 10s, 500ms or 2m (under a day)".to_owned()),
    }
}

fn parse_target(name: &str) -> Result<Target, String> {
    Target::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Target::ALL.iter().map(|t| t.name()).collect();
        format!("expected one of {}", names.join(", "))
    })
}

fn parse_base_url(value: &str) -> Result<url::Url, String> {
    notion_bake::config::base_url(value).map_err(|problem| {
        // The problem starts by quoting the value, which clap's message does already.
        let quoted = format!("is {:?}, which ", value.trim());
        let problem = problem.strip_prefix(&quoted).unwrap_or(&problem);
        format!("{problem}; expected {BASE_URL_EXPECTED}")
    })
}

fn parse_flavor(name: &str) -> Result<MarkdownFlavor, String> {
    MarkdownFlavor::parse(name).ok_or_else(|| "expected plain or jekyll".to_owned())
}

fn parse_section(value: &str) -> Result<String, String> {
    notion_bake::config::relative_path(value)
        .map(str::to_owned)
        .map_err(|problem| {
            let problem = problem.strip_prefix("which ").unwrap_or(problem);
            format!("{problem}; expected {RELATIVE_PATH_EXPECTED}")
        })
}

/// The exit code for a failed command: 2 when a [`ConfigError`] (or [`NotImplemented`]) is
/// anywhere in the chain (usage/config error), 1 for everything else (build error).
pub fn exit_code_for(err: &anyhow::Error) -> u8 {
    let usage_or_config = err.chain().any(|cause| {
        cause.is::<ConfigError>()
            || cause.is::<NotImplemented>()
            || cause.is::<MissingToken>()
            || cause.is::<UsageError>()
    });
    if usage_or_config { 2 } else { 1 }
}

/// Prints `error: <message>` and one `  reason: <cause>` line per source, on stderr, with
/// every secret scrubbed (a cause may quote a server's answer).
fn report(err: &anyhow::Error, colour: bool) {
    let label = if colour {
        "\x1b[1;31merror\x1b[0m"
    } else {
        "error"
    };
    let mut text = format!("{label}: {}\n", indent(&err.to_string()));
    for cause in err.chain().skip(1) {
        text.push_str(&format!("  reason: {}\n", indent(&cause.to_string())));
    }
    if logging::in_github_actions() {
        let chain: Vec<String> = err.chain().map(ToString::to_string).collect();
        text.push_str(&logging::github_annotation("error", &chain.join("\n")));
    }
    let text = notion_bake::secrets::scrub(&text);
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Continuation lines of a multi-line message, indented under the first.
fn indent(message: &str) -> String {
    message.trim_end().replace('\n', "\n    ")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use anyhow::Context;
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn config_errors_anywhere_in_the_chain_exit_2() {
        let missing = || ConfigError::Missing {
            dir: PathBuf::from("site"),
        };
        assert_eq!(exit_code_for(&anyhow::Error::new(missing())), 2);
        let wrapped = Err::<(), _>(missing())
            .context("loading the site")
            .context("building")
            .unwrap_err();
        assert_eq!(exit_code_for(&wrapped), 2);
    }

    #[test]
    fn not_implemented_exits_2_and_other_errors_exit_1() {
        let err =
            commands::pull(Path::new("/nonexistent/site"), FetchOptions::default()).unwrap_err();
        assert_eq!(exit_code_for(&err), 2, "config error first: {err}");
        assert_eq!(
            exit_code_for(&anyhow::Error::new(NotImplemented { command: "build" })),
            2
        );
        let io = std::io::Error::other("disk full");
        assert_eq!(exit_code_for(&anyhow::Error::new(io)), 1);
        assert_eq!(exit_code_for(&anyhow::anyhow!("template error")), 1);
    }

    #[test]
    fn build_flags_reach_the_build_options() {
        let cli = Cli::try_parse_from([
            "notion-bake",
            "build",
            "site",
            "--full",
            "--out",
            "dist",
            "--drafts",
            "--keep-going",
            "--force",
            "-vv",
        ])
        .unwrap();
        assert_eq!(cli.verbose, 2);
        match cli.command {
            Command::Build {
                site_dir,
                offline,
                full,
                out,
                drafts,
                keep_going,
                force,
                base_url,
            } => {
                assert_eq!(site_dir, Path::new("site"));
                assert_eq!(base_url, None);
                assert!(!offline && full && drafts && keep_going && force);
                assert_eq!(out.as_deref(), Some(Path::new("dist")));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn site_dir_defaults_to_the_current_folder() {
        let cli = Cli::try_parse_from(["notion-bake", "cache", "gc"]).unwrap();
        match cli.command {
            Command::Cache(CacheCommand::Gc { site_dir }) => assert_eq!(site_dir, Path::new(".")),
            other => panic!("{other:?}"),
        }
        let cli = Cli::try_parse_from(["notion-bake", "serve", "--port", "8080", "--open"]);
        assert!(matches!(
            cli.unwrap().command,
            Command::Serve {
                port: Some(8080),
                open: true,
                ..
            }
        ));
    }

    #[test]
    fn serve_flags_reach_the_serve_command() {
        let cli = Cli::try_parse_from(["notion-bake", "serve", "site", "--drafts", "--offline"]);
        match cli.unwrap().command {
            Command::Serve {
                site_dir,
                port,
                open,
                drafts,
                offline,
                base_url,
                webhook,
            } => {
                assert_eq!(site_dir, Path::new("site"));
                assert!(drafts && offline && !open && port.is_none());
                assert_eq!(base_url, None);
                assert_eq!(webhook, None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn contradictory_flags_are_usage_errors() {
        for args in [
            &["notion-bake", "build", "--offline", "--full"][..],
            &["notion-bake", "-q", "-v", "check"][..],
            &["notion-bake", "serve", "--port", "99999"][..],
            &[
                "notion-bake",
                "export",
                "--to",
                "hugo",
                "--dry-run",
                "--watch",
            ][..],
            &[
                "notion-bake",
                "export",
                "--to",
                "hugo",
                "--offline",
                "--watch",
            ][..],
            &["notion-bake", "export", "--to", "gatsby"][..],
            &["notion-bake", "build", "--base-url", "example.org/blog"][..],
            &["notion-bake", "serve", "--base-url", "ftp://example.org/"][..],
            &[
                "notion-bake",
                "export",
                "--to",
                "zola",
                "--section",
                "../up",
            ][..],
            &[
                "notion-bake",
                "export",
                "--to",
                "markdown",
                "--flavor",
                "hexo",
            ][..],
        ] {
            let err = Cli::try_parse_from(args).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{args:?}");
        }
    }

    #[test]
    fn export_flags_reach_the_export_arguments() {
        let cli = Cli::try_parse_from([
            "notion-bake",
            "export",
            "--to",
            "Markdown",
            "site",
            "--into",
            "../blog",
            "--section",
            "/notes/",
            "--flavor",
            "jekyll",
            "--dry-run",
            "--drafts",
        ])
        .unwrap();
        let Command::Export {
            site_dir,
            to,
            into,
            section,
            flavor,
            dry_run,
            drafts,
            offline,
            watch,
            ..
        } = cli.command
        else {
            panic!("not an export");
        };
        assert_eq!(site_dir, Path::new("site"));
        assert_eq!(to, Some(Target::Markdown));
        assert_eq!(into.as_deref(), Some(Path::new("../blog")));
        assert_eq!(section.as_deref(), Some("notes"));
        assert_eq!(flavor, Some(MarkdownFlavor::Jekyll));
        assert!(dry_run && drafts && !offline && !watch);
    }

    #[test]
    fn webhook_flags_and_durations() {
        let cli = Cli::try_parse_from([
            "notion-bake",
            "webhook",
            "site",
            "--listen",
            "127.0.0.1:9000",
            "--dispatch",
            "https://api.github.com/repos/o/r/dispatches",
            "--dispatch-token-env",
            "GITHUB_TOKEN",
            "--debounce",
            "500ms",
        ])
        .unwrap();
        let Command::Webhook {
            listen,
            exec,
            dispatch_token_env,
            debounce,
            ..
        } = cli.command
        else {
            panic!("not a webhook");
        };
        assert_eq!(listen.port(), 9000);
        assert_eq!(exec, None);
        assert_eq!(dispatch_token_env.as_deref(), Some("GITHUB_TOKEN"));
        assert_eq!(debounce, Duration::from_millis(500));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        for bad in ["-1s", "10h", "s", "1e9s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        for args in [
            &["notion-bake", "webhook", "--listen", "127.0.0.1:1"][..],
            &["notion-bake", "webhook", "--exec", "true"][..],
            &[
                "notion-bake",
                "webhook",
                "--listen",
                "127.0.0.1:1",
                "--exec",
                "true",
                "--dispatch",
                "http://127.0.0.1:2/",
            ][..],
        ] {
            assert_eq!(
                Cli::try_parse_from(args).unwrap_err().exit_code(),
                2,
                "{args:?}"
            );
        }
    }

    #[test]
    fn multi_line_messages_stay_indented() {
        assert_eq!(indent("a\nb\n"), "a\n    b");
    }
}
