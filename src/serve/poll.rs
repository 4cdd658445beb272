//! Noticing Notion edits cheaply: one query of the blog database for rows edited since the
//! newest stored one (by `last_edited_time`), and one `GET` per standalone page.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::cache::Snapshot;
use crate::notion::client::{NotionClient, Resource};

/// Notion rounds `last_edited_time` down to the minute (and the cache trusts a tree only two
/// minutes after its edit): rows edited this close to the last fetch are looked at again.
const EDIT_GRANULARITY: Duration = Duration::minutes(2);

/// Why a rebuild from Notion is due, or `None` when the snapshot is current.
pub async fn notion_change(
    client: &NotionClient,
    snapshot: &Snapshot,
) -> anyhow::Result<Option<String>> {
    let Some(manifest) = snapshot.load_manifest()? else {
        return Ok(Some("there is no snapshot yet".to_owned()));
    };
    if let Some(blog) = &manifest.blog {
        let target = match &blog.data_source_id {
            Some(id) => Resource::DataSource(id.clone()),
            None => Resource::Database(blog.database_id.clone()),
        };
        let mut newest = None;
        for id in &blog.posts {
            if let Some(edited) = snapshot.load_tree(id)?.and_then(|t| t.last_edited_time()) {
                newest = newest.max(Some(edited));
            }
        }
        let since = newest
            .unwrap_or(manifest.fetched_at)
            .min(manifest.fetched_at - EDIT_GRANULARITY);
        let filter = json!({
            "timestamp": "last_edited_time",
            "last_edited_time": { "on_or_after": since.to_rfc3339() },
        });
        for row in client.query(&target, Some(&filter), None).await? {
            let Some(id) = row.get("id").and_then(Value::as_str) else {
                continue;
            };
            if blog.posts.iter().any(|p| p == id) {
                if !snapshot
                    .load_tree(id)?
                    .is_some_and(|t| t.is_current_for(&row))
                {
                    return Ok(Some(format!("post {id} was edited")));
                }
            } else if edited_after(&row, manifest.fetched_at - EDIT_GRANULARITY) {
                // A new row, or a draft: the crawl decides whether it is part of the site.
                return Ok(Some(format!("row {id} is new or was edited")));
            }
        }
    }
    for source in &manifest.pages {
        let page = client.page(&source.id).await?;
        if !snapshot
            .load_tree(&source.id)?
            .is_some_and(|t| t.is_current_for(&page))
            || is_trashed(&page)
        {
            return Ok(Some(format!("page {} was edited", source.id)));
        }
    }
    Ok(None)
}

fn edited_after(row: &Value, after: chrono::DateTime<Utc>) -> bool {
    row.get("last_edited_time")
        .and_then(Value::as_str)
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .is_some_and(|t| t >= after)
}

fn is_trashed(page: &Value) -> bool {
    ["in_trash", "archived"]
        .iter()
        .any(|key| page.get(*key).and_then(Value::as_bool).unwrap_or(false))
}
