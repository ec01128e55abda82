// The "cursor economy" table of `npm run bench`: for list views of 300, 5,000 and 50,000
// records in each order type, the requests a read sends and the cursors it takes (of the
// domain's 10), kintone-seek beside the official client's `getAllRecords` and
// `getAllRecordsWithCursor` on the same views. Counted by the simulator. Run alone with
// `node bench/economy.mjs` (after `node scripts/build.mjs`) to print the table;
// ECONOMY_RECORDS=N for a quicker run.
import { KintoneRestAPIClient } from "@kintone/rest-api-client";
import { fetchTransport, getAllRecords } from "kintone-seek";
import { simControl, startSim } from "../sim/js/sim-process.mjs";

const TOKEN = "economy-token";
// ECONOMY_RECORDS makes a quicker run: the largest view is always every record.
export const ECONOMY_RECORDS = Number(process.env.ECONOMY_RECORDS ?? 50_000);
const VIEWS = [...new Set([300, 5_000, ECONOMY_RECORDS].filter((size) => size <= ECONOMY_RECORDS))];
const FIELDS = ["$id", "件名"];
// [label, orderBy]
const ORDERS = [
  ["record id", ""],
  ["required number", "金額 desc"],
  ["required date", "受注日 asc"],
  ["text", "件名 asc"],
  ["drop-down", "ステータス desc"],
  ["optional number", "数量 asc"],
  ["optional date", "納期 asc"],
];

const control = (url, path, method) => simControl(url, path, method);

/** Runs `read` and answers what the simulator counted: requests, cursors, records. */
async function counted(url, read) {
  await control(url, "stats", "DELETE");
  let records;
  try {
    records = await read();
  } catch (error) {
    return { error: error.code ?? error.message };
  }
  const stats = await control(url, "stats");
  if (stats.cursors.liveClient !== 0) throw new Error("a read left a cursor open");
  return { records, requests: stats.totalRequests, cursors: stats.cursors.created };
}

/** Every view in every order, each way. */
export async function measureEconomy(url) {
  const transport = fetchTransport({ baseUrl: url, apiToken: TOKEN });
  const official = new KintoneRestAPIClient({ baseUrl: url, auth: { apiToken: TOKEN } });
  const rows = [];
  for (const [label, orderBy] of ORDERS) {
    for (const size of VIEWS) {
      const condition = size < ECONOMY_RECORDS ? `$id <= ${size}` : "";
      const query = `${condition} ${orderBy ? `order by ${orderBy}` : ""}`.trim();
      const row = { label, orderBy, size };
      for (const [name, read] of [
        ["seek", () => getAllRecords({ app: 1, condition, orderBy, fields: FIELDS, transport }).then((r) => r.length)],
        ["seekInKintone", () => getAllRecords({ app: 1, condition, orderBy, fields: FIELDS, transport, concurrency: 1 }).then((r) => r.length)],
        ["official", () => official.record.getAllRecords({ app: 1, condition, orderBy: orderBy || undefined, fields: FIELDS }).then((r) => r.length)],
        ["officialCursor", () => official.record.getAllRecordsWithCursor({ app: 1, query, fields: FIELDS }).then((r) => r.length)],
      ]) {
        row[name] = await counted(url, read);
        if (row[name].records !== undefined && row[name].records !== size) throw new Error(`${name} read ${row[name].records} of ${size}`);
      }
      rows.push(row);
      console.error(`economy: ${label} ${size}: ${JSON.stringify(row)}`);
    }
  }
  return rows;
}

const cell = (m) => (m.error ? `fails (${m.error})` : `${m.requests} / ${m.cursors}`);

/** The section of BENCHMARKS.md. */
export function economyMarkdown(rows) {
  return `## Cursor economy

Requests sent / cursors taken for one read of a list view (\`$id <= N\` over ${ECONOMY_RECORDS.toLocaleString("en")} records,
or all of them), two fields, \`pageSize\` 500, counted by the simulator (form and probe requests
included). kintone-seek once with its default outside kintone (\`concurrency: 4\`) and once as
inside kintone (\`concurrency: 1\`); the official client's \`getAllRecords\` (seek on \`$id\`
without an order, the cursor with one) and \`getAllRecordsWithCursor\`.

| order | view | kintone-seek | kintone-seek, \`concurrency: 1\` | official \`getAllRecords\` | official \`getAllRecordsWithCursor\` |
|---|---|---|---|---|---|
${rows.map((r) => `| ${r.label}${r.orderBy ? ` (\`${r.orderBy}\`)` : ""} | ${r.size.toLocaleString("en")} | ${cell(r.seek)} | ${cell(r.seekInKintone)} | ${cell(r.official)} | ${cell(r.officialCursor)} |`).join("\n")}
`;
}

/** Starts a simulator of ECONOMY_RECORDS records, measures, stops it. */
export async function runEconomy() {
  const sim = await startSim(["--records", String(ECONOMY_RECORDS), "--api-token", TOKEN]);
  try {
    // The official client takes plain http only for `localhost`.
    return await measureEconomy(`http://localhost:${sim.port}`);
  } finally {
    await sim.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(economyMarkdown(await runEconomy()));
}
