// Simulator switches: empty-equals, empty-dates-below (scripts/test.sh reruns this file under each).
// Chaos against the simulator: 15% of records GETs fail transiently (429 GAIA_TO04, a
// 503, a dropped connection), and between requests others insert, update sort keys and
// delete records. Over each method: every record present throughout with an unchanged
// key arrives exactly once and in order, no record arrives twice, no cursor is left
// open. The first records GET always fails. Cursor calls get no faults: they are never retried (a fault ends the read, as
// tests/sim/ordered.test.mjs shows).
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { fetchTransport, getAllRecords } from "kintone-seek";
import { simControl, startSim } from "../../sim/js/sim-process.mjs";
import { seededRandom } from "../support/seeded-random.mjs";

const TOKEN = "chaos-token";
const RECORDS = 2500;
let sim;
let base;

const control = (path, method, body) => simControl(sim.url, path, method, body);

const ids = (records) => records.map((r) => Number(r.$id.value));

before(async () => {
  sim = await startSim(["--records", String(RECORDS), "--api-token", TOKEN]);
  base = fetchTransport({ baseUrl: sim.url, apiToken: TOKEN });
});

after(() => sim?.stop());

afterEach(async () => {
  await control("faults", "DELETE");
  const { cursors } = await control("stats");
  assert.equal(cursors.liveClient, 0, "a cursor was left open");
  await control("reset", "POST", { records: RECORDS });
});

const FAULTS = [
  { action: "tooBusy" },
  { action: "status", status: 503, body: { code: "X", id: "x", message: "maintenance" } },
  { action: "drop" },
];

const cases = [
  // [name, options, the key others change]
  ["seek on $id, one page at a time", { concurrency: 1 }, "金額"],
  ["seek on $id in 4 windows", { concurrency: 4 }, "金額"],
  ["compound seek (金額 desc), keys changing", { orderBy: "金額 desc" }, "金額"],
  ["parts: an optional number (数量 asc), set, changed and cleared", { orderBy: "数量 asc", expect: "seek" }, "数量"],
  ["parts: an optional date (納期 desc), set, changed and cleared", { orderBy: "納期 desc", expect: "seek" }, "納期"],
  ["parts: a drop-down (優先度 desc), selected and unselected", { orderBy: "優先度 desc", expect: "seek" }, "優先度"],
  ["parts: drop-down then optional number (ステータス asc, 数量 desc)", { orderBy: "ステータス asc, 数量 desc", expect: "seek" }, "数量"],
  // The drop-down itself changing moves records between parts, behind the read and ahead.
  ["parts: a required drop-down changed (ステータス desc)", { orderBy: "ステータス desc", expect: "seek" }, "ステータス"],
  ["parts: drop-down changed and cleared under a mix (優先度 asc, 納期 desc)", { orderBy: "優先度 asc, 納期 desc", expect: "seek" }, "優先度"],
  ["offset chosen by auto (件名 asc)", { orderBy: "件名 asc", expect: "offset" }, "件名"],
  ["cursor (件名 asc)", { orderBy: "件名 asc", method: "cursor" }, "件名"],
  ["offset (件名 asc)", { orderBy: "件名 asc", method: "offset" }, "件名"],
  ["offset as the fallback of a full cursor pool (件名 desc)", { orderBy: "件名 desc", method: "cursor", cursorWaitMs: 200, occupy: true }, "件名"],
];

/** A new value for `key`: text, numbers and dates set, changed and (where optional) cleared. */
function newValue(key, next, added) {
  switch (key) {
    case "件名":
      return `変更 ${added}`;
    case "数量":
      return next() < 0.3 ? "" : String(Math.floor(next() * 120));
    case "納期":
      return next() < 0.3 ? "" : `2024-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`;
    case "優先度":
      return ["", "高", "中", "低"][Math.floor(next() * 4)];
    case "ステータス":
      return ["未着手", "進行中", "完了", "保留"][Math.floor(next() * 4)];
    default:
      return String(Math.floor(next() * 1_000_000));
  }
}

for (const [name, { occupy, expect, ...options }, changedKey] of cases) {
  for (const seed of [1, 2]) {
    test(`${name}, seed ${seed}`, async () => {
      const next = seededRandom(seed);
      const orderBy = options.orderBy ?? "";
      // Ties come back `$id desc` after other keys; no order is `$id asc`.
      const order = `order by ${orderBy ? `${orderBy}, $id desc` : "$id asc"}`;
      const before = (await control(`evaluate?app=1&query=${encodeURIComponent(order)}`)).ids.map(Number);
      if (occupy) await control("cursors/occupy", "POST", { count: 10 });
      const touched = new Set();
      let added = 0;
      let faults = 0;
      const write = (method, params) => base("/k/v1/records.json", method, params);
      const chaotic = async (path, method, params, context) => {
        const page = path === "/k/v1/records.json" && method === "GET";
        // The first records GET always fails, so that every case meets a fault (a cursor
        // read sends few records GETs); then 15% of them.
        if (page && (faults === 0 || next() < 0.15)) {
          faults++;
          await control("faults", "POST", { method: "GET", path: "/k/v1/records.json", ...FAULTS[faults % 3] });
        }
        const answer = await base(path, method, params, context);
        // Others write after every page, cursor pages included.
        if (method === "GET" && path.includes("/records")) {
          const pick = () => before[Math.floor(next() * before.length)];
          const changed = [pick(), pick()].filter((id) => !touched.has(id));
          changed.forEach((id) => touched.add(id));
          if (changed.length) {
            const records = changed.map((id) => ({ id, record: { [changedKey]: { value: newValue(changedKey, next, added) } } }));
            await write("PUT", { app: 1, records });
          }
          const gone = pick();
          if (!touched.has(gone)) {
            touched.add(gone);
            await write("DELETE", { app: 1, ids: [gone] });
          }
          added++;
          const record = { 件名: { value: `新規 ${added}` }, 金額: { value: String(added) }, 受注日: { value: "2024-01-01" }, ステータス: { value: "完了" } };
          if (changedKey in { 数量: 1, 納期: 1, 優先度: 1, ステータス: 1 }) record[changedKey] = { value: newValue(changedKey, next, added) };
          await write("POST", { app: 1, records: [record] });
        }
        return answer;
      };
      let requests = 0;
      const counted = (...args) => {
        requests++;
        return chaotic(...args);
      };
      const seen = [];
      const got = ids(await getAllRecords({ app: 1, fields: ["$id"], pageSize: 100, ...options, transport: counted, onProgress: (p) => seen.push(p) }));
      await control("cursors/release", "POST");
      assert.ok(faults > 0, "no fault was injected");
      assert.equal(new Set(got).size, got.length, "a record was delivered twice");
      const stable = before.filter((id) => !touched.has(id));
      assert.deepEqual(got.filter((id) => before.includes(id) && !touched.has(id)), stable, "a stable record was missed or misplaced");
      assert.equal(seen.at(-1).fetched, got.length);
      assert.equal(seen.at(-1).requests, requests, "progress counts every request sent");
      assert.ok(seen.at(-1).retries >= 1);
      if (occupy) assert.equal(seen.at(-1).method, "offset");
      if (expect) assert.equal(seen.at(-1).method, expect);
      const { cursors } = await control("stats");
      if (!options.method) assert.equal(cursors.created, 0, "auto took a cursor");
    });
  }
}
