// Request economy and exactness against the kintone simulator: a view that fits in one
// page is one records request in any order and takes no cursor; empty keys are found
// from the ends of the key, never by `k = ""`; offset stays exact while others write;
// every method delivers each record once under transient failures and writes.
import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fetchTransport, getAllRecords } from "kintone-seek";
import { simControl, startSim } from "../../sim/js/sim-process.mjs";

const TOKEN = "economy-token";
const RECORDS = 3000;
let sim;
let base;

const control = (path, method, body, url = sim.url) => simControl(url, path, method, body);

async function expectedIds(query, url = sim.url) {
  return (await control(`evaluate?app=1&query=${encodeURIComponent(query)}`, "GET", undefined, url)).ids.map(Number);
}

const ids = (records) => records.map((r) => Number(r.$id.value));

/** The transport, recording every request as `METHOD path` with its params. */
function recording(transport = base) {
  const sent = [];
  const send = (path, method, params, context) => {
    sent.push({ path, method, params: structuredClone(params) });
    return transport(path, method, params, context);
  };
  return { send, sent };
}

before(async () => {
  sim = await startSim(["--records", String(RECORDS), "--api-token", TOKEN]);
  base = fetchTransport({ baseUrl: sim.url, apiToken: TOKEN });
});

after(() => sim?.stop());

afterEach(async () => {
  await control("faults", "DELETE");
  const { cursors } = await control("stats");
  assert.equal(cursors.liveClient, 0, "a cursor was left open");
});

describe("a view of 300 records is one records request in any order, and no cursor", () => {
  const condition = "$id <= 300";
  for (const orderBy of ["", "$id desc", "件名 asc", "ステータス desc", "数量 asc", "金額 desc", "受注日 asc, 金額 desc", "作成日時 asc"]) {
    test(orderBy || "(no order)", async () => {
      await control("stats", "DELETE");
      const { send, sent } = recording();
      const seen = [];
      const records = await getAllRecords({ app: 1, condition, orderBy, transport: send, onProgress: (p) => seen.push(p) });
      // Ties come back `$id desc` after other keys; no order is `$id asc`.
      const keys = orderBy.includes("$id") ? orderBy : orderBy ? `${orderBy}, $id desc` : "$id asc";
      const query = `(${condition}) order by ${keys} limit 500`;
      assert.deepEqual(ids(records), await expectedIds(`(${condition}) order by ${keys}`));
      assert.equal(records.length, 300);
      const reads = sent.filter((r) => r.path === "/k/v1/records.json");
      assert.deepEqual(reads, [{ path: "/k/v1/records.json", method: "GET", params: { app: 1, query, totalCount: true } }]);
      // An order on a field asks for the form beside the first page; `$id` needs nothing.
      const others = sent.filter((r) => r.path !== "/k/v1/records.json").map((r) => `${r.method} ${r.path}`);
      assert.deepEqual(others, orderBy === "" || orderBy === "$id desc" ? [] : ["GET /k/v1/app/form/fields.json"]);
      const { cursors } = await control("stats");
      assert.equal(cursors.created, 0, "no cursor");
      assert.deepEqual(seen.at(-1), { fetched: 300, total: 300, method: "seek", requests: sent.length, retries: 0 });
    });
  }
});

/** Marks `数量` (an optional NUMBER with empty values) required in the form, as a field
 * made required after records were saved empty. */
function requiredLater(transport) {
  return async (path, method, params, context) => {
    const answer = await transport(path, method, params, context);
    if (path.endsWith("/app/form/fields.json")) answer.properties.数量.required = true;
    return answer;
  };
}

