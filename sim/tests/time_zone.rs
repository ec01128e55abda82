//! `--user-tz`: TODAY() and its relatives count days in the user's time zone
//! (KINTONE.md: "TODAY(), YESTERDAY(), TOMORROW(), FROM_TODAY() count days in the user's
//! time zone; NOW() and stored values are UTC"), checked on both sides of a UTC midnight.
mod common;

use chrono::DateTime;
use common::*;
use kintone_sim::{start, Config, SeedSpec};
use serde_json::json;

fn app_spec() -> SeedSpec {
    let fields = json!([{"code": "日付", "type": "DATE"}, {"code": "日時", "type": "DATETIME"}]);
    let records = json!([
        {"$id": "1", "日付": "2024-03-09", "日時": "2024-03-09T14:00:00Z"},
        {"$id": "2", "日付": "2024-03-10", "日時": "2024-03-09T16:00:00Z"},
        {"$id": "3", "日付": "2024-03-11", "日時": "2024-03-10T16:00:00Z"}
    ]);
    SeedSpec { records: Some(0), apps: Some(vec![json!({"id": 10, "name": "tz", "fields": fields, "records": records})]), ..SeedSpec::default() }
}

async fn sim_in(tz: Option<chrono_tz::Tz>, at: &str) -> Sim {
    let mut config = Config { api_tokens: vec![TOKEN.into()], ..Config::default() };
    if let Some(tz) = tz {
        config.user_tz = tz;
    }
    let server = start(config, app_spec(), 0).await.unwrap();
    // Move the simulator's clock to `at`.
    let target = DateTime::parse_from_rfc3339(at).unwrap().timestamp_millis();
    server.sim.clock.advance(target - server.sim.clock.now_ms());
    Sim { server, client: reqwest::Client::new() }
}

async fn q(s: &Sim, query: &str) -> Vec<u64> {
    s.ids(10, &format!("{query} order by $id asc")).await
}

#[tokio::test]
async fn today_is_the_tokyo_date_after_utc_15_00() {
    // 2024-03-09T15:30Z is 2024-03-10 00:30 in Tokyo (a Sunday; UTC is still Saturday).
    let s = sim_in(None, "2024-03-09T15:30:00Z").await;
    assert_eq!(q(&s, "日付 = TODAY()").await, vec![2]);
    assert_eq!(q(&s, "日付 = YESTERDAY()").await, vec![1]);
    assert_eq!(q(&s, "日付 = TOMORROW()").await, vec![3]);
    assert_eq!(q(&s, "日付 = FROM_TODAY(1, DAYS)").await, vec![3]);
    // The Tokyo week that starts on Sunday 2024-03-10.
    assert_eq!(q(&s, "日付 = THIS_WEEK()").await, vec![2, 3]);
    assert_eq!(q(&s, "日付 = LAST_WEEK(SATURDAY)").await, vec![1]);
    // On a DATETIME, TODAY() is the Tokyo day: 2024-03-09T15:00Z to 2024-03-10T15:00Z.
    assert_eq!(q(&s, "日時 = TODAY()").await, vec![2]);
    assert_eq!(q(&s, "日時 < TODAY()").await, vec![1]);
    // NOW() is the current minute whatever the zone.
    assert_eq!(q(&s, "日時 < NOW()").await, vec![1]);
}

#[tokio::test]
async fn before_utc_15_00_the_date_is_the_same_but_a_datetime_day_is_tokyo_s() {
    let s = sim_in(None, "2024-03-09T14:30:00Z").await;
    assert_eq!(q(&s, "日付 = TODAY()").await, vec![1]);
    assert_eq!(q(&s, "日時 = TODAY()").await, vec![1]);
    assert_eq!(q(&s, "日付 = THIS_WEEK()").await, vec![1]);
}

#[tokio::test]
async fn user_tz_utc_counts_utc_days() {
    let s = sim_in(Some(chrono_tz::UTC), "2024-03-09T15:30:00Z").await;
    assert_eq!(q(&s, "日付 = TODAY()").await, vec![1]);
    assert_eq!(q(&s, "日時 = TODAY()").await, vec![1, 2]);
}
