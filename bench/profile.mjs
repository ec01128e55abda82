// "Where the time goes" in BENCHMARKS.md: one read of each client at 0 ms latency under
// `node --cpu-prof`, its samples summed by self time into a few kinds of work, so that
// what is above the floor (parsing the JSON, turning bytes into text, collecting
// garbage) shows. A builtin such as JSON.parse counts as its caller's self time in V8's
// profile: `parseJson` (kintone-seek) and axios's `transformResponse` are JSON.parse.
//
// Alone: `node bench/profile.mjs` (after `node scripts/build.mjs`) prints the table.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { root, simControl, startSim } from "../sim/js/sim-process.mjs";

export const PROFILED = ["seek", "seek-c4", "official-seek"];

/** The kind of work a profile node's self time is. */
function kind({ functionName: name, url }) {
  if (name === "(garbage collector)") return "garbage collection";
  if (name === "(idle)") return undefined;
  if (name === "parseJson" || name === "transformResponse") return "JSON.parse";
  if (url.startsWith("wasm://") || url.includes("/wasm/")) return "kintone-seek: wasm";
  if (url.includes("kintone-seek/dist/") || url.endsWith("/dist/index.js")) return "kintone-seek: JavaScript";
  if (url.includes("@kintone/rest-api-client") || url.includes("/axios/") || url.includes("follow-redirects")) return "official client and axios (but JSON.parse)";
  if (url.includes("undici")) return "undici (Node's fetch)";
  if (name === "toString" || name === "decode" || name === "slice" || name === "utf8Slice") return "bytes to text";
  if (url.startsWith("node:") || name === "writeLatin1String" || name === "writeUtf8String") return "Node: sockets, http, streams, timers";
  if (url.includes("cjs/loader") || url.includes("esm/") || name === "compileForInternalLoader") return "loading modules";
  return "other (program, bench harness)";
}

/** Self milliseconds by kind of work, from a `.cpuprofile`. */
export function kindsOf(profile) {
  const time = new Map();
  for (let i = 0; i < profile.samples.length; i++) time.set(profile.samples[i], (time.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const kinds = {};
  for (const node of profile.nodes) {
    const which = kind(node.callFrame);
    if (which) kinds[which] = (kinds[which] ?? 0) + (time.get(node.id) ?? 0) / 1000;
  }
  return kinds;
}

/** One profiled read of `client` against `sim`; resolves its kinds of work. */
function profileOnce(sim, client, token, fields) {
  const dir = mkdtempSync(join(tmpdir(), "kintone-seek-prof-"));
  try {
    const args = JSON.stringify({ client, url: `http://localhost:${sim.port}`, token, app: 1, fields });
    execFileSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, join(root, "bench/read-once.mjs"), args], { cwd: root, encoding: "utf8", timeout: 600_000 });
    const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
    return kindsOf(JSON.parse(readFileSync(join(dir, file), "utf8")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Profiles each client `rounds` times at 0 ms; resolves `{ client: [kinds, ...] }`. */
export async function runProfiles({ sim, token, fields, rounds = 3, log = console.error }) {
  await simControl(sim.url, "latency", "POST", { ms: 0 });
  const profiles = {};
  for (let round = 0; round < rounds; round++) {
    for (const client of PROFILED) {
      (profiles[client] ??= []).push(profileOnce(sim, client, token, fields));
      log(`profile, round ${round + 1}, ${client}`);
    }
  }
  return profiles;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

// The same table for the build before issue 16's work (commit ac563db: kintone-seek over
// undici's fetch, ids read one by one through Reflect, progress built per page),
// sequential seek against the official client, medians of 3 profiles each in one run on
// this kind of machine (2026-12-03). Compare the ratios: absolute figures move with the
// machine from run to run.
const BEFORE = `| kind of work | kintone-seek, sequential (ac563db) | official |
|---|---|---|
| JSON.parse | 912 ms | 924 ms |
| Node: sockets, http, streams, timers | 430 ms | 536 ms |
| bytes to text | 332 ms (TextDecoder, in undici) | 339 ms (Buffer.toString) |
| garbage collection | 286 ms | 338 ms |
| undici (Node's fetch) | 241 ms | 23 ms (loading only) |
| kintone-seek: JavaScript | 240 ms | |
| kintone-seek: wasm | 218 ms | |
| official client and axios (but JSON.parse) | 9 ms | 296 ms |
| other (program, bench harness) | 183 ms | 122 ms |
| all but idle | 2,851 ms (1.11x) | 2,579 ms |`;

/** The section of BENCHMARKS.md. */
export function profileMarkdown(profiles, records) {
  const kinds = [...new Set(Object.values(profiles).flat().flatMap((one) => Object.keys(one)))];
  const total = (client) => median(profiles[client].map((one) => Object.values(one).reduce((sum, ms) => sum + ms, 0)));
  const rows = kinds
    .map((which) => ({ which, ms: PROFILED.map((client) => median(profiles[client].map((one) => one[which] ?? 0))) }))
    .sort((a, b) => Math.max(...b.ms) - Math.max(...a.ms));
  return `## Where the time goes

One read of ${records.toLocaleString("en")} records at 0 ms latency under \`node --cpu-prof\`, the main thread's samples
summed by kind of work (self time; medians of ${profiles[PROFILED[0]].length} profiles each). The floor is what any client must do:
JSON.parse, turning the answer's bytes into text, and collecting the garbage both leave. Worker threads
(GC helpers, wasm compilation) are in the CPU figures above but not here. The floor rows do the
same work for every client: where they differ between columns, this shared machine's speed
moved between the processes, which is why the CPU ratios above are paired by round. The rows
that are a client's own are the ones to compare.

| kind of work | ${PROFILED.map((client) => `\`${client}\``).join(" | ")} |
|---|${PROFILED.map(() => "---").join("|")}|
${rows.map(({ which, ms }) => `| ${which} | ${ms.map((value) => (value >= 0.5 ? `${value.toFixed(0)} ms` : "")).join(" | ")} |`).join("\n")}
| all but idle | ${PROFILED.map((client) => `${total(client).toFixed(0)} ms (${(total(client) / total("official-seek")).toFixed(2)}x)`).join(" | ")} |

Before issue 16, sequential seek against the official client, profiled the same way:

${BEFORE}

What changed: in Node, \`fetchTransport\` sends over node:http(s), the stack axios uses, instead of undici's
fetch (web streams and a TextDecoder per answer); a page's ids reach the wasm in one call
(\`recordIds\`, a Float64Array) instead of four crossings and a string copy per record; a read by
\`$id\` checks its order on numbers, without a key tuple per record; the progress object is built only
for a caller who listens; \`getAllRecords\` joins its pages once at the end.
`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const token = "bench-token";
  const records = Number(process.env.BENCH_RECORDS ?? 100_000);
  const fields = ["$id", "レコード番号", "件名", "顧客名", "金額", "数量", "受注日", "打合せ日時", "ステータス", "更新日時"];
  const sim = await startSim(["--records", String(records), "--api-token", token]);
  try {
    console.log(profileMarkdown(await runProfiles({ sim, token, fields, rounds: Number(process.env.BENCH_PROFILE_ROUNDS ?? 3) }), records));
  } finally {
    await sim.stop();
  }
}
