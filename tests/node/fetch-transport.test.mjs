// fetchTransport against a local HTTP server standing in for kintone: what goes on the
// wire (URL, method, headers, body) and how each kind of answer comes back.

import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { fetchTransport, KintoneApiError, KintoneSeekError } from "kintone-seek";

/** Every request the server received: { method, url, headers, body }. */
let requests = [];
/** How the server answers the next requests: (request, res) => void. Reset before each test. */
let reply;
/** Resolves when the server receives a request (for the abort test). */
let onRequest = () => {};
let server;
let origin;

function answer(status, body, headers = {}) {
  return (_request, res) => {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    const type = typeof body === "string" ? "text/html" : "application/json";
    res.writeHead(status, { "Content-Type": type, ...headers });
    res.end(text);
  };
}

before(async () => {
  server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const request = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(request);
      onRequest(request);
      reply(request, res);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests = [];
  reply = answer(200, { ok: true });
  onRequest = () => {};
});

// Every test that talks to the server runs over both stacks: node:http (Node's default)
// and fetch (the browsers', and Node's when the fetch option is given).
const STACKS = { "node:http": {}, fetch: { fetch: (...args) => globalThis.fetch(...args) } };
let stack = {};
function both(name, body) {
  for (const [label, options] of Object.entries(STACKS)) {
    test(`${name} [${label}]`, async (t) => {
      stack = options;
      try {
        await body(t);
      } finally {
        stack = {};
      }
    });
  }
}
const transport = (options) => fetchTransport({ ...stack, ...options });
const token = (extra = {}) => transport({ baseUrl: origin, apiToken: "tok1", ...extra });

// ---------------------------------------------------------------- GET encoding

both("GET encodes params in the query string exactly as kintone takes them", async () => {
  const transport = token();
  const result = await transport("/k/v1/records.json", "GET", {
    app: 1,
    query: `日付 > "2024-01-01" and 担当者 in ("山田")`,
    fields: ["$id", "タイトル"],
    totalCount: true,
    skipped: undefined,
    size: 500,
    flag: false,
  });
  assert.deepEqual(result, { ok: true });
  assert.equal(requests.length, 1);
  const [request] = requests;
  assert.equal(request.method, "GET");
  assert.equal(
    request.url,
    "/k/v1/records.json?app=1" +
      "&query=%E6%97%A5%E4%BB%98%20%3E%20%222024-01-01%22%20and%20%E6%8B%85%E5%BD%93%E8%80%85%20in%20(%22%E5%B1%B1%E7%94%B0%22)" +
      "&fields[0]=%24id&fields[1]=%E3%82%BF%E3%82%A4%E3%83%88%E3%83%AB" +
      "&totalCount=true&size=500&flag=false",
  );
  assert.equal(request.body, "");
  assert.equal(request.headers["content-type"], undefined);
  assert.equal(request.headers["x-http-method-override"], undefined);
  assert.equal(request.headers["x-requested-with"], undefined);
  assert.equal(request.headers.cookie, undefined);
});

both("GET without params has no query string; .json is added to a path without it", async () => {
  await token()("/k/v1/app", "GET", { app: undefined });
  assert.equal(requests[0].url, "/k/v1/app.json");
});

both("baseUrl with a trailing slash gives no double slash", async () => {
  await transport({ baseUrl: `${origin}/`, apiToken: "tok1" })("/k/v1/records.json", "GET", { app: 1 });
  assert.equal(requests[0].url, "/k/v1/records.json?app=1");
});

// ---------------------------------------------------------------- authentication

both("API token header: one token, and several comma-joined", async () => {
  await token()("/k/v1/records.json", "GET", { app: 1 });
  await transport({ baseUrl: origin, apiToken: ["tok1", "tok2"] })("/k/v1/records.json", "GET", { app: 1 });
  assert.equal(requests[0].headers["x-cybozu-api-token"], "tok1");
  assert.equal(requests[1].headers["x-cybozu-api-token"], "tok1,tok2");
  for (const request of requests) assert.equal(request.headers["x-cybozu-authorization"], undefined);
});

