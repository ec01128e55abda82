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
    /// The order split into parts read one after another, each by seek: one per option of
    /// the leading drop-downs, and the empty and non-empty values of an optional key.
    Parts(PartPlan),
    /// No seek can serve the order: offset when few enough records match, else a local
    /// sort (`getAllRecords`) or the cursor. The cursor alone when asked for by `method`.
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

/// An order served in parts: `selections` (each with its options in sort order), then at
/// most one key that may be empty, then keys that never are, `$id` last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartPlan {
    /// Leading DROP_DOWN / RADIO_BUTTON keys and their options in defined order.
    pub selections: Vec<(SortKey, Vec<String>)>,
    /// A NUMBER, CALC, DATE, DATETIME or TIME key that may be empty.
    pub optional: Option<SortKey>,
    /// The keys after those, seekable and never empty, `$id` last.
    pub rest: Vec<SortKey>,
    /// Keys of `rest` that must be probed for empty values (required now, maybe not always).
    pub probes: Vec<SortKey>,
}

/// Parts beyond this many (options multiplied across drop-downs) cost more requests than
/// they save: such an order is read as if seek could not serve it.
pub const MAX_PARTS: usize = 100;

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

/// What seek can make of one key.
enum KeyClass {
    /// Never empty (or probed to be): compound seek; `true` when it must be probed.
    Exact(bool),
    /// May be empty: read as its empty and its non-empty part.
    Optional,
    /// A drop-down or radio button: one part per option, in this order.
    Selection(Vec<String>),
    /// The record number: orders as `$id`.
    RecordNumber,
}

fn classify(field: Option<&FieldInfo>) -> Result<KeyClass, String> {
    let Some(field) = field else {
        return Err("it is not a field of the app's form".into());
    };
    match field.field_type.as_str() {
        "RECORD_NUMBER" => Ok(KeyClass::RecordNumber),
        "CREATED_TIME" | "UPDATED_TIME" => Ok(KeyClass::Exact(false)),
        "NUMBER" | "CALC" | "DATE" | "DATETIME" | "TIME" if field.required => Ok(KeyClass::Exact(true)),
        "NUMBER" | "CALC" | "DATE" | "DATETIME" | "TIME" => Ok(KeyClass::Optional),
        "DROP_DOWN" | "RADIO_BUTTON" if !field.options.is_empty() => Ok(KeyClass::Selection(field.options.clone())),
        other => Err(format!("a {other} field has no exact `>`/`=` order to seek on")),
    }
}

/// The plan once the form's fields are known.
pub fn plan_with_fields(options: &ReadOptions, fields: &[FieldInfo]) -> Result<Plan, SeekError> {
    match seek_plan(options, fields) {
        Ok(plan) => Ok(plan),
        Err((field, why)) if options.method == ReadMethod::Seek => Err(unsupported_order(&field, &why)),
        Err(_) => Ok(Plan::Cursor { keys: sort_keys(options) }),
    }
}

/// `method: "seek"` asked for an order seek cannot serve.
pub fn unsupported_order(field: &str, why: &str) -> SeekError {
    SeekError::new(
        SeekErrorCode::UnsupportedOrder,
        format!(
            "`method: \"seek\"` cannot read in the order on `{field}`: {why}. Leave `method` out (\"auto\") to read \
             this order with offset (up to 10,000 records), a local sort (`getAllRecords`) or the cursor API."
        ),
    )
}

/// The seek plan, or the key it cannot serve and why.
fn seek_plan(options: &ReadOptions, fields: &[FieldInfo]) -> Result<Plan, (String, String)> {
    let mut keys = sort_keys(options);
    let (mut selections, mut optional, mut probes) = (Vec::new(), None, Vec::new());
    let mut index = 0;
    while index < keys.len() - 1 {
        let info = fields.iter().find(|field| field.code == keys[index].field);
        let class = classify(info).map_err(|why| (keys[index].field.clone(), why))?;
        let key = &mut keys[index];
        key.numeric = info.is_some_and(|f| matches!(f.field_type.as_str(), "NUMBER" | "CALC"));
        match class {
            KeyClass::RecordNumber => {
                // The record number orders like `$id`, whose values are plain numbers.
                let descending = key.descending;
                keys.truncate(index);
                keys.push(SortKey::id(descending));
                break;
            }
            KeyClass::Selection(options) if selections.len() == index => selections.push((key.clone(), options)),
            KeyClass::Optional if index == selections.len() => optional = Some(key.clone()),
            KeyClass::Exact(probe) => {
                if probe {
                    probes.push(key.clone());
                }
            }
            KeyClass::Selection(_) => {
                return Err((key.field.clone(), "a drop-down after a key that is not one cannot be split into parts".into()))
            }
            KeyClass::Optional => {
                return Err((key.field.clone(), "an optional field after another key, and records with no value in it would have no place in the order".into()))
            }
        }
        index += 1;
    }
    if selections.is_empty() && optional.is_none() {
        return Ok(Plan::Seek { keys, probes });
    }
    let mut parts: usize = if optional.is_some() { 2 } else { 1 };
    for (key, options) in &selections {
        parts = parts.saturating_mul(options.len() + 1);
        if parts > MAX_PARTS {
            return Err((key.field.clone(), format!("its options make more than {MAX_PARTS} parts to read")));
        }
    }
    let rest = keys.split_off(selections.len() + usize::from(optional.is_some()));
    Ok(Plan::Parts(PartPlan { selections, optional, rest, probes }))
}

/// The keys with every direction turned: the order read from its far end.
pub fn reversed(keys: &[SortKey]) -> Vec<SortKey> {
    let mut reversed = Vec::with_capacity(keys.len());
    for key in keys {
        reversed.push(SortKey { descending: !key.descending, ..key.clone() });
    }
    reversed
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
