// What crosses the wasm boundary outward, as callers see it: the progress object (with
// its `waiting` member during a pause), and a callback that throws during a pause.
import { test } from "node:test";
import assert from "node:assert/strict";
import { getAllRecords } from "../../dist/index.js";
import { createFakeKintone, makeRecords } from "../support/fake-kintone.mjs";

const busyFirst = () => ({
  fail: (_request, index) => (index === 0 ? { code: "GAIA_TO04", id: "x", message: "too many concurrent requests" } : undefined),
});

test("progress is a plain object: total null when kintone does not say, waiting while the read pauses", async () => {
  const fake = createFakeKintone(makeRecords(3), busyFirst());
  // An answer without totalCount: the total is unknown, and says so with null.
  const transport = async (...args) => {
    const answer = await fake.api(...args);
    const { totalCount, ...rest } = answer;
    void totalCount;
    return rest;
  };
  const seen = [];
  const records = await getAllRecords({ app: 1, concurrency: 1, transport, onProgress: (p) => seen.push(p) });
  assert.equal(records.length, 3);
  const waiting = seen.find((p) => p.waiting);
  assert.ok(waiting, JSON.stringify(seen));
  assert.equal(Object.getPrototypeOf(waiting), Object.prototype);
  assert.deepEqual(Object.keys(waiting).sort(), ["fetched", "method", "requests", "retries", "total", "waiting"]);
  assert.deepEqual({ ...waiting, waiting: { ...waiting.waiting, ms: typeof waiting.waiting.ms } }, {
    // The retry the pause is for is counted already.
    fetched: 0, total: null, method: "seek", requests: 1, retries: 1, waiting: { ms: "number", reason: "retry" },
  });
  assert.ok(waiting.waiting.ms > 0 && Number.isInteger(waiting.waiting.ms), String(waiting.waiting.ms));
  const last = seen.at(-1);
  assert.deepEqual(last, { fetched: 3, total: null, method: "seek", requests: 2, retries: 1 });
});

test("onProgress that throws during a pause is written to the console, and the read goes on", async () => {
  const fake = createFakeKintone(makeRecords(3), busyFirst());
  const thrown = new Error("the caller's bug");
  const logged = [];
  const original = console.error;
  console.error = (...args) => logged.push(args);
  let records;
  try {
    records = await getAllRecords({
      app: 1, concurrency: 1, transport: fake.api,
      onProgress: (p) => { if (p.waiting) throw thrown; },
    });
  } finally {
    console.error = original;
  }
  assert.equal(records.length, 3);
  assert.equal(logged.length, 1, JSON.stringify(logged));
  assert.match(logged[0][0], /^kintone-seek: onProgress threw while the read waited; the read goes on\.$/);
  assert.equal(logged[0][1], thrown);
});
