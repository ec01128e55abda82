//! `limit`/`offset` paging: any order, no cursor, but kintone refuses an offset past
//! 10,000, so it serves at most 10,000 matching records (plus the last page).
//!
//! Others' writes move records across page boundaries: a deletion before the boundary
//! slides a record back over it, an insertion pushes one forward. So each page after the
//! first re-reads a few records before the boundary (`overlap`) and re-anchors on the
//! last records already delivered, found again with the same sort key values: records
//! after the anchor are new; records before it are not delivered again. Once a record
//! with an unchanged key is found, every record that matched throughout and sorts
//! before it was delivered already, and every one after it up to the page's end is in
//! the page: none is skipped. When no anchor is found the page lies past the boundary
//! (more deletions than the overlap): the overlap widens, down to offset 0 if need be;
//! or wholly before it (many insertions): the read moves on from the page's end.

use crate::error::SeekError;
use crate::limits::{MAX_OFFSET, RECORDS_PATH};
use crate::options::ReadOptions;
use crate::paths::api_path;
use crate::plan::{and_condition, order_clause, query_text, SortKey};
use crate::seek::fields_with;
use crate::transport::{Answer, ParamValue, Request};

/// A record delivered last: its id and its sort key values (`$id` excluded).
pub type Placed = (u64, Vec<Option<String>>);

/// Re-anchoring requests in a row after which the read gives up (others write faster
/// than it can read).
const MAX_REANCHORS: u32 = 40;

/// The offset paginator's state.
#[derive(Debug, Clone)]
pub struct OffsetPaginator {
    path: String,
    app: ParamValue,
    fields: Option<Vec<String>>,
    added: Vec<String>,
    condition: String,
    keys: Vec<SortKey>,
    page_size: u32,
    /// Where the first record not yet read stood when last seen.
    next: u64,
    overlap: u64,
    /// The records of the last page read past its anchor, in order.
    tail: Vec<Placed>,
    /// The offset of the request in flight.
    start: u64,
    reanchors: u32,
    done: bool,
}

/// The error for more matching records than offset paging can reach.
pub fn too_many_for_offset(total: u64) -> SeekError {
    SeekError::option(format!(
        "{total} records match, and offset paging stops at {MAX_OFFSET} (kintone refuses a larger offset). \
         Read in `$id` order (leave `orderBy` out) with the seek method, or use `method: \"cursor\"`."
    ))
}

/// The fields an offset (or cursor) read needs beside the caller's: the keys and `$id`.
pub fn key_fields(keys: &[SortKey]) -> Vec<&str> {
    keys.iter().map(|key| key.field.as_str()).collect()
}

/// The id and key values of each record of `answer` from `from` on.
pub fn placed<A: Answer>(answer: &A, keys: &[SortKey], from: usize) -> Vec<Placed> {
    // A loop rather than `filter_map(..).collect()`, whose iterator code is larger in the wasm.
    let mut placed = Vec::new();
    for index in from..answer.len() {
        if let Some(id) = answer.record_id(index) {
            placed.push((id, keys[..keys.len() - 1].iter().map(|key| answer.record_value(index, &key.field)).collect()));
        }
    }
    placed
}

impl OffsetPaginator {
    /// Continues an offset read after a first page (read in the keys' order, with the
    /// key fields) that held `tail`; `total` is the count taken with it.
    pub fn after_first(options: &ReadOptions, keys: &[SortKey], tail: Vec<Placed>, total: Option<u64>) -> Result<Self, SeekError> {
        if let Some(total) = total.filter(|total| *total > MAX_OFFSET) {
            return Err(too_many_for_offset(total));
        }
        let (fields, added) = fields_with(options, &key_fields(keys));
        Ok(OffsetPaginator {
            path: api_path(RECORDS_PATH, options.guest_space_id),
            app: options.app.clone(),
            fields,
            added,
            condition: and_condition(&options.condition, None),
            keys: keys.to_vec(),
            page_size: options.page_size,
            next: tail.len() as u64,
            overlap: Self::least_overlap(options.page_size),
            done: tail.len() < options.page_size as usize,
            tail,
            start: 0,
            reanchors: 0,
        })
    }

