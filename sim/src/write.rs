//! Record writes, so tests can change data during a read: POST/PUT `record.json`,
//! POST/PUT/DELETE `records.json` (at most 100 records per request).

use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::api::{check_space, json};
use crate::error::{ApiError, ApiResult};
use crate::lang::t;
use crate::eval::is_empty;
use crate::model::{App, FieldType, Record, Users, Val};
use crate::params::ApiRequest;
use crate::state::Sim;
use crate::values::{empty_value, parse_value};

fn with_app_mut<R>(sim: &Sim, req: &ApiRequest, f: impl FnOnce(&mut App, &mut Users) -> ApiResult<R>) -> ApiResult<R> {
    let id = req.app()?;
    let mut domain = sim.domain.write().unwrap();
    let domain = &mut *domain;
    let app = domain.apps.get_mut(&id).ok_or_else(|| ApiError::app_not_found(&id.to_string()))?;
    check_space(app, req)?;
    f(app, &mut domain.users)
}

/// Sets the values given in `record` (`{code: {value}}`), leaving the others.
fn apply(app: &mut App, users: &mut Users, values: &mut [Val], record: &Map<String, Value>, key: &str) -> ApiResult<()> {
    for (code, v) in record {
        let Some(i) = app.fields.iter().position(|f| &f.code == code) else {
            return Err(ApiError::new(400, "GAIA_FC01", t(format!("指定されたフィールド（code: {code}）が見つかりません。"), format!("The specified field (code: {code}) is not found."))));
        };
        if app.fields[i].ftype.is_system() && app.fields[i].ftype != FieldType::Calc {
            continue;
        }
        let mut next_row = app.next_row_id;
        values[i] = parse_value(&app.fields[i], v, users, &mut next_row).map_err(|e| ApiError::validation(&format!("{key}.{code}.value"), e))?;
        app.next_row_id = next_row;
    }
    for (i, f) in app.fields.iter().enumerate() {
        if f.required && is_empty(&values[i]) {
            return Err(ApiError::validation(&format!("{key}.{}.value", f.code), t("必須です。", "Required.")));
        }
    }
    Ok(())
}

fn now_minute(sim: &Sim) -> i64 {
    sim.clock.now_ms().div_euclid(60_000) * 60
}

fn add(sim: &Sim, app: &mut App, users: &mut Users, record: &Map<String, Value>, user: Option<u32>, key: &str) -> ApiResult<(u64, u64)> {
    let mut values: Vec<Val> = app.fields.iter().map(empty_value).collect();
    let now = now_minute(sim);
    let who = user.map_or(Val::Empty, Val::User);
    for (i, f) in app.fields.iter().enumerate() {
        match f.ftype {
            FieldType::Creator | FieldType::Modifier => values[i] = who.clone(),
            FieldType::CreatedTime | FieldType::UpdatedTime => values[i] = Val::DateTime(now),
            _ => {}
        }
    }
    apply(app, users, &mut values, record, key)?;
    let id = app.next_id;
    app.next_id += 1;
    app.records.push(Record { id, revision: 1, values: values.into() });
    Ok((id, 1))
}

fn update(sim: &Sim, app: &mut App, users: &mut Users, item: &Map<String, Value>, user: Option<u32>, key: &str) -> ApiResult<(u64, u64)> {
    let id = item.get("id").and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok())).ok_or_else(|| ApiError::validation(&format!("{key}id"), t("必須です。", "Required field.")))?;
    let pos = app.position(id).map_err(|_| ApiError::new(404, "GAIA_RE01", t(format!("指定したレコード（id: {id}）が見つかりません。"), format!("The specified record (ID: {id}) is not found."))))?;
    let expected = item.get("revision").and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok())).unwrap_or(-1);
    let current = app.records[pos].revision;
    if expected != -1 && expected as u64 != current {
        return Err(ApiError::new(409, "GAIA_CO02", t(format!("指定したリビジョン（{expected}）は最新ではありません。"), format!("The revision ({expected}) is not the latest."))));
    }
    let mut values = app.records[pos].values.to_vec();
    let empty = Map::new();
    let record = item.get("record").and_then(Value::as_object).unwrap_or(&empty);
    apply(app, users, &mut values, record, &format!("{key}record"))?;
    let now = now_minute(sim);
    for (i, f) in app.fields.iter().enumerate() {
        match f.ftype {
            FieldType::Modifier => values[i] = user.map_or(Val::Empty, Val::User),
            FieldType::UpdatedTime => values[i] = Val::DateTime(now),
            _ => {}
        }
    }
    let r = &mut app.records[pos];
    r.values = values.into();
    r.revision += 1;
    Ok((id, r.revision))
}

