// Simulator switches: keyword-case (scripts/test.sh reruns this file under each).
// Fidelity: Cybozu's official client (@kintone/rest-api-client) against the simulator,
// each result compared with the simulator's own evaluation (GET /_sim/evaluate), and
// every error code of docs/KINTONE.md that the simulator serves.
//
// Builds the simulator once (cargo build -p kintone-sim --profile sim ...; see
// sim/js/sim-process.mjs) unless KINTONE_SIM_BIN names a binary.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { KintoneRestAPIClient } from "@kintone/rest-api-client";
import { startSim } from "../../sim/js/sim-process.mjs";

const TOKEN = "fidelity-token";
const RECORDS = 3000;
const GUEST = { id: 20, guestSpaceId: 5, name: "guest", fields: [{ code: "t", type: "SINGLE_LINE_TEXT" }], records: [{ t: "a" }, { t: "b" }] };

let sim;
let client;
// The client refuses plain http except for the host name "localhost" (the simulator
// listens on 127.0.0.1; Node tries both addresses of "localhost").
let baseUrl;

async function control(method, path, body) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
  return response.json();
}

/** Every id matching `query`, in order, as the simulator itself evaluates it. */
async function evaluate(query) {
  const { ids } = await control("POST", "/_sim/evaluate", { app: 1, query });
  return ids;
}

const idsOf = (records) => records.map((r) => r.$id.value);

/** Runs `fn`, expecting it to reject with a KintoneRestAPIError of this status and code. */
async function rejectsWith(fn, status, code) {
  await assert.rejects(fn, (error) => {
    assert.equal(error.code, code, `${error.message}`);
    assert.equal(error.status, status);
    assert.ok(error.id, "the error has an id");
    return true;
  });
}

before(async () => {
  sim = await startSim(["--records", String(RECORDS), "--seed", "42", "--api-token", TOKEN]);
  baseUrl = `http://localhost:${sim.port}`;
  client = new KintoneRestAPIClient({ baseUrl, auth: { apiToken: TOKEN } });
}, { timeout: 600_000 });

after(async () => {
  await sim?.stop();
});

beforeEach(async () => {
  await control("POST", "/_sim/reset", { records: RECORDS, seed: 42, apps: [GUEST] });
});

describe("reads with @kintone/rest-api-client match the simulator's evaluation", { timeout: 120_000 }, () => {
  const condition = 'ステータス in ("完了", "進行中") and 金額 >= 500000';

  test("getAllRecords without orderBy (seek by $id)", async () => {
    const records = await client.record.getAllRecords({ app: 1, condition });
    assert.ok(records.length > 500, `only ${records.length} records match`);
    assert.deepEqual(idsOf(records), await evaluate(`(${condition}) order by $id asc`));
    const stats = await control("GET", "/_sim/stats");
    assert.equal(stats.cursors.created, 0, "no cursor without orderBy");
  });

  test("getAllRecords with orderBy (a cursor, deleted at the end)", async () => {
    const orderBy = "受注日 desc, 金額 asc";
    const records = await client.record.getAllRecords({ app: 1, condition, orderBy });
    assert.deepEqual(idsOf(records), await evaluate(`${condition} order by ${orderBy}`));
    const stats = await control("GET", "/_sim/stats");
    assert.equal(stats.cursors.created, 1);
    assert.equal(stats.cursors.live, 0);
  });

  test("getAllRecords of every record", async () => {
    const records = await client.record.getAllRecords({ app: 1 });
    assert.equal(records.length, RECORDS);
    assert.deepEqual(idsOf(records), await evaluate("order by $id asc"));
  });

  test("getAllRecordsWithCursor", async () => {
    const query = '顧客名 != "" order by 金額 desc, $id asc';
    const records = await client.record.getAllRecordsWithCursor({ app: 1, query, fields: ["$id", "金額"] });
    assert.deepEqual(idsOf(records), await evaluate(query));
    assert.deepEqual(Object.keys(records[0]).sort(), ["$id", "金額"]);
    assert.equal((await control("GET", "/_sim/stats")).cursors.live, 0);
  });

  test("getAllRecordsWithOffset", async () => {
    const records = await client.record.getAllRecordsWithOffset({ app: 1, condition: "タグ in (\"重要\")", orderBy: "更新日時 asc" });
    assert.deepEqual(idsOf(records), await evaluate('タグ in ("重要") order by 更新日時 asc'));
  });

  test("a guest-space app through the guest path", async () => {
    const guest = new KintoneRestAPIClient({ baseUrl, auth: { apiToken: TOKEN }, guestSpaceId: 5 });
    const records = await guest.record.getAllRecords({ app: 20 });
    assert.deepEqual(records.map((r) => r.t.value), ["a", "b"]);
  });
});

