//! Reads an order in parts (`crate::parts`), one seek per part, in the order's sequence.
//! A state machine with no I/O, like the paginators: the reader sends what `next_request`
//! says and hands each answer to `accept`, from one `await` (each `await` site of an
//! async function costs the wasm a copy of its state).
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
//! form's options, or a guess that passed its check and was wrong) and fetches it in
//! order. That costs requests, never a record.

use std::cmp::Ordering;

use crate::error::SeekError;
use crate::idset::IdSet;
use crate::keyset::{compare_decimals, compare_tuples};
use crate::limits::RECORDS_PATH;
use crate::options::ReadOptions;
use crate::parts::{all_keys, both, compare_records, is_empty_at, part_keys, part_of, parts, selection_condition, Part};
use crate::paths::api_path;
use crate::plan::{and_condition, order_clause, query_text, PartPlan, SortKey, ID_FIELD};
use crate::query::quote_string;
use crate::seek::{fields_with, tuple, SeekPaginator};
use crate::transport::{Answer, Request};

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

/// What the last request was.
enum Sent {
    Part { confirming: bool },
    Scan,
    Fetch,
}

/// A scan in progress: of the group of part `part`, or (`None`) the end's sweep.
struct Scan {
    part: Option<usize>,
    seek: SeekPaginator,
    /// Per record found: key values, `$id` last.
    found: Vec<Vec<String>>,
    least: Option<String>,
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
    scan: Option<Scan>,
    /// Records to fetch by id before anything else, in this order, with the condition
    /// and order that select them.
    fetch: Vec<u64>,
    fetch_at: usize,
    fetch_extra: Option<String>,
    fetch_keys: Vec<SortKey>,
    sent: Sent,
    /// Matches counted at the start, and whether the end's sweep ran.
    view_total: Option<u64>,
    swept: bool,
    /// The field of every key; the fields every page asks for (the caller's and those),
    /// and those the caller did not ask for.
    needed: Vec<String>,
    fields: Option<Vec<String>>,
    added: Vec<String>,
}

impl PartsRead {
    /// Continues after the first page (full, in the order), which holds the read's first
    /// parts, or the start of one.
    pub(super) fn after_first<A: Answer>(options: &ReadOptions, plan: PartPlan, first: &A) -> Result<Self, SeekError> {
        let parts = parts(&plan);
        let mut needed = Vec::new();
        for key in all_keys(&plan) {
            needed.push(key.field);
        }
        let (fields, added) = fields_with(options, &refs(&needed));
        let last = first.len() - 1;
        let mut read = PartsRead {
            plan,
            parts,
            index: 0,
            seek: None,
            after: None,
            seen_empty: Vec::new(),
            empty_done: false,
            checking: false,
            non_empty_start: NonEmptyStart::Guess,
            scan: None,
            fetch: Vec::new(),
            fetch_at: 0,
            fetch_extra: None,
            fetch_keys: Vec::new(),
            sent: Sent::Fetch,
            view_total: first.total_count(),
            swept: false,
            needed,
            fields,
            added,
        };
        if let Some(part) = part_of(&read.plan, &read.parts, first, last) {
            read.index = part;
            if read.parts[part].empty == Some(true) {
                // An empty part is read from its beginning, checked against the records of
                // it the page holds.
                for index in 0..first.len() {
                    if part_of(&read.plan, &read.parts, first, index) == Some(part) {
                        read.seen_empty.extend(first.record_id(index));
                    }
                }
            } else {
                read.after = Some(tuple(&part_keys(&read.plan, &read.parts[part]), first, last)?);
            }
        }
        Ok(read)
    }

    /// The fields the library added to every page of the read.
    pub(super) fn added_fields(&self) -> &[String] {
        &self.added
    }

    /// Whether the request in flight tests a guessed condition, which kintone may refuse.
    pub(super) fn checking(&self) -> bool {
        self.checking
    }

    /// kintone refused the guessed condition: scan for the part's records instead.
    pub(super) fn refused(&mut self, options: &ReadOptions) {
        self.start_scan(options, Some(self.index));
    }

