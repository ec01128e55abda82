// fetchTransport end to end against the simulator: guest spaces, the long-GET switch,
// password authentication, and kintone's errors reaching the caller with code and status.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fetchTransport, getAllRecords, KintoneApiError } from "kintone-seek";
import { startSim } from "../../sim/js/sim-process.mjs";

const TOKEN = "transport-token";
const SPACE = 5;
let sim;

async function expectedIds(query) {
  const response = await fetch(`${sim.url}/_sim/evaluate?app=1&query=${encodeURIComponent(query)}`);
  return (await response.json()).ids.map(Number);
}

const ids = (records) => records.map((r) => Number(r.$id.value));

before(async () => {
  sim = await startSim(["--records", "1200", "--guest-space", String(SPACE), "--api-token", TOKEN, "--user", "佐藤:パスワード"]);
});

after(() => sim?.stop());

test("a guest-space app reads through the guest path, given on the read or on the transport", async () => {
  const expected = await expectedIds("order by $id asc");
  const plain = fetchTransport({ baseUrl: sim.url, apiToken: TOKEN });
  assert.deepEqual(ids(await getAllRecords({ app: 1, guestSpaceId: SPACE, fields: ["$id"], transport: plain })), expected);
  const guest = fetchTransport({ baseUrl: sim.url, apiToken: TOKEN, guestSpaceId: SPACE });
  assert.deepEqual(ids(await getAllRecords({ app: 1, fields: ["$id"], transport: guest })), expected);
});

test("the wrong path for a guest app is kintone's GAIA_IL23, with status", async () => {
  const plain = fetchTransport({ baseUrl: sim.url, apiToken: TOKEN });
  const error = await getAllRecords({ app: 1, transport: plain }).catch((e) => e);
  assert.ok(error instanceof KintoneApiError, String(error));
  assert.equal(error.code, "GAIA_IL23");
  assert.equal(error.status, 400);
  const wrongSpace = fetchTransport({ baseUrl: sim.url, apiToken: TOKEN, guestSpaceId: 9 });
  const other = await getAllRecords({ app: 1, transport: wrongSpace }).catch((e) => e);
  assert.equal(other.code, "CB_NO02");
  assert.equal(other.status, 403);
});

test("a condition too long for a GET goes as POST with X-HTTP-Method-Override, exactly", async () => {
  const names = Array.from({ length: 400 }, (_, i) => `"顧客${i} 株式会社"`).join(", ");
  const condition = `顧客名 not in (${names})`;
  const transport = fetchTransport({ baseUrl: sim.url, apiToken: TOKEN, guestSpaceId: SPACE });
  const records = await getAllRecords({ app: 1, condition, fields: ["$id"], concurrency: 1, transport });
  assert.deepEqual(ids(records), await expectedIds(`(${condition}) order by $id asc`));
  const stats = await (await fetch(`${sim.url}/_sim/stats`)).json();
  assert.ok(stats.requests["POST /k/v1/records.json"] === undefined, "the override is counted as the GET it is");
  assert.ok(stats.requests["GET /k/v1/records.json"] >= 3);
});

test("password authentication, with a Japanese login name; wrong credentials are CB_WA01", async () => {
  const transport = fetchTransport({ baseUrl: sim.url, username: "佐藤", password: "パスワード", guestSpaceId: SPACE });
  assert.equal((await getAllRecords({ app: 1, fields: ["$id"], transport })).length, 1200);
  const wrong = fetchTransport({ baseUrl: sim.url, username: "佐藤", password: "違う", guestSpaceId: SPACE });
  const error = await getAllRecords({ app: 1, transport: wrong }).catch((e) => e);
  assert.ok(error instanceof KintoneApiError);
  assert.equal(error.code, "CB_WA01");
  assert.equal(error.status, 401);
});

test("an unknown field in the condition is kintone's GAIA_IQ11, before any record", async () => {
  const transport = fetchTransport({ baseUrl: sim.url, apiToken: TOKEN, guestSpaceId: SPACE });
  const error = await getAllRecords({ app: 1, condition: '存在しない = "x"', transport }).catch((e) => e);
  assert.ok(error instanceof KintoneApiError);
  assert.equal(error.code, "GAIA_IQ11");
  assert.equal(error.status, 400);
  assert.equal(typeof error.id, "string");
});
