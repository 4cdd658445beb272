//! Tests of the fake Notion server itself: it must behave like Notion where the client cares.

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::fake_notion::{VERSION_2022, VERSION_2025, VERSION_2026};
use support::{Endpoint, FakeNotion, FileRef, Workspace, blocks as b};

/// A tiny API client for the tests.
struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
    version: &'static str,
}

impl Api {
    fn new(fake: &FakeNotion, version: &'static str) -> Api {
        Api {
            http: http_client(),
            base: fake.url(),
            token: fake.token().to_string(),
            version,
        }
    }

    async fn get(&self, path: &str) -> (u16, reqwest::header::HeaderMap, Value) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("Notion-Version", self.version)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        (status, headers, r.json().await.unwrap())
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("Notion-Version", self.version)
            .json(&body)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap())
    }

    /// All children of a block, following cursors.
    async fn all_children(&self, id: &str) -> Vec<Value> {
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/v1/blocks/{id}/children?start_cursor={c}"),
                None => format!("/v1/blocks/{id}/children"),
            };
            let (status, _, v) = self.get(&path).await;
            assert_eq!(status, 200, "{v}");
            out.extend(v["results"].as_array().unwrap().iter().cloned());
            match v["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => return out,
            }
        }
    }

    async fn query_all(&self, ds: &str, mut body: Value) -> Vec<Value> {
        let mut out = Vec::new();
        loop {
            let (status, v) = self
                .post(&format!("/v1/data_sources/{ds}/query"), body.clone())
                .await;
            assert_eq!(status, 200, "{v}");
            out.extend(v["results"].as_array().unwrap().iter().cloned());
            match v["next_cursor"].as_str() {
                Some(c) => body["start_cursor"] = json!(c),
                None => return out,
            }
        }
    }
}

fn title_of(page: &Value) -> String {
    let props = page["properties"].as_object().unwrap();
    let title = props.values().find(|p| p["type"] == "title").unwrap();
    title["title"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["plain_text"].as_str().unwrap())
        .collect()
}

/// A blog-like workspace: a database of 150 posts and a page with 250 blocks.
fn blog() -> (Workspace, support::DbRef, String) {
    let mut ws = Workspace::new();
    let db = ws.add_database(
        "Posts",
        &[
            ("Name", "title"),
            ("Published", "checkbox"),
            ("Status", "status"),
            ("Tags", "multi_select"),
            ("Date", "date"),
        ],
    );
    for i in 0..150 {
        ws.add_row(
            &db,
            json!({
                "Name": format!("Post {i:03}"),
                "Published": i % 3 != 0,
                "Status": if i % 2 == 0 { "Done" } else { "In progress" },
                "Tags": if i % 5 == 0 { vec!["rust"] } else { vec!["misc"] },
                "Date": format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            }),
            vec![b::paragraph(format!("Body of post {i}").as_str())],
        );
    }
    let blocks = (0..250)
        .map(|i| b::paragraph(format!("line {i}").as_str()))
        .collect();
    let page = ws.add_page("Long page", blocks);
    (ws, db, page)
}

#[tokio::test]
async fn requests_need_the_bearer_token() {
    let fake = FakeNotion::start(Workspace::new()).await;
    let http = http_client();
    let url = format!("{}/v1/users/me", fake.url());
    for auth in [None, Some("Bearer ntn_wrong"), Some(fake.token())] {
        let mut req = http.get(&url).header("Notion-Version", VERSION_2025);
        if let Some(a) = auth {
            req = if a.starts_with("Bearer") {
                req.header("Authorization", a)
            } else {
                req.bearer_auth(a)
            };
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let v: Value = r.json().await.unwrap();
        assert!(v["request_id"].is_string(), "{v}");
        if auth == Some(fake.token()) {
            assert_eq!(status, 200);
            assert_eq!(v["object"], "user");
            assert_eq!(v["type"], "bot");
        } else {
            assert_eq!(status, 401);
            assert_eq!(v["code"], "unauthorized");
            assert_eq!(v["message"], "API token is invalid.");
        }
    }
    assert_eq!(fake.requests(Endpoint::UsersMe), 3);
    assert!(fake.token().starts_with("ntn_"));
}

#[tokio::test]
async fn the_notion_version_header_is_required() {
    let fake = FakeNotion::start(Workspace::new()).await;
    let http = http_client();
    let url = format!("{}/v1/users/me", fake.url());
    let r = http
        .get(&url)
        .bearer_auth(fake.token())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "missing_version");
    let r = http
        .get(&url)
        .bearer_auth(fake.token())
        .header("Notion-Version", "2020-01-01")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "validation_error");
    for version in [VERSION_2022, VERSION_2025, VERSION_2026] {
        let r = http
            .get(&url)
            .bearer_auth(fake.token())
            .header("Notion-Version", version)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{version}");
    }
}

