// `npm run demo`: kintone-seek on a local kintone.
//
// Builds what is missing (the package's dist/ and the simulator), starts kintone-sim
// with a generated app of 100,000 records on a free loopback port, and serves its record
// list page with dist/kintone-seek.iife.js and demo/customize.js as customizations: the
// page reads every record of the view, with a progress bar, a summary and a CSV button
// (KintoneSeek.downloadCsv(), in the same single file).
// Prints the URLs of the list (PC, and mobile at /k/m/1/) and keeps serving until Ctrl-C.
//
//   npm run demo -- --headless      opens the page in headless Chromium, prints the
//                                   summary, exits 0 only if every record arrived and no
//                                   cursor is left open
//   --records N  (default 100000)   --seed S   --port P (default: any free port)
//   --condition "..." --order-by "..."   the view (default: all records, $id desc)
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildSim, root, startSim } from "../sim/js/sim-process.mjs";

const { values: args } = parseArgs({
  options: {
    headless: { type: "boolean", default: false },
    records: { type: "string", default: "100000" },
    seed: { type: "string", default: "1" },
    port: { type: "string", default: "0" },
    condition: { type: "string", default: "" },
    "order-by": { type: "string", default: "" },
    "timeout-s": { type: "string", default: "300" },
  },
});

const say = (message) => console.log(`demo: ${message}`);
const iife = join(root, "dist", "kintone-seek.iife.js");

if (!existsSync(iife)) {
  say("dist/kintone-seek.iife.js is missing: building the package (npm run build)");
  execFileSync("bash", ["scripts/setup.sh"], { cwd: root, stdio: "inherit" });
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
}
say("building the simulator (cargo build -p kintone-sim --profile sim)");
const bin = buildSim();

const simArgs = [
  "--records", args.records, "--seed", args.seed,
  "--customization", iife,
  "--customization", join(root, "demo", "customize.js"),
  "--customization", join(root, "demo", "customize.css"),
];
const sim = await startSim(simArgs, { bin, port: Number(args.port), stdio: "inherit" }).catch(
  (error) => {
    console.error(`demo: ${error.message}`);
    process.exit(1);
  },
);
const query = new URLSearchParams();
if (args.condition) query.set("condition", args.condition);
if (args["order-by"]) query.set("orderBy", args["order-by"]);
const view = query.size ? `?${query}` : "";
const pageUrl = `${sim.url}/k/1/${view}`;
const mobileUrl = `${sim.url}/k/m/1/${view}`;
say(`kintone-sim with ${Number(args.records).toLocaleString("en")} records at ${sim.url}`);
console.log(`\n  PC list      ${pageUrl}\n  mobile list  ${mobileUrl}\n`);

if (!args.headless) {
  say("serving; press Ctrl-C to stop");
  let stopping = false;
  const shutdown = async () => {
    stopping = true;
    await sim.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  sim.child.once("exit", (code, signal) => {
    if (stopping) return;
    // Ctrl-C in a terminal reaches the whole process group: the simulator stops too.
    if (signal === "SIGINT") process.exit(0);
    say(`the simulator exited (${code ?? signal})`);
    process.exit(1);
  });
} else {
  process.exitCode = await headless(pageUrl);
  await sim.stop();
}

async function headless(url) {
  const { launchChromium } = await import("../sim/js/chromium.mjs");
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    page.on("console", (m) => m.type() === "error" && problems.push(`console.error: ${m.text()}`));
    await page.goto(url, { waitUntil: "load", timeout: 60_000 });
    await page.waitForFunction(() => window.demoResult !== undefined, null, { timeout: Number(args["timeout-s"]) * 1000, polling: 250 });
    const result = await page.evaluate(() => window.demoResult);
    if (result.error) {
      say(`the read failed: ${result.error} (${result.code})`);
      return 1;
    }
    const ids = await page.evaluate(() => window.demoIds);
    // kintone-seek breaks ties by `$id desc` after the view's own keys, as kintone does,
    // and reads an empty order as `$id asc` (docs/API.md).
    const keys = result.view.orderBy.split(",").map((k) => k.trim()).filter(Boolean);
    if (!keys.some((k) => /^\$id\b/.test(k))) keys.push(keys.length ? "$id desc" : "$id asc");
    const view = [result.view.condition, `order by ${keys.join(", ")}`].filter(Boolean).join(" ");
    const expected = await fetch(`${sim.url}/_sim/evaluate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ app: result.view.app, query: view }),
    }).then((r) => r.json());
    if (!Array.isArray(expected.ids)) {
      say(`could not evaluate the view: ${JSON.stringify(expected)}`);
      return 1;
    }
    const stats = await fetch(`${sim.url}/_sim/stats`).then((r) => r.json());
    // Every record exactly once is the condition; the order is reported.
    const got = new Set(ids);
    const complete = got.size === ids.length && ids.length === expected.ids.length && expected.ids.every((id) => got.has(id));
    const inOrder = complete && ids.every((id, i) => id === expected.ids[i]);
    console.log(
      [
        "",
        `  records            ${result.records.toLocaleString("en")} of ${expected.ids.length.toLocaleString("en")}${complete ? " (every record, once)" : " (MISSING OR REPEATED RECORDS)"}`,
        `  order              ${inOrder ? `as the view (${keys.join(", ")})` : "differs from the view"}`,
        `  requests           ${result.requests}`,
        `  method             ${result.method}`,
        `  seconds            ${result.seconds.toFixed(2)}`,
        `  cursors left open  ${stats.cursors.liveClient}`,
        `  page errors        ${problems.length}`,
        "",
      ].join("\n"),
    );
    for (const p of problems) console.log(`  ${p}`);
    const ok = complete && stats.cursors.liveClient === 0 && problems.length === 0;
    say(ok ? "OK" : "FAILED");
    return ok ? 0 : 1;
  } finally {
    await browser.close();
  }
}
