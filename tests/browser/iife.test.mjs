// The single-file build (dist/kintone-seek.iife.js) in headless Chromium, on a page that
// looks like a kintone record list (tests/browser/page.html): `window.kintone` backed by
// the in-memory fake of tests/support/fake-kintone.mjs with 10,000 records.
//
// Needs the build (node scripts/build.mjs) and Debian's chromium (scripts/setup.sh).
// Overrides: CHROMIUM_PATH (default /usr/bin/chromium), KINTONE_SEEK_IIFE (another file
// to serve as /dist/kintone-seek.iife.js, e.g. to debug the harness).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { access, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("../..", import.meta.url));
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const IIFE_PATH = process.env.KINTONE_SEEK_IIFE || `${root}dist/kintone-seek.iife.js`;
const EVALUATE_TIMEOUT_MS = 60_000;

// Playwright itself adds --headless (headless: true), --no-sandbox (chromiumSandbox is
// false by default), and a fresh temporary profile (--user-data-dir from mkdtemp, removed
// on close; it refuses --user-data-dir in `args`). The rest are for a root user in a
// container without internet; repeating a switch Playwright also passes is harmless.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// The only files the server hands out: URL path -> [file, content type].
const ROUTES = new Map([
  ["/", [`${root}tests/browser/page.html`, "text/html; charset=utf-8"]],
  ["/tests/support/fake-kintone.mjs", [`${root}tests/support/fake-kintone.mjs`, "text/javascript; charset=utf-8"]],
  ["/dist/kintone-seek.iife.js", [IIFE_PATH, "text/javascript; charset=utf-8"]],
]);

let server;
let origin;
let browser;
let page;
const pageProblems = [];

function startServer() {
  const httpServer = createServer(async (request, response) => {
    const route = ROUTES.get(new URL(request.url, "http://localhost").pathname);
    if (!route || request.method !== "GET") {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    try {
      const body = await readFile(route[0]);
      response.writeHead(200, { "content-type": route[1], "cache-control": "no-store" }).end(body);
    } catch (error) {
      response.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    }
  });
  return new Promise((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(0, "127.0.0.1", () => resolve(httpServer));
  });
}

/** page.evaluate, but failing after EVALUATE_TIMEOUT_MS instead of hanging the run. */
async function evaluate(label, fn, arg) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${label}: no answer from the page within ${EVALUATE_TIMEOUT_MS} ms`)),
      EVALUATE_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([page.evaluate(fn, arg), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Fails on the errors the page reported since the last call. */
function assertNoPageProblems() {
  assert.deepEqual(pageProblems.splice(0), [], "the page logged errors");
}

before(async () => {
  try {
    await access(IIFE_PATH);
  } catch {
    throw new Error(`${IIFE_PATH} is missing: build first (node scripts/build.mjs)`);
  }
  server = await startServer();
  origin = `http://127.0.0.1:${server.address().port}`;

  const launchStarted = performance.now();
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  const launchMs = performance.now() - launchStarted;

  const context = await browser.newContext();
  page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on("console", (message) => {
    if (message.type() === "error") {
      const { url, lineNumber } = message.location();
      pageProblems.push(`console.error: ${message.text()}${url ? ` (${url}:${lineNumber})` : ""}`);
    }
  });
  page.on("pageerror", (error) => pageProblems.push(`pageerror: ${error.stack || error.message}`));
  page.on("response", (response) => {
    if (response.status() >= 400) pageProblems.push(`HTTP ${response.status()} for ${response.url()}`);
  });

  const loadStarted = performance.now();
  await page.goto(`${origin}/`, { waitUntil: "load" });
  await page.waitForFunction(() => window.fakeReady === true, null, { timeout: 30_000 });
  const loadMs = performance.now() - loadStarted;
  console.log(
    `chromium ${browser.version()} launched in ${launchMs.toFixed(0)} ms; page loaded in ${loadMs.toFixed(0)} ms`,
  );
}, { timeout: 120_000 });

after(async () => {
  try {
    await browser?.close();
  } finally {
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }
  // Errors the page reported after the last test checked.
  assertNoPageProblems();
});

