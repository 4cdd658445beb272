//! The command line: argument parsing and one function per command.

/// Parses the arguments, runs the command and maps its outcome to an exit code.
pub fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(2)
}
