//! Reads an order in parts (`crate::parts`), one seek per part, in the order's sequence.
//!
//! Two conditions rest on behaviour kintone does not document: `k = ""` for the empty
//! part of a NUMBER/DATE/... key, and `k != ""` for its non-empty part read from its
//! beginning. Each is used only after its answer is checked against what the read has
//! seen: the empty records already delivered (at the start of an ascending order, or
//! after the non-empty records of a descending one) must come first in the empty part's
//! answer, which holds only empty values; a non-empty part never holds an empty value.
//! When a check fails (or kintone refuses the condition), the part's records are found
//! by a scan that rests on nothing unknown: `$id` and the keys only, by `$id` seek; the
//! empty ones are sorted here and fetched by `$id in (...)`, and the non-empty part
//! starts at the least value seen (`k >= "least"`).
//!
//! At the end, when fewer records were delivered than matched at the start, the same
//! scan over the whole view finds any record no part held (a value that is none of the
//! form's options, or a guess that passed its check and was wrong), and fetches it in
//! order. That costs requests, never a record.

use std::cmp::Ordering;

use super::{Reader, Result};
use crate::error::SeekError;
use crate::keyset::{compare_decimals, compare_tuples};
use crate::limits::RECORDS_PATH;
use crate::options::ReadOptions;
use crate::parts::{all_keys, both, compare_records, is_empty_at, part_keys, part_of, parts, selection_condition, Part};
use crate::paths::api_path;
use crate::plan::{and_condition, order_clause, query_text, PartPlan, SortKey, ID_FIELD};
use crate::query::quote_string;
use crate::seek::{fields_with, tuple, SeekPaginator};
use crate::transport::{Answer, Request, Transport};

/// Where the non-empty part of an ascending order starts when read from its beginning.
#[derive(Debug, Clone, PartialEq, Eq)]
enum NonEmptyStart {
    /// `k != ""`, checked on every page.
    Guess,
    /// A condition a scan found: `k >= "least"`.
    From(String),
    /// The scan found no non-empty value: nothing to read.
    Nothing,
}

/// A read in parts.
pub(super) struct PartsRead {
    plan: PartPlan,
    parts: Vec<Part>,
    /// The part being read, and its paginator once started.
    index: usize,
    seek: Option<SeekPaginator>,
    /// Where the current part starts when not at its beginning (the first page's last record).
    after: Option<Vec<String>>,
    /// Records of the coming empty part delivered already, in order.
    seen_empty: Vec<u64>,
    /// The coming empty part was delivered whole already.
    empty_done: bool,
    /// The current part's first answer tests `k = ""`.
    checking: bool,
    non_empty_start: NonEmptyStart,
    /// Records to fetch by id before anything else, in this order, with the condition
    /// and order that select them.
    fetch: Vec<u64>,
    fetch_at: usize,
    fetch_extra: Option<String>,
    fetch_keys: Vec<SortKey>,
    /// Matches counted at the start, and whether the end's sweep ran.
    view_total: Option<u64>,
    swept: bool,
    /// The field of every key, and those of them the caller did not ask for.
    needed: Vec<String>,
    added: Vec<String>,
}

impl PartsRead {
    /// Continues after the first page (full, in the order), which holds the read's first
    /// parts, or the start of one.
    pub(super) fn after_first<A: Answer>(options: &ReadOptions, plan: PartPlan, first: &A) -> std::result::Result<Self, SeekError> {
        let parts = parts(&plan);
        let needed: Vec<String> = all_keys(&plan).into_iter().map(|key| key.field).collect();
        let needed_refs: Vec<&str> = needed.iter().map(String::as_str).collect();
        let (_, added) = fields_with(options, &needed_refs);
        let last = first.len() - 1;
        let (index, after, seen_empty) = match part_of(&plan, &parts, first, last) {
            // An empty part is read from its beginning, checked against the records of it
            // the page holds.
            Some(part) if parts[part].empty == Some(true) => {
                let mut seen = Vec::new();
                for index in 0..first.len() {
                    if part_of(&plan, &parts, first, index) == Some(part) {
                        seen.extend(first.record_id(index));
                    }
                }
                (part, None, seen)
            }
            Some(part) => (part, Some(tuple(&part_keys(&plan, &parts[part]), first, last)?), Vec::new()),
            None => (0, None, Vec::new()),
        };
        Ok(PartsRead {
            plan,
            parts,
            index,
            seek: None,
            after,
            seen_empty,
            empty_done: false,
            checking: false,
            non_empty_start: NonEmptyStart::Guess,
            fetch: Vec::new(),
            fetch_at: 0,
            fetch_extra: None,
            fetch_keys: Vec::new(),
            view_total: first.total_count(),
            swept: false,
            needed,
            added,
        })
    }

    /// The fields the library added to every page of the read.
    pub(super) fn added_fields(&self) -> &[String] {
        &self.added
    }

