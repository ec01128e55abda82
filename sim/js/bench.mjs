// Measures the simulator: the time to answer a 500-record page and the memory held.
//
//   node sim/js/bench.mjs [records=100000] [rounds=20]
//
// Starts the `sim` profile build with a generated app, times each query `rounds` times
// over keep-alive HTTP (median and max, after one warm-up), then reads the process's peak
// resident memory (VmHWM) from /proc.
import { readFileSync } from "node:fs";
import { startSim } from "./sim-process.mjs";

const records = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 20);
const TOKEN = "bench";
const started = performance.now();
const sim = await startSim(["--records", String(records), "--api-token", TOKEN], { timeoutMs: 600_000 });
const readyMs = performance.now() - started;
const middle = Math.floor(records / 2);
const queries = [
  "order by $id asc limit 500",
  `$id > ${middle} order by $id asc limit 500`,
  `$id < ${middle} order by $id desc limit 500`,
  'ステータス in ("完了") order by $id asc limit 500',
  "order by 金額 desc, $id asc limit 500",
];

function memoryMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN);
  return { peak: kb("VmHWM") / 1024, now: kb("VmRSS") / 1024 };
}

try {
  console.log(`kintone-sim: ${records.toLocaleString("en")} records, ready in ${(readyMs / 1000).toFixed(1)} s`);
  for (const query of queries) {
    const url = `${sim.url}/k/v1/records.json?app=1&query=${encodeURIComponent(query)}`;
    const times = [];
    let bytes = 0;
    for (let i = 0; i <= rounds; i++) {
      const t = performance.now();
      const response = await fetch(url, { headers: { "X-Cybozu-API-Token": TOKEN }, signal: AbortSignal.timeout(30_000) });
      const body = await response.arrayBuffer();
      if (i > 0) times.push(performance.now() - t);
      bytes = body.byteLength;
      if (!response.ok) throw new Error(`${query}: ${response.status} ${Buffer.from(body).toString()}`);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    console.log(`  ${query.padEnd(48)} median ${median.toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms, ${(bytes / 1024).toFixed(0)} KiB`);
  }
  const mem = memoryMb(sim.child.pid);
  console.log(`  memory: ${mem.now.toFixed(0)} MB resident, ${mem.peak.toFixed(0)} MB peak`);
} finally {
  await sim.stop();
}
