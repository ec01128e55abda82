//! `SeekReader`, the read as the facade drives it: `next()` resolves to the next page's
//! records array, or `null` when every record has been delivered; `close()` releases
//! what the read holds (a cursor).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use super::convert::{progress_to_js, read_error_to_js, seek_error_to_js};
use super::option_reader::option_entries;
use super::js_transport::{can_ask_domain_load, JsTransport, Sender};
use super::kintone::{has_kintone_api, kintone_api_url};
use super::local_order::local_order_to_js;
use super::view::KINTONE_TRANSPORT_MARK;
use crate::domain_load::MAX_WINDOWS_IN_PAGE;
use crate::error::{SeekError, SeekErrorCode};
use crate::limits::RECORDS_PATH;
use crate::options::parse_options;
use crate::paths::guest_space_in_url;
use crate::reader::Reader;

type Shared = Rc<RefCell<Option<Reader<JsTransport>>>>;

/// One read. The reader lives in a shared cell and is taken out while a page is in
/// flight, so no Rust borrow is held across an `await` that JavaScript could re-enter.
#[wasm_bindgen]
pub struct SeekReader {
    state: Shared,
    /// Whether the read holds or may create a cursor, kept outside the cell so that it
    /// can be asked while a page is in flight.
    may_hold_cursor: Rc<Cell<bool>>,
}

#[wasm_bindgen]
impl SeekReader {
    /// Validates the options and prepares the read; throws before any request is sent.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, signal: JsValue, hooks: JsValue) -> Result<SeekReader, JsValue> {
        open(&options, signal, hooks).map_err(|error| seek_error_to_js(&error))
    }

    /// Reads the next page: resolves to its records array, or `null` at the end.
    pub fn next(&self) -> Promise {
        let (state, may_hold_cursor) = (self.state.clone(), self.may_hold_cursor.clone());
        future_to_promise(async move {
            let Some(mut reader) = state.borrow_mut().take() else {
                return Err(seek_error_to_js(&SeekError::protocol(
                    "next() was called while a page was still being read, or after the read was closed.",
                )));
            };
            let result = reader.next_page().await;
            may_hold_cursor.set(reader.may_hold_cursor());
            *state.borrow_mut() = Some(reader);
            match result {
                Ok(Some(page)) => Ok(page.into_records().into()),
                Ok(None) => Ok(JsValue::NULL),
                Err(error) => Err(read_error_to_js(error)),
            }
        })
    }

    /// Ends the read, deleting an open cursor. Call it once no page is in flight.
    pub fn close(&self) -> Promise {
        let (state, may_hold_cursor) = (self.state.clone(), self.may_hold_cursor.clone());
        future_to_promise(async move {
            let Some(mut reader) = state.borrow_mut().take() else { return Ok(JsValue::UNDEFINED) };
            let result = reader.close().await;
            may_hold_cursor.set(false);
            match result {
                Ok(()) => Ok(JsValue::UNDEFINED),
                Err(error) => Err(read_error_to_js(error)),
            }
        })
    }

    /// Whether the read holds, or may still create, a cursor that `close()` must delete.
    #[wasm_bindgen(js_name = mayHoldCursor)]
    pub fn may_hold_cursor(&self) -> bool {
        self.may_hold_cursor.get()
    }

    /// Before the first page: the caller holds every record before handing any on
    /// (`getAllRecords`), so a text order past offset's reach may be read by `$id` and
    /// sorted by the caller (`localOrder()`) instead of taking a cursor.
    #[wasm_bindgen(js_name = allowLocalSort)]
    pub fn allow_local_sort(&self) {
        if let Some(reader) = self.state.borrow_mut().as_mut() {
            reader.allow_local_sort();
        }
    }

    /// Once `next()` has resolved to `null`: how to sort the delivered records, when they
    /// came by `$id` for a local sort (`undefined`: they came in order).
    #[wasm_bindgen(js_name = localOrder)]
    pub fn local_order(&self) -> JsValue {
        self.state.borrow().as_ref().and_then(|reader| reader.local_order()).map_or(JsValue::UNDEFINED, local_order_to_js)
    }

    /// `Progress` of the public contract (as of the last page while one is in flight).
    pub fn progress(&self) -> JsValue {
        progress_to_js(&self.state.borrow().as_ref().map(|reader| reader.progress()).unwrap_or_default())
    }
}

