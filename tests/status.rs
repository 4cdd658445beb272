//! `notion-bake status`: the real binary against the fake Notion server. What a build would
//! change is named, the request count is printed and exact, and the exit code says it all
//! (0 up to date, 1 a build would change the site, 2 an error).

mod support;

use std::path::Path;
use std::process::{Command, Output};

use chrono::{SubsecRound, Timelike, Utc};
use serde_json::{Value, json};
use support::{Endpoint, FakeNotion, Workspace, blocks as b};

struct Site {
    server: FakeNotion,
    dir: tempfile::TempDir,
    posts: Vec<String>,
    about: String,
    first_book: String,
    blog: support::DbRef,
    reading: support::DbRef,
}

/// A blog of three published posts and one draft, an "About" page, and a "Library" page
/// showing a database of one row.
fn site() -> Site {
    let mut ws = Workspace::new();
    let blog = ws.add_database(
        "Field Notes",
        &[("Published", "checkbox"), ("Date", "date")],
    );
    let posts = [
        ("First light", true),
        ("Heron count", true),
        ("Tide table", true),
        ("Half a thought", false),
    ]
    .iter()
    .map(|(title, published)| {
        ws.add_row(
            &blog,
            json!({"Name": title, "Published": published, "Date": "2026-03-01"}),
            vec![b::paragraph(format!("The body of {title}."))],
        )
    })
    .collect();
    let about = ws.add_page("About", vec![b::paragraph("Who writes this.")]);
    let library = ws.add_page("Library", vec![b::paragraph("Our shelves.")]);
    let reading = ws.add_child_database(&library, "Reading list", &[("Year", "number")]);
    let first_book = ws.add_row(
        &reading,
        json!({"Name": "First book", "Year": 2021}),
        vec![b::paragraph("A first read.")],
    );
    let server = FakeNotion::start_blocking(ws);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("notion-bake.toml"),
        format!(
            "title = \"Field Notes\"\nbase_url = \"https://example.org/\"\n\
             [notion]\nrequests_per_second = 500\n[blog]\ndatabase = \"{}\"\n\
             [[pages]]\nid = \"{about}\"\npath = \"about\"\n\
             [[pages]]\nid = \"{library}\"\npath = \"library\"\n",
            blog.database_id
        ),
    )
    .unwrap();
    Site {
        server,
        dir,
        posts,
        about,
        first_book,
        blog,
        reading,
    }
}

fn notion_bake(site: &Site, api_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .args(args)
        .arg(site.dir.path())
        .env_remove("RUST_LOG")
        .env("NOTION_TOKEN", site.server.token())
        .env("NOTION_API_URL", api_url)
        .output()
        .unwrap()
}

fn build(site: &Site) {
    let out = notion_bake(site, &site.server.url(), &["build"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// `status` (with `extra` flags): its exit code and stdout.
fn status(site: &Site, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["status"];
    args.extend_from_slice(extra);
    let out = notion_bake(site, &site.server.url(), &args);
    let code = out.status.code().unwrap_or(-1);
    (code, text(&out.stdout) + &text(&out.stderr))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn status_names_every_change_a_build_would_make_and_exits_by_it() {
    let site = site();
    let (code, out) = status(&site, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("there is no snapshot yet"), "{out}");

    build(&site);
    site.server.reset_counters();
    let (code, out) = status(&site, &[]);
    assert_eq!(code, 0, "{out}");
    // The blog's query, About, Library, and the query of the database on Library.
    assert!(out.contains("up to date (4 Notion requests)"), "{out}");
    assert_eq!(site.server.total_requests(), 4);
    assert_eq!(site.server.requests(Endpoint::Query), 2);
    // The blog's rows come with their title only.
    let blog_query = site
        .server
        .request_log()
        .into_iter()
        .find(|r| r.endpoint == Endpoint::Query && r.path.contains(&site.blog.data_source_id))
        .expect("the blog was queried");
    assert_eq!(blog_query.query, "filter_properties=title");

    // Every kind of change at once.
    site.server
        .replace_blocks(&site.posts[0], vec![b::paragraph("Edited in Notion.")]);
    site.server.with_workspace(|ws| {
        ws.add_row(
            &site.blog,
            json!({"Name": "Dawn chorus", "Published": true, "Date": "2026-03-02"}),
            vec![b::paragraph("Wrens first.")],
        )
    });
    site.server.trash(&site.posts[1]);
    site.server.edit_page(&site.posts[2], |page| {
        page["properties"]["Published"]["checkbox"] = json!(false);
    });
    site.server
        .replace_blocks(&site.about, vec![b::paragraph("Who writes this now.")]);
    site.server
        .replace_blocks(&site.first_book, vec![b::paragraph("Read again.")]);
    let second_book = site.server.with_workspace(|ws| {
        ws.add_row(
            &site.reading,
            json!({"Name": "Second book", "Year": 2022}),
            vec![b::paragraph("A second read.")],
        )
    });

    let (code, out) = status(&site, &[]);
    assert_eq!(code, 1, "{out}");
    for line in [
        format!("edited      post \"First light\" ({})", site.posts[0]),
        "new         post \"Dawn chorus\"".to_owned(),
        format!(
            "removed     post \"Heron count\" ({}): trashed",
            site.posts[1]
        ),
        format!("unpublished post \"Tide table\" ({})", site.posts[2]),
        format!("edited      page \"About\" ({})", site.about),
        format!("edited      row \"First book\" ({})", site.first_book),
        format!("new         row \"Second book\" ({second_book})"),
        "a build would change the site: 7 change(s)".to_owned(),
    ] {
        assert!(out.contains(&line), "no {line:?} in\n{out}");
    }
    assert!(!out.contains("Half a thought"), "{out}");

    let (code, out) = status(&site, &["--json"]);
    assert_eq!(code, 1, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["up_to_date"], false);
    let kinds: Vec<(&str, &str)> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["change"].as_str().unwrap(), c["title"].as_str().unwrap()))
        .collect();
    for expected in [
        ("edited", "First light"),
        ("new", "Dawn chorus"),
        ("removed", "Heron count"),
        ("unpublished", "Tide table"),
        ("edited", "About"),
        ("edited", "First book"),
        ("new", "Second book"),
    ] {
        assert!(kinds.contains(&expected), "{expected:?} not in {kinds:?}");
    }
    assert!(report["requests"].as_u64().unwrap() >= 5, "{report}");

    build(&site);
    let (code, out) = status(&site, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("up to date"), "{out}");

    // The config alone can make a build change the site.
    let (code, out) = status(&site, &["--drafts"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("the snapshot has no unpublished posts yet"),
        "{out}"
    );
    let config = site.dir.path().join("notion-bake.toml");
    let toml = std::fs::read_to_string(&config).unwrap();
    let about = format!("[[pages]]\nid = \"{}\"\npath = \"about\"\n", site.about);
    std::fs::write(&config, toml.replace(&about, "")).unwrap();
    let (code, out) = status(&site, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "removed     page \"About\" ({}): no longer in the config",
            site.about
        )),
        "{out}"
    );
}

#[test]
fn a_page_edited_in_the_minute_of_the_last_fetch_counts_as_edited() {
    let site = site();
    // Notion's times are whole minutes: this edit is in the minute the build fetches in.
    let mut now = Utc::now().trunc_subsecs(0);
    now = now.with_second(0).unwrap();
    let stamp = now.format("%Y-%m-%dT%H:%M:00.000Z").to_string();
    site.server.edit_page(&site.about, |page| {
        page["last_edited_time"] = json!(stamp);
    });
    build(&site);
    let (code, out) = status(&site, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "edited      page \"About\" ({}): last edited in the minute of the last fetch",
            site.about
        )),
        "{out}"
    );
}

