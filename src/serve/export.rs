//! Confirmed reports turned into what a brand sends on: a CSV or JSON per
//! platform for takedown requests, and rows for the registry's blocklist.
//! Pure formatting over the rows the store returns.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::time::Timestamp;

const EXPORT_COLS: [&str; 17] = [
    "reference",
    "id",
    "platform",
    "store_name",
    "store_id",
    "url",
    "brand",
    "category",
    "product_title",
    "price",
    "currency",
    "note",
    "created_at",
    "received_at",
    "state_at",
    "state_note",
    "has_screenshot",
];

/// The header `genuine registry import --blocklist` reads.
pub use crate::registry::import::BLOCKLIST_COLS;

fn text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn brand(v: &Value) -> String {
    v.get("verdict")
        .map(|v| text(v, "brand"))
        .unwrap_or_default()
}

/// A cell a spreadsheet would run as a formula (`=HYPERLINK(…)` in a store
/// name sent by a stranger) gets a leading apostrophe, the usual defence.
fn cell(s: String) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

/// Confirmed reports as CSV, for people and spreadsheets.
pub fn csv(rows: &[Value]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(EXPORT_COLS)?;
    for r in rows {
        w.write_record(EXPORT_COLS.iter().map(|c| match *c {
            "brand" => cell(brand(r)),
            c => cell(text(r, c)),
        }))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// Confirmed reports as JSON, grouped by platform.
pub fn by_platform(rows: Vec<Value>) -> Value {
    let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for r in rows {
        groups.entry(text(&r, "platform")).or_default().push(r);
    }
    let platforms: Map<String, Value> = groups
        .into_iter()
        .map(|(k, v)| (k, Value::Array(v)))
        .collect();
    json!({"generated_at": Timestamp::now().to_string(), "platforms": platforms})
}

/// One blocklist row per store (by id when known, else by folded name), its
/// reason naming every confirmed report about it so the registry entry can
/// be traced back. `store_url` is left empty: a report names a product page,
/// not the store's own address.
pub fn blocklist(rows: &[Value]) -> Result<Vec<u8>, csv::Error> {
    struct Entry<'a> {
        first: &'a Value,
        categories: Vec<String>,
        references: Vec<String>,
    }
    let mut stores: BTreeMap<(String, String), Entry> = BTreeMap::new();
    for r in rows {
        let id = text(r, "store_id");
        let key = if id.is_empty() {
            format!("name:{}", crate::normalize::fold(&text(r, "store_name")))
        } else {
            format!("id:{id}")
        };
        let e = stores
            .entry((text(r, "platform"), key))
            .or_insert_with(|| Entry {
                first: r,
                categories: Vec::new(),
                references: Vec::new(),
            });
        let category = text(r, "category").replace('_', " ");
        if !e.categories.contains(&category) {
            e.categories.push(category);
        }
        e.references.push(text(r, "reference"));
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(BLOCKLIST_COLS)?;
    for e in stores.values() {
        let r = e.first;
        let reason = format!(
            "{} (confirmed reports {})",
            e.categories.join(", "),
            e.references.join(" ")
        );
        // Each cell by its column's name, so the columns are BLOCKLIST_COLS
        // alone (the import reads them by name too). Formula-safe like the
        // report export: these cells are strangers' text too.
        let value = |col: &str| match col {
            "platform" => text(r, "platform"),
            "store_name" => cell(text(r, "store_name")),
            "store_id" => cell(text(r, "store_id")),
            "brand" => cell(brand(r)),
            "reason" => cell(reason.clone()),
            "reported_at" => text(r, "created_at").chars().take(10).collect(),
            _ => String::new(), // store_url: see above
        };
        w.write_record(BLOCKLIST_COLS.map(value))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// `(mime type, bytes)` of a PNG or JPEG data URL.
pub fn decode_data_url(url: &str) -> Option<(&'static str, Vec<u8>)> {
    let (mime, data) = if let Some(d) = url.strip_prefix("data:image/png;base64,") {
        ("image/png", d)
    } else {
        ("image/jpeg", url.strip_prefix("data:image/jpeg;base64,")?)
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .ok()?;
    Some((mime, bytes))
}
