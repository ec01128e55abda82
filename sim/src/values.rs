//! Field values from JSON (data files and record writes) into stored [`Val`]s.

use serde_json::Value;

use crate::model::{Field, FieldType, Row, Users, Val};
use crate::timefmt::{parse_date, parse_datetime, parse_time};

/// `{"value": x}` or `x`.
fn unwrap_value(v: &Value) -> &Value {
    match v {
        Value::Object(m) if m.contains_key("value") => &m["value"],
        v => v,
    }
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some(String::new()),
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn user_code(v: &Value) -> Option<(String, Option<String>)> {
    match v {
        Value::String(s) => Some((s.clone(), None)),
        Value::Object(m) => {
            let code = m.get("code")?.as_str()?.to_string();
            Some((code, m.get("name").and_then(Value::as_str).map(str::to_string)))
        }
        _ => None,
    }
}

/// The stored value of `field` from JSON; `next_row_id` numbers new table rows.
pub fn parse_value(field: &Field, raw: &Value, users: &mut Users, next_row_id: &mut u64) -> Result<Val, String> {
    let v = unwrap_value(raw);
    let bad = || format!("field {}: invalid {} value {v}", field.code, field.ftype.name());
    use FieldType::*;
    Ok(match field.ftype {
        RecordNumber => Val::Empty,
        SingleLineText | MultiLineText | RichText | Link | DropDown | RadioButton => {
            let s = as_text(v).ok_or_else(bad)?;
            if s.is_empty() { Val::Empty } else { Val::Text(s.into()) }
        }
        Number | Calc => {
            let s = as_text(v).ok_or_else(bad)?;
            if s.trim().is_empty() { Val::Empty } else { Val::Num(s.trim().parse().map_err(|_| bad())?) }
        }
        Date | DateTime | CreatedTime | UpdatedTime | Time => {
            let s = as_text(v).ok_or_else(bad)?;
            if s.trim().is_empty() {
                Val::Empty
            } else {
                match field.ftype {
                    Date => Val::Date(parse_date(&s).ok_or_else(bad)?),
                    Time => Val::Time(parse_time(&s).ok_or_else(bad)?),
                    // kintone keeps minutes: the seconds are dropped.
                    _ => Val::DateTime(parse_datetime(&s).ok_or_else(bad)?.div_euclid(60) * 60),
                }
            }
        }
        CheckBox | MultiSelect => match v {
            Value::Null => Val::Multi(Box::new([])),
            Value::Array(items) => Val::Multi(items.iter().map(|i| as_text(i).map(|s| s.into_boxed_str()).ok_or_else(bad)).collect::<Result<_, _>>()?),
            _ => return Err(bad()),
        },
        UserSelect => match v {
            Value::Null => Val::Empty,
            Value::Array(items) if items.is_empty() => Val::Empty,
            Value::Array(items) => Val::Users(
                items
                    .iter()
                    .map(|i| user_code(i).map(|(c, n)| users.intern(&c, n.as_deref())).ok_or_else(bad))
                    .collect::<Result<_, _>>()?,
            ),
            _ => return Err(bad()),
        },
        Creator | Modifier => match user_code(v) {
            Some((c, n)) => Val::User(users.intern(&c, n.as_deref())),
            None if v.is_null() => Val::Empty,
            None => return Err(bad()),
        },
        Subtable => match v {
            Value::Null => Val::Table(Box::new([])),
            Value::Array(rows) => {
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let cells = row.get("value").unwrap_or(row);
                    let id = match row.get("id").and_then(as_text_ref).and_then(|s| s.parse().ok()) {
                        Some(id) => id,
                        None => {
                            *next_row_id += 1;
                            *next_row_id - 1
                        }
                    };
                    let values = field
                        .sub_fields
                        .iter()
                        .map(|sub| match cells.get(&sub.code) {
                            Some(c) => parse_value(sub, c, users, next_row_id),
                            None => Ok(empty_value(sub)),
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    out.push(Row { id, values: values.into() });
                }
                Val::Table(out.into())
            }
            _ => return Err(bad()),
        },
    })
}

fn as_text_ref(v: &Value) -> Option<String> {
    as_text(v)
}

/// The value a field has when nothing was given.
pub fn empty_value(field: &Field) -> Val {
    match field.ftype {
        FieldType::CheckBox | FieldType::MultiSelect => Val::Multi(Box::new([])),
        FieldType::Subtable => Val::Table(Box::new([])),
        _ => Val::Empty,
    }
}
