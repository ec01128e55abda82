//! Splits query text into tokens.
//!
//! The lexer runs to the end or to its first error; an error becomes a final
//! [`Tok::Bad`] token instead of aborting, so that a syntax error earlier in the text
//! is still reported first (the parser reports whichever problem it reaches first).

use super::ast::CompareOp;
use super::error::QueryError;
use super::quote_string;

/// One token with where it sits in the source.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub kind: Tok,
    /// 0-based character index of the first character.
    pub pos: usize,
    /// Byte range in the source, used to cut `condition_text` out verbatim.
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A bare word: a field code, keyword, function name or function argument.
    Word(String),
    /// An unquoted number: `-?[0-9]+(\.[0-9]+)?`.
    Number(String),
    /// A string literal, unescaped.
    Str(String),
    LParen,
    RParen,
    Comma,
    Op(CompareOp),
    /// The end of the text.
    Eof,
    /// The text could not be split further; the parser reports this error when it
    /// reaches this token.
    Bad(QueryError),
}

impl Tok {
    /// How an error message names this token: "found {describe}".
    pub fn describe(&self) -> String {
        match self {
            Tok::Word(w) => format!("\"{w}\""),
            Tok::Number(n) => format!("the number {n}"),
            Tok::Str(s) => {
                // Long literals would drown the message; their start is enough.
                let shown: String = s.chars().take(30).collect();
                let ellipsis = if shown.len() < s.len() { "…" } else { "" };
                format!("the string {}{ellipsis}", quote_string(&shown))
            }
            Tok::LParen => "\"(\"".into(),
            Tok::RParen => "\")\"".into(),
            Tok::Comma => "\",\"".into(),
            Tok::Op(op) => format!("\"{}\"", op.as_str()),
            Tok::Eof => "the end of the query".into(),
            Tok::Bad(e) => e.message.clone(),
        }
    }

    /// Whether this is the word `keyword`, compared case-insensitively.
    ///
    /// kintone's documentation writes keywords in lower case and does not say whether
    /// `AND` or `Order By` are accepted. Accepting every case is the safe side for a
    /// validator: a query we let through is still checked by kintone, while one we
    /// wrongly refuse could never be sent.
    pub fn is_keyword(&self, keyword: &str) -> bool {
        matches!(self, Tok::Word(w) if w.eq_ignore_ascii_case(keyword))
    }
}

/// Whether `c` separates tokens. Only these do: kintone documents spaces, and
/// Japanese input methods produce U+3000 between words.
pub(crate) fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{3000}')
}

/// Whether `c` may be part of a bare word. Generous on purpose: field codes may hold
/// any script and full-width symbols such as `・`, `＿` and `（）`; only ASCII
/// punctuation (but `_` and `$`), whitespace and control characters are excluded.
pub(crate) fn is_word_char(c: char) -> bool {
    if c == '_' || c == '$' {
        return true;
    }
    !(c.is_ascii_punctuation() || c.is_whitespace() || c.is_control())
}

/// Splits `src` into tokens; the last one is [`Tok::Eof`] or [`Tok::Bad`].
pub(crate) fn tokenize(src: &str) -> Vec<Token> {
    let mut lexer = Lexer { src, chars: src.char_indices().peekable(), pos: 0, tokens: Vec::new() };
    lexer.run();
    lexer.tokens
}

