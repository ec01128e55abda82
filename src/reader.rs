//! Drives a read: plans it, sends each request through the transport (retrying seek and
//! offset pages, never cursor calls), checks each answer and hands the records on
//! untouched but for the fields the library added. `close` releases a cursor.

use std::collections::VecDeque;

use crate::cursor::{CursorRequests, CURSOR_GONE, TOO_MANY_CURSORS};
use crate::error::{ReadError, SeekError, SeekErrorCode};
use crate::limits::MAX_OFFSET;
use crate::offset::{count_request, OffsetPaginator};
use crate::options::{ReadMethod, ReadOptions};
use crate::paths::api_path;
pub use crate::progress::Progress;
use crate::plan::{and_condition, plan_with_fields, plan_without_fields, query_text, Plan, SortKey};
use crate::retry::{backoff_ms, CURSOR_WAIT_FIRST_MS, CURSOR_WAIT_LONGEST_MS, RETRY_FIRST_MS, RETRY_LONGEST_MS};
use crate::seek::SeekPaginator;
use crate::windows::{Window, WindowPlanner};
use crate::transport::{Answer, Failure, Method, ParamValue, Request, Transport};

/// Where the read stands.
enum Stage<T: Transport> {
    Planning,
    Seek(SeekPaginator),
    /// A seek on `$id` read in windows: the first page, with the far-end probe beside it.
    FirstWindowed(SeekPaginator),
    /// Id windows in flight, in delivery order.
    Windows { seek: SeekPaginator, planner: WindowPlanner, slots: VecDeque<Slot<T>> },
    Cursor { requests: CursorRequests, id: Option<String>, finished: bool },
    Offset(OffsetPaginator),
    Done,
}

/// A window's request in flight.
struct Slot<T: Transport> {
    window: Window,
    pending: T::Pending,
    attempt: u32,
    /// Only asks whether the window holds anything more (see `SeekPaginator::next_request`).
    confirm: bool,
}

/// The transport with the read's counters: every request goes through here.
struct Io<T: Transport> {
    transport: T,
    progress: Progress,
    retries: u32,
}

type Result<V, T> = std::result::Result<V, ReadError<<T as Transport>::Error>>;

impl<T: Transport> Io<T> {
    fn start(&mut self, request: &Request) -> T::Pending {
        self.progress.requests += 1;
        self.transport.start(request)
    }

    async fn send_once(&mut self, request: &Request) -> Result<T::Answer, T> {
        self.start(request).await
    }

    /// The pause before retrying a transient failure, or `None` when the error is not
    /// transient or the attempts are spent.
    fn retry_pause(&mut self, error: &ReadError<T::Error>, attempt: u32) -> Option<u64> {
        let ReadError::Transport(error) = error else { return None };
        if attempt >= self.retries || self.transport.classify(error) != Failure::Transient {
            return None;
        }
        self.progress.retries += 1;
        let pause = backoff_ms(attempt + 1, RETRY_FIRST_MS, RETRY_LONGEST_MS, self.transport.random());
        self.transport.waiting(pause, "retry", &self.progress);
        Some(pause)
    }

    /// Seek and offset pages only: sending one again cannot skip or repeat records.
    async fn send_retrying(&mut self, request: &Request) -> Result<T::Answer, T> {
        let mut attempt = 0;
        loop {
            match self.send_once(request).await {
                Err(error) => match self.retry_pause(&error, attempt) {
                    Some(pause) => {
                        attempt += 1;
                        self.transport.sleep(pause).await;
                    }
                    None => return Err(error),
                },
                answer => return answer,
            }
        }
    }

    fn kintone_code(&self, error: &ReadError<T::Error>) -> Option<String> {
        match error {
            ReadError::Transport(error) => match self.transport.classify(error) {
                Failure::Kintone(code) => Some(code),
                _ => None,
            },
            ReadError::Seek(_) => None,
        }
    }
}

/// A read in progress over a transport.
pub struct Reader<T: Transport> {
    io: Io<T>,
    options: ReadOptions,
    stage: Stage<T>,
    concurrency: usize,
}

impl<T: Transport> Reader<T> {
    /// Prepares the read; nothing is sent until the first page is asked for.
    pub fn open(options: &ReadOptions, transport: T) -> std::result::Result<Self, SeekError> {
        let method = match options.method {
            ReadMethod::Cursor => "cursor",
            ReadMethod::Offset => "offset",
            ReadMethod::Auto | ReadMethod::Seek => "seek",
        };
        let io = Io { transport, progress: Progress { method, ..Progress::default() }, retries: options.retries };
        let concurrency = options.concurrency.unwrap_or(1) as usize;
        Ok(Reader { io, options: options.clone(), stage: Stage::Planning, concurrency })
    }

