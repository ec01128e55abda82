// kintone-seek/csv's writer against cli-kintone's own, in process: @kintone/cli 1.19.2
// (a devDependency, exact version) builds its schema from the same form and layout and
// stringifies the same records with its CsvStringifier; the two texts must be the same
// bytes. Here the records are made up, so they hold what the simulator cannot serve (file,
// organization and group fields, several tables, line terminators other than "\n", `*`,
// astral characters), and random values cover the quoting. The whole exports against the
// simulator, through both command lines, are tests/sim/export*.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import iconv from "iconv-lite";
import { CsvWriter, csvCell, csvSchema } from "kintone-seek/csv";
import { seededRandom } from "../support/seeded-random.mjs";

const require = createRequire(import.meta.url);
const cli = (path) => require(`@kintone/cli/lib/src/record/export/${path}`);
const { createSchema } = cli("schema/index.js");
const { formLayout } = cli("schema/transformers/formLayout.js");
const { userSelected } = cli("schema/transformers/userSelected.js");
const { CsvStringifier } = cli("repositories/stringifiers/csvStringifier/index.js");

/** cli-kintone's CSV of `records` (its own schema from the form; no attachments directory). */
async function theirs(form, layout, records, fields) {
  // Its transformers sort the form's objects in place: give it its own copy.
  const copy = structuredClone(form);
  const schema = createSchema(copy, fields ? userSelected(fields, copy, layout) : formLayout(layout));
  const stringifier = new CsvStringifier(schema, false);
  const chunks = [];
  const reading = (async () => {
    for await (const chunk of stringifier) chunks.push(chunk);
  })();
  for (let i = 0; i < records.length; i += 7) await stringifier.write(records.slice(i, i + 7));
  await stringifier.end();
  await reading;
  return chunks.join("");
}

/** Ours, fed in pages of another size than theirs (the text must not depend on the pages). */
function ours(form, layout, records, fields) {
  const writer = new CsvWriter(csvSchema(form, layout, fields));
  let text = writer.header();
  for (let i = 0; i < records.length; i += 5) text += writer.write(records.slice(i, i + 5));
  return text;
}

const f = (type, code, extra = {}) => ({ type, code, label: code, ...extra });
const FORM = {
  properties: {
    // Key order unlike the layout's, as kintone's (and the simulator's) answers are.
    "添付": f("FILE", "添付"),
    "レコード番号": f("RECORD_NUMBER", "レコード番号"),
    "更新日時": f("UPDATED_TIME", "更新日時"),
    "作成者": f("CREATOR", "作成者"),
    "件名": f("SINGLE_LINE_TEXT", "件名"),
    "本文": f("MULTI_LINE_TEXT", "本文"),
    "リッチ": f("RICH_TEXT", "リッチ"),
    "リンク": f("LINK", "リンク"),
    "数値": f("NUMBER", "数値"),
    "計算": f("CALC", "計算"),
    "日付": f("DATE", "日付"),
    "日時": f("DATETIME", "日時"),
    "時刻": f("TIME", "時刻"),
    "選択": f("DROP_DOWN", "選択"),
    "ラジオ": f("RADIO_BUTTON", "ラジオ"),
    "チェック": f("CHECK_BOX", "チェック"),
    "複数": f("MULTI_SELECT", "複数"),
    "担当": f("USER_SELECT", "担当"),
    "組織": f("ORGANIZATION_SELECT", "組織"),
    "グループ": f("GROUP_SELECT", "グループ"),
    "状態": f("STATUS", "状態"),
    "作業者": f("STATUS_ASSIGNEE", "作業者"),
    "カテゴリー": f("CATEGORY", "カテゴリー"),
    "関連": f("REFERENCE_TABLE", "関連"),
    "作成日時": f("CREATED_TIME", "作成日時"),
    "更新者": f("MODIFIER", "更新者"),
    "明細": f("SUBTABLE", "明細", {
      fields: { "単価": f("NUMBER", "単価"), "品名": f("SINGLE_LINE_TEXT", "品名"), "資料": f("FILE", "資料"), "係": f("USER_SELECT", "係") },
    }),
    "経費": f("SUBTABLE", "経費", { fields: { "金額": f("NUMBER", "金額"), "摘要": f("MULTI_LINE_TEXT", "摘要") } }),
  },
};
const el = (code) => ({ type: FORM.properties[code].type, code, size: {} });
const LAYOUT = {
  layout: [
    { type: "ROW", fields: [el("件名"), { type: "LABEL", label: "見出し" }, el("作成者")] },
    { type: "SUBTABLE", code: "経費", fields: [{ type: "MULTI_LINE_TEXT", code: "摘要" }, { type: "NUMBER", code: "金額" }] },
    { type: "GROUP", code: "グループ枠", layout: [{ type: "ROW", fields: [el("本文"), { type: "SPACER" }, el("リッチ"), el("リンク")] }] },
    { type: "ROW", fields: [el("数値"), el("計算"), el("日付"), el("日時"), el("時刻"), { type: "HR" }] },
    { type: "ROW", fields: [el("選択"), el("ラジオ"), el("チェック"), el("複数"), el("担当"), el("組織"), el("グループ"), el("添付")] },
    { type: "SUBTABLE", code: "明細", fields: [{ type: "SINGLE_LINE_TEXT", code: "品名" }, { type: "FILE", code: "資料" }, { type: "NUMBER", code: "単価" }, { type: "USER_SELECT", code: "係" }] },
  ],
};

