//! The start of a read that follows the domain's load, on an in-memory app of records
//! 1..=N: each request is logged with how many of the read's requests were still
//! unanswered when it went out.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::*;
use crate::options::{parse_options, OptionValue};
use crate::test_answer::{FakeAnswer, ScriptedLoad};
use crate::transport::{Failure, LoadQuestion, ParamValue, Request};

/// Records 1..=`records`, answering `$id > a`, `$id <= b`, `limit n`, the far-end probe
/// (failing transiently its first `failing_probes` times) and `totalCount`; the load
/// questions are answered by a script.
struct App {
    records: u64,
    failing_probes: Cell<u32>,
    load: ScriptedLoad,
    unanswered: Rc<Cell<usize>>,
    sent: RefCell<Vec<(usize, String)>>,
}

/// An answer that counts as unanswered until the read awaits it.
struct Tracked {
    answer: Option<std::result::Result<FakeAnswer, ReadError<Failure>>>,
    unanswered: Rc<Cell<usize>>,
}

impl Future for Tracked {
    type Output = std::result::Result<FakeAnswer, ReadError<Failure>>;
    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        self.unanswered.set(self.unanswered.get() - 1);
        Poll::Ready(self.answer.take().expect("polled once"))
    }
}

fn number_after(query: &str, marker: &str) -> Option<u64> {
    let rest = &query[query.find(marker)? + marker.len()..];
    rest.split(' ').next()?.parse().ok()
}

impl Transport for &App {
    type Answer = FakeAnswer;
    type Error = Failure;
    type Pending = Tracked;
    fn start(&self, request: &Request) -> Tracked {
        let param = |name| request.params.iter().find(|(n, _)| *n == name).map(|(_, value)| value);
        let Some(ParamValue::Str(query)) = param("query") else { panic!("a records request has a query") };
        self.sent.borrow_mut().push((self.unanswered.get(), query.clone()));
        self.unanswered.set(self.unanswered.get() + 1);
        let mut answer = if query == "order by $id desc limit 1" {
            FakeAnswer::ids([self.records])
        } else {
            let after = number_after(query, "$id > ").unwrap_or(0);
            let until = number_after(query, "$id <= ").unwrap_or(self.records).min(self.records);
            let limit = number_after(query, "limit ").expect("a limit");
            FakeAnswer::ids((after + 1..=until).take(limit as usize))
        };
        if param("totalCount").is_some() {
            answer.total = Some(self.records);
        }
        let answer = if query == "order by $id desc limit 1" && self.failing_probes.get() > 0 {
            self.failing_probes.set(self.failing_probes.get() - 1);
            Err(ReadError::Transport(Failure::Transient))
        } else {
            Ok(answer)
        };
        Tracked { answer: Some(answer), unanswered: self.unanswered.clone() }
    }
    fn classify(&self, error: &Failure) -> Failure {
        error.clone()
    }
    async fn sleep(&self, _ms: u64) {}
    fn random(&self) -> f64 {
        0.0
    }
    fn domain_load(&self) -> Option<LoadQuestion> {
        self.load.ask()
    }
}

fn app(records: u64, running: &[Option<u64>]) -> App {
    App {
        records,
        failing_probes: Cell::new(0),
        load: ScriptedLoad::new(running),
        unanswered: Rc::default(),
        sent: RefCell::default(),
    }
}

/// Reads everything at `concurrency` 4, following the load when `follow`; the ids and the
/// last progress.
fn read(app: &App, follow: bool) -> (Vec<u64>, Progress) {
    let options = parse_options(&[("app".into(), OptionValue::Number(1.0)), ("concurrency".into(), OptionValue::Number(4.0))]).unwrap();
    let mut reader = Reader::open(options, app).unwrap();
    if follow {
        reader.follow_domain_load();
    }
    let ids = pollster::block_on(async {
        let mut ids = Vec::new();
        while let Some(page) = reader.next_page().await.unwrap() {
            ids.extend(page.record_ids());
        }
        ids
    });
    (ids, reader.progress())
}

fn sent(app: &App) -> Vec<String> {
    app.sent.borrow().iter().map(|(unanswered, query)| format!("{unanswered} {query}")).collect()
}

const FIRST: &str = "0 order by $id asc limit 500";
const SECOND: &str = "0 $id > 500 order by $id asc limit 500";

