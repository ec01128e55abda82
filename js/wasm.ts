// Loads the inlined wasm on first use, so callers never call an init function and a
// kintone customization needs no second file. Only `initSync` of the generated glue is
// used: its default `init` holds a `new URL("…_bg.wasm", import.meta.url)` fallback that
// bundlers would try to resolve, and leaving it unused lets it be tree-shaken away.
import { initSync } from "../build/pkg/kintone_seek.js";
import wasmBase64 from "../build/wasm-inline.js";
import { lzmaDecode } from "./lzma-decode.js";

let loading: Promise<void> | undefined;
let loaded = false;

/** The wasm, from its inlined form: base64 of LZMA (js/lzma-decode.ts). Decoded
 * synchronously, which keeps `currentView()` synchronous (`DecompressionStream` could
 * not, and has no LZMA). */
function wasmBytes(): Uint8Array<ArrayBuffer> {
  const binary = atob(wasmBase64);
  const compressed = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) compressed[i] = binary.charCodeAt(i);
  return lzmaDecode(compressed);
}

function instantiate(module: WebAssembly.Module): void {
  if (loaded) return;
  initSync({ module });
  loaded = true;
}

/** Compiles the wasm off the main thread once; later calls reuse it. */
export function loadWasm(): Promise<void> {
  loading ??= WebAssembly.compile(wasmBytes()).then(instantiate);
  return loading;
}

/** For the synchronous entry points (`currentView`, `kintoneTransport`). */
export function loadWasmSync(): void {
  if (!loaded) instantiate(new WebAssembly.Module(wasmBytes()));
}