fn open(options: &JsValue, signal: JsValue, hooks: JsValue) -> Result<SeekReader, SeekError> {
    let entries = option_entries(options)?;
    let mut read_options = parse_options(&entries)?;
    let given = |name: &str| entries.iter().find(|(key, _)| key == name).map(|(_, value)| value);
    let sender = match given("transport") {
        None => {
            if !has_kintone_api() {
                return Err(SeekError::new(
                    SeekErrorCode::NoTransport,
                    "No `transport` was given and this page has no `kintone.api`: outside kintone, pass \
                     `transport: fetchTransport({ baseUrl, apiToken })`.",
                ));
            }
            // Inside a guest space, kintone only answers on the guest path; `null` says
            // explicitly that the app is not in one.
            if given("guestSpaceId").is_none() {
                read_options.guest_space_id = detect_guest_space();
            }
            Sender::Kintone
        }
        Some(_) => {
            let transport = js_sys::Reflect::get(options, &"transport".into()).unwrap_or(JsValue::UNDEFINED);
            // `typeof` rather than `instanceof`, so a function from another realm counts.
            if !transport.is_function() {
                return Err(SeekError::option(
                    "`transport` must be a function (path, method, params) => Promise, such as `fetchTransport({...})`.",
                ));
            }
            Sender::Function(transport.unchecked_into::<Function>())
        }
    };
    // A `concurrency` the caller gave is used as given.
    let mut follow_load = false;
    if read_options.concurrency.is_none() {
        let through_kintone = matches!(&sender, Sender::Kintone) || is_kintone_transport(&sender);
        follow_load = through_kintone && can_ask_domain_load();
        read_options.concurrency = Some(match (through_kintone, follow_load) {
            (true, true) => MAX_WINDOWS_IN_PAGE as u32,
            (true, false) => CONCURRENCY_IN_KINTONE,
            (false, _) => CONCURRENCY_ELSEWHERE,
        });
    }
    // The facade checked that a given signal looks like an AbortSignal; the cast does no
    // `instanceof` check, so a signal of another realm or of Node counts.
    let signal = (!signal.is_undefined() && !signal.is_null()).then(|| signal.unchecked_into::<AbortSignal>());
    let mut reader = Reader::open(read_options, JsTransport::new(sender, signal, hooks))?;
    if follow_load {
        reader.follow_domain_load();
    }
    let may_hold_cursor = Rc::new(Cell::new(reader.may_hold_cursor()));
    Ok(SeekReader { state: Rc::new(RefCell::new(Some(reader))), may_hold_cursor })
}

/// Inside a kintone page, every user runs the same customization at once, and the
/// domain's 100 concurrent requests are shared by all of them: a read follows the
/// domain's load (`crate::domain_load`), or, on a page that cannot tell it (no
/// `kintone.api.getConcurrencyLimit`), reads one page at a time.
const CONCURRENCY_IN_KINTONE: u32 = 1;
/// Elsewhere (a Node job, a page outside kintone) one client reads: four windows cut the
/// wall time about fourfold where latency dominates, and stay far below the domain's 100.
const CONCURRENCY_ELSEWHERE: u32 = 4;

fn is_kintone_transport(sender: &Sender) -> bool {
    let Sender::Function(function) = sender else { return false };
    js_sys::Reflect::get(function, &KINTONE_TRANSPORT_MARK.into()).is_ok_and(|mark| mark.is_truthy())
}

fn detect_guest_space() -> Option<u64> {
    let path = RECORDS_PATH.strip_suffix(".json").unwrap_or(RECORDS_PATH);
    kintone_api_url(path, true).ok()?.as_string().as_deref().and_then(guest_space_in_url)
}
