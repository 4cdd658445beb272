//! Database / data source query: filters and sorts over a database's rows.
//!
//! Supported filters (anything else is a 400 `validation_error`, so clients can fall back to
//! filtering locally): `and`/`or` compounds; timestamp filters on `created_time` /
//! `last_edited_time`; property filters on checkbox, select, status, multi_select, title,
//! rich_text, url, email, phone_number, number, date, created_time, last_edited_time, files,
//! relation, with the conditions of the Notion reference.

use std::cmp::Ordering;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use super::workspace::{DbRec, Workspace, plain_text};

/// Row ids of `db` matching the body's `filter`, ordered by its `sorts`; trashed rows are left
/// out. `Err` carries a validation message.
pub(super) fn run(ws: &Workspace, db: &DbRec, body: &Value) -> Result<Vec<String>, String> {
    let filter = body.get("filter").filter(|f| !f.is_null());
    if let Some(f) = filter {
        // Validate once even when there are no rows.
        eval(f, &serde_json::json!({"properties": {}}), db, 0)?;
    }
    let mut rows: Vec<&Value> = Vec::new();
    for id in &db.rows {
        let Some(page) = ws.pages.get(id) else {
            continue;
        };
        if page["in_trash"] == true || ws.unshared.contains(id) {
            continue;
        }
        if let Some(f) = filter
            && !eval(f, page, db, 0)?
        {
            continue;
        }
        rows.push(page);
    }
    if let Some(sorts) = body.get("sorts").filter(|s| !s.is_null()) {
        let sorts = sorts
            .as_array()
            .ok_or("body failed validation: body.sorts should be an array")?;
        let mut keys = Vec::new();
        for s in sorts {
            let desc = match s["direction"].as_str() {
                Some("ascending") | None => false,
                Some("descending") => true,
                Some(other) => {
                    return Err(format!(
                        "body failed validation: body.sorts[0].direction should be `\"ascending\"` or `\"descending\"`, instead was `\"{other}\"`."
                    ));
                }
            };
            if let Some(ts) = s["timestamp"].as_str() {
                if ts != "created_time" && ts != "last_edited_time" {
                    return Err(format!(
                        "body failed validation: body.sorts[0].timestamp should be `\"created_time\"` or `\"last_edited_time\"`, instead was `\"{ts}\"`."
                    ));
                }
                keys.push((SortBy::Timestamp(ts.to_string()), desc));
            } else if let Some(p) = s["property"].as_str() {
                let (name, _) = find_property(db, p)?;
                keys.push((SortBy::Property(name), desc));
            } else {
                return Err("body failed validation: body.sorts[0].property should be defined, instead was `undefined`.".into());
            }
        }
        rows.sort_by(|a, b| {
            for (key, desc) in &keys {
                let (ka, kb) = (sort_key(a, key), sort_key(b, key));
                let ord = match (&ka, &kb) {
                    (Key::None, Key::None) => Ordering::Equal,
                    (Key::None, _) => Ordering::Greater, // empties last
                    (_, Key::None) => Ordering::Less,
                    _ => {
                        let o = ka.cmp(&kb);
                        if *desc { o.reverse() } else { o }
                    }
                };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            Ordering::Equal
        });
    }
    Ok(rows
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect())
}

enum SortBy {
    Timestamp(String),
    Property(String),
}

#[derive(PartialEq, PartialOrd)]
enum Key {
    Num(f64),
    Str(String),
    None,
}

impl Key {
    fn cmp(&self, other: &Key) -> Ordering {
        self.partial_cmp(other).unwrap_or(Ordering::Equal)
    }
}

fn sort_key(page: &Value, by: &SortBy) -> Key {
    match by {
        SortBy::Timestamp(ts) => time_key(&page[ts]),
        SortBy::Property(name) => {
            let p = &page["properties"][name];
            let ty = p["type"].as_str().unwrap_or("");
            let v = &p[ty];
            match ty {
                "title" | "rich_text" => Key::Str(plain_text(v)),
                "number" => v.as_f64().map(Key::Num).unwrap_or(Key::None),
                "checkbox" => Key::Num(if v == true { 1.0 } else { 0.0 }),
                "select" | "status" => v["name"]
                    .as_str()
                    .map(|s| Key::Str(s.into()))
                    .unwrap_or(Key::None),
                "date" => time_key(&v["start"]),
                "created_time" | "last_edited_time" => time_key(v),
                "url" | "email" | "phone_number" => {
                    v.as_str().map(|s| Key::Str(s.into())).unwrap_or(Key::None)
                }
                _ => Key::None,
            }
        }
    }
}

fn time_key(v: &Value) -> Key {
    v.as_str()
        .and_then(parse_time)
        .map(|t| Key::Num(t.timestamp_millis() as f64))
        .unwrap_or(Key::None)
}

/// RFC 3339 or a bare date (midnight UTC).
fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap().and_utc())
}

