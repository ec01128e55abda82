// The CSV download of a list view, in headless Chromium on the simulator's list page with
// the single file uploaded (kintone-seek.iife.js, which holds the CSV export too):
// `KintoneSeek.downloadCsv()` saves the view on screen through the page's kintone.api,
// and the file is a BOM followed by the very bytes that kintone-seek/csv's exportCsv gives
// in Node for the same view (whose format tests/sim/export.test.mjs holds to cli-kintone's).
// Progress comes through onProgress; an abort downloads nothing and leaves no cursor.
// The whole app is 100,000 records: the first view downloads all of them.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { fetchTransport } from "kintone-seek";
import { exportCsv } from "kintone-seek/csv";
import { launchChromium } from "../../sim/js/chromium.mjs";
import { simControl, startSim } from "../../sim/js/sim-process.mjs";
import { assertNoPageProblems, evaluate, stopBrowserAndSim, IIFE_PATH, listUrl, newWatchedPage, openListPage, simStats } from "./harness.mjs";

const RECORDS = 100_000;
const TOKEN = "browser-export-token";
let sim;
let browser;
let context;

before(async () => {
  sim = await startSim(["--records", String(RECORDS), "--api-token", TOKEN, "--customization", IIFE_PATH]);
  browser = await launchChromium();
  context = await browser.newContext({ acceptDownloads: true });
}, { timeout: 600_000 });

after(() => stopBrowserAndSim({ sim, browser }));

/** exportCsv in Node for the same view: the bytes the page's file must hold after its BOM. */
async function nodeExport(view) {
  const transport = fetchTransport({ baseUrl: sim.url, apiToken: TOKEN });
  let text = "";
  for await (const chunk of exportCsv({ ...view, transport })) text += chunk;
  return Buffer.from(text, "utf8");
}

const VIEWS = [
  { label: "all 100,000 records (the list's own order, $id desc)", view: {} },
  { label: "an optional number ascending, a condition (read in parts)", view: { condition: "$id <= 12000", orderBy: "数量 asc" } },
  { label: "text over 10,000 records (the cursor, deleted at the end)", view: { condition: "$id <= 15000", orderBy: "件名 asc" } },
];

for (const { label, view } of VIEWS) {
  test(`downloadCsv() of the view on screen, ${label}: BOM + the Node export's bytes`, { timeout: 120_000 }, async () => {
    const page = await newWatchedPage(context);
    await openListPage(page, listUrl(sim, view));
    const [download, result] = await Promise.all([
      page.waitForEvent("download", { timeout: 90_000 }),
      evaluate(page, "downloadCsv()", async () => {
        const progress = [];
        const saved = await window.KintoneSeek.downloadCsv({ onProgress: (p) => progress.push({ fetched: p.fetched, total: p.total }) });
        return { saved, progress, view: window.KintoneSeek.currentView() };
      }, undefined, 90_000),
    ]);
    const file = await readFile(await download.path());
    assert.equal(download.suggestedFilename(), "app-1.csv");
    const expected = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), await nodeExport(result.view)]);
    assert.equal(file.length, expected.length, "the file's size");
    assert.ok(file.equals(expected), "the file's bytes");
    assert.equal(result.saved.bytes, file.length);
    const total = (await simControl(sim.url, `evaluate?app=1&query=${encodeURIComponent(view.condition ?? "")}`)).ids.length;
    assert.equal(result.saved.records, total);
    assert.ok(result.progress.length >= 2, "progress was reported");
    assert.equal(result.progress.at(-1).fetched, total);
    assert.equal(result.progress.at(-1).total, total);
    assert.equal((await simStats(sim)).cursors.live, 0, "no cursor left open");
    assertNoPageProblems(page);
    await page.close();
  });
}

test("an aborted download saves nothing, rejects with the signal's reason and leaves no cursor", { timeout: 120_000 }, async () => {
  const page = await newWatchedPage(context);
  await openListPage(page, listUrl(sim, { orderBy: "件名 desc" }));
  let downloads = 0;
  page.on("download", () => downloads++);
  const before = (await simStats(sim)).cursors.created;
  const result = await evaluate(page, "aborted downloadCsv()", async () => {
    const controller = new AbortController();
    try {
      await window.KintoneSeek.downloadCsv({
        signal: controller.signal,
        onProgress: (p) => {
          if (p.fetched >= 3000) controller.abort(new Error("stop here"));
        },
      });
      return { resolved: true };
    } catch (error) {
      return { message: error.message };
    }
  }, undefined, 90_000);
  assert.deepEqual(result, { message: "stop here" });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const stats = await simStats(sim);
  assert.equal(stats.cursors.created - before, 1, "the read had taken the cursor");
  assert.equal(stats.cursors.live, 0, "and deleted it");
  assert.equal(downloads, 0);
  assertNoPageProblems(page);
  await page.close();
});
