//! An API request as the handlers see it: the effective method (after
//! `X-HTTP-Method-Override`), the guest space of the path, the endpoint, and the
//! parameters from the query string (`fields[0]=a`) or the JSON body.

use axum::http::{HeaderMap, Method};
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::lang::t;

/// Indexes a query-string array may use (`fields[0]` .. `fields[99]`).
pub const MAX_QUERY_INDEX: usize = 100;
/// Field codes a JSON body's `fields` may hold.
pub const MAX_BODY_FIELDS: usize = 1000;

#[derive(Debug, Clone)]
pub struct ApiRequest {
    /// GET, POST, PUT or DELETE, after the override.
    pub method: Method,
    /// The HTTP method on the wire.
    pub wire_method: Method,
    /// `Some(space)` for `/k/guest/{space}/v1/...`.
    pub guest: Option<u64>,
    /// The path after `v1/`, e.g. `records/cursor.json`.
    pub endpoint: String,
    pub params: Map<String, Value>,
    pub headers: HeaderMap,
}

/// `/k/v1/records.json` -> (None, "records.json"); `/k/guest/5/v1/x.json` -> (Some(5), "x.json").
pub fn split_path(path: &str) -> Option<(Option<u64>, String)> {
    if let Some(rest) = path.strip_prefix("/k/v1/") {
        return Some((None, rest.to_string()));
    }
    let rest = path.strip_prefix("/k/guest/")?;
    let (space, rest) = rest.split_once('/')?;
    let rest = rest.strip_prefix("v1/")?;
    Some((Some(space.parse().ok()?), rest.to_string()))
}

/// `a=1&fields[0]=x&fields[1]=y` -> `{"a":"1","fields":["x","y"]}`.
pub fn parse_query_string(qs: &str) -> ApiResult<Map<String, Value>> {
    let mut out = Map::new();
    let mut arrays: Vec<(String, usize, String)> = vec![];
    for (k, v) in form_urlencoded::parse(qs.as_bytes()) {
        if let Some((name, idx)) = k.strip_suffix(']').and_then(|k| k.split_once('[')) {
            let i: usize = idx.parse().map_err(|_| ApiError::bad_request(format!("bad parameter {k}")))?;
            if i >= MAX_QUERY_INDEX {
                return Err(ApiError::validation(
                    &format!("{name}[{i}]"),
                    t("クエリ文字列の配列には100件までしか指定できません。JSONのリクエストボディを使ってください。", "A query-string array takes at most 100 items; use a JSON request body."),
                ));
            }
            arrays.push((name.to_string(), i, v.into_owned()));
        } else {
            out.insert(k.into_owned(), Value::String(v.into_owned()));
        }
    }
    arrays.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    for (name, _, v) in arrays {
        let entry = out.entry(name).or_insert_with(|| Value::Array(vec![]));
        if let Value::Array(items) = entry {
            items.push(Value::String(v));
        }
    }
    Ok(out)
}

pub fn build(wire_method: Method, path: &str, query: Option<&str>, headers: HeaderMap, body: &[u8]) -> ApiResult<ApiRequest> {
    let (guest, endpoint) = split_path(path).ok_or_else(|| ApiError::new(404, "CB_NO01", "not an API path"))?;
    let override_get = wire_method == Method::POST
        && headers.get("x-http-method-override").and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("GET"));
    let method = if override_get { Method::GET } else { wire_method.clone() };
    let json_type = headers.get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("json"));
    let mut params = parse_query_string(query.unwrap_or(""))?;
    let body_text = std::str::from_utf8(body).map_err(|_| ApiError::bad_request("the body is not UTF-8"))?;
    if body_text.trim().is_empty() {
        if json_type && wire_method == Method::GET {
            return Err(ApiError::bad_request(t("リクエストの形式が正しくありません。(a GET with a JSON content type and no body)", "The request format is not valid. (a GET with a JSON content type and no body)")));
        }
    } else {
        let parsed: Value = serde_json::from_str(body_text).map_err(|e| ApiError::bad_request(t(format!("リクエストの形式が正しくありません。{e}"), format!("The request format is not valid. {e}"))))?;
        match parsed {
            Value::Object(m) => {
                if m.get("fields").and_then(Value::as_array).is_some_and(|f| f.len() > MAX_BODY_FIELDS) {
                    return Err(ApiError::validation("fields", t("fieldsには1000個までのフィールドコードを指定できます。", "fields takes at most 1000 field codes.")));
                }
                params.extend(m)
            }
            _ => return Err(ApiError::bad_request("the body is not a JSON object")),
        }
    }
    Ok(ApiRequest { method, wire_method, guest, endpoint, params, headers })
}

impl ApiRequest {
    /// A scalar parameter as text.
    pub fn str(&self, key: &str) -> Option<String> {
        match self.params.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
    pub fn bool(&self, key: &str) -> bool {
        matches!(self.str(key).as_deref(), Some("true" | "1"))
    }
    pub fn list(&self, key: &str) -> Option<Vec<String>> {
        match self.params.get(key)? {
            Value::Array(items) => Some(
                items
                    .iter()
                    .filter_map(|v| match v {
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => None,
        }
    }
    /// The `app` parameter (CB_VA01 when missing or not a number).
    pub fn app(&self) -> ApiResult<u64> {
        let s = self.str("app").ok_or_else(|| ApiError::validation("app", t("必須です。", "Required field.")))?;
        s.parse().map_err(|_| ApiError::validation("app", t("数値を指定してください。", "Enter a number.")))
    }
    /// A non-negative integer parameter.
    pub fn uint(&self, key: &str) -> ApiResult<Option<u64>> {
        match self.str(key) {
            None => Ok(None),
            Some(s) => s.parse().map(Some).map_err(|_| ApiError::validation(key, t("数値を指定してください。", "Enter a number."))),
        }
    }
}
