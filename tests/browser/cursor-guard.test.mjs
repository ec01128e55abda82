// What only a browser adds around a cursor read (js/cursor-guard.ts), in headless
// Chromium on the simulator's list page with dist/kintone-seek.iife.js as customization:
// - a page left while its cursor is open deletes it (`pagehide`, `fetch` keepalive, the
//   page's request token), instead of leaving one of the domain's 10 cursors taken for
//   10 minutes;
// - tabs of one origin take one cursor at a time (Web Locks).
// The order `件名 asc` (a text field) cannot be served by seek: the library must use a
// cursor. Cursors are counted server-side by `/_sim/stats`.
//
// Needs the build (node scripts/build.mjs) and Debian's chromium (scripts/setup.sh); see
// tests/browser/harness.mjs for the overrides.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  RECORDS,
  advanceSimClock,
  assertNoPageProblems,
  clearSimStats,
  evaluate,
  listUrl,
  newWatchedPage,
  openListPage,
  pollStats,
  simStats,
  startBrowserAndSim,
  stopBrowserAndSim,
} from "./harness.mjs";

const ORDER_BY = "件名 asc";
const PAGE_SIZE = 100;
const CURSOR_EXPIRY_MS = 10 * 60_000;

let running;
let sim;

before(async () => {
  running = await startBrowserAndSim();
  sim = running.sim;
}, { timeout: 600_000 }); // a first run builds the simulator

after(async () => {
  await stopBrowserAndSim(running);
});

/** A fresh browser context (its own Web Locks and cookies) with `count` list pages open. */
async function openTabs(t, count) {
  const context = await running.browser.newContext();
  t.after(() => context.close());
  const pages = [];
  for (let i = 0; i < count; i += 1) {
    const page = await newWatchedPage(context);
    await openListPage(page, listUrl(sim));
    pages.push(page);
  }
  return pages;
}

/**
 * Starts `iterateRecords({ app: 1, orderBy: "件名 asc", method: "cursor", pageSize: 100 })`
 * (a text order over 10,000 records would take the cursor by itself) in the page as
 * `window.reader` and asks for its first page and one record more without waiting for
 * them: `reader.pull(n)` takes n more records (or up to the end), `reader.first` is that
 * first pull. The first page of every read is a records GET; the cursor serves the rest,
 * so the record past the first page is what opens it.
 * Between pulls the iterator stays suspended, as a `for await` loop whose body waits.
 * `dropPageHide` hides the library's `pagehide` listener (the control experiment).
 */
async function startReader(page, { dropPageHide = false } = {}) {
  await evaluate(page, "start the reader", ({ orderBy, pageSize, dropPageHide }) => {
    if (dropPageHide) {
      const add = window.addEventListener;
      window.addEventListener = function (type, ...rest) {
        if (type === "pagehide") return undefined;
        return add.call(this, type, ...rest);
      };
    }
    const iterator = window.KintoneSeek.iterateRecords({ app: 1, orderBy, pageSize, method: "cursor" })[Symbol.asyncIterator]();
    const reader = { ids: [], done: false, error: undefined };
    reader.pull = async (n) => {
      try {
        for (let i = 0; i < n && !reader.done; i += 1) {
          const step = await iterator.next();
          if (step.done) reader.done = true;
          else reader.ids.push(Number(step.value.$id.value));
        }
      } catch (error) {
        reader.error = `${error?.code ?? error?.name}: ${error?.message ?? error}`;
        throw error;
      }
      return reader.ids.length;
    };
    reader.first = reader.pull(pageSize + 1);
    reader.first.catch(() => {});
    window.reader = reader;
  }, { orderBy: ORDER_BY, pageSize: PAGE_SIZE, dropPageHide });
}

const awaitFirstPage = (page, label) =>
  evaluate(page, `${label}: first page`, () => window.reader.first, undefined, 30_000);

const readToEnd = (page, label) =>
  evaluate(page, `${label}: read to the end`, async () => {
    await window.reader.first;
    await window.reader.pull(Infinity);
    return { done: window.reader.done, ids: window.reader.ids };
  }, undefined, 60_000);

