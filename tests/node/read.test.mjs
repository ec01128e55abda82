// The built package read end to end against an in-memory kintone: exact requests,
// exact records, progress.
import { test } from "node:test";
import assert from "node:assert/strict";
import { getAllRecords, iteratePages, iterateRecords } from "kintone-seek";
import { createFakeKintone, makeRecords } from "../support/fake-kintone.mjs";

const ids = (records) => records.map((r) => Number(r.$id.value));
// The sequential seek, one page at a time (id windows have their own tests).
const one = { concurrency: 1 };
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

for (const n of [0, 1, 499, 500, 501, 1000, 25_001]) {
  test(`reads all ${n} records ascending, ending on a short page`, async () => {
    const fake = createFakeKintone(makeRecords(n));
    const records = await getAllRecords({ app: 1, transport: fake.api, ...one });
    assert.deepEqual(ids(records), range(1, n));
    // A first page that holds every match (totalCount) is the whole read.
    const pages = n === 500 ? 1 : Math.floor(n / 500) + 1;
    assert.equal(fake.requests.length, pages);
    assert.deepEqual(fake.requests[0], {
      path: "/k/v1/records.json",
      method: "GET",
      params: { app: 1, query: "order by $id asc limit 500", totalCount: true },
    });
    fake.requests.slice(1).forEach((request, i) => {
      const after = `$id > ${(i + 1) * 500} order by $id asc`;
      // When the count taken at the start is reached on a full page, the last request
      // can only confirm the end: one record, `$id` only.
      const expected = n % 500 === 0 && i === pages - 2
        ? { app: 1, query: `${after} limit 1`, fields: ["$id"] }
        : { app: 1, query: `${after} limit 500` };
      assert.deepEqual(request.params, expected);
    });
  });
}

test("reads descending below the last id", async () => {
  const fake = createFakeKintone(makeRecords(1001));
  const records = await getAllRecords({ app: 1, orderBy: "$id desc", transport: fake.api, ...one });
  assert.deepEqual(ids(records), range(1, 1001).reverse());
  assert.deepEqual(fake.requests.map((r) => r.params.query), [
    "order by $id desc limit 500",
    "$id < 502 order by $id desc limit 500",
    "$id < 2 order by $id desc limit 500",
  ]);
});

test("a condition with `or` is wrapped in parentheses, and sparse ids are followed", async () => {
  const condition = 'amount = 1 or title = "x \\"y\\""';
  const records = makeRecords(3000, { firstId: 10, step: 7 });
  const fake = createFakeKintone(records, {
    conditions: { [condition]: (r) => Number(r.amount.value) % 2 === 1 },
  });
  const got = await getAllRecords({ app: 1, condition, pageSize: 200, transport: fake.api, ...one });
  assert.deepEqual(ids(got), ids(records.filter((r) => Number(r.amount.value) % 2 === 1)));
  assert.equal(fake.requests[0].params.query, `(${condition}) order by $id asc limit 200`);
  const lastOfFirst = ids(got)[199];
  assert.equal(fake.requests[1].params.query, `(${condition}) and $id > ${lastOfFirst} order by $id asc limit 200`);
});

test("`query` carries condition and order together", async () => {
  const fake = createFakeKintone(makeRecords(5), { conditions: { "amount > 2": (r) => Number(r.amount.value) > 2 } });
  const got = await getAllRecords({ app: "1", query: "amount > 2 order by $id desc", transport: fake.api, ...one });
  assert.deepEqual(ids(got), [5, 4, 3]);
  assert.deepEqual(fake.requests[0].params, { app: "1", query: "(amount > 2) order by $id desc limit 500", totalCount: true });
});

test("fields without $id: asked for internally, absent from delivered records", async () => {
  const fake = createFakeKintone(makeRecords(700));
  const records = await getAllRecords({ app: 1, fields: ["title"], transport: fake.api, ...one });
  assert.equal(records.length, 700);
  assert.deepEqual(records[699], { title: { type: "SINGLE_LINE_TEXT", value: "record 700" } });
  assert.ok(records.every((r) => Object.keys(r).join() === "title"));
  assert.deepEqual(fake.requests[0].params.fields, ["title", "$id"]);
  assert.equal(fake.requests[1].params.query, "$id > 500 order by $id asc limit 500");
});

test("fields with $id: delivered as asked", async () => {
  const fake = createFakeKintone(makeRecords(3));
  const records = await getAllRecords({ app: 1, fields: ["$id", "amount"], transport: fake.api, ...one });
  assert.deepEqual(records[2], { $id: { type: "__ID__", value: "3" }, amount: { type: "NUMBER", value: "3" } });
  assert.deepEqual(fake.requests[0].params.fields, ["$id", "amount"]);
});

test("an explicit guest space reads through the guest path", async () => {
  const fake = createFakeKintone(makeRecords(2), { guestSpaceId: 5 });
  const records = await getAllRecords({ app: 1, guestSpaceId: 5, transport: fake.api });
  assert.equal(records.length, 2);
  assert.equal(fake.requests[0].path, "/k/guest/5/v1/records.json");
});

test("progress after every page: fetched, total, method, requests", async () => {
  const fake = createFakeKintone(makeRecords(1200));
  const seen = [];
  await getAllRecords({ app: 1, transport: fake.api, ...one, onProgress: (p) => seen.push({ ...p }) });
  assert.deepEqual(seen, [
    { fetched: 500, total: 1200, method: "seek", requests: 1, retries: 0 },
    { fetched: 1000, total: 1200, method: "seek", requests: 2, retries: 0 },
    { fetched: 1200, total: 1200, method: "seek", requests: 3, retries: 0 },
  ]);
});

test("iteratePages yields kintone's pages; iterateRecords reads one page ahead and stops on break", async () => {
  const fake = createFakeKintone(makeRecords(1001));
  const sizes = [];
  for await (const page of iteratePages({ app: 1, transport: fake.api, ...one })) sizes.push(page.length);
  assert.deepEqual(sizes, [500, 500, 1]);

  const lazy = createFakeKintone(makeRecords(1001));
  const seen = [];
  for await (const record of iterateRecords({ app: 1, pageSize: 100, transport: lazy.api, ...one })) {
    seen.push(Number(record.$id.value));
    if (seen.length === 150) break;
  }
  assert.deepEqual(seen, range(1, 150));
  // Pages 1 and 2 were delivered; page 3 was read ahead, and nothing after it.
  assert.equal(lazy.requests.length, 3);
});

test("a synchronous transport answer is taken too", async () => {
  const records = makeRecords(3);
  const transport = (path, method, params) => ({ records: records.slice(0, 3), totalCount: params.totalCount ? "3" : null });
  assert.deepEqual(ids(await getAllRecords({ app: 1, transport })), [1, 2, 3]);
});

test("options without a prototype (Object.create(null)) are read like any object", async () => {
  const fake = createFakeKintone(makeRecords(2));
  const options = Object.assign(Object.create(null), { app: 1, transport: fake.api });
  assert.deepEqual(ids(await getAllRecords(options)), [1, 2]);
});
