//! A parsed condition compiled against an app's form: operators checked per field type
//! (GAIA_IQ03 / GAIA_IQ07 / GAIA_IQ10 / GAIA_IQ11), operands converted once; the
//! compiled tree is tested per record in matchers.rs.

use chrono_tz::Tz;
use kintone_seek::query::{CompareOp, Condition, Expr, Function, Predicate, Value};

use crate::behaviour::{Behaviour, EmptyDatesBelow, EmptyEquals};
use crate::error::{ApiError, ApiResult};
use crate::functions::{day_range, local_midnight};
use crate::lang::t;
use crate::like::LikePattern;
use crate::matchers::{Compiled, Kind, Target};
use crate::model::{App, FieldRef, FieldType, Users};
use crate::timefmt::{parse_date, parse_datetime, parse_time};

pub use crate::matchers::is_empty;

/// What the functions of a query need: the clock, the user and the switches.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// Seconds since the epoch.
    pub now: i64,
    /// The user running the query (index into the domain's users).
    pub login_user: Option<u32>,
    /// The unknown-behaviour switches.
    pub behaviour: Behaviour,
    /// The user's time zone: TODAY() and its relatives count days in it.
    pub tz: Tz,
}

impl Ctx {
    /// Today in the user's time zone, in days since 1970-01-01.
    pub fn today(&self) -> i32 {
        crate::functions::local_day(self.now, self.tz)
    }
}

fn iq03(field: &str, op: &str) -> ApiError {
    ApiError::new(400, "GAIA_IQ03", t(format!("フィールド「{field}」には演算子「{op}」を使用できません。"), format!("The operator \"{op}\" cannot be used for the field \"{field}\".")))
}

pub fn iq11(field: &str) -> ApiError {
    ApiError::new(400, "GAIA_IQ11", t(format!("指定されたフィールド（{field}）が見つかりません。"), format!("The specified field ({field}) is not found.")))
}

fn iq10(field: &str, v: &str) -> ApiError {
    ApiError::new(400, "GAIA_IQ10", t(format!("フィールド「{field}」の選択肢に「{v}」はありません。"), format!("\"{v}\" is not an option of the field \"{field}\".")))
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
    ApiError::query_syntax(t(format!("フィールド「{field}」に指定された値（{v}）が正しくありません。"), format!("The value ({v}) given for the field \"{field}\" is not valid.")))
}

/// An argument out of range (`THIS_MONTH(32)`): GAIA_IQ23.
fn iq23(v: &Value) -> ApiError {
    ApiError::new(400, "GAIA_IQ23", t(format!("関数の引数が範囲外です（{v}）。"), format!("An argument of the function is out of range ({v}).")))
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
        Expr::And(items) => {
            let items = items.iter().map(|e| compile_expr(app, users, e, ctx)).collect::<ApiResult<Vec<_>>>()?;
            Compiled::and_in_rows(items)
        }
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
        let op = op_name(&c.predicate);
        return Err(ApiError::new(
            400,
            "GAIA_IQ07",
            t(format!("テーブル内のフィールド「{}」には演算子「{op}」を使用できません。", c.field), format!("The operator \"{op}\" cannot be used for the field \"{}\" in a table.", c.field)),
        ));
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
                    // An empty NUMBER is minus infinity in `<` and `<=` (observed).
                    Family::Numeric => (Kind::Num(op, number(field, v)?), negate),
                    Family::Text => (Kind::TextIn(vec![text_of(v).ok_or_else(|| bad_value(field, v))?.to_string()]), negate),
                    _ => {
                        let (lo, hi) = range(field, ftype.unwrap(), v, ctx)?;
                        let empty_below = ctx.behaviour.empty_dates_below == EmptyDatesBelow::Included;
                        (Kind::Range(op, lo, hi, empty_below), negate)
                    }
                }
            }
        }
        Predicate::In(vs) | Predicate::NotIn(vs) => {
            let negate = matches!(c.predicate, Predicate::NotIn(_));
            let kind = match (fam, ftype) {
                (Family::Numeric, _) => numbers_in(field, vs, ctx.behaviour.empty_equals)?,
                (_, Some(FieldType::UserSelect | FieldType::Creator | FieldType::Modifier)) => {
                    Kind::UserIn(vs.iter().map(|v| user(users, field, v, ctx)).collect::<ApiResult<_>>()?)
                }
                (Family::Text, _) => Kind::TextIn(vs.iter().map(|v| text_of(v).map(str::to_string).ok_or_else(|| bad_value(field, v))).collect::<ApiResult<_>>()?),
                _ => {
                    let options = &app.field(r).expect("a choice field").options;
                    let values = vs.iter().map(|v| text_of(v).map(str::to_string).ok_or_else(|| bad_value(field, v))).collect::<ApiResult<Vec<_>>>()?;
                    // A value that is not an option is refused (observed); "" is "unselected".
                    if let Some(bad) = values.iter().find(|v| !v.is_empty() && !options.contains(v)) {
                        return Err(iq10(field, bad));
                    }
                    Kind::ChoiceIn(values)
                }
            };
            (kind, negate)
        }
        Predicate::Like(v) | Predicate::NotLike(v) => {
            let s = text_of(v).ok_or_else(|| bad_value(field, v))?;
            (Kind::Like(LikePattern::new(s, ctx.behaviour.like_match)), matches!(c.predicate, Predicate::NotLike(_)))
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

/// `in (...)` on a number: `""` is accepted (observed); whether it finds empty values
/// follows the `emptyEquals` switch (`matches`: yes; otherwise it matches nothing).
fn numbers_in(field: &str, vs: &[Value], how: EmptyEquals) -> ApiResult<Kind> {
    let mut numbers = Vec::new();
    let mut empty = false;
    for v in vs {
        if matches!(v, Value::String(s) if s.is_empty()) {
            empty |= how == EmptyEquals::Matches;
        } else {
            numbers.push(number(field, v)?);
        }
    }
    Ok(Kind::NumIn(numbers, empty))
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

/// The day range of a date function, GAIA_IQ23 when an argument is out of range, and
/// CB_VA01 for a function that is not a date (LOGINUSER()).
fn function_days(field: &str, v: &Value, ctx: &Ctx) -> ApiResult<(i32, i32)> {
    let Value::Function(call) = v else { return Err(bad_value(field, v)) };
    if matches!(call.function, Function::LoginUser | Function::PrimaryOrganization) {
        return Err(bad_value(field, v));
    }
    day_range(call, ctx.today()).ok_or_else(|| iq23(v))
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
                Value::Function(_) => function_days(field, v, ctx)?,
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
            Value::Function(_) => {
                // Days in the user's time zone, as instants.
                let (lo, hi) = function_days(field, v, ctx)?;
                Ok((local_midnight(lo, ctx.tz), local_midnight(hi, ctx.tz)))
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
