// The single file on the simulator's mobile list page (`/k/m/1/`), in Chromium with a
// phone's viewport: kintone puts the list's getters under `kintone.mobile.app` there and
// fires `mobile.app.record.index.show`; a customization registered for both list events
// reads the view on screen with `currentView()`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  assertNoPageProblems,
  evaluate,
  mobileListUrl,
  newWatchedPage,
  openListPage,
  simStats,
  startBrowserAndSim,
  stopBrowserAndSim,
} from "./harness.mjs";

const VIEW = { condition: 'ステータス in ("完了", "保留") and 金額 >= 1000', orderBy: "金額 desc, $id asc" };
// An iPhone 14's screen, as Chromium emulates a phone.
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

let running;
let page;

before(async () => {
  running = await startBrowserAndSim();
  const context = await running.browser.newContext(PHONE);
  page = await newWatchedPage(context);
  // The customization's own handler, registered for both list events before the page fires one.
  await context.addInitScript(() => {
    window.listEventsSeen = [];
    document.addEventListener("DOMContentLoaded", () => {
      kintone.events.on(["app.record.index.show", "mobile.app.record.index.show"], (event) => {
        window.listEventsSeen.push(event.type);
        return event;
      });
    });
  });
  await openListPage(page, mobileListUrl(running.sim, VIEW));
}, { timeout: 600_000 });

after(async () => {
  await stopBrowserAndSim(running);
  if (page) assertNoPageProblems(page);
});

test("on the mobile list page, currentView() finds kintone.mobile.app and the read delivers the view", { timeout: 90_000 }, async () => {
  const result = await evaluate(page, "mobile read", async () => {
    const view = window.KintoneSeek.currentView();
    const records = await window.KintoneSeek.getAllRecords(view);
    return {
      events: window.listEventsSeen,
      pcApp: typeof window.kintone.app,
      width: screen.width,
      touch: navigator.maxTouchPoints > 0,
      view,
      ids: records.map((record) => record.$id.value),
    };
  });
  assert.deepEqual(result.events, ["mobile.app.record.index.show"]);
  assert.equal(result.pcApp, "undefined", "the mobile page has no kintone.app");
  assert.equal(result.width, 390);
  assert.ok(result.touch, "a touch screen");
  assert.deepStrictEqual(result.view, { app: 1, condition: VIEW.condition, orderBy: VIEW.orderBy });
  const expected = await fetch(`${running.sim.url}/_sim/evaluate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ app: 1, query: `${VIEW.condition} order by ${VIEW.orderBy}` }),
  }).then((response) => response.json());
  assert.ok(expected.ids.length > 500, `the view spans pages (${expected.ids.length} records)`);
  assert.deepStrictEqual(result.ids, expected.ids);
  const stats = await simStats(running.sim);
  assert.equal(stats.cursors.liveClient, 0, "no cursor left open");
  assertNoPageProblems(page);
});
