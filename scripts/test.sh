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

# Where docs/KINTONE.md says real kintone's answer is unknown, the simulator has a switch
# (sim/README.md, "Behaviours"). The library must stay exact whichever way kintone
# answers, so each test file whose answers depend on a switch says so in a line
# `// Simulator switches: empty-equals, ...` and runs again under each non-default value
# of those switches (startSim, in sim/js/sim-process.mjs, appends KINTONE_SIM_ARGS). Files
# that name none (one-page reads, `$id` orders, the browser tests) are not run again:
# their answers cannot change. All alternatives run even when one fails; the step fails
# at the end if any did.
alternatives=(
  "--empty-equals nothing"
  "--empty-equals refused"
  "--empty-dates-below excluded"
  "--keyword-case lower"
  "--like-match substring"
)
failed=()
for alternative in "${alternatives[@]}"; do
  switch="${alternative%% *}"
  switch="${switch#--}"
  mapfile -t sim_files < <(grep -lE "^// Simulator switches:.*\b${switch}\b" "${test_files[@]}")
  if [ "${#sim_files[@]}" -eq 0 ]; then
    step "no test file depends on --${switch}"
    continue
  fi
  step "tests that depend on --${switch}, under KINTONE_SIM_ARGS=\"$alternative\" (${#sim_files[@]} files)"
  if ! KINTONE_SIM_ARGS="$alternative" node --test --test-reporter=tap "${sim_files[@]}"; then
    failed+=("$alternative")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  printf 'test: simulator-backed tests failed under: %s\n' "${failed[@]}" >&2
  exit 1
fi
