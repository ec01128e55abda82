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
    /// Whether a window page came back since windows started (the first call is before any).
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

    pub(super) fn follow_load(&mut self) {
        self.pace = Pace::FollowsLoad(LoadPace::new(self.pace.max_windows()));
    }

    /// Windows to keep in flight now, with `in_flight` of this read's requests out. Called
    /// before each batch, i.e. once per window answer: takes the load's answer if it came
    /// (never waiting for it: pages go on meanwhile) and asks again when due.
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
