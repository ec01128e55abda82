//! kintone-seek reads every record of a kintone app that matches a query, past the
//! 10,000-record offset wall, without taking one of the domain's 10 shared cursors
//! whenever the seek method can serve the order.
//!
//! The core (everything but `bindings`) knows nothing of JavaScript: the query
//! language, the options, the planner and the seek paginator are plain Rust, tested on
//! the host. `bindings` is the only module that touches `JsValue`.
#![deny(missing_docs)]

pub mod cursor;
pub mod domain_load;
pub mod error;
pub mod idset;
pub mod keyset;
pub mod limits;
pub mod local_order;
pub mod offset;
pub mod options;
pub mod parts;
pub mod paths;
pub mod plan;
pub mod progress;
pub mod query;
pub mod reader;
pub mod retry;
pub mod seek;
pub mod transport;
pub mod windows;

#[cfg(target_arch = "wasm32")]
mod bindings;

#[cfg(test)]
mod test_answer;
