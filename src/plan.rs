//! Chooses how to read: seek wherever seek is exact, the cursor only where it is not,
//! offset when the caller asks for it.

use crate::error::{SeekError, SeekErrorCode};
use crate::options::{ReadMethod, ReadOptions};
use crate::query::Direction;
use crate::transport::FieldInfo;

/// The field code of the record id in queries.
pub const ID_FIELD: &str = "$id";

/// One key of the read's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey {
    /// The field code.
    pub field: String,
    /// `desc` instead of `asc`.
    pub descending: bool,
    /// Values compare as decimal numbers (`$id`, NUMBER) rather than as text (dates, times).
    pub numeric: bool,
}

impl SortKey {
    fn id(descending: bool) -> SortKey {
        SortKey { field: ID_FIELD.to_string(), descending, numeric: true }
    }
}

/// How a read will be served. Every plan's keys end with `$id`, so the order is total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Keyset pagination on the keys: no cursor, pages retryable.
    Seek {
        /// The keys, `$id` last.
        keys: Vec<SortKey>,
        /// Keys that must be probed for empty values before seeking on them.
        probes: Vec<SortKey>,
    },
    /// The cursor API, deleted when the read ends in any way.
    Cursor {
        /// The keys, `$id` last.
        keys: Vec<SortKey>,
    },
    /// `limit`/`offset` paging, for at most 10,000 matching records.
    Offset {
        /// The keys, `$id` last.
        keys: Vec<SortKey>,
    },
}

/// The caller's order as keys: up to the first `$id` (it is unique, so later keys cannot
/// change the order), with `$id` appended as the tie-breaker when absent: `$id desc`
/// after other keys, because kintone returns records whose keys tie in `$id desc` (its
/// list view, a cursor, the official client), and `$id asc` for an empty order. A key
/// without a direction sorts descending, as in kintone.
pub fn sort_keys(options: &ReadOptions) -> Vec<SortKey> {
    let mut keys = Vec::new();
    for key in &options.order_by {
        let descending = key.direction != Some(Direction::Asc);
        if key.field == ID_FIELD {
            keys.push(SortKey::id(descending));
            return keys;
        }
        keys.push(SortKey { field: key.field.clone(), descending, numeric: false });
    }
    keys.push(SortKey::id(!keys.is_empty()));
    keys
}

/// The plan when it needs nothing from kintone, or `None` when the form's field types
/// must be read first.
pub fn plan_without_fields(options: &ReadOptions) -> Option<Plan> {
    let keys = sort_keys(options);
    match options.method {
        ReadMethod::Cursor => Some(Plan::Cursor { keys }),
        ReadMethod::Offset => Some(Plan::Offset { keys }),
        ReadMethod::Auto | ReadMethod::Seek if keys.len() == 1 => Some(Plan::Seek { keys, probes: Vec::new() }),
        ReadMethod::Auto | ReadMethod::Seek => None,
    }
}

/// Whether seek can serve a key exactly: `Ok(probe)` when it can, where `probe` says that
/// old records may still hold an empty value (the field was made required later), or
/// `Err(why)` when it cannot.
fn seekability(field: Option<&FieldInfo>) -> Result<bool, String> {
    let Some(field) = field else {
        return Err("it is not a field of the app's form".into());
    };
    match field.field_type.as_str() {
        "RECORD_NUMBER" | "CREATED_TIME" | "UPDATED_TIME" => Ok(false),
        "NUMBER" | "DATE" | "DATETIME" | "TIME" if field.required => Ok(true),
        "NUMBER" | "DATE" | "DATETIME" | "TIME" => Err(format!(
            "it is an optional {} field, and records with no value would be skipped",
            field.field_type
        )),
        other => Err(format!("a {other} field has no exact `>`/`=` order to seek on")),
    }
}

/// The plan once the form's fields are known.
pub fn plan_with_fields(options: &ReadOptions, fields: &[FieldInfo]) -> Result<Plan, SeekError> {
    let mut keys = sort_keys(options);
    let mut probes = Vec::new();
    for index in 0..keys.len() - 1 {
        let info = fields.iter().find(|field| field.code == keys[index].field);
        match seekability(info) {
            Ok(probe) => {
                let key = &mut keys[index];
                key.numeric = info.is_some_and(|f| f.field_type == "NUMBER");
                if info.is_some_and(|f| f.field_type == "RECORD_NUMBER") {
                    // The record number orders like `$id`, whose values are plain numbers.
                    let descending = key.descending;
                    keys.truncate(index);
                    keys.push(SortKey::id(descending));
                    break;
                }
                if probe {
                    probes.push(key.clone());
                }
            }
            Err(why) if options.method == ReadMethod::Seek => {
                return Err(SeekError::new(
                    SeekErrorCode::UnsupportedOrder,
                    format!(
                        "`method: \"seek\"` cannot read in the order on `{}`: {why}. Leave `method` out (\"auto\") to \
                         read this order with the cursor API.",
                        keys[index].field
                    ),
                ))
            }
            Err(_) => return Ok(Plan::Cursor { keys }),
        }
    }
    Ok(Plan::Seek { keys, probes })
}

/// `order by k1 asc, k2 desc, $id asc`.
pub fn order_clause(keys: &[SortKey]) -> String {
    // Pushed piece by piece: a `format!` per key, collected and joined, is larger in the wasm.
    let mut clause = String::from("order by ");
    for (index, key) in keys.iter().enumerate() {
        if index > 0 {
            clause.push_str(", ");
        }
        clause.push_str(&key.field);
        clause.push_str(if key.descending { " desc" } else { " asc" });
    }
    clause
}

/// `(condition) and extra`, `(condition)`, `extra` or nothing.
pub fn and_condition(condition: &str, extra: Option<&str>) -> String {
    match (condition.is_empty(), extra) {
        (true, None) => String::new(),
        (true, Some(extra)) => extra.to_string(),
        (false, None) => format!("({condition})"),
        (false, Some(extra)) => format!("({condition}) and {extra}"),
    }
}

/// A whole query: the condition part, then the clauses.
pub fn query_text(condition: &str, clauses: &str) -> String {
    if condition.is_empty() { clauses.to_string() } else { format!("{condition} {clauses}") }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
