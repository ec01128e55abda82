//! The `kintone` globals of a kintone page. Each is imported with `catch`: outside
//! kintone the global is missing, and a synchronous throw through a binding without
//! `catch` aborts the whole wasm instance.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    // The page's REST client: sends the session and CSRF token, switches long GETs to POST.
    #[wasm_bindgen(js_namespace = kintone, js_name = api, catch)]
    pub fn kintone_api(path: &str, method: &str, params: &JsValue) -> Result<JsValue, JsValue>;

    // Gives the guest-space form of a path when the page is in a guest space.
    #[wasm_bindgen(js_namespace = ["kintone", "api"], js_name = url, catch)]
    pub fn kintone_api_url(path: &str, detect_guest_space: bool) -> Result<JsValue, JsValue>;
}

/// Whether this page has `kintone.api`, i.e. runs inside kintone.
pub fn has_kintone_api() -> bool {
    Reflect::get(&js_sys::global(), &"kintone".into())
        .ok()
        .filter(|kintone| kintone.is_object())
        .and_then(|kintone| Reflect::get(&kintone, &"api".into()).ok())
        // `typeof` rather than `instanceof`: a function from another realm (an iframe) counts.
        .is_some_and(|api| api.is_function())
}
