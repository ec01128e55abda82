//! Faults for the next N matching API requests: an answer of a given status and body,
//! a dropped connection, 429 `GAIA_TO04`, an extra delay, or an empty cursor page.

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Action {
    /// Answer `status` with `body` (JSON).
    Status,
    /// Close the connection without an answer.
    Drop,
    /// 429 `GAIA_TO04`, as when the domain runs 100 requests at once.
    TooBusy,
    /// Wait `ms` more, then answer normally (e.g. a slow cursor creation).
    Delay,
    /// `{"records":[],"next":true}` without advancing the cursor (kintone may send an
    /// empty page before the end).
    EmptyPage,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fault {
    /// HTTP method to match (the effective one: `GET` for a POST with
    /// `X-HTTP-Method-Override: GET`); any when absent.
    pub method: Option<String>,
    /// Substring of the path to match, e.g. `records/cursor.json`; any when absent.
    pub path: Option<String>,
    /// How many matching requests get the fault (default 1).
    #[serde(default = "one")]
    pub count: u64,
    pub action: Action,
    pub status: Option<u16>,
    pub body: Option<Value>,
    /// For `delay`.
    pub ms: Option<u64>,
}

fn one() -> u64 {
    1
}

#[derive(Debug, Default)]
pub struct Faults {
    pub pending: Vec<Fault>,
    pub fired: u64,
}

impl Faults {
    /// The fault for this request, if any (one use of it is consumed).
    pub fn take(&mut self, method: &str, path: &str) -> Option<Fault> {
        let i = self.pending.iter().position(|f| {
            f.count > 0
                && f.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
                && f.path.as_deref().is_none_or(|p| path.contains(p))
        })?;
        let f = &mut self.pending[i];
        f.count -= 1;
        let out = f.clone();
        if f.count == 0 {
            self.pending.remove(i);
        }
        self.fired += 1;
        Some(out)
    }
}
