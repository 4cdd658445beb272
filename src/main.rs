//! The `notion-bake` command line: its commands on top of the library.

mod check;
mod cli;
mod init;
mod publish;
mod serve;
mod shutdown;

fn main() -> std::process::ExitCode {
    cli::main()
}
