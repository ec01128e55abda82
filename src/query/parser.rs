//! Recursive-descent parser over the lexer's tokens.
//!
//! Grammar (keywords case-insensitive):
//!
//! ```text
//! query     := [or_expr] ["order" "by" keys] ["limit" int] ["offset" int]
//! or_expr   := and_expr ("or" and_expr)*
//! and_expr  := primary ("and" primary)*
//! primary   := "(" or_expr ")" | condition
//! condition := field (op value | ["not"] "in" list | ["not"] "like" value
//!                     | "is" ["not"] "empty")
//! list      := "(" value ("," value)* ")"
//! value     := string | number | NAME "(" [arg ("," arg)*] ")"
//! keys      := field ["asc" | "desc"] ("," field ["asc" | "desc"])*
//! ```

mod functions;

use super::ast::{Condition, Direction, Expr, OrderKey, Predicate, Query, Value};
use super::error::QueryError;
use super::lexer::{tokenize, Tok, Token};

/// Parentheses deeper than this are refused: the parser recurses once per level, and
/// the wasm stack is small. No real query comes close.
const MAX_DEPTH: usize = 100;

/// Parses a whole query: `condition [order by ...] [limit n] [offset n]`, each part
/// optional but in that order. An empty or all-whitespace text is an empty query.
pub fn parse_query(src: &str) -> Result<Query, QueryError> {
    let mut p = Parser::new(src);
    let mut query = Query::default();
    if !p.at_eof() && p.clause().is_none() {
        let start = p.peek().start;
        let expr = p.or_expr(None, 0)?;
        // From the first token of the condition to the end of its last one: exactly the
        // user's text, with no surrounding whitespace.
        // (Token bounds are char boundaries; `get` rather than a slice that could panic.)
        query.condition_text = src.get(start..p.tokens[p.i - 1].end).unwrap_or_default().to_string();
        query.condition = Some(expr);
        if !p.at_eof() && p.clause().is_none() {
            if p.peek().kind == Tok::RParen {
                return Err(QueryError::new("unexpected \")\" with no matching \"(\"", p.peek().pos));
            }
            return Err(p.fail(
                "\"and\", \"or\", \"order by\", \"limit\", \"offset\" or the end of the query after the condition",
            ));
        }
    }
    let mut last: Option<Clause> = None;
    while let Some(clause) = p.clause() {
        let pos = p.peek().pos;
        if let Some(prev) = last.filter(|&prev| prev >= clause) {
            let msg = if prev == clause {
                format!("\"{}\" given twice", clause.name())
            } else {
                format!("\"{}\" must come before \"{}\"", clause.name(), prev.name())
            };
            return Err(QueryError::new(msg, pos));
        }
        p.advance();
        match clause {
            Clause::OrderBy => {
                p.advance(); // "by"
                query.order_by = p.order_keys(Some("\"order by\""), false)?;
            }
            Clause::Limit => query.limit = Some(p.integer("limit")?),
            Clause::Offset => query.offset = Some(p.integer("offset")?),
        }
        last = Some(clause);
    }
    if !p.at_eof() {
        // Only reachable after limit or offset: the condition and the sort keys
        // check what follows them themselves.
        let expected = match last {
            Some(Clause::Limit) => "\"offset\" or the end of the query after the limit",
            _ => "the end of the query after the offset",
        };
        return Err(p.fail(expected));
    }
    Ok(query)
}

/// Parses just a list of sort keys, `日付 desc, $id asc`; an empty or all-whitespace
/// text gives no keys.
pub fn parse_order_by(src: &str) -> Result<Vec<OrderKey>, QueryError> {
    let mut p = Parser::new(src);
    if p.at_eof() {
        return Ok(Vec::new());
    }
    if p.clause() == Some(Clause::OrderBy) {
        let msg = "write only the sort keys, without \"order by\"";
        return Err(QueryError::new(msg, p.peek().pos));
    }
    p.order_keys(None, true)
}

/// The clauses after the condition, in the order kintone requires them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Clause {
    OrderBy,
    Limit,
    Offset,
}

impl Clause {
    fn name(self) -> &'static str {
        match self {
            Clause::OrderBy => "order by",
            Clause::Limit => "limit",
            Clause::Offset => "offset",
        }
    }
}

struct Parser {
    tokens: Vec<Token>,
    /// Index of the next token; never moves past the final Eof/Bad token.
    i: usize,
}

impl Parser {
    fn new(src: &str) -> Self {
        Parser { tokens: tokenize(src), i: 0 }
    }

    fn peek(&self) -> &Token {
        self.peek_at(0)
    }

    fn peek_at(&self, n: usize) -> &Token {
        &self.tokens[(self.i + n).min(self.tokens.len() - 1)]
    }