#[test]
fn an_idle_domain_second_page_alone_with_the_question_then_the_third_beside_the_probe_then_windows() {
    let app = app(3000, &[Some(0)]);
    let (ids, progress) = read(&app, true);
    assert_eq!(ids, (1..=3000).collect::<Vec<_>>());
    assert_eq!(sent(&app), [
        FIRST,
        SECOND,
        "0 $id > 1000 order by $id asc limit 500",
        "1 order by $id desc limit 1",
        "0 $id > 1500 and $id <= 2000 order by $id asc limit 500",
        "1 $id > 2000 and $id <= 2500 order by $id asc limit 500",
        "2 $id > 2500 order by $id asc limit 500",
        "0 $id > 3000 order by $id asc limit 1",
    ]);
    assert_eq!((app.load.asked.get(), progress.windows, progress.fetched, progress.requests), (1, Some(4), 3000, 8));
}

#[test]
fn a_busy_domain_or_an_unanswered_question_one_request_at_a_time_from_the_first_page() {
    for running in [Some(90), None] {
        let app = app(3000, &[running]);
        let (ids, progress) = read(&app, true);
        assert_eq!(ids, (1..=3000).collect::<Vec<_>>());
        let pages: Vec<String> = (1..6).map(|page| format!("0 $id > {} order by $id asc limit 500", page * 500)).collect();
        assert_eq!(sent(&app), [&[FIRST.to_string()], &pages[..], &["0 $id > 3000 order by $id asc limit 1".to_string()]].concat());
        assert_eq!((app.load.asked.get(), progress.windows, progress.fetched), (1, Some(1), 3000), "{running:?}");
    }
}

#[test]
fn a_busy_domain_that_becomes_idle_opens_windows_at_the_next_check() {
    // Asked beside page 2 (busy), again 8 pages after that answer (idle).
    let app = app(10_000, &[Some(90), Some(0)]);
    let (ids, progress) = read(&app, true);
    assert_eq!(ids, (1..=10_000).collect::<Vec<_>>());
    let sent = sent(&app);
    let probe = sent.iter().position(|line| line == "1 order by $id desc limit 1").expect("the far-end probe");
    assert_eq!(sent[probe - 1], "0 $id > 5500 order by $id asc limit 500");
    assert!(sent[..probe].iter().all(|line| line.starts_with("0 ")), "{sent:?}");
    assert!(sent[probe..].iter().any(|line| line.starts_with("3 ")), "four windows: {sent:?}");
    // And once more 8 window pages later (that question left unanswered: still four).
    assert_eq!((app.load.asked.get(), progress.windows), (3, Some(4)));
}

#[test]
fn a_given_concurrency_sends_the_second_page_beside_the_probe_and_asks_nothing() {
    let app = app(3000, &[Some(90)]);
    let (ids, _) = read(&app, false);
    assert_eq!(ids, (1..=3000).collect::<Vec<_>>());
    assert_eq!(sent(&app)[..3], [FIRST, SECOND, "1 order by $id desc limit 1"]);
    assert_eq!(app.load.asked.get(), 0);
}

/// A far-end probe that fails is retried like a page: one busy moment does not cost the
/// read its windows. One that keeps failing costs only them: the read goes on one page at
/// a time and still delivers every record once.
#[test]
fn a_failed_far_end_probe_is_retried_and_one_that_keeps_failing_leaves_a_plain_seek() {
    let probe = "order by $id desc limit 1";
    let windows = |app: &App| sent(app).iter().filter(|line| line.contains("$id <= ")).count();

    let once = app(3000, &[]);
    once.failing_probes.set(1);
    let (ids, progress) = read(&once, false);
    assert_eq!(ids, (1..=3000).collect::<Vec<_>>());
    assert_eq!(sent(&once).iter().filter(|line| line.ends_with(probe)).count(), 2);
    assert!(windows(&once) > 0, "windows after the retried probe: {:?}", sent(&once));
    assert_eq!(progress.retries, 1);

    let always = app(3000, &[]);
    always.failing_probes.set(u32::MAX);
    let (ids, _) = read(&always, false);
    assert_eq!(ids, (1..=3000).collect::<Vec<_>>());
    assert_eq!(sent(&always).iter().filter(|line| line.ends_with(probe)).count(), 5, "the first attempt and 4 retries");
    assert_eq!(windows(&always), 0, "{:?}", sent(&always));
}
