//! The seam between the core and whatever sends requests: `kintone.api` in a page,
//! `fetch` in Node, an in-memory fake in host tests.

use crate::error::ReadError;

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
    /// The parameter with this name, if the request has it.
    pub fn param(&self, name: &str) -> Option<&ParamValue> {
        self.params.iter().find(|(key, _)| *key == name).map(|(_, value)| value)
    }
}

/// A page of records as the transport received it. The core never copies records:
/// it reads the ids it needs and may remove `$id` from them in place.
pub trait Page {
    /// How many records the page holds.
    fn len(&self) -> usize;
    /// Whether the page holds no record.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The `$id` of the record at `index`, or `None` when it is missing or not a whole number.
    fn record_id(&self, index: usize) -> Option<u64>;
    /// The answer's `totalCount`, when it carried one.
    fn total_count(&self) -> Option<u64>;
    /// Removes `$id` from every record (the library asked for it, the caller did not).
    fn strip_id(&mut self);
}

/// Sends requests. Implemented over a JavaScript function in the wasm build and by
/// fakes in tests.
#[allow(async_fn_in_trait)] // the futures are driven on one thread (wasm, test executors)
pub trait Transport {
    /// The page type this transport answers with.
    type Page: Page;
    /// The transport's own error: kintone's error answer, a network failure, an abort.
    type Error;
    /// Sends one request and waits for its answer. An answer that is not shaped like a
    /// records page is a `ReadError::Seek` with the `PROTOCOL` code.
    async fn send(&self, request: &Request) -> Result<Self::Page, ReadError<Self::Error>>;
}
