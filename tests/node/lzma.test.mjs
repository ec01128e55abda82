// The inlined wasm's LZMA: js/lzma-decode.ts (bundled here by esbuild, as the build checks
// it) must give back exactly what the build's encoder (scripts/lzma-encode.mjs) was given,
// whole or in slices, for the wasm and for inputs that reach every part of the format
// (literals after matches, rep matches, short reps, the longest matches, distances past
// 1 MB, other lc/lp/pb, the end marker), and must throw, not return garbage or hang, on
// corrupt or truncated input.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";
import * as esbuild from "esbuild";
import { lzmaEncode } from "../../scripts/lzma-encode.mjs";
import { LzmaCrafter } from "../support/lzma-crafter.mjs";
import wasmInline from "../../build/wasm-inline.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const decoderDir = mkdtempSync(join(tmpdir(), "lzma-test-"));
after(() => rmSync(decoderDir, { recursive: true, force: true }));
const decoderFile = join(decoderDir, "lzma-decode.mjs");
await esbuild.build({
  entryPoints: [join(root, "js/lzma-decode.ts")],
  bundle: true,
  format: "esm",
  outfile: decoderFile,
  logLevel: "warning",
});
const { lzmaDecode, lzmaDecoder } = await import(pathToFileURL(decoderFile).href);
const wasm = readFileSync(join(root, "build/kintone_seek.opt.wasm"));
// assert.throws matches a RegExp against String(error): "Error: <message>".
const CORRUPT = /^Error: kintone-seek: the LZMA data is corrupt or truncated$/;

/** Deterministic pseudo-random bytes (xorshift32), so a failure reproduces. */
function random(length, seed = 0x9e3779b9) {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x;
  }
  return out;
}

/** English-like text: words from a small vocabulary, picked pseudo-randomly. */
function text(length) {
  const words = "the record app field query cursor seek kintone limit offset order by and of to in is".split(" ");
  const picks = random(length, 12345);
  let result = "";
  for (let i = 0; result.length < length; i++) result += words[picks[i] % words.length] + (i % 13 === 12 ? ".\n" : " ");
  return new TextEncoder().encode(result.slice(0, length));
}

/** Over 1 MB: the wasm, a megabyte of random bytes, then the wasm twice more with a few
 * bytes changed, so that matches reach back more than a megabyte and rep distances
 * come back after each change. */
function large() {
  const changed = (step) => {
    const copy = Uint8Array.from(wasm);
    for (let i = step; i < copy.length; i += step) copy[i] ^= 0x5a;
    return copy;
  };
  return Buffer.concat([wasm, random(1 << 20, 7), changed(4099), new Uint8Array(5000), changed(997)]);
}

const inputs = {
  empty: new Uint8Array(0),
  "1 byte": Uint8Array.of(0xa7),
  "random, 200 KB": random(200_000),
  "highly repetitive (zeros, then a 3-byte cycle), 600 KB": Uint8Array.from(
    { length: 600_000 },
    (_, i) => (i < 300_000 ? 0 : [1, 2, 3][i % 3]),
  ),
  "text, 300 KB": text(300_000),
  "over 1 MB": large(),
};

async function roundTrip(bytes, options) {
  const encoded = await lzmaEncode(bytes, options);
  const decoded = lzmaDecode(encoded);
  assert.ok(decoded instanceof Uint8Array);
  assert.equal(decoded.length, bytes.length);
  assert.ok(Buffer.from(decoded).equals(Buffer.from(bytes)), "decoded bytes differ from the input");
  return encoded;
}

test("the inlined wasm (build/wasm-inline.js) decodes to build/kintone_seek.opt.wasm", () => {
  const decoded = lzmaDecode(Buffer.from(wasmInline, "base64"));
  assert.ok(Buffer.from(decoded).equals(wasm));
});

