//! The files under `examples/` that users copy must stay valid.

#[test]
fn the_github_actions_workflow_is_valid_yaml_with_a_cached_snapshot() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/github-pages.yml");
    let text = std::fs::read_to_string(path).unwrap();
    let docs = yaml_rust2::YamlLoader::load_from_str(&text).expect("valid YAML");
    let workflow = &docs[0];
    assert!(
        !workflow["on"]["schedule"].is_badvalue(),
        "runs on a schedule"
    );
    let steps = workflow["jobs"]["build"]["steps"].as_vec().unwrap();
    let cached = steps
        .iter()
        .any(|s| s["with"]["path"].as_str() == Some(".notion-bake"));
    assert!(cached, "the cache folder is kept between runs");
    let builds = steps.iter().any(|s| {
        s["run"]
            .as_str()
            .is_some_and(|r| r.contains("notion-bake build"))
    });
    assert!(builds);
}
