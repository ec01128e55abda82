//! Conversions at the boundary, each in one place: JS options into the core's
//! `OptionValue`s, the core's errors and progress into plain JS objects.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::error::{ReadError, SeekError};
use crate::options::OptionValue;
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

/// The options object's own entries, as the core validates them.
pub fn option_entries(options: &JsValue) -> Result<Vec<(String, OptionValue)>, SeekError> {
    // `typeof`, not `instanceof`: `Object.create(null)` and other realms' objects count.
    if !options.is_object() || Array::is_array(options) {
        return Err(SeekError::option("Options must be an object, e.g. { app: 12 }."));
    }
    let object: &Object = options.unchecked_ref();
    Ok(Object::entries(object)
        .iter()
        .map(|entry| {
            let entry: Array = entry.unchecked_into();
            (entry.get(0).as_string().unwrap_or_default(), option_value(&entry.get(1)))
        })
        .collect())
}

fn option_value(value: &JsValue) -> OptionValue {
    if value.is_undefined() {
        OptionValue::Undefined
    } else if value.is_null() {
        OptionValue::Null
    } else if let Some(flag) = value.as_bool() {
        OptionValue::Bool(flag)
    } else if let Some(number) = value.as_f64() {
        OptionValue::Number(number)
    } else if let Some(text) = value.as_string() {
        OptionValue::Str(text)
    } else if Array::is_array(value) {
        OptionValue::List(Array::from(value).iter().map(|item| option_value(&item)).collect())
    } else {
        OptionValue::Other(value.js_typeof().as_string().unwrap_or_default())
    }
}

/// The core's own error as the plain object the facade turns into `KintoneSeekError`.
pub fn seek_error_to_js(error: &SeekError) -> JsValue {
    let object = Object::new();
    let _ = Reflect::set(&object, &"kintoneSeekCode".into(), &error.code.as_str().into());
    let _ = Reflect::set(&object, &"message".into(), &error.message.as_str().into());
    object.into()
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
    let object = Object::new();
    let total = progress.total.map_or(JsValue::NULL, |total| (total as f64).into());
    let _ = Reflect::set(&object, &"fetched".into(), &(progress.fetched as f64).into());
    let _ = Reflect::set(&object, &"total".into(), &total);
    let _ = Reflect::set(&object, &"method".into(), &progress.method.into());
    let _ = Reflect::set(&object, &"requests".into(), &(progress.requests as f64).into());
    let _ = Reflect::set(&object, &"retries".into(), &(progress.retries as f64).into());
    if let Some(windows) = progress.windows {
        let _ = Reflect::set(&object, &"windows".into(), &windows.into());
    }
    object.into()
}
