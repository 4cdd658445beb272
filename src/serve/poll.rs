//! Noticing Notion edits: one query of the blog database for its rows (the same query the
//! crawl makes, 100 rows per request), compared with the snapshot's posts, the same for each
//! database inside a page, and one `GET` per standalone page and child page.
//!
//! The whole list is asked for, not only the rows edited lately: a row that was trashed,
//! moved out of the database or unpublished is simply no longer in it, and only the list
//! shows that.

use std::collections::HashSet;

use notion_bake::cache::Snapshot;
use notion_bake::notion::client::{NotionClient, Resource};
use notion_bake::notion::crawl::{
    BlogManifest, BlogPlan, DatabaseManifest, published_filter_from, query_rows,
};

/// Why a rebuild from Notion is due, or `None` when the snapshot is current. `blog` is the
/// blog of the config as it is now (its published property and drafts setting).
pub async fn notion_change(
    client: &NotionClient,
    snapshot: &Snapshot,
    blog: Option<&BlogPlan>,
) -> anyhow::Result<Option<String>> {
    let Some(manifest) = snapshot.load_manifest()? else {
        return Ok(Some("there is no snapshot yet".to_owned()));
    };
    if let (Some(stored), Some(plan)) = (&manifest.blog, blog)
        && let Some(why) = blog_change(client, snapshot, stored, plan).await?
    {
        return Ok(Some(why));
    }
    for database in manifest.databases.iter().filter(|d| d.database.is_some()) {
        if let Some(why) = database_change(client, snapshot, database).await? {
            return Ok(Some(why));
        }
    }
    // Rows of databases inside pages were compared above, from their database's query.
    for source in manifest.pages.iter().filter(|p| p.database.is_none()) {
        let page = client.page(&source.id).await?;
        if !snapshot
            .load_tree(&source.id)?
            .is_some_and(|t| t.is_current_for(&page))
            || page.in_trash
        {
            return Ok(Some(format!("page {} was edited", source.id)));
        }
    }
    Ok(None)
}

/// Whether the rows the crawl would fetch now differ from the snapshot's posts: a row
/// added, gone (trashed, moved away, unpublished) or edited.
async fn blog_change(
    client: &NotionClient,
    snapshot: &Snapshot,
    stored: &BlogManifest,
    plan: &BlogPlan,
) -> anyhow::Result<Option<String>> {
    if stored.includes_drafts != plan.include_drafts {
        return Ok(Some(if plan.include_drafts {
            "the snapshot has no unpublished posts yet".to_owned()
        } else {
            "the snapshot has unpublished posts".to_owned()
        }));
    }
    let target = match &stored.data_source_id {
        Some(id) => Resource::DataSource(id.clone()),
        None => Resource::Database(stored.database_id.clone()),
    };
    let filter = published_filter_from(&stored.database, plan);
    let rows = client.query(&target, filter.as_ref(), None).await?;
    let listed: HashSet<&str> = rows.iter().map(|row| row.id.as_str()).collect();
    if let Some(gone) = stored.posts.iter().find(|id| !listed.contains(id.as_str())) {
        return Ok(Some(format!(
            "post {} was removed, trashed or unpublished",
            post_name(snapshot, gone)
        )));
    }
    for row in &rows {
        let id = row.id.as_str();
        if !stored.posts.iter().any(|p| p == id) {
            return Ok(Some(format!("row {id} is new")));
        }
        if !snapshot
            .load_tree(id)?
            .is_some_and(|t| t.is_current_for(row))
        {
            return Ok(Some(format!("post {} was edited", post_name(snapshot, id))));
        }
    }
    Ok(None)
}

/// Whether the rows of a database inside a page differ from the snapshot's: one added, gone,
/// moved in the view's order, or edited.
async fn database_change(
    client: &NotionClient,
    snapshot: &Snapshot,
    stored: &DatabaseManifest,
) -> anyhow::Result<Option<String>> {
    let rows = query_rows(client, stored).await?;
    let ids: Vec<&str> = rows.iter().map(|row| row.id.as_str()).collect();
    if ids != stored.rows.iter().map(String::as_str).collect::<Vec<_>>() {
        return Ok(Some(format!("the rows of database {} changed", stored.id)));
    }
    for row in &rows {
        if !snapshot
            .load_tree(&row.id)?
            .is_some_and(|t| t.is_current_for(row))
        {
            return Ok(Some(format!(
                "row {} was edited",
                post_name(snapshot, &row.id)
            )));
        }
    }
    Ok(None)
}

/// `"Title" (id)` from the stored tree, or the id alone.
fn post_name(snapshot: &Snapshot, id: &str) -> String {
    match snapshot.load_tree(id).ok().flatten() {
        Some(tree) => format!("{:?} ({id})", tree.page.title()),
        None => id.to_owned(),
    }
}
