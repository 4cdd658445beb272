//! Block tree + rich text → HTML, and Tera page templates.
