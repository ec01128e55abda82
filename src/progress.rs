//! How far a read has come, as `onProgress` reports it.

/// Counters of a read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Records delivered so far.
    pub fetched: u64,
    /// Records that matched when the read started, when kintone said.
    pub total: Option<u64>,
    /// REST calls made so far (retries, probes and cursor calls included).
    pub requests: u64,
    /// Requests that were sent again after a transient failure.
    pub retries: u64,
    /// The method serving the read: `seek`, `cursor` or `offset`.
    pub method: &'static str,
    /// Id windows the read runs at once now, once it reads in windows.
    pub windows: Option<u32>,
}
