// Simulator switches: empty-equals, empty-dates-below, keyword-case (scripts/test.sh reruns this file under each).
// kintone's offset stops at 10,000, so "auto" reads an order seek cannot serve with
// offset up to 10,000 matches and, past that, streams it through the cursor: the only
// cursor left in auto mode. Orders served by seek or in parts never take one, however
// many records match. (getAllRecords past 10,000 sorts locally: tests/sim/local-sort.)
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { fetchTransport, getAllRecords, iterateRecords } from "kintone-seek";
import { simControl, startSim } from "../../sim/js/sim-process.mjs";

const TOKEN = "offset-limit-token";
const LIMIT = 10_000; // kintone's largest offset
let sim;
let transport;

const control = (path, method, body) => simControl(sim.url, path, method, body);

before(async () => {
  sim = await startSim(["--records", String(LIMIT + 1), "--api-token", TOKEN]);
  transport = fetchTransport({ baseUrl: sim.url, apiToken: TOKEN });
});

after(() => sim?.stop());

afterEach(async () => {
  const { cursors } = await control("stats");
  assert.equal(cursors.liveClient, 0, "a cursor was left open");
});

/** Streams `orderBy` (iterateRecords never sorts locally): ids, method, cursors created. */
async function stream(orderBy, condition = "") {
  await control("stats", "DELETE");
  const seen = [];
  const got = [];
  for await (const record of iterateRecords({ app: 1, condition, orderBy, fields: ["$id"], transport, onProgress: (p) => seen.push(p) })) {
    got.push(Number(record.$id.value));
  }
  const query = `${condition ? `(${condition}) ` : ""}order by ${orderBy}, $id desc`;
  assert.deepEqual(got, (await control(`evaluate?app=1&query=${encodeURIComponent(query)}`)).ids.map(Number));
  return { method: seen.at(-1).method, cursors: (await control("stats")).cursors.created };
}

test("a text order of exactly 10,000 matches: offset, no cursor", async () => {
  assert.deepEqual(await stream("件名 asc", `$id <= ${LIMIT}`), { method: "offset", cursors: 0 });
});

test("a text order of 10,001 matches, streamed: the cursor, one, deleted", async () => {
  assert.deepEqual(await stream("件名 asc"), { method: "cursor", cursors: 1 });
});

for (const orderBy of ["数量 asc", "納期 desc", "優先度 desc", "ステータス asc, 数量 desc"]) {
  test(`${orderBy} of 10,001 matches, streamed: seek, no cursor`, async () => {
    assert.deepEqual(await stream(orderBy), { method: "seek", cursors: 0 });
  });
}

test("getAllRecords of an order served in parts, 10,001 matches: seek, no cursor", async () => {
  await control("stats", "DELETE");
  const seen = [];
  const records = await getAllRecords({ app: 1, orderBy: "優先度 asc, 納期 asc", fields: ["$id"], transport, onProgress: (p) => seen.push(p) });
  assert.equal(records.length, LIMIT + 1);
  assert.equal(seen.at(-1).method, "seek");
  assert.equal((await control("stats")).cursors.created, 0);
});
