// Loads the inlined wasm for the first read, so callers never call an init function and a
// kintone customization needs no second file. Only `initSync` of the generated glue is
// used: its default `init` holds a `new URL("…_bg.wasm", import.meta.url)` fallback that
// bundlers would try to resolve, and leaving it unused lets it be tree-shaken away.
//
// The wasm is prepared once per page (or process), whoever asks first: every read awaits
// the same preparation, and `currentView()` / `kintoneTransport()` need none. Nothing
// here runs on import; the single file starts it when it loads (js/iife.ts).
import { initSync } from "../build/pkg/kintone_seek.js";
import wasmBase64 from "../build/wasm-inline.js";
import { KintoneSeekError } from "./errors.js";
import { lzmaDecoder } from "./lzma-decode.js";

/** Resolves once the wasm is instantiated, or to why it could not compile. */
let preparing: Promise<unknown> | undefined;
/** The priority of the preparation's tasks, where the browser has `scheduler.postTask`. */
let priority: TaskController | undefined;
/** Whether a read has asked for the wasm. */
let wanted = false;

// Decoding the wasm whole takes 25 to 40 ms of CPU in a fresh Chromium page, and two to
// four times as long in wall time on a busy machine, all of it on the main thread. In
// slices of at most this long, with the event loop turning between them, no task of ours
// comes near 50 ms.
const SLICE_MS = 8;
const SLICE_BYTES = 8192;

/**
 * A later task. Through `scheduler.postTask` (Chromium) at the preparation's priority:
 * among the page's other tasks while nothing waits for it, before them once a read does.
 * Elsewhere a message to ourselves: unlike `setTimeout`, it is neither clamped to 4 ms when
 * chained, nor held back to once a second in a background tab, nor stopped by a test's
 * fake timers.
 */
const nextTask = (): Promise<void> =>
  new Promise((resolve) => {
    if (priority) return void scheduler.postTask(resolve, { signal: priority.signal });
    if (typeof MessageChannel !== "function") return resolve();
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close(); // also lets Node exit
      resolve();
    };
    port2.postMessage(0);
  });

async function prepare(): Promise<unknown> {
  // The inlined form is base64 of LZMA (js/lzma-decode.ts, scripts/lzma-encode.mjs).
  const binary = atob(wasmBase64);
  const input = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) input[i] = binary.charCodeAt(i);
  const decode = lzmaDecoder(input);
  let wasm: Uint8Array<ArrayBuffer> | undefined;
  while (!wasm) {
    await nextTask();
    const started = Date.now();
    while (!(wasm = decode(SLICE_BYTES)) && Date.now() - started < SLICE_MS);
  }
  let module: WebAssembly.Module;
  try {
    // Off the main thread, unlike `new WebAssembly.Module`.
    module = await WebAssembly.compile(wasm);
  } catch (blocked) {
    // The wasm was checked at build time, so a page that cannot compile it forbids
    // WebAssembly: its Content-Security-Policy, or a browser that turns it off (then
    // `WebAssembly` is not even defined, a ReferenceError).
    return blocked ?? "WebAssembly failed";
  }
  initSync({ module });
}

/** Starts the preparation once; `soon`: in a later task, among the page's own. */
function start(soon: boolean): Promise<unknown> {
  if (!preparing) {
    if (typeof TaskController === "function" && typeof scheduler === "object") {
      priority = new TaskController({ priority: soon ? "user-visible" : "user-blocking" });
    }
    preparing = soon ? nextTask().then(prepare) : prepare();
  }
  return preparing;
}

/**
 * The wasm, ready to use: prepared on the first call, shared by every later one. Rejects
 * with a `WASM_BLOCKED` error (a new one per call) when the page forbids WebAssembly.
 */
export function loadWasm(): Promise<void> {
  const prepared = start(false);
  wanted = true;
  // A read waits: what is left of the preparation goes before the page's other tasks.
  priority?.setPriority("user-blocking");
  return prepared.then((blocked) => {
    if (blocked !== undefined) {
      throw new KintoneSeekError(
        "WASM_BLOCKED",
        "WebAssembly is blocked on this page, and kintone-seek runs on it. If the page has a " +
          "Content-Security-Policy, add 'wasm-unsafe-eval' to its script-src directive: " +
          "`script-src 'wasm-unsafe-eval'` (beside the sources it already allows). " +
          `The browser said: ${String((blocked as Error)?.message ?? blocked)}`,
        { cause: blocked },
      );
    }
  });
}

/**
 * Starts preparing the wasm in later tasks, without waiting for it (the single file, on
 * load); then, in a later task still, runs `warmUp` unless a read has begun meanwhile.
 */
export function prepareWasmSoon(warmUp: () => Promise<unknown>): void {
  (async () => {
    if ((await start(true)) !== undefined) return; // blocked: told to each read
    await nextTask();
    if (!wanted) await warmUp();
  })().catch(() => {
    // A failure to prepare is told to the reads that need the wasm.
  });
}
