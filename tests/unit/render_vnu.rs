//! HTML validity: the kitchen-sink site through the real templates, checked by the Nu HTML
//! Checker (see `support::vnu` for where the jar comes from and the one filtered message).

use super::support;

use super::sample::render_sample_site;

#[test]
fn kitchen_sink_site_is_valid_html() {
    let dir = tempfile::tempdir().unwrap();
    render_sample_site(dir.path(), false).unwrap();
    let Some(errors) = support::vnu::errors_in(dir.path(), "kitchen_sink_site_is_valid_html")
    else {
        return;
    };
    assert!(
        errors.is_empty(),
        "the Nu HTML Checker found errors:\n{}",
        errors.join("\n")
    );
}
