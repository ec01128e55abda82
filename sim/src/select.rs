//! A whole query against an app: parse (CB_VA01), limits (GAIA_QU01/QU02), condition,
//! order, then the page. An order on `$id` alone walks the id-sorted records from the
//! right end and stops early; `$id` bounds in the top-level `and` narrow the walk.

use kintone_seek::query::{parse_query, Query};

use crate::behaviour::{Behaviour, KeywordCase};
use crate::error::{ApiError, ApiResult};
use crate::keywords::non_lowercase_keyword;
use crate::lang::t;
use crate::eval::{compile, Ctx};
use crate::matchers::Compiled;
use crate::model::{App, Users};
use crate::order::{compare, compile_order, id_only, sort_scalar};

pub const MAX_LIMIT: u64 = 500;
pub const MAX_OFFSET: u64 = 10_000;
pub const DEFAULT_LIMIT: u64 = 100;

/// Parses a query: syntax errors are CB_VA01, except bad function arguments (the core's
/// parser checks them): GAIA_IL08 for a wrong number of arguments, GAIA_IQ25 for a
/// FROM_TODAY unit that is not allowed, GAIA_IQ23 for another argument out of range
/// (observed codes). Under `--keyword-case lower` an upper-case keyword is CB_VA01.
pub fn parse(text: &str, behaviour: &Behaviour) -> ApiResult<Query> {
    if behaviour.keyword_case == KeywordCase::Lower {
        if let Some(word) = non_lowercase_keyword(text) {
            return Err(ApiError::query_syntax(t(
                format!("クエリ記法が間違っています。キーワード「{word}」は小文字で指定してください。"),
                format!("The query has a syntax error: write the keyword \"{word}\" in lowercase."),
            )));
        }
    }
    parse_query(text).map_err(|e| {
        let m = e.message.as_str();
        if m.starts_with("too few arguments") || m.starts_with("too many arguments") {
            ApiError::new(400, "GAIA_IL08", t(format!("関数の引数の数が正しくありません。{e}"), format!("Wrong number of arguments of a function. {e}")))
        } else if m.starts_with("FROM_TODAY takes") && m.contains("but argument 2") {
            ApiError::new(400, "GAIA_IQ25", t(format!("FROM_TODAY()の第2引数には、DAYS、WEEKS、MONTHS、YEARSのいずれかを指定します。{e}"), format!("The second argument of FROM_TODAY() must be DAYS, WEEKS, MONTHS or YEARS. {e}")))
        } else if m.contains(" takes ") && m.contains(", but argument ") {
            ApiError::new(400, "GAIA_IQ23", t(format!("関数の引数が範囲外です。{e}"), format!("An argument of the function is out of range. {e}")))
        } else {
            ApiError::query_syntax(t(format!("クエリ記法が間違っています。{e}"), format!("The query has a syntax error. {e}")))
        }
    })
}

pub fn check_limits(q: &Query) -> ApiResult<(usize, usize)> {
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if limit > MAX_LIMIT {
        return Err(ApiError::new(400, "GAIA_QU01", t("limitには500以下の値を指定してください。", "Specify a value of 500 or less for limit.")));
    }
    let offset = q.offset.unwrap_or(0);
    if offset > MAX_OFFSET {
        return Err(ApiError::new(400, "GAIA_QU02", t("offsetには10000以下の値を指定してください。", "Specify a value of 10000 or less for offset.")));
    }
    Ok((limit as usize, offset as usize))
}

/// Positions (into `app.records`) of the page, and the match count when asked.
pub struct Selected {
    pub positions: Vec<usize>,
    pub total: Option<usize>,
}

fn id_window(app: &App, cond: &Compiled) -> (usize, usize) {
    let (lo, hi) = cond.id_bounds();
    if lo > hi {
        return (0, 0);
    }
    let start = app.records.partition_point(|r| r.id < lo);
    let end = app.records.partition_point(|r| r.id <= hi);
    (start, end.max(start))
}

/// Runs `q` (its own limit and offset ignored) and takes `limit` matches after `offset`;
/// `limit = usize::MAX` takes everything.
pub fn select(app: &App, users: &Users, q: &Query, ctx: &Ctx, limit: usize, offset: usize, want_total: bool) -> ApiResult<Selected> {
    let cond = compile(app, users, q.condition.as_ref(), ctx)?;
    let keys = compile_order(app, &q.order_by)?;
    let (start, end) = id_window(app, &cond);
    let window = &app.records[start..end];
    let take = offset.saturating_add(limit);
    if let Some(desc) = id_only(&keys) {
        let mut positions = Vec::new();
        let mut total = 0usize;
        let mut visit = |i: usize| -> bool {
            if cond.matches(&window[i], users) {
                if total >= offset && total < take {
                    positions.push(start + i);
                }
                total += 1;
            }
            want_total || total < take
        };
        if desc {
            for i in (0..window.len()).rev() {
                if !visit(i) {
                    break;
                }
            }
        } else {
            for i in 0..window.len() {
                if !visit(i) {
                    break;
                }
            }
        }
        return Ok(Selected { positions, total: want_total.then_some(total) });
    }
    let mut matching: Vec<usize> = (0..window.len()).filter(|&i| cond.matches(&window[i], users)).map(|i| start + i).collect();
    let total = matching.len();
    let recs = &app.records;
    if sort_scalar(&mut matching, &keys, app, take) {
        let positions = matching.into_iter().skip(offset).take(limit).collect();
        return Ok(Selected { positions, total: want_total.then_some(total) });
    }
    if take < matching.len() / 4 {
        // Only the first `take` are needed: partial selection, then sort those.
        matching.select_nth_unstable_by(take, |&a, &b| compare(&recs[a], &recs[b], &keys, app, users));
        matching.truncate(take);
    }
    matching.sort_by(|&a, &b| compare(&recs[a], &recs[b], &keys, app, users));
    let positions = matching.into_iter().skip(offset).take(limit).collect();
    Ok(Selected { positions, total: want_total.then_some(total) })
}

/// Every matching record id in the query's order (for cursors and `/_sim/evaluate`).
pub fn all_ids(app: &App, users: &Users, q: &Query, ctx: &Ctx) -> ApiResult<Vec<u64>> {
    let s = select(app, users, q, ctx, usize::MAX, 0, false)?;
    Ok(s.positions.into_iter().map(|p| app.records[p].id).collect())
}
