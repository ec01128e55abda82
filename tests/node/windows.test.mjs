// Id windows: a seek on $id through a transport other than kintone.api reads
// `concurrency` (default 4) id windows at once and delivers them in order.
import { test } from "node:test";
import assert from "node:assert/strict";
import { getAllRecords, iterateRecords } from "kintone-seek";
import { createFakeKintone, makeRecords } from "../support/fake-kintone.mjs";

const ids = (records) => records.map((r) => Number(r.$id.value));
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Wraps a transport so that answers take `ms`, counting the requests in flight. */
function slow(transport, ms = 3) {
  const stats = { inFlight: 0, most: 0 };
  const send = async (...args) => {
    stats.inFlight++;
    stats.most = Math.max(stats.most, stats.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return await transport(...args);
    } finally {
      stats.inFlight--;
    }
  };
  return { send, stats };
}

test("the first page alone, then the second beside the far end, then page-wide windows, the last one open", async () => {
  const fake = createFakeKintone(makeRecords(2500));
  const seen = [];
  const records = await getAllRecords({ app: 1, transport: fake.api, onProgress: (p) => seen.push(p) });
  assert.deepEqual(ids(records), range(1, 2500));
  assert.deepEqual(fake.requests.map((r) => r.params), [
    { app: 1, query: "order by $id asc limit 500", totalCount: true },
    { app: 1, query: "$id > 500 order by $id asc limit 500" },
    { app: 1, query: "order by $id desc limit 1", fields: ["$id"] },
    { app: 1, query: "$id > 1000 and $id <= 1500 order by $id asc limit 500" },
    { app: 1, query: "$id > 1500 and $id <= 2000 order by $id asc limit 500" },
    { app: 1, query: "$id > 2000 order by $id asc limit 500" },
    // The open window came back full with the count taken at the start reached: the
    // only request left can only confirm the end, so it asks for one id.
    { app: 1, query: "$id > 2500 order by $id asc limit 1", fields: ["$id"] },
  ]);
  // The last call reports every record delivered, the total and every request, and the
  // four windows (the default concurrency with a transport of one's own) the read ran.
  assert.deepEqual(seen.at(-1), { fetched: 2500, total: 2500, method: "seek", requests: 7, retries: 0, windows: 4 });
});

for (const concurrency of [1, 2, 4, 8]) {
  for (const n of [0, 1, 321, 500]) {
    test(`an empty or short read is one request at concurrency ${concurrency} (${n} records)`, async () => {
      const fake = createFakeKintone(makeRecords(n));
      const seen = [];
      const records = await getAllRecords({ app: 1, concurrency, transport: fake.api, onProgress: (p) => seen.push(p) });
      assert.deepEqual(ids(records), range(1, n));
      assert.deepEqual(fake.requests.map((r) => r.params), [{ app: 1, query: "order by $id asc limit 500", totalCount: true }]);
      assert.deepEqual(seen.at(-1), { fetched: n, total: n, method: "seek", requests: 1, retries: 0 });
    });
  }
}

// With 8 windows, every request is sent before the last pages arrive: progress must still
// report each page, and the last call every record.
for (const [n, most, concurrency] of [[1234, 4, 4], [5000, 12, 4], [3700, 9, 8]]) {
  test(`${n} records in ${concurrency} windows: at most ${most} requests, and the last progress reports them all`, async () => {
    const fake = createFakeKintone(makeRecords(n));
    const seen = [];
    const records = await getAllRecords({ app: 1, concurrency, transport: fake.api, onProgress: (p) => seen.push(p) });
    assert.deepEqual(ids(records), range(1, n));
    assert.ok(fake.requests.length <= most, `${fake.requests.length} requests`);
    // `windows` is the pace the read ran at (`concurrency`), also when fewer windows were left.
    assert.deepEqual(seen.at(-1), { fetched: n, total: n, method: "seek", requests: fake.requests.length, retries: 0, windows: concurrency });
  });
}

for (const n of [0, 1, 499, 500, 501, 1000, 25_001]) {
  for (const orderBy of ["$id asc", "$id desc"]) {
    test(`windows deliver all ${n} records exactly once in order (${orderBy})`, async () => {
      const fake = createFakeKintone(makeRecords(n));
      const records = await getAllRecords({ app: 1, orderBy, transport: fake.api });
      const expected = orderBy === "$id asc" ? range(1, n) : range(1, n).reverse();
      assert.deepEqual(ids(records), expected);
    });
  }
}

