//! Dates, datetimes and times in kintone's text forms. Everything is UTC.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike};

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()
}

pub fn date_from_days(days: i32) -> NaiveDate {
    epoch() + Duration::days(days as i64)
}

pub fn days_from_date(d: NaiveDate) -> i32 {
    (d - epoch()).num_days() as i32
}

/// `YYYY-MM-DD`
pub fn format_date(days: i32) -> String {
    date_from_days(days).format("%Y-%m-%d").to_string()
}

pub fn parse_date(s: &str) -> Option<i32> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok().map(days_from_date)
}

/// `YYYY-MM-DDTHH:MM:SSZ`
pub fn format_datetime(secs: i64) -> String {
    DateTime::from_timestamp(secs, 0).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string()).unwrap_or_default()
}

/// Accepts `YYYY-MM-DDTHH:MM[:SS][.fff](Z|±HH:MM)`.
pub fn parse_datetime(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.timestamp());
    }
    // Without seconds: 2024-01-02T03:04Z
    let with_secs = if let Some(rest) = s.strip_suffix('Z') { format!("{rest}:00Z") } else { return None };
    DateTime::parse_from_rfc3339(&with_secs).ok().map(|d| d.timestamp())
}

/// `HH:MM`
pub fn format_time(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

pub fn parse_time(s: &str) -> Option<u16> {
    let t = NaiveTime::parse_from_str(s.trim(), "%H:%M").or_else(|_| NaiveTime::parse_from_str(s.trim(), "%H:%M:%S")).ok()?;
    Some((t.hour() * 60 + t.minute()) as u16)
}

/// Days since the epoch of the first day of (year, month), month 1..12, normalising
/// months out of range.
pub fn month_start(year: i32, month0: i32) -> i32 {
    let y = year + month0.div_euclid(12);
    let m = month0.rem_euclid(12) as u32 + 1;
    days_from_date(NaiveDate::from_ymd_opt(y, m, 1).unwrap())
}

/// (year, 0-based month) of a day.
pub fn year_month(days: i32) -> (i32, i32) {
    let d = date_from_days(days);
    (d.year(), d.month0() as i32)
}

/// 0 = Sunday .. 6 = Saturday.
pub fn weekday(days: i32) -> i32 {
    date_from_days(days).weekday().num_days_from_sunday() as i32
}

/// Adds months to a day, clamping the day of month (Jan 31 + 1 month = Feb 28/29).
pub fn add_months(days: i32, months: i32) -> i32 {
    let d = date_from_days(days);
    let (y, m) = year_month(days);
    let start = month_start(y, m + months);
    let next = month_start(y, m + months + 1);
    (start + d.day0() as i32).min(next - 1)
}
