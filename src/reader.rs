//! Drives a read: asks the plan's paginator for each request, sends it through the
//! transport, checks the answer and hands the page on untouched (but for `$id`).

use crate::error::{ReadError, SeekError};
use crate::options::ReadOptions;
use crate::plan::{choose_plan, Plan};
use crate::seek::SeekPaginator;
use crate::transport::{Page, Transport};

/// How far a read has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Records delivered so far.
    pub fetched: u64,
    /// Records that matched when the read started, when kintone said.
    pub total: Option<u64>,
    /// REST calls answered so far.
    pub requests: u64,
}

/// A read in progress over a transport.
pub struct Reader<T: Transport> {
    transport: T,
    seek: SeekPaginator,
    progress: Progress,
}

impl<T: Transport> Reader<T> {
    /// Plans the read; refuses options the plan cannot serve before any request.
    pub fn open(options: &ReadOptions, transport: T) -> Result<Self, SeekError> {
        let Plan::SeekById { descending } = choose_plan(options)?;
        Ok(Reader { transport, seek: SeekPaginator::new(options, descending), progress: Progress::default() })
    }

    /// The method the read uses, as `Progress.method` names it.
    pub fn method_name(&self) -> &'static str {
        "seek"
    }

    /// How far the read has come.
    pub fn progress(&self) -> Progress {
        self.progress
    }

    /// The next page of records, or `None` once every record has been delivered.
    pub async fn next_page(&mut self) -> Result<Option<T::Page>, ReadError<T::Error>> {
        let Some(request) = self.seek.next_request() else {
            return Ok(None);
        };
        let mut page = self.transport.send(&request).await?;
        self.progress.requests += 1;
        if self.progress.requests == 1 {
            self.progress.total = page.total_count();
        }
        self.seek.accept(&page)?;
        if page.is_empty() {
            return Ok(None);
        }
        if self.seek.strips_id() {
            page.strip_id();
        }
        self.progress.fetched += page.len() as u64;
        Ok(Some(page))
    }
}

#[cfg(test)]
#[path = "reader_tests.rs"]
mod tests;