/** Every id of app 1 in the cursor's order (the library adds `$id desc` as the last key). */
async function expectedIds() {
  const response = await fetch(`${sim.url}/_sim/evaluate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ app: 1, query: `order by ${ORDER_BY}, $id desc` }),
    signal: AbortSignal.timeout(10_000),
  });
  assert.equal(response.status, 200);
  const { ids } = await response.json();
  assert.equal(ids.length, RECORDS);
  return ids.map(Number);
}

/**
 * Waits (up to 5 s) for the cursors of an earlier test to go, expiring any that stay (so
 * that one failure does not fail every later test: each test asserts its own leaks), then
 * forgets the statistics.
 */
async function startClean() {
  const stats = await pollStats(sim, (s) => s.cursors.liveClient === 0);
  if (stats.cursors.liveClient !== 0) await advanceSimClock(sim, CURSOR_EXPIRY_MS + 1_000);
  await clearSimStats(sim);
}

test("a page left with its cursor open deletes the cursor on pagehide", { timeout: 60_000 }, async (t) => {
  await startClean();
  const [page] = await openTabs(t, 1);
  await startReader(page);
  assert.equal(await awaitFirstPage(page, "reader"), PAGE_SIZE + 1);
  const requests = await evaluate(page, "requests", () => window.kintoneSimRequests.map((r) => `${r.method} ${r.path}`));
  assert.ok(requests.includes("POST /k/v1/records/cursor.json"), `no cursor was created: ${requests}`);

  // The loop is suspended with the cursor open: without the pagehide handler it would stay
  // live for 10 minutes (see the control test below).
  const open = await simStats(sim);
  assert.equal(open.cursors.liveClient, 1, JSON.stringify(open.cursors));
  assert.equal(open.cursors.deleted, 0, JSON.stringify(open.cursors));
  assertNoPageProblems(page);

  // The user opens another kintone page in the same tab.
  const left = performance.now();
  await openListPage(page, listUrl(sim, { orderBy: "$id asc" }));
  const stats = await pollStats(sim, (s) => s.cursors.liveClient === 0 && s.cursors.deleted === 1);
  t.diagnostic(`requests before leaving: ${requests.join(", ")}; cursor gone ${(performance.now() - left).toFixed(0)} ms after leaving`);
  assert.equal(stats.cursors.liveClient, 0, `the cursor is still live: ${JSON.stringify(stats.cursors)}`);
  assert.equal(stats.cursors.deleted, 1, JSON.stringify(stats.cursors));
  assert.equal(stats.cursors.created, 1, JSON.stringify(stats.cursors));
  assert.equal(stats.requests["DELETE /k/v1/records/cursor.json"], 1, JSON.stringify(stats.requests));
  assertNoPageProblems(page);
});

test("tabs of one origin take one cursor at a time (Web Locks); both read every record", { timeout: 120_000 }, async (t) => {
  await startClean();
  const [first, second] = await openTabs(t, 2);
  assert.equal(await evaluate(first, "navigator.locks", () => typeof navigator.locks?.request), "function");

  await startReader(first);
  assert.equal(await awaitFirstPage(first, "first tab"), PAGE_SIZE + 1);
  await startReader(second);

  // The second tab waits for the lock while the first tab's loop is suspended: for 1.5 s,
  // no second cursor and no record in the second tab past its first page (a records GET,
  // which needs no cursor).
  const deadline = performance.now() + 1_500;
  let stats;
  let secondTab;
  do {
    await new Promise((resolve) => setTimeout(resolve, 100));
    stats = await simStats(sim);
    secondTab = await evaluate(second, "second tab", () => ({
      records: window.reader.ids.length,
      error: window.reader.error,
      cursorPosts: window.kintoneSimRequests.filter((r) => r.method === "POST" && /cursor/.test(r.path)).length,
    }));
    assert.equal(stats.cursors.liveClient, 1, `two cursors at once: ${JSON.stringify(stats.cursors)}`);
    assert.equal(stats.cursors.peakLive, 1, JSON.stringify(stats.cursors));
    assert.equal(stats.cursors.created, 1, JSON.stringify(stats.cursors));
    assert.ok(secondTab.records <= PAGE_SIZE, `${secondTab.records} records without a cursor`);
    assert.deepEqual({ ...secondTab, records: 0 }, { records: 0, error: undefined, cursorPosts: 0 });
  } while (performance.now() < deadline);
  const locks = await evaluate(second, "navigator.locks.query", async () => {
    const { held, pending } = await navigator.locks.query();
    return { held: held.length, pending: pending.length };
  });
  assert.deepEqual(locks, { held: 1, pending: 1 }, "the first tab holds the lock, the second waits for it");

  const ids = await expectedIds();
  const firstRead = await readToEnd(first, "first tab");
  assert.ok(firstRead.done);
  assert.deepStrictEqual(firstRead.ids, ids, "the first tab's records");

  const secondRead = await readToEnd(second, "second tab");
  assert.ok(secondRead.done);
  assert.deepStrictEqual(secondRead.ids, ids, "the second tab's records");

  stats = await pollStats(sim, (s) => s.cursors.liveClient === 0, 2_000);
  assert.equal(stats.cursors.liveClient, 0, JSON.stringify(stats.cursors));
  assert.equal(stats.cursors.peakLive, 1, JSON.stringify(stats.cursors));
  assert.equal(stats.cursors.created, 2, JSON.stringify(stats.cursors));
  assert.equal(stats.cursors.neverReleased, 0, JSON.stringify(stats.cursors));
  assert.equal(stats.cursors.refused, 0, JSON.stringify(stats.cursors));
  assertNoPageProblems(first, "the first tab");
  assertNoPageProblems(second, "the second tab");
});

test("control: without the pagehide listener, a page left with its cursor open leaves it live", { timeout: 60_000 }, async (t) => {
  await startClean();
  const [page] = await openTabs(t, 1);
  await startReader(page, { dropPageHide: true });
  assert.equal(await awaitFirstPage(page, "reader"), PAGE_SIZE + 1);
  assert.equal((await simStats(sim)).cursors.liveClient, 1);

  await openListPage(page, listUrl(sim, { orderBy: "$id asc" }));
  // With the listener, the DELETE lands within 0.2-0.4 s of leaving (first test); 2 s is ample.
  const stats = await pollStats(sim, (s) => s.cursors.liveClient === 0 || s.cursors.deleted > 0, 2_000);
  assert.equal(stats.cursors.liveClient, 1, JSON.stringify(stats.cursors));
  assert.equal(stats.cursors.deleted, 0, JSON.stringify(stats.cursors));
  assertNoPageProblems(page);

  // Let it expire, so that the simulator ends clean.
  await advanceSimClock(sim, CURSOR_EXPIRY_MS + 1_000);
  const expired = await simStats(sim);
  assert.equal(expired.cursors.liveClient, 0, JSON.stringify(expired.cursors));
  assert.equal(expired.cursors.neverReleased, 1, JSON.stringify(expired.cursors));
});
