// The simulator's kintone-like list page in headless Chromium: the `kintone` object,
// the session (cookie + request token), customization files loaded in order, and
// dist/kintone-seek.iife.js + demo/customize.js reading the whole view through it (and
// saving it as CSV with the same file's KintoneSeek.downloadCsv()).
//
// Needs the build (dist/kintone-seek.iife.js) and /usr/bin/chromium (CHROMIUM_PATH).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { launchChromium } from "../../sim/js/chromium.mjs";
import { root, startSim } from "../../sim/js/sim-process.mjs";

const IIFE = join(root, "dist", "kintone-seek.iife.js");
const RECORDS = 10_000;
const CONDITION = 'ステータス in ("完了", "保留")';

let sim;
let browser;
let page;
const problems = [];

async function evaluate(fn, arg) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error("no answer from the page within 60 s")), 60_000);
  });
  try {
    return await Promise.race([page.evaluate(fn, arg), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

before(async () => {
  await access(IIFE).catch(() => {
    throw new Error(`${IIFE} is missing: build first (node scripts/build.mjs)`);
  });
  sim = await startSim([
    "--records", String(RECORDS),
    "--customization", IIFE,
    "--customization", join(root, "demo", "customize.js"),
  ]);
  browser = await launchChromium();
  page = await browser.newPage();
  page.setDefaultTimeout(60_000);
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console.error: ${m.text()}`));
  const query = new URLSearchParams({ condition: CONDITION, orderBy: "金額 desc, $id asc" });
  await page.goto(`${sim.url}/k/1/?${query}`, { waitUntil: "load" });
  await page.waitForFunction(() => window.kintoneSimReady === true, null, { timeout: 30_000 });
}, { timeout: 600_000 });

after(async () => {
  try {
    await browser?.close();
  } finally {
    await sim?.stop();
  }
});

test("the page defines kintone like a record list does", { timeout: 30_000 }, async () => {
  const shape = await evaluate(async () => ({
    appId: kintone.app.getId(),
    query: kintone.app.getQuery(),
    condition: kintone.app.getQueryCondition(),
    token: typeof kintone.getRequestToken(),
    url: kintone.api.url("/k/v1/records", true),
    limit: await kintone.api.getConcurrencyLimit(),
    listRows: document.querySelectorAll("#kintone-sim-list tr").length,
    seek: typeof window.KintoneSeek?.getAllRecords,
  }));
  assert.equal(shape.appId, 1);
  assert.equal(shape.condition, 'ステータス in ("完了", "保留")');
  assert.equal(shape.query, 'ステータス in ("完了", "保留") order by 金額 desc, $id asc limit 20 offset 0');
  assert.equal(shape.token, "string");
  assert.equal(shape.url, `${sim.url}/k/v1/records.json`);
  assert.equal(shape.limit.limit, 100);
  assert.equal(shape.listRows, 21, "a header and 20 rows");
  assert.equal(shape.seek, "function");
});

test("kintone.api: a session GET, a long GET sent as POST + override, errors as bodies", { timeout: 30_000 }, async () => {
  const result = await evaluate(async () => {
    const short = await kintone.api(kintone.api.url("/k/v1/records", true), "GET", { app: 1, query: "limit 2", fields: ["$id"] });
    const fields = Array.from({ length: 300 }, (_, i) => (i === 0 ? "$id" : `項目${i}`));
    const long = await kintone.api("/k/v1/records", "GET", { app: 1, query: "order by $id asc limit 3", fields });
    let error;
    try {
      await kintone.api("/k/v1/records", "GET", { app: 1, query: "ない = 1" });
    } catch (e) {
      error = e;
    }
    return { short: short.records.length, long: long.records.map((r) => r.$id.value), error };
  });
  assert.equal(result.short, 2);
  assert.deepEqual(result.long, ["1", "2", "3"]);
  assert.equal(result.error.code, "GAIA_IQ11");
  assert.ok(result.error.id);
  problems.length = 0; // the 400 above is logged by Chromium as a failed resource
});

test("the demo customization reads every record of the view, and no cursor stays open", { timeout: 120_000 }, async () => {
  await page.waitForFunction(() => window.demoResult !== undefined, null, { timeout: 90_000 });
  const result = await evaluate(() => window.demoResult);
  assert.equal(result.error, undefined, JSON.stringify(result));
  const ids = await evaluate(() => window.demoIds);
  const expected = await fetch(`${sim.url}/_sim/evaluate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ app: 1, query: `${CONDITION} order by 金額 desc, $id asc` }),
  }).then((r) => r.json());
  assert.deepEqual(ids, expected.ids);
  assert.equal(result.cursorsLeftOpen, 0);
  const stats = await fetch(`${sim.url}/_sim/stats`).then((r) => r.json());
  assert.equal(stats.cursors.live, 0);
  // The CSV button: KintoneSeek.downloadCsv() of the same view (cli-kintone's format, a BOM).
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#demo-csv")]);
  const csv = await readFile(await download.path(), "utf8");
  assert.match(csv, /^\ufeff\*,"レコード番号","件名",/);
  const saved = await evaluate(() => window.demoCsvResult);
  assert.equal(saved.records, expected.ids.length);
  assert.equal(csv.split("\n*,").length - 1, expected.ids.length, "a * line per record");
});

test("KintoneSeek.getAllRecords through the page's session reads all records by seek", { timeout: 60_000 }, async () => {
  const result = await evaluate(async () => {
    window.kintoneSimRequests.length = 0;
    const records = await window.KintoneSeek.getAllRecords({ app: 1 });
    return {
      count: records.length,
      ascending: records.every((r, i) => Number(r.$id.value) === i + 1),
      requests: window.kintoneSimRequests.length,
      first: window.kintoneSimRequests[0],
    };
  });
  assert.equal(result.count, RECORDS);
  assert.ok(result.ascending);
  // On the simulator's idle domain the read runs id windows: the probe for the far end of
  // the ids, a request per page, and one that confirms the end.
  assert.equal(result.requests, RECORDS / 500 + 2);
  assert.equal(result.first.method, "GET");
  assert.deepEqual(problems, []);
});
