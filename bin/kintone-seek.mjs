#!/usr/bin/env -S node --max-semi-space-size=2 --max-old-space-size=96
// `npx kintone-seek export`: every record of a view as the CSV that `cli-kintone record
// export` writes, read with the library (seek where seek serves the order, so no cursor
// where a read would take none), streamed to standard output or a file.
//
// Exit codes: 0 done; 1 kintone or the read failed (kintone's code and message on
// standard error); 2 the command line was refused (before any request, but for fields
// that only the form can refuse); 130 interrupted.
// No credential is ever printed: messages are scrubbed of the token and password too.
//
// The flags on the first line bound V8's heap (2 MB semi-spaces, 96 MB old space): an
// export holds a few pages at a time, and without them V8 lets garbage pile up to some
// 180 MB of RSS before collecting; with them a 1,000,000-record export stays near 120 MB
// (BENCHMARKS.md, "Export"). npm's shims (cmd-shim on Windows too) and \`env -S\` pass them
// on; for pages of very large records, run it as \`node --max-old-space-size=512 <this file>\`.
import { createWriteStream, rmSync } from "node:fs";
import { once } from "node:events";
import { parseArgs } from "node:util";
import iconv from "iconv-lite";
import { fetchTransport, KintoneApiError, KintoneSeekError } from "../dist/index.js";
import { exportCsv } from "../dist/csv.js";

const USAGE = `Usage: kintone-seek export --base-url URL --app ID [options] > records.csv

Every record of an app (or of a condition) as the CSV that cli-kintone record export
writes, read without a cursor wherever kintone-seek reads without one.

  --base-url URL        the kintone domain, e.g. https://example.cybozu.com (KINTONE_BASE_URL)
  --app ID              the app id
  -c, --condition Q     a query condition, e.g. 'ステータス in ("完了")'
  --order-by O          the order, e.g. '更新日時 desc' (default: by record id)
  --fields A,B          the fields to export, in this order (default: all, in form order)
  --guest-space-id ID   the app's guest space (KINTONE_GUEST_SPACE_ID)
  --encoding E          utf8 (default) or sjis (Shift_JIS)
  -o, --output FILE     write to FILE instead of standard output
  --api-token T         an API token; repeat it or separate with commas (KINTONE_API_TOKEN)
  -u, --username U      login name, with --password (KINTONE_USERNAME)
  -p, --password P      password (KINTONE_PASSWORD); a login is used over a token
  -h, --help            this text

A progress bar goes to standard error when it is a terminal.`;

const OPTIONS = {
  "base-url": { type: "string" },
  app: { type: "string" },
  condition: { type: "string", short: "c" },
  "order-by": { type: "string" },
  fields: { type: "string" },
  "guest-space-id": { type: "string" },
  encoding: { type: "string" },
  output: { type: "string", short: "o" },
  "api-token": { type: "string", multiple: true },
  username: { type: "string", short: "u" },
  password: { type: "string", short: "p" },
  help: { type: "boolean", short: "h" },
};

/** Secrets to scrub from every message, whatever produced it. */
const secrets = [];

function scrub(text) {
  let out = String(text);
  for (const secret of secrets) if (secret) out = out.split(secret).join("***");
  return out;
}

class UsageError extends Error {}

function fail(message, code) {
  process.stderr.write(`kintone-seek: ${scrub(message)}\n`);
  process.exitCode = code;
}

/** The command line and the environment, checked whole before anything is sent. */
function parse(argv, env) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error.message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length !== 1 || positionals[0] !== "export") {
    throw new UsageError(positionals.length === 0 ? "a command is required: export" : `unknown command "${positionals.join(" ")}": the command is export`);
  }
  const baseUrl = values["base-url"] ?? env.KINTONE_BASE_URL;
  if (!baseUrl) throw new UsageError("--base-url is required (or KINTONE_BASE_URL), e.g. --base-url https://example.cybozu.com");
  const app = values.app;
  if (app === undefined) throw new UsageError("--app is required: the app id, e.g. --app 12");
  if (!/^[1-9][0-9]*$/.test(app)) throw new UsageError(`--app must be an app id (a positive integer), got "${app}"`);
  const guestSpaceId = values["guest-space-id"] ?? (env.KINTONE_GUEST_SPACE_ID || undefined);
  if (guestSpaceId !== undefined && !/^[1-9][0-9]*$/.test(guestSpaceId)) {
    throw new UsageError(`--guest-space-id must be a guest space id (a positive integer), got "${guestSpaceId}"`);
  }
  const encoding = values.encoding ?? "utf8";
  if (encoding !== "utf8" && encoding !== "sjis") throw new UsageError(`--encoding must be utf8 or sjis, got "${encoding}"`);
  let fields;
  if (values.fields !== undefined) {
    fields = values.fields.split(",");
    if (fields.some((code) => code === "")) throw new UsageError("--fields must be field codes separated by commas, e.g. --fields 件名,明細");
  }
  if (values.output === "") throw new UsageError("--output must name a file");
  // As cli-kintone: a login (both halves) wins over a token; each may come from the environment.
  const username = values.username ?? env.KINTONE_USERNAME;
  const password = values.password ?? env.KINTONE_PASSWORD;
  const tokens = (values["api-token"] ?? (env.KINTONE_API_TOKEN ? [env.KINTONE_API_TOKEN] : []))
    .flatMap((token) => token.split(","))
    .filter((token) => token !== "");
  secrets.push(password, ...tokens);
  if (username && password) {
    secrets.push(Buffer.from(`${username}:${password}`).toString("base64"));
  }
  let auth;
  if (username && password) auth = { username, password };
  else if (tokens.length > 0) auth = { apiToken: tokens };
  else throw new UsageError("authentication is required: --api-token, or --username and --password (or KINTONE_API_TOKEN, KINTONE_USERNAME and KINTONE_PASSWORD)");
  let transport;
  try {
    transport = fetchTransport({ baseUrl, ...auth, ...(guestSpaceId ? { guestSpaceId } : {}) });
  } catch (error) {
    throw new UsageError(error.message.replace(/^fetchTransport: /, "--base-url: "));
  }
  return { app, condition: values.condition, orderBy: values["order-by"], fields, encoding, output: values.output, transport };
}

