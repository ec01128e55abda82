// First use of the single file in headless Chromium, on the simulator's list page: the
// wasm is prepared once per page, starting when the file loads (one asynchronous
// WebAssembly.compile, never a synchronous one, whatever the page then calls);
// `currentView()` and `kintoneTransport()` need no wasm; and a page whose
// Content-Security-Policy forbids WebAssembly (the list page's `?csp=no-wasm`) gets a
// WASM_BLOCKED error from every read, at once, never a raw CompileError or a read that hangs.
//
// Needs the build (node scripts/build.mjs) and Debian's chromium (scripts/setup.sh); see
// tests/browser/harness.mjs for the overrides.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  assertNoPageProblems,
  evaluate,
  listUrl,
  mobileListUrl,
  newWatchedPage,
  openListPage,
  startBrowserAndSim,
  stopBrowserAndSim,
} from "./harness.mjs";

let running;
let context;

before(async () => {
  running = await startBrowserAndSim();
  context = await running.browser.newContext();
}, { timeout: 600_000 }); // a first run builds the simulator

after(async () => {
  await stopBrowserAndSim(running);
});

/** Runs before the page's scripts: counts every way of compiling or instantiating wasm. */
function countWasm() {
  const counts = { compile: 0, compileStreaming: 0, instantiate: 0, instantiateStreaming: 0, Module: 0, Instance: 0 };
  window.wasmCounts = counts;
  for (const name of ["compile", "compileStreaming", "instantiate", "instantiateStreaming"]) {
    const original = WebAssembly[name];
    WebAssembly[name] = function (...args) {
      counts[name]++;
      return original.apply(this, args);
    };
  }
  for (const name of ["Module", "Instance"]) {
    WebAssembly[name] = new Proxy(WebAssembly[name], {
      construct(target, args, newTarget) {
        counts[name]++;
        return Reflect.construct(target, args, newTarget);
      },
    });
  }
}

test("the wasm is compiled once per page, asynchronously, from when the file loads, whatever the page calls", { timeout: 90_000 }, async () => {
  const page = await newWatchedPage(context);
  await page.addInitScript(countWasm);
  await openListPage(page, listUrl(running.sim, { condition: "$id <= 600" }));
  // Nothing has called the library yet: the single file started the preparation itself.
  await page.waitForFunction(() => window.wasmCounts.Instance === 1, null, { timeout: 30_000 });
  const result = await evaluate(page, "every entry point", async () => {
    const { currentView, kintoneTransport, getAllRecords, iterateRecords, iteratePages } = window.KintoneSeek;
    const view = currentView();
    const reads = await Promise.all([getAllRecords(view), getAllRecords({ ...view, transport: kintoneTransport() })]);
    let streamed = 0;
    for await (const record of iterateRecords({ app: 1, pageSize: 100 })) if (++streamed === 150) break;
    let pages = 0;
    for await (const records of iteratePages({ ...view, pageSize: 200 })) pages += records.length > 0;
    return { counts: window.wasmCounts, lengths: reads.map((records) => records.length), streamed, pages, view: currentView() };
  });
  assert.deepEqual(result.lengths, [600, 600]);
  assert.equal(result.streamed, 150);
  assert.equal(result.pages, 3);
  assert.deepEqual(result.view, { app: 1, condition: "$id <= 600", orderBy: "$id desc" });
  assert.deepEqual(result.counts, { compile: 1, compileStreaming: 0, instantiate: 0, instantiateStreaming: 0, Module: 0, Instance: 1 });
  assertNoPageProblems(page);
  await page.close();
});