    /// The method the read uses (or will, before the first page), as `Progress.method` names it.
    pub fn method_name(&self) -> &'static str {
        self.io.progress.method
    }

    /// How far the read has come.
    pub fn progress(&self) -> Progress {
        self.io.progress
    }

    /// Whether the read holds, or may still create, a cursor that `close` must release.
    pub fn may_hold_cursor(&self) -> bool {
        match &self.stage {
            Stage::Planning => !matches!(plan_without_fields(&self.options), Some(Plan::Seek { .. } | Plan::Offset { .. })),
            Stage::Cursor { finished, .. } => !finished,
            Stage::Seek(_) | Stage::FirstWindowed(_) | Stage::Windows { .. } | Stage::Offset(_) | Stage::Done => false,
        }
    }

    /// The next page of records, or `None` once every record has been delivered.
    pub async fn next_page(&mut self) -> Result<Option<T::Answer>, T> {
        loop {
            let answer = match &mut self.stage {
                Stage::Done => return Ok(None),
                Stage::Planning => {
                    self.stage = self.plan().await?;
                    continue;
                }
                Stage::FirstWindowed(_) => {
                    let Stage::FirstWindowed(seek) = std::mem::replace(&mut self.stage, Stage::Done) else { unreachable!() };
                    self.first_windowed_page(seek).await?
                }
                Stage::Windows { .. } => match self.window_page().await? {
                    Some(answer) => answer,
                    None => {
                        self.stage = Stage::Done;
                        return Ok(None);
                    }
                },
                Stage::Seek(seek) => {
                    let Some(request) = seek.next_request() else {
                        self.stage = Stage::Done;
                        return Ok(None);
                    };
                    let mut answer = self.io.send_retrying(&request).await?;
                    if !seek.accept(&answer)? {
                        continue;
                    }
                    if !seek.added_fields().is_empty() {
                        answer.strip_fields(seek.added_fields());
                    }
                    answer
                }
                Stage::Offset(offset) => {
                    let Some(request) = offset.next_request()? else {
                        self.stage = Stage::Done;
                        return Ok(None);
                    };
                    let answer = self.io.send_retrying(&request).await?;
                    if !answer.has_records() {
                        return Err(SeekError::protocol("kintone's answer has no `records` array.").into());
                    }
                    offset.accept(answer.len(), answer.total_count())?;
                    answer
                }
                Stage::Cursor { requests, id, finished } => {
                    if *finished {
                        self.stage = Stage::Done;
                        return Ok(None);
                    }
                    let open_id = match id {
                        Some(open_id) => open_id.clone(),
                        None => match open_cursor(&mut self.io, requests, self.options.cursor_wait_ms).await? {
                            Some(new_id) => id.insert(new_id).clone(),
                            None => {
                                self.stage = self.offset_fallback().await?;
                                continue;
                            }
                        },
                    };
                    // A cursor GET advances the cursor: sending it again could skip a page.
                    let answer = self.io.send_once(&requests.read(&open_id)).await?;
                    let next = answer.flag("next").filter(|_| answer.has_records()).ok_or_else(|| {
                        SeekError::protocol("kintone's cursor answer has no `records` array or no `next` flag.")
                    })?;
                    if !next {
                        // kintone deletes a cursor once its last page is read.
                        *finished = true;
                        self.io.transport.cursor_closed(&open_id);
                    }
                    answer
                }
            };
            if let Some(total) = answer.total_count() {
                self.io.progress.total = Some(total);
            }
            // A cursor may answer `next: true` with no records: keep going.
            if answer.is_empty() {
                continue;
            }
            self.io.progress.fetched += answer.len() as u64;
            return Ok(Some(answer));
        }
    }

    /// Ends the read, deleting its cursor if one is open. A cursor kintone already
    /// removed (`GAIA_CN01`) counts as released.
    pub async fn close(&mut self) -> Result<(), T> {
        let stage = std::mem::replace(&mut self.stage, Stage::Done);
        let Stage::Cursor { requests, id: Some(id), finished: false } = stage else { return Ok(()) };
        let deleted = self.io.send_once(&requests.delete(&id)).await;
        self.io.transport.cursor_closed(&id);
        match deleted {
            Err(error) if self.io.kintone_code(&error).as_deref() != Some(CURSOR_GONE) => Err(error),
            _ => Ok(()),
        }
    }

    async fn plan(&mut self) -> Result<Stage<T>, T> {
        let plan = match plan_without_fields(&self.options) {
            Some(plan) => plan,
            None => {
                let request = Request {
                    path: api_path("/k/v1/app/form/fields.json", self.options.guest_space_id),
                    method: Method::Get,
                    params: vec![("app", self.options.app.clone())],
                };
                let answer = self.io.send_retrying(&request).await?;
                plan_with_fields(&self.options, &answer.form_fields())?
            }
        };
        Ok(match plan {
            Plan::Seek { keys, probes } => {
                for key in &probes {
                    if let Some(why) = self.empty_key(key).await? {
                        if self.options.method == ReadMethod::Seek {
                            return Err(SeekError::new(SeekErrorCode::UnsupportedOrder, format!(
                                "`method: \"seek\"` cannot read in the order on `{}`: {why}. Leave `method` out (\"auto\") \
                                 to read this order with the cursor API.", key.field
                            )).into());
                        }
                        return Ok(self.cursor_stage(&keys));
                    }
                }
                self.io.progress.method = "seek";
                let seek = SeekPaginator::new(&self.options, keys);
                if self.concurrency > 1 && seek.on_id_only() { Stage::FirstWindowed(seek) } else { Stage::Seek(seek) }
            }
            Plan::Cursor { keys } => self.cursor_stage(&keys),
            Plan::Offset { keys } => {
                self.io.progress.method = "offset";
                Stage::Offset(OffsetPaginator::new(&self.options, &keys))
            }
        })
    }

    /// The first page of a windowed seek, with the probe for the far end of the ids sent
    /// beside it; then windows, or a plain seek when the probe failed or there is no room.
    async fn first_windowed_page(&mut self, mut seek: SeekPaginator) -> Result<T::Answer, T> {
        let request = seek.next_request().expect("a new seek has a first page");
        let far_end = self.io.start(&seek.far_end_request());
        let mut answer = self.io.send_retrying(&request).await?;
        let far_end = far_end.await.ok().and_then(|answer| answer.record_id(0));
        seek.accept(&answer)?;
        let (first, last) = (answer.record_id(0), answer.len().checked_sub(1).and_then(|i| answer.record_id(i)));
        let descending = seek.descending();
        self.stage = match (first, last, far_end) {
            _ if seek.is_done() => Stage::Done,
            (Some(first), Some(last), Some(far)) if (if descending { far < last } else { far > last }) => {
                let planner = WindowPlanner::new(descending, first, last, self.options.page_size, far);
                Stage::Windows { seek: seek.clone(), planner, slots: VecDeque::new() }
            }
            // No far end beyond this page (or no answer to the probe): read on one page at a time.
            _ => Stage::Seek(seek.clone()),
        };
        if !seek.added_fields().is_empty() {
            answer.strip_fields(seek.added_fields());
        }
        Ok(answer)
    }

    /// The next window page in order, keeping `concurrency` windows in flight.
    async fn window_page(&mut self) -> Result<Option<T::Answer>, T> {
        let Stage::Windows { seek, planner, slots } = &mut self.stage else { return Ok(None) };
        loop {
            while slots.len() < self.concurrency {
                let Some(window) = planner.next_window() else { break };
                let pending = self.io.start(&seek.window_request(&window, false));
                slots.push_back(Slot { window, pending, attempt: 0, confirm: false });
            }
            let Some(slot) = slots.pop_front() else { return Ok(None) };
            let mut answer = match slot.pending.await {
                Ok(answer) => answer,
                Err(error) => {
                    let pause = self.io.retry_pause(&error, slot.attempt).ok_or(error)?;
                    self.io.transport.sleep(pause).await;
                    let pending = self.io.start(&seek.window_request(&slot.window, slot.confirm));
                    slots.push_front(Slot { pending, attempt: slot.attempt + 1, ..slot });
                    continue;
                }
            };
            if slot.confirm {
                // Something started matching past the count taken at the start: read it.
                if !answer.is_empty() {
                    let pending = self.io.start(&seek.window_request(&slot.window, false));
                    slots.push_front(Slot { pending, attempt: 0, confirm: false, ..slot });
                }
                continue;
            }
            if let Some(rest) = seek.accept_window(&answer, &slot.window)? {
                // The open window past the count taken at the start can only confirm the end.
                let reached = self.io.progress.total.is_some_and(|total| self.io.progress.fetched + answer.len() as u64 >= total);
                let confirm = rest.until.is_none() && reached;
                let pending = self.io.start(&seek.window_request(&rest, confirm));
                slots.push_front(Slot { window: rest, pending, attempt: 0, confirm });
            }
            if answer.is_empty() {
                continue;
            }
            if !seek.added_fields().is_empty() {
                answer.strip_fields(seek.added_fields());
            }
            return Ok(Some(answer));
        }
    }

    fn cursor_stage(&mut self, keys: &[SortKey]) -> Stage<T> {
        self.io.progress.method = "cursor";
        Stage::Cursor { requests: CursorRequests::new(&self.options, keys), id: None, finished: false }
    }

    /// Why a required key may still be empty in some matching record (a field made
    /// required after records were saved keeps their empty values), or `None`.
    async fn empty_key(&mut self, key: &SortKey) -> Result<Option<String>, T> {
        // `= ""` finds empty values of NUMBER, DATE, DATETIME and TIME fields alike. Should a
        // kintone refuse it, the read takes the cursor: slower, never wrong.
        let test = format!("{} = \"\"", key.field);
        let request = Request {
            path: api_path(crate::limits::RECORDS_PATH, self.options.guest_space_id),
            method: Method::Get,
            params: vec![
                ("app", self.options.app.clone()),
                ("query", ParamValue::Str(query_text(&and_condition(&self.options.condition, Some(&test)), "limit 1"))),
                ("fields", ParamValue::List(vec!["$id".into()])),
            ],
        };
        match self.io.send_retrying(&request).await {
            Ok(answer) if answer.is_empty() => Ok(None),
            Ok(_) => Ok(Some("some matching records have no value in it (it was made required after they were saved)".into())),
            Err(error) => match self.io.kintone_code(&error) {
                Some(code) => Ok(Some(format!("kintone refused the probe for empty values ({code})"))),
                None => Err(error),
            },
        }
    }

    /// All cursors stayed taken: read with offset when few enough records match.
    async fn offset_fallback(&mut self) -> Result<Stage<T>, T> {
        let answer = self.io.send_retrying(&count_request(&self.options)).await?;
        let total = answer.total_count().ok_or_else(|| SeekError::protocol("kintone's answer has no `totalCount`."))?;
        if total > MAX_OFFSET {
            return Err(SeekError::new(SeekErrorCode::CursorLimit, format!(
                "All 10 cursors of the kintone domain stayed taken for {} ms, and {total} records match, more than \
                 offset paging can reach ({MAX_OFFSET}). Try again later, raise `cursorWaitMs`, or read in `$id` order \
                 (leave `orderBy` out), which needs no cursor.", self.options.cursor_wait_ms
            )).into());
        }
        self.io.progress.method = "offset";
        let keys = crate::plan::sort_keys(&self.options);
        Ok(Stage::Offset(OffsetPaginator::new(&self.options, &keys)))
    }
}

