//! Drives a read: plans it, sends each request through the transport (retrying seek and
//! offset pages, never cursor calls), checks each answer and hands the records on
//! untouched but for the fields the library added. `close` releases a cursor.

mod first;
mod io;
mod paced;
mod pacing;
mod parts;
mod planning;
mod windowed;

use io::Io;
use pacing::Pacer;
use windowed::Slot;
use crate::cursor::{CursorRequests, CURSOR_GONE};
use crate::domain_load::Pace;
use crate::error::{ReadError, SeekError};
use crate::idset::IdSet;
use crate::local_order::LocalOrder;
use crate::offset::{OffsetPaginator, Placed};
use crate::options::{ReadMethod, ReadOptions};
use crate::plan::{plan_without_fields, Plan};
pub use crate::progress::Progress;
use crate::seek::SeekPaginator;
use crate::transport::{Answer, Request, Transport};
use crate::windows::WindowPlanner;

/// Where the read stands.
enum Stage<T: Transport> {
    /// Nothing sent yet: the first request is the ordered first page (see `first`).
    Planning,
    Seek(SeekPaginator),
    /// A seek on `$id` that follows the domain's load, its first page full: one page at
    /// a time until the load allows windows (see `paced`).
    PacedSeek(SeekPaginator),
    /// A seek on `$id` to be read in windows, its first page full: the next page, with
    /// the far-end probe beside it.
    FirstWindowed(SeekPaginator),
    /// Id windows in flight, the next to deliver last: a `Vec` taken from its end, as a
    /// `VecDeque` would add its own growth code to the wasm.
    Windows { seek: SeekPaginator, planner: WindowPlanner, slots: Vec<Slot<T>> },
    /// `first`: the first page's records, for an offset fallback to re-anchor on.
    Cursor { requests: CursorRequests, id: Option<String>, finished: bool, first: Vec<Placed> },
    Offset(OffsetPaginator),
    /// An order read in parts (drop-down options, empty and non-empty values).
    Parts(Box<parts::PartsRead>),
    /// A read for a local sort: kintone's last records of the order (`request`), then
    /// every record by `$id` (`seek`).
    SortEnd { request: Request, seek: SeekPaginator },
    Done,
}

/// A read's result: the transport's error, or the library's.
type Result<V, T> = std::result::Result<V, ReadError<<T as Transport>::Error>>;

/// A read in progress over a transport.
pub struct Reader<T: Transport> {
    io: Io<T>,
    options: ReadOptions,
    stage: Stage<T>,
    /// Every id delivered: no record is delivered twice, whatever the method.
    delivered: IdSet,
    /// How many id windows run at once.
    pacer: Pacer,
    /// The caller collects every record (`getAllRecords`), so a text order past offset's
    /// reach may be read by `$id` and sorted by the caller instead of by a cursor.
    local_sort_allowed: bool,
    /// Set when the read is served that way: how to sort what it delivered.
    local_order: Option<LocalOrder>,
}

impl<T: Transport> Reader<T> {
    /// Prepares the read; nothing is sent until the first page is asked for. The read
    /// keeps the options themselves: a copy would link `ReadOptions::clone` into the wasm.
    pub fn open(options: ReadOptions, transport: T) -> std::result::Result<Self, SeekError> {
        let method = match options.method {
            ReadMethod::Cursor => "cursor",
            ReadMethod::Offset => "offset",
            ReadMethod::Auto | ReadMethod::Seek => "seek",
        };
        let io = Io { transport, progress: Progress { method, ..Progress::default() }, retries: options.retries };
        let pacer = Pacer::new(Pace::Fixed(options.concurrency.unwrap_or(1) as usize));
        Ok(Reader { io, options, stage: Stage::Planning, delivered: IdSet::default(), pacer, local_sort_allowed: false, local_order: None })
    }

    /// The caller holds every record before handing any on (`getAllRecords`): a text order
    /// past offset's reach may then be read by `$id` and sorted locally (see `local_order`).
    pub fn allow_local_sort(&mut self) {
        self.local_sort_allowed = true;
    }

    /// Once the read has ended: how its records must be sorted, when they were delivered
    /// by `$id` for a local sort rather than in the order (`None`: they are in order).
    pub fn local_order(&self) -> Option<&LocalOrder> {
        self.local_order.as_ref()
    }

