//! The date functions of the query language, as ranges of days `[start, end)`.
//! Weeks start on Sunday; "today" is the date of the simulator's clock in the user's
//! time zone (`--user-tz`, default Asia/Tokyo; docs/KINTONE.md).

use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;
use kintone_seek::query::{Function, FunctionArg, FunctionCall};

use crate::timefmt::{date_from_days, days_from_date};

/// The day (since 1970-01-01) of instant `secs` in time zone `tz`.
pub fn local_day(secs: i64, tz: Tz) -> i32 {
    match chrono::DateTime::from_timestamp(secs, 0) {
        Some(t) => days_from_date(t.with_timezone(&tz).date_naive()),
        None => secs.div_euclid(86_400) as i32,
    }
}

/// The instant (seconds) day `day` starts in time zone `tz` (the earliest midnight; the
/// first instant of the day where a transition skips midnight).
pub fn local_midnight(day: i32, tz: Tz) -> i64 {
    let date: NaiveDate = date_from_days(day);
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    match tz.from_local_datetime(&midnight).earliest() {
        Some(t) => t.timestamp(),
        // Midnight skipped by a transition: an hour later is inside the day.
        None => tz.from_local_datetime(&(midnight + chrono::Duration::hours(1))).earliest().map_or(day as i64 * 86_400, |t| t.timestamp() - 3600),
    }
}

use crate::timefmt::{add_months, month_start, weekday, year_month};

fn weekday_index(word: &str) -> Option<i32> {
    ["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"]
        .iter()
        .position(|w| w.eq_ignore_ascii_case(word))
        .map(|i| i as i32)
}

fn number(arg: Option<&FunctionArg>) -> Option<i64> {
    match arg {
        Some(FunctionArg::Number(n)) => n.parse().ok(),
        _ => None,
    }
}

fn word(arg: Option<&FunctionArg>) -> Option<&str> {
    match arg {
        Some(FunctionArg::Word(w)) => Some(w.as_str()),
        _ => None,
    }
}

/// The day range a date function stands for, with `today` in days since the epoch.
/// `None` for functions that are not dates (LOGINUSER, PRIMARY_ORGANIZATION) or
/// arguments out of range (GAIA_IQ23).
pub fn day_range(call: &FunctionCall, today: i32) -> Option<(i32, i32)> {
    let day = |d: i32| Some((d, d + 1));
    let week = |shift: i32| {
        let start = today - weekday(today) + shift * 7;
        match word(call.args.first()) {
            Some(w) => day(start + weekday_index(w)?),
            None => Some((start, start + 7)),
        }
    };
    let month = |shift: i32| {
        let (y, m) = year_month(today);
        let start = month_start(y, m + shift);
        let end = month_start(y, m + shift + 1);
        match call.args.first() {
            None => Some((start, end)),
            Some(FunctionArg::Word(w)) if w.eq_ignore_ascii_case("LAST") => day(end - 1),
            arg => {
                // 1 to 31 (documented); a day past the month's end runs into the next
                // month (assumed: THIS_MONTH(31) in April is May 1).
                let n = number(arg)?;
                if !(1..=31).contains(&n) {
                    return None;
                }
                let _ = end;
                day(start + n as i32 - 1)
            }
        }
    };
    let year = |shift: i32| {
        let (y, _) = year_month(today);
        Some((month_start(y + shift, 0), month_start(y + shift + 1, 0)))
    };
    match call.function {
        Function::Now | Function::Today => day(today),
        Function::Yesterday => day(today - 1),
        Function::Tomorrow => day(today + 1),
        Function::FromToday => {
            let n = number(call.args.first())? as i32;
            let unit = word(call.args.get(1))?.to_ascii_uppercase();
            match unit.as_str() {
                "DAYS" => day(today + n),
                "WEEKS" => day(today + 7 * n),
                "MONTHS" => day(add_months(today, n)),
                "YEARS" => day(add_months(today, 12 * n)),
                _ => None,
            }
        }
        Function::ThisWeek => week(0),
        Function::LastWeek => week(-1),
        Function::NextWeek => week(1),
        Function::ThisMonth => month(0),
        Function::LastMonth => month(-1),
        Function::NextMonth => month(1),
        Function::ThisYear => year(0),
        Function::LastYear => year(-1),
        Function::NextYear => year(1),
        Function::LoginUser | Function::PrimaryOrganization => None,
    }
}
