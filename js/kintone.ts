// The kintone page as the library sees it: its list view and its `kintone.api`.
import { currentView as wasmCurrentView, kintoneTransport as wasmKintoneTransport } from "../build/pkg/kintone_seek.js";
import { publicError } from "./read.js";
import type { Transport } from "./types.js";
import { loadWasmSync } from "./wasm.js";

/** The record list on screen: its app, condition and order (its `limit`/`offset` left out). */
export function currentView(): { app: number; condition: string; orderBy: string } {
  loadWasmSync();
  try {
    return wasmCurrentView();
  } catch (rejection) {
    throw publicError(rejection, 0);
  }
}

/** A transport that sends through the page's `kintone.api` (the default inside kintone). */
export function kintoneTransport(): Transport {
  loadWasmSync();
  try {
    return wasmKintoneTransport() as Transport;
  } catch (rejection) {
    throw publicError(rejection, 0);
  }
}
