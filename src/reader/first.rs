//! The first request of every read: the ordered page itself. When it holds every match
//! the read is done (one request, whatever the order). Otherwise the plan is made, with
//! the form's field types asked for beside the first page, and the read continues
//! without delivering the first page's records again:
//!
//! - seek (on `$id` or on compound keys) continues after the first page's last key, in
//!   the same order: exact;
//! - the cursor reads the same order from the start and drops the ids already delivered
//!   (a record that came to sort into the first page meanwhile is delivered after it);
//! - offset continues past the first page and re-anchors on its last records.

use super::{Reader, Result, Stage};
use crate::cursor::CursorRequests;
use crate::error::SeekError;
use super::parts::PartsRead;
use crate::limits::{MAX_OFFSET, RECORDS_PATH};
use crate::local_order::{key_kind, LocalKey, LocalOrder};
use crate::offset::{key_fields, placed, OffsetPaginator, Placed};
use crate::options::{ReadMethod, ReadOptions};
use crate::parts::all_keys;
use crate::paths::api_path;
use crate::plan::{
    and_condition, order_clause, plan_with_fields, plan_without_fields, query_text, reversed, sort_keys, unsupported_order, Plan,
    SortKey, ID_FIELD,
};
use crate::seek::{fields_with, tuple, SeekPaginator};
use crate::transport::{Answer, FieldInfo, Method, ParamValue, Request, Transport};

/// The first page (its added fields still in it), the fields to strip from it, and the
/// stage the read goes on with.
type FirstPage<T> = (<T as Transport>::Answer, Vec<String>, Stage<T>);

/// How many of the last records of kintone's order a local sort is checked against.
const LAST_CHECKED: u32 = 100;

/// `(condition) order by keys limit pageSize` with `totalCount`, and the fields the
/// library adds to it (the keys and `$id`).
fn first_request(options: &ReadOptions, keys: &[SortKey]) -> (Request, Vec<String>) {
    let (fields, added) = fields_with(options, &key_fields(keys));
    let clauses = format!("{} limit {}", order_clause(keys), options.page_size);
    let query = query_text(&and_condition(&options.condition, None), &clauses);
    let mut request = Request::records_get(api_path(RECORDS_PATH, options.guest_space_id), &options.app, query, fields);
    request.params.push(("totalCount", ParamValue::Bool(true)));
    (request, added)
}

fn form_request(options: &ReadOptions) -> Request {
    Request {
        path: api_path("/k/v1/app/form/fields.json", options.guest_space_id),
        method: Method::Get,
        params: vec![("app", options.app.clone())],
    }
}

/// One end of `key` among the matching records: `order by k asc, $id asc limit 1`
/// (or `desc`), `$id` and `k` only. For the first key, the end the read reaches last is
/// asked for in the read's order reversed, so that it is also the read's last record.
fn end_request(options: &ReadOptions, keys: &[SortKey], key: &SortKey, descending: bool) -> Request {
    let direction = |descending: bool| if descending { "desc" } else { "asc" };
    let (order, fields) = if key.field == keys[0].field {
        (order_clause(&reversed(keys)), keys.iter().map(|k| k.field.clone()).collect())
    } else {
        (format!("order by {} {}, {ID_FIELD} asc", key.field, direction(descending)), vec![ID_FIELD.to_string(), key.field.clone()])
    };
    let query = query_text(&and_condition(&options.condition, None), &format!("{order} limit 1"));
    Request::records_get(api_path(RECORDS_PATH, options.guest_space_id), &options.app, query, Some(fields))
}