// Pieces that the quoting rules turn on, and characters Shift_JIS lacks.
const PIECES = ["", "*", "a", "件名", '"', ",", "\n", "\r", "\r\n", "\u2028", "\u2029", " ", "\t", "=1+2", "😀", "髙", "～", "①", "**", "x*", "\u00e9", "\\"];

function value(random) {
  let out = "";
  const n = Math.floor(random() * 4);
  for (let i = 0; i < n; i++) out += PIECES[Math.floor(random() * PIECES.length)];
  return out;
}

function makeRecord(id, random) {
  const list = (make) => Array.from({ length: Math.floor(random() * 3) }, make);
  const entity = () => ({ code: value(random) || "u", name: "名前" });
  const file = () => ({ contentType: "text/plain", fileKey: "k", name: value(random) || "a.txt", size: "1" });
  const text = (type) => ({ type, value: value(random) });
  const record = {
    $id: { type: "__ID__", value: String(id) },
    $revision: { type: "__REVISION__", value: "1" },
    "レコード番号": { type: "RECORD_NUMBER", value: `APP-${id}` },
    "作成者": { type: "CREATOR", value: { code: value(random), name: "x" } },
    "更新者": { type: "MODIFIER", value: { code: "sato", name: "佐藤" } },
    "作成日時": { type: "CREATED_TIME", value: "2024-01-02T03:04:00Z" },
    "更新日時": { type: "UPDATED_TIME", value: "2024-01-02T03:05:00Z" },
    "件名": text("SINGLE_LINE_TEXT"),
    "本文": text("MULTI_LINE_TEXT"),
    "リッチ": text("RICH_TEXT"),
    "リンク": text("LINK"),
    "数値": { type: "NUMBER", value: random() < 0.3 ? "" : String(Math.floor(random() * 1000) - 500) },
    "計算": { type: "CALC", value: "1.5" },
    "日付": { type: "DATE", value: random() < 0.3 ? null : "2024-02-29" },
    "日時": { type: "DATETIME", value: random() < 0.3 ? null : "2024-02-29T10:00:00Z" },
    "時刻": { type: "TIME", value: random() < 0.3 ? null : "09:30" },
    "選択": { type: "DROP_DOWN", value: random() < 0.3 ? null : value(random) },
    "ラジオ": { type: "RADIO_BUTTON", value: value(random) },
    "チェック": { type: "CHECK_BOX", value: list(() => value(random)) },
    "複数": { type: "MULTI_SELECT", value: list(() => value(random)) },
    "担当": { type: "USER_SELECT", value: list(entity) },
    "組織": { type: "ORGANIZATION_SELECT", value: list(entity) },
    "グループ": { type: "GROUP_SELECT", value: list(entity) },
    "添付": { type: "FILE", value: list(file) },
    "状態": { type: "STATUS", value: "未処理" },
    "作業者": { type: "STATUS_ASSIGNEE", value: [] },
    "カテゴリー": { type: "CATEGORY", value: [] },
    "明細": {
      type: "SUBTABLE",
      value: Array.from({ length: Math.floor(random() * 4) }, (_, i) => ({
        id: String(id * 10 + i),
        value: {
          "品名": text("SINGLE_LINE_TEXT"),
          "単価": { type: "NUMBER", value: String(i) },
          "資料": { type: "FILE", value: list(file) },
          "係": { type: "USER_SELECT", value: list(entity) },
        },
      })),
    },
    "経費": {
      type: "SUBTABLE",
      value: Array.from({ length: Math.floor(random() * 3) }, (_, i) => ({
        id: String(id * 100 + i),
        value: { "金額": { type: "NUMBER", value: "" }, "摘要": text("MULTI_LINE_TEXT") },
      })),
    },
  };
  return record;
}

