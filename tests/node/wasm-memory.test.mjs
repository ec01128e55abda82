// The wasm's linear memory never shrinks, and a kintone page lives for hours: repeated
// long reads must reuse the memory freed by the earlier ones. This guards the global
// allocator (src/bindings/allocator.rs) and the core alike: a leak of the id strings
// that cross the boundary, one per record, would grow the memory by megabytes a read.
import { test } from "node:test";
import assert from "node:assert/strict";

// The instance is made inside the package; its memory is caught as it is made.
let memory;
let startBytes;
const RealInstance = WebAssembly.Instance;
WebAssembly.Instance = function Instance(module, imports) {
  const instance = new RealInstance(module, imports);
  memory = instance.exports.memory;
  startBytes = memory.buffer.byteLength;
  return instance;
};
WebAssembly.Instance.prototype = RealInstance.prototype;
const { iterateRecords } = await import("../../dist/index.js");

const RECORDS = 100_000;
const PAGE = 65_536;

// Answers each seek page from the `$id > N` of its query, made on demand.
async function transport(path, _method, params) {
  assert.equal(path, "/k/v1/records.json");
  const query = String(params.query);
  const after = Number(/\$id > (\d+)/.exec(query)?.[1] ?? 0);
  const limit = Number(/limit (\d+)/.exec(query)[1]);
  const records = [];
  for (let id = after + 1; id <= Math.min(RECORDS, after + limit); id++) {
    records.push({ $id: { type: "__ID__", value: String(id) }, 件名: { type: "SINGLE_LINE_TEXT", value: `件名 ${id}` } });
  }
  return { records, totalCount: params.totalCount ? String(RECORDS) : null };
}

async function streamAll() {
  let count = 0;
  for await (const record of iterateRecords({ app: 1, fields: ["$id", "件名"], transport, concurrency: 4 })) {
    if (record) count++;
  }
  assert.equal(count, RECORDS);
  return memory.buffer.byteLength;
}

test("three reads of 100,000 records grow the wasm memory no further than the first", async () => {
  const first = await streamAll();
  const third = (await streamAll(), await streamAll());
  assert.equal(third, first, `the wasm memory grew from ${first / PAGE} to ${third / PAGE} pages over two more reads`);
  // The first read itself holds its id set (a bitmap, about 12 KiB for these ids): a few
  // pages at most above the instance's start, never one string per record (1.6 MB).
  assert.ok(first - startBytes <= 4 * PAGE,
    `one read of ${RECORDS} records grew the wasm memory from ${startBytes / PAGE} to ${first / PAGE} pages`);
});
