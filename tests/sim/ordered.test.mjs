// Simulator switches: empty-equals, empty-dates-below, keyword-case (scripts/test.sh reruns this file under each).
// Ordered reads against the kintone simulator: every order served exactly (compared
// with the simulator's own evaluation), seek wherever seek is exact, the cursor only
// where it is not, and no cursor ever left behind.
import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fetchTransport, getAllRecords, iterateRecords, KintoneApiError, KintoneSeekError } from "kintone-seek";
import { simControl, startSim } from "../../sim/js/sim-process.mjs";

const TOKEN = "ordered-token";
const RECORDS = 3000;
let sim;
let transport;

const control = (path, method, body) => simControl(sim.url, path, method, body);

/** The ids the simulator itself returns for a query, in its order. */
async function expectedIds(query) {
  const answer = await control(`evaluate?app=1&query=${encodeURIComponent(query)}`);
  return answer.ids.map(Number);
}

const ids = (records) => records.map((r) => Number(r.$id.value));

before(async () => {
  sim = await startSim(["--records", String(RECORDS), "--api-token", TOKEN]);
  transport = fetchTransport({ baseUrl: sim.url, apiToken: TOKEN });
});

after(() => sim?.stop());

afterEach(async () => {
  await control("cursors/release", "POST");
  await control("faults", "DELETE");
  const { cursors } = await control("stats");
  assert.equal(cursors.liveClient, 0, "a cursor was left open");
});

const CONDITION = 'ステータス in ("未着手") or 金額 > 500000';
const corpus = [
  // [orderBy, method the read must use]
  ["", "seek"],
  ["$id desc", "seek"],
  ["レコード番号 desc", "seek"],
  ["金額 asc", "seek"],
  ["金額 desc", "seek"],
  ["受注日 desc", "seek"], // a date with many ties
  ["作成日時 asc", "seek"],
  ["受注日 asc, 金額 desc", "seek"], // mixed directions
  ["数量 asc", "seek"], // an optional number: its empty values first
  ["数量 desc", "seek"], // ... and last
  ["納期 asc", "seek"], // an optional date
  ["納期 desc, 金額 asc", "seek"],
  ["打合せ日時 desc", "seek"], // an optional date and time
  ["開始時刻 asc", "seek"], // an optional time
  ["ステータス desc", "seek"], // a drop-down: one part per option
  ["優先度 asc", "seek"], // an optional drop-down: unselected first
  ["優先度 asc, 数量 desc", "seek"], // partitions, a compound seek inside each
  ["ステータス asc, 優先度 desc, 受注日 asc", "seek"],
  ["件名 asc", "offset"], // text: offset up to 10,000 matches
  ["作成者 desc", "offset"], // creator: by user id
  ["受注日 asc, 数量 desc", "offset"], // an optional key after another has no exact seek
];

/** kintone's order of `orderBy`: ties `$id desc` after other keys, `$id asc` for none. */
function fullOrder(orderBy) {
  if (!orderBy) return "$id asc";
  return orderBy.includes("$id") || orderBy.includes("レコード番号") ? orderBy : `${orderBy}, $id desc`;
}

describe("every order equals the simulator's own, by the right method", () => {
  for (const [orderBy, method] of corpus) {
    for (const condition of ["", CONDITION]) {
      test(`${orderBy || "(no order)"}${condition ? " with an `or` condition" : ""}: ${method}`, async () => {
        await control("stats", "DELETE");
        const seen = [];
        const records = await getAllRecords({ app: 1, condition, orderBy, fields: ["$id"], pageSize: 200, transport, onProgress: (p) => seen.push(p) });
        const query = `${condition ? `(${condition}) ` : ""}order by ${fullOrder(orderBy)}`;
        assert.deepEqual(ids(records), await expectedIds(query));
        assert.equal(seen.at(-1).method, method);
        const { cursors } = await control("stats");
        assert.equal(cursors.created, 0, "cursors created");
      });
    }
  }
});

test("method: seek refuses an order seek cannot serve, naming the key", async () => {
  const error = await getAllRecords({ app: 1, orderBy: "件名 asc", method: "seek", transport }).catch((e) => e);
  assert.ok(error instanceof KintoneSeekError);
  assert.equal(error.code, "UNSUPPORTED_ORDER");
  assert.match(error.message, /`件名`/);
});

describe("the cursor is deleted on every way out", () => {
  const cursorRead = (extra = {}) => iterateRecords({ app: 1, orderBy: "件名 asc", method: "cursor", pageSize: 100, transport, ...extra });

  test("break after the first page", async () => {
    let count = 0;
    for await (const record of cursorRead()) {
      if (++count === 100) break;
      void record;
    }
    assert.equal(count, 100);
  });

  test("a throw inside the loop", async () => {
    const thrown = new Error("consumer failed");
    const error = await (async () => {
      for await (const record of cursorRead()) {
        void record;
        throw thrown;
      }
    })().catch((e) => e);
    assert.equal(error, thrown);
  });

  test("abort mid-read", async () => {
    const controller = new AbortController();
    let count = 0;
    const error = await (async () => {
      for await (const record of cursorRead({ signal: controller.signal })) {
        void record;
        if (++count === 250) controller.abort();
      }
    })().catch((e) => e);
    assert.equal(error.name, "AbortError");
  });

  test("a fault on the third cursor GET: the error surfaces, never retried", async () => {
    await control("stats", "DELETE");
    // The third GET of the cursor: skip two, then fail one.
    await control("faults", "POST", [
      { method: "GET", path: "/records/cursor.json", action: "delay", ms: 1, count: 2 },
      { method: "GET", path: "/records/cursor.json", action: "status", status: 500, body: { code: "GAIA_UN03", id: "x", message: "unexpected" } },
    ]);
    const error = await getAllRecords({ app: 1, orderBy: "件名 asc", method: "cursor", pageSize: 100, transport }).catch((e) => e);
    assert.ok(error instanceof KintoneApiError, String(error));
    assert.equal(error.code, "GAIA_UN03");
    const { requests } = await control("stats");
    assert.equal(requests["GET /k/v1/records/cursor.json"], 3, "a cursor GET is never sent twice");
    assert.equal(requests["DELETE /k/v1/records/cursor.json"], 1);
  });

  test("next: true with an empty page: the read goes on and is exact", async () => {
    await control("faults", "POST", { method: "GET", path: "/records/cursor.json", action: "emptyPage", count: 3 });
    const records = await getAllRecords({ app: 1, orderBy: "件名 asc", method: "cursor", fields: ["$id"], transport });
    assert.deepEqual(ids(records), await expectedIds("order by 件名 asc, $id desc"));
  });
});

