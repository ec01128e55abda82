use std::cell::RefCell;
use std::collections::VecDeque;

use super::*;
use crate::error::SeekErrorCode;
use crate::options::{parse_options, OptionValue};
use crate::test_answer::{FakeAnswer, FakeRecord};
use crate::transport::{FieldInfo, Failure, ParamValue, Request};

/// A transport that answers from a script, in order, and records what it was asked.
#[derive(Default)]
struct Script {
    answers: RefCell<VecDeque<std::result::Result<FakeAnswer, Failure>>>,
    sent: RefCell<Vec<String>>,
    events: RefCell<Vec<String>>,
}

impl Script {
    fn new(answers: Vec<std::result::Result<FakeAnswer, Failure>>) -> Self {
        Script { answers: RefCell::new(answers.into()), ..Default::default() }
    }
}

/// `GET /k/v1/records.json query=...`, the request in one line.
fn describe(request: &Request) -> String {
    let params: Vec<String> = request
        .params
        .iter()
        .filter(|(name, _)| *name != "app")
        .map(|(name, value)| match value {
            ParamValue::Str(text) => format!("{name}={text}"),
            ParamValue::Int(number) => format!("{name}={number}"),
            ParamValue::Bool(flag) => format!("{name}={flag}"),
            ParamValue::List(items) => format!("{name}=[{}]", items.join(",")),
        })
        .collect();
    format!("{} {} {}", request.method.as_str(), request.path, params.join(" "))
}

impl Transport for &Script {
    type Answer = FakeAnswer;
    type Error = Failure;
    type Pending = std::future::Ready<std::result::Result<FakeAnswer, ReadError<Failure>>>;

    fn start(&self, request: &Request) -> Self::Pending {
        self.sent.borrow_mut().push(describe(request));
        let next = self.answers.borrow_mut().pop_front().unwrap_or_else(|| panic!("unscripted request: {}", describe(request)));
        std::future::ready(next.map_err(ReadError::Transport))
    }
    fn classify(&self, error: &Failure) -> Failure {
        error.clone()
    }
    async fn sleep(&self, ms: u64) {
        self.events.borrow_mut().push(format!("sleep {ms}"));
    }
    fn random(&self) -> f64 {
        0.0
    }
    async fn cursor_opening(&self) {
        self.events.borrow_mut().push("lock".into());
    }
    fn cursor_opened(&self, id: &str, path: &str) {
        self.events.borrow_mut().push(format!("opened {id} {path}"));
    }
    fn cursor_closed(&self, id: &str) {
        self.events.borrow_mut().push(format!("closed {id}"));
    }
    fn waiting(&self, ms: u64, reason: &str, _progress: &Progress) {
        self.events.borrow_mut().push(format!("wait {ms} {reason}"));
    }
}

fn options(extra: &[(&str, OptionValue)]) -> ReadOptions {
    let mut entries = vec![("app".to_string(), OptionValue::Number(1.0))];
    entries.extend(extra.iter().map(|(name, value)| (name.to_string(), value.clone())));
    parse_options(&entries).unwrap()
}

fn s(text: &str) -> OptionValue {
    OptionValue::Str(text.into())
}

fn n(number: f64) -> OptionValue {
    OptionValue::Number(number)
}

fn ok_ids(ids: std::ops::RangeInclusive<u64>) -> std::result::Result<FakeAnswer, Failure> {
    Ok(FakeAnswer::ids(ids))
}

fn with_total(mut answer: FakeAnswer, total: u64) -> std::result::Result<FakeAnswer, Failure> {
    answer.total = Some(total);
    Ok(answer)
}

fn cursor_page(ids: impl IntoIterator<Item = u64>, next: bool) -> std::result::Result<FakeAnswer, Failure> {
    let mut answer = FakeAnswer::ids(ids);
    answer.flags.push(("next".into(), next));
    Ok(answer)
}

fn created(id: &str, total: u64) -> std::result::Result<FakeAnswer, Failure> {
    Ok(FakeAnswer { strings: vec![("id".into(), id.into())], total: Some(total), ..Default::default() })
}

fn form(fields: &[(&str, &str, bool)]) -> std::result::Result<FakeAnswer, Failure> {
    let fields = fields.iter().map(|(code, t, required)| FieldInfo { code: code.to_string(), field_type: t.to_string(), required: *required, options: Vec::new() }).collect();
    Ok(FakeAnswer { fields, ..Default::default() })
}

