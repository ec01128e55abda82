//! The core's `Transport` over JavaScript: `kintone.api` or a caller's function, with
//! the read's abort signal checked before every request.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::kintone::kintone_api;
use crate::error::{ReadError, SeekError};
use crate::transport::{Page, ParamValue, Request, Transport};

/// Where requests go.
pub enum Sender {
    /// `kintone.api` of the page.
    Kintone,
    /// A caller's `Transport` function `(path, method, params, context)`.
    Function(Function),
}

/// A transport over JavaScript.
pub struct JsTransport {
    sender: Sender,
    signal: JsValue,
    /// `{ signal }`, passed to transport functions so that `fetch` can abort.
    context: Object,
}

impl JsTransport {
    /// A transport sending through `sender`, refusing to start once `signal` aborted.
    pub fn new(sender: Sender, signal: JsValue) -> Self {
        let context = Object::new();
        if !signal.is_undefined() {
            let _ = Reflect::set(&context, &"signal".into(), &signal);
        }
        JsTransport { sender, signal, context }
    }

    /// The abort reason when the signal has aborted.
    fn abort_reason(&self) -> Option<JsValue> {
        if self.signal.is_undefined() || self.signal.is_null() {
            return None;
        }
        let aborted = Reflect::get(&self.signal, &"aborted".into()).ok()?;
        aborted.is_truthy().then(|| Reflect::get(&self.signal, &"reason".into()).unwrap_or(JsValue::UNDEFINED))
    }

    fn call(&self, request: &Request) -> Result<JsValue, JsValue> {
        let params = params_object(request);
        match &self.sender {
            Sender::Kintone => kintone_api(&request.path, request.method.as_str(), &params),
            Sender::Function(function) => {
                let args = Array::of4(&request.path.as_str().into(), &request.method.as_str().into(), &params, &self.context);
                function.apply(&JsValue::NULL, &args)
            }
        }
    }
}

/// The request's parameters as the plain object `kintone.api` takes.
fn params_object(request: &Request) -> Object {
    let params = Object::new();
    for (name, value) in &request.params {
        let value: JsValue = match value {
            ParamValue::Str(text) => text.as_str().into(),
            ParamValue::Int(number) => (*number as f64).into(),
            ParamValue::Bool(flag) => (*flag).into(),
            ParamValue::List(items) => items.iter().map(|item| JsValue::from_str(item)).collect::<Array>().into(),
        };
        let _ = Reflect::set(&params, &(*name).into(), &value);
    }
    params
}

impl Transport for JsTransport {
    type Page = JsPage;
    type Error = JsValue;

    async fn send(&self, request: &Request) -> Result<JsPage, ReadError<JsValue>> {
        // An in-flight `kintone.api` call cannot be cancelled; the check keeps the next
        // one from starting.
        if let Some(reason) = self.abort_reason() {
            return Err(ReadError::Transport(reason));
        }
        let answer = self.call(request).map_err(ReadError::Transport)?;
        // A transport may answer synchronously; `Promise.resolve` takes both.
        let answer = JsFuture::from(Promise::resolve(&answer)).await.map_err(ReadError::Transport)?;
        Ok(JsPage::from_answer(&answer)?)
    }
}

/// A records page as JavaScript holds it; the records never become Rust data.
pub struct JsPage {
    records: Array,
    total: Option<u64>,
}

impl JsPage {
    /// Reads `records` and `totalCount` out of kintone's answer.
    fn from_answer(answer: &JsValue) -> Result<JsPage, SeekError> {
        let records = Reflect::get(answer, &"records".into())
            .ok()
            .filter(Array::is_array)
            .ok_or_else(|| SeekError::protocol("kintone's answer has no `records` array."))?;
        let total = Reflect::get(answer, &"totalCount".into()).ok().and_then(|count| whole_number(&count));
        Ok(JsPage { records: records.unchecked_into(), total })
    }

    /// The records array, handed to the caller untouched.
    pub fn into_records(self) -> Array {
        self.records
    }
}

/// kintone writes numbers as strings (`"14"`); a number is taken too.
fn whole_number(value: &JsValue) -> Option<u64> {
    if let Some(text) = value.as_string() {
        return text.parse().ok();
    }
    value.as_f64().filter(|n| n.fract() == 0.0 && *n >= 0.0).map(|n| n as u64)
}

impl Page for JsPage {
    fn len(&self) -> usize {
        self.records.length() as usize
    }

    fn record_id(&self, index: usize) -> Option<u64> {
        let record = self.records.get(index as u32);
        let field = Reflect::get(&record, &"$id".into()).ok().filter(JsValue::is_object)?;
        whole_number(&Reflect::get(&field, &"value".into()).ok()?)
    }

    fn total_count(&self) -> Option<u64> {
        self.total
    }

    fn strip_id(&mut self) {
        let key: JsValue = "$id".into();
        for record in self.records.iter() {
            if record.is_object() {
                let _ = Reflect::delete_property(record.unchecked_ref::<Object>(), &key);
            }
        }
    }
}
