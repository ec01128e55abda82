// The package as npm publishes it: `npm pack` holds the docs, the licence and the two
// builds with their types, and nothing else; and a CommonJS caller that installed the
// packed tarball can `require("kintone-seek")` (Node >= 20.19 loads ES modules from
// `require`) and read records with it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let work;
let packed;

before(() => {
  work = mkdtempSync(join(tmpdir(), "kintone-seek-pack-"));
  const [info] = JSON.parse(
    execFileSync(npm, ["pack", "--json", "--pack-destination", work], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }),
  );
  packed = info;
});

after(() => rmSync(work, { recursive: true, force: true }));

test("npm pack holds the READMEs, LICENSE, CHANGELOG, the builds (main, csv, the single file) with their types, the CLI, and nothing else", () => {
  const declarations = readdirSync(join(root, "js"))
    .filter((name) => name.endsWith(".ts"))
    .map((name) => `dist/types/${name.replace(/\.ts$/, ".d.ts")}`);
  const expected = [
    "CHANGELOG.md",
    "LICENSE",
    "README.ja.md",
    "README.md",
    "bin/kintone-seek.mjs",
    "dist/csv.js",
    "dist/index.js",
    "dist/kintone-seek.iife.d.ts",
    "dist/kintone-seek.iife.js",
    ...declarations,
    "package.json",
  ].sort();
  assert.deepEqual(packed.files.map((file) => file.path).sort(), expected);
});

// Runs in a child process so that it resolves "kintone-seek" as an installed package,
// through package.json's `exports`, from a `.cjs` file.
const caller = (fakeKintone) => `"use strict";
const seek = require("kintone-seek");
const { createFakeKintone, makeRecords } = require(${JSON.stringify(fakeKintone)});
const fake = createFakeKintone(makeRecords(1234));
seek.getAllRecords({ app: 1, fields: ["title"], transport: fake.api }).then(
  async (records) => {
    let refusal;
    try { await seek.getAllRecords({ app: 1, pagesize: 10, transport: fake.api }); } catch (error) { refusal = error; }
    console.log(JSON.stringify({
      version: require("kintone-seek/package.json").version,
      exports: Object.keys(seek).sort(),
      count: records.length,
      first: records[0],
      last: records[records.length - 1],
      distinct: new Set(records.map((record) => record.title.value)).size,
      refusal: { isSeekError: refusal instanceof seek.KintoneSeekError, code: refusal.code },
    }));
  },
  (error) => { console.error(error); process.exit(1); },
);
`;

test("a CommonJS file require()s the installed package and reads records with it", () => {
  const installed = join(work, "app", "node_modules", "kintone-seek");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", join(work, packed.filename), "-C", installed, "--strip-components=1"]);
  const script = join(work, "app", "read.cjs");
  writeFileSync(script, caller(join(root, "tests", "support", "fake-kintone.mjs")));
  const [major, minor] = process.versions.node.split(".").map(Number);
  // require(esm) is on by default from Node 20.19 / 22.12; older Nodes need the flag, so
  // the test still runs the same caller there (and engines says >= 20.19).
  const flags = major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19) ? [] : ["--experimental-require-module"];
  const output = execFileSync(process.execPath, [...flags, script], { cwd: join(work, "app"), encoding: "utf8" });
  const result = JSON.parse(output);
  assert.equal(result.version, "0.1.0");
  assert.deepEqual(result.exports, [
    "KintoneApiError",
    "KintoneSeekError",
    "currentView",
    "fetchTransport",
    "getAllRecords",
    "iteratePages",
    "iterateRecords",
    "kintoneTransport",
  ]);
  assert.equal(result.count, 1234);
  assert.deepEqual(result.last, { title: { type: "SINGLE_LINE_TEXT", value: "record 1234" } });
  assert.equal(result.distinct, 1234);
  assert.deepEqual(result.first, { title: { type: "SINGLE_LINE_TEXT", value: "record 1" } });
  assert.deepEqual(result.refusal, { isSeekError: true, code: "INVALID_OPTION" });
});