pub fn add_record(sim: &Sim, req: &ApiRequest, user: Option<u32>) -> ApiResult<Response> {
    let empty = Map::new();
    let record = req.params.get("record").and_then(Value::as_object).unwrap_or(&empty).clone();
    let (id, rev) = with_app_mut(sim, req, |app, users| add(sim, app, users, &record, user, "record"))?;
    Ok(json(json!({ "id": id.to_string(), "revision": rev.to_string() }).to_string()))
}

fn items(req: &ApiRequest, key: &str) -> ApiResult<Vec<Map<String, Value>>> {
    let list = req.params.get(key).and_then(Value::as_array).ok_or_else(|| ApiError::validation(key, t("必須です。", "Required field.")))?;
    if list.len() > 100 {
        return Err(ApiError::validation(key, t("一度に100件までです。", "Up to 100 records at a time.")));
    }
    Ok(list.iter().map(|v| v.as_object().cloned().unwrap_or_default()).collect())
}

pub fn add_records(sim: &Sim, req: &ApiRequest, user: Option<u32>) -> ApiResult<Response> {
    let list = items(req, "records")?;
    let done = with_app_mut(sim, req, |app, users| {
        list.iter().enumerate().map(|(i, r)| add(sim, app, users, r, user, &format!("records[{i}]"))).collect::<ApiResult<Vec<_>>>()
    })?;
    let ids: Vec<String> = done.iter().map(|d| d.0.to_string()).collect();
    let revisions: Vec<String> = done.iter().map(|d| d.1.to_string()).collect();
    Ok(json(json!({ "ids": ids, "revisions": revisions }).to_string()))
}

pub fn update_record(sim: &Sim, req: &ApiRequest, user: Option<u32>) -> ApiResult<Response> {
    let item = req.params.clone();
    let (_, rev) = with_app_mut(sim, req, |app, users| update(sim, app, users, &item, user, ""))?;
    Ok(json(json!({ "revision": rev.to_string() }).to_string()))
}

pub fn update_records(sim: &Sim, req: &ApiRequest, user: Option<u32>) -> ApiResult<Response> {
    let list = items(req, "records")?;
    let done = with_app_mut(sim, req, |app, users| {
        list.iter().enumerate().map(|(i, r)| update(sim, app, users, r, user, &format!("records[{i}]."))).collect::<ApiResult<Vec<_>>>()
    })?;
    let records: Vec<Value> = done.iter().map(|(id, rev)| json!({ "id": id.to_string(), "revision": rev.to_string() })).collect();
    Ok(json(json!({ "records": records }).to_string()))
}

pub fn delete_records(sim: &Sim, req: &ApiRequest) -> ApiResult<Response> {
    let ids: Vec<u64> = req.list("ids").ok_or_else(|| ApiError::validation("ids", t("必須です。", "Required field.")))?.iter().filter_map(|s| s.parse().ok()).collect();
    if ids.len() > 100 {
        return Err(ApiError::validation("ids", t("一度に100件までです。", "Up to 100 records at a time.")));
    }
    with_app_mut(sim, req, |app, _| {
        if let Some(missing) = ids.iter().find(|id| app.position(**id).is_err()) {
            return Err(ApiError::new(404, "GAIA_RE01", t(format!("指定したレコード（id: {missing}）が見つかりません。"), format!("The specified record (ID: {missing}) is not found."))));
        }
        let gone: std::collections::HashSet<u64> = ids.iter().copied().collect();
        app.records.retain(|r| !gone.contains(&r.id));
        Ok(())
    })?;
    Ok(json("{}".into()))
}