/** A bar on standard error: records, total, rate. Redrawn at most ten times a second. */
function progressBar(stream) {
  const started = performance.now();
  let last = 0;
  let progress;
  const draw = (final) => {
    if (!progress) return;
    const now = performance.now();
    if (!final && now - last < 100) return;
    last = now;
    const seconds = (now - started) / 1000;
    const rate = seconds > 0 ? Math.round(progress.fetched / seconds) : 0;
    const { fetched, total } = progress;
    const width = 24;
    const filled = total ? Math.min(width, Math.round((fetched / total) * width)) : 0;
    const bar = total ? `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ` : "";
    const count = `${fetched.toLocaleString("en")}${total === null ? "" : ` / ${total.toLocaleString("en")}`} records`;
    stream.write(`\r${bar}${count}, ${rate.toLocaleString("en")} records/s${progress.method === "cursor" ? " (cursor)" : ""}\x1b[K${final ? "\n" : ""}`);
  };
  return {
    update(p) {
      progress = p;
      draw(false);
    },
    end: () => draw(true),
  };
}

/** Describes what went wrong: kintone's code, message and id; the library's code and message. */
function describe(error) {
  if (error instanceof KintoneApiError) {
    const details = error.errors === undefined ? "" : ` ${JSON.stringify(error.errors)}`;
    const status = error.status === undefined ? "" : `, HTTP ${error.status}`;
    return `kintone answered ${error.code}: ${error.message}${details} (id: ${error.id}${status})`;
  }
  if (error instanceof KintoneSeekError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}

async function run(argv, env) {
  let command;
  try {
    command = parse(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    fail(`${error.message}\nRun kintone-seek --help for the options.`, 2);
    return;
  }
  if (command.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const controller = new AbortController();
  const interrupted = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  const out = command.output === undefined ? process.stdout : createWriteStream(command.output);
  let outError;
  out.on("error", (error) => {
    outError = error;
    controller.abort(error);
  });
  const encoder = command.encoding === "sjis" ? iconv.getEncoder("sjis") : undefined;
  const bar = process.stderr.isTTY ? progressBar(process.stderr) : undefined;
  const write = async (text) => {
    const bytes = encoder ? encoder.write(text) : Buffer.from(text, "utf8");
    if (bytes.length > 0 && !out.write(bytes)) await once(out, "drain", { signal: controller.signal });
  };
  try {
    const chunks = exportCsv({
      app: command.app,
      ...(command.condition !== undefined ? { condition: command.condition } : {}),
      ...(command.orderBy !== undefined ? { orderBy: command.orderBy } : {}),
      ...(command.fields !== undefined ? { fields: command.fields } : {}),
      transport: command.transport,
      signal: controller.signal,
      onProgress: bar?.update,
    });
    for await (const chunk of chunks) await write(chunk);
    const rest = encoder?.end();
    if (rest?.length) out.write(rest);
    bar?.end();
    if (out !== process.stdout) {
      out.end();
      await once(out, "finish");
    }
  } catch (error) {
    bar?.end();
    if (out !== process.stdout) {
      out.destroy();
      rmSync(command.output, { force: true }); // no half-written file that looks whole
    }
    if (controller.signal.aborted && controller.signal.reason?.message === "interrupted") {
      fail("interrupted; the read was stopped and nothing is left open", 130);
    } else if (!outError && error instanceof KintoneSeekError && (error.code === "INVALID_QUERY" || error.code === "INVALID_OPTION")) {
      // The library refused the condition, order or fields (before any request, but for
      // fields that only the form can refuse): the command line's fault.
      fail(`${describe(error)}\nRun kintone-seek --help for the options.`, 2);
    } else {
      fail(describe(outError ?? error), 1);
    }
  } finally {
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
}

await run(process.argv.slice(2), process.env);
