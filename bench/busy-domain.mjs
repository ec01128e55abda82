// The "busy domain" table of `npm run bench`: 20 users open the same list view at once,
// on one simulated domain with kintone's 10 cursors, 30 ms added to every request. Each
// row starts 20 reads together (one Node process, Promise.allSettled) and reports what the
// simulator counted: cursors created, the most live at once, creations refused (all 10
// taken), requests, and what the users saw: reads that succeeded and how long they took.
// kintone-seek beside the official client's `getAllRecords`, which takes a cursor for
// every ordered view. Run alone with `node bench/busy-domain.mjs` (after
// `node scripts/build.mjs`) to print the table; BUSY_RECORDS, BUSY_USERS,
// BUSY_LATENCY_MS, BUSY_CONCURRENCY and BUSY_TIMEOUT_MS make a quicker (or other) run.
import { KintoneRestAPIClient } from "@kintone/rest-api-client";
import { fetchTransport, getAllRecords, iterateRecords } from "kintone-seek";
import { simControl, startSim } from "../sim/js/sim-process.mjs";

const TOKEN = "busy-token";
const RECORDS = Number(process.env.BUSY_RECORDS ?? 30_000);
const USERS = Number(process.env.BUSY_USERS ?? 20);
const LATENCY_MS = Number(process.env.BUSY_LATENCY_MS ?? 30);
// One page at a time, as the official client reads, so that the rows compare cursors and
// not parallel windows; inside kintone the default follows the domain's load, from 1 up.
const CONCURRENCY = Number(process.env.BUSY_CONCURRENCY ?? 1);
// A read still running after this counts as failed (TIMEOUT), so one hung read cannot
// stall the whole benchmark; kintone-seek's is aborted (its cursor deleted), the official
// client has no signal and goes on in the background.
const TIMEOUT_MS = Number(process.env.BUSY_TIMEOUT_MS ?? 180_000);
const FIELDS = ["$id", "件名", "数量"];
const SMALL = 5_000;
// [label, condition, orderBy, iterate]: the list views the users open.
const VIEWS = [
  [`text, ${SMALL.toLocaleString("en")}`, `$id <= ${SMALL}`, "件名 asc"],
  ["text", "", "件名 asc"],
  ["text, `iterateRecords`", "", "件名 asc", true],
  ["drop-down", "", "ステータス desc"],
  ["optional number", "", "数量 asc"],
  ["optional date", "", "納期 asc"],
  ["required date", "", "受注日 asc"],
];

/**
 * Node 20 has no `navigator.locks`; where a newer Node has one, kintone-seek would take
 * one cursor at a time for the whole process (as for one browser's tabs), but the users
 * stand for as many browsers.
 */
function oneLockManagerPerUser() {
  if (!globalThis.navigator?.locks) return;
  try {
    Object.defineProperty(globalThis.navigator, "locks", { value: undefined, configurable: true });
  } catch {
    console.error("busy domain: navigator.locks could not be hidden; kintone-seek's reads share one cursor lock");
  }
}

/** The readers each user may run: a promise of the number of records read. */
const READERS = {
  seek: (url, { condition, orderBy, iterate }, signal) => {
    const options = { app: 1, condition, orderBy, fields: FIELDS, concurrency: CONCURRENCY, signal, transport: fetchTransport({ baseUrl: url, apiToken: TOKEN }) };
    if (!iterate) return getAllRecords(options).then((records) => records.length);
    return (async () => {
      let count = 0;
      for await (const record of iterateRecords(options)) if (record) count++;
      return count;
    })();
  },
  official: (url, { condition, orderBy }) =>
    new KintoneRestAPIClient({ baseUrl: url, auth: { apiToken: TOKEN } }).record
      .getAllRecords({ app: 1, condition, orderBy, fields: FIELDS })
      .then((records) => records.length),
};

