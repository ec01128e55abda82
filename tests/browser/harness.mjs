// Shared by the headless-Chromium tests of tests/browser/: the simulator (sim/) serving
// its kintone-like record list page with dist/kintone-seek.iife.js as the app's
// customization file (so the page itself loads the library, as kintone does), Chromium,
// and bounded helpers around both. Not a test file itself (no `.test.` in the name).
//
// Needs the build (node scripts/build.mjs), the simulator (built on demand by
// sim/js/sim-process.mjs, or KINTONE_SIM_BIN) and Debian's chromium (scripts/setup.sh).
// Overrides: CHROMIUM_PATH (default /usr/bin/chromium), KINTONE_SEEK_IIFE (another file
// to load as the customization, e.g. to debug the harness).
import assert from "node:assert/strict";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { CHROMIUM_PATH, launchChromium } from "../../sim/js/chromium.mjs";
import { root, startSim } from "../../sim/js/sim-process.mjs";

export const RECORDS = 10_000;
export { CHROMIUM_PATH };
export const IIFE_PATH = process.env.KINTONE_SEEK_IIFE || join(root, "dist", "kintone-seek.iife.js");
const EVALUATE_TIMEOUT_MS = 60_000;

/** Starts the simulator (RECORDS records, the IIFE as customization) and Chromium. */
export async function startBrowserAndSim() {
  await access(IIFE_PATH).catch(() => {
    throw new Error(`${IIFE_PATH} is missing: build first (node scripts/build.mjs)`);
  });
  const sim = await startSim(["--records", String(RECORDS), "--customization", IIFE_PATH]);
  try {
    const browser = await launchChromium();
    return { sim, browser };
  } catch (error) {
    await sim.stop();
    throw error;
  }
}

/** Closes the browser, then stops the simulator, whatever failed before. */
export async function stopBrowserAndSim({ sim, browser } = {}) {
  try {
    await browser?.close();
  } finally {
    await sim?.stop();
  }
}

/** The list page's URL for a view (condition and order as kintone puts them in the URL). */
export function listUrl(sim, view = {}) {
  const params = new URLSearchParams();
  if (view.condition) params.set("condition", view.condition);
  if (view.orderBy) params.set("orderBy", view.orderBy);
  const qs = params.toString();
  return `${sim.url}/k/1/${qs ? `?${qs}` : ""}`;
}

/** The mobile list page's URL for the same view (kintone's mobile URL, `/k/m/{app}/`). */
export function mobileListUrl(sim, view = {}) {
  return listUrl(sim, view).replace("/k/1/", "/k/m/1/");
}

/**
 * A new page of `context` that records what goes wrong in it (console errors, page
 * errors, HTTP answers >= 400) in `page.problems`, an array the tests empty.
 */
export async function newWatchedPage(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.setDefaultNavigationTimeout(30_000);
  const problems = [];
  page.problems = problems;
  page.on("console", (message) => {
    if (message.type() === "error") {
      const { url, lineNumber } = message.location();
      problems.push(`console.error: ${message.text()}${url ? ` (${url}:${lineNumber})` : ""}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.stack || error.message}`));
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  return page;
}

/** Opens the list page and waits until kintone's `app.record.index.show` has fired. */
export async function openListPage(page, url) {
  await page.goto(url, { waitUntil: "load" });
  await page.waitForFunction(() => window.kintoneSimReady === true, null, { timeout: 30_000 });
}

/** page.evaluate, but failing after `ms` instead of hanging the run. */
export async function evaluate(page, label, fn, arg, ms = EVALUATE_TIMEOUT_MS) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: no answer from the page within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([page.evaluate(fn, arg), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Fails on the problems `page` reported since the last call (and forgets them). */
export function assertNoPageProblems(page, label = "the page") {
  assert.deepEqual(page.problems.splice(0), [], `${label} reported errors`);
}

async function simJson(sim, path, method = "GET") {
  const response = await fetch(`${sim.url}${path}`, { method, signal: AbortSignal.timeout(10_000) });
  assert.equal(response.status, 200, `${method} ${path}`);
  return response.json();
}

/** The simulator's statistics (`/_sim/stats`). */
export const simStats = (sim) => simJson(sim, "/_sim/stats");

/** Forgets the simulator's request and cursor statistics (live cursors stay). */
export const clearSimStats = (sim) => simJson(sim, "/_sim/stats", "DELETE");

/** Moves the simulator's clock, e.g. past the 10 minutes after which a cursor expires. */
export async function advanceSimClock(sim, ms) {
  const response = await fetch(`${sim.url}/_sim/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ advanceMs: ms }),
    signal: AbortSignal.timeout(10_000),
  });
  assert.equal(response.status, 200, "POST /_sim/clock");
}

/**
 * Polls `/_sim/stats` every 50 ms until `done(stats)` holds, for at most `ms`; returns the
 * last statistics either way (the caller asserts on them, so a failure shows them).
 */
export async function pollStats(sim, done, ms = 5_000) {
  const deadline = performance.now() + ms;
  for (;;) {
    const stats = await simStats(sim);
    if (done(stats) || performance.now() >= deadline) return stats;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
