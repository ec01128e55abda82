//! kintone's error answers: JSON `{code, id, message}` (+ `errors`), `id` random per
//! request, the HTTP status of docs/KINTONE.md.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::lang::t;

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub errors: Option<Value>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::from_u16(status).unwrap(), code, message: message.into(), errors: None }
    }
    /// 400 CB_VA01 with `errors.<key>.messages`.
    pub fn validation(key: &str, message: impl Into<String>) -> ApiError {
        let message = message.into();
        let mut e = ApiError::new(400, "CB_VA01", t("入力内容が正しくありません。", "Missing or invalid input."));
        e.errors = Some(json!({ key: { "messages": [message] } }));
        e
    }
    pub fn query_syntax(message: impl Into<String>) -> ApiError {
        ApiError::validation("query", message)
    }
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(400, "CB_IL02", message)
    }
    pub fn app_not_found(app: &str) -> ApiError {
        ApiError::new(404, "GAIA_AP01", t(format!("指定したアプリ（id: {app}）が見つかりません。削除されている可能性があります。"), format!("The app (ID: {app}) not found. The app may have been deleted.")))
    }
    pub fn no_permission() -> ApiError {
        ApiError::new(403, "CB_NO02", t("権限がありません。", "No privilege to proceed."))
    }
    pub fn body(&self) -> Value {
        let mut body = json!({ "code": self.code, "id": random_id(), "message": self.message });
        if let Some(errors) = &self.errors {
            body["errors"] = errors.clone();
        }
        body
    }
}

/// A random error id, like kintone's (20 alphanumerics).
pub fn random_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..20].to_string()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body())).into_response()
    }
}