    fn part(&self) -> &Part {
        &self.parts[self.index]
    }

    /// Moves to the next part; what was learnt of the empty values stays within a group
    /// of selection values.
    fn next_part(&mut self) {
        let values = self.parts[self.index].values.clone();
        self.index += 1;
        self.seek = None;
        self.after = None;
        self.checking = false;
        if self.parts.get(self.index).is_none_or(|part| part.values != values) {
            self.seen_empty.clear();
            self.empty_done = false;
            self.non_empty_start = NonEmptyStart::Guess;
        }
    }

    fn needed(&self) -> Vec<&str> {
        self.needed.iter().map(String::as_str).collect()
    }
}

impl<T: Transport> Reader<T> {
    /// The next page of a read in parts, with the records to keep (`None`: all), or `None`
    /// at the end.
    pub(super) async fn parts_page(&mut self, read: &mut PartsRead) -> Result<Option<T::Answer>, T> {
        loop {
            if read.fetch_at < read.fetch.len() {
                if let Some(answer) = self.fetch_page(read).await? {
                    return Ok(Some(answer));
                }
                continue;
            }
            if read.index >= read.parts.len() {
                let missing = read.view_total.is_some_and(|total| self.delivered.len() < total);
                if read.swept || !missing {
                    return Ok(None);
                }
                read.swept = true;
                self.scan(read, None).await?;
                continue;
            }
            if read.seek.is_none() && !self.start_part(read) {
                read.next_part();
                continue;
            }
            let seek = read.seek.as_mut().expect("started above");
            let Some(request) = seek.next_request() else {
                read.next_part();
                continue;
            };
            let confirming = seek.confirming();
            let answer = match self.io.send_retrying(&request).await {
                Err(error) if read.checking && self.io.kintone_code(&error).is_some() => {
                    self.scan(read, Some(read.index)).await?;
                    continue;
                }
                answer => answer?,
            };
            if !answer.has_records() {
                return Err(SeekError::protocol("kintone's answer has no `records` array.").into());
            }
            if read.checking {
                read.checking = false;
                if !empty_guess_holds(read, &answer) {
                    self.scan(read, Some(read.index)).await?;
                    continue;
                }
            }
            let mut end = answer.len();
            if let (Some(key), Some(false), false) = (&read.plan.optional, read.part().empty, confirming) {
                if let Some(first_empty) = (0..answer.len()).position(|index| is_empty_at(&answer, index, &key.field)) {
                    if !key.descending {
                        // An ascending non-empty part reads values above the empty ones:
                        // `k != ""` (or `>`) found an empty value, so it cannot be trusted.
                        self.scan(read, Some(read.index)).await?;
                        continue;
                    }
                    end = first_empty;
                }
            }
            let seek = read.seek.as_mut().expect("started above");
            if !seek.accept_until(&answer, end)? {
                continue;
            }
            if end < answer.len() {
                // Descending: the empty values follow the last non-empty one, in order (an
                // empty NUMBER is below every value). They are delivered here; the empty
                // part checks its condition against them.
                for index in end..answer.len() {
                    read.seen_empty.extend(answer.record_id(index));
                }
                read.empty_done = answer.len() < self.options.page_size as usize;
            }
            return Ok(Some(answer));
        }
    }

    /// Makes the current part's paginator; `false` when the part has nothing to read.
    fn start_part(&self, read: &mut PartsRead) -> bool {
        let part = read.part().clone();
        let extra = match (&read.plan.optional, part.empty) {
            (Some(key), Some(true)) => {
                if read.empty_done {
                    return false;
                }
                read.checking = true;
                Some(format!("{} = \"\"", key.field))
            }
            // An ascending non-empty part from its beginning: after the empty values.
            (Some(key), Some(false)) if read.after.is_none() && !key.descending => match &read.non_empty_start {
                NonEmptyStart::Guess => Some(format!("{} != \"\"", key.field)),
                NonEmptyStart::From(condition) => Some(condition.clone()),
                NonEmptyStart::Nothing => return false,
            },
            _ => None,
        };
        let condition = and_condition(&self.options.condition, both(selection_condition(&read.plan, &part), extra).as_deref());
        let mut seek = SeekPaginator::for_part(&self.options, part_keys(&read.plan, &part), condition, &read.needed());
        if let Some(after) = read.after.take() {
            seek.start_after(after);
        }
        read.seek = Some(seek);
        true
    }

