//! Tests of the fake Notion server itself.

mod support;

use support::fake_notion::{self, VERSION_2022, VERSION_2025, VERSION_2026};
use support::{Endpoint, FakeNotion, Workspace, blocks as b};

#[tokio::test]
async fn smoke() {
    let mut ws = Workspace::new();
    let page = ws.add_page("Hello", vec![b::paragraph("hi")]);
    let fake = FakeNotion::start(ws).await;
    let client = reqwest::Client::new();
    let r = client
        .get(format!("{}/v1/pages/{page}", fake.url()))
        .bearer_auth(fake.token())
        .header("Notion-Version", VERSION_2025)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let _ = (
        VERSION_2022,
        VERSION_2026,
        Endpoint::Page,
        fake_notion::uuid_from("x"),
    );
}