test("the IIFE defines window.KintoneSeek", { timeout: 30_000 }, async () => {
  const shape = await evaluate("KintoneSeek shape", () => ({
    type: typeof window.KintoneSeek,
    getAllRecords: typeof window.KintoneSeek?.getAllRecords,
    iterateRecords: typeof window.KintoneSeek?.iterateRecords,
    currentView: typeof window.KintoneSeek?.currentView,
  }));
  assert.deepEqual(shape, {
    type: "object",
    getAllRecords: "function",
    iterateRecords: "function",
    currentView: "function",
  });
  assertNoPageProblems();
});

test("getAllRecords reads all 10,000 records by seek, 500 at a time", { timeout: 90_000 }, async (t) => {
  const result = await evaluate("getAllRecords", async () => {
    window.fakeRequests.length = 0;
    const started = performance.now();
    const records = await window.KintoneSeek.getAllRecords({ app: 1 });
    const ms = performance.now() - started;
    const ids = records.map((record) => Number(record.$id.value));
    const requests = window.fakeRequests;
    return {
      ms,
      count: records.length,
      ascending: ids.every((id, i) => id === i + 1),
      firstIds: ids.slice(0, 3),
      lastIds: ids.slice(-3),
      requestCount: requests.length,
      endpoints: [...new Set(requests.map((r) => `${r.method} ${r.path}`))],
      first: requests[0]?.params,
      second: requests[1]?.params,
      last: requests.at(-1)?.params,
    };
  });
  t.diagnostic(`getAllRecords: ${result.count} records, ${result.requestCount} requests, ${result.ms.toFixed(0)} ms in the page`);
  assert.equal(result.count, 10000);
  assert.ok(result.ascending, `ids are not 1..10000 ascending: ${result.firstIds} ... ${result.lastIds}`);
  assert.equal(result.requestCount, 21, `requests: ${result.requestCount} to ${result.endpoints}`);
  assert.deepStrictEqual(result.first, { app: 1, query: "order by $id asc limit 500", totalCount: true });
  assert.deepStrictEqual(result.second, { app: 1, query: "$id > 500 order by $id asc limit 500" });
  // 10,000 = totalCount was reached on a full page: the last request only confirms the end.
  assert.deepStrictEqual(result.last, { app: 1, query: "$id > 10000 order by $id asc limit 1", fields: ["$id"] });
  assertNoPageProblems();
});

test("iterateRecords reads one page ahead and stops requesting when the loop breaks", { timeout: 90_000 }, async () => {
  const result = await evaluate("iterateRecords", async () => {
    window.fakeRequests.length = 0;
    const ids = [];
    for await (const record of window.KintoneSeek.iterateRecords({ app: 1, pageSize: 100 })) {
      ids.push(Number(record.$id.value));
      if (ids.length === 150) break;
    }
    // Give a request started late (after the break) the time to show up.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return {
      count: ids.length,
      ascending: ids.every((id, i) => id === i + 1),
      requestCount: window.fakeRequests.length,
      queries: window.fakeRequests.map((r) => r.params.query),
    };
  });
  assert.equal(result.count, 150);
  assert.ok(result.ascending, "ids are not 1..150 ascending");
  // Pages 1 and 2 were delivered and page 3 read ahead; nothing after the break.
  assert.equal(result.requestCount, 3, `queries sent: ${JSON.stringify(result.queries)}`);
  assertNoPageProblems();
});

test("currentView reads the list view of the page", { timeout: 30_000 }, async () => {
  const view = await evaluate("currentView", async () => await window.KintoneSeek.currentView());
  assert.deepStrictEqual(view, { app: 1, condition: 'title like "record"', orderBy: "$id desc" });
  assertNoPageProblems();
});

test("an invalid option rejects with an Error whose code is INVALID_OPTION", { timeout: 30_000 }, async () => {
  const result = await evaluate("invalid option", async () => {
    window.fakeRequests.length = 0;
    try {
      await window.KintoneSeek.getAllRecords({ app: 1, pageSize: 0 });
      return { rejected: false, requestCount: window.fakeRequests.length };
    } catch (error) {
      return {
        rejected: true,
        isError: error instanceof Error,
        code: error?.code,
        name: error?.name,
        message: String(error?.message),
        requestCount: window.fakeRequests.length,
      };
    }
  });
  assert.ok(result.rejected, "getAllRecords({ app: 1, pageSize: 0 }) did not reject");
  assert.ok(result.isError, `the rejection is not an Error: ${JSON.stringify(result)}`);
  assert.equal(result.code, "INVALID_OPTION", `rejection: ${JSON.stringify(result)}`);
  assertNoPageProblems();
});
