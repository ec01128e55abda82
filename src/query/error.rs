//! The one error type of the query parser.

use std::fmt;

/// A query that does not parse: what was wrong, and where.
///
/// `position` counts characters, not bytes, because the text is shown to people who
/// write Japanese field codes; a byte offset would point into the middle of a kanji.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// What was expected and what was found, written for a person.
    pub message: String,
    /// 0-based character index of the problem (the character count when the query
    /// ends too early).
    pub position: usize,
}

impl QueryError {
    /// Builds an error at the given 0-based character index.
    pub fn new(message: impl Into<String>, position: usize) -> Self {
        QueryError { message: message.into(), position }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // 1-based for people: editors count columns from 1.
        write!(f, "{} at character {}", self.message, self.position + 1)
    }
}

impl std::error::Error for QueryError {}
