// The single file's stand-in for js/node-http.ts (scripts/build.mjs swaps it in): the
// single file runs in kintone pages, where fetchTransport sends over the global fetch,
// so the node:http stack would only add to the bytes every page loads.
import type { HttpSend } from "./node-http.js";

export function nodeHttpSend(): HttpSend | undefined {
  return undefined;
}
