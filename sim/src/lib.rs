//! kintone-sim: a local kintone for kintone-seek's tests, demo and benchmarks. Its
//! behaviour is docs/KINTONE.md; what it assumes where that is silent is in sim/README.md.

pub mod api;
pub mod auth;
pub mod behaviour;
pub mod controls;
pub mod cursor_api;
pub mod cursors;
pub mod data;
pub mod error;
pub mod eval;
pub mod faults;
pub mod form;
pub mod functions;
pub mod generate;
pub mod model;
pub mod order;
pub mod page;
pub mod params;
pub mod records;
pub mod render;
pub mod select;
pub mod server;
pub mod state;
pub mod timefmt;
pub mod values;
pub mod write;

pub use behaviour::{Behaviour, EmptyEquals};
pub use data::SeedSpec;
pub use server::{start, Server};
pub use state::Config;
