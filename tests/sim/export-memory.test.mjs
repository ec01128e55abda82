// The export streams: `kintone-seek export` of 50,000 records (all fields, tables, to a
// file) stays under 150 MB of peak RSS, read from /proc while it runs. The bench
// (bench/export.mjs) measures 1,000,000 records; this is its cheap stand-in.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, statSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSim } from "../../sim/js/sim-process.mjs";
import { cleanEnv, OUR_CLI } from "../support/cli-export.mjs";

const TOKEN = "memory-token";
const RECORDS = 50_000;
let sim;
let work;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "kintone-seek-memory-"));
  sim = await startSim(["--records", String(RECORDS), "--api-token", TOKEN]);
});

after(async () => {
  await sim?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The peak resident memory (VmHWM) of `pid` in MB, or 0 once it is gone. */
function peakRss(pid) {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
  } catch {
    return 0;
  }
}

test(`exporting ${RECORDS.toLocaleString("en")} records keeps the CLI under 150 MB of peak RSS`, { skip: process.platform !== "linux" && "reads /proc" }, async () => {
  const output = join(work, "all.csv");
  const child = spawn(OUR_CLI, ["export", "--base-url", sim.url, "--api-token", TOKEN, "--app", "1", "--output", output], { env: cleanEnv(), stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, peakRss(child.pid))), 25);
  const code = await new Promise((resolve) => child.once("exit", resolve));
  clearInterval(sampler);
  assert.equal(code, 0, stderr);
  assert.ok(statSync(output).size > 20 * RECORDS, "the file holds every record");
  assert.ok(peak > 0, "the peak was read");
  assert.ok(peak < 150, `peak RSS ${peak.toFixed(0)} MB`);
});
