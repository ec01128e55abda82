//! A parsed condition compiled against an app's form: operators checked per field type
//! (GAIA_IQ03 / GAIA_IQ07 / GAIA_IQ11), operands converted once, then tested per record.

use kintone_seek::query::{CompareOp, Condition, Expr, Function, Predicate, Value};

use crate::behaviour::{Behaviour, EmptyEquals};
use crate::error::{ApiError, ApiResult};
use crate::functions::day_range;
use crate::model::{App, FieldRef, FieldType, Record, Users, Val};
use crate::timefmt::{parse_date, parse_datetime, parse_time};

/// What the functions of a query need: the clock and the user.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// Seconds since the epoch.
    pub now: i64,
    /// The user running the query (index into the domain's users).
    pub login_user: Option<u32>,
    /// The unknown-behaviour switches.
    pub behaviour: Behaviour,
}

impl Ctx {
    fn today(&self) -> i32 {
        self.now.div_euclid(86_400) as i32
    }
}

#[derive(Debug, Clone)]
pub enum Kind {
    /// Numbers (and `$id`): `=` `<` ... against one value.
    Num(CompareOp, f64),
    NumIn(Vec<f64>),
    /// Text equality (empty = "").
    TextIn(Vec<String>),
    /// Case-insensitive substring (a simplification of kintone's word search).
    Like(String),
    Empty,
    /// No value (`k = ""` under `--empty-equals nothing`).
    Never,
    /// Dates, datetimes, times: the operand is a range `[lo, hi)` in the stored unit.
    Range(CompareOp, i64, i64),
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
}

fn iq03(field: &str, op: &str) -> ApiError {
    ApiError::new(400, "GAIA_IQ03", format!("フィールド「{field}」には演算子「{op}」を使用できません。"))
}

pub fn iq11(field: &str) -> ApiError {
    ApiError::new(400, "GAIA_IQ11", format!("指定されたフィールド（{field}）が見つかりません。"))
}

fn op_name(p: &Predicate) -> &'static str {
    match p {
        Predicate::Compare(op, _) => op.as_str(),
        Predicate::In(_) => "in",
        Predicate::NotIn(_) => "not in",
        Predicate::Like(_) => "like",
        Predicate::NotLike(_) => "not like",
        Predicate::IsEmpty => "is empty",
        Predicate::IsNotEmpty => "is not empty",
    }
}

/// The operator families of docs/KINTONE.md.
#[derive(PartialEq)]
enum Family {
    Numeric,
    Temporal,
    Text,
    LongText,
    Choice,
    None,
}

fn family(t: Option<FieldType>) -> Family {
    use FieldType::*;
    match t {
        None | Some(RecordNumber | Number | Calc) => Family::Numeric,
        Some(Date | Time | DateTime | CreatedTime | UpdatedTime) => Family::Temporal,
        Some(SingleLineText | Link) => Family::Text,
        Some(MultiLineText | RichText) => Family::LongText,
        Some(CheckBox | RadioButton | DropDown | MultiSelect | UserSelect | Creator | Modifier) => Family::Choice,
        Some(Subtable) => Family::None,
    }
}

fn allowed(f: &Family, p: &Predicate) -> bool {
    use Predicate::*;
    match f {
        Family::Numeric => matches!(p, Compare(..) | In(_) | NotIn(_)),
        Family::Temporal => matches!(p, Compare(..)),
        Family::Text => matches!(p, Compare(CompareOp::Eq | CompareOp::Ne, _) | In(_) | NotIn(_) | Like(_) | NotLike(_)),
        Family::LongText => matches!(p, Like(_) | NotLike(_) | IsEmpty | IsNotEmpty),
        Family::Choice => matches!(p, In(_) | NotIn(_)),
        Family::None => false,
    }
}

fn bad_value(field: &str, v: &Value) -> ApiError {
    ApiError::query_syntax(format!("フィールド「{field}」に指定された値（{v}）が正しくありません。"))
}

fn text_of(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) | Value::Number(s) => Some(s),
        Value::Function(_) => None,
    }
}

pub fn compile(app: &App, users: &Users, expr: Option<&Expr>, ctx: &Ctx) -> ApiResult<Compiled> {
    match expr {
        None => Ok(Compiled::True),
        Some(e) => compile_expr(app, users, e, ctx),
    }
}

