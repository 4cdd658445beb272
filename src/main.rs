fn main() -> std::process::ExitCode {
    notion_bake::cli::main()
}