#[tokio::test]
async fn block_children_paginate_by_at_most_100_with_cursors() {
    let (ws, _, page) = blog();
    let fake = FakeNotion::start(ws).await;
    let api = Api::new(&fake, VERSION_2025);

    let (status, _, first) = api.get(&format!("/v1/blocks/{page}/children")).await;
    assert_eq!(status, 200);
    assert_eq!(first["object"], "list");
    assert_eq!(first["type"], "block");
    assert_eq!(first["block"], json!({}));
    assert_eq!(first["results"].as_array().unwrap().len(), 100);
    assert_eq!(first["has_more"], true);

    let all = api.all_children(&page).await;
    assert_eq!(all.len(), 250);
    let texts: Vec<&str> = all
        .iter()
        .map(|b| {
            b["paragraph"]["rich_text"][0]["plain_text"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(texts[0], "line 0");
    assert_eq!(texts[249], "line 249");
    // The cursor is the id of the next block.
    assert_eq!(first["next_cursor"], all[100]["id"]);
    assert_eq!(fake.requests_for(Endpoint::BlockChildren, &page), 4);

    // Small pages, undashed ids.
    let undashed = page.replace('-', "");
    let (status, _, v) = api
        .get(&format!("/v1/blocks/{undashed}/children?page_size=2"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(v["results"].as_array().unwrap().len(), 2);
    assert_eq!(v["next_cursor"], all[2]["id"]);

    let (status, _, v) = api
        .get(&format!("/v1/blocks/{page}/children?page_size=101"))
        .await;
    assert_eq!(status, 400);
    assert_eq!(v["code"], "validation_error");

    // Every block has the common fields.
    let blk = &all[0];
    for key in [
        "object",
        "id",
        "parent",
        "created_time",
        "last_edited_time",
        "created_by",
        "last_edited_by",
        "has_children",
        "archived",
        "in_trash",
        "type",
    ] {
        assert!(blk.get(key).is_some(), "missing {key} in {blk}");
    }
    assert_eq!(blk["parent"], json!({"type": "page_id", "page_id": page}));
}

#[tokio::test]
async fn nested_blocks_synced_copies_and_child_pages_are_served_like_notion() {
    let mut ws = Workspace::new();
    let page = ws.add_page(
        "Home",
        vec![
            b::toggle(
                "More",
                vec![
                    b::paragraph("hidden"),
                    b::bulleted(vec![b::annotated("bold", &["bold"])]),
                ],
            ),
            b::with_id(
                b::synced_original(vec![b::paragraph("shared text")]),
                "synced-original",
            ),
            b::table(true, false, vec![vec!["a", "b"], vec!["1", "2"]]),
            b::column_list(vec![
                b::column(vec![b::paragraph("left")]),
                b::column(vec![b::paragraph("right")]),
            ]),
        ],
    );
    let other = ws.add_page("Other", vec![b::synced_copy("synced-original")]);
    let child = ws.add_child_page(&page, "Child", vec![b::heading_1("Inside")]);
    let fake = FakeNotion::start(ws).await;
    let api = Api::new(&fake, VERSION_2025);

    let top = api.all_children(&page).await;
    let types: Vec<&str> = top.iter().map(|b| b["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "toggle",
            "synced_block",
            "table",
            "column_list",
            "child_page"
        ]
    );
    assert!(top.iter().all(|b| b["has_children"] == true), "{top:?}");
    let toggle_kids = api.all_children(top[0]["id"].as_str().unwrap()).await;
    assert_eq!(toggle_kids.len(), 2);
    assert_eq!(
        toggle_kids[0]["parent"],
        json!({"type": "block_id", "block_id": top[0]["id"]})
    );
    assert_eq!(
        toggle_kids[1]["bulleted_list_item"]["rich_text"][0]["annotations"]["bold"],
        true
    );

    // child_page block id == page id; the page's content is its children.
    assert_eq!(top[4]["id"], json!(child));
    assert_eq!(top[4]["child_page"]["title"], "Child");
    let (status, _, child_page) = api.get(&format!("/v1/pages/{child}")).await;
    assert_eq!(status, 200);
    assert_eq!(
        child_page["parent"],
        json!({"type": "page_id", "page_id": page})
    );
    assert_eq!(api.all_children(&child).await[0]["type"], "heading_1");

    // A synced copy's children are the original's.
    let copy = &api.all_children(&other).await[0];
    assert_eq!(
        copy["synced_block"]["synced_from"]["block_id"],
        top[1]["id"]
    );
    assert_eq!(copy["has_children"], true);
    let copied = api.all_children(copy["id"].as_str().unwrap()).await;
    assert_eq!(
        copied[0]["paragraph"]["rich_text"][0]["plain_text"],
        "shared text"
    );

    let rows = api.all_children(top[2]["id"].as_str().unwrap()).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["table_row"]["cells"][1][0]["plain_text"], "2");

    // A page is also a block.
    let (status, _, blk) = api.get(&format!("/v1/blocks/{page}")).await;
    assert_eq!(status, 200);
    assert_eq!(blk["type"], "child_page");
    assert_eq!(blk["child_page"]["title"], "Home");
}

#[tokio::test]
async fn data_source_query_paginates_filters_and_sorts() {
    let (ws, db, _) = blog();
    let fake = FakeNotion::start(ws).await;
    let api = Api::new(&fake, VERSION_2025);
    let ds = &db.data_source_id;

    let (status, first) = api
        .post(&format!("/v1/data_sources/{ds}/query"), json!({}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(first["type"], "page_or_data_source");
    assert_eq!(first["results"].as_array().unwrap().len(), 100);
    assert_eq!(first["has_more"], true);
    let all = api.query_all(ds, json!({"page_size": 100})).await;
    assert_eq!(all.len(), 150);
    assert_eq!(title_of(&all[0]), "Post 000");
    assert_eq!(
        all[0]["parent"],
        json!({"type": "data_source_id", "data_source_id": db.data_source_id, "database_id": db.database_id})
    );
    let row = &all[1];
    assert_eq!(
        row["properties"]["Published"],
        json!({"id": row["properties"]["Published"]["id"], "type": "checkbox", "checkbox": true})
    );
    assert_eq!(row["properties"]["Status"]["status"]["name"], "In progress");
    assert_eq!(row["properties"]["Tags"]["multi_select"][0]["name"], "misc");
    assert_eq!(row["properties"]["Date"]["date"]["start"], "2026-02-02");
    assert_eq!(row["properties"]["Name"]["id"], "title");

    let published = api
        .query_all(
            ds,
            json!({"filter": {"property": "Published", "checkbox": {"equals": true}}}),
        )
        .await;
    assert_eq!(published.len(), 100);
    let done = api
        .query_all(
            ds,
            json!({"filter": {"property": "Status", "status": {"equals": "Done"}}}),
        )
        .await;
    assert_eq!(done.len(), 75);
    let both = api
        .query_all(
            ds,
            json!({"filter": {"and": [
                {"property": "Published", "checkbox": {"equals": true}},
                {"or": [{"property": "Tags", "multi_select": {"contains": "rust"}},
                        {"property": "Name", "title": {"equals": "Post 001"}}]}
            ]}}),
        )
        .await;
    // Published (i % 3 != 0) and (i % 5 == 0 or i == 1): 5,10,20,25,35,40,… plus 1.
    let expected = (0..150)
        .filter(|i| i % 3 != 0 && (i % 5 == 0 || *i == 1))
        .count();
    assert_eq!(both.len(), expected);

    let sorted = api
        .query_all(
            ds,
            json!({"sorts": [{"property": "Date", "direction": "descending"}]}),
        )
        .await;
    let dates: Vec<&str> = sorted
        .iter()
        .map(|p| p["properties"]["Date"]["date"]["start"].as_str().unwrap())
        .collect();
    let mut want = dates.clone();
    want.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, want);
    let (status, _) = api
        .post(
            &format!("/v1/data_sources/{ds}/query"),
            json!({"sorts": [{"timestamp": "created_time", "direction": "ascending"}]}),
        )
        .await;
    assert_eq!(status, 200);

    // Unsupported filters are refused, so the client can fall back to filtering locally.
    for filter in [
        json!({"property": "Published", "select": {"equals": "x"}}),
        json!({"property": "Nope", "checkbox": {"equals": true}}),
        json!({"property": "Published", "checkbox": {"is_fancy": true}}),
        json!({"something": "else"}),
    ] {
        let (status, v) = api
            .post(
                &format!("/v1/data_sources/{ds}/query"),
                json!({"filter": filter}),
            )
            .await;
        assert_eq!(status, 400, "{filter}");
        assert_eq!(v["code"], "validation_error");
    }
    assert_eq!(
        fake.requests(Endpoint::Query),
        1 + 2 + 1 + 1 + 1 + 2 + 1 + 4
    );
}

#[tokio::test]
async fn database_endpoints_follow_the_api_version() {
    let (ws, db, _) = blog();
    let fake = FakeNotion::start(ws).await;
    let new = Api::new(&fake, VERSION_2025);
    let old = Api::new(&fake, VERSION_2022);

    // 2025-09-03: the database is a container of data sources; the schema is on the data source.
    let (status, _, container) = new.get(&format!("/v1/databases/{}", db.database_id)).await;
    assert_eq!(status, 200);
    assert_eq!(
        container["data_sources"],
        json!([{"id": db.data_source_id, "name": "Posts"}])
    );
    assert!(container.get("properties").is_none());
    let (status, _, source) = new
        .get(&format!("/v1/data_sources/{}", db.data_source_id))
        .await;
    assert_eq!(status, 200);
    assert_eq!(source["object"], "data_source");
    assert_eq!(source["properties"]["Published"]["type"], "checkbox");
    let status_options = &source["properties"]["Status"]["status"]["options"];
    assert!(
        status_options
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["name"] == "Done")
    );
    let (status, v) = new
        .post(
            &format!("/v1/databases/{}/query", db.database_id),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, v["code"].as_str()),
        (400, Some("invalid_request_url"))
    );

    // 2022-06-28: the database holds the schema and is queried directly.
    let (status, _, legacy) = old.get(&format!("/v1/databases/{}", db.database_id)).await;
    assert_eq!(status, 200);
    assert_eq!(legacy["properties"]["Tags"]["type"], "multi_select");
    assert!(legacy.get("data_sources").is_none());
    let (status, v) = old
        .post(
            &format!("/v1/databases/{}/query", db.database_id),
            json!({"page_size": 100}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(v["type"], "page_or_database");
    assert_eq!(
        v["results"][0]["parent"],
        json!({"type": "database_id", "database_id": db.database_id})
    );
    let (status, _, v) = old
        .get(&format!("/v1/data_sources/{}", db.data_source_id))
        .await;
    assert_eq!(
        (status, v["code"].as_str()),
        (400, Some("invalid_request_url"))
    );
    let (status, v) = old
        .post(
            &format!("/v1/data_sources/{}/query", db.data_source_id),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, v["code"].as_str()),
        (400, Some("invalid_request_url"))
    );

    // archived: both under 2025-09-03 (and 2022), only in_trash under 2026-03-11.
    let (_, _, v) = new
        .get(&format!("/v1/pages/{}", v_first_row(&new, &db).await))
        .await;
    assert_eq!(
        (v["archived"].as_bool(), v["in_trash"].as_bool()),
        (Some(false), Some(false))
    );
    let newest = Api::new(&fake, VERSION_2026);
    let (_, _, v) = newest
        .get(&format!("/v1/pages/{}", v_first_row(&new, &db).await))
        .await;
    assert!(v.get("archived").is_none(), "{v}");
    assert_eq!(v["in_trash"], false);
}

async fn v_first_row(api: &Api, db: &support::DbRef) -> String {
    let (_, v) = api
        .post(
            &format!("/v1/data_sources/{}/query", db.data_source_id),
            json!({"page_size": 1}),
        )
        .await;
    v["results"][0]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn unknown_and_malformed_ids_get_notions_errors() {
    let fake = FakeNotion::start(Workspace::new()).await;
    let api = Api::new(&fake, VERSION_2025);
    let missing = "0c940186-ab70-4351-bb34-2d16f0635d49";
    let (status, _, v) = api
        .get(&format!("/v1/blocks/{}/children", missing.replace('-', "")))
        .await;
    assert_eq!(status, 404);
    assert_eq!(v["code"], "object_not_found");
    assert_eq!(
        v["message"],
        format!(
            "Could not find block with ID: {missing}. Make sure the relevant pages and databases are shared with your integration."
        )
    );
    let (status, _, v) = api.get(&format!("/v1/pages/{missing}")).await;
    assert_eq!(status, 404);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains(&format!("Could not find page with ID: {missing}"))
    );
    let (status, _, v) = api.get("/v1/pages/AAA").await;
    assert_eq!(status, 400);
    assert_eq!(v["code"], "validation_error");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("path.page_id should be a valid uuid")
    );
    let (status, _, v) = api.get("/v1/nothing/here").await;
    assert_eq!(
        (status, v["code"].as_str()),
        (400, Some("invalid_request_url"))
    );
}

#[tokio::test]
async fn too_many_requests_get_429_with_retry_after() {
    let fake = FakeNotion::start(Workspace::new()).await;
    fake.set_rate_limit(Some(2.0), 3);
    let api = Api::new(&fake, VERSION_2025);
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let (status, headers, v) = api.get("/v1/users/me").await;
        if status == 429 {
            assert_eq!(headers["retry-after"], "1");
            assert_eq!(v["code"], "rate_limited");
            assert_eq!(v["additional_data"]["retry_after"], "1");
        }
        statuses.push(status);
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    assert_eq!(fake.rate_limited_count(), 2);
    tokio::time::sleep(Duration::from_millis(600)).await; // one token back at 2/s
    assert_eq!(api.get("/v1/users/me").await.0, 200);
    fake.set_rate_limit(None, 0);
    assert_eq!(api.get("/v1/users/me").await.0, 200);
    assert_eq!(fake.total_requests(), 7);
    let log = fake.request_log();
    assert_eq!(log.len(), 7);
    assert!(log.windows(2).all(|w| w[0].at <= w[1].at));
}

#[tokio::test]
async fn server_errors_are_injected_on_demand() {
    let fake = FakeNotion::start(Workspace::new()).await;
    let api = Api::new(&fake, VERSION_2025);
    fake.fail_next(2, 502);
    fake.fail_next(1, 503);
    let mut got = Vec::new();
    for _ in 0..4 {
        let (status, _, v) = api.get("/v1/users/me").await;
        got.push((status, v["code"].as_str().unwrap_or("").to_string()));
    }
    assert_eq!(
        got,
        [
            (502, "bad_gateway".into()),
            (502, "bad_gateway".into()),
            (503, "service_unavailable".into()),
            (200, String::new())
        ]
    );
    fake.fail_next(1, 429);
    let (status, headers, v) = api.get("/v1/users/me").await;
    assert_eq!((status, v["code"].as_str()), (429, Some("rate_limited")));
    assert_eq!(headers["retry-after"], "1");
    fake.set_error_rate(0.5);
    let mut failures = 0;
    for _ in 0..40 {
        let status = api.get("/v1/users/me").await.0;
        if status != 200 {
            assert!([500, 502, 503].contains(&status));
            failures += 1;
        }
    }
    assert!((8..=32).contains(&failures), "{failures}");
    fake.set_error_rate(0.0);
    assert_eq!(api.get("/v1/users/me").await.0, 200);
}

/// The signed URL of the first image block of a page.
async fn image_url(api: &Api, page: &str) -> (String, String) {
    let kids = api.all_children(page).await;
    let img = kids
        .iter()
        .find(|b| b["type"] == "image")
        .expect("an image block");
    assert_eq!(img["image"]["type"], "file");
    let f = &img["image"]["file"];
    (
        f["url"].as_str().unwrap().to_string(),
        f["expiry_time"].as_str().unwrap().to_string(),
    )
}

fn photo_workspace() -> (Workspace, String, FileRef) {
    let mut ws = Workspace::new();
    let photo = ws.add_file("My photo (1).png", b"\x89PNG fake bytes".to_vec());
    let page = ws.add_page(
        "Photos",
        vec![
            b::image(b::hosted(&photo), "a caption"),
            b::image(b::external("https://example.com/a.png?x=1&y=2"), ""),
        ],
    );
    (ws, page, photo)
}

#[tokio::test]
async fn hosted_files_are_signed_on_every_fetch_and_expire() {
    let (mut ws, page, photo) = photo_workspace();
    ws.set_cover(&page, b::hosted(&photo));
    ws.set_icon(&page, b::emoji("📷"));
    let fake = FakeNotion::start(ws).await;
    let api = Api::new(&fake, VERSION_2025);

    let (url1, expiry1) = image_url(&api, &page).await;
    let path = url::Url::parse(&url1).unwrap().path().to_string();
    assert_eq!(
        path,
        format!(
            "/{}/{}/My%20photo%20%281%29.png",
            photo.space_uuid, photo.file_uuid
        )
    );
    assert!(url1.contains("X-Amz-Expires=3600") && url1.contains("X-Amz-Signature="));
    let expiry = chrono::DateTime::parse_from_rfc3339(&expiry1).unwrap();
    let left = expiry
        .signed_duration_since(chrono::Utc::now())
        .num_seconds();
    assert!((3590..=3600).contains(&left), "{left}");

    // External files are untouched.
    let kids = api.all_children(&page).await;
    assert_eq!(
        kids[1]["image"],
        json!({"caption": [], "type": "external", "external": {"url": "https://example.com/a.png?x=1&y=2"}})
    );
    // Covers are signed too.
    let (_, _, p) = api.get(&format!("/v1/pages/{page}")).await;
    assert!(
        p["cover"]["file"]["url"]
            .as_str()
            .unwrap()
            .contains(&photo.file_uuid)
    );
    assert_eq!(p["icon"], json!({"type": "emoji", "emoji": "📷"}));

    // A re-fetch re-signs: same path, different query.
    let (url2, _) = image_url(&api, &page).await;
    assert_ne!(url1, url2);
    assert_eq!(url::Url::parse(&url2).unwrap().path(), path);
    // Two image fetches, one children listing, one page (cover).
    assert_eq!(fake.urls_issued(&photo), 4);

    let http = http_client();
    let r = http.get(&url1).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["content-length"], "15");
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"\x89PNG fake bytes");
    assert_eq!(fake.downloads(&photo), 1);

    // An hour later every URL handed out so far is expired; a fresh one works.
    fake.advance_clock(Duration::from_secs(3601));
    for url in [&url1, &url2] {
        let r = http.get(url).send().await.unwrap();
        assert_eq!(r.status(), 403);
        assert_eq!(r.headers()["content-type"], "application/xml");
        let body = r.text().await.unwrap();
        assert!(
            body.contains("<Code>AccessDenied</Code><Message>Request has expired</Message>"),
            "{body}"
        );
    }
    let (url3, _) = image_url(&api, &page).await;
    assert_eq!(http.get(&url3).send().await.unwrap().status(), 200);
    assert_eq!(fake.downloads(&photo), 2);
    assert_eq!(fake.download_attempts(&photo), 4);

    // A tampered signature is a real failure, not expiry.
    let tampered = url3.replace("X-Amz-Signature=", "X-Amz-Signature=0");
    let r = http.get(&tampered).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("<Code>SignatureDoesNotMatch</Code>")
    );

    // Notion may move files to another host; the last two path segments stay the same.
    fake.set_file_base_url(Some(format!("http://localhost:{}", fake.addr().port())));
    let (moved, _) = image_url(&api, &page).await;
    let moved = url::Url::parse(&moved).unwrap();
    assert_eq!(moved.host_str(), Some("localhost"));
    assert_eq!(moved.path(), path);
    assert_eq!(http.get(moved).send().await.unwrap().status(), 200);
    fake.set_file_base_url(None);

    // Downloads must not carry the token; the fake notices when they do.
    assert_eq!(fake.downloads_with_authorization(), 0);
    let r = http
        .get(&url3)
        .bearer_auth(fake.token())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(fake.downloads_with_authorization(), 1);
}

