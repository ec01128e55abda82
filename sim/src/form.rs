//! GET `/k/v1/app/form/fields.json` (the form: types, `required`, options, tables),
//! GET `/k/v1/app/form/layout.json` (where the form places them) and GET `/k/v1/app.json`.

use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::api::{json, with_app};
use crate::error::{ApiError, ApiResult};
use crate::lang::t;
use crate::model::{Field, FieldType};
use crate::params::ApiRequest;
use crate::state::Sim;

fn property(f: &Field) -> Value {
    let mut p = json!({ "type": f.ftype.name(), "code": f.code, "label": f.label, "noLabel": false });
    let input = !f.ftype.is_system() && f.ftype != FieldType::Subtable;
    if input {
        p["required"] = json!(f.required);
    }
    if !f.options.is_empty() {
        let options: Map<String, Value> =
            f.options.iter().enumerate().map(|(i, o)| (o.clone(), json!({ "label": o, "index": i.to_string() }))).collect();
        p["options"] = Value::Object(options);
    }
    if f.ftype == FieldType::Subtable {
        let fields: Map<String, Value> = f.sub_fields.iter().map(|s| (s.code.clone(), property(s))).collect();
        p["fields"] = Value::Object(fields);
    }
    p
}

pub fn fields(sim: &Sim, req: &ApiRequest) -> ApiResult<Response> {
    with_app(sim, req, |app, _| {
        let properties: Map<String, Value> = app.fields.iter().map(|f| (f.code.clone(), property(f))).collect();
        Ok(json(json!({ "properties": properties, "revision": app.form_revision.to_string() }).to_string()))
    })
}

/// Fields side by side in one row of the generated layout.
const FIELDS_PER_ROW: usize = 3;

fn layout_element(f: &Field) -> Value {
    json!({ "type": f.ftype.name(), "code": f.code, "size": { "width": "193" } })
}

/// The form's layout as a new kintone app lays it out: the fields in the form's order,
/// up to three to a row, each table a row of its own; the record number, creator,
/// modifier and their times are not placed (kintone places them only when the form's
/// designer does, so exports put them first and last).
pub fn layout(sim: &Sim, req: &ApiRequest) -> ApiResult<Response> {
    with_app(sim, req, |app, _| {
        let mut rows: Vec<Value> = vec![];
        let mut row: Vec<Value> = vec![];
        let flush = |row: &mut Vec<Value>, rows: &mut Vec<Value>| {
            if !row.is_empty() {
                rows.push(json!({ "type": "ROW", "fields": std::mem::take(row) }));
            }
        };
        for f in &app.fields {
            match f.ftype {
                FieldType::RecordNumber | FieldType::Creator | FieldType::Modifier | FieldType::CreatedTime | FieldType::UpdatedTime => {}
                FieldType::Subtable => {
                    flush(&mut row, &mut rows);
                    let fields: Vec<Value> = f.sub_fields.iter().map(layout_element).collect();
                    rows.push(json!({ "type": "SUBTABLE", "code": f.code, "fields": fields }));
                }
                _ => {
                    row.push(layout_element(f));
                    if row.len() == FIELDS_PER_ROW {
                        flush(&mut row, &mut rows);
                    }
                }
            }
        }
        flush(&mut row, &mut rows);
        Ok(json(json!({ "layout": rows, "revision": app.form_revision.to_string() }).to_string()))
    })
}

pub fn app(sim: &Sim, req: &ApiRequest) -> ApiResult<Response> {
    let id = req.str("id").ok_or_else(|| ApiError::validation("id", t("必須です。", "Required field.")))?;
    let mut req = req.clone();
    req.params.insert("app".into(), Value::String(id));
    with_app(sim, &req, |app, _| {
        Ok(json(
            json!({
                "appId": app.id.to_string(), "code": "", "name": app.name, "description": "",
                "spaceId": app.guest_space.map(|s| s.to_string()), "threadId": null,
            })
            .to_string(),
        ))
    })
}
