//! The crawl and the page-tree cache against the fake Notion server: what a cold pull fetches,
//! what a warm pull does not, both API versions, and snapshots left by interrupted runs.

mod support;

use std::collections::HashMap;
use std::time::Duration;

use notion_bake::cache::Snapshot;
use notion_bake::notion::client::{ClientOptions, NotionClient};
use notion_bake::notion::crawl::{
    BlogPlan, Crawl, CrawlPlan, CrawlReport, Manifest, SourceManifest, crawl,
};
use notion_bake::notion::ids::NotionId;
use notion_bake::notion::model::{Icon, plain_text};
use serde_json::{Value, json};
use support::fake_notion::{VERSION_2022, VERSION_2025, VERSION_2026};
use support::{DbRef, Endpoint, FakeNotion, Workspace, blocks as b};
use url::Url;

fn fast_client(fake: &FakeNotion, version: &str) -> NotionClient {
    let mut options = ClientOptions::new(Url::parse(&fake.url()).unwrap(), version, fake.token());
    options.requests_per_second = 1000.0;
    options.burst = 10;
    options.backoff_base = Duration::from_millis(5);
    options.retry_after_floor = Duration::from_millis(10);
    NotionClient::new(options).unwrap()
}

/// The ids of a small site.
struct Site {
    posts: DbRef,
    /// Published rows in query order: "One", "Three".
    published: Vec<String>,
    draft: String,
    /// A child page of a blog post (not part of the site).
    post_child: String,
    about: String,
    team: String,
    alice: String,
    contact: String,
    colophon: String,
    /// Not in the site: holds the original of the synced block shown on About.
    library: String,
}

/// A blog of three rows (one a draft); "About" with a four-level toggle tree, a synced copy and
/// child pages Team (with its own child Alice) and Contact; "Colophon" alone.
fn site_workspace() -> (Workspace, Site) {
    let mut ws = Workspace::new();
    let posts = ws.add_database("Posts", &[("Name", "title"), ("Published", "checkbox")]);
    let one = ws.add_row(
        &posts,
        json!({"Name": "One", "Published": true}),
        vec![b::paragraph("first post")],
    );
    let draft = ws.add_row(
        &posts,
        json!({"Name": "Two", "Published": false}),
        vec![b::paragraph("not yet")],
    );
    let three = ws.add_row(
        &posts,
        json!({"Name": "Three", "Published": true}),
        vec![b::paragraph("third post")],
    );
    let post_child = ws.add_child_page(&three, "Notes for post three", vec![b::paragraph("n")]);
    let library = ws.add_page(
        "Library",
        vec![b::with_id(
            b::synced_original(vec![b::paragraph("shared text")]),
            "synced-original",
        )],
    );
    let about = ws.add_page(
        "About",
        vec![
            b::paragraph("level 1"),
            b::toggle(
                "level 1 toggle",
                vec![b::toggle(
                    "level 2",
                    vec![b::toggle("level 3", vec![b::paragraph("level 4")])],
                )],
            ),
            b::synced_copy("synced-original"),
        ],
    );
    let team = ws.add_child_page(&about, "Team", vec![b::paragraph("we")]);
    let contact = ws.add_child_page(&about, "Contact", vec![]);
    let alice = ws.add_child_page(&team, "Alice", vec![b::paragraph("hi")]);
    let colophon = ws.add_page("Colophon", vec![b::paragraph("made with notion-bake")]);
    let site = Site {
        posts,
        published: vec![one, three],
        draft,
        post_child,
        about,
        team,
        alice,
        contact,
        colophon,
        library,
    };
    (ws, site)
}

fn plan(site: &Site, database: &str) -> CrawlPlan {
    CrawlPlan {
        blog: Some(BlogPlan {
            database: NotionId::parse(database).unwrap(),
            published_property: "Published".into(),
            include_drafts: false,
        }),
        pages: vec![
            (NotionId::parse(&site.about).unwrap(), "about".into()),
            (NotionId::parse(&site.colophon).unwrap(), "colophon".into()),
        ],
        full: false,
        databases: Default::default(),
    }
}