describe("all 10 cursors taken by others", () => {
  test("the read waits, visibly, and succeeds when one frees", async () => {
    await control("cursors/occupy", "POST", { count: 10 });
    const waits = [];
    setTimeout(() => control("cursors/release", "POST"), 1500);
    const records = await getAllRecords({
      app: 1, orderBy: "件名 asc", method: "cursor", fields: ["$id"], transport, cursorWaitMs: 20_000,
      onProgress: (p) => p.waiting && waits.push(p.waiting),
    });
    assert.deepEqual(ids(records), await expectedIds("order by 件名 asc, $id desc"));
    assert.ok(waits.length > 0 && waits.every((w) => w.reason === "cursor-limit"), JSON.stringify(waits));
  });

  test("method: cursor, 10,000 matches or fewer: read with offset in the same order", async () => {
    await control("cursors/occupy", "POST", { count: 10 });
    const seen = [];
    const records = await getAllRecords({ app: 1, orderBy: "件名 asc", method: "cursor", fields: ["$id"], transport, cursorWaitMs: 300, onProgress: (p) => seen.push(p) });
    assert.deepEqual(ids(records), await expectedIds("order by 件名 asc, $id desc"));
    assert.equal(seen.at(-1).method, "offset");
  });

  test("a streamed text order past 10,000 matches: CURSOR_LIMIT with advice", async () => {
    await control("reset", "POST", { records: 10_050 });
    try {
      await control("cursors/occupy", "POST", { count: 10 });
      const error = await (async () => {
        for await (const record of iterateRecords({ app: 1, orderBy: "件名 asc", transport, cursorWaitMs: 300 })) void record;
      })().catch((e) => e);
      assert.ok(error instanceof KintoneSeekError, String(error));
      assert.equal(error.code, "CURSOR_LIMIT");
      assert.match(error.message, /10050 records match/);
    } finally {
      await control("reset", "POST", { records: RECORDS });
    }
  });
});

describe("records change during a seek read", () => {
  for (const orderBy of ["", "金額 asc", "数量 asc", "数量 desc", "優先度 desc, 数量 asc", "件名 asc"]) {
    test(`every record present throughout arrives exactly once (${orderBy || "$id"})`, async () => {
      const before = await expectedIds(`order by ${fullOrder(orderBy)}`);
      const write = (method, params) => transport("/k/v1/records.json", method, params);
      let pages = 0;
      const changing = async (path, method, params, context) => {
        const answer = await transport(path, method, params, context);
        if (path.endsWith("/records.json") && method === "GET" && ++pages === 3) {
          await write("POST", { app: 1, records: [{ 件名: { value: "new" }, 金額: { value: "1" }, 受注日: { value: "2024-01-01" }, ステータス: { value: "完了" } }] });
          await write("PUT", { app: 1, records: before.slice(0, 40).map((id) => ({ id, record: { 顧客名: { value: "renamed" } } })) });
          // Sort keys set, changed and cleared, ahead of the read and behind it.
          await write("PUT", { app: 1, records: changed.map((id, i) => ({ id, record: { 数量: { value: ["", "7", "99"][i % 3] }, 件名: { value: `moved ${i}` }, 優先度: { value: ["", "高", "低"][i % 3] } } })) });
          await write("DELETE", { app: 1, ids: [before[50], before[2500]] });
        }
        return answer;
      };
      const changed = [before[10], before[700], before[1500], before[2200], before[2900], before[2990]];
      const got = ids(await getAllRecords({ app: 1, orderBy, fields: ["$id"], pageSize: 100, concurrency: 1, transport: changing }));
      const skipped = new Set([before[50], before[2500], ...changed]);
      assert.equal(new Set(got).size, got.length, "a record was delivered twice");
      assert.deepEqual(got.filter((id) => before.includes(id) && !skipped.has(id)), before.filter((id) => !skipped.has(id)));
      await control("reset", "POST", { records: RECORDS });
    });
  }
});

test("10% of seek GETs failing transiently: the read completes, exact", async () => {
  const actions = [{ action: "tooBusy" }, { action: "status", status: 503, body: { code: "X", id: "x", message: "maintenance" } }, { action: "drop" }];
  let sent = 0;
  const flaky = async (path, method, params, context) => {
    if (++sent % 10 === 0) await control("faults", "POST", { method: "GET", path: "/k/v1/records.json", ...actions[(sent / 10) % 3] });
    return transport(path, method, params, context);
  };
  const seen = [];
  const records = await getAllRecords({ app: 1, orderBy: "金額 desc", fields: ["$id"], pageSize: 100, concurrency: 1, transport: flaky, onProgress: (p) => seen.push(p) });
  assert.deepEqual(ids(records), await expectedIds("order by 金額 desc, $id desc"));
  assert.ok(seen.at(-1).retries >= 3, `retries: ${seen.at(-1).retries}`);
});