/// Creates the cursor, waiting with backoff while all 10 of the domain are taken.
/// `None` when they stayed taken for `wait_ms`.
async fn open_cursor<T: Transport>(io: &mut Io<T>, requests: &CursorRequests, wait_ms: u64) -> Result<Option<String>, T> {
    io.transport.cursor_opening().await;
    let (mut waited, mut attempt) = (0u64, 0u32);
    loop {
        let created = io.send_once(&requests.create()).await;
        match created {
            Ok(answer) => {
                let Some(id) = answer.string("id").filter(|id| !id.is_empty()) else {
                    io.transport.cursor_closed("");
                    return Err(SeekError::protocol("kintone's cursor answer has no `id`.").into());
                };
                io.progress.total = answer.total_count();
                io.transport.cursor_opened(&id, &requests.create().path);
                return Ok(Some(id));
            }
            Err(error) if io.kintone_code(&error).as_deref() == Some(TOO_MANY_CURSORS) && waited < wait_ms => {
                attempt += 1;
                let pause = backoff_ms(attempt, CURSOR_WAIT_FIRST_MS, CURSOR_WAIT_LONGEST_MS, io.transport.random())
                    .min(wait_ms - waited)
                    .max(1);
                io.transport.waiting(pause, "cursor-limit", &io.progress);
                io.transport.sleep(pause).await;
                waited += pause;
            }
            Err(error) => {
                io.transport.cursor_closed("");
                return match io.kintone_code(&error).as_deref() {
                    Some(TOO_MANY_CURSORS) => Ok(None),
                    _ => Err(error),
                };
            }
        }
    }
}

#[cfg(test)]
#[path = "reader_tests.rs"]
mod tests;
