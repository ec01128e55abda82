// The local sort of getAllRecords (js/local-sort.ts) orders records as kintone does
// (docs/KINTONE.md, "Sorting and comparing"). The module is internal, so it is bundled
// here from its source rather than imported from the package.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
let sortRecords;
let sortLocally;

before(async () => {
  const result = await esbuild.build({
    entryPoints: [join(root, "js/local-sort.ts")],
    bundle: true,
    format: "esm",
    write: false,
    logLevel: "silent",
  });
  const code = Buffer.from(result.outputFiles[0].text).toString("base64");
  ({ sortRecords, sortLocally } = await import(`data:text/javascript;base64,${code}`));
});

/** A record of `$id` `id` with `values` as its fields. */
function record(id, values = {}) {
  const out = { $id: { type: "__ID__", value: String(id) } };
  for (const [field, value] of Object.entries(values)) out[field] = { type: "X", value };
  return out;
}

const text = (field, descending = false) => ({ field, descending, kind: "text" });
const decimal = (field, descending = false) => ({ field, descending, kind: "decimal" });
const ID_DESC = { field: "$id", descending: true, kind: "id" };
const ids = (records) => records.map((r) => Number(r.$id.value));

/** The values of `field` sorted by `keys` (the records numbered in the given order). */
function sortedValues(values, keys, field = "k") {
  const records = values.map((value, index) => record(index + 1, { [field]: value }));
  return sortRecords(records, keys).map((r) => r[field].value);
}

test("text sorts by code point: astral characters after U+E000..U+FFFF", () => {
  const values = ["\u{2000B}", "\uFFFD", "\u{1F600}", "\uFF5E", "\uE000", "a\u{10000}", "a\uFFFF", "a"];
  assert.deepEqual(sortedValues(values, [text("k"), ID_DESC]), [
    "a", "a\uFFFF", "a\u{10000}", "\uE000", "\uFF5E", "\uFFFD", "\u{1F600}", "\u{2000B}",
  ]);
});

test("text is case-sensitive, digits sort as text, full-width forms by their code points", () => {
  const values = ["a", "B", "b", "A", "10", "2", "1", "\uFF11", "\uFF21", "\uFF41", "\u3042", "\u6F22", "ab"];
  assert.deepEqual(sortedValues(values, [text("k"), ID_DESC]), [
    "1", "10", "2", "A", "B", "a", "ab", "b", "\u3042", "\u6F22", "\uFF11", "\uFF21", "\uFF41",
  ]);
});

