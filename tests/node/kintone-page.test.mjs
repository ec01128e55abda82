// Inside a kintone page: the default transport is `kintone.api`, the guest space is
// found through `kintone.api.url`, and `currentView()` reads the list view.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { currentView, getAllRecords, kintoneTransport, KintoneSeekError, KintoneApiError } from "kintone-seek";
import { createFakeKintone, makeRecords } from "../support/fake-kintone.mjs";

function installKintone(fake, { guestSpaceId, query = "order by $id desc limit 20 offset 0", condition = "" } = {}) {
  const api = (path, method, params) => fake.api(path, method, params);
  api.url = (path, detectGuest) => {
    const base = detectGuest && guestSpaceId ? `/k/guest/${guestSpaceId}/v1/` : "/k/v1/";
    return `https://example.cybozu.com${path.replace("/k/v1/", base)}.json`;
  };
  globalThis.kintone = {
    api,
    app: { getId: () => 1, getQuery: () => query, getQueryCondition: () => condition },
  };
}

afterEach(() => {
  delete globalThis.kintone;
});

test("without a transport, reads through kintone.api", async () => {
  const fake = createFakeKintone(makeRecords(501));
  installKintone(fake);
  const records = await getAllRecords({ app: 1 });
  assert.equal(records.length, 501);
  assert.deepEqual(fake.requests.map((r) => [r.path, r.params.query]), [
    ["/k/v1/records.json", "order by $id asc limit 500"],
    ["/k/v1/records.json", "$id > 500 order by $id asc limit 500"],
  ]);
});

test("inside a guest space, the guest path comes from kintone.api.url(path, true)", async () => {
  const fake = createFakeKintone(makeRecords(3), { guestSpaceId: 8 });
  installKintone(fake, { guestSpaceId: 8 });
  assert.equal((await getAllRecords({ app: 1 })).length, 3);
  assert.equal(fake.requests[0].path, "/k/guest/8/v1/records.json");
});

test("guestSpaceId: null reads a normal app from a guest-space page", async () => {
  const fake = createFakeKintone(makeRecords(3));
  installKintone(fake, { guestSpaceId: 8 });
  assert.equal((await getAllRecords({ app: 1, guestSpaceId: null })).length, 3);
  assert.equal(fake.requests[0].path, "/k/v1/records.json");
});

test("kintone.api's plain-object rejection becomes KintoneApiError; a synchronous throw is a rejection", async () => {
  const fake = createFakeKintone(makeRecords(3), { app: 2 });
  installKintone(fake);
  const error = await getAllRecords({ app: 1 }).then(() => assert.fail("resolved"), (e) => e);
  assert.ok(error instanceof KintoneApiError);
  assert.equal(error.code, "GAIA_AP01");

  globalThis.kintone.api = Object.assign(() => { throw new TypeError("kintone.api is broken"); }, { url: (p) => p });
  const thrown = await getAllRecords({ app: 1 }).then(() => assert.fail("resolved"), (e) => e);
  assert.ok(thrown instanceof TypeError);
});

test("kintoneTransport() sends through kintone.api and turns a throw into a rejection", async () => {
  const fake = createFakeKintone(makeRecords(2));
  installKintone(fake);
  const transport = kintoneTransport();
  const answer = await transport("/k/v1/records.json", "GET", { app: 1, query: "order by $id asc limit 1" });
  assert.deepEqual(answer.records.map((r) => r.$id.value), ["1"]);
  globalThis.kintone.api = () => { throw new Error("sync"); };
  await assert.rejects(transport("/k/v1/records.json", "GET", {}), /sync/);
});

test("currentView() gives the list view's condition and order without limit/offset", async () => {
  installKintone(createFakeKintone([]), {
    query: '状態 in ("未着手") and 数値 > 5 order by 日付 desc, $id asc limit 20 offset 40',
    condition: '状態 in ("未着手") and 数値 > 5',
  });
  assert.deepEqual(currentView(), { app: 1, condition: '状態 in ("未着手") and 数値 > 5', orderBy: "日付 desc, $id asc" });
  installKintone(createFakeKintone([]), { query: "limit 20 offset 0" });
  assert.deepEqual(currentView(), { app: 1, condition: "", orderBy: "$id desc" });
});