const random = seededRandom(17);
const RECORDS = Array.from({ length: 400 }, (_, i) => makeRecord(i + 1, random));

test("the same bytes as cli-kintone's writer: every field type, two tables (also empty), layout order with groups and unplaced system fields", async () => {
  const expected = await theirs(FORM, LAYOUT, RECORDS);
  const actual = ours(FORM, LAYOUT, RECORDS);
  assert.equal(actual.split("\n")[0], expected.split("\n")[0], "header");
  assert.equal(actual, expected);
  // The format's landmarks, so that the oracle cannot agree with us on something else.
  assert.match(actual, /^\*,"レコード番号","件名","作成者","経費","摘要","金額","本文",/);
  assert.ok(!actual.includes("状態") && !actual.includes("カテゴリー"), "STATUS and CATEGORY are not exported");
});

test("the same bytes with fields chosen (their order, a table with all its fields), and without a table (no * column)", async () => {
  for (const fields of [["数値", "明細", "件名"], ["担当", "添付", "本文"], ["経費"], ["レコード番号"]]) {
    assert.equal(ours(FORM, LAYOUT, RECORDS, fields), await theirs(FORM, LAYOUT, RECORDS, fields), fields.join(","));
  }
  assert.equal(ours(FORM, LAYOUT, RECORDS, ["件名"]).split("\n")[0], '"件名"');
});

test("no records: the header alone; and the same Shift_JIS bytes (unmappable characters as iconv-lite writes them)", async () => {
  assert.equal(ours(FORM, LAYOUT, []), await theirs(FORM, LAYOUT, []));
  const text = ours(FORM, LAYOUT, RECORDS.slice(0, 50));
  assert.ok(/[😀髙①]/u.test(text));
  assert.deepEqual(iconv.encode(text, "sjis"), iconv.encode(await theirs(FORM, LAYOUT, RECORDS.slice(0, 50)), "sjis"));
});

test("quoting: every non-empty value, but `*` and a value with a lone \\r, U+2028 or U+2029", () => {
  assert.equal(csvCell(""), "");
  assert.equal(csvCell("*"), "*");
  assert.equal(csvCell("**"), '"**"');
  assert.equal(csvCell("a"), '"a"');
  assert.equal(csvCell('a"b'), '"a""b"');
  assert.equal(csvCell("a\nb"), '"a\nb"');
  assert.equal(csvCell("a\rb"), "a\rb");
  assert.equal(csvCell("a\r\nb"), '"a\r\nb"');
  assert.equal(csvCell("a\u2028b"), "a\u2028b");
  assert.equal(csvCell("a\rb,c"), '"a\rb,c"');
});

test("fields are checked against the form: a table's field, an unknown code, a type the CSV does not hold", () => {
  assert.throws(() => csvSchema(FORM, LAYOUT, ["品名"]), { code: "INVALID_OPTION", message: /table "明細"/ });
  assert.throws(() => csvSchema(FORM, LAYOUT, ["無い"]), { code: "INVALID_OPTION", message: /no field "無い"/ });
  assert.throws(() => csvSchema(FORM, LAYOUT, ["状態"]), { code: "INVALID_OPTION", message: /STATUS/ });
  assert.throws(() => csvSchema(FORM, LAYOUT, []), { code: "INVALID_OPTION" });
});

test("a record without a field that was asked for is refused, not written with a hole", () => {
  const writer = new CsvWriter(csvSchema(FORM, LAYOUT, ["件名", "数値"]));
  assert.throws(() => writer.write([{ $id: { type: "__ID__", value: "9" }, "件名": { type: "SINGLE_LINE_TEXT", value: "x" } }]), {
    code: "PROTOCOL",
    message: /"数値"/,
  });
});
