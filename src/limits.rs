//! kintone's limits that the reader is built around, each stated once.

/// Records GET answers at most 500 records per request (`limit` over 500 is `GAIA_QU01`).
pub const MAX_PAGE_SIZE: u32 = 500;

/// Records GET refuses an `offset` past 10,000 (`GAIA_QU02`).
pub const MAX_OFFSET: u64 = 10_000;

/// A cursor expires 10 minutes after its creation or its last GET.
pub const CURSOR_LIFETIME_MS: u64 = 10 * 60 * 1000;

/// The path of the bulk records API (guest apps use `/k/guest/{space}/v1/...`).
pub const RECORDS_PATH: &str = "/k/v1/records.json";
