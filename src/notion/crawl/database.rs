//! Databases inside pages: the database, its views, and the rows of the view the site shows,
//! queried through the data source with that view's filter and sorts (one request per 100
//! rows, full page objects included, where querying the view itself returns references only).

use crate::notion::client::{NotionClient, NotionError, Resource};
use crate::notion::model::{Page, View};

use super::DatabaseManifest;

/// What the crawl of one database found.
pub(super) struct Found {
    pub manifest: DatabaseManifest,
    /// The rows, in the view's order.
    pub rows: Vec<Page>,
}

/// Fetches the database `id` found on page `parent`. The database object and its views are
/// taken from `previous` when it has them (an unchanged database then costs its query alone);
/// `--full` (`previous` is `None`) reads them again. A database the integration cannot read
/// is found without rows, never an error.
pub(super) async fn crawl_database(
    client: &NotionClient,
    id: &str,
    parent: &str,
    previous: Option<&DatabaseManifest>,
    wanted_view: Option<&str>,
) -> anyhow::Result<Found> {
    let reusable = previous.filter(|p| {
        p.database.is_some() && p.data_source_id.is_some() == client.uses_data_sources()
    });
    if let Some(previous) = reusable {
        let mut manifest = previous.clone();
        manifest.parent = parent.to_owned();
        manifest.view = choose_view(
            &manifest.views,
            manifest.data_source_id.as_deref(),
            wanted_view,
        );
        match query_rows(client, &manifest).await {
            Ok(rows) => return Ok(with_rows(manifest, rows)),
            // The sharing, schema or views may have changed since: discover again.
            Err(NotionError::NotFound(_) | NotionError::Rejected { .. }) => {}
            Err(other) => return Err(other.into()),
        }
    }
    let mut manifest = DatabaseManifest {
        id: id.to_owned(),
        parent: parent.to_owned(),
        data_source_id: None,
        database: None,
        views: Vec::new(),
        view: None,
        rows: Vec::new(),
    };
    let mut database = match client.database(id).await {
        Ok(database) if !database.in_trash => database,
        Ok(_) => {
            tracing::debug!("the database {id} on page {parent} is in the trash");
            return Ok(with_rows(manifest, Vec::new()));
        }
        Err(NotionError::NotFound(_) | NotionError::Forbidden { .. }) => {
            return Ok(with_rows(manifest, Vec::new()));
        }
        Err(other) => return Err(other.into()),
    };
    if client.uses_data_sources() {
        let Some(source) = database.data_sources.first().cloned() else {
            tracing::warn!("the database {id} on page {parent} has no data source to read");
            return Ok(with_rows(manifest, Vec::new()));
        };
        database.properties = client.data_source(&source.id).await?.properties;
        manifest.data_source_id = Some(source.id);
        manifest.views = match views(client, id).await {
            Ok(views) => views,
            // A view list that never ends: shown as a table, like a database without views.
            Err(error @ NotionError::EndlessListing { .. }) => {
                tracing::warn!("{error} (on page {parent}): the database is shown as a table");
                Vec::new()
            }
            Err(other) => return Err(other.into()),
        };
    }
    manifest.database = Some(database);
    manifest.view = choose_view(
        &manifest.views,
        manifest.data_source_id.as_deref(),
        wanted_view,
    );
    let rows = query_rows(client, &manifest).await.map_err(|error| {
        anyhow::anyhow!("while querying the rows of database {id} on page {parent}: {error}")
    })?;
    Ok(with_rows(manifest, rows))
}

/// Every view of the database: the list, then one request per view (the list names them
/// only). A view that cannot be read is left out.
async fn views(client: &NotionClient, database: &str) -> Result<Vec<View>, NotionError> {
    let ids = match client.views(database).await {
        Ok(ids) => ids,
        Err(
            NotionError::NotFound(_) | NotionError::Forbidden { .. } | NotionError::Rejected { .. },
        ) => {
            tracing::debug!("the views of database {database} cannot be listed: shown as a table");
            return Ok(Vec::new());
        }
        Err(other) => return Err(other),
    };
    let fetched = futures_util::future::join_all(ids.iter().map(|id| client.view(id))).await;
    let mut views = Vec::new();
    for (id, view) in ids.iter().zip(fetched) {
        match view {
            Ok(view) => views.push(view),
            Err(error @ (NotionError::NotFound(_) | NotionError::Forbidden { .. })) => {
                tracing::debug!("view {id} of database {database} left out: {error}");
            }
            Err(other) => return Err(other),
        }
    }
    Ok(views)
}

/// The view the site shows: the one the config names (by id or name), else the first one
/// Notion lists that shows this data source. The API does not promise its list is in the
/// order of the tabs in Notion; the first one listed is the best guess it allows.
fn choose_view(views: &[View], data_source: Option<&str>, wanted: Option<&str>) -> Option<String> {
    if let Some(wanted) = wanted {
        let wanted_id = crate::notion::ids::NotionId::parse(wanted).ok();
        let named = views.iter().find(|v| {
            v.name == wanted
                || wanted_id.is_some()
                    && crate::notion::ids::NotionId::parse(&v.id).ok() == wanted_id
        });
        match named {
            Some(view) => return Some(view.id.clone()),
            None => tracing::warn!(
                "no view {wanted:?} in this database (its views: {}); showing the first",
                views
                    .iter()
                    .map(|v| format!("{:?}", v.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
    views
        .iter()
        .find(|v| match (&v.data_source_id, data_source) {
            (Some(shown), Some(ours)) => same_id(shown, ours),
            // A dashboard shows no data source of its own.
            (None, _) => false,
            (Some(_), None) => true,
        })
        .map(|v| v.id.clone())
}

fn same_id(a: &str, b: &str) -> bool {
    use crate::notion::ids::NotionId;
    match (NotionId::parse(a), NotionId::parse(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The rows of the chosen view (or of the whole database, in Notion's order, without one).
pub async fn query_rows(
    client: &NotionClient,
    manifest: &DatabaseManifest,
) -> Result<Vec<Page>, NotionError> {
    let target = match &manifest.data_source_id {
        Some(id) => Resource::DataSource(id.clone()),
        None => Resource::Database(manifest.id.clone()),
    };
    let view = manifest.chosen_view();
    let filter = view.and_then(|v| v.filter.as_ref());
    let sorts = view
        .and_then(|v| v.sorts.as_ref())
        .filter(|s| s.as_array().is_some_and(|a| !a.is_empty()));
    let rows = client.query(&target, filter, sorts).await?;
    Ok(rows.into_iter().filter(|row| !row.in_trash).collect())
}

fn with_rows(mut manifest: DatabaseManifest, rows: Vec<Page>) -> Found {
    manifest.rows = rows.iter().map(|row| row.id.clone()).collect();
    Found { manifest, rows }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn view(id: &str, name: &str, source: Option<&str>) -> View {
        View::from_value(
            &json!({"id": id, "name": name, "type": "table", "data_source_id": source}),
        )
    }

    #[test]
    fn the_first_view_of_the_data_source_is_shown_unless_the_config_names_one() {
        let views = [
            view("d", "Dashboard", None),
            view("a", "All", Some("ds")),
            view("b", "Cards", Some("ds")),
        ];
        assert_eq!(choose_view(&views, Some("ds"), None).as_deref(), Some("a"));
        assert_eq!(
            choose_view(&views, Some("ds"), Some("Cards")).as_deref(),
            Some("b")
        );
        assert_eq!(
            choose_view(&views, Some("ds"), Some("Nope")).as_deref(),
            Some("a")
        );
        assert_eq!(choose_view(&[], Some("ds"), None), None);
    }
}
