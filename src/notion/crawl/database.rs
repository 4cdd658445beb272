//! Databases inside pages: the database, its views, and the rows of the view the site shows,
//! queried through the data source with that view's filter and sorts (one request per 100
//! rows, full page objects included, where querying the view itself returns references only).

use std::collections::HashMap;

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
        let source = manifest.data_source_id.clone();
        (manifest.views, manifest.view) = match &source {
            Some(source) => {
                let kept = &previous.views;
                shown_views(client, id, parent, kept, source, wanted_view).await?
            }
            None => (Vec::new(), None),
        };
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
        (manifest.views, manifest.view) =
            shown_views(client, id, parent, &[], &source.id, wanted_view).await?;
        manifest.data_source_id = Some(source.id);
    }
    manifest.database = Some(database);
    let rows = query_rows(client, &manifest).await.map_err(|error| {
        anyhow::anyhow!("while querying the rows of database {id} on page {parent}: {error}")
    })?;
    Ok(with_rows(manifest, rows))
}

/// The database's views and the id of the one the site shows, at the least cost that still
/// notices a change to what is shown: the list (which views there are, in which order; left
/// out when the config names a kept view by id), a `GET` of each view not in `kept` (all of
/// them on a first crawl), and a `GET` of the chosen view unless it was just read, since its
/// filter, sorts, shown properties and layout are only in its own answer. The other kept views
/// are not read again: they only matter once one of them is shown.
///
/// A list the integration cannot read, or one that never ends, leaves the database without
/// views (a table of its rows), with a warning for the latter; a view that cannot be read is
/// left out.
async fn shown_views(
    client: &NotionClient,
    database: &str,
    parent: &str,
    kept: &[View],
    data_source: &str,
    wanted: Option<&str>,
) -> anyhow::Result<(Vec<View>, Option<String>)> {
    let named_by_id = wanted.filter(|w| kept.iter().any(|v| same_id(&v.id, w)));
    let ids: Vec<String> = match named_by_id {
        Some(_) => kept.iter().map(|v| v.id.clone()).collect(),
        None => match client.views(database).await {
            Ok(ids) => ids,
            Err(
                NotionError::NotFound(_)
                | NotionError::Forbidden { .. }
                | NotionError::Rejected { .. },
            ) => {
                tracing::debug!("the views of database {database} cannot be listed: a table");
                return Ok((Vec::new(), None));
            }
            Err(error @ NotionError::EndlessListing { .. }) => {
                tracing::warn!("{error} (on page {parent}): the database is shown as a table");
                return Ok((Vec::new(), None));
            }
            Err(other) => return Err(other.into()),
        },
    };
    let known = |id: &str| kept.iter().find(|v| same_id(&v.id, id));
    let unknown: Vec<&String> = ids.iter().filter(|id| known(id).is_none()).collect();
    let mut fetched: HashMap<String, View> = HashMap::new();
    let answers = futures_util::future::join_all(unknown.iter().map(|id| client.view(id))).await;
    for (id, answer) in unknown.into_iter().zip(answers) {
        if let Some(view) = readable(database, id, answer)? {
            fetched.insert(normal(id), view);
        }
    }
    let mut views: Vec<View> = ids
        .iter()
        .filter_map(|id| fetched.get(&normal(id)).or_else(|| known(id)).cloned())
        .collect();
    // Each round reads the chosen view or drops it: at most one round per view.
    loop {
        let Some(chosen) = choose_view(&views, Some(data_source), wanted) else {
            return Ok((views, None));
        };
        if fetched.contains_key(&normal(&chosen)) {
            return Ok((views, Some(chosen)));
        }
        match readable(database, &chosen, client.view(&chosen).await)? {
            Some(view) => {
                for slot in views.iter_mut().filter(|v| v.id == chosen) {
                    *slot = view.clone();
                }
                fetched.insert(normal(&chosen), view);
            }
            None => views.retain(|v| v.id != chosen),
        }
    }
}

/// A view's answer: the view, `None` when it cannot be read (it is left out), or the error.
fn readable(
    database: &str,
    id: &str,
    answer: Result<View, NotionError>,
) -> anyhow::Result<Option<View>> {
    match answer {
        Ok(view) => Ok(Some(view)),
        Err(error @ (NotionError::NotFound(_) | NotionError::Forbidden { .. })) => {
            tracing::debug!("view {id} of database {database} left out: {error}");
            Ok(None)
        }
        Err(other) => Err(other.into()),
    }
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

/// An id in one spelling, whichever Notion used.
fn normal(id: &str) -> String {
    crate::notion::ids::NotionId::parse(id).map_or_else(|_| id.to_owned(), |id| id.to_string())
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