test("sparse ids and a condition: windows widen, the condition stays wrapped", async () => {
  const condition = "amount = 1 or amount = 2";
  const all = makeRecords(6000, { firstId: 10, step: 7 });
  const keep = (r) => [1, 2].includes(Number(r.amount.value));
  const fake = createFakeKintone(all, { conditions: { [condition]: keep } });
  const records = await getAllRecords({ app: 1, condition, pageSize: 50, fields: ["amount"], transport: fake.api });
  const expected = all.filter(keep);
  assert.equal(records.length, expected.length);
  assert.deepEqual(records, expected.map((r) => ({ amount: r.amount })));
  for (const request of fake.requests) {
    assert.ok(request.params.query.startsWith(`(${condition}) `), request.params.query);
    // Pages carry the caller's fields and `$id`; the far end and the confirmation only `$id`.
    const light = request.params.query.endsWith("limit 1");
    assert.deepEqual(request.params.fields, light ? ["$id"] : ["amount", "$id"]);
  }
});

test("at most `concurrency` windows are in flight, and more than one is", async () => {
  const fake = createFakeKintone(makeRecords(10_000));
  const { send, stats } = slow(fake.api);
  const records = await getAllRecords({ app: 1, concurrency: 3, transport: send });
  assert.equal(records.length, 10_000);
  assert.ok(stats.most >= 3, `at most ${stats.most} in flight`);
  assert.ok(stats.most <= 3 + 1, `${stats.most} in flight for concurrency 3 (one page may be read ahead)`);
});

test("records added or deleted during a read: every record present throughout arrives once", async () => {
  const records = makeRecords(3000);
  const fake = createFakeKintone(records);
  let changed = false;
  const transport = async (path, method, params, context) => {
    const answer = await fake.api(path, method, params, context);
    if (!changed && params.query?.startsWith("$id > 500")) {
      changed = true;
      records.push(...makeRecords(700, { firstId: 3001 })); // new records past the far end
      // Ids 2801..2810 deleted: they lie in the open window, which is asked for after
      // this answer. (A record deleted from a window already answered may still arrive:
      // it was not present throughout.)
      records.splice(2800, 10);
    }
    return answer;
  };
  const got = ids(await getAllRecords({ app: 1, transport }));
  const deleted = range(2801, 2810);
  const throughout = range(1, 3000).filter((id) => !deleted.includes(id));
  assert.deepEqual(got.filter((id) => id <= 3000 && !deleted.includes(id)), throughout);
  assert.equal(new Set(got).size, got.length, "no record delivered twice");
  assert.deepEqual(got.filter((id) => id > 3000), range(3001, 3700), "added records are read by the open window");
  assert.deepEqual(got.filter((id) => deleted.includes(id)), []);
});

test("a window that fails transiently is retried; the read completes exactly", async () => {
  let failed = 0;
  const fake = createFakeKintone(makeRecords(3000), {
    fail: (request) => (request.params.query.includes("and $id <=") && failed++ < 2
      ? { code: "GAIA_TO04", id: "x", message: "too many concurrent requests" }
      : undefined),
  });
  const seen = [];
  const records = await getAllRecords({ app: 1, transport: fake.api, onProgress: (p) => seen.push(p) });
  assert.deepEqual(ids(records), range(1, 3000));
  assert.equal(seen.at(-1).retries, 2);
  assert.ok(seen.some((p) => p.waiting?.reason === "retry"), "the wait shows in progress");
});

test("breaking out of a windowed iteration stops it with at most a few pages read ahead", async () => {
  const fake = createFakeKintone(makeRecords(20_000));
  let count = 0;
  for await (const record of iterateRecords({ app: 1, concurrency: 4, transport: fake.api })) {
    if (++count === 1200) break;
    void record;
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  // 3 pages delivered, the far-end probe, and at most 4 windows plus one page ahead.
  assert.ok(fake.requests.length <= 3 + 1 + 4 + 1, `${fake.requests.length} requests`);
});

test("matches that thin out widen the windows: a sparse tail costs few requests", async () => {
  // Ids 1..500 all match, then one match every 1,000 ids up to 1,000,000.
  const records = [...makeRecords(500), ...makeRecords(1000, { firstId: 1000, step: 1000 })];
  const fake = createFakeKintone(records);
  const got = await getAllRecords({ app: 1, transport: fake.api });
  assert.deepEqual(ids(got), ids(records));
  // Page-wide windows would have taken about 2,000 requests; a sequential seek takes 4.
  assert.ok(fake.requests.length <= 40, `${fake.requests.length} requests`);
});

test("abort inside a batch of windows: no window not yet sent goes out", async () => {
  const fake = createFakeKintone(makeRecords(10_000));
  const controller = new AbortController();
  const transport = (path, method, params, context) => {
    const answer = fake.api(path, method, params, context);
    // The first window of the first batch: the others of the batch are not sent yet.
    if (params.query.includes("and $id <=")) controller.abort();
    return answer;
  };
  const error = await getAllRecords({ app: 1, concurrency: 4, transport, signal: controller.signal }).catch((e) => e);
  assert.equal(error, controller.signal.reason);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(fake.requests.map((r) => r.params.query), [
    "order by $id asc limit 500",
    "$id > 500 order by $id asc limit 500",
    "order by $id desc limit 1",
    "$id > 1000 and $id <= 1500 order by $id asc limit 500",
  ]);
});