impl<T: Transport> Reader<T> {
    /// Reads the first page and decides how the read goes on: the page (its added fields
    /// still in it) and the next stage.
    pub(super) async fn first_page(&mut self) -> Result<FirstPage<T>, T> {
        let keys = sort_keys(&self.options);
        let (request, added) = first_request(&self.options, &keys);
        let decided = plan_without_fields(&self.options);
        let first = self.io.start(&request);
        // The form, when the order needs it, goes beside the first page: no slower than before.
        let form = decided.is_none().then(|| {
            let request = form_request(&self.options);
            (self.io.start(&request), request)
        });
        let answer = self.io.await_retrying(first, &request).await?;
        if !answer.has_records() {
            return Err(SeekError::protocol("kintone's answer has no `records` array.").into());
        }
        let page_size = self.options.page_size as usize;
        let short = answer.len() < page_size || answer.total_count().is_some_and(|total| total <= page_size as u64);
        // `method: "seek"` refuses an order it cannot serve whatever the size of the read.
        if short && self.options.method != ReadMethod::Seek {
            // The form's answer is not needed, but the read ends with nothing in flight.
            if let Some((pending, _)) = form {
                let _ = pending.await;
            }
            return Ok((answer, added, Stage::Done));
        }
        let (plan, fields) = match decided {
            Some(plan) => (plan, Vec::new()),
            None => {
                let (pending, request) = form.expect("sent when undecided");
                let fields = self.io.await_retrying(pending, &request).await?.form_fields();
                (plan_with_fields(&self.options, &fields)?, fields)
            }
        };
        if short {
            return Ok((answer, added, Stage::Done));
        }
        let tail = || placed(&answer, &keys, 0);
        let seek_only = self.options.method == ReadMethod::Seek;
        let stage = match plan {
            Plan::Seek { keys: seek_keys, probes } => match self.empty_key(&seek_keys, &probes, &answer).await? {
                Ok(far) => {
                    self.io.progress.method = "seek";
                    let mut seek = SeekPaginator::new(&self.options, seek_keys);
                    if let Some(far) = far {
                        seek.set_far_end(far);
                    }
                    seek.accept(&answer)?;
                    // Windows only pay when more than one page is left.
                    let left = answer.total_count().map(|total| total.saturating_sub(answer.len() as u64));
                    self.id_seek_stage(seek, left)
                }
                Err((field, why)) if seek_only => return Err(unsupported_order(&field, &why).into()),
                Err(_) => return self.unseekable(answer, added, &keys, &fields),
            },
            Plan::Parts(parts) => match self.empty_key(&all_keys(&parts), &parts.probes, &answer).await? {
                Ok(_) => {
                    self.io.progress.method = "seek";
                    // The view's count: the parts' own answers count only their part.
                    self.io.progress.total = answer.total_count();
                    Stage::Parts(Box::new(PartsRead::after_first(&self.options, parts, &answer)?))
                }
                Err((field, why)) if seek_only => return Err(unsupported_order(&field, &why).into()),
                Err(_) => return self.unseekable(answer, added, &keys, &fields),
            },
            Plan::Cursor { keys } if self.options.method == ReadMethod::Cursor => self.cursor_stage(&keys, tail()),
            Plan::Cursor { keys } => return self.unseekable(answer, added, &keys, &fields),
            Plan::Offset { keys } => {
                self.io.progress.method = "offset";
                Stage::Offset(OffsetPaginator::after_first(&self.options, &keys, tail(), answer.total_count())?)
            }
        };
        Ok((answer, added, stage))
    }

    /// A seek on `$id` (or compound keys) after its first page: windows when the order
    /// is `$id` alone, the caller allows more than one and more than a page is `left`.
    pub(super) fn id_seek_stage(&mut self, seek: SeekPaginator, left: Option<u64>) -> Stage<T> {
        let windows = seek.on_id_only() && self.window_count() > 1 && left.is_none_or(|left| left > self.options.page_size as u64);
        match () {
            _ if seek.is_done() => Stage::Done,
            // Inside kintone, nothing goes out in parallel until the load allows it.
            _ if windows && self.pacer.follows_load() => Stage::PacedSeek(seek),
            _ if windows => Stage::FirstWindowed(seek),
            _ => Stage::Seek(seek),
        }
    }

