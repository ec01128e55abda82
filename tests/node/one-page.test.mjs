// A read whose matches fit in one page is one records request in any order (the form
// beside it for an order on a field), with no cursor, against the in-memory kintone
// (which refuses the cursor API, keyset pages on fields and anything else).
import { test } from "node:test";
import assert from "node:assert/strict";
import { getAllRecords } from "kintone-seek";
import { createFakeKintone, makeRecords } from "../support/fake-kintone.mjs";

const ids = (records) => records.map((r) => Number(r.$id.value));
const FORM = {
  title: { type: "SINGLE_LINE_TEXT", code: "title", required: true },
  amount: { type: "NUMBER", code: "amount", required: false },
};

// 300 records, every tenth with no amount: an optional number with empty values.
const records = makeRecords(300).map((r, i) => (i % 10 === 0 ? { ...r, amount: { type: "NUMBER", value: "" } } : r));

for (const [orderBy, expected] of [
  ["", records],
  ["$id desc", [...records].reverse()],
  ["title asc", [...records].sort((a, b) => (a.title.value < b.title.value ? -1 : 1))],
  ["amount desc", [...records].sort((a, b) => (Number(b.amount.value || -Infinity) - Number(a.amount.value || -Infinity)) || (Number(b.$id.value) - Number(a.$id.value)))],
]) {
  for (const concurrency of [1, 4]) {
    test(`300 records ordered by ${orderBy || "(nothing)"}, concurrency ${concurrency}: one records request`, async () => {
      const fake = createFakeKintone(records, { form: FORM });
      const seen = [];
      const got = await getAllRecords({ app: 1, orderBy, concurrency, transport: fake.api, onProgress: (p) => seen.push(p) });
      assert.deepEqual(ids(got), ids(expected));
      // Ties come back `$id desc`, as kintone returns them; no order is `$id asc`.
      const keys = orderBy === "" ? "$id asc" : orderBy.includes("$id") ? orderBy : `${orderBy}, $id desc`;
      const first = { path: "/k/v1/records.json", method: "GET", params: { app: 1, query: `order by ${keys} limit 500`, totalCount: true } };
      const form = { path: "/k/v1/app/form/fields.json", method: "GET", params: { app: 1 } };
      assert.deepEqual(fake.requests, orderBy === "" || orderBy === "$id desc" ? [first] : [first, form]);
      assert.deepEqual(seen.at(-1), { fetched: 300, total: 300, method: "seek", requests: fake.requests.length, retries: 0 });
    });
  }
}

test("a one-page read with fields leaves out the keys it added", async () => {
  const fake = createFakeKintone(records, { form: FORM });
  const got = await getAllRecords({ app: 1, orderBy: "title asc", fields: ["amount"], transport: fake.api });
  assert.equal(got.length, 300);
  assert.deepEqual(Object.keys(got[0]), ["amount"]);
  assert.deepEqual(fake.requests[0].params.fields, ["amount", "title", "$id"]);
});
