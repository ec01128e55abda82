//! Errors the library raises itself. kintone's own error answers travel as the
//! transport's error type and are converted to `KintoneApiError` in the JS facade.

use thiserror::Error;

/// The library's error codes, as exposed on `KintoneSeekError.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeekErrorCode {
    /// The query (or condition / orderBy) does not parse, or holds `limit`/`offset`.
    InvalidQuery,
    /// An option is unknown, of the wrong type or out of range.
    InvalidOption,
    /// The requested order cannot be served by the requested method.
    UnsupportedOrder,
    /// All cursors of the domain stayed taken.
    CursorLimit,
    /// No transport was given and `kintone.api` is not there.
    NoTransport,
    /// kintone answered something that breaks its own contract.
    Protocol,
}

impl SeekErrorCode {
    /// The code as a string, exactly as JavaScript callers compare it.
    pub fn as_str(self) -> &'static str {
        match self {
            SeekErrorCode::InvalidQuery => "INVALID_QUERY",
            SeekErrorCode::InvalidOption => "INVALID_OPTION",
            SeekErrorCode::UnsupportedOrder => "UNSUPPORTED_ORDER",
            SeekErrorCode::CursorLimit => "CURSOR_LIMIT",
            SeekErrorCode::NoTransport => "NO_TRANSPORT",
            SeekErrorCode::Protocol => "PROTOCOL",
        }
    }
}

/// An error the library raises itself, with a message written for the person reading it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct SeekError {
    /// Which kind of refusal this is.
    pub code: SeekErrorCode,
    /// What happened and what to do about it.
    pub message: String,
}

impl SeekError {
    /// Builds an error with the given code and message.
    pub fn new(code: SeekErrorCode, message: impl Into<String>) -> Self {
        SeekError { code, message: message.into() }
    }

    /// An `INVALID_OPTION` error.
    pub fn option(message: impl Into<String>) -> Self {
        Self::new(SeekErrorCode::InvalidOption, message)
    }

    /// An `INVALID_QUERY` error.
    pub fn query(message: impl Into<String>) -> Self {
        Self::new(SeekErrorCode::InvalidQuery, message)
    }

    /// A `PROTOCOL` error.
    pub fn protocol(message: impl Into<String>) -> Self {
        Self::new(SeekErrorCode::Protocol, message)
    }
}

/// Why a read stopped: the library refused or gave up, or the transport failed
/// (kintone answered with an error, the network failed, the read was aborted).
#[derive(Debug, Error)]
pub enum ReadError<E> {
    /// The library's own error.
    #[error(transparent)]
    Seek(#[from] SeekError),
    /// The transport's error, passed through untouched.
    #[error("the transport failed")]
    Transport(E),
}