    /// An order seek cannot serve: offset when at most 10,000 records match; past that,
    /// a local sort when the caller collects every record and kintone's order can be
    /// reproduced; else the cursor. Answers the first page with what to strip from it.
    fn unseekable(&mut self, answer: T::Answer, added: Vec<String>, keys: &[SortKey], fields: &[FieldInfo]) -> Result<FirstPage<T>, T> {
        let tail = placed(&answer, keys, 0);
        if answer.total_count().is_some_and(|total| total <= MAX_OFFSET) {
            self.io.progress.method = "offset";
            let stage = Stage::Offset(OffsetPaginator::after_first(&self.options, keys, tail, answer.total_count())?);
            return Ok((answer, added, stage));
        }
        let mut local = Vec::with_capacity(keys.len());
        for key in keys {
            let field = fields.iter().find(|field| field.code == key.field);
            match key_kind(field, key) {
                Some(kind) if self.local_sort_allowed => local.push(LocalKey { field: key.field.clone(), descending: key.descending, kind }),
                _ => return Ok((answer, added, self.cursor_stage(keys, tail))),
            }
        }
        // kintone's last records of the order, which the sorted records must end with
        // (and begin with its first page).
        let clauses = format!("{} limit {LAST_CHECKED}", order_clause(&reversed(keys)));
        let query = query_text(&and_condition(&self.options.condition, None), &clauses);
        let path = api_path(RECORDS_PATH, self.options.guest_space_id);
        let request = Request::records_get(path, &self.options.app, query, Some(vec![ID_FIELD.to_string()]));
        let first = ids_of(&answer);
        self.local_order = Some(LocalOrder { keys: local, added, first, last: Vec::new() });
        self.io.progress.method = "sort";
        let (fields, _) = fields_with(&self.options, &key_fields(keys));
        let id = SortKey { field: ID_FIELD.into(), descending: false, numeric: true };
        let seek = SeekPaginator::for_part(&self.options, vec![id], self.options.condition.clone(), &[]).with_fields(fields);
        // The key fields stay in the records until they are sorted.
        Ok((answer, Vec::new(), Stage::SortEnd { request, seek }))
    }

    pub(super) fn cursor_stage(&mut self, keys: &[SortKey], first: Vec<Placed>) -> Stage<T> {
        self.io.progress.method = "cursor";
        Stage::Cursor { requests: CursorRequests::new(&self.options, keys), id: None, finished: false, first }
    }

    /// A key that some matching record leaves empty (a field made required after records
    /// were saved keeps their empty values), and why; or, when none is, the read's last
    /// record at the start (key values, `$id` last) if a probe found it. Decided from the ends of
    /// each key, which hold its empty values however kintone sorts them (seen: first
    /// ascending), never from `k = ""`, whose meaning on these types is unknown. The
    /// first key's end in its own direction is the first page's first record.
    async fn empty_key(&mut self, keys: &[SortKey], probes: &[SortKey], first: &T::Answer) -> Result<std::result::Result<Option<Vec<String>>, (String, String)>, T> {
        for key in probes {
            if (0..first.len()).any(|index| first.record_value(index, &key.field).is_none_or(|value| value.is_empty())) {
                return Ok(Err((key.field.clone(), "a matching record has no value in it".into())));
            }
        }
        let mut far = None;
        let mut ends = Vec::new();
        for key in probes {
            for descending in [false, true] {
                if key.field == keys[0].field && descending == keys[0].descending {
                    continue;
                }
                let request = end_request(&self.options, keys, key, descending);
                ends.push((key, self.io.start(&request), request));
            }
        }
        for (key, pending, request) in ends {
            let empty = match self.io.await_retrying(pending, &request).await {
                Ok(answer) if answer.is_empty() => None,
                Ok(answer) if answer.record_value(0, &key.field).is_some_and(|value| !value.is_empty()) => {
                    if key.field == keys[0].field {
                        // The read's last record: all its keys are in the answer.
                        far = tuple(keys, &answer, 0).ok();
                    }
                    None
                }
                Ok(_) => Some("some matching records have no value in it (it was made required after they were saved)".to_string()),
                Err(error) => match self.io.kintone_code(&error) {
                    Some(code) => Some(format!("kintone refused the probe for empty values ({code})")),
                    None => return Err(error),
                },
            };
            if let Some(why) = empty {
                return Ok(Err((key.field.clone(), why)));
            }
        }
        Ok(Ok(far))
    }
}

/// The ids of an answer's records, in order.
pub(super) fn ids_of<A: Answer>(answer: &A) -> Vec<u64> {
    let mut ids = Vec::with_capacity(answer.len());
    for index in 0..answer.len() {
        ids.extend(answer.record_id(index));
    }
    ids
}