/// Reads to the end; the ids delivered, or the error.
fn read_all(reader: &mut Reader<&Script>) -> std::result::Result<Vec<u64>, ReadError<Failure>> {
    pollster::block_on(async {
        let mut ids = Vec::new();
        while let Some(page) = reader.next_page().await? {
            ids.extend(page.record_ids());
        }
        Ok(ids)
    })
}

#[test]
fn seek_reads_every_record_once_and_ends_on_a_short_page() {
    let script = Script::new(vec![with_total(FakeAnswer::ids(1..=2), 3), ok_ids(3..=3)]);
    let mut reader = Reader::open(options(&[("pageSize", n(2.0))]), &script).unwrap();
    assert_eq!(read_all(&mut reader).unwrap(), vec![1, 2, 3]);
    assert_eq!(*script.sent.borrow(), [
        "GET /k/v1/records.json query=order by $id asc limit 2 totalCount=true",
        "GET /k/v1/records.json query=$id > 2 order by $id asc limit 2",
    ]);
    assert_eq!(reader.progress(), Progress { fetched: 3, total: Some(3), requests: 2, retries: 0, method: "seek", windows: None });
    assert!(!reader.may_hold_cursor());
}

#[test]
fn transient_failures_are_retried_with_backoff_and_counted() {
    let script = Script::new(vec![Err(Failure::Transient), Err(Failure::Transient), ok_ids(1..=1)]);
    let mut reader = Reader::open(options(&[]), &script).unwrap();
    assert_eq!(read_all(&mut reader).unwrap(), vec![1]);
    assert_eq!(script.sent.borrow().len(), 3);
    assert_eq!(*script.events.borrow(), ["wait 150 retry", "sleep 150", "wait 300 retry", "sleep 300"]);
    assert_eq!(reader.progress().retries, 2);
}

#[test]
fn retries_are_bounded_and_kintone_errors_are_not_retried() {
    let script = Script::new(vec![Err(Failure::Transient), Err(Failure::Transient)]);
    let mut reader = Reader::open(options(&[("retries", n(1.0))]), &script).unwrap();
    assert!(matches!(read_all(&mut reader), Err(ReadError::Transport(Failure::Transient))));
    let script = Script::new(vec![Err(Failure::Kintone("GAIA_IQ11".into()))]);
    let mut reader = Reader::open(options(&[]), &script).unwrap();
    assert!(matches!(read_all(&mut reader), Err(ReadError::Transport(Failure::Kintone(_)))));
    assert_eq!(script.sent.borrow().len(), 1);
}

fn valued(id: u64, field: &str, value: &str) -> FakeRecord {
    FakeRecord { id: Some(id), values: vec![(field.into(), value.into())] }
}

fn page_of(records: Vec<FakeRecord>, total: Option<u64>) -> std::result::Result<FakeAnswer, Failure> {
    Ok(FakeAnswer { total, ..FakeAnswer::records(records) })
}

#[test]
fn a_compound_order_reads_the_first_page_with_the_form_beside_it_probes_the_far_end_then_seeks() {
    let script = Script::new(vec![
        page_of(vec![valued(4, "日付", "2024-01-01"), valued(3, "日付", "2024-01-02")], Some(4)),
        form(&[("日付", "DATE", true)]),
        Ok(FakeAnswer::records(vec![valued(1, "日付", "2024-01-03")])),
        Ok(FakeAnswer::records(vec![valued(2, "日付", "2024-01-02"), valued(1, "日付", "2024-01-03")])),
    ]);
    let opts = options(&[("orderBy", s("日付 asc")), ("condition", s("a = 1 or b = 2")), ("pageSize", n(2.0))]);
    let mut reader = Reader::open(opts, &script).unwrap();
    assert!(reader.may_hold_cursor(), "the form may still call for a cursor");
    assert_eq!(read_all(&mut reader).unwrap(), vec![4, 3, 2, 1]);
    assert_eq!(*script.sent.borrow(), [
        // Ties come back `$id desc`, as kintone itself returns them.
        "GET /k/v1/records.json query=(a = 1 or b = 2) order by 日付 asc, $id desc limit 2 totalCount=true",
        "GET /k/v1/app/form/fields.json ",
        // The ascending end is the first page's first record: only the other end is asked
        // for, in the read's order reversed, so that it is the read's last record too.
        "GET /k/v1/records.json query=(a = 1 or b = 2) order by 日付 desc, $id asc limit 1 fields=[日付,$id]",
        "GET /k/v1/records.json query=(a = 1 or b = 2) and (日付 > \"2024-01-02\" or (日付 = \"2024-01-02\" and $id < 3)) order by 日付 asc, $id desc limit 2",
        // A full page that ends on the last record of the start ends the read: no request confirms it.
    ]);
    assert_eq!(reader.method_name(), "seek");
    assert!(script.sent.borrow().iter().all(|sent| !sent.contains("= \"\"")), "never asks `k = \"\"`");
}

