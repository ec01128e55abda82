// The two command lines that export a kintone app as CSV, run as child processes against
// a simulator: ours (`bin/kintone-seek.mjs export`) and the oracle, cli-kintone 1.19.2
// (`@kintone/cli`, a devDependency at that exact version). Shared by tests/sim/export*.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const OUR_CLI = join(root, "bin", "kintone-seek.mjs");
export const CLI_KINTONE = join(dirname(createRequire(import.meta.url).resolve("@kintone/cli/package.json")), "cli.js");

/** An environment without the KINTONE_* variables of whoever runs the tests. */
export function cleanEnv(extra = {}) {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("KINTONE_") && name !== "KINTONE_SIM_BIN") delete env[name];
  delete env.HTTPS_PROXY;
  delete env.https_proxy;
  return { ...env, ...extra };
}

/**
 * Runs `node script ...args` (ours: the script itself, as npm's shim does); resolves `{ code, stdout (Buffer), stderr (string) }`
 * whatever the exit code.
 */
export function runNode(script, args, { env = cleanEnv(), timeout = 300_000 } = {}) {
  // Ours runs as npm's shim runs it: the file itself, whose first line gives node its flags.
  const [file, argv] = script === OUR_CLI ? [script, args] : [process.execPath, [script, ...args]];
  return new Promise((resolve, reject) => {
    execFile(file, argv, { env, encoding: "buffer", maxBuffer: 1 << 30, timeout }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") return reject(error);
      resolve({ code: error ? error.code : 0, stdout, stderr: stderr.toString("utf8") });
    });
  });
}

/** `export` options as an argument list: { app: 1, "order-by": "件名 asc" } -> ["--app", "1", "--order-by", "件名 asc"]. */
export function toArgs(options) {
  return Object.entries(options).flatMap(([name, value]) => (value === undefined ? [] : [`--${name}`, String(value)]));
}

/** `kintone-seek export` against `sim` with an API token. */
export function ours(sim, token, options, run = {}) {
  return runNode(OUR_CLI, ["export", "--base-url", sim.url, "--api-token", token, ...toArgs(options)], run);
}

/**
 * `cli-kintone record export` against `sim`. The official client takes plain http only
 * for `localhost`, so the URL names it (the simulator listens on 127.0.0.1).
 */
export function theirs(sim, token, options, run = {}) {
  return runNode(CLI_KINTONE, ["record", "export", "--base-url", `http://localhost:${sim.port}`, "--api-token", token, ...toArgs(options)], run);
}