fn compile_expr(app: &App, users: &Users, expr: &Expr, ctx: &Ctx) -> ApiResult<Compiled> {
    Ok(match expr {
        Expr::Condition(c) => compile_condition(app, users, c, ctx)?,
        Expr::And(items) => Compiled::And(items.iter().map(|e| compile_expr(app, users, e, ctx)).collect::<ApiResult<_>>()?),
        Expr::Or(items) => Compiled::Or(items.iter().map(|e| compile_expr(app, users, e, ctx)).collect::<ApiResult<_>>()?),
        Expr::Paren(inner) => compile_expr(app, users, inner, ctx)?,
    })
}

fn compile_condition(app: &App, users: &Users, c: &Condition, ctx: &Ctx) -> ApiResult<Compiled> {
    let r = app.resolve(&c.field).ok_or_else(|| iq11(&c.field))?;
    let (target, ftype) = match r {
        FieldRef::Id => (Target::Id, None),
        FieldRef::Revision => (Target::Revision, None),
        // RECORD_NUMBER is the id in the simulator.
        FieldRef::Top(i) if app.fields[i].ftype == FieldType::RecordNumber => (Target::Id, None),
        FieldRef::Top(i) => (Target::Top(i), Some(app.fields[i].ftype)),
        FieldRef::InTable(i, j) => (Target::Table(i, j), Some(app.fields[i].sub_fields[j].ftype)),
    };
    let in_table = matches!(target, Target::Table(..));
    if in_table && matches!(c.predicate, Predicate::Compare(CompareOp::Eq | CompareOp::Ne, _)) {
        return Err(ApiError::new(400, "GAIA_IQ07", format!("テーブル内のフィールド「{}」には演算子「{}」を使用できません。", c.field, op_name(&c.predicate))));
    }
    let fam = family(ftype);
    if !allowed(&fam, &c.predicate) {
        return Err(iq03(&c.field, op_name(&c.predicate)));
    }
    let field = c.field.as_str();
    let (kind, negate) = match &c.predicate {
        Predicate::Compare(op, v) => {
            let (op, negate) = if *op == CompareOp::Ne { (CompareOp::Eq, true) } else { (*op, false) };
            if text_of(v) == Some("") && matches!(v, Value::String(_)) && op == CompareOp::Eq {
                // `= ""` finds empty text (documented); on numbers, dates and times it is
                // unknown: the `emptyEquals` switch.
                if fam == Family::Text {
                    (Kind::TextIn(vec![String::new()]), negate)
                } else {
                    (empty_equals(ctx.behaviour.empty_equals, field, v)?, negate)
                }
            } else {
                match fam {
                    Family::Numeric => (Kind::Num(op, number(field, v)?), negate),
                    Family::Text => (Kind::TextIn(vec![text_of(v).ok_or_else(|| bad_value(field, v))?.to_string()]), negate),
                    _ => {
                        let (lo, hi) = range(field, ftype.unwrap(), v, ctx)?;
                        (Kind::Range(op, lo, hi), negate)
                    }
                }
            }
        }
        Predicate::In(vs) | Predicate::NotIn(vs) => {
            let negate = matches!(c.predicate, Predicate::NotIn(_));
            let kind = match (fam, ftype) {
                (Family::Numeric, _) => Kind::NumIn(vs.iter().map(|v| number(field, v)).collect::<ApiResult<_>>()?),
                (_, Some(FieldType::UserSelect | FieldType::Creator | FieldType::Modifier)) => {
                    Kind::UserIn(vs.iter().map(|v| user(users, field, v, ctx)).collect::<ApiResult<_>>()?)
                }
                (Family::Text, _) => Kind::TextIn(vs.iter().map(|v| text_of(v).map(str::to_string).ok_or_else(|| bad_value(field, v))).collect::<ApiResult<_>>()?),
                _ => Kind::ChoiceIn(vs.iter().map(|v| text_of(v).map(str::to_string).ok_or_else(|| bad_value(field, v))).collect::<ApiResult<_>>()?),
            };
            (kind, negate)
        }
        Predicate::Like(v) | Predicate::NotLike(v) => {
            let s = text_of(v).ok_or_else(|| bad_value(field, v))?;
            (Kind::Like(s.to_lowercase()), matches!(c.predicate, Predicate::NotLike(_)))
        }
        Predicate::IsEmpty => (Kind::Empty, false),
        Predicate::IsNotEmpty => (Kind::Empty, true),
    };
    Ok(Compiled::Test { target, kind, negate })
}