// What the wasm's currentView() answered on these views, kept as the TypeScript one
// replaced it: the condition as kintone gives it, the order without limit/offset, with
// lower-case directions, `$id desc` when the view has no order.
const VIEWS = [
  [{}, { condition: "", orderBy: "$id desc" }],
  [{ condition: 'ステータス in ("完了", "保留") and 金額 >= 1000' }, { condition: 'ステータス in ("完了", "保留") and 金額 >= 1000', orderBy: "$id desc" }],
  [{ orderBy: "金額 DESC, $id Asc" }, { condition: "", orderBy: "金額 desc, $id asc" }],
  [
    { condition: '(件名 like "order by x limit 3" or 顧客名 = "a)b") and 数量 > 5', orderBy: "受注日 asc,数量" },
    { condition: '(件名 like "order by x limit 3" or 顧客名 = "a)b") and 数量 > 5', orderBy: "受注日 asc, 数量" },
  ],
];

for (const [mobile, label] of [[false, "PC"], [true, "mobile"]]) {
  test(`currentView() on the ${label} list page gives the view, as the wasm version did`, { timeout: 90_000 }, async () => {
    const page = await newWatchedPage(context);
    for (const [view, expected] of VIEWS) {
      await openListPage(page, (mobile ? mobileListUrl : listUrl)(running.sim, view));
      const got = await evaluate(page, "currentView", () => window.KintoneSeek.currentView());
      assert.deepStrictEqual(got, { app: 1, ...expected }, JSON.stringify(view));
    }
    assertNoPageProblems(page);
    await page.close();
  });
}

test("where the Content-Security-Policy forbids WebAssembly, reads reject at once with WASM_BLOCKED; currentView() and kintoneTransport() still work", { timeout: 90_000 }, async () => {
  const page = await newWatchedPage(context);
  const url = `${listUrl(running.sim, { condition: "$id <= 300" })}&csp=no-wasm`;
  const response = await page.goto(url, { waitUntil: "load" });
  assert.match(response.headers()["content-security-policy"], /^script-src 'self' 'nonce-/);
  await page.waitForFunction(() => window.kintoneSimReady === true, null, { timeout: 30_000 });
  // 20 s for the whole test in the page: a read that hangs fails it.
  const result = await evaluate(page, "reads under the policy", async () => {
    const { currentView, kintoneTransport, getAllRecords, iterateRecords, KintoneSeekError } = window.KintoneSeek;
    const view = currentView();
    const answer = await kintoneTransport()("/k/v1/records.json", "GET", { app: 1, query: "order by $id asc limit 2" });
    window.kintoneSimRequests.length = 0;
    const describe = async (read) => {
      const started = performance.now();
      try {
        await read();
        return { resolved: true };
      } catch (error) {
        return {
          isSeekError: error instanceof KintoneSeekError,
          isError: error instanceof Error,
          name: error.name,
          code: error.code,
          message: error.message,
          fetched: error.fetched,
          cause: error.cause?.name,
          ms: performance.now() - started,
        };
      }
    };
    const failures = [
      await describe(() => getAllRecords(view)),
      await describe(async () => {
        for await (const record of iterateRecords({ app: 1 })) return record;
      }),
      await describe(() => getAllRecords({ app: 1, transport: kintoneTransport() })),
    ];
    return { view, ids: answer.records.map((record) => record.$id.value), failures, requests: window.kintoneSimRequests.length };
  }, undefined, 20_000);
  assert.deepStrictEqual(result.view, { app: 1, condition: "$id <= 300", orderBy: "$id desc" });
  assert.deepEqual(result.ids, ["1", "2"], "kintoneTransport() sends through kintone.api with no wasm");
  for (const failure of result.failures) {
    assert.equal(failure.resolved, undefined, "a read resolved without its wasm");
    assert.equal(failure.isSeekError, true, JSON.stringify(failure));
    assert.equal(failure.isError, true);
    assert.equal(failure.name, "KintoneSeekError");
    assert.equal(failure.code, "WASM_BLOCKED");
    assert.equal(failure.fetched, 0);
    assert.equal(failure.cause, "CompileError", "the browser's own error is kept as the cause");
    assert.ok(failure.message.includes("script-src 'wasm-unsafe-eval'"), failure.message);
    assert.ok(failure.ms < 5_000, `the read took ${failure.ms} ms to fail`);
  }
  assert.equal(result.requests, 0, "a read sent a request without its wasm");
  assertNoPageProblems(page);
  await page.close();
});
