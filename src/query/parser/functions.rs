//! Function calls in value position: `NAME "(" [arg ("," arg)*] ")"`, parsed
//! generically and then checked against the signature of the named function.

use super::Parser;
use crate::query::ast::{Function, FunctionArg, FunctionCall};
use crate::query::error::QueryError;
use crate::query::lexer::Tok;

const UNITS: &[&str] = &["DAYS", "WEEKS", "MONTHS", "YEARS"];
const WEEKDAYS: &[&str] = &["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"];

/// Parses the call of `name` (at character `pos`); the parser stands on the `(`.
pub(super) fn call(p: &mut Parser, name: &str, pos: usize) -> Result<FunctionCall, QueryError> {
    let function = Function::from_name(name).ok_or_else(|| unknown(name, pos))?;
    let fname = function.name();
    p.advance(); // "("
    let mut args: Vec<(FunctionArg, usize)> = Vec::new();
    if p.peek().kind != Tok::RParen {
        loop {
            let pos = p.peek().pos;
            let arg = match &p.peek().kind {
                Tok::Number(n) => FunctionArg::Number(n.clone()),
                Tok::Word(w) => FunctionArg::Word(w.to_ascii_uppercase()),
                Tok::Str(s) => FunctionArg::String(s.clone()),
                _ => return Err(p.fail(&format!("an argument or \")\" in {fname}("))),
            };
            p.advance();
            args.push((arg, pos));
            match p.peek().kind {
                Tok::Comma => {
                    p.advance();
                }
                Tok::RParen => break,
                _ => return Err(p.fail(&format!("\",\" or \")\" in the arguments of {fname}"))),
            }
        }
    }
    let close = p.peek().pos;
    p.advance();
    check(function, &args, close)?;
    Ok(FunctionCall { function, args: args.into_iter().map(|(arg, _)| arg).collect() })
}

/// Checks the arguments against the function's signature, as kintone documents it.
fn check(function: Function, args: &[(FunctionArg, usize)], close: usize) -> Result<(), QueryError> {
    use Function::*;
    let name = function.name();
    let (max, what) = match function {
        FromToday => (2, "a whole number and DAYS, WEEKS, MONTHS or YEARS"),
        ThisWeek | LastWeek | NextWeek => (1, "an optional weekday, SUNDAY to SATURDAY"),
        ThisMonth | LastMonth | NextMonth => (1, "an optional day of the month or LAST"),
        _ => (0, "no arguments"),
    };
    if let Some((_, pos)) = args.get(max) {
        return Err(QueryError::new(format!("too many arguments: {name} takes {what}"), *pos));
    }
    if function == FromToday && args.len() < 2 {
        let msg = format!("too few arguments: {name} takes {what}");
        return Err(QueryError::new(msg, close));
    }
    for (i, (arg, pos)) in args.iter().enumerate() {
        let ok = match (function, i) {
            (FromToday, 0) => matches!(arg, FunctionArg::Number(n) if !n.contains('.')),
            (FromToday, _) => is_word_in(arg, UNITS),
            (ThisWeek | LastWeek | NextWeek, _) => is_word_in(arg, WEEKDAYS),
            _ => {
                matches!(arg, FunctionArg::Number(n) if n.bytes().all(|b| b.is_ascii_digit()))
                    || is_word_in(arg, &["LAST"])
            }
        };
        if !ok {
            let msg = format!("{name} takes {what}, but argument {} is {}", i + 1, describe(arg));
            return Err(QueryError::new(msg, *pos));
        }
    }
    Ok(())
}

fn is_word_in(arg: &FunctionArg, words: &[&str]) -> bool {
    matches!(arg, FunctionArg::Word(w) if words.contains(&w.as_str()))
}

fn describe(arg: &FunctionArg) -> String {
    match arg {
        FunctionArg::Number(n) => format!("the number {n}"),
        FunctionArg::Word(w) => format!("\"{w}\""),
        FunctionArg::String(s) => format!("the string {}", crate::query::quote_string(s)),
    }
}

fn unknown(name: &str, pos: usize) -> QueryError {
    let known: Vec<&str> = Function::ALL.iter().map(|f| f.name()).collect();
    let msg = format!("unknown function \"{name}\"; kintone's functions are {}", known.join(", "));
    QueryError::new(msg, pos)
}

/// The error for `name(` where a field code should start a condition.
pub(super) fn misplaced_call(name: &str, pos: usize) -> QueryError {
    if Function::from_name(name).is_none() {
        return unknown(name, pos);
    }
    let msg = format!(
        "expected a field code but found the function {}(); functions are values, written after an operator",
        name.to_ascii_uppercase()
    );
    QueryError::new(msg, pos)
}

/// The error for a bare word where a value should be.
pub(super) fn bare_word(word: &str, after: &str, pos: usize) -> QueryError {
    let msg = match Function::from_name(word) {
        Some(f) => format!("the function {} needs parentheses: {}()", f.name(), f.name()),
        None => format!(
            "expected a value after {after} but found \"{word}\"; strings need double quotes, \
             and values cannot refer to other fields"
        ),
    };
    QueryError::new(msg, pos)
}
