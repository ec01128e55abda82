//! The caller's options, checked before any request is sent. Every refusal names the
//! option and says how to fix it.

use crate::error::SeekError;
use crate::limits::{CURSOR_LIFETIME_MS, MAX_PAGE_SIZE};
use crate::query::{parse_order_by, parse_query, OrderKey, Query, QueryError};
use crate::transport::ParamValue;

/// An option's value as JavaScript handed it over, reduced to what validation needs
/// (read in the wasm build by `bindings::option_reader`). A member that is `undefined` is absent:
/// the facade drops it before the options reach the core.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    Str(String),
    /// An array.
    List(Vec<OptionValue>),
    /// Anything else (function, object, signal...), by its `typeof`.
    Other(String),
}

impl OptionValue {
    // Written without float or `{:?}` formatting: those would add about 20 KB to the wasm.
    fn describe(&self) -> String {
        match self {
            OptionValue::Null => "null".into(),
            OptionValue::Bool(b) => b.to_string(),
            OptionValue::Number(n) if n.fract() != 0.0 || n.is_nan() => "a number that is not a whole number".into(),
            OptionValue::Number(n) if n.abs() < 1e18 => (*n as i64).to_string(),
            OptionValue::Number(_) => "a number too large to be an id or a count".into(),
            OptionValue::Str(s) => format!("\"{s}\""),
            OptionValue::List(_) => "an array".into(),
            OptionValue::Other(kind) if kind.starts_with(['a', 'e', 'i', 'o', 'u']) => format!("an {kind}"),
            OptionValue::Other(kind) => format!("a {kind}"),
        }
    }
}

/// How the caller asked the records to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadMethod {
    /// Seek whenever seek is exact, the cursor otherwise.
    Auto,
    /// Seek only; an order seek cannot serve is refused.
    Seek,
    /// The cursor API.
    Cursor,
    /// `offset` paging, up to 10,000 records.
    Offset,
}

/// Options that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOptions {
    /// The app id, sent as the caller gave it (number or string).
    pub app: ParamValue,
    /// The condition's text, trimmed; empty for every record.
    pub condition: String,
    /// The sort keys; empty means `$id asc`.
    pub order_by: Vec<OrderKey>,
    /// The fields to return, `None` for all.
    pub fields: Option<Vec<String>>,
    /// How to read.
    pub method: ReadMethod,
    /// Records per request.
    pub page_size: u32,
    /// The app's guest space, when known.
    pub guest_space_id: Option<u64>,
    /// Retries of a seek or offset page after a transient failure.
    pub retries: u32,
    /// How long to wait for a free cursor when all 10 are taken, in ms.
    pub cursor_wait_ms: u64,
    /// Id windows read in parallel by a seek on `$id`; `None` leaves it to the transport's default.
    pub concurrency: Option<u32>,
}

/// Every option name of the contract. The JavaScript-only ones (`signal`,
/// `onProgress`, `transport`) are checked by the facade but known here so that a typo
/// of them is caught too.
pub const OPTION_NAMES: [&str; 14] = [
    "app", "condition", "orderBy", "query", "fields", "method", "pageSize", "signal",
    "onProgress", "guestSpaceId", "transport", "concurrency", "cursorWaitMs", "retries",
];

const DEFAULT_PAGE_SIZE: u32 = MAX_PAGE_SIZE;
/// Four retries (five attempts): a page that fails five times in a row, with pauses
/// growing to 2.4 s, points at an outage rather than a hiccup.
pub const DEFAULT_RETRIES: u32 = 4;
/// The most id windows one read may have in flight: well below the 100 concurrent
/// requests a kintone domain takes from all its users together.
pub const MAX_CONCURRENCY: u32 = 8;
/// Half a minute: longer than most other readers hold a cursor, short of a user giving up.
pub const DEFAULT_CURSOR_WAIT_MS: u64 = 30_000;