// Whether kintone finds empty NUMBER values with `k = ""` is unknown: the simulator
// answers each way (`--empty-equals`), and the read is exact under all three.
for (const emptyEquals of ["matches", "nothing", "refused"]) {
  describe(`a required key's empty values are found from the ends of the key, never with k = "" (k = "" ${emptyEquals})`, () => {
    let own;
    let transport;
    before(async () => {
      own = await startSim(["--records", String(RECORDS), "--api-token", TOKEN, "--empty-equals", emptyEquals]);
      transport = requiredLater(fetchTransport({ baseUrl: own.url, apiToken: TOKEN }));
    });
    after(() => own?.stop());
    const ownControl = (path, method, body) => control(path, method, body, own.url);

    for (const orderBy of ["数量 asc", "数量 desc", "受注日 desc, 数量 asc"]) {
      test(`${orderBy} on a field made required later, with old empty values: offset (3,000 matches), exact, no cursor`, async (t) => {
        await ownControl("stats", "DELETE");
        const { send, sent } = recording(transport);
        const seen = [];
        const records = await getAllRecords({ app: 1, orderBy, fields: ["$id"], pageSize: 200, transport: send, onProgress: (p) => seen.push(p) });
        assert.deepEqual(ids(records), await expectedIds(`order by ${orderBy}, $id desc`, own.url));
        assert.equal(seen.at(-1).method, "offset");
        // Issue 15's offset budget, 1.15 × ceil(N/pageSize) + 3: the probe that found the
        // empty value is among the 3.
        const budget = 1.15 * Math.ceil(RECORDS / 200) + 3;
        t.diagnostic(`requests ${sent.length}, budget ${budget}`);
        assert.ok(sent.length <= budget, `${sent.length} requests, budget ${budget}`);
        assert.ok(!sent.some((r) => /= ""/.test(r.params.query ?? "")), "asked k = \"\"");
        const { cursors } = await ownControl("stats");
        assert.equal(cursors.created, 0);
        assert.equal(cursors.liveClient, 0);
      });
    }

    test("with no empty value among the matches, the same field is read by seek, the far end asked once", async (t) => {
      await ownControl("stats", "DELETE");
      const condition = "数量 >= 0";
      const { send, sent } = recording(transport);
      const seen = [];
      const records = await getAllRecords({ app: 1, condition, orderBy: "数量 asc", fields: ["$id"], pageSize: 200, transport: send, onProgress: (p) => seen.push(p) });
      assert.deepEqual(ids(records), await expectedIds(`(${condition}) order by 数量 asc, $id desc`, own.url));
      assert.equal(seen.at(-1).method, "seek");
      const probes = sent.filter((r) => r.params.query?.endsWith("limit 1") && r.params.fields?.includes("数量"));
      assert.deepEqual(probes.map((r) => r.params.query), [`(${condition}) order by 数量 desc, $id asc limit 1`]);
      // Each page once, beside the form, the probe and the confirmation of the end.
      const budget = Math.ceil(records.length / 200) + 4;
      t.diagnostic(`requests ${sent.length}, budget ${budget}`);
      assert.ok(sent.length <= budget, `${sent.length} requests, budget ${budget}`);
      assert.equal((await ownControl("stats")).cursors.created, 0);
    });
  });
}

const write = (method, params) => base("/k/v1/records.json", method, params);
const newRecord = (n) => ({ 件名: { value: `新規 ${n}` }, 金額: { value: String(n) }, 受注日: { value: "2024-01-01" }, ステータス: { value: "完了" } });

describe("offset stays exact while others delete and insert between its pages", () => {
  for (const orderBy of ["件名 asc", "金額 desc"]) {
    test(orderBy, async () => {
      const order = `order by ${orderBy}, $id desc`;
      const before = await expectedIds(order);
      const deleted = new Set();
      let pages = 0;
      let added = 0;
      const changing = async (path, method, params, context) => {
        const answer = await base(path, method, params, context);
        if (path === "/k/v1/records.json" && method === "GET" && params.query?.includes("limit 100")) {
          pages++;
          // Three records already read slide the rest back over the boundary; two new ones push it on.
          const gone = before.slice(pages * 90 - 40, pages * 90 - 37).filter((id) => !deleted.has(id));
          gone.forEach((id) => deleted.add(id));
          if (gone.length) await write("DELETE", { app: 1, ids: gone });
          await write("POST", { app: 1, records: [newRecord(++added), newRecord(++added)] });
        }
        return answer;
      };
      const { send, sent } = recording(changing);
      const got = ids(await getAllRecords({ app: 1, orderBy, method: "offset", fields: ["$id"], pageSize: 100, transport: send }));
      assert.equal(new Set(got).size, got.length, "a record was delivered twice");
      const stable = before.filter((id) => !deleted.has(id));
      assert.deepEqual(got.filter((id) => before.includes(id) && !deleted.has(id)), stable, "a stable record was missed");
      assert.ok(sent.length < 60, `${sent.length} requests`);
      await control("reset", "POST", { records: RECORDS });
    });
  }
});
