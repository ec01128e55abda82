//! What a read served by a local sort hands to the facade: `getAllRecords` of a text
//! order past offset's 10,000 records reads by `$id` (no cursor) and the facade sorts
//! the records as kintone would, then checks the result against kintone's own ends of
//! the order before trusting it.

use crate::plan::SortKey;
use crate::transport::FieldInfo;

/// How the values of one key compare, as kintone sorts them. Empty values are the
/// minimum in every kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyKind {
    /// By Unicode code point (text, and dates and times, whose text orders by time).
    Text,
    /// As decimal numbers.
    Decimal,
    /// By the position of the value among these options (drop-down, radio button).
    Rank(Vec<String>),
    /// The record id, a whole number.
    Id,
}

/// One key of a local sort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalKey {
    /// The field code.
    pub field: String,
    /// `desc` instead of `asc`.
    pub descending: bool,
    /// How its values compare.
    pub kind: KeyKind,
}

/// The order the facade must put the delivered records in, and what to check it against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalOrder {
    /// The keys, `$id` last.
    pub keys: Vec<LocalKey>,
    /// Fields the library added to the caller's `fields` to sort on: removed after sorting.
    pub added: Vec<String>,
    /// The ids of kintone's own first page of the order, in order.
    pub first: Vec<u64>,
    /// The ids of the last records of kintone's order, in order.
    pub last: Vec<u64>,
}

/// How `field` compares locally, or `None` when its order cannot be reproduced outside
/// kintone (creator and modifier sort by a user id the records do not carry; a status
/// by the process's order).
pub fn key_kind(field: Option<&FieldInfo>, key: &SortKey) -> Option<KeyKind> {
    if key.field == crate::plan::ID_FIELD {
        return Some(KeyKind::Id);
    }
    let field = field?;
    match field.field_type.as_str() {
        "SINGLE_LINE_TEXT" | "LINK" | "DATE" | "DATETIME" | "TIME" | "CREATED_TIME" | "UPDATED_TIME" => Some(KeyKind::Text),
        "NUMBER" | "RECORD_NUMBER" => Some(KeyKind::Decimal),
        "DROP_DOWN" | "RADIO_BUTTON" if !field.options.is_empty() => Some(KeyKind::Rank(field.options.clone())),
        _ => None,
    }
}
