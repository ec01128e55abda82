//! kintone's query language: `condition [order by key [asc|desc], ...] [limit n] [offset n]`.
//!
//! The parser is shared by the reader (to validate and split what callers pass) and by
//! the simulator (to evaluate queries), so it keeps the whole syntax tree.

mod ast;
mod error;
mod lexer;
mod parser;

pub use ast::*;
pub use error::QueryError;
pub use parser::{parse_order_by, parse_query};

/// Writes `value` as a kintone string literal: double quotes, with `"` and `\` escaped.
pub fn quote_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests;
