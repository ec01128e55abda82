// What a caller sees when a read cannot go on: every rejection is an Error, refusals
// come before any request, kintone's errors keep their code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { getAllRecords, iterateRecords, KintoneApiError, KintoneSeekError } from "kintone-seek";
import { createFakeKintone, makeRecords } from "../support/fake-kintone.mjs";

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected a rejection");
}

const refusals = [
  [{ app: 1, pageSize: 0 }, "INVALID_OPTION", /^`pageSize` must be a whole number from 1 to 500/],
  [{ app: 1, pageSize: 501 }, "INVALID_OPTION", /^`pageSize` must be/],
  [{ app: 1, pagesize: 10 }, "INVALID_OPTION", /Did you mean `pageSize`\?/],
  [{ app: 0 }, "INVALID_OPTION", /^`app` must be a positive whole number/],
  [{}, "INVALID_OPTION", /^`app` is required/],
  [{ app: 1, condition: "a = 1 limit 10" }, "INVALID_QUERY", /currentView\(\)/],
  [{ app: 1, query: "order by $id asc offset 100" }, "INVALID_QUERY", /currentView\(\)/],
  [{ app: 1, query: "a = 1", condition: "b = 2" }, "INVALID_OPTION", /not both/],
  [{ app: 1, condition: 'a = "open' }, "INVALID_QUERY", /^`condition` is not a valid kintone query \(.*at character/],
  [{ app: 1, method: "fast" }, "INVALID_OPTION", /^`method` must be "auto", "seek", "cursor" or "offset"/],
  [{ app: 1, retries: 11 }, "INVALID_OPTION", /^`retries` must be a whole number from 0 to 10/],
  [{ app: 1, fields: [] }, "INVALID_OPTION", /^`fields` is empty/],
  [{ app: 1, onProgress: "yes" }, "INVALID_OPTION", /^`onProgress` must be a function/],
  [{ app: 1, signal: {} }, "INVALID_OPTION", /^`signal` must be an AbortSignal/],
  [{ app: 1, transport: "kintone" }, "INVALID_OPTION", /^`transport` must be a function/],
];

for (const [options, code, message] of refusals) {
  test(`refuses ${JSON.stringify(options)} with ${code} before any request`, async () => {
    const fake = createFakeKintone(makeRecords(10));
    const transport = "transport" in options ? options.transport : fake.api;
    const error = await rejection(getAllRecords({ ...options, transport }));
    assert.ok(error instanceof KintoneSeekError, String(error));
    assert.ok(error instanceof Error);
    assert.equal(error.name, "KintoneSeekError");
    assert.equal(error.code, code);
    assert.match(error.message, message);
    assert.equal(error.fetched, 0);
    assert.equal(fake.requests.length, 0);
  });
}

test("options that are not an object are refused", async () => {
  for (const options of [undefined, null, 3, [1]]) {
    const error = await rejection(getAllRecords(options));
    assert.ok(error instanceof KintoneSeekError);
    assert.equal(error.code, "INVALID_OPTION");
  }
});

test("no transport outside kintone is NO_TRANSPORT", async () => {
  const error = await rejection(getAllRecords({ app: 1 }));
  assert.ok(error instanceof KintoneSeekError);
  assert.equal(error.code, "NO_TRANSPORT");
  assert.match(error.message, /fetchTransport/);
});

test("kintone's error reaches the caller as KintoneApiError with its code, id and message", async () => {
  const body = { code: "GAIA_IQ11", id: "abc123", message: "指定したフィールド（x）が見つかりません。", errors: { query: { messages: ["x"] } } };
  const fake = createFakeKintone(makeRecords(1200), { fail: (_, index) => (index === 1 ? body : undefined) });
  const pages = [];
  const error = await rejection((async () => {
    for await (const record of iterateRecords({ app: 1, transport: fake.api, concurrency: 1 })) pages.push(record);
  })());
  assert.ok(error instanceof KintoneApiError, String(error));
  assert.ok(error instanceof Error);
  assert.deepEqual({ code: error.code, id: error.id, message: error.message, errors: error.errors }, body);
  assert.equal(error.status, undefined);
  assert.equal(pages.length, 500);
  assert.equal(fake.requests.length, 2);
});

test("a page without $id is PROTOCOL, with how many records were delivered", async () => {
  const fake = createFakeKintone(makeRecords(1200), {
    answer: (request, answer) => (request.params.query.startsWith("$id > 500") ? { ...answer, records: answer.records.map(({ $id, ...rest }) => rest) } : answer),
  });
  const error = await rejection(getAllRecords({ app: 1, transport: fake.api }));
  assert.ok(error instanceof KintoneSeekError);
  assert.equal(error.code, "PROTOCOL");
  assert.match(error.message, /`\$id`/);
  assert.equal(error.fetched, 500);
});

test("an $id that is not a whole number is PROTOCOL; a number (not kintone's string) is taken", async () => {
  for (const bad of ["", "abc", "-1", "1.5", null, -1, 1.5, true]) {
    const fake = createFakeKintone(makeRecords(1200), {
      answer: (request, answer) => (request.params.query.startsWith("$id > 500")
        ? { ...answer, records: answer.records.map((record, i) => (i === 7 ? { ...record, $id: { type: "__ID__", value: bad } } : record)) }
        : answer),
    });
    const error = await rejection(getAllRecords({ app: 1, transport: fake.api, concurrency: 1 }));
    assert.equal(error.code, "PROTOCOL", JSON.stringify(bad));
    assert.match(error.message, /record 7 of a page has no `\$id` \(a whole number\)/, JSON.stringify(bad));
  }
  const numbers = createFakeKintone(makeRecords(1200), {
    answer: (_request, answer) => ({ ...answer, records: answer.records.map((record) => ({ ...record, $id: { type: "__ID__", value: Number(record.$id.value) } })) }),
  });
  const records = await getAllRecords({ app: 1, transport: numbers.api, concurrency: 1 });
  assert.deepEqual(records.map((record) => record.$id.value), Array.from({ length: 1200 }, (_, i) => i + 1));
});

test("ids that do not advance are PROTOCOL, never an endless loop", async () => {
  const fake = createFakeKintone(makeRecords(1200), {
    // Ignore the id bound: answer the first page again.
    answer: (request, answer) => (request.params.query.startsWith("$id > ") ? { ...answer, records: makeRecords(500) } : answer),
  });
  const error = await rejection(getAllRecords({ app: 1, transport: fake.api, concurrency: 1 }));
  assert.equal(error.code, "PROTOCOL");
  assert.match(error.message, /records do not advance in the order asked for \(500 then 1\)/);
  assert.equal(fake.requests.length, 2);
});

test("an answer without records is PROTOCOL; a raw text rejection is PROTOCOL with the text as cause", async () => {
  let error = await rejection(getAllRecords({ app: 1, transport: async () => ({ message: "hello" }) }));
  assert.equal(error.code, "PROTOCOL");
  error = await rejection(getAllRecords({ app: 1, transport: () => Promise.reject("<html>502 Bad Gateway</html>") }));
  assert.ok(error instanceof KintoneSeekError);
  assert.equal(error.code, "PROTOCOL");
  assert.equal(error.cause, "<html>502 Bad Gateway</html>");
});

test("a transport's Error passes through untouched", async () => {
  const failure = new TypeError("fetch failed");
  const error = await rejection(getAllRecords({ app: 1, transport: () => Promise.reject(failure) }));
  assert.equal(error, failure);
});

test("abort mid-read rejects with the signal's reason and sends no further request", async () => {
  const fake = createFakeKintone(makeRecords(2000));
  const controller = new AbortController();
  const error = await rejection(getAllRecords({
    app: 1,
    transport: fake.api,
    signal: controller.signal,
    onProgress: (p) => p.fetched === 500 && controller.abort(),
  }));
  assert.ok(error instanceof DOMException);
  assert.equal(error.name, "AbortError");
  assert.equal(error, controller.signal.reason);
  // Aborted when the first page arrived: nothing more is sent (no far end, no window).
  assert.equal(fake.requests.length, 1);
});

test("abort while a request is in flight rejects at once with a custom reason", async () => {
  const controller = new AbortController();
  let release;
  const transport = () => new Promise((resolve) => { release = resolve; });
  const reading = getAllRecords({ app: 1, transport, signal: controller.signal });
  await new Promise((resolve) => setTimeout(resolve, 20));
  const reason = new Error("user left");
  controller.abort(reason);
  assert.equal(await rejection(reading), reason);
  release({ records: [], totalCount: "0" }); // the late answer is dropped quietly
});

test("an already aborted signal sends nothing", async () => {
  const fake = createFakeKintone(makeRecords(5));
  const error = await rejection(getAllRecords({ app: 1, transport: fake.api, signal: AbortSignal.abort() }));
  assert.equal(error.name, "AbortError");
  assert.equal(fake.requests.length, 0);
});
