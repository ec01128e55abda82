// `npx kintone-seek export` against cli-kintone 1.19.2 on the simulator: the same app,
// condition, order and fields give the same bytes, in UTF-8 and in Shift_JIS, on the
// generated app (tables with and without rows, users, check boxes, multi-line text,
// empty values) and on an app of every field type the simulator knows with values made
// to trip the quoting (quotes, commas, "\n", "\r", `*`, characters Shift_JIS lacks), in a
// guest space. Orders on optional keys, whose reads depend on unknown kintone behaviours,
// are in export-order.test.mjs. Also: exit codes and messages on kintone's errors, no
// credential in any output, bad options refused before any request, no cursor taken or
// left open, the environment's credentials, --output.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { simControl, startSimWithData } from "../../sim/js/sim-process.mjs";
import { cleanEnv, ours, OUR_CLI, runNode, theirs } from "../support/cli-export.mjs";
import { seededRandom } from "../support/seeded-random.mjs";

const TOKEN = "export-secret-token-7f3a";
const GUEST = 3;
let sim;
let work;

const PIECES = ["*", "a", "見積", '"', ",", "\n", "\r", "\r\n", " ", "=1", "😀", "髙", "～", "①", "ｱ", "\\", "x,y", '""'];

/** An app of every field type the simulator knows, two tables, 700 records (two pages). */
function everyTypeApp() {
  const random = seededRandom(42);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const text = () => Array.from({ length: Math.floor(random() * 4) }, () => pick(PIECES)).join("");
  const some = (list) => list.filter(() => random() < 0.4);
  const OPTIONS = ["A", "B,C", '"D"', "E\n2", "*"];
  const USERS = ["sato", "suzuki", "user,1", "ｔａｋａ"];
  const records = Array.from({ length: 700 }, (_, i) => ({
    "文字列": text(),
    "文章": text(),
    "リッチ": random() < 0.5 ? "<b>太字</b>" : text(),
    "リンク": random() < 0.5 ? "https://example.com/?a=1,b=2" : "",
    "数値": random() < 0.3 ? "" : String(Math.floor(random() * 2000) - 1000),
    "計算": String(i % 7),
    "日付": random() < 0.3 ? null : `2024-0${1 + (i % 9)}-1${i % 10}`,
    "日時": random() < 0.3 ? null : `2024-03-0${1 + (i % 9)}T1${i % 10}:30:00Z`,
    "時刻": random() < 0.3 ? null : `0${i % 10}:1${i % 6}`,
    "ドロップ": random() < 0.3 ? null : pick(OPTIONS),
    "ラジオ": pick(OPTIONS),
    "チェック": some(OPTIONS),
    "複数選択": some(OPTIONS),
    "担当者": some(USERS).map((code) => ({ code })),
    "作成者": { code: pick(USERS) },
    "更新者": { code: pick(USERS) },
    "作成日時": "2023-12-31T23:59:00Z",
    "更新日時": `2024-01-0${1 + (i % 9)}T00:00:00Z`,
    "明細": Array.from({ length: Math.floor(random() * 3) }, () => ({
      value: { "品名": text(), "単価": String(Math.floor(random() * 100)), "納期": null, "区分": pick(OPTIONS), "印": some(OPTIONS), "係": some(USERS).map((code) => ({ code })), "メモ": text() },
    })),
    "経費": Array.from({ length: Math.floor(random() * 2) }, () => ({ value: { "摘要": text(), "額": "" } })),
  }));
  const sub = (code, type, extra = {}) => ({ code, type, ...extra });
  return {
    id: 7,
    name: "全部入り",
    guestSpaceId: GUEST,
    fields: [
      sub("文字列", "SINGLE_LINE_TEXT"),
      sub("レコード番号", "RECORD_NUMBER"),
      sub("文章", "MULTI_LINE_TEXT"),
      sub("リッチ", "RICH_TEXT"),
      sub("リンク", "LINK"),
      sub("数値", "NUMBER"),
      sub("計算", "CALC"),
      sub("日付", "DATE"),
      sub("日時", "DATETIME"),
      sub("時刻", "TIME"),
      sub("ドロップ", "DROP_DOWN", { options: OPTIONS }),
      sub("ラジオ", "RADIO_BUTTON", { options: OPTIONS }),
      sub("チェック", "CHECK_BOX", { options: OPTIONS }),
      sub("複数選択", "MULTI_SELECT", { options: OPTIONS }),
      sub("担当者", "USER_SELECT"),
      sub("明細", "SUBTABLE", {
        fields: [
          sub("品名", "SINGLE_LINE_TEXT"), sub("単価", "NUMBER"), sub("納期", "DATE"), sub("区分", "DROP_DOWN", { options: OPTIONS }),
          sub("印", "CHECK_BOX", { options: OPTIONS }), sub("係", "USER_SELECT"), sub("メモ", "MULTI_LINE_TEXT"),
        ],
      }),
      sub("作成者", "CREATOR"),
      sub("作成日時", "CREATED_TIME"),
      sub("更新者", "MODIFIER"),
      sub("更新日時", "UPDATED_TIME"),
      sub("経費", "SUBTABLE", { fields: [sub("摘要", "MULTI_LINE_TEXT"), sub("額", "NUMBER")] }),
    ],
    records,
  };
}

