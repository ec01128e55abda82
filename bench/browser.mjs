// The browser table of `npm run bench`: reads inside the simulator's kintone-like list
// page in headless Chromium, where a customization runs. The page loads the single file
// (dist/kintone-seek.iife.js) and the official client's browser build
// (@kintone/rest-api-client's UMD file) as customization files, as kintone would; each
// read runs in a fresh page of the same logged-in browser (session authentication, no
// token), the clients alternating, at 0 ms and 100 ms of latency.
//
// Per read, measured in the page: wall time; main-thread blocking time (the part of each
// long task, a task over 50 ms seen by a PerformanceObserver, beyond 50 ms, summed) and
// the longest task; animation frames per second while the read runs; the JS heap's peak
// (sampled every frame, after a forced GC before the read). Requests are counted by the
// simulator.
//
// A long task's length is wall time: on a machine whose cores also run the simulator
// (and anything else), a task stretches while the main thread waits for a core. So the
// main thread's tasks are also traced (Chromium's `RunTask` events, as DevTools records
// them), which gives each task's CPU time: the blocking the read itself causes is the same sum over
// tasks whose CPU time exceeds 50 ms, and the main thread's CPU time in all.
//
// First use (`firstUseBench`): a fresh list page per run, a 300-record view read at
// `app.record.index.show`, the main thread traced from the client's file to the records.
//
// Alone: `node bench/browser.mjs` (after `node scripts/build.mjs`) prints the table;
// `node bench/browser.mjs --first-use` prints the first-use table alone.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { launchChromium } from "../sim/js/chromium.mjs";
import { root, simControl, startSim } from "../sim/js/sim-process.mjs";

const require = createRequire(import.meta.url);
const UMD = join(dirname(require.resolve("@kintone/rest-api-client/package.json")), "umd", "KintoneRestAPIClient.min.js");
const IIFE = join(root, "dist", "kintone-seek.iife.js");
export const BROWSER_LATENCIES = [0, 100];
export const BROWSER_CLIENTS = ["page-default", "page-c4", "page-official"];
const LABELS = {
  "page-default": "kintone-seek single file, default (follows the domain's load)",
  "page-c4": "kintone-seek single file, `concurrency: 4`",
  "page-official": "official `getAllRecords`, UMD build, session",
};
const MB = 1024 * 1024;

/** One read in `page`; runs in the page. */
async function readInPage({ client, fields }) {
  const read = {
    "page-default": () => window.KintoneSeek.getAllRecords({ app: 1, fields }),
    "page-c4": () => window.KintoneSeek.getAllRecords({ app: 1, fields, concurrency: 4 }),
    "page-official": () => new window.KintoneRestAPIClient().record.getAllRecords({ app: 1, fields }),
  }[client];
  const tasks = [];
  const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
  observer.observe({ type: "longtask" });
  const heap = () => performance.memory.usedJSHeapSize;
  let frames = 0;
  let heapPeak = heap();
  let reading = true;
  const frame = () => {
    frames++;
    heapPeak = Math.max(heapPeak, heap());
    if (reading) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const started = performance.now();
  const records = await read();
  const wallMs = performance.now() - started;
  reading = false;
  heapPeak = Math.max(heapPeak, heap());
  // Long-task entries arrive after their task; give them a moment.
  await new Promise((resolve) => setTimeout(resolve, 200));
  tasks.push(...observer.takeRecords().map((e) => e.duration));
  observer.disconnect();
  return {
    records: records.length,
    wallMs,
    blockingMs: tasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0),
    longTasks: tasks.length,
    longestMs: Math.max(0, ...tasks),
    fps: frames / (wallMs / 1000),
    heapPeakMb: heapPeak / 1024 / 1024,
  };
}

/**
 * From a Chromium trace: the renderer main thread's CPU time over all its tasks, and the
 * part beyond 50 ms of each task whose CPU time exceeds 50 ms, summed.
 */
