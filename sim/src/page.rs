//! The kintone-like record list page: `GET /k/{app}/` (or `/k/guest/{space}/{app}/`),
//! and its mobile form `GET /k/m/{app}/`, with `?condition=...&orderBy=...` as the view. It logs the browser in (a session
//! cookie and a request token), defines `kintone` (assets/kintone-sim.js), then loads the
//! customization files named on the command line, in order, as kintone does. With
//! `?csp=no-wasm` it is served under a Content-Security-Policy that forbids WebAssembly.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use crate::auth::SESSION_COOKIE;
use crate::state::{Session, Sim};

const SHIM: &str = include_str!("../assets/kintone-sim.js");

pub async fn shim() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], SHIM).into_response()
}

/// `GET /k/customization/{index}/{name}`: the index-th `--customization` file, read
/// from disk at each request (a rebuild is picked up on reload).
pub async fn customization(State(sim): State<Arc<Sim>>, Path((index, _name)): Path<(usize, String)>) -> Response {
    let Some(path) = sim.config.customizations.get(index) else {
        return (StatusCode::NOT_FOUND, "no such customization").into_response();
    };
    match tokio::fs::read(path).await {
        Ok(bytes) => {
            let ctype = if path.extension().is_some_and(|e| e == "css") { "text/css; charset=utf-8" } else { "text/javascript; charset=utf-8" };
            ([(header::CONTENT_TYPE, ctype), (header::CACHE_CONTROL, "no-store")], bytes).into_response()
        }
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{}: {e}", path.display())).into_response(),
    }
}

pub async fn list_page(State(sim): State<Arc<Sim>>, Path(app): Path<String>, Query(q): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    render(sim, None, app, q, headers, false)
}

/// `GET /k/m/{app}/`: the list as kintone's mobile pages serve it (`kintone.mobile.app`,
/// `mobile.app.record.index.show`).
pub async fn mobile_list_page(State(sim): State<Arc<Sim>>, Path(app): Path<String>, Query(q): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    render(sim, None, app, q, headers, true)
}

pub async fn guest_list_page(
    State(sim): State<Arc<Sim>>,
    Path((space, app)): Path<(u64, String)>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    render(sim, Some(space), app, q, headers, false)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn render(sim: Arc<Sim>, space: Option<u64>, app: String, q: HashMap<String, String>, headers: HeaderMap, mobile: bool) -> Response {
    let Ok(app_id) = app.parse::<u64>() else {
        return (StatusCode::NOT_FOUND, "not a page").into_response();
    };
    // `?csp=no-wasm`: a policy whose `script-src` allows the page's own scripts (its inline
    // one by a nonce) but neither 'wasm-unsafe-eval' nor 'unsafe-eval', so WebAssembly
    // cannot compile, as on a site whose policy was written without it.
    let nonce = match q.get("csp").map(String::as_str) {
        None => None,
        Some("no-wasm") => Some(uuid::Uuid::new_v4().simple().to_string()),
        Some(other) => return (StatusCode::BAD_REQUEST, format!("csp={other}: the only policy is no-wasm")).into_response(),
    };
    let (name, list_fields, guest) = {
        let domain = sim.domain.read().unwrap();
        let Some(a) = domain.apps.get(&app_id) else {
            return (StatusCode::NOT_FOUND, Html(format!("<h1>app {app_id} not found</h1>"))).into_response();
        };
        let fields: Vec<String> = a.fields.iter().filter(|f| f.ftype != crate::model::FieldType::Subtable).take(8).map(|f| f.code.clone()).collect();
        (a.name.clone(), fields, a.guest_space)
    };
    if guest != space {
        return (StatusCode::FORBIDDEN, Html("<h1>CB_NO02: this app is not in this space</h1>".to_string())).into_response();
    }
    // The browser's session: reuse a valid cookie, else log in as the first user.
    let existing = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').filter_map(|kv| kv.trim().split_once('=')).find(|(k, _)| *k == SESSION_COOKIE).map(|(_, v)| v.to_string()));
    let mut sessions = sim.sessions.lock().unwrap();
    let (session_id, session) = match existing.and_then(|id| sessions.get(&id).cloned().map(|s| (id, s))) {
        Some(found) => found,
        None => {
            let login = sim.config.users.first().map(|u| u.0.clone()).unwrap_or_else(|| "Administrator".into());
            let user = sim.domain.read().unwrap().users.index_of(&login).unwrap_or(0);
            let s = Session { user, request_token: uuid::Uuid::new_v4().to_string() };
            let id = uuid::Uuid::new_v4().simple().to_string();
            sessions.insert(id.clone(), s.clone());
            (id, s)
        }
    };
    drop(sessions);
    let login = sim.domain.read().unwrap().users.get(session.user).0.to_string();
    let page = json!({
        "appId": app_id,
        "guestSpaceId": space,
        "condition": q.get("condition").cloned().unwrap_or_default(),
        "orderBy": q.get("orderBy").cloned().unwrap_or_default(),
        "pageSize": 20,
        "viewId": "20",
        "viewName": "(すべて)",
        "requestToken": session.request_token,
        "loginUser": login,
        "listFields": list_fields,
        "mobile": mobile,
    });
    let config = page.to_string().replace('<', "\\u003c");
    let scripts: String = sim
        .config
        .customizations
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let file = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| format!("{i}.js"));
            let src = format!("/k/customization/{i}/{}", escape(&file));
            if file.ends_with(".css") {
                format!("<link rel=\"stylesheet\" href=\"{src}\">\n")
            } else {
                format!("<script src=\"{src}\"></script>\n")
            }
        })
        .collect();
    let html = format!(
        r#"<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - kintone-sim</title>
<link rel="icon" href="data:,">
<style>
body {{ font-family: sans-serif; margin: 0; background: #f5f5f5; color: #333; }}
header {{ background: #3498db; color: #fff; padding: 8px 16px; }}
main {{ padding: 16px; }}
#kintone-sim-list {{ border-collapse: collapse; background: #fff; font-size: 13px; }}
#kintone-sim-list th, #kintone-sim-list td {{ border: 1px solid #ddd; padding: 4px 8px; white-space: nowrap; }}
</style>
<script{nonce_attribute}>window.__KINTONE_SIM__ = {config};</script>
<script src="/k/static/kintone-sim.js"></script>
{scripts}</head>
<body>
<header><b>{title}</b> — app {app_id} — a record list served by kintone-sim</header>
<main>
<div id="kintone-sim-header-menu-space"></div>
<div id="kintone-sim-header-space"></div>
<table id="kintone-sim-list"></table>
</main>
</body>
</html>
"#,
        title = escape(&name),
        nonce_attribute = nonce.as_ref().map(|nonce| format!(" nonce=\"{nonce}\"")).unwrap_or_default(),
    );
    let cookie = format!("{SESSION_COOKIE}={session_id}; Path=/; HttpOnly; SameSite=Lax");
    let mut response = ([(header::SET_COOKIE, cookie), (header::CACHE_CONTROL, "no-store".to_string())], Html(html)).into_response();
    if let Some(nonce) = nonce {
        let policy = format!("script-src 'self' 'nonce-{nonce}'");
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy.parse().expect("a header value"));
    }
    response
}
