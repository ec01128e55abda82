// Builds the package: the Rust crate to wasm (wasm-pack, then wasm-opt from the npm
// package `binaryen`), the wasm inlined as base64, the facade bundled by esbuild into
// an ESM entry and a single-file IIFE, and the declaration files by tsc.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { lzmaEncode } from "./lzma-encode.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (command, args, env = {}) =>
  execFileSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });

// wasm-pack downloads its own tools from GitHub unless told not to, which fails here.
run("wasm-pack", ["build", "--release", "--target", "web", "--mode", "no-install", "--no-pack",
  "--out-dir", "build/pkg", "--out-name", "kintone_seek"]);

const rawWasm = join(root, "build/pkg/kintone_seek_bg.wasm");
const optWasm = join(root, "build/kintone_seek.opt.wasm");
// Rust 1.95's wasm uses these post-MVP features; wasm-opt must be told it may keep them.
// `--converge` repeats -Oz until it stops shrinking: about 0.3 KB of the compressed wasm,
// part of the price of serde-wasm-bindgen.
run(bin("wasm-opt"), [rawWasm, "-Oz", "--converge", "--enable-bulk-memory", "--enable-nontrapping-float-to-int",
  "--enable-sign-ext", "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue",
  "--strip-debug", "--strip-producers", "-o", optWasm]);
const wasm = readFileSync(optWasm);
// Compressed before base64: base64 text gzips poorly, so this keeps the single file small
// even where a server sends it uncompressed. LZMA (7-Zip's encoder at its best settings,
// scripts/lzma-encode.mjs) makes the wasm about 10% smaller than Zopfli's deflate did
// (measured: 55,046 against 61,360 bytes), and js/lzma-decode.ts decodes it in about
// 1 KB of gzip (fflate's inflate was 2 KB), in slices that keep every task short
// (js/wasm.ts).
const compressed = await lzmaEncode(wasm);
// Checked here with the decoder the package ships, bundled for Node by esbuild: a wasm that
// would not decode fails the build, not the first page that loads it.
const decoderFile = join(root, "build/lzma-decode.mjs");
await esbuild.build({ entryPoints: [join(root, "js/lzma-decode.ts")], bundle: true, format: "esm", outfile: decoderFile, logLevel: "warning" });
const { lzmaDecode } = await import(pathToFileURL(decoderFile).href);
if (!Buffer.from(lzmaDecode(compressed)).equals(wasm)) throw new Error("build: the LZMA-compressed wasm does not decode to the wasm");
writeFileSync(join(root, "build/wasm-inline.js"), `export default ${JSON.stringify(Buffer.from(compressed).toString("base64"))};\n`);
writeFileSync(join(root, "build/wasm-inline.d.ts"), "declare const wasmBase64: string;\nexport default wasmBase64;\n");

rmSync(join(root, "dist"), { recursive: true, force: true });
mkdirSync(join(root, "dist"));
const common = {
  bundle: true,
  target: "es2020",
  legalComments: "none",
  // The glue's default `init` (unused, tree-shaken away) mentions `import.meta.url`;
  // esbuild warns about it in the IIFE before it drops the code.
  define: { "import.meta.url": "undefined" },
  logLevel: "warning",
};
await esbuild.build({ ...common, entryPoints: [join(root, "js/index.ts")], format: "esm", platform: "neutral", outfile: join(root, "dist/index.js") });
// The single file runs in pages: js/node-http.ts (Node's stack) is swapped for its stand-in.
const withoutNodeHttp = {
  name: "without-node-http",
  setup(build) {
    build.onResolve({ filter: /^\.\/node-http\.js$/ }, () => ({ path: join(root, "js/node-http.browser.ts") }));
  },
};
// The single file's entry also starts preparing the wasm when the file loads (js/iife.ts).
await esbuild.build({
  ...common,
  entryPoints: [join(root, "js/iife.ts")],
  plugins: [withoutNodeHttp],
  format: "iife",
  globalName: "KintoneSeek",
  platform: "browser",
  minify: true,
  outfile: join(root, "dist/kintone-seek.iife.js"),
});
// kintone-seek/csv: the CSV writer and exports (js/csv.ts, no wasm of its own). Its reads
// come from the main entry, left external so that both share one wasm instance: the ESM
// file imports "./index.js" beside it. Only this build externalizes it: the single file
// (above) bundles js/csv.ts with the same modules as its own reads (js/iife.ts).
const mainEntry = {
  name: "main-entry",
  setup(build) {
    build.onResolve({ filter: /^\.\/index\.js$/ }, (args) =>
      args.importer.endsWith(join("js", "csv.ts")) ? { path: "./index.js", external: true } : undefined);
  },
};
await esbuild.build({
  ...common,
  entryPoints: [join(root, "js/csv.ts")],
  format: "esm",
  platform: "neutral",
  outfile: join(root, "dist/csv.js"),
  plugins: [mainEntry],
});
run(bin("tsc"), ["-p", "tsconfig.build.json"]);
// The single file's global, for customizations written in TypeScript:
// `/// <reference types="kintone-seek/iife" />` declares `KintoneSeek` with the types of its
// entry (js/iife.ts): the ESM entry's exports and those of "kintone-seek/csv".
writeFileSync(join(root, "dist/kintone-seek.iife.d.ts"), `import type * as KintoneSeekModule from "./types/iife.js";

declare global {
  /** What \`dist/kintone-seek.iife.js\` defines: the exports of "kintone-seek" and of "kintone-seek/csv". */
  const KintoneSeek: typeof KintoneSeekModule;
  interface Window {
    KintoneSeek: typeof KintoneSeekModule;
  }
}

export {};
`);

const sizes = {};
for (const file of ["build/kintone_seek.opt.wasm", "dist/index.js", "dist/kintone-seek.iife.js", "dist/csv.js"]) {
  const bytes = readFileSync(join(root, file));
  sizes[file] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  console.log(`${file}: ${(bytes.length / 1024).toFixed(1)} KiB raw, ${(sizes[file].gzip / 1024).toFixed(1)} KiB gzip`);
}
writeFileSync(join(root, "build/sizes.json"), JSON.stringify(sizes, null, 2) + "\n");