/** Decodes with `lzmaDecoder`, `slice` bytes a call; returns the output and the calls. */
function inSlices(encoded, slice) {
  const step = lzmaDecoder(encoded);
  for (let calls = 1; ; calls++) {
    const out = step(slice);
    if (out) return { out, calls };
    assert.ok(calls < 1e6, "the decoder does not end");
  }
}

test("decoded in slices (js/wasm.ts prepares the wasm so), the wasm and every input come out the same", async () => {
  const inline = Buffer.from(wasmInline, "base64");
  for (const slice of [1, 7, 8192, 100_000]) {
    const { out, calls } = inSlices(inline, slice);
    assert.ok(Buffer.from(out).equals(wasm), `in slices of ${slice}`);
    // A match may run past a slice's end, so a slice can hold more than asked, never less.
    assert.ok(calls <= Math.ceil(wasm.length / slice) + 1, `${calls} calls of ${slice}`);
    if (slice < wasm.length) assert.ok(calls > 1, "the decoder stopped after one slice");
  }
  for (const [name, bytes] of Object.entries(inputs)) {
    for (const options of [undefined, { endMarker: true }]) {
      const encoded = await lzmaEncode(bytes, options);
      assert.ok(Buffer.from(inSlices(encoded, 4096).out).equals(Buffer.from(bytes)), `${name}, ${JSON.stringify(options)}`);
    }
  }
  const corrupt = Uint8Array.from(inline);
  corrupt[inline.length - 2] ^= 0x80;
  assert.throws(() => inSlices(corrupt, 8192), CORRUPT);
  assert.throws(() => inSlices(inline.subarray(0, inline.length - 10), 8192), CORRUPT);
});

test("the wasm round-trips through the build's encoder and the decoder", async () => {
  const encoded = await roundTrip(wasm);
  // 7-Zip's best settings take the wasm to about 38% (deflate: about 42%).
  assert.ok(encoded.length < wasm.length * 0.4, `the wasm compressed to ${encoded.length} of ${wasm.length} bytes`);
});

for (const [name, bytes] of Object.entries(inputs)) {
  test(`round trip: ${name}`, async () => {
    const encoded = await roundTrip(bytes);
    if (name.startsWith("highly")) assert.ok(encoded.length < 1000, `${encoded.length} bytes`);
  });
}

test("round trip with other literal and position contexts (lc/lp/pb) and with the end marker", async () => {
  const sample = Buffer.concat([wasm.subarray(0, 40_000), text(20_000), random(5_000)]);
  for (const options of [
    { lc: 0, lp: 0, pb: 0 },
    { lc: 8, lp: 0, pb: 0 },
    { lc: 0, lp: 4, pb: 4 },
    { lc: 3, lp: 0, pb: 2 },
    { lc: 1, lp: 2, pb: 1 },
    { endMarker: true },
    { lc: 4, lp: 1, pb: 3, endMarker: true },
  ]) {
    const encoded = await roundTrip(sample, options);
    assert.equal(encoded[0], ((options.pb ?? 0) * 5 + (options.lp ?? 0)) * 9 + (options.lc ?? 3));
  }
  await roundTrip(Uint8Array.of(7), { endMarker: true });
});

test("a changed byte anywhere in the wasm's stream throws", async () => {
  const encoded = await lzmaEncode(wasm);
  const positions = [5, 6, 7, 9, 10, 11, encoded.length - 5, encoded.length - 2, encoded.length - 1];
  for (let i = 13; i < encoded.length; i += 997) positions.push(i);
  for (const position of positions) {
    for (const xor of [0x01, 0x80, 0xff]) {
      const corrupt = Uint8Array.from(encoded);
      corrupt[position] ^= xor;
      assert.throws(() => lzmaDecode(corrupt), CORRUPT, `byte ${position} ^ ${xor} was accepted`);
    }
  }
});

