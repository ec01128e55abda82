// Loads the inlined wasm on first use, so callers never call an init function and a
// kintone customization needs no second file. Only `initSync` of the generated glue is
// used: its default `init` holds a `new URL("…_bg.wasm", import.meta.url)` fallback that
// bundlers would try to resolve, and leaving it unused lets it be tree-shaken away.
import { inflateSync } from "fflate";
import { initSync } from "../build/pkg/kintone_seek.js";
import wasmBase64 from "../build/wasm-inline.js";

let loading: Promise<void> | undefined;
let loaded = false;

/** The wasm, from its inlined form: base64 of raw deflate (a synchronous inflate keeps
 * `currentView()` synchronous, which `DecompressionStream` could not). */
function wasmBytes(): Uint8Array<ArrayBuffer> {
  const binary = atob(wasmBase64);
  const deflated = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) deflated[i] = binary.charCodeAt(i);
  return inflateSync(deflated) as Uint8Array<ArrayBuffer>;
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