fn find_property(db: &DbRec, name_or_id: &str) -> Result<(String, String), String> {
    db.schema
        .iter()
        .find(|(n, cfg)| n == name_or_id || cfg["id"] == name_or_id)
        .map(|(n, cfg)| (n.clone(), cfg["type"].as_str().unwrap_or("").to_string()))
        .ok_or_else(|| format!("Could not find property with name or id: {name_or_id}"))
}

fn unsupported(what: &str) -> String {
    format!("body failed validation: body.filter {what} is not a supported filter.")
}

fn eval(f: &Value, page: &Value, db: &DbRec, depth: usize) -> Result<bool, String> {
    let obj = f
        .as_object()
        .ok_or_else(|| unsupported("should be an object;"))?;
    if let Some(list) = obj.get("and").or_else(|| obj.get("or")) {
        if depth >= 2 {
            return Err("body failed validation: body.filter compound filters may be nested only two levels deep.".into());
        }
        let list = list
            .as_array()
            .ok_or_else(|| unsupported("and/or should be an array;"))?;
        let is_and = obj.contains_key("and");
        let mut result = is_and;
        for sub in list {
            let m = eval(sub, page, db, depth + 1)?;
            if is_and {
                result &= m;
            } else {
                result |= m;
            }
        }
        return Ok(result);
    }
    if let Some(ts) = obj.get("timestamp").and_then(|t| t.as_str()) {
        if ts != "created_time" && ts != "last_edited_time" {
            return Err(unsupported(&format!("timestamp `{ts}`")));
        }
        let cond = obj
            .get(ts)
            .ok_or_else(|| unsupported("timestamp condition missing;"))?;
        return date_condition(cond, page[ts].as_str());
    }
    let Some(prop) = obj.get("property").and_then(|p| p.as_str()) else {
        return Err(unsupported(&format!("{f}")));
    };
    let (name, ty) = find_property(db, prop)?;
    let ftype = obj
        .keys()
        .find(|k| *k != "property")
        .ok_or_else(|| unsupported("condition missing;"))?
        .clone();
    if ftype != ty && !(ftype == "date" && (ty == "created_time" || ty == "last_edited_time")) {
        return Err(format!(
            "body failed validation: body.filter.{ftype} does not match the type of property \"{name}\" ({ty})."
        ));
    }
    let cond = &obj[&ftype];
    let value = &page["properties"][&name][&ty];
    match ty.as_str() {
        "checkbox" => {
            let v = value == true;
            single(cond, |op, arg| match op {
                "equals" => arg.as_bool().map(|b| v == b),
                "does_not_equal" => arg.as_bool().map(|b| v != b),
                _ => None,
            })
        }
        "select" | "status" => {
            let name = value["name"].as_str();
            single(cond, |op, arg| match op {
                "equals" => Some(name.is_some() && eq_any(arg, name.unwrap())),
                "does_not_equal" => Some(name.is_none() || !eq_any(arg, name.unwrap())),
                "is_empty" => Some(name.is_none()),
                "is_not_empty" => Some(name.is_some()),
                _ => None,
            })
        }
        "multi_select" => {
            let names: Vec<&str> = value
                .as_array()
                .map(|a| a.iter().filter_map(|o| o["name"].as_str()).collect())
                .unwrap_or_default();
            single(cond, |op, arg| match op {
                "contains" => Some(names.iter().any(|n| eq_any(arg, n))),
                "does_not_contain" => Some(!names.iter().any(|n| eq_any(arg, n))),
                "is_empty" => Some(names.is_empty()),
                "is_not_empty" => Some(!names.is_empty()),
                _ => None,
            })
        }
        "title" | "rich_text" | "url" | "email" | "phone_number" => {
            let s = if ty == "title" || ty == "rich_text" {
                plain_text(value)
            } else {
                value.as_str().unwrap_or("").to_string()
            };
            single(cond, |op, arg| {
                let a = arg.as_str();
                match op {
                    "equals" => a.map(|a| s == a),
                    "does_not_equal" => a.map(|a| s != a),
                    "contains" => a.map(|a| s.contains(a)),
                    "does_not_contain" => a.map(|a| !s.contains(a)),
                    "starts_with" => a.map(|a| s.starts_with(a)),
                    "ends_with" => a.map(|a| s.ends_with(a)),
                    "is_empty" => Some(s.is_empty()),
                    "is_not_empty" => Some(!s.is_empty()),
                    _ => None,
                }
            })
        }
        "number" => {
            let n = value.as_f64();
            single(cond, |op, arg| {
                if op == "is_empty" {
                    return Some(n.is_none());
                }
                if op == "is_not_empty" {
                    return Some(n.is_some());
                }
                let a = arg.as_f64()?;
                let Some(n) = n else {
                    return matches!(
                        op,
                        "equals"
                            | "does_not_equal"
                            | "greater_than"
                            | "less_than"
                            | "greater_than_or_equal_to"
                            | "less_than_or_equal_to"
                    )
                    .then_some(op == "does_not_equal");
                };
                match op {
                    "equals" => Some(n == a),
                    "does_not_equal" => Some(n != a),
                    "greater_than" => Some(n > a),
                    "less_than" => Some(n < a),
                    "greater_than_or_equal_to" => Some(n >= a),
                    "less_than_or_equal_to" => Some(n <= a),
                    _ => None,
                }
            })
        }
        "date" => date_condition(cond, value["start"].as_str()),
        "created_time" | "last_edited_time" => date_condition(cond, value.as_str()),
        "files" => single(cond, |op, _| {
            let empty = value.as_array().is_none_or(|a| a.is_empty());
            match op {
                "is_empty" => Some(empty),
                "is_not_empty" => Some(!empty),
                _ => None,
            }
        }),
        "relation" => {
            let ids: Vec<String> = value
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|o| o["id"].as_str().map(|s| s.replace('-', "")))
                        .collect()
                })
                .unwrap_or_default();
            single(cond, |op, arg| match op {
                "contains" => arg.as_str().map(|a| ids.contains(&a.replace('-', ""))),
                "does_not_contain" => arg.as_str().map(|a| !ids.contains(&a.replace('-', ""))),
                "is_empty" => Some(ids.is_empty()),
                "is_not_empty" => Some(!ids.is_empty()),
                _ => None,
            })
        }
        other => Err(unsupported(&format!("on a `{other}` property"))),
    }
}