    /// A tenth of a page (at least one record): what a page re-reads to find its anchor.
    fn least_overlap(page_size: u32) -> u64 {
        u64::from(page_size / 10).max(1)
    }

    /// The fields the library added and must remove from delivered records.
    pub fn added_fields(&self) -> &[String] {
        &self.added
    }

    /// The next request, `None` when done, or an error when it would pass kintone's offset wall.
    pub fn next_request(&mut self) -> Result<Option<Request>, SeekError> {
        if self.done {
            return Ok(None);
        }
        self.start = self.next.saturating_sub(self.overlap);
        if self.start > MAX_OFFSET {
            return Err(SeekError::protocol(format!(
                "more than {MAX_OFFSET} records came to match during the read, past what offset paging can reach; \
                 read again, or with the seek method in `$id` order."
            )));
        }
        let clauses = format!("{} limit {} offset {}", order_clause(&self.keys), self.page_size, self.start);
        let query = query_text(&self.condition, &clauses);
        Ok(Some(Request::records_get(self.path.clone(), &self.app, query, self.fields.clone())))
    }

    /// Places a page: answers which of its records are new (after the anchor). The reader
    /// still drops any of them already delivered.
    pub fn accept<A: Answer>(&mut self, answer: &A, delivered: impl Fn(u64) -> bool) -> Result<Vec<bool>, SeekError> {
        let len = answer.len();
        let full = len >= self.page_size as usize;
        let anchor = self.anchor(answer);
        let from = match anchor {
            Some(index) => index + 1,
            None if self.start == 0 => 0,
            None => {
                self.reanchors += 1;
                if self.reanchors > MAX_REANCHORS {
                    return Err(SeekError::protocol(format!(
                        "records were inserted and deleted faster than offset paging could place its pages \
                         ({MAX_REANCHORS} pages in a row without one record read before); read again."
                    )));
                }
                let last_delivered = len.checked_sub(1).and_then(|i| answer.record_id(i)).is_some_and(&delivered);
                if last_delivered && full {
                    // The whole page sorts before the boundary: records were inserted before it.
                    self.next = self.start + len as u64;
                } else if last_delivered {
                    self.done = true;
                } else {
                    // The page starts past the boundary: re-read from further back.
                    self.overlap = self.overlap.saturating_mul(4).min(self.next);
                }
                return Ok(vec![false; len]);
            }
        };
        self.reanchors = 0;
        self.overlap = Self::least_overlap(self.page_size);
        self.next = self.start + len as u64;
        let fresh = placed(answer, &self.keys, from);
        if !fresh.is_empty() {
            self.tail = fresh;
        }
        self.done = !full;
        Ok((0..len).map(|index| index >= from).collect())
    }

    /// The index of the last record of the previous page found again with the same key
    /// values, trying the latest first.
    fn anchor<A: Answer>(&self, answer: &A) -> Option<usize> {
        // A linear search of the page's ids: at most 500 by 500 comparisons a page, where
        // a hash map would add its hashing to the wasm, `sort_unstable` its quicksort
        // (about 1.5 KB gzip) and even a `BinaryHeap` 0.25 KB.
        let ids: Vec<Option<u64>> = (0..answer.len()).map(|i| answer.record_id(i)).collect();
        let keys = &self.keys[..self.keys.len() - 1];
        self.tail.iter().rev().find_map(|(id, values)| {
            let index = ids.iter().position(|found| *found == Some(*id))?;
            let same = keys.iter().zip(values).all(|(key, value)| answer.record_value(index, &key.field) == *value);
            same.then_some(index)
        })
    }
}

/// A light records GET: at most one record matching the condition, `$id` only; with
/// `total_count`, kintone also counts every match.
pub fn light_request(options: &ReadOptions, total_count: bool) -> Request {
    let query = query_text(&and_condition(&options.condition, None), "limit 1");
    let path = api_path(RECORDS_PATH, options.guest_space_id);
    let mut request = Request::records_get(path, &options.app, query, Some(vec!["$id".into()]));
    if total_count {
        request.params.push(("totalCount", ParamValue::Bool(true)));
    }
    request
}

#[cfg(test)]
#[path = "offset_tests.rs"]
mod tests;
