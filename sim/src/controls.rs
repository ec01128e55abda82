//! Test controls under `/_sim/` (no authentication; the server listens on loopback only).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::cursors::{Cursor, LIFETIME_MS};
use crate::data::SeedSpec;
use crate::eval::Ctx;
use crate::faults::Fault;
use crate::params::parse_query_string;
use crate::select::all_ids;
use crate::state::Sim;

type S = State<Arc<Sim>>;

fn bad(message: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message.into() }))).into_response()
}

#[allow(clippy::result_large_err)]
fn body_json(body: &Bytes) -> Result<Value, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body).map_err(|e| bad(format!("body: {e}")))
}

pub fn routes() -> Router<Arc<Sim>> {
    Router::new()
        .route("/_sim/reset", post(reset))
        .route("/_sim/latency", get(latency_get).post(latency_set))
        .route("/_sim/faults", get(faults_get).post(faults_add).delete(faults_clear))
        .route("/_sim/cursors/occupy", post(occupy))
        .route("/_sim/cursors/release", post(release))
        .route("/_sim/stats", get(stats).delete(stats_clear))
        .route("/_sim/clock", get(clock_get).post(clock_advance))
        .route("/_sim/evaluate", get(evaluate).post(evaluate_post))
        .route("/_sim/concurrency", get(concurrency).post(concurrency_set))
        .route("/_sim/behaviour", get(behaviour_get).post(behaviour_set))
}

/// Body: a seed spec (`{"records":N,"seed":S,"app":ID,"guestSpaceId":G,"data":FILE,"apps":[...]}`)
/// or nothing (the last seed again). Forgets cursors, faults, statistics and latency;
/// the behaviour switches go back to the command line's.
async fn reset(State(sim): S, body: Bytes) -> Response {
    let spec: Option<SeedSpec> = match body_json(&body) {
        Ok(Value::Null) => None,
        Ok(v) => match serde_json::from_value(v) {
            Ok(s) => Some(s),
            Err(e) => return bad(e.to_string()),
        },
        Err(r) => return r,
    };
    let sim2 = sim.clone();
    match tokio::task::spawn_blocking(move || sim2.reset(spec)).await {
        Ok(Ok(())) => Json(json!({ "ok": true, "apps": sim.domain.read().unwrap().apps.iter().map(|(id, a)| json!({"id": id, "records": a.records.len(), "guestSpaceId": a.guest_space})).collect::<Vec<_>>() })).into_response(),
        Ok(Err(e)) => bad(e),
        Err(e) => bad(e.to_string()),
    }
}

async fn latency_get(State(sim): S) -> Json<Value> {
    Json(json!({ "ms": sim.latency_ms.load(Ordering::SeqCst) }))
}

/// Body `{"ms": N}`: added to every API request from now on.
async fn latency_set(State(sim): S, body: Bytes) -> Response {
    match body_json(&body).map(|v| v.get("ms").and_then(Value::as_i64)) {
        Ok(Some(ms)) if ms >= 0 => {
            sim.latency_ms.store(ms, Ordering::SeqCst);
            Json(json!({ "ms": ms })).into_response()
        }
        Ok(_) => bad("expected {\"ms\": N}"),
        Err(r) => r,
    }
}

async fn faults_get(State(sim): S) -> Json<Value> {
    let f = sim.faults.lock().unwrap();
    Json(json!({ "pending": f.pending.iter().map(|p| json!({"method": p.method, "path": p.path, "count": p.count})).collect::<Vec<_>>(), "fired": f.fired }))
}