    /// Moves to the next token. Tokens are read in place (`peek`), never cloned whole:
    /// only the strings a value keeps are copied.
    fn advance(&mut self) {
        if self.i < self.tokens.len() - 1 {
            self.i += 1;
        }
    }

    fn at_eof(&self) -> bool {
        self.peek().kind == Tok::Eof
    }

    /// The clause the next tokens start, if any. `order` only starts one when `by`
    /// follows, so a field may still be called `order`.
    fn clause(&self) -> Option<Clause> {
        let kind = &self.peek().kind;
        if kind.is_keyword("order") && self.peek_at(1).kind.is_keyword("by") {
            Some(Clause::OrderBy)
        } else if kind.is_keyword("limit") {
            Some(Clause::Limit)
        } else if kind.is_keyword("offset") {
            Some(Clause::Offset)
        } else {
            None
        }
    }

    /// The error for the next token not being what was `expected`. A lexer error
    /// at this point wins, since it explains the token better than "found ..." can.
    fn fail(&self, expected: &str) -> QueryError {
        let token = self.peek();
        let message = match &token.kind {
            Tok::Bad(e) => return e.clone(),
            Tok::Eof => format!("expected {expected} but the query ends"),
            other => format!("expected {expected} but found {}", other.describe()),
        };
        QueryError::new(message, token.pos)
    }

    /// `and_expr ("or" and_expr)*`. `after` names what precedes, for messages.
    fn or_expr(&mut self, after: Option<&str>, depth: usize) -> Result<Expr, QueryError> {
        let mut items = vec![self.and_expr(after, depth)?];
        while self.peek().kind.is_keyword("or") {
            self.advance();
            items.push(self.and_expr(Some("\"or\""), depth)?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Expr::Or(items) })
    }

    fn and_expr(&mut self, after: Option<&str>, depth: usize) -> Result<Expr, QueryError> {
        let mut items = vec![self.primary(after, depth)?];
        while self.peek().kind.is_keyword("and") {
            self.advance();
            items.push(self.primary(Some("\"and\""), depth)?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Expr::And(items) })
    }

    fn primary(&mut self, after: Option<&str>, depth: usize) -> Result<Expr, QueryError> {
        let pos = self.peek().pos;
        match &self.peek().kind {
            Tok::LParen => {
                if depth >= MAX_DEPTH {
                    let msg = format!("parentheses nested more than {MAX_DEPTH} deep");
                    return Err(QueryError::new(msg, pos));
                }
                self.advance();
                let inner = self.or_expr(Some("\"(\""), depth + 1)?;
                match self.peek().kind {
                    Tok::RParen => {
                        self.advance();
                        Ok(Expr::Paren(Box::new(inner)))
                    }
                    // Point at the "(" left open: that is where the fix goes.
                    Tok::Eof => Err(QueryError::new(
                        "unclosed \"(\": expected \")\" before the end of the query",
                        pos,
                    )),
                    _ => Err(self.fail(&format!(
                        "\"and\", \"or\" or \")\" to close the \"(\" at character {}",
                        pos + 1
                    ))),
                }
            }
            // `and`, `or`, `limit`, `offset` and `order by` are not taken as field
            // codes: read as fields they would turn a misplaced keyword into a
            // confusing "expected an operator" error further on.
            Tok::Word(w)
                if self.clause().is_none() && !["and", "or"].iter().any(|k| w.eq_ignore_ascii_case(k)) =>
            {
                self.condition()
            }
            _ => Err(self.fail(&match after {
                Some(after) => format!("a condition after {after}"),
                None => "a condition (a field code or \"(\")".to_string(),
            })),
        }
    }

    /// `field predicate`, the field being the next (word) token.
    fn condition(&mut self) -> Result<Expr, QueryError> {
        let pos = self.peek().pos;
        let Tok::Word(field) = &self.peek().kind else { unreachable!("primary checked the word") };
        let field = field.clone();
        self.advance();
        if self.peek().kind == Tok::LParen {
            return Err(functions::misplaced_call(&field, pos));
        }
        let predicate = if let Tok::Op(op) = self.peek().kind {
            self.advance();
            Predicate::Compare(op, self.value(&format!("\"{}\"", op.as_str()))?)
        } else if self.eat("in") {
            Predicate::In(self.list("\"in\"")?)
        } else if self.eat("like") {
            Predicate::Like(self.value("\"like\"")?)
        } else if self.eat("not") {
            if self.eat("in") {
                Predicate::NotIn(self.list("\"not in\"")?)
            } else if self.eat("like") {
                Predicate::NotLike(self.value("\"not like\"")?)
            } else {
                return Err(self.fail("\"in\" or \"like\" after \"not\""));
            }
        } else if self.eat("is") {
            if self.eat("empty") {
                Predicate::IsEmpty
            } else if self.eat("not") && self.eat("empty") {
                Predicate::IsNotEmpty
            } else if self.tokens[self.i - 1].kind.is_keyword("not") {
                return Err(self.fail("\"empty\" after \"is not\""));
            } else {
                return Err(self.fail("\"empty\" or \"not empty\" after \"is\""));
            }
        } else {
            return Err(self.fail(&format!(
                "an operator (=, !=, >, <, >=, <=, in, not in, like, not like, is empty or \
                 is not empty) after the field code \"{field}\""
            )));
        };
        Ok(Expr::Condition(Condition { field, predicate }))
    }

