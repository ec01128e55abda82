//! `limit`/`offset` paging: any order, no cursor, but kintone refuses an offset past
//! 10,000, so it serves at most 10,000 matching records (plus the last page).

use crate::error::SeekError;
use crate::limits::{MAX_OFFSET, RECORDS_PATH};
use crate::options::ReadOptions;
use crate::paths::api_path;
use crate::plan::{and_condition, order_clause, query_text, SortKey};
use crate::transport::{Method, ParamValue, Request};

/// The offset paginator's state.
#[derive(Debug, Clone)]
pub struct OffsetPaginator {
    path: String,
    app: ParamValue,
    fields: Option<Vec<String>>,
    condition: String,
    order: String,
    page_size: u32,
    offset: u64,
    done: bool,
}

/// The error for more matching records than offset paging can reach.
pub fn too_many_for_offset(total: u64) -> SeekError {
    SeekError::option(format!(
        "{total} records match, and offset paging stops at {MAX_OFFSET} (kintone refuses a larger offset). \
         Read in `$id` order (leave `orderBy` out) with the seek method, or use `method: \"cursor\"`."
    ))
}

impl OffsetPaginator {
    /// An offset read for validated options in the keys' order.
    pub fn new(options: &ReadOptions, keys: &[SortKey]) -> Self {
        OffsetPaginator {
            path: api_path(RECORDS_PATH, options.guest_space_id),
            app: options.app.clone(),
            fields: options.fields.clone(),
            condition: and_condition(&options.condition, None),
            order: order_clause(keys),
            page_size: options.page_size,
            offset: 0,
            done: false,
        }
    }

    /// The next request, `None` when done, or an error when it would pass kintone's offset wall.
    pub fn next_request(&self) -> Result<Option<Request>, SeekError> {
        if self.done {
            return Ok(None);
        }
        if self.offset > MAX_OFFSET {
            return Err(SeekError::protocol(format!(
                "more than {MAX_OFFSET} records came to match during the read, past what offset paging can reach; \
                 read again, or with the seek method in `$id` order."
            )));
        }
        let clauses = format!("{} limit {} offset {}", self.order, self.page_size, self.offset);
        let mut params = vec![("app", self.app.clone()), ("query", ParamValue::Str(query_text(&self.condition, &clauses)))];
        if let Some(fields) = &self.fields {
            params.push(("fields", ParamValue::List(fields.clone())));
        }
        if self.offset == 0 {
            params.push(("totalCount", ParamValue::Bool(true)));
        }
        Ok(Some(Request { path: self.path.clone(), method: Method::Get, params }))
    }

    /// Moves past a page of `len` records; the first page's `total` is checked against the wall.
    pub fn accept(&mut self, len: usize, total: Option<u64>) -> Result<(), SeekError> {
        if self.offset == 0 {
            if let Some(total) = total.filter(|total| *total > MAX_OFFSET) {
                return Err(too_many_for_offset(total));
            }
        }
        self.offset += len as u64;
        self.done = len < self.page_size as usize;
        Ok(())
    }
}

/// A light records GET: at most one record matching the condition (and `extra`, when
/// given), `$id` only; with `total_count`, kintone also counts every match.
pub fn light_request(options: &ReadOptions, extra: Option<&str>, total_count: bool) -> Request {
    let condition = and_condition(&options.condition, extra);
    let mut params = vec![
        ("app", options.app.clone()),
        ("query", ParamValue::Str(query_text(&condition, "limit 1"))),
        ("fields", ParamValue::List(vec!["$id".into()])),
    ];
    if total_count {
        params.push(("totalCount", ParamValue::Bool(true)));
    }
    Request { path: api_path(RECORDS_PATH, options.guest_space_id), method: Method::Get, params }
}