both("password header is base64 of UTF-8 user:pass, for ASCII and Japanese names", async () => {
  await transport({ baseUrl: origin, username: "user", password: "pass" })("/k/v1/records.json", "GET", { app: 1 });
  await transport({ baseUrl: origin, username: "山田太郎", password: "パスワード" })("/k/v1/records.json", "GET", { app: 1 });
  assert.equal(requests[0].headers["x-cybozu-authorization"], "dXNlcjpwYXNz");
  assert.equal(requests[1].headers["x-cybozu-authorization"], "5bGx55Sw5aSq6YOOOuODkeOCueODr+ODvOODiQ==");
  assert.equal(requests[1].headers["x-cybozu-authorization"], Buffer.from("山田太郎:パスワード", "utf8").toString("base64"));
  for (const request of requests) assert.equal(request.headers["x-cybozu-api-token"], undefined);
});

both("API token and password together send both headers", async () => {
  await transport({ baseUrl: origin, apiToken: "tok1", username: "user", password: "pass" })("/k/v1/records.json", "GET", { app: 1 });
  assert.equal(requests[0].headers["x-cybozu-api-token"], "tok1");
  assert.equal(requests[0].headers["x-cybozu-authorization"], "dXNlcjpwYXNz");
});

// ---------------------------------------------------------------- guest spaces

both("guestSpaceId rewrites /k/v1/ paths and leaves guest paths alone", async () => {
  await token({ guestSpaceId: 3 })("/k/v1/records.json", "GET", { app: 1 });
  await token({ guestSpaceId: "7" })("/k/v1/records/cursor", "POST", { app: 1 });
  await token({ guestSpaceId: 3 })("/k/guest/5/v1/records.json", "GET", { app: 1 });
  await token()("/k/guest/5/v1/records.json", "GET", { app: 1 });
  assert.deepEqual(
    requests.map((r) => r.url),
    ["/k/guest/3/v1/records.json?app=1", "/k/guest/7/v1/records/cursor.json", "/k/guest/5/v1/records.json?app=1", "/k/guest/5/v1/records.json?app=1"],
  );
});

// ---------------------------------------------------------------- POST / PUT / DELETE

both("POST, PUT and DELETE send the params as a JSON body", async () => {
  const transport = token();
  reply = answer(200, { id: "c1", totalCount: "3" });
  const created = await transport("/k/v1/records/cursor.json", "POST", { app: 1, fields: ["$id"], query: "order by $id asc", size: 500 });
  assert.deepEqual(created, { id: "c1", totalCount: "3" });
  reply = answer(200, { revision: "2" });
  await transport("/k/v1/record.json", "PUT", { app: 1, id: 5, record: { title: { value: "日本語" } } });
  reply = answer(200, {});
  assert.deepEqual(await transport("/k/v1/records/cursor.json", "DELETE", { id: "c1" }), {});

  assert.deepEqual(requests.map((r) => r.method), ["POST", "PUT", "DELETE"]);
  assert.deepEqual(requests.map((r) => r.url), ["/k/v1/records/cursor.json", "/k/v1/record.json", "/k/v1/records/cursor.json"]);
  assert.equal(requests[0].body, '{"app":1,"fields":["$id"],"query":"order by $id asc","size":500}');
  assert.equal(requests[1].body, '{"app":1,"id":5,"record":{"title":{"value":"日本語"}}}');
  assert.equal(requests[2].body, '{"id":"c1"}');
  for (const request of requests) {
    assert.equal(request.headers["content-type"], "application/json");
    assert.equal(request.headers["x-http-method-override"], undefined);
  }
});

// ---------------------------------------------------------------- long GET

function assertOverridden(request, params) {
  assert.equal(request.method, "POST");
  assert.equal(request.url, "/k/v1/records.json");
  assert.equal(request.headers["x-http-method-override"], "GET");
  assert.equal(request.headers["content-type"], "application/json");
  assert.equal(request.body, JSON.stringify(params));
}

both("a GET whose URL is exactly 4096 bytes stays a GET; 4097 bytes goes as POST with X-HTTP-Method-Override", async () => {
  const transport = token();
  const prefix = `${origin}/k/v1/records.json?app=1&query=`;
  const atLimit = { app: 1, query: "a".repeat(4096 - prefix.length) };
  const overLimit = { app: 1, query: "a".repeat(4097 - prefix.length) };
  await transport("/k/v1/records.json", "GET", atLimit);
  await transport("/k/v1/records.json", "GET", overLimit);
  assert.equal(requests[0].method, "GET");
  assert.equal(`${origin}${requests[0].url}`.length, 4096);
  assert.equal(requests[0].headers["x-http-method-override"], undefined);
  assertOverridden(requests[1], overLimit);
});