struct Lexer<'a> {
    src: &'a str,
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    /// Character index of the next character.
    pos: usize,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn peek(&mut self) -> Option<char> {
        self.chars.peek().map(|&(_, c)| c)
    }

    /// The character after the next one.
    fn peek2(&self) -> Option<char> {
        let mut ahead = self.chars.clone();
        ahead.next();
        ahead.next().map(|(_, c)| c)
    }

    fn bump(&mut self) -> Option<char> {
        let (_, c) = self.chars.next()?;
        self.pos += 1;
        Some(c)
    }

    fn byte_offset(&mut self) -> usize {
        self.chars.peek().map_or(self.src.len(), |&(i, _)| i)
    }

    fn run(&mut self) {
        loop {
            while self.peek().is_some_and(is_separator) {
                self.bump();
            }
            let (pos, start) = (self.pos, self.byte_offset());
            let kind = match self.peek() {
                None => Tok::Eof,
                Some(c) => match self.token(c) {
                    Ok(kind) => kind,
                    Err(e) => Tok::Bad(e),
                },
            };
            let last = matches!(kind, Tok::Eof | Tok::Bad(_));
            let end = self.byte_offset();
            self.tokens.push(Token { kind, pos, start, end });
            if last {
                return;
            }
        }
    }

    /// Reads the token starting with `c` (not yet consumed).
    fn token(&mut self, c: char) -> Result<Tok, QueryError> {
        let pos = self.pos;
        match c {
            '(' | ')' | ',' => {
                self.bump();
                Ok(match c {
                    '(' => Tok::LParen,
                    ')' => Tok::RParen,
                    _ => Tok::Comma,
                })
            }
            '"' => self.string(),
            '=' | '!' | '<' | '>' => self.operator(),
            '-' if self.peek2().is_some_and(|d| d.is_ascii_digit()) => {
                self.bump();
                let digits = self.word();
                self.number(format!("-{digits}"), pos)
            }
            c if is_word_char(c) => {
                let word = self.word();
                if word.bytes().all(|b| b.is_ascii_digit()) {
                    self.number(word, pos)
                } else {
                    Ok(Tok::Word(word))
                }
            }
            _ => {
                // A dot glued to a word is most likely `TABLE.field`.
                let here = self.byte_offset();
                let after_word = matches!(
                    self.tokens.last(),
                    Some(Token { kind: Tok::Word(_), end, .. }) if *end == here
                );
                Err(QueryError::new(unexpected_char(c, after_word), pos))
            }
        }
    }

    fn word(&mut self) -> String {
        let mut word = String::new();
        while let Some(c) = self.peek().filter(|&c| is_word_char(c)) {
            word.push(c);
            self.bump();
        }
        word
    }

    /// Finishes a number whose integer part (with its sign) is `text`: checks it and
    /// reads an optional fraction.
    fn number(&mut self, mut text: String, pos: usize) -> Result<Tok, QueryError> {
        let digits_ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let malformed = |t: &str| QueryError::new(format!("malformed number \"{t}\""), pos);
        if !digits_ok(text.trim_start_matches('-')) {
            return Err(malformed(&text));
        }
        if self.peek() == Some('.') && self.peek2().is_some_and(|d| d.is_ascii_digit()) {
            self.bump();
            let fraction = self.word();
            text.push('.');
            text.push_str(&fraction);
            if !digits_ok(&fraction) {
                return Err(malformed(&text));
            }
        }
        Ok(Tok::Number(text))
    }

    /// Reads the longest run of operator characters, so that `==` or `<>` is reported
    /// as one unknown operator rather than as a confusing pair.
    fn operator(&mut self) -> Result<Tok, QueryError> {
        let pos = self.pos;
        let mut text = String::new();
        while let Some(c) = self.peek().filter(|c| matches!(c, '=' | '!' | '<' | '>')) {
            text.push(c);
            self.bump();
        }
        let op = match text.as_str() {
            "=" => CompareOp::Eq,
            "!=" => CompareOp::Ne,
            ">" => CompareOp::Gt,
            "<" => CompareOp::Lt,
            ">=" => CompareOp::Ge,
            "<=" => CompareOp::Le,
            _ => {
                let hint = match text.as_str() {
                    "==" => "; kintone compares with a single \"=\"",
                    "<>" => "; write \"!=\" for not equal",
                    "=>" => "; write \">=\"",
                    "=<" => "; write \"<=\"",
                    "!" => "; write \"!=\", \"not in\" or \"not like\"",
                    _ => "",
                };
                let msg = format!(
                    "unknown operator \"{text}\" (expected =, !=, >, <, >= or <=){hint}"
                );
                return Err(QueryError::new(msg, pos));
            }
        };
        Ok(Tok::Op(op))
    }

    /// Reads a string literal, the opening quote not yet consumed.
    fn string(&mut self) -> Result<Tok, QueryError> {
        let open = self.pos;
        self.bump();
        let mut value = String::new();
        let unterminated = || QueryError::new("unterminated string literal starting", open);
        loop {
            let at = self.pos;
            match self.bump().ok_or_else(unterminated)? {
                '"' => return Ok(Tok::Str(value)),
                '\\' => match self.bump().ok_or_else(unterminated)? {
                    't' => value.push('\t'),
                    'n' => value.push('\n'),
                    'r' => value.push('\r'),
                    // `\"`, `\\` and any other escape stand for the character after
                    // the backslash. kintone documents only `\"` and `\\`; keeping the
                    // character is the lenient reading and never loses user text.
                    other => value.push(other),
                },
                c @ ('\t' | '\n' | '\r') => {
                    let (name, escape) = match c {
                        '\t' => ("tab", "\\t"),
                        '\n' => ("newline", "\\n"),
                        _ => ("carriage return", "\\r"),
                    };
                    let msg = format!("raw {name} inside a string literal; write {escape}");
                    return Err(QueryError::new(msg, at));
                }
                c => value.push(c),
            }
        }
    }
}

fn unexpected_char(c: char, after_word: bool) -> String {
    let hint = match c {
        '\'' => "; string literals use double quotes",
        '.' if after_word => "; a table's field is written by its own field code, without the table's",
        '-' => "; a minus sign must be directly followed by digits",
        _ if c.is_whitespace() => {
            "; only spaces, tabs, newlines and U+3000 separate words"
        }
        _ => "",
    };
    if c.is_control() || (c.is_whitespace() && !c.is_ascii()) {
        format!("unexpected character U+{:04X}{hint}", c as u32)
    } else {
        format!("unexpected character \"{c}\"{hint}")
    }
}