    /// Scans by `$id`, with the keys only: for `part` (an empty or non-empty part whose
    /// guessed condition failed), its group's empty records and least non-empty value;
    /// for `None` (the end's sweep), every matching record not delivered. The records
    /// found are fetched next, in order.
    async fn scan(&mut self, read: &mut PartsRead, part: Option<usize>) -> Result<(), T> {
        let keys = all_keys(&read.plan);
        let group = part.and_then(|part| selection_condition(&read.plan, &read.parts[part]));
        let condition = and_condition(&self.options.condition, group.as_deref());
        let fields = Some(read.needed.iter().cloned().chain(std::iter::once(ID_FIELD.to_string())).collect());
        let mut scan = SeekPaginator::for_part(&self.options, vec![SortKey { field: ID_FIELD.into(), descending: false, numeric: true }], condition, &[])
            .with_fields(fields);
        let optional = read.plan.optional.clone();
        let (mut found, mut least): (Vec<Vec<String>>, Option<String>) = (Vec::new(), None);
        while let Some(request) = scan.next_request() {
            let answer = self.io.send_retrying(&request).await?;
            if !scan.accept(&answer)? {
                continue;
            }
            for index in 0..answer.len() {
                let Some(id) = answer.record_id(index) else { continue };
                match (&optional, part) {
                    (Some(key), Some(_)) if is_empty_at(&answer, index, &key.field) => found.push(tuple(&read.plan.rest, &answer, index)?),
                    (Some(key), Some(_)) => {
                        let value = answer.record_value(index, &key.field).unwrap_or_default();
                        if least.as_ref().is_none_or(|least| compare_values(key, &value, least) == Ordering::Less) {
                            least = Some(value);
                        }
                    }
                    _ if self.delivered.contains(id) => {}
                    _ => {
                        let mut values: Vec<String> = keys[..keys.len() - 1].iter().map(|key| answer.record_value(index, &key.field).unwrap_or_default()).collect();
                        values.push(id.to_string());
                        found.push(values);
                    }
                }
            }
        }
        if part.is_some() {
            found.sort_by(|a, b| compare_tuples(&read.plan.rest, a, b));
            read.fetch_keys = read.plan.rest.clone();
        } else {
            found.sort_by(|a, b| compare_records(&read.plan, a, b));
            read.fetch_keys = keys;
        }
        read.fetch = found.iter().filter_map(|values| values.last()?.parse().ok()).collect();
        read.fetch_at = 0;
        read.fetch_extra = group;
        if let (Some(part), Some(key)) = (part, &optional) {
            read.non_empty_start = match least {
                Some(least) => NonEmptyStart::From(format!("{} >= {}", key.field, quote_string(&least))),
                None => NonEmptyStart::Nothing,
            };
            read.index = part;
            if read.parts[part].empty == Some(true) {
                // The empty part is the fetch; an ascending non-empty part follows.
                read.next_part();
            } else {
                read.seek = None;
                read.after = None;
                read.checking = false;
            }
        }
        Ok(())
    }

    /// The next chunk of the records to fetch by id, those delivered meanwhile left out;
    /// `None` when none was left.
    async fn fetch_page(&mut self, read: &mut PartsRead) -> Result<Option<T::Answer>, T> {
        let size = self.options.page_size as usize;
        let mut ids = String::new();
        let mut count = 0;
        while count < size && read.fetch_at < read.fetch.len() {
            let id = read.fetch[read.fetch_at];
            read.fetch_at += 1;
            if !self.delivered.contains(id) {
                if count > 0 {
                    ids.push_str(", ");
                }
                ids.push_str(&id.to_string());
                count += 1;
            }
        }
        if count == 0 {
            return Ok(None);
        }
        let extra = both(read.fetch_extra.clone(), Some(format!("{ID_FIELD} in ({ids})")));
        let condition = and_condition(&self.options.condition, extra.as_deref());
        let clauses = format!("{} limit {size}", order_clause(&read.fetch_keys));
        let (fields, _) = fields_with(&self.options, &read.needed());
        let path = api_path(RECORDS_PATH, self.options.guest_space_id);
        let request = Request::records_get(path, &self.options.app, query_text(&condition, &clauses), fields);
        let answer = self.io.send_retrying(&request).await?;
        if !answer.has_records() {
            return Err(SeekError::protocol("kintone's answer has no `records` array.").into());
        }
        Ok(Some(answer))
    }
}

/// Whether the answer to `k = ""` holds only empty values and begins with the empty
/// records the read has delivered already. An answer with no record passes only when
/// none was seen: the non-empty part's `k != ""` then shows whether empties were missed.
fn empty_guess_holds<A: Answer>(read: &PartsRead, answer: &A) -> bool {
    let Some(key) = &read.plan.optional else { return true };
    let seen = &read.seen_empty;
    seen.len() <= answer.len()
        && seen.iter().enumerate().all(|(index, id)| answer.record_id(index) == Some(*id))
        && (0..answer.len()).all(|index| is_empty_at(answer, index, &key.field))
}

fn compare_values(key: &SortKey, a: &str, b: &str) -> Ordering {
    if key.numeric {
        compare_decimals(a, b)
    } else {
        a.cmp(b)
    }
}
