use super::*;
use crate::error::SeekErrorCode;
use crate::options::{parse_options, OptionValue};
use crate::plan::sort_keys;
use crate::test_answer::{FakeAnswer, FakeRecord};
use crate::transport::Method;

fn options(extra: &[(&str, OptionValue)]) -> ReadOptions {
    let mut entries: Vec<(String, OptionValue)> = extra.iter().map(|(name, value)| (name.to_string(), value.clone())).collect();
    if !entries.iter().any(|(name, _)| name == "app") {
        entries.push(("app".to_string(), OptionValue::Number(7.0)));
    }
    parse_options(&entries).unwrap()
}

fn paginator(extra: &[(&str, OptionValue)]) -> SeekPaginator {
    let options = options(extra);
    SeekPaginator::new(&options, sort_keys(&options))
}

fn s(text: &str) -> OptionValue {
    OptionValue::Str(text.into())
}

fn query_of(request: &Request) -> &str {
    match request.param("query") {
        Some(ParamValue::Str(query)) => query,
        other => panic!("no query: {other:?}"),
    }
}

#[test]
fn first_and_next_requests_without_condition() {
    let mut seek = paginator(&[]);
    let first = seek.next_request().unwrap();
    assert_eq!(first.path, "/k/v1/records.json");
    assert_eq!(first.method, Method::Get);
    assert_eq!(
        first.params,
        vec![
            ("app", ParamValue::Int(7)),
            ("query", ParamValue::Str("order by $id asc limit 500".into())),
            ("totalCount", ParamValue::Bool(true)),
        ]
    );
    seek.accept(&FakeAnswer::ids(1..=500)).unwrap();
    let second = seek.next_request().unwrap();
    assert_eq!(
        second.params,
        vec![("app", ParamValue::Int(7)), ("query", ParamValue::Str("$id > 500 order by $id asc limit 500".into()))]
    );
}

#[test]
fn user_condition_is_wrapped_in_parentheses_because_and_binds_tighter_than_or() {
    let mut seek = paginator(&[("condition", s("a = 1 or b = 2"))]);
    assert_eq!(query_of(&seek.next_request().unwrap()), "(a = 1 or b = 2) order by $id asc limit 500");
    seek.accept(&FakeAnswer::ids(1..=500)).unwrap();
    assert_eq!(query_of(&seek.next_request().unwrap()), "(a = 1 or b = 2) and $id > 500 order by $id asc limit 500");
}

#[test]
fn quotes_backslashes_and_japanese_field_codes_pass_through_verbatim() {
    let condition = "氏名 = \"山田 \\\"太郎\\\"\" or メモ like \"C:\\\\temp\"";
    let seek = paginator(&[("condition", s(&format!("  {condition}\u{3000}\n")))]);
    assert_eq!(query_of(&seek.next_request().unwrap()), format!("({condition}) order by $id asc limit 500"));
}

#[test]
fn descending_reads_below_the_last_id() {
    let mut seek = paginator(&[("condition", s("数値 > 10")), ("pageSize", OptionValue::Number(3.0)), ("orderBy", s("$id desc"))]);
    assert_eq!(query_of(&seek.next_request().unwrap()), "(数値 > 10) order by $id desc limit 3");
    seek.accept(&FakeAnswer::ids([90, 80, 70])).unwrap();
    assert_eq!(query_of(&seek.next_request().unwrap()), "(数値 > 10) and $id < 70 order by $id desc limit 3");
    let error = seek.accept(&FakeAnswer::ids([60, 65])).unwrap_err();
    assert_eq!(error.code, SeekErrorCode::Protocol);
}

#[test]
fn query_option_keeps_its_condition_and_order() {
    let seek = paginator(&[("query", s("status in (\"A\", \"B\") order by $id desc"))]);
    assert_eq!(query_of(&seek.next_request().unwrap()), "(status in (\"A\", \"B\")) order by $id desc limit 500");
}