    /// Consumes the next token if it is the word `keyword` (any case).
    fn eat(&mut self, keyword: &str) -> bool {
        let found = self.peek().kind.is_keyword(keyword);
        if found {
            self.advance();
        }
        found
    }

    /// A value after the operator named by `after`.
    fn value(&mut self, after: &str) -> Result<Value, QueryError> {
        let pos = self.peek().pos;
        let value = match &self.peek().kind {
            Tok::Str(s) => Value::String(s.clone()),
            Tok::Number(n) => Value::Number(n.clone()),
            Tok::Word(name) if self.peek_at(1).kind == Tok::LParen => {
                let name = name.clone();
                self.advance();
                return Ok(Value::Function(functions::call(self, &name, pos)?));
            }
            Tok::Word(word) => return Err(functions::bare_word(word, after, pos)),
            _ => return Err(self.fail(&format!("a value after {after}"))),
        };
        self.advance();
        Ok(value)
    }

    /// `"(" value ("," value)* ")"` after `in` or `not in`.
    fn list(&mut self, after: &str) -> Result<Vec<Value>, QueryError> {
        if self.peek().kind != Tok::LParen {
            return Err(self.fail(&format!("\"(\" and a list of values after {after}")));
        }
        self.advance();
        let mut values = vec![self.value("\"(\"")?];
        loop {
            match self.peek().kind {
                Tok::Comma => {
                    self.advance();
                    values.push(self.value("\",\"")?);
                }
                Tok::RParen => {
                    self.advance();
                    return Ok(values);
                }
                _ => return Err(self.fail(&format!("\",\" or \")\" in the list after {after}"))),
            }
        }
    }

    /// The non-negative integer after `limit` or `offset`.
    fn integer(&mut self, clause: &str) -> Result<u64, QueryError> {
        let pos = self.peek().pos;
        match &self.peek().kind {
            Tok::Number(n) if n.bytes().all(|b| b.is_ascii_digit()) => {
                let number = n.parse().map_err(|_| QueryError::new(format!("{clause} {n} is too large"), pos));
                self.advance();
                number
            }
            _ => Err(self.fail(&format!("a non-negative integer after \"{clause}\""))),
        }
    }

    /// `field [asc|desc] ("," field [asc|desc])*`. In a whole query (`standalone` false)
    /// the keys may be followed by `limit` or `offset`; alone, only by the end.
    fn order_keys(&mut self, after: Option<&str>, standalone: bool) -> Result<Vec<OrderKey>, QueryError> {
        let mut keys = Vec::new();
        let mut after = after;
        loop {
            let field = match &self.peek().kind {
                Tok::Word(w)
                    if (standalone || self.clause().is_none())
                        && !["asc", "desc"].iter().any(|k| w.eq_ignore_ascii_case(k)) =>
                {
                    w.clone()
                }
                _ => {
                    return Err(self.fail(&match after {
                        Some(after) => format!("a field code after {after}"),
                        None => "a field code".to_string(),
                    }))
                }
            };
            self.advance();
            let kind = &self.peek().kind;
            let direction = if kind.is_keyword("asc") {
                Some(Direction::Asc)
            } else if kind.is_keyword("desc") {
                Some(Direction::Desc)
            } else {
                None
            };
            if direction.is_some() {
                self.advance();
            }
            keys.push(OrderKey { field, direction });
            if self.peek().kind == Tok::Comma {
                self.advance();
                after = Some("\",\"");
                continue;
            }
            if self.at_eof() || (!standalone && self.clause().is_some()) {
                return Ok(keys);
            }
            let mut expected = String::from("\",\"");
            if direction.is_none() {
                expected.push_str(", \"asc\", \"desc\"");
            }
            if !standalone {
                expected.push_str(", \"limit\", \"offset\"");
            }
            expected.push_str(" or the end of the query after a sort key");
            return Err(self.fail(&expected));
        }
    }
}
