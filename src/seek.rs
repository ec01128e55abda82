//! Seek (keyset) pagination, as a state machine with no I/O: it says which request to
//! send next and checks each answer.
//!
//! `(condition) and $id > LAST order by $id asc limit N`, repeated with the last id of
//! each page; on compound keys `(condition) and (k > V or (k = V and $id > LAST))`. The
//! user's condition is always wrapped in parentheses because `and` binds tighter than
//! `or` in kintone's language. A read ends on a short page, never on the count taken at
//! the start: records start and stop matching while the read goes on.

use std::cmp::Ordering;

use crate::error::SeekError;
use crate::keyset::{after_condition, compare_tuples};
use crate::limits::RECORDS_PATH;
use crate::options::ReadOptions;
use crate::paths::api_path;
use crate::plan::{and_condition, order_clause, query_text, SortKey, ID_FIELD};
use crate::transport::{Answer, ParamValue, Request};
use crate::windows::{window_condition, Window};

/// The seek paginator's state.
#[derive(Debug, Clone)]
pub struct SeekPaginator {
    path: String,
    app: ParamValue,
    condition: String,
    keys: Vec<SortKey>,
    page_size: u32,
    fields: Option<Vec<String>>,
    added: Vec<String>,
    last: Option<Vec<String>>,
    pages: u64,
    /// Records matched at the start (`totalCount`), and records read so far.
    total: Option<u64>,
    fetched: u64,
    /// The next request only confirms the end (see `next_request`).
    confirming: bool,
    /// The last record of the order when the read started (its key values, `$id` last),
    /// when known: a page ending on it ends the read, with no request to confirm the end.
    far: Option<Vec<String>>,
    done: bool,
}

/// The caller's `fields` with the ones the library needs appended, and those it added
/// (to remove them again from what the caller gets).
pub fn fields_with(options: &ReadOptions, needed: &[&str]) -> (Option<Vec<String>>, Vec<String>) {
    let Some(fields) = &options.fields else { return (None, Vec::new()) };
    // Loops rather than iterator chains, whose code is larger in the wasm.
    let mut added = Vec::new();
    for code in needed {
        if !fields.iter().any(|f| f == code) {
            added.push(code.to_string());
        }
    }
    let mut all = fields.clone();
    for code in &added {
        all.push(code.clone());
    }
    (Some(all), added)
}

/// `values` separated by commas. A loop: `[String]::join` would be compiled into the wasm
/// a second time, beside the `[&str]` one the option errors use.
fn listed(values: &[String]) -> String {
    let mut text = String::new();
    for (index, value) in values.iter().enumerate() {
        if index > 0 {
            text.push_str(", ");
        }
        text.push_str(value);
    }
    text
}

/// The `$id` of the record at `index`, which every page the seek reads must give.
fn record_id<A: Answer>(answer: &A, index: usize) -> Result<u64, SeekError> {
    answer.record_id(index).ok_or_else(|| {
        SeekError::protocol(format!(
            "record {index} of a page has no `{ID_FIELD}` (a whole number): the seek method cannot continue without it."
        ))
    })
}

/// The key values of the record at `index` in the order on `keys`, `$id` last. A free
/// function, so that the far-end probe needs no paginator to read them.
pub fn tuple<A: Answer>(keys: &[SortKey], answer: &A, index: usize) -> Result<Vec<String>, SeekError> {
    let id = record_id(answer, index)?;
    let mut tuple = Vec::with_capacity(keys.len());
    for key in &keys[..keys.len() - 1] {
        match answer.record_value(index, &key.field).filter(|value| !value.is_empty()) {
            Some(value) => tuple.push(value),
            None => {
                return Err(SeekError::protocol(format!(
                    "record {id} has no value in `{}`, a key of the seek: a record with an empty key cannot be \
                     placed in the order. Read this order with `method: \"cursor\"`.",
                    key.field
                )))
            }
        }
    }
    tuple.push(id.to_string());
    Ok(tuple)
}

impl SeekPaginator {
    /// A paginator for validated options on these keys (`$id` last).
    pub fn new(options: &ReadOptions, keys: Vec<SortKey>) -> Self {
        let needed: Vec<&str> = keys.iter().map(|key| key.field.as_str()).collect();
        let (fields, added) = fields_with(options, &needed);
        SeekPaginator {
            path: api_path(RECORDS_PATH, options.guest_space_id),
            app: options.app.clone(),
            condition: options.condition.clone(),
            keys,
            page_size: options.page_size,
            fields,
            added,
            last: None,
            pages: 0,
            total: None,
            fetched: 0,
            confirming: false,
            far: None,
            done: false,
        }
    }