#[test]
fn needed_fields_are_added_and_stripped_only_when_the_caller_did_not_ask_for_them() {
    let list = |codes: &[&str]| OptionValue::List(codes.iter().map(|c| s(c)).collect());
    let seek = paginator(&[("fields", list(&["氏名", "数値"]))]);
    assert_eq!(seek.added_fields(), ["$id".to_string()]);
    assert_eq!(
        seek.next_request().unwrap().param("fields"),
        Some(&ParamValue::List(vec!["氏名".into(), "数値".into(), "$id".into()]))
    );
    let seek = paginator(&[("fields", list(&["$id", "氏名"]))]);
    assert!(seek.added_fields().is_empty());
    assert_eq!(seek.next_request().unwrap().param("fields"), Some(&ParamValue::List(vec!["$id".into(), "氏名".into()])));
    let seek = paginator(&[]);
    assert!(seek.added_fields().is_empty());
    assert_eq!(seek.next_request().unwrap().param("fields"), None);
}

#[test]
fn guest_space_and_string_app_ids() {
    let seek = paginator(&[("app", s("12")), ("guestSpaceId", OptionValue::Number(4.0))]);
    let request = seek.next_request().unwrap();
    assert_eq!(request.path, "/k/guest/4/v1/records.json");
    assert_eq!(request.param("app"), Some(&ParamValue::Str("12".into())));
}

#[test]
fn a_short_page_ends_the_read_and_a_full_one_does_not() {
    let mut seek = paginator(&[("pageSize", OptionValue::Number(2.0))]);
    seek.accept(&FakeAnswer::ids(1..=2)).unwrap();
    assert!(!seek.is_done());
    seek.accept(&FakeAnswer::ids([3])).unwrap();
    assert!(seek.is_done());
    assert_eq!(seek.next_request(), None);
    let mut seek = paginator(&[("pageSize", OptionValue::Number(2.0))]);
    seek.accept(&FakeAnswer::ids(1..=2)).unwrap();
    seek.accept(&FakeAnswer::ids([])).unwrap();
    assert!(seek.is_done());
}

#[test]
fn broken_pages_are_protocol_errors_never_endless_loops() {
    let mut seek = paginator(&[("pageSize", OptionValue::Number(2.0))]);
    let no_id = FakeAnswer::records(vec![FakeRecord { id: Some(1), values: vec![] }, FakeRecord::default()]);
    let error = seek.accept(&no_id).unwrap_err();
    assert_eq!(error.code, SeekErrorCode::Protocol);
    assert!(error.message.contains("`$id`"), "{}", error.message);

    let mut seek = paginator(&[("pageSize", OptionValue::Number(2.0))]);
    seek.accept(&FakeAnswer::ids(1..=2)).unwrap();
    // The same page again: ids do not advance past the last one.
    assert_eq!(seek.accept(&FakeAnswer::ids(1..=2)).unwrap_err().code, SeekErrorCode::Protocol);

    let mut seek = paginator(&[("pageSize", OptionValue::Number(2.0))]);
    assert_eq!(seek.accept(&FakeAnswer::ids(1..=3)).unwrap_err().code, SeekErrorCode::Protocol);
    assert_eq!(seek.accept(&FakeAnswer::default()).unwrap_err().code, SeekErrorCode::Protocol);
}

fn dated(id: u64, date: &str) -> FakeRecord {
    FakeRecord { id: Some(id), values: vec![("日付".into(), date.into())] }
}

fn compound(extra: &[(&str, OptionValue)]) -> SeekPaginator {
    let options = options(extra);
    let keys = vec![
        SortKey { field: "日付".into(), descending: true, numeric: false },
        SortKey { field: "$id".into(), descending: false, numeric: true },
    ];
    SeekPaginator::new(&options, keys)
}

