//! The cursor's way in: creation with the wait for a free cursor, and the offset
//! fallback when all cursors stay taken.

use super::io::Io;
use super::{Reader, Result, Stage};
use crate::cursor::{CursorRequests, TOO_MANY_CURSORS};
use crate::error::{SeekError, SeekErrorCode};
use crate::limits::MAX_OFFSET;
use crate::offset::{light_request, OffsetPaginator, Placed};
use crate::retry::{backoff_ms, CURSOR_WAIT_FIRST_MS, CURSOR_WAIT_LONGEST_MS};
use crate::transport::{Answer, Transport};

impl<T: Transport> Reader<T> {
    /// All cursors stayed taken: read with offset when few enough records match.
    pub(super) async fn offset_fallback(&mut self, first: Vec<Placed>) -> Result<Stage<T>, T> {
        let answer = self.io.send_retrying(&light_request(&self.options, true)).await?;
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
        Ok(Stage::Offset(OffsetPaginator::after_first(&self.options, &keys, first, None)?))
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
