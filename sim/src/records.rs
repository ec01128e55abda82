//! GET `/k/v1/records.json` (also POST + `X-HTTP-Method-Override: GET`) and GET
//! `/k/v1/record.json`.

use axum::http::HeaderValue;
use axum::response::Response;
use kintone_seek::query::{Expr, Predicate};

use crate::api::{json, with_app};
use crate::error::{ApiError, ApiResult};
use crate::eval::Ctx;
use crate::params::ApiRequest;
use crate::render::{push_record, push_records, Selection};
use crate::select::{check_limits, parse, select};
use crate::state::Sim;

pub fn ctx(sim: &Sim, user: Option<u32>) -> Ctx {
    Ctx { now: sim.clock.now_ms().div_euclid(1000), login_user: user, behaviour: sim.behaviour() }
}

/// kintone adds this header when a keyword filter (`like`) matches this many records.
pub const LIKE_WARNING_AT: usize = 100_000;

fn has_like(e: &Expr) -> bool {
    match e {
        Expr::Condition(c) => matches!(c.predicate, Predicate::Like(_) | Predicate::NotLike(_)),
        Expr::And(items) | Expr::Or(items) => items.iter().any(has_like),
        Expr::Paren(inner) => has_like(inner),
    }
}

pub fn get_records(sim: &Sim, req: &ApiRequest, user: Option<u32>) -> ApiResult<Response> {
    let text = req.str("query").unwrap_or_default();
    let fields = req.list("fields");
    let want_total = req.bool("totalCount");
    with_app(sim, req, |app, users| {
        let q = parse(&text)?;
        let (limit, offset) = check_limits(&q)?;
        let like = q.condition.as_ref().is_some_and(has_like);
        let mut selected = select(app, users, &q, &ctx(sim, user), limit, offset, want_total || like)?;
        // The warning only; the answer stays complete (how kintone cuts it is not documented).
        let warn = like && selected.total.is_some_and(|n| n >= LIKE_WARNING_AT);
        if !want_total {
            selected.total = None;
        }
        let sel = Selection::new(app, fields.as_deref());
        let mut out = String::with_capacity(64 + selected.positions.len() * 1024);
        out.push_str("{\"records\":");
        push_records(&mut out, app, users, selected.positions.iter().map(|&p| &app.records[p]), &sel);
        match selected.total {
            Some(n) => out.push_str(&format!(",\"totalCount\":\"{n}\"}}")),
            None => out.push_str(",\"totalCount\":null}"),
        }
        let mut response = json(out);
        if warn {
            response.headers_mut().insert("x-cybozu-warning", HeaderValue::from_static("Filter aborted because of too many search results"));
        }
        Ok(response)
    })
}

pub fn get_record(sim: &Sim, req: &ApiRequest) -> ApiResult<Response> {
    let id = req.uint("id")?.ok_or_else(|| ApiError::validation("id", "必須です。"))?;
    with_app(sim, req, |app, users| {
        let record = app.get(id).ok_or_else(|| ApiError::new(404, "GAIA_RE01", format!("指定したレコード（id: {id}）が見つかりません。")))?;
        let mut out = String::from("{\"record\":");
        push_record(&mut out, app, users, record, &Selection::new(app, None));
        out.push('}');
        Ok(json(out))
    })
}
