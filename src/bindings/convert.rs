//! Conversions at the boundary, each in one place, through serde-wasm-bindgen: JS options
//! into the core's `OptionValue`s, and the core's progress, views and errors into plain
//! JS objects (`Serializer::json_compatible()`: `None` becomes `null`, structs plain
//! objects). Records never pass through here: they stay the JS objects kintone sent.

use std::fmt;

use js_sys::{Array, Reflect};
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::Serialize;
use serde_wasm_bindgen::{Deserializer, Serializer};
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

/// A value of the core as a plain JS object.
pub fn to_js(value: &impl Serialize) -> JsValue {
    // Nothing the library serializes can fail (no map keys, no numbers past 2^53).
    value.serialize(&Serializer::json_compatible()).unwrap_or(JsValue::UNDEFINED)
}

/// The options object's own entries, as the core validates them, read by
/// serde-wasm-bindgen. The facade has already dropped the members that are `undefined`
/// (absent, to JavaScript) and checked that `options` is an object.
pub fn option_entries(options: &JsValue) -> Result<Vec<(String, OptionValue)>, SeekError> {
    // `typeof`, not `instanceof`: `Object.create(null)` and other realms' objects count.
    if !options.is_object() || Array::is_array(options) {
        return Err(SeekError::option("Options must be an object, e.g. { app: 12 }."));
    }
    let entries = OptionEntries { options };
    entries
        .deserialize(Deserializer::from(options.clone()))
        .map_err(|_| SeekError::option("Options must be a plain object, e.g. { app: 12 }."))
}

/// The entries of the options object, each value an `OptionValue`.
struct OptionEntries<'a> {
    options: &'a JsValue,
}

impl<'de> DeserializeSeed<'de> for OptionEntries<'_> {
    type Value = Vec<(String, OptionValue)>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OptionEntries<'_> {
    type Value = Vec<(String, OptionValue)>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an options object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(name) = members.next_key::<String>()? {
            // What serde cannot describe (`onProgress`, `transport`: functions) keeps its
            // `typeof`, so a function given for `condition` is named as one.
            let value = members
                .next_value::<OptionValue>()
                .unwrap_or_else(|_| OptionValue::Other(member_named(self.options, &name).js_typeof().as_string().unwrap_or_default()));
            entries.push((name, value));
        }
        Ok(entries)
    }
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
