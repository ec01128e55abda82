//! Authentication: an API token (`X-Cybozu-API-Token`, comma-separated list allowed),
//! a password (`X-Cybozu-Authorization: base64(login:password)`), or the page's session
//! cookie with `X-Requested-With: XMLHttpRequest` and, for a request that is not an
//! HTTP GET, `__REQUEST_TOKEN__` in the body. Nothing: 401 CB_AU01; wrong: 401 CB_WA01.

use axum::http::Method;
use base64::Engine;

use crate::error::{ApiError, ApiResult};
use crate::lang::t;
use crate::params::ApiRequest;
use crate::state::Sim;

pub const SESSION_COOKIE: &str = "KINTONE_SIM_SESSION";

fn unauthenticated() -> ApiError {
    ApiError::new(401, "CB_AU01", t("ログインしてください。", "Please login."))
}

fn wrong() -> ApiError {
    ApiError::new(401, "CB_WA01", t("ユーザーのパスワード認証に失敗しました。", "Password authentication failed."))
}

pub fn cookie(req: &ApiRequest, name: &str) -> Option<String> {
    let header = req.headers.get("cookie")?.to_str().ok()?;
    header.split(';').filter_map(|kv| kv.trim().split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
}

/// The user running the request (index into the domain's users).
pub fn authenticate(sim: &Sim, req: &ApiRequest) -> ApiResult<Option<u32>> {
    let header = |name: &str| req.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let admin = || sim.domain.read().unwrap().users.index_of("Administrator");
    if let Some(tokens) = header("x-cybozu-api-token") {
        let ok = tokens.split(',').map(str::trim).all(|t| !t.is_empty() && sim.config.api_tokens.iter().any(|k| k == t));
        return if ok { Ok(admin()) } else { Err(wrong()) };
    }
    if let Some(encoded) = header("x-cybozu-authorization") {
        let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).map_err(|_| wrong())?;
        let text = String::from_utf8(decoded).map_err(|_| wrong())?;
        let (login, password) = text.split_once(':').ok_or_else(wrong)?;
        if sim.config.users.iter().any(|(l, p)| l == login && p == password) {
            return Ok(sim.domain.read().unwrap().users.index_of(login));
        }
        return Err(wrong());
    }
    if let Some(id) = cookie(req, SESSION_COOKIE) {
        let session = sim.sessions.lock().unwrap().get(&id).cloned().ok_or_else(unauthenticated)?;
        let xhr = header("x-requested-with").is_some_and(|v| v == "XMLHttpRequest");
        if !xhr {
            return Err(unauthenticated());
        }
        if req.wire_method != Method::GET && req.str("__REQUEST_TOKEN__").as_deref() != Some(session.request_token.as_str()) {
            return Err(wrong());
        }
        return Ok(Some(session.user));
    }
    Err(unauthenticated())
}