#[test]
fn a_short_first_page_is_the_whole_read_in_any_order() {
    for (order, total) in [("", Some(2)), ("日付 asc", Some(2)), ("件名 desc", None)] {
        let mut answers = vec![page_of(vec![valued(4, "日付", "2024-01-01"), valued(2, "日付", "")], total)];
        if !order.is_empty() {
            answers.push(form(&[("日付", "DATE", false)]));
        }
        let script = Script::new(answers);
        let mut reader = Reader::open(options(&[("orderBy", s(order)), ("pageSize", n(3.0))]), &script).unwrap();
        assert_eq!(read_all(&mut reader).unwrap(), vec![4, 2]);
        assert!(script.answers.borrow().is_empty());
        assert!(script.sent.borrow()[0].starts_with("GET /k/v1/records.json query=order by "));
        // The first page and, for an order on a field, the form beside it: nothing else.
        assert_eq!(script.sent.borrow().len(), if order.is_empty() { 1 } else { 2 });
        assert!(script.events.borrow().is_empty(), "no cursor");
    }
}

fn cursor_read_after_probe(probe: std::result::Result<FakeAnswer, Failure>) -> (Vec<String>, Vec<String>, Vec<u64>) {
    let script = Script::new(vec![
        // More than offset can reach, so a key seek cannot serve goes to the cursor.
        page_of(vec![valued(2, "数値", "9"), valued(1, "数値", "8")], Some(20_000)),
        form(&[("数値", "NUMBER", true)]),
        probe,
        created("c1", 3),
        cursor_page([2, 1], true),
        cursor_page([3], false),
    ]);
    let mut reader = Reader::open(options(&[("orderBy", s("数値 desc")), ("pageSize", n(2.0))]), &script).unwrap();
    let ids = read_all(&mut reader).unwrap();
    assert_eq!(reader.method_name(), "cursor");
    let sent = script.sent.borrow().clone();
    let events = script.events.borrow().clone();
    (sent, events, ids)
}

#[test]
fn an_empty_key_at_either_end_or_a_refused_probe_sends_the_read_to_the_cursor_which_skips_the_first_page() {
    let (sent, events, ids) = cursor_read_after_probe(Ok(FakeAnswer::records(vec![valued(3, "数値", "")])));
    assert_eq!(ids, vec![2, 1, 3], "the cursor's copy of the first page is not delivered again");
    assert_eq!(sent[2], "GET /k/v1/records.json query=order by 数値 asc, $id asc limit 1 fields=[数値,$id]");
    assert_eq!(sent[3], "POST /k/v1/records/cursor.json query=order by 数値 desc, $id desc size=2");
    assert_eq!(sent[4], "GET /k/v1/records/cursor.json id=c1");
    // Finished by `next: false`: kintone deleted it, nothing more is sent.
    assert_eq!(sent.len(), 6);
    assert_eq!(events, ["lock", "opened c1 /k/v1/records/cursor.json", "closed c1"]);
    let (_, _, ids) = cursor_read_after_probe(Err(Failure::Kintone("GAIA_IQ03".into())));
    assert_eq!(ids, vec![2, 1, 3]);
    // A record without the key at all counts as empty.
    let (_, _, ids) = cursor_read_after_probe(Ok(FakeAnswer::ids([3])));
    assert_eq!(ids, vec![2, 1, 3]);
}

#[test]
fn an_empty_key_on_the_first_page_goes_to_the_cursor_without_probes() {
    let script = Script::new(vec![
        page_of(vec![valued(2, "数値", ""), valued(1, "数値", "8")], Some(20_000)),
        form(&[("数値", "NUMBER", true)]),
        created("c1", 3),
        cursor_page([2, 1, 3], false),
    ]);
    let mut reader = Reader::open(options(&[("orderBy", s("数値 asc")), ("pageSize", n(2.0))]), &script).unwrap();
    assert_eq!(read_all(&mut reader).unwrap(), vec![2, 1, 3]);
    assert_eq!(script.sent.borrow().len(), 4);
}