/// Validates the options object's entries (name, value) into [`ReadOptions`].
pub fn parse_options(entries: &[(String, OptionValue)]) -> Result<ReadOptions, SeekError> {
    for (name, _) in entries {
        check_name(name)?;
    }
    let get = |name: &str| entries.iter().find(|(key, _)| key == name).map(|(_, value)| value);

    let app = match get("app") {
        None => return Err(SeekError::option("`app` is required: pass the app id, e.g. { app: 12 }.")),
        Some(value) => parse_id("app", value)?.0,
    };
    let guest_space_id = match get("guestSpaceId") {
        None | Some(OptionValue::Null) => None,
        Some(value) => Some(parse_id("guestSpaceId", value)?.1),
    };

    let text = |name: &str| -> Result<Option<String>, SeekError> {
        match get(name) {
            None => Ok(None),
            Some(OptionValue::Str(s)) => Ok(Some(s.clone())),
            Some(other) => Err(SeekError::option(format!(
                "`{name}` must be a string, got {}.",
                other.describe()
            ))),
        }
    };
    let (condition, order_by) = match (text("query")?, text("condition")?, text("orderBy")?) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            return Err(SeekError::option(
                "Give either `query`, or `condition` and `orderBy`, not both: `query` already holds a condition and an order.",
            ))
        }
        (Some(query), None, None) => {
            let parsed = parse_checked("query", &query)?;
            (parsed.condition_text, parsed.order_by)
        }
        (None, condition, order_by) => {
            let condition = match condition {
                None => String::new(),
                Some(text) => {
                    let parsed = parse_checked("condition", &text)?;
                    if !parsed.order_by.is_empty() {
                        return Err(SeekError::query(
                            "`condition` holds an `order by` clause: pass the order as `orderBy`, or the whole text as `query`.",
                        ));
                    }
                    parsed.condition_text
                }
            };
            let order_by = match order_by {
                None => Vec::new(),
                Some(text) => parse_order_by(&text).map_err(|e| syntax_error("orderBy", &text, e))?,
            };
            (condition, order_by)
        }
    };

    let fields = match get("fields") {
        None => None,
        Some(OptionValue::List(items)) if items.is_empty() => {
            return Err(SeekError::option("`fields` is empty: omit it to get every field, or list the field codes you need."))
        }
        Some(OptionValue::List(items)) => Some(
            items
                .iter()
                .map(|item| match item {
                    OptionValue::Str(code) if !code.trim().is_empty() => Ok(code.clone()),
                    other => Err(SeekError::option(format!(
                        "`fields` must hold field codes (non-empty strings), got {}.",
                        other.describe()
                    ))),
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(other) => {
            return Err(SeekError::option(format!(
                "`fields` must be an array of field codes, got {}.",
                other.describe()
            )))
        }
    };

    let method = match text("method")?.as_deref() {
        None | Some("auto") => ReadMethod::Auto,
        Some("seek") => ReadMethod::Seek,
        Some("cursor") => ReadMethod::Cursor,
        Some("offset") => ReadMethod::Offset,
        Some(other) => {
            return Err(SeekError::option(format!(
                "`method` must be \"auto\", \"seek\", \"cursor\" or \"offset\", got \"{other}\"."
            )))
        }
    };

    let page_size = match get("pageSize") {
        None => DEFAULT_PAGE_SIZE,
        Some(value) => whole_number("pageSize", value, 1, MAX_PAGE_SIZE as u64, "kintone answers at most 500 records per request")? as u32,
    };
    let concurrency = match get("concurrency") {
        None => None,
        Some(value) => Some(whole_number(
            "concurrency",
            value,
            1,
            u64::from(MAX_CONCURRENCY),
            "kintone takes at most 100 concurrent requests per domain, shared by all its users",
        )? as u32),
    };
    let retries = match get("retries") {
        None => DEFAULT_RETRIES,
        Some(value) => whole_number("retries", value, 0, 10, "it counts retries of one page")? as u32,
    };
    let cursor_wait_ms = match get("cursorWaitMs") {
        None => DEFAULT_CURSOR_WAIT_MS,
        Some(value) => whole_number(
            "cursorWaitMs",
            value,
            0,
            CURSOR_LIFETIME_MS,
            "a wait longer than 10 minutes outlives the cursors it waits for",
        )?,
    };

    Ok(ReadOptions { app, condition, order_by, fields, method, page_size, guest_space_id, retries, cursor_wait_ms, concurrency })
}

fn check_name(name: &str) -> Result<(), SeekError> {
    if OPTION_NAMES.contains(&name) {
        return Ok(());
    }
    let hint = OPTION_NAMES
        .iter()
        .find(|known| known.eq_ignore_ascii_case(name) || edit_distance(known, name) <= 2)
        .map(|known| format!(" Did you mean `{known}`?"))
        .unwrap_or_default();
    Err(SeekError::option(format!(
        "Unknown option `{name}`.{hint} Known options: {}.",
        OPTION_NAMES.join(", ")
    )))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != *cb)).min(row[j] + 1).min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// An app or space id: a positive whole number, or the same as a decimal string. Answers
/// the value to send (in the form the caller gave) and the number.
fn parse_id(name: &str, value: &OptionValue) -> Result<(ParamValue, u64), SeekError> {
    match value {
        OptionValue::Number(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= 9_007_199_254_740_991.0 => {
            Ok((ParamValue::Int(*n as u64), *n as u64))
        }
        OptionValue::Str(s) if s.bytes().all(|b| b.is_ascii_digit()) => match s.parse::<u64>() {
            Ok(id) if id >= 1 => Ok((ParamValue::Str(s.clone()), id)),
            _ => Err(SeekError::option(format!(
                "`{name}` must be a positive whole number (or its decimal string), got \"{s}\"."
            ))),
        },
        other => Err(SeekError::option(format!(
            "`{name}` must be a positive whole number (or its decimal string), got {}.",
            other.describe()
        ))),
    }
}

fn whole_number(name: &str, value: &OptionValue, min: u64, max: u64, why: &str) -> Result<u64, SeekError> {
    match value {
        OptionValue::Number(n) if n.fract() == 0.0 && *n >= min as f64 && *n <= max as f64 => Ok(*n as u64),
        other => Err(SeekError::option(format!(
            "`{name}` must be a whole number from {min} to {max} ({why}), got {}.",
            other.describe()
        ))),
    }
}

/// Parses a condition or whole query, refusing `limit` and `offset`: the reader pages
/// by itself, and a list view's own paging is not what "read everything" means.
fn parse_checked(name: &str, text: &str) -> Result<Query, SeekError> {
    let parsed = parse_query(text).map_err(|e| syntax_error(name, text, e))?;
    if parsed.limit.is_some() || parsed.offset.is_some() {
        return Err(SeekError::query(format!(
            "`{name}` holds `limit` or `offset`: the reader pages by itself and reads every matching record. \
             To read what a list view shows, pass `currentView()`'s condition and orderBy, which leave them out."
        )));
    }
    Ok(parsed)
}

fn syntax_error(name: &str, text: &str, error: QueryError) -> SeekError {
    SeekError::query(format!("`{name}` is not a valid kintone query ({error}): {text}"))
}

#[cfg(test)]
#[path = "options_tests.rs"]
mod tests;
