//! The syntax tree of a kintone query. It keeps everything a simulator needs to evaluate
//! the query against records, and prints back as canonical query text.

use std::fmt;

use super::quote_string;

/// A whole query: `condition [order by ...] [limit n] [offset n]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The condition, `None` when the query has none.
    pub condition: Option<Expr>,
    /// The condition exactly as written, trimmed of surrounding whitespace; "" when there
    /// is none. The reader wraps it in parentheses verbatim.
    pub condition_text: String,
    /// The `order by` keys, empty when there is no `order by`.
    pub order_by: Vec<OrderKey>,
    /// The `limit` value, if given.
    pub limit: Option<u64>,
    /// The `offset` value, if given.
    pub offset: Option<u64>,
}

/// One `order by` key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderKey {
    /// The field code, as written.
    pub field: String,
    /// The explicit direction; `None` when the query gives none (kintone then sorts
    /// descending).
    pub direction: Option<Direction>,
}

/// A sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `asc`: smallest first.
    Asc,
    /// `desc`: largest first.
    Desc,
}

/// A condition expression.
///
/// `and` binds tighter than `or`, so `a = 1 or b = 2 and c = 3` is
/// `Or[a = 1, And[b = 2, c = 3]]`. A chain of the same connective is one flat node;
/// an `And` or `Or` directly inside another `And`/`Or` only comes from parentheses,
/// which the parser keeps as [`Expr::Paren`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// One test on one field, e.g. `ステータス in ("A", "B")`.
    Condition(Condition),
    /// Two or more expressions that must all hold (`x and y and z`).
    And(Vec<Expr>),
    /// Two or more expressions of which at least one must hold (`x or y or z`).
    Or(Vec<Expr>),
    /// A parenthesised expression. It evaluates exactly as its content; it is kept so
    /// that printing reproduces the user's grouping.
    Paren(Box<Expr>),
}

/// A test on one field: `field predicate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The field code, as written (kintone has no identifier quoting).
    pub field: String,
    /// What is tested.
    pub predicate: Predicate,
}

/// The operator of a condition with its operand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Predicate {
    /// `= != > < >= <=` and a value.
    Compare(CompareOp, Value),
    /// `in (v, ...)`: one or more values.
    In(Vec<Value>),
    /// `not in (v, ...)`: one or more values.
    NotIn(Vec<Value>),
    /// `like v`: the field contains the value.
    Like(Value),
    /// `not like v`: the field does not contain the value.
    NotLike(Value),
    /// `is empty`.
    IsEmpty,
    /// `is not empty`.
    IsNotEmpty,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `>`
    Gt,
    /// `<`
    Lt,
    /// `>=`
    Ge,
    /// `<=`
    Le,
}

impl CompareOp {
    /// The operator as written in a query.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "!=",
            CompareOp::Gt => ">",
            CompareOp::Lt => "<",
            CompareOp::Ge => ">=",
            CompareOp::Le => "<=",
        }
    }
}

/// A value on the right of an operator or in an `in` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A string literal, unescaped.
    String(String),
    /// An unquoted number, kept as its text (`10`, `-5`, `3.14`) so no precision is lost;
    /// kintone compares it according to the field's type.
    Number(String),
    /// A function call such as `TODAY()` or `FROM_TODAY(-7, DAYS)`.
    Function(FunctionCall),
}

/// A call of one of kintone's query functions. The parser has checked the arguments
/// against the function's signature (see [`Function`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionCall {
    /// Which function.
    pub function: Function,
    /// The arguments, in order.
    pub args: Vec<FunctionArg>,
}

/// An argument of a function call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FunctionArg {
    /// An unquoted number, as written (`-7`, `1`).
    Number(String),
    /// A bare word, upper-cased (`DAYS`, `LAST`, `SUNDAY`).
    Word(String),
    /// A string literal, unescaped. No current function accepts one; the variant exists
    /// so the tree can hold any call the grammar allows.
    String(String),
}

macro_rules! functions {
    ($($variant:ident => $name:literal, $doc:literal;)*) => {
        /// kintone's query functions. Names match case-insensitively.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Function {
            $(#[doc = $doc] $variant,)*
        }

        impl Function {
            /// Every function, in the order kintone's documentation lists them.
            pub const ALL: &'static [Function] = &[$(Function::$variant,)*];

            /// The function's name as kintone writes it.
            pub fn name(self) -> &'static str {
                match self {
                    $(Function::$variant => $name,)*
                }
            }
        }
    };
}

