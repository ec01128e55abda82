// Turns the benchmark's runs into BENCHMARKS.md: medians, ratios to the official
// client measured in the same run, and each target with its verdict.
import { economyMarkdown } from "./economy.mjs";
import { busyDomainMarkdown } from "./busy-domain.mjs";
import { browserMarkdown, browserTargets, firstUseMarkdown, firstUseTargets } from "./browser.mjs";
import { exportMarkdown } from "./export.mjs";
import { profileMarkdown } from "./profile.mjs";

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const LABELS = {
  "seek": "kintone-seek, seek, sequential (`concurrency: 1`)",
  "seek-c4": "kintone-seek, seek, default (`concurrency: 4`)",
  "iterate": "kintone-seek, `iterateRecords`, default (records counted, not kept)",
  "cursor": "kintone-seek, `method: \"cursor\"`",
  "official-seek": "official `getAllRecords` (seek)",
  "official-cursor": "official `getAllRecordsWithCursor`",
  "bare-fetch": "no library: a seek loop on Node's `fetch` (floor of fetch's own cost)",
};
// Each row is compared with the official client's read of the same kind.
const BASELINE = { "seek": "official-seek", "seek-c4": "official-seek", "iterate": "official-seek", "cursor": "official-cursor", "official-seek": "official-seek", "official-cursor": "official-cursor", "bare-fetch": "official-seek" };

function summary(runs) {
  const of = (key) => median(runs.map((run) => run[key]));
  return { wallMs: of("wallMs"), requests: of("requests"), cpuMs: of("cpuMs"), maxRssMb: of("maxRssMb"), peakHeapMb: of("peakHeapMb"), n: runs.length };
}

/**
 * The median over rounds of `mine[i][key] / base[i][key]`: each ratio compares two reads
 * of the same round, run one after the other. CPU time on this shared machine drifts by
 * a third between rounds, and a ratio of two medians taken from different rounds carries
 * that drift; a ratio within a round mostly does not.
 */
function pairedRatio(mine, base, key) {
  return median(mine.map((run, i) => run[key] / base[i][key]));
}

function table(results, latency) {
  const rows = ["| read | median wall | ratio | requests | client CPU | CPU ratio | peak RSS | peak heap |", "|---|---|---|---|---|---|---|---|"];
  for (const client of Object.keys(LABELS)) {
    const mine = summary(results[`${latency}:${client}`]);
    const base = summary(results[`${latency}:${BASELINE[client]}`]);
    rows.push(`| ${LABELS[client]} | ${mine.wallMs.toFixed(0)} ms | ${(mine.wallMs / base.wallMs).toFixed(2)}x | ${mine.requests} | ${mine.cpuMs.toFixed(0)} ms | ${pairedRatio(results[`${latency}:${client}`], results[`${latency}:${BASELINE[client]}`], "cpuMs").toFixed(2)}x | ${mine.maxRssMb.toFixed(0)} MB | ${mine.peakHeapMb.toFixed(0)} MB |`);
  }
  return rows.join("\n");
}

function verdict(label, value, limit, unit, better = "below") {
  const met = better === "below" ? value <= limit : value >= limit;
  const by = better === "below" ? value / limit : limit / value;
  return `| ${label} | ${limit}${unit} | ${value.toFixed(unit ? 2 : 0)}${unit} | ${met ? "met" : `missed (${by.toFixed(2)}x the target)`} |`;
}

export function benchmarksMarkdown({ results, sizes, machine, gitRev, records, big, rounds, fields, economy, busy, browser, firstUse, exported, profiles }) {
  const at = (latency, client) => summary(results[`${latency}:${client}`]);
  const cpuRatio = (client, base) => pairedRatio(results[`0:${client}`], results[`0:${base}`], "cpuMs");
  const iterate = summary(results["0:iterate-c4"]);
  const iife = sizes["dist/kintone-seek.iife.js"];
  const targets = [
    verdict("50 ms latency: `concurrency: 4` wall time / official", at(50, "seek-c4").wallMs / at(50, "official-seek").wallMs, 0.35, "x"),
    verdict("50 ms latency: sequential seek wall time / official", at(50, "seek").wallMs / at(50, "official-seek").wallMs, 1.0, "x"),
    verdict("0 ms latency: sequential seek client CPU / official (paired by round)", cpuRatio("seek", "official-seek"), 0.95, "x"),
    verdict("0 ms latency: default `getAllRecords` client CPU / official (paired by round)", cpuRatio("seek-c4", "official-seek"), 0.95, "x"),
    verdict("0 ms latency: `iterateRecords` client CPU / our `getAllRecords`, both default (paired by round)", cpuRatio("iterate", "seek-c4"), 1.15, "x"),
    verdict(`\`iterateRecords\` over ${big.toLocaleString("en")} records: peak heap`, iterate.peakHeapMb, 100, " MB"),
    verdict("single file, gzip (bytes)", iife.gzip, 76000, ""),
    ...(browser ? browserTargets(browser.results, verdict) : []),
    ...(firstUse ? firstUseTargets(firstUse.results, verdict) : []),
    ...(exported ? [verdict(`\`kintone-seek export\` of ${exported.big.toLocaleString("en")} records: peak RSS`, exported.results.big.peakRssMb, 150, " MB")] : []),
  ];
  return `# Benchmarks

Written by \`npm run bench\` (do not edit by hand). Machine: ${machine}; commit ${gitRev}.

The local kintone simulator (\`sim/\`) serves an app of ${records.toLocaleString("en")} generated records;
every read asks for the same ${fields.length} fields (${fields.map((f) => `\`${f}\``).join(", ")}) and reads them all.
Each read runs in a fresh Node process (its own CPU time, peak RSS and peak heap), the
clients alternate, and each figure is the median of ${rounds[0]} rounds at 0 ms and ${rounds[50]} rounds
at 50 ms of latency added to every request by the simulator. Requests are counted by the
simulator. Ratios compare with the official \`@kintone/rest-api-client\` read of the same
kind (seek rows with its \`getAllRecords\`, cursor rows with \`getAllRecordsWithCursor\`),
measured in the same run. The CPU ratio is the median of per-round ratios (each read against
the official read of the same round): this machine's CPU time drifts by up to a third from
round to round. Every read ended with no cursor left open.

## 0 ms latency (CPU-bound)

${table(results, 0)}

## 50 ms latency (latency-bound)

${table(results, 50)}

## Streaming

\`iterateRecords\` (\`concurrency: 4\`) over ${big.toLocaleString("en")} records, counting them and keeping
none: ${iterate.wallMs.toFixed(0)} ms, peak heap ${iterate.peakHeapMb.toFixed(0)} MB, peak RSS ${iterate.maxRssMb.toFixed(0)} MB.

${profiles ? `${profileMarkdown(profiles, records)}\n` : ""}${economy ? economyMarkdown(economy) : ""}
${busy ? `${busyDomainMarkdown(busy)}\n` : ""}${browser ? `${browserMarkdown(browser.results, { records, rounds: browser.rounds })}\n` : ""}${firstUse ? `${firstUseMarkdown(firstUse.results, { rounds: firstUse.rounds })}\n` : ""}${exported ? `${exportMarkdown(exported)}\n` : ""}## Size

| file | raw | gzip |
|---|---|---|
${Object.entries(sizes).map(([file, size]) => `| \`${file}\` | ${(size.raw / 1024).toFixed(1)} KB | ${(size.gzip / 1024).toFixed(1)} KB |`).join("\n")}

## Targets

| target | limit | measured | verdict |
|---|---|---|---|
${targets.join("\n")}
`;
}