function mainThreadCpu(buffer) {
  const parsed = JSON.parse(buffer.toString());
  const events = parsed.traceEvents ?? parsed;
  const main = new Set(events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`));
  const cpu = events
    .filter((e) => e.ph === "X" && e.name === "RunTask" && main.has(`${e.pid}:${e.tid}`))
    .map((e) => (e.tdur ?? 0) / 1000);
  return {
    mainCpuMs: cpu.reduce((sum, ms) => sum + ms, 0),
    cpuBlockingMs: cpu.reduce((sum, ms) => sum + Math.max(0, ms - 50), 0),
    longestCpuMs: Math.max(0, ...cpu),
  };
}

const control = (sim, path, method, body) => simControl(sim.url, path, method, body);

/**
 * Runs the browser reads; resolves `{ "latency:client": [run, ...] }`, each run
 * `{ records, wallMs, blockingMs, longTasks, longestMs, fps, heapPeakMb, requests }`.
 */
export async function browserBench({ records, fields, rounds, log = console.error }) {
  const sim = await startSim(["--records", String(records), "--customization", IIFE, UMD]);
  const browser = await launchChromium(["--enable-precise-memory-info"]);
  const results = {};
  try {
    const context = await browser.newContext();
    for (const latency of BROWSER_LATENCIES) {
      await control(sim, "latency", "POST", { ms: latency });
      for (let round = 0; round < rounds[latency]; round++) {
        for (const client of BROWSER_CLIENTS) {
          const page = await context.newPage();
          try {
            await page.goto(`${sim.url}/k/1/`, { waitUntil: "load", timeout: 60_000 });
            await page.waitForFunction(() => window.kintoneSimReady === true, null, { timeout: 60_000 });
            const cdp = await context.newCDPSession(page);
            await cdp.send("HeapProfiler.collectGarbage");
            await control(sim, "stats", "DELETE");
            await browser.startTracing(page, { categories: ["toplevel", "disabled-by-default-devtools.timeline"] });
            const measured = await page.evaluate(readInPage, { client, fields });
            const run = { ...measured, ...mainThreadCpu(await browser.stopTracing()) };
            const stats = await control(sim, "stats", "GET");
            if (run.records !== records) throw new Error(`${client} read ${run.records} of ${records} records`);
            if (stats.cursors.live !== 0) throw new Error(`${client} left ${stats.cursors.live} cursors open`);
            (results[`${latency}:${client}`] ??= []).push({ ...run, requests: stats.totalRequests });
            log(`browser, latency ${latency} ms, round ${round + 1}, ${client}: ${run.wallMs.toFixed(0)} ms, ` +
              `blocking ${run.blockingMs.toFixed(0)} ms (CPU ${run.cpuBlockingMs.toFixed(0)} ms), main thread CPU ${run.mainCpuMs.toFixed(0)} ms, ${run.fps.toFixed(0)} fps, heap ${run.heapPeakMb.toFixed(0)} MB, ${stats.totalRequests} requests`);
          } finally {
            await page.close();
          }
        }
      }
    }
  } finally {
    await browser.close();
    await sim.stop();
  }
  return results;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function summary(runs) {
  const of = (key) => median(runs.map((run) => run[key]));
  const keys = ["wallMs", "blockingMs", "longTasks", "longestMs", "cpuBlockingMs", "longestCpuMs", "mainCpuMs", "fps", "heapPeakMb", "requests"];
  return Object.fromEntries(keys.map((k) => [k, of(k)]));
}

/** The targets of the browser reads, as rows of the Targets table. */
export function browserTargets(results, verdict) {
  const at = (client) => summary(results[`100:${client}`]);
  const at0 = (client) => summary(results[`0:${client}`]);
  // Blocking of 0 ms on both sides is a ratio of 1: floored at 1 ms.
  const ratio = (mine, base, key) => Math.max(mine[key], 1) / Math.max(base[key], 1);
  return [
    verdict("browser, idle domain, 100 ms latency: default wall time / official", at("page-default").wallMs / at("page-official").wallMs, 0.35, "x"),
    verdict("browser, 0 ms latency: default main-thread blocking (CPU) / official", ratio(at0("page-default"), at0("page-official"), "cpuBlockingMs"), 1.0, "x"),
    verdict("browser, 0 ms latency: default main-thread CPU / official (paired by round)", median(results["0:page-default"].map((run, i) => run.mainCpuMs / results["0:page-official"][i].mainCpuMs)), 0.95, "x"),
    verdict("browser, 100 ms latency: default main-thread blocking (CPU) / official", ratio(at("page-default"), at("page-official"), "cpuBlockingMs"), 1.0, "x"),
  ];
}

/** The browser section of BENCHMARKS.md. */
export function browserMarkdown(results, { records, rounds }) {
  const table = (latency) => {
    const rows = [
      "| read | median wall | ratio | requests | blocking (wall) | long tasks (wall) | longest (wall) | blocking (CPU) | longest (CPU) | main thread CPU | frames/s | peak JS heap |",
      "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ];
    const base = summary(results[`${latency}:page-official`]);
    for (const client of BROWSER_CLIENTS) {
      const s = summary(results[`${latency}:${client}`]);
      rows.push(`| ${LABELS[client]} | ${s.wallMs.toFixed(0)} ms | ${(s.wallMs / base.wallMs).toFixed(2)}x | ${s.requests} | ` +
        `${s.blockingMs.toFixed(0)} ms | ${s.longTasks} | ${s.longestMs.toFixed(0)} ms | ${s.cpuBlockingMs.toFixed(0)} ms | ${s.longestCpuMs.toFixed(0)} ms | ` +
        `${s.mainCpuMs.toFixed(0)} ms | ${s.fps.toFixed(0)} | ${s.heapPeakMb.toFixed(0)} MB |`);
    }
    return rows.join("\n");
  };
  return `## In the browser (headless Chromium, the simulator's list page)

The single file and the official client's UMD build, both loaded by the simulator's
kintone-like list page as customization files, read the same ${records.toLocaleString("en")} records (the same
fields as above) through the page's session (kintone-seek through \`kintone.api\`, the
official client with its session authentication), on an idle domain. Each read runs in
a fresh page after a forced GC; the clients alternate; medians of ${rounds[0]} rounds at 0 ms and
${rounds[100]} at 100 ms of latency. Blocking (wall): the part beyond 50 ms of every long task
(over 50 ms, seen by a PerformanceObserver) during the read, summed, with their count and
the longest. A task's wall time includes the time its thread waited for a core, and the
simulator shares this machine's cores with the browser (more so while it answers four
requests at once), so the main thread's tasks are also traced: blocking (CPU) is the same
sum over tasks whose CPU time exceeds 50 ms, longest (CPU) the longest task's CPU time,
main thread CPU all the main thread's work during the read. Frames/s: animation frames
during the read; peak JS heap: sampled every frame (the records read are kept, as
\`getAllRecords\` does).

### 0 ms latency

${table(0)}

### 100 ms latency

${table(100)}
`;
}

