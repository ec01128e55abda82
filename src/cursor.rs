//! The cursor API as requests: create, read until `next: false`, delete when the read
//! ends any other way. A cursor holds one of the domain's 10 for up to 10 minutes after
//! its last GET, so every exit path must delete it.

use crate::options::ReadOptions;
use crate::paths::api_path;
use crate::plan::{and_condition, order_clause, query_text, SortKey};
use crate::seek::fields_with;
use crate::transport::{Method, ParamValue, Request};

/// The cursor API's path (guest apps use the guest form).
pub const CURSOR_PATH: &str = "/k/v1/records/cursor.json";

/// kintone's code for the 11th live cursor of a domain (HTTP 429).
pub const TOO_MANY_CURSORS: &str = "GAIA_TM12";

/// kintone's code for an unknown, finished, expired or deleted cursor (HTTP 404): a
/// delete that meets it has nothing left to release.
pub const CURSOR_GONE: &str = "GAIA_CN01";

/// The requests of one cursor read.
#[derive(Debug, Clone)]
pub struct CursorRequests {
    path: String,
    app: ParamValue,
    fields: Option<Vec<String>>,
    /// `$id`, when the caller's `fields` leave it out: every record is checked against
    /// the ids already delivered.
    added: Vec<String>,
    query: String,
    size: u32,
}

impl CursorRequests {
    /// The cursor read for validated options in the keys' order.
    pub fn new(options: &ReadOptions, keys: &[SortKey]) -> Self {
        let (fields, added) = fields_with(options, &["$id"]);
        CursorRequests {
            path: api_path(CURSOR_PATH, options.guest_space_id),
            app: options.app.clone(),
            fields,
            added,
            query: query_text(&and_condition(&options.condition, None), &order_clause(keys)),
            size: options.page_size,
        }
    }

    /// The fields the library added and must remove from delivered records.
    pub fn added_fields(&self) -> &[String] {
        &self.added
    }

    /// POST: creates the cursor (`limit`/`offset` are not allowed in its query).
    pub fn create(&self) -> Request {
        let mut params = vec![("app", self.app.clone())];
        if let Some(fields) = &self.fields {
            params.push(("fields", ParamValue::List(fields.clone())));
        }
        params.push(("query", ParamValue::Str(self.query.clone())));
        params.push(("size", ParamValue::Int(u64::from(self.size))));
        Request { path: self.path.clone(), method: Method::Post, params }
    }

    /// GET: the next page of the cursor.
    pub fn read(&self, id: &str) -> Request {
        Request { path: self.path.clone(), method: Method::Get, params: vec![("id", ParamValue::Str(id.into()))] }
    }

    /// DELETE: releases the cursor.
    pub fn delete(&self, id: &str) -> Request {
        Request { path: self.path.clone(), method: Method::Delete, params: vec![("id", ParamValue::Str(id.into()))] }
    }
}