    /// A paginator over one part of a read: `condition` instead of the caller's (it
    /// includes it), and the fields of every key of the order (`needed`) beside the
    /// caller's, so that each page says which part its records belong to.
    pub fn for_part(options: &ReadOptions, keys: Vec<SortKey>, condition: String, needed: &[&str]) -> Self {
        let (fields, added) = fields_with(options, needed);
        SeekPaginator { condition, fields, added, ..SeekPaginator::new(options, keys) }
    }

    /// Starts after this record (its key values, `$id` last) instead of at the beginning.
    /// The first request still asks for the count, of what is left.
    pub fn start_after(&mut self, last: Vec<String>) {
        self.last = Some(last);
    }

    /// Asks for exactly these fields and removes none (a scan, or a read sorted by the
    /// caller's side that needs the key fields kept).
    pub fn with_fields(mut self, fields: Option<Vec<String>>) -> Self {
        self.fields = fields;
        self.added = Vec::new();
        self
    }

    /// Whether the next request only confirms the end (`limit 1`, `$id` only).
    pub fn confirming(&self) -> bool {
        self.confirming
    }

    /// The fields the library added and must remove from delivered records.
    pub fn added_fields(&self) -> &[String] {
        &self.added
    }

    /// Whether the last page has been read.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The query for up to `limit` records after `last` (the first page when `None`).
    pub fn query_after(&self, last: Option<&[String]>, limit: u32) -> String {
        let after = last.map(|last| after_condition(&self.keys, last));
        let clauses = format!("{} limit {limit}", order_clause(&self.keys));
        query_text(&and_condition(&self.condition, after.as_deref()), &clauses)
    }

    /// The next request to send, or `None` when the read is complete. After a full page
    /// that brought the count to the total taken at the start, the next request can only
    /// confirm the end (unless records started matching meanwhile), so it asks for the
    /// least it can: one record, `$id` only.
    pub fn next_request(&self) -> Option<Request> {
        if self.done {
            return None;
        }
        let limit = if self.confirming { 1 } else { self.page_size };
        let query = self.query_after(self.last.as_deref(), limit);
        let fields = if self.confirming { Some(vec![ID_FIELD.to_string()]) } else { self.fields.clone() };
        let mut request = Request::records_get(self.path.clone(), &self.app, query, fields);
        // Only the first page asks for the count: it is for progress, never for ending.
        if self.pages == 0 {
            request.params.push(("totalCount", ParamValue::Bool(true)));
        }
        Some(request)
    }

    /// The last record of the order at the start (its key values, `$id` last).
    pub fn set_far_end(&mut self, far: Vec<String>) {
        self.far = Some(far);
    }

    /// Checks the answer to the last request and moves past it. `Ok(false)` when the
    /// answer only confirmed that more records exist: it is not to be delivered, and the
    /// next request reads them.
    pub fn accept<A: Answer>(&mut self, answer: &A) -> Result<bool, SeekError> {
        self.accept_until(answer, answer.len())
    }

    /// As `accept`, for a page whose records from `end` on lie past what this paginator
    /// reads (the empty values after a descending part): the part ends there.
    pub fn accept_until<A: Answer>(&mut self, answer: &A, end: usize) -> Result<bool, SeekError> {
        if !answer.has_records() {
            return Err(SeekError::protocol("kintone's answer has no `records` array."));
        }
        let len = answer.len();
        if self.confirming {
            self.confirming = false;
            self.done = len == 0;
            return Ok(false);
        }
        if len > self.page_size as usize {
            return Err(SeekError::protocol(format!(
                "kintone answered {len} records to a request for at most {}.",
                self.page_size
            )));
        }
        let mut last = self.last.take();
        // By `$id` alone (the commonest read), ids are compared as numbers, with no key
        // tuple built per record.
        let anchored = if self.keys.len() == 1 {
            self.accept_ids(answer, end.min(len), &mut last)?
        } else {
            self.accept_tuples(answer, end.min(len), &mut last)?
        };
        if end.min(len) == self.page_size as usize && !anchored {
            return Err(SeekError::protocol(format!(
                "a whole page of records had an empty key in `{}`: the read cannot place the next page.",
                order_clause(&self.keys)
            )));
        }
        self.last = last;
        if self.pages == 0 {
            self.total = answer.total_count();
        }
        self.pages += 1;
        self.fetched += len as u64;
        // A full page may have more behind it; a short one is the end.
        // Past the last record of the start, only records that started matching (or
        // moved) during the read can follow: none that matched throughout is left.
        self.done = len < self.page_size as usize || end < len || (self.far.is_some() && self.far == self.last);
        self.confirming = !self.done && self.total.is_some_and(|total| self.fetched >= total);
        Ok(true)
    }