#[test]
fn an_unreachable_notion_or_a_missing_token_exits_2() {
    let site = site();
    build(&site);
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", dead.local_addr().unwrap());
    drop(dead);
    let out = notion_bake(&site, &url, &["status"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stdout).is_empty(), "{}", text(&out.stdout));

    let out = Command::new(env!("CARGO_BIN_EXE_notion-bake"))
        .arg("status")
        .arg(site.dir.path())
        .env_remove("NOTION_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(Path::new(site.dir.path()).join(".notion-bake").is_dir());
}

/// `examples/publish-on-edit.yml`: edits arrive as the `repository_dispatch` the webhook
/// receiver sends; the hourly run builds only when `status` does not say "up to date".
#[test]
fn the_publish_on_edit_workflow_builds_on_dispatch_and_gates_the_hourly_run_on_status() {
    use yaml_rust2::{Yaml, YamlLoader};
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/publish-on-edit.yml");
    let source = std::fs::read_to_string(&path).unwrap();
    let workflow = YamlLoader::load_from_str(&source).unwrap().remove(0);
    let on = &workflow["on"];
    // The event type the receiver's --dispatch sends to GitHub.
    assert_eq!(
        on["repository_dispatch"]["types"].as_vec().unwrap(),
        &[Yaml::String("notion-bake".into())]
    );
    assert!(!on["schedule"].is_badvalue());
    let jobs = &workflow["jobs"];
    assert_eq!(
        jobs["probe"]["if"].as_str(),
        Some("github.event_name == 'schedule'")
    );
    let action = |job: &str, command: &str| -> Yaml {
        jobs[job]["steps"]
            .as_vec()
            .unwrap()
            .iter()
            .find(|s| {
                s["uses"]
                    .as_str()
                    .is_some_and(|u| u.contains("/notion-bake@"))
                    && s["with"]["command"].as_str() == Some(command)
            })
            .unwrap_or_else(|| panic!("no notion-bake {command} step in {job}"))
            .clone()
    };
    let probe = action("probe", "status");
    assert_eq!(probe["continue-on-error"].as_bool(), Some(true));
    assert_eq!(probe["with"]["check"].as_bool(), Some(false));
    assert!(probe["env"]["NOTION_TOKEN"].as_str().is_some());
    let build = action("build", "build");
    assert!(build["env"]["NOTION_TOKEN"].as_str().is_some());
    let gate = jobs["build"]["if"].as_str().unwrap();
    assert!(
        gate.contains("always()") && gate.contains("needs.probe.outputs.stale == 'true'"),
        "{gate}"
    );

    // Every shell step parses; the decision maps the probe's outcome to `stale`.
    for job in ["probe", "build", "deploy"] {
        for step in jobs[job]["steps"].as_vec().unwrap() {
            if let Some(script) = step["run"].as_str() {
                let parsed = Command::new("bash")
                    .args(["-n", "-c", script])
                    .output()
                    .unwrap();
                assert!(
                    parsed.status.success(),
                    "{script}: {}",
                    text(&parsed.stderr)
                );
            }
        }
    }
    let decide = jobs["probe"]["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .find(|s| s["id"].as_str() == Some("decide"))
        .unwrap()["run"]
        .as_str()
        .unwrap()
        .to_owned();
    for (outcome, stale) in [("success", "false"), ("failure", "true")] {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("github_output");
        let ran = Command::new("bash")
            .args(["-e", "-c", &decide])
            .env("OUTCOME", outcome)
            .env("GITHUB_OUTPUT", &output)
            .output()
            .unwrap();
        assert!(ran.status.success(), "{}", text(&ran.stderr));
        assert_eq!(
            std::fs::read_to_string(&output).unwrap(),
            format!("stale={stale}\n"),
            "{outcome}"
        );
    }
}
