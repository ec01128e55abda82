// The cursor's cleanup as the caller sees it: the DELETE on every way out, and a failed
// DELETE attached to the error that caused it, never put in its place.
import { test } from "node:test";
import assert from "node:assert/strict";
import { iterateRecords, KintoneApiError } from "kintone-seek";
import { makeRecords } from "../support/fake-kintone.mjs";

/**
 * 1,000 records: the first page of 100 by records GET (the first request of every
 * read), then the cursor API in pages of 100 from the start; `deleteAnswer` decides
 * the DELETE's fate.
 */
function cursorKintone(deleteAnswer) {
  const requests = [];
  let read = 0;
  const transport = async (path, method, params) => {
    requests.push(`${method} ${path}`);
    if (path === "/k/v1/records.json" && method === "GET") return { records: makeRecords(100), totalCount: "1000" };
    if (path !== "/k/v1/records/cursor.json") throw { code: "CB_NO02", id: "x", message: `unexpected ${path}` };
    if (method === "POST") return { id: "c1", totalCount: "1000" };
    if (method === "GET") {
      read += 100;
      return { records: makeRecords(100, { firstId: read - 99 }), next: read < 1000 };
    }
    return deleteAnswer();
  };
  return { transport, requests };
}

const gone = () => Promise.reject({ code: "GAIA_CN01", id: "x", message: "指定したカーソルが見つかりません。" });
const broken = () => Promise.reject({ code: "CB_IJ01", id: "x", message: "invalid JSON" });

async function readThenThrow(transport) {
  const thrown = new Error("consumer failed");
  try {
    for await (const record of iterateRecords({ app: 1, method: "cursor", pageSize: 100, transport })) {
      void record;
      throw thrown;
    }
  } catch (error) {
    return { thrown, error };
  }
  assert.fail("the loop did not throw");
}

test("a throw in the loop deletes the cursor; the consumer's error reaches the caller", async () => {
  const { transport, requests } = cursorKintone(async () => ({}));
  const { thrown, error } = await readThenThrow(transport);
  assert.equal(error, thrown);
  assert.equal(error.cleanupError, undefined);
  assert.equal(requests.filter((r) => r.startsWith("DELETE")).length, 1);
});

test("a cursor already gone (GAIA_CN01) counts as released", async () => {
  const { transport } = cursorKintone(gone);
  const { thrown, error } = await readThenThrow(transport);
  assert.equal(error, thrown);
  assert.equal(error.cleanupError, undefined);
});

/** Runs `fn` with console.warn captured. */
async function warnings(fn) {
  const seen = [];
  const original = console.warn;
  console.warn = (...args) => seen.push(args);
  try {
    return { result: await fn(), seen };
  } finally {
    console.warn = original;
  }
}

test("a failed DELETE after kintone's own error is attached as cleanupError, never in its place", async () => {
  const { transport: base } = cursorKintone(broken);
  let gets = 0;
  const transport = (path, method, params) =>
    method === "GET" && ++gets === 2 ? Promise.reject({ code: "GAIA_UN03", id: "x", message: "unexpected" }) : base(path, method, params);
  const { result: error, seen } = await warnings(async () => {
    try {
      for await (const record of iterateRecords({ app: 1, method: "cursor", pageSize: 100, transport })) void record;
    } catch (error) {
      return error;
    }
  });
  assert.ok(error instanceof KintoneApiError);
  assert.equal(error.code, "GAIA_UN03");
  assert.ok(error.cleanupError instanceof KintoneApiError);
  assert.equal(error.cleanupError.code, "CB_IJ01");
  assert.equal(seen.length, 1);
});