test("currentView() finds the order after the condition, outside strings and parentheses, without kintone's getQueryCondition too", () => {
  const condition = '(件名 like "order by x limit 3" or 顧客名 = "a)b") and 数値 > 5';
  const query = `${condition} ORDER BY 日付 DESC,$id Asc limit 20 offset 0`;
  installKintone(createFakeKintone([]), { query, condition });
  assert.deepEqual(currentView(), { app: 1, condition, orderBy: "日付 desc, $id asc" });
  // A page without getQueryCondition: the condition is the query's text before its clauses.
  delete globalThis.kintone.app.getQueryCondition;
  assert.deepEqual(currentView(), { app: 1, condition, orderBy: "日付 desc, $id asc" });
  globalThis.kintone.app.getQueryCondition = () => null;
  assert.deepEqual(currentView(), { app: 1, condition, orderBy: "日付 desc, $id asc" });
});

test("currentView() refuses a list view's query whose clauses do not parse with INVALID_QUERY", () => {
  for (const tail of ["order by limit 20", "order by a desc desc", "order by a, limit 3", "limit x", "limit 20 order by a",
    "order by a.b", "order by \"a\"", "order by a offset 3 limit 2", "order by a limit 1 offset 0 x"]) {
    installKintone(createFakeKintone([]), { query: `数値 > 5 ${tail}`, condition: "数値 > 5" });
    assert.throws(currentView, (error) =>
      error instanceof KintoneSeekError && error.code === "INVALID_QUERY" && error.message.startsWith("the list view's query does not parse"), tail);
  }
});

test("currentView() on a mobile list page reads kintone.mobile.app", async () => {
  const mobile = {
    getId: () => 7,
    getQuery: () => '状態 in ("完了") order by 日付 asc limit 20 offset 0',
    getQueryCondition: () => '状態 in ("完了")',
  };
  // kintone.app missing altogether, as on a mobile page.
  globalThis.kintone = { api: () => Promise.resolve({}), mobile: { app: mobile } };
  assert.deepEqual(currentView(), { app: 7, condition: '状態 in ("完了")', orderBy: "日付 asc" });
  // kintone.app present but with no list to give (its getters answer null).
  globalThis.kintone.app = { getId: () => null, getQuery: () => null, getQueryCondition: () => null };
  assert.deepEqual(currentView(), { app: 7, condition: '状態 in ("完了")', orderBy: "日付 asc" });
  // Neither namespace has a list: an INVALID_OPTION error that names both events.
  globalThis.kintone.mobile.app = { getId: () => null, getQuery: () => null, getQueryCondition: () => null };
  assert.throws(currentView, (error) =>
    error instanceof KintoneSeekError && error.code === "INVALID_OPTION" && /mobile\.app\.record\.index\.show/.test(error.message));
});

test("currentView() and kintoneTransport() outside kintone are NO_TRANSPORT errors", () => {
  for (const call of [currentView, kintoneTransport]) {
    assert.throws(call, (error) => error instanceof KintoneSeekError && error.code === "NO_TRANSPORT" &&
      error.message === `${call.name}() needs a kintone page (\`kintone.api\` is not defined here).`);
  }
});

test("kintoneTransport() is marked as the page's kintone.api: a read through it keeps the in-kintone defaults", async () => {
  const queries = async (transport) => {
    const fake = createFakeKintone(makeRecords(1500));
    installKintone(fake);
    await getAllRecords({ app: 1, transport: transport() });
    return fake.requests.map((r) => r.params.query);
  };
  installKintone(createFakeKintone([]));
  assert.equal(kintoneTransport().kintoneSeekTransport, "kintone");
  // Marked: one page at a time (this page cannot tell the domain's load). The same
  // function unmarked is any caller's transport: windows, after a probe for the far end.
  const sequential = ["order by $id asc limit 500", "$id > 500 order by $id asc limit 500", "$id > 1000 order by $id asc limit 500", "$id > 1500 order by $id asc limit 1"];
  assert.deepEqual(await queries(kintoneTransport), sequential);
  const unmarked = await queries(() => {
    const transport = kintoneTransport();
    return (...args) => transport(...args);
  });
  assert.ok(unmarked.includes("order by $id desc limit 1"), unmarked.join("\n"));
});