#[test]
fn compound_keys_continue_after_the_last_records_values() {
    let mut seek = compound(&[("condition", s("a = 1 or b = 2")), ("pageSize", OptionValue::Number(2.0))]);
    assert_eq!(query_of(&seek.next_request().unwrap()), "(a = 1 or b = 2) order by 日付 desc, $id asc limit 2");
    seek.accept(&FakeAnswer::records(vec![dated(5, "2024-03-01"), dated(2, "2024-02-01")])).unwrap();
    assert_eq!(
        query_of(&seek.next_request().unwrap()),
        "(a = 1 or b = 2) and (日付 < \"2024-02-01\" or (日付 = \"2024-02-01\" and $id > 2)) order by 日付 desc, $id asc limit 2"
    );
    // Ties on the date advance by id.
    seek.accept(&FakeAnswer::records(vec![dated(3, "2024-02-01"), dated(1, "2024-01-01")])).unwrap();
    let error = seek.accept(&FakeAnswer::records(vec![dated(4, "2024-02-01")])).unwrap_err();
    assert_eq!(error.code, SeekErrorCode::Protocol);
}

#[test]
fn compound_keys_are_asked_for_and_stripped_when_the_caller_did_not_list_them() {
    let seek = compound(&[("fields", OptionValue::List(vec![s("氏名")]))]);
    assert_eq!(seek.added_fields(), ["日付".to_string(), "$id".to_string()]);
    assert_eq!(
        seek.next_request().unwrap().param("fields"),
        Some(&ParamValue::List(vec!["氏名".into(), "日付".into(), "$id".into()]))
    );
}

#[test]
fn a_key_cleared_during_the_read_is_delivered_but_never_anchors_the_next_page() {
    let mut seek = compound(&[("pageSize", OptionValue::Number(3.0))]);
    // Descending: a cleared (empty) date sorts last, where kintone put it.
    assert!(seek.accept(&FakeAnswer::records(vec![dated(1, "2024-03-01"), dated(4, "2024-02-01"), dated(5, "")])).unwrap());
    assert_eq!(
        query_of(&seek.next_request().unwrap()),
        "(日付 < \"2024-02-01\" or (日付 = \"2024-02-01\" and $id > 4)) order by 日付 desc, $id asc limit 3"
    );
    // A whole page that cannot anchor the next one is an error, never a loop.
    let error = seek.accept(&FakeAnswer::records(vec![dated(7, ""), dated(8, ""), dated(9, "")])).unwrap_err();
    assert_eq!(error.code, SeekErrorCode::Protocol);
    assert!(error.message.contains("a whole page of records had an empty key"), "{}", error.message);
}

#[test]
fn a_request_that_can_only_confirm_the_end_asks_for_one_id() {
    let mut seek = paginator(&[("pageSize", OptionValue::Number(2.0)), ("fields", OptionValue::List(vec![s("氏名")]))]);
    let mut first = FakeAnswer::ids(1..=2);
    first.total = Some(2);
    assert!(seek.accept(&first).unwrap());
    let confirm = seek.next_request().unwrap();
    assert_eq!(query_of(&confirm), "$id > 2 order by $id asc limit 1");
    assert_eq!(confirm.param("fields"), Some(&ParamValue::List(vec!["$id".into()])));
    // A record started matching meanwhile: not delivered, and read in full next.
    assert!(!seek.accept(&FakeAnswer::ids([7])).unwrap());
    assert!(!seek.is_done());
    let next = seek.next_request().unwrap();
    assert_eq!(query_of(&next), "$id > 2 order by $id asc limit 2");
    assert_eq!(next.param("fields"), Some(&ParamValue::List(vec!["氏名".into(), "$id".into()])));
    assert!(seek.accept(&FakeAnswer::ids([7, 8])).unwrap());
    // Past the total again: confirm, and this time nothing is there.
    assert_eq!(query_of(&seek.next_request().unwrap()), "$id > 8 order by $id asc limit 1");
    assert!(!seek.accept(&FakeAnswer::ids([])).unwrap());
    assert!(seek.is_done());
}

#[test]
fn the_order_error_lists_a_tuple_comma_separated() {
    assert_eq!(listed(&["2024-01-01".to_string(), "17".to_string()]), "2024-01-01, 17");
    assert_eq!(listed(&["17".to_string()]), "17");
    assert_eq!(listed(&[]), "");
}