test("text agrees with a code-point comparison on random strings", () => {
  const alphabet = ["", "a", "B", "1", "\uFF5E", "\uFFFD", "\uE000", "\u{1F600}", "\u{2000B}", "\u{10000}", "\u3042", "\uD7FF"];
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const values = Array.from({ length: 2000 }, () =>
    Array.from({ length: Math.floor(random() * 4) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(""),
  );
  const byCodePoint = (x, y) => {
    const [a, b] = [Array.from(x, (c) => c.codePointAt(0)), Array.from(y, (c) => c.codePointAt(0))];
    for (let i = 0; i < Math.min(a.length, b.length); i += 1) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  };
  const records = values.map((value, index) => record(index + 1, { k: value }));
  const expected = [...records].sort((x, y) => byCodePoint(x.k.value, y.k.value) || Number(y.$id.value) - Number(x.$id.value));
  assert.deepEqual(ids(sortRecords(records, [text("k"), ID_DESC])), ids(expected));
  const expectedDesc = [...records].sort((x, y) => byCodePoint(y.k.value, x.k.value) || Number(y.$id.value) - Number(x.$id.value));
  assert.deepEqual(ids(sortRecords(records, [text("k", true), ID_DESC])), ids(expectedDesc));
});

test("empty values sort first ascending and last descending, in every kind", () => {
  const values = ["b", "", "a", null];
  assert.deepEqual(sortedValues(values, [text("k"), ID_DESC]), [null, "", "a", "b"]);
  assert.deepEqual(sortedValues(values, [text("k", true), ID_DESC]), ["b", "a", null, ""]);
  assert.deepEqual(sortedValues(["5", "", "-5"], [decimal("k"), ID_DESC]), ["", "-5", "5"]);
  assert.deepEqual(sortedValues(["5", "", "-5"], [decimal("k", true), ID_DESC]), ["5", "-5", ""]);
});

test("decimals compare by value, exactly, negatives and long numbers included", () => {
  const values = [
    "300", "-12.5", "1.50", "", "-0", "0.5", "2", "10", "-100", "-12", "-1.5", "-12.45", "0",
    "123456789012345678901234567891", "123456789012345678901234567890", "-123456789012345678901234567890",
    "-123456789012345678901234567891", "0.000000000000000000001", "-1.55", "007",
  ];
  assert.deepEqual(sortedValues(values, [decimal("k"), { field: "$id", descending: false, kind: "id" }]), [
    "", "-123456789012345678901234567891", "-123456789012345678901234567890", "-100", "-12.5", "-12.45", "-12",
    "-1.55", "-1.5", "-0", "0", "0.000000000000000000001", "0.5", "1.50", "2", "007", "10", "300",
    "123456789012345678901234567890", "123456789012345678901234567891",
  ]);
  // Equal values (1.5 = 1.50, 0 = -0) tie, and ties go to the next key.
  const records = [record(1, { k: "1.5" }), record(2, { k: "1.50" }), record(3, { k: "-0" }), record(4, { k: "0" })];
  assert.deepEqual(ids(sortRecords(records, [decimal("k"), ID_DESC])), [4, 3, 2, 1]);
  assert.equal(sortRecords([record(1, { k: "1e5" }), record(2, { k: "1" })], [decimal("k"), ID_DESC]), undefined, "not a decimal");
});

test("drop-downs sort by the rank of their option, unselected and unknown values first", () => {
  const key = { field: "k", descending: false, kind: "rank", options: ["高", "中", "低"] };
  assert.deepEqual(sortedValues(["低", "高", "", "中", "消えた"], [key, ID_DESC]), ["消えた", "", "高", "中", "低"]);
  assert.deepEqual(sortedValues(["低", "高", "", "中"], [{ ...key, descending: true }, ID_DESC]), ["低", "中", "高", ""]);
});

test("ties go to the next key, each with its own direction, then $id", () => {
  const records = [
    record(1, { k: "a", n: "1" }), record(2, { k: "b", n: "1" }), record(3, { k: "a", n: "2" }),
    record(4, { k: "a", n: "1" }), record(5, { k: "b", n: "1" }), record(10, { k: "a", n: "1" }),
  ];
  assert.deepEqual(ids(sortRecords(records, [text("k"), decimal("n", true), ID_DESC])), [3, 10, 4, 1, 5, 2]);
  assert.deepEqual(ids(sortRecords(records, [text("k", true), { field: "$id", descending: false, kind: "id" }])), [2, 5, 1, 3, 4, 10]);
});

test("sortLocally checks kintone's first and last records and strips the added fields", () => {
  const make = () => [3, 1, 4, 2, 5].map((id) => record(id, { k: String.fromCharCode(96 + id), extra: "x" }));
  const order = (first, last) => ({ keys: [text("k"), ID_DESC], added: ["k", "$id"], first, last });
  const sorted = sortLocally(make(), order([1, 2], [4, 5]));
  assert.deepEqual(sorted, [1, 2, 3, 4, 5].map(() => ({ extra: { type: "X", value: "x" } })));
  assert.equal(sortLocally(make(), order([2, 1], [4, 5])), undefined, "first page differs");
  assert.equal(sortLocally(make(), order([1, 2], [5, 4])), undefined, "last records differ");
  assert.equal(sortLocally(make(), order([1, 2, 3, 4, 5, 6], [])), undefined, "fewer records than kintone's first page");
  assert.ok(sortLocally(make(), order([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])));
});
