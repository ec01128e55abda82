// The single file (dist/kintone-seek.iife.js): the package's exports and those of
// `kintone-seek/csv` (js/csv.ts: downloadCsv, exportCsv, ...) as `window.KintoneSeek`,
// and the wasm's preparation started as soon as the file loads, in later tasks of a few
// milliseconds each, so that the first read finds it ready. The ESM
// entry (js/index.ts) starts nothing on import: it stays free of side effects for
// bundlers (`sideEffects: false`), and its wasm is prepared by the first read.
import { getAllRecords } from "./read.js";
import { prepareWasmSoon } from "./wasm.js";

export * from "./index.js";
// The CSV export, in the same file: js/csv.ts's reads come from "./index.js", which this
// bundle resolves to the same modules as above (one copy of the reads, one wasm instance).
export * from "./csv.js";

// Chromium compiles each wasm function on its first call, on the main thread: 10 to 30 ms
// for a read's functions in a fresh page. A read of one record from a stand-in transport,
// once the wasm is ready and unless a read has begun, compiles them before the page's
// first read needs them. Its answer comes in a later task, so the work is split in two.
const oneRecord = () =>
  new Promise((answer) => setTimeout(answer)).then(() => ({ records: [{ $id: { type: "__ID__", value: "1" } }], totalCount: "1" }));

prepareWasmSoon(() => getAllRecords({ app: 1, transport: oneRecord }));