// First use: how a customization starts. Each run is a fresh page of the list page of a
// 300-record view, served by a simulator whose page loads only the client measured. At
// `app.record.index.show`, as a customization would, the page calls `currentView()` and
// `getAllRecords` (kintone-seek) or `getAllRecords({ app, condition })` (the official
// client: its fastest read of the same records, by `$id`, one request; with the view's
// order it would take a cursor), then the same read three times more. The main thread is
// traced from the navigation: each task's wall and CPU time, from the evaluation of the
// client's file to the first request and to the records.
export const FIRST_USE_CLIENTS = ["seek", "official"];
const FIRST_USE_LABELS = { seek: "kintone-seek single file", official: "official client, UMD build" };
const FIRST_USE_CONDITION = "$id <= 300";
const FIRST_USE_FILES = { seek: "kintone-seek.iife.js", official: "KintoneRestAPIClient.min.js" };

/** Runs in the page before its scripts: reads at the list event and keeps the timings. */
function firstUseInPage(client) {
  const records = () => performance.getEntriesByType("resource").filter((entry) => entry.name.includes("/k/v1/records"));
  const read = async () => {
    const before = records().length;
    const called = performance.now();
    let viewMs;
    let got;
    if (client === "seek") {
      const view = window.KintoneSeek.currentView();
      viewMs = performance.now() - called;
      got = await window.KintoneSeek.getAllRecords(view);
    } else {
      got = await new window.KintoneRestAPIClient().record.getAllRecords({ app: kintone.app.getId(), condition: kintone.app.getQueryCondition() });
    }
    const ms = performance.now() - called;
    return { records: got.length, viewMs, requestMs: records()[before].startTime - called, ms };
  };
  document.addEventListener("DOMContentLoaded", () => {
    kintone.events.on("app.record.index.show", async () => {
      try {
        performance.mark("first-use:call");
        const first = await read();
        performance.mark("first-use:records");
        // A later read: the median of three, one after the other.
        const later = [await read(), await read(), await read()].sort((a, b) => a.ms - b.ms)[1];
        window.firstUse = { first, later };
      } catch (error) {
        window.firstUse = { error: String(error?.stack ?? error) };
      }
      // Told through the console: waiting with an evaluation in the page would run
      // Playwright's own script there, in the middle of what is measured.
      console.log("first-use: done");
    });
  });
}