test("a failed DELETE after the loop's own throw: the loop's error wins, the failure is written to the console", async () => {
  const { transport } = cursorKintone(broken);
  const { result: { thrown, error }, seen } = await warnings(() => readThenThrow(transport));
  assert.equal(error, thrown);
  assert.equal(seen.length, 1);
  assert.match(seen[0][0], /deleting the read's cursor failed/);
  assert.equal(seen[0][1].code, "CB_IJ01");
});

test("after a clean break, a failed DELETE is thrown so the open cursor does not go unnoticed", async () => {
  const { transport, requests } = cursorKintone(broken);
  const { result: error } = await warnings(() => (async () => {
    for await (const record of iterateRecords({ app: 1, method: "cursor", pageSize: 100, transport })) {
      void record;
      break;
    }
  })().catch((e) => e));
  assert.ok(error instanceof KintoneApiError, String(error));
  assert.equal(error.code, "CB_IJ01");
  // The first page, then (read ahead) the cursor: its first page repeats the first
  // page's records, which are not delivered again, so the next is read too.
  assert.deepEqual(requests, [
    "GET /k/v1/records.json",
    "POST /k/v1/records/cursor.json",
    "GET /k/v1/records/cursor.json",
    "GET /k/v1/records/cursor.json",
    "DELETE /k/v1/records/cursor.json",
  ]);
});

test("a read to the end sends no DELETE: kintone removed the cursor after next: false", async () => {
  const { transport, requests } = cursorKintone(broken);
  let count = 0;
  for await (const record of iterateRecords({ app: 1, method: "cursor", pageSize: 100, transport })) if (record) count++;
  assert.equal(count, 1000);
  assert.equal(requests.filter((r) => r.startsWith("DELETE")).length, 0);
});

// iterateRecords hands out a page's records from the array (js/record-iterator.ts), not
// through an async generator: the same guarantees, checked on its own paths.

test("iterateRecords: an abort between two records of one page ends the read with the reason and deletes the cursor", async () => {
  const { transport, requests } = cursorKintone(async () => ({}));
  const controller = new AbortController();
  const reason = new Error("stopped between records");
  const seen = [];
  const error = await (async () => {
    for await (const record of iterateRecords({ app: 1, method: "cursor", pageSize: 100, transport, signal: controller.signal })) {
      seen.push(record.$id.value);
      if (seen.length === 150) controller.abort(reason);
    }
  })().catch((e) => e);
  assert.equal(error, reason);
  // The 150th record was the last one delivered: the rest of its page was not.
  assert.equal(seen.length, 150);
  assert.equal(requests.filter((r) => r.startsWith("DELETE")).length, 1);
});

test("iterateRecords: next() called again before the last one settled delivers every record once, in order", async () => {
  const { transport } = cursorKintone(async () => ({}));
  const records = iterateRecords({ app: 1, method: "cursor", pageSize: 100, transport });
  const results = await Promise.all(Array.from({ length: 1005 }, () => records.next()));
  const ids = results.filter((r) => !r.done).map((r) => Number(r.value.$id.value));
  assert.deepEqual(ids, Array.from({ length: 1000 }, (_, i) => i + 1));
  assert.ok(results.slice(1000).every((r) => r.done));
});

test("iterateRecords: return() in the middle of a page deletes the cursor; throw() ends the read with its error", async () => {
  const first = cursorKintone(async () => ({}));
  const records = iterateRecords({ app: 1, method: "cursor", pageSize: 100, transport: first.transport });
  for (let i = 0; i < 250; i++) await records.next();
  assert.deepEqual(await records.return(), { value: undefined, done: true });
  assert.equal(first.requests.filter((r) => r.startsWith("DELETE")).length, 1);
  assert.deepEqual(await records.next(), { value: undefined, done: true });

  const second = cursorKintone(async () => ({}));
  const again = iterateRecords({ app: 1, method: "cursor", pageSize: 100, transport: second.transport });
  for (let i = 0; i < 250; i++) await again.next();
  const thrown = new Error("thrown in");
  await assert.rejects(again.throw(thrown), (error) => error === thrown);
  assert.equal(second.requests.filter((r) => r.startsWith("DELETE")).length, 1);
  assert.deepEqual(await again.next(), { value: undefined, done: true });
});