/// Body: one fault or an array, e.g. `{"path":"records.json","count":2,"action":"status","status":500,"body":{...}}`,
/// `{"action":"drop"}`, `{"action":"tooBusy","method":"GET"}`.
async fn faults_add(State(sim): S, body: Bytes) -> Response {
    let v = match body_json(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let list = if v.is_array() { v } else { Value::Array(vec![v]) };
    match serde_json::from_value::<Vec<Fault>>(list) {
        Ok(faults) => {
            let n = faults.len();
            sim.faults.lock().unwrap().pending.extend(faults);
            Json(json!({ "added": n })).into_response()
        }
        Err(e) => bad(e.to_string()),
    }
}

async fn faults_clear(State(sim): S) -> Json<Value> {
    sim.faults.lock().unwrap().pending.clear();
    Json(json!({ "ok": true }))
}

/// Body `{"count": K}`: K cursors taken by "other users" (they expire like any cursor,
/// 10 minutes after creation, unless released).
async fn occupy(State(sim): S, body: Bytes) -> Response {
    let count = match body_json(&body) {
        Ok(v) => v.get("count").and_then(Value::as_u64).unwrap_or(1),
        Err(r) => return r,
    };
    let now = sim.clock.now_ms();
    let mut cursors = sim.cursors.lock().unwrap();
    let mut ids = vec![];
    for _ in 0..count {
        let c = Cursor { app: 0, ids: vec![], pos: 0, size: 100, fields: None, expires_ms: now + LIFETIME_MS, occupied: true, login_user: None };
        match cursors.open(c, now) {
            Some(id) => ids.push(id),
            None => break,
        }
    }
    Json(json!({ "occupied": ids.len(), "live": cursors.live.len() })).into_response()
}

async fn release(State(sim): S) -> Json<Value> {
    let mut cursors = sim.cursors.lock().unwrap();
    let before = cursors.live.len();
    cursors.live.retain(|_, c| !c.occupied);
    Json(json!({ "released": before - cursors.live.len() }))
}

async fn stats(State(sim): S) -> Json<Value> {
    let mut cursors = sim.cursors.lock().unwrap();
    cursors.sweep(sim.clock.now_ms());
    let s = sim.stats.lock().unwrap().clone();
    let occupied = cursors.live.values().filter(|c| c.occupied).count();
    Json(json!({
        "requests": s.requests,
        "totalRequests": s.total_requests,
        "peakConcurrency": s.peak_concurrency,
        "cursors": {
            "live": cursors.live.len(),
            "liveClient": cursors.live.len() - occupied,
            "occupied": occupied,
            "peakLive": cursors.stats.peak_live,
            "created": cursors.stats.created,
            "deleted": cursors.stats.deleted,
            "finished": cursors.stats.finished,
            "neverReleased": cursors.stats.expired,
            "refused": cursors.stats.refused,
        },
    }))
}

async fn stats_clear(State(sim): S) -> Json<Value> {
    *sim.stats.lock().unwrap() = Default::default();
    let mut cursors = sim.cursors.lock().unwrap();
    cursors.stats = Default::default();
    cursors.stats.peak_live = cursors.live.len();
    Json(json!({ "ok": true }))
}

async fn clock_get(State(sim): S) -> Json<Value> {
    Json(json!({ "offsetMs": sim.clock.offset_ms(), "nowMs": sim.clock.now_ms() }))
}

/// Body `{"advanceMs": N}`: moves the clock (cursor expiry and date functions).
async fn clock_advance(State(sim): S, body: Bytes) -> Response {
    match body_json(&body).map(|v| v.get("advanceMs").and_then(Value::as_i64)) {
        Ok(Some(ms)) => {
            sim.clock.advance(ms);
            Json(json!({ "offsetMs": sim.clock.offset_ms(), "nowMs": sim.clock.now_ms() })).into_response()
        }
        Ok(None) => bad("expected {\"advanceMs\": N}"),
        Err(r) => r,
    }
}

fn evaluate_params(sim: &Sim, params: &serde_json::Map<String, Value>) -> Response {
    let app_id = params.get("app").and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()));
    let text = params.get("query").and_then(Value::as_str).unwrap_or("");
    let Some(app_id) = app_id else { return bad("app is required") };
    let domain = sim.domain.read().unwrap();
    let Some(app) = domain.apps.get(&app_id) else { return bad("no such app") };
    let users = &domain.users;
    let ctx = Ctx { now: sim.clock.now_ms().div_euclid(1000), login_user: users.index_of("Administrator"), behaviour: sim.behaviour(), tz: sim.config.user_tz };
    let result = crate::select::parse(text, &ctx.behaviour).and_then(|q| all_ids(app, users, &q, &ctx));
    match result {
        Ok(ids) => Json(json!({ "ids": ids.iter().map(|i| i.to_string()).collect::<Vec<_>>() })).into_response(),
        Err(e) => (e.status, Json(e.body())).into_response(),
    }
}

/// Every record id matching `query` of `app`, in the query's order (limit and offset
/// ignored), evaluated as Administrator: what a complete read must return.
async fn evaluate(State(sim): S, RawQuery(q): RawQuery) -> Response {
    match parse_query_string(q.as_deref().unwrap_or("")) {
        Ok(p) => evaluate_params(&sim, &p),
        Err(e) => (e.status, Json(e.body())).into_response(),
    }
}

async fn evaluate_post(State(sim): S, body: Bytes) -> Response {
    match body_json(&body) {
        Ok(Value::Object(p)) => evaluate_params(&sim, &p),
        Ok(_) => bad("expected a JSON object"),
        Err(r) => r,
    }
}

/// What `kintone.api.getConcurrencyLimit()` answers: the domain's limit and the requests
/// running now (this server's and other users', as set below), at most the limit.
async fn concurrency(State(sim): S) -> Json<Value> {
    let running = sim.running.load(Ordering::SeqCst) + sim.others_running.load(Ordering::SeqCst);
    Json(json!({ "limit": crate::api::CONCURRENCY_LIMIT, "running": running.min(crate::api::CONCURRENCY_LIMIT) }))
}

/// Body `{"othersRunning": N}`: N requests of other users run from now on (0..=100); a
/// busy domain. Past the limit, requests answer 429 `GAIA_TO04`.
async fn concurrency_set(State(sim): S, body: Bytes) -> Response {
    match body_json(&body).map(|v| v.get("othersRunning").and_then(Value::as_u64)) {
        Ok(Some(n)) if n <= crate::api::CONCURRENCY_LIMIT as u64 => {
            sim.others_running.store(n as usize, Ordering::SeqCst);
            concurrency(State(sim)).await.into_response()
        }
        Ok(_) => bad(format!("expected {{\"othersRunning\": N}} with N from 0 to {}", crate::api::CONCURRENCY_LIMIT)),
        Err(r) => r,
    }
}

async fn behaviour_get(State(sim): S) -> Json<Value> {
    Json(sim.behaviour().to_json())
}

/// Body: some switches, e.g. `{"emptyEquals":"nothing"}`; answers all of them.
async fn behaviour_set(State(sim): S, body: Bytes) -> Response {
    let patch = match body_json(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut current = sim.behaviour.write().unwrap();
    match current.patched(&patch) {
        Ok(b) => {
            *current = b;
            Json(b.to_json()).into_response()
        }
        Err(e) => bad(e),
    }
}
