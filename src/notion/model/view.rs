//! Database views (API 2025-09-03 and later): how the author lays a database out in Notion —
//! its layout, the rows it filters in and their order, the properties it shows.
//!
//! Parsing is tolerant like the rest of the model: an unknown layout is kept by name, a
//! configuration field of an unexpected shape is dropped, never an error.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One view of a database, as `GET /v1/views/{id}` returns it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct View {
    /// The view's id.
    pub id: String,
    /// Its name, shown on its tab in Notion.
    pub name: String,
    /// Its layout: `table`, `board`, `calendar`, `timeline`, `gallery`, `list`, `form`,
    /// `chart`, `map`, `dashboard`, or a type notion-bake does not know.
    #[serde(rename = "type")]
    pub layout: String,
    /// The data source it shows (none for a dashboard).
    pub data_source_id: Option<String>,
    /// The filter, in the shape of a data source query's `filter`.
    pub filter: Option<Value>,
    /// The sorts, in the shape of a data source query's `sorts`.
    pub sorts: Option<Value>,
    /// The layout's settings; `None` on an untouched default table view.
    pub configuration: Option<ViewConfiguration>,
}

/// The settings of a view's layout. Each layout uses the fields that concern it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewConfiguration {
    /// The properties shown, in the order shown, keyed by property id.
    pub properties: Vec<ViewProperty>,
    /// Gallery: what each card shows as its cover.
    pub cover: Option<GalleryCover>,
    /// Gallery: `small`, `medium` or `large`.
    pub cover_size: Option<String>,
    /// Gallery: `contain` or `cover`.
    pub cover_aspect: Option<String>,
    /// Board: the property the columns group by.
    pub group_by: Option<GroupBy>,
    /// Board: the property the rows are grouped by again inside each column (Notion's
    /// swimlanes).
    pub sub_group_by: Option<GroupBy>,
    /// Calendar: `month` (the default) or `week`.
    pub view_range: Option<String>,
    /// Calendar: the date property the rows are placed by.
    pub date_property_id: Option<String>,
}

/// One shown property of a view.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewProperty {
    /// The property's id (stable across renames, unlike its name).
    pub property_id: String,
    /// `false` when the view lists the property but hides it.
    pub visible: Option<bool>,
    /// Table: the column's width in pixels.
    pub width: Option<f64>,
}

/// A gallery's card cover.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GalleryCover {
    /// `page_cover`, `page_content`, `page_content_first` or `property`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The files property, for `property`.
    pub property_id: Option<String>,
}

/// A board's grouping.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupBy {
    /// The property the rows are grouped by.
    pub property_id: String,
    /// How the groups are ordered.
    pub sort: Option<GroupSort>,
}

/// The order of a board's groups.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupSort {
    /// `manual` (the property's option order), `ascending` or `descending`.
    #[serde(rename = "type")]
    pub kind: String,
}

impl View {
    /// Reads a view object; a configuration of an unexpected shape is left out, as are the
    /// filter and sorts when they are null.
    pub fn from_value(value: &Value) -> View {
        let text = |key: &str| {
            value
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let present = |key: &str| value.get(key).filter(|v| !v.is_null()).cloned();
        View {
            id: text("id"),
            name: text("name"),
            layout: text("type"),
            data_source_id: value
                .get("data_source_id")
                .and_then(Value::as_str)
                .map(str::to_owned),
            filter: present("filter"),
            sorts: present("sorts"),
            configuration: present("configuration")
                .and_then(|c| ViewConfiguration::deserialize(c).ok()),
        }
    }

    /// The ids of the properties the view shows, in its order; `None` when the view does not
    /// say (an untouched default view shows every property).
    pub fn shown_property_ids(&self) -> Option<Vec<&str>> {
        let configuration = self.configuration.as_ref()?;
        if configuration.properties.is_empty() {
            return None;
        }
        Some(
            configuration
                .properties
                .iter()
                .filter(|p| p.visible != Some(false))
                .map(|p| p.property_id.as_str())
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_gallery_view_keeps_its_cover_and_shown_properties_in_order() {
        let view = View::from_value(&json!({
            "object": "view", "id": "v", "name": "Cards", "type": "gallery",
            "data_source_id": "ds", "filter": null, "sorts": [{"property": "Year", "direction": "descending"}],
            "configuration": {
                "type": "gallery",
                "properties": [
                    {"property_id": "b", "visible": true},
                    {"property_id": "hidden", "visible": false},
                    {"property_id": "a"}
                ],
                "cover": {"type": "property", "property_id": "f"},
                "cover_size": "large", "cover_aspect": "contain"
            }
        }));
        assert_eq!(view.layout, "gallery");
        assert_eq!(view.filter, None);
        assert!(view.sorts.is_some());
        assert_eq!(view.shown_property_ids(), Some(vec!["b", "a"]));
        let configuration = view.configuration.unwrap();
        assert_eq!(
            configuration.cover.unwrap().property_id.as_deref(),
            Some("f")
        );
        assert_eq!(configuration.cover_size.as_deref(), Some("large"));
    }

    #[test]
    fn an_untouched_default_view_shows_every_property() {
        let view = View::from_value(&json!({"id": "v", "type": "table", "configuration": null}));
        assert_eq!(view.configuration, None);
        assert_eq!(view.shown_property_ids(), None);
        let odd = View::from_value(&json!({"id": "v", "type": "table", "configuration": 7}));
        assert_eq!(odd.configuration, None);
    }
}
