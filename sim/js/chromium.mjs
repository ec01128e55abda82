// Headless Chromium as the tests, the bench and the demo start it: Debian's chromium
// (CHROMIUM_PATH overrides), driven by playwright-core. Playwright itself adds --headless,
// a fresh temporary profile (--user-data-dir, removed on close) and the switches that stop
// background tabs from being throttled; the flags here are for a root user in a container
// without internet (background networking, component updates, sync and QUIC would reach
// for it); repeating a switch is harmless.
import { chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches headless Chromium with the flags above and any `extraArgs`. */
export function launchChromium(extraArgs = []) {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs], timeout: 60_000 });
}
