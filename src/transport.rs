//! The seam between the core and whatever sends requests: `kintone.api` in a page,
//! `fetch` in Node, an in-memory fake in host tests.

use std::future::Future;
use std::pin::Pin;

use crate::domain_load::Load;
use crate::error::ReadError;
use crate::progress::Progress;

/// The HTTP method of a kintone REST call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
}

impl Method {
    /// The method's name as `kintone.api` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// A parameter value of a kintone REST call (the JSON types kintone takes).
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// A string, such as `query`, or `app` when the caller gave a string.
    Str(String),
    /// A whole number, such as `app` when the caller gave a number, or `size`.
    Int(u64),
    /// A flag, such as `totalCount`.
    Bool(bool),
    /// A list of strings, such as `fields`.
    List(Vec<String>),
}

/// One REST call: the API path, the method and the parameters, in the order sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The API path, e.g. `/k/v1/records.json` or `/k/guest/3/v1/records.json`.
    pub path: String,
    /// The HTTP method.
    pub method: Method,
    /// The parameters, in a stable order.
    pub params: Vec<(&'static str, ParamValue)>,
}

impl Request {
    /// A records GET (`/k/v1/records.json` at `path`): `app`, `query` and, when given,
    /// `fields`, in that order; a caller that wants the count pushes `totalCount` after.
    /// One builder for every records request keeps the wasm from holding one copy each.
    pub fn records_get(path: String, app: &ParamValue, query: String, fields: Option<Vec<String>>) -> Request {
        let mut params = vec![("app", app.clone()), ("query", ParamValue::Str(query))];
        if let Some(fields) = fields {
            params.push(("fields", ParamValue::List(fields)));
        }
        Request { path, method: Method::Get, params }
    }

    /// The parameter with this name, if the request has it.
    pub fn param(&self, name: &str) -> Option<&ParamValue> {
        self.params.iter().find(|(key, _)| *key == name).map(|(_, value)| value)
    }
}

/// A field of the app's form, as `/k/v1/app/form/fields.json` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldInfo {
    /// The field code.
    pub code: String,
    /// kintone's type name, e.g. `NUMBER`, `RECORD_NUMBER`.
    pub field_type: String,
    /// Whether the form requires a value.
    pub required: bool,
    /// A DROP_DOWN's or RADIO_BUTTON's options in their defined order (`index`), which is
    /// the order kintone sorts them in; empty for other types.
    pub options: Vec<String>,
}

/// An answer as the transport received it. The core never copies records: it reads
/// the few values it needs and may remove the fields it added, in place.
pub trait Answer {
    /// How many records the answer holds (0 when it has no `records`).
    fn len(&self) -> usize;
    /// Whether the answer holds no record.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Whether the answer has a `records` array at all.
    fn has_records(&self) -> bool;
    /// The `$id` of the record at `index`, or `None` when it is missing or not a whole number.
    fn record_id(&self, index: usize) -> Option<u64>;
    /// The value of `field` in the record at `index`, when it is a string (or a number).
    fn record_value(&self, index: usize, field: &str) -> Option<String>;
    /// The answer's `totalCount` (kintone writes it as a string), when it carried one.
    fn total_count(&self) -> Option<u64>;
    /// A string member of the answer, such as a cursor's `id`.
    fn string(&self, key: &str) -> Option<String>;
    /// A boolean member of the answer, such as a cursor page's `next`.
    fn flag(&self, key: &str) -> Option<bool>;
    /// The fields of a `fields.json` answer.
    fn form_fields(&self) -> Vec<FieldInfo>;
    /// Keeps only the records whose entry in `keep` is true (one entry per record).
    fn retain_records(&mut self, keep: &[bool]);
    /// Removes these fields from every record (the library asked for them, the caller did not).
    fn strip_fields(&mut self, fields: &[String]);
}

/// What a failed request means for the read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Worth trying the same request again: 429 `GAIA_TO04`, a 5xx, a network error.
    Transient,
    /// kintone answered with this error code (a 4xx that a retry would not change).
    Kintone(String),
    /// Anything else (an abort, a programming error): never retried.
    Other,
}

/// The domain's load on its way (`kintone.api.getConcurrencyLimit()`); `None` when the
/// page could not tell. Owns what it needs, so the read can keep it while pages go on.
pub type LoadQuestion = Pin<Box<dyn Future<Output = Option<Load>>>>;

/// Sends requests, and offers the few services of the host a read needs. Implemented
/// over JavaScript in the wasm build and by fakes in tests.
#[allow(async_fn_in_trait)] // the futures are driven on one thread (wasm, test executors)
pub trait Transport {
    /// The answer type this transport delivers.
    type Answer: Answer;
    /// The transport's own error: kintone's error answer, a network failure, an abort.
    type Error;
    /// An answer on its way.
    type Pending: Future<Output = Result<Self::Answer, ReadError<Self::Error>>>;
    /// Sends one request now and answers the future of its answer, so that several
    /// requests can be in flight at once (an `async fn` would not send until awaited).
    fn start(&self, request: &Request) -> Self::Pending;
    /// What a failure of `send` means.
    fn classify(&self, error: &Self::Error) -> Failure;
    /// Waits `ms` milliseconds (backoff between attempts).
    async fn sleep(&self, ms: u64);
    /// A number in `[0, 1)` for jitter.
    fn random(&self) -> f64;
    /// Called before a cursor is created; may wait (one cursor at a time per browser origin).
    async fn cursor_opening(&self) {}
    /// A cursor was created (the page may delete it if it is closed mid-read).
    fn cursor_opened(&self, _id: &str, _path: &str) {}
    /// The cursor is gone: read to its end, or deleted.
    fn cursor_closed(&self, _id: &str) {}
    /// The read is waiting `ms` before trying again (`reason`: `retry` or
    /// `cursor-limit`); for progress.
    fn waiting(&self, _ms: u64, _reason: &str, _progress: &Progress) {}
    /// Asks how busy the domain is, when this transport can tell (a kintone page can);
    /// `None` otherwise. Only reads that follow the domain's load ask.
    fn domain_load(&self) -> Option<LoadQuestion> {
        None
    }
    /// Whether the error is kintone's 429 `GAIA_TO04`: the domain runs as many requests
    /// as it can.
    fn is_too_busy(&self, _error: &Self::Error) -> bool {
        false
    }
}
