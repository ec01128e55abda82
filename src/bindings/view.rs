//! What is left of the list view's bindings: `currentView()` and `kintoneTransport()` are
//! plain TypeScript (js/kintone.ts), which needs no wasm on first use nor on a page that
//! forbids WebAssembly. The transport it makes carries this mark, read by the reader.

/// The property that marks the function `kintoneTransport()` makes, so that a read
/// through it keeps the in-kintone defaults.
pub const KINTONE_TRANSPORT_MARK: &str = "kintoneSeekTransport";
