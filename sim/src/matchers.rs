//! A compiled condition tested against records: per-type comparisons, empty values,
//! and fields inside tables.

use std::collections::BTreeMap;

use kintone_seek::query::CompareOp;

use crate::like::LikePattern;
use crate::model::{Record, Users, Val};

#[derive(Debug, Clone)]
pub enum Kind {
    /// Numbers (and `$id`): `=` `<` ... against one value. An empty value is minus
    /// infinity: `<` and `<=` match it (observed for NUMBER).
    Num(CompareOp, f64),
    /// `in (...)` on numbers; `true`: `""` was listed and finds empty values.
    NumIn(Vec<f64>, bool),
    /// Text equality (empty = "").
    TextIn(Vec<String>),
    /// kintone's word search (like.rs).
    Like(LikePattern),
    /// Empty, or only spaces, tabs and newlines (`is empty`, `= ""` on numbers).
    Empty,
    /// No value (`k = ""` under `--empty-equals nothing`).
    Never,
    /// Dates, datetimes, times: the operand is a range `[lo, hi)` in the stored unit;
    /// the flag: `<` and `<=` match an empty value (the `emptyDatesBelow` switch).
    Range(CompareOp, i64, i64, bool),
    /// Options of drop-downs, radio buttons, check boxes: any selected value in the list.
    ChoiceIn(Vec<String>),
    /// Users by index (u32::MAX never matches).
    UserIn(Vec<u32>),
}

#[derive(Debug, Clone)]
pub enum Target {
    Id,
    Revision,
    Top(usize),
    Table(usize, usize),
}

#[derive(Debug, Clone)]
pub enum Compiled {
    True,
    And(Vec<Compiled>),
    Or(Vec<Compiled>),
    Test { target: Target, kind: Kind, negate: bool },
    /// Positive conditions on fields of one table joined by `and`: they must hold in the
    /// same row (observed). (table index, [(sub-field index, kind)])
    Row(usize, Vec<(usize, Kind)>),
}

impl Kind {
    pub fn test(&self, v: &Val) -> bool {
        match (self, v) {
            (Kind::Empty, v) => is_blank(v),
            (Kind::Never, _) => false,
            (Kind::Num(op, _), Val::Empty) => matches!(op, CompareOp::Lt | CompareOp::Le),
            (Kind::Num(op, x), Val::Num(n)) => cmp(*op, n.partial_cmp(x)),
            (Kind::NumIn(xs, _), Val::Num(n)) => xs.contains(n),
            (Kind::NumIn(_, empty), Val::Empty) => *empty,
            (Kind::TextIn(xs), v) => {
                let s = match v {
                    Val::Text(s) => s.as_ref(),
                    _ => "",
                };
                xs.iter().any(|x| x == s)
            }
            (Kind::Like(p), Val::Text(s)) => p.matches(strip_tags(s).as_ref()),
            (Kind::Like(p), Val::Empty) => p.matches(""),
            (Kind::Range(op, _, _, empty_below), Val::Empty) => *empty_below && matches!(op, CompareOp::Lt | CompareOp::Le),
            (Kind::Range(op, lo, hi, _), v) => {
                let n = match v {
                    Val::Date(d) => *d as i64,
                    Val::DateTime(t) => *t,
                    Val::Time(m) => *m as i64,
                    _ => return false,
                };
                match op {
                    CompareOp::Eq | CompareOp::Ne => n >= *lo && n < *hi,
                    CompareOp::Gt => n >= *hi,
                    CompareOp::Ge => n >= *lo,
                    CompareOp::Lt => n < *lo,
                    CompareOp::Le => n < *hi,
                }
            }
            (Kind::ChoiceIn(xs), Val::Text(s)) => xs.iter().any(|x| x.as_str() == s.as_ref()),
            (Kind::ChoiceIn(xs), Val::Multi(items)) => {
                items.iter().any(|i| xs.iter().any(|x| x.as_str() == i.as_ref())) || (items.is_empty() && xs.iter().any(|x| x.is_empty()))
            }
            (Kind::ChoiceIn(xs), Val::Empty) => xs.iter().any(|x| x.is_empty()),
            (Kind::UserIn(xs), Val::User(u)) => xs.contains(u),
            (Kind::UserIn(xs), Val::Users(us)) => us.iter().any(|u| xs.contains(u)),
            _ => false,
        }
    }
}

/// Rich text is searched without its markup.
fn strip_tags(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('<') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.into()
}

