//! `/k/v1/records/cursor.json`: POST creates (one at a time; 429 GAIA_TM12 past 10 live),
//! GET reads the next page (values as they are now; the cursor is deleted after
//! `next: false`), DELETE frees it. Unknown, expired, finished or deleted: 404 GAIA_CN01.

use axum::response::Response;
use serde_json::json;

use crate::api::{json, with_app};
use crate::cursors::{Cursor, LIFETIME_MS, MAX_LIVE};
use crate::error::{ApiError, ApiResult};
use crate::lang::t;
use crate::params::ApiRequest;
use crate::records::ctx;
use crate::render::{push_records, Selection};
use crate::select::{all_ids, parse};
use crate::state::Sim;

fn tm12() -> ApiError {
    ApiError::new(429, "GAIA_TM12", t("作成できるカーソルの上限に達しているため、カーソルを作成できません。不要なカーソルを削除するか、しばらく経ってから再実行してください。", "The cursor cannot be created because the limit of cursors is reached. Delete unneeded cursors or wait for them to expire."))
}

fn cn01() -> ApiError {
    ApiError::new(404, "GAIA_CN01", t("指定したカーソルが存在しません。", "The specified cursor does not exist."))
}

pub async fn create(sim: &Sim, req: &ApiRequest, user: Option<u32>) -> ApiResult<Response> {
    let _serialized = sim.cursor_creation.lock().await;
    let size = req.uint("size")?.unwrap_or(100);
    if !(1..=500).contains(&size) {
        return Err(ApiError::validation("size", t("1以上500以下の値を指定してください。", "Specify a value between 1 and 500.")));
    }
    let text = req.str("query").unwrap_or_default();
    let fields = req.list("fields");
    let now = sim.clock.now_ms();
    {
        let mut cursors = sim.cursors.lock().unwrap();
        cursors.sweep(now);
        if cursors.live.len() >= MAX_LIVE {
            cursors.stats.refused += 1;
            return Err(tm12());
        }
    }
    let (app, ids) = with_app(sim, req, |app, users| {
        let q = parse(&text, &sim.behaviour())?;
        if q.limit.is_some() || q.offset.is_some() {
            return Err(ApiError::validation("query", t("カーソルのクエリにはlimitとoffsetを指定できません。", "limit and offset cannot be used in the query of a cursor.")));
        }
        Ok((app.id, all_ids(app, users, &q, &ctx(sim, user))?))
    })?;
    let total = ids.len();
    let cursor = Cursor { app, ids, pos: 0, size: size as usize, fields, expires_ms: now + LIFETIME_MS, occupied: false, login_user: user };
    let id = sim.cursors.lock().unwrap().open(cursor, sim.clock.now_ms()).ok_or_else(tm12)?;
    Ok(json(json!({ "id": id, "totalCount": total.to_string() }).to_string()))
}

pub fn get(sim: &Sim, req: &ApiRequest) -> ApiResult<Response> {
    let id = req.str("id").ok_or_else(|| ApiError::validation("id", t("必須です。", "Required field.")))?;
    let now = sim.clock.now_ms();
    let (app_id, chunk, fields, next) = {
        let mut cursors = sim.cursors.lock().unwrap();
        cursors.sweep(now);
        let c = cursors.live.get_mut(&id).filter(|c| !c.occupied).ok_or_else(cn01)?;
        let end = (c.pos + c.size).min(c.ids.len());
        let chunk = c.ids[c.pos..end].to_vec();
        c.pos = end;
        c.expires_ms = now + LIFETIME_MS;
        let next = c.pos < c.ids.len();
        let out = (c.app, chunk, c.fields.clone(), next);
        if !next {
            cursors.live.remove(&id);
            cursors.stats.finished += 1;
        }
        out
    };
    let domain = sim.domain.read().unwrap();
    let mut out = String::from("{\"records\":");
    match domain.apps.get(&app_id) {
        Some(app) => {
            let sel = Selection::new(app, fields.as_deref());
            // Records deleted since creation are skipped: a page may come back short or empty.
            push_records(&mut out, app, &domain.users, chunk.iter().filter_map(|&rid| app.get(rid)), &sel);
        }
        None => out.push_str("[]"),
    }
    out.push_str(if next { ",\"next\":true}" } else { ",\"next\":false}" });
    Ok(json(out))
}

pub fn delete(sim: &Sim, req: &ApiRequest) -> ApiResult<Response> {
    let id = req.str("id").ok_or_else(|| ApiError::validation("id", t("必須です。", "Required field.")))?;
    let mut cursors = sim.cursors.lock().unwrap();
    cursors.sweep(sim.clock.now_ms());
    match cursors.live.get(&id) {
        Some(c) if !c.occupied => {
            cursors.live.remove(&id);
            cursors.stats.deleted += 1;
            Ok(json("{}".into()))
        }
        _ => Err(cn01()),
    }
}
