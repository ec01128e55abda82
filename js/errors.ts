// The two error classes of the public contract, and the one place where anything a
// read rejects with becomes one of them (or stays the Error it already is).

/** The library's own error codes. */
export type SeekErrorCode =
  | "INVALID_QUERY"
  | "INVALID_OPTION"
  | "UNSUPPORTED_ORDER"
  | "CURSOR_LIMIT"
  | "NO_TRANSPORT"
  | "PROTOCOL"
  | "WASM_BLOCKED";

/** The JSON body kintone answers an error with. */
export interface KintoneErrorBody {
  code: string;
  id?: string;
  message: string;
  errors?: unknown;
}

/** kintone answered with an error: its `code`, `id`, `message` and `errors` are kept as sent. */
export class KintoneApiError extends Error {
  /** kintone's error code, e.g. `GAIA_IQ11`. */
  readonly code: string;
  /** kintone's error id (random per request), for its support. */
  readonly id: string;
  /** Validation details (`errors.query.messages` and the like), when kintone sent them. */
  readonly errors?: unknown;
  /** The HTTP status; absent through `kintone.api`, which does not expose it. */
  readonly status?: number;

  constructor(body: KintoneErrorBody, status?: number) {
    super(body.message);
    this.name = "KintoneApiError";
    this.code = body.code;
    this.id = body.id ?? "";
    if (body.errors !== undefined) this.errors = body.errors;
    if (status !== undefined) this.status = status;
  }
}

/** The library refused the request or gave up. */
export class KintoneSeekError extends Error {
  /** Why: one of the {@link SeekErrorCode} values. */
  readonly code: SeekErrorCode;
  /** How many records had been delivered to the caller before the error. */
  readonly fetched: number;
  /** The HTTP status, when an answer that broke kintone's contract had one (e.g. a proxy's 502). */
  readonly status?: number;

  constructor(code: SeekErrorCode, message: string, options: { cause?: unknown; fetched?: number; status?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "KintoneSeekError";
    this.code = code;
    this.fetched = options.fetched ?? 0;
    if (options.status !== undefined) this.status = options.status;
  }
}

/** Whether `value` looks like kintone's error body (`kintone.api` rejects with it as a plain object). */
export function isKintoneErrorBody(value: unknown): value is KintoneErrorBody {
  if (typeof value !== "object" || value === null) return false;
  const body = value as Record<string, unknown>;
  return typeof body.code === "string" && typeof body.message === "string";
}

/**
 * Turns whatever a transport rejected with into an `Error`: kintone's plain error body
 * becomes a {@link KintoneApiError}; an `Error` (network failure, abort reason) passes
 * through untouched; anything else (the raw text `kintone.api` rejects with when the
 * answer is not JSON) becomes a `PROTOCOL` {@link KintoneSeekError} that keeps it as `cause`.
 */
export function toError(rejection: unknown, fetched: number): Error {
  if (rejection instanceof Error) return rejection;
  if (isKintoneErrorBody(rejection)) return new KintoneApiError(rejection);
  const text = typeof rejection === "string" ? rejection.slice(0, 200) : String(rejection);
  return new KintoneSeekError(
    "PROTOCOL",
    `kintone answered with something that is not a kintone error: ${text}`,
    { cause: rejection, fetched },
  );
}
