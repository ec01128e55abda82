//! GET `/k/v1/app/form/fields.json` (the form: types, `required`, options, tables) and
//! GET `/k/v1/app.json`.

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
