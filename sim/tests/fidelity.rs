//! The simulator against docs/KINTONE.md, "Sorting and comparing: what real kintone was
//! seen to do": one test per line that the simulator once got wrong (each named after
//! its line), plus the lines it already followed.
mod common;

use common::*;
use serde_json::{json, Value};

fn fields() -> Value {
    json!([
        {"code": "名前", "type": "SINGLE_LINE_TEXT"},
        {"code": "リンク", "type": "LINK"},
        {"code": "メモ", "type": "MULTI_LINE_TEXT"},
        {"code": "リッチ", "type": "RICH_TEXT"},
        {"code": "数値", "type": "NUMBER"},
        {"code": "計算", "type": "CALC"},
        {"code": "日付", "type": "DATE"},
        {"code": "日時", "type": "DATETIME"},
        {"code": "時刻", "type": "TIME"},
        {"code": "状態", "type": "DROP_DOWN", "options": ["高", "中", "低"]},
        {"code": "ラジオ", "type": "RADIO_BUTTON", "options": ["x", "y"]},
        {"code": "タグ", "type": "CHECK_BOX", "options": ["a", "b"]},
        {"code": "複数", "type": "MULTI_SELECT", "options": ["m", "n"]},
        {"code": "担当", "type": "USER_SELECT"},
        {"code": "作成者", "type": "CREATOR"},
        {"code": "表", "type": "SUBTABLE", "fields": [{"code": "品", "type": "SINGLE_LINE_TEXT"}, {"code": "量", "type": "NUMBER"}]}
    ])
}

fn row(item: &str, n: &str) -> Value {
    json!({"value": {"品": {"value": item}, "量": {"value": n}}})
}

async fn app() -> Sim {
    let users = json!([{"code": "zeta", "name": "Z"}, {"code": "alpha", "name": "A"}]);
    let records = json!([
        {"$id": "1", "名前": "b", "メモ": " \n\t", "数値": "10", "日付": "2024-01-02", "状態": "低", "作成者": {"code": "alpha"},
         "表": [row("皿", "1"), row("箱", "5")]},
        {"$id": "2", "名前": "B", "メモ": "", "数値": "", "日付": "", "状態": "高", "作成者": {"code": "zeta"}, "表": []},
        {"$id": "3", "名前": "a", "メモ": "note", "数値": "10", "日付": "2024-01-01", "状態": "", "作成者": {"code": "alpha"},
         "表": [row("皿", "9")]},
        {"$id": "4", "名前": "10", "数値": "-5", "日付": "2024-01-03", "状態": "中", "作成者": {"code": "zeta"}}
    ]);
    let app = json!({ "id": 10, "name": "fidelity", "fields": fields(), "records": records });
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let data = std::env::temp_dir().join(format!("kintone-sim-fidelity-{}-{n}.json", std::process::id()));
    std::fs::write(&data, json!({ "users": users, "apps": [app] }).to_string()).unwrap();
    let s = sim(kintone_sim::SeedSpec { data: Some(data.clone()), ..Default::default() }).await;
    let _ = std::fs::remove_file(data);
    s
}

const ASC: &str = " order by $id asc";