#[test]
fn an_empty_page_with_next_true_keeps_reading() {
    let script = Script::new(vec![with_total(FakeAnswer::ids([1]), 2), created("c", 2), cursor_page([], true), cursor_page(1..=2, false)]);
    let mut reader = Reader::open(options(&[("method", s("cursor")), ("pageSize", n(1.0))]), &script).unwrap();
    assert_eq!(read_all(&mut reader).unwrap(), vec![1, 2]);
}

#[test]
fn close_deletes_an_open_cursor_and_a_gone_cursor_counts_as_released() {
    for (delete, expect_ok) in [(Ok(FakeAnswer::default()), true), (Err(Failure::Kintone("GAIA_CN01".into())), true), (Err(Failure::Transient), false)] {
        let script = Script::new(vec![
            with_total(FakeAnswer::ids(1..=500), 1500),
            created("c9", 1500),
            cursor_page(1..=500, true),
            cursor_page(501..=1000, true),
            delete,
        ]);
        let mut reader = Reader::open(options(&[("method", s("cursor"))]), &script).unwrap();
        pollster::block_on(async {
            assert_eq!(reader.next_page().await.unwrap().unwrap().record_ids(), (1..=500).collect::<Vec<_>>());
            assert_eq!(reader.next_page().await.unwrap().unwrap().record_ids(), (501..=1000).collect::<Vec<_>>());
            assert!(reader.may_hold_cursor());
            assert_eq!(reader.close().await.is_ok(), expect_ok);
            // Closing twice sends nothing more.
            assert!(reader.close().await.is_ok());
        });
        assert_eq!(script.sent.borrow()[4], "DELETE /k/v1/records/cursor.json id=c9");
        assert_eq!(script.sent.borrow().len(), 5);
        assert_eq!(script.events.borrow().last().unwrap(), "closed c9");
    }
}

#[test]
fn cursor_calls_are_never_retried() {
    let script = Script::new(vec![with_total(FakeAnswer::ids(1..=500), 1000), created("c", 1000), Err(Failure::Transient), Ok(FakeAnswer::default())]);
    let mut reader = Reader::open(options(&[("method", s("cursor"))]), &script).unwrap();
    pollster::block_on(async {
        assert!(reader.next_page().await.unwrap().is_some());
        assert!(matches!(reader.next_page().await, Err(ReadError::Transport(Failure::Transient))));
        reader.close().await.unwrap();
    });
    assert_eq!(script.sent.borrow()[3], "DELETE /k/v1/records/cursor.json id=c");
}

fn all_taken() -> std::result::Result<FakeAnswer, Failure> {
    Err(Failure::Kintone("GAIA_TM12".into()))
}

#[test]
fn all_cursors_taken_waits_with_backoff_then_reads_with_offset_when_few_records_match() {
    // Three attempts: at once, after 500 ms, and after the rest of the 1200 ms.
    let script = Script::new(vec![
        with_total(FakeAnswer::ids(1..=2), 3),
        all_taken(),
        all_taken(),
        all_taken(),
        with_total(FakeAnswer::ids([1]), 3),
        ok_ids(2..=3),
        ok_ids(3..=3),
    ]);
    let opts = options(&[("method", s("cursor")), ("cursorWaitMs", n(1200.0)), ("pageSize", n(2.0)), ("condition", s("x = 1"))]);
    let mut reader = Reader::open(opts, &script).unwrap();
    assert_eq!(read_all(&mut reader).unwrap(), vec![1, 2, 3]);
    assert_eq!(reader.method_name(), "offset");
    assert_eq!(*script.events.borrow(), ["lock", "wait 500 cursor-limit", "sleep 500", "wait 700 cursor-limit", "sleep 700", "closed "]);
    assert_eq!(script.sent.borrow()[0], "GET /k/v1/records.json query=(x = 1) order by $id asc limit 2 totalCount=true");
    assert_eq!(script.sent.borrow()[4..], [
        "GET /k/v1/records.json query=(x = 1) limit 1 fields=[$id] totalCount=true",
        // One record of overlap: the anchor (id 2) is found again, and only 3 is new.
        "GET /k/v1/records.json query=(x = 1) order by $id asc limit 2 offset 1",
        // A full page: the end is only known from a short one.
        "GET /k/v1/records.json query=(x = 1) order by $id asc limit 2 offset 2",
    ]);
}

