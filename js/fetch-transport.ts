// A Transport over HTTP: the same REST calls `kintone.api` makes, sent with kintone's
// own authentication (API token or password) from Node (node:http, js/node-http.ts) or
// from a page outside kintone (`fetch`).

import { KintoneApiError, KintoneSeekError, isKintoneErrorBody } from "./errors.js";
import { toQueryString } from "./http-params.js";
import { nodeHttpSend, type HttpAnswer, type HttpRequest, type HttpSend } from "./node-http.js";
import type { FetchTransportOptions, HttpMethod, Transport, TransportContext } from "./types.js";

const KNOWN_OPTIONS = ["baseUrl", "apiToken", "username", "password", "guestSpaceId", "fetch"];

/**
 * A GET whose URL would be longer than this many bytes goes as `POST` with
 * `X-HTTP-Method-Override: GET`: the threshold `kintone.api` uses for the same switch,
 * well below the 8 KB beyond which kintone answers 414.
 */
const MAX_GET_URL_BYTES = 4096;

const utf8 = new TextEncoder();

function invalid(message: string): KintoneSeekError {
  return new KintoneSeekError("INVALID_OPTION", `fetchTransport: ${message}`);
}

// base64 of the UTF-8 bytes: btoa alone only takes Latin-1 and would throw on (or
// mangle) a Japanese login name. No Buffer, so the same code runs in browsers.
function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of utf8.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function checkBaseUrl(baseUrl: unknown): string {
  const example = 'e.g. "https://example.cybozu.com"';
  if (typeof baseUrl !== "string" || baseUrl === "") throw invalid(`baseUrl is required: the kintone domain, ${example}`);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw invalid(`baseUrl must be an absolute URL, ${example}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw invalid(`baseUrl must be an http(s) URL, ${example}`);
  // The value is not echoed here: it holds the credentials this message is about.
  if (url.username !== "" || url.password !== "") throw invalid("baseUrl must not hold a user name or password: use the username and password options");
  if (url.pathname !== "/") throw invalid(`baseUrl must have no path (got "${url.pathname}"): pass only the domain, ${example}`);
  if (/[?#]/.test(baseUrl)) throw invalid(`baseUrl must have no query or hash: pass only the domain, ${example}`);
  return url.origin; // drops the trailing slash
}

function isToken(token: unknown): token is string {
  return typeof token === "string" && token !== "";
}

// Validates everything up front, so that a wrong option fails where the transport is
// made rather than on the first request of some later read.
function check(options: FetchTransportOptions) {
  if (typeof options !== "object" || options === null) throw invalid("options must be an object such as { baseUrl, apiToken }");
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.includes(key)) throw invalid(`unknown option "${key}"; the options are ${KNOWN_OPTIONS.join(", ")}`);
  }
  const { apiToken, username, password, guestSpaceId, fetch: givenFetch } = options;
  const origin = checkBaseUrl(options.baseUrl);

  const headers: Record<string, string> = {};
  if (apiToken !== undefined) {
    const tokens = Array.isArray(apiToken) ? apiToken : [apiToken];
    if (tokens.length === 0 || !tokens.every(isToken)) throw invalid("apiToken must be a non-empty string or a non-empty array of non-empty strings");
    headers["X-Cybozu-API-Token"] = tokens.join(",");
  }
  if ((username === undefined) !== (password === undefined)) throw invalid("username and password go together: pass both (password authentication) or neither");
  if (username !== undefined) {
    if (!isToken(username) || !isToken(password)) throw invalid("username and password must be non-empty strings");
    headers["X-Cybozu-Authorization"] = base64Utf8(`${username}:${password}`);
  }
  if (apiToken === undefined && username === undefined) {
    throw invalid("authentication is required: pass apiToken (one API token or an array of them) and/or username and password");
  }

  let guest: string | undefined;
  if (guestSpaceId !== undefined) {
    guest = typeof guestSpaceId === "number" ? String(guestSpaceId) : guestSpaceId;
    if (typeof guest !== "string" || !/^[1-9][0-9]*$/.test(guest)) {
      throw invalid(`guestSpaceId must be a positive integer (a number or a string of digits), e.g. 3; got ${String(guestSpaceId)}`);
    }
  }

  if (givenFetch !== undefined && typeof givenFetch !== "function") throw invalid("fetch must be a function (a fetch implementation)");
  // In Node, node:http unless a fetch is given; elsewhere the global fetch.
  const send = givenFetch ? overFetch(givenFetch) : nodeHttpSend() ?? (typeof globalThis.fetch === "function" ? overFetch(globalThis.fetch) : undefined);
  if (!send) throw invalid("this environment has no global fetch: pass a fetch implementation as the fetch option");
  return { origin, headers, guest, send };
}

/** A sender over a `fetch` implementation (no cookies: `credentials: "omit"`). */
function overFetch(send: typeof fetch): HttpSend {
  return async (url, { method, headers, body, signal }) => {
    // Called without a receiver: browsers throw "Illegal invocation" on `options.fetch(...)`.
    const response = await send(url, { method, headers, body, credentials: "omit", signal });
    // Read the whole body first in every case, so the connection is released.
    const text = await response.text();
    return { status: response.status, statusText: response.statusText, warning: response.headers.get("X-Cybozu-Warning"), text };
  };
}

// `/k/v1/x` -> `/k/guest/{id}/v1/x` in a guest space; `.json` added as kintone.api does.
function apiPath(path: string, guest: string | undefined): string {
  if (guest !== undefined && path.startsWith("/k/v1/")) path = `/k/guest/${guest}/v1/${path.slice(6)}`;
  return path.endsWith(".json") ? path : `${path}.json`;
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

function readAnswer(response: HttpAnswer): unknown {
  const { text, warning } = response;
  const parsed = parseJson(text);
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  if (response.status >= 200 && response.status < 300) {
    // kintone stops filtering (e.g. a `like` matching 100,000+ records) and answers 200
    // with only part of the result: refuse it rather than pass on a truncated answer.
    if (warning !== null) {
      throw new KintoneSeekError("PROTOCOL", `kintone answered with the warning "${warning}", so its answer is incomplete: narrow the condition so that fewer records match`);
    }
    if (parsed === undefined) throw new KintoneSeekError("PROTOCOL", `kintone answered ${status} with a body that is not JSON: ${text.slice(0, 200)}`);
    return parsed.value;
  }
  if (parsed !== undefined && isKintoneErrorBody(parsed.value)) throw new KintoneApiError(parsed.value, response.status);
  // The status travels along: a 5xx from a proxy is transient, and reads retry it.
  throw new KintoneSeekError("PROTOCOL", `kintone answered ${status} without a kintone error body: ${text.slice(0, 200)}`, { status: response.status });
}

/**
 * Makes a {@link Transport} that sends kintone REST calls over HTTP, authenticated with
 * an API token and/or a user name and password: in Node over node:http(s) (with
 * keep-alive, and gzip, deflate or br answers decompressed), elsewhere over the global
 * `fetch`, and over the `fetch` option wherever one is given.
 *
 * - `apiToken` is sent as `X-Cybozu-API-Token` (several tokens comma-joined);
 *   `username`/`password` as `X-Cybozu-Authorization`. Both may be given: kintone then
 *   uses the password authentication. No cookies are sent (`credentials: "omit"`).
 * - With `guestSpaceId`, `/k/v1/...` paths become `/k/guest/{id}/v1/...`; a guest path
 *   is left as it is. `.json` is added to a path without it.
 * - GET params go in the query string (`fields[0]=a&fields[1]=b`). When the URL would
 *   exceed 4096 bytes, or a param has no query string form (a nested object, an array of
 *   more than 100 entries), the call goes as `POST` with `X-HTTP-Method-Override: GET`
 *   and a JSON body. POST, PUT and DELETE always carry a JSON body.
 * - `context.signal` aborts the request, which rejects with the signal's reason.
 *
 * The transport resolves to kintone's JSON answer. It rejects with a
 * {@link KintoneApiError} (with `status`) when kintone answers an error, with a `PROTOCOL`
 * {@link KintoneSeekError} when the answer is not kintone's (HTML from a proxy, no JSON)
 * or carries `X-Cybozu-Warning` (an incomplete result), with the signal's reason on
 * abort, and on network failure with fetch's own error (node:http's error is wrapped
 * the same way: a `TypeError` "fetch failed" whose `cause` is Node's error).
 *
 * @throws KintoneSeekError `INVALID_OPTION` at once, before any request, when an option
 * is missing, malformed or unknown.
 */
export function fetchTransport(options: FetchTransportOptions): Transport {
  const { origin, headers, guest, send } = check(options);
  return async (path: string, method: HttpMethod, params: Record<string, unknown>, context?: TransportContext) => {
    let url = origin + apiPath(path, guest);
    const sent: Record<string, string> = { ...headers };
    const init: HttpRequest = { method, headers: sent, signal: context?.signal ?? null };
    const query = method === "GET" ? toQueryString(params ?? {}) : undefined;
    const withQuery = query ? `${url}?${query}` : url;
    if (query !== undefined && utf8.encode(withQuery).length <= MAX_GET_URL_BYTES) {
      url = withQuery;
    } else {
      if (method === "GET") {
        init.method = "POST";
        sent["X-HTTP-Method-Override"] = "GET";
      }
      sent["Content-Type"] = "application/json";
      init.body = JSON.stringify(params ?? {});
    }
    return readAnswer(await send(url, init));
  };
}
