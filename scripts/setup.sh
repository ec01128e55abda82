#!/usr/bin/env bash
# Installs everything the build and the tests need, skipping each step that is already
# satisfied, so a second run takes a few seconds. Safe in CI (CI=true, no stdin) and from
# any directory. Needs rustup/cargo, node/npm and (for Chromium) apt-get.
set -euo pipefail

# wasm-pack is not pinned by anything in the repo, so pin it here.
WASM_PACK_VERSION="0.15.1"
WASM_TARGET="wasm32-unknown-unknown"

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# cargo install puts binaries here; CI shells do not always have it on PATH.
if [ -d "${CARGO_HOME:-$HOME/.cargo}/bin" ]; then
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
fi

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

for tool in rustup cargo node npm; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (install it first)"
done

# Runs a command as root (apt-get), through sudo when not root already.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

# 1. The wasm target of the Rust toolchain.
if rustup target list --installed | grep -qx "$WASM_TARGET"; then
  say "rust target $WASM_TARGET: already installed"
else
  say "rust target $WASM_TARGET: installing"
  rustup target add "$WASM_TARGET"
fi

# 2. wasm-bindgen-cli, at exactly the version of the wasm-bindgen crate in Cargo.lock
#    (the CLI and the crate must match or the generated glue is refused).
if [ -f Cargo.lock ]; then
  say "Cargo.lock: present"
else
  say "Cargo.lock: missing, generating"
  cargo generate-lockfile
fi
bindgen_version="$(awk '
  /^\[\[package\]\]/ { in_pkg = 0 }
  /^name = "wasm-bindgen"$/ { in_pkg = 1; next }
  in_pkg && /^version = / { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)"
[ -n "$bindgen_version" ] || die "no wasm-bindgen package in Cargo.lock"
installed_bindgen="$( (wasm-bindgen --version 2>/dev/null || true) | awk '{ print $2 }')"
if [ "$installed_bindgen" = "$bindgen_version" ]; then
  say "wasm-bindgen-cli $bindgen_version: already installed"
else
  say "wasm-bindgen-cli $bindgen_version: installing (found: ${installed_bindgen:-none})"
  cargo install --locked wasm-bindgen-cli --version "$bindgen_version"
fi

# 3. wasm-pack (always run it with --mode no-install: it otherwise downloads from GitHub).
installed_pack="$( (wasm-pack --version 2>/dev/null || true) | awk '{ print $2 }')"
if [ "$installed_pack" = "$WASM_PACK_VERSION" ]; then
  say "wasm-pack $WASM_PACK_VERSION: already installed"
else
  say "wasm-pack $WASM_PACK_VERSION: installing (found: ${installed_pack:-none})"
  cargo install --locked wasm-pack --version "$WASM_PACK_VERSION"
fi

# 4. Chromium and its driver from Debian, for the headless browser test.
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  say "chromium + chromium-driver: already installed"
else
  say "chromium + chromium-driver: installing with apt-get"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi

# 5. npm packages: npm ci when node_modules is missing or package-lock.json changed
#    since the last successful npm ci (the stamp lives inside node_modules, so it goes
#    away with it).
stamp="node_modules/.package-lock.sha256"
lock_hash="$(sha256sum package-lock.json | awk '{ print $1 }')"
if [ -d node_modules ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ]; then
  say "npm packages: up to date with package-lock.json"
else
  say "npm packages: running npm ci"
  npm ci --no-audit --no-fund
  printf '%s\n' "$lock_hash" >"$stamp"
fi

say "done"