/// `arg` equals `name`, or (an array) contains it.
fn eq_any(arg: &Value, name: &str) -> bool {
    match arg {
        Value::String(s) => s == name,
        Value::Array(a) => a.iter().any(|x| x == name),
        _ => false,
    }
}

/// A condition object with exactly one operator.
fn single(cond: &Value, f: impl Fn(&str, &Value) -> Option<bool>) -> Result<bool, String> {
    let obj = cond
        .as_object()
        .ok_or_else(|| unsupported("condition should be an object;"))?;
    if obj.len() != 1 {
        return Err(unsupported("condition should have exactly one operator;"));
    }
    let (op, arg) = obj.iter().next().unwrap();
    f(op, arg).ok_or_else(|| unsupported(&format!("operator `{op}` with `{arg}`")))
}

fn date_condition(cond: &Value, value: Option<&str>) -> Result<bool, String> {
    let v = value.and_then(parse_time);
    let day = value.map(|s| s.chars().take(10).collect::<String>());
    single(cond, |op, arg| {
        match op {
            "is_empty" => return Some(v.is_none()),
            "is_not_empty" => return Some(v.is_some()),
            _ => {}
        }
        let a_str = arg.as_str()?;
        let a = parse_time(a_str)?;
        let Some(v) = v else {
            return matches!(
                op,
                "equals" | "before" | "after" | "on_or_before" | "on_or_after"
            )
            .then_some(false);
        };
        match op {
            "equals" => Some(if a_str.len() == 10 {
                day.as_deref() == Some(a_str)
            } else {
                v == a
            }),
            "before" => Some(v < a),
            "after" => Some(v > a),
            "on_or_before" => Some(v <= a),
            "on_or_after" => Some(v >= a),
            _ => None,
        }
    })
}
