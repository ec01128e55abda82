//! The cursor API: limits, ids fixed at creation, values read at each GET, expiry.
mod common;

use common::*;
use serde_json::{json, Value};

async fn create(s: &Sim, body: Value) -> (u16, Value) {
    s.send("POST", "/k/v1/records/cursor.json", body).await
}

async fn next(s: &Sim, id: &str) -> (u16, Value) {
    s.get("/k/v1/records/cursor.json", &[("id", id)]).await
}

#[tokio::test]
async fn reads_everything_in_any_order_then_frees_itself() {
    let s = generated(1234).await;
    let (status, c) = create(&s, json!({ "app": 1, "query": "order by 金額 asc, $id asc", "size": 500 })).await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["totalCount"], "1234");
    let id = c["id"].as_str().unwrap().to_string();
    let mut ids = vec![];
    for _ in 0..10 {
        let (status, page) = next(&s, &id).await;
        assert_eq!(status, 200);
        ids.extend(ids_of(&page));
        if page["next"] == false {
            break;
        }
    }
    let expected: Vec<u64> = s.control("GET", "/_sim/evaluate?app=1&query=order%20by%20%E9%87%91%E9%A1%8D%20asc%2C%20%24id%20asc", Value::Null).await["ids"]
        .as_array().unwrap().iter().map(|v| v.as_str().unwrap().parse().unwrap()).collect();
    assert_eq!(ids, expected);
    assert_eq!(ids.len(), 1234);
    // Finished: the cursor is gone.
    let (status, e) = next(&s, &id).await;
    assert_eq!((status, e["code"].as_str().unwrap()), (404, "GAIA_CN01"));
    let stats = s.control("GET", "/_sim/stats", Value::Null).await;
    assert_eq!(stats["cursors"]["live"], 0);
    assert_eq!(stats["cursors"]["finished"], 1);
}

#[tokio::test]
async fn ten_live_cursors_per_domain() {
    let s = generated(50).await;
    let occupied = s.control("POST", "/_sim/cursors/occupy", json!({ "count": 3 })).await;
    assert_eq!(occupied["occupied"], 3);
    let mut ids = vec![];
    for _ in 0..7 {
        let (status, c) = create(&s, json!({ "app": 1 })).await;
        assert_eq!(status, 200, "{c}");
        ids.push(c["id"].as_str().unwrap().to_string());
    }
    let (status, e) = create(&s, json!({ "app": 1 })).await;
    assert_eq!((status, e["code"].as_str().unwrap()), (429, "GAIA_TM12"));
    // Deleting one frees a place; deleting it twice is GAIA_CN01.
    let (status, _) = s.send("DELETE", "/k/v1/records/cursor.json", json!({ "id": ids[0] })).await;
    assert_eq!(status, 200);
    let (status, e) = s.send("DELETE", "/k/v1/records/cursor.json", json!({ "id": ids[0] })).await;
    assert_eq!((status, e["code"].as_str().unwrap()), (404, "GAIA_CN01"));
    let (status, _) = create(&s, json!({ "app": 1 })).await;
    assert_eq!(status, 200);
    s.control("POST", "/_sim/cursors/release", Value::Null).await;
    let stats = s.control("GET", "/_sim/stats", Value::Null).await;
    assert_eq!(stats["cursors"]["live"], 7);
    assert_eq!(stats["cursors"]["peakLive"], 10);
    assert_eq!(stats["cursors"]["refused"], 1);
}

