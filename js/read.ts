// The reads of the public contract. `iteratePages` is the primitive; the other two
// only collect or flatten it.
import { SeekReader } from "../build/pkg/kintone_seek.js";
import { KintoneSeekError, toError, type SeekErrorCode } from "./errors.js";
import type { FetchOptions, FieldCode, KintoneRecord, Progress } from "./types.js";
import { readHooks } from "./cursor-guard.js";
import { recordIds } from "./record-ids.js";
import { recordsOf } from "./record-iterator.js";
import { sortLocally, type LocalOrder } from "./local-sort.js";
import { loadWasm } from "./wasm.js";

/** Turns what the wasm side rejected with into the public error. */
export function publicError(rejection: unknown, fetched: number): Error {
  const code = (rejection as { kintoneSeekCode?: unknown } | null)?.kintoneSeekCode;
  if (typeof code === "string") {
    return new KintoneSeekError(code as SeekErrorCode, (rejection as { message: string }).message, { fetched });
  }
  // A transport's own refusal (fetchTransport's PROTOCOL) cannot know how far the read came.
  if (rejection instanceof KintoneSeekError && rejection.fetched !== fetched) {
    return new KintoneSeekError(rejection.code, rejection.message, { cause: rejection.cause, fetched, status: rejection.status });
  }
  return toError(rejection, fetched);
}

function checkJsOptions(options: FetchOptions): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new KintoneSeekError("INVALID_OPTION", "Options must be an object, e.g. { app: 12 }.");
  }
  const { signal, onProgress } = options;
  if (signal !== undefined && (typeof signal !== "object" || signal === null || typeof signal.aborted !== "boolean")) {
    throw new KintoneSeekError("INVALID_OPTION", "`signal` must be an AbortSignal, e.g. `new AbortController().signal`.");
  }
  if (onProgress !== undefined && typeof onProgress !== "function") {
    throw new KintoneSeekError("INVALID_OPTION", "`onProgress` must be a function (progress) => void.");
  }
}

/**
 * The options' own members that are not `undefined`: to JavaScript an `undefined`
 * member is an absent one (`{ guestSpaceId: undefined }` still detects the guest
 * space), which the wasm side, reading options through serde, could not tell from `null`.
 */
function definedMembers(options: FetchOptions): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

/**
 * Waits for `pending`, or rejects with the signal's reason as soon as it aborts. The
 * abandoned request still completes (an in-flight `kintone.api` call cannot be
 * cancelled); its answer is dropped.
 */
