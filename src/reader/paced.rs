//! The start of a seek on `$id` that follows the domain's load (the default inside
//! kintone): nothing goes out in parallel until the load is known to allow it. The
//! first page came back full; the second goes out alone, with the question about the
//! load beside it (`kintone.api.getConcurrencyLimit()`). Before each
//! further page the answer is taken if it came (never waited for): while the domain
//! allows one window, the read goes on one page at a time, asking again every few
//! pages; once it allows more, the next page goes out beside the far-end probe and
//! windows follow (`first_windowed_page`), as a read with a given `concurrency` does
//! after its first page. A domain that is busy, or a page that cannot tell, therefore
//! sees one request at a time from the first page to the last.

use super::{Reader, Result, Stage};
use crate::seek::SeekPaginator;
use crate::transport::Transport;

impl<T: Transport> Reader<T> {
    /// One page of a paced seek, or `None` when the read moved on without a page to
    /// deliver (to windows, to a plain seek, to its end, or a page that only confirmed
    /// that records exist); `self.stage` says where it stands.
    pub(super) async fn paced_seek_page(&mut self, mut seek: SeekPaginator) -> Result<Option<T::Answer>, T> {
        let Some(request) = seek.next_request() else {
            self.stage = Stage::Done;
            return Ok(None);
        };
        // Windows only pay when more than one page is left: then the load no longer matters.
        let page_size = u64::from(self.options.page_size);
        let progress = self.io.progress;
        if progress.total.is_some_and(|total| total.saturating_sub(progress.fetched) <= page_size) {
            self.stage = Stage::Seek(seek);
            return Ok(None);
        }
        // Asked with nothing of this read in flight: its own page, sent next, may or may
        // not be counted in `running`; counting it as others' load errs on the busy side.
        if self.pacer.windows_now(&self.io.transport, &mut self.io.progress, 0) > 1 {
            self.stage = Stage::FirstWindowed(seek);
            return Ok(None);
        }
        let pending = self.io.start(&request);
        let pacer = &mut self.pacer;
        let answer = self.io.await_retrying_noting(pending, &request, &mut |transport, error| pacer.failed(transport, error)).await?;
        let fresh = seek.accept(&answer)?;
        self.stage = if seek.is_done() { Stage::Done } else { Stage::PacedSeek(seek) };
        Ok(fresh.then_some(answer))
    }
}
