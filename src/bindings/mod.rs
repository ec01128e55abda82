//! The only module that knows JavaScript: it turns JS options into the core's, plugs
//! `kintone.api` or the caller's transport into the core's `Transport` seam, and hands
//! pages back as the JS arrays they arrived as. The TypeScript facade in `js/` is the
//! public API; these exports are its private back end.

mod allocator;
mod convert;
mod js_answer;
mod js_transport;
mod kintone;
mod local_order;
mod option_reader;
mod reader;
mod view;