/// `k = ""` on a number, date or time field, by the `emptyEquals` switch.
fn empty_equals(how: EmptyEquals, field: &str, v: &Value) -> ApiResult<Kind> {
    match how {
        EmptyEquals::Matches => Ok(Kind::Empty),
        EmptyEquals::Nothing => Ok(Kind::Never),
        EmptyEquals::Refused => Err(bad_value(field, v)),
    }
}

fn number(field: &str, v: &Value) -> ApiResult<f64> {
    text_of(v).and_then(|s| s.trim().parse::<f64>().ok()).filter(|n| n.is_finite()).ok_or_else(|| bad_value(field, v))
}

fn user(users: &Users, field: &str, v: &Value, ctx: &Ctx) -> ApiResult<u32> {
    match v {
        Value::Function(call) if call.function == Function::LoginUser => Ok(ctx.login_user.unwrap_or(u32::MAX)),
        Value::Function(call) if call.function == Function::PrimaryOrganization => Ok(u32::MAX),
        Value::Function(_) => Err(bad_value(field, v)),
        Value::String(s) | Value::Number(s) => Ok(users.index_of(s).unwrap_or(u32::MAX)),
    }
}

/// The operand of a date/datetime/time comparison as `[lo, hi)` in the field's unit.
fn range(field: &str, t: FieldType, v: &Value, ctx: &Ctx) -> ApiResult<(i64, i64)> {
    let bad = || bad_value(field, v);
    match t {
        FieldType::Time => {
            let s = text_of(v).ok_or_else(bad)?;
            let m = parse_time(s).ok_or_else(bad)? as i64;
            Ok((m, m + 1))
        }
        FieldType::Date => {
            let (lo, hi) = match v {
                Value::Function(call) => day_range(call, ctx.today()).ok_or_else(bad)?,
                _ => {
                    let s = text_of(v).ok_or_else(bad)?;
                    let d = parse_date(s).or_else(|| parse_datetime(s).map(|t| t.div_euclid(86_400) as i32)).ok_or_else(bad)?;
                    (d, d + 1)
                }
            };
            Ok((lo as i64, hi as i64))
        }
        _ => match v {
            Value::Function(call) if call.function == Function::Now => {
                let m = ctx.now.div_euclid(60) * 60;
                Ok((m, m + 60))
            }
            Value::Function(call) => {
                let (lo, hi) = day_range(call, ctx.today()).ok_or_else(bad)?;
                Ok((lo as i64 * 86_400, hi as i64 * 86_400))
            }
            _ => {
                let s = text_of(v).ok_or_else(bad)?;
                if let Some(t) = parse_datetime(s) {
                    Ok((t, t + 1))
                } else {
                    let d = parse_date(s).ok_or_else(bad)? as i64;
                    Ok((d * 86_400, (d + 1) * 86_400))
                }
            }
        },
    }
}

impl Kind {
    fn test(&self, v: &Val, users: &Users) -> bool {
        match (self, v) {
            (Kind::Empty, v) => is_empty(v),
            (Kind::Never, _) => false,
            (Kind::Num(op, x), Val::Num(n)) => cmp(*op, n.partial_cmp(x)),
            (Kind::NumIn(xs), Val::Num(n)) => xs.contains(n),
            (Kind::TextIn(xs), v) => {
                let s = match v {
                    Val::Text(s) => s.as_ref(),
                    _ => "",
                };
                xs.iter().any(|x| x == s)
            }
            (Kind::Like(x), Val::Text(s)) => s.to_lowercase().contains(x.as_str()),
            (Kind::Like(x), Val::Empty) => x.is_empty(),
            (Kind::Range(op, lo, hi), v) => {
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
            _ => {
                let _ = users;
                false
            }
        }
    }
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

impl Compiled {
    pub fn matches(&self, r: &Record, users: &Users) -> bool {
        match self {
            Compiled::True => true,
            Compiled::And(items) => items.iter().all(|c| c.matches(r, users)),
            Compiled::Or(items) => items.iter().any(|c| c.matches(r, users)),
            Compiled::Test { target, kind, negate } => {
                let hit = match target {
                    Target::Id => kind.test(&Val::Num(r.id as f64), users),
                    Target::Revision => kind.test(&Val::Num(r.revision as f64), users),
                    Target::Top(i) => kind.test(&r.values[*i], users),
                    Target::Table(i, j) => match &r.values[*i] {
                        Val::Table(rows) => rows.iter().any(|row| kind.test(&row.values[*j], users)),
                        _ => false,
                    },
                };
                hit != *negate
            }
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