/** One user's read: its wall time, and its records or its error's code. */
async function timedRead(read, expected) {
  const started = performance.now();
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  const timeout = new Promise((_, reject) => signal.addEventListener("abort", reject, { once: true }));
  try {
    const records = await Promise.race([read(signal), timeout]);
    if (records !== expected) return { ms: performance.now() - started, error: `${records} of ${expected} records` };
    return { ms: performance.now() - started };
  } catch (error) {
    return { ms: performance.now() - started, error: signal.aborted ? "TIMEOUT" : (error?.code ?? error?.name ?? String(error)) };
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** USERS reads of one view started together; the simulator's counts for them. */
async function crowd(sim, url, reader, view) {
  // A reset forgets every cursor (POST /_sim/cursors/release frees only the "other
  // users'" ones), so a cursor a row leaked cannot refuse the next row's; it also clears
  // the statistics and the latency, set again here.
  await simControl(sim.url, "reset", "POST");
  await simControl(sim.url, "latency", "POST", { ms: LATENCY_MS });
  const expected = view.condition ? Math.min(SMALL, RECORDS) : RECORDS;
  const settled = await Promise.allSettled(Array.from({ length: USERS }, () => timedRead((signal) => READERS[reader](url, view, signal), expected)));
  // timedRead never rejects; a rejection here would be a bug of this file.
  const reads = settled.map((s) => (s.status === "fulfilled" ? s.value : { ms: 0, error: `harness: ${s.reason}` }));
  const stats = await simControl(sim.url, "stats");
  const ok = reads.filter((r) => !r.error).map((r) => r.ms);
  const errors = {};
  for (const r of reads) if (r.error) errors[r.error] = (errors[r.error] ?? 0) + 1;
  return {
    ok: ok.length,
    errors,
    medianMs: ok.length ? median(ok) : null,
    slowestMs: ok.length ? Math.max(...ok) : null,
    requests: stats.totalRequests,
    created: stats.cursors.created,
    peakLive: stats.cursors.peakLive,
    refused: stats.cursors.refused,
    leftOpen: stats.cursors.liveClient,
  };
}

/** Every view, kintone-seek then the official client (which has no `iterateRecords`). */
export async function measureBusyDomain(sim) {
  // The official client takes plain http only for `localhost`; both readers use it.
  const url = `http://localhost:${sim.port}`;
  // One read of one record by each reader first: the wasm's first instantiation and the
  // JIT's warm-up would otherwise land in the first row's read times.
  for (const read of Object.values(READERS)) await read(url, { condition: "$id <= 1", orderBy: "件名 asc" });
  const rows = [];
  for (const [label, condition, orderBy, iterate = false] of VIEWS) {
    for (const reader of iterate ? ["seek"] : ["seek", "official"]) {
      const row = { label, condition, orderBy, reader, ...(await crowd(sim, url, reader, { condition, orderBy, iterate })) };
      rows.push(row);
      console.error(`busy domain: ${label}, ${reader}: ${JSON.stringify(row)}`);
    }
  }
  return rows;
}

/** Starts a simulator of RECORDS records, measures, stops it. */
export async function runBusyDomain() {
  oneLockManagerPerUser();
  const sim = await startSim(["--records", String(RECORDS), "--api-token", TOKEN]);
  try {
    return { rows: await measureBusyDomain(sim), records: RECORDS, users: USERS, latencyMs: LATENCY_MS, concurrency: CONCURRENCY };
  } finally {
    await sim.stop();
  }
}

const seconds = (ms) => (ms === null ? "–" : `${(ms / 1000).toFixed(1)} s`);
const READER_LABELS = { seek: "kintone-seek", official: "official `getAllRecords`" };

function succeeded(row, users) {
  const failures = Object.entries(row.errors).map(([code, n]) => `${n} × ${code}`);
  return `${row.ok} of ${users}${failures.length ? ` (${failures.join(", ")})` : ""}`;
}

/** The section of BENCHMARKS.md. */
export function busyDomainMarkdown({ rows, records, users, latencyMs, concurrency }) {
  return `## A busy domain

${users} users open the same list view at once: ${users} reads started together in one Node process,
on one simulator of ${records.toLocaleString("en")} records with kintone's 10 cursors for the whole domain
and ${latencyMs} ms added to every request. Fields ${FIELDS.map((f) => `\`${f}\``).join(", ")}. kintone-seek
with \`fetchTransport\` and \`concurrency: ${concurrency}\` (one page at a time, as the official client
reads), otherwise its defaults (a cursor refused is waited for up to 30 s); the official
client's \`getAllRecords\`, which takes a cursor for every ordered view and does not wait.
Cursors and requests are counted by the simulator, reset before each row; "left open" is
the cursors still live after every read settled. Read times are of the reads that succeeded.

| view | reader | reads that succeeded | cursors created | peak live | refused | requests | median read | slowest read | left open |
|---|---|---|---|---|---|---|---|---|---|
${rows.map((r) => `| ${r.label} (\`${r.condition ? `${r.condition} ` : ""}order by ${r.orderBy}\`) | ${READER_LABELS[r.reader]} | ${succeeded(r, users)} | ${r.created} | ${r.peakLive} | ${r.refused} | ${r.requests} | ${seconds(r.medianMs)} | ${seconds(r.slowestMs)} | ${r.leftOpen} |`).join("\n")}
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(busyDomainMarkdown(await runBusyDomain()));
}
