//! Tests of notion-bake's internals, compiled into the library's own test binary (so they can
//! reach what the library does not export): the renderer on the kitchen sink, XSS, templates.
//! The tests in `tests/*.rs` use the binary and the public API only.

#[path = "../support/mod.rs"]
mod support;

mod hostile_props;
mod render_blocks;
mod render_rich_text;
mod render_sample;
mod render_templates;
mod render_vnu;
mod render_xss;
pub(crate) mod sample;
