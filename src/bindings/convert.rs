//! Conversions out of the wasm, each in one place, through serde-wasm-bindgen: the core's
//! progress, views and errors as plain JS objects (`Serializer::json_compatible()`:
//! `None` becomes `null`, structs plain objects). Options come in through
//! `option_reader`. Records never pass through here: they stay the JS objects kintone sent.

use js_sys::Reflect;
use serde::Serialize;
use serde_wasm_bindgen::Serializer;
use wasm_bindgen::prelude::*;

use crate::error::{ReadError, SeekError};
use crate::progress::Progress;

/// `target[key]`, or `undefined` when it has none or is not an object (`Reflect.get`
/// throws then).
pub fn member(target: &JsValue, key: &JsValue) -> JsValue {
    Reflect::get(target, key).unwrap_or(JsValue::UNDEFINED)
}

/// `target[key]` for a key written in Rust.
pub fn member_named(target: &JsValue, key: &str) -> JsValue {
    member(target, &key.into())
}

/// A value of the core as a plain JS object.
pub fn to_js(value: &impl Serialize) -> JsValue {
    // Nothing the library serializes can fail (no map keys, no numbers past 2^53).
    value.serialize(&Serializer::json_compatible()).unwrap_or(JsValue::UNDEFINED)
}

/// The core's own error as the plain object the facade turns into `KintoneSeekError`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsSeekError<'a> {
    kintone_seek_code: &'a str,
    message: &'a str,
}

/// The core's own error as the plain object the facade turns into `KintoneSeekError`.
pub fn seek_error_to_js(error: &SeekError) -> JsValue {
    to_js(&JsSeekError { kintone_seek_code: error.code.as_str(), message: &error.message })
}

/// A failed read as the facade receives it: the library's error as a plain object, the
/// transport's rejection untouched.
pub fn read_error_to_js(error: ReadError<JsValue>) -> JsValue {
    match error {
        ReadError::Seek(error) => seek_error_to_js(&error),
        ReadError::Transport(rejection) => rejection,
    }
}

/// `Progress` of the public contract.
pub fn progress_to_js(progress: &Progress) -> JsValue {
    to_js(progress)
}

#[derive(Serialize)]
struct Waiting<'a> {
    ms: u64,
    reason: &'a str,
}

/// `Progress` with its `waiting` member: how long the read waits before trying again,
/// and why. Set on the progress object rather than through `#[serde(flatten)]`, which
/// serializes through serde's map machinery beside the struct one (about 1 KB gzip).
pub fn waiting_progress_to_js(progress: &Progress, ms: u64, reason: &str) -> JsValue {
    let object = to_js(progress);
    let _ = Reflect::set(&object, &"waiting".into(), &to_js(&Waiting { ms, reason }));
    object
}
