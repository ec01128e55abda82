// Loads the inlined wasm on first use, so callers never call an init function and a
// kintone customization needs no second file. Only `initSync` of the generated glue is
// used: its default `init` holds a `new URL("…_bg.wasm", import.meta.url)` fallback that
// bundlers would try to resolve, and leaving it unused lets it be tree-shaken away.
import { initSync } from "../build/pkg/kintone_seek.js";
import wasmBase64 from "../build/wasm-inline.js";

let loading: Promise<void> | undefined;
let loaded = false;

function wasmBytes(): Uint8Array<ArrayBuffer> {
  const binary = atob(wasmBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
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
