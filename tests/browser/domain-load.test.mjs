// The default read on the simulator's list page follows the domain's load, as the page's
// kintone.api.getConcurrencyLimit() reports it (asked beside the second page, nothing
// going out in parallel before the answer allows it): four windows on an idle domain,
// one request at a time on a busy one, and a drop to one window when the domain becomes
// busy mid-read. Requests in flight are counted by a wrapper around the page's kintone.api
// and by the simulator (peakConcurrency), with 30 ms of latency so that they overlap.
import { after, before, beforeEach, test } from "node:test";
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

let running;
let page;

async function post(path, body) {
  const response = await fetch(`${running.sim.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  assert.equal(response.status, 200, `POST ${path}`);
  return response.json();
}

before(async () => {
  running = await startBrowserAndSim();
  page = await newWatchedPage(await running.browser.newContext());
  await openListPage(page, listUrl(running.sim));
}, { timeout: 600_000 });

beforeEach(async () => {
  await post("/_sim/latency", { ms: 30 });
  await post("/_sim/concurrency", { othersRunning: 0 });
  await clearSimStats(running.sim);
});

after(async () => {
  await stopBrowserAndSim(running);
  if (page) assertNoPageProblems(page);
});

/**
 * Reads every record in the page with the default options; `busyAfter` records in, the
 * page tells the simulator that `othersThen` requests of other users run (90: busy).
 * Returns each send's query and count of this read's requests already in flight, and
 * the window count progress gave then.
 */
function readInPage(busyAfter, pageSize = 500, othersThen = 90) {
  return evaluate(page, "read", async ({ busyAfter, pageSize, othersThen }) => {
    const send = kintone.api;
    const sends = [];
    let inFlight = 0;
    let windows;
    let last;
    let busyAt;
    const wrapped = (...args) => {
      sends.push({ inFlight, windows, query: args[2]?.query });
      inFlight++;
      return send(...args).finally(() => inFlight--);
    };
    window.kintone.api = Object.assign(wrapped, send);
    try {
      const records = await window.KintoneSeek.getAllRecords({
        app: 1,
        pageSize,
        onProgress: async (p) => {
          windows = p.windows;
          last = { fetched: p.fetched, total: p.total };
          if (busyAfter !== null && busyAt === undefined && p.fetched >= busyAfter) {
            busyAt = sends.length;
            await fetch("/_sim/concurrency", { method: "POST", body: JSON.stringify({ othersRunning: othersThen }) });
          }
        },
      });
      const ids = records.map((r) => Number(r.$id.value));
      return { count: ids.length, inOrder: ids.every((id, i) => id === i + 1), sends, windows, last, busyAt };
    } finally {
      window.kintone.api = send;
    }
  }, { busyAfter, pageSize, othersThen });
}

test("an idle domain: four windows in flight past the first page", { timeout: 90_000 }, async () => {
  const result = await readInPage(null);
  assert.equal(result.count, RECORDS);
  assert.ok(result.inOrder);
  assert.deepEqual(result.last, { fetched: RECORDS, total: RECORDS }, "the last progress reports every record");
  assert.equal(Math.max(...result.sends.map((s) => s.inFlight + 1)), 4);
  assert.equal(result.windows, 4);
  assert.equal((await simStats(running.sim)).peakConcurrency, 4);
  assertNoPageProblems(page);
});

test("a busy domain (85 of 100 running): one request at a time past the first page", { timeout: 90_000 }, async () => {
  await post("/_sim/concurrency", { othersRunning: 85 });
  const result = await readInPage(null);
  assert.equal(result.count, RECORDS);
  assert.ok(result.inOrder);
  assert.deepEqual(result.last, { fetched: RECORDS, total: RECORDS }, "the last progress reports every record");
  // The first page alone, the second alone with the question beside it, and every later
  // request alone: nothing goes out in parallel (and no far-end probe is sent).
  assert.deepEqual(result.sends.filter((s) => s.inFlight > 0), []);
  assert.equal(result.sends.length, RECORDS / 500 + 1, "each page once, and the request that confirms the end");
  assert.equal(result.windows, 1);
  assert.equal((await simStats(running.sim)).peakConcurrency, 1);
  assertNoPageProblems(page);
});

test("a domain that becomes busy mid-read: back to one request at a time", { timeout: 90_000 }, async () => {
  // 100 pages of 100: the load is checked every 8 window pages.
  const result = await readInPage(2000, 100);
  assert.equal(result.count, RECORDS);
  assert.ok(result.inOrder);
  assert.deepEqual(result.last, { fetched: RECORDS, total: RECORDS }, "the last progress reports every record");
  const { sends, busyAt } = result;
  assert.equal(Math.max(...sends.slice(0, busyAt).map((s) => s.inFlight + 1)), 4, "four windows while idle");
  const dropped = sends.findIndex((s, i) => i > busyAt && s.windows === 1);
  assert.ok(dropped > busyAt, "progress reported one window after the domain became busy");
  // Windows sent before the drop may still be finishing (three at most).
  const late = sends.slice(dropped + 3);
  assert.ok(late.length >= 20, `${late.length} requests after the drop`);
  assert.deepEqual(late.filter((s) => s.inFlight > 0), []);
  assert.equal(result.windows, 1);
  assertNoPageProblems(page);
});

test("a domain that becomes idle mid-read: one request at a time, then four windows", { timeout: 90_000 }, async () => {
  await post("/_sim/concurrency", { othersRunning: 85 });
  // 100 pages of 100: the load is asked beside page 2, then 8 pages after each answer.
  const result = await readInPage(2000, 100, 0);
  assert.equal(result.count, RECORDS);
  assert.ok(result.inOrder);
  assert.deepEqual(result.last, { fetched: RECORDS, total: RECORDS }, "the last progress reports every record");
  const { sends, busyAt: idleAt } = result;
  assert.deepEqual(sends.slice(0, idleAt).filter((s) => s.inFlight > 0), [], "one request at a time while busy");
  // Once the load says idle, the next page goes out beside the probe for the far end of
  // the ids (once), then windows: at the latest 8 pages after the answer before the
  // simulator heard of the change (the page tells it without waiting), plus one.
  const probes = sends.flatMap((s, i) => (s.query === "order by $id desc limit 1" ? [i] : []));
  assert.equal(probes.length, 1, JSON.stringify(sends.map((s) => s.query)));
  assert.ok(probes[0] > idleAt && probes[0] <= idleAt + 12, `the probe came ${probes[0] - idleAt} sends after the domain became idle`);
  assert.equal(sends[probes[0]].inFlight, 1, "beside a page");
  assert.equal(Math.max(...sends.slice(probes[0]).map((s) => s.inFlight + 1)), 4, "then four windows");
  assert.equal(result.windows, 4);
  assertNoPageProblems(page);
});
