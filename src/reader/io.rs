//! The transport with the read's counters: every request goes through here, and seek
//! and offset pages are retried here.

use super::Result;
use crate::error::ReadError;
use crate::progress::Progress;
use crate::retry::{backoff_ms, RETRY_FIRST_MS, RETRY_LONGEST_MS};
use crate::transport::{Failure, Request, Transport};

/// The transport with the read's counters: every request goes through here.
pub(super) struct Io<T: Transport> {
    pub(super) transport: T,
    pub(super) progress: Progress,
    pub(super) retries: u32,
}

impl<T: Transport> Io<T> {
    pub(super) fn start(&mut self, request: &Request) -> T::Pending {
        self.progress.requests += 1;
        self.transport.start(request)
    }

    pub(super) async fn send_once(&mut self, request: &Request) -> Result<T::Answer, T> {
        self.start(request).await
    }

    /// The pause before retrying a transient failure, or `None` when the error is not
    /// transient or the attempts are spent.
    pub(super) fn retry_pause(&mut self, error: &ReadError<T::Error>, attempt: u32) -> Option<u64> {
        let ReadError::Transport(error) = error else { return None };
        if attempt >= self.retries || self.transport.classify(error) != Failure::Transient {
            return None;
        }
        self.progress.retries += 1;
        let pause = backoff_ms(attempt + 1, RETRY_FIRST_MS, RETRY_LONGEST_MS, self.transport.random());
        self.transport.waiting(pause, "retry", &self.progress);
        Some(pause)
    }

    /// Seek and offset pages only: sending one again cannot skip or repeat records.
    pub(super) async fn send_retrying(&mut self, request: &Request) -> Result<T::Answer, T> {
        let pending = self.start(request);
        self.await_retrying(pending, request).await
    }

    /// Waits for `pending`, the first attempt at `request` (already sent, so that others
    /// could go beside it), retrying it as `send_retrying` does.
    pub(super) async fn await_retrying(&mut self, pending: T::Pending, request: &Request) -> Result<T::Answer, T> {
        self.await_retrying_noting(pending, request, &mut |_, _| {}).await
    }

    /// `await_retrying`, showing each failure to `noted` first (a read that follows the
    /// domain's load drops to one window at a `GAIA_TO04`). `noted` is a `dyn` so that
    /// the retry loop is compiled once, not once per caller's closure.
    pub(super) async fn await_retrying_noting(
        &mut self,
        mut pending: T::Pending,
        request: &Request,
        noted: &mut dyn FnMut(&T, &ReadError<T::Error>),
    ) -> Result<T::Answer, T> {
        let mut attempt = 0;
        loop {
            let error = match pending.await {
                Err(error) => error,
                answer => return answer,
            };
            noted(&self.transport, &error);
            let pause = self.retry_pause(&error, attempt).ok_or(error)?;
            attempt += 1;
            self.transport.sleep(pause).await;
            pending = self.start(request);
        }
    }

    pub(super) fn kintone_code(&self, error: &ReadError<T::Error>) -> Option<String> {
        match error {
            ReadError::Transport(error) => match self.transport.classify(error) {
                Failure::Kintone(code) => Some(code),
                _ => None,
            },
            ReadError::Seek(_) => None,
        }
    }
}