    /// Runs up to `concurrency` windows as the domain's load allows (asked through the
    /// transport's `domain_load`) instead of exactly that many: the default inside kintone.
    pub fn follow_domain_load(&mut self) {
        self.pacer.follow_load();
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
            Stage::Seek(_)
            | Stage::PacedSeek(_)
            | Stage::FirstWindowed(_)
            | Stage::Windows { .. }
            | Stage::Offset(_)
            | Stage::Parts(_)
            | Stage::SortEnd { .. }
            | Stage::Done => false,
        }
    }

    /// The next page of records, or `None` once every record has been delivered.
    pub async fn next_page(&mut self) -> Result<Option<T::Answer>, T> {
        loop {
            // Each branch answers a page, the fields the library added to it, and which
            // of its records are new to the read (`None`: all of them, ids permitting).
            let (answer, added, keep): (T::Answer, Vec<String>, Option<Vec<bool>>) = match &mut self.stage {
                Stage::Done => return Ok(None),
                Stage::Planning => {
                    let (answer, added, stage) = self.first_page().await?;
                    self.stage = stage;
                    (answer, added, None)
                }
                Stage::PacedSeek(_) => {
                    let Stage::PacedSeek(seek) = std::mem::replace(&mut self.stage, Stage::Done) else { unreachable!() };
                    let added = seek.added_fields().to_vec();
                    match self.paced_seek_page(seek).await? {
                        Some(answer) => (answer, added, None),
                        None => continue,
                    }
                }
                Stage::FirstWindowed(_) => {
                    let Stage::FirstWindowed(seek) = std::mem::replace(&mut self.stage, Stage::Done) else { unreachable!() };
                    let added = seek.added_fields().to_vec();
                    (self.first_windowed_page(seek).await?, added, None)
                }
                Stage::Windows { seek, .. } => {
                    let added = seek.added_fields().to_vec();
                    match self.window_page().await? {
                        Some(answer) => (answer, added, None),
                        None => {
                            self.stage = Stage::Done;
                            return Ok(None);
                        }
                    }
                }
                Stage::Seek(seek) => {
                    let Some(request) = seek.next_request() else {
                        self.stage = Stage::Done;
                        return Ok(None);
                    };
                    let answer = self.io.send_retrying(&request).await?;
                    if !seek.accept(&answer)? {
                        continue;
                    }
                    (answer, seek.added_fields().to_vec(), None)
                }
                Stage::Parts(read) => {
                    let Some(request) = read.next_request(&self.options, &self.delivered) else {
                        self.stage = Stage::Done;
                        return Ok(None);
                    };
                    let answer = match self.io.send_retrying(&request).await {
                        Err(error) if read.checking() && self.io.kintone_code(&error).is_some() => {
                            read.refused(&self.options);
                            continue;
                        }
                        answer => answer?,
                    };
                    if !read.accept(&answer, &self.options, &self.delivered)? {
                        continue;
                    }
                    (answer, read.added_fields().to_vec(), None)
                }
                Stage::SortEnd { .. } => {
                    let Stage::SortEnd { request, seek } = std::mem::replace(&mut self.stage, Stage::Done) else { unreachable!() };
                    let end = self.io.send_retrying(&request).await?;
                    if let Some(order) = &mut self.local_order {
                        // Asked for in the order reversed.
                        order.last = first::ids_of(&end);
                        order.last.reverse();
                    }
                    self.stage = self.id_seek_stage(seek, None);
                    continue;
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
                    let delivered = &self.delivered;
                    let keep = offset.accept(&answer, |id| delivered.contains(id))?;
                    (answer, offset.added_fields().to_vec(), Some(keep))
                }
                Stage::Cursor { requests, id, finished, first } => {
                    if *finished {
                        self.stage = Stage::Done;
                        return Ok(None);
                    }
                    let open_id = match id {
                        Some(open_id) => open_id.clone(),
                        None => match planning::open_cursor(&mut self.io, requests, self.options.cursor_wait_ms).await? {
                            Some(new_id) => id.insert(new_id).clone(),
                            None => {
                                let first = std::mem::take(first);
                                self.stage = self.offset_fallback(first).await?;
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
                    (answer, requests.added_fields().to_vec(), None)
                }
            };
            if let (Some(total), false) = (answer.total_count(), matches!(self.stage, Stage::Parts(_))) {
                self.io.progress.total = Some(total);
            }
            let answer = self.deliver(answer, &added, keep)?;
            // A cursor may answer `next: true` with no records, and a page may hold only
            // records already delivered: keep going.
            if answer.is_empty() {
                continue;
            }
            self.io.progress.fetched += answer.len() as u64;
            return Ok(Some(answer));
        }
    }

    /// Drops the records already delivered (and those `keep` leaves out), notes the
    /// rest as delivered, and removes the fields the library added.
    fn deliver(&mut self, mut answer: T::Answer, added: &[String], keep: Option<Vec<bool>>) -> Result<T::Answer, T> {
        let mut keep = keep.unwrap_or_else(|| vec![true; answer.len()]);
        let mut dropped = false;
        for (index, kept) in keep.iter_mut().enumerate() {
            let id = answer.record_id(index).ok_or_else(|| {
                SeekError::protocol(format!(
                    "record {index} of a page has no `$id` (a whole number): the read cannot tell it from the records \
                     already delivered."
                ))
            })?;
            *kept = *kept && self.delivered.insert(id);
            dropped |= !*kept;
        }
        if dropped {
            answer.retain_records(&keep);
        }
        if !added.is_empty() {
            answer.strip_fields(added);
        }
        Ok(answer)
    }

    /// Ends the read, deleting its cursor if one is open. A cursor kintone already
    /// removed (`GAIA_CN01`) counts as released.
    pub async fn close(&mut self) -> Result<(), T> {
        let stage = std::mem::replace(&mut self.stage, Stage::Done);
        let Stage::Cursor { requests, id: Some(id), finished: false, .. } = stage else { return Ok(()) };
        let deleted = self.io.send_once(&requests.delete(&id)).await;
        self.io.transport.cursor_closed(&id);
        match deleted {
            Err(error) if self.io.kintone_code(&error).as_deref() != Some(CURSOR_GONE) => Err(error),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod paced_tests;
