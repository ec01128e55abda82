// Simulator switches: keyword-case (scripts/test.sh reruns this file under each).
// A SINGLE_LINE_TEXT order at 10,000 matches or fewer is read with offset (no cursor),
// and kintone sorts text by Unicode code point. The values here are the ones where
// other orders disagree with code points: astral characters (UTF-16 puts them, as
// surrogates, below U+E000..U+FFFF such as full-width forms), case (`A` < `a`), digits as
// text (`10` < `2`), full-width letters and digits, and many ties (`$id desc`). The read
// must equal the simulator's order, and the values must be in code point order on their
// own, so that neither side's sort is taken on trust.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fetchTransport, getAllRecords } from "kintone-seek";
import { simControl, startSimWithData } from "../../sim/js/sim-process.mjs";

const TOKEN = "text-order-token";
const RECORDS = 2400;
const VALUES = [
  "a", "A", "b", "B", "ab", "aB", "Ab", "AB",
  "1", "10", "2", "01", "100", "9", "１", "１０", "２",
  "Ａ", "ａ", "ＡＢＣ", "ａｂｃ", "ｱ", "～",
  "𠮷野家", "吉野家", "😀", "𝐀", "🍣寿司", "a𠮷", "aｱ", "a～", "a\u{1F600}b",
  "", "",
];
let sim;
let transport;

const control = (path, method, body) => simControl(sim.url, path, method, body);

function dataFile() {
  const records = [];
  for (let id = 1; id <= RECORDS; id++) records.push({ $id: String(id), 名前: VALUES[(id * 7919) % VALUES.length] });
  return { apps: [{ id: 4, name: "text", fields: [{ code: "名前", type: "SINGLE_LINE_TEXT" }], records }] };
}

before(async () => {
  sim = await startSimWithData(dataFile(), ["--api-token", TOKEN]);
  transport = fetchTransport({ baseUrl: sim.url, apiToken: TOKEN });
});

after(() => sim?.stop());

/** Code point order: UTF-8 bytes compare as code points do (JS `<` compares UTF-16 units). */
const byCodePoint = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));

for (const direction of ["asc", "desc"]) {
  for (const pageSize of [100, 500]) {
    test(`名前 ${direction}, pages of ${pageSize}: offset, code point order, ties $id desc, no cursor`, async () => {
      await control("stats", "DELETE");
      const seen = [];
      const records = await getAllRecords({ app: 4, orderBy: `名前 ${direction}`, fields: ["$id", "名前"], pageSize, transport, onProgress: (p) => seen.push(p) });
      const got = records.map((r) => [Number(r.$id.value), r.名前.value]);
      const expected = await control(`evaluate?app=4&query=${encodeURIComponent(`order by 名前 ${direction}, $id desc`)}`);
      assert.deepEqual(got.map(([id]) => id), expected.ids.map(Number), "the simulator's order");
      // The order on its own: values by code point in the direction, ties `$id desc`.
      const sign = direction === "asc" ? 1 : -1;
      const sorted = [...got].sort(([x, a], [y, b]) => sign * byCodePoint(a, b) || y - x);
      assert.deepEqual(got, sorted, "not in code point order");
      assert.equal(seen.at(-1).method, "offset");
      const { cursors } = await control("stats");
      assert.equal(cursors.created, 0, "a cursor was created");
      assert.equal(cursors.liveClient, 0);
    });
  }
}
