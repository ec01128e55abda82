//! `SeekReader.localOrder()`: a local sort's keys and checks, as the plain object
//! js/local-sort.ts reads. Built with `Reflect` rather than serde-wasm-bindgen, whose
//! derived serializers for these structs cost about 1 KB gzip more in the single file.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::local_order::{KeyKind, LocalOrder};

fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &key.into(), value);
}

fn strings(values: &[String]) -> Array {
    values.iter().map(|value| JsValue::from_str(value)).collect()
}

fn ids(values: &[u64]) -> Array {
    values.iter().map(|&id| JsValue::from_f64(id as f64)).collect()
}

/// `{ keys: [{ field, descending, kind, options? }], added, first, last }`.
pub fn local_order_to_js(order: &LocalOrder) -> JsValue {
    let keys: Array = order
        .keys
        .iter()
        .map(|key| {
            let object = Object::new();
            set(&object, "field", &key.field.as_str().into());
            set(&object, "descending", &key.descending.into());
            let kind = match &key.kind {
                KeyKind::Text => "text",
                KeyKind::Decimal => "decimal",
                KeyKind::Rank(options) => {
                    set(&object, "options", &strings(options));
                    "rank"
                }
                KeyKind::Id => "id",
            };
            set(&object, "kind", &kind.into());
            JsValue::from(object)
        })
        .collect();
    let object = Object::new();
    set(&object, "keys", &keys);
    set(&object, "added", &strings(&order.added));
    set(&object, "first", &ids(&order.first));
    set(&object, "last", &ids(&order.last));
    object.into()
}
