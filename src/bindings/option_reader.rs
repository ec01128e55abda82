//! The options object read into the core's `OptionValue`s: each own member by its JS
//! kind. Read here rather than through serde-wasm-bindgen's `Deserializer`, whose
//! error path (serde's "invalid type: floating point `1.5`" message, built even though
//! the read discards it) links Rust's float formatting into the wasm: measured, the
//! deserializer cost the single file 15.2 KB of its 76 KB gzip (84,279 bytes with it,
//! 69,065 without).

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use crate::error::SeekError;
use crate::options::OptionValue;

/// The options object's own enumerable string-keyed members, as the core validates them.
/// The facade has already dropped the members that are `undefined` (absent, to
/// JavaScript) and checked that `options` is an object.
pub fn option_entries(options: &JsValue) -> Result<Vec<(String, OptionValue)>, SeekError> {
    // `typeof`, not `instanceof`: `Object.create(null)` and other realms' objects count.
    if !options.is_object() || Array::is_array(options) {
        return Err(SeekError::option("Options must be an object, e.g. { app: 12 }."));
    }
    let mut entries = Vec::new();
    for entry in Object::entries(options.unchecked_ref()).iter() {
        let entry: Array = entry.unchecked_into();
        if let Some(name) = entry.get(0).as_string() {
            entries.push((name, option_value(&entry.get(1))));
        }
    }
    Ok(entries)
}

/// One value by its kind: what validation needs of data, and the `typeof` of anything
/// else (a function, a symbol, an object: its members are never read).
fn option_value(value: &JsValue) -> OptionValue {
    if value.is_null() || value.is_undefined() {
        OptionValue::Null
    } else if let Some(flag) = value.as_bool() {
        OptionValue::Bool(flag)
    } else if let Some(number) = value.as_f64() {
        OptionValue::Number(number)
    } else if value.is_bigint() {
        // `app: 12n`: its number (rounded past 2^53, which the range checks then refuse;
        // NaN past i64, refused as not whole).
        OptionValue::Number(i64::try_from(value.clone()).map_or(f64::NAN, |number| number as f64))
    } else if let Some(text) = value.as_string() {
        OptionValue::Str(text)
    } else if Array::is_array(value) {
        let mut list = Vec::new();
        for item in value.unchecked_ref::<Array>().iter() {
            list.push(option_value(&item));
        }
        OptionValue::List(list)
    } else {
        OptionValue::Other(value.js_typeof().as_string().unwrap_or_default())
    }
}
