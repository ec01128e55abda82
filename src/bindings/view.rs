//! `currentView()` and `kintoneTransport()`: the kintone page as the read sees it.

use js_sys::{Function, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::convert::{seek_error_to_js, to_js};
use super::kintone::{
    has_kintone_api, kintone_api, kintone_app_get_id, kintone_app_get_query, kintone_app_get_query_condition,
    kintone_mobile_app_get_id, kintone_mobile_app_get_query, kintone_mobile_app_get_query_condition,
};
use crate::error::{SeekError, SeekErrorCode};
use crate::query::{parse_query, Direction};

fn not_in_kintone(what: &str) -> JsValue {
    seek_error_to_js(&SeekError::new(
        SeekErrorCode::NoTransport,
        format!("{what} needs a kintone page (`kintone.api` is not defined here)."),
    ))
}

/// The property that marks the function `kintoneTransport()` makes, so that a read
/// through it keeps the in-kintone defaults.
pub const KINTONE_TRANSPORT_MARK: &str = "kintoneSeekTransport";

/// A `Transport` that sends through the page's `kintone.api`.
#[wasm_bindgen(js_name = kintoneTransport)]
pub fn kintone_transport() -> Result<Function, JsValue> {
    if !has_kintone_api() {
        return Err(not_in_kintone("kintoneTransport()"));
    }
    let send = Closure::<dyn Fn(String, String, JsValue) -> Promise>::new(|path: String, method: String, params: JsValue| {
        // A synchronous throw of `kintone.api` becomes a rejection, as callers expect of a transport.
        kintone_api(&path, &method, &params)
            .map(|answer| Promise::resolve(&answer))
            .unwrap_or_else(|error| Promise::reject(&error))
    });
    let function: Function = send.into_js_value().unchecked_into();
    let _ = Reflect::set(&function, &KINTONE_TRANSPORT_MARK.into(), &"kintone".into());
    Ok(function)
}

/// The list view on screen: its app, condition and order, without its `limit`/`offset`.
#[wasm_bindgen(js_name = currentView)]
pub fn current_view() -> Result<JsValue, JsValue> {
    if !has_kintone_api() {
        return Err(not_in_kintone("currentView()"));
    }
    let not_a_list = || {
        seek_error_to_js(&SeekError::option(
            "currentView() reads the record list on screen: call it on an app's record list page \
             (app.record.index.show, or mobile.app.record.index.show on mobile).",
        ))
    };
    // A PC list page answers under `kintone.app`; a mobile one under `kintone.mobile.app`.
    let (app, query, condition) = list_view(kintone_app_get_id, kintone_app_get_query, kintone_app_get_query_condition)
        .or_else(|| list_view(kintone_mobile_app_get_id, kintone_mobile_app_get_query, kintone_mobile_app_get_query_condition))
        .ok_or_else(not_a_list)?;
    let parsed = parse_query(&query).map_err(|error| {
        seek_error_to_js(&SeekError::query(format!("the list view's query does not parse ({error}): {query}")))
    })?;
    let condition = condition.unwrap_or(parsed.condition_text);
    // With no `order by`, kintone sorts `$id desc`: say so, so the read keeps the view's order.
    let order_by = if parsed.order_by.is_empty() {
        "$id desc".to_string()
    } else {
        // Pushed piece by piece: a `format!` per key, collected and joined, is larger in the wasm.
        let mut order_by = String::new();
        for (index, key) in parsed.order_by.iter().enumerate() {
            if index > 0 {
                order_by.push_str(", ");
            }
            order_by.push_str(&key.field);
            order_by.push_str(match key.direction {
                Some(Direction::Asc) => " asc",
                Some(Direction::Desc) => " desc",
                None => "",
            });
        }
        order_by
    };
    Ok(to_js(&View { app: app.as_f64().unwrap_or_default(), condition, order_by }))
}

/// What `currentView()` answers.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct View {
    app: f64,
    condition: String,
    order_by: String,
}

type Getter = fn() -> Result<JsValue, JsValue>;

/// The app id, whole query and condition of a list page, when these getters give a list
/// (a missing namespace throws, a page that is not a list answers `null`).
fn list_view(get_id: Getter, get_query: Getter, get_condition: Getter) -> Option<(JsValue, String, Option<String>)> {
    let app = get_id().ok().filter(|id| id.as_f64().is_some())?;
    let query = get_query().ok().and_then(|query| query.as_string())?;
    let condition = get_condition().ok().and_then(|condition| condition.as_string());
    Some((app, query, condition))
}
