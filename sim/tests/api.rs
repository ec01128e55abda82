//! Authentication, guest spaces, the form, record writes, faults and latency.
mod common;

use std::time::Instant;

use base64::Engine;
use common::*;
use kintone_sim::SeedSpec;
use serde_json::{json, Value};

#[tokio::test]
async fn authentication() {
    let s = generated(5).await;
    let url = s.url("/k/v1/records.json?app=1");
    let code = |r: reqwest::Response| async move { (r.status().as_u16(), r.json::<Value>().await.unwrap()["code"].as_str().unwrap_or("").to_string()) };
    let none = s.client.get(&url).send().await.unwrap();
    assert_eq!(code(none).await, (401, "CB_AU01".into()));
    let wrong = s.client.get(&url).header("X-Cybozu-API-Token", "nope").send().await.unwrap();
    assert_eq!(code(wrong).await, (401, "CB_WA01".into()));
    let pass = |p: &str| base64::engine::general_purpose::STANDARD.encode(format!("Administrator:{p}"));
    let ok = s.client.get(&url).header("X-Cybozu-Authorization", pass("cybozu")).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    let bad = s.client.get(&url).header("X-Cybozu-Authorization", pass("x")).send().await.unwrap();
    assert_eq!(code(bad).await, (401, "CB_WA01".into()));

    // The page logs the browser in: a session cookie and a request token.
    let page = s.client.get(s.url("/k/1/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let cookie = page.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let html = page.text().await.unwrap();
    let token = html.split("\"requestToken\":\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let xhr = |r: reqwest::RequestBuilder| r.header("cookie", &cookie).header("X-Requested-With", "XMLHttpRequest");
    assert_eq!(xhr(s.client.get(&url)).send().await.unwrap().status(), 200);
    let no_xhr = s.client.get(&url).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(code(no_xhr).await, (401, "CB_AU01".into()));
    let post = |t: Option<&str>| {
        let mut body = json!({ "app": 1, "query": "limit 1" });
        if let Some(t) = t {
            body["__REQUEST_TOKEN__"] = json!(t);
        }
        xhr(s.client.post(s.url("/k/v1/records.json"))).header("X-HTTP-Method-Override", "GET").json(&body)
    };
    assert_eq!(code(post(None).send().await.unwrap()).await, (401, "CB_WA01".into()));
    assert_eq!(code(post(Some("forged")).send().await.unwrap()).await, (401, "CB_WA01".into()));
    assert_eq!(post(Some(&token)).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn guest_space_rules() {
    let guest_app = json!({ "id": 20, "guestSpaceId": 5, "fields": [{"code": "t", "type": "SINGLE_LINE_TEXT"}], "records": [{"t": "a"}] });
    let s = sim(SeedSpec { records: Some(3), apps: Some(vec![guest_app]), ..SeedSpec::default() }).await;
    let (status, e) = s.get("/k/v1/records.json", &[("app", "20")]).await;
    assert_eq!((status, e["code"].as_str().unwrap()), (400, "GAIA_IL23"));
    let (status, body) = s.get("/k/guest/5/v1/records.json", &[("app", "20")]).await;
    assert_eq!(status, 200);
    assert_eq!(body["records"][0]["t"]["value"], "a");
    let (status, e) = s.get("/k/guest/5/v1/records.json", &[("app", "1")]).await;
    assert_eq!((status, e["code"].as_str().unwrap()), (403, "CB_NO02"));
    let (status, e) = s.get("/k/guest/6/v1/records.json", &[("app", "20")]).await;
    assert_eq!((status, e["code"].as_str().unwrap()), (403, "CB_NO02"));
    let (status, _) = s.send("POST", "/k/guest/5/v1/records/cursor.json", json!({ "app": 20 })).await;
    assert_eq!(status, 200);
    let (status, e) = s.get("/k/v1/app/form/fields.json", &[("app", "20")]).await;
    assert_eq!((status, e["code"].as_str().unwrap()), (400, "GAIA_IL23"));
}

#[tokio::test]
async fn form_fields() {
    let s = generated(1).await;
    let (status, form) = s.get("/k/v1/app/form/fields.json", &[("app", "1")]).await;
    assert_eq!(status, 200);
    let p = &form["properties"];
    assert_eq!(p["金額"]["type"], "NUMBER");
    assert_eq!(p["金額"]["required"], true);
    assert_eq!(p["数量"]["required"], false);
    assert_eq!(p["ステータス"]["options"]["完了"]["index"], "2");
    assert_eq!(p["明細"]["fields"]["単価"]["type"], "NUMBER");
    assert_eq!(p["レコード番号"]["type"], "RECORD_NUMBER");
    assert!(form["revision"].is_string());
}

#[tokio::test]
async fn record_writes() {
    let s = generated(3).await;
    let (status, e) = s.send("POST", "/k/v1/record.json", json!({ "app": 1, "record": { "件名": { "value": "x" } } })).await;
    assert_eq!((status, e["code"].as_str().unwrap()), (400, "CB_VA01"), "required fields");
    let record = |name: &str| json!({ "件名": { "value": name }, "金額": { "value": "5" }, "受注日": { "value": "2024-02-03" }, "ステータス": { "value": "完了" }, "タグ": { "value": ["至急"] }, "明細": { "value": [{ "value": { "品名": { "value": "a" } } }] } });
    let (status, r) = s.send("POST", "/k/v1/records.json", json!({ "app": 1, "records": [record("a"), record("b")] })).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["ids"], json!(["4", "5"]));
    let (status, r) = s.send("PUT", "/k/v1/records.json", json!({ "app": 1, "records": [{ "id": 4, "revision": 1, "record": { "金額": { "value": "7" } } }] })).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["records"][0]["revision"], "2");
    let (status, e) = s.send("PUT", "/k/v1/record.json", json!({ "app": 1, "id": 4, "revision": 1, "record": {} })).await;
    assert_eq!((status, e["code"].as_str().unwrap()), (409, "GAIA_CO02"));
    let (_, one) = s.get("/k/v1/record.json", &[("app", "1"), ("id", "4")]).await;
    assert_eq!(one["record"]["金額"]["value"], "7");
    assert_eq!(one["record"]["タグ"]["value"], json!(["至急"]));
    assert_eq!(one["record"]["作成者"]["value"]["code"], "Administrator");
    assert_eq!(s.ids(1, "金額 = 7").await, vec![4]);
    let (status, _) = s.send("DELETE", "/k/v1/records.json", json!({ "app": 1, "ids": [4, 5] })).await;
    assert_eq!(status, 200);
    assert_eq!(s.ids(1, "").await, vec![3, 2, 1]);
    // Query-string DELETE, as some clients send it.
    let r = s.client.delete(s.url("/k/v1/records.json?app=1&ids[0]=3")).header("X-Cybozu-API-Token", TOKEN).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(s.ids(1, "").await, vec![2, 1]);
}

#[tokio::test]
async fn faults_latency_and_statistics() {
    let s = generated(20).await;
    s.control("POST", "/_sim/faults", json!([
        { "path": "records.json", "count": 2, "action": "status", "status": 503, "body": { "code": "GAIA_X", "id": "1", "message": "down" } },
        { "path": "records.json", "action": "tooBusy" },
        { "path": "records.json", "action": "drop" }
    ])).await;
    for _ in 0..2 {
        let (status, body) = s.get("/k/v1/records.json", &[("app", "1")]).await;
        assert_eq!((status, body["code"].as_str().unwrap()), (503, "GAIA_X"));
    }
    let r = s.client.get(s.url("/k/v1/records.json?app=1")).header("X-Cybozu-API-Token", TOKEN).send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["x-concurrencylimit-limit"], "100");
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "GAIA_TO04");
    let dropped = async {
        let r = s.client.get(s.url("/k/v1/records.json?app=1")).header("X-Cybozu-API-Token", TOKEN).send().await?;
        r.text().await
    };
    assert!(dropped.await.is_err(), "the connection is dropped");
    let (status, _) = s.get("/k/v1/records.json", &[("app", "1")]).await;
    assert_eq!(status, 200, "faults are used up");

    s.control("POST", "/_sim/faults", json!({ "method": "POST", "path": "cursor", "action": "delay", "ms": 200 })).await;
    let started = Instant::now();
    let (status, c) = s.send("POST", "/k/v1/records/cursor.json", json!({ "app": 1, "size": 500 })).await;
    assert_eq!(status, 200);
    assert!(started.elapsed().as_millis() >= 200, "a slow cursor creation");
    s.control("POST", "/_sim/faults", json!({ "path": "cursor", "method": "GET", "action": "emptyPage", "count": 2 })).await;
    let id = c["id"].as_str().unwrap();
    for _ in 0..2 {
        let (_, page) = s.get("/k/v1/records/cursor.json", &[("id", id)]).await;
        assert_eq!(page, json!({ "records": [], "next": true }));
    }
    let (_, page) = s.get("/k/v1/records/cursor.json", &[("id", id)]).await;
    assert_eq!((page["records"].as_array().unwrap().len(), &page["next"]), (20, &json!(false)));

    s.control("POST", "/_sim/latency", json!({ "ms": 150 })).await;
    let started = Instant::now();
    let (status, _) = s.get("/k/v1/records.json", &[("app", "1")]).await;
    assert_eq!(status, 200);
    assert!(started.elapsed().as_millis() >= 150);
    s.control("POST", "/_sim/latency", json!({ "ms": 0 })).await;

    let stats = s.control("GET", "/_sim/stats", Value::Null).await;
    assert_eq!(stats["requests"]["GET /k/v1/records.json"], 6);
    assert_eq!(stats["requests"]["GET /k/v1/records/cursor.json"], 3);
    s.control("POST", "/_sim/reset", json!({ "records": 4 })).await;
    assert_eq!(s.ids(1, "").await, vec![4, 3, 2, 1]);
    let stats = s.control("GET", "/_sim/stats", Value::Null).await;
    assert_eq!(stats["requests"]["GET /k/v1/records.json"], 1);
}

#[tokio::test]
async fn malformed_requests() {
    let s = generated(2).await;
    let r = s.client.get(s.url("/k/v1/records.json?app=1")).header("X-Cybozu-API-Token", TOKEN).header("content-type", "application/json").send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "CB_IL02");
    let (status, e) = s.get("/k/v1/records.json", &[]).await;
    assert_eq!((status, e["code"].as_str().unwrap()), (400, "CB_VA01"));
    let long = format!("$id > 0{}", " and $id > 0".repeat(800));
    let (status, _) = s.get("/k/v1/records.json", &[("app", "1"), ("query", &long)]).await;
    assert_eq!(status, 414, "a URL over 8 KB");
    let (status, body) = s.get_by_post("/k/v1/records.json", json!({ "app": 1, "query": long })).await;
    assert_eq!(status, 200, "the same query in a JSON body: {body}");
    let fields: Vec<String> = (0..1001).map(|i| format!("f{i}")).collect();
    let (status, e) = s.get_by_post("/k/v1/records.json", json!({ "app": 1, "fields": fields })).await;
    assert_eq!((status, e["code"].as_str().unwrap()), (400, "CB_VA01"));
}

