//! Records in kintone's JSON shape, written straight into a string at answer time:
//! `{"$id":{"type":"__ID__","value":"14"},"レコード番号":{"type":"RECORD_NUMBER","value":"14"},...}`.

use std::fmt::Write;

use crate::model::{App, Field, FieldType, Record, Users, Val};
use crate::timefmt::{format_date, format_datetime, format_time};

/// Appends `s` as a JSON string literal.
pub fn push_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn push_user(out: &mut String, users: &Users, u: u32) {
    let (code, name) = users.get(u);
    out.push_str("{\"code\":");
    push_str(out, code);
    out.push_str(",\"name\":");
    push_str(out, name);
    out.push('}');
}

/// The JSON `value` of one field.
pub fn push_value(out: &mut String, field: &Field, value: &Val, users: &Users, record_id: u64) {
    match (field.ftype, value) {
        (FieldType::RecordNumber, _) => push_str(out, &record_id.to_string()),
        (FieldType::CheckBox | FieldType::MultiSelect, Val::Multi(items)) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_str(out, item);
            }
            out.push(']');
        }
        (FieldType::CheckBox | FieldType::MultiSelect | FieldType::UserSelect, _) if !matches!(value, Val::Users(_)) => {
            out.push_str("[]")
        }
        (FieldType::Subtable, Val::Table(rows)) => {
            out.push('[');
            for (i, row) in rows.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str("{\"id\":");
                push_str(out, &row.id.to_string());
                out.push_str(",\"value\":{");
                for (j, (sub, v)) in field.sub_fields.iter().zip(row.values.iter()).enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    push_field(out, sub, v, users, record_id);
                }
                out.push_str("}}");
            }
            out.push(']');
        }
        (FieldType::Subtable, _) => out.push_str("[]"),
        (_, Val::Users(list)) => {
            out.push('[');
            for (i, u) in list.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_user(out, users, *u);
            }
            out.push(']');
        }
        (_, Val::User(u)) => push_user(out, users, *u),
        (FieldType::Creator | FieldType::Modifier, _) => out.push_str("{\"code\":\"\",\"name\":\"\"}"),
        (FieldType::DropDown | FieldType::RadioButton, Val::Empty) => out.push_str("null"),
        (FieldType::Date | FieldType::DateTime | FieldType::Time, Val::Empty) => out.push_str("null"),
        (_, Val::Empty) => out.push_str("\"\""),
        (_, Val::Text(s)) => push_str(out, s),
        (_, Val::Num(n)) => push_str(out, &format_number(*n)),
        (_, Val::Date(d)) => push_str(out, &format_date(*d)),
        (_, Val::DateTime(t)) => push_str(out, &format_datetime(*t)),
        (_, Val::Time(t)) => push_str(out, &format_time(*t)),
        (_, Val::Multi(_) | Val::Table(_)) => out.push_str("null"),
    }
}

/// `"code":{"type":"T","value":...}`
pub fn push_field(out: &mut String, field: &Field, value: &Val, users: &Users, record_id: u64) {
    push_str(out, &field.code);
    out.push_str(":{\"type\":\"");
    out.push_str(field.ftype.name());
    out.push_str("\",\"value\":");
    push_value(out, field, value, users, record_id);
    out.push('}');
}

/// Which fields an answer carries: `None` = all (with `$id` and `$revision`).
pub struct Selection {
    pub id: bool,
    pub revision: bool,
    pub fields: Vec<usize>,
}

impl Selection {
    pub fn new(app: &App, fields: Option<&[String]>) -> Selection {
        match fields {
            None => Selection { id: true, revision: true, fields: (0..app.fields.len()).collect() },
            Some(codes) => {
                let mut sel = Selection { id: false, revision: false, fields: vec![] };
                for code in codes {
                    match code.as_str() {
                        "$id" => sel.id = true,
                        "$revision" => sel.revision = true,
                        _ => {
                            if let Some(i) = app.fields.iter().position(|f| &f.code == code) {
                                if !sel.fields.contains(&i) {
                                    sel.fields.push(i);
                                }
                            }
                        }
                    }
                }
                sel
            }
        }
    }
}

pub fn push_record(out: &mut String, app: &App, users: &Users, record: &Record, sel: &Selection) {
    out.push('{');
    let mut first = true;
    let mut sep = |out: &mut String| {
        if !first {
            out.push(',');
        }
        first = false;
    };
    if sel.id {
        sep(out);
        let _ = write!(out, "\"$id\":{{\"type\":\"__ID__\",\"value\":\"{}\"}}", record.id);
    }
    if sel.revision {
        sep(out);
        let _ = write!(out, "\"$revision\":{{\"type\":\"__REVISION__\",\"value\":\"{}\"}}", record.revision);
    }
    for &i in &sel.fields {
        sep(out);
        push_field(out, &app.fields[i], &record.values[i], users, record.id);
    }
    out.push('}');
}

pub fn push_records<'a>(out: &mut String, app: &App, users: &Users, records: impl Iterator<Item = &'a Record>, sel: &Selection) {
    out.push('[');
    for (i, r) in records.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_record(out, app, users, r, sel);
    }
    out.push(']');
}