#[tokio::test]
async fn first_urls_can_be_handed_out_already_expired() {
    let (ws, page, photo) = photo_workspace();
    let fake = FakeNotion::start(ws).await;
    fake.set_files_expire_immediately(true);
    let api = Api::new(&fake, VERSION_2025);
    let http = http_client();

    let (url1, expiry1) = image_url(&api, &page).await;
    assert!(chrono::DateTime::parse_from_rfc3339(&expiry1).unwrap() < chrono::Utc::now());
    let r = http.get(&url1).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("Request has expired"));
    let (url2, _) = image_url(&api, &page).await;
    assert_eq!(http.get(&url2).send().await.unwrap().status(), 200);
    assert_eq!(fake.downloads(&photo), 1);

    // always_expired: refreshing never helps.
    fake.always_expired(&photo);
    for _ in 0..2 {
        let (url, _) = image_url(&api, &page).await;
        assert_eq!(http.get(&url).send().await.unwrap().status(), 403);
    }
}

#[tokio::test]
async fn faulty_downloads_can_be_injected() {
    let (ws, page, photo) = photo_workspace();
    let fake = FakeNotion::start(ws).await;
    let api = Api::new(&fake, VERSION_2025);
    let http = http_client();

    fake.truncate_next_download(&photo);
    let (url, _) = image_url(&api, &page).await;
    let r = http.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-length"], "15");
    assert!(r.bytes().await.is_err(), "a truncated body must fail");
    assert_eq!(fake.downloads(&photo), 0);
    assert_eq!(
        http.get(&url)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .len(),
        15
    );
    assert_eq!(fake.downloads(&photo), 1);

    fake.fail_next_downloads(1, 500);
    assert_eq!(http.get(&url).send().await.unwrap().status(), 500);

    fake.signature_mismatch(&photo);
    let r = http.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("SignatureDoesNotMatch"));
    fake.clear_faults();
    assert_eq!(http.get(&url).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn edits_bump_last_edited_time_to_a_later_minute() {
    let (ws, page, _) = photo_workspace();
    let fake = FakeNotion::start(ws).await;
    let api = Api::new(&fake, VERSION_2025);
    let (_, _, before) = api.get(&format!("/v1/pages/{page}")).await;
    let t0 = before["last_edited_time"].as_str().unwrap().to_string();
    assert!(t0.ends_with(":00.000Z"), "{t0}");

    fake.replace_blocks(&page, vec![b::paragraph("new content")]);
    let (_, _, after) = api.get(&format!("/v1/pages/{page}")).await;
    let t1 = after["last_edited_time"].as_str().unwrap().to_string();
    assert!(t1 > t0, "{t1} > {t0}");
    let kids = api.all_children(&page).await;
    assert_eq!(kids.len(), 1);
    assert_eq!(
        kids[0]["paragraph"]["rich_text"][0]["plain_text"],
        "new content"
    );

    fake.edit_page(&page, |p| {
        p["properties"]["title"]["title"] = json!([b::text("Renamed")])
    });
    let (_, _, renamed) = api.get(&format!("/v1/pages/{page}")).await;
    assert_eq!(title_of(&renamed), "Renamed");
    assert!(renamed["last_edited_time"].as_str().unwrap() > t1.as_str());

    fake.trash(kids[0]["id"].as_str().unwrap());
    assert!(api.all_children(&page).await.is_empty());
}

#[tokio::test]
async fn counters_can_be_reset_and_the_token_never_leaks() {
    let (ws, db, page) = blog();
    let fake = FakeNotion::start(ws).await;
    let api = Api::new(&fake, VERSION_2025);
    let mut bodies = String::new();
    for path in [
        format!("/v1/pages/{page}"),
        format!("/v1/blocks/{page}"),
        format!("/v1/databases/{}", db.database_id),
    ] {
        bodies.push_str(&api.get(&path).await.2.to_string());
    }
    bodies.push_str(
        &api.post(
            &format!("/v1/data_sources/{}/query", db.data_source_id),
            json!({}),
        )
        .await
        .1
        .to_string(),
    );
    assert!(!bodies.contains(fake.token()));
    assert_eq!(fake.requests(Endpoint::Page), 1);
    assert_eq!(fake.requests(Endpoint::Block), 1);
    assert_eq!(fake.requests(Endpoint::Database), 1);
    assert_eq!(fake.requests(Endpoint::Query), 1);
    assert_eq!(fake.total_requests(), 4);
    fake.reset_counters();
    assert_eq!(fake.total_requests(), 0);
    assert!(fake.request_log().is_empty());
}

#[test]
fn the_server_also_runs_without_an_async_caller() {
    use std::io::{Read, Write};
    let fake = FakeNotion::start_blocking(Workspace::new());
    let mut s = std::net::TcpStream::connect(fake.addr()).unwrap();
    write!(
        s,
        "GET /v1/users/me HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nNotion-Version: {VERSION_2025}\r\nConnection: close\r\n\r\n",
        fake.addr(),
        fake.token()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    assert!(out.contains("\"object\":\"user\""));
    assert_eq!(fake.requests(Endpoint::UsersMe), 1);
}

#[tokio::test]
async fn files_properties_icons_and_unknown_blocks_are_served() {
    let mut ws = Workspace::new();
    let doc = ws.add_file("report.pdf", b"%PDF-1.7 fake".to_vec());
    let icon = ws.add_file("icon.png", b"png".to_vec());
    let db = ws.add_database(
        "Docs",
        &[("Name", "title"), ("Attachments", "files"), ("Link", "url")],
    );
    let row = ws.add_row(
        &db,
        json!({
            "Name": "With files",
            "Attachments": [b::files_entry("report.pdf", b::hosted(&doc)), b::external("https://example.com/x.pdf")],
            "Link": "https://example.com",
        }),
        vec![
            b::callout("note", b::hosted(&icon)),
            b::unknown("meeting_notes", json!({"title": []})),
            b::unsupported("form"),
            b::file(b::hosted(&doc), "", "report.pdf"),
        ],
    );
    ws.set_icon(&row, b::hosted(&icon));
    let fake = FakeNotion::start(ws).await;
    fake.set_url_ttl(Duration::from_secs(60));
    let api = Api::new(&fake, VERSION_2026);

    let (status, _, page) = api.get(&format!("/v1/pages/{row}")).await;
    assert_eq!(status, 200);
    let files = page["properties"]["Attachments"]["files"]
        .as_array()
        .unwrap();
    assert_eq!(files[0]["name"], "report.pdf");
    assert_eq!(files[0]["type"], "file");
    assert!(
        files[0]["file"]["url"]
            .as_str()
            .unwrap()
            .contains("X-Amz-Expires=60")
    );
    assert_eq!(
        files[1],
        json!({"type": "external", "external": {"url": "https://example.com/x.pdf"}, "name": "https://example.com/x.pdf"})
    );
    assert_eq!(page["icon"]["type"], "file");
    assert_eq!(page["properties"]["Link"]["url"], "https://example.com");

    let kids = api.all_children(&row).await;
    assert_eq!(kids[0]["callout"]["icon"]["type"], "file");
    assert_eq!(kids[1]["type"], "meeting_notes");
    assert_eq!(kids[2]["unsupported"], json!({"block_type": "form"}));
    assert_eq!(kids[3]["file"]["name"], "report.pdf");
    assert!(kids.iter().all(|k| k.get("archived").is_none()));

    let http = http_client();
    let url = kids[3]["file"]["file"]["url"].as_str().unwrap();
    let r = http.get(url).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"%PDF-1.7 fake");
    assert_eq!(fake.downloads_by_name("report.pdf"), 1);
    assert_eq!(fake.total_downloads(), 1);
    let by = fake.requests_by_endpoint();
    assert_eq!((by[&Endpoint::Page], by[&Endpoint::BlockChildren]), (1, 1));
}

/// A plain HTTP client, with the crypto provider reqwest needs installed (see notion_bake::tls).
fn http_client() -> reqwest::Client {
    notion_bake::tls::install_crypto_provider();
    reqwest::Client::new()
}