#[test]
fn all_cursors_taken_with_more_than_10000_matches_is_cursor_limit() {
    let script = Script::new(vec![with_total(FakeAnswer::ids(1..=2), 10_001), all_taken(), with_total(FakeAnswer::ids([1]), 10_001)]);
    let mut reader = Reader::open(options(&[("method", s("cursor")), ("cursorWaitMs", n(0.0)), ("pageSize", n(2.0))]), &script).unwrap();
    match read_all(&mut reader) {
        Err(ReadError::Seek(error)) => {
            assert_eq!(error.code, SeekErrorCode::CursorLimit);
            assert!(error.message.contains("10001 records match"), "{}", error.message);
        }
        other => panic!("expected CURSOR_LIMIT, got {other:?}"),
    }
}

#[test]
fn offset_refuses_more_than_10000_matches_before_delivering_anything() {
    let script = Script::new(vec![with_total(FakeAnswer::ids(1..=500), 10_001)]);
    let mut reader = Reader::open(options(&[("method", s("offset"))]), &script).unwrap();
    let error = pollster::block_on(reader.next_page()).map(|page| page.map(|p| p.record_ids())).expect_err("refused");
    assert!(matches!(&error, ReadError::Seek(e) if e.message.starts_with("10001 records match")), "{error:?}");
}

fn quantity(id: u64, value: &str) -> FakeRecord {
    valued(id, "数量", value)
}

/// An optional number ascending, two records a page: empties first (`$id desc` among
/// them), then values. Answers after the first page and the form are `rest`.
fn optional_read(rest: Vec<std::result::Result<FakeAnswer, Failure>>) -> (Vec<u64>, Vec<String>) {
    let mut answers = vec![
        page_of(vec![quantity(3, ""), quantity(2, "")], Some(5)),
        Ok(FakeAnswer { fields: vec![FieldInfo { code: "数量".into(), field_type: "NUMBER".into(), required: false, options: vec![] }], ..Default::default() }),
    ];
    answers.extend(rest);
    let script = Script::new(answers);
    let mut reader = Reader::open(options(&[("orderBy", s("数量 asc")), ("pageSize", n(2.0))]), &script).unwrap();
    let ids = read_all(&mut reader).unwrap();
    assert_eq!(reader.method_name(), "seek");
    // The view's count from the first page, never a part's.
    assert_eq!(reader.progress().total, Some(5));
    assert!(script.answers.borrow().is_empty(), "every answer was asked for");
    let sent = script.sent.borrow().clone();
    (ids, sent)
}

#[test]
fn an_optional_key_reads_its_empty_part_by_a_checked_guess_then_its_values() {
    let (ids, sent) = optional_read(vec![
        page_of(vec![quantity(3, ""), quantity(2, "")], Some(3)),
        page_of(vec![quantity(1, "")], None),
        page_of(vec![quantity(5, "3"), quantity(4, "5")], Some(2)),
        page_of(vec![], None),
    ]);
    assert_eq!(ids, vec![3, 2, 1, 5, 4]);
    assert_eq!(sent[2..], [
        // Checked: only empty values, and it begins with the empty records delivered already.
        "GET /k/v1/records.json query=(数量 = \"\") order by $id desc limit 2 totalCount=true",
        "GET /k/v1/records.json query=(数量 = \"\") and $id < 2 order by $id desc limit 2",
        "GET /k/v1/records.json query=(数量 != \"\") order by 数量 asc, $id desc limit 2 totalCount=true",
        "GET /k/v1/records.json query=(数量 != \"\") and (数量 > \"5\" or (数量 = \"5\" and $id < 4)) order by 数量 asc, $id desc limit 1 fields=[$id]",
    ]);
}

