//! How far a read has come, as `onProgress` reports it.

use serde::Serialize;

/// Counters of a read, serialized as they are into the `Progress` object of the public
/// contract (a field added here reaches `onProgress` with no other change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
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
    /// Id windows the read runs at once now, once it reads in windows (absent before).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub windows: Option<u32>,
}