    /// `accept_until`'s check: the key tuples of the first `end` records advance past
    /// `last`, which becomes the last of them that can anchor. `true` when one could.
    fn accept_tuples<A: Answer>(&self, answer: &A, end: usize, last: &mut Option<Vec<String>>) -> Result<bool, SeekError> {
        let mut anchored = false;
        for index in 0..end {
            // A key someone cleared during the read: kintone placed the record (empty is
            // the minimum) and it is delivered, but it cannot anchor the next page.
            let cleared = self.keys[..self.keys.len() - 1].iter().any(|key| crate::parts::is_empty_at(answer, index, &key.field));
            if cleared && answer.record_id(index).is_some() {
                continue;
            }
            let tuple = tuple(&self.keys, answer, index)?;
            if let Some(previous) = last.as_deref() {
                if compare_tuples(&self.keys, &tuple, previous) != Ordering::Greater {
                    return Err(self.not_advancing(previous, &tuple));
                }
            }
            *last = Some(tuple);
            anchored = true;
        }
        Ok(anchored)
    }

    /// `accept_until`'s check for a read by `$id` alone: the first `end` ids advance
    /// past `last`, which becomes the last of them. `true` when there was one.
    fn accept_ids<A: Answer>(&self, answer: &A, end: usize, last: &mut Option<Vec<String>>) -> Result<bool, SeekError> {
        let descending = self.keys[0].descending;
        let mut previous: Option<u64> = last.as_ref().and_then(|last| last[0].parse().ok());
        for index in 0..end {
            let id = record_id(answer, index)?;
            if let Some(before) = previous {
                if if descending { id >= before } else { id <= before } {
                    return Err(self.not_advancing(&[before.to_string()], &[id.to_string()]));
                }
            }
            previous = Some(id);
        }
        if end > 0 {
            *last = previous.map(|id| vec![id.to_string()]);
        }
        Ok(end > 0)
    }

    fn not_advancing(&self, previous: &[String], next: &[String]) -> SeekError {
        SeekError::protocol(format!(
            "records do not advance in the order asked for ({} then {}): kintone did not honour `{}`, and reading \
             on could repeat records forever.",
            listed(previous),
            listed(next),
            order_clause(&self.keys)
        ))
    }
}

impl SeekPaginator {
    /// Whether the read seeks on `$id` alone (the only order id windows can serve).
    pub fn on_id_only(&self) -> bool {
        self.keys.len() == 1
    }

    /// Whether the read goes down the ids.
    pub fn descending(&self) -> bool {
        self.keys[self.keys.len() - 1].descending
    }

    fn records_request(&self, condition: &str, clauses: &str, fields: Option<Vec<String>>) -> Request {
        Request::records_get(self.path.clone(), &self.app, query_text(condition, clauses), fields)
    }

    /// The far end of the matching ids at the start (the largest, or the smallest when
    /// descending): where the windows stop having a far bound.
    pub fn far_end_request(&self) -> Request {
        let reverse = if self.descending() { "asc" } else { "desc" };
        let clauses = format!("order by {ID_FIELD} {reverse} limit 1");
        self.records_request(&and_condition(&self.condition, None), &clauses, Some(vec![ID_FIELD.to_string()]))
    }

    /// The page of `window`'s records after `window.after`; with `confirm`, only whether
    /// there is one (`limit 1`, `$id` only).
    pub fn window_request(&self, window: &Window, confirm: bool) -> Request {
        let bounds = window_condition(window, self.descending());
        let (limit, fields) = if confirm { (1, Some(vec![ID_FIELD.to_string()])) } else { (self.page_size, self.fields.clone()) };
        let clauses = format!("{} limit {limit}", order_clause(&self.keys));
        self.records_request(&and_condition(&self.condition, Some(&bounds)), &clauses, fields)
    }

    /// Checks a window's page: ids advance from `window.after` and stay within its far
    /// bound. Answers the rest of the window when the page was full and more may follow.
    pub fn accept_window<A: Answer>(&self, answer: &A, window: &Window) -> Result<Option<Window>, SeekError> {
        if !answer.has_records() {
            return Err(SeekError::protocol("kintone's answer has no `records` array."));
        }
        let len = answer.len();
        if len > self.page_size as usize {
            return Err(SeekError::protocol(format!("kintone answered {len} records to a request for at most {}.", self.page_size)));
        }
        let descending = self.descending();
        let mut previous = window.after;
        for index in 0..len {
            let id = answer.record_id(index).ok_or_else(|| {
                SeekError::protocol(format!("record {index} of a page has no `{ID_FIELD}` (a whole number)."))
            })?;
            let advances = if descending { id < previous } else { id > previous };
            let within = window.until.is_none_or(|until| if descending { id >= until } else { id <= until });
            if !advances || !within {
                return Err(SeekError::protocol(format!(
                    "record {id} is outside the id window asked for ({}): kintone did not honour the condition.",
                    window_condition(window, descending)
                )));
            }
            previous = id;
        }
        let full = len == self.page_size as usize;
        let window_left = window.until != Some(previous);
        Ok((full && window_left).then_some(Window { after: previous, until: window.until }))
    }
}

#[cfg(test)]
#[path = "seek_tests.rs"]
mod tests;
