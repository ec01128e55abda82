// The "Export" section of BENCHMARKS.md: `kintone-seek export` against `cli-kintone record
// export` (@kintone/cli 1.19.2) on the same app of the simulator, each run in its own
// process (wall time; peak RSS from /proc while it runs; cursors counted by the simulator),
// alternating, at 0 ms and 50 ms of latency: no order, `--order-by` on a text field, on an
// optional number. Every pair must write the same bytes. Then the peak RSS of one
// 1,000,000-record export. `node bench/export.mjs` runs this part alone and prints the
// section; bench/run.mjs calls `runExport()`.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { simControl, startSim } from "../sim/js/sim-process.mjs";
import { CLI_KINTONE, cleanEnv, OUR_CLI } from "../tests/support/cli-export.mjs";

const TOKEN = "bench-export-token";
const ORDERS = [
  { label: "no order", orderBy: undefined },
  { label: "text (`件名 asc`)", orderBy: "件名 asc" },
  { label: "optional number (`数量 asc`)", orderBy: "数量 asc" },
];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function peakRss(pid) {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
  } catch {
    return 0;
  }
}

/** One export to a file, in its own process: { wallMs, peakRssMb, bytes, sha } . */
async function exportOnce(tool, sim, orderBy, file) {
  const common = ["--api-token", TOKEN, "--app", "1", ...(orderBy ? ["--order-by", orderBy] : [])];
  // Ours as npm's shim runs it (the file, whose first line gives node its flags); the official
  // client takes plain http only for `localhost`, and writes to standard output only.
  const [command, args, out] = tool === "ours"
    ? [OUR_CLI, ["export", "--base-url", sim.url, ...common, "--output", file], "ignore"]
    : [process.execPath, [CLI_KINTONE, "record", "export", "--base-url", `http://localhost:${sim.port}`, ...common], "file"];
  const started = performance.now();
  const child = spawn(command, args, { env: cleanEnv(), stdio: ["ignore", out === "file" ? "pipe" : "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const hash = createHash("sha256");
  let bytes = 0;
  child.stdout?.on("data", (chunk) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, peakRss(child.pid))), 20);
  const code = await new Promise((resolve) => child.once("close", resolve));
  clearInterval(sampler);
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`${tool} export (${orderBy ?? "no order"}) exited ${code}: ${stderr}`);
  if (tool === "ours") {
    const content = readFileSync(file);
    hash.update(content);
    bytes = statSync(file).size;
  }
  return { wallMs, peakRssMb: peak, bytes, sha: hash.digest("hex") };
}

async function measure(tool, sim, orderBy, file) {
  await simControl(sim.url, "stats", "DELETE");
  const run = await exportOnce(tool, sim, orderBy, file);
  const stats = await simControl(sim.url, "stats");
  if (stats.cursors.live !== 0) throw new Error(`${tool} left ${stats.cursors.live} cursors open`);
  return { ...run, cursors: stats.cursors.created, requests: stats.totalRequests };
}

/**
 * Runs the export benchmark. Returns what exportMarkdown() writes.
 * @param {{ records?: number, big?: number, rounds?: Record<number, number> }} options
 */
