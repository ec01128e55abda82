// Simulator switches: empty-equals, empty-dates-below, keyword-case, like-match (scripts/test.sh reruns this file under each).
// startSim appends KINTONE_SIM_ARGS to every simulator it starts: scripts/test.sh reruns
// the simulator-backed tests under each unknown-behaviour switch this way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { extraSimArgs, startSim } from "../../sim/js/sim-process.mjs";

test("KINTONE_SIM_ARGS is split on whitespace", () => {
  assert.deepEqual(extraSimArgs({ KINTONE_SIM_ARGS: "  --empty-equals   nothing \n" }), ["--empty-equals", "nothing"]);
  assert.deepEqual(extraSimArgs({}), []);
});

test("a simulator started with KINTONE_SIM_ARGS answers under that switch", async () => {
  const saved = process.env.KINTONE_SIM_ARGS;
  process.env.KINTONE_SIM_ARGS = "--empty-equals refused";
  let sim;
  try {
    sim = await startSim(["--records", "10"]);
  } finally {
    if (saved === undefined) delete process.env.KINTONE_SIM_ARGS;
    else process.env.KINTONE_SIM_ARGS = saved;
  }
  try {
    const behaviour = await (await fetch(`${sim.url}/_sim/behaviour`)).json();
    assert.equal(behaviour.emptyEquals, "refused");
  } finally {
    await sim.stop();
  }
});
