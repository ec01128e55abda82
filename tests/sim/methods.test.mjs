// Simulator switches: empty-equals, empty-dates-below, keyword-case (scripts/test.sh reruns this file under each).
// Each row of docs/API.md's "Choosing the method" against the simulator, with its request
// budget (issue 15's request economy at `concurrency: 1`, N matching records): the order
// kintone itself gives, the method named in progress, and no cursor. Under the
// simulator's switches (scripts/test.sh) the guesses about empty values fail, and the
// reads in parts fall back to their scan, within that budget instead.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fetchTransport, getAllRecords, iterateRecords } from "kintone-seek";
import { simControl, startSim } from "../../sim/js/sim-process.mjs";

const TOKEN = "methods-token";
const RECORDS = 6000;
const PAGES = Math.ceil(RECORDS / 500);
let sim;
let transport;
let behaviour;
let dir;

const control = (path, method, body) => simControl(sim.url, path, method, body);
const ids = (records) => records.map((r) => Number(r.$id.value));

/** App 2: a drop-down whose option order (index) is not its text order, on 1,200 records. */
function dropDownApp() {
  const options = ["b", "C", "a", "Ä"];
  const records = [];
  for (let id = 1; id <= 1200; id++) records.push({ $id: String(id), 区分: id % 7 === 0 ? "" : options[(id * 7919) % 4] });
  return { apps: [{ id: 2, name: "options out of text order", fields: [{ code: "区分", type: "DROP_DOWN", options }], records }] };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "kintone-seek-methods-"));
  const file = join(dir, "apps.json");
  writeFileSync(file, JSON.stringify(dropDownApp()));
  sim = await startSim(["--records", String(RECORDS), "--data", file, "--api-token", TOKEN]);
  transport = fetchTransport({ baseUrl: sim.url, apiToken: TOKEN });
  behaviour = await control("behaviour");
});

after(async () => {
  await sim?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Reads `orderBy` of app `app` at concurrency 1: ids, method, requests, cursors created. */
async function read(orderBy, { app = 1, condition = "" } = {}) {
  await control("stats", "DELETE");
  const seen = [];
  const records = await getAllRecords({ app, condition, orderBy, fields: ["$id"], concurrency: 1, transport, onProgress: (p) => seen.push(p) });
  const { totalRequests, cursors } = await control("stats");
  assert.equal(cursors.liveClient, 0, "a cursor was left open");
  const query = `${condition ? `(${condition}) ` : ""}order by ${orderBy}, $id desc`;
  const expected = (await control(`evaluate?app=${app}&query=${encodeURIComponent(query)}`)).ids.map(Number);
  assert.deepEqual(ids(records), expected, "kintone's order");
  return { method: seen.at(-1).method, requests: totalRequests, cursors: cursors.created };
}

/** How many records of the generated app have no value in `field`. */
async function empties(field) {
  return (await control(`evaluate?app=1&query=${encodeURIComponent(`${field} = ""`)}`)).ids.length;
}

// Whether the simulator answers `k = ""` as kintone most likely does; when it does not,
// the check of the guess fails and the read scans instead.
const guessHolds = () => behaviour.emptyEquals === "matches";

for (const [orderBy, field] of [["数量 asc", "数量"], ["数量 desc", "数量"], ["納期 asc", "納期"], ["打合せ日時 desc", "打合せ日時"], ["開始時刻 asc", "開始時刻"]]) {
  test(`an optional key (${orderBy}): seek in parts, within ceil(N/500) + 4 requests, or the scan's budget`, async () => {
    const { method, requests, cursors } = await read(orderBy);
    assert.equal(method, "seek");
    assert.equal(cursors, 0);
    // The empty values, counted by kintone's own `= ""` when it answers that, else by a scan.
    const empty = guessHolds() ? await empties(field) : RECORDS;
    const budget = guessHolds() ? PAGES + 4 : 2 * PAGES + Math.ceil(empty / 500) + 4;
    assert.ok(requests <= budget, `${requests} requests, budget ${budget}`);
  });
}

test("a drop-down (ステータス desc, 4 options): one seek per option, within ceil(N/500) + options + 3", async () => {
  const { method, requests, cursors } = await read("ステータス desc");
  assert.equal(method, "seek");
  assert.equal(cursors, 0);
  assert.ok(requests <= PAGES + 4 + 3, `${requests} requests`);
});

test("drop-downs then an optional key (優先度 asc, 数量 desc): parts with a compound seek inside", async () => {
  const { method, cursors } = await read("優先度 asc, 数量 desc");
  assert.equal(method, "seek");
  assert.equal(cursors, 0);
});

for (const orderBy of ["区分 asc", "区分 desc"]) {
  test(`a drop-down whose options are not in text order (${orderBy}): option order, unselected as the minimum`, async () => {
    const { method, cursors } = await read(orderBy, { app: 2 });
    assert.equal(method, "seek");
    assert.equal(cursors, 0);
  });
}

for (const orderBy of ["件名 asc", "作成者 desc", "受注日 asc, 数量 desc"]) {
  test(`an order seek cannot serve, at most 10,000 matches (${orderBy}): offset within 1.15 × ceil(N/500) + 3`, async () => {
    const { method, requests, cursors } = await read(orderBy);
    assert.equal(method, "offset");
    assert.equal(cursors, 0);
    assert.ok(requests <= 1.15 * PAGES + 3, `${requests} requests`);
  });
}

test("a view that fits in one page stays one records request (and the form beside it), in parts too", async () => {
  const { requests, cursors } = await read("数量 asc", { condition: "$id <= 400" });
  assert.equal(requests, 2);
  assert.equal(cursors, 0);
});

test("method: seek takes the orders served in parts, and iterateRecords reads them the same way", async () => {
  const seen = [];
  const got = [];
  for await (const record of iterateRecords({ app: 1, orderBy: "優先度 desc, 納期 asc", method: "seek", fields: ["$id"], transport, onProgress: (p) => seen.push(p) })) {
    got.push(Number(record.$id.value));
  }
  const expected = (await control(`evaluate?app=1&query=${encodeURIComponent("order by 優先度 desc, 納期 asc, $id desc")}`)).ids.map(Number);
  assert.deepEqual(got, expected);
  assert.equal(seen.at(-1).method, "seek");
});
