//! The core's `Transport` over JavaScript: `kintone.api` or a caller's function, with
//! the read's abort signal checked before every request, and the facade's hooks for
//! cursors (cross-tab lock, page-exit cleanup) and progress.

use std::future::Future;
use std::pin::Pin;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{console, AbortSignal, WorkerGlobalScope};

use super::convert::{member_named, waiting_progress_to_js};
use super::js_answer::JsAnswer;
use super::kintone::kintone_api;
use crate::domain_load::Load;
use crate::error::ReadError;
use crate::progress::Progress;
use crate::transport::{Failure, LoadQuestion, Method, ParamValue, Request, Transport};

/// The global scope, for its timer (wasm has no clock of its own). web-sys's bindings are
/// structural, so the cast (no `instanceof` check) calls `globalThis.setTimeout`, which a
/// page (a `Window`), a worker and Node all have.
fn global_scope() -> WorkerGlobalScope {
    js_sys::global().unchecked_into()
}

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
    signal: Option<AbortSignal>,
    hooks: JsValue,
    /// The facade's `hooks.recordIds(records)`: a page's ids in one call.
    record_ids: Function,
    /// `{ signal }`, passed to transport functions so that `fetch` can abort.
    context: Object,
}

impl JsTransport {
    /// A transport sending through `sender`, refusing to start once `signal` aborted, and
    /// telling `hooks` (an object of optional functions) about cursors and waits.
    pub fn new(sender: Sender, signal: Option<AbortSignal>, hooks: JsValue) -> Self {
        let context = Object::new();
        if let Some(signal) = &signal {
            let _ = Reflect::set(&context, &"signal".into(), signal);
        }
        let record_ids = member_named(&hooks, "recordIds").unchecked_into();
        JsTransport { sender, signal, hooks, record_ids, context }
    }

    /// The abort reason when the signal has aborted.
    fn abort_reason(&self) -> Option<JsValue> {
        self.signal.as_ref().filter(|signal| signal.aborted()).map(AbortSignal::reason)
    }

    fn call(&self, request: &Request) -> Result<JsValue, JsValue> {
        let params = params_object(request);
        match &self.sender {
            Sender::Kintone => kintone_api(&request.path, request.method.as_str(), &params),
            Sender::Function(function) => {
                // A DELETE is cleanup, sent even after an abort: it must not carry the signal.
                let context: JsValue = if request.method == Method::Delete { Object::new().into() } else { self.context.clone().into() };
                let args = Array::of4(&request.path.as_str().into(), &request.method.as_str().into(), &params, &context);
                function.apply(&JsValue::NULL, &args)
            }
        }
    }

    /// Calls `hooks[name](...args)` when the facade gave it.
    fn hook(&self, name: &str, args: &[JsValue]) -> JsValue {
        let function = member_named(&self.hooks, name);
        if !function.is_function() {
            return JsValue::UNDEFINED;
        }
        let args: Array = args.iter().collect();
        function.unchecked_ref::<Function>().apply(&self.hooks, &args).unwrap_or_else(|error| {
            // A hook runs the caller's code (`onProgress` while the read waits); its throw
            // must not end the read from inside a pause, nor vanish unseen.
            let what = if name == "waiting" { "onProgress threw while the read waited".to_string() } else { format!("the {name} hook threw") };
            console::error_2(&format!("kintone-seek: {what}; the read goes on.").into(), &error);
            JsValue::UNDEFINED
        })
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
    type Answer = JsAnswer;
    type Error = JsValue;
    type Pending = Pin<Box<dyn Future<Output = Result<JsAnswer, ReadError<JsValue>>>>>;

    fn start(&self, request: &Request) -> Self::Pending {
        // An in-flight `kintone.api` call cannot be cancelled; the check keeps the next
        // one from starting. A DELETE releases a cursor, so it goes out even after an abort.
        let reason = if request.method == Method::Delete { None } else { self.abort_reason() };
        // The request is sent here, before the future is first polled.
        let sent = match reason {
            Some(reason) => Err(reason),
            // A transport may answer synchronously; `Promise.resolve` takes both.
            None => self.call(request).map(|answer| JsFuture::from(Promise::resolve(&answer))),
        };
        let record_ids = self.record_ids.clone();
        Box::pin(async move {
            let answer = sent.map_err(ReadError::Transport)?.await.map_err(ReadError::Transport)?;
            Ok(JsAnswer::new(answer, &record_ids))
        })
    }

    fn classify(&self, error: &JsValue) -> Failure {
        let code = member_named(error, "code").as_string();
        let status = member_named(error, "status").as_f64().unwrap_or(0.0);
        let name = member_named(error, "name").as_string().unwrap_or_default();
        // 429 GAIA_TO04: too many concurrent requests in the domain, gone in a moment.
        if code.as_deref() == Some("GAIA_TO04") || status >= 500.0 {
            return Failure::Transient;
        }
        match (code, name.as_str()) {
            // The library's own refusals carry a code too, but are not kintone's.
            (_, "KintoneSeekError" | "AbortError") => Failure::Other,
            (Some(code), _) => Failure::Kintone(code),
            // `fetch` rejects with a TypeError when the network fails.
            (None, "TypeError") => Failure::Transient,
            (None, _) => Failure::Other,
        }
    }

    async fn sleep(&self, ms: u64) {
        // setTimeout takes a 32-bit delay; no pause of the library comes near 24 days.
        let ms = ms.min(i32::MAX as u64) as i32;
        let timer = Promise::new(&mut |resolve, _| {
            let _ = global_scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        });
        let _ = JsFuture::from(timer).await;
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }

    async fn cursor_opening(&self) {
        let waited = self.hook("cursorOpening", &[]);
        // A refused lock (the read was aborted) is not an error here: the next request sees the abort.
        let _ = JsFuture::from(Promise::resolve(&waited)).await;
    }

    fn cursor_opened(&self, id: &str, path: &str) {
        self.hook("cursorOpened", &[id.into(), path.into()]);
    }

    fn cursor_closed(&self, id: &str) {
        self.hook("cursorClosed", &[id.into()]);
    }

    fn domain_load(&self) -> Option<LoadQuestion> {
        // Handlers attached now: a rejection that comes before the read next looks, or
        // after it ended, is still handled.
        let asked = JsFuture::from(Promise::resolve(&kintone_concurrency_limit()?));
        Some(Box::pin(async move {
            let answer = asked.await.ok()?;
            let number = |key: &str| member_named(&answer, key).as_f64().filter(|n| n.is_finite() && *n >= 0.0);
            Some(Load { limit: number("limit")? as u64, running: number("running")? as u64 })
        }))
    }

    fn is_too_busy(&self, error: &JsValue) -> bool {
        member_named(error, "code").as_string().as_deref() == Some("GAIA_TO04")
    }

    fn waiting(&self, ms: u64, reason: &str, progress: &Progress) {
        self.hook("waiting", &[waiting_progress_to_js(progress, ms, reason)]);
    }
}

/// `kintone.api.getConcurrencyLimit()` called, when the page has it and it does not throw.
fn kintone_concurrency_limit() -> Option<JsValue> {
    let api = member_named(&member_named(&js_sys::global(), "kintone"), "api");
    let ask = member_named(&api, "getConcurrencyLimit");
    ask.is_function().then(|| ask.unchecked_ref::<Function>().call0(&api).ok()).flatten()
}

/// Whether the page offers `kintone.api.getConcurrencyLimit()`.
pub fn can_ask_domain_load() -> bool {
    let api = member_named(&member_named(&js_sys::global(), "kintone"), "api");
    member_named(&api, "getConcurrencyLimit").is_function()
}