describe("cursor limits through the client", { timeout: 60_000 }, () => {
  test("the 11th cursor is GAIA_TM12 (429)", async () => {
    const ids = [];
    for (let i = 0; i < 10; i++) ids.push((await client.record.createCursor({ app: 1 })).id);
    await rejectsWith(() => client.record.createCursor({ app: 1 }), 429, "GAIA_TM12");
    for (const id of ids) await client.record.deleteCursor({ id });
    assert.ok((await client.record.createCursor({ app: 1 })).id, "a freed place can be taken again");
  });

  test("a cursor deleted twice is GAIA_CN01 (404)", async () => {
    const { id } = await client.record.createCursor({ app: 1, size: 500 });
    await client.record.deleteCursor({ id });
    await rejectsWith(() => client.record.deleteCursor({ id }), 404, "GAIA_CN01");
    await rejectsWith(() => client.record.getRecordsByCursor({ id }), 404, "GAIA_CN01");
  });

  test("cursors occupied by other users count toward the 10", async () => {
    await control("POST", "/_sim/cursors/occupy", { count: 10 });
    await rejectsWith(() => client.record.createCursor({ app: 1 }), 429, "GAIA_TM12");
  });
});

describe("every error code the simulator serves", { timeout: 60_000 }, () => {
  const get = (query, app = 1) => () => client.record.getRecords({ app, query });

  test("GAIA_QU01: limit over 500", () => rejectsWith(get("limit 501"), 400, "GAIA_QU01"));
  test("GAIA_QU02: offset over 10,000", () => rejectsWith(get("offset 10001"), 400, "GAIA_QU02"));
  test("CB_VA01: a syntax error, with errors.query.messages", async () => {
    await assert.rejects(get('件名 = "a\tb"'), (error) => {
      assert.equal(error.code, "CB_VA01");
      assert.equal(error.status, 400);
      assert.ok(Array.isArray(error.errors.query.messages), JSON.stringify(error.errors));
      return true;
    });
  });
  test("GAIA_IQ11: unknown field", () => rejectsWith(get("ない = 1"), 400, "GAIA_IQ11"));
  test("GAIA_IQ03: operator not allowed for the type", () => rejectsWith(get('備考 = "x"'), 400, "GAIA_IQ03"));
  test("GAIA_IS02: sort by a table field (KINTONE.md: observed)", () => rejectsWith(get("order by 単価 asc"), 400, "GAIA_IS02"));
  test("GAIA_IQ07: = on a field inside a table", () => rejectsWith(get('品名 = "x"'), 400, "GAIA_IQ07"));
  test("GAIA_AP01: unknown app", () => rejectsWith(get("", 999), 404, "GAIA_AP01"));
  test("GAIA_IL23: a guest app through the normal path", () => rejectsWith(get("", 20), 400, "GAIA_IL23"));
  test("CB_NO02: a normal app through a guest path", async () => {
    const guest = new KintoneRestAPIClient({ baseUrl, auth: { apiToken: TOKEN }, guestSpaceId: 5 });
    await rejectsWith(() => guest.record.getRecords({ app: 1 }), 403, "CB_NO02");
  });
  test("CB_WA01: wrong credentials", async () => {
    const wrong = new KintoneRestAPIClient({ baseUrl, auth: { apiToken: "wrong" } });
    await rejectsWith(() => wrong.record.getRecords({ app: 1 }), 401, "CB_WA01");
    const password = new KintoneRestAPIClient({ baseUrl, auth: { username: "Administrator", password: "nope" } });
    await rejectsWith(() => password.record.getRecords({ app: 1 }), 401, "CB_WA01");
    const right = new KintoneRestAPIClient({ baseUrl, auth: { username: "Administrator", password: "cybozu" } });
    assert.equal((await right.record.getRecords({ app: 1, query: "limit 1" })).records.length, 1);
  });
  test("CB_AU01: no credentials", async () => {
    const response = await fetch(`${sim.url}/k/v1/records.json?app=1`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(response.status, 401);
    assert.equal((await response.json()).code, "CB_AU01");
  });
  test("CB_IL02: a GET with a JSON content type and no body", async () => {
    const response = await fetch(`${sim.url}/k/v1/records.json?app=1`, {
      headers: { "X-Cybozu-API-Token": TOKEN, "Content-Type": "application/json" },
      signal: AbortSignal.timeout(10_000),
    });
    assert.equal(response.status, 400);
    assert.equal((await response.json()).code, "CB_IL02");
  });
  test("GAIA_TO04: the 101st concurrent request (429, with the concurrency headers)", async () => {
    await control("POST", "/_sim/latency", { ms: 1500 });
    const answers = await Promise.all(
      Array.from({ length: 105 }, () =>
        fetch(`${sim.url}/k/v1/records.json?app=1&query=limit%201`, {
          headers: { "X-Cybozu-API-Token": TOKEN },
          signal: AbortSignal.timeout(30_000),
        }).then(async (r) => ({ status: r.status, limit: r.headers.get("x-concurrencylimit-limit"), body: await r.json() })),
      ),
    );
    await control("POST", "/_sim/latency", { ms: 0 });
    const refused = answers.filter((a) => a.status === 429);
    assert.ok(refused.length >= 5, `refused ${refused.length} of 105`);
    assert.ok(refused.every((a) => a.body.code === "GAIA_TO04" && a.limit === "100"));
    assert.equal(answers.filter((a) => a.status === 200).length + refused.length, 105);
  });
  test("GAIA_TO04 as an injected fault", async () => {
    await control("POST", "/_sim/faults", { path: "records.json", action: "tooBusy" });
    await rejectsWith(get("limit 1"), 429, "GAIA_TO04");
  });
});
