// A ceiling on the single file, measured here on the built file itself, as
// `scripts/build.mjs` measures it, so that a change that links more of Rust's standard
// library fails a test, not a release: the official client's browser build (76 KB gzip),
// the ceiling issues 11 and 16 set.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const LIMIT = 76_000;

test("dist/kintone-seek.iife.js is at most 76,000 bytes gzip -9", () => {
  const gzip = gzipSync(readFileSync(join(root, "dist/kintone-seek.iife.js")), { level: 9 }).length;
  assert.ok(
    gzip <= LIMIT,
    `the single file is ${gzip} bytes gzip, over ${LIMIT}: see README.md's Size section for what links ` +
      "the most (float formatting, substring search, panicking str slices, sorting, serde's map serialization)",
  );
});