test("a wrong header throws: properties out of range, a size one off", async () => {
  const encoded = await lzmaEncode(wasm);
  const withHeader = (changes) => {
    const copy = Uint8Array.from(encoded);
    for (const [at, value] of Object.entries(changes)) copy[at] = value;
    return copy;
  };
  assert.throws(() => lzmaDecode(withHeader({ 0: 225 })), CORRUPT);
  assert.throws(() => lzmaDecode(withHeader({ 0: 255 })), CORRUPT);
  // The size (bytes 1 to 4, little-endian): one more and one fewer, and a high byte changed.
  const sizeBytes = (size) => ({ 1: size & 0xff, 2: (size >>> 8) & 0xff, 3: (size >>> 16) & 0xff, 4: size >>> 24 });
  assert.equal(new DataView(encoded.buffer, encoded.byteOffset + 1, 4).getUint32(0, true), wasm.length);
  assert.throws(() => lzmaDecode(withHeader(sizeBytes(wasm.length + 1))), CORRUPT);
  assert.throws(() => lzmaDecode(withHeader(sizeBytes(wasm.length - 1))), CORRUPT);
  assert.throws(() => lzmaDecode(withHeader(sizeBytes(wasm.length ^ 0x10000))), CORRUPT);
});

test("streams no encoder writes: a match before the start, an end marker before the size", () => {
  const text = (bytes) => new TextDecoder().decode(bytes);
  // The crafter itself is right: these decode.
  assert.equal(text(lzmaDecode(new LzmaCrafter().literal(65).match(2, 1).finish(3))), "AAA");
  assert.equal(text(lzmaDecode(new LzmaCrafter().literal(65).literal(66).match(3, 2).finish(5))), "ABABA");
  assert.equal(text(lzmaDecode(new LzmaCrafter().literal(65).literal(66).match(2, null).finish(2))), "AB");
  assert.equal(lzmaDecode(Uint8Array.of(3, 0, 0, 0, 0, 0, 0, 0, 0, 0)).length, 0);
  // These do not.
  assert.throws(() => lzmaDecode(new LzmaCrafter().match(2, 1).finish(2)), CORRUPT);
  assert.throws(() => lzmaDecode(new LzmaCrafter().literal(65).match(2, 2).finish(3)), CORRUPT);
  assert.throws(() => lzmaDecode(new LzmaCrafter().literal(65).literal(66).match(4, 3).finish(6)), CORRUPT);
  assert.throws(() => lzmaDecode(new LzmaCrafter().literal(65).literal(66).match(2, null).finish(5)), CORRUPT);
  assert.throws(() => lzmaDecode(new LzmaCrafter().literal(65).match(5, 1).finish(4)), CORRUPT, "a match past the size");
  // Properties 225 and up name no lc/lp/pb (pb would be 5): refused even with nothing to decode.
  assert.throws(() => lzmaDecode(Uint8Array.of(225, 0, 0, 0, 0, 0, 0, 0, 0, 0)), CORRUPT);
});

test("truncated input, or bytes after the end, throws", async () => {
  for (const bytes of [wasm, inputs["1 byte"], inputs.empty]) {
    const encoded = await lzmaEncode(bytes);
    for (const length of [0, 1, 5, 6, 9, encoded.length >> 1, encoded.length - 1]) {
      if (length >= encoded.length) continue;
      assert.throws(() => lzmaDecode(encoded.subarray(0, length)), CORRUPT, `${length} of ${encoded.length} bytes`);
    }
    for (const extra of [[0], [0, 0, 0, 0, 0], [0x55]]) {
      assert.throws(() => lzmaDecode(Uint8Array.from([...encoded, ...extra])), CORRUPT, `with ${extra} after`);
    }
  }
});

test("random bytes are not taken for a stream", () => {
  for (let seed = 1; seed <= 200; seed++) {
    const bytes = random(2000, seed);
    bytes[0] = 93; // lc 3, lp 0, pb 2
    bytes.set([0, 8, 0, 0, 0], 1); // 2,048 bytes
    assert.throws(() => lzmaDecode(bytes), CORRUPT, `seed ${seed}`);
  }
});