fn cmp(op: CompareOp, o: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::*;
    match (op, o) {
        (_, None) => false,
        (CompareOp::Eq, Some(o)) => o == Equal,
        (CompareOp::Ne, Some(o)) => o != Equal,
        (CompareOp::Gt, Some(o)) => o == Greater,
        (CompareOp::Ge, Some(o)) => o != Less,
        (CompareOp::Lt, Some(o)) => o == Less,
        (CompareOp::Le, Some(o)) => o != Greater,
    }
}

/// No value at all (required-field checks).
pub fn is_empty(v: &Val) -> bool {
    match v {
        Val::Empty => true,
        Val::Text(s) => s.is_empty(),
        Val::Multi(items) => items.is_empty(),
        Val::Users(us) => us.is_empty(),
        Val::Table(rows) => rows.is_empty(),
        _ => false,
    }
}

/// `is empty`: no value, or text of only spaces, tabs and newlines (documented).
fn is_blank(v: &Val) -> bool {
    match v {
        Val::Text(s) => s.chars().all(char::is_whitespace),
        v => is_empty(v),
    }
}

impl Compiled {
    /// `and` of `items`, with the positive conditions on fields of the same table
    /// grouped so that they must hold in one row.
    pub fn and_in_rows(items: Vec<Compiled>) -> Compiled {
        let mut flat = Vec::new();
        for item in items {
            match item {
                Compiled::And(inner) => flat.extend(inner),
                other => flat.push(other),
            }
        }
        let mut by_table: BTreeMap<usize, usize> = BTreeMap::new();
        for c in &flat {
            if let Compiled::Test { target: Target::Table(i, _), negate: false, .. } = c {
                *by_table.entry(*i).or_default() += 1;
            }
        }
        let mut rows: BTreeMap<usize, Vec<(usize, Kind)>> = BTreeMap::new();
        let mut out = Vec::new();
        for c in flat {
            match c {
                Compiled::Test { target: Target::Table(i, j), kind, negate: false } if by_table[&i] > 1 => rows.entry(i).or_default().push((j, kind)),
                other => out.push(other),
            }
        }
        out.extend(rows.into_iter().map(|(i, tests)| Compiled::Row(i, tests)));
        if out.len() == 1 {
            out.pop().unwrap()
        } else {
            Compiled::And(out)
        }
    }

    pub fn matches(&self, r: &Record, users: &Users) -> bool {
        let _ = users;
        match self {
            Compiled::True => true,
            Compiled::And(items) => items.iter().all(|c| c.matches(r, users)),
            Compiled::Or(items) => items.iter().any(|c| c.matches(r, users)),
            Compiled::Row(i, tests) => match &r.values[*i] {
                Val::Table(rows) => rows.iter().any(|row| tests.iter().all(|(j, kind)| kind.test(&row.values[*j]))),
                _ => false,
            },
            Compiled::Test { target, kind, negate } => match target {
                Target::Id => kind.test(&Val::Num(r.id as f64)) != *negate,
                Target::Revision => kind.test(&Val::Num(r.revision as f64)) != *negate,
                Target::Top(i) => kind.test(&r.values[*i]) != *negate,
                // A positive operator: one row matches; a negation: no row matches. A
                // record with an empty table matches neither (observed).
                Target::Table(i, j) => match &r.values[*i] {
                    Val::Table(rows) if !rows.is_empty() => rows.iter().any(|row| kind.test(&row.values[*j])) != *negate,
                    _ => false,
                },
            },
        }
    }

    /// The `$id` range `[lo, hi]` that every match lies in, from top-level `and` terms.
    pub fn id_bounds(&self) -> (u64, u64) {
        let mut b = (0u64, u64::MAX);
        let mut visit = |c: &Compiled| {
            if let Compiled::Test { target: Target::Id, kind: Kind::Num(op, x), negate: false } = c {
                let x = *x;
                let (lo, hi) = match op {
                    CompareOp::Gt => ((x.floor() as i64 + 1).max(0) as u64, u64::MAX),
                    CompareOp::Ge => (x.ceil().max(0.0) as u64, u64::MAX),
                    CompareOp::Lt => (0, if x <= 0.0 { 0 } else { (x.ceil() as u64).saturating_sub(1) }),
                    CompareOp::Le => (0, if x < 0.0 { 0 } else { x.floor() as u64 }),
                    CompareOp::Eq => (x.ceil().max(0.0) as u64, x.floor().max(0.0) as u64),
                    CompareOp::Ne => (0, u64::MAX),
                };
                b = (b.0.max(lo), b.1.min(hi));
            }
        };
        match self {
            Compiled::And(items) => items.iter().for_each(&mut visit),
            c => visit(c),
        }
        b
    }
}
