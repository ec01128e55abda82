// Public types of the contract (API.md). Kept apart from the code so that the
// declaration file reads like the documentation.

/** A kintone record: field code to `{ type, value }`. */
export type KintoneRecord = Record<string, { type: string; value: unknown }>;

/** The HTTP methods a transport is asked to send. */
export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** Extra information for a transport call; transports may ignore it. */
export interface TransportContext {
  /** The read's abort signal; `fetchTransport` aborts its request with it. */
  signal?: AbortSignal;
}

/**
 * Sends one kintone REST call and resolves to kintone's JSON answer, or rejects with
 * kintone's error body (a plain object or a `KintoneApiError`) or an `Error`.
 */
export type Transport = (
  path: string,
  method: HttpMethod,
  params: Record<string, unknown>,
  context?: TransportContext,
) => Promise<unknown>;

/** Options of `fetchTransport`. */
export interface FetchTransportOptions {
  /** The domain, e.g. `https://example.cybozu.com` (no path). */
  baseUrl: string;
  /** One API token, or several (sent comma-separated) for reads that touch several apps. */
  apiToken?: string | string[];
  /** Login name for password authentication (`X-Cybozu-Authorization`). */
  username?: string;
  /** Password for password authentication. */
  password?: string;
  /** Guest space of every call made through this transport. */
  guestSpaceId?: number | string;
  /** A `fetch` to send with; without it, Node sends over node:http(s) and other environments over the global `fetch`. */
  fetch?: typeof fetch;
}

/** How far a read has come; passed to `onProgress` after every page. */
export interface Progress {
  /** Records delivered so far. */
  fetched: number;
  /** Records that matched when the read started (`totalCount`), or `null` when unknown. */
  total: number | null;
  /** The method the read uses. */
  method: "seek" | "offset" | "sort" | "cursor";
  /** REST calls made so far (probes, retries and cursor calls included). */
  requests: number;
  /** Requests sent again after a transient failure (429 `GAIA_TO04`, 5xx, network). */
  retries: number;
  /** Id windows the read runs at once now; present once a seek on `$id` reads in windows. */
  windows?: number;
  /** Present while the read waits before trying again: how long, and why. */
  waiting?: { ms: number; reason: "retry" | "cursor-limit" };
}

/**
 * The field codes of a record type `R`. With the default `KintoneRecord`, any string;
 * with a type from `@kintone/dts-gen` (an interface without an index signature), its keys.
 */
export type FieldCode<R> = keyof R & string;

/**
 * Options of `getAllRecords`, `iterateRecords` and `iteratePages`. `R` is the record
 * type (default: the loose `KintoneRecord`); `F` the field codes `fields` may list.
 */
export interface FetchOptions<R = KintoneRecord, F extends FieldCode<R> = FieldCode<R>> {
  /** The app id. */
  app: number | string;
  /** The query condition only (no `order by`, `limit` or `offset`). Default: every record. */
  condition?: string;
  /** Sort keys, e.g. `"日付 desc, $id asc"`. Default: `$id asc`. */
  orderBy?: string;
  /** A whole query (`condition order by ...`), instead of `condition` + `orderBy`. */
  query?: string;
  /**
   * Field codes to return; records come back with exactly these. Default: all fields.
   * Typed as the keys of the record type, so a misspelt code fails to compile.
   */
  fields?: readonly F[];
  /** How to read. Default `"auto"`: seek whenever seek is exact. */
  method?: "auto" | "seek" | "cursor" | "offset";
  /** Records per request, 1..500. Default 500. */
  pageSize?: number;
  /** Cancels the read: the promise or iterator rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called after every page with how far the read has come. */
  onProgress?: (progress: Progress) => void;
  /** Guest space of the app. Default: detected inside kintone, none elsewhere. */
  guestSpaceId?: number | string;
  /** How requests are sent. Default: `kintoneTransport()` inside kintone. */
  transport?: Transport;
  /** Id windows read in parallel by a seek on `$id`. */
  concurrency?: number;
  /** How long to wait for a free cursor when all 10 are taken, in ms. Default 30000. */
  cursorWaitMs?: number;
  /** Attempts for a seek or offset page on 429 `GAIA_TO04`, 5xx or network errors. */
  retries?: number;
}
