//! The window count of a windowed read, decided before each batch of window requests:
//! the caller's `concurrency`, or the domain's load (see `crate::domain_load`).

use std::task::{Context, Poll, Waker};

use crate::domain_load::{LoadPace, Pace};
use crate::error::ReadError;
use crate::progress::Progress;
use crate::transport::{LoadQuestion, Transport};

/// The pace of a read, with its question about the load while one is out.
pub(super) struct Pacer {
    pace: Pace,
    question: Option<LoadQuestion>,
    /// Whether `windows_now` was called before: each later call follows a page's answer.
    started: bool,
}

impl Pacer {
    pub(super) fn new(pace: Pace) -> Self {
        Pacer { pace, question: None, started: false }
    }

    /// The most windows this read could run: whether to plan windows at all.
    pub(super) fn max_windows(&self) -> usize {
        self.pace.max_windows()
    }

    /// Whether the read follows the domain's load (rather than a fixed number).
    pub(super) fn follows_load(&self) -> bool {
        matches!(self.pace, Pace::FollowsLoad(_))
    }

    pub(super) fn follow_load(&mut self) {
        self.pace = Pace::FollowsLoad(LoadPace::new(self.pace.max_windows()));
    }

    /// Windows to keep in flight now, with `in_flight` of this read's requests out. Called
    /// before each batch, i.e. once per window answer, and before each page of a paced
    /// seek (see `reader/paced.rs`): takes the load's answer if it came (never waiting for
    /// it: pages go on meanwhile) and asks again when due.
    pub(super) fn windows_now<T: Transport>(&mut self, transport: &T, progress: &mut Progress, in_flight: usize) -> usize {
        if let Pace::FollowsLoad(pace) = &mut self.pace {
            if std::mem::replace(&mut self.started, true) {
                pace.page_done();
            }
            if let Some(question) = &mut self.question {
                if let Poll::Ready(load) = question.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
                    self.question = None;
                    pace.sampled(load);
                }
            }
            if pace.wants_sample() {
                pace.asked(in_flight as u64);
                match transport.domain_load() {
                    Some(question) => self.question = Some(question),
                    None => pace.sampled(None),
                }
            }
        }
        let windows = self.pace.windows();
        progress.windows = Some(u32::try_from(windows).unwrap_or(u32::MAX));
        windows
    }

    /// A window request failed: a 429 `GAIA_TO04` drops a load-following read to one window.
    pub(super) fn failed<T: Transport>(&mut self, transport: &T, error: &ReadError<T::Error>) {
        if let (Pace::FollowsLoad(pace), ReadError::Transport(error)) = (&mut self.pace, error) {
            if transport.is_too_busy(error) {
                pace.throttled();
                self.question = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_answer::{FakeAnswer, ScriptedLoad};
    use crate::transport::{Failure, Request};

    /// A transport that only answers the load questions, from a script.
    struct Domain(ScriptedLoad);

    impl Transport for Domain {
        type Answer = FakeAnswer;
        type Error = Failure;
        type Pending = std::future::Ready<std::result::Result<FakeAnswer, ReadError<Failure>>>;
        fn start(&self, _request: &Request) -> Self::Pending {
            unreachable!("the pacer sends no request")
        }
        fn classify(&self, error: &Failure) -> Failure {
            error.clone()
        }
        async fn sleep(&self, _ms: u64) {}
        fn random(&self) -> f64 {
            0.0
        }
        fn domain_load(&self) -> Option<LoadQuestion> {
            self.0.ask()
        }
        fn is_too_busy(&self, error: &Failure) -> bool {
            *error == Failure::Kintone("GAIA_TO04".into())
        }
    }

    fn domain(running: &[Option<u64>]) -> Domain {
        Domain(ScriptedLoad::new(running))
    }

    #[test]
    fn one_window_until_the_answer_then_as_the_load_allows_rechecked_every_few_pages() {
        let transport = domain(&[Some(0), Some(90)]);
        let mut pacer = Pacer::new(Pace::Fixed(4));
        pacer.follow_load();
        let mut progress = Progress::default();
        assert_eq!(pacer.windows_now(&transport, &mut progress, 0), 1, "asked; the answer is not in yet");
        assert_eq!((transport.0.asked.get(), progress.windows), (1, Some(1)));
        assert_eq!(pacer.windows_now(&transport, &mut progress, 1), 4, "an idle domain");
        assert_eq!(progress.windows, Some(4));
        let windows: Vec<usize> = (0..9).map(|_| pacer.windows_now(&transport, &mut progress, 4)).collect();
        // Asked again 8 window answers after the first answer, taken at the next call.
        assert_eq!(windows, [4, 4, 4, 4, 4, 4, 4, 4, 1]);
        assert_eq!(transport.0.asked.get(), 2);
    }

    #[test]
    fn a_question_without_answer_keeps_one_window_and_is_not_asked_twice() {
        let transport = domain(&[None]);
        let mut pacer = Pacer::new(Pace::Fixed(4));
        pacer.follow_load();
        let mut progress = Progress::default();
        for _ in 0..20 {
            assert_eq!(pacer.windows_now(&transport, &mut progress, 1), 1);
        }
        assert_eq!(transport.0.asked.get(), 1);
    }

    #[test]
    fn gaia_to04_drops_to_one_window_and_stops_asking() {
        let transport = domain(&[Some(0), Some(0), Some(0)]);
        let mut pacer = Pacer::new(Pace::Fixed(4));
        pacer.follow_load();
        let mut progress = Progress::default();
        pacer.windows_now(&transport, &mut progress, 0);
        assert_eq!(pacer.windows_now(&transport, &mut progress, 1), 4);
        pacer.failed(&transport, &ReadError::Transport(Failure::Transient));
        assert_eq!(pacer.windows_now(&transport, &mut progress, 4), 4, "another transient failure changes nothing");
        pacer.failed(&transport, &ReadError::Transport(Failure::Kintone("GAIA_TO04".into())));
        for _ in 0..20 {
            assert_eq!(pacer.windows_now(&transport, &mut progress, 4), 1);
        }
        assert_eq!((transport.0.asked.get(), progress.windows), (1, Some(1)));
    }

    #[test]
    fn a_fixed_pace_never_asks() {
        let transport = domain(&[Some(99)]);
        let mut pacer = Pacer::new(Pace::Fixed(3));
        let mut progress = Progress::default();
        assert_eq!(pacer.windows_now(&transport, &mut progress, 0), 3);
        pacer.failed(&transport, &ReadError::Transport(Failure::Kintone("GAIA_TO04".into())));
        assert_eq!(pacer.windows_now(&transport, &mut progress, 3), 3, "a number the caller gave is used as given");
        assert_eq!(transport.0.asked.get(), 0);
    }
}