/** The main thread's tasks from the trace, and when the client's file ran, the read began, its first request left and its records arrived. */
function firstUseTrace(buffer, file) {
  const parsed = JSON.parse(buffer.toString());
  const events = parsed.traceEvents ?? parsed;
  const main = new Set(events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`));
  const on = (e) => main.has(`${e.pid}:${e.tid}`);
  const tasks = events.filter((e) => e.ph === "X" && e.name === "RunTask" && on(e)).map((e) => ({ start: e.ts, end: e.ts + (e.dur ?? 0), wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? 0) / 1000 }));
  const mark = (name) => events.find((e) => e.name === name && e.cat?.includes("blink.user_timing"))?.ts;
  const script = events.find((e) => e.name === "EvaluateScript" && e.args?.data?.url?.endsWith(file))?.ts;
  const call = mark("first-use:call");
  const request = events.find((e) => e.name === "ResourceSendRequest" && e.ts >= call && e.args?.data?.url?.includes("/k/v1/records"))?.ts;
  const arrived = mark("first-use:records");
  if ([script, call, request, arrived].some((ts) => ts === undefined)) throw new Error(`first use: the trace misses an event (${[script, call, request, arrived]})`);
  const longest = (until) => {
    const inWindow = tasks.filter((task) => task.end > script && task.start < until);
    return { wallMs: Math.max(0, ...inWindow.map((t) => t.wallMs)), cpuMs: Math.max(0, ...inWindow.map((t) => t.cpuMs)) };
  };
  return { toRequest: longest(request), toRecords: longest(arrived) };
}

/** Runs the first-use pages; resolves `{ client: [run, ...] }`. */
export async function firstUseBench({ rounds, log = console.error }) {
  // One simulator per client, whose list page loads that client alone.
  const sims = {};
  for (const client of FIRST_USE_CLIENTS) sims[client] = await startSim(["--records", "1000", "--customization", client === "seek" ? IIFE : UMD]);
  const browser = await launchChromium();
  const results = {};
  try {
    const context = await browser.newContext();
    for (let round = 0; round < rounds; round++) {
      for (const client of FIRST_USE_CLIENTS) {
        const page = await context.newPage();
        try {
          await page.addInitScript(firstUseInPage, client);
          const done = page.waitForEvent("console", { predicate: (message) => message.text() === "first-use: done", timeout: 60_000 });
          await browser.startTracing(page, { categories: ["toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing"] });
          await page.goto(`${sims[client].url}/k/1/?${new URLSearchParams({ condition: FIRST_USE_CONDITION })}`, { timeout: 60_000 });
          await done;
          const measured = await page.evaluate(() => window.firstUse);
          const trace = firstUseTrace(await browser.stopTracing(), FIRST_USE_FILES[client]);
          if (measured.error) throw new Error(`${client}: ${measured.error}`);
          for (const read of [measured.first, measured.later]) {
            if (read.records !== 300) throw new Error(`${client} read ${read.records} of 300 records`);
          }
          const run = { ...measured, ...trace };
          (results[client] ??= []).push(run);
          log(`first use, round ${round + 1}, ${client}: ${run.first.viewMs === undefined ? "" : `currentView ${run.first.viewMs.toFixed(1)} ms, `}` +
            `first request ${run.first.requestMs.toFixed(0)} ms, records ${run.first.ms.toFixed(0)} ms, later read ${run.later.ms.toFixed(0)} ms, ` +
            `longest task to the first request ${run.toRequest.wallMs.toFixed(0)} ms (CPU ${run.toRequest.cpuMs.toFixed(0)} ms), to the records ${run.toRecords.wallMs.toFixed(0)} ms (CPU ${run.toRecords.cpuMs.toFixed(0)} ms)`);
        } finally {
          await page.close();
        }
      }
    }
  } finally {
    await browser.close();
    for (const sim of Object.values(sims)) await sim.stop();
  }
  return results;
}

function firstUseSummary(runs) {
  const of = (pick) => median(runs.map(pick));
  return {
    viewMs: runs[0].first.viewMs === undefined ? undefined : of((r) => r.first.viewMs),
    requestMs: of((r) => r.first.requestMs),
    firstMs: of((r) => r.first.ms),
    laterMs: of((r) => r.later.ms),
    toRequestWallMs: of((r) => r.toRequest.wallMs),
    toRequestCpuMs: of((r) => r.toRequest.cpuMs),
    toRecordsWallMs: of((r) => r.toRecords.wallMs),
    toRecordsCpuMs: of((r) => r.toRecords.cpuMs),
    worstTaskCpuMs: Math.max(...runs.map((r) => r.toRequest.cpuMs)),
    worstTaskWallMs: Math.max(...runs.map((r) => r.toRequest.wallMs)),
  };
}

/** The median over rounds of kintone-seek's figure over the official client's in the same round. */
function paired(results, pick) {
  return median(results.seek.map((run, i) => pick(run) / pick(results.official[i])));
}

/** The targets of first use (issue 16), as rows of the Targets table. */
export function firstUseTargets(results, verdict) {
  const seek = firstUseSummary(results.seek);
  const official = firstUseSummary(results.official);
  return [
    verdict("first use: `currentView()`", seek.viewMs, 5, " ms"),
    verdict("first use: longest task from the script's load to the first request (CPU, worst of the runs)", seek.worstTaskCpuMs, 50, " ms"),
    verdict("first use: first read of a 300-record view / official's first read (paired by round)", paired(results, (r) => r.first.ms), 2, "x"),
    verdict("first use: a later read in the same page / official's (paired by round)", paired(results, (r) => r.later.ms), 1.2, "x"),
  ];
}

/** The first-use section of BENCHMARKS.md. */
export function firstUseMarkdown(results, { rounds }) {
  const official = firstUseSummary(results.official);
  const rows = [
    "| client | `currentView()` | call to first request | call to records (first read) | ratio | later read | ratio | longest task, file's load to first request: wall / CPU (worst CPU) | longest task, file's load to records: wall / CPU |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const client of FIRST_USE_CLIENTS) {
    const s = firstUseSummary(results[client]);
    rows.push(`| ${FIRST_USE_LABELS[client]} | ${s.viewMs === undefined ? "–" : `${s.viewMs.toFixed(1)} ms`} | ${s.requestMs.toFixed(1)} ms | ` +
      `${s.firstMs.toFixed(1)} ms | ${(s.firstMs / official.firstMs).toFixed(2)}x | ${s.laterMs.toFixed(1)} ms | ${(s.laterMs / official.laterMs).toFixed(2)}x | ` +
      `${s.toRequestWallMs.toFixed(0)} / ${s.toRequestCpuMs.toFixed(0)} ms (${s.worstTaskCpuMs.toFixed(0)} ms) | ${s.toRecordsWallMs.toFixed(0)} / ${s.toRecordsCpuMs.toFixed(0)} ms |`);
  }
  return `## First use (headless Chromium, the simulator's list page)

A customization's first read on a freshly opened list page: a view of 300 records
(\`${FIRST_USE_CONDITION}\`, one request), read at \`app.record.index.show\`, each run in a fresh page
of a simulator whose list page loads only the client measured; medians of ${rounds} runs, the
clients alternating. kintone-seek calls \`currentView()\` and reads the view with
\`getAllRecords\`; the official client reads the same records with \`getAllRecords({ app,
condition })\` (by \`$id\`, one request; with the view's order it would take a cursor). Then
the same read three times more in the same page (later read: the median of the three).
Times are from the call. The longest
tasks are the renderer main thread's (any task: the page's own layout too), traced from
the evaluation of the client's file (that task included) to the first request and to the
records, by wall time and by CPU time (a task's wall time includes its waits for a core
of this shared machine); in brackets the worst CPU time of the runs. The single file
starts preparing its wasm when it loads, in tasks of a few milliseconds; a read that
comes before it is ready waits for the rest.

${rows.join("\n")}
`;
}

// `node bench/browser.mjs`: this table alone, printed.
// `node bench/browser.mjs --first-use`: the first-use table alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv.includes("--first-use")) {
  const rounds = Number(process.env.BENCH_FIRST_USE_ROUNDS ?? 5);
  const results = await firstUseBench({ rounds });
  const verdict = (label, value, limit, unit) => `| ${label} | ${limit}${unit} | ${value.toFixed(2)}${unit} | ${value <= limit ? "met" : "missed"} |`;
  console.log(firstUseMarkdown(results, { rounds }));
  console.log(["| target | limit | measured | verdict |", "|---|---|---|---|", ...firstUseTargets(results, verdict)].join("\n"));
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const records = Number(process.env.BENCH_RECORDS ?? 100_000);
  const rounds = { 0: Number(process.env.BENCH_BROWSER_ROUNDS_0 ?? 3), 100: Number(process.env.BENCH_BROWSER_ROUNDS_100 ?? 3) };
  const fields = ["$id", "レコード番号", "件名", "顧客名", "金額", "数量", "受注日", "打合せ日時", "ステータス", "更新日時"];
  const results = await browserBench({ records, fields, rounds });
  const verdict = (label, value, limit, unit) => `| ${label} | ${limit}${unit} | ${value.toFixed(2)}${unit} | ${value <= limit ? "met" : "missed"} |`;
  console.log(browserMarkdown(results, { records, rounds }));
  console.log(["| target | limit | measured | verdict |", "|---|---|---|---|", ...browserTargets(results, verdict)].join("\n"));
}
