use super::*;
use crate::error::SeekErrorCode;
use crate::options::{parse_options, OptionValue};
use crate::transport::Method;

/// A page as the paginator sees it: ids only.
struct Ids(Vec<Option<u64>>);

impl Page for Ids {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn record_id(&self, index: usize) -> Option<u64> {
        self.0[index]
    }
    fn total_count(&self) -> Option<u64> {
        None
    }
    fn strip_id(&mut self) {}
}

fn ids(range: std::ops::RangeInclusive<u64>) -> Ids {
    Ids(range.map(Some).collect())
}

fn paginator(extra: &[(&str, OptionValue)], descending: bool) -> SeekPaginator {
    let mut entries: Vec<(String, OptionValue)> = extra.iter().map(|(name, value)| (name.to_string(), value.clone())).collect();
    if !entries.iter().any(|(name, _)| name == "app") {
        entries.push(("app".to_string(), OptionValue::Number(7.0)));
    }
    SeekPaginator::new(&parse_options(&entries).unwrap(), descending)
}

fn query_of(request: &Request) -> &str {
    match request.param("query") {
        Some(ParamValue::Str(query)) => query,
        other => panic!("no query: {other:?}"),
    }
}

#[test]
fn first_and_next_requests_without_condition() {
    let mut seek = paginator(&[], false);
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
    seek.accept(&ids(1..=500)).unwrap();
    let second = seek.next_request().unwrap();
    assert_eq!(
        second.params,
        vec![("app", ParamValue::Int(7)), ("query", ParamValue::Str("$id > 500 order by $id asc limit 500".into()))]
    );
}

#[test]
fn user_condition_is_wrapped_in_parentheses_because_and_binds_tighter_than_or() {
    let mut seek = paginator(&[("condition", OptionValue::Str("a = 1 or b = 2".into()))], false);
    assert_eq!(query_of(&seek.next_request().unwrap()), "(a = 1 or b = 2) order by $id asc limit 500");
    seek.accept(&ids(1..=500)).unwrap();
    assert_eq!(query_of(&seek.next_request().unwrap()), "(a = 1 or b = 2) and $id > 500 order by $id asc limit 500");
}

#[test]
fn quotes_backslashes_and_japanese_field_codes_pass_through_verbatim() {
    let condition = "氏名 = \"山田 \\\"太郎\\\"\" or メモ like \"C:\\\\temp\"";
    let seek = paginator(&[("condition", OptionValue::Str(format!("  {condition}\u{3000}\n")))], false);
    assert_eq!(query_of(&seek.next_request().unwrap()), format!("({condition}) order by $id asc limit 500"));
}

#[test]
fn descending_reads_below_the_last_id() {
    let mut seek = paginator(&[("condition", OptionValue::Str("数値 > 10".into())), ("pageSize", OptionValue::Number(3.0))], true);
    assert_eq!(query_of(&seek.next_request().unwrap()), "(数値 > 10) order by $id desc limit 3");
    seek.accept(&Ids(vec![Some(90), Some(80), Some(70)])).unwrap();
    assert_eq!(query_of(&seek.next_request().unwrap()), "(数値 > 10) and $id < 70 order by $id desc limit 3");
    let error = seek.accept(&Ids(vec![Some(60), Some(65)])).unwrap_err();
    assert_eq!(error.code, SeekErrorCode::Protocol);
}

#[test]
fn query_option_keeps_its_condition_and_the_order_drives_the_direction() {
    let seek = paginator(&[("query", OptionValue::Str("status in (\"A\", \"B\") order by $id desc".into()))], true);
    assert_eq!(query_of(&seek.next_request().unwrap()), "(status in (\"A\", \"B\")) order by $id desc limit 500");
}

#[test]
fn id_is_added_to_fields_and_stripped_only_when_the_caller_did_not_ask_for_it() {
    let list = |codes: &[&str]| OptionValue::List(codes.iter().map(|c| OptionValue::Str(c.to_string())).collect());
    let seek = paginator(&[("fields", list(&["氏名", "数値"]))], false);
    assert!(seek.strips_id());
    assert_eq!(
        seek.next_request().unwrap().param("fields"),
        Some(&ParamValue::List(vec!["氏名".into(), "数値".into(), "$id".into()]))
    );
    let seek = paginator(&[("fields", list(&["$id", "氏名"]))], false);
    assert!(!seek.strips_id());
    assert_eq!(seek.next_request().unwrap().param("fields"), Some(&ParamValue::List(vec!["$id".into(), "氏名".into()])));
    let seek = paginator(&[], false);
    assert!(!seek.strips_id());
    assert_eq!(seek.next_request().unwrap().param("fields"), None);
}

#[test]
fn guest_space_and_string_app_ids() {
    let seek = paginator(&[("app", OptionValue::Str("12".into())), ("guestSpaceId", OptionValue::Number(4.0))], false);
    let request = seek.next_request().unwrap();
    assert_eq!(request.path, "/k/guest/4/v1/records.json");
    assert_eq!(request.param("app"), Some(&ParamValue::Str("12".into())));
}

#[test]
fn a_short_page_ends_the_read_and_a_full_one_does_not() {
    let mut seek = paginator(&[("pageSize", OptionValue::Number(2.0))], false);
    seek.accept(&ids(1..=2)).unwrap();
    assert!(!seek.is_done());
    seek.accept(&ids(3..=3)).unwrap();
    assert!(seek.is_done());
    assert_eq!(seek.next_request(), None);
    let mut seek = paginator(&[("pageSize", OptionValue::Number(2.0))], false);
    seek.accept(&ids(1..=2)).unwrap();
    seek.accept(&Ids(vec![])).unwrap();
    assert!(seek.is_done());
}

#[test]
fn broken_pages_are_protocol_errors_never_endless_loops() {
    let mut seek = paginator(&[("pageSize", OptionValue::Number(2.0))], false);
    let error = seek.accept(&Ids(vec![Some(1), None])).unwrap_err();
    assert_eq!(error.code, SeekErrorCode::Protocol);
    assert!(error.message.contains("`$id`"), "{}", error.message);

    let mut seek = paginator(&[("pageSize", OptionValue::Number(2.0))], false);
    seek.accept(&ids(1..=2)).unwrap();
    // The same page again: ids do not advance past the last one.
    assert_eq!(seek.accept(&ids(1..=2)).unwrap_err().code, SeekErrorCode::Protocol);

    let mut seek = paginator(&[("pageSize", OptionValue::Number(2.0))], false);
    assert_eq!(seek.accept(&ids(1..=3)).unwrap_err().code, SeekErrorCode::Protocol);
}
