// The single-file build (dist/kintone-seek.iife.js) in headless Chromium, on the
// simulator's kintone-like record list page (sim/): the page logs in (session cookie),
// defines `kintone`, and loads the IIFE as the app's customization file, as kintone does.
// Every read below goes through the page's real `kintone.api` (session cookie + request
// token) to the simulator's REST API, 10,000 records.
//
// Needs the build (node scripts/build.mjs) and Debian's chromium (scripts/setup.sh); see
// tests/browser/harness.mjs for the overrides.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  RECORDS,
  assertNoPageProblems,
  clearSimStats,
  evaluate,
  listUrl,
  newWatchedPage,
  openListPage,
  simStats,
  startBrowserAndSim,
  stopBrowserAndSim,
} from "./harness.mjs";

// The list view the page shows: a filter and a two-key order, as kintone puts them in the URL.
const VIEW = { condition: 'ステータス in ("完了", "保留") and 金額 >= 1000', orderBy: "金額 desc, $id asc" };
const RECORDS_PATH = "/k/v1/records.json";

let running;
let page;

/** Forgets both the page's and the simulator's request logs, before a test reads. */
async function clearRequestLogs() {
  await evaluate(page, "clear kintoneSimRequests", () => {
    window.kintoneSimRequests.length = 0;
  });
  await clearSimStats(running.sim);
}

/**
 * Gives the simulator's REST answers `ms` of latency (its /_sim/ controls, and so
 * getConcurrencyLimit(), answer at once): the load's answer is then in before the second
 * page is back, as on real kintone, where a page takes hundreds of milliseconds, and
 * the request sequence of a default read is the same on every run.
 */
async function setLatency(ms) {
  const response = await fetch(`${running.sim.url}/_sim/latency`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ms }),
    signal: AbortSignal.timeout(10_000),
  });
  assert.equal(response.status, 200);
}

/** The GET /k/v1/records.json the simulator answered since clearRequestLogs. */
async function serverRecordGets() {
  const stats = await simStats(running.sim);
  return stats.requests[`GET ${RECORDS_PATH}`] ?? 0;
}

before(async () => {
  const launchStarted = performance.now();
  running = await startBrowserAndSim();
  const launchMs = performance.now() - launchStarted;
  const context = await running.browser.newContext();
  page = await newWatchedPage(context);
  const loadStarted = performance.now();
  await openListPage(page, listUrl(running.sim, VIEW));
  const loadMs = performance.now() - loadStarted;
  console.log(
    `simulator + chromium ${running.browser.version()} started in ${launchMs.toFixed(0)} ms; ` +
      `list page ready in ${loadMs.toFixed(0)} ms`,
  );
}, { timeout: 600_000 }); // a first run builds the simulator

after(async () => {
  await stopBrowserAndSim(running);
  // Errors the page reported after the last test checked.
  if (page) assertNoPageProblems(page);
});

test("the page loads the IIFE as a customization file, which defines window.KintoneSeek", { timeout: 30_000 }, async () => {
  const shape = await evaluate(page, "KintoneSeek shape", () => ({
    type: typeof window.KintoneSeek,
    getAllRecords: typeof window.KintoneSeek?.getAllRecords,
    iterateRecords: typeof window.KintoneSeek?.iterateRecords,
    currentView: typeof window.KintoneSeek?.currentView,
    downloadCsv: typeof window.KintoneSeek?.downloadCsv,
    exportCsv: typeof window.KintoneSeek?.exportCsv,
    customizations: [...document.querySelectorAll("script[src]")]
      .map((script) => new URL(script.src).pathname)
      .filter((path) => path.startsWith("/k/customization/")),
  }));
  assert.deepEqual(shape, {
    type: "object",
    getAllRecords: "function",
    iterateRecords: "function",
    currentView: "function",
    downloadCsv: "function",
    exportCsv: "function",
    customizations: ["/k/customization/0/kintone-seek.iife.js"],
  });
  assertNoPageProblems(page);
});

