//! Planning a read (the form's field types, the probes for empty keys) and the cursor's
//! way in: creation with the wait for a free cursor, and the offset fallback.

use super::io::Io;
use super::{Reader, Result, Stage};
use crate::cursor::{CursorRequests, TOO_MANY_CURSORS};
use crate::error::{SeekError, SeekErrorCode};
use crate::limits::MAX_OFFSET;
use crate::offset::{light_request, OffsetPaginator};
use crate::options::ReadMethod;
use crate::paths::api_path;
use crate::plan::{plan_with_fields, plan_without_fields, Plan, SortKey};
use crate::retry::{backoff_ms, CURSOR_WAIT_FIRST_MS, CURSOR_WAIT_LONGEST_MS};
use crate::seek::SeekPaginator;
use crate::transport::{Answer, Method, Request, Transport};

impl<T: Transport> Reader<T> {
    pub(super) async fn plan(&mut self) -> Result<Stage<T>, T> {
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
                if self.pacer.max_windows() > 1 && seek.on_id_only() { Stage::FirstWindowed(seek) } else { Stage::Seek(seek) }
            }
            Plan::Cursor { keys } => self.cursor_stage(&keys),
            Plan::Offset { keys } => {
                self.io.progress.method = "offset";
                Stage::Offset(OffsetPaginator::new(&self.options, &keys))
            }
        })
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
        match self.io.send_retrying(&light_request(&self.options, Some(&test), false)).await {
            Ok(answer) if answer.is_empty() => Ok(None),
            Ok(_) => Ok(Some("some matching records have no value in it (it was made required after they were saved)".into())),
            Err(error) => match self.io.kintone_code(&error) {
                Some(code) => Ok(Some(format!("kintone refused the probe for empty values ({code})"))),
                None => Err(error),
            },
        }
    }

    /// All cursors stayed taken: read with offset when few enough records match.
    pub(super) async fn offset_fallback(&mut self) -> Result<Stage<T>, T> {
        let answer = self.io.send_retrying(&light_request(&self.options, None, true)).await?;
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
pub(super) async fn open_cursor<T: Transport>(io: &mut Io<T>, requests: &CursorRequests, wait_ms: u64) -> Result<Option<String>, T> {
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
