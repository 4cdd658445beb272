//! The mdBook preprocessor: `[preprocessor.notion-bake]` in `book.toml` (see
//! `notion_bake::export::preprocessor`).
fn main() -> std::process::ExitCode {
    notion_bake::export::preprocessor::main()
}