/// "Created time, updated time and DATETIME values carry `:00` seconds in every capture."
#[tokio::test]
async fn created_updated_and_datetime_values_are_whole_minutes() {
    let s = generated(3000).await;
    let (_, body) = s.get("/k/v1/records.json", &[("app", "1"), ("query", "limit 500"), ("fields[0]", "作成日時"), ("fields[1]", "更新日時"), ("fields[2]", "打合せ日時")]).await;
    for r in body["records"].as_array().unwrap() {
        for f in ["作成日時", "更新日時", "打合せ日時"] {
            let v = r[f]["value"].as_str().unwrap_or("");
            assert!(v.is_empty() || v.ends_with(":00Z"), "{f} = {v}");
        }
    }
    // A written DATETIME loses its seconds.
    let s = app().await;
    let (status, body) = s.send("POST", "/k/v1/record.json", json!({"app": 10, "record": {"日時": {"value": "2024-05-06T07:08:09Z"}}})).await;
    assert_eq!(status, 200, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    let (_, body) = s.get("/k/v1/record.json", &[("app", "10"), ("id", &id)]).await;
    assert_eq!(body["record"]["日時"]["value"], "2024-05-06T07:08:00Z");
}

/// "a record with an empty table matches neither `in` nor `not in`."
#[tokio::test]
async fn an_empty_table_matches_neither_in_nor_not_in() {
    let s = app().await;
    assert_eq!(s.ids(10, &format!("品 in (\"皿\"){ASC}")).await, vec![1, 3]);
    assert_eq!(s.ids(10, &format!("品 not in (\"箱\"){ASC}")).await, vec![3], "2 and 4 have no rows");
    assert_eq!(s.ids(10, &format!("品 not like \"箱\"{ASC}")).await, vec![3]);
}

/// "conditions on two fields of the same table joined by `and` must hold in the same row."
#[tokio::test]
async fn two_conditions_on_one_table_hold_in_the_same_row() {
    let s = app().await;
    assert_eq!(s.ids(10, &format!("品 in (\"皿\") and 量 > 4{ASC}")).await, vec![3], "record 1's 皿 row has 1");
    assert_eq!(s.ids(10, &format!("品 in (\"箱\") and 量 > 4{ASC}")).await, vec![1]);
    assert_eq!(s.ids(10, &format!("(品 in (\"皿\") and 量 < 2) and $id > 0{ASC}")).await, vec![1]);
    // `or` does not need the same row.
    assert_eq!(s.ids(10, &format!("品 in (\"箱\") or 量 > 8{ASC}")).await, vec![1, 3]);
}

/// "A value that is not one of a selection field's options (`区分 in ("nope")`) is 400 `GAIA_IQ10`."
#[tokio::test]
async fn a_value_that_is_not_an_option_is_gaia_iq10() {
    let s = app().await;
    for q in ["状態 in (\"nope\")", "状態 not in (\"高\", \"nope\")", "タグ in (\"z\")", "ラジオ in (\"X\")", "複数 not in (\"o\")"] {
        assert_eq!(s.error(10, q).await, (400, "GAIA_IQ10".to_string()), "{q}");
    }
    assert_eq!(s.ids(10, &format!("状態 in (\"\", \"高\"){ASC}")).await, vec![2, 3], "\"\" is unselected");
}

/// "`is empty` / `is not empty` work on MULTI_LINE_TEXT ...; a value of only spaces, tabs
/// or newlines counts as empty."
#[tokio::test]
async fn whitespace_only_multi_line_text_is_empty() {
    let s = app().await;
    assert_eq!(s.ids(10, &format!("メモ is empty{ASC}")).await, vec![1, 2, 4]);
    assert_eq!(s.ids(10, &format!("メモ is not empty{ASC}")).await, vec![3]);
}

/// "Bad function arguments are `GAIA_IQ23` (out of range), `GAIA_IQ25` (unit not
/// allowed), `GAIA_IL08` (missing argument)."
#[tokio::test]
async fn bad_function_arguments_have_their_own_codes() {
    let s = app().await;
    for (q, code) in [
        ("日付 = THIS_MONTH(32)", "GAIA_IQ23"),
        ("日付 = THIS_MONTH(0)", "GAIA_IQ23"),
        ("日付 = LAST_MONTH(-1)", "GAIA_IQ23"),
        ("日付 = THIS_WEEK(SOMEDAY)", "GAIA_IQ23"),
        ("日付 = FROM_TODAY(1.5, DAYS)", "GAIA_IQ23"),
        ("日付 = FROM_TODAY(1, HOURS)", "GAIA_IQ25"),
        ("日付 = FROM_TODAY(1)", "GAIA_IL08"),
        ("日付 = FROM_TODAY()", "GAIA_IL08"),
        ("日付 = TODAY(1)", "GAIA_IL08"),
        ("日付 = THIS_MONTH(1, 2)", "GAIA_IL08"),
    ] {
        assert_eq!(s.error(10, q).await, (400, code.to_string()), "{q}");
    }
    // Still CB_VA01: a function that is not a date, and a value that does not fit.
    assert_eq!(s.error(10, "日付 = LOGINUSER()").await, (400, "CB_VA01".to_string()));
    assert_eq!(s.ids(10, "日付 = THIS_MONTH(31)").await.len(), 0, "31 is in range");
}

/// "`in ("")` matches unselected values of selection fields"; on NUMBER it is accepted
/// and, like `= ""` under the default `--empty-equals matches`, finds empty values.
#[tokio::test]
async fn in_empty_string_on_a_number_is_accepted() {
    let s = app().await;
    assert_eq!(s.ids(10, &format!("数値 in (\"\"){ASC}")).await, vec![2]);
    assert_eq!(s.ids(10, &format!("数値 in (\"\", -5){ASC}")).await, vec![2, 4]);
    assert_eq!(s.ids(10, &format!("数値 not in (\"\"){ASC}")).await, vec![1, 3, 4]);
}

async fn get_lang(s: &Sim, lang: Option<&str>, query: &str) -> Value {
    let mut r = s.client.get(s.url("/k/v1/records.json")).query(&[("app", "10"), ("query", query)]).header("X-Cybozu-API-Token", TOKEN);
    if let Some(l) = lang {
        r = r.header("Accept-Language", l);
    }
    r.send().await.unwrap().json().await.unwrap()
}

/// Errors: "The message language follows the user's setting or `Accept-Language`."
#[tokio::test]
async fn messages_follow_accept_language() {
    let s = app().await;
    let en = get_lang(&s, Some("en"), "ない = 1").await;
    assert_eq!(en["code"], "GAIA_IQ11");
    assert_eq!(en["message"], "The specified field (ない) is not found.");
    let ja = get_lang(&s, Some("ja"), "ない = 1").await;
    assert_eq!(ja["message"], "指定されたフィールド（ない）が見つかりません。");
    let none = get_lang(&s, None, "ない = 1").await;
    assert_eq!(none["message"], ja["message"], "no header: the users' Japanese");
    let en = get_lang(&s, Some("en-US,en;q=0.9"), "名前 = ").await;
    assert_eq!((en["code"].as_str(), en["message"].as_str()), (Some("CB_VA01"), Some("Missing or invalid input.")));
    let ja = get_lang(&s, Some("ja"), "名前 = ").await;
    assert_eq!(ja["message"], "入力内容が正しくありません。");
    let en = get_lang(&s, Some("en"), "order by メモ asc").await;
    assert!(en["message"].as_str().unwrap().contains("cannot be used to sort"), "{en}");
}

/// "Sortable types: ... Not sortable: ...; sorting on one is 400 `GAIA_IS02`."
#[tokio::test]
async fn sortable_types_and_gaia_is02() {
    let s = app().await;
    for f in ["名前", "リンク", "数値", "計算", "日付", "日時", "時刻", "状態", "ラジオ", "作成者", "$id", "$revision"] {
        let (status, body) = s.get("/k/v1/records.json", &[("app", "10"), ("query", &format!("order by {f} asc"))]).await;
        assert_eq!(status, 200, "{f}: {body}");
    }
    for f in ["メモ", "リッチ", "タグ", "複数", "担当", "表", "品"] {
        assert_eq!(s.error(10, &format!("order by {f} asc")).await, (400, "GAIA_IS02".to_string()), "{f}");
    }
}

/// "DROP_DOWN sorts by the order its options are defined in ...; creator and modifier
/// by the user's numeric id"; "Empty values ... sort as the minimum"; "SINGLE_LINE_TEXT
/// sorts by Unicode code point".
#[tokio::test]
async fn sort_orders_by_type() {
    let s = app().await;
    assert_eq!(s.ids(10, "order by 状態 asc, $id asc").await, vec![3, 2, 4, 1], "empty, 高, 中, 低");
    assert_eq!(s.ids(10, "order by 状態 desc, $id asc").await, vec![1, 4, 2, 3]);
    // zeta was added before alpha: a smaller id although its code sorts after.
    assert_eq!(s.ids(10, "order by 作成者 asc, $id asc").await, vec![2, 4, 1, 3]);
    assert_eq!(s.ids(10, "order by 名前 asc, $id asc").await, vec![4, 2, 3, 1], "10, B, a, b");
    assert_eq!(s.ids(10, "order by 日付 asc, $id asc").await, vec![2, 3, 1, 4], "empty first");
    assert_eq!(s.ids(10, "order by 数値 desc, $id asc").await, vec![1, 3, 4, 2], "empty last descending");
}

/// "Records whose sort keys tie come back in `$id desc` unless the order says otherwise."
#[tokio::test]
async fn ties_come_back_in_id_desc() {
    let s = app().await;
    assert_eq!(s.ids(10, "order by 数値 asc").await, vec![2, 4, 3, 1]);
    assert_eq!(s.ids(10, "order by 作成者 asc").await, vec![4, 2, 3, 1]);
}

/// "In comparisons an empty NUMBER behaves as minus infinity: `<` and `<=` include
/// records whose value is empty, `>` and `>=` exclude them."
#[tokio::test]
async fn an_empty_number_is_minus_infinity_in_comparisons() {
    let s = app().await;
    assert_eq!(s.ids(10, &format!("数値 < 0{ASC}")).await, vec![2, 4]);
    assert_eq!(s.ids(10, &format!("数値 <= 10{ASC}")).await, vec![1, 2, 3, 4]);
    assert_eq!(s.ids(10, &format!("数値 > -100{ASC}")).await, vec![1, 3, 4]);
    assert_eq!(s.ids(10, &format!("数値 >= -5{ASC}")).await, vec![1, 3, 4]);
    assert_eq!(s.ids(10, &format!("数値 != 10{ASC}")).await, vec![2, 4]);
}

/// "Single-quoted literals are `CB_VA01`."
#[tokio::test]
async fn a_single_quoted_literal_is_cb_va01() {
    let s = app().await;
    assert_eq!(s.error(10, "名前 = 'a'").await, (400, "CB_VA01".to_string()));
}
