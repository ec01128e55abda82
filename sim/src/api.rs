//! Every `/k/v1/...` and `/k/guest/{space}/v1/...` request: statistics, the 100-request
//! concurrency limit, faults, latency, authentication, then the endpoint.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::auth::authenticate;
use crate::error::{ApiError, ApiResult};
use crate::lang::t;
use crate::faults::Action;
use crate::model::{App, Users};
use crate::params::{self, split_path, ApiRequest};
use crate::state::Sim;
use crate::{cursor_api, form, records, write};

pub const CONCURRENCY_LIMIT: usize = 100;
/// Longer URLs (path and query) answer 414.
pub const MAX_URL_BYTES: usize = 8 * 1024;

/// A JSON answer already serialized.
pub fn json(body: String) -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json; charset=utf-8")], body).into_response()
}

struct Running(Arc<Sim>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
    }
}

pub async fn handle(State(sim): State<Arc<Sim>>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let override_get = method == Method::POST
        && headers.get("x-http-method-override").and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("GET"));
    let effective = if override_get { Method::GET } else { method.clone() };
    let normalized = match split_path(uri.path()) {
        Some((_, endpoint)) => format!("/k/v1/{endpoint}"),
        None => uri.path().to_string(),
    };
    sim.count_request(format!("{effective} {normalized}"));

    let own = sim.running.fetch_add(1, Ordering::SeqCst) + 1;
    let _running = Running(sim.clone());
    {
        let mut stats = sim.stats.lock().unwrap();
        stats.peak_concurrency = stats.peak_concurrency.max(own);
    }
    // The domain's load: this server's requests and those set as other users'.
    let running = own + sim.others_running.load(Ordering::SeqCst);
    let lang = crate::lang::from_header(headers.get("accept-language").and_then(|v| v.to_str().ok()));
    let mut response = crate::lang::scope(lang, answer(&sim, method, effective, &uri, headers, body, running)).await;
    let h = response.headers_mut();
    h.insert("x-concurrencylimit-limit", HeaderValue::from(CONCURRENCY_LIMIT));
    h.insert("x-concurrencylimit-running", HeaderValue::from(running.min(CONCURRENCY_LIMIT)));
    response
}

fn too_busy() -> ApiError {
    ApiError::new(429, "GAIA_TO04", t("同時に実行できるAPIリクエストの上限を超えています。しばらく待ってから再度実行してください。", "Too many concurrent API requests. Wait and retry."))
}

async fn answer(sim: &Arc<Sim>, method: Method, effective: Method, uri: &Uri, headers: HeaderMap, body: Bytes, running: usize) -> Response {
    if running > CONCURRENCY_LIMIT {
        return too_busy().into_response();
    }
    if uri.path().len() + uri.query().map_or(0, |q| q.len() + 1) > MAX_URL_BYTES {
        // Answered before kintone's application (by the front server): not JSON.
        return (StatusCode::URI_TOO_LONG, "414 Request-URI Too Long").into_response();
    }
    let fault = sim.faults.lock().unwrap().take(effective.as_str(), uri.path());
    let latency = sim.latency_ms.load(Ordering::SeqCst);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency as u64)).await;
    }
    if let Some(f) = fault {
        return match f.action {
            Action::Delay => {
                tokio::time::sleep(Duration::from_millis(f.ms.unwrap_or(1000))).await;
                serve(sim, method, uri, headers, body).await
            }
            Action::EmptyPage => json("{\"records\":[],\"next\":true}".into()),
            Action::TooBusy => too_busy().into_response(),
            Action::Status => {
                let status = StatusCode::from_u16(f.status.unwrap_or(500)).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let body = f.body.unwrap_or_else(|| ApiError::new(500, "GAIA_UN03", "simulated fault").body());
                (status, axum::Json(body)).into_response()
            }
            Action::Drop => {
                let broken = futures_util::stream::once(async { Err::<Bytes, std::io::Error>(std::io::Error::other("simulated drop")) });
                Response::builder().status(200).body(Body::from_stream(broken)).unwrap()
            }
        };
    }
    serve(sim, method, uri, headers, body).await
}

async fn serve(sim: &Arc<Sim>, method: Method, uri: &Uri, headers: HeaderMap, body: Bytes) -> Response {
    let req = match params::build(method, uri.path(), uri.query(), headers, &body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let result = match authenticate(sim, &req) {
        Ok(user) => dispatch(sim, &req, user).await,
        Err(e) => Err(e),
    };
    result.unwrap_or_else(IntoResponse::into_response)
}

async fn dispatch(sim: &Arc<Sim>, req: &ApiRequest, user: Option<u32>) -> ApiResult<Response> {
    let m = &req.method;
    match req.endpoint.as_str() {
        "records.json" if m == Method::GET => records::get_records(sim, req, user),
        "records.json" if m == Method::POST => write::add_records(sim, req, user),
        "records.json" if m == Method::PUT => write::update_records(sim, req, user),
        "records.json" if m == Method::DELETE => write::delete_records(sim, req),
        "record.json" if m == Method::GET => records::get_record(sim, req),
        "record.json" if m == Method::POST => write::add_record(sim, req, user),
        "record.json" if m == Method::PUT => write::update_record(sim, req, user),
        "records/cursor.json" if m == Method::POST => cursor_api::create(sim, req, user).await,
        "records/cursor.json" if m == Method::GET => cursor_api::get(sim, req),
        "records/cursor.json" if m == Method::DELETE => cursor_api::delete(sim, req),
        "app/form/fields.json" if m == Method::GET => form::fields(sim, req),
        "app/form/layout.json" if m == Method::GET => form::layout(sim, req),
        "app.json" if m == Method::GET => form::app(sim, req),
        _ => Err(ApiError::new(404, "CB_NO01", format!("{} /k/v1/{} is not served by the simulator", req.method, req.endpoint))),
    }
}

/// Runs `f` on the request's app after kintone's guest-space rules: a guest app through
/// the normal path is 400 GAIA_IL23; a normal app (or another space's app) through a
/// guest path is 403 CB_NO02; an unknown app is 404 GAIA_AP01.
pub fn with_app<R>(sim: &Sim, req: &ApiRequest, f: impl FnOnce(&App, &Users) -> ApiResult<R>) -> ApiResult<R> {
    let id = req.app()?;
    let domain = sim.domain.read().unwrap();
    let app = domain.apps.get(&id).ok_or_else(|| ApiError::app_not_found(&id.to_string()))?;
    check_space(app, req)?;
    f(app, &domain.users)
}

pub fn check_space(app: &App, req: &ApiRequest) -> ApiResult<()> {
    match (app.guest_space, req.guest) {
        (Some(_), None) => Err(ApiError::new(400, "GAIA_IL23", t("ゲストスペース内のアプリを操作する場合は、リクエストの送信先を「/k/guest/（ゲストスペースのID）/v1/...」にしてください。", "To operate an app in a guest space, send the request to \"/k/guest/(guest space ID)/v1/...\"."))),
        (None, Some(_)) => Err(ApiError::no_permission()),
        (Some(a), Some(b)) if a != b => Err(ApiError::no_permission()),
        _ => Ok(()),
    }
}