function untilAborted<T>(pending: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return pending;
  if (signal.aborted) {
    pending.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      pending.catch(() => {});
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

// Each read has three signatures, tried in order (TypeScript cannot infer `F` once `R`
// is written out, so narrowing needs either both type arguments or neither):
// 1. no `fields`: records of type `R`;
// 2. `fields` with `F` inferred or written out: records holding exactly those fields;
// 3. `fields` with only `R` written out: `Partial<R>`, since which fields came back is
//    not known to the type system (name them as the second type argument to narrow).
// The implementations work on the loose type; the signatures only describe them.

/** Every matching record, one page (array) at a time, in the requested order. */
export function iteratePages<R = KintoneRecord>(options: FetchOptions<R> & { fields?: undefined }): AsyncIterableIterator<R[]>;
/** Every matching record, one page at a time, holding exactly the fields listed in `fields`. */
export function iteratePages<R = KintoneRecord, const F extends FieldCode<R> = never>(
  options: FetchOptions<R, F> & { fields: readonly F[] },
): AsyncIterableIterator<Pick<R, F>[]>;
/** Every matching record, one page at a time; `fields` not named in the type, so each may be absent. */
export function iteratePages<R = KintoneRecord>(options: FetchOptions<R>): AsyncIterableIterator<Partial<R>[]>;
// `any`: the one signature that every one of the three above is compatible with.
export function iteratePages(options: FetchOptions<any, any>): AsyncIterableIterator<any[]> {
  return pages(options);
}

/**
 * Given only by `getAllRecords`, which holds every record before handing any on: the
 * read may then deliver its records by `$id` for a local sort, and says so here.
 */
interface LocalSort {
  order?: LocalOrder;
}

async function* pages(options: FetchOptions, localSort?: LocalSort): AsyncIterableIterator<KintoneRecord[]> {
  checkJsOptions(options);
  const { signal, onProgress } = options;
  if (signal?.aborted) throw signal.reason;
  await loadWasm();
  const hooks = { ...readHooks({ signal, inKintone: options.transport === undefined, onProgress }), recordIds };
  let reader: SeekReader;
  try {
    reader = new SeekReader(definedMembers(options), signal, hooks);
  } catch (rejection) {
    throw publicError(rejection, 0);
  }
  if (localSort) reader.allowLocalSort();
  let fetched = 0;
  let reported = "";
  let inFlight: Promise<KintoneRecord[] | null> | undefined;
  let failure: { error: unknown } | undefined;
  // Prefetch: the next page is asked for as soon as the current one arrives, so the
  // request overlaps the consumer's work; at most one page is ever read ahead.
  const readAhead = () => {
    if (signal?.aborted) throw signal.reason;
    inFlight = reader.next() as Promise<KintoneRecord[] | null>;
    inFlight.catch(() => {}); // awaited below; this only keeps an abandoned one quiet
  };
  try {
    readAhead();
    for (;;) {
      let page: KintoneRecord[] | null;
      try {
        page = await untilAborted(inFlight!, signal);
        inFlight = undefined;
      } catch (rejection) {
        if (signal?.aborted && rejection === signal.reason) throw rejection;
        throw publicError(rejection, fetched);
      }
      // Reported whenever it moved: windows send requests ahead of the pages they deliver,
      // so the request count alone would leave the last pages (and the end) unreported.
      // Made only for a caller who listens: it is an object built by the wasm per page.
      if (onProgress) {
        const progress = reader.progress() as Progress;
        const moved = `${progress.requests}/${progress.fetched}/${progress.total}/${progress.retries}/${progress.method}`;
        if (moved !== reported) {
          reported = moved;
          onProgress(progress);
        }
      }
      if (page === null) {
        if (localSort) localSort.order = reader.localOrder() as LocalOrder | undefined;
        return;
      }
      fetched += page.length;
      readAhead();
      yield page;
    }
  } catch (error) {
    failure = { error };
    throw error;
  } finally {
    await release(reader, inFlight, failure, fetched);
  }
}

/**
 * Releases what the read holds, on every exit: completion, `break`, a throw in the
 * loop, abort, an error. A page still in flight after an abort may yet create or hold a
 * cursor, so a read that may hold one waits for it first. A cleanup failure is attached
 * to the error of the read that caused the cleanup (`cleanupError`), never put in its
 * place; otherwise it is thrown, so that a cursor left open does not go unnoticed. When
 * the loop's own body threw, JavaScript keeps that error and discards what the cleanup
 * throws (the iterator cannot tell a throw from a `break`), so the failure is also
 * written to the console.
 */
async function release(reader: SeekReader, inFlight: Promise<unknown> | undefined, failure: { error: unknown } | undefined, fetched: number) {
  try {
    if (inFlight && reader.mayHoldCursor()) await inFlight.then(() => {}, () => {});
    await reader.close();
  } catch (rejection) {
    const cleanupError = publicError(rejection, fetched);
    console.warn("kintone-seek: deleting the read's cursor failed; kintone frees it 10 minutes after its last use.", cleanupError);
    if (!failure) throw cleanupError;
    if (typeof failure.error === "object" && failure.error !== null) {
      (failure.error as { cleanupError?: Error }).cleanupError = cleanupError;
    }
  } finally {
    reader.free();
  }
}

/** Every matching record, one at a time, in the requested order. */
export function iterateRecords<R = KintoneRecord>(options: FetchOptions<R> & { fields?: undefined }): AsyncIterableIterator<R>;
/** Every matching record, one at a time, holding exactly the fields listed in `fields`. */
export function iterateRecords<R = KintoneRecord, const F extends FieldCode<R> = never>(
  options: FetchOptions<R, F> & { fields: readonly F[] },
): AsyncIterableIterator<Pick<R, F>>;
/** Every matching record, one at a time; `fields` not named in the type, so each may be absent. */
export function iterateRecords<R = KintoneRecord>(options: FetchOptions<R>): AsyncIterableIterator<Partial<R>>;
export function iterateRecords(options: FetchOptions<any, any>): AsyncIterableIterator<any> {
  // The signal as given: `pages` checks it (and every option) on the first `next()`.
  const signal = (options as FetchOptions | null | undefined)?.signal;
  return recordsOf(pages(options), typeof signal?.aborted === "boolean" ? signal : undefined);
}

/** Every matching record in one array, in the requested order. */
export function getAllRecords<R = KintoneRecord>(options: FetchOptions<R> & { fields?: undefined }): Promise<R[]>;
/** Every matching record in one array, holding exactly the fields listed in `fields`. */
export function getAllRecords<R = KintoneRecord, const F extends FieldCode<R> = never>(
  options: FetchOptions<R, F> & { fields: readonly F[] },
): Promise<Pick<R, F>[]>;
/** Every matching record in one array; `fields` not named in the type, so each may be absent. */
export function getAllRecords<R = KintoneRecord>(options: FetchOptions<R>): Promise<Partial<R>[]>;
export async function getAllRecords(options: FetchOptions<any, any>): Promise<any[]> {
  const localSort: LocalSort = {};
  const records = await collect(pages(options, localSort));
  if (!localSort.order) return records;
  // Sorted here unless kintone's own ends of the order disagree (a value compared
  // otherwise than kintone does, or records changed during the read): then the order is
  // read again through the cursor, the one way kintone itself gives it.
  return sortLocally(records, localSort.order) ?? collect(pages({ ...options, method: "cursor" }));
}

async function collect(read: AsyncIterableIterator<KintoneRecord[]>): Promise<KintoneRecord[]> {
  const pages: KintoneRecord[][] = [];
  for await (const page of read) pages.push(page);
  // One array made once, at its final length, rather than grown record by record.
  return ([] as KintoneRecord[]).concat(...pages);
}
