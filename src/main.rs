//! The `notion-bake` command line: the commands of DESIGN.md §3 on top of the library.

mod check;
mod cli;
mod init;
mod serve;

fn main() -> std::process::ExitCode {
    cli::main()
}