test("getAllRecords reads all 10,000 records by seek through kintone.api, 500 at a time, in four windows on an idle domain", { timeout: 90_000 }, async (t) => {
  await clearRequestLogs();
  await setLatency(30);
  t.after(() => setLatency(0));
  const result = await evaluate(page, "getAllRecords", async () => {
    const started = performance.now();
    let windows;
    const records = await window.KintoneSeek.getAllRecords({ app: 1, onProgress: (p) => (windows = p.windows) });
    const ms = performance.now() - started;
    const ids = records.map((record) => Number(record.$id.value));
    return {
      ms,
      count: records.length,
      ascending: ids.every((id, i) => id === i + 1),
      firstIds: ids.slice(0, 3),
      lastIds: ids.slice(-3),
      requests: window.kintoneSimRequests,
      windows,
    };
  });
  t.diagnostic(`getAllRecords: ${result.count} records, ${result.requests.length} requests, ${result.ms.toFixed(0)} ms in the page`);
  assert.equal(result.count, RECORDS);
  assert.ok(result.ascending, `ids are not 1..${RECORDS} ascending: ${result.firstIds} ... ${result.lastIds}`);

  // Inside kintone the default concurrency follows the domain's load. The first page goes
  // alone (it asks for the count, for progress); it came back full, so the second page
  // goes alone too, with getConcurrencyLimit() asked beside it. The simulator's domain
  // is idle, so the third page goes out beside the probe for the far end of the ids, and
  // then four id windows run; the last window is open-ended, and came back full with the
  // count reached, so the last request only confirms the end.
  const expected = [
    { app: 1, query: "order by $id asc limit 500", totalCount: true },
    { app: 1, query: "$id > 500 order by $id asc limit 500" },
    { app: 1, query: "$id > 1000 order by $id asc limit 500" },
    { app: 1, query: "order by $id desc limit 1", fields: ["$id"] },
  ];
  for (let last = 1500; last < RECORDS - 500; last += 500) {
    expected.push({ app: 1, query: `$id > ${last} and $id <= ${last + 500} order by $id asc limit 500` });
  }
  expected.push({ app: 1, query: `$id > ${RECORDS - 500} order by $id asc limit 500` });
  expected.push({ app: 1, query: `$id > ${RECORDS} order by $id asc limit 1`, fields: ["$id"] });
  assert.equal(expected.length, 22);
  assert.deepStrictEqual(
    result.requests,
    expected.map((params) => ({ path: RECORDS_PATH, method: "GET", params })),
  );
  assert.equal(result.windows, 4, "progress says four windows run");

  // The simulator answered exactly what the page sent: no hidden retry, nothing else.
  const stats = await simStats(running.sim);
  assert.deepStrictEqual(stats.requests, { [`GET ${RECORDS_PATH}`]: 22 }, JSON.stringify(stats));
  assert.equal(stats.cursors.created, 0, "a seek read takes no cursor");
  assertNoPageProblems(page);
});

test("iterateRecords reads one page ahead and stops requesting when the loop breaks", { timeout: 90_000 }, async (t) => {
  await clearRequestLogs();
  await setLatency(30);
  t.after(() => setLatency(0));
  const result = await evaluate(page, "iterateRecords", async () => {
    const ids = [];
    for await (const record of window.KintoneSeek.iterateRecords({ app: 1, pageSize: 100 })) {
      ids.push(Number(record.$id.value));
      if (ids.length === 150) break;
    }
    // Give a request started late (after the break) the time to show up.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return {
      count: ids.length,
      ascending: ids.every((id, i) => id === i + 1),
      requests: window.kintoneSimRequests,
    };
  });
  assert.equal(result.count, 150);
  assert.ok(result.ascending, "ids are not 1..150 ascending");
  // Pages 1 and 2 alone (the load asked beside page 2) were delivered; page 3 was read
  // ahead, beside the probe for the far end of the ids, the idle domain allowing windows;
  // the loop broke before the windows were asked for, and nothing went out after.
  const sent = result.requests.map((r) => `${r.method} ${r.path} ${r.params.query}`);
  assert.deepStrictEqual(sent, [
    `GET ${RECORDS_PATH} order by $id asc limit 100`,
    `GET ${RECORDS_PATH} $id > 100 order by $id asc limit 100`,
    `GET ${RECORDS_PATH} $id > 200 order by $id asc limit 100`,
    `GET ${RECORDS_PATH} order by $id desc limit 1`,
  ]);
  assert.equal(await serverRecordGets(), 4, "GET records.json answered by the simulator");
  assertNoPageProblems(page);
});

