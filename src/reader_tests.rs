use std::cell::RefCell;

use super::*;
use crate::error::SeekErrorCode;
use crate::options::{parse_options, OptionValue};
use crate::transport::{ParamValue, Request};

/// Serves ids `1..=n` to seek queries, recording every request.
struct FakeKintone {
    ids: Vec<u64>,
    requests: RefCell<Vec<Request>>,
    fail_at: Option<usize>,
}

struct FakePage {
    ids: Vec<u64>,
    total: Option<u64>,
    stripped: bool,
}

impl Page for FakePage {
    fn len(&self) -> usize {
        self.ids.len()
    }
    fn record_id(&self, index: usize) -> Option<u64> {
        Some(self.ids[index])
    }
    fn total_count(&self) -> Option<u64> {
        self.total
    }
    fn strip_id(&mut self) {
        self.stripped = true;
    }
}

impl Transport for FakeKintone {
    type Page = FakePage;
    type Error = String;

    async fn send(&self, request: &Request) -> Result<FakePage, ReadError<String>> {
        let index = self.requests.borrow().len();
        self.requests.borrow_mut().push(request.clone());
        if self.fail_at == Some(index) {
            return Err(ReadError::Transport("GAIA_TO04".into()));
        }
        let Some(ParamValue::Str(query)) = request.param("query") else { panic!("no query") };
        // Only the shapes the paginator sends: `[$id > N ]order by $id asc limit L`.
        let after = query.strip_prefix("$id > ").map(|rest| rest.split(' ').next().unwrap().parse::<u64>().unwrap());
        let limit: usize = query.rsplit(' ').next().unwrap().parse().unwrap();
        let ids = self.ids.iter().copied().filter(|id| after.is_none_or(|last| *id > last)).take(limit).collect();
        let total = (request.param("totalCount") == Some(&ParamValue::Bool(true))).then_some(self.ids.len() as u64);
        Ok(FakePage { ids, total, stripped: false })
    }
}

fn options(extra: &[(&str, OptionValue)]) -> ReadOptions {
    let mut entries = vec![("app".to_string(), OptionValue::Number(1.0))];
    entries.extend(extra.iter().map(|(name, value)| (name.to_string(), value.clone())));
    parse_options(&entries).unwrap()
}

fn read_all(n: u64, extra: &[(&str, OptionValue)]) -> (Vec<u64>, Vec<bool>, Progress, usize) {
    let fake = FakeKintone { ids: (1..=n).collect(), requests: RefCell::new(Vec::new()), fail_at: None };
    let mut reader = Reader::open(&options(extra), fake).unwrap();
    let (mut ids, mut stripped) = (Vec::new(), Vec::new());
    pollster::block_on(async {
        while let Some(page) = reader.next_page().await.unwrap() {
            ids.extend(&page.ids);
            stripped.push(page.stripped);
        }
    });
    let requests = reader.transport.requests.borrow().len();
    (ids, stripped, reader.progress(), requests)
}

#[test]
fn every_record_exactly_once_ending_on_a_short_page() {
    for n in [0u64, 1, 499, 500, 501, 1000, 25_001] {
        let (ids, _, progress, requests) = read_all(n, &[]);
        assert_eq!(ids, (1..=n).collect::<Vec<_>>(), "n = {n}");
        // Full pages, then one short (possibly empty) page that ends the read.
        assert_eq!(requests as u64, n / 500 + 1, "n = {n}");
        assert_eq!(progress, Progress { fetched: n, total: Some(n), requests: requests as u64 });
    }
}

#[test]
fn id_is_stripped_from_pages_when_the_caller_did_not_list_it() {
    let fields = OptionValue::List(vec![OptionValue::Str("title".into())]);
    let (_, stripped, _, _) = read_all(3, &[("fields", fields)]);
    assert_eq!(stripped, vec![true]);
    let (_, stripped, _, _) = read_all(3, &[]);
    assert_eq!(stripped, vec![false]);
}

#[test]
fn transport_errors_pass_through_and_unservable_orders_fail_before_any_request() {
    let fake = FakeKintone { ids: (1..=1000).collect(), requests: RefCell::new(Vec::new()), fail_at: Some(1) };
    let mut reader = Reader::open(&options(&[]), fake).unwrap();
    pollster::block_on(async {
        assert_eq!(reader.next_page().await.unwrap().unwrap().ids.len(), 500);
        match reader.next_page().await {
            Err(ReadError::Transport(code)) => assert_eq!(code, "GAIA_TO04"),
            other => panic!("expected the transport's error, got {:?}", other.map(|p| p.map(|p| p.ids.len()))),
        }
    });
    let fake = FakeKintone { ids: vec![], requests: RefCell::new(Vec::new()), fail_at: None };
    let refused = Reader::open(&options(&[("orderBy", OptionValue::Str("日付 asc".into()))]), fake);
    assert_eq!(refused.err().map(|e| e.code), Some(SeekErrorCode::UnsupportedOrder));
}
