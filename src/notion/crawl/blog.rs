//! The blog database: finding it (and its data source), querying its rows, and the titles of
//! the pages outside the site that the rows relate to.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use anyhow::Context;
use serde_json::{Value, json};

use super::{BlogManifest, BlogPlan};
use crate::notion::client::{NotionClient, NotionError, Resource};
use crate::notion::ids::NotionId;
use crate::notion::model::{Database, Page, Parent, PropertyValue};

/// Queries the blog's rows, discovering its data source and schema when the previous
/// manifest's discovery cannot be reused.
pub(super) async fn query_blog(
    client: &NotionClient,
    blog: &BlogPlan,
    previous: Option<&BlogManifest>,
) -> anyhow::Result<(BlogManifest, Vec<Page>)> {
    if let Some(previous) = previous.filter(|p| reusable(p, blog, client)) {
        let target = query_target(previous);
        let filter = published_filter_from(&previous.database, blog);
        match client.query(&target, filter.as_ref(), None).await {
            Ok(rows) => return Ok((with_rows(previous.clone(), &rows, blog), rows)),
            // The schema or sharing may have changed since: discover again.
            Err(NotionError::NotFound(_) | NotionError::Rejected { .. }) => {}
            Err(other) => return Err(other.into()),
        }
    }
    let discovered = discover(client, blog.database.as_str()).await?;
    let target = query_target(&discovered);
    let filter = published_filter_from(&discovered.database, blog);
    let rows = client
        .query(&target, filter.as_ref(), None)
        .await
        .with_context(|| format!("while querying the blog database {}", blog.database))?;
    Ok((with_rows(discovered, &rows, blog), rows))
}

fn reusable(previous: &BlogManifest, blog: &BlogPlan, client: &NotionClient) -> bool {
    let same_database = previous.database_id == blog.database.as_str()
        || previous.data_source_id.as_deref() == Some(blog.database.as_str());
    same_database && previous.data_source_id.is_some() == client.uses_data_sources()
}

fn query_target(blog: &BlogManifest) -> Resource {
    match &blog.data_source_id {
        Some(id) => Resource::DataSource(id.clone()),
        None => Resource::Database(blog.database_id.clone()),
    }
}

fn with_rows(mut blog_manifest: BlogManifest, rows: &[Page], blog: &BlogPlan) -> BlogManifest {
    blog_manifest.posts = rows.iter().map(|row| row.id.clone()).collect();
    blog_manifest.includes_drafts = blog.include_drafts;
    blog_manifest
}

/// Finds the database (and, from 2025-09-03, its data source) with its schema. The configured
/// id may also be a data source id.
async fn discover(client: &NotionClient, id: &str) -> anyhow::Result<BlogManifest> {
    let found =
        |database_id: String, data_source_id: Option<String>, database: Database| BlogManifest {
            database_id,
            data_source_id,
            database,
            posts: Vec::new(),
            includes_drafts: false,
            related_titles: BTreeMap::new(),
        };
    let mut database = match client.database(id).await {
        Ok(database) => database,
        Err(NotionError::NotFound(_)) if client.uses_data_sources() => {
            let source = client
                .data_source(id)
                .await
                .map_err(|_| NotionError::NotFound(Resource::Database(id.to_owned())))?;
            let database_id = match &source.parent {
                Some(Parent::DatabaseId { database_id }) => database_id.clone(),
                _ => id.to_owned(),
            };
            // A data source stands in for its database: its title and schema are the blog's.
            let database = Database {
                id: source.id,
                title: source.title,
                description: Vec::new(),
                icon: None,
                cover: None,
                parent: source.parent,
                last_edited_time: source.last_edited_time,
                in_trash: false,
                data_sources: Vec::new(),
                properties: source.properties,
                url: None,
            };
            return Ok(found(database_id, Some(id.to_owned()), database));
        }
        Err(other) => return Err(other.into()),
    };
    if !client.uses_data_sources() {
        return Ok(found(id.to_owned(), None, database));
    }
    let source_ref = database.data_sources.first().cloned().with_context(|| {
        format!("the database {id} has no data source the integration can read")
    })?;
    if database.data_sources.len() > 1 {
        tracing::warn!(
            "the blog database {id} has {} data sources; using the first, {:?}",
            database.data_sources.len(),
            source_ref.name
        );
    }
    // Keep the database's title and icon, with the data source's schema.
    database.properties = client.data_source(&source_ref.id).await?.properties;
    Ok(found(id.to_owned(), Some(source_ref.id), database))
}

/// A server-side filter for published rows, when the schema's property allows one.
pub fn published_filter_from(database: &Database, blog: &BlogPlan) -> Option<Value> {
    if blog.include_drafts {
        return None;
    }
    let property = database.properties.get(&blog.published_property)?;
    let name = &property.name;
    match property.type_name.as_str() {
        "checkbox" => Some(json!({"property": name, "checkbox": {"equals": true}})),
        "status" => Some(json!({"property": name, "status": {"equals": "Published"}})),
        "select" => Some(json!({"property": name, "select": {"equals": "Published"}})),
        _ => None,
    }
}

/// The ids of the pages the rows' relation properties point at, other than the rows.
pub(super) fn related_ids(rows: &[Page]) -> BTreeSet<String> {
    let rows_ids: HashSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    rows.iter()
        .flat_map(|row| row.properties.values())
        .filter_map(|property| match property {
            PropertyValue::Relation { ids, .. } => Some(ids),
            _ => None,
        })
        .flatten()
        .filter(|id| !rows_ids.contains(id.as_str()))
        .filter_map(|id| NotionId::parse(id).ok())
        .map(|id| id.to_string())
        .collect()
}

/// The titles of `ids`: from the last crawl where it knew them, from Notion otherwise. A page
/// the integration cannot read gets an empty title (a relation then shows nothing for it).
pub(super) async fn related_titles(
    client: &NotionClient,
    ids: BTreeSet<String>,
    known: BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let lookups = ids.into_iter().map(|id| {
        let known = known.get(&id).cloned();
        async move {
            let title = match known {
                Some(title) => title,
                None => match client.page(&id).await {
                    Ok(page) if !page.in_trash => page.title(),
                    Ok(_) => String::new(),
                    Err(error) => {
                        tracing::debug!("the related page {id} has no title here: {error}");
                        String::new()
                    }
                },
            };
            (id, title)
        }
    });
    futures_util::future::join_all(lookups)
        .await
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(include_drafts: bool) -> BlogPlan {
        BlogPlan {
            database: NotionId::parse("0f3c6a1e8a1b4d2e9f001234567890ab").unwrap(),
            published_property: "Published".into(),
            include_drafts,
        }
    }

    fn database(schema: Value) -> Database {
        Database::from_value(&json!({ "properties": schema }))
    }

    #[test]
    fn published_rows_are_filtered_on_the_server_by_property_type() {
        let checkbox =
            database(json!({"Published": {"id": "a", "type": "checkbox", "checkbox": {}}}));
        assert_eq!(
            published_filter_from(&checkbox, &plan(false)),
            Some(json!({"property": "Published", "checkbox": {"equals": true}}))
        );
        let status = database(json!({"Published": {"id": "a", "type": "status", "status": {}}}));
        assert_eq!(
            published_filter_from(&status, &plan(false)).unwrap()["status"]["equals"],
            "Published"
        );
        assert_eq!(published_filter_from(&checkbox, &plan(true)), None);
        let text =
            database(json!({"Published": {"id": "a", "type": "rich_text", "rich_text": {}}}));
        assert_eq!(published_filter_from(&text, &plan(false)), None);
    }
}
