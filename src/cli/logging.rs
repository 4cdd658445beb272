//! Log output on stderr: plain lines, `warning:`/`error:` prefixes, colour only on a terminal.

use std::fmt;
use std::io::IsTerminal;

use tracing::{Event, Level, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// Whether stderr gets ANSI colour: it is a terminal, `NO_COLOR` is unset or empty, and
/// `TERM` is not `dumb`.
pub(crate) fn stderr_has_colour() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    std::io::stderr().is_terminal() && !no_color && !dumb
}

/// The filter for `-q`/`-v`: notion-bake's own events at the chosen level, other crates'
/// only from warnings (from info at `-vv`, everything at `-vvv`).
pub(crate) fn directives(quiet: bool, verbose: u8) -> &'static str {
    match (quiet, verbose) {
        (true, _) => "warn",
        (false, 0) => "warn,notion_bake=info",
        (false, 1) => "warn,notion_bake=debug",
        (false, 2) => "info,notion_bake=trace",
        (false, _) => "trace",
    }
}

/// Installs the stderr logger. `RUST_LOG`, when set and not empty, overrides `-q`/`-v`.
pub(crate) fn init(quiet: bool, verbose: u8, colour: bool) {
    let filter = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => EnvFilter::builder().parse_lossy(spec),
        _ => EnvFilter::new(directives(quiet, verbose)),
    };
    // A second initialisation (only possible in tests) keeps the first logger.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(colour)
        .with_env_filter(filter)
        .event_format(PlainFormat {
            colour,
            github: in_github_actions(),
        })
        .try_init();
}

/// Whether we run in GitHub Actions, where warnings and errors also become annotations.
pub(crate) fn in_github_actions() -> bool {
    std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true")
}

/// A GitHub Actions workflow command (`::warning::…`), with its message escaped as GitHub
/// requires so a multi-line message stays one annotation.
pub(crate) fn github_annotation(kind: &str, message: &str) -> String {
    let escaped = message
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    format!("::{kind}::{escaped}\n")
}

/// `message` for info, `warning: message`, `error: message`; debug and trace lines also name
/// their module, for whoever is debugging.
struct PlainFormat {
    colour: bool,
    /// Also print warnings and errors as GitHub Actions annotations.
    github: bool,
}

impl<S, N> FormatEvent<S, N> for PlainFormat
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let meta = event.metadata();
        let (label, style) = match *meta.level() {
            Level::ERROR => ("error", "\x1b[1;31m"),
            Level::WARN => ("warning", "\x1b[1;33m"),
            Level::INFO => ("", ""),
            Level::DEBUG => ("debug", "\x1b[2m"),
            Level::TRACE => ("trace", "\x1b[2m"),
        };
        if !label.is_empty() {
            if self.colour {
                write!(writer, "{style}{label}\x1b[0m: ")?;
            } else {
                write!(writer, "{label}: ")?;
            }
        }
        if *meta.level() >= Level::DEBUG {
            write!(writer, "[{}] ", meta.target())?;
        }
        let mut message = String::new();
        ctx.field_format()
            .format_fields(Writer::new(&mut message), event)?;
        // Whatever the message quotes (a server's answer, a URL), no secret is printed.
        let message = notion_bake::secrets::scrub(&message);
        writeln!(writer, "{message}")?;
        if self.github && *meta.level() <= Level::WARN {
            let kind = if *meta.level() == Level::ERROR {
                "error"
            } else {
                "warning"
            };
            write!(writer, "{}", github_annotation(kind, &message))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_annotations_stay_on_one_line() {
        assert_eq!(
            github_annotation("warning", "page \"A\": 100% broken\nsee above"),
            "::warning::page \"A\": 100%25 broken%0Asee above\n"
        );
    }

    #[test]
    fn quiet_and_verbose_choose_the_level() {
        assert_eq!(directives(true, 0), "warn");
        assert_eq!(directives(false, 0), "warn,notion_bake=info");
        assert_eq!(directives(false, 1), "warn,notion_bake=debug");
        assert_eq!(directives(false, 2), "info,notion_bake=trace");
        assert_eq!(directives(false, 5), "trace");
        for (q, v) in [(true, 0), (false, 0), (false, 1), (false, 2), (false, 3)] {
            EnvFilter::try_new(directives(q, v)).expect("valid directives");
        }
    }
}
