// The single file (dist/kintone-seek.iife.js): the package's exports as
// `window.KintoneSeek`, and the wasm's preparation started as soon as the file loads, in
// later tasks of a few milliseconds each, so that the first read finds it ready. The ESM
// entry (js/index.ts) starts nothing on import: it stays free of side effects for
// bundlers (`sideEffects: false`), and its wasm is prepared by the first read.
import { prepareWasmSoon } from "./wasm.js";

export * from "./index.js";

prepareWasmSoon();