fn text_of(block: &Value) -> &str {
    let kind = block["type"].as_str().unwrap();
    block[kind]["rich_text"][0]["plain_text"]
        .as_str()
        .unwrap_or_default()
}

/// A stored tree as the JSON the snapshot holds (Notion's shape).
fn stored(snapshot: &Snapshot, id: &str) -> Value {
    serde_json::to_value(snapshot.load_tree(id).unwrap().unwrap()).unwrap()
}

fn counts(fake: &FakeNotion) -> HashMap<Endpoint, usize> {
    fake.requests_by_endpoint()
}

fn expected_pages(site: &Site) -> Vec<SourceManifest> {
    let entry = |id: &str, path: Option<&str>, parent: Option<&str>| SourceManifest {
        id: id.to_owned(),
        path: path.map(str::to_owned),
        parent: parent.map(str::to_owned),
        database: None,
    };
    vec![
        entry(&site.about, Some("about"), None),
        entry(&site.team, None, Some(&site.about)),
        entry(&site.alice, None, Some(&site.team)),
        entry(&site.contact, None, Some(&site.about)),
        entry(&site.colophon, Some("colophon"), None),
    ]
}

/// Blog rows and pages of the site, crawled cold under 2025-09-03 from the database id.
#[tokio::test]
async fn a_cold_crawl_fetches_published_posts_pages_and_child_pages_recursively() {
    let (ws, site) = site_workspace();
    let fake = FakeNotion::start(ws).await;
    let client = fast_client(&fake, VERSION_2025);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = Snapshot::new(dir.path());

    let Crawl {
        manifest, report, ..
    } = crawl(&client, &snapshot, &plan(&site, &site.posts.database_id))
        .await
        .unwrap();

    assert_eq!(
        report,
        CrawlReport {
            fetched: 7,
            reused: 0
        }
    );
    let blog = manifest.blog.as_ref().unwrap();
    assert_eq!(blog.posts, site.published);
    assert_eq!(blog.database_id, site.posts.database_id);
    assert_eq!(
        blog.data_source_id.as_deref(),
        Some(site.posts.data_source_id.as_str())
    );
    assert!(!blog.includes_drafts);
    // The database's title with the data source's schema.
    assert_eq!(plain_text(&blog.database.title), "Posts");
    assert_eq!(blog.database.properties["Published"].type_name, "checkbox");
    assert_eq!(manifest.pages, expected_pages(&site));
    assert_eq!(manifest.api_version, VERSION_2025);
    assert_eq!(snapshot.load_manifest().unwrap(), Some(manifest.clone()));

    // The draft and the blog post's child page are not fetched at all.
    assert_eq!(fake.requests_for(Endpoint::BlockChildren, &site.draft), 0);
    assert_eq!(fake.requests_for(Endpoint::Page, &site.post_child), 0);
    assert_eq!(
        fake.requests_for(Endpoint::BlockChildren, &site.post_child),
        0
    );
    assert!(snapshot.load_tree(&site.draft).unwrap().is_none());
    // The synced original's own page is not part of the site.
    assert_eq!(fake.requests_for(Endpoint::BlockChildren, &site.library), 0);

    let c = counts(&fake);
    assert_eq!(c[&Endpoint::Database], 1);
    assert_eq!(c[&Endpoint::DataSource], 1);
    assert_eq!(c[&Endpoint::Query], 1);
    // About, Colophon and the three child pages; the rows came with the query.
    assert_eq!(c[&Endpoint::Page], 5);
    // Posts 2; About 1 + 3 toggles + the synced copy; Team, Alice, Contact, Colophon 1 each.
    assert_eq!(c[&Endpoint::BlockChildren], 2 + 5 + 4);

    // Four levels of blocks, each beneath its parent.
    let about = stored(&snapshot, &site.about);
    assert_eq!(about["page"]["id"], site.about.as_str());
    let level2 = &about["blocks"][1]["children"][0];
    let level3 = &level2["children"][0];
    let level4 = &level3["children"][0];
    assert_eq!(
        [
            text_of(&about["blocks"][1]),
            text_of(level2),
            text_of(level3),
            text_of(level4)
        ],
        ["level 1 toggle", "level 2", "level 3", "level 4"]
    );
    // The synced copy shows the original's content.
    let copy = &about["blocks"][2];
    assert_eq!(copy["type"], "synced_block");
    assert!(copy["synced_block"]["synced_from"]["block_id"].is_string());
    assert_eq!(text_of(&copy["children"][0]), "shared text");
    // A child page block is a link, its content a page of its own.
    let child_block = about["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "child_page")
        .unwrap();
    assert!(child_block.get("children").is_none());
    let team = stored(&snapshot, &site.team);
    assert_eq!(text_of(&team["blocks"][0]), "we");
    let alice = stored(&snapshot, &site.alice);
    assert_eq!(text_of(&alice["blocks"][0]), "hi");
    let post = stored(&snapshot, &site.published[1]);
    assert_eq!(text_of(&post["blocks"][0]), "third post");
}

/// Crawls the site cold, then again warm; returns the warm manifest and report.
async fn cold_then_warm(
    fake: &FakeNotion,
    client: &NotionClient,
    snapshot: &Snapshot,
    plan: &CrawlPlan,
) -> (Manifest, CrawlReport) {
    let Crawl { manifest: cold, .. } = crawl(client, snapshot, plan).await.unwrap();
    fake.reset_counters();
    let Crawl {
        manifest: warm,
        report,
        ..
    } = crawl(client, snapshot, plan).await.unwrap();
    assert_eq!(warm.blog, cold.blog);
    assert_eq!(warm.pages, cold.pages);
    (warm, report)
}

#[tokio::test]
async fn a_warm_crawl_makes_no_children_requests_only_the_query_and_one_get_per_page() {
    let (ws, site) = site_workspace();
    let fake = FakeNotion::start(ws).await;
    let client = fast_client(&fake, VERSION_2025);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = Snapshot::new(dir.path());

    let (warm, report) = cold_then_warm(
        &fake,
        &client,
        &snapshot,
        &plan(&site, &site.posts.database_id),
    )
    .await;

    assert_eq!(
        report,
        CrawlReport {
            fetched: 0,
            reused: 7
        }
    );
    assert_eq!(warm.pages, expected_pages(&site));
    let c = counts(&fake);
    assert_eq!(c.get(&Endpoint::BlockChildren), None);
    assert_eq!(c[&Endpoint::Query], 1);
    assert_eq!(c[&Endpoint::Page], 5);
    assert_eq!(fake.total_requests(), 1 + 5, "{c:?}");
}

#[tokio::test]
async fn an_edit_refetches_that_page_only() {
    let (ws, site) = site_workspace();
    let fake = FakeNotion::start(ws).await;
    let client = fast_client(&fake, VERSION_2025);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = Snapshot::new(dir.path());
    let plan = plan(&site, &site.posts.database_id);
    crawl(&client, &snapshot, &plan).await.unwrap();

    // A child page's content changes.
    fake.replace_blocks(&site.contact, vec![b::paragraph("write to us")]);
    fake.reset_counters();
    let Crawl { report, .. } = crawl(&client, &snapshot, &plan).await.unwrap();
    assert_eq!(
        report,
        CrawlReport {
            fetched: 1,
            reused: 6
        }
    );
    assert_eq!(fake.requests(Endpoint::BlockChildren), 1);
    assert_eq!(fake.requests_for(Endpoint::BlockChildren, &site.contact), 1);
    let contact = stored(&snapshot, &site.contact);
    assert_eq!(text_of(&contact["blocks"][0]), "write to us");

    // A post's content changes: its row in the query says so.
    let post = &site.published[0];
    let block = fake.with_workspace(|ws| ws.children_of(post))[0].clone();
    fake.edit_block(&block, |b| {
        b["paragraph"]["rich_text"][0]["plain_text"] = json!("first post, edited");
        b["paragraph"]["rich_text"][0]["text"]["content"] = json!("first post, edited");
    });
    fake.reset_counters();
    let Crawl { report, .. } = crawl(&client, &snapshot, &plan).await.unwrap();
    assert_eq!(
        report,
        CrawlReport {
            fetched: 1,
            reused: 6
        }
    );
    assert_eq!(fake.requests(Endpoint::BlockChildren), 1);
    assert_eq!(fake.requests_for(Endpoint::BlockChildren, post), 1);
    let tree = stored(&snapshot, post);
    assert_eq!(text_of(&tree["blocks"][0]), "first post, edited");

    // A page with nested blocks is refetched whole, its nested blocks included.
    let toggle = fake.with_workspace(|ws| ws.children_of(&site.about))[1].clone();
    fake.edit_block(&toggle, |b| b["toggle"]["color"] = json!("red"));
    fake.reset_counters();
    let Crawl { report, .. } = crawl(&client, &snapshot, &plan).await.unwrap();
    assert_eq!(
        report,
        CrawlReport {
            fetched: 1,
            reused: 6
        }
    );
    assert_eq!(fake.requests(Endpoint::BlockChildren), 5);
    let about = stored(&snapshot, &site.about);
    assert_eq!(about["blocks"][1]["toggle"]["color"], "red");
}

#[tokio::test]
async fn full_refetches_every_tree_and_the_database() {
    let (ws, site) = site_workspace();
    let fake = FakeNotion::start(ws).await;
    let client = fast_client(&fake, VERSION_2025);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = Snapshot::new(dir.path());
    let mut plan = plan(&site, &site.posts.database_id);
    crawl(&client, &snapshot, &plan).await.unwrap();
    let cold_children = fake.requests(Endpoint::BlockChildren);

    // The database got an icon: a warm crawl keeps the stored database object (by design: the
    // query is its only request for the blog)…
    fake.with_workspace(|ws| ws.set_database_icon_cover(&site.posts, b::emoji("📝"), Value::Null));
    let Crawl { manifest, .. } = crawl(&client, &snapshot, &plan).await.unwrap();
    assert_eq!(manifest.blog.unwrap().database.icon, None);

    // …and `--full` fetches it again, with every tree.
    fake.reset_counters();
    plan.full = true;
    let Crawl {
        manifest, report, ..
    } = crawl(&client, &snapshot, &plan).await.unwrap();
    assert_eq!(
        report,
        CrawlReport {
            fetched: 7,
            reused: 0
        }
    );
    assert_eq!(fake.requests(Endpoint::BlockChildren), cold_children);
    assert_eq!(fake.requests(Endpoint::Database), 1);
    assert_eq!(fake.requests(Endpoint::DataSource), 1);
    assert_eq!(
        manifest.blog.as_ref().unwrap().database.icon,
        Some(Icon::Emoji("📝".into()))
    );
    assert_eq!(manifest.pages, expected_pages(&site));
}

#[tokio::test]
async fn the_2022_api_queries_the_database_itself() {
    let (ws, site) = site_workspace();
    let fake = FakeNotion::start(ws).await;
    let client = fast_client(&fake, VERSION_2022);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = Snapshot::new(dir.path());
    let plan = plan(&site, &site.posts.database_id);

    let Crawl {
        manifest, report, ..
    } = crawl(&client, &snapshot, &plan).await.unwrap();
    assert_eq!(report.fetched, 7);
    let blog = manifest.blog.as_ref().unwrap();
    assert_eq!(blog.posts, site.published);
    assert_eq!(blog.data_source_id, None);
    assert_eq!(blog.database.properties["Published"].type_name, "checkbox");
    assert_eq!(manifest.pages, expected_pages(&site));
    assert_eq!(fake.requests(Endpoint::DataSource), 0);
    let query = format!("/v1/databases/{}/query", site.posts.database_id);
    let log = fake.request_log();
    let queries: Vec<_> = log
        .iter()
        .filter(|r| r.endpoint == Endpoint::Query)
        .collect();
    assert_eq!(queries.len(), 1);
    assert_eq!(
        (queries[0].path.as_str(), queries[0].status),
        (query.as_str(), 200)
    );

    // Warm: the query and the page GETs, nothing else.
    fake.reset_counters();
    let Crawl { report, .. } = crawl(&client, &snapshot, &plan).await.unwrap();
    assert_eq!(
        report,
        CrawlReport {
            fetched: 0,
            reused: 7
        }
    );
    assert_eq!(fake.total_requests(), 1 + 5);

    // Switching API version rediscovers the blog (the data source is new) but reuses trees.
    let newer = fast_client(&fake, VERSION_2026);
    fake.reset_counters();
    let Crawl {
        manifest, report, ..
    } = crawl(&newer, &snapshot, &plan).await.unwrap();
    assert_eq!(
        report,
        CrawlReport {
            fetched: 0,
            reused: 7
        }
    );
    assert_eq!(
        manifest.blog.unwrap().data_source_id.as_deref(),
        Some(site.posts.data_source_id.as_str())
    );
    assert_eq!(fake.requests(Endpoint::DataSource), 1);
}

#[tokio::test]
async fn a_data_source_id_can_be_configured_directly() {
    let (ws, site) = site_workspace();
    let fake = FakeNotion::start(ws).await;
    let client = fast_client(&fake, VERSION_2025);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = Snapshot::new(dir.path());
    let plan = plan(&site, &site.posts.data_source_id);

    let Crawl { manifest, .. } = crawl(&client, &snapshot, &plan).await.unwrap();
    let blog = manifest.blog.as_ref().unwrap();
    assert_eq!(blog.posts, site.published);
    assert_eq!(blog.database_id, site.posts.database_id);
    assert_eq!(
        blog.data_source_id.as_deref(),
        Some(site.posts.data_source_id.as_str())
    );
    let query = format!("/v1/data_sources/{}/query", site.posts.data_source_id);
    assert!(
        fake.request_log()
            .iter()
            .any(|r| r.endpoint == Endpoint::Query && r.path == query && r.status == 200)
    );

    fake.reset_counters();
    let Crawl { report, .. } = crawl(&client, &snapshot, &plan).await.unwrap();
    assert_eq!(report.reused, 7);
    assert_eq!(fake.requests(Endpoint::Query), 1);
    assert_eq!(fake.total_requests(), 1 + 5);
}

#[tokio::test]
async fn a_missing_blog_database_names_the_id() {
    let (ws, site) = site_workspace();
    let fake = FakeNotion::start(ws).await;
    let dir = tempfile::tempdir().unwrap();
    let snapshot = Snapshot::new(dir.path());
    let missing = "5c6a2821-6bb1-4a7e-b6e1-c50111515c3d";
    for version in [VERSION_2022, VERSION_2025] {
        let client = fast_client(&fake, version);
        let error = crawl(&client, &snapshot, &plan(&site, missing))
            .await
            .unwrap_err();
        let message = format!("{error:#}");
        assert!(
            message.contains(&format!("database {missing}")),
            "{message}"
        );
        assert!(message.contains("share the page or database"), "{message}");
    }
}

/// A blog with a status property: only rows whose status is "Published" are posts.
fn status_blog(rows: usize) -> (Workspace, DbRef, Vec<String>, Vec<String>) {
    let mut ws = Workspace::new();
    let db = ws.add_database("Journal", &[("Name", "title"), ("State", "status")]);
    let mut published = Vec::new();
    let mut all = Vec::new();
    for i in 0..rows {
        let state = ["Published", "Draft", "In review"][i % 3];
        let id = ws.add_row(
            &db,
            json!({"Name": format!("Entry {i}"), "State": state}),
            vec![],
        );
        if state == "Published" {
            published.push(id.clone());
        }
        all.push(id);
    }
    (ws, db, published, all)
}

fn blog_only(database: &str, include_drafts: bool) -> CrawlPlan {
    CrawlPlan {
        blog: Some(BlogPlan {
            database: NotionId::parse(database).unwrap(),
            published_property: "State".into(),
            include_drafts,
        }),
        pages: vec![],
        full: false,
        databases: Default::default(),
    }
}

#[tokio::test]
async fn a_status_property_filters_on_published_and_drafts_come_when_asked() {
    let (ws, db, published, all) = status_blog(9);
    let fake = FakeNotion::start(ws).await;
    let client = fast_client(&fake, VERSION_2025);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = Snapshot::new(dir.path());

    let Crawl {
        manifest, report, ..
    } = crawl(&client, &snapshot, &blog_only(&db.database_id, false))
        .await
        .unwrap();
    assert_eq!(manifest.blog.as_ref().unwrap().posts, published);
    assert_eq!(report.fetched, 3);
    // The filter ran on the server: drafts were neither listed nor fetched.
    assert_eq!(fake.requests(Endpoint::Query), 1);
    assert_eq!(fake.requests(Endpoint::BlockChildren), 3);

    fake.reset_counters();
    let Crawl {
        manifest, report, ..
    } = crawl(&client, &snapshot, &blog_only(&db.database_id, true))
        .await
        .unwrap();
    let blog = manifest.blog.unwrap();
    assert_eq!(blog.posts, all);
    assert!(blog.includes_drafts);
    assert_eq!(
        report,
        CrawlReport {
            fetched: 6,
            reused: 3
        }
    );
}

#[tokio::test]
async fn drafts_of_a_checkbox_blog_come_when_asked() {
    let (ws, site) = site_workspace();
    let fake = FakeNotion::start(ws).await;
    let client = fast_client(&fake, VERSION_2022);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = Snapshot::new(dir.path());
    let mut plan = plan(&site, &site.posts.database_id);
    plan.blog.as_mut().unwrap().include_drafts = true;
    plan.pages.clear();

    let Crawl { manifest, .. } = crawl(&client, &snapshot, &plan).await.unwrap();
    let posts = manifest.blog.unwrap().posts;
    assert_eq!(
        posts,
        [
            site.published[0].clone(),
            site.draft.clone(),
            site.published[1].clone()
        ]
    );
    assert!(snapshot.load_tree(&site.draft).unwrap().is_some());
}

#[tokio::test]
async fn blogs_of_more_than_one_hundred_rows_are_crawled_whole() {
    let (ws, db, published, _) = status_blog(330);
    let fake = FakeNotion::start(ws).await;
    let client = fast_client(&fake, VERSION_2025);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = Snapshot::new(dir.path());

    let Crawl {
        manifest, report, ..
    } = crawl(&client, &snapshot, &blog_only(&db.data_source_id, false))
        .await
        .unwrap();
    assert_eq!(published.len(), 110);
    assert_eq!(manifest.blog.unwrap().posts, published);
    assert_eq!(report.fetched, 110);
    assert_eq!(fake.requests(Endpoint::Query), 2);
}

#[tokio::test]
async fn a_snapshot_left_by_an_interrupted_run_still_loads() {
    let (ws, site) = site_workspace();
    let fake = FakeNotion::start(ws).await;
    let client = fast_client(&fake, VERSION_2025);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = Snapshot::new(dir.path());
    let plan = plan(&site, &site.posts.database_id);
    crawl(&client, &snapshot, &plan).await.unwrap();

    // A run killed mid-write leaves temp files beside the real ones…
    let pages = snapshot.root().join("pages");
    std::fs::write(pages.join(".tmpK1ll3d"), b"{\"fetched_at\":").unwrap();
    std::fs::write(snapshot.root().join(".tmpAbCdEf"), b"{\"format\":1,").unwrap();
    // …and a page file cut short (a copy interrupted by hand, a full disk).
    let team = pages.join(format!("{}.json", site.team));
    let bytes = std::fs::read(&team).unwrap();
    std::fs::write(&team, &bytes[..bytes.len() / 2]).unwrap();

    fake.reset_counters();
    let Crawl {
        manifest, report, ..
    } = crawl(&client, &snapshot, &plan).await.unwrap();
    assert_eq!(
        report,
        CrawlReport {
            fetched: 1,
            reused: 6
        }
    );
    assert_eq!(fake.requests(Endpoint::BlockChildren), 1);
    assert_eq!(fake.requests_for(Endpoint::BlockChildren, &site.team), 1);
    assert_eq!(manifest.pages, expected_pages(&site));
    assert!(snapshot.load_tree(&site.team).unwrap().is_some());

    // A manifest cut short: the blog is discovered again, the trees are still reused.
    let path = snapshot.root().join("snapshot.json");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    assert_eq!(snapshot.load_manifest().unwrap(), None);
    fake.reset_counters();
    let Crawl {
        manifest, report, ..
    } = crawl(&client, &snapshot, &plan).await.unwrap();
    assert_eq!(
        report,
        CrawlReport {
            fetched: 0,
            reused: 7
        }
    );
    assert_eq!(manifest.blog.unwrap().posts, site.published);
    assert_eq!(fake.requests(Endpoint::BlockChildren), 0);
    assert_eq!(fake.requests(Endpoint::Database), 1);

    // An empty page file (killed between create and write, without the rename) too.
    std::fs::write(&team, b"").unwrap();
    fake.reset_counters();
    let Crawl { report, .. } = crawl(&client, &snapshot, &plan).await.unwrap();
    assert_eq!(
        report,
        CrawlReport {
            fetched: 1,
            reused: 6
        }
    );
}

#[tokio::test]
async fn a_crawl_through_injected_server_errors_gets_the_same_site() {
    let (ws, site) = site_workspace();
    let fake = FakeNotion::start(ws).await;
    let client = fast_client(&fake, VERSION_2025);
    let clean_dir = tempfile::tempdir().unwrap();
    let clean = Snapshot::new(clean_dir.path());
    let plan = plan(&site, &site.posts.database_id);
    let Crawl {
        manifest: expected, ..
    } = crawl(&client, &clean, &plan).await.unwrap();

    fake.set_seed(11);
    fake.set_error_rate(0.3);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = Snapshot::new(dir.path());
    let Crawl {
        manifest, report, ..
    } = crawl(&client, &snapshot, &plan).await.unwrap();
    assert_eq!(report.fetched, 7);
    // Byte for byte the same snapshot (no request ids stored).
    assert_eq!(manifest.blog, expected.blog);
    assert_eq!(manifest.pages, expected.pages);
    assert!(client.stats().retries > 0);
    for id in [&site.about, &site.team, &site.alice, &site.published[0]] {
        let (a, b) = (
            clean.load_tree(id).unwrap().unwrap(),
            snapshot.load_tree(id).unwrap().unwrap(),
        );
        assert_eq!((a.page, a.blocks), (b.page, b.blocks));
    }
}

#[tokio::test]
async fn a_crawl_through_a_rate_limit_completes() {
    let (ws, site) = site_workspace();
    let fake = FakeNotion::start(ws).await;
    fake.set_rate_limit(Some(10.0), 3);
    let client = fast_client(&fake, VERSION_2025);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = Snapshot::new(dir.path());

    let Crawl {
        manifest, report, ..
    } = crawl(&client, &snapshot, &plan(&site, &site.posts.database_id))
        .await
        .unwrap();
    assert_eq!(report.fetched, 7);
    assert_eq!(manifest.pages, expected_pages(&site));
    assert!(fake.rate_limited_count() > 0);
    assert_eq!(
        client.stats().rate_limited as usize,
        fake.rate_limited_count()
    );
}

#[tokio::test]
async fn a_child_page_moved_to_the_trash_leaves_the_site() {
    let (ws, site) = site_workspace();
    let fake = FakeNotion::start(ws).await;
    let client = fast_client(&fake, VERSION_2025);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = Snapshot::new(dir.path());
    let plan = plan(&site, &site.posts.database_id);
    crawl(&client, &snapshot, &plan).await.unwrap();

    // Trashing a child page changes the child page, not its parent: the parent's stored tree
    // still lists it, and Notion still answers GET page (with `in_trash: true`).
    fake.trash(&site.team);
    fake.reset_counters();
    let Crawl { manifest, .. } = crawl(&client, &snapshot, &plan).await.unwrap();
    let ids: Vec<&str> = manifest.pages.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, [&site.about, &site.contact, &site.colophon]);
    // Neither the trashed page's content nor its own child pages are fetched.
    assert_eq!(fake.requests(Endpoint::BlockChildren), 0);
    assert_eq!(fake.requests_for(Endpoint::Page, &site.alice), 0);
}