both("the URL limit counts bytes of the encoded URL (Japanese text is 9 bytes a character)", async () => {
  const transport = token();
  const prefix = `${origin}/k/v1/records.json?app=1&query=`;
  const room = 4096 - prefix.length;
  const fits = { app: 1, query: "あ".repeat(Math.floor(room / 9)) };
  const tooLong = { app: 1, query: "あ".repeat(Math.floor(room / 9) + 1) };
  await transport("/k/v1/records.json", "GET", fits);
  await transport("/k/v1/records.json", "GET", tooLong);
  assert.equal(requests[0].method, "GET");
  assertOverridden(requests[1], tooLong);
});

both("100 fields go in the query string; 101 fields or a nested object go as POST with override", async () => {
  const transport = token();
  const fields = (n) => Array.from({ length: n }, (_, i) => `f${i}`);
  await transport("/k/v1/records.json", "GET", { app: 1, fields: fields(100) });
  const many = { app: 1, fields: fields(101) };
  await transport("/k/v1/records.json", "GET", many);
  const nested = { app: 1, record: { title: { value: "x" } } };
  await transport("/k/v1/records.json", "GET", nested);
  assert.equal(requests[0].method, "GET");
  assert.ok(requests[0].url.endsWith("&fields[98]=f98&fields[99]=f99"));
  assertOverridden(requests[1], many);
  assertOverridden(requests[2], nested);
});

// ---------------------------------------------------------------- answers

both("a kintone error body rejects with KintoneApiError carrying code, id, message, errors, status", async () => {
  const body = {
    code: "CB_VA01",
    id: "1505999166-897850006",
    message: "入力内容が正しくありません。",
    errors: { query: { messages: ["クエリ記法が間違っています。"] } },
  };
  reply = answer(400, body);
  await assert.rejects(token()("/k/v1/records.json", "GET", { app: 1, query: "bad" }), (error) => {
    assert.ok(error instanceof KintoneApiError);
    assert.ok(error instanceof Error);
    assert.equal(error.code, "CB_VA01");
    assert.equal(error.id, "1505999166-897850006");
    assert.equal(error.message, "入力内容が正しくありません。");
    assert.deepEqual(error.errors, body.errors);
    assert.equal(error.status, 400);
    return true;
  });
});

both("HTML from a proxy (502) rejects with a PROTOCOL KintoneSeekError quoting status and body", async () => {
  reply = answer(502, "<html><body>Bad Gateway from the proxy</body></html>");
  await assert.rejects(token()("/k/v1/records.json", "GET", { app: 1 }), (error) => {
    assert.ok(error instanceof KintoneSeekError);
    assert.ok(error instanceof Error);
    assert.equal(error.code, "PROTOCOL");
    assert.equal(
      error.message,
      "kintone answered HTTP 502 Bad Gateway without a kintone error body: <html><body>Bad Gateway from the proxy</body></html>",
    );
    assert.equal(error.status, 502);
    return true;
  });
});

both("an empty error answer, and a 2xx answer that is not JSON, reject with PROTOCOL", async () => {
  reply = (_request, res) => {
    res.writeHead(503);
    res.end();
  };
  await assert.rejects(token()("/k/v1/records.json", "GET", { app: 1 }), { name: "KintoneSeekError", code: "PROTOCOL", message: /HTTP 503 Service Unavailable without a kintone error body/ });
  reply = answer(200, "x".repeat(500));
  await assert.rejects(token()("/k/v1/records.json", "GET", { app: 1 }), (error) => {
    assert.ok(error instanceof KintoneSeekError);
    assert.equal(error.code, "PROTOCOL");
    assert.ok(error.message.endsWith(`: ${"x".repeat(200)}`), error.message);
    return true;
  });
});

both("an answer with X-Cybozu-Warning is refused with PROTOCOL, never delivered truncated", async () => {
  const warning = "Filter aborted because of too many search results";
  reply = answer(200, { records: [], totalCount: null }, { "X-Cybozu-Warning": warning });
  await assert.rejects(token()("/k/v1/records.json", "GET", { app: 1, query: 'title like "a"' }), (error) => {
    assert.ok(error instanceof KintoneSeekError);
    assert.equal(error.code, "PROTOCOL");
    assert.ok(error.message.includes(`"${warning}"`), error.message);
    assert.match(error.message, /narrow the condition/);
    return true;
  });
});

