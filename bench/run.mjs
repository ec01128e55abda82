// `npm run bench`: kintone-seek against the official @kintone/rest-api-client on the
// same local kintone simulator, in one run, alternating, several rounds; writes the
// medians to BENCHMARKS.md.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { root, simControl, startSim } from "../sim/js/sim-process.mjs";
import { benchmarksMarkdown } from "./report.mjs";
import { runEconomy } from "./economy.mjs";
import { runBusyDomain } from "./busy-domain.mjs";
import { browserBench, firstUseBench } from "./browser.mjs";
import { runExport } from "./export.mjs";
import { runProfiles } from "./profile.mjs";

const TOKEN = "bench-token";
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const BIG = Number(process.env.BENCH_BIG_RECORDS ?? 1_000_000);
const ROUNDS = { 0: Number(process.env.BENCH_ROUNDS_0 ?? 9), 50: Number(process.env.BENCH_ROUNDS_50 ?? 3) };
const CLIENTS = ["seek", "seek-c4", "iterate", "cursor", "official-seek", "official-cursor", "bare-fetch"];
// Ten fields of the generated app, the same for every client.
const FIELDS = ["$id", "レコード番号", "件名", "顧客名", "金額", "数量", "受注日", "打合せ日時", "ステータス", "更新日時"];

const control = (sim, path, method, body) => simControl(sim.url, path, method, body);

function readOnce(sim, client) {
  // The official client takes plain http only for `localhost`; both clients use it.
  const url = `http://localhost:${sim.port}`;
  const args = JSON.stringify({ client, url, token: TOKEN, app: 1, fields: FIELDS });
  const out = execFileSync(process.execPath, [join(root, "bench/read-once.mjs"), args], { cwd: root, encoding: "utf8", timeout: 600_000 });
  return JSON.parse(out.trim().split("\n").at(-1));
}

async function measure(sim, client) {
  await control(sim, "stats", "DELETE");
  const run = readOnce(sim, client);
  const stats = await control(sim, "stats", "GET");
  if (stats.cursors.live !== 0) throw new Error(`${client} left ${stats.cursors.live} cursors open`);
  return { ...run, requests: stats.totalRequests };
}

const sim = await startSim(["--records", String(RECORDS), "--api-token", TOKEN]);
const results = {};
let profiles;
try {
  for (const latency of [0, 50]) {
    await control(sim, "latency", "POST", { ms: latency });
    for (let round = 0; round < ROUNDS[latency]; round++) {
      for (const client of CLIENTS) {
        const run = await measure(sim, client);
        if (run.records !== RECORDS) throw new Error(`${client} read ${run.records} of ${RECORDS} records`);
        (results[`${latency}:${client}`] ??= []).push(run);
        console.error(`latency ${latency} ms, round ${round + 1}, ${client}: ${run.wallMs.toFixed(0)} ms, ${run.requests} requests`);
      }
    }
  }
  // Where the time goes (bench/profile.mjs): the same reads at 0 ms under --cpu-prof.
  profiles = await runProfiles({ sim, token: TOKEN, fields: FIELDS, rounds: Number(process.env.BENCH_PROFILE_ROUNDS ?? 3) });
} finally {
  await sim.stop();
}

const big = await startSim(["--records", String(BIG), "--api-token", TOKEN]);
try {
  results["0:iterate-c4"] = [readOnce(big, "iterate-c4")];
  if (results["0:iterate-c4"][0].records !== BIG) throw new Error("iterate-c4 missed records");
} finally {
  await big.stop();
}

const economy = await runEconomy();
const busy = await runBusyDomain();
// Inside a kintone page, in Chromium (bench/browser.mjs).
const BROWSER_ROUNDS = { 0: Number(process.env.BENCH_BROWSER_ROUNDS_0 ?? 3), 100: Number(process.env.BENCH_BROWSER_ROUNDS_100 ?? 3) };
const browser = { results: await browserBench({ records: RECORDS, fields: FIELDS, rounds: BROWSER_ROUNDS }), rounds: BROWSER_ROUNDS };
// First use on a fresh list page, each client alone (bench/browser.mjs, `--first-use`).
const FIRST_USE_ROUNDS = Number(process.env.BENCH_FIRST_USE_ROUNDS ?? 9);
const firstUse = { results: await firstUseBench({ rounds: FIRST_USE_ROUNDS }), rounds: FIRST_USE_ROUNDS };

// `kintone-seek export` against `cli-kintone record export` (bench/export.mjs).
const exported = await runExport({ records: RECORDS, big: BIG });

const sizes = JSON.parse(readFileSync(join(root, "build/sizes.json"), "utf8"));
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
const gitRev = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
writeFileSync(join(root, "BENCHMARKS.md"), benchmarksMarkdown({ results, sizes, machine, gitRev, records: RECORDS, big: BIG, rounds: ROUNDS, fields: FIELDS, economy, busy, browser, firstUse, exported, profiles }));
console.error("BENCHMARKS.md written");
