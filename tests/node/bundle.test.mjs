// The ESM entry bundles with no configuration: a tiny customization that imports the
// package is bundled by esbuild (no plugin, no loader) into one file, which then reads
// records through a `kintone` object as it would in a page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import vm from "node:vm";
import * as esbuild from "esbuild";
import { createFakeKintone, makeRecords } from "../support/fake-kintone.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const customization = `
import { getAllRecords } from "kintone-seek";
globalThis.done = getAllRecords({ app: 1, fields: ["title"] });
`;

test("esbuild bundles the package into one browser file that reads through kintone.api", async () => {
  const result = await esbuild.build({
    stdin: { contents: customization, resolveDir: root, loader: "js" },
    bundle: true,
    format: "iife",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  assert.deepEqual(result.warnings, []);
  const code = result.outputFiles[0].text;
  assert.doesNotMatch(code, /\.wasm["'`]/, "the bundle must not refer to a separate .wasm file");

  const fake = createFakeKintone(makeRecords(1234));
  const sandbox = { kintone: { api: fake.api }, atob, TextEncoder, TextDecoder, WebAssembly, console, URL };
  sandbox.globalThis = sandbox;
  vm.runInNewContext(code, sandbox);
  const records = await sandbox.done;
  assert.equal(records.length, 1234);
  assert.deepEqual(Object.keys(records[0]), ["title"]);
  assert.equal(fake.requests.length, 3);
});

test("the package's own files carry no separate .wasm for a bundler to find", () => {
  for (const file of ["dist/index.js", "dist/kintone-seek.iife.js"]) {
    assert.doesNotMatch(readFileSync(join(root, file), "utf8"), /\.wasm["'`]/, file);
  }
});

// The CSV export (js/csv.ts) is in the single file with the reads it uses: its
// "./index.js" is the single file's own, so the file holds one copy of the reads and of
// the wasm, not a second bundle of them for the CSV.
test("dist/kintone-seek.iife.js holds the CSV export and one copy of the reads and the wasm", () => {
  const code = readFileSync(join(root, "dist/kintone-seek.iife.js"), "utf8");
  const wasmBase64 = JSON.parse(readFileSync(join(root, "build/wasm-inline.js"), "utf8").replace(/^export default /, "").replace(/;\s*$/, ""));
  const count = (text) => code.split(text).length - 1;
  assert.equal(count(wasmBase64), 1, "the inlined wasm");
  assert.equal(count("`onProgress` must be a function (progress) => void."), 1, "the reads' option checks (js/read.ts)");
  assert.equal(count("`fileName` must be a non-empty string"), 1, "the CSV export (js/csv.ts)");
});