#[test]
fn a_refused_guess_is_replaced_by_a_scan_by_id_then_a_fetch_in_order() {
    let (ids, sent) = optional_read(vec![
        Err(Failure::Kintone("CB_VA01".into())),
        page_of(vec![quantity(1, ""), quantity(2, "")], Some(5)),
        page_of(vec![quantity(3, ""), quantity(4, "5")], None),
        page_of(vec![quantity(5, "3")], None),
        page_of(vec![quantity(1, "")], None),
        page_of(vec![quantity(5, "3"), quantity(4, "5")], Some(2)),
        page_of(vec![], None),
    ]);
    assert_eq!(ids, vec![3, 2, 1, 5, 4]);
    assert_eq!(sent[3..], [
        "GET /k/v1/records.json query=order by $id asc limit 2 fields=[数量,$id] totalCount=true",
        "GET /k/v1/records.json query=$id > 2 order by $id asc limit 2 fields=[数量,$id]",
        "GET /k/v1/records.json query=$id > 4 order by $id asc limit 2 fields=[数量,$id]",
        // The empty records not yet delivered, in order; then the values from the least one seen.
        "GET /k/v1/records.json query=$id in (1) order by $id desc limit 2",
        "GET /k/v1/records.json query=(数量 >= \"3\") order by 数量 asc, $id desc limit 2 totalCount=true",
        "GET /k/v1/records.json query=(数量 >= \"3\") and (数量 > \"5\" or (数量 = \"5\" and $id < 4)) order by 数量 asc, $id desc limit 1 fields=[$id]",
    ]);
}

#[test]
fn a_drop_down_is_read_one_option_at_a_time_in_option_order() {
    let status = |id: u64, value: &str| valued(id, "状態", value);
    let form = FieldInfo { code: "状態".into(), field_type: "DROP_DOWN".into(), required: false, options: vec!["B".into(), "A".into()] };
    let script = Script::new(vec![
        // Descending: A (the last option) first, then B, then the unselected.
        page_of(vec![status(9, "A"), status(4, "A")], Some(5)),
        Ok(FakeAnswer { fields: vec![form], ..Default::default() }),
        page_of(vec![], Some(0)),
        page_of(vec![status(7, "B")], Some(1)),
        page_of(vec![status(8, ""), status(1, "")], Some(2)),
        page_of(vec![], None),
    ]);
    let mut reader = Reader::open(options(&[("orderBy", s("状態 desc")), ("pageSize", n(2.0))]), &script).unwrap();
    assert_eq!(read_all(&mut reader).unwrap(), vec![9, 4, 7, 8, 1]);
    assert_eq!(script.sent.borrow()[2..], [
        "GET /k/v1/records.json query=(状態 in (\"A\")) and $id < 4 order by $id desc limit 2 totalCount=true",
        "GET /k/v1/records.json query=(状態 in (\"B\")) order by $id desc limit 2 totalCount=true",
        "GET /k/v1/records.json query=(状態 in (\"\")) order by $id desc limit 2 totalCount=true",
        "GET /k/v1/records.json query=(状態 in (\"\")) and $id < 1 order by $id desc limit 1 fields=[$id]",
    ]);
    assert!(script.events.borrow().is_empty(), "no cursor");
}

#[test]
fn an_empty_value_where_the_scan_said_values_begin_fails_loudly_instead_of_scanning_again() {
    let script = Script::new(vec![
        page_of(vec![quantity(3, ""), quantity(2, "")], Some(4)),
        Ok(FakeAnswer { fields: vec![FieldInfo { code: "数量".into(), field_type: "NUMBER".into(), required: false, options: vec![] }], ..Default::default() }),
        Err(Failure::Kintone("CB_VA01".into())),
        page_of(vec![quantity(1, ""), quantity(2, "")], Some(4)),
        page_of(vec![quantity(3, ""), quantity(4, "5")], None),
        page_of(vec![], None),
        page_of(vec![quantity(1, "")], None),
        // `数量 >= "5"` answered with an empty value: no scan can place it.
        page_of(vec![quantity(1, ""), quantity(4, "5")], Some(2)),
    ]);
    let mut reader = Reader::open(options(&[("orderBy", s("数量 asc")), ("pageSize", n(2.0))]), &script).unwrap();
    let error = match read_all(&mut reader) {
        Err(ReadError::Seek(error)) => error,
        other => panic!("expected the library's error, got {other:?}"),
    };
    assert_eq!(error.code, crate::error::SeekErrorCode::Protocol);
    assert!(error.message.contains("`k >= v`"), "{}", error.message);
    assert!(script.sent.borrow().last().unwrap().contains("数量 >= \"5\""));
    assert!(script.answers.borrow().is_empty());
}
