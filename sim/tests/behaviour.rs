//! The unknown-behaviour switches (sim/src/behaviour.rs): `/_sim/behaviour`, each
//! switch's answers, and `/_sim/reset` going back to the command line's values.
mod common;

use common::*;
use kintone_sim::{start, Behaviour, Config, EmptyEquals, SeedSpec};
use serde_json::{json, Value};

fn fields() -> Value {
    json!([
        {"code": "数値", "type": "NUMBER"},
        {"code": "日付", "type": "DATE"},
        {"code": "日時", "type": "DATETIME"},
        {"code": "時刻", "type": "TIME"},
        {"code": "名前", "type": "SINGLE_LINE_TEXT"}
    ])
}

async fn app() -> Sim {
    inline(
        fields(),
        json!([
            {"$id": "1", "数値": "5", "日付": "2024-01-02", "日時": "2024-01-02T03:04:00Z", "時刻": "09:00", "名前": "a"},
            {"$id": "2", "数値": "", "日付": "", "日時": "", "時刻": "", "名前": ""}
        ]),
    )
    .await
}

async fn set(s: &Sim, patch: Value) -> (u16, Value) {
    let r = s.client.post(s.url("/_sim/behaviour")).json(&patch).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

// KINTONE.md: "`k = ""` and `k != ""` on NUMBER, DATE, DATETIME, TIME: whether kintone
// finds empty values this way is unknown."
#[tokio::test]
async fn empty_equals_switch_on_numbers_dates_and_times() {
    let s = app().await;
    let body: Value = s.client.get(s.url("/_sim/behaviour")).send().await.unwrap().json().await.unwrap();
    assert_eq!(body["emptyEquals"], "matches", "the default");
    for f in ["数値", "日付", "日時", "時刻"] {
        assert_eq!(s.ids(10, &format!("{f} = \"\" order by $id asc")).await, vec![2], "{f} matches");
        assert_eq!(s.ids(10, &format!("{f} != \"\" order by $id asc")).await, vec![1], "{f} matches");
    }
    assert_eq!(set(&s, json!({"emptyEquals": "nothing"})).await, (200, json!({"emptyEquals": "nothing"})));
    for f in ["数値", "日付", "日時", "時刻"] {
        assert_eq!(s.ids(10, &format!("{f} = \"\" order by $id asc")).await, Vec::<u64>::new(), "{f} nothing");
        assert_eq!(s.ids(10, &format!("{f} != \"\" order by $id asc")).await, vec![1, 2], "{f} nothing");
    }
    set(&s, json!({"emptyEquals": "refused"})).await;
    for f in ["数値", "日付", "日時", "時刻"] {
        assert_eq!(s.error(10, &format!("{f} = \"\"")).await, (400, "CB_VA01".to_string()), "{f} refused");
        assert_eq!(s.error(10, &format!("{f} != \"\"")).await, (400, "CB_VA01".to_string()), "{f} refused");
    }
    // Text keeps its documented `= ""`.
    assert_eq!(s.ids(10, "名前 = \"\"").await, vec![2]);
}

#[tokio::test]
async fn behaviour_control_refuses_unknown_keys_and_values_and_reset_restores() {
    let s = app().await;
    let (status, body) = set(&s, json!({"emptyEqual": "nothing"})).await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("emptyEquals"), "{body}");
    let (status, body) = set(&s, json!({"emptyEquals": "sometimes"})).await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("nothing"), "{body}");
    set(&s, json!({"emptyEquals": "nothing"})).await;
    s.control("POST", "/_sim/reset", Value::Null).await;
    let body: Value = s.client.get(s.url("/_sim/behaviour")).send().await.unwrap().json().await.unwrap();
    assert_eq!(body["emptyEquals"], "matches");
}

#[tokio::test]
async fn reset_restores_the_configured_switches_not_the_defaults() {
    let behaviour = Behaviour { empty_equals: EmptyEquals::Refused };
    let config = Config { api_tokens: vec![TOKEN.into()], behaviour, ..Config::default() };
    let server = start(config, SeedSpec { records: Some(10), ..SeedSpec::default() }, 0).await.unwrap();
    let client = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", server.url());
    client.post(url("/_sim/behaviour")).json(&json!({"emptyEquals": "matches"})).send().await.unwrap();
    client.post(url("/_sim/reset")).send().await.unwrap();
    let body: Value = client.get(url("/_sim/behaviour")).send().await.unwrap().json().await.unwrap();
    assert_eq!(body["emptyEquals"], "refused");
    server.task.abort();
}