#[tokio::test]
async fn a_configured_page_in_the_trash_is_an_error_naming_it() {
    let (ws, site) = site_workspace();
    let fake = FakeNotion::start(ws).await;
    fake.trash(&site.colophon);
    let client = fast_client(&fake, VERSION_2025);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = Snapshot::new(dir.path());

    let error = crawl(&client, &snapshot, &plan(&site, &site.posts.database_id))
        .await
        .unwrap_err();
    let message = format!("{error:#}");
    assert!(message.contains(&site.colophon), "{message}");
    assert!(
        message.contains("Colophon") && message.contains("trash"),
        "{message}"
    );
}

#[tokio::test]
async fn a_configured_page_that_is_also_a_child_page_is_fetched_once() {
    let (ws, site) = site_workspace();
    let fake = FakeNotion::start(ws).await;
    let client = fast_client(&fake, VERSION_2025);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = Snapshot::new(dir.path());
    let mut plan = plan(&site, &site.posts.database_id);
    plan.pages
        .push((NotionId::parse(&site.team).unwrap(), "team".into()));

    let Crawl {
        manifest, report, ..
    } = crawl(&client, &snapshot, &plan).await.unwrap();
    assert_eq!(report.fetched, 7);
    assert_eq!(fake.requests_for(Endpoint::Page, &site.team), 1);
    assert_eq!(fake.requests_for(Endpoint::BlockChildren, &site.team), 1);
    let listed: Vec<(&str, Option<&str>, Option<&str>)> = manifest
        .pages
        .iter()
        .map(|p| (p.id.as_str(), p.path.as_deref(), p.parent.as_deref()))
        .collect();
    // Team is listed once, under its own path; its child page Alice beneath it.
    assert_eq!(
        listed,
        [
            (site.about.as_str(), Some("about"), None),
            (site.contact.as_str(), None, Some(site.about.as_str())),
            (site.colophon.as_str(), Some("colophon"), None),
            (site.team.as_str(), Some("team"), None),
            (site.alice.as_str(), None, Some(site.team.as_str())),
        ]
    );
}

#[tokio::test]
async fn undashed_ids_in_the_plan_are_the_ids_notion_sends() {
    let (ws, site) = site_workspace();
    let fake = FakeNotion::start(ws).await;
    let client = fast_client(&fake, VERSION_2025);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = Snapshot::new(dir.path());
    let undashed = |id: &str| NotionId::parse(&id.replace('-', "").to_uppercase()).unwrap();
    let mut plan = plan(&site, undashed(&site.posts.database_id).as_str());
    for (id, _) in &mut plan.pages {
        *id = undashed(id.as_str());
    }
    plan.pages.push((undashed(&site.team), "team".into()));

    let Crawl { manifest, .. } = crawl(&client, &snapshot, &plan).await.unwrap();
    assert_eq!(manifest.pages[0].id, site.about);
    assert!(
        manifest
            .pages
            .iter()
            .all(|p| snapshot.load_tree(&p.id).unwrap().is_some())
    );
    assert_eq!(fake.requests_for(Endpoint::Page, &site.team), 1);
    fake.reset_counters();
    crawl(&client, &snapshot, &plan).await.unwrap();
    // Warm: the stored discovery is reused for the same database, however its id was written.
    assert_eq!(fake.total_requests(), 1 + 5);
}