#[tokio::test]
async fn a_data_file_next_to_the_generated_app() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/apps.json");
    let s = sim(SeedSpec { records: Some(10), data: Some(file), ..SeedSpec::default() }).await;
    assert_eq!(s.ids(1, "").await.len(), 10);
    assert_eq!(s.ids(5, "売上 > 100 order by $id asc").await, vec![1]);
    assert_eq!(s.ids(5, "担当 in (\"sato\") order by $id asc").await, vec![1, 2]);
    assert_eq!(s.ids(5, "内容 like \"訪問\"").await, vec![1]);
    assert_eq!(s.ids(5, "order by ランク desc").await, vec![3, 2, 1]);
    let (_, one) = s.get("/k/v1/record.json", &[("app", "5"), ("id", "1")]).await;
    assert_eq!(one["record"]["担当"]["value"][0], json!({ "code": "sato", "name": "佐藤 一郎" }));
    assert_eq!(one["record"]["売上"]["value"], "1200000");
    let (status, body) = s.get("/k/guest/3/v1/records.json", &[("app", "6")]).await;
    assert_eq!(status, 200);
    assert_eq!(body["records"][0]["件名"]["value"], "guest record");
}

#[tokio::test]
async fn the_list_page_of_a_guest_app() {
    let s = sim(SeedSpec { records: Some(5), guest_space_id: Some(4), ..SeedSpec::default() }).await;
    let page = s.client.get(s.url("/k/guest/4/1/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("\"guestSpaceId\":4"));
    assert_eq!(s.client.get(s.url("/k/1/")).send().await.unwrap().status(), 403);
    assert_eq!(s.client.get(s.url("/k/99/")).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn a_like_matching_100000_records_warns() {
    let s = generated(100_000).await;
    let r = s
        .client
        .get(s.url("/k/v1/records.json"))
        .query(&[("app", "1"), ("query", "件名 like \" \" order by $id asc limit 1")])
        .header("X-Cybozu-API-Token", TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-cybozu-warning"], "Filter aborted because of too many search results");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["totalCount"], Value::Null, "no totalCount unless asked");
    let r = s
        .client
        .get(s.url("/k/v1/records.json"))
        .query(&[("app", "1"), ("query", "件名 like \"見積\" limit 1")])
        .header("X-Cybozu-API-Token", TOKEN)
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("x-cybozu-warning").is_none());
}
