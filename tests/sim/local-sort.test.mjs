// Simulator switches: keyword-case (scripts/test.sh reruns this file under each).
// getAllRecords of a text order with more than 10,000 matches (past offset's reach)
// reads by `$id` and sorts the records itself, without a cursor; when kintone's own
// first page or last records of the order disagree with that sort, it reads the order
// again through the cursor. iteratePages and iterateRecords never sort locally.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { fetchTransport, getAllRecords, iterateRecords } from "kintone-seek";
import { simControl, startSimWithData } from "../../sim/js/sim-process.mjs";

const TOKEN = "local-sort-token";
const APP = 4;
const RECORDS = 10_600;
let sim;
let transport;

const control = (path, method, body) => simControl(sim.url, path, method, body);

/**
 * Values whose code-point order differs from a naive one: astral characters (after
 * U+E000..U+FFFF, which UTF-16's `<` gets wrong), case, digits as text, full-width
 * forms; few enough that most values are shared by many records.
 */
const PARTS = ["a", "A", "b", "B", "1", "10", "2", "\uFF11", "\uFF21", "\uFF41", "\u{1F600}", "\u{2000B}", "\uFF5E", "\uFFFD", "\uE000", "あ", "漢"];

function key(id) {
  if (id % 19 === 0) return "";
  const first = PARTS[(id * 7) % PARTS.length];
  return id % 3 === 0 ? first : first + PARTS[(id * 13) % PARTS.length];
}

function dataFile() {
  const records = [];
  for (let id = 1; id <= RECORDS; id += 1) {
    const num = id % 23 === 0 ? "" : id % 5 === 0 ? `-${id % 4}.5` : String((id * 7919) % 40);
    records.push({ $id: String(id), key: key(id), num, label: `r${id}` });
  }
  const fields = [
    { code: "key", type: "SINGLE_LINE_TEXT" },
    { code: "num", type: "NUMBER" },
    { code: "label", type: "SINGLE_LINE_TEXT" },
  ];
  return { apps: [{ id: APP, name: "local sort", fields, records }] };
}

before(async () => {
  sim = await startSimWithData(dataFile(), ["--api-token", TOKEN]);
  transport = fetchTransport({ baseUrl: sim.url, apiToken: TOKEN });
});

after(() => sim?.stop());

afterEach(async () => {
  const { cursors } = await control("stats");
  assert.equal(cursors.liveClient, 0, "a cursor was left open");
});

/** kintone's order of the matching records (the simulator sorts ties `$id desc`). */
async function expectedIds(orderBy) {
  return (await control(`evaluate?app=${APP}&query=${encodeURIComponent(`order by ${orderBy}`)}`)).ids.map(Number);
}

const idOfLabel = (record) => Number(record.label.value.slice(1));

/** Reads with `getAllRecords`, answering the records, the last progress and the simulator's counts. */
async function read(options) {
  await control("stats", "DELETE");
  let progress;
  const records = await getAllRecords({ app: APP, transport, concurrency: 1, onProgress: (p) => (progress = p), ...options });
  return { records, progress, stats: await control("stats") };
}

for (const orderBy of ["key asc", "key desc", "key asc, num desc"]) {
  test(`getAllRecords, ${orderBy}: sorted locally into kintone's order, no cursor`, async () => {
    const { records, progress, stats } = await read({ orderBy, fields: ["label"] });
    assert.deepEqual(records.map(idOfLabel), await expectedIds(orderBy));
    // The keys and `$id` were added to sort on, and removed again.
    assert.ok(records.every((record) => Object.keys(record).join() === "label"), "a field the library added was left in");
    assert.equal(progress.method, "sort");
    assert.equal(progress.fetched, RECORDS);
    assert.equal(stats.cursors.created, 0, "a cursor was created");
    // The first page, the form, kintone's last records, then every record by `$id`.
    assert.ok(stats.totalRequests <= Math.ceil(RECORDS / 500) + 4, `${stats.totalRequests} requests: ${JSON.stringify(stats.requests)}`);
    assert.equal(progress.requests, stats.totalRequests);
  });
}

test("getAllRecords with every field keeps every field", async () => {
  const { records, progress } = await read({ orderBy: "key desc" });
  assert.deepEqual(records.map((record) => Number(record.$id.value)), await expectedIds("key desc"));
  assert.deepEqual(Object.keys(records[0]).filter((code) => !code.startsWith("$") && !/^[A-Z_]+$/.test(code)).sort(), ["key", "label", "num"]);
  assert.equal(progress.method, "sort");
});

test("iterateRecords of the same order does not sort locally: kintone's order through the cursor", async () => {
  await control("stats", "DELETE");
  const got = [];
  for await (const record of iterateRecords({ app: APP, orderBy: "key asc", fields: ["$id"], transport, concurrency: 1 })) {
    got.push(Number(record.$id.value));
  }
  assert.deepEqual(got, await expectedIds("key asc"));
  assert.equal((await control("stats")).cursors.created, 1);
});

/** The transport, with the first answer whose query `matches` changed by `change`. */
function tamperingOnce(matches, change) {
  let done = false;
  return async (path, method, params, context) => {
    const answer = await transport(path, method, params, context);
    if (!done && path.endsWith("/records.json") && method === "GET" && matches(params.query ?? "")) {
      done = true;
      change(answer.records);
    }
    return answer;
  };
}

const swapFirstTwo = (records) => records.splice(0, 2, records[1], records[0]);

for (const [end, matches] of [
  ["first page", (query) => query === "order by key asc, $id desc limit 500"],
  ["last records", (query) => query === "order by key desc, $id asc limit 100"],
]) {
  test(`when kintone's ${end} of the order disagrees with the local sort, getAllRecords reads through the cursor`, async () => {
    const seen = [];
    const { records, stats } = await read({
      orderBy: "key asc",
      fields: ["label"],
      transport: tamperingOnce(matches, swapFirstTwo),
      onProgress: (p) => seen.push(p.method),
    });
    assert.ok(seen.includes("sort"), "the local sort was not tried");
    assert.equal(seen.at(-1), "cursor");
    assert.deepEqual(records.map(idOfLabel), await expectedIds("key asc"));
    assert.ok(records.every((record) => Object.keys(record).join() === "label"));
    assert.equal(stats.cursors.created, 1);
  });
}
