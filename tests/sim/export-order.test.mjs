// Simulator switches: empty-equals, empty-dates-below
// `npx kintone-seek export` ordered on optional keys against cli-kintone 1.19.2: kintone-seek
// reads such an order in parts without a cursor (its reads of the empty values depend on
// how kintone answers `k = ""` and `<` on empty dates, hence the switches); cli-kintone takes
// a cursor. Ties come out in `$id desc` either way, so the files are the same bytes.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { simControl, startSim } from "../../sim/js/sim-process.mjs";
import { ours, theirs } from "../support/cli-export.mjs";

const TOKEN = "order-token";
let sim;

before(async () => {
  sim = await startSim(["--records", "1200", "--api-token", TOKEN]);
});

after(() => sim?.stop());

for (const orderBy of ["数量 asc", "納期 desc"]) {
  test(`--order-by "${orderBy}" (an optional key): the same bytes as cli-kintone, and no cursor`, async () => {
    const created = (await simControl(sim.url, "stats")).cursors.created;
    const mine = await ours(sim, TOKEN, { app: 1, "order-by": orderBy });
    assert.equal(mine.code, 0, mine.stderr);
    assert.equal((await simControl(sim.url, "stats")).cursors.created, created, "kintone-seek took no cursor");
    const oracle = await theirs(sim, TOKEN, { app: 1, "order-by": orderBy });
    assert.equal(oracle.code, 0, oracle.stderr);
    assert.equal((await simControl(sim.url, "stats")).cursors.created, created + 1, "cli-kintone took one");
    assert.ok(mine.stdout.equals(oracle.stdout), `${mine.stdout.length} bytes against cli-kintone's ${oracle.stdout.length}`);
    assert.equal((await simControl(sim.url, "stats")).cursors.live, 0);
  });
}
