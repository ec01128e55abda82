//! Reading a seek on `$id` in parallel id windows (see `crate::windows`).

use super::io::Io;
use super::{Reader, Result, Stage};
use crate::seek::SeekPaginator;
use crate::transport::{Answer, Transport};
use crate::windows::{Window, WindowPlanner};

/// A window's request in flight.
pub(super) struct Slot<T: Transport> {
    pub(super) window: Window,
    pub(super) pending: T::Pending,
    pub(super) attempt: u32,
    /// Only asks whether the window holds anything more (see `SeekPaginator::next_request`).
    pub(super) confirm: bool,
}

impl<T: Transport> Slot<T> {
    /// Sends the request for `window` (with `confirm`, only whether it holds anything):
    /// one place for the four ways a window goes out, rather than four copies in the wasm.
    fn send(io: &mut Io<T>, seek: &SeekPaginator, window: Window, confirm: bool, attempt: u32) -> Self {
        let pending = io.start(&seek.window_request(&window, confirm));
        Slot { window, pending, attempt, confirm }
    }
}

impl<T: Transport> Reader<T> {
    /// The most windows this read could run (the caller's `concurrency`, or the most a
    /// load-following read allows): whether windows are worth planning at all. How many
    /// run at a time is decided before each batch in `window_page`.
    pub(super) fn window_count(&self) -> usize {
        self.pacer.max_windows()
    }

    /// The next page of a windowed seek (the second once the first came back full, or a
    /// later one once a paced seek may open windows), with the probe for the far end of
    /// the ids sent beside it, so that the probe costs no round trip; then windows, or a
    /// plain seek when the probe failed or there is no room. Nothing of this is sent for
    /// a read that fits in one page.
    pub(super) async fn first_windowed_page(&mut self, mut seek: SeekPaginator) -> Result<T::Answer, T> {
        let request = seek.next_request().expect("a full page has a next");
        let second = self.io.start(&request);
        let far_request = seek.far_end_request();
        let far_end = self.io.start(&far_request);
        let pacer = &mut self.pacer;
        let answer = self.io.await_retrying_noting(second, &request, &mut |transport, error| pacer.failed(transport, error)).await?;
        // Retried like a page, since one busy moment would otherwise cost the whole read
        // its windows; a probe that still fails only costs them, and the read goes on.
        let far_end = self
            .io
            .await_retrying_noting(far_end, &far_request, &mut |transport, error| pacer.failed(transport, error))
            .await
            .ok()
            .and_then(|answer| answer.record_id(0));
        if !seek.accept(&answer)? {
            // Only confirmed that more records exist: read on one page at a time.
            self.stage = Stage::Seek(seek);
            return Ok(answer);
        }
        let (first, last) = (answer.record_id(0), answer.len().checked_sub(1).and_then(|i| answer.record_id(i)));
        let descending = seek.descending();
        self.stage = match (first, last, far_end) {
            _ if seek.is_done() => Stage::Done,
            (Some(first), Some(last), Some(far)) if (if descending { far < last } else { far > last }) => {
                let planner = WindowPlanner::new(descending, first, last, self.options.page_size, far);
                Stage::Windows { seek, planner, slots: Vec::new() }
            }
            // No far end beyond this page (or no answer to the probe): read on one page at a time.
            _ => Stage::Seek(seek),
        };
        Ok(answer)
    }

    /// The next window page in order, keeping as many windows in flight as the pace allows.
    pub(super) async fn window_page(&mut self) -> Result<Option<T::Answer>, T> {
        let Stage::Windows { seek, planner, slots } = &mut self.stage else { return Ok(None) };
        loop {
            // PACE HOOK: the window count is decided here, before each batch (see reader/pacing.rs).
            let windows = self.pacer.windows_now(&self.io.transport, &mut self.io.progress, slots.len());
            while slots.len() < windows {
                let Some(window) = planner.next_window() else { break };
                // Delivered after the windows already in flight.
                slots.insert(0, Slot::send(&mut self.io, seek, window, false, 0));
            }
            let Some(slot) = slots.pop() else { return Ok(None) };
            let answer = match slot.pending.await {
                Ok(answer) => answer,
                Err(error) => {
                    self.pacer.failed(&self.io.transport, &error); // PACE HOOK: GAIA_TO04 means one window
                    let pause = self.io.retry_pause(&error, slot.attempt).ok_or(error)?;
                    self.io.transport.sleep(pause).await;
                    slots.push(Slot::send(&mut self.io, seek, slot.window, slot.confirm, slot.attempt + 1));
                    continue;
                }
            };
            if slot.confirm {
                // Something started matching past the count taken at the start: read it.
                if !answer.is_empty() {
                    slots.push(Slot::send(&mut self.io, seek, slot.window, false, 0));
                }
                continue;
            }
            let rest = seek.accept_window(&answer, &slot.window)?;
            // What this page covered sizes the windows not yet handed out.
            let covered = match (rest, slot.window.until) {
                (Some(rest), _) => Some(rest.after.abs_diff(slot.window.after)),
                (None, Some(until)) => Some(until.abs_diff(slot.window.after)),
                (None, None) => None,
            };
            if let Some(ids) = covered {
                planner.observe(ids, answer.len() as u64);
            }
            if let Some(rest) = rest {
                // The open window past the count taken at the start can only confirm the end.
                let reached = self.io.progress.total.is_some_and(|total| self.io.progress.fetched + answer.len() as u64 >= total);
                let confirm = rest.until.is_none() && reached;
                slots.push(Slot::send(&mut self.io, seek, rest, confirm, 0));
            }
            if answer.is_empty() {
                continue;
            }
            return Ok(Some(answer));
        }
    }
}
