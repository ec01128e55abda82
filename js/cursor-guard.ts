// What a browser adds around a cursor read: one cursor at a time per origin across tabs
// (Web Locks, where present), so that one user with many tabs cannot take several of the
// domain's 10 cursors; and, inside kintone, a best-effort DELETE when the page is left
// with the cursor still open (a cursor not deleted stays taken for 10 minutes).
import type { Progress } from "./types.js";

const LOCK_NAME = "kintone-seek:cursor";

/** The hooks the wasm reader calls around cursors and waits. */
export interface ReadHooks {
  cursorOpening(): Promise<void>;
  cursorOpened(id: string, path: string): void;
  cursorClosed(id: string): void;
  waiting(progress: Progress): void;
}

interface LockManager {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<void>;
}

interface KintoneGlobal {
  api: { url(path: string, detectGuestSpace: boolean): string };
  getRequestToken(): string;
}

/** Sends the DELETE with `keepalive`, so it survives the page; errors have nowhere to go. */
function deleteOnExit(kintone: KintoneGlobal, id: string): void {
  void fetch(kintone.api.url("/k/v1/records/cursor", true), {
    method: "DELETE",
    keepalive: true,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-Requested-With": "XMLHttpRequest" },
    body: JSON.stringify({ id, __REQUEST_TOKEN__: kintone.getRequestToken() }),
  }).catch(() => {});
}

/**
 * @param inKintone the read goes through the page's `kintone.api` (its session can delete on exit)
 */
export function readHooks(options: {
  signal?: AbortSignal;
  inKintone: boolean;
  onProgress?: (progress: Progress) => void;
}): ReadHooks {
  const { signal, inKintone, onProgress } = options;
  let releaseLock: (() => void) | undefined;
  let onPageHide: (() => void) | undefined;
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  const kintone = (globalThis as { kintone?: KintoneGlobal }).kintone;
  return {
    cursorOpening() {
      if (!locks) return Promise.resolve();
      return new Promise<void>((acquired, refused) => {
        locks
          .request(LOCK_NAME, signal ? { signal } : {}, () => new Promise<void>((release) => {
            releaseLock = release;
            acquired();
          }))
          .catch(refused);
      });
    },
    cursorOpened(id) {
      if (!inKintone || !kintone || typeof addEventListener !== "function") return;
      onPageHide = () => deleteOnExit(kintone, id);
      addEventListener("pagehide", onPageHide);
    },
    cursorClosed() {
      releaseLock?.();
      releaseLock = undefined;
      if (onPageHide) removeEventListener("pagehide", onPageHide);
      onPageHide = undefined;
    },
    waiting(progress) {
      onProgress?.(progress);
    },
  };
}
