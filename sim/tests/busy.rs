//! A busy domain: `POST /_sim/concurrency {"othersRunning": N}` (other users' requests)
//! counts in the limit, the running header and what getConcurrencyLimit() answers; the
//! mobile list page.
mod common;

use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn other_users_requests_count_in_the_domains_load() {
    let s = generated(5).await;
    assert_eq!(s.control("GET", "/_sim/concurrency", Value::Null).await, json!({ "limit": 100, "running": 0 }));
    assert_eq!(s.control("POST", "/_sim/concurrency", json!({ "othersRunning": 85 })).await, json!({ "limit": 100, "running": 85 }));
    let r = s.client.get(s.url("/k/v1/records.json?app=1")).header("X-Cybozu-API-Token", TOKEN).send().await.unwrap();
    assert_eq!(r.status(), 200);
    // 85 others and this request.
    assert_eq!(r.headers()["x-concurrencylimit-running"], "86");
    // The domain full: the next request is the 101st.
    s.control("POST", "/_sim/concurrency", json!({ "othersRunning": 100 })).await;
    let (status, body) = s.get("/k/v1/records.json", &[("app", "1")]).await;
    assert_eq!((status, body["code"].as_str().unwrap()), (429, "GAIA_TO04"));
    let refused = s.client.post(s.url("/_sim/concurrency")).json(&json!({ "othersRunning": 101 })).send().await.unwrap();
    assert_eq!(refused.status(), 400);
    // A reset forgets the load.
    s.control("POST", "/_sim/reset", Value::Null).await;
    assert_eq!(s.control("GET", "/_sim/concurrency", Value::Null).await, json!({ "limit": 100, "running": 0 }));
}

#[tokio::test]
async fn the_mobile_list_page_defines_kintone_mobile_app() {
    let s = generated(5).await;
    let page = s.client.get(s.url("/k/m/1/?condition=%E9%87%91%E9%A1%8D%20%3E%201")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("\"mobile\":true"), "the page tells the shim it is mobile");
    assert!(html.contains("name=\"viewport\""));
    assert!(html.contains("\"condition\":\"金額 > 1\""));
    let pc = s.client.get(s.url("/k/1/")).send().await.unwrap().text().await.unwrap();
    assert!(pc.contains("\"mobile\":false"));
    let missing = s.client.get(s.url("/k/m/99/")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn the_list_page_forbids_webassembly_on_request() {
    let s = generated(5).await;
    let page = s.client.get(s.url("/k/1/?csp=no-wasm")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    let nonce = policy.strip_prefix("script-src 'self' 'nonce-").and_then(|rest| rest.strip_suffix('\'')).expect(&policy);
    assert!(!policy.contains("wasm-unsafe-eval") && !policy.contains("unsafe-eval"), "{policy}");
    // The page's inline script carries the nonce, so it still runs.
    assert!(page.text().await.unwrap().contains(&format!("<script nonce=\"{nonce}\">window.__KINTONE_SIM__")));
    let mobile = s.client.get(s.url("/k/m/1/?csp=no-wasm")).send().await.unwrap();
    assert!(mobile.headers().contains_key("content-security-policy"));
    assert!(!s.client.get(s.url("/k/1/")).send().await.unwrap().headers().contains_key("content-security-policy"));
    assert_eq!(s.client.get(s.url("/k/1/?csp=strict")).send().await.unwrap().status(), 400);
}
