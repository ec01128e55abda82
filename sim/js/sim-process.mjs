// Builds and starts the simulator binary from Node (tests/sim and scripts/demo.mjs).
//
// The root Cargo.toml's release profile is tuned for the wasm (opt-level "z", LTO,
// panic=abort). The simulator is built with its own profile `sim` instead, defined on
// the command line (release, opt-level 3, no LTO, unwinding panics), so it lands in
// target/sim/kintone-sim and never disturbs target/release. KINTONE_SIM_BIN overrides
// the binary (no build).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));

export const SIM_PROFILE_ARGS = [
  "--profile", "sim",
  "--config", 'profile.sim.inherits="release"',
  "--config", "profile.sim.opt-level=3",
  "--config", "profile.sim.lto=false",
  "--config", "profile.sim.codegen-units=16",
  "--config", 'profile.sim.panic="unwind"',
  "--config", "profile.sim.strip=false",
];

function cargoEnv() {
  const cargoBin = join(process.env.CARGO_HOME || join(homedir(), ".cargo"), "bin");
  const path = existsSync(cargoBin) ? `${cargoBin}:${process.env.PATH}` : process.env.PATH;
  return { ...process.env, PATH: path };
}

/** The path of the simulator binary, building it first (a no-op when up to date). */
export function buildSim({ quiet = false } = {}) {
  if (process.env.KINTONE_SIM_BIN) return process.env.KINTONE_SIM_BIN;
  execFileSync("cargo", ["build", "-p", "kintone-sim", ...SIM_PROFILE_ARGS], {
    cwd: root,
    env: cargoEnv(),
    stdio: ["ignore", quiet ? "ignore" : "inherit", quiet ? "pipe" : "inherit"],
  });
  return join(root, "target", "sim", "kintone-sim");
}

/**
 * The arguments in KINTONE_SIM_ARGS (split on whitespace), added to every simulator
 * started here: scripts/test.sh sets it to rerun the simulator-backed tests under each
 * unknown-behaviour switch (`--empty-equals nothing` ...).
 */
export function extraSimArgs(env = process.env) {
  return (env.KINTONE_SIM_ARGS ?? "").split(/\s+/).filter(Boolean);
}

/**
 * Starts the simulator on a free loopback port and resolves once it listens.
 * @param {string[]} args command-line arguments (`--records 1000 --api-token T` ...), without --port;
 *   KINTONE_SIM_ARGS is appended
 * @param {{ bin?: string, port?: number, timeoutMs?: number, stdio?: "pipe" | "inherit" }} options
 * @returns {Promise<{ url: string, port: number, child: import("node:child_process").ChildProcess, stop: () => Promise<void> }>}
 */
export function startSim(args = [], { bin = buildSim({ quiet: true }), port = 0, timeoutMs = 120_000, stdio = "pipe" } = {}) {
  // stdin stays open as long as this process lives: if it dies, the simulator exits.
  const child = spawn(bin, ["--port", String(port), "--exit-on-stdin-close", ...args, ...extraSimArgs()], {
    cwd: root,
    stdio: ["pipe", "pipe", stdio === "inherit" ? "inherit" : "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.stdin?.end();
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`kintone-sim did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`kintone-sim exited (${code ?? signal}) before listening: ${stderr}`));
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /kintone-sim listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (match) {
        clearTimeout(timer);
        child.stdout.removeAllListeners("data");
        child.stdout.resume();
        child.removeAllListeners("exit");
        resolve({ url: match[1], port: Number(match[2]), child, stop });
      }
    });
  });
}

/**
 * Starts a simulator serving `data` (the `--data` file's content: `{ apps: [...] }`),
 * written to a temporary folder that `stop()` removes.
 */
export async function startSimWithData(data, args = []) {
  const dir = mkdtempSync(join(tmpdir(), "kintone-sim-data-"));
  const file = join(dir, "data.json");
  writeFileSync(file, JSON.stringify(data));
  try {
    const sim = await startSim(["--data", file, ...args]);
    return { ...sim, stop: () => sim.stop().finally(() => rmSync(dir, { recursive: true, force: true })) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * One call to a running simulator's control API (`/_sim/{path}`: stats, faults, reset,
 * latency, evaluate ...), for the tests and benchmarks that drive it.
 * @returns {Promise<any>} the JSON answer; an Error with the status and body otherwise
 */
export async function simControl(url, path, method = "GET", body) {
  const response = await fetch(`${url}/_sim/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`/_sim/${path}: ${response.status} ${await response.text()}`);
  return response.json();
}
