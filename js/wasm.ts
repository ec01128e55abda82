// Loads the inlined wasm on first use, so callers never call an init function and a
// kintone customization needs no second file.
import init, { initSync } from "../build/pkg/kintone_seek.js";
import wasmBase64 from "../build/wasm-inline.js";

let loading: Promise<unknown> | undefined;
let loaded = false;

function wasmBytes(): Uint8Array {
  const binary = atob(wasmBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Instantiates the wasm asynchronously (no main-thread compile) once; later calls reuse it. */
export function loadWasm(): Promise<unknown> {
  loading ??= init({ module_or_path: wasmBytes() }).then(() => {
    loaded = true;
  });
  return loading;
}

/** For the synchronous entry points (`currentView`, `kintoneTransport`). */
export function loadWasmSync(): void {
  if (loaded) return;
  initSync({ module: wasmBytes() });
  loaded = true;
}
