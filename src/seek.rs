//! Seek (keyset) pagination on `$id`, as a state machine with no I/O: it says which
//! request to send next and checks each answer.
//!
//! `(condition) and $id > LAST order by $id asc limit N`, repeated with the last id of
//! each page. The user's condition is always wrapped in parentheses because `and` binds
//! tighter than `or` in kintone's language. A read ends on a short page, never on the
//! count taken at the start: records start and stop matching while the read goes on.

use crate::error::SeekError;
use crate::limits::RECORDS_PATH;
use crate::options::ReadOptions;
use crate::paths::api_path;
use crate::plan::ID_FIELD;
use crate::transport::{Method, Page, ParamValue, Request};

/// The seek paginator's state.
#[derive(Debug, Clone)]
pub struct SeekPaginator {
    path: String,
    app: ParamValue,
    condition: String,
    descending: bool,
    page_size: u32,
    fields: Option<Vec<String>>,
    strip_id: bool,
    last_id: Option<u64>,
    pages: u64,
    done: bool,
}

impl SeekPaginator {
    /// A paginator for validated options, in the given direction.
    pub fn new(options: &ReadOptions, descending: bool) -> Self {
        // `$id` is needed to continue; it is added when the caller's list lacks it and
        // removed again from what the caller gets.
        let strip_id = matches!(&options.fields, Some(fields) if !fields.iter().any(|f| f == ID_FIELD));
        let fields = options.fields.clone().map(|mut fields| {
            if strip_id {
                fields.push(ID_FIELD.to_string());
            }
            fields
        });
        SeekPaginator {
            path: api_path(RECORDS_PATH, options.guest_space_id),
            app: options.app.clone(),
            condition: options.condition.clone(),
            descending,
            page_size: options.page_size,
            fields,
            strip_id,
            last_id: None,
            pages: 0,
            done: false,
        }
    }

    /// Whether `$id` must be removed from delivered records.
    pub fn strips_id(&self) -> bool {
        self.strip_id
    }

    /// Whether the last page has been read.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The query for the page after `last_id` (the first page when `None`).
    pub fn query_after(&self, last_id: Option<u64>) -> String {
        let (op, dir) = if self.descending { ('<', "desc") } else { ('>', "asc") };
        let mut parts: Vec<String> = Vec::with_capacity(3);
        if !self.condition.is_empty() {
            parts.push(format!("({})", self.condition));
        }
        if let Some(last) = last_id {
            parts.push(format!("{ID_FIELD} {op} {last}"));
        }
        let condition = parts.join(" and ");
        let order = format!("order by {ID_FIELD} {dir} limit {}", self.page_size);
        if condition.is_empty() { order } else { format!("{condition} {order}") }
    }

    /// The next request to send, or `None` when the read is complete.
    pub fn next_request(&self) -> Option<Request> {
        if self.done {
            return None;
        }
        let mut params = vec![("app", self.app.clone()), ("query", ParamValue::Str(self.query_after(self.last_id)))];
        if let Some(fields) = &self.fields {
            params.push(("fields", ParamValue::List(fields.clone())));
        }
        // Only the first page asks for the count: it is for progress, never for ending.
        if self.pages == 0 {
            params.push(("totalCount", ParamValue::Bool(true)));
        }
        Some(Request { path: self.path.clone(), method: Method::Get, params })
    }

    /// Checks the answer to the last request and moves past it.
    pub fn accept<P: Page>(&mut self, page: &P) -> Result<(), SeekError> {
        let len = page.len();
        if len > self.page_size as usize {
            return Err(SeekError::protocol(format!(
                "kintone answered {len} records to a request for at most {}.",
                self.page_size
            )));
        }
        let mut last = self.last_id;
        for index in 0..len {
            let id = page.record_id(index).ok_or_else(|| {
                SeekError::protocol(format!(
                    "record {index} of a page has no `$id` (a whole number): the seek method cannot continue without it."
                ))
            })?;
            if let Some(previous) = last {
                let advances = if self.descending { id < previous } else { id > previous };
                if !advances {
                    return Err(SeekError::protocol(format!(
                        "record ids do not {} ({previous} then {id}): kintone did not honour `order by $id`, \
                         and reading on could repeat records forever.",
                        if self.descending { "decrease" } else { "increase" }
                    )));
                }
            }
            last = Some(id);
        }
        self.last_id = last;
        self.pages += 1;
        // A full page may have more behind it; a short one is the end.
        self.done = len < self.page_size as usize;
        Ok(())
    }
}

#[cfg(test)]
#[path = "seek_tests.rs"]
mod tests;
