//! The cursors of the domain: at most 10 live, shared by every client; the record ids
//! fixed at creation, the values read at each GET; expiry 10 minutes after creation or
//! the last GET; freed by `next: false` or DELETE.

use std::collections::HashMap;

use serde::Serialize;

pub const MAX_LIVE: usize = 10;
pub const LIFETIME_MS: i64 = 10 * 60 * 1000;

#[derive(Debug, Clone)]
pub struct Cursor {
    pub app: u64,
    pub ids: Vec<u64>,
    pub pos: usize,
    pub size: usize,
    pub fields: Option<Vec<String>>,
    pub expires_ms: i64,
    /// Taken by `POST /_sim/cursors/occupy` ("other users" of the domain).
    pub occupied: bool,
    pub login_user: Option<u32>,
}

#[derive(Debug, Default)]
pub struct Cursors {
    pub live: HashMap<String, Cursor>,
    pub stats: CursorStats,
}

#[derive(Debug, Default, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CursorStats {
    pub created: u64,
    pub deleted: u64,
    /// Freed by reading the last page.
    pub finished: u64,
    /// Expired while still live: never released by their client.
    pub expired: u64,
    pub peak_live: usize,
    /// 429 GAIA_TM12 answers.
    pub refused: u64,
}

impl Cursors {
    /// Drops the cursors whose time is up.
    pub fn sweep(&mut self, now_ms: i64) {
        let mut expired_clients = 0;
        self.live.retain(|_, c| {
            let keep = c.expires_ms > now_ms;
            if !keep && !c.occupied {
                expired_clients += 1;
            }
            keep
        });
        self.stats.expired += expired_clients;
    }

    /// Client cursors (not occupied by "other users") live now.
    pub fn live_clients(&self) -> usize {
        self.live.values().filter(|c| !c.occupied).count()
    }

    /// Adds a cursor if fewer than 10 are live; its new id.
    pub fn open(&mut self, cursor: Cursor, now_ms: i64) -> Option<String> {
        self.sweep(now_ms);
        if self.live.len() >= MAX_LIVE {
            self.stats.refused += 1;
            return None;
        }
        let id = uuid::Uuid::new_v4().to_string();
        if !cursor.occupied {
            self.stats.created += 1;
        }
        self.live.insert(id.clone(), cursor);
        self.stats.peak_live = self.stats.peak_live.max(self.live.len());
        Some(id)
    }
}