const stats = () => simControl(sim.url, "stats");

before(async () => {
  work = mkdtempSync(join(tmpdir(), "kintone-seek-export-"));
  sim = await startSimWithData(
    { users: [{ code: "sato", name: "佐藤" }, { code: "user,1", name: "カンマ" }], apps: [everyTypeApp()] },
    ["--records", "1200", "--api-token", TOKEN, "--user", "佐藤:パスワード"],
  );
});

after(async () => {
  await sim?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Both exports of the same options; asserts both succeeded and returns their bytes. */
async function both(options) {
  const before = (await stats()).cursors.created;
  const mine = await ours(sim, TOKEN, options);
  const created = (await stats()).cursors.created - before;
  const oracle = await theirs(sim, TOKEN, options);
  const label = JSON.stringify(options);
  assert.equal(mine.code, 0, `ours ${label}: ${mine.stderr}`);
  assert.equal(oracle.code, 0, `cli-kintone ${label}: ${oracle.stderr}`);
  assert.equal(created, 0, `ours took no cursor for ${label}`);
  return { mine: mine.stdout, oracle: oracle.stdout, label };
}

function assertSameBytes({ mine, oracle, label }) {
  if (!mine.equals(oracle)) {
    const a = mine.toString("latin1").split("\n");
    const b = oracle.toString("latin1").split("\n");
    const line = a.findIndex((text, i) => text !== b[i]);
    assert.fail(`${label}: ${mine.length} bytes against cli-kintone's ${oracle.length}; first difference on line ${line + 1}`);
  }
}

test("the generated app: the same bytes as cli-kintone, in UTF-8 and Shift_JIS, with no order, a text order, a condition and fields", async () => {
  const cases = [
    { app: 1 },
    { app: 1, encoding: "sjis" },
    { app: 1, "order-by": "件名 asc" },
    { app: 1, condition: '金額 > 300000 and ステータス in ("完了", "保留")', "order-by": "受注日 desc", encoding: "sjis" },
    { app: 1, fields: "明細,件名,担当者,タグ,備考,作成者", condition: "数量 < 50" },
  ];
  for (const options of cases) {
    const result = await both(options);
    assertSameBytes(result);
    if (options.encoding !== "sjis") {
      const text = result.mine.toString("utf8");
      // What the case is about is really in the file.
      assert.match(text, options.fields ? /^\*,"明細","品名","単価","個数","件名"/ : /^\*,"レコード番号","件名",/);
      assert.ok(/\n\*,/.test(text) && /\n,/.test(text), "records with several table rows");
    } else {
      assert.ok(iconv.decode(result.mine, "sjis").includes("見積依頼"));
    }
  }
  const end = await stats();
  assert.equal(end.cursors.live, 0, "no cursor left open");
});

test("every field type the simulator knows, in a guest space: the same bytes, UTF-8 and Shift_JIS (characters it lacks as cli-kintone writes them)", async () => {
  for (const options of [{ app: 7, "guest-space-id": GUEST }, { app: 7, "guest-space-id": GUEST, encoding: "sjis" }, { app: 7, "guest-space-id": GUEST, "order-by": "文字列 desc", fields: "経費,文字列,チェック,明細,ラジオ" }]) {
    const result = await both(options);
    assertSameBytes(result);
    if (options.encoding === "sjis") {
      assert.ok(result.mine.includes(Buffer.from("?")), "unmappable characters became ?");
    } else {
      const text = result.mine.toString("utf8");
      for (const piece of ['"""', "\r", "😀", '"user,1"', "E\n2"]) assert.ok(text.includes(piece), `the file holds ${JSON.stringify(piece)}`);
    }
  }
  assert.equal((await stats()).cursors.live, 0);
});

test("kintone's error: exit 1, its code and message on standard error, nothing on standard output, no credential anywhere", async () => {
  const unknownField = await ours(sim, TOKEN, { app: 1, condition: '存在しない = "x"' });
  assert.equal(unknownField.code, 1);
  assert.match(unknownField.stderr, /GAIA_IQ11/);
  assert.match(unknownField.stderr, /存在しない/);
  assert.equal(unknownField.stdout.length, 0);
  const wrongToken = await runNode(OUR_CLI, ["export", "--base-url", sim.url, "--app", "1", "--api-token", "not-the-token-91b2"]);
  assert.equal(wrongToken.code, 1);
  assert.match(wrongToken.stderr, /CB_WA01|CB_AU01/);
  const password = await runNode(OUR_CLI, ["export", "--app", "1"], {
    env: cleanEnv({ KINTONE_BASE_URL: sim.url, KINTONE_USERNAME: "佐藤", KINTONE_PASSWORD: "違うパスワード" }),
  });
  assert.equal(password.code, 1);
  assert.match(password.stderr, /CB_WA01/);
  const noApp = await ours(sim, TOKEN, { app: 99 });
  assert.equal(noApp.code, 1);
  assert.match(noApp.stderr, /GAIA_AP01/);
  for (const run of [unknownField, wrongToken, password, noApp]) {
    const output = run.stdout.toString("utf8") + run.stderr;
    for (const secret of [TOKEN, "not-the-token-91b2", "違うパスワード", Buffer.from("佐藤:違うパスワード").toString("base64")]) {
      assert.ok(!output.includes(secret), `a credential in the output: ${run.stderr}`);
    }
  }
});

test("bad options are refused with exit 2 before any request", async () => {
  await simControl(sim.url, "stats", "DELETE");
  const base = ["export", "--base-url", sim.url, "--api-token", TOKEN];
  const refused = [
    [["export", "--api-token", TOKEN, "--app", "1"], /--base-url is required/],
    [[...base], /--app is required/],
    [[...base, "--app", "one"], /--app must be/],
    [[...base, "--app", "1", "--encoding", "euc-jp"], /--encoding must be utf8 or sjis/],
    [[...base, "--app", "1", "--nope"], /nope/],
    [[...base, "--app", "1", "--guest-space-id", "x"], /--guest-space-id/],
    [[...base, "--app", "1", "--fields", "件名,,金額"], /--fields/],
    [[...base, "--app", "1", "--condition", '件名 = "x" limit 5'], /limit/],
    [[...base, "--app", "1", "--condition", "件名 = "], /INVALID_QUERY/],
    [[...base, "--app", "1", "--order-by", "件名 sideways"], /INVALID_QUERY|order/],
    [["export", "--base-url", sim.url, "--app", "1"], /authentication is required/],
    [["export", "--base-url", "ftp://example.com", "--api-token", TOKEN, "--app", "1"], /--base-url/],
    [["import", "--base-url", sim.url, "--api-token", TOKEN, "--app", "1"], /unknown command/],
  ];
  for (const [args, message] of refused) {
    const run = await runNode(OUR_CLI, args);
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.ok(!run.stderr.includes(TOKEN));
  }
  assert.equal((await stats()).totalRequests, 0, "no request was sent");
  // A field that the form does not have is known only from the form: refused, exit 2.
  const field = await ours(sim, TOKEN, { app: 1, fields: "件名,無い" });
  assert.equal(field.code, 2);
  assert.match(field.stderr, /no field "無い"/);
});

test("credentials from the environment (a login wins over a token), and --output writes the file (none is left when the export fails)", async () => {
  const expected = (await theirs(sim, TOKEN, { app: 1, fields: "件名,金額" })).stdout;
  const env = cleanEnv({ KINTONE_BASE_URL: sim.url, KINTONE_API_TOKEN: "wrong-token", KINTONE_USERNAME: "佐藤", KINTONE_PASSWORD: "パスワード" });
  const viaEnv = await runNode(OUR_CLI, ["export", "--app", "1", "--fields", "件名,金額"], { env });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  assert.ok(viaEnv.stdout.equals(expected));
  const file = join(work, "out.csv");
  const toFile = await ours(sim, TOKEN, { app: 1, fields: "件名,金額", output: file });
  assert.equal(toFile.code, 0, toFile.stderr);
  assert.equal(toFile.stdout.length, 0);
  assert.ok(readFileSync(file).equals(expected));
  const failed = join(work, "failed.csv");
  const failing = await ours(sim, TOKEN, { app: 1, condition: '存在しない = "x"', output: failed });
  assert.equal(failing.code, 1);
  assert.ok(!existsSync(failed));
});