    /// The next request to send, or `None` when every record has been delivered.
    pub(super) fn next_request(&mut self, options: &ReadOptions, delivered: &IdSet) -> Option<Request> {
        loop {
            if let Some(scan) = &self.scan {
                if let Some(request) = scan.seek.next_request() {
                    self.sent = Sent::Scan;
                    return Some(request);
                }
                let scan = self.scan.take().expect("checked above");
                self.finish_scan(scan);
                continue;
            }
            if self.fetch_at < self.fetch.len() {
                if let Some(request) = self.fetch_request(options, delivered) {
                    self.sent = Sent::Fetch;
                    return Some(request);
                }
                continue;
            }
            if self.index >= self.parts.len() {
                let missing = self.view_total.is_some_and(|total| delivered.len() < total);
                if self.swept || !missing {
                    return None;
                }
                self.swept = true;
                self.start_scan(options, None);
                continue;
            }
            if self.seek.is_none() && !self.start_part(options) {
                self.next_part();
                continue;
            }
            let seek = self.seek.as_ref().expect("started above");
            match seek.next_request() {
                Some(request) => {
                    self.sent = Sent::Part { confirming: seek.confirming() };
                    return Some(request);
                }
                None => self.next_part(),
            }
        }
    }

    /// Takes the answer to the last request: `true` when its records are to be delivered.
    pub(super) fn accept<A: Answer>(&mut self, answer: &A, options: &ReadOptions, delivered: &IdSet) -> Result<bool, SeekError> {
        if !answer.has_records() {
            return Err(SeekError::protocol("kintone's answer has no `records` array."));
        }
        let confirming = match self.sent {
            Sent::Fetch => return Ok(true),
            Sent::Scan => {
                self.collect(answer, delivered)?;
                return Ok(false);
            }
            Sent::Part { confirming } => confirming,
        };
        if self.checking {
            self.checking = false;
            if !self.empty_guess_holds(answer) {
                self.start_scan(options, Some(self.index));
                return Ok(false);
            }
        }
        let mut end = answer.len();
        if let (Some(key), Some(false), false) = (&self.plan.optional, self.parts[self.index].empty, confirming) {
            if let Some(first_empty) = (0..answer.len()).position(|index| is_empty_at(answer, index, &key.field)) {
                if !key.descending {
                    // An ascending non-empty part reads values above the empty ones:
                    // `k != ""` (or `>`) found an empty value, so it cannot be trusted. After
                    // a scan, `k >= "least"` finding one would only loop: a loud error.
                    if let NonEmptyStart::From(_) = &self.non_empty_start {
                        // A fixed message: a formatted one costs the wasm 0.4 KB for a case
                        // no plausible kintone reaches.
                        return Err(SeekError::protocol(
                            "kintone answered `k >= v` (v: the least value a scan by `$id` found) with a record whose \
                             key is empty: the read cannot tell where the values begin.",
                        ));
                    }
                    self.start_scan(options, Some(self.index));
                    return Ok(false);
                }
                end = first_empty;
            }
        }
        let seek = self.seek.as_mut().expect("a part's request was sent");
        if !seek.accept_until(answer, end)? {
            return Ok(false);
        }
        if end < answer.len() {
            // Descending: the empty values follow the last non-empty one, in order (empty
            // is below every value). They are delivered here; the empty part checks its
            // condition against them, and is not read at all when the page was short.
            for index in end..answer.len() {
                self.seen_empty.extend(answer.record_id(index));
            }
            self.empty_done = answer.len() < options.page_size as usize;
        }
        Ok(true)
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

    /// Makes the current part's paginator; `false` when the part has nothing to read.
    fn start_part(&mut self, options: &ReadOptions) -> bool {
        let part = &self.parts[self.index];
        let extra = match (&self.plan.optional, part.empty) {
            (Some(key), Some(true)) => {
                if self.empty_done {
                    return false;
                }
                self.checking = true;
                Some(format!("{} = \"\"", key.field))
            }
            // An ascending non-empty part from its beginning: after the empty values.
            (Some(key), Some(false)) if self.after.is_none() && !key.descending => match &self.non_empty_start {
                NonEmptyStart::Guess => Some(format!("{} != \"\"", key.field)),
                NonEmptyStart::From(condition) => Some(condition.clone()),
                NonEmptyStart::Nothing => return false,
            },
            _ => None,
        };
        let condition = and_condition(&options.condition, both(selection_condition(&self.plan, part), extra).as_deref());
        let mut seek = SeekPaginator::for_part(options, part_keys(&self.plan, part), condition, &refs(&self.needed));
        if let Some(after) = self.after.take() {
            seek.start_after(after);
        }
        self.seek = Some(seek);
        true
    }

    /// Starts a scan by `$id` with the keys only: for `part` (whose guessed condition
    /// failed), its group's empty records and least non-empty value; for `None` (the
    /// end's sweep), every matching record not delivered.
    fn start_scan(&mut self, options: &ReadOptions, part: Option<usize>) {
        let group = part.and_then(|part| selection_condition(&self.plan, &self.parts[part]));
        let condition = and_condition(&options.condition, group.as_deref());
        // The keys' fields, `$id` among them (the last key).
        let fields = self.needed.clone();
        let id = SortKey { field: ID_FIELD.into(), descending: false, numeric: true };
        let seek = SeekPaginator::for_part(options, vec![id], condition, &[]).with_fields(Some(fields));
        self.scan = Some(Scan { part, seek, found: Vec::new(), least: None });
        self.checking = false;
    }

    /// Takes a scan's page.
    fn collect<A: Answer>(&mut self, answer: &A, delivered: &IdSet) -> Result<(), SeekError> {
        let keys = all_keys(&self.plan);
        let scan = self.scan.as_mut().expect("a scan's request was sent");
        if !scan.seek.accept(answer)? {
            return Ok(());
        }
        for index in 0..answer.len() {
            let Some(id) = answer.record_id(index) else { continue };
            match (&self.plan.optional, scan.part) {
                (Some(key), Some(_)) if is_empty_at(answer, index, &key.field) => scan.found.push(tuple(&self.plan.rest, answer, index)?),
                (Some(key), Some(_)) => {
                    let value = answer.record_value(index, &key.field).unwrap_or_default();
                    let below = |least: &String| if key.numeric { compare_decimals(&value, least) } else { value.as_str().cmp(least) } == Ordering::Less;
                    if scan.least.as_ref().is_none_or(below) {
                        scan.least = Some(value);
                    }
                }
                _ if delivered.contains(id) => {}
                _ => {
                    let mut values = Vec::with_capacity(keys.len());
                    for key in &keys[..keys.len() - 1] {
                        values.push(answer.record_value(index, &key.field).unwrap_or_default());
                    }
                    values.push(id.to_string());
                    scan.found.push(values);
                }
            }
        }
        Ok(())
    }

    /// A scan has ended: its records are fetched next, in order, and the read goes on
    /// after the part that called for it.
    fn finish_scan(&mut self, scan: Scan) {
        let Scan { part, mut found, least, .. } = scan;
        let (rest, plan, keys) = (&self.plan.rest, &self.plan, all_keys(&self.plan));
        merge_sort(&mut found, &|a, b| if part.is_some() { compare_tuples(rest, a, b) } else { compare_records(plan, &keys, a, b) });
        self.fetch.clear();
        for values in &found {
            self.fetch.extend(values.last().and_then(|id| id.parse::<u64>().ok()));
        }
        self.fetch_at = 0;
        self.fetch_keys = if part.is_some() { self.plan.rest.clone() } else { all_keys(&self.plan) };
        self.fetch_extra = part.and_then(|part| selection_condition(&self.plan, &self.parts[part]));
        let (Some(part), Some(key)) = (part, &self.plan.optional) else { return };
        self.non_empty_start = match least {
            Some(least) => NonEmptyStart::From(format!("{} >= {}", key.field, quote_string(&least))),
            None => NonEmptyStart::Nothing,
        };
        self.index = part;
        self.seek = None;
        self.after = None;
        if self.parts[part].empty == Some(true) {
            // The fetch is the empty part; an ascending non-empty part follows.
            self.empty_done = true;
        }
    }

    /// The next chunk of the records to fetch by id, those delivered meanwhile left out.
    fn fetch_request(&mut self, options: &ReadOptions, delivered: &IdSet) -> Option<Request> {
        let size = options.page_size as usize;
        let mut ids = String::new();
        let mut count = 0;
        while count < size && self.fetch_at < self.fetch.len() {
            let id = self.fetch[self.fetch_at];
            self.fetch_at += 1;
            if !delivered.contains(id) {
                if count > 0 {
                    ids.push_str(", ");
                }
                ids.push_str(&id.to_string());
                count += 1;
            }
        }
        if count == 0 {
            return None;
        }
        let extra = both(self.fetch_extra.clone(), Some(format!("{ID_FIELD} in ({ids})")));
        let condition = and_condition(&options.condition, extra.as_deref());
        let clauses = format!("{} limit {size}", order_clause(&self.fetch_keys));
        let path = api_path(RECORDS_PATH, options.guest_space_id);
        Some(Request::records_get(path, &options.app, query_text(&condition, &clauses), self.fields.clone()))
    }

    /// Whether the answer to `k = ""` holds only empty values and begins with the empty
    /// records the read has delivered already. An answer with no record passes only when
    /// none was seen: the non-empty part's `k != ""` then shows whether empties were missed.
    fn empty_guess_holds<A: Answer>(&self, answer: &A) -> bool {
        let Some(key) = &self.plan.optional else { return true };
        let seen = &self.seen_empty;
        seen.len() <= answer.len()
            && seen.iter().enumerate().all(|(index, id)| answer.record_id(index) == Some(*id))
            && (0..answer.len()).all(|index| is_empty_at(answer, index, &key.field))
    }
}

fn refs(fields: &[String]) -> Vec<&str> {
    let mut refs = Vec::with_capacity(fields.len());
    for field in fields {
        refs.push(field.as_str());
    }
    refs
}

/// A bottom-up merge sort of positions into `items`, then the items moved into that
/// order: the standard library's sorts add kilobytes to the wasm, and this runs only on
/// what a scan found.
fn merge_sort(items: &mut Vec<Vec<String>>, compare: &dyn Fn(&[String], &[String]) -> Ordering) {
    let length = items.len();
    let mut order = Vec::with_capacity(length);
    for position in 0..length {
        order.push(position);
    }
    let mut merged = vec![0; length];
    let mut width = 1;
    while width < length {
        let mut start = 0;
        while start < length {
            let (middle, end) = ((start + width).min(length), (start + 2 * width).min(length));
            let (mut left, mut right) = (start, middle);
            for slot in &mut merged[start..end] {
                let take_left = right >= end || (left < middle && compare(&items[order[left]], &items[order[right]]) != Ordering::Greater);
                *slot = if take_left { order[left] } else { order[right] };
                if take_left {
                    left += 1;
                } else {
                    right += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    let mut taken = Vec::with_capacity(length);
    for item in std::mem::take(items) {
        taken.push(Some(item));
    }
    for position in order {
        items.extend(taken[position].take());
    }
}

#[cfg(test)]
mod tests {
    use super::merge_sort;

    #[test]
    fn merge_sort_orders_any_length() {
        for length in 0..40usize {
            let mut items: Vec<Vec<String>> = (0..length).map(|i| vec![((i * 7919 + 3) % 31).to_string(), i.to_string()]).collect();
            let mut expected = items.clone();
            let key = |v: &[String]| (v[0].parse::<u32>().unwrap(), v[1].parse::<u32>().unwrap());
            expected.sort_by_key(|v| key(v));
            merge_sort(&mut items, &|a, b| key(a).cmp(&key(b)));
            assert_eq!(items, expected, "length {length}");
        }
    }
}
