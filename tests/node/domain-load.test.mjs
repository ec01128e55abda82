// Inside kintone the default `concurrency` follows the domain's load: once its first page
// came back full, a read sends the second page alone and asks
// `kintone.api.getConcurrencyLimit()` beside it; nothing goes out in parallel until the
// answer allows it. It opens id windows (at most 4) only while the domain has ample
// headroom, re-checks as it goes, and drops to one window for good at the first 429
// GAIA_TO04. Counted here: requests in flight, and the last progress of every read.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { getAllRecords } from "kintone-seek";
import { createFakeKintone, makeRecords } from "../support/fake-kintone.mjs";

const RECORDS = 25_000; // 50 pages

/**
 * `kintone` on a page of a domain where `load.others` requests of other users run: the
 * fake's answers take a few milliseconds; every send is logged with how many of this
 * read's requests were already in flight, and getConcurrencyLimit() reports the load.
 */
function installKintone(fake, load) {
  const sends = [];
  const state = { inFlight: 0, questions: 0 };
  const api = async (path, method, params) => {
    sends.push({ inFlight: state.inFlight, windows: load.windows });
    state.inFlight++;
    try {
      await new Promise((resolve) => setTimeout(resolve, 3));
      return await fake.api(path, method, params);
    } finally {
      state.inFlight--;
    }
  };
  api.url = (path) => `https://example.cybozu.com${path}.json`;
  api.getConcurrencyLimit = async () => {
    state.questions++;
    return { limit: 100, running: load.others + state.inFlight };
  };
  globalThis.kintone = { api, app: { getId: () => 1, getQuery: () => "", getQueryCondition: () => "" } };
  return { sends, state };
}

/** Reads everything, remembering the window count each progress report gave. */
async function read(load, { onProgress, ...extra } = {}) {
  const reported = [];
  let last;
  const records = await getAllRecords({
    app: 1,
    ...extra,
    onProgress: (p) => {
      reported.push(p.windows);
      last = p;
      load.windows = p.windows;
      onProgress?.(p);
    },
  });
  // The last call reports every record delivered and the total.
  assert.deepEqual([last.fetched, last.total], [records.length, records.length], "the last progress");
  return { ids: records.map((r) => Number(r.$id.value)), reported };
}

const range = (n) => Array.from({ length: n }, (_, i) => i + 1);
const most = (sends) => Math.max(...sends.map((s) => s.inFlight + 1));

afterEach(() => {
  delete globalThis.kintone;
});

test("an idle domain: after the first page, four windows run", async () => {
  const fake = createFakeKintone(makeRecords(RECORDS));
  const load = { others: 0 };
  const { sends, state } = installKintone(fake, load);
  const { ids, reported } = await read(load);
  assert.deepEqual(ids, range(RECORDS));
  assert.equal(most(sends), 4, "requests in flight at most");
  assert.equal(reported.at(-1), 4, "progress says four windows run");
  // Asked once windows start, then every 8 window pages: a few questions, not one a page.
  assert.ok(state.questions >= 2 && state.questions <= 8, `${state.questions} questions`);
});

test("a busy domain (running near the limit): one request at a time once the first page is back", async () => {
  const fake = createFakeKintone(makeRecords(RECORDS));
  const load = { others: 85 };
  const { sends, state } = installKintone(fake, load);
  const { ids, reported } = await read(load);
  assert.deepEqual(ids, range(RECORDS));
  // The first page alone, then the second alone with the question beside it: busy, so
  // every request goes out alone, to the last, and no probe for windows is sent.
  assert.deepEqual(sends.filter((s) => s.inFlight > 0), [], "a request sent while another was in flight");
  assert.equal(sends.length, RECORDS / 500 + 1, "each page once, and the request that confirms the end");
  assert.deepEqual(fake.requests.filter((r) => r.params.query.includes("desc")), [], "no far-end probe");
  assert.ok(reported.every((w) => w === undefined || w === 1), `windows reported: ${reported}`);
  // Asked beside the second page (answered by the third), then 8 pages after each answer
  // (pages 11, 20, 29, 38 and 47); the last page and the confirmation ask nothing.
  assert.equal(state.questions, 6);
});

test("a domain that becomes busy mid-read: the read drops to one window at the next check", async () => {
  const fake = createFakeKintone(makeRecords(RECORDS));
  const load = { others: 0 };
  const { sends } = installKintone(fake, load);
  let busyAt;
  const { ids, reported } = await read(load, {
    onProgress: (p) => {
      if (busyAt === undefined && p.fetched >= 5000) {
        load.others = 90;
        busyAt = sends.length;
      }
    },
  });
  assert.deepEqual(ids, range(RECORDS));
  assert.ok(most(sends.slice(0, busyAt)) === 4, "four windows while idle");
  assert.equal(reported.at(-1), 1, "one window at the end");
  // Once progress said one window, three windows sent before may still be finishing;
  // every request after those goes out alone.
  const first = sends.findIndex((s, i) => i >= busyAt && s.windows === 1);
  assert.ok(first > busyAt && first < busyAt + 24, `the drop came ${first - busyAt} sends after the load rose`);
  const late = sends.slice(first + 3);
  assert.ok(late.length > 10);
  assert.deepEqual(late.filter((s) => s.inFlight > 0), [], "a request sent while another was in flight");
});

