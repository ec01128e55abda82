// The HTTP stack `fetchTransport` uses in Node when no `fetch` is given: node:http(s)
// directly, the stack the official client (axios) also sends on. Node's global fetch
// (undici) spends more CPU per answer: web streams between the socket and the text, and
// a TextDecoder where one Buffer.toString does. Measured on 100,000 records at 0 ms
// latency (BENCHMARKS.md, "Where the time goes").
//
// The modules come from `process.getBuiltinModule` (Node 20.16+), not from an `import`:
// the package's ESM entry must stay free of `node:` imports, which browser bundlers
// refuse, and this code only runs where Node is.

// The few members of Node's modules used here, written out so that the package's types
// need no @types/node.
interface Bytes extends Uint8Array {
  toString(encoding?: "utf8"): string;
}
interface BufferModule {
  Buffer: { concat(chunks: Bytes[]): Bytes; byteLength(text: string): number };
}
interface IncomingMessage {
  statusCode?: number;
  statusMessage?: string;
  headers: Record<string, string | string[] | undefined>;
  on(event: "data", listener: (chunk: Bytes) => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  on(event: "end", listener: () => void): void;
}
interface ClientRequest {
  on(event: "error", listener: (error: Error) => void): void;
  end(body?: string): void;
  destroy(): void;
}
interface HttpModule {
  request(url: string, options: { method: string; headers: Record<string, string | number> }, onResponse: (response: IncomingMessage) => void): ClientRequest;
}
interface ZlibModule {
  gunzipSync(body: Bytes): Bytes;
  inflateSync(body: Bytes): Bytes;
  brotliDecompressSync(body: Bytes): Bytes;
}

/** What `fetchTransport` reads of an answer, from either stack. */
export interface HttpAnswer {
  status: number;
  statusText: string;
  /** `X-Cybozu-Warning`, or `null`. */
  warning: string | null;
  text: string;
}

/** A request as `fetchTransport` builds it. */
export interface HttpRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal | null;
}

export type HttpSend = (url: string, request: HttpRequest) => Promise<HttpAnswer>;

interface NodeProcess {
  getBuiltinModule?(id: string): unknown;
}

/** Node's modules, or `undefined` outside Node (or on a Node without getBuiltinModule). */
function builtins(): { http: HttpModule; https: HttpModule; zlib: ZlibModule; buffer: BufferModule } | undefined {
  const process = (globalThis as { process?: NodeProcess }).process;
  const load = process?.getBuiltinModule;
  if (typeof load !== "function") return undefined;
  const http = load.call(process, "node:http") as HttpModule | undefined;
  const https = load.call(process, "node:https") as HttpModule | undefined;
  const zlib = load.call(process, "node:zlib") as ZlibModule | undefined;
  const buffer = load.call(process, "node:buffer") as BufferModule | undefined;
  return http && https && zlib && buffer ? { http, https, zlib, buffer } : undefined;
}

/**
 * A network failure as `fetch` reports one, a `TypeError` with the cause: reads retry
 * exactly what they retry through `fetch`, and callers see one shape whichever stack sent.
 */
function networkError(cause: unknown): TypeError {
  return new TypeError("fetch failed", { cause });
}

/** The body as text, decompressed as `fetch` would (kintone compresses what it sends). */
function decode(zlib: ZlibModule, body: Bytes, encoding: string | string[] | undefined): string {
  switch (String(encoding ?? "").trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      body = zlib.gunzipSync(body);
      break;
    case "deflate":
      body = zlib.inflateSync(body);
      break;
    case "br":
      body = zlib.brotliDecompressSync(body);
      break;
  }
  const text = body.toString("utf8");
  // fetch's text() drops a byte order mark; so does this.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The node:http sender, or `undefined` where Node's modules are not available. */
export function nodeHttpSend(): HttpSend | undefined {
  const modules = builtins();
  if (!modules) return undefined;
  const { zlib } = modules;
  const { Buffer } = modules.buffer;
  return (url, { method, headers, body, signal }) =>
    new Promise<HttpAnswer>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const stack = url.startsWith("https:") ? modules.https : modules.http;
      const sent: Record<string, string | number> = { "Accept-Encoding": "gzip, deflate, br", ...headers };
      if (body !== undefined) sent["Content-Length"] = Buffer.byteLength(body);
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      };
      // The default agent keeps connections alive between requests (Node 19+).
      const request = stack.request(url, { method, headers: sent }, (response) => {
        const chunks: Bytes[] = [];
        response.on("data", (chunk) => chunks.push(chunk));
        // Also a connection closed before the answer's end ("aborted"): never a short answer.
        response.on("error", (error) => fail(signal?.aborted ? signal.reason : networkError(error)));
        response.on("end", () => {
          if (settled) return;
          let text: string;
          try {
            text = decode(zlib, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), response.headers["content-encoding"]);
          } catch (error) {
            return fail(networkError(error));
          }
          settled = true;
          signal?.removeEventListener("abort", onAbort);
          const warning = response.headers["x-cybozu-warning"];
          resolve({
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? "",
            warning: warning === undefined ? null : String(warning),
            text,
          });
        });
      });
      const onAbort = () => {
        fail(signal!.reason);
        request.destroy();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      request.on("error", (error) => fail(signal?.aborted ? signal.reason : networkError(error)));
      request.end(body);
    });
}
