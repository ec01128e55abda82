// A list view of 300 records, as every user of an app opens it: in headless Chromium on
// the simulator's list page, through the page's kintone.api, `getAllRecords(currentView())`
// sorted by a text field, a drop-down or an optional number sends one records request
// (the form is asked for beside it) and takes none of the domain's 10 cursors.
//
// Needs the build (node scripts/build.mjs) and Debian's chromium (scripts/setup.sh); see
// tests/browser/harness.mjs for the overrides.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
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

const CONDITION = "$id <= 300";
let running;
let context;

before(async () => {
  running = await startBrowserAndSim();
  context = await running.browser.newContext();
}, { timeout: 600_000 }); // a first run builds the simulator

after(async () => {
  await stopBrowserAndSim(running);
});

for (const orderBy of ["件名 asc", "ステータス desc", "数量 asc"]) {
  test(`a 300-record view sorted by ${orderBy}: one records request, no cursor`, { timeout: 60_000 }, async () => {
    const page = await newWatchedPage(context);
    await openListPage(page, listUrl(running.sim, { condition: CONDITION, orderBy }));
    await evaluate(page, "clear kintoneSimRequests", () => {
      window.kintoneSimRequests.length = 0;
    });
    await clearSimStats(running.sim);
    const result = await evaluate(page, "getAllRecords(currentView())", async () => {
      const records = await window.KintoneSeek.getAllRecords(window.KintoneSeek.currentView());
      return { count: records.length, requests: window.kintoneSimRequests };
    });
    assert.equal(result.count, 300);
    assert.deepStrictEqual(result.requests, [
      { path: "/k/v1/records.json", method: "GET", params: { app: 1, query: `(${CONDITION}) order by ${orderBy}, $id desc limit 500`, totalCount: true } },
      { path: "/k/v1/app/form/fields.json", method: "GET", params: { app: 1 } },
    ]);
    const stats = await simStats(running.sim);
    assert.deepStrictEqual(stats.requests, { "GET /k/v1/records.json": 1, "GET /k/v1/app/form/fields.json": 1 }, JSON.stringify(stats));
    assert.equal(stats.cursors.created, 0, "a cursor was taken");
    assertNoPageProblems(page);
    await page.close();
  });
}