both("aborting context.signal mid-request rejects with the signal's reason", async () => {
  reply = (request, res) => {
    // Answer late (bounded), unless the client goes away first.
    const timer = setTimeout(() => answer(200, { late: true })(request, res), 5000);
    res.on("close", () => clearTimeout(timer));
  };
  const received = new Promise((resolve) => (onRequest = resolve));
  const controller = new AbortController();
  const reason = new Error("stopped by the caller");
  const pending = token()("/k/v1/records.json", "GET", { app: 1 }, { signal: controller.signal });
  await received;
  controller.abort(reason);
  await assert.rejects(pending, (error) => error === reason);
  // An AbortController without a reason rejects with the default AbortError.
  const already = new AbortController();
  already.abort();
  await assert.rejects(token()("/k/v1/records.json", "GET", { app: 1 }, { signal: already.signal }), (error) => error === already.signal.reason);
});

test("a network error from fetch passes through unchanged; the fetch option is used", async () => {
  const failure = new TypeError("fetch failed");
  const calls = [];
  const transport = fetchTransport({
    baseUrl: "https://example.cybozu.com",
    apiToken: "tok1",
    fetch: (...args) => {
      calls.push(args);
      return Promise.reject(failure);
    },
  });
  await assert.rejects(transport("/k/v1/records.json", "GET", { app: 1 }), (error) => error === failure);
  assert.equal(calls.length, 1);
  assert.equal(calls[0][0], "https://example.cybozu.com/k/v1/records.json?app=1");
  assert.equal(calls[0][1].credentials, "omit");
});

// ---------------------------------------------------------------- node:http, Node's default stack

test("node:http: gzip, deflate and br answers are decoded; Accept-Encoding asks for them", async () => {
  const body = JSON.stringify({ records: [{ 件名: { value: "日本語" } }] });
  for (const [encoding, compress] of [["gzip", gzipSync], ["deflate", deflateSync], ["br", brotliCompressSync]]) {
    reply = (_request, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": encoding });
      res.end(compress(Buffer.from(body)));
    };
    assert.deepEqual(await token()("/k/v1/records.json", "GET", { app: 1 }), JSON.parse(body), encoding);
  }
  assert.match(requests[0].headers["accept-encoding"], /gzip/);
});

test("node:http: a refused connection rejects as fetch does: a TypeError, with Node's error as its cause (which reads retry)", async () => {
  const closed = createServer();
  await new Promise((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = closed.address().port;
  await new Promise((resolve) => closed.close(resolve));
  const refused = fetchTransport({ baseUrl: `http://127.0.0.1:${port}`, apiToken: "tok1" });
  await assert.rejects(refused("/k/v1/records.json", "GET", { app: 1 }), (error) => {
    assert.ok(error instanceof TypeError);
    assert.equal(error.message, "fetch failed");
    assert.equal(error.cause.code, "ECONNREFUSED");
    return true;
  });
});

test("node:http: a connection closed in the middle of an answer rejects, never delivers the part", async () => {
  reply = (_request, res) => {
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "1000" });
    res.write('{"records":[');
    setTimeout(() => res.socket.destroy(), 20);
  };
  await assert.rejects(token()("/k/v1/records.json", "GET", { app: 1 }), (error) => error instanceof TypeError && error.message === "fetch failed");
});

test("node:http: requests reuse one kept-alive connection", async () => {
  const sockets = new Set();
  reply = (request, res) => answer(200, { ok: true })(request, res);
  const onConnection = (socket) => sockets.add(socket);
  server.on("connection", onConnection);
  try {
    const send = token();
    for (let i = 0; i < 5; i++) await send("/k/v1/records.json", "GET", { app: 1 });
  } finally {
    server.off("connection", onConnection);
  }
  assert.equal(sockets.size, 1);
});

test("the package's ESM entry imports no node: module (browser bundlers refuse them)", () => {
  const entry = readFileSync(new URL("../../dist/index.js", import.meta.url), "utf8");
  assert.doesNotMatch(entry, /\bfrom\s*["']node:|\bimport\s*\(\s*["']node:|require\(\s*["']node:/);
  assert.match(entry, /getBuiltinModule/);
});

// ---------------------------------------------------------------- invalid options

