#!/usr/bin/env bash
# The whole test suite, in order, stopping at the first failure:
#   setup -> Rust host tests -> build -> type test -> Node + headless-Chromium tests.
# CI reads the closing `# pass N` / `# fail N` lines of the node --test run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -d "${CARGO_HOME:-$HOME/.cargo}/bin" ]; then
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
fi

step() { printf '\n==> %s\n' "$*"; }

step "setup (scripts/setup.sh)"
bash scripts/setup.sh

step "Rust tests: the core on the host, the simulator (cargo test --workspace)"
cargo test --workspace

step "build (node scripts/build.mjs)"
node scripts/build.mjs

step "type test: typed records against the built declarations (tsc -p tests/types)"
# Fails on a broken typing: an `Equal` check that does not hold, or an expected error
# (`@ts-expect-error`) that no longer is one.
node_modules/.bin/tsc -p tests/types

# Every *.test.mjs under tests/node and tests/browser, listed explicitly: node 20's
# `--test` searches a directory argument but does not expand globs, node 22+ expands
# globs, and both take plain file paths. (With no file at all, node --test would search
# the whole repository, node_modules included, so refuse instead.)
mapfile -d '' test_files < <(find tests/node tests/browser tests/sim -type f -name '*.test.mjs' -print0 2>/dev/null | sort -z)
if [ "${#test_files[@]}" -eq 0 ]; then
  echo "test: no *.test.mjs files under tests/node, tests/browser or tests/sim" >&2
  exit 1
fi

step "Node, browser and simulator tests (node --test, ${#test_files[@]} files)"
# TAP whatever stdout is, so the summary always reads `# pass N` / `# fail N`.
node --test --test-reporter=tap "${test_files[@]}"
