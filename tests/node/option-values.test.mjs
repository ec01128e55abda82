// Every kind of JavaScript value an option can hold, as the built package reads it
// (src/bindings/option_reader.rs): `undefined` is an absent option, everything else is
// refused by name, kind and fix before any request, or sent as given.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { getAllRecords, KintoneSeekError } from "kintone-seek";
import { createFakeKintone, makeRecords } from "../support/fake-kintone.mjs";

async function refusal(options) {
  const fake = createFakeKintone(makeRecords(3));
  try {
    await getAllRecords({ transport: fake.api, ...options });
  } catch (error) {
    assert.ok(error instanceof KintoneSeekError, String(error));
    assert.equal(fake.requests.length, 0);
    return `${error.code}: ${error.message}`;
  }
  assert.fail("expected a refusal");
}

const refusals = [
  [{ app: 1, condition: null }, "INVALID_OPTION: `condition` must be a string, got null."],
  [{ app: 1, condition: () => "a = 1" }, "INVALID_OPTION: `condition` must be a string, got a function."],
  [{ app: 1, condition: Symbol("a = 1") }, "INVALID_OPTION: `condition` must be a string, got a symbol."],
  [{ app: 1, condition: { text: "a = 1" } }, "INVALID_OPTION: `condition` must be a string, got an object."],
  [{ app: 1, condition: new Set(["a = 1"]) }, "INVALID_OPTION: `condition` must be a string, got an object."],
  [{ app: 1, condition: new Map([["a", 1]]) }, "INVALID_OPTION: `condition` must be a string, got an object."],
  [{ app: 1, condition: new Uint8Array(2) }, "INVALID_OPTION: `condition` must be a string, got an object."],
  [{ app: 1, orderBy: 3 }, "INVALID_OPTION: `orderBy` must be a string, got 3."],
  [{ app: 1, orderBy: ["$id asc"] }, "INVALID_OPTION: `orderBy` must be a string, got an array."],
  [{ app: true }, "INVALID_OPTION: `app` must be a positive whole number (or its decimal string), got true."],
  [{ app: null }, "INVALID_OPTION: `app` must be a positive whole number (or its decimal string), got null."],
  [{ app: 1.5 }, "INVALID_OPTION: `app` must be a positive whole number (or its decimal string), got a number that is not a whole number."],
  [{ app: Number.NaN }, "INVALID_OPTION: `app` must be a positive whole number (or its decimal string), got a number that is not a whole number."],
  [{ app: 2 ** 53 }, "INVALID_OPTION: `app` must be a positive whole number (or its decimal string), got 9007199254740992."],
  [{ app: " 12" }, "INVALID_OPTION: `app` must be a positive whole number (or its decimal string), got \" 12\"."],
  [{ app: undefined }, "INVALID_OPTION: `app` is required: pass the app id, e.g. { app: 12 }."],
  [{ app: 1, fields: ["title", 3] }, "INVALID_OPTION: `fields` must hold field codes (non-empty strings), got 3."],
  [{ app: 1, fields: ["title", () => "amount", "amount"] }, "INVALID_OPTION: `fields` must hold field codes (non-empty strings), got a function."],
  [{ app: 1, fields: ["title", [ "amount" ]] }, "INVALID_OPTION: `fields` must hold field codes (non-empty strings), got an array."],
  [{ app: 1, fields: "title" }, "INVALID_OPTION: `fields` must be an array of field codes, got \"title\"."],
  [{ app: 1, pageSize: "100" }, "INVALID_OPTION: `pageSize` must be a whole number from 1 to 500 (kintone answers at most 500 records per request), got \"100\"."],
  [{ app: 1, pageSize: Infinity }, "INVALID_OPTION: `pageSize` must be a whole number from 1 to 500 (kintone answers at most 500 records per request), got a number that is not a whole number."],
  [{ app: 1, guestSpaceId: false }, "INVALID_OPTION: `guestSpaceId` must be a positive whole number (or its decimal string), got false."],
  [{ app: 1, Condition: "a = 1" }, "INVALID_OPTION: Unknown option `Condition`. Did you mean `condition`? Known options: app, condition, orderBy, query, fields, method, pageSize, signal, onProgress, guestSpaceId, transport, concurrency, cursorWaitMs, retries."],
];

for (const [options, expected] of refusals) {
  const shown = Object.entries(options).map(([name, value]) => `${name}: ${typeof value === "symbol" ? "Symbol" : typeof value === "function" ? "function" : value instanceof Map ? "Map" : value instanceof Set ? "Set" : JSON.stringify(value)}`).join(", ");
  test(`{ ${shown} } is refused before any request`, async () => {
    assert.equal(await refusal(options), expected);
  });
}

test("members that are undefined are absent; the app is sent as given (number, decimal string or BigInt)", async () => {
  for (const [app, sent] of [[7, 7], ["7", "7"], [7n, 7]]) {
    const fake = createFakeKintone(makeRecords(3), { app: 7 });
    const records = await getAllRecords({
      app,
      transport: fake.api,
      condition: undefined,
      orderBy: undefined,
      fields: undefined,
      method: undefined,
      pageSize: undefined,
      guestSpaceId: undefined,
      concurrency: undefined,
      onProgress: undefined,
      signal: undefined,
    });
    assert.equal(records.length, 3);
    assert.deepEqual(fake.requests.map((r) => [r.path, r.params]), [
      ["/k/v1/records.json", { app: sent, query: "order by $id asc limit 500", totalCount: true }],
    ]);
  }
});

test("an options object without a prototype, or with inherited members, reads only its own members", async () => {
  const fake = createFakeKintone(makeRecords(3));
  const bare = Object.assign(Object.create(null), { app: 1, transport: fake.api, fields: ["title"] });
  assert.deepEqual((await getAllRecords(bare)).map((r) => Object.keys(r)), [["title"], ["title"], ["title"]]);
  const inherited = Object.assign(Object.create({ condition: "not sent" }), { app: 1, transport: fake.api });
  assert.equal((await getAllRecords(inherited)).length, 3);
  assert.equal(fake.requests.at(-1).params.query, "order by $id asc limit 500");
});

afterEach(() => {
  delete globalThis.kintone;
});

test("inside a guest space, `guestSpaceId: undefined` still finds the guest path, and `null` says there is none", async () => {
  const fake = createFakeKintone(makeRecords(3), { guestSpaceId: 8 });
  const api = (path, method, params) => fake.api(path, method, params);
  api.url = (path, detectGuest) => `https://example.cybozu.com${path.replace("/k/v1/", detectGuest ? "/k/guest/8/v1/" : "/k/v1/")}.json`;
  globalThis.kintone = { api, app: { getId: () => 1 } };
  assert.equal((await getAllRecords({ app: 1, guestSpaceId: undefined })).length, 3);
  assert.equal(fake.requests.at(-1).path, "/k/guest/8/v1/records.json");
  const plain = createFakeKintone(makeRecords(2));
  globalThis.kintone.api = Object.assign((path, method, params) => plain.api(path, method, params), { url: api.url });
  assert.equal((await getAllRecords({ app: 1, guestSpaceId: null })).length, 2);
  assert.equal(plain.requests.at(-1).path, "/k/v1/records.json");
});