test("the first GAIA_TO04 drops the read to one window for good, and the page is read again", async () => {
  const tooBusy = { code: "GAIA_TO04", id: "x", message: "同時に実行できるAPIリクエストの上限を超えています。" };
  let failed = false;
  let failedAt;
  const fake = createFakeKintone(makeRecords(RECORDS), {
    // The first window request past 5,000 answers 429 once.
    fail: (request) => {
      const last = /\$id > (\d+) and/.exec(request.params.query ?? "")?.[1];
      if (!failed && Number(last) >= 5000) {
        failed = true;
        failedAt = sends.length;
        return tooBusy;
      }
      return undefined;
    },
  });
  const load = { others: 0 };
  const { sends, state } = installKintone(fake, load);
  let questionsAtFailure;
  const { ids, reported } = await read(load, {
    onProgress: (p) => {
      if (p.retries === 1 && questionsAtFailure === undefined) questionsAtFailure = state.questions;
    },
  });
  assert.ok(failed);
  assert.deepEqual(ids, range(RECORDS), "every record once, the refused page read again");
  assert.equal(reported.at(-1), 1);
  assert.equal(state.questions, questionsAtFailure, "no question about the load after GAIA_TO04");
  assert.equal(most(sends.slice(0, failedAt)), 4, "four windows before the 429");
  // Three windows sent before the 429 may still be finishing; every request after those goes out alone.
  const late = sends.slice(failedAt + 3);
  assert.ok(late.length > 10);
  assert.deepEqual(late.filter((s) => s.inFlight > 0), [], "a request sent while another was in flight");
});

test("a GAIA_TO04 on the second page keeps an idle domain's read at one request at a time", async () => {
  let refused = 0;
  const fake = createFakeKintone(makeRecords(RECORDS), {
    fail: (request) => (request.params.query === "$id > 500 order by $id asc limit 500" && refused++ === 0
      ? { code: "GAIA_TO04", id: "x", message: "同時に実行できるAPIリクエストの上限を超えています。" }
      : undefined),
  });
  const load = { others: 0 };
  const { sends } = installKintone(fake, load);
  const { ids, reported } = await read(load);
  assert.equal(refused, 2, "the refused page was sent again");
  assert.deepEqual(ids, range(RECORDS));
  // The load's answer (idle) came, but the 429 said otherwise: one window for good.
  assert.deepEqual(sends.filter((s) => s.inFlight > 0), [], "a request sent while another was in flight");
  assert.equal(sends.length, RECORDS / 500 + 2, "each page once, the refused one twice, and the confirmation");
  assert.equal(reported.at(-1), 1);
});

test("a concurrency the caller gives is used as given, and the load is not asked", async () => {
  const fake = createFakeKintone(makeRecords(RECORDS));
  const load = { others: 95 };
  const { sends, state } = installKintone(fake, load);
  const { ids, reported } = await read(load, { concurrency: 2 });
  assert.deepEqual(ids, range(RECORDS));
  assert.equal(most(sends), 2);
  assert.equal(state.questions, 0);
  assert.equal(reported.at(-1), 2);
});

test("a page whose getConcurrencyLimit() fails reads one window at a time", async () => {
  const fake = createFakeKintone(makeRecords(RECORDS));
  const load = { others: 0 };
  const { sends } = installKintone(fake, load);
  let questions = 0;
  globalThis.kintone.api.getConcurrencyLimit = () => {
    questions++;
    return Promise.reject(new Error("not on this page"));
  };
  const { ids } = await read(load);
  assert.deepEqual(ids, range(RECORDS));
  assert.deepEqual(sends.filter((s) => s.inFlight > 0), [], "a request sent while another was in flight");
  assert.equal(sends.length, RECORDS / 500 + 1);
  assert.ok(questions >= 2, `${questions} questions: a failed one is asked again later`);
});

test("a domain that becomes idle mid-read: one request at a time, then four windows from the next check", async () => {
  const fake = createFakeKintone(makeRecords(RECORDS));
  const load = { others: 85 };
  const { sends } = installKintone(fake, load);
  let idleAt;
  const { ids, reported } = await read(load, {
    onProgress: (p) => {
      if (idleAt === undefined && p.fetched >= 5000) {
        load.others = 0;
        idleAt = sends.length;
      }
    },
  });
  assert.deepEqual(ids, range(RECORDS));
  assert.deepEqual(sends.slice(0, idleAt).filter((s) => s.inFlight > 0), [], "one request at a time while busy");
  // The next page goes out beside the probe for the far end of the ids, once.
  const probes = fake.requests.map((r, i) => [r.params.query, i]).filter(([query]) => query === "order by $id desc limit 1");
  assert.equal(probes.length, 1);
  const [[, probeAt]] = probes;
  // At the latest: a question answered "busy" just before, asked again 8 pages after that
  // answer, its answer taken before the next page, which goes beside the probe.
  assert.ok(probeAt > idleAt && probeAt <= idleAt + 10, `the probe came ${probeAt - idleAt} sends after the domain became idle`);
  assert.equal(sends[probeAt].inFlight, 1, "beside a page");
  assert.equal(most(sends.slice(probeAt)), 4, "then four windows");
  assert.equal(reported.at(-1), 4);
});
