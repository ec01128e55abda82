//! `order by`: keys checked against the form, then a multi-key comparison of records.
//! Empty values sort as the smallest; text compares by Unicode code point; drop-downs
//! and radio buttons by the order of their options; creator and modifier by the user's
//! numeric id (documented; here the user's index); ties by `$id` desc.

use std::cmp::Ordering;

use kintone_seek::query::{Direction, OrderKey};

use crate::error::{ApiError, ApiResult};
use crate::lang::t;
use crate::eval::iq11;
use crate::model::{App, FieldRef, FieldType, Record, Users, Val};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KeyTarget {
    Id,
    Revision,
    Top(usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SortKey {
    pub target: KeyTarget,
    pub desc: bool,
}

/// The keys of `order by`, kintone's defaults applied: no keys means `$id desc`, a key
/// without a direction sorts descending.
pub fn compile_order(app: &App, keys: &[OrderKey]) -> ApiResult<Vec<SortKey>> {
    if keys.is_empty() {
        return Ok(vec![SortKey { target: KeyTarget::Id, desc: true }]);
    }
    keys.iter()
        .map(|k| {
            let desc = k.direction != Some(Direction::Asc);
            let target = match app.resolve(&k.field).ok_or_else(|| iq11(&k.field))? {
                FieldRef::Id => KeyTarget::Id,
                FieldRef::Revision => KeyTarget::Revision,
                FieldRef::InTable(..) => return Err(not_sortable(&k.field)),
                FieldRef::Top(i) => {
                    use FieldType::*;
                    match app.fields[i].ftype {
                        RecordNumber => KeyTarget::Id,
                        MultiLineText | RichText | CheckBox | MultiSelect | UserSelect | Subtable => {
                            return Err(not_sortable(&k.field))
                        }
                        _ => KeyTarget::Top(i),
                    }
                }
            };
            Ok(SortKey { target, desc })
        })
        .collect()
}

/// An unsortable key is GAIA_IS02 (observed; older captures show GAIA_IQ03).
fn not_sortable(field: &str) -> ApiError {
    ApiError::new(400, "GAIA_IS02", t(format!("フィールド「{field}」でソートすることはできません。"), format!("The field \"{field}\" cannot be used to sort records.")))
}

/// Whether the order is `$id` alone; `Some(true)` when descending.
pub fn id_only(keys: &[SortKey]) -> Option<bool> {
    match keys.first() {
        Some(SortKey { target: KeyTarget::Id, desc }) => Some(*desc),
        _ => None,
    }
}

fn rank(v: &Val, app: &App, i: usize) -> (u8, f64, String) {
    match v {
        Val::Empty => (0, 0.0, String::new()),
        Val::Num(n) => (1, *n, String::new()),
        Val::Date(d) => (1, *d as f64, String::new()),
        Val::DateTime(t) => (1, *t as f64, String::new()),
        Val::Time(t) => (1, *t as f64, String::new()),
        Val::User(u) => (1, *u as f64, String::new()),
        Val::Text(s) => {
            let f = &app.fields[i];
            match f.options.iter().position(|o| o.as_str() == s.as_ref()) {
                Some(p) if matches!(f.ftype, FieldType::DropDown | FieldType::RadioButton) => (1, p as f64, String::new()),
                _ => (1, 0.0, s.to_string()),
            }
        }
        _ => (0, 0.0, String::new()),
    }
}

fn compare_values(a: &Val, b: &Val, app: &App, i: usize) -> Ordering {
    match (a, b) {
        (Val::Num(x), Val::Num(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Val::DateTime(x), Val::DateTime(y)) => x.cmp(y),
        (Val::Date(x), Val::Date(y)) => x.cmp(y),
        (Val::Time(x), Val::Time(y)) => x.cmp(y),
        (Val::Text(x), Val::Text(y)) if !matches!(app.fields[i].ftype, FieldType::DropDown | FieldType::RadioButton) => x.cmp(y),
        _ => {
            let (ra, rb) = (rank(a, app, i), rank(b, app, i));
            ra.0.cmp(&rb.0).then(ra.1.partial_cmp(&rb.1).unwrap_or(Ordering::Equal)).then(ra.2.cmp(&rb.2))
        }
    }
}

pub fn compare(a: &Record, b: &Record, keys: &[SortKey], app: &App, _users: &Users) -> Ordering {
    for k in keys {
        let o = match k.target {
            KeyTarget::Id => a.id.cmp(&b.id),
            KeyTarget::Revision => a.revision.cmp(&b.revision),
            KeyTarget::Top(i) => compare_values(&a.values[i], &b.values[i], app, i),
        };
        let o = if k.desc { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    b.id.cmp(&a.id)
}

/// A number that sorts a value of field `i` like [`compare`] does, for the types where
/// one exists (numbers, dates, times, drop-downs); empty is -inf. `None` for text.
fn scalar(v: &Val, app: &App, i: usize) -> Option<f64> {
    match v {
        Val::Empty => Some(f64::NEG_INFINITY),
        Val::Num(n) => Some(*n),
        Val::Date(d) => Some(*d as f64),
        Val::DateTime(t) => Some(*t as f64),
        Val::Time(t) => Some(*t as f64),
        Val::User(u) => Some(*u as f64),
        Val::Text(s) if matches!(app.fields[i].ftype, FieldType::DropDown | FieldType::RadioButton) => {
            app.fields[i].options.iter().position(|o| o.as_str() == s.as_ref()).map(|p| p as f64)
        }
        _ => None,
    }
}

/// The fast path for the commonest sort, one scalar key then `$id`: sorts `positions`
/// (into `app.records`) by precomputed keys, keeping only the first `take`. `false`
/// when the order or a value does not fit (then nothing was changed).
pub fn sort_scalar(positions: &mut Vec<usize>, keys: &[SortKey], app: &App, take: usize) -> bool {
    let (i, desc) = match keys.first() {
        Some(SortKey { target: KeyTarget::Top(i), desc }) => (*i, *desc),
        _ => return false,
    };
    let id_desc = match keys.get(1) {
        None => true,
        Some(SortKey { target: KeyTarget::Id, desc }) if keys.len() == 2 => *desc,
        _ => return false,
    };
    let mut items = Vec::with_capacity(positions.len());
    for &p in positions.iter() {
        let r = &app.records[p];
        match scalar(&r.values[i], app, i) {
            Some(k) => items.push((k, r.id, p)),
            None => return false,
        }
    }
    let cmp = |a: &(f64, u64, usize), b: &(f64, u64, usize)| {
        let o = a.0.total_cmp(&b.0);
        let o = if desc { o.reverse() } else { o };
        o.then_with(|| if id_desc { b.1.cmp(&a.1) } else { a.1.cmp(&b.1) })
    };
    if take < items.len() / 4 {
        items.select_nth_unstable_by(take, cmp);
        items.truncate(take);
    }
    items.sort_unstable_by(cmp);
    *positions = items.into_iter().map(|(_, _, p)| p).collect();
    true
}