test("currentView gives the list view of the page: its condition and order, without limit/offset", { timeout: 30_000 }, async () => {
  const result = await evaluate(page, "currentView", () => ({
    view: window.KintoneSeek.currentView(),
    query: kintone.app.getQuery(),
    condition: kintone.app.getQueryCondition(),
  }));
  // What the page itself says (sim/README.md): the URL's view, 20 rows a page.
  assert.equal(result.condition, VIEW.condition);
  assert.equal(result.query, `${VIEW.condition} order by ${VIEW.orderBy} limit 20 offset 0`);
  assert.deepStrictEqual(result.view, { app: 1, condition: VIEW.condition, orderBy: VIEW.orderBy });
  assertNoPageProblems(page);
});

test("an invalid option rejects with an Error whose code is INVALID_OPTION, before any request", { timeout: 30_000 }, async () => {
  await clearRequestLogs();
  const result = await evaluate(page, "invalid option", async () => {
    try {
      await window.KintoneSeek.getAllRecords({ app: 1, pageSize: 0 });
      return { rejected: false, requestCount: window.kintoneSimRequests.length };
    } catch (error) {
      return {
        rejected: true,
        isError: error instanceof Error,
        code: error?.code,
        name: error?.name,
        message: String(error?.message),
        requestCount: window.kintoneSimRequests.length,
      };
    }
  });
  assert.ok(result.rejected, "getAllRecords({ app: 1, pageSize: 0 }) did not reject");
  assert.ok(result.isError, `the rejection is not an Error: ${JSON.stringify(result)}`);
  assert.equal(result.code, "INVALID_OPTION", `rejection: ${JSON.stringify(result)}`);
  assert.equal(result.requestCount, 0, "a request was sent");
  assert.equal(await serverRecordGets(), 0);
  assertNoPageProblems(page);
});

test("in a Web Worker, the single file pauses on the worker's timer and stops on its AbortSignal", { timeout: 30_000 }, async () => {
  const result = await evaluate(page, "worker", () => new Promise((resolve, reject) => {
    const src = [...document.scripts].map((script) => script.src).find((url) => url.includes("kintone-seek"));
    // The worker reads through its own transport (one window: its first request is the
    // page itself, not a probe); the first request is refused as busy
    // (429 GAIA_TO04), so the read pauses before its retry, on the worker's setTimeout.
    const code = `
      importScripts(${JSON.stringify(src)});
      const records = [1, 2, 3].map((id) => ({ $id: { type: "__ID__", value: String(id) } }));
      const busyOnce = () => {
        let calls = 0;
        return async () => {
          if (++calls === 1) throw { code: "GAIA_TO04", id: "w", message: "busy" };
          return { records, totalCount: "3" };
        };
      };
      (async () => {
        const waits = [];
        const read = await KintoneSeek.getAllRecords({
          app: 1, concurrency: 1, transport: busyOnce(), onProgress: (p) => { if (p.waiting) waits.push(p.waiting); },
        });
        const controller = new AbortController();
        let aborted;
        try {
          await KintoneSeek.getAllRecords({
            app: 1, concurrency: 1, transport: busyOnce(), signal: controller.signal,
            onProgress: (p) => { if (p.waiting) controller.abort(); },
          });
        } catch (error) {
          aborted = { name: error.name, isReason: error === controller.signal.reason };
        }
        postMessage({ ids: read.map((r) => r.$id.value), waits, aborted, isWorker: typeof window === "undefined" });
      })().catch((error) => postMessage({ error: String(error && error.stack || error) }));
    `;
    const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
    worker.onmessage = (event) => { worker.terminate(); resolve(event.data); };
    worker.onerror = (event) => { worker.terminate(); reject(new Error(event.message)); };
  }));
  assert.equal(result.error, undefined, result.error);
  assert.equal(result.isWorker, true);
  assert.deepEqual(result.ids, ["1", "2", "3"]);
  assert.equal(result.waits.length, 1);
  assert.equal(result.waits[0].reason, "retry");
  assert.ok(result.waits[0].ms > 0, JSON.stringify(result.waits));
  assert.deepEqual(result.aborted, { name: "AbortError", isReason: true });
  assertNoPageProblems(page);
});