export async function runExport({ records = 100_000, big = 1_000_000, rounds = { 0: 3, 50: 1 } } = {}) {
  const work = mkdtempSync(join(tmpdir(), "kintone-seek-bench-export-"));
  const file = join(work, "ours.csv");
  const results = {};
  try {
    const sim = await startSim(["--records", String(records), "--api-token", TOKEN]);
    try {
      for (const latency of Object.keys(rounds).map(Number)) {
        await simControl(sim.url, "latency", "POST", { ms: latency });
        for (let round = 0; round < rounds[latency]; round++) {
          for (const { label, orderBy } of ORDERS) {
            const pair = {};
            for (const tool of ["ours", "cli-kintone"]) {
              pair[tool] = await measure(tool, sim, orderBy, file);
              (results[`${latency}:${label}:${tool}`] ??= []).push(pair[tool]);
              console.error(`export, latency ${latency} ms, round ${round + 1}, ${label}, ${tool}: ${pair[tool].wallMs.toFixed(0)} ms, ${pair[tool].peakRssMb.toFixed(0)} MB, ${pair[tool].cursors} cursors`);
            }
            if (pair.ours.sha !== pair["cli-kintone"].sha) throw new Error(`${label}: the two files differ (${pair.ours.bytes} and ${pair["cli-kintone"].bytes} bytes)`);
          }
        }
      }
    } finally {
      await sim.stop();
    }
    const bigSim = await startSim(["--records", String(big), "--api-token", TOKEN]);
    try {
      results.big = await measure("ours", bigSim, undefined, file);
      console.error(`export of ${big} records: ${results.big.wallMs.toFixed(0)} ms, ${results.big.peakRssMb.toFixed(0)} MB, ${results.big.bytes} bytes`);
    } finally {
      await bigSim.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { results, records, big, rounds };
}

/** The "Export" section of BENCHMARKS.md. */
export function exportMarkdown({ results, records, big, rounds }) {
  const of = (key, what) => median(results[key].map((run) => run[what]));
  const rows = [];
  for (const latency of Object.keys(rounds).map(Number)) {
    for (const { label } of ORDERS) {
      const ours = `${latency}:${label}:ours`;
      const theirs = `${latency}:${label}:cli-kintone`;
      rows.push(`| ${latency} ms | ${label} | ${of(ours, "wallMs").toFixed(0)} ms | ${of(theirs, "wallMs").toFixed(0)} ms | ${(of(ours, "wallMs") / of(theirs, "wallMs")).toFixed(2)}x | ${of(ours, "peakRssMb").toFixed(0)} MB | ${of(theirs, "peakRssMb").toFixed(0)} MB | ${of(ours, "cursors")} / ${of(theirs, "cursors")} | ${of(ours, "requests")} / ${of(theirs, "requests")} |`);
    }
  }
  return `## Export

\`kintone-seek export\` against \`cli-kintone record export\` (\`@kintone/cli\` 1.19.2) on the same
${records.toLocaleString("en")}-record app of the simulator (every field, its table included), each run in its own
process, the two alternating: wall time until the CSV is written (ours to \`--output\`,
cli-kintone's standard output read by the benchmark), peak RSS read from \`/proc\` while it
runs, cursors taken and requests sent (counted by the simulator). Medians of ${Object.entries(rounds).map(([latency, n]) => `${n} run${n > 1 ? "s" : ""} at ${latency} ms`).join(" and ")}
of latency added to every request; ratio = ours / cli-kintone's. Every pair wrote the same bytes.
cli-kintone reads by \`$id\` without an order and with a cursor (100 records a request) with one.

| latency | order | kintone-seek | cli-kintone | ratio | peak RSS, kintone-seek | peak RSS, cli-kintone | cursors (ours / theirs) | requests (ours / theirs) |
|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}

Streaming: \`kintone-seek export\` of ${big.toLocaleString("en")} records (no order, ${(results.big.bytes / 1048576).toFixed(0)} MB of CSV): ${(results.big.wallMs / 1000).toFixed(1)} s,
peak RSS ${results.big.peakRssMb.toFixed(0)} MB (target: under 150 MB), ${results.big.cursors} cursors.
`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const records = Number(process.env.BENCH_RECORDS ?? 100_000);
  const big = Number(process.env.BENCH_BIG_RECORDS ?? 1_000_000);
  const rounds = { 0: Number(process.env.BENCH_EXPORT_ROUNDS_0 ?? 3), 50: Number(process.env.BENCH_EXPORT_ROUNDS_50 ?? 1) };
  console.log(exportMarkdown(await runExport({ records, big, rounds })));
}