test("each invalid option throws INVALID_OPTION synchronously, naming the option, with no request made", () => {
  const fetchCalls = [];
  const fakeFetch = (...args) => {
    fetchCalls.push(args);
    return Promise.reject(new Error("must not be called"));
  };
  const base = { baseUrl: "https://example.cybozu.com", apiToken: "tok1", fetch: fakeFetch };
  const cases = [
    [undefined, /options/],
    [{ apiToken: "tok1" }, /baseUrl is required/],
    [{ ...base, baseUrl: "" }, /baseUrl is required/],
    [{ ...base, baseUrl: 42 }, /baseUrl is required/],
    [{ ...base, baseUrl: "example.cybozu.com" }, /baseUrl must be an absolute URL/],
    [{ ...base, baseUrl: "ftp://example.cybozu.com" }, /baseUrl must be an http\(s\) URL/],
    [{ ...base, baseUrl: "https://example.cybozu.com/k/" }, /baseUrl must have no path \(got "\/k\/"\)/],
    [{ ...base, baseUrl: "https://example.cybozu.com/?a=1" }, /baseUrl must have no query or hash/],
    [{ ...base, baseUrl: "https://example.cybozu.com/#top" }, /baseUrl must have no query or hash/],
    [{ ...base, baseUrl: "https://user:secret@example.cybozu.com" }, /baseUrl must not hold a user name or password/],
    [{ baseUrl: base.baseUrl, fetch: fakeFetch }, /authentication is required: pass apiToken .* username and password/],
    [{ ...base, apiToken: "" }, /apiToken must be/],
    [{ ...base, apiToken: [] }, /apiToken must be/],
    [{ ...base, apiToken: ["tok1", ""] }, /apiToken must be/],
    [{ ...base, apiToken: 5 }, /apiToken must be/],
    [{ ...base, username: "user" }, /username and password go together/],
    [{ ...base, apiToken: undefined, password: "pass" }, /username and password go together/],
    [{ ...base, username: "", password: "pass" }, /username and password must be non-empty strings/],
    [{ ...base, guestSpaceId: 0 }, /guestSpaceId must be a positive integer/],
    [{ ...base, guestSpaceId: -1 }, /guestSpaceId must be a positive integer/],
    [{ ...base, guestSpaceId: 1.5 }, /guestSpaceId must be a positive integer/],
    [{ ...base, guestSpaceId: "abc" }, /guestSpaceId must be a positive integer/],
    [{ ...base, guestSpaceId: "" }, /guestSpaceId must be a positive integer/],
    [{ ...base, fetch: "fetch" }, /fetch must be a function/],
    [{ ...base, baseURL: "https://example.cybozu.com" }, /unknown option "baseURL"; the options are baseUrl, apiToken, username, password, guestSpaceId, fetch/],
    [{ ...base, token: "x" }, /unknown option "token"/],
  ];
  for (const [options, message] of cases) {
    assert.throws(
      () => fetchTransport(options),
      (error) => {
        assert.ok(error instanceof KintoneSeekError, `${JSON.stringify(options)}: ${error}`);
        assert.equal(error.code, "INVALID_OPTION");
        assert.match(error.message, message);
        return true;
      },
      JSON.stringify(options),
    );
  }
  // The credentials in a rejected baseUrl are not repeated in the message.
  assert.throws(() => fetchTransport({ ...base, baseUrl: "https://user:secret@example.cybozu.com" }), (error) => !error.message.includes("secret"));
  assert.equal(fetchCalls.length, 0);
  assert.equal(requests.length, 0);
});

test("without node:http nor a global fetch, fetchTransport asks for the fetch option", (t) => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, "fetch");
  const getBuiltinModule = process.getBuiltinModule;
  t.after(() => {
    Object.defineProperty(globalThis, "fetch", saved);
    process.getBuiltinModule = getBuiltinModule;
  });
  delete globalThis.fetch;
  // Node alone is enough.
  assert.equal(typeof fetchTransport({ baseUrl: "https://example.cybozu.com", apiToken: "tok1" }), "function");
  process.getBuiltinModule = undefined;
  assert.throws(() => fetchTransport({ baseUrl: "https://example.cybozu.com", apiToken: "tok1" }), {
    code: "INVALID_OPTION",
    message: /no global fetch: pass a fetch implementation as the fetch option/,
  });
  // A given fetch is enough.
  assert.equal(typeof fetchTransport({ baseUrl: "https://example.cybozu.com", apiToken: "tok1", fetch: async () => new Response("{}") }), "function");
});
