//! A kintone answer as JavaScript holds it; records never become Rust data.

use js_sys::{Array, Float64Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::convert::{member, member_named};
use crate::transport::{Answer, FieldInfo};

/// The answer object, its `records` array when it has one, and their ids.
pub struct JsAnswer {
    answer: JsValue,
    records: Option<Array>,
    /// Every record's `$id` (NaN where it has none), read by the facade's `recordIds` in
    /// one call per page: reading them one by one through `Reflect` cost four crossings
    /// and a string copy per record, about a tenth of a read's CPU at 0 ms latency.
    ids: Vec<f64>,
    /// `"value"`, made once per page for the key values read from records.
    value_key: JsValue,
}


/// A string, or a number written by JavaScript (no float formatting in the wasm).
fn text(value: &JsValue) -> Option<String> {
    value.as_string().or_else(|| value.as_f64().map(|_| String::from(js_sys::JsString::from(value.clone()))))
}

/// kintone writes counts and ids as strings (`"14"`); a number is taken too.
fn whole_number(value: &JsValue) -> Option<u64> {
    if let Some(text) = value.as_string() {
        return text.parse().ok();
    }
    value.as_f64().filter(|n| n.fract() == 0.0 && *n >= 0.0).map(|n| n as u64)
}

impl JsAnswer {
    /// Wraps kintone's answer; `record_ids` (the facade's `recordIds`) reads the ids.
    pub fn new(answer: JsValue, record_ids: &Function) -> Self {
        let records = member_named(&answer, "records");
        let records: Option<Array> = Array::is_array(&records).then(|| records.unchecked_into());
        let ids = match &records {
            Some(records) => record_ids.call1(&JsValue::NULL, records).map_or_else(|_| Vec::new(), |ids| ids.unchecked_into::<Float64Array>().to_vec()),
            None => Vec::new(),
        };
        JsAnswer { answer, records, ids, value_key: "value".into() }
    }

    /// The records array, handed to the caller untouched.
    pub fn into_records(self) -> Array {
        self.records.unwrap_or_default()
    }

    fn record(&self, index: usize) -> JsValue {
        self.records.as_ref().map_or(JsValue::UNDEFINED, |records| records.get(index as u32))
    }
}

impl Answer for JsAnswer {
    fn len(&self) -> usize {
        self.records.as_ref().map_or(0, |records| records.length() as usize)
    }

    fn has_records(&self) -> bool {
        self.records.is_some()
    }

    fn record_id(&self, index: usize) -> Option<u64> {
        // NaN (no whole-number `$id`) fails the comparison.
        self.ids.get(index).copied().filter(|id| *id >= 0.0).map(|id| id as u64)
    }

    fn record_value(&self, index: usize, field: &str) -> Option<String> {
        text(&member(&member(&self.record(index), &field.into()), &self.value_key))
    }

    fn total_count(&self) -> Option<u64> {
        whole_number(&member_named(&self.answer, "totalCount"))
    }

    fn string(&self, key: &str) -> Option<String> {
        member_named(&self.answer, key).as_string()
    }

    fn flag(&self, key: &str) -> Option<bool> {
        member_named(&self.answer, key).as_bool()
    }

    fn form_fields(&self) -> Vec<FieldInfo> {
        let properties = member_named(&self.answer, "properties");
        if !properties.is_object() {
            return Vec::new();
        }
        // A loop rather than `filter_map(..).collect()`, whose iterator code is larger in the wasm.
        let mut fields = Vec::new();
        for field in Object::values(properties.unchecked_ref()).iter() {
            let Some(code) = member_named(&field, "code").as_string() else { continue };
            let Some(field_type) = member_named(&field, "type").as_string() else { continue };
            // kintone writes `required` as a boolean; a "true" string is taken too.
            let required = member_named(&field, "required");
            let required = required.as_bool().unwrap_or_else(|| required.as_string().as_deref() == Some("true"));
            fields.push(FieldInfo { code, field_type, required, options: options_in_order(&member_named(&field, "options")) });
        }
        fields
    }

    fn retain_records(&mut self, keep: &[bool]) {
        let Some(records) = &self.records else { return };
        let kept = Array::new();
        let mut ids = Vec::new();
        for (index, record) in records.iter().enumerate() {
            if keep.get(index).copied().unwrap_or(true) {
                kept.push(&record);
                ids.push(self.ids.get(index).copied().unwrap_or(f64::NAN));
            }
        }
        self.records = Some(kept);
        self.ids = ids;
    }

    fn strip_fields(&mut self, fields: &[String]) {
        let Some(records) = &self.records else { return };
        let keys: Vec<JsValue> = fields.iter().map(|field| JsValue::from_str(field)).collect();
        for record in records.iter().filter(JsValue::is_object) {
            for key in &keys {
                let _ = Reflect::delete_property(record.unchecked_ref::<Object>(), key);
            }
        }
    }
}

/// A selection field's option labels sorted by their `index` (kintone sends the options
/// as an object keyed by label, whose key order is no guide). Insertion keeps the wasm
/// free of a sort routine; a form has few options.
fn options_in_order(options: &JsValue) -> Vec<String> {
    let mut ranked: Vec<(u32, String)> = Vec::new();
    if !options.is_object() {
        return Vec::new();
    }
    for option in Object::values(options.unchecked_ref()).iter() {
        let Some(label) = member_named(&option, "label").as_string() else { continue };
        let index = member_named(&option, "index");
        let index = index.as_string().and_then(|text| text.parse().ok()).or_else(|| index.as_f64().map(|n| n as u32)).unwrap_or(u32::MAX);
        let at = ranked.iter().position(|(other, _)| *other > index).unwrap_or(ranked.len());
        ranked.insert(at, (index, label));
    }
    let mut labels = Vec::with_capacity(ranked.len());
    for (_, label) in ranked {
        labels.push(label);
    }
    labels
}