#[tokio::test]
async fn size_limit_and_offset_are_checked() {
    let s = generated(10).await;
    for body in [json!({ "app": 1, "size": 0 }), json!({ "app": 1, "size": 501 }), json!({ "app": 1, "query": "limit 10" }), json!({ "app": 1, "query": "offset 1" })] {
        let (status, e) = create(&s, body.clone()).await;
        assert_eq!((status, e["code"].as_str().unwrap()), (400, "CB_VA01"), "{body}");
    }
    let (_, c) = create(&s, json!({ "app": 1 })).await;
    let (_, page) = next(&s, c["id"].as_str().unwrap()).await;
    assert_eq!(page["records"].as_array().unwrap().len(), 10, "default size 100 covers all 10");
    assert_eq!(page["next"], false);
    let (status, e) = next(&s, "00000000-0000-0000-0000-000000000000").await;
    assert_eq!((status, e["code"].as_str().unwrap()), (404, "GAIA_CN01"));
}

#[tokio::test]
async fn ids_fixed_at_creation_values_read_at_each_get() {
    let s = generated(30).await;
    let (_, c) = create(&s, json!({ "app": 1, "query": "order by $id asc", "size": 10, "fields": ["$id", "件名"] })).await;
    let id = c["id"].as_str().unwrap().to_string();
    let (_, page) = next(&s, &id).await;
    assert_eq!(ids_of(&page), (1..=10).collect::<Vec<_>>());
    // Changes during the read: a new record (not in the set), a deleted one (skipped),
    // an updated one (new value).
    let (status, _) = s.send("POST", "/k/v1/record.json", json!({ "app": 1, "record": { "件名": { "value": "new" }, "金額": { "value": "1" }, "受注日": { "value": "2024-01-01" }, "ステータス": { "value": "完了" } } })).await;
    assert_eq!(status, 200);
    let (status, _) = s.send("DELETE", "/k/v1/records.json", json!({ "app": 1, "ids": [12] })).await;
    assert_eq!(status, 200);
    let (status, _) = s.send("PUT", "/k/v1/record.json", json!({ "app": 1, "id": 13, "record": { "件名": { "value": "changed" } } })).await;
    assert_eq!(status, 200);
    let (_, page) = next(&s, &id).await;
    assert_eq!(ids_of(&page), vec![11, 13, 14, 15, 16, 17, 18, 19, 20]);
    assert_eq!(page["records"][1]["件名"]["value"], "changed");
    let (_, page) = next(&s, &id).await;
    assert_eq!(ids_of(&page), (21..=30).collect::<Vec<_>>());
    assert_eq!(page["next"], false);
}

#[tokio::test]
async fn cursors_expire_ten_minutes_after_the_last_get() {
    let s = generated(30).await;
    let (_, c) = create(&s, json!({ "app": 1, "size": 10 })).await;
    let id = c["id"].as_str().unwrap().to_string();
    s.control("POST", "/_sim/clock", json!({ "advanceMs": 9 * 60_000 })).await;
    let (status, _) = next(&s, &id).await;
    assert_eq!(status, 200, "alive 9 minutes after creation");
    s.control("POST", "/_sim/clock", json!({ "advanceMs": 9 * 60_000 })).await;
    let (status, _) = next(&s, &id).await;
    assert_eq!(status, 200, "alive 9 minutes after the last GET");
    s.control("POST", "/_sim/clock", json!({ "advanceMs": 10 * 60_000 + 1 })).await;
    let (status, e) = next(&s, &id).await;
    assert_eq!((status, e["code"].as_str().unwrap()), (404, "GAIA_CN01"));
    let stats = s.control("GET", "/_sim/stats", Value::Null).await;
    assert_eq!(stats["cursors"]["neverReleased"], 1);
}

#[tokio::test]
async fn creations_are_serialized_and_never_exceed_ten() {
    let s = std::sync::Arc::new(generated(2000).await);
    let mut tasks = vec![];
    for _ in 0..16 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move { create(&s, json!({ "app": 1, "query": "order by 金額 desc" })).await.0 }));
    }
    let mut ok = 0;
    let mut refused = 0;
    for t in tasks {
        match t.await.unwrap() {
            200 => ok += 1,
            429 => refused += 1,
            other => panic!("status {other}"),
        }
    }
    assert_eq!((ok, refused), (10, 6));
}