functions! {
    LoginUser => "LOGINUSER", "`LOGINUSER()`: the user running the query.";
    PrimaryOrganization => "PRIMARY_ORGANIZATION", "`PRIMARY_ORGANIZATION()`: that user's primary organization.";
    Now => "NOW", "`NOW()`: the current date and time.";
    Today => "TODAY", "`TODAY()`: today.";
    Yesterday => "YESTERDAY", "`YESTERDAY()`: yesterday.";
    Tomorrow => "TOMORROW", "`TOMORROW()`: tomorrow.";
    FromToday => "FROM_TODAY", "`FROM_TODAY(n, DAYS|WEEKS|MONTHS|YEARS)`: today moved by n units (n may be negative).";
    ThisWeek => "THIS_WEEK", "`THIS_WEEK([SUNDAY..SATURDAY])`: this week, or that weekday of it.";
    LastWeek => "LAST_WEEK", "`LAST_WEEK([SUNDAY..SATURDAY])`: last week, or that weekday of it.";
    NextWeek => "NEXT_WEEK", "`NEXT_WEEK([SUNDAY..SATURDAY])`: next week, or that weekday of it.";
    ThisMonth => "THIS_MONTH", "`THIS_MONTH([n|LAST])`: this month, or its day n, or its last day.";
    LastMonth => "LAST_MONTH", "`LAST_MONTH([n|LAST])`: last month, or its day n, or its last day.";
    NextMonth => "NEXT_MONTH", "`NEXT_MONTH([n|LAST])`: next month, or its day n, or its last day.";
    ThisYear => "THIS_YEAR", "`THIS_YEAR()`: this year.";
    LastYear => "LAST_YEAR", "`LAST_YEAR()`: last year.";
    NextYear => "NEXT_YEAR", "`NEXT_YEAR()`: next year.";
}

impl Function {
    /// The function with this name, compared case-insensitively.
    pub fn from_name(name: &str) -> Option<Function> {
        Function::ALL.iter().copied().find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if let Some(condition) = &self.condition {
            parts.push(condition.to_string());
        }
        if !self.order_by.is_empty() {
            let keys: Vec<String> = self.order_by.iter().map(ToString::to_string).collect();
            parts.push(format!("order by {}", keys.join(", ")));
        }
        if let Some(limit) = self.limit {
            parts.push(format!("limit {limit}"));
        }
        if let Some(offset) = self.offset {
            parts.push(format!("offset {offset}"));
        }
        f.write_str(&parts.join(" "))
    }
}

impl fmt::Display for OrderKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.field)?;
        match self.direction {
            Some(Direction::Asc) => f.write_str(" asc"),
            Some(Direction::Desc) => f.write_str(" desc"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Condition(condition) => condition.fmt(f),
            Expr::And(items) => join(f, items, " and ", |e| matches!(e, Expr::And(_) | Expr::Or(_))),
            Expr::Or(items) => join(f, items, " or ", |e| matches!(e, Expr::Or(_))),
            Expr::Paren(inner) => write!(f, "({inner})"),
        }
    }
}

/// Prints `items` separated by `sep`, parenthesising the children a hand-built tree
/// would otherwise print ambiguously (the parser's trees never need it).
fn join(
    f: &mut fmt::Formatter<'_>,
    items: &[Expr],
    sep: &str,
    needs_parens: fn(&Expr) -> bool,
) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        if needs_parens(item) {
            write!(f, "({item})")?;
        } else {
            write!(f, "{item}")?;
        }
    }
    Ok(())
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.predicate)
    }
}

impl fmt::Display for Predicate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Predicate::Compare(op, value) => write!(f, "{} {value}", op.as_str()),
            Predicate::In(values) => write!(f, "in ({})", list(values)),
            Predicate::NotIn(values) => write!(f, "not in ({})", list(values)),
            Predicate::Like(value) => write!(f, "like {value}"),
            Predicate::NotLike(value) => write!(f, "not like {value}"),
            Predicate::IsEmpty => f.write_str("is empty"),
            Predicate::IsNotEmpty => f.write_str("is not empty"),
        }
    }
}

fn list<T: fmt::Display>(items: &[T]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => f.write_str(&quote_string(s)),
            Value::Number(n) => f.write_str(n),
            Value::Function(call) => call.fmt(f),
        }
    }
}

impl fmt::Display for FunctionCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.function.name(), list(&self.args))
    }
}

impl fmt::Display for FunctionArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FunctionArg::Number(n) | FunctionArg::Word(n) => f.write_str(n),
            FunctionArg::String(s) => f.write_str(&quote_string(s)),
        }
    }
}
